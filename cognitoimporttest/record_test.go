package cognitoimporttest_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestCalls: each request is recorded with its decoded input, time and
// error.
func TestCalls(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	e.clock.Advance(time.Second)
	_, err := e.start(testPool, aws.ToString(job.JobId))
	apiError(t, err, "PreconditionNotMetException")
	calls := e.srv.Calls()
	if len(calls) != 2 {
		t.Fatalf("calls = %+v", calls)
	}
	create, ok := calls[0].Input.(*cognitoidentityprovider.CreateUserImportJobInput)
	if !ok || calls[0].Operation != cognitoimporttest.CreateUserImportJob || aws.ToString(create.JobName) != "lifecycle" ||
		aws.ToString(create.CloudWatchLogsRoleArn) != testRoleARN || !calls[0].Time.Equal(clockStart) || calls[0].Err != nil {
		t.Errorf("create call = %+v", calls[0])
	}
	start, ok := calls[1].Input.(*cognitoidentityprovider.StartUserImportJobInput)
	if !ok || aws.ToString(start.JobId) != aws.ToString(job.JobId) || calls[1].Err == nil ||
		calls[1].Err.Code != "PreconditionNotMetException" || !calls[1].Time.Equal(clockStart.Add(time.Second)) {
		t.Errorf("start call = %+v", calls[1])
	}
}

// TestMaxCalls: the server keeps the records of the last n requests only.
func TestMaxCalls(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithMaxCalls(3))
	for i := range 10 {
		createJob(t, e.client, testPool, fmt.Sprint("job", i))
	}
	var names []string
	for _, c := range e.srv.Calls() {
		names = append(names, aws.ToString(c.Input.(*cognitoidentityprovider.CreateUserImportJobInput).JobName))
	}
	if want := []string{"job7", "job8", "job9"}; !slices.Equal(names, want) {
		t.Errorf("calls kept: %q, want %q", names, want)
	}
	none := newImportEnv(t, cognitoimporttest.WithMaxCalls(0))
	none.create(testPool)
	if n := len(none.srv.Calls()); n != 0 {
		t.Errorf("WithMaxCalls(0) kept %d", n)
	}
}

// TestCallsBounded: the record of requests keeps nothing of the bodies of
// requests refused before their signature was verified (1 MiB POSTs from
// anyone who can reach the port grew the standalone server by 1.7 MB
// each), and holds at most MaxCallBytes (lowered here) of signed ones, the
// newest kept.
func TestCallsBounded(t *testing.T) {
	t.Parallel()
	const bound = 256 << 10
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithMaxCallBytes(bound))
	big := `{"UserPoolId":"` + testPool + `","Padding":"` + strings.Repeat("x", 64<<10) + `"}`
	for range 3 {
		unsigned := newRaw(targetList, big)
		unsigned.Unsigned = true
		checkError(t, send(t, srv, unsigned), http.StatusBadRequest, "MissingAuthenticationTokenException")
		wrong := newRaw(targetList, big)
		wrong.Creds = &aws.Credentials{AccessKeyID: cognitoimporttest.DefaultAccessKeyID, SecretAccessKey: "wrong"}
		checkError(t, send(t, srv, wrong), http.StatusBadRequest, "InvalidSignatureException")
	}
	for _, c := range srv.Calls() {
		if c.Body != nil || c.Input != nil {
			t.Errorf("a refused %s (%s) is recorded with %d bytes of body, Input %T", c.Operation, c.Err.Code, len(c.Body), c.Input)
		}
	}
	if n := len(srv.Calls()); n != 6 {
		t.Errorf("%d refused calls recorded, want 6 (without bodies)", n)
	}

	// Signed requests keep their bodies, within the bound.
	for i := range 20 {
		send(t, srv, newRaw(targetList, `{"UserPoolId":"`+testPool+`","MaxResults":`+fmt.Sprint(i+1)+`,"Padding":"`+strings.Repeat("x", 32<<10)+`"}`))
	}
	calls := srv.Calls()
	total := 0
	for _, c := range calls {
		total += len(c.Body)
	}
	if total > bound || len(calls) < 2 {
		t.Errorf("%d calls kept with %d bytes of bodies, want at most %d bytes", len(calls), total, bound)
	}
	last, ok := calls[len(calls)-1].Input.(*cognitoidentityprovider.ListUserImportJobsInput)
	if !ok || aws.ToInt32(last.MaxResults) != 20 {
		t.Errorf("the newest call kept is %+v, want the 20th", calls[len(calls)-1].Input)
	}
}
