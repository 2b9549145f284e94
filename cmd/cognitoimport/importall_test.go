package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The command cannot lower the library's limits of a part (its hook is in
// a test file of the root package), so these tests import a small file in
// one part through the journal path, which --journal, or an existing
// journal beside the file, selects; the splitting itself is the library's,
// tested there.

// TestImportJournal: with --journal the import says where the journal is,
// runs the file as one part named after the file and its modification time,
// and run again imports nothing; an existing default journal beside the
// file is picked up without --journal.
func TestImportJournal(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "users.csv", users(5))
	journal := file + ".import.json"
	args := []string{"import", "--pool", testPool, "--role", testRole, "--journal", journal, file}
	r := h.run(args...).want(t, exitOK)
	r.wantNoCR(t)
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	name := defaultJobName(file, info.ModTime())
	for _, want := range []string{
		"journal: " + journal + "; if the import stops, run the same command again to go on",
		file + ": 5 users in 1 part",
		"part 1 of 1: created job import-",
		"(" + name + ")",
		"import: Succeeded, 5 of 5 users (100%) part 1 of 1",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, " Succeeded: 5 imported, 0 skipped, 0 failed") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if data, err := os.ReadFile(journal); err != nil || !json.Valid(data) {
		t.Errorf("journal %s: %v", journal, err)
	}
	jobs := h.srv.Jobs(testPool)
	if len(jobs) != 1 || jobs[0].JobName != name {
		t.Fatalf("jobs: %+v, want one named %q", jobs, name)
	}

	// Again, without --journal: the journal beside the file is found, the
	// part is done, nothing is sent to import; --json prints its job.
	r = h.run("import", "--json", "--pool", testPool, "--role", testRole, file).want(t, exitOK)
	var job jobJSON
	decode(t, r.stdout, &job)
	if job.JobID != jobs[0].JobID || job.Status != "Succeeded" || job.ImportedUsers != 5 {
		t.Errorf("second run --json: %+v", job)
	}
	if n := len(h.srv.Jobs(testPool)); n != 1 {
		t.Errorf("%d jobs after the second run, want 1", n)
	}
	if !strings.Contains(r.stderr, "the same command again imports nothing") {
		t.Errorf("second run's stderr:\n%s", r.stderr)
	}

	// A journal of another import is refused, with its reason.
	r = h.run("import", "--pool", testPool, "--role", testRole, "--name", "other", file).want(t, exitFailed)
	if !strings.Contains(r.stderr, "journal "+journal+" does not match this import") || !strings.Contains(r.stderr, `not "other"`) {
		t.Errorf("another import's journal:\n%s", r.stderr)
	}
	// --no-wait and --skip-check import one job.
	h.run("import", "--pool", testPool, "--role", testRole, "--no-wait", file).want(t, exitUsage)
}

// TestImportInParts: --part-users imports a file in several parts, one job
// each, with the journal beside the file; --json prints the parts' jobs; a
// --part-users out of range is a usage error.
func TestImportInParts(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "users.csv", users(5))
	r := h.run("import", "--json", "--pool", testPool, "--role", testRole, "--part-users", "2", file).want(t, exitOK)
	var jobs []jobJSON
	decode(t, r.stdout, &jobs)
	var got []int64
	for _, j := range jobs {
		if j.Status != "Succeeded" {
			t.Errorf("job %+v, want Succeeded", j)
		}
		got = append(got, j.ImportedUsers)
	}
	if !slices.Equal(got, []int64{2, 2, 1}) {
		t.Errorf("--json: jobs imported %v users, want [2 2 1]", got)
	}
	for _, want := range []string{"journal: " + file + ".import.json", file + ": 5 users in 3 parts", "part 3 of 3: created job import-"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := len(h.srv.Users(testPool)); n != 5 {
		t.Errorf("%d users in the pool, want 5", n)
	}
	for _, bad := range []string{"-1", "500001"} {
		h.run("import", "--pool", testPool, "--role", testRole, "--part-users", bad, file).want(t, exitUsage)
	}
}

// TestImportJournalInterrupted: Ctrl-C while a part's job runs leaves the
// job running, leaves the journal, and says to run the same command again;
// that command waits for the same job, starts no other, and ends.
func TestImportJournalInterrupted(t *testing.T) {
	t.Parallel()
	h, clk := newClockHarness(t, cognitoimporttest.WithImportRate(1))
	gate := &runningClock{Clock: clk, srv: h.srv, pool: testPool, sleeping: make(chan struct{})}
	h.sys.clock = gate
	sigs := make(chan os.Signal, 1)
	h.sys.notify = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	go func() {
		<-gate.sleeping
		sigs <- os.Interrupt
	}()
	dir := t.TempDir()
	file := filepath.Join(dir, "users.csv")
	if err := os.WriteFile(file, []byte(users(20)), 0o600); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, "j.json")
	args := []string{"import", "--pool", testPool, "--role", testRole, "--journal", journal, file}
	r := h.run(args...).want(t, exitInterrupted)
	jobs := h.srv.Jobs(testPool)
	if len(jobs) != 1 || string(jobs[0].Status) != "InProgress" {
		t.Fatalf("jobs after the interrupt: %+v, want one running", jobs)
	}
	resume := "to go on with the import, run the same command again: cognitoimport import --endpoint-url " + h.srv.URL + " --region us-east-1 --pool " + testPool +
		" --role " + testRole + " --journal " + journal + " " + file
	for _, want := range []string{resume, "no longer waiting for job " + jobs[0].JobID} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}

	h.sys.clock = clk
	r = h.run(args...).want(t, exitOK)
	if jobs := h.srv.Jobs(testPool); len(jobs) != 1 || string(jobs[0].Status) != "Succeeded" {
		t.Errorf("jobs after the second run: %+v, want the first one, Succeeded", jobs)
	}
	if n := len(h.srv.Users(testPool)); n != 20 {
		t.Errorf("%d users in the pool, want 20", n)
	}
	if !strings.Contains(r.stdout, jobs[0].JobID+" Succeeded: 20 imported") {
		t.Errorf("second run's stdout:\n%s", r.stdout)
	}
}

// TestPartResults: the rows of a later part's job come with the lines of
// the whole file. The command cannot make ImportAll cut a small file, so
// the part is written here as ImportAll would record the second part of a
// file whose part 1 held lines 2 to 101: the job, imported with --skip-check
// from a file of its own, holds that part's rows.
func TestPartResults(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "part2.csv", resultsFile(5, 3))
	h.run("import", "--skip-check", "--pool", testPool, "--role", testRole, "--name", "big - part 2 of 2", file).want(t, exitOK)
	job := h.srv.Jobs(testPool)[0]
	var stdout, stderr strings.Builder
	a := &app{stdout: &stdout, stderr: &stderr, sys: h.sys, endpointURL: h.srv.URL, region: h.srv.Region()}
	c, err := a.client(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	part := cognitoimport.Part{Number: 2, FirstLine: 102, LastLine: 106, StartLine: 102, Users: 5,
		JobID: job.JobID, Status: cognitoimport.StatusSucceeded, ImportedUsers: 4, FailedUsers: 1}
	r := &partsRun{a: a, c: c, file: "big.csv", o: importOptions{pool: testPool}}
	r.showPartResults(t.Context(), []cognitoimport.Part{{Number: 1, FirstLine: 2, LastLine: 101, StartLine: 2, Users: 100, Status: cognitoimport.StatusSucceeded}, part})
	// user3 is line 4 of the job's file: line 104 of the whole file.
	for _, want := range []string{"big.csv:104: " + autoVerifiedReason + "\n", "summary: 4 imported, 0 skipped, 1 failed\n", "(line 104)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
}
