package cognitoimporttest_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestUploadDelayAndRandomFaults: DelayNext and FailRandomly reach the
// upload too.
func TestUploadDelayAndRandomFaults(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	raw := aws.ToString(job.PreSignedUrl)
	e.srv.FailRandomly(cognitoimporttest.Upload, 1, 7, cognitoimporttest.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again."})
	checkS3Error(t, putFile(t, raw, sampleFile, sseHeader), 500, "InternalError", "")
	e.srv.ClearFaults()
	// A delay that the client's context ends: the server gives up waiting.
	e.srv.DelayNext(cognitoimporttest.Upload, time.Hour, 1)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPut, raw, strings.NewReader(sampleFile))
	req.Header = sseHeader.Clone()
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	// Wait for the server to take the delay, not only to count the
	// request (it counts it first): a cancel before that left the delay
	// queued for the upload below, which then waited the hour (a -count=20
	// run under load hung so).
	for e.srv.QueuedFaults(cognitoimporttest.Upload) > 0 {
		select {
		case err := <-errc:
			t.Fatalf("the upload was answered (%v) before it took its delay", err)
		default:
			runtime.Gosched()
		}
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("the delayed upload ended with %v, want its context's end", err)
	}
	e.mustUpload(job, sampleFile)
}

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

// call makes one call of op through client.
func call(ctx context.Context, client *cognitoidentityprovider.Client, op cognitoimporttest.Operation) error {
	switch op {
	case cognitoimporttest.CreateUserImportJob:
		_, err := client.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
			UserPoolId:            aws.String(testPool),
			JobName:               aws.String("job"),
			CloudWatchLogsRoleArn: aws.String(testRoleARN),
		})
		return err
	case cognitoimporttest.ListUserImportJobs:
		_, err := listPage(ctx, client, testPool, 10, nil)
		return err
	}
	panic("unknown operation " + op)
}

var operations = []cognitoimporttest.Operation{cognitoimporttest.CreateUserImportJob, cognitoimporttest.ListUserImportJobs}

// TestFailNextTypedErrors: every documented error code reaches the caller
// as the SDK's own type, with its message and the HTTP status.
func TestFailNextTypedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   string
		status int
		// as reports whether err is of the SDK's type for code.
		as func(error) bool
		// listToo says whether ListUserImportJobs's model lists the code.
		// Where it does not, the test asserts only the code, message and
		// status: which Go type the SDK then decodes into changed in
		// cognitoidentityprovider v1.71.0 (a generic smithy.APIError
		// before, the service's type after), and the server cannot promise
		// either.
		listToo bool
	}{
		{"InternalErrorException", 500, isType[*types.InternalErrorException], true},
		{"InvalidParameterException", 400, isType[*types.InvalidParameterException], true},
		{"LimitExceededException", 400, isType[*types.LimitExceededException], false},
		{"NotAuthorizedException", 400, isType[*types.NotAuthorizedException], true},
		{"OperationNotEnabledException", 400, isType[*types.OperationNotEnabledException], true},
		{"PreconditionNotMetException", 400, isType[*types.PreconditionNotMetException], false},
		{"ResourceNotFoundException", 400, isType[*types.ResourceNotFoundException], true},
		{"TooManyRequestsException", 400, isType[*types.TooManyRequestsException], true},
	}
	for _, op := range operations {
		for _, tt := range tests {
			t.Run(string(op)+"/"+tt.code, func(t *testing.T) {
				t.Parallel()
				srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
				client := newClient(srv, noRetry)
				srv.FailNext(op, cognitoimporttest.Error{Code: tt.code, Message: "injected " + tt.code}, 1)

				err := call(context.Background(), client, op)
				modeled := op == cognitoimporttest.CreateUserImportJob || tt.listToo
				if modeled && !tt.as(err) {
					t.Errorf("error %v (%T) is not of the SDK's type for %s", err, err, tt.code)
				}
				apiErr := apiError(t, err, tt.code)
				if apiErr.ErrorMessage() != "injected "+tt.code {
					t.Errorf("message = %q", apiErr.ErrorMessage())
				}
				var re *awshttp.ResponseError
				if !errors.As(err, &re) {
					t.Fatalf("%v is not an awshttp.ResponseError", err)
				}
				if re.HTTPStatusCode() != tt.status {
					t.Errorf("status = %d, want %d", re.HTTPStatusCode(), tt.status)
				}
				if !requestIDPattern.MatchString(re.ServiceRequestID()) {
					t.Errorf("request ID = %q, want a UUID", re.ServiceRequestID())
				}
				if n := srv.Requests(op); n != 1 {
					t.Errorf("Requests(%s) = %d, want 1", op, n)
				}
				if err := call(context.Background(), client, op); err != nil {
					t.Errorf("the call after the fault: %v", err)
				}
			})
		}
	}
}

func isType[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

func TestFailNextReasonCode(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{
		Code: "InvalidParameterException", Message: "bad", ReasonCode: "INVALID_ECDSA_SIGNATURE",
	}, 1)
	_, err := listPage(context.Background(), client, testPool, 10, nil)
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("got %v, want InvalidParameterException", err)
	}
	if got := aws.ToString(ipe.ReasonCode); got != "INVALID_ECDSA_SIGNATURE" {
		t.Errorf("ReasonCode = %q", got)
	}

	// The wire: reasonCode in the body, and left out when not set.
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "InvalidParameterException", Message: "m", ReasonCode: "R"}, 1)
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "InvalidParameterException", Message: "m"}, 1)
	for _, want := range []string{`{"__type":"InvalidParameterException","message":"m","reasonCode":"R"}`, `{"__type":"InvalidParameterException","message":"m"}`} {
		resp := send(t, srv, newRaw(targetList, `{"UserPoolId":"`+testPool+`","MaxResults":1}`))
		checkErrorMessage(t, resp, 400, "InvalidParameterException")
		if string(resp.Body) != want {
			t.Errorf("body = %s, want %s", resp.Body, want)
		}
	}
}

func TestFailNextUnknownCode(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "BrandNewException", Message: "new"}, 1)
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "TeapotException", Message: "short and stout", StatusCode: http.StatusTeapot}, 1)

	_, err := listPage(context.Background(), client, testPool, 10, nil)
	apiErr := apiError(t, err, "BrandNewException")
	if apiErr.ErrorMessage() != "new" {
		t.Errorf("message = %q", apiErr.ErrorMessage())
	}
	var generic *smithy.GenericAPIError
	if !errors.As(err, &generic) {
		t.Errorf("%v (%T) is not a smithy.GenericAPIError", err, err)
	}

	_, err = listPage(context.Background(), client, testPool, 10, nil)
	apiError(t, err, "TeapotException")
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusTeapot {
		t.Errorf("%v: want HTTP status 418 as set", err)
	}
}

// TestFailNextQueues: faults apply to their operation only, to requests that
// pass authentication only, and in the order they were queued.
func TestFailNextQueues(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	ctx := context.Background()
	list, create := cognitoimporttest.ListUserImportJobs, cognitoimporttest.CreateUserImportJob

	srv.FailNext(list, cognitoimporttest.Error{Code: "NotAuthorizedException"}, 2)
	srv.FailNext(list, cognitoimporttest.Error{Code: "TooManyRequestsException"}, 1)
	srv.FailNext(create, cognitoimporttest.Error{Code: "LimitExceededException"}, 1)

	// An unsigned request does not consume a fault.
	resp := send(t, srv, rawRequest{Target: targetList, Unsigned: true})
	checkErrorMessage(t, resp, 400, "MissingAuthenticationTokenException")

	for i, want := range []string{"NotAuthorizedException", "NotAuthorizedException", "TooManyRequestsException", ""} {
		err := call(ctx, client, list)
		if want == "" {
			if err != nil {
				t.Errorf("list call %d: %v, want success", i, err)
			}
			continue
		}
		apiError(t, err, want)
	}
	apiError(t, call(ctx, client, create), "LimitExceededException")
	if err := call(ctx, client, create); err != nil {
		t.Errorf("create after its fault: %v", err)
	}
	if got, want := srv.Requests(list), 5; got != want {
		t.Errorf("Requests(List) = %d, want %d", got, want)
	}
	if got, want := srv.Requests(create), 2; got != want {
		t.Errorf("Requests(Create) = %d, want %d", got, want)
	}
}

// TestRetries: the SDK's standard retryer retries throttling and internal
// errors, and not the others; the server counts every attempt.
func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      string
		failures  int
		wantErr   bool
		wantCalls int
	}{
		{"TooManyRequestsException", 2, false, 3},
		{"InternalErrorException", 2, false, 3},
		{"InternalErrorException", 3, true, 3},
		{"TooManyRequestsException", 5, true, 3},
		{"InvalidParameterException", 1, true, 1},
		{"NotAuthorizedException", 1, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
			client := newClient(srv) // the standard retryer: 3 attempts
			srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: tt.code}, tt.failures)
			_, err := listPage(context.Background(), client, testPool, 10, nil)
			if tt.wantErr {
				apiError(t, err, tt.code)
			} else if err != nil {
				t.Errorf("got %v, want success after retries", err)
			}
			if got := srv.Requests(cognitoimporttest.ListUserImportJobs); got != tt.wantCalls {
				t.Errorf("Requests = %d, want %d", got, tt.wantCalls)
			}
		})
	}
}

// TestDelayNextDeadline: a call the server delays ends when its context
// does, with the context's error. The context ends once the request has
// reached the server, not at a deadline, which a loaded machine could reach
// before the request does (and the call would then fail for another reason).
func TestDelayNextDeadline(t *testing.T) {
	t.Parallel()
	clock, arrived := arrivals()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(nowFunc(clock)))
	client := newClient(srv, noRetry)
	srv.DelayNext(cognitoimporttest.ListUserImportJobs, time.Hour, 1)

	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		<-arrived
		cancel(context.DeadlineExceeded) // as a deadline would end it
	}()
	_, err := listPage(ctx, client, testPool, 10, nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		t.Fatalf("got %v (cause %v), want the context's error", err, context.Cause(ctx))
	}
	// Whether the server had taken the delay when the client went away
	// depends on scheduling (it takes it after reading the body), so no
	// call follows here: it might meet the hour's delay.
}

// TestDelayNext: delays queue with failures, in order, and a delayed call
// then goes on as usual.
func TestDelayNext(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	list := cognitoimporttest.ListUserImportJobs
	const d = 50 * time.Millisecond
	srv.DelayNext(list, d, 1)
	srv.FailNext(list, cognitoimporttest.Error{Code: "NotAuthorizedException"}, 1)

	start := time.Now()
	if _, err := listPage(context.Background(), client, testPool, 10, nil); err != nil {
		t.Errorf("a call delayed %v: %v", d, err)
	}
	if took := time.Since(start); took < d {
		t.Errorf("a call delayed %v took %v", d, took)
	}
	_, err := listPage(context.Background(), client, testPool, 10, nil)
	apiError(t, err, "NotAuthorizedException")
	if _, err := listPage(context.Background(), client, testPool, 10, nil); err != nil {
		t.Errorf("the call after the queue: %v", err)
	}
	if got := srv.Requests(list); got != 3 {
		t.Errorf("Requests = %d, want 3", got)
	}
}

// TestCloseDuringDelay: Close ends an injected delay instead of waiting
// for it.
func TestCloseDuringDelay(t *testing.T) {
	t.Parallel()
	clock, arrived := arrivals()
	// Not NewTestServer: the test closes the server itself, and a cleanup
	// would hang on a Close that hangs.
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(nowFunc(clock)))
	srv.DelayNext(cognitoimporttest.ListUserImportJobs, time.Hour, 1)
	client := newClient(srv, noRetry)

	returned := make(chan error, 1)
	go func() {
		_, err := listPage(context.Background(), client, testPool, 10, nil)
		returned <- err
	}()
	waitFor(t, arrived, "the delayed request to reach the server")

	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	waitFor(t, closed, "Close, with a delayed request in flight")
	err := waitFor(t, returned, "the delayed call to return after Close")
	t.Logf("the delayed call returned: %v", err)
}

// enoughAttempts makes a client try a call 11 times, one more than the
// faults TestConcurrentClients queues.
func enoughAttempts(o *cognitoidentityprovider.Options) { o.RetryMaxAttempts = 11 }

// TestFaultQueueTakesAnyCount queues a fault for "always" without storing a
// copy per request, and checks that it applies to every later request.
func TestFaultQueueTakesAnyCount(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "TooManyRequestsException"}, math.MaxInt)
	for range 3 {
		_, err := listPage(context.Background(), client, testPool, 10, nil)
		apiError(t, err, "TooManyRequestsException")
	}
	srv.FailNext(cognitoimporttest.CreateUserImportJob, cognitoimporttest.Error{Code: "X"}, 0) // nothing queued
	createJob(t, client, testPool, "after a zero count")
}
