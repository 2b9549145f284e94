package cognitoimporttest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

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
				srv := newServer(t)
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
	srv := newServer(t)
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
	srv := newServer(t)
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
	srv := newServer(t)
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
			srv := newServer(t)
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

// TestRequestID: every response carries a fresh x-amzn-RequestId, which the
// SDK reports on success and on error.
func TestRequestID(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv, noRetry)

	seen := make(map[string]bool)
	for range 3 {
		out, err := listPage(context.Background(), client, testPool, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		if !ok || !requestIDPattern.MatchString(id) {
			t.Errorf("request ID = %q, %v; want a UUID", id, ok)
		}
		if seen[id] {
			t.Errorf("request ID %s repeated", id)
		}
		seen[id] = true
	}

	_, err := listPage(context.Background(), client, "us-east-1_Nowhere", 10, nil)
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("got %v, want ResourceNotFoundException", err)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || !requestIDPattern.MatchString(re.ServiceRequestID()) {
		t.Errorf("error %v carries no request ID", err)
	}

	// Raw: on a success, a service error and an authentication error.
	for _, rr := range []rawRequest{
		newRaw(targetList, `{"UserPoolId":"`+testPool+`","MaxResults":1}`),
		newRaw(targetList, `{"UserPoolId":"abc","MaxResults":1}`),
		{Target: targetList, Unsigned: true},
	} {
		resp := send(t, srv, rr)
		if id := resp.Header.Get("x-amzn-RequestId"); !requestIDPattern.MatchString(id) {
			t.Errorf("status %d: x-amzn-RequestId = %q, want a UUID", resp.Status, id)
		}
	}
}

// TestRequests: Requests counts every request for an operation, whatever
// came of it.
func TestRequests(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv, noRetry)
	ctx := context.Background()
	list, create := cognitoimporttest.ListUserImportJobs, cognitoimporttest.CreateUserImportJob

	if srv.Requests(list) != 0 || srv.Requests(create) != 0 {
		t.Fatalf("a new server counts %d/%d requests", srv.Requests(list), srv.Requests(create))
	}
	for range 3 {
		createJob(t, client, testPool, "counted")
	}
	for range 2 {
		if _, err := listPage(ctx, client, testPool, 10, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err := listPage(ctx, client, "abc", 10, nil) // invalid
	apiError(t, err, "InvalidParameterException")
	send(t, srv, rawRequest{Target: targetList, Unsigned: true})                       // unauthenticated
	send(t, srv, newRaw(targetPrefix+"DeleteUserImportJob", `{}`))                     // another operation
	send(t, srv, rawRequest{Target: targetList, Body: newOversized(), Unsigned: true}) // refused unread
	if got := srv.Requests(create); got != 3 {
		t.Errorf("Requests(Create) = %d, want 3", got)
	}
	if got := srv.Requests(list); got != 5 {
		t.Errorf("Requests(List) = %d, want 5", got)
	}
	if got := srv.Requests("DeleteUserImportJob"); got != 0 {
		t.Errorf("Requests of an operation the server lacks = %d, want 0", got)
	}
}
