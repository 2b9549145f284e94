package cognitoimport

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
// and in parentheses the HTTP status, the request ID and, when the SDK's
// retries ran out, its count of attempts, such as "cognitoimport:
// ListUserImportJobs: TooManyRequestsException: Rate exceeded (HTTP 400,
// request ID 9f1c…, exceeded maximum number of attempts, 3)". Empty parts
// are left out, and so is the count of attempts when the SDK made one. It
// never panics, not even on a nil or zero ServiceError.
func (e *ServiceError) Error() string { return errorText(e, "") }

// Unwrap returns the SDK's error.
func (e *ServiceError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// errorText formats e, with code standing for e's code when e has none
// (the code of the typed error that wraps it).
func errorText(e *ServiceError, code string) string {
	var b strings.Builder
	b.WriteString("cognitoimport: ")
	if e == nil {
		e = &ServiceError{}
	}
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	switch {
	case e.Code != "":
		b.WriteString(e.Code)
	case code != "":
		b.WriteString(code)
	default:
		b.WriteString("service error")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	var details []string
	if e.StatusCode != 0 {
		details = append(details, "HTTP "+strconv.Itoa(e.StatusCode))
	}
	if e.RequestID != "" {
		details = append(details, "request ID "+e.RequestID)
	}
	// The SDK's MaxAttemptsError is in the chain, below the API error that
	// this describes: its own text would be lost. (With retries turned off
	// the SDK reports one attempt as the maximum: that says nothing.)
	var maxAttempts *retry.MaxAttemptsError
	if errors.As(e.Err, &maxAttempts) && maxAttempts.Attempt > 1 {
		details = append(details, "exceeded maximum number of attempts, "+strconv.Itoa(maxAttempts.Attempt))
	}
	if len(details) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(details, ", "))
		b.WriteString(")")
	}
	return b.String()
}

// unwrapService returns se as an error: nil, not an error holding a nil
// pointer, when se is nil.
func unwrapService(se *ServiceError) error {
	if se == nil {
		return nil
	}
	return se
}

// The codes that have a type of their own.
const (
	codeInternal            = "InternalErrorException"
	codeInvalidParameter    = "InvalidParameterException"
	codeLimitExceeded       = "LimitExceededException"
	codeNotAuthorized       = "NotAuthorizedException"
	codeOperationNotEnabled = "OperationNotEnabledException"
	codePreconditionNotMet  = "PreconditionNotMetException"
	codeResourceNotFound    = "ResourceNotFoundException"
	codeTooManyRequests     = "TooManyRequestsException"
)

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
	// rejected a parameter, for instance a pagination token it does not
	// know. ReasonCode says why, when the service gives a reason.
	InvalidParameterError struct {
		*ServiceError
		// ReasonCode is the service's reasonCode, when it sent one.
		ReasonCode string
	}

	// LimitExceededError is LimitExceededException (CreateUserImportJob
	// only): the call went over a limit of the account or the pool, which
	// the answer does not name: a rate, or a quota of resources such as the
	// import jobs a pool may hold at once. The SDK's standard retryer counts
	// the code as throttling and retries it, and IsRetryable agrees: a rate
	// limit passes, and a quota frees as jobs end. An error that comes back
	// after the retries ran out, again and again, points to a quota: then
	// wait for jobs to end, or ask AWS for a higher quota.
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

// The typed errors' methods never panic, not even on a nil pointer or a
// zero value (a nil *ServiceError), as a caller's fake may build them.

// Error describes e as ServiceError.Error does.
func (e *InternalError) Error() string { return errorText(e.service(), codeInternal) }

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *InternalError) Unwrap() error { return unwrapService(e.service()) }

func (e *InternalError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// Error describes e as ServiceError.Error does.
func (e *InvalidParameterError) Error() string { return errorText(e.service(), codeInvalidParameter) }

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *InvalidParameterError) Unwrap() error { return unwrapService(e.service()) }

func (e *InvalidParameterError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// Error describes e as ServiceError.Error does.
func (e *LimitExceededError) Error() string { return errorText(e.service(), codeLimitExceeded) }

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *LimitExceededError) Unwrap() error { return unwrapService(e.service()) }

func (e *LimitExceededError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// Error describes e as ServiceError.Error does.
func (e *NotAuthorizedError) Error() string { return errorText(e.service(), codeNotAuthorized) }

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *NotAuthorizedError) Unwrap() error { return unwrapService(e.service()) }

func (e *NotAuthorizedError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// Error describes e as ServiceError.Error does.
func (e *OperationNotEnabledError) Error() string {
	return errorText(e.service(), codeOperationNotEnabled)
}

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *OperationNotEnabledError) Unwrap() error { return unwrapService(e.service()) }

func (e *OperationNotEnabledError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// Error describes e as ServiceError.Error does.
func (e *PreconditionNotMetError) Error() string {
	return errorText(e.service(), codePreconditionNotMet)
}

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *PreconditionNotMetError) Unwrap() error { return unwrapService(e.service()) }

func (e *PreconditionNotMetError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// Error describes e as ServiceError.Error does.
func (e *ResourceNotFoundError) Error() string { return errorText(e.service(), codeResourceNotFound) }

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *ResourceNotFoundError) Unwrap() error { return unwrapService(e.service()) }

func (e *ResourceNotFoundError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// Error describes e as ServiceError.Error does.
func (e *TooManyRequestsError) Error() string { return errorText(e.service(), codeTooManyRequests) }

// Unwrap returns the *ServiceError, or nil if there is none.
func (e *TooManyRequestsError) Unwrap() error { return unwrapService(e.service()) }

func (e *TooManyRequestsError) service() *ServiceError {
	if e == nil {
		return nil
	}
	return e.ServiceError
}

// ErrRepeatedToken is returned by Client.Pages and Client.Jobs when the
// service hands back a pagination token that the iteration sent before (the
// input's token included), which would make it repeat pages, or loop for
// ever. It comes after the page that carried the token, before any page
// repeats.
var ErrRepeatedToken = errors.New("cognitoimport: the service repeated a pagination token")

// ErrEmptyPages is returned by Client.Pages and Client.Jobs when the
// service sent MaxEmptyPages pages in a row without a job, each with a
// pagination token: a listing that would otherwise go on for ever without
// yielding a job. It comes after the last of those pages; Pages has yielded
// them, so its token can resume the listing.
var ErrEmptyPages = errors.New("cognitoimport: the service sent " + strconv.Itoa(MaxEmptyPages) + " pages in a row without a job, each with a pagination token")

// ErrMissingJob is returned, wrapped with the operation's name, by
// Client.CreateJob, DescribeJob, StartJob and StopJob when the service's
// answer carried no job.
var ErrMissingJob = errors.New("cognitoimport: the response has no user import job")

// ErrRedactedURL is returned, wrapped, by SecretURL.UnmarshalText (and so by
// the encoding/json, encoding/xml and encoding/gob decoders of a Job) when
// the URL to decode was redacted when it was encoded: its credentials are
// gone, so it cannot be used to upload.
var ErrRedactedURL = errors.New("cognitoimport: the URL was redacted when it was encoded; its credentials are lost")

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
	case codeInternal:
		return &InternalError{se}
	case codeInvalidParameter:
		e := &InvalidParameterError{ServiceError: se}
		var ipe *types.InvalidParameterException
		if errors.As(err, &ipe) {
			e.ReasonCode = aws.ToString(ipe.ReasonCode)
		}
		return e
	case codeLimitExceeded:
		return &LimitExceededError{se}
	case codeNotAuthorized:
		return &NotAuthorizedError{se}
	case codeOperationNotEnabled:
		return &OperationNotEnabledError{se}
	case codePreconditionNotMet:
		return &PreconditionNotMetError{se}
	case codeResourceNotFound:
		return &ResourceNotFoundError{se}
	case codeTooManyRequests:
		return &TooManyRequestsError{se}
	}
	return se
}

// IsRetryable reports whether err is a failure that a later attempt may not
// meet: throttling (TooManyRequestsException, and the other codes the SDK's
// standard retryer counts as throttling, LimitExceededException among them),
// internal errors and other 5xx answers, and broken connections. An error
// returned after the SDK's retries ran out is still retryable. A done
// context, a *ValidationError, ErrRepeatedToken, ErrEmptyPages,
// ErrMissingJob, ErrRedactedURL and the other service errors are not. An *UploadError is
// retryable when S3 says SlowDown, RequestTimeout, InternalError or
// ServiceUnavailable, or answers 5xx or 429 (Upload has retried it already);
// the errors Upload returns before sending (ErrURLExpired, ErrFileTooLarge,
// ErrUnknownSize) and ErrSizeMismatch are not.
//
// A service error is judged by its code and HTTP status alone, whether it is
// a *ServiceError of this package or any smithy.APIError, such as the SDK
// client's own errors for the operations this package does not wrap. (The
// SDK's own retryer also retries any error whose message says "connection
// reset", even a service error that quotes such a value back.)
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ve *ValidationError
	if errors.As(err, &ve) || errors.Is(err, ErrRepeatedToken) || errors.Is(err, ErrEmptyPages) || errors.Is(err, ErrMissingJob) || errors.Is(err, ErrRedactedURL) {
		return false
	}
	// The types of the retryable codes say so even when built empty.
	if isNonNil[*TooManyRequestsError](err) || isNonNil[*InternalError](err) || isNonNil[*LimitExceededError](err) {
		return true
	}
	var se *ServiceError
	if errors.As(err, &se) && se != nil {
		return retryableCode(se.Code, se.StatusCode)
	}
	var ue *UploadError
	if errors.As(err, &ue) && ue != nil {
		return ue.retryable()
	}
	if errors.Is(err, ErrURLExpired) || errors.Is(err, ErrFileTooLarge) || errors.Is(err, ErrUnknownSize) || errors.Is(err, ErrSizeMismatch) {
		return false
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		status := 0
		var re *awshttp.ResponseError
		if errors.As(err, &re) {
			status = re.HTTPStatusCode()
		}
		return retryableCode(apiErr.ErrorCode(), status)
	}
	return retry.RetryableConnectionError{}.IsErrorRetryable(err).Bool()
}

// retryableCode reports whether a service error with code and HTTP status
// may not meet a later attempt: the codes the SDK's standard retryer retries,
// and 5xx.
func retryableCode(code string, status int) bool {
	_, throttle := retry.DefaultThrottleErrorCodes[code]
	_, transient := retry.DefaultRetryableErrorCodes[code]
	return throttle || transient || status >= 500
}

// isNonNil reports whether errors.As finds a non-nil T in err's chain.
func isNonNil[T interface {
	comparable
	error
}](err error) bool {
	var target, zero T
	return errors.As(err, &target) && target != zero
}

// opError is err, whose text carries the package's prefix, from operation op.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "cognitoimport: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "cognitoimport: ")
}

func (e *opError) Unwrap() error { return e.err }

// missingJob is ErrMissingJob for operation op, such as "cognitoimport:
// CreateUserImportJob: the response has no user import job".
func missingJob(op string) error { return &opError{op, ErrMissingJob} }

// ErrURLExpired is the error of an upload to a pre-signed URL whose 15
// minutes are over. Upload returns it, wrapped, before sending anything when
// the URL's X-Amz-Date and X-Amz-Expires say so by the Client's clock; an
// *UploadError in which S3 says the request has expired matches it too, with
// errors.Is. The only remedy is a new job.
var ErrURLExpired = errors.New("cognitoimport: the pre-signed URL has expired: create a new job")

// ErrUntrustedURL is returned, wrapped, by Upload before sending anything
// when the URL is not one the upload may go to: a pre-signed URL from the
// service is https on an Amazon S3 host. The origin of the SDK client's
// BaseEndpoint (a test server's, for instance) and the origins given to
// WithUploadOrigins are allowed too.
var ErrUntrustedURL = errors.New("cognitoimport: the upload URL is not an https URL on an Amazon S3 host")

// ErrFileTooLarge is returned, wrapped, by Upload before sending anything
// when the file is larger than MaxFileBytes.
var ErrFileTooLarge = errors.New("cognitoimport: the users file is larger than 100 MB")

// ErrUnknownSize is returned by Upload when UploadInput.Size is 0 and the
// body's size cannot be learned: S3 takes no upload of unknown length.
var ErrUnknownSize = errors.New("cognitoimport: the size of the upload's body is unknown: set UploadInput.Size")

// ErrSizeMismatch is returned, wrapped, by Upload when the body holds more
// or fewer bytes than UploadInput.Size. S3 keeps nothing of such an upload.
var ErrSizeMismatch = errors.New("cognitoimport: the upload's body does not hold UploadInput.Size bytes")

// ErrHeader is wrapped by the error NewUsersWriter returns for a header it
// cannot write users under.
var ErrHeader = errors.New("cognitoimport: bad users file header")

// The errors of the per-row results (results.go, resultsfile.go).

// LogNotFoundError is the answer of CloudWatch Logs that the job's log group
// or stream does not exist. The service creates them while the job runs: a
// job that has not started has none yet, nor does a pool none of whose
// jobs has, and a group or stream deleted (or expired by its retention)
// reads the same. Err is the service's error (a *ServiceError in its chain).
type LogNotFoundError struct {
	Group, Stream string
	Err           error
}

// Error names the group and stream.
func (e *LogNotFoundError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cognitoimport: the log stream %s of group %s does not exist (yet: the service creates it once the job starts): %v", e.Stream, e.Group, e.Err)
}

// Unwrap returns Err.
func (e *LogNotFoundError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// LogAccessDeniedError is CloudWatch Logs' refusal to let the caller read
// the job's log (AccessDeniedException, or UnrecognizedClientException for
// unknown credentials): the caller's IAM policy needs logs:GetLogEvents on
// the group. Err is the service's error (a *ServiceError in its chain).
type LogAccessDeniedError struct {
	Group, Stream string
	Err           error
}

// Error names the group and the permission.
func (e *LogAccessDeniedError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cognitoimport: not allowed to read the log group %s (logs:GetLogEvents): %v", e.Group, e.Err)
}

// Unwrap returns Err.
func (e *LogAccessDeniedError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// ErrNoLogsClient is returned by Results when the Client has no CloudWatch
// Logs client: it was made by New from an API that is not an SDK client,
// without WithLogs.
var ErrNoLogsClient = errors.New("cognitoimport: the Client has no CloudWatch Logs client: make it with NewFromConfig, or pass one with WithLogs")

// FileMismatchError is Join's refusal of a file that is not the users file
// of the job whose results it was given: its number of user rows differs
// from the job's counts (Succeeded or Failed: ImportedUsers + SkippedUsers +
// FailedUsers; Stopped: at most that), or the log names a line that is not
// a user row of the file. NewResultsFile returns it too for a file whose
// header has no cognito:username column (Line 1).
type FileMismatchError struct {
	JobID   string // "" when there was no job to compare with
	Rows    int    // the file's user rows
	JobRows int64  // the rows the job processed, when they differ
	Line    int    // the line the log named, or 1
	Reason  string // what did not match
}

// Error says what did not match.
func (e *FileMismatchError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.JobID == "" {
		return "cognitoimport: not a users file: " + e.Reason
	}
	return fmt.Sprintf("cognitoimport: the file is not the users file of job %s: %s", e.JobID, e.Reason)
}

// ErrNotJoined is returned by WriteRetry and Lines when no Join of the
// ResultsFile was ranged to its end.
var ErrNotJoined = errors.New("cognitoimport: the results were not joined with the file to their end")

// ErrNoPoolAPI is returned by Export, RestoreGroups and MapSubs when the
// API the Client was made with does not implement PoolAPI.
var ErrNoPoolAPI = errors.New("cognitoimport: the client's API does not implement PoolAPI (ListUsers, ListGroups, ListUsersInGroup, CreateGroup, AdminAddUserToGroup)")

// ErrSubsFile is returned, wrapped, by MapSubs for a sub file that is not
// the CSV Export writes.
var ErrSubsFile = errors.New("cognitoimport: not a sub file of Export (CSV: sub,username)")

// ErrMissingInput is wrapped by the error of a call whose input lacks a
// member the call requires and the service's own constraints do not check
// (a reader or writer, or the UserPoolID of a call that is not one
// operation): Import, ImportAll, Upload, Export, RestoreGroups and MapSubs
// return it, naming each missing member, before they send anything.
var ErrMissingInput = errors.New("cognitoimport: a required input member is missing")

// required is a member of an input that a call requires, and whether it is
// set.
type required struct {
	member string
	set    bool
}

// checkRequired returns nil when every member is set, and otherwise an
// error that wraps ErrMissingInput and names the members that are not.
func checkRequired(members ...required) error {
	var missing []string
	for _, m := range members {
		if !m.set {
			missing = append(missing, m.member)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrMissingInput, strings.Join(missing, ", "))
}

// JournalError is ImportAll's refusal of a journal that does not belong to
// the import it is asked to run: the users file changed since the journal
// was written (its size, modification time or the bytes of a part differ),
// the journal names another pool or job name, or it is not a journal at all.
// Nothing is imported. Match it with errors.As. To import the file as it is
// now, name a new journal (or delete the old one once its jobs are known).
type JournalError struct {
	Journal string // the journal's path
	// Part is the part whose bytes differ, or 0 when the reason is not
	// about one part.
	Part   int
	Reason string // what does not match
}

// Error names the journal and the reason.
func (e *JournalError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.Part > 0 {
		return fmt.Sprintf("cognitoimport: journal %s does not match the users file: part %d: %s", e.Journal, e.Part, e.Reason)
	}
	return fmt.Sprintf("cognitoimport: journal %s does not match this import: %s", e.Journal, e.Reason)
}

// JournalLockedError is ImportAll's refusal to run while another run of
// the same import (another process, or another call in this one) holds the
// journal's lock. Match it with errors.As.
type JournalLockedError struct {
	Journal string // the journal's path
	PID     int    // the process that holds the lock, 0 when unknown
	// MayBeStale is true where the lock is a plain file (systems without
	// flock): it stays when its process dies, and must then be deleted by
	// hand (JOURNAL.lock).
	MayBeStale bool
}

// Error names the journal and the process that holds it.
func (e *JournalLockedError) Error() string {
	if e == nil {
		return "<nil>"
	}
	holder := "another process"
	if e.PID > 0 {
		holder = "process " + strconv.Itoa(e.PID)
	}
	msg := fmt.Sprintf("cognitoimport: journal %s is in use by %s: the same import is already running", e.Journal, holder)
	if e.MayBeStale {
		msg += fmt.Sprintf(" (if that process is gone, delete %s)", lockPath(e.Journal))
	}
	return msg
}

// PartError is the failure of one part of ImportAll: a step failed, or the
// part's job ended other than Succeeded (then Err is a *JobError). The
// journal records where the import stopped: run ImportAll again with it to
// go on. Match it with errors.As.
type PartError struct {
	Part, Parts int        // the part (1-based) and how many there are
	Step        ImportStep // the step that failed; StepWait when the job ended badly
	// Job is the part's job as last seen, nil before it was created.
	Job *Job
	Err error
}

// Error names the part, its job and the cause.
func (e *PartError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.Job == nil {
		return fmt.Sprintf("cognitoimport: import: part %d of %d: %s: %v", e.Part, e.Parts, e.Step, e.Err)
	}
	return fmt.Sprintf("cognitoimport: import: part %d of %d, job %s (%s): %s: %v", e.Part, e.Parts, e.Job.JobID, e.Job.Status, e.Step, e.Err)
}

// Unwrap returns Err.
func (e *PartError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}
