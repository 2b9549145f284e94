package cognitoimport_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestGuideCases checks the texts that IMPORT.md quotes from the developer
// guide and recorded responses, written out here rather than taken from the
// shared rules table (internal/usersfile), which CheckFile and the test
// server both use: the guide's sample imports both users; the job log's
// lines for a success, a skip and a row with no auto-verified attribute
// true; and the recorded CompletionMessage of each ending.
func TestGuideCases(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	run := func(file string) *cognitoimport.Job {
		t.Helper()
		job := e.createUploaded(t, file)
		if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
			t.Fatal(err)
		}
		final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
		if err != nil {
			t.Fatal(err)
		}
		return final
	}
	checkLog := func(what string, job *cognitoimport.Job, want ...string) {
		t.Helper()
		if got := e.srv.JobLog(testPool, job.JobID); !slices.Equal(got, want) {
			t.Errorf("%s: job log %q, want %q", what, got, want)
		}
	}

	// The guide's sample: CheckFile finds nothing, both users import.
	if n, err := cognitoimport.CheckFile(strings.NewReader(sampleFile), cognitoimport.DefaultPoolSettings(testPool), cognitoimport.CheckOptions{}); n != 2 || err != nil {
		t.Errorf("CheckFile(the guide's sample) = %d, %v; want 2 users, no problem", n, err)
	}
	job := run(sampleFile)
	if job.Status != cognitoimport.StatusSucceeded || job.ImportedUsers != 2 || job.CompletionMessage != "Import Job Completed Successfully." {
		t.Errorf("the guide's sample: %+v; want Succeeded, 2 imported, %q", job, "Import Job Completed Successfully.")
	}
	checkLog("the guide's sample", job,
		"[SUCCEEDED] Line Number 2 - The import succeeded.",
		"[SUCCEEDED] Line Number 3 - The import succeeded.")

	// The same users again: skipped, and the job fails.
	job = run(sampleFile)
	if job.Status != cognitoimport.StatusFailed || job.SkippedUsers != 2 || job.CompletionMessage != "Too many users have failed or been skipped during the import." {
		t.Errorf("the sample again: %+v; want Failed, 2 skipped, the recorded message", job)
	}
	checkLog("the sample again", job,
		"[SKIPPED] Line Number 2 - The user already exists.",
		"[SKIPPED] Line Number 3 - The user already exists.")

	// No auto-verified attribute true: both rows fail with the guide's text.
	const noAutoVerified = "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."
	_, err := cognitoimport.CheckFile(strings.NewReader(failingFile), cognitoimport.DefaultPoolSettings(testPool), cognitoimport.CheckOptions{})
	fe := as[*cognitoimport.FileError](t, err)
	if fe.Total != 2 || fe.Problems[0].Line != 2 || fe.Problems[1].Line != 3 {
		t.Errorf("CheckFile(failing) = %+v; want problems on lines 2 and 3", fe)
	}
	job = run(failingFile)
	if job.Status != cognitoimport.StatusFailed || job.FailedUsers != 2 || job.CompletionMessage != "Too many users have failed or been skipped during the import." {
		t.Errorf("failing file: %+v; want Failed, 2 failed, the recorded message", job)
	}
	checkLog("failing file", job,
		"[FAILED] Line Number 2 - "+noAutoVerified,
		"[FAILED] Line Number 3 - "+noAutoVerified)

	// Stopped by the caller.
	slow := newClocked(t, cognitoimporttest.WithImportRate(1.0/60)) // one user a minute: still running when stopped
	sj := slow.createUploaded(t, sampleFile)
	if _, err := slow.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: sj.JobID}); err != nil {
		t.Fatal(err)
	}
	stopped, err := slow.client.StopJob(t.Context(), cognitoimport.StopJobInput{UserPoolID: testPool, JobID: sj.JobID})
	if err != nil {
		t.Fatal(err)
	}
	if stopped, err = slow.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: stopped.JobID}); err != nil {
		t.Fatal(err)
	}
	if stopped.Status != cognitoimport.StatusStopped || stopped.CompletionMessage != "The Import Job was stopped by the developer." {
		t.Errorf("stopped: %+v; want Stopped, %q", stopped, "The Import Job was stopped by the developer.")
	}

	// Never started: it expires.
	ej := createJob(t, slow.client, "expires")
	slow.clk.Advance(49 * time.Hour)
	expired, err := slow.client.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: ej.JobID})
	if err != nil {
		t.Fatal(err)
	}
	if expired.Status != cognitoimport.StatusExpired || expired.CompletionMessage != "The user import job has expired." {
		t.Errorf("expired: %+v; want Expired, %q", expired, "The user import job has expired.")
	}
}
