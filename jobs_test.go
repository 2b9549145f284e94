package cognitoimport_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestCreateJob(t *testing.T) {
	t.Parallel()
	// The server's clock stands still (at the real time, which SigV4
	// needs), so the creation date is known.
	now := time.Now().UTC().Truncate(time.Millisecond)
	srv := newServer(t, cognitoimporttest.WithClock(nowFunc(func() time.Time { return now })))
	client := newClient(srv)
	job, err := client.CreateJob(t.Context(), cognitoimport.CreateJobInput{
		UserPoolID:            testPool,
		JobName:               "nightly import",
		CloudWatchLogsRoleARN: testRoleARN,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRequests(t, srv, createOp, 1)
	stored := srv.Jobs(testPool)
	if len(stored) != 1 {
		t.Fatalf("the server holds %d jobs, want 1", len(stored))
	}
	want := stored[0]
	for _, f := range []struct{ name, got, want string }{
		{"JobID", job.JobID, want.JobID},
		{"JobName", job.JobName, "nightly import"},
		{"UserPoolID", job.UserPoolID, testPool},
		{"CloudWatchLogsRoleARN", job.CloudWatchLogsRoleARN, testRoleARN},
		{"PreSignedURL", job.PreSignedURL.Reveal(), want.PreSignedURL},
		{"Status", string(job.Status), "Created"},
		{"CompletionMessage", job.CompletionMessage, ""},
	} {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if job.JobID == "" || job.PreSignedURL == (cognitoimport.SecretURL{}) {
		t.Errorf("JobID %q, PreSignedURL %q: want both set", job.JobID, job.PreSignedURL)
	}
	if job.Status != cognitoimport.StatusCreated {
		t.Errorf("Status = %q, want StatusCreated", job.Status)
	}
	if !job.CreationDate.Equal(now) || !want.CreationDate.Equal(now) {
		t.Errorf("CreationDate = %v, the server's %v; want both %v", job.CreationDate, want.CreationDate, now)
	}
	if !job.StartDate.IsZero() || !job.CompletionDate.IsZero() {
		t.Errorf("StartDate %v, CompletionDate %v: want both zero on a new job", job.StartDate, job.CompletionDate)
	}
	if job.ImportedUsers != 0 || job.SkippedUsers != 0 || job.FailedUsers != 0 {
		t.Errorf("counters %d, %d, %d: want 0 on a new job", job.ImportedUsers, job.SkippedUsers, job.FailedUsers)
	}

	// The listing returns the same job.
	out, err := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Jobs) != 1 {
		t.Fatalf("ListJobs returned %d jobs, want 1", len(out.Jobs))
	}
	if listed := out.Jobs[0]; listed != *job {
		t.Errorf("ListJobs returned\n%+v\nwant\n%+v", listed, *job)
	}
}

// TestJobsReadServerChanges moves a job along with SetJob and reads it back
// through ListJobs and Jobs.
func TestJobsReadServerChanges(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv)
	created := createJob(t, client, "import")
	stored := srv.Jobs(testPool)[0]

	start := time.Date(2024, 11, 8, 23, 16, 18, 676e6, time.UTC)
	end := start.Add(90*time.Minute + 471*time.Millisecond)
	steps := []struct {
		name string
		set  func(*cognitoimporttest.Job)
		want func(*cognitoimport.Job)
	}{
		{"InProgress", func(j *cognitoimporttest.Job) {
			j.Status = "InProgress"
			j.StartDate = start
			j.ImportedUsers = 3
		}, func(j *cognitoimport.Job) {
			j.Status = cognitoimport.StatusInProgress
			j.StartDate = start
			j.ImportedUsers = 3
		}},
		{"Succeeded", func(j *cognitoimporttest.Job) {
			j.Status = "Succeeded"
			j.CompletionDate = end
			j.CompletionMessage = "Import Job Completed Successfully."
			j.ImportedUsers, j.SkippedUsers, j.FailedUsers = 1000, 20, 3
		}, func(j *cognitoimport.Job) {
			j.Status = cognitoimport.StatusSucceeded
			j.CompletionDate = end
			j.CompletionMessage = "Import Job Completed Successfully."
			j.ImportedUsers, j.SkippedUsers, j.FailedUsers = 1000, 20, 3
		}},
		// A status this package does not know passes through.
		{"unknown status", func(j *cognitoimporttest.Job) {
			j.Status = "Archived"
		}, func(j *cognitoimport.Job) {
			j.Status = "Archived"
		}},
	}
	want := *created
	for _, step := range steps {
		step.set(&stored)
		srv.SetJob(stored)
		step.want(&want)

		out, err := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})
		if err != nil {
			t.Fatalf("%s: ListJobs: %v", step.name, err)
		}
		if len(out.Jobs) != 1 || out.Jobs[0] != want {
			t.Errorf("%s: ListJobs returned\n%+v\nwant\n%+v", step.name, out.Jobs, want)
		}
		jobs, err := splitItems(t, collect(client.Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})))
		if err != nil {
			t.Fatalf("%s: Jobs: %v", step.name, err)
		}
		if len(jobs) != 1 || jobs[0] != want {
			t.Errorf("%s: Jobs returned\n%+v\nwant\n%+v", step.name, jobs, want)
		}
	}
	if want.Status.Terminal() {
		t.Errorf("the unknown status %q is terminal", want.Status)
	}
}

func TestStatusTerminal(t *testing.T) {
	t.Parallel()
	for status, want := range map[cognitoimport.Status]bool{
		cognitoimport.StatusCreated:    false,
		cognitoimport.StatusPending:    false,
		cognitoimport.StatusInProgress: false,
		cognitoimport.StatusStopping:   false,
		cognitoimport.StatusExpired:    true,
		cognitoimport.StatusStopped:    true,
		cognitoimport.StatusFailed:     true,
		cognitoimport.StatusSucceeded:  true,
		"Archived":                     false,
		"succeeded":                    false,
		"":                             false,
	} {
		if got := status.Terminal(); got != want {
			t.Errorf("Status(%q).Terminal() = %v, want %v", status, got, want)
		}
	}
	// The constants are spelled as the service spells them.
	for status, wire := range map[cognitoimport.Status]string{
		cognitoimport.StatusCreated: "Created", cognitoimport.StatusPending: "Pending",
		cognitoimport.StatusInProgress: "InProgress", cognitoimport.StatusStopping: "Stopping",
		cognitoimport.StatusExpired: "Expired", cognitoimport.StatusStopped: "Stopped",
		cognitoimport.StatusFailed: "Failed", cognitoimport.StatusSucceeded: "Succeeded",
	} {
		if string(status) != wire {
			t.Errorf("status %q, want %q", status, wire)
		}
	}
}

// TestCreateJobMissingJob uses a fake API: the server always returns a job.
func TestCreateJobMissingJob(t *testing.T) {
	t.Parallel()
	client := cognitoimport.New(emptyCreateAPI{})
	job, err := client.CreateJob(t.Context(), validCreateInput("job"))
	if !errors.Is(err, cognitoimport.ErrMissingJob) || job != nil {
		t.Fatalf("CreateJob = %v, %v; want nil, ErrMissingJob", job, err)
	}
}

// emptyCreateAPI answers CreateUserImportJob with no job.
type emptyCreateAPI struct{ cognitoimport.API }

func (emptyCreateAPI) ListUserImportJobs(context.Context, *cognitoidentityprovider.ListUserImportJobsInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUserImportJobsOutput, error) {
	return nil, errors.New("emptyCreateAPI: ListUserImportJobs is not implemented")
}

func (emptyCreateAPI) CreateUserImportJob(context.Context, *cognitoidentityprovider.CreateUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.CreateUserImportJobOutput, error) {
	return &cognitoidentityprovider.CreateUserImportJobOutput{}, nil
}

// TestExponentTimestamps reads jobs from a server that writes dates in the
// exponent form the live service also uses (1.667864578676E9).
func TestExponentTimestamps(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cognitoimporttest.WithExponentTimestamps())
	client := newClient(srv)
	created := createJob(t, client, "exponent")
	want := srv.Jobs(testPool)[0].CreationDate
	if !created.CreationDate.Equal(want) {
		t.Errorf("CreateJob: CreationDate %v, want %v", created.CreationDate, want)
	}
	for job, err := range client.Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool}) {
		if err != nil {
			t.Fatal(err)
		}
		if !job.CreationDate.Equal(want) {
			t.Errorf("Jobs: CreationDate %v, want %v", job.CreationDate, want)
		}
	}
}

// emptyJobAPI answers every job operation with no job. A fake: the test
// server always returns a job.
type emptyJobAPI struct{ emptyCreateAPI }

func (emptyJobAPI) DescribeUserImportJob(context.Context, *cognitoidentityprovider.DescribeUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.DescribeUserImportJobOutput, error) {
	return &cognitoidentityprovider.DescribeUserImportJobOutput{}, nil
}

func (emptyJobAPI) StartUserImportJob(context.Context, *cognitoidentityprovider.StartUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.StartUserImportJobOutput, error) {
	return &cognitoidentityprovider.StartUserImportJobOutput{}, nil
}

func (emptyJobAPI) StopUserImportJob(context.Context, *cognitoidentityprovider.StopUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.StopUserImportJobOutput, error) {
	return &cognitoidentityprovider.StopUserImportJobOutput{}, nil
}

// TestMissingJobTexts: every operation that answers with a job says once,
// with the package prefix once, that the answer had none.
func TestMissingJobTexts(t *testing.T) {
	t.Parallel()
	c := cognitoimport.New(emptyJobAPI{})
	ctx := t.Context()
	const pool, id = "us-east-1_abcDEF123", "import-abcdefghij"
	for op, call := range map[string]func() (*cognitoimport.Job, error){
		"CreateUserImportJob": func() (*cognitoimport.Job, error) { return c.CreateJob(ctx, validCreateInput("job")) },
		"DescribeUserImportJob": func() (*cognitoimport.Job, error) {
			return c.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: pool, JobID: id})
		},
		"StartUserImportJob": func() (*cognitoimport.Job, error) {
			return c.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: pool, JobID: id})
		},
		"StopUserImportJob": func() (*cognitoimport.Job, error) {
			return c.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: pool, JobID: id})
		},
	} {
		job, err := call()
		want := "cognitoimport: " + op + ": the response has no user import job"
		if job != nil || err == nil || err.Error() != want || !errors.Is(err, cognitoimport.ErrMissingJob) {
			t.Errorf("%s = %v, %v; want nil and %q matching ErrMissingJob", op, job, err, want)
		}
	}
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
