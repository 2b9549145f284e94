package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// seedJobs gives the pool three jobs whose creation dates are out of order
// in the server's list, one of them ended, and returns their IDs newest
// first.
func seedJobs(t *testing.T, srv *cognitoimporttest.Server) []string {
	t.Helper()
	srv.SeedJobs(testPool, 3)
	jobs := srv.Jobs(testPool) // newest first
	done := jobs[1]
	done.Status = "Succeeded"
	done.StartDate = done.CreationDate.Add(time.Minute)
	done.CompletionDate = done.CreationDate.Add(2 * time.Minute)
	done.CompletionMessage = "Import Job Completed Successfully."
	done.ImportedUsers, done.SkippedUsers, done.FailedUsers = 5, 1, 2
	srv.SetJob(done)
	return []string{jobs[0].JobID, jobs[1].JobID, jobs[2].JobID}
}

func TestJobsTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ids := seedJobs(t, h.srv)
	r := h.run("jobs", "--pool", testPool).want(t, exitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want a header and 3 rows:\n%s", r.stdout)
	}
	if !strings.HasPrefix(lines[0], "JOB ID") {
		t.Errorf("header line %q", lines[0])
	}
	// Aligned: every column starts at the same offset on every line.
	col := strings.Index(lines[0], "STATUS")
	for i, id := range ids {
		line := lines[i+1]
		if !strings.HasPrefix(line, id+" ") {
			t.Errorf("row %d = %q, want job %s (newest first)", i, line, id)
		}
		if len(line) <= col || line[col-1] != ' ' || line[col] == ' ' {
			t.Errorf("row %d not aligned with the header's STATUS column:\n%s\n%s", i, lines[0], line)
		}
	}
	if f := strings.Fields(lines[2]); f[2] != "Succeeded" || strings.Join(f[len(f)-3:], " ") != "5 1 2" {
		t.Errorf("the ended job's row %q lacks its status and counts", lines[2])
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestJobsFlagsAnywhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	seedJobs(t, h.srv)
	want := h.run("jobs", "--pool", testPool).want(t, exitOK).stdout
	for _, args := range [][]string{
		{"--region", h.srv.Region(), "jobs", "--pool=" + testPool, "--endpoint-url=" + h.srv.URL},
		{"--endpoint-url", h.srv.URL, "--region", h.srv.Region(), "jobs", "--pool", testPool},
	} {
		if got := h.runRaw(args...).want(t, exitOK).stdout; got != want {
			t.Errorf("%q printed\n%s\nwant\n%s", args, got, want)
		}
	}
}

func TestJobsJSON(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ids := seedJobs(t, h.srv)
	r := h.run("jobs", "--pool", testPool, "--json").want(t, exitOK)
	if strings.Contains(r.stdout, "PreSignedUrl") || strings.Contains(r.stdout, "X-Amz-") {
		t.Errorf("--json shows the pre-signed URL:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "0001-01-01") {
		t.Errorf("--json shows a zero date:\n%s", r.stdout)
	}
	var jobs []jobJSON
	decode(t, r.stdout, &jobs)
	if len(jobs) != 3 {
		t.Fatalf("got %d jobs, want 3", len(jobs))
	}
	for i, j := range jobs {
		if j.JobID != ids[i] || j.UserPoolID != testPool || j.CreationDate == nil {
			t.Errorf("job %d = %+v, want %s newest first with its pool and creation date", i, j, ids[i])
		}
	}
	done := jobs[1]
	if done.Status != "Succeeded" || done.StartDate == nil || done.CompletionDate == nil ||
		done.ImportedUsers != 5 || done.SkippedUsers != 1 || done.FailedUsers != 2 ||
		done.CompletionMessage != "Import Job Completed Successfully." {
		t.Errorf("ended job = %+v", done)
	}
	if jobs[0].StartDate != nil || jobs[0].CompletionDate != nil {
		t.Errorf("a Created job has dates it never had: %+v", jobs[0])
	}
	// The member names are the service's, and the dates RFC 3339.
	var raw []map[string]any
	decodeAny(t, r.stdout, &raw)
	for _, member := range []string{"JobId", "JobName", "UserPoolId", "Status", "CreationDate", "StartDate", "CompletionDate",
		"CompletionMessage", "ImportedUsers", "SkippedUsers", "FailedUsers", "CloudWatchLogsRoleArn"} {
		if _, ok := raw[1][member]; !ok {
			t.Errorf("member %s missing from %v", member, raw[1])
		}
	}
	if s, _ := raw[1]["CompletionDate"].(string); s == "" {
		t.Errorf("CompletionDate is not a string: %v", raw[1]["CompletionDate"])
	} else if _, err := time.Parse(time.RFC3339, s); err != nil {
		t.Errorf("CompletionDate %q is not RFC 3339: %v", s, err)
	}
}

func TestJobsEmpty(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.run("jobs", "--pool", testPool, "--json").want(t, exitOK)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("jobs --json of an empty pool printed %q, want []", r.stdout)
	}
	r = h.run("jobs", "--pool", testPool).want(t, exitOK)
	if r.stdout != "" || !strings.Contains(r.stderr, "no import jobs") {
		t.Errorf("stdout %q, stderr %q", r.stdout, r.stderr)
	}
}

func TestServiceError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.run("jobs", "--pool", "us-east-1_nothere").want(t, exitFailed)
	r.oneLineError(t, "ResourceNotFoundException", "us-east-1_nothere")
	if strings.Count(r.stderr, "cognitoimport") != 1 {
		t.Errorf("the error repeats the command's name: %s", r.stderr)
	}

	h.srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "NotAuthorizedException", Message: "you shall not pass"}, 1)
	r = h.run("jobs", "--pool", testPool).want(t, exitFailed)
	r.oneLineError(t, "NotAuthorizedException", "you shall not pass")
}

// TestPasswordHashingAlgorithm: import passes --password-hashing-algorithm
// to CreateUserImportJob after the library checked it against the
// service's four, and describe and jobs --json show a job's algorithm.
func TestPasswordHashingAlgorithm(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "users.csv", sample)
	h.run("import", "--pool", testPool, "--role", testRole, "--password-hashing-algorithm", "MD5", file).want(t, exitUsage).
		oneLineError(t, "invalid --password-hashing-algorithm: PasswordHashingAlgorithm must be one of BCRYPT, SCRYPT, ARGON2ID, PBKDF2_SHA256")
	if n := len(h.srv.Calls(cognitoimporttest.CreateUserImportJob)); n != 0 {
		t.Errorf("an unknown algorithm sent %d CreateUserImportJob requests", n)
	}

	h.run("import", "--no-wait", "--pool", testPool, "--role", testRole, "--password-hashing-algorithm", "ARGON2ID", file).want(t, exitOK)
	calls := h.srv.Calls(cognitoimporttest.CreateUserImportJob)
	if len(calls) != 1 {
		t.Fatalf("%d CreateUserImportJob requests, want 1", len(calls))
	}
	if in, ok := calls[0].Input.(*cognitoidentityprovider.CreateUserImportJobInput); !ok || in.PasswordHashingAlgorithm != "ARGON2ID" {
		t.Errorf("CreateUserImportJob carried %+v, want PasswordHashingAlgorithm ARGON2ID", calls[0].Input)
	}

	// The algorithm comes back from the service: describe and jobs --json
	// show it.
	id := h.srv.Jobs(testPool)[0].JobID
	r := h.run("describe", "--pool", testPool, id).want(t, exitOK)
	if !strings.Contains(r.stdout, "PasswordHashingAlgorithm: ARGON2ID\n") {
		t.Errorf("describe:\n%s", r.stdout)
	}
	r = h.run("jobs", "--json", "--pool", testPool).want(t, exitOK)
	var listed []jobJSON
	decode(t, r.stdout, &listed)
	if len(listed) != 1 || listed[0].PasswordHashingAlgorithm != "ARGON2ID" {
		t.Errorf("jobs --json = %+v, want the job with PasswordHashingAlgorithm ARGON2ID", listed)
	}

	// A job without one: the member is left out.
	j := cognitoimport.Job{JobID: "import-x", Status: cognitoimport.StatusCreated, PasswordHashingAlgorithm: cognitoimport.PasswordHashingScrypt}
	var out bytes.Buffer
	if err := writeJob(&out, j); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "PasswordHashingAlgorithm: SCRYPT\n") {
		t.Errorf("describe:\n%s", out.String())
	}
	out.Reset()
	if err := writeJSON(&out, newJobJSON(j)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"PasswordHashingAlgorithm": "SCRYPT"`) {
		t.Errorf("--json:\n%s", out.String())
	}
	j.PasswordHashingAlgorithm = ""
	out.Reset()
	if err := writeJSON(&out, newJobJSON(j)); err != nil || strings.Contains(out.String(), "PasswordHashingAlgorithm") {
		t.Errorf("--json of a job without an algorithm:\n%s", out.String())
	}
}
