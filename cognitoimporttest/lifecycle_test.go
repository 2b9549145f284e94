package cognitoimporttest_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestImportRuns drives a whole import on the fake clock: Created, Pending,
// InProgress with growing counts, Succeeded.
func TestImportRuns(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
	job := e.create(testPool)
	id := aws.ToString(job.JobId)
	if job.Status != types.UserImportJobStatusTypeCreated {
		t.Fatalf("created: %s", job.Status)
	}
	e.mustUpload(job, sampleFile)
	started, err := e.start(testPool, id)
	if err != nil {
		t.Fatal(err)
	}
	if started.Status != types.UserImportJobStatusTypePending || !aws.ToTime(started.StartDate).Equal(clockStart) {
		t.Errorf("started: %s at %v", started.Status, started.StartDate)
	}
	e.clock.Advance(1500 * time.Millisecond)
	mid := e.describe(testPool, id)
	if mid.Status != types.UserImportJobStatusTypeInProgress || mid.ImportedUsers != 1 {
		t.Errorf("after 1.5 s: %s, %d imported", mid.Status, mid.ImportedUsers)
	}
	e.clock.Advance(time.Second)
	done := e.describe(testPool, id)
	if done.Status != types.UserImportJobStatusTypeSucceeded || done.ImportedUsers != 2 || done.FailedUsers != 0 ||
		aws.ToString(done.CompletionMessage) != "Import Job Completed Successfully." ||
		!aws.ToTime(done.CompletionDate).Equal(clockStart.Add(2*time.Second)) {
		t.Errorf("done: %s, %d imported, %q at %v", done.Status, done.ImportedUsers, aws.ToString(done.CompletionMessage), done.CompletionDate)
	}
	users := e.srv.Users(testPool)
	if len(users) != 2 || users[0].Username != "John" || users[1].Username != "Jane" || users[0].Status != "RESET_REQUIRED" {
		t.Errorf("users = %+v", users)
	}
	// A finished job is no longer active: another one can start.
	e.runJob(testPool, sampleFile)
}

func TestStartRefusals(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithUserPools("us-east-1_Other"))
	job := e.create(testPool)
	id := aws.ToString(job.JobId)

	_, err := e.start(testPool, id)
	if apiErr := apiError(t, err, "PreconditionNotMetException"); apiErr.ErrorMessage() != "No csv file was uploaded for "+id {
		t.Errorf("message = %q", apiErr.ErrorMessage())
	}
	_, err = e.start(testPool, "import-Unknown1234")
	apiError(t, err, "ResourceNotFoundException")
	_, err = e.start("us-east-1_Nope", id)
	apiError(t, err, "ResourceNotFoundException")

	e.mustUpload(job, sampleFile)
	if _, err := e.start(testPool, id); err != nil {
		t.Fatal(err)
	}
	// Started already.
	_, err = e.start(testPool, id)
	if msg := apiError(t, err, "InvalidParameterException").ErrorMessage(); !strings.Contains(msg, id) || !strings.Contains(msg, "Pending") {
		t.Errorf("message = %q", msg)
	}
	// One active job per server, whatever the pool.
	other := e.create("us-east-1_Other")
	e.mustUpload(other, sampleFile)
	_, err = e.start("us-east-1_Other", aws.ToString(other.JobId))
	if msg := apiError(t, err, "PreconditionNotMetException").ErrorMessage(); !strings.Contains(msg, id) {
		t.Errorf("message = %q", msg)
	}
	// Once the first ends, the second can start; the first cannot again.
	e.clock.Advance(time.Second)
	if _, err := e.start("us-east-1_Other", aws.ToString(other.JobId)); err != nil {
		t.Errorf("second job after the first ended: %v", err)
	}
	_, err = e.start(testPool, id)
	apiError(t, err, "InvalidParameterException")
}

func TestStartNoAutoVerifiedAttributes(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: "us-east-1_NoVerify", AutoVerifiedAttributes: []string{}}))
	job := e.create("us-east-1_NoVerify")
	e.mustUpload(job, sampleFile)
	_, err := e.start("us-east-1_NoVerify", aws.ToString(job.JobId))
	apiError(t, err, "PreconditionNotMetException")
}

func TestStop(t *testing.T) {
	t.Parallel()
	file := sampleFile
	t.Run("pending", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
		id := e.runJob(testPool, file)
		j, err := e.stop(testPool, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != types.UserImportJobStatusTypeStopped || aws.ToString(j.CompletionMessage) != "The Import Job was stopped by the developer." || j.ImportedUsers != 0 {
			t.Errorf("stopped: %s %q %d", j.Status, aws.ToString(j.CompletionMessage), j.ImportedUsers)
		}
		_, err = e.start(testPool, id)
		apiError(t, err, "InvalidParameterException")
		_, err = e.stop(testPool, id)
		apiError(t, err, "InvalidParameterException")
		if got := e.srv.Users(testPool); len(got) != 0 {
			t.Errorf("users = %v", got)
		}
	})
	t.Run("mid-row", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
		id := e.runJob(testPool, file)
		e.clock.Advance(500 * time.Millisecond)
		j, err := e.stop(testPool, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != types.UserImportJobStatusTypeStopping || j.ImportedUsers != 0 {
			t.Errorf("stop mid-row: %s, %d imported", j.Status, j.ImportedUsers)
		}
		e.clock.Advance(500 * time.Millisecond)
		j = e.describe(testPool, id)
		if j.Status != types.UserImportJobStatusTypeStopped || j.ImportedUsers != 1 ||
			!aws.ToTime(j.CompletionDate).Equal(clockStart.Add(time.Second)) {
			t.Errorf("after the row: %s, %d imported at %v", j.Status, j.ImportedUsers, j.CompletionDate)
		}
		e.clock.Advance(time.Hour)
		if j := e.describe(testPool, id); j.ImportedUsers != 1 || j.Status != types.UserImportJobStatusTypeStopped {
			t.Errorf("an hour later: %s, %d", j.Status, j.ImportedUsers)
		}
	})
	t.Run("between rows", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
		id := e.runJob(testPool, file)
		e.clock.Advance(time.Second)
		j, err := e.stop(testPool, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != types.UserImportJobStatusTypeStopped || j.ImportedUsers != 1 {
			t.Errorf("stop between rows: %s, %d imported", j.Status, j.ImportedUsers)
		}
	})
	t.Run("created", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t)
		job := e.create(testPool)
		_, err := e.stop(testPool, aws.ToString(job.JobId))
		if msg := apiError(t, err, "InvalidParameterException").ErrorMessage(); !strings.Contains(msg, "Created") {
			t.Errorf("message = %q", msg)
		}
	})
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	id := aws.ToString(job.JobId)
	e.mustUpload(job, sampleFile)
	e.clock.Advance(24*time.Hour - time.Millisecond)
	if j := e.describe(testPool, id); j.Status != types.UserImportJobStatusTypeCreated {
		t.Errorf("just before 24 h: %s", j.Status)
	}
	e.clock.Advance(time.Millisecond)
	j := e.describe(testPool, id)
	if j.Status != types.UserImportJobStatusTypeExpired || aws.ToString(j.CompletionMessage) != "The user import job has expired." {
		t.Errorf("after 24 h: %s %q", j.Status, aws.ToString(j.CompletionMessage))
	}
	_, err := e.start(testPool, id)
	apiError(t, err, "InvalidParameterException")
	if jobs := e.srv.Jobs(testPool); jobs[0].Status != cognitoimporttest.StatusExpired {
		t.Errorf("Jobs: %s", jobs[0].Status)
	}
}

// TestStopping: while a job is Stopping, Describe and List show it so, it
// cannot be stopped again, and it still counts as the active job.
func TestStopping(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(1), cognitoimporttest.WithUserPools("us-east-1_Other"))
	id := e.runJob(testPool, sampleFile)
	e.clock.Advance(1500 * time.Millisecond)
	if _, err := e.stop(testPool, id); err != nil {
		t.Fatal(err)
	}
	if j := e.describe(testPool, id); j.Status != types.UserImportJobStatusTypeStopping || j.ImportedUsers != 1 || j.CompletionMessage != nil {
		t.Errorf("Stopping: %s %d %v", j.Status, j.ImportedUsers, j.CompletionMessage)
	}
	out, err := e.client.ListUserImportJobs(context.Background(), &cognitoidentityprovider.ListUserImportJobsInput{UserPoolId: aws.String(testPool), MaxResults: aws.Int32(10)})
	if err != nil || out.UserImportJobs[0].Status != types.UserImportJobStatusTypeStopping {
		t.Errorf("List: %v %v", err, out)
	}
	_, err = e.stop(testPool, id)
	if msg := apiError(t, err, "InvalidParameterException").ErrorMessage(); !strings.Contains(msg, "Stopping") {
		t.Errorf("message = %q", msg)
	}
	other := e.create("us-east-1_Other")
	e.mustUpload(other, sampleFile)
	_, err = e.start("us-east-1_Other", aws.ToString(other.JobId))
	apiError(t, err, "PreconditionNotMetException")

	e.clock.Advance(500 * time.Millisecond)
	if j := e.describe(testPool, id); j.Status != types.UserImportJobStatusTypeStopped || j.ImportedUsers != 2 {
		t.Errorf("after the row: %s %d", j.Status, j.ImportedUsers)
	}
	if _, err := e.start("us-east-1_Other", aws.ToString(other.JobId)); err != nil {
		t.Errorf("after the stop: %v", err)
	}
}

// TestLogBound: the jobs' logs are bounded (+17 MiB per 500,000 failed rows
// was kept forever before); past the bound, whole logs of ended jobs are
// evicted, the first ended first, and read as gone, while the jobs, their
// counts and the users they imported stay.
func TestLogBound(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)), cognitoimporttest.WithMaxLogBytes(3*cognitoimporttest.LogEntryBytes()))
	first, firstLog := e.runImport(testPool, sampleFile)
	if len(firstLog) != 2 {
		t.Fatalf("first job's log = %q", firstLog)
	}
	other := strings.NewReplacer("John,", "Jim,", "Jane,", "Joan,").Replace(sampleFile)
	second, secondLog := e.runImport(testPool, other)
	if len(secondLog) != 2 || e.srv.LogEvicted(testPool, aws.ToString(second.JobId)) {
		t.Errorf("the newest job's log = %q, want its two lines", secondLog)
	}
	if l := e.srv.JobLog(testPool, aws.ToString(first.JobId)); l != nil || !e.srv.LogEvicted(testPool, aws.ToString(first.JobId)) {
		t.Errorf("the first job's log = %q, want it evicted past the bound", l)
	}
	if j := e.describe(testPool, aws.ToString(first.JobId)); j.Status != types.UserImportJobStatusTypeSucceeded || j.ImportedUsers != 2 {
		t.Errorf("the first job after its log went: %s, %d imported", j.Status, j.ImportedUsers)
	}
	if n := len(e.srv.Users(testPool)); n != 4 {
		t.Errorf("%d users, want the 4 both jobs imported", n)
	}
}
