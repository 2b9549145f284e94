package cognitoimport

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// ServiceError is an error the service returned. Every service error the
// Client returns matches *ServiceError with errors.As, whatever its code, and
// the documented codes also match their own types (such as
// *TooManyRequestsError), each of which wraps a *ServiceError.
//
// The SDK's error stays in the chain, so errors.As to the SDK's types (such
// as *types.ResourceNotFoundException) or to smithy.APIError works too.
// Failures that are not the service's answer, such as a cancelled context or
// a broken connection, are returned as the SDK reports them, not as a
// ServiceError.
type ServiceError struct {
	Operation  string // the API operation, such as "CreateUserImportJob" or "StartUserImportJob"
	Code       string // the error code, such as "TooManyRequestsException"
	Message    string
	RequestID  string // the x-amzn-RequestId of the response, for AWS Support
	StatusCode int    // the HTTP status of the response
	Err        error  // the SDK's error
}

// Error returns a one-line description with the operation, code, message,
// HTTP status and request ID.
func (e *ServiceError) Error() string {
	return fmt.Sprintf("cognitoimport: %s: %s: %s (HTTP %d, request ID %s)",
		e.Operation, e.Code, e.Message, e.StatusCode, e.RequestID)
}

// Unwrap returns the SDK's error.
func (e *ServiceError) Unwrap() error { return e.Err }

// The documented errors of the operations the Client calls (GetCSVHeader,
// DescribeUserPool, CreateUserImportJob, ListUserImportJobs,
// DescribeUserImportJob, StartUserImportJob, StopUserImportJob), one type a
// code. Each wraps the *ServiceError with its details. Every operation may
// return the five common ones (InternalError, InvalidParameterError,
// NotAuthorizedError, ResourceNotFoundError, TooManyRequestsError) and
// OperationNotEnabledError; the others name their operations.
type (
	// InternalError is InternalErrorException (HTTP 500): the service failed.
	// A later attempt may succeed.
	InternalError struct{ *ServiceError }

	// InvalidParameterError is InvalidParameterException: the service
	// rejected a parameter, for instance a pagination token it does not know.
	// (The test server also answers so a Start of a job that is not Created
	// and a Stop of a job that is not running; the real service's code there
	// is undocumented.)
	InvalidParameterError struct {
		*ServiceError
		// ReasonCode is the service's reasonCode, when it sent one.
		ReasonCode string
	}

	// LimitExceededError is LimitExceededException (CreateUserImportJob
	// only): a quota of the account or the pool is used up.
	LimitExceededError struct{ *ServiceError }

	// NotAuthorizedError is NotAuthorizedException: the caller is not
	// allowed to make the call.
	NotAuthorizedError struct{ *ServiceError }

	// OperationNotEnabledError is OperationNotEnabledException: the operation
	// is not enabled for the pool or the account.
	OperationNotEnabledError struct{ *ServiceError }

	// PreconditionNotMetError is PreconditionNotMetException
	// (CreateUserImportJob, StartUserImportJob and StopUserImportJob): a
	// precondition is not met, for instance the role cannot be used, or
	// StartUserImportJob found no uploaded file ("No csv file was uploaded
	// for <JobId>").
	PreconditionNotMetError struct{ *ServiceError }

	// ResourceNotFoundError is ResourceNotFoundException: the user pool (or,
	// for DescribeUserImportJob, StartUserImportJob and StopUserImportJob,
	// the job) does not exist.
	ResourceNotFoundError struct{ *ServiceError }

	// TooManyRequestsError is TooManyRequestsException: the caller is being
	// throttled. A later attempt may succeed.
	TooManyRequestsError struct{ *ServiceError }
)

// Unwrap returns the *ServiceError.
func (e *InternalError) Unwrap() error { return e.ServiceError }

// Unwrap returns the *ServiceError.
func (e *InvalidParameterError) Unwrap() error { return e.ServiceError }

// Unwrap returns the *ServiceError.
func (e *LimitExceededError) Unwrap() error { return e.ServiceError }

// Unwrap returns the *ServiceError.
func (e *NotAuthorizedError) Unwrap() error { return e.ServiceError }

// Unwrap returns the *ServiceError.
func (e *OperationNotEnabledError) Unwrap() error { return e.ServiceError }

// Unwrap returns the *ServiceError.
func (e *PreconditionNotMetError) Unwrap() error { return e.ServiceError }

// Unwrap returns the *ServiceError.
func (e *ResourceNotFoundError) Unwrap() error { return e.ServiceError }

// Unwrap returns the *ServiceError.
func (e *TooManyRequestsError) Unwrap() error { return e.ServiceError }

// ErrRepeatedToken is returned by Client.Pages and Client.Jobs when the
// service hands back a pagination token it handed back before, which would
// make the iteration loop forever.
var ErrRepeatedToken = errors.New("cognitoimport: the service repeated a pagination token")

// ErrMissingJob is returned by Client.CreateJob, DescribeJob, StartJob and
// StopJob when the service's answer carried no job.
var ErrMissingJob = errors.New("cognitoimport: the response has no user import job")

// wrapError turns the SDK's error for op into the package's typed error
// when the service sent it, and returns any other error unchanged.
func wrapError(op string, err error) error {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return err
	}
	se := &ServiceError{Operation: op, Code: apiErr.ErrorCode(), Message: apiErr.ErrorMessage(), Err: err}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		se.RequestID = re.ServiceRequestID()
		se.StatusCode = re.HTTPStatusCode()
	}
	switch se.Code {
	case "InternalErrorException":
		return &InternalError{se}
	case "InvalidParameterException":
		e := &InvalidParameterError{ServiceError: se}
		var ipe *types.InvalidParameterException
		if errors.As(err, &ipe) {
			e.ReasonCode = aws.ToString(ipe.ReasonCode)
		}
		return e
	case "LimitExceededException":
		return &LimitExceededError{se}
	case "NotAuthorizedException":
		return &NotAuthorizedError{se}
	case "OperationNotEnabledException":
		return &OperationNotEnabledError{se}
	case "PreconditionNotMetException":
		return &PreconditionNotMetError{se}
	case "ResourceNotFoundException":
		return &ResourceNotFoundError{se}
	case "TooManyRequestsException":
		return &TooManyRequestsError{se}
	}
	return se
}

// IsRetryable reports whether err is a failure that a later attempt may not
// meet: throttling (TooManyRequestsException, and the other codes the SDK's
// standard retryer counts as throttling, LimitExceededException among them),
// internal errors and other 5xx answers, and broken connections. An error
// returned after the SDK's retries ran out is still retryable. A done
// context, a *ValidationError, ErrRepeatedToken and the other service errors
// are not.
//
// A service error is judged by its code and HTTP status alone. (The SDK's
// own retryer also retries any error whose message says "connection reset",
// even a service error that quotes such a value back.)
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var se *ServiceError
	if errors.As(err, &se) {
		_, throttle := retry.DefaultThrottleErrorCodes[se.Code]
		_, transient := retry.DefaultRetryableErrorCodes[se.Code]
		return throttle || transient || se.StatusCode >= 500
	}
	var ve *ValidationError
	if errors.As(err, &ve) || errors.Is(err, ErrRepeatedToken) || errors.Is(err, ErrMissingJob) {
		return false
	}
	return retry.RetryableConnectionError{}.IsErrorRetryable(err).Bool()
}
