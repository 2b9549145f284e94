package cognitoimport

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

// Status is the status of a user import job. Values the service adds after
// this package was written are passed through unchanged.
type Status string

// The statuses the service documents.
const (
	StatusCreated    Status = "Created"
	StatusPending    Status = "Pending"
	StatusInProgress Status = "InProgress"
	StatusStopping   Status = "Stopping"
	StatusExpired    Status = "Expired"
	StatusStopped    Status = "Stopped"
	StatusFailed     Status = "Failed"
	StatusSucceeded  Status = "Succeeded"
)

// Terminal reports whether a job in status s has ended and will change no
// more: Expired, Stopped, Failed or Succeeded. It is false for unknown
// statuses.
func (s Status) Terminal() bool {
	switch s {
	case StatusExpired, StatusStopped, StatusFailed, StatusSucceeded:
		return true
	}
	return false
}

// Job is a user import job.
type Job struct {
	JobID                 string
	JobName               string
	UserPoolID            string
	CloudWatchLogsRoleARN string
	// PreSignedURL is where to upload the users' CSV file. It never shows
	// its credentials when printed, logged or encoded: see SecretURL.
	PreSignedURL      SecretURL
	Status            Status
	CreationDate      time.Time // zero when the service sent none
	StartDate         time.Time // zero until the job starts
	CompletionDate    time.Time // zero until the job ends
	CompletionMessage string
	ImportedUsers     int64
	SkippedUsers      int64
	FailedUsers       int64
	// PasswordHashingAlgorithm is the algorithm of the password hashes
	// the job's file carries, as CreateJobInput set it; empty: none.
	PasswordHashingAlgorithm PasswordHashingAlgorithm
}

// jobFields has Job's fields and none of its methods.
type jobFields Job

// String returns the job's fields as %+v prints a struct, with the
// pre-signed URL redacted.
func (j Job) String() string { return fmt.Sprintf("%+v", jobFields(j)) }

// jobFromSDK converts the SDK's job.
func jobFromSDK(t *types.UserImportJobType) Job {
	return Job{
		JobID:                 aws.ToString(t.JobId),
		JobName:               aws.ToString(t.JobName),
		UserPoolID:            aws.ToString(t.UserPoolId),
		CloudWatchLogsRoleARN: aws.ToString(t.CloudWatchLogsRoleArn),
		PreSignedURL:          NewSecretURL(aws.ToString(t.PreSignedUrl)),
		Status:                Status(t.Status),
		CreationDate:          aws.ToTime(t.CreationDate),
		StartDate:             aws.ToTime(t.StartDate),
		CompletionDate:        aws.ToTime(t.CompletionDate),
		CompletionMessage:     aws.ToString(t.CompletionMessage),
		ImportedUsers:         t.ImportedUsers,
		SkippedUsers:          t.SkippedUsers,
		FailedUsers:           t.FailedUsers,

		PasswordHashingAlgorithm: PasswordHashingAlgorithm(t.PasswordHashingAlgorithm),
	}
}

// PasswordHashingAlgorithm is the algorithm that made the password hashes
// in a users file, so that imported users keep their passwords. The service
// documents the member and its four values, not the file's hash column:
// see the service's documentation for how to lay out the hashes.
type PasswordHashingAlgorithm string

// The algorithms CreateUserImportJob takes.
const (
	PasswordHashingBcrypt       PasswordHashingAlgorithm = "BCRYPT"
	PasswordHashingScrypt       PasswordHashingAlgorithm = "SCRYPT"
	PasswordHashingArgon2id     PasswordHashingAlgorithm = "ARGON2ID"
	PasswordHashingPBKDF2SHA256 PasswordHashingAlgorithm = "PBKDF2_SHA256"
)

// CreateJobInput is the input of CreateJob. Every member is required but
// PasswordHashingAlgorithm.
type CreateJobInput struct {
	// UserPoolID is the pool to import users into, such as "us-east-1_EXAMPLE".
	UserPoolID string
	// JobName names the job: 1 to 128 letters, digits, white space and +=,.@_-.
	JobName string
	// CloudWatchLogsRoleARN is the ARN of the IAM role that lets Amazon
	// Cognito write the job's logs to CloudWatch Logs.
	CloudWatchLogsRoleARN string
	// PasswordHashingAlgorithm, when not empty, says that the file
	// carries password hashes made with it, so that the imported users
	// keep their passwords. It must be one of the PasswordHashing
	// constants.
	PasswordHashingAlgorithm PasswordHashingAlgorithm
}

// CreateJob creates a user import job in status Created, and returns it with
// the PreSignedURL to upload the users' CSV file to. It checks in first
// (unless the Client was made WithoutValidation) and sends nothing if in is
// not valid. optFns apply to this call's SDK options.
func (c *Client) CreateJob(ctx context.Context, in CreateJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*Job, error) {
	if c.validate {
		if err := in.Validate(); err != nil {
			return nil, err
		}
	}
	out, err := c.api.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String(in.UserPoolID),
		JobName:               aws.String(in.JobName),
		CloudWatchLogsRoleArn: aws.String(in.CloudWatchLogsRoleARN),

		PasswordHashingAlgorithm: types.PasswordHashingAlgorithmType(in.PasswordHashingAlgorithm),
	}, c.sdkOptions(optFns)...)
	if err != nil {
		return nil, wrapError(constraint.CreateUserImportJob, err)
	}
	return jobOf(constraint.CreateUserImportJob, out.UserImportJob)
}

// DescribeJobInput is the input of DescribeJob. Every member is required.
type DescribeJobInput struct {
	UserPoolID string // the job's pool, such as "us-east-1_EXAMPLE"
	JobID      string // the job, such as "import-qQ0DCt2fRh"
}

// StartJobInput is the input of StartJob. Every member is required.
type StartJobInput struct {
	UserPoolID string // the job's pool
	JobID      string // the job
}

// StopJobInput is the input of StopJob. Every member is required.
type StopJobInput struct {
	UserPoolID string // the job's pool
	JobID      string // the job
}

// DescribeJob returns the job as it is now: its status and counts of
// imported, skipped and failed users. It checks in first (unless the Client
// was made WithoutValidation) and sends nothing if in is not valid. optFns
// apply to this call's SDK options.
func (c *Client) DescribeJob(ctx context.Context, in DescribeJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*Job, error) {
	if c.validate {
		if err := in.Validate(); err != nil {
			return nil, err
		}
	}
	out, err := c.api.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{
		UserPoolId: aws.String(in.UserPoolID),
		JobId:      aws.String(in.JobID),
	}, c.sdkOptions(optFns)...)
	if err != nil {
		return nil, wrapError(constraint.DescribeUserImportJob, err)
	}
	return jobOf(constraint.DescribeUserImportJob, out.UserImportJob)
}

// StartJob starts a job in status Created whose file was uploaded, and
// returns it, usually in status Pending. The service refuses with a
// *PreconditionNotMetError when no file was uploaded. A job can be started
// once, within about a day of its creation (then it is Expired). It checks
// in first (unless the Client was made WithoutValidation) and sends nothing
// if in is not valid. optFns apply to this call's SDK options.
//
// StartUserImportJob is not idempotent: when StartJob fails without the
// service's answer (a timeout, a broken connection), the job may have
// started; DescribeJob tells. Import does that check itself.
func (c *Client) StartJob(ctx context.Context, in StartJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*Job, error) {
	if c.validate {
		if err := in.Validate(); err != nil {
			return nil, err
		}
	}
	out, err := c.api.StartUserImportJob(ctx, &cognitoidentityprovider.StartUserImportJobInput{
		UserPoolId: aws.String(in.UserPoolID),
		JobId:      aws.String(in.JobID),
	}, c.sdkOptions(optFns)...)
	if err != nil {
		return nil, wrapError(constraint.StartUserImportJob, err)
	}
	return jobOf(constraint.StartUserImportJob, out.UserImportJob)
}

// StopJob stops a running job and returns it, in status Stopped (or
// Stopping while it finishes its current work). A stopped job cannot be
// started again; the users it imported stay imported. It checks in first
// (unless the Client was made WithoutValidation) and sends nothing if in is
// not valid. optFns apply to this call's SDK options.
func (c *Client) StopJob(ctx context.Context, in StopJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*Job, error) {
	if c.validate {
		if err := in.Validate(); err != nil {
			return nil, err
		}
	}
	out, err := c.api.StopUserImportJob(ctx, &cognitoidentityprovider.StopUserImportJobInput{
		UserPoolId: aws.String(in.UserPoolID),
		JobId:      aws.String(in.JobID),
	}, c.sdkOptions(optFns)...)
	if err != nil {
		return nil, wrapError(constraint.StopUserImportJob, err)
	}
	return jobOf(constraint.StopUserImportJob, out.UserImportJob)
}

// jobOf converts the job of op's answer, or returns ErrMissingJob for op,
// as every operation that answers with a job does.
func jobOf(op string, t *types.UserImportJobType) (*Job, error) {
	if t == nil {
		return nil, missingJob(op)
	}
	job := jobFromSDK(t)
	return &job, nil
}

// JobError reports a job that ended other than Succeeded: Failed, Stopped or
// Expired. Job.Err and Import return it; match it with errors.As.
type JobError struct {
	Job Job
}

// Error returns the job's ID, status, CompletionMessage and counts, such as
// "cognitoimport: job import-qQ0DCt2fRh Failed: Too many users have failed
// or been skipped during the import. (imported 0, skipped 0, failed 5)".
func (e *JobError) Error() string {
	if e == nil {
		return "<nil>"
	}
	j := e.Job
	msg := j.CompletionMessage
	if msg == "" {
		msg = "(no completion message)"
	}
	return fmt.Sprintf("cognitoimport: job %s %s: %s (imported %d, skipped %d, failed %d)",
		j.JobID, j.Status, msg, j.ImportedUsers, j.SkippedUsers, j.FailedUsers)
}

// Err returns nil if the job succeeded or has not ended yet, and a
// *JobError with a copy of the job if it ended otherwise (Failed, Stopped,
// Expired). The reasons of single users' failures are only in the job's
// CloudWatch Logs stream.
func (j *Job) Err() error {
	if j == nil || !j.Status.Terminal() || j.Status == StatusSucceeded {
		return nil
	}
	return &JobError{Job: *j}
}
