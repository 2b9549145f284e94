package main

import (
	"bytes"
	"context"
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
		"arn:aws:iam::123456789012:role/CognitoImportLogs", 3)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"created import-",
		"?REDACTED",
		"3 jobs",
		"UserPoolId must match",
		"JobName must match",
		"CloudWatchLogsRoleArn must be at least 20 characters",
		"ResourceNotFoundException: User pool us-east-1_doesnotexist does not exist.",
		"retryable: false",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "X-Amz-Signature") {
		t.Errorf("the output shows a pre-signed URL's credentials:\n%s", out.String())
	}
	if got := len(srv.Jobs(pool)); got != 3 {
		t.Errorf("the pool holds %d jobs, want 3", got)
	}
	// The invalid input was caught before sending: one CreateUserImportJob
	// request per job created, and no more.
	if got := srv.Requests(cognitoimporttest.CreateUserImportJob); got != 3 {
		t.Errorf("%d CreateUserImportJob requests, want 3", got)
	}
}
