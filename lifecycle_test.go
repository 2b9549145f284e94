package cognitoimport_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// sampleFile is the guide's sample users file: two users, both imported into
// a pool whose auto-verified attribute is email.
const sampleFile = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

// failingFile has two rows that set no auto-verified attribute true: the
// service fails both, and with no user imported the job fails.
const failingFile = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,FALSE,,02/01/1985,,,+12345550100,FALSE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,FALSE,,01/01/1985,,,+12345550199,FALSE,100 Main Street,,FALSE
`

// clocked is a server and a client that share a fake clock: the client's
// sleeps advance the server's time, so nothing waits for real time.
type clocked struct {
	srv    *cognitoimporttest.Server
	clk    *cognitoimporttest.Clock
	client *cognitoimport.Client
}

// newClocked starts a server with testPool on a fake clock, and a client of
// it on the same clock. The clock starts at the wall clock's time, as the SDK
// signs with the wall clock and the server allows 15 minutes of skew.
func newClocked(t testing.TB, opts ...cognitoimporttest.Option) *clocked {
	t.Helper()
	return newClockedAt(t, time.Now(), opts...)
}

func newClockedAt(t testing.TB, start time.Time, opts ...cognitoimporttest.Option) *clocked {
	t.Helper()
	clk := cognitoimporttest.NewClock(start)
	srv := newServer(t, append([]cognitoimporttest.Option{cognitoimporttest.WithClock(clk.Now)}, opts...)...)
	return &clocked{srv: srv, clk: clk, client: newClient(srv, cognitoimport.WithClock(clk))}
}

// createUploaded creates a job and uploads file to it.
func (e *clocked) createUploaded(t testing.TB, file string) *cognitoimport.Job {
	t.Helper()
	job := createJob(t, e.client, "job")
	if err := e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(file)}); err != nil {
		t.Fatalf("Upload: %v", err)
	}
	return job
}

func TestStartDescribeStop(t *testing.T) {
	t.Parallel()
	// One user a minute of the server's clock: the job runs until the test
	// stops it.
	e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
	ctx := t.Context()
	job := e.createUploaded(t, sampleFile)

	started, err := e.client.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil {
		t.Fatal(err)
	}
	if started.Status != cognitoimport.StatusPending || started.StartDate.IsZero() || started.JobID != job.JobID {
		t.Errorf("StartJob = %v, want Pending with a StartDate", started)
	}
	e.clk.Advance(90 * time.Second)
	now, err := e.client.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil {
		t.Fatal(err)
	}
	if now.Status != cognitoimport.StatusInProgress || now.ImportedUsers != 1 {
		t.Errorf("DescribeJob after 90 s = %v, want InProgress with 1 user imported", now)
	}
	if now.Err() != nil {
		t.Errorf("Err of a running job = %v, want nil", now.Err())
	}

	stopped, err := e.client.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil {
		t.Fatal(err)
	}
	if stopped.Status != cognitoimport.StatusStopped && stopped.Status != cognitoimport.StatusStopping {
		t.Errorf("StopJob = %v, want Stopped or Stopping", stopped)
	}
	final, err := e.client.Wait(ctx, cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil {
		t.Fatal(err)
	}
	je := as[*cognitoimport.JobError](t, final.Err())
	if je.Job.Status != cognitoimport.StatusStopped || je.Job.CompletionMessage != cognitoimporttest.MessageStopped ||
		!strings.Contains(je.Error(), cognitoimporttest.MessageStopped) || !strings.Contains(je.Error(), job.JobID) {
		t.Errorf("Err = %v, want a JobError of the stopped job with its message", je)
	}

	// A stopped job cannot be started or stopped again (the test server's
	// choice of code: InvalidParameterException).
	_, err = e.client.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}, noRetry)
	as[*cognitoimport.InvalidParameterError](t, err)
	_, err = e.client.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: testPool, JobID: job.JobID}, noRetry)
	as[*cognitoimport.InvalidParameterError](t, err)
}

func TestStartWithoutUpload(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	_, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID})
	pre := as[*cognitoimport.PreconditionNotMetError](t, err)
	if want := "No csv file was uploaded for " + job.JobID; pre.Message != want || pre.Operation != "StartUserImportJob" {
		t.Errorf("got %+v, want message %q", pre.ServiceError, want)
	}
	_, err = e.client.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: "import-Unknown1"})
	as[*cognitoimport.ResourceNotFoundError](t, err)
}

func TestJobErr(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := e.createUploaded(t, failingFile)
	if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
		t.Fatal(err)
	}
	final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil {
		t.Fatal(err)
	}
	je := as[*cognitoimport.JobError](t, final.Err())
	if je.Job.Status != cognitoimport.StatusFailed || je.Job.FailedUsers != 2 ||
		!strings.Contains(je.Error(), "Too many users have failed") {
		t.Errorf("Err = %v, want the Failed job with 2 failed users and its message", je)
	}
	ok := cognitoimport.Job{Status: cognitoimport.StatusSucceeded}
	if ok.Err() != nil {
		t.Errorf("Err of a Succeeded job = %v", ok.Err())
	}
	var nilJob *cognitoimport.Job
	if nilJob.Err() != nil {
		t.Error("Err of a nil job is not nil")
	}
	if s := (&cognitoimport.JobError{Job: cognitoimport.Job{JobID: "import-x", Status: cognitoimport.StatusExpired}}).Error(); !strings.Contains(s, "Expired") {
		t.Errorf("JobError without message: %q", s)
	}
}

// reveal returns the URL u hides; secretURL makes one. (The two places that
// know how SecretURL holds its URL.)
func reveal(u cognitoimport.SecretURL) string { return u.Reveal() }

func secretURL(raw string) cognitoimport.SecretURL { return cognitoimport.NewSecretURL(raw) }
