package cognitoimport_test

import (
	"context"
	"errors"
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
	srv := newServer(t, cognitoimporttest.WithClock(func() time.Time { return now }))
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
