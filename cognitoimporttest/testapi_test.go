package cognitoimporttest_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestFaultsOnNewOperations: FailNext, DelayNext-free and DropNext reach the
// operations of the workflow, and ClearFaults removes what is queued.
func TestFaultsOnNewOperations(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	throttled := cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}
	for _, op := range []cognitoimporttest.Operation{cognitoimporttest.GetCSVHeader, cognitoimporttest.DescribeUserPool} {
		e.srv.FailNext(op, throttled, 1)
	}
	_, err := e.client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(testPool)}, noRetry)
	apiError(t, err, "TooManyRequestsException")
	_, err = e.client.DescribeUserPool(context.Background(), &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: aws.String(testPool)}, noRetry)
	apiError(t, err, "TooManyRequestsException")

	job := e.create(testPool)
	id := aws.ToString(job.JobId)
	e.srv.FailNext(cognitoimporttest.StartUserImportJob, cognitoimporttest.Error{Code: "InternalErrorException", Message: "boom"}, 5)
	e.srv.ClearFaults(cognitoimporttest.StartUserImportJob)
	_, err = e.start(testPool, id)
	apiError(t, err, "PreconditionNotMetException") // the real answer: nothing uploaded

	// The SDK retries a dropped connection; without retries it is an error.
	e.srv.DropNext(cognitoimporttest.DescribeUserImportJob, 1)
	_, err = e.client.DescribeUserImportJob(context.Background(), &cognitoidentityprovider.DescribeUserImportJobInput{UserPoolId: aws.String(testPool), JobId: aws.String(id)}, noRetry)
	if err == nil {
		t.Error("a dropped Describe succeeded")
	}
	e.srv.DropNext(cognitoimporttest.DescribeUserImportJob, 1)
	e.describe(testPool, id)
	calls := e.srv.Calls(cognitoimporttest.DescribeUserImportJob)
	if len(calls) != 3 || calls[0].Err == nil || calls[0].Err.Code != cognitoimporttest.ErrorDropped || calls[2].Err != nil {
		t.Errorf("calls = %+v", calls)
	}

	// Uploads: a 503 SlowDown, then a dropped connection, then success.
	url := aws.ToString(job.PreSignedUrl)
	e.srv.FailNext(cognitoimporttest.Upload, cognitoimporttest.Error{Code: "SlowDown", Message: "Please reduce your request rate."}, 1)
	e.srv.DropNext(cognitoimporttest.Upload, 1)
	checkS3Error(t, putFile(t, url, sampleFile, sseHeader), 503, "SlowDown", "Please reduce your request rate.")
	req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(sampleFile))
	req.Header = sseHeader.Clone()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("dropped upload: status %d", resp.StatusCode)
	}
	e.mustUpload(job, sampleFile)
	if _, err := e.start(testPool, id); err != nil {
		t.Fatal(err)
	}
	uploads := e.srv.Calls(cognitoimporttest.Upload)
	if len(uploads) != 3 || uploads[0].Err.Code != "SlowDown" || uploads[0].Err.StatusCode != 503 ||
		uploads[1].Err.Code != cognitoimporttest.ErrorDropped || uploads[2].Err != nil || uploads[2].Size != int64(len(sampleFile)) {
		t.Errorf("upload calls = %+v", uploads)
	}
	if got := uploads[2].Header.Get("Content-Type"); got != "" {
		t.Errorf("the upload's Content-Type = %q, recorded", got)
	}
}

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

// TestRateLimits: with WithRateLimits, a sixth Describe of one pool within a
// second of the server's clock is refused; a second later it is allowed.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithRateLimits(), cognitoimporttest.WithUserPools("us-east-1_Other"))
	job := e.create(testPool)
	describe := func(pool string) error {
		_, err := e.client.DescribeUserImportJob(context.Background(), &cognitoidentityprovider.DescribeUserImportJobInput{
			UserPoolId: aws.String(pool), JobId: job.JobId}, noRetry)
		return err
	}
	for i := range 5 {
		if err := describe(testPool); err != nil {
			t.Fatalf("Describe %d: %v", i+1, err)
		}
	}
	apiError(t, describe(testPool), "TooManyRequestsException")
	// Another pool has its own per-pool limit.
	apiError(t, describe("us-east-1_Other"), "ResourceNotFoundException")
	e.clock.Advance(time.Second)
	if err := describe(testPool); err != nil {
		t.Errorf("a second later: %v", err)
	}
	// Without the option, no limit.
	free := newImportEnv(t)
	for range 30 {
		if _, err := free.client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(testPool)}, noRetry); err != nil {
			t.Fatal(err)
		}
	}
}

// fatalTB records the first Fatalf and ends its goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	mu       sync.Mutex
	msg      string
	cleanups []func()
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = format
	if len(args) > 0 {
		f.msg = args[0].(string)
	}
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fatalTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// misuse runs fn with a fatalTB in its own goroutine and returns the message
// it failed with.
func misuse(fn func(tb *fatalTB)) string {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	for _, c := range tb.cleanups {
		c()
	}
	return tb.msg
}

func TestNewTestServerMisuse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fn   func(tb *fatalTB)
		want string
	}{
		{"bad pool config", func(tb *fatalTB) {
			cognitoimporttest.NewTestServer(tb, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: "us-east-1_X", MFA: "SOMETIMES"}))
		}, `MFA "SOMETIMES"`},
		{"bad rate", func(tb *fatalTB) { cognitoimporttest.NewTestServer(tb, cognitoimporttest.WithImportRate(0)) }, "WithImportRate(0)"},
		{"unknown pool", func(tb *fatalTB) { cognitoimporttest.NewTestServer(tb).Users("us-east-1_Nope") }, `Users: no user pool "us-east-1_Nope"`},
		{"unknown operation", func(tb *fatalTB) {
			cognitoimporttest.NewTestServer(tb).FailNext("Nope", cognitoimporttest.Error{Code: "X"}, 1)
		}, `FailNext: op "Nope" is not an operation of the server`},
	}
	for _, tt := range tests {
		if got := misuse(tt.fn); !strings.Contains(got, tt.want) {
			t.Errorf("%s: Fatalf(%q), want it to contain %q", tt.name, got, tt.want)
		}
	}
	// A server from NewServer panics instead.
	srv := cognitoimporttest.NewServer()
	defer srv.Close()
	func() {
		defer func() {
			if r, ok := recover().(string); !ok || !strings.Contains(r, "JobLog") {
				t.Errorf("recover() = %v", r)
			}
		}()
		srv.JobLog("us-east-1_Nope", "import-x")
	}()
	// And a server from NewTestServer is closed when its test ends.
	var closed *cognitoimporttest.Server
	misuse(func(tb *fatalTB) { closed = cognitoimporttest.NewTestServer(tb) })
	if resp, err := http.Get(closed.URL); err == nil {
		resp.Body.Close()
		t.Errorf("the server still serves after its test's cleanup")
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
	const bound = 1 << 20
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithMaxCallBytes(bound))
	big := `{"UserPoolId":"` + testPool + `","Padding":"` + strings.Repeat("x", 200<<10) + `"}`
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
		send(t, srv, newRaw(targetList, `{"UserPoolId":"`+testPool+`","MaxResults":`+fmt.Sprint(i+1)+`,"Padding":"`+strings.Repeat("x", 100<<10)+`"}`))
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
