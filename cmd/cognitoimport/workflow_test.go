package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestHeader(t *testing.T) {
	t.Parallel()
	h := newHarness(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: "us-east-1_custom", CustomAttributes: []string{"dept"},
	}))
	r := h.run("header", "--pool", testPool).want(t, exitOK)
	cols := strings.Split(strings.TrimSuffix(r.stdout, "\n"), ",")
	if len(cols) != 21 || cols[0] != "name" || cols[20] != "cognito:username" {
		t.Errorf("header of the default pool = %q", r.stdout)
	}
	r = h.run("header", "--json", "--pool", "us-east-1_custom").want(t, exitOK)
	var out struct {
		UserPoolID string   `json:"UserPoolId"`
		CSVHeader  []string `json:"CSVHeader"`
	}
	decode(t, r.stdout, &out)
	if out.UserPoolID != "us-east-1_custom" || !contains(out.CSVHeader, "custom:dept") {
		t.Errorf("header --json = %+v, want the pool's custom:dept column", out)
	}
	h.run("header", "--pool", "us-east-1_nothere").want(t, exitFailed).oneLineError(t, "ResourceNotFoundException")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestImportSample(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "users.csv", sample)
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	r.wantNoCR(t)
	lines := strings.Split(r.stdout, "\n")
	if !strings.HasPrefix(lines[0], "import-") || !strings.HasSuffix(lines[0], " Succeeded: 2 imported, 0 skipped, 0 failed") ||
		lines[1] != "Import Job Completed Successfully." {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	for _, want := range []string{"checked " + file + ": 2 users, no problems", "created job import-", "(users.csv " + t0.Format("2006-01-02 15.04.05") + " UTC)",
		"upload: ", "import: Succeeded, 2 of 2 users (100%)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	var names []string
	for _, u := range h.srv.Users(testPool) {
		names = append(names, u.Username)
	}
	if strings.Join(names, ",") != "John,Jane" {
		t.Errorf("the pool's users are %q, want John and Jane", names)
	}

	// The same file again: both users exist, so both are skipped and the
	// job fails, and the command says so.
	r = h.run("import", "--json", "--pool", testPool, "--role", testRole, "--name", "again", file).want(t, exitFailed)
	var job jobJSON
	decode(t, r.stdout, &job)
	if job.Status != "Failed" || job.SkippedUsers != 2 || job.JobName != "again" {
		t.Errorf("second import = %+v, want Failed with 2 skipped", job)
	}
	errLine := r.stderr[strings.LastIndex(strings.TrimSuffix(r.stderr, "\n"), "\n")+1:]
	for _, want := range []string{job.JobID, "Failed", "Too many users", "CloudWatch"} {
		if !strings.Contains(errLine, want) {
			t.Errorf("last stderr line %q lacks %q", errLine, want)
		}
	}
}

func TestImportTerminal(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t, cognitoimporttest.WithImportRate(10))
	h.terminal = true
	file := writeFile(t, "users.csv", users(100))
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	if strings.Contains(r.stdout, "\r") {
		t.Errorf("stdout holds a carriage return:\n%q", r.stdout)
	}
	for _, want := range []string{"\rupload ", "\rimport ", "100%", "/100 users", "\x1b[K\n"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr on a terminal lacks %q:\n%q", want, r.stderr)
		}
	}
}

func TestImportCheckFails(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "users.csv", sample+"Bad Name,,,,,,,,,,,TRUE,,,,,,,,,FALSE\n")
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitFailed)
	if !strings.Contains(r.stderr, file+":4: ") || !strings.Contains(r.stderr, "no job created") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout: %s", r.stdout)
	}
	if jobs := h.srv.Jobs(testPool); len(jobs) != 0 {
		t.Errorf("a file that fails the check created %d jobs", len(jobs))
	}

	// --skip-check imports it: the good rows go in, the bad one fails.
	r = h.run("import", "--skip-check", "--json", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	var job jobJSON
	decode(t, r.stdout, &job)
	if job.Status != "Succeeded" || job.ImportedUsers != 2 || job.FailedUsers != 1 {
		t.Errorf("import --skip-check = %+v, want 2 imported and 1 failed", job)
	}
}

func TestNoWaitDescribeWaitStop(t *testing.T) {
	t.Parallel()
	h, clk := newClockHarness(t, cognitoimporttest.WithImportRate(1))
	file := writeFile(t, "users.csv", users(10))
	r := h.run("import", "--no-wait", "--json", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	var job jobJSON
	decode(t, r.stdout, &job)
	if job.Status != "Pending" && job.Status != "InProgress" {
		t.Fatalf("import --no-wait = %+v, want a running job", job)
	}
	if !strings.Contains(r.stderr, "cognitoimport wait --endpoint-url "+h.srv.URL+" --region us-east-1 --pool "+testPool+" --file "+file+" "+job.JobID) {
		t.Errorf("stderr does not say how to wait:\n%s", r.stderr)
	}

	clk.Advance(3 * time.Second)
	r = h.run("describe", "--pool", testPool, job.JobID).want(t, exitOK)
	for _, want := range []string{"JobId:", job.JobID, "Status:", "InProgress", "ImportedUsers:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("describe lacks %q:\n%s", want, r.stdout)
		}
	}
	r = h.run("describe", "--json", "--pool", testPool, job.JobID).want(t, exitOK)
	var described jobJSON
	decode(t, r.stdout, &described)
	if described.JobID != job.JobID || described.ImportedUsers < 1 || described.StartDate == nil {
		t.Errorf("describe --json = %+v", described)
	}

	r = h.run("stop", "--pool", testPool, job.JobID).want(t, exitOK)
	if !strings.Contains(r.stdout, "Stopped") && !strings.Contains(r.stdout, "Stopping") {
		t.Errorf("stop printed:\n%s", r.stdout)
	}
	// Waiting for a stopped job ends at once, and not with success.
	r = h.run("wait", "--pool", testPool, job.JobID).want(t, exitFailed)
	if !strings.Contains(r.stdout, job.JobID+" Stopped") {
		t.Errorf("wait printed:\n%s", r.stdout)
	}
	r.wantNoCR(t)
	// Stopping it again is the service's error, in one line.
	h.run("stop", "--pool", testPool, job.JobID).want(t, exitFailed).oneLineError(t, "InvalidParameterException")
	// A job that does not exist.
	h.run("describe", "--pool", testPool, "import-nothere").want(t, exitFailed).oneLineError(t, "ResourceNotFoundException")
	h.run("describe", "--pool", testPool, "not-a-job-id").want(t, exitUsage).oneLineError(t, "JOB_ID")
}

func TestWait(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t, cognitoimporttest.WithImportRate(2))
	file := writeFile(t, "users.csv", users(40))
	r := h.run("import", "--no-wait", "--json", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	var job jobJSON
	decode(t, r.stdout, &job)
	r = h.run("wait", "--pool", testPool, "--users", "40", job.JobID).want(t, exitOK)
	r.wantNoCR(t)
	if !strings.HasPrefix(r.stdout, job.JobID+" Succeeded: 40 imported, 0 skipped, 0 failed\n") {
		t.Errorf("wait printed:\n%s", r.stdout)
	}
	// 40 users at 2 a second: 20 s, so a line at the start, at most one
	// every 5 s, and at the end.
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(lines) < 3 || len(lines) > 8 {
		t.Errorf("progress off a terminal: %d lines, want a few:\n%s", len(lines), r.stderr)
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "import: Succeeded, 40 of 40 users (100%)") {
		t.Errorf("last progress line %q", last)
	}
}

// gateClock is the shared fake clock, except that its first Sleep blocks
// until its context ends, after saying so on sleeping: the command is then
// waiting for a job, and the test interrupts it.
type gateClock struct {
	*cognitoimporttest.Clock
	once     sync.Once
	sleeping chan struct{}
}

func (c *gateClock) Sleep(ctx context.Context, d time.Duration) error {
	first := false
	c.once.Do(func() { first = true })
	if !first {
		return c.Clock.Sleep(ctx, d)
	}
	close(c.sleeping)
	<-ctx.Done()
	return ctx.Err()
}

func TestInterrupt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		sig        os.Signal
		interrupts int
		flags      []string
		wantStatus string // the job's status on the server afterwards
		wantCode   int
		advance    time.Duration // the fake time that passes before the interrupts
	}{
		{"once leaves the job running", os.Interrupt, 1, nil, "InProgress", exitInterrupted, 0},
		{"twice stops the job", os.Interrupt, 2, nil, "Stopped", exitInterrupted, 0},
		{"once with --stop-on-interrupt stops the job", os.Interrupt, 1, []string{"--stop-on-interrupt"}, "Stopped", exitInterrupted, 0},
		// Half-way through a row, StopJob answers Stopping; the command
		// waits for Stopped and prints that.
		{"twice with --json prints the stopped job", os.Interrupt, 2, []string{"--json"}, "Stopped", exitInterrupted, 1500 * time.Millisecond},
		{"twice mid-row prints the stopped job", os.Interrupt, 2, nil, "Stopped", exitInterrupted, 1500 * time.Millisecond},
		// SIGTERM asks the command to end now: no grace, no prompt (the
		// fake clock would pass the grace at once, so a prompt shows as
		// the note below).
		{"SIGTERM ends at once and leaves the job running", syscall.SIGTERM, 1, nil, "InProgress", exitTerminated, 0},
		{"SIGTERM with --stop-on-interrupt stops the job", syscall.SIGTERM, 1, []string{"--stop-on-interrupt"}, "Stopped", exitTerminated, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, clk := newClockHarness(t, cognitoimporttest.WithImportRate(1))
			gate := &gateClock{Clock: clk, sleeping: make(chan struct{})}
			h.sys.clock = gate
			sigs := make(chan os.Signal, 2)
			h.sys.notify = func() (<-chan os.Signal, func()) { return sigs, func() {} }
			go func() {
				<-gate.sleeping
				clk.Advance(tc.advance)
				for range tc.interrupts {
					sigs <- tc.sig
				}
			}()
			file := writeFile(t, "users.csv", users(1000))
			args := append([]string{"import", "--pool", testPool, "--role", testRole, file}, tc.flags...)
			r := h.run(args...).want(t, tc.wantCode)
			r.wantNoCR(t)
			if tc.sig == syscall.SIGTERM && strings.Contains(r.stderr, "again within") {
				t.Errorf("SIGTERM offered the Ctrl-C grace:\n%s", r.stderr)
			}
			jobs := h.srv.Jobs(testPool)
			if len(jobs) != 1 {
				t.Fatalf("%d jobs, want 1", len(jobs))
			}
			job := jobs[0]
			got := string(job.Status)
			if got == "Pending" {
				got = "InProgress" // running either way
			}
			if got != tc.wantStatus {
				t.Errorf("job %s after the interrupt, want %s", job.Status, tc.wantStatus)
			}
			if !strings.Contains(r.stderr, job.JobID) {
				t.Errorf("stderr does not name the job:\n%s", r.stderr)
			}
			if tc.wantStatus == "InProgress" {
				for _, want := range []string{
					"cognitoimport wait --endpoint-url " + h.srv.URL + " --region us-east-1 --pool " + testPool + " --file " + file + " " + job.JobID,
					"cognitoimport stop --endpoint-url " + h.srv.URL + " --region us-east-1 --pool " + testPool + " " + job.JobID,
				} {
					if !strings.Contains(r.stderr, want) {
						t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
					}
				}
			} else if contains(tc.flags, "--json") {
				// The job as it ended, not StopJob's Stopping answer.
				var got jobJSON
				decode(t, r.stdout, &got)
				if got.Status != "Stopped" || got.CompletionDate == nil || got.ImportedUsers != job.ImportedUsers {
					t.Errorf("--json printed %+v, want the stopped job with its completion date and %d imported", got, job.ImportedUsers)
				}
			} else if !strings.Contains(r.stdout, job.JobID+" Stopped: 2 imported") && !(tc.advance == 0 && strings.Contains(r.stdout, job.JobID+" Stopped")) {
				t.Errorf("stdout does not report the stopped job:\n%s", r.stdout)
			}
		})
	}
}

// TestImportWhileActive: the service runs one job at a time; import
// refuses before it creates a job and uploads the file.
func TestImportWhileActive(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	h.srv.SeedJobs(testPool, 1)
	j := h.srv.Jobs(testPool)[0]
	j.Status = "InProgress"
	h.srv.SetJob(j)
	file := writeFile(t, "users.csv", users(2))
	for _, skip := range []string{"--skip-check=false", "--skip-check"} {
		r := h.run("import", skip, "--pool", testPool, "--role", testRole, file).want(t, exitFailed)
		for _, want := range []string{j.JobID, "InProgress", "no job created"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%s: stderr does not name %q:\n%s", skip, want, r.stderr)
			}
		}
		if n := len(h.srv.Jobs(testPool)); n != 1 {
			t.Errorf("%s: the pool has %d jobs, want 1: import created one", skip, n)
		}
	}
}

// TestImportSkippedHint: a job that Succeeded with skipped rows exits 0
// and says where the reasons are.
func TestImportSkippedHint(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "users.csv", users(2))
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	if strings.Contains(r.stderr, "CloudWatch") {
		t.Errorf("a clean import points at the logs:\n%s", r.stderr)
	}
	more := writeFile(t, "more.csv", users(20)) // user1 and user2 exist: skipped
	r = h.run("import", "--pool", testPool, "--role", testRole, "--name", "again", more).want(t, exitOK)
	job := h.srv.Jobs(testPool)[0]
	if !strings.Contains(r.stdout, job.JobID+" Succeeded: 18 imported, 2 skipped") {
		t.Fatalf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "CloudWatch Logs stream "+job.JobID+"/again") {
		t.Errorf("stderr does not say where the reasons are:\n%s", r.stderr)
	}
}

// TestWaitCreated: a job that was never started would not end until it
// expires, a day later; wait refuses it at once and does not suggest
// stopping it, which the service refuses for a job that is not running.
func TestWaitCreated(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	h.srv.SeedJobs(testPool, 1)
	id := h.srv.Jobs(testPool)[0].JobID
	r := h.run("wait", "--pool", testPool, id).want(t, exitFailed)
	r.oneLineError(t, id, "Created", "never started")
	if r.stdout != "" {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if got := h.srv.Jobs(testPool)[0].Status; got != "Created" {
		t.Errorf("the job is %s after wait, want it left Created", got)
	}
}

// TestUploadRetry: a transient S3 failure is retried, and the progress says
// so rather than showing the same 100% line twice.
func TestUploadRetry(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	h.srv.FailNext(cognitoimporttest.Upload, cognitoimporttest.Error{Code: "InternalError", Message: "We encountered an internal error.", StatusCode: 500}, 1)
	file := writeFile(t, "users.csv", sample)
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	if !strings.Contains(r.stderr, "upload: retry 1, ") {
		t.Errorf("stderr does not show the retry:\n%s", r.stderr)
	}
}

func TestUploadError(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	h.srv.FailNext(cognitoimporttest.Upload, cognitoimporttest.Error{Code: "AccessDenied", Message: "Access Denied", StatusCode: 403}, 1)
	file := writeFile(t, "users.csv", sample)
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitFailed)
	last := r.stderr[strings.LastIndex(strings.TrimSuffix(r.stderr, "\n"), "\n")+1:]
	if !strings.HasPrefix(last, "cognitoimport import: "+file+": upload: AccessDenied") || strings.Count(last, "upload") != 1 || strings.Count(last, "\n") != 1 {
		t.Errorf("the error line %q does not name the file, then the S3 error code, saying upload once", last)
	}
	if !strings.Contains(r.stderr, "created but not started") {
		t.Errorf("stderr does not say the job was left unstarted:\n%s", r.stderr)
	}
}

// signalOn is an io.Writer that closes seen once what was written holds
// want.
type signalOn struct {
	want string
	seen chan struct{}
	mu   sync.Mutex
	buf  strings.Builder
	once sync.Once
}

func (w *signalOn) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

// TestInterruptUpload interrupts the command while the server holds the
// upload: the job is left Created, never started, and the command says so.
func TestInterruptUpload(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	h.srv.DelayNext(cognitoimporttest.Upload, time.Hour, 1) // held until the test's server closes
	sigs := make(chan os.Signal, 1)
	h.sys.notify = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	uploading := &signalOn{want: "upload: ", seen: make(chan struct{})}
	h.stderrTee = uploading
	go func() {
		<-uploading.seen
		sigs <- os.Interrupt
	}()
	file := writeFile(t, "users.csv", sample)
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitInterrupted)
	jobs := h.srv.Jobs(testPool)
	if len(jobs) != 1 || jobs[0].Status != "Created" {
		t.Fatalf("jobs after the interrupt: %+v, want one Created", jobs)
	}
	if !strings.Contains(r.stderr, "interrupted: job "+jobs[0].JobID+" was created but not started") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout: %s", r.stdout)
	}
}

// TestImportStartLost: the command runs the import through the library, so
// a StartUserImportJob without an answer is confirmed with
// DescribeUserImportJob before the command says the job did not start.
func TestImportStartLost(t *testing.T) {
	t.Parallel()

	// Every attempt dropped by the server before it applied the start
	// (DropNext, the SDK's three): the job is Created, and the command
	// says so only after asking.
	h, _ := newClockHarness(t)
	h.srv.DropNext(cognitoimporttest.StartUserImportJob, 3)
	file := writeFile(t, "users.csv", sample)
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitFailed)
	job := h.srv.Jobs(testPool)[0]
	if job.Status != cognitoimporttest.StatusCreated || !strings.Contains(r.stderr, "job "+job.JobID+" was created but not started") {
		t.Errorf("job %s; stderr:\n%s", job.Status, r.stderr)
	}
	if n := len(h.srv.Calls(cognitoimporttest.DescribeUserImportJob)); n != 1 {
		t.Errorf("%d DescribeUserImportJob calls after the lost start, want 1 to confirm it", n)
	}

	// The server applied the start and the answer was lost on the way
	// (a narrow HTTP client wrapper: DropNext drops a request before the
	// server applies it). The SDK's retry is refused, the job being
	// Pending; the command asks, finds it started, and waits for it.
	h, _ = newClockHarness(t)
	lost := &answerLost{op: "StartUserImportJob"}
	h.sys.sdkOptions = append(h.sys.sdkOptions, func(o *cognitoidentityprovider.Options) {
		lost.hc = o.HTTPClient
		o.HTTPClient = lost
	})
	r = h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	job = h.srv.Jobs(testPool)[0]
	if job.Status != cognitoimporttest.StatusSucceeded || !lost.dropped || strings.Contains(r.stderr, "not started") {
		t.Errorf("job %s, answer dropped %v; stderr:\n%s", job.Status, lost.dropped, r.stderr)
	}
}

// answerLost passes requests to hc, and loses the answer to the first
// request for op after the server applied it, as a broken connection does.
type answerLost struct {
	hc      cognitoidentityprovider.HTTPClient
	op      string
	mu      sync.Mutex
	dropped bool
}

func (c *answerLost) Do(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	drop := !c.dropped && strings.HasSuffix(req.Header.Get("X-Amz-Target"), "."+c.op)
	c.dropped = c.dropped || drop
	c.mu.Unlock()
	resp, err := c.hc.Do(req)
	if drop && err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return resp, err
}

// TestWaitTotal: wait --file counts the imported file's users, so that the
// progress has a total (a percentage, the time left); without it, wait says
// once that the total is unknown.
func TestWaitTotal(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t, cognitoimporttest.WithImportRate(2))
	file := writeFile(t, "users.csv", users(40))
	r := h.run("import", "--no-wait", "--json", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	var job jobJSON
	decode(t, r.stdout, &job)
	r = h.run("wait", "--pool", testPool, "--file", file, job.JobID).want(t, exitOK)
	if !strings.Contains(r.stderr, "import: Succeeded, 40 of 40 users (100%)") || strings.Contains(r.stderr, "unknown") {
		t.Errorf("wait --file: stderr:\n%s", r.stderr)
	}

	other := writeFile(t, "other.csv", strings.ReplaceAll(users(20), "\nuser", "\nother"))
	r = h.run("import", "--no-wait", "--json", "--pool", testPool, "--role", testRole, other).want(t, exitOK)
	decode(t, r.stdout, &job)
	r = h.run("wait", "--pool", testPool, job.JobID).want(t, exitOK)
	if n := strings.Count(r.stderr, "unknown"); n != 1 || strings.Contains(r.stderr, "%") {
		t.Errorf("wait without --file says the total is unknown %d times, want once, and no percentage:\n%s", n, r.stderr)
	}
}

// TestImportPoolNotDescribed: a caller who may read the pool's header but
// not describe the pool imports with the generic rules, and import says so.
func TestImportPoolNotDescribed(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	h.srv.FailNext(cognitoimporttest.DescribeUserPool, cognitoimporttest.Error{Code: "NotAuthorizedException", Message: "not allowed", StatusCode: 400}, 1)
	file := writeFile(t, "users.csv", sample)
	r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	if !strings.Contains(r.stderr, "note: could not read the settings of pool "+testPool) {
		t.Errorf("stderr does not say the generic rules were used:\n%s", r.stderr)
	}
	if n := len(h.srv.Calls(cognitoimporttest.GetCSVHeader)); n != 1 {
		t.Errorf("%d GetCSVHeader calls, want 1: the settings read once", n)
	}
}
