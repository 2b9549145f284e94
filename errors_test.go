package cognitoimport_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	iofs "io/fs"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ownTypes are the package's error types with a code of their own.
var ownTypes = []struct {
	code  string
	match func(error) bool
}{
	{"InternalErrorException", isA[*cognitoimport.InternalError]},
	{"InvalidParameterException", isA[*cognitoimport.InvalidParameterError]},
	{"LimitExceededException", isA[*cognitoimport.LimitExceededError]},
	{"NotAuthorizedException", isA[*cognitoimport.NotAuthorizedError]},
	{"OperationNotEnabledException", isA[*cognitoimport.OperationNotEnabledError]},
	{"PreconditionNotMetException", isA[*cognitoimport.PreconditionNotMetError]},
	{"ResourceNotFoundException", isA[*cognitoimport.ResourceNotFoundError]},
	{"TooManyRequestsException", isA[*cognitoimport.TooManyRequestsError]},
}

// call makes one call of op through client with the per-call options.
func call(ctx context.Context, client *cognitoimport.Client, op cognitoimporttest.Operation, optFns ...func(*cognitoidentityprovider.Options)) error {
	if op == createOp {
		job, err := client.CreateJob(ctx, validCreateInput("job"), optFns...)
		if err != nil && job != nil {
			return fmt.Errorf("CreateJob returned both a job and the error %w", err)
		}
		return err
	}
	out, err := client.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool}, optFns...)
	if err != nil && out != nil {
		return fmt.Errorf("ListJobs returned both a page and the error %w", err)
	}
	return err
}

// checkServiceError fails the test unless err is a *ServiceError for op and
// code with the given message and status, and matches smithy.APIError with
// the same code and message. It returns the *ServiceError.
func checkServiceError(t *testing.T, err error, op cognitoimporttest.Operation, code, message string, status int) *cognitoimport.ServiceError {
	t.Helper()
	se := as[*cognitoimport.ServiceError](t, err)
	if se.Operation != string(op) || se.Code != code || se.Message != message || se.StatusCode != status {
		t.Errorf("ServiceError{Operation: %q, Code: %q, Message: %q, StatusCode: %d}, want {%q, %q, %q, %d}",
			se.Operation, se.Code, se.Message, se.StatusCode, op, code, message, status)
	}
	if !requestIDPattern.MatchString(se.RequestID) {
		t.Errorf("RequestID = %q, want the response's x-amzn-RequestId", se.RequestID)
	}
	for _, part := range []string{string(op), code, message, fmt.Sprintf("HTTP %d", status), se.RequestID} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("Error() = %q does not contain %q", err.Error(), part)
		}
	}
	if se.Unwrap() == nil {
		t.Errorf("ServiceError.Unwrap() = nil, want the SDK's error")
	}
	apiErr := as[smithy.APIError](t, err)
	if apiErr.ErrorCode() != code || apiErr.ErrorMessage() != message {
		t.Errorf("smithy.APIError has code %q, message %q; want %q, %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
	// Wrapping keeps every match.
	wrapped := fmt.Errorf("importing: %w", err)
	if !isA[*cognitoimport.ServiceError](wrapped) || !isA[smithy.APIError](wrapped) {
		t.Errorf("a wrapped service error no longer matches *ServiceError and smithy.APIError")
	}
	return se
}

// checkOwnType fails the test unless err matches the own type of code, and
// no other (code "" for none).
func checkOwnType(t *testing.T, err error, code string) {
	t.Helper()
	for _, ot := range ownTypes {
		if got := ot.match(err); got != (ot.code == code) {
			t.Errorf("errors.As to the type for %s = %v", ot.code, got)
		}
	}
}

func TestServiceErrors(t *testing.T) {
	t.Parallel()
	both := []cognitoimporttest.Operation{createOp, listOp}
	tests := []struct {
		code      string
		status    int // 0: the service's default
		ops       []cognitoimporttest.Operation
		wantType  bool // whether the code has its own type
		sdkType   func(error) bool
		retryable bool
	}{
		{"InternalErrorException", 0, both, true, isA[*types.InternalErrorException], true},
		{"InvalidParameterException", 0, both, true, isA[*types.InvalidParameterException], false},
		{"LimitExceededException", 0, []cognitoimporttest.Operation{createOp}, true, isA[*types.LimitExceededException], true},
		{"NotAuthorizedException", 0, both, true, isA[*types.NotAuthorizedException], false},
		{"OperationNotEnabledException", 0, both, true, isA[*types.OperationNotEnabledException], false},
		{"PreconditionNotMetException", 0, []cognitoimporttest.Operation{createOp}, true, isA[*types.PreconditionNotMetException], false},
		{"ResourceNotFoundException", 0, both, true, isA[*types.ResourceNotFoundException], false},
		{"TooManyRequestsException", 0, both, true, isA[*types.TooManyRequestsException], true},
		// Codes with no type of their own in the library. Which Go type
		// the SDK decodes them into is the SDK's business (from
		// cognitoidentityprovider v1.71.0 it decodes any code the service
		// model knows, such as AccessDeniedException, into its own type,
		// even for an operation that does not list it): what the library
		// promises is *ServiceError with the code, checked above, and the
		// SDK's smithy.APIError in the chain.
		{"AccessDeniedException", 0, both, false, isA[smithy.APIError], false},
		{"UnrecognizedClientException", 0, both, false, isA[smithy.APIError], false},
		{"InvalidSignatureException", 0, both, false, isA[smithy.APIError], false},
		{"ExpiredTokenException", 0, both, false, isA[smithy.APIError], false},
		{"MadeUpForThisTestException", 0, both, false, isA[smithy.APIError], false},
		{"MadeUpUnavailableException", http.StatusServiceUnavailable, both, false, isA[smithy.APIError], true},
	}
	for _, tt := range tests {
		for _, op := range tt.ops {
			t.Run(string(op)+"/"+tt.code, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				client := newClient(srv)
				message := "injected " + tt.code
				srv.FailNext(op, cognitoimporttest.Error{Code: tt.code, Message: message, StatusCode: tt.status}, 1)

				// noRetry, a per-call option, makes the SDK send one
				// request even for the codes it retries: the count below
				// proves that per-call options reach the SDK.
				err := call(t.Context(), client, op, noRetry)
				checkRequests(t, srv, op, 1)

				status := tt.status
				switch {
				case status != 0:
				case tt.code == "InternalErrorException":
					status = http.StatusInternalServerError
				default:
					status = http.StatusBadRequest
				}
				checkServiceError(t, err, op, tt.code, message, status)
				ownCode := ""
				if tt.wantType {
					ownCode = tt.code
				}
				checkOwnType(t, err, ownCode)
				if !tt.sdkType(err) {
					t.Errorf("error %v does not match the SDK's type for %s", err, tt.code)
				}
				if got := cognitoimport.IsRetryable(err); got != tt.retryable {
					t.Errorf("IsRetryable = %v, want %v", got, tt.retryable)
				}
				if isA[*cognitoimport.ValidationError](err) {
					t.Errorf("a service error matches *ValidationError")
				}
			})
		}
	}
}

func TestInvalidParameterErrorReasonCode(t *testing.T) {
	t.Parallel()
	for _, reason := range []string{"", "CUSTOM_REASON_FOR_THIS_TEST"} {
		t.Run("reason="+reason, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.FailNext(listOp, cognitoimporttest.Error{Code: "InvalidParameterException", Message: "m", ReasonCode: reason}, 1)
			err := call(t.Context(), newClient(srv), listOp)
			ipe := as[*cognitoimport.InvalidParameterError](t, err)
			if ipe.ReasonCode != reason {
				t.Errorf("ReasonCode = %q, want %q", ipe.ReasonCode, reason)
			}
			if got := aws.ToString(as[*types.InvalidParameterException](t, err).ReasonCode); got != reason {
				t.Errorf("the SDK's ReasonCode = %q, want %q", got, reason)
			}
			checkServiceError(t, err, listOp, "InvalidParameterException", "m", http.StatusBadRequest)
		})
	}
}

// TestRealServiceErrors gets errors from the server's own logic, not
// injected ones: an unknown pool, a pagination token it never issued, and
// credentials it does not accept.
func TestRealServiceErrors(t *testing.T) {
	t.Parallel()
	const unknownPool = "us-east-1_NoSuchPool"
	creds := aws.Credentials{AccessKeyID: cognitoimporttest.DefaultAccessKeyID, SecretAccessKey: cognitoimporttest.DefaultSecretAccessKey}
	tests := []struct {
		name    string
		op      cognitoimporttest.Operation
		call    func(ctx context.Context, c *cognitoimport.Client) error
		code    string
		ownType bool
	}{
		{"CreateJob/unknown pool", createOp, func(ctx context.Context, c *cognitoimport.Client) error {
			in := validCreateInput("job")
			in.UserPoolID = unknownPool
			_, err := c.CreateJob(ctx, in)
			return err
		}, "ResourceNotFoundException", true},
		{"ListJobs/unknown pool", listOp, func(ctx context.Context, c *cognitoimport.Client) error {
			_, err := c.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: unknownPool})
			return err
		}, "ResourceNotFoundException", true},
		{"Jobs/unknown pool", listOp, func(ctx context.Context, c *cognitoimport.Client) error {
			items := collect(c.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: unknownPool}))
			if len(items) != 1 {
				return fmt.Errorf("Jobs yielded %d items, want 1", len(items))
			}
			return items[0].err
		}, "ResourceNotFoundException", true},
		{"ListJobs/unknown token", listOp, func(ctx context.Context, c *cognitoimport.Client) error {
			_, err := c.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool, PaginationToken: "never-issued"})
			return err
		}, "InvalidParameterException", true},
		{"CreateJob/wrong access key", createOp, func(ctx context.Context, c *cognitoimport.Client) error {
			wrong := creds
			wrong.AccessKeyID = "AKIDWRONGWRONGWRONG"
			_, err := c.CreateJob(ctx, validCreateInput("job"), withCredentials(wrong))
			return err
		}, "UnrecognizedClientException", false},
		{"ListJobs/unexpected session token", listOp, func(ctx context.Context, c *cognitoimport.Client) error {
			wrong := creds
			wrong.SessionToken = "not-a-session"
			_, err := c.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool}, withCredentials(wrong))
			return err
		}, "UnrecognizedClientException", false},
		{"ListJobs/wrong secret", listOp, func(ctx context.Context, c *cognitoimport.Client) error {
			wrong := creds
			wrong.SecretAccessKey = "wrong/secret"
			_, err := c.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool}, withCredentials(wrong))
			return err
		}, "InvalidSignatureException", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			err := tt.call(t.Context(), newClient(srv))
			se := as[*cognitoimport.ServiceError](t, err)
			checkServiceError(t, err, tt.op, tt.code, se.Message, http.StatusBadRequest)
			if se.Message == "" {
				t.Errorf("the server's %s has no message", tt.code)
			}
			want := ""
			if tt.ownType {
				want = tt.code
			}
			checkOwnType(t, err, want)
			if cognitoimport.IsRetryable(err) {
				t.Errorf("IsRetryable(%v) = true", err)
			}
			// None of these is retried.
			checkRequests(t, srv, tt.op, 1)
		})
	}
}

// TestRetryableAfterRetries lets the SDK's default retryer run out of
// attempts, and checks that the error is still typed and retryable.
func TestRetryableAfterRetries(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"TooManyRequestsException", "InternalErrorException"} {
		for _, op := range []cognitoimporttest.Operation{createOp, listOp} {
			t.Run(string(op)+"/"+code, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				const attempts = 3 // the standard retryer's default
				srv.FailNext(op, cognitoimporttest.Error{Code: code, Message: "again"}, attempts)
				err := call(t.Context(), newClient(srv), op)
				checkRequests(t, srv, op, attempts)
				if !isA[*retry.MaxAttemptsError](err) {
					t.Errorf("error %v: want the SDK's *retry.MaxAttemptsError in the chain", err)
				}
				se := as[*cognitoimport.ServiceError](t, err)
				if se.Code != code {
					t.Errorf("Code = %q, want %q", se.Code, code)
				}
				checkOwnType(t, err, code)
				if !cognitoimport.IsRetryable(err) {
					t.Errorf("IsRetryable(%v) = false after the retries ran out", err)
				}
			})
		}
	}

	// And the SDK's retries apply untouched: two failures, then success.
	t.Run("recovers", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.FailNext(createOp, cognitoimporttest.Error{Code: "TooManyRequestsException"}, 2)
		if err := call(t.Context(), newClient(srv), createOp); err != nil {
			t.Fatalf("CreateJob after two throttled attempts: %v", err)
		}
		checkRequests(t, srv, createOp, 3)
	})
}

func TestIsRetryable(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv)
	_, notFound := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: "us-east-1_NoSuchPool"})
	srv.FailNext(listOp, cognitoimporttest.Error{Code: "TooManyRequestsException"}, 1)
	_, throttled := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool}, noRetry)
	srv.FailNext(listOp, cognitoimporttest.Error{Code: "InternalErrorException"}, 1)
	_, internal := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool}, noRetry)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, canceled := client.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool})
	ctx, cancel = context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	_, expired := client.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool})
	// The SDK's connection check matches "connection reset" in any message.
	resetName := cognitoimport.CreateJobInput{UserPoolID: testPool, JobName: "connection reset/x", CloudWatchLogsRoleARN: testRoleARN}.Validate()
	srv.FailNext(listOp, cognitoimporttest.Error{Code: "InvalidParameterException", Message: "Value 'connection reset' is not valid"}, 1)
	_, resetEcho := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool}, noRetry)
	srv.FailNext(listOp, cognitoimporttest.Error{Code: "ServiceUnavailable", StatusCode: 503}, 1)
	_, unavailable := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool}, noRetry)

	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"TooManyRequestsException", throttled, true},
		{"InternalErrorException", internal, true},
		{"wrapped TooManyRequestsException", fmt.Errorf("listing: %w", throttled), true},
		{"ResourceNotFoundException", notFound, false},
		{"ValidationError", cognitoimport.CreateJobInput{}.Validate(), false},
		{"context.Canceled", context.Canceled, false},
		{"a call with a cancelled context", canceled, false},
		{"ErrRepeatedToken", cognitoimport.ErrRepeatedToken, false},
		{"context.DeadlineExceeded", context.DeadlineExceeded, false},
		{"a call with an expired context", expired, false},
		{"a ValidationError that quotes a connection error", resetName, false},
		{"a service error that quotes a connection error", resetEcho, false},
		{"a 503 with an unknown code", unavailable, true},
	}
	for _, tt := range tests {
		if tt.name != "nil" && tt.err == nil {
			t.Errorf("%s: the call did not fail", tt.name)
			continue
		}
		if got := cognitoimport.IsRetryable(tt.err); got != tt.want {
			t.Errorf("IsRetryable(%s: %v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestContextErrors checks that a cancelled or expired context comes back as
// the context's error, not as a service error.
func TestContextErrors(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name string
		op   cognitoimporttest.Operation
		call func(*testing.T, context.Context, *cognitoimport.Client) error
	}{
		{"CreateJob", createOp, func(_ *testing.T, ctx context.Context, c *cognitoimport.Client) error {
			_, err := c.CreateJob(ctx, validCreateInput("job"))
			return err
		}},
		{"ListJobs", listOp, func(_ *testing.T, ctx context.Context, c *cognitoimport.Client) error {
			_, err := c.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool})
			return err
		}},
		{"Jobs", listOp, func(t *testing.T, ctx context.Context, c *cognitoimport.Client) error {
			_, err := splitItems(t, collect(c.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool})))
			return err
		}},
		{"Pages", listOp, func(t *testing.T, ctx context.Context, c *cognitoimport.Client) error {
			_, err := splitItems(t, collect(c.Pages(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool})))
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.name+"/cancelled", func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			err := c.call(t, ctx, newClient(srv))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want an error that errors.Is context.Canceled", err)
			}
			if isA[*cognitoimport.ServiceError](err) {
				t.Errorf("a cancelled call matches *ServiceError: %v", err)
			}
		})
		t.Run(c.name+"/deadline", func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			// The server holds the request; its deadline passes while
			// the server holds it.
			srv.DelayNext(c.op, time.Hour, 1)
			ctx := newManualDeadline(t)
			expireAtRequest(t, ctx, srv, c.op, 1)
			err := c.call(t, ctx, newClient(srv))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("got %v, want an error that errors.Is context.DeadlineExceeded", err)
			}
			if isA[*cognitoimport.ServiceError](err) {
				t.Errorf("an expired call matches *ServiceError: %v", err)
			}
			checkRequests(t, srv, c.op, 1)
		})
	}
}

// TestTransportError calls a server that accepts each connection and closes
// it without an answer. The test holds the listener to its end, so no other
// program can take its port meanwhile, as one could a closed server's port.
func TestTransportError(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan struct{})
	go func() {
		defer close(accepted)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close(); <-accepted })

	srv := newServer(t)
	client := cognitoimport.NewFromConfig(srv.Config(), noRetry, func(o *cognitoidentityprovider.Options) {
		o.BaseEndpoint = aws.String("http://" + l.Addr().String())
	})
	for _, op := range []cognitoimporttest.Operation{createOp, listOp} {
		err := call(t.Context(), client, op)
		if err == nil {
			t.Fatalf("%s to a server that hangs up: no error", op)
		}
		if isA[*cognitoimport.ServiceError](err) || isA[smithy.APIError](err) {
			t.Errorf("%s: a transport failure matches *ServiceError or smithy.APIError: %v", op, err)
		}
		checkOwnType(t, err, "")
		if !cognitoimport.IsRetryable(err) {
			t.Errorf("%s: IsRetryable(%v) = false for a connection closed without an answer", op, err)
		}
		checkRequests(t, srv, op, 0)
	}
}

// TestIsRetryableRawSDK judges errors of the SDK's own client, as a caller
// gets them from operations this package does not wrap.
func TestIsRetryableRawSDK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault cognitoimporttest.Error
		want  bool
	}{
		{cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}, true},
		{cognitoimporttest.Error{Code: "InternalErrorException"}, true},
		{cognitoimporttest.Error{Code: "LimitExceededException"}, true},
		{cognitoimporttest.Error{Code: "MadeUpUnavailableException", StatusCode: http.StatusServiceUnavailable}, true},
		{cognitoimporttest.Error{Code: "ResourceNotFoundException"}, false},
		{cognitoimporttest.Error{Code: "InvalidParameterException", Message: "connection reset"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.fault.Code, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			sdk := cognitoidentityprovider.NewFromConfig(srv.Config())
			srv.FailNext(createOp, tt.fault, 1)
			_, err := sdk.CreateUserImportJob(t.Context(), &cognitoidentityprovider.CreateUserImportJobInput{
				UserPoolId: aws.String(testPool), JobName: aws.String("j"), CloudWatchLogsRoleArn: aws.String(testRoleARN),
			}, noRetry)
			if !isA[smithy.APIError](err) || isA[*cognitoimport.ServiceError](err) {
				t.Fatalf("the SDK returned %v: want its own smithy.APIError", err)
			}
			if got := cognitoimport.IsRetryable(err); got != tt.want {
				t.Errorf("IsRetryable(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
	// An APIError built by hand, as a caller's fake does, has no HTTP status.
	for code, want := range map[string]bool{"ThrottlingException": true, "TooManyRequestsException": true, "NotAuthorizedException": false} {
		if got := cognitoimport.IsRetryable(&smithy.GenericAPIError{Code: code}); got != want {
			t.Errorf("IsRetryable(GenericAPIError %s) = %v, want %v", code, got, want)
		}
	}
}

// TestErrorZeroValues calls the methods of every error type's zero value, as
// a caller's fake may build them: none panics, and the zero values of the
// types with a code say it. (TestErrorTypesNilSafe covers nil pointers.)
func TestErrorZeroValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err       error
		code      string
		retryable bool
	}{
		{&cognitoimport.ServiceError{}, "", false},
		{&cognitoimport.InternalError{}, "InternalErrorException", true},
		{&cognitoimport.InvalidParameterError{}, "InvalidParameterException", false},
		{&cognitoimport.LimitExceededError{}, "LimitExceededException", true},
		{&cognitoimport.NotAuthorizedError{}, "NotAuthorizedException", false},
		{&cognitoimport.OperationNotEnabledError{}, "OperationNotEnabledException", false},
		{&cognitoimport.PreconditionNotMetError{}, "PreconditionNotMetException", false},
		{&cognitoimport.ResourceNotFoundError{}, "ResourceNotFoundException", false},
		{&cognitoimport.TooManyRequestsError{}, "TooManyRequestsException", true},
		{&cognitoimport.ValidationError{}, "", false},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%T", tt.err)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s (%#v): panic %v", name, tt.err, r)
				}
			}()
			msg := tt.err.Error()
			if !strings.HasPrefix(msg, "cognitoimport: ") || !strings.Contains(msg, tt.code) {
				t.Errorf("%s: Error() = %q, want the package prefix and %q", name, msg, tt.code)
			}
			_ = errors.Unwrap(tt.err)
			wrapped := fmt.Errorf("x: %w", tt.err)
			var se *cognitoimport.ServiceError
			if errors.As(wrapped, &se) && se == nil && name != "*cognitoimport.ServiceError" {
				t.Errorf("%s: errors.As found a nil *ServiceError in it", name)
			}
			if got := cognitoimport.IsRetryable(wrapped); got != tt.retryable {
				t.Errorf("%s: IsRetryable = %v, want %v", name, got, tt.retryable)
			}
		}()
	}
}

// TestErrorTexts checks the texts of the errors: one package prefix, no empty
// parts, and the attempts the SDK made when its retries ran out.
func TestErrorTexts(t *testing.T) {
	t.Parallel()
	t.Run("missing job", func(t *testing.T) {
		t.Parallel()
		_, err := cognitoimport.New(emptyCreateAPI{}).CreateJob(t.Context(), validCreateInput("job"))
		const want = "cognitoimport: CreateUserImportJob: the response has no user import job"
		if err == nil || err.Error() != want || !errors.Is(err, cognitoimport.ErrMissingJob) {
			t.Errorf("CreateJob: %v, want %q that matches ErrMissingJob", err, want)
		}
	})
	t.Run("retries ran out", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.FailNext(listOp, cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}, 3)
		err := call(t.Context(), newClient(srv), listOp)
		checkRequests(t, srv, listOp, 3)
		if err == nil || !strings.Contains(err.Error(), "exceeded maximum number of attempts, 3") {
			t.Errorf("Error() = %v, want the SDK's count of attempts", err)
		}
	})
	t.Run("empty message", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.FailNext(listOp, cognitoimporttest.Error{Code: "TooManyRequestsException"}, 1)
		err := call(t.Context(), newClient(srv), listOp, noRetry)
		want := regexp.MustCompile(`^cognitoimport: ListUserImportJobs: TooManyRequestsException \(HTTP 400, request ID [0-9a-f-]{36}\)$`)
		if err == nil || !want.MatchString(err.Error()) {
			t.Errorf("Error() = %v, want a match of %s", err, want)
		}
	})
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&cognitoimport.ServiceError{Operation: "ListUserImportJobs", Code: "X", Message: "m"}, "cognitoimport: ListUserImportJobs: X: m"},
		{&cognitoimport.ServiceError{Code: "X"}, "cognitoimport: X"},
		{&cognitoimport.ServiceError{Operation: "Op", Code: "X", StatusCode: 500}, "cognitoimport: Op: X (HTTP 500)"},
		{&cognitoimport.ServiceError{Operation: "Op", Code: "X", RequestID: "r"}, "cognitoimport: Op: X (request ID r)"},
		{&cognitoimport.TooManyRequestsError{}, "cognitoimport: TooManyRequestsException"},
		{&cognitoimport.ValidationError{Operation: "Op"}, "cognitoimport: invalid Op input"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v: Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// TestErrorTypesNilSafe: every method of every exported error type (a type
// with an Error method) runs on a nil pointer, with zero arguments, without
// panicking; Error says something, Unwrap returns
// nil, a method that reports a condition (such as UploadError.Expired)
// reports false, and the nil pointer is not retryable and matches no
// sentinel. The list is checked against the package's source, so a new
// error type cannot be left out. (TestErrorZeroValues covers the zero
// values.)
func TestErrorTypesNilSafe(t *testing.T) {
	t.Parallel()
	types := map[string]reflect.Type{}
	for _, err := range []error{
		(*cognitoimport.ServiceError)(nil),
		(*cognitoimport.InternalError)(nil),
		(*cognitoimport.InvalidParameterError)(nil),
		(*cognitoimport.LimitExceededError)(nil),
		(*cognitoimport.NotAuthorizedError)(nil),
		(*cognitoimport.OperationNotEnabledError)(nil),
		(*cognitoimport.PreconditionNotMetError)(nil),
		(*cognitoimport.ResourceNotFoundError)(nil),
		(*cognitoimport.TooManyRequestsError)(nil),
		(*cognitoimport.ValidationError)(nil),
		(*cognitoimport.UploadError)(nil),
		(*cognitoimport.JobError)(nil),
		(*cognitoimport.ImportError)(nil),
		(*cognitoimport.FileError)(nil),
		(*cognitoimport.UserError)(nil),
		(*cognitoimport.LogNotFoundError)(nil),
		(*cognitoimport.LogAccessDeniedError)(nil),
		(*cognitoimport.FileMismatchError)(nil),
		(*cognitoimport.JournalError)(nil),
		(*cognitoimport.JournalLockedError)(nil),
		(*cognitoimport.PartError)(nil),
	} {
		types[reflect.TypeOf(err).Elem().Name()] = reflect.TypeOf(err)
	}

	// Every exported type of the package's source with an Error method.
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi iofs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var inSource []string
	for _, f := range pkgs["cognitoimport"].Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Name.Name != "Error" {
				continue
			}
			recv := fd.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); ok && id.IsExported() {
				inSource = append(inSource, id.Name)
			}
		}
	}
	slices.Sort(inSource)
	for _, name := range inSource {
		if types[name] == nil {
			t.Errorf("the error type %s is not in the test's list", name)
		}
	}

	for name, typ := range types {
		nilValue := reflect.Zero(typ)
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			args := []reflect.Value{nilValue}
			for j := 1; j < m.Type.NumIn(); j++ {
				args = append(args, reflect.Zero(m.Type.In(j)))
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("(*%s)(nil).%s: panic: %v", name, m.Name, r)
					}
				}()
				out := m.Func.Call(args)
				switch {
				case m.Name == "Error" && out[0].String() == "":
					t.Errorf("(*%s)(nil).Error() is empty", name)
				case m.Name == "Unwrap" && !out[0].IsNil():
					t.Errorf("(*%s)(nil).Unwrap() = %v, want nil", name, out[0])
				case m.Type.NumIn() == 1 && m.Type.NumOut() == 1 && m.Type.Out(0).Kind() == reflect.Bool && out[0].Bool():
					t.Errorf("(*%s)(nil).%s() = true", name, m.Name)
				}
			}()
		}
		err := nilValue.Interface().(error)
		if cognitoimport.IsRetryable(fmt.Errorf("x: %w", err)) {
			t.Errorf("(*%s)(nil) is retryable", name)
		}
		for _, sentinel := range []error{cognitoimport.ErrURLExpired, cognitoimport.ErrMissingJob, cognitoimport.ErrRepeatedToken} {
			if errors.Is(err, sentinel) {
				t.Errorf("(*%s)(nil) matches %v", name, sentinel)
			}
		}
	}
}

// TestMissingInput: each call that requires a member the service's
// constraints do not check refuses an input without it with an error that
// wraps ErrMissingInput and names the member, before it sends anything.
func TestMissingInput(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	before := e.srv.Requests(cognitoimporttest.ListUsers)
	for _, tt := range []struct {
		call   string
		err    error
		member string
	}{
		{"Export", second(e.client.Export(t.Context(), cognitoimport.ExportInput{UserPoolID: testPool})), "ExportInput.Users"},
		{"RestoreGroups", second(e.client.RestoreGroups(t.Context(), cognitoimport.RestoreGroupsInput{Groups: strings.NewReader("{}")})), "RestoreGroupsInput.UserPoolID"},
		{"MapSubs", second(e.client.MapSubs(t.Context(), cognitoimport.MapSubsInput{UserPoolID: testPool})), "MapSubsInput.Subs, MapSubsInput.Output"},
		{"Import", second(e.client.Import(t.Context(), cognitoimport.ImportInput{UserPoolID: testPool, JobName: "j", CloudWatchLogsRoleARN: testRoleARN})), "ImportInput.File"},
		{"ImportAll", second(e.client.ImportAll(t.Context(), cognitoimport.ImportAllInput{UserPoolID: testPool, JobName: "j", CloudWatchLogsRoleARN: testRoleARN})), "ImportAllInput.File"},
		{"Upload", e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL}), "UploadInput.Body"},
	} {
		if !errors.Is(tt.err, cognitoimport.ErrMissingInput) || !strings.HasSuffix(tt.err.Error(), ": "+tt.member) {
			t.Errorf("%s: %v, want ErrMissingInput naming %s", tt.call, tt.err, tt.member)
		}
	}
	if after := e.srv.Requests(cognitoimporttest.ListUsers); after != before {
		t.Errorf("%d ListUsers requests were sent", after-before)
	}
}

// second returns the second of two results.
func second[T any](_ T, err error) error { return err }
