package cognitoimport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// The results tests run jobs on the test server and read their logs
// through the real cloudwatchlogs client, over HTTP.

var defaultHeader = usersfile.DefaultHeader()

// userRow is a row of the default header that every test pool imports, but
// for its username; kv replaces values.
func userRow(name string, kv ...string) string {
	vals := map[string]string{
		usersfile.ColUsername: name, usersfile.ColMFAEnabled: "FALSE", "given_name": "John", "family_name": "Doe",
		"email": name + "@example.com", "email_verified": "TRUE", "phone_number": "+12345550100",
		"phone_number_verified": "TRUE", "birthdate": "02/01/1985", "updated_at": "1700000000", "address": "1 Main St\\, Anytown",
	}
	for i := 0; i < len(kv); i += 2 {
		vals[kv[i]] = kv[i+1]
	}
	f := make([]string, len(defaultHeader))
	for i, h := range defaultHeader {
		f[i] = vals[h]
	}
	return strings.Join(f, ",")
}

func usersCSV(rows ...string) string {
	return strings.Join(defaultHeader, ",") + "\n" + strings.Join(rows, "\n") + "\n"
}

// ruleRow is a row that breaks one rule, and the same row fixed.
type ruleRow struct {
	rule   usersfile.Rule
	column string // for a rule of one column
	row    string
	fixed  string
}

// ruleRows returns a row for each row rule that a pool with MFA off and
// family_name required can break (all but MFARequired, which needs MFA on).
func ruleRows() []ruleRow {
	return []ruleRow{
		{usersfile.RowLength, "", userRow("long", "given_name", strings.Repeat("x", 16_001)), userRow("long")},
		{usersfile.UTF8, "", userRow("utf8", "given_name", "Jo\xffn"), userRow("utf8")},
		{usersfile.ColumnCount, "", userRow("columns") + ",extra", userRow("columns")},
		{usersfile.Required, usersfile.ColUsername, userRow("", "email", "noname@example.com"), userRow("noname")},
		{usersfile.VerifiedRequired, "", userRow("verified", "email_verified", "", "phone_number_verified", ""), userRow("verified")},
		{usersfile.Boolean, "email_verified", userRow("boolean", "email_verified", "yes"), userRow("boolean")},
		{usersfile.UsernameSpace, "", userRow("with space"), userRow("withoutspace")},
		{usersfile.AutoVerified, "", userRow("auto", "email_verified", "FALSE"), userRow("auto")},
		{usersfile.MFADisabled, "", userRow("mfa", usersfile.ColMFAEnabled, "TRUE"), userRow("mfa")},
		{usersfile.EmailRequired, "", userRow("email", "email", ""), userRow("email")},
		{usersfile.PhoneRequired, "", userRow("phone", "phone_number", ""), userRow("phone")},
		{usersfile.PhoneFormat, "", userRow("phoneformat", "phone_number", "555-0100"), userRow("phoneformat")},
		{usersfile.Birthdate, "", userRow("birthdate", "birthdate", "1985-02-01"), userRow("birthdate")},
		{usersfile.UpdatedAt, "", userRow("updated", "updated_at", "yesterday"), userRow("updated")},
		{usersfile.PoolRequired, "family_name", userRow("family", "family_name", ""), userRow("family")},
		{usersfile.DuplicateUsername, "", userRow("valid1", "given_name", "Again"), userRow("valid1b")},
	}
}

var rulesPool = cognitoimporttest.PoolConfig{ID: "us-east-1_Rules", Name: "Rules Pool", RequiredAttributes: []string{"family_name"}}

// TestResultsEveryRule imports a file that breaks every row rule once,
// beside valid rows and a user the pool has already, and joins the job's log
// with the file: every line is accounted for, each failed row with the
// reason of the rule it broke; the retry file holds exactly the failed rows
// and, fixed, imports with no failure.
func TestResultsEveryRule(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithImportRate(1000), cognitoimporttest.WithUserPool(rulesPool))
	e.srv.AddUser(rulesPool.ID, cognitoimporttest.User{Username: "exists", Attributes: map[string]string{"email": "exists@example.com", "family_name": "Doe"}})

	rules := ruleRows()
	rows := []string{userRow("valid1"), userRow("exists")}
	for _, r := range rules {
		rows = append(rows, r.row)
	}
	rows = append(rows, "", userRow("valid2")) // an empty line is not a row
	file := usersCSV(rows...)
	in := importInput(file)
	in.UserPoolID, in.SkipCheck = rulesPool.ID, true
	job, res, err := e.client.ImportResults(t.Context(), in)
	if err != nil || res == nil {
		t.Fatalf("ImportResults = %v, %v, %v; want a Succeeded job with results", job, res, err)
	}
	if job.ImportedUsers != 2 || job.SkippedUsers != 1 || job.FailedUsers != int64(len(rules)) {
		t.Fatalf("job %v", job)
	}

	lines := strings.SplitAfter(file, "\n")
	var sum cognitoimport.ResultsSummary
	got := map[int]cognitoimport.RowResult{}
	for r, err := range res.Rows {
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := got[r.Line]; dup {
			t.Errorf("line %d yielded twice", r.Line)
		}
		got[r.Line] = r
		sum.Add(r)
		if want := strings.TrimSuffix(lines[r.Line-1], "\n"); string(r.Raw) != want {
			t.Errorf("line %d: Raw %.60q, want %.60q", r.Line, r.Raw, want)
		}
	}
	if len(got) != len(rows)-1 {
		t.Errorf("%d rows accounted for, want %d", len(got), len(rows)-1)
	}
	check := func(line int, outcome cognitoimport.Outcome, username, reason string) {
		t.Helper()
		r := got[line]
		if r.Outcome != outcome || r.Username != username || r.Reason != reason {
			t.Errorf("line %d: %s %q %q, want %s %q %q", line, r.Outcome, r.Username, r.Reason, outcome, username, reason)
		}
	}
	check(2, cognitoimport.OutcomeSucceeded, "valid1", "The import succeeded.")
	check(3, cognitoimport.OutcomeSkipped, "exists", "The user already exists.")
	for i, r := range rules {
		name := got[4+i].Username
		check(4+i, cognitoimport.OutcomeFailed, name, usersfile.Problem{Rule: r.rule, Column: r.column}.Reason())
	}
	check(len(rows)+1, cognitoimport.OutcomeSucceeded, "valid2", "The import succeeded.")
	if got[4+2].Username != "columns" || got[4+6].Username != "with space" {
		t.Errorf("usernames %q, %q: want the column's value, as the service reads it", got[6].Username, got[10].Username)
	}

	if sum.Succeeded != 2 || sum.Skipped != 1 || sum.Failed != len(rules) || sum.NotLogged != 0 {
		t.Errorf("summary %+v", sum)
	}
	reasons := sum.Reasons()
	if len(reasons) != len(rules)+1 || reasons[0].Count != 1 {
		t.Errorf("%d reasons, want %d each of one row: %+v", len(reasons), len(rules)+1, reasons)
	}

	// The retry file: the header and exactly the failed rows, byte for byte.
	var retry bytes.Buffer
	n, err := res.File.WriteRetry(&retry)
	if err != nil || n != len(rules) {
		t.Fatalf("WriteRetry = %d, %v", n, err)
	}
	want := lines[0]
	for i := range rules {
		want += lines[3+i]
	}
	if retry.String() != want {
		t.Errorf("the retry file differs from the header and the failed rows")
	}
	if skipped, err := res.File.Lines(cognitoimport.OutcomeSkipped); err != nil || !slices.Equal(skipped, []int{3}) {
		t.Errorf("skipped lines %v, %v; want [3]", skipped, err)
	}

	// Fixed, row by row, it imports with no failure.
	fixed := strings.Join(defaultHeader, ",") + "\n"
	for _, line := range strings.SplitAfter(retry.String(), "\n")[1:] {
		if line == "" {
			continue
		}
		k := slices.IndexFunc(rules, func(r ruleRow) bool { return r.row+"\n" == line })
		if k < 0 {
			t.Fatalf("the retry file holds a row that failed no rule: %.60q", line)
		}
		fixed += rules[k].fixed + "\n"
	}
	in = importInput(fixed)
	in.UserPoolID = rulesPool.ID
	job, res, err = e.client.ImportResults(t.Context(), in)
	if err != nil || res != nil || job.FailedUsers != 0 || job.SkippedUsers != 0 || job.ImportedUsers != int64(len(rules)) {
		t.Errorf("importing the fixed retry file: %v, results %v, %v", job, res, err)
	}
}

// TestResultsMFARequired: the one row rule a pool with MFA off cannot break.
func TestResultsMFARequired(t *testing.T) {
	t.Parallel()
	pool := cognitoimporttest.PoolConfig{ID: "us-east-1_MFAOn", MFA: cognitoimporttest.MFAOn}
	e := newClocked(t, cognitoimporttest.WithImportRate(1000), cognitoimporttest.WithUserPool(pool))
	in := importInput(usersCSV(userRow("on", usersfile.ColMFAEnabled, "TRUE"), userRow("off")))
	in.UserPoolID, in.SkipCheck = pool.ID, true
	_, res, err := e.client.ImportResults(t.Context(), in)
	if err != nil || res == nil {
		t.Fatalf("ImportResults: %v, %v", res, err)
	}
	rows, err := splitItems(t, collect(res.Rows))
	want := usersfile.Problem{Rule: usersfile.MFARequired}.Reason()
	if err != nil || len(rows) != 2 || rows[1].Outcome != cognitoimport.OutcomeFailed || rows[1].Reason != want || rows[1].Username != "off" {
		t.Errorf("results %+v, %v; want line 3 failed: %q", rows, err, want)
	}
}

// recordingLogs is the real logs client, recording the tokens of its
// GetLogEvents calls; hide, when set, takes events off an answer, to stand
// for a log whose last events trail the job's end, which the test server
// never writes late.
type recordingLogs struct {
	*cloudwatchlogs.Client
	mu     sync.Mutex
	tokens []string
	hide   func(call int, in *cloudwatchlogs.GetLogEventsInput, out *cloudwatchlogs.GetLogEventsOutput)
}

func (l *recordingLogs) GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	l.mu.Lock()
	l.tokens = append(l.tokens, aws.ToString(in.NextToken))
	call := len(l.tokens)
	l.mu.Unlock()
	out, err := l.Client.GetLogEvents(ctx, in, optFns...)
	if err == nil && l.hide != nil {
		l.hide(call, in, out)
	}
	return out, err
}

func (l *recordingLogs) calls() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.tokens)
}

// newRecorded is a clocked server and client whose logs client records.
func newRecorded(t *testing.T, opts ...cognitoimporttest.Option) (*clocked, *recordingLogs) {
	e := newClocked(t, opts...)
	logs := &recordingLogs{Client: cloudwatchlogs.NewFromConfig(e.srv.Config())}
	e.client = cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()), cognitoimport.WithClock(e.clk), cognitoimport.WithLogs(logs))
	return e, logs
}

// runJob creates, uploads and starts a job of file in testPool.
func (e *clocked) runJob(t *testing.T, file string) *cognitoimport.Job {
	t.Helper()
	job := e.createUploaded(t, file)
	if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
		t.Fatal(err)
	}
	return job
}

func manyRows(n int, kv ...string) string {
	var b strings.Builder
	b.WriteString(strings.Join(defaultHeader, ",") + "\n")
	for i := range n {
		b.WriteString(userRow(fmt.Sprintf("user%06d", i), kv...) + "\n")
	}
	return b.String()
}

// TestResultsPagination reads a 25,000-row job's results: three pages of the
// service's 10,000 events at most, and a fourth that answers the token it
// was sent; every row once, in order, the two test-log events skipped and
// counted.
func TestResultsPagination(t *testing.T) {
	t.Parallel()
	e, logs := newRecorded(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	job := e.runJob(t, manyRows(25_000))
	e.clk.Advance(time.Millisecond)

	p := e.client.NewResultsPaginator(cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID})
	var sizes []int
	other, line := 0, 2
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page.Results)+page.OtherEvents)
		other += page.OtherEvents
		for _, r := range page.Results {
			if r.Line != line || r.Outcome != cognitoimport.OutcomeSucceeded {
				t.Fatalf("result %+v, want line %d succeeded", r, line)
			}
			line++
		}
	}
	if !slices.Equal(sizes, []int{10_000, 10_000, 5_002, 0}) || other != 2 || line != 25_002 {
		t.Errorf("pages of %v events, %d other events, last line %d", sizes, other, line-1)
	}
	tokens := logs.calls()
	if len(tokens) != 4 || tokens[0] != "" || len(slices.Compact(slices.Sorted(slices.Values(tokens)))) != 4 {
		t.Errorf("the calls' tokens: %d calls, want 4, the first without a token, each token sent once", len(tokens))
	}
}

// TestResultsInProgress reads a stream while its job runs, then resumes from
// the token it kept: each row once, nothing read twice.
func TestResultsInProgress(t *testing.T) {
	t.Parallel()
	e, logs := newRecorded(t, cognitoimporttest.WithImportRate(10))
	job := e.runJob(t, manyRows(10))
	e.clk.Advance(450 * time.Millisecond)

	in := cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID}
	p := e.client.NewResultsPaginator(in)
	var first []int
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Results {
			first = append(first, r.Line)
		}
		in.NextToken = page.NextToken
	}
	before := len(logs.calls())
	e.clk.Advance(time.Second) // the job ends
	var rest []int
	for r, err := range e.client.Results(t.Context(), in) {
		if err != nil {
			t.Fatal(err)
		}
		rest = append(rest, r.Line)
	}
	if !slices.Equal(first, []int{2, 3, 4, 5}) || !slices.Equal(rest, []int{6, 7, 8, 9, 10, 11}) {
		t.Errorf("lines %v, then %v; want 2-5, then 6-11", first, rest)
	}
	if tokens := logs.calls(); tokens[before] != in.NextToken {
		t.Errorf("the resumed read started from %q, want the kept token", tokens[before])
	}
}

// TestResultsTrailingEvents: the service writes a job's last events after it
// reports the job ended. A read waits for them on the client's clock, a
// ResultsPollDelay at a time, and no longer than MaxWait. The test server
// writes every event in time, so a wrapper of the real client hides them.
func TestResultsTrailingEvents(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		shownAt    int // the call from which the last event is shown
		maxWait    time.Duration
		wantWaited time.Duration
		wantLogged bool
	}{
		{"arrives", 7, 10 * time.Second, 2 * time.Second, true},
		{"never", math.MaxInt, 3 * time.Second, 3 * time.Second, false},
		{"no wait", math.MaxInt, -1, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, logs := newRecorded(t, cognitoimporttest.WithImportRate(math.Inf(1)))
			file := manyRows(3, "email_verified", "FALSE")
			job := e.runJob(t, file)
			e.clk.Advance(time.Millisecond)
			// Read an event a page: the page of the last row's event, until
			// call shownAt, is the end of the stream, as the service
			// answers before it wrote the event: no event, and the token
			// it was sent.
			logs.hide = func(call int, in *cloudwatchlogs.GetLogEventsInput, out *cloudwatchlogs.GetLogEventsOutput) {
				if call < tt.shownAt && len(out.Events) == 1 && strings.Contains(aws.ToString(out.Events[0].Message), "Line Number 4 ") {
					out.Events, out.NextForwardToken = nil, in.NextToken
				}
			}
			job, err := e.client.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: job.JobID})
			if err != nil {
				t.Fatal(err)
			}
			f, err := cognitoimport.NewResultsFile(strings.NewReader(file), int64(len(file)))
			if err != nil {
				t.Fatal(err)
			}
			start := e.clk.Now()
			in := cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID, Job: job, MaxWait: tt.maxWait, Limit: 1}
			rows, err := splitItems(t, collect(f.Join(job, e.client.Results(t.Context(), in))))
			if err != nil || len(rows) != 3 {
				t.Fatalf("%d rows, %v", len(rows), err)
			}
			if waited := e.clk.Now().Sub(start); waited != tt.wantWaited {
				t.Errorf("waited %v, want %v", waited, tt.wantWaited)
			}
			if logged := rows[2].Outcome == cognitoimport.OutcomeFailed && rows[2].Line == 4; logged != tt.wantLogged {
				t.Errorf("the last row: %+v; want it logged: %v", rows[2], tt.wantLogged)
			}
			if !tt.wantLogged && (rows[2].Outcome != cognitoimport.OutcomeNotLogged || rows[2].Username != "user000002") {
				t.Errorf("the last row: %+v; want it reported not logged", rows[2])
			}
		})
	}
}

// TestResultsNotFoundAndDenied: a job that has not started has no stream
// yet, which is not a refusal; credentials the logs service does not know
// are.
func TestResultsNotFoundAndDenied(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	_, err := splitItems(t, collect(e.client.Results(t.Context(), cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID})))
	nf := as[*cognitoimport.LogNotFoundError](t, err)
	if isA[*cognitoimport.LogAccessDeniedError](err) || nf.Group != "/aws/cognito/userpools/"+testPool+"/"+testPool || nf.Stream != job.JobID+"/job" {
		t.Errorf("error %v: want a LogNotFoundError naming the group and stream", err)
	}
	as[*cognitoimport.ServiceError](t, err)

	cfg := e.srv.Config()
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other"}, nil
	})
	other := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()), cognitoimport.WithLogs(cloudwatchlogs.NewFromConfig(cfg)))
	_, err = splitItems(t, collect(other.Results(t.Context(), cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID, PoolName: testPool, Job: job})))
	if ad := as[*cognitoimport.LogAccessDeniedError](t, err); isA[*cognitoimport.LogNotFoundError](err) || !strings.Contains(ad.Error(), "logs:GetLogEvents") {
		t.Errorf("error %v: want a LogAccessDeniedError", err)
	}

	// AccessDeniedException, which the test server never sends (it has no
	// IAM): a fake.
	denied := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()), cognitoimport.WithLogs(deniedLogs{}))
	_, err = splitItems(t, collect(denied.Results(t.Context(), cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID, PoolName: testPool, Job: job})))
	as[*cognitoimport.LogAccessDeniedError](t, err)

	// A Client without a logs client says so.
	bare := cognitoimport.New(struct{ cognitoimport.API }{})
	if _, err = splitItems(t, collect(bare.Results(t.Context(), cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID}))); !errors.Is(err, cognitoimport.ErrNoLogsClient) {
		t.Errorf("no logs client: %v", err)
	}
}

type deniedLogs struct{}

func (deniedLogs) GetLogEvents(context.Context, *cloudwatchlogs.GetLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User is not authorized to perform: logs:GetLogEvents"}
}

// TestResultsFileMismatch: a file that is not the job's is refused, never
// joined.
func TestResultsFileMismatch(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	file := manyRows(4, "email_verified", "FALSE")
	job := e.runJob(t, file)
	e.clk.Advance(time.Millisecond)
	job, err := e.client.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil {
		t.Fatal(err)
	}
	results := e.client.Results(t.Context(), cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID, Job: job})

	short := manyRows(3)
	f, err := cognitoimport.NewResultsFile(strings.NewReader(short), int64(len(short)))
	if err != nil {
		t.Fatal(err)
	}
	items := collect(f.Join(job, results))
	if len(items) != 1 || !isA[*cognitoimport.FileMismatchError](items[0].err) || !strings.Contains(items[0].err.Error(), "3 user rows, the job processed 4") {
		t.Errorf("a file of 3 rows joined with a job of 4: %v", items)
	}
	// Without the job to compare with, the log's line past the end.
	items = collect(f.Join(nil, results))
	_, err = splitItems(t, items)
	if me := as[*cognitoimport.FileMismatchError](t, err); me.Line != 5 || len(items) != 4 {
		t.Errorf("%d items, error %v; want 3 rows and the line past the end", len(items), err)
	}
	if _, err := f.WriteRetry(&bytes.Buffer{}); !errors.Is(err, cognitoimport.ErrNotJoined) {
		t.Errorf("WriteRetry after no complete join: %v", err)
	}
	if _, err := cognitoimport.NewResultsFile(strings.NewReader("a,b\n1,2\n"), 8); !isA[*cognitoimport.FileMismatchError](err) {
		t.Errorf("a file without cognito:username: %v", err)
	}
}

// TestJoinRefusesLinesBeforeTheFile: a result of the caller's own that names
// line 0 or a negative line is a *FileMismatchError, as a line past the end
// is, never a panic. (The server's logs never name such a line: the results
// here are the caller's.)
func TestJoinRefusesLinesBeforeTheFile(t *testing.T) {
	t.Parallel()
	file := manyRows(2)
	f, err := cognitoimport.NewResultsFile(strings.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []int{0, -1, -64, 1} {
		results := func(yield func(cognitoimport.RowResult, error) bool) {
			yield(cognitoimport.RowResult{Line: line, Outcome: cognitoimport.OutcomeFailed}, nil)
		}
		items := collect(f.Join(nil, results))
		if len(items) != 1 || !isA[*cognitoimport.FileMismatchError](items[0].err) {
			t.Errorf("a result of line %d: %v, want a *FileMismatchError", line, items)
		}
	}
}

// TestResultsPerCallOptions: Results and ImportResults apply their optFns to
// their calls of the Cognito service. The SDK client's own endpoint is a
// closed port, and the optFns point each call at the test server: a read
// without them fails.
func TestResultsPerCallOptions(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	cfg := e.srv.Config()
	cfg.BaseEndpoint = aws.String(closedPortURL(t))
	client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg, noRetry), cognitoimport.WithClock(e.clk),
		cognitoimport.WithLogs(cloudwatchlogs.NewFromConfig(e.srv.Config())))
	toServer := func(o *cognitoidentityprovider.Options) { o.BaseEndpoint = aws.String(e.srv.URL) }
	job := e.runJob(t, manyRows(2))
	e.clk.Advance(time.Millisecond)

	in := cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID}
	if _, err := splitItems(t, collect(client.Results(t.Context(), in))); err == nil {
		t.Error("Results without the optFns succeeded: the SDK client's endpoint is closed")
	}
	if rows, err := splitItems(t, collect(client.Results(t.Context(), in, toServer))); err != nil || len(rows) != 2 {
		t.Errorf("Results with the optFns = %d rows, %v; want 2", len(rows), err)
	}

	// The users exist: both rows are skipped, and the job fails
	// (MessageTooMany), with its results.
	imp := importInput(manyRows(2))
	job, res, err := client.ImportResults(t.Context(), imp, toServer)
	if job == nil || job.SkippedUsers != 2 || res == nil {
		t.Fatalf("ImportResults with the optFns = %v, %v, %v; want the job of 2 skipped rows and their results", job, res, err)
	}
	if rows, err := splitItems(t, collect(res.Rows)); err != nil || len(rows) != 2 || rows[0].Outcome != cognitoimport.OutcomeSkipped {
		t.Errorf("ImportResults' rows = %+v, %v; want 2 skipped", rows, err)
	}
}

func TestParseLogEvent(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		msg  string
		want cognitoimport.RowResult
		ok   bool
	}{
		{"[SUCCEEDED] Line Number 2 - The import succeeded.", cognitoimport.RowResult{Line: 2, Outcome: cognitoimport.OutcomeSucceeded, Reason: "The import succeeded."}, true},
		{"[SKIPPED] Line Number 5956 - The user already exists.", cognitoimport.RowResult{Line: 5956, Outcome: cognitoimport.OutcomeSkipped, Reason: "The user already exists."}, true},
		{"[FAILED] Line Number 7 - A reason - with a dash.", cognitoimport.RowResult{Line: 7, Outcome: cognitoimport.OutcomeFailed, Reason: "A reason - with a dash."}, true},
		{"[FAILED] Line Number 7", cognitoimport.RowResult{Line: 7, Outcome: cognitoimport.OutcomeFailed}, true},
		{"Cognito User Pools Import - Test Log", cognitoimport.RowResult{}, false},
		{"[INFO] Line Number 2 - something", cognitoimport.RowResult{}, false},
		{"[FAILED] Line Number 1 - the header", cognitoimport.RowResult{}, false},
		{"[FAILED] Line Number x - no number", cognitoimport.RowResult{}, false},
	} {
		got, ok := cognitoimport.ParseLogEvent(tt.msg)
		if ok != tt.ok || got.Line != tt.want.Line || got.Outcome != tt.want.Outcome || got.Reason != tt.want.Reason {
			t.Errorf("ParseLogEvent(%q) = %+v, %v; want %+v, %v", tt.msg, got, ok, tt.want, tt.ok)
		}
	}
}

// TestFieldAtSplitsAsTheService: the username Join reads from a row is the
// value usersfile.Split, the service's reading, gives at that column, for
// rows of commas, escaped commas, white space and missing values.
func TestFieldAtSplitsAsTheService(t *testing.T) {
	t.Parallel()
	parts := []string{"", "a", " b ", `\,`, `c\,d`, "\\", "e\\", " ", "ü", `\\,`}
	var lines []string
	for _, p := range parts {
		for _, q := range parts {
			for _, r := range parts {
				lines = append(lines, p+","+q+","+r, p+q, p+","+q+r)
			}
		}
	}
	for _, line := range lines {
		fields := usersfile.Split([]byte(line), nil)
		for col := range 4 {
			want := ""
			if col < len(fields) {
				want = string(fields[col])
			}
			if got := cognitoimport.FieldAt([]byte(line), col); got != want {
				t.Errorf("FieldAt(%q, %d) = %q, want %q (Split: %q)", line, col, got, want, fields)
			}
		}
	}
}

// TestResultsFileCountsRowsAsCheckFile: a ResultsFile's rows are the rows
// CheckFile counts, however the file's lines end, so a join never reports a
// mismatch for a file the checker passed.
func TestResultsFileCountsRowsAsCheckFile(t *testing.T) {
	t.Parallel()
	h := strings.Join(defaultHeader, ",")
	row := userRow("alice")
	for name, file := range map[string]string{
		"lf":                    h + "\n" + row + "\n",
		"crlf":                  h + "\r\n" + row + "\r\n",
		"no final break":        h + "\n" + row,
		"crlf, no final break":  h + "\r\n" + row + "\r",
		"carriage return last":  h + "\n" + row + "\n\r",
		"empty lines":           h + "\n\n\r\n" + row + "\n\n",
		"carriage return alone": h + "\n\r",
	} {
		t.Run(name, func(t *testing.T) {
			users, err := cognitoimport.CheckFile(strings.NewReader(file), cognitoimport.DefaultPoolSettings(testPool), cognitoimport.CheckOptions{})
			var fe *cognitoimport.FileError
			if err != nil && !errors.As(err, &fe) {
				t.Fatal(err)
			}
			f, err := cognitoimport.NewResultsFile(strings.NewReader(file), int64(len(file)))
			if err != nil {
				t.Fatal(err)
			}
			if f.Rows() != users {
				t.Errorf("ResultsFile counts %d rows, CheckFile %d users", f.Rows(), users)
			}
		})
	}
}
