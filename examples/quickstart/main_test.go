package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestRun runs the quickstart's job against the test server, as
// `go run ./examples/quickstart` does, and checks each step's outcome.
func TestRun(t *testing.T) {
	const pool = "us-east-1_quickstart"
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(pool))
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	err := run(context.Background(), &out, cognitoimport.NewFromConfig(srv.Config()), pool,
		"arn:aws:iam::123456789012:role/CognitoImportLogs", strings.NewReader(sampleUsers))
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"21 columns, auto-verified [email], MFA OFF",
		"from DescribeUserPool: true",
		"uploaded " + strconv.Itoa(len(sampleUsers)) + " bytes",
		"Succeeded  imported 2, skipped 0, failed 0",
		"Succeeded: Import Job Completed Successfully.",
		"imported 2 users",
		"   1 job\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "X-Amz-Signature") {
		t.Errorf("the output shows a pre-signed URL's credentials:\n%s", out.String())
	}
	jobs := srv.Jobs(pool)
	if len(jobs) != 1 || jobs[0].ImportedUsers != 2 {
		t.Errorf("the pool holds %+v, want one job with 2 users imported", jobs)
	}
}

// TestRunFile imports a file named with -file into the test server, and
// reports a file that breaks the pool's rules without creating a job.
func TestRunFile(t *testing.T) {
	importRate = math.Inf(1) // the job is done at the first look: no wait
	dir := t.TempDir()
	good := filepath.Join(dir, "users.csv")
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(good, []byte(sampleUsers), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.ReplaceAll(sampleUsers, "TRUE", "FALSE")), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := cli([]string{"-file", good}, &stdout, &stderr); code != 0 {
		t.Errorf("-file %s: exit %d\n%s%s", good, code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	code := cli([]string{"-file", bad}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stdout.String(), "no job was created") || !strings.Contains(stdout.String(), "line 2") {
		t.Errorf("-file %s: exit %d, want 1 and the file's problems\n%s%s", bad, code, stdout.String(), stderr.String())
	}
}

// TestRealNeedsFile: -real never imports the built-in sample users; without
// -file it is a usage error, before any AWS configuration is loaded.
func TestRealNeedsFile(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := cli([]string{"-real"}, &stdout, &stderr); code != 2 {
		t.Errorf("-real without -file: exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "-real needs -file") || stdout.Len() != 0 {
		t.Errorf("-real without -file: stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	if code := cli([]string{"-nosuchflag"}, &stdout, &stderr); code != 2 {
		t.Errorf("an unknown flag: exit %d, want 2", code)
	}
}
