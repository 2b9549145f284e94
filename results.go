package cognitoimport

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
)

// Per-row results. A job writes one event a row of its file to CloudWatch
// Logs, in the group /aws/cognito/userpools/<PoolId>/<PoolName>, stream
// <JobId>/<JobName>:
//
//	[SUCCEEDED] Line Number 2 - The import succeeded.
//	[SKIPPED] Line Number 3 - The user already exists.
//	[FAILED] Line Number 4 - <reason>
//
// Results reads them with GetLogEvents; ResultsFile joins them with the
// users file; ResultsSummary counts them by reason.

// LogsAPI is the part of the CloudWatch Logs client that Results calls.
// *cloudwatchlogs.Client satisfies it. As with API, a fake or a recorder can
// embed a real client and override the call.
type LogsAPI interface {
	GetLogEvents(ctx context.Context, params *cloudwatchlogs.GetLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error)
}

var _ LogsAPI = (*cloudwatchlogs.Client)(nil)

// WithLogs makes the Client read jobs' logs with logs. The default is a
// cloudwatchlogs.Client made from the configuration of the Cognito client
// New was given (its Options: region, credentials, HTTP client, retryer and
// BaseEndpoint; a custom BaseEndpoint is used for both services, as the test
// server serves both on one endpoint), or from NewFromConfig's aws.Config.
// Pass a logs client when the logs are read with other credentials, in
// another account or through another endpoint.
func WithLogs(logs LogsAPI) Option { return func(c *Client) { c.logs = logs } }

// sdkLogs returns a CloudWatch Logs client configured as api's SDK client,
// or nil when api has no SDK options (a fake).
func sdkLogs(api API) (logs LogsAPI) {
	o, ok := api.(interface {
		Options() cognitoidentityprovider.Options
	})
	if !ok {
		return nil
	}
	defer func() {
		if recover() != nil { // a nil *cognitoidentityprovider.Client
			logs = nil
		}
	}()
	opts := o.Options()
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region: opts.Region, Credentials: opts.Credentials, HTTPClient: opts.HTTPClient,
		BaseEndpoint: opts.BaseEndpoint, Retryer: opts.Retryer, RetryMaxAttempts: opts.RetryMaxAttempts,
		RetryMode: opts.RetryMode, Logger: opts.Logger, ClientLogMode: opts.ClientLogMode, AppID: opts.AppID,
	})
}

// Outcome is what the service did with one row of a users file.
type Outcome string

// The outcomes. The log holds the first three; OutcomeNotLogged is
// ResultsFile.Join's, for a row of the file that the log has no event for.
const (
	OutcomeSucceeded Outcome = "SUCCEEDED" // the user was imported
	OutcomeSkipped   Outcome = "SKIPPED"   // the user exists in the pool already
	OutcomeFailed    Outcome = "FAILED"    // the row broke a rule; Reason says which
	OutcomeNotLogged Outcome = "NOT_LOGGED"
)

// RowResult is the outcome of one row of a job's users file.
type RowResult struct {
	// Line is the row's line number in the file; the header is line 1.
	Line    int
	Outcome Outcome
	// Reason is the log's text after " - ", such as "The user already
	// exists.". Only a few texts are documented: a caller must not depend
	// on the others. Empty for OutcomeNotLogged.
	Reason string
	// Username and Raw are set by ResultsFile.Join: the row's
	// cognito:username as the service reads it, and the exact bytes of its
	// line without the line break (\n or \r\n).
	Username string
	Raw      []byte
}

// ResultsInput is the input of Results and NewResultsPaginator.
type ResultsInput struct {
	// UserPoolID and JobID name the job. Required.
	UserPoolID, JobID string
	// PoolName is the pool's name, which names the log group; empty:
	// DescribeUserPool tells it.
	PoolName string
	// Job is the job as last described, whose name names the stream and
	// whose counts, once it ended, say how many row events the log will
	// hold; nil: DescribeUserImportJob tells them.
	Job *Job
	// NextToken resumes a read after the page whose ResultsPage.NextToken
	// it is: rows already read are not read again. Empty: from the head.
	NextToken string
	// Limit is the most events a page holds; 0: the service's default
	// (10,000, or 1 MB of events).
	Limit int32
	// MaxWait bounds how long, in all, a read of an ended job's log waits
	// for the events that trail the job's end (the service writes the last
	// rows' events after it reports the job ended), re-reading from where it
	// stopped every ResultsPollDelay; 0: DefaultResultsWait; negative: no
	// wait. A read of a job still running never waits: it ends at the last
	// event written, and a later read resumes from its NextToken.
	MaxWait time.Duration
}

// DefaultResultsWait is ResultsInput.MaxWait's default.
const DefaultResultsWait = 30 * time.Second

// ResultsPollDelay is the time between re-reads of a log that lacks the
// events of an ended job's last rows.
const ResultsPollDelay = time.Second

// LogGroupName returns the name of the CloudWatch Logs group of the jobs of
// the pool with this ID and name.
func LogGroupName(userPoolID, poolName string) string {
	return "/aws/cognito/userpools/" + userPoolID + "/" + poolName
}

// LogStreamName returns the name of the CloudWatch Logs stream of a job.
func LogStreamName(jobID, jobName string) string { return jobID + "/" + jobName }

// ResultsPage is one page of a job's results.
type ResultsPage struct {
	// Results are the page's row events, in the log's order.
	Results []RowResult
	// OtherEvents counts the page's events that are not row events (the
	// service's "Cognito User Pools Import - Test Log" events, or any text
	// this package does not know): they are skipped.
	OtherEvents int
	// NextToken, as ResultsInput.NextToken, resumes a later read after
	// this page.
	NextToken string
}

// ResultsPaginator reads a job's results a page at a time, as the SDK's
// paginators do: from the head of its log stream (or ResultsInput's
// NextToken) with GetLogEvents, following nextForwardToken until the
// service answers the token it was sent, which is how CloudWatch Logs says
// "the end". Make it with NewResultsPaginator.
type ResultsPaginator struct {
	c    *Client
	in   ResultsInput
	opts []func(*cognitoidentityprovider.Options)

	resolved       bool
	group, stream  string
	expect         int64 // row events the log will hold; 0: not known
	rows           int64 // row events read
	token          string
	atEnd, done    bool
	waited, budget time.Duration
}

// NewResultsPaginator returns a paginator over the results of in's job.
// optFns apply to the calls of the Cognito service it makes to learn the
// log's names (DescribeUserPool, DescribeUserImportJob); its CloudWatch
// Logs calls take the options of the Client's logs client (WithLogs).
func (c *Client) NewResultsPaginator(in ResultsInput, optFns ...func(*cognitoidentityprovider.Options)) *ResultsPaginator {
	budget := in.MaxWait
	if budget == 0 {
		budget = DefaultResultsWait
	}
	return &ResultsPaginator{c: c, in: in, opts: optFns, token: in.NextToken, budget: max(budget, 0)}
}

// HasMorePages reports whether NextPage has more to read.
func (p *ResultsPaginator) HasMorePages() bool { return !p.done }

// resolve learns the group's and the stream's names, and how many row
// events an ended job's log will hold.
func (p *ResultsPaginator) resolve(ctx context.Context) error {
	if p.c.logs == nil {
		return ErrNoLogsClient
	}
	in := p.in
	if p.c.validate {
		if err := (DescribeJobInput{UserPoolID: in.UserPoolID, JobID: in.JobID}).Validate(); err != nil {
			return err
		}
	}
	if in.PoolName == "" {
		name, err := p.c.PoolName(ctx, in.UserPoolID, p.opts...)
		if err != nil {
			return err
		}
		in.PoolName = name
	}
	job := in.Job
	if job == nil {
		j, err := p.c.DescribeJob(ctx, DescribeJobInput{UserPoolID: in.UserPoolID, JobID: in.JobID}, p.opts...)
		if err != nil {
			return err
		}
		job = j
	}
	if job.Status == StatusSucceeded || job.Status == StatusFailed || job.Status == StatusStopped {
		p.expect = job.ImportedUsers + job.SkippedUsers + job.FailedUsers
	}
	p.group, p.stream = LogGroupName(in.UserPoolID, in.PoolName), LogStreamName(in.JobID, job.JobName)
	p.resolved = true
	return nil
}

// NextPage reads the next page. Once the service answers the token it was
// sent, the read is over, unless the job has ended and its log still lacks
// rows: then NextPage waits ResultsPollDelay on the Client's clock and reads
// again from there, until the rows are all in or ResultsInput.MaxWait is
// spent. A log that lacks rows after that is returned as it is (ResultsFile
// reports the rows without an event as OutcomeNotLogged).
func (p *ResultsPaginator) NextPage(ctx context.Context) (*ResultsPage, error) {
	if p.done {
		return nil, errors.New("cognitoimport: NextPage called after the last page")
	}
	if !p.resolved {
		if err := p.resolve(ctx); err != nil {
			return nil, err
		}
	}
	if p.atEnd {
		if err := p.c.clock.Sleep(ctx, ResultsPollDelay); err != nil {
			return nil, err
		}
		p.waited += ResultsPollDelay
	}
	in := &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String(p.group), LogStreamName: aws.String(p.stream), StartFromHead: aws.Bool(true),
	}
	if p.token != "" {
		in.NextToken = aws.String(p.token)
	}
	if p.in.Limit > 0 {
		in.Limit = aws.Int32(p.in.Limit)
	}
	out, err := p.c.logs.GetLogEvents(ctx, in, p.c.call.logs)
	if err != nil {
		return nil, p.logsError(err)
	}
	page := &ResultsPage{Results: make([]RowResult, 0, len(out.Events))}
	for _, ev := range out.Events {
		if r, ok := ParseLogEvent(aws.ToString(ev.Message)); ok {
			page.Results = append(page.Results, r)
		} else {
			page.OtherEvents++
		}
	}
	p.rows += int64(len(page.Results))
	next := aws.ToString(out.NextForwardToken)
	p.atEnd = next == "" || next == p.token
	if next != "" {
		p.token = next
	}
	page.NextToken = p.token
	if p.atEnd && (p.expect == 0 || p.rows >= p.expect || p.waited >= p.budget) {
		p.done = true
	}
	return page, nil
}

// logsError returns the package's error for GetLogEvents's err.
func (p *ResultsPaginator) logsError(err error) error {
	err = wrapError("GetLogEvents", err)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "ResourceNotFoundException":
			return &LogNotFoundError{Group: p.group, Stream: p.stream, Err: err}
		case "AccessDeniedException", "UnrecognizedClientException":
			return &LogAccessDeniedError{Group: p.group, Stream: p.stream, Err: err}
		}
	}
	return err
}

// Results returns the results of in's job, one a row event of its log, in
// the log's order (the service does not promise the file's), reading a page
// at a time when ranged (see ResultsPaginator): nothing holds more than a
// page. Ranging it again reads again from in.NextToken. After a non-nil
// error it yields no more: a *LogNotFoundError when the group or stream does
// not exist yet, a *LogAccessDeniedError when the caller may not read it,
// ErrNoLogsClient, or the error of DescribeUserPool, DescribeJob or
// GetLogEvents. optFns apply as NewResultsPaginator says.
func (c *Client) Results(ctx context.Context, in ResultsInput, optFns ...func(*cognitoidentityprovider.Options)) iter.Seq2[RowResult, error] {
	return func(yield func(RowResult, error) bool) {
		p := c.NewResultsPaginator(in, optFns...)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(RowResult{}, err)
				return
			}
			for _, r := range page.Results {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

// ParseLogEvent reads one event of a job's log: "[SUCCEEDED] Line Number 2
// - The import succeeded.", "[SKIPPED] ..." or "[FAILED] ..." with a line
// number of 2 or more. It reports false for any other text, such as the
// service's "Cognito User Pools Import - Test Log". Any reason text is
// accepted.
func ParseLogEvent(msg string) (RowResult, bool) {
	tag, rest, ok := strings.Cut(msg, "] Line Number ")
	if !ok || !strings.HasPrefix(tag, "[") {
		return RowResult{}, false
	}
	var r RowResult
	switch Outcome(tag[1:]) {
	case OutcomeSucceeded, OutcomeSkipped, OutcomeFailed:
		r.Outcome = Outcome(tag[1:])
	default:
		return RowResult{}, false
	}
	num, reason, ok := strings.Cut(rest, " - ")
	if !ok {
		// No reason: the number is the rest, trimmed.
		num = strings.TrimSpace(rest)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 2 {
		return RowResult{}, false
	}
	r.Line, r.Reason = n, strings.TrimSpace(reason)
	return r, true
}
