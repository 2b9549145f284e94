package cognitoimport_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// importInput returns the input that imports file into testPool.
func importInput(file string) cognitoimport.ImportInput {
	return cognitoimport.ImportInput{UserPoolID: testPool, JobName: "import", CloudWatchLogsRoleARN: testRoleARN,
		File: strings.NewReader(file)}
}

func TestImportSampleFile(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
	in := importInput(sampleFile)
	var states []cognitoimport.Status
	var uploaded int64
	in.Progress = func(j cognitoimport.Job) { states = append(states, j.Status) }
	in.UploadProgress = func(sent, total int64) { uploaded = sent }
	job, err := e.client.Import(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != cognitoimport.StatusSucceeded || job.ImportedUsers != 2 || job.FailedUsers != 0 || job.SkippedUsers != 0 {
		t.Errorf("Import = %v, want Succeeded with 2 users", job)
	}
	if len(states) == 0 || states[len(states)-1] != cognitoimport.StatusSucceeded || uploaded != int64(len(sampleFile)) {
		t.Errorf("progress: states %q, %d bytes uploaded", states, uploaded)
	}
	checkRequests(t, e.srv, createOp, 1)
	checkRequests(t, e.srv, uploadOp, 1)
	checkRequests(t, e.srv, cognitoimporttest.StartUserImportJob, 1)
	checkRequests(t, e.srv, cognitoimporttest.GetCSVHeader, 1)

	// The same users again: all skipped, so the job fails (the test
	// server's rule), and Import says so with a *JobError.
	job, err = e.client.Import(t.Context(), importInput(sampleFile))
	je := as[*cognitoimport.JobError](t, err)
	if job == nil || job.Status != cognitoimport.StatusFailed || je.Job.SkippedUsers != 2 || isA[*cognitoimport.ImportError](err) {
		t.Errorf("second Import = %v, %v; want the Failed job and a JobError", job, err)
	}
}

// TestImportCheckFails: a file that breaks the pool's rules creates no job.
func TestImportCheckFails(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job, err := e.client.Import(t.Context(), importInput(failingFile))
	ie := as[*cognitoimport.ImportError](t, err)
	if job != nil || ie.Step != cognitoimport.StepCheck || ie.Job != nil {
		t.Errorf("Import = %v, %+v; want a check failure without a job", job, ie)
	}
	as[*cognitoimport.FileError](t, err)
	checkRequests(t, e.srv, createOp, 0)

	// SkipCheck: the service judges the file, and the job fails.
	in := importInput(failingFile)
	in.SkipCheck = true
	job, err = e.client.Import(t.Context(), in)
	if je := as[*cognitoimport.JobError](t, err); job == nil || je.Job.Status != cognitoimport.StatusFailed || je.Job.FailedUsers != 2 {
		t.Errorf("Import with SkipCheck = %v, %v; want the Failed job", job, err)
	}
	checkRequests(t, e.srv, cognitoimporttest.GetCSVHeader, 1)
}

// TestImportStepErrors: a failure after the job was created names the step
// and carries the job.
func TestImportStepErrors(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	e.srv.FailNext(cognitoimporttest.StartUserImportJob, cognitoimporttest.Error{Code: "PreconditionNotMetException", Message: "no"}, 1)
	job, err := e.client.Import(t.Context(), importInput(sampleFile))
	ie := as[*cognitoimport.ImportError](t, err)
	if job != nil || ie.Step != cognitoimport.StepStart || ie.Job == nil || ie.Job.JobID == "" || ie.Job.Status != cognitoimport.StatusCreated {
		t.Fatalf("Import = %v, %+v; want a start failure with the Created job", job, ie)
	}
	as[*cognitoimport.PreconditionNotMetError](t, err)
	if !strings.Contains(err.Error(), ie.Job.JobID) || !strings.Contains(err.Error(), "start") {
		t.Errorf("error %q names neither the job nor the step", err)
	}

	// An upload that fails on every attempt.
	flaky := &flakyClient{hc: e.srv.Config().HTTPClient, n: 100}
	client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()),
		cognitoimport.WithClock(e.clk), cognitoimport.WithHTTPClient(flaky))
	_, err = client.Import(t.Context(), importInput(sampleFile))
	ie = as[*cognitoimport.ImportError](t, err)
	if ie.Step != cognitoimport.StepUpload || ie.Job == nil || ie.Job.Status != cognitoimport.StatusCreated || flaky.puts != 4 {
		t.Errorf("Import with a broken upload = %+v after %d PUTs, want an upload failure with the Created job after 4", ie, flaky.puts)
	}

	// A wait that meets an error that is not transient.
	e.srv.FailNext(describeOp, cognitoimporttest.Error{Code: "NotAuthorizedException", Message: "revoked"}, 1)
	_, err = e.client.Import(t.Context(), importInput(sampleFile))
	ie = as[*cognitoimport.ImportError](t, err)
	if ie.Step != cognitoimport.StepWait || ie.Job == nil || ie.Job.Status == cognitoimport.StatusCreated || !isA[*cognitoimport.NotAuthorizedError](err) {
		t.Errorf("Import with Describe refused = %+v, want a wait failure with the started job", ie)
	}

	// Invalid input: nothing is sent.
	in := importInput(sampleFile)
	in.JobName = ""
	_, err = e.client.Import(t.Context(), in)
	as[*cognitoimport.ValidationError](t, err)
	if ie := as[*cognitoimport.ImportError](t, err); ie.Job != nil {
		t.Errorf("a validation failure carries job %v", ie.Job)
	}
	checkRequests(t, e.srv, createOp, 3)
}

// TestImportStopOnCancel: ctx ending while Import waits stops the job when
// asked, and leaves it running otherwise.
func TestImportStopOnCancel(t *testing.T) {
	t.Parallel()
	for _, stop := range []bool{true, false} {
		e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
		ctx, cancel := context.WithCancel(t.Context())
		in := importInput(sampleFile)
		in.StopOnCancel = stop
		in.Progress = func(j cognitoimport.Job) {
			if j.Status == cognitoimport.StatusInProgress {
				cancel()
			}
		}
		job, err := e.client.Import(ctx, in)
		cancel()
		ie := as[*cognitoimport.ImportError](t, err)
		if job != nil || ie.Step != cognitoimport.StepWait || !errors.Is(err, context.Canceled) || ie.Job == nil {
			t.Fatalf("StopOnCancel %v: Import = %v, %+v; want a wait failure with the job", stop, job, ie)
		}
		now, derr := e.client.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: ie.Job.JobID})
		if derr != nil {
			t.Fatal(derr)
		}
		if stop {
			// Stopping while the row being imported finishes, then Stopped.
			if st := ie.Job.Status; st != cognitoimport.StatusStopped && st != cognitoimport.StatusStopping {
				t.Errorf("StopOnCancel: the error's job is %s, want Stopping or Stopped", st)
			}
			e.clk.Advance(2 * time.Minute)
			now, derr = e.client.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: ie.Job.JobID})
			if derr != nil || now.Status != cognitoimport.StatusStopped || now.ImportedUsers == 2 {
				t.Errorf("StopOnCancel: the job is %v, %v; want Stopped before importing both users", now, derr)
			}
			checkRequests(t, e.srv, cognitoimporttest.StopUserImportJob, 1)
		} else {
			if now.Status.Terminal() {
				t.Errorf("without StopOnCancel: the job is %s, want it running", now.Status)
			}
			checkRequests(t, e.srv, cognitoimporttest.StopUserImportJob, 0)
		}
	}
}

// TestImportStartAnswerLost: the server starts the job but its answer is
// lost. The test server's DropNext drops a request before applying it (see

// TestImportStartRequestLost), so a narrow HTTP client wrapper drops the
// answer of a request the server applied. The
// SDK retries; the retry is refused (the job is no longer Created); Import
// asks the service and goes on with the started job.
func TestImportStartAnswerLost(t *testing.T) {
	t.Parallel()
	for _, retries := range []bool{true, false} {
		e := newClocked(t)
		cfg := e.srv.Config()
		hc := &countingClient{hc: cfg.HTTPClient, drop: "StartUserImportJob"}
		cfg.HTTPClient = hc
		optFns := []func(*cognitoidentityprovider.Options){}
		if !retries {
			optFns = append(optFns, noRetry)
		}
		client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg, optFns...), cognitoimport.WithClock(e.clk))
		job, err := client.Import(t.Context(), importInput(sampleFile))
		if err != nil {
			t.Fatalf("retries %v: Import: %v", retries, err)
		}
		if job.Status != cognitoimport.StatusSucceeded || job.ImportedUsers != 2 {
			t.Errorf("retries %v: Import = %v, want Succeeded with 2 users", retries, job)
		}
		want := 1
		if retries {
			want = 2
		}
		checkRequests(t, e.srv, cognitoimporttest.StartUserImportJob, want)
	}
}

// TestImportStartRequestLost: the connection drops before the server
// applied the start (DropNext). With the SDK's retries the start goes
// through; without, Import asks, finds the job still Created, and reports
// the start failed, with the job.
func TestImportStartRequestLost(t *testing.T) {
	t.Parallel()
	for _, retries := range []bool{true, false} {
		e := newClocked(t)
		e.srv.DropNext(cognitoimporttest.StartUserImportJob, 1)
		var optFns []func(*cognitoidentityprovider.Options)
		if !retries {
			optFns = append(optFns, noRetry)
		}
		client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config(), optFns...), cognitoimport.WithClock(e.clk))
		job, err := client.Import(t.Context(), importInput(sampleFile))
		if retries {
			if err != nil || job.Status != cognitoimport.StatusSucceeded {
				t.Errorf("with retries: Import = %v, %v; want Succeeded", job, err)
			}
			checkRequests(t, e.srv, cognitoimporttest.StartUserImportJob, 2)
			continue
		}
		ie := as[*cognitoimport.ImportError](t, err)
		if ie.Step != cognitoimport.StepStart || ie.Job == nil || ie.Job.Status != cognitoimport.StatusCreated || !cognitoimport.IsRetryable(err) {
			t.Errorf("without retries: %+v, want a retryable start failure with the Created job", ie)
		}
		checkRequests(t, e.srv, cognitoimporttest.StartUserImportJob, 1)
		checkRequests(t, e.srv, describeOp, 1)
	}
}

// TestImportHooks: Checked sees the file's users and can refuse the file
// before a job exists; Created sees the job before the upload; NoWait
// returns the started job without waiting for it.
func TestImportHooks(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))

	// A clean file: Checked, then Created before the upload, then the
	// started job without a wait.
	in := importInput(sampleFile)
	var checked = -1
	var created *cognitoimport.Job
	uploadsAtCreate := -1
	in.Checked = func(users int) error { checked = users; return nil }
	in.Created = func(j cognitoimport.Job) { created = &j; uploadsAtCreate = len(e.srv.Calls(uploadOp)) }
	in.NoWait = true
	job, err := e.client.Import(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if checked != 2 {
		t.Errorf("Checked got %d users, want 2", checked)
	}
	if created == nil || created.Status != cognitoimport.StatusCreated || created.JobID != job.JobID || uploadsAtCreate != 0 {
		t.Errorf("Created got %v with %d uploads made; want the Created job %s before the upload", created, uploadsAtCreate, job.JobID)
	}
	if job.Status != cognitoimport.StatusPending && job.Status != cognitoimport.StatusInProgress {
		t.Errorf("Import with NoWait = %v, want the started job", job)
	}
	checkRequests(t, e.srv, describeOp, 0)

	// Checked's error refuses a clean file before a job is created.
	refused := errors.New("refused")
	in = importInput(sampleFile)
	in.Checked = func(int) error { return refused }
	_, err = e.client.Import(t.Context(), in)
	if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepCheck || ie.Job != nil || !errors.Is(err, refused) {
		t.Errorf("Import with a refusing Checked = %+v, want the check step's failure wrapping it", ie)
	}

	// A file with problems: no call of Checked, and the FileError holds
	// the users; CheckOptions reaches the check.
	in = importInput(failingFile)
	checked = -1
	in.Checked = func(users int) error { checked = users; return nil }
	in.CheckOptions = cognitoimport.CheckOptions{MaxProblems: 1}
	_, err = e.client.Import(t.Context(), in)
	fe := as[*cognitoimport.FileError](t, err)
	if checked != -1 || fe.Users != 2 || len(fe.Problems) != 1 || fe.Total < 2 {
		t.Errorf("Checked got %d users; FileError: %d users, problems %d of %d; want no call, 2 users and 1 problem shown of at least 2", checked, fe.Users, len(fe.Problems), fe.Total)
	}
	checkRequests(t, e.srv, createOp, 1)
}

// TestImportErrorPrefixOnce: an Import failure names the package once,
// then the step, then the cause without its own prefix.
func TestImportErrorPrefixOnce(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	_, err := e.client.Import(t.Context(), importInput(failingFile))
	if got := err.Error(); strings.Count(got, "cognitoimport:") != 1 || !strings.HasPrefix(got, "cognitoimport: import: check: users file: ") {
		t.Errorf("Import's error = %q, want the package's prefix once, then the step and the users file's problems", got)
	}
	job := &cognitoimport.Job{JobID: "import-x", Status: cognitoimport.StatusCreated}
	err = &cognitoimport.ImportError{Step: cognitoimport.StepUpload, Job: job, Err: cognitoimport.ErrURLExpired}
	if got, want := err.Error(), "cognitoimport: import: upload of job import-x (Created): the pre-signed URL has expired: create a new job"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// countingReadSeeker counts the bytes read, and calls onRead after each Read.
type countingReadSeeker struct {
	*bytes.Reader
	n      int64
	onRead func()
}

func (c *countingReadSeeker) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.n += int64(n)
	if c.onRead != nil {
		c.onRead()
	}
	return n, err
}

// TestImportCheckHonoursContext: a context done before Import, or while it
// checks the file, ends the check there, reported as the check step with
// the context's error; nothing more is read or sent: the file is not read
// through, and no job is created.
func TestImportCheckHonoursContext(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	data := bigUsersFile(t, 8000)
	rules := cognitoimport.DefaultPoolSettings(testPool)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	f := &countingReadSeeker{Reader: bytes.NewReader(data)}
	in := importInput("")
	in.File, in.Settings = f, rules
	_, err := e.client.Import(ctx, in)
	if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepCheck || !errors.Is(err, context.Canceled) || f.n != 0 {
		t.Errorf("done before Import: %v (step %q) after reading %d bytes; want the check step, context.Canceled, nothing read", err, ie.Step, f.n)
	}

	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	f = &countingReadSeeker{Reader: bytes.NewReader(data), onRead: cancel}
	in.File = f
	_, err = e.client.Import(ctx, in)
	if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepCheck || !errors.Is(err, context.Canceled) || f.n >= int64(len(data)) {
		t.Errorf("done during the check: %v (step %q) after reading %d of %d bytes; want the check step, context.Canceled, the file not read through", err, ie.Step, f.n, len(data))
	}
	checkRequests(t, e.srv, createOp, 0)
	checkRequests(t, e.srv, cognitoimporttest.GetCSVHeader, 0)
}

// TestImportLeavesNoGoroutines: a whole Import (check, create, upload,
// start, wait) leaves no goroutine running once the server is closed.
// Not parallel: checkNoLeak needs no other test's goroutines running.
func TestImportLeavesNoGoroutines(t *testing.T) {
	before := goroutines()
	e := newClocked(t)
	job, err := e.client.Import(t.Context(), importInput(sampleFile))
	if err != nil || job.ImportedUsers != 2 {
		t.Fatalf("Import = %v, %v; want 2 users imported", job, err)
	}
	e.srv.Close()
	checkNoLeak(t, before)
}

// TestImportPerCallOptions: Import applies its optFns to every call it makes
// and to the upload. The SDK client's own endpoint is a closed port, and the
// optFns point each call at the test server (and make the server's upload
// URLs trusted): a call made without them fails.
func TestImportPerCallOptions(t *testing.T) {
	t.Parallel()
	dead := closedPortURL(t)
	setUp := func(t *testing.T, opts ...cognitoimporttest.Option) (*clocked, *cognitoimport.Client, []func(*cognitoidentityprovider.Options)) {
		e := newClocked(t, opts...)
		cfg := e.srv.Config()
		cfg.BaseEndpoint = aws.String(dead)
		client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg), cognitoimport.WithClock(e.clk))
		toServer := func(o *cognitoidentityprovider.Options) { o.BaseEndpoint = aws.String(e.srv.URL) }
		return e, client, []func(*cognitoidentityprovider.Options){toServer, noRetry}
	}

	t.Run("Succeeded", func(t *testing.T) {
		t.Parallel()
		// GetCSVHeader, DescribeUserPool, CreateUserImportJob, the upload,
		// StartUserImportJob, DescribeUserImportJob.
		e, client, optFns := setUp(t)
		job, err := client.Import(t.Context(), importInput(sampleFile), optFns...)
		if err != nil || job.Status != cognitoimport.StatusSucceeded {
			t.Fatalf("Import = %v, %v; want Succeeded", job, err)
		}
		checkRequests(t, e.srv, uploadOp, 1)
		if _, err := client.Import(t.Context(), importInput(sampleFile)); err == nil {
			t.Error("Import without the optFns succeeded: the SDK client's endpoint is closed")
		}
	})
	t.Run("StopOnCancel", func(t *testing.T) {
		t.Parallel()
		e, client, optFns := setUp(t, cognitoimporttest.WithImportRate(1.0/60))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		in := importInput(sampleFile)
		in.StopOnCancel = true
		in.Progress = func(j cognitoimport.Job) {
			if j.Status == cognitoimport.StatusInProgress {
				cancel()
			}
		}
		_, err := client.Import(ctx, in, optFns...)
		if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepWait {
			t.Errorf("%+v, want a wait failure after the job was stopped", ie)
		}
		checkRequests(t, e.srv, cognitoimporttest.StopUserImportJob, 1)
	})
	t.Run("StartLost", func(t *testing.T) {
		t.Parallel()
		e, client, optFns := setUp(t)
		e.srv.DropNext(cognitoimporttest.StartUserImportJob, 1)
		_, err := client.Import(t.Context(), importInput(sampleFile), optFns...)
		if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepStart || ie.Job == nil {
			t.Errorf("%+v, want a start failure with the job", ie)
		}
		checkRequests(t, e.srv, describeOp, 1) // the check whether it started
	})
}
