package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The results tests run the command in-process against the test server
// (the same server cmd/cognitoimport-server runs), which serves the jobs'
// logs over CloudWatch Logs' API on its endpoint.

const autoVerifiedReason = "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."

// resultsFile returns a file of n rows: user1 to usern, the rows of the
// users in failing set no verified attribute true.
func resultsFile(n int, failing ...int) string {
	var b strings.Builder
	b.WriteString(sampleHeader + "\n")
	for i := 1; i <= n; i++ {
		name := "user" + strconv.Itoa(i)
		verified := "TRUE"
		for _, f := range failing {
			if f == i {
				verified = "FALSE"
			}
		}
		b.WriteString(name + ",,Given,Family,,,,,,," + name + "@example.com," + verified + ",,,,,,FALSE,,,FALSE\n")
	}
	return b.String()
}

func TestImportShowsResults(t *testing.T) {
	t.Parallel()
	pool := cognitoimporttest.PoolConfig{ID: testPool, Name: "Staff"}
	h, _ := newClockHarness(t, cognitoimporttest.WithUserPool(pool))
	h.srv.AddUser(testPool, cognitoimporttest.User{Username: "user2", Attributes: map[string]string{"email": "user2@example.com"}})
	content := resultsFile(30, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 30, 4, 6, 8, 10, 12, 14) // 21 failed
	file := writeFile(t, "users.csv", content)
	r := h.run("import", "--skip-check", "--pool", testPool, "--role", testRole, "--name", "first", file).want(t, exitOK)
	job := h.srv.Jobs(testPool)[0]
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if !strings.HasSuffix(lines[0], "Succeeded: 8 imported, 1 skipped, 21 failed") {
		t.Fatalf("stdout:\n%s", r.stdout)
	}
	// The first 20 rows not imported, in the log's order, then what is left
	// and the summary.
	if want := file + ":3: user2: The user already exists."; lines[2] != want {
		t.Errorf("the first row: %q, want %q", lines[2], want)
	}
	if want := file + ":4: user3: " + autoVerifiedReason; lines[3] != want {
		t.Errorf("the second row: %q, want %q", lines[3], want)
	}
	if n := strings.Count(r.stdout, file+":"); n != 20 {
		t.Errorf("%d rows shown, want 20:\n%s", n, r.stdout)
	}
	for _, want := range []string{
		"... and 2 more rows: cognitoimport results --endpoint-url ",
		"summary: 8 imported, 1 skipped, 21 failed\n",
		"      21 failed: " + autoVerifiedReason + " (lines 4, 5, 6, 7, 8, ...)\n",
		"       1 skipped: The user already exists. (line 3)\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	failed := filepath.Join(filepath.Dir(file), "users.failed.csv")
	for _, want := range []string{
		"wrote the header and the 21 failed rows to " + failed + ": fix them and import it",
		"CloudWatch Logs stream " + job.JobID + "/first, in the pool's log group /aws/cognito/userpools/" + testPool + "/Staff",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	got, err := os.ReadFile(failed)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != retryOf(content) {
		t.Errorf("users.failed.csv:\n%s", got)
	}

	// The retry file is kept, unless --force.
	os.WriteFile(failed, []byte("mine"), 0o600)
	r = h.run("import", "--skip-check", "--pool", testPool, "--role", testRole, "--name", "second", file).want(t, exitFailed)
	if !strings.Contains(r.stderr, failed+" exists: not overwritten (--force overwrites it)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if b, _ := os.ReadFile(failed); string(b) != "mine" {
		t.Errorf("the existing retry file was overwritten")
	}
	h.run("wait", "--force", "--file", file, "--pool", testPool, job.JobID).want(t, exitOK)
	if b, _ := os.ReadFile(failed); string(b) != string(got) {
		t.Errorf("wait --force --file did not write the retry file:\n%s", b)
	}
}

// retryOf returns the header of a file of resultsFile and its failing rows.
func retryOf(file string) string {
	lines := strings.SplitAfter(file, "\n")
	out := lines[0]
	for _, l := range lines[1:] {
		if strings.Contains(l, "@example.com,FALSE,") {
			out += l
		}
	}
	return out
}

func TestResultsCommand(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	content := resultsFile(4, 2, 4)
	file := writeFile(t, "users.csv", content)
	h.run("import", "--skip-check", "--json", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	job := h.srv.Jobs(testPool)[0]

	r := h.run("results", "--pool", testPool, job.JobID, "--file", file).want(t, exitFailed)
	want := file + ":3: user2: " + autoVerifiedReason + "\n" + file + ":5: user4: " + autoVerifiedReason + "\n" +
		"summary: 2 imported, 0 skipped, 2 failed\n" +
		"       2 failed: " + autoVerifiedReason + " (lines 3, 5)\n"
	if r.stdout != want {
		t.Errorf("results --file:\n%s\nwant:\n%s", r.stdout, want)
	}
	r = h.run("results", "--pool", testPool, job.JobID).want(t, exitFailed)
	if !strings.HasPrefix(r.stdout, "line 3: "+autoVerifiedReason+"\nline 5: ") {
		t.Errorf("results without --file:\n%s", r.stdout)
	}

	r = h.run("results", "--json", "--pool", testPool, job.JobID, "--file", file).want(t, exitFailed)
	var rows []rowJSON
	decode(t, r.stdout, &rows)
	if len(rows) != 2 || rows[0] != (rowJSON{Line: 3, Outcome: "FAILED", Reason: autoVerifiedReason, Username: "user2"}) || rows[1].Line != 5 {
		t.Errorf("results --json: %+v", rows)
	}

	out := filepath.Join(t.TempDir(), "retry.csv")
	h.run("results", "--pool", testPool, job.JobID, "--file", file, "--failed-out", out).want(t, exitFailed)
	if b, err := os.ReadFile(out); err != nil || string(b) != retryOf(content) {
		t.Errorf("--failed-out wrote %q, %v", b, err)
	}
	h.run("results", "--pool", testPool, job.JobID, "--failed-out", out).want(t, exitUsage)

	// A file that is not the job's is refused.
	other := writeFile(t, "other.csv", resultsFile(3))
	r = h.run("results", "--pool", testPool, job.JobID, "--file", other).want(t, exitFailed)
	r.oneLineError(t, other, "not the users file of job "+job.JobID, "3 user rows, the job processed 4")

	// A job not started has no log yet.
	h.srv.SeedJobs(testPool, 1)
	created := h.srv.Jobs(testPool)[0]
	r = h.run("results", "--pool", testPool, created.JobID).want(t, exitFailed)
	r.oneLineError(t, "does not exist (yet", created.JobID)
}

// TestResultsRunningJob: the rows a running job has not reached are not
// reported as missing from its log.
func TestResultsRunningJob(t *testing.T) {
	t.Parallel()
	h, clk := newClockHarness(t, cognitoimporttest.WithImportRate(1))
	file := writeFile(t, "users.csv", resultsFile(5, 1, 4))
	h.run("import", "--no-wait", "--skip-check", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	job := h.srv.Jobs(testPool)[0]
	clk.Advance(2500 * time.Millisecond) // rows 1 and 2 done
	r := h.run("results", "--pool", testPool, job.JobID, "--file", file).want(t, exitFailed)
	if want := file + ":2: user1: " + autoVerifiedReason + "\nsummary: 1 imported, 0 skipped, 1 failed\n"; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("stdout:\n%s\nwant it to start with:\n%s", r.stdout, want)
	}
	for _, want := range []string{"job " + job.JobID + " is InProgress: these are the rows done so far", "3 rows of " + file + " are still to be imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}
