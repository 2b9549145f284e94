package cognitoimport

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
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
//
// PreSignedURL lets whoever holds it upload users into the pool until it
// expires, 15 minutes after the job was created: treat it as a secret. A Job
// never shows the URL's query string (where its credentials are) when it is
// printed with fmt, turned into a string, logged with log/slog or encoded
// with encoding/json (which slog's JSONHandler uses for slices and structs
// that hold jobs); only the field itself holds the whole URL. One path
// remains that no method can close: fmt prints a Job held in an unexported
// struct field as it is.
type Job struct {
	JobID                 string
	JobName               string
	UserPoolID            string
	CloudWatchLogsRoleARN string
	PreSignedURL          string
	Status                Status
	CreationDate          time.Time // zero when the service sent none
	StartDate             time.Time // zero until the job starts
	CompletionDate        time.Time // zero until the job ends
	CompletionMessage     string
	ImportedUsers         int64
	SkippedUsers          int64
	FailedUsers           int64
}

// redactedJob has Job's fields and none of its methods, so that fmt prints
// it field by field.
type redactedJob Job

func (j Job) redacted() redactedJob {
	r := redactedJob(j)
	r.PreSignedURL = RedactURL(j.PreSignedURL)
	return r
}

// RedactURL returns u with its query string and fragment replaced by
// "REDACTED", keeping the scheme, host and path that tell where it points.
func RedactURL(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i+1] + "REDACTED"
	}
	return u
}

// String returns the job's fields as %+v prints them, with the pre-signed
// URL redacted.
func (j Job) String() string { return fmt.Sprintf("%+v", j) }

// Format implements fmt.Formatter: every verb prints the job with its
// pre-signed URL redacted. %s and %q print String.
func (j Job) Format(f fmt.State, verb rune) {
	switch verb {
	case 's':
		fmt.Fprint(f, j.String())
	case 'q':
		fmt.Fprint(f, strconv.Quote(j.String()))
	default:
		if verb == 'v' && f.Flag('#') {
			s := fmt.Sprintf("%#v", j.redacted())
			fmt.Fprint(f, strings.Replace(s, "cognitoimport.redactedJob", "cognitoimport.Job", 1))
			return
		}
		fmt.Fprintf(f, fmt.FormatString(f, verb), j.redacted())
	}
}

// MarshalJSON implements json.Marshaler: the job's fields under their Go
// names, with the pre-signed URL redacted. To send the URL itself, send the
// PreSignedURL field.
func (j Job) MarshalJSON() ([]byte, error) { return json.Marshal(j.redacted()) }

// LogValue implements slog.LogValuer: the job as a group of its fields, with
// the pre-signed URL redacted and absent dates left out.
func (j Job) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 13)
	attrs = append(attrs,
		slog.String("JobID", j.JobID),
		slog.String("JobName", j.JobName),
		slog.String("UserPoolID", j.UserPoolID),
		slog.String("CloudWatchLogsRoleARN", j.CloudWatchLogsRoleARN),
		slog.String("PreSignedURL", RedactURL(j.PreSignedURL)),
		slog.String("Status", string(j.Status)),
	)
	for _, d := range []struct {
		key string
		t   time.Time
	}{{"CreationDate", j.CreationDate}, {"StartDate", j.StartDate}, {"CompletionDate", j.CompletionDate}} {
		if !d.t.IsZero() {
			attrs = append(attrs, slog.Time(d.key, d.t))
		}
	}
	if j.CompletionMessage != "" {
		attrs = append(attrs, slog.String("CompletionMessage", j.CompletionMessage))
	}
	attrs = append(attrs,
		slog.Int64("ImportedUsers", j.ImportedUsers),
		slog.Int64("SkippedUsers", j.SkippedUsers),
		slog.Int64("FailedUsers", j.FailedUsers),
	)
	return slog.GroupValue(attrs...)
}

// jobFromSDK converts the SDK's job.
func jobFromSDK(t *types.UserImportJobType) Job {
	return Job{
		JobID:                 aws.ToString(t.JobId),
		JobName:               aws.ToString(t.JobName),
		UserPoolID:            aws.ToString(t.UserPoolId),
		CloudWatchLogsRoleARN: aws.ToString(t.CloudWatchLogsRoleArn),
		PreSignedURL:          aws.ToString(t.PreSignedUrl),
		Status:                Status(t.Status),
		CreationDate:          aws.ToTime(t.CreationDate),
		StartDate:             aws.ToTime(t.StartDate),
		CompletionDate:        aws.ToTime(t.CompletionDate),
		CompletionMessage:     aws.ToString(t.CompletionMessage),
		ImportedUsers:         t.ImportedUsers,
		SkippedUsers:          t.SkippedUsers,
		FailedUsers:           t.FailedUsers,
	}
}

// CreateJobInput is the input of CreateJob. Every member is required.
type CreateJobInput struct {
	// UserPoolID is the pool to import users into, such as "us-east-1_EXAMPLE".
	UserPoolID string
	// JobName names the job: 1 to 128 letters, digits, white space and +=,.@_-.
	JobName string
	// CloudWatchLogsRoleARN is the ARN of the IAM role that lets Amazon
	// Cognito write the job's logs to CloudWatch Logs.
	CloudWatchLogsRoleARN string
}

// Validate checks in against the documented constraints of
// CreateUserImportJob and returns a *ValidationError that names every
// violation, or nil. It allocates nothing when in is valid.
func (in CreateJobInput) Validate() error {
	var buf [8]constraint.Violation
	vs := constraint.CloudWatchLogsRoleArn.CheckString(buf[:0], in.CloudWatchLogsRoleARN, in.CloudWatchLogsRoleARN != "")
	vs = constraint.JobName.CheckString(vs, in.JobName, in.JobName != "")
	vs = constraint.UserPoolID.CheckString(vs, in.UserPoolID, in.UserPoolID != "")
	return newValidationError(constraint.CreateUserImportJob, vs)
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
	}, optFns...)
	if err != nil {
		return nil, wrapError(constraint.CreateUserImportJob, err)
	}
	if out.UserImportJob == nil {
		return nil, fmt.Errorf("cognitoimport: CreateUserImportJob: %w", ErrMissingJob)
	}
	job := jobFromSDK(out.UserImportJob)
	return &job, nil
}
