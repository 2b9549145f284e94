package cognitoimporttest_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The logs tests read the jobs' logs through aws-sdk-go-v2's own
// cloudwatchlogs client, as a user's code or the AWS CLI does.

const (
	testLogLine = "Cognito User Pools Import - Test Log"
	testGroup   = "/aws/cognito/userpools/" + testPool + "/" + testPool // a pool's name is its ID by default
)

func newLogsClient(srv *cognitoimporttest.Server) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(srv.Config(), func(o *cloudwatchlogs.Options) { o.RetryMaxAttempts = 1 })
}

// usersFile returns a users file of testPool with a row a name, each valid
// unless bad holds its index: that row sets no verified attribute true.
func usersFile(t testing.TB, e *importEnv, names []string, bad ...int) string {
	t.Helper()
	header := e.header(testPool)
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for i, name := range names {
		u := validUser(name)
		if slices.Contains(bad, i) {
			u = with(u, "email_verified", "FALSE", "phone_number_verified", "FALSE")
		}
		b.WriteString(usersLine(header, u) + "\n")
	}
	return b.String()
}

func userNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("user%06d", i)
	}
	return names
}

// streamName returns the stream of job id of testPool, as the server names it.
func streamName(id string) string { return id + "/lifecycle" }

// readForward reads the whole stream from its head with GetLogEvents and
// limit (0: none), following nextForwardToken until it comes back unchanged,
// and returns the events and the size of each page.
func readForward(t testing.TB, logs *cloudwatchlogs.Client, group, stream string, limit int32, token *string) (events []logtypes.OutputLogEvent, pages []int, last *string) {
	t.Helper()
	for {
		in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true), NextToken: token}
		if limit > 0 {
			in.Limit = aws.Int32(limit)
		}
		out, err := logs.GetLogEvents(context.Background(), in)
		if err != nil {
			t.Fatalf("GetLogEvents after %d events: %v", len(events), err)
		}
		if out.NextForwardToken == nil || out.NextBackwardToken == nil {
			t.Fatalf("GetLogEvents: a token is missing: forward %v, backward %v", out.NextForwardToken, out.NextBackwardToken)
		}
		events = append(events, out.Events...)
		pages = append(pages, len(out.Events))
		if token != nil && *out.NextForwardToken == *token {
			if len(out.Events) != 0 {
				t.Fatalf("GetLogEvents: %d events with an unchanged token", len(out.Events))
			}
			return events, pages, token
		}
		token = out.NextForwardToken
	}
}

func messages[E any](events []E, msg func(E) *string) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = aws.ToString(msg(e))
	}
	return out
}

func outputMessage(e logtypes.OutputLogEvent) *string { return e.Message }

// TestLogsGetLogEvents reads a finished job's stream: the two test-log
// events, then one event a row in file order, as JobLog has them, with
// timestamps from the server's clock.
func TestLogsGetLogEvents(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(1000))
	file := usersFile(t, e, userNames(5), 1, 3)
	id := e.runJob(testPool, file)
	e.clock.Advance(time.Second)
	logs := newLogsClient(e.srv)

	events, _, _ := readForward(t, logs, testGroup, streamName(id), 0, nil)
	want := append([]string{testLogLine, testLogLine}, e.srv.JobLog(testPool, id)...)
	if got := messages(events, outputMessage); !slices.Equal(got, want) {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(want[3], "[FAILED] Line Number 3 - The User Record does not set any of the auto verified attributes to true.") {
		t.Errorf("row 2's event %q, want the service's reason", want[3])
	}
	job := e.describe(testPool, id)
	start := job.StartDate.UnixMilli()
	for i, ev := range events {
		wantTS := start // the test-log events carry the start
		if i >= 2 {
			wantTS = start + int64(i-1) // row n is done at start + n ms at 1,000 a second
		}
		if aws.ToInt64(ev.Timestamp) != wantTS || aws.ToInt64(ev.IngestionTime) != wantTS {
			t.Errorf("event %d: timestamp %d, ingestion %d, want %d", i, aws.ToInt64(ev.Timestamp), aws.ToInt64(ev.IngestionTime), wantTS)
		}
	}

	// Without startFromHead, the latest events come first; the backward
	// token reads the ones before them.
	out, err := logs.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String(testGroup), LogStreamName: aws.String(streamName(id)), Limit: aws.Int32(3),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(out.Events, outputMessage); !slices.Equal(got, want[len(want)-3:]) {
		t.Errorf("the tail: %q, want %q", got, want[len(want)-3:])
	}
	back, err := logs.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String(testGroup), LogStreamName: aws.String(streamName(id)), Limit: aws.Int32(3), NextToken: out.NextBackwardToken,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(back.Events, outputMessage); !slices.Equal(got, want[len(want)-6:len(want)-3]) {
		t.Errorf("the page before the tail: %q, want %q", got, want[len(want)-6:len(want)-3])
	}

	// The group by its ARN, and startTime/endTime.
	ranged, err := logs.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{
		LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:" + testGroup),
		LogStreamName:      aws.String(streamName(id)), StartFromHead: aws.Bool(true),
		StartTime: aws.Int64(start + 2), EndTime: aws.Int64(start + 4),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(ranged.Events, outputMessage); !slices.Equal(got, want[3:5]) {
		t.Errorf("events in [start+2ms, start+4ms): %q, want %q", got, want[3:5])
	}
}

// TestLogsPagination reads a 25,000-row job: pages of at most 10,000
// events (the default limit and the most allowed), at most 1 MB of events
// a page, and every event once.
func TestLogsPagination(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	const rows = 25_000
	logs := newLogsClient(e.srv)

	ok := e.runJob(testPool, usersFile(t, e, userNames(rows)))
	e.clock.Advance(time.Millisecond)
	events, pages, _ := readForward(t, logs, testGroup, streamName(ok), 0, nil)
	if want := []int{10_000, 10_000, 5_002, 0}; !slices.Equal(pages, want) {
		t.Errorf("pages of the imported job: %v, want %v", pages, want)
	}
	for i, ev := range events[2:] {
		if want := fmt.Sprintf("[SUCCEEDED] Line Number %d - The import succeeded.", i+2); aws.ToString(ev.Message) != want {
			t.Fatalf("event %d: %q, want %q", i+2, aws.ToString(ev.Message), want)
		}
	}
	if _, pages, _ := readForward(t, logs, testGroup, streamName(ok), 7_000, nil); !slices.Equal(pages, []int{7_000, 7_000, 7_000, 4_002, 0}) {
		t.Errorf("pages of limit 7,000: %v", pages)
	}

	// Every row of the second job fails (no verified attribute set true):
	// its events are long enough that 1 MB holds fewer than 10,000 of them.
	bad := make([]int, rows)
	for i := range bad {
		bad[i] = i
	}
	failed := e.runJob(testPool, usersFile(t, e, userNames(rows), bad...))
	e.clock.Advance(time.Millisecond)
	events, pages, _ = readForward(t, logs, testGroup, streamName(failed), 0, nil)
	if len(events) != rows+2 {
		t.Fatalf("%d events, want %d", len(events), rows+2)
	}
	// Each full page holds as many events as fit in 1 MB, counting 26
	// bytes an event beyond its message, and not one more.
	at := 0
	for k, n := range pages[:len(pages)-2] {
		size := 0
		for _, ev := range events[at : at+n] {
			size += len(aws.ToString(ev.Message)) + 26
		}
		if next := len(aws.ToString(events[at+n].Message)) + 26; size > 1<<20 || size+next <= 1<<20 || n >= 10_000 {
			t.Errorf("page %d: %d events of %d bytes, the next of %d: want a page that 1 MB bounds", k, n, size, next)
		}
		at += n
	}
}

// TestLogsInProgress reads a stream while its job runs: a kept forward
// token reads the rows done since, each once, and the end comes back as the
// token unchanged while the job has rows to go.
func TestLogsInProgress(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(10))
	logs := newLogsClient(e.srv)
	id := e.runJob(testPool, usersFile(t, e, userNames(10)))

	// Started: the stream exists with its two test-log events.
	events, _, token := readForward(t, logs, testGroup, streamName(id), 0, nil)
	if got := messages(events, outputMessage); !slices.Equal(got, []string{testLogLine, testLogLine}) {
		t.Fatalf("at the start: %q", got)
	}
	e.clock.Advance(450 * time.Millisecond)
	more, _, token := readForward(t, logs, testGroup, streamName(id), 0, token)
	e.clock.Advance(time.Second)
	rest, _, _ := readForward(t, logs, testGroup, streamName(id), 0, token)
	if len(more) != 4 || len(rest) != 6 {
		t.Fatalf("%d events after 450 ms, %d after the job's end; want 4 and 6", len(more), len(rest))
	}
	got := messages(append(more, rest...), outputMessage)
	if want := e.srv.JobLog(testPool, id); !slices.Equal(got, want) {
		t.Errorf("events read in two parts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLogsFilterLogEvents finds a job's failed rows with a filter pattern.
func TestLogsFilterLogEvents(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	logs := newLogsClient(e.srv)
	first := e.runJob(testPool, usersFile(t, e, userNames(6), 0, 2, 5))
	e.clock.Advance(time.Millisecond)
	second := e.runJob(testPool, usersFile(t, e, []string{"other1", "other2"}, 1))
	e.clock.Advance(time.Millisecond)

	filter := func(in *cloudwatchlogs.FilterLogEventsInput) (events []logtypes.FilteredLogEvent, pages int) {
		t.Helper()
		in.LogGroupName = aws.String(testGroup)
		for {
			out, err := logs.FilterLogEvents(context.Background(), in)
			if err != nil {
				t.Fatalf("FilterLogEvents: %v", err)
			}
			events, pages = append(events, out.Events...), pages+1
			if out.NextToken == nil {
				return events, pages
			}
			in.NextToken = out.NextToken
		}
	}
	lines := func(events []logtypes.FilteredLogEvent) []string {
		var out []string
		for _, ev := range events {
			_, rest, _ := strings.Cut(aws.ToString(ev.Message), "Line Number ")
			n, _, _ := strings.Cut(rest, " ")
			out = append(out, aws.ToString(ev.LogStreamName)+":"+n)
		}
		return out
	}

	events, pages := filter(&cloudwatchlogs.FilterLogEventsInput{LogStreamNames: []string{streamName(first)}, FilterPattern: aws.String("FAILED"), Limit: aws.Int32(2)})
	want := []string{streamName(first) + ":2", streamName(first) + ":4", streamName(first) + ":7"}
	if got := lines(events); !slices.Equal(got, want) || pages != 2 {
		t.Errorf("FAILED in the first stream, 2 a page: %q in %d pages, want %q in 2", got, pages, want)
	}
	events, _ = filter(&cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`FAILED "Line Number 3 "`)})
	if got := lines(events); !slices.Equal(got, []string{streamName(second) + ":3"}) {
		t.Errorf("FAILED and \"Line Number 3 \" in the group: %q", got)
	}
	events, _ = filter(&cloudwatchlogs.FilterLogEventsInput{})
	if len(events) != 2+6+2+2 {
		t.Errorf("the whole group: %d events, want 12", len(events))
	}
	ids := map[string]bool{}
	for _, ev := range events {
		ids[aws.ToString(ev.EventId)] = true
	}
	if len(ids) != len(events) {
		t.Errorf("%d distinct event IDs among %d events", len(ids), len(events))
	}
	_, err := logs.FilterLogEvents(context.Background(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(testGroup), FilterPattern: aws.String("{ $.x = 1 }")})
	var invalid *logtypes.InvalidParameterException
	if !errors.As(err, &invalid) {
		t.Errorf("a JSON filter pattern: %v, want InvalidParameterException", err)
	}
}

// TestLogsDescribe lists groups and streams, a page at a time.
func TestLogsDescribe(t *testing.T) {
	t.Parallel()
	named := cognitoimporttest.PoolConfig{ID: "us-east-1_Named", Name: "Staff"}
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)), cognitoimporttest.WithUserPool(named))
	logs := newLogsClient(e.srv)
	ctx := context.Background()

	groups, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(groups.LogGroups) != 0 {
		t.Fatalf("before any job started: %v, %v", groups, err)
	}
	e.create(testPool) // never started: no stream
	var ids []string
	for range 3 {
		ids = append(ids, e.runJob(testPool, usersFile(t, e, userNames(1))))
		e.clock.Advance(time.Millisecond)
	}
	e.runJob(named.ID, usersFile(t, e, []string{"staff1"}))
	e.clock.Advance(time.Millisecond)

	var names []string
	for p := cloudwatchlogs.NewDescribeLogGroupsPaginator(logs, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(1)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range page.LogGroups {
			names = append(names, aws.ToString(g.LogGroupName))
		}
	}
	if want := []string{"/aws/cognito/userpools/us-east-1_Named/Staff", testGroup}; !slices.Equal(names, want) {
		t.Errorf("groups %q, want %q", names, want)
	}

	names = nil
	for p := cloudwatchlogs.NewDescribeLogStreamsPaginator(logs, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(testGroup), Limit: aws.Int32(2)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.LogStreams {
			names = append(names, aws.ToString(s.LogStreamName))
			if aws.ToInt64(s.FirstEventTimestamp) == 0 || aws.ToInt64(s.LastEventTimestamp) < aws.ToInt64(s.FirstEventTimestamp) {
				t.Errorf("stream %s: first %d, last %d", aws.ToString(s.LogStreamName), aws.ToInt64(s.FirstEventTimestamp), aws.ToInt64(s.LastEventTimestamp))
			}
		}
	}
	want := []string{streamName(ids[0]), streamName(ids[1]), streamName(ids[2])}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("streams %q, want %q", names, want)
	}
	out, err := logs.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(testGroup), OrderBy: logtypes.OrderByLastEventTime, Descending: aws.Bool(true), Limit: aws.Int32(1)})
	if err != nil || len(out.LogStreams) != 1 || aws.ToString(out.LogStreams[0].LogStreamName) != streamName(ids[2]) {
		t.Errorf("the last stream written: %v, %v; want %s", out, err, streamName(ids[2]))
	}
}

// TestLogsErrors checks the logs service's errors, in its JSON shape, as
// the SDK reads them.
func TestLogsErrors(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	logs := newLogsClient(e.srv)
	created := aws.ToString(e.create(testPool).JobId)
	id := e.runJob(testPool, usersFile(t, e, userNames(1)))
	e.clock.Advance(time.Millisecond)

	get := func(group, stream string, mod func(*cloudwatchlogs.GetLogEventsInput)) error {
		in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}
		if mod != nil {
			mod(in)
		}
		_, err := logs.GetLogEvents(context.Background(), in)
		return err
	}
	notFound := []struct {
		name, group, stream, msg string
	}{
		{"unknown pool", "/aws/cognito/userpools/us-east-1_Nope/us-east-1_Nope", streamName(id), "The specified log group does not exist."},
		{"wrong pool name", "/aws/cognito/userpools/" + testPool + "/other", streamName(id), "The specified log group does not exist."},
		{"unknown job", testGroup, "import-0000000000/lifecycle", "The specified log stream does not exist."},
		{"wrong job name", testGroup, id + "/other", "The specified log stream does not exist."},
		{"job not started", testGroup, streamName(created), "The specified log stream does not exist."},
	}
	for _, tt := range notFound {
		var rnf *logtypes.ResourceNotFoundException
		if err := get(tt.group, tt.stream, nil); !errors.As(err, &rnf) || rnf.ErrorMessage() != tt.msg {
			t.Errorf("%s: %v, want ResourceNotFoundException %q", tt.name, err, tt.msg)
		}
	}
	invalid := []struct {
		name string
		mod  func(*cloudwatchlogs.GetLogEventsInput)
	}{
		{"limit 0", func(in *cloudwatchlogs.GetLogEventsInput) { in.Limit = aws.Int32(0) }},
		{"limit 10,001", func(in *cloudwatchlogs.GetLogEventsInput) { in.Limit = aws.Int32(10_001) }},
		{"a token of no stream", func(in *cloudwatchlogs.GetLogEventsInput) { in.NextToken = aws.String("f/123/s") }},
		{"a token past the end", func(in *cloudwatchlogs.GetLogEventsInput) {
			in.NextToken = aws.String("f/" + strings.Repeat("0", 53) + "999/s")
		}},
		{"group name and identifier", func(in *cloudwatchlogs.GetLogEventsInput) { in.LogGroupIdentifier = aws.String(testGroup) }},
	}
	for _, tt := range invalid {
		var ipe *logtypes.InvalidParameterException
		if err := get(testGroup, streamName(id), tt.mod); !errors.As(err, &ipe) || ipe.ErrorMessage() == "" {
			t.Errorf("%s: %v, want InvalidParameterException with a message", tt.name, err)
		}
	}

	// The error's wire shape, and the signing name: a logs request signed
	// for cognito-idp is refused, and so is the opposite.
	body := `{"logGroupName":"` + testGroup + `","logStreamName":"nope/nope"}`
	resp := send(t, e.srv, rawRequest{Target: "Logs_20140328.GetLogEvents", Body: strings.NewReader(body), Service: "logs"})
	if msg := checkError(t, resp, http.StatusBadRequest, "ResourceNotFoundException"); msg != "The specified log stream does not exist." {
		t.Errorf("message %q", msg)
	}
	resp = send(t, e.srv, rawRequest{Target: "Logs_20140328.GetLogEvents", Body: strings.NewReader(body)})
	if msg := checkError(t, resp, http.StatusBadRequest, "InvalidSignatureException"); !strings.Contains(msg, "'logs'") {
		t.Errorf("a logs request signed for cognito-idp: %q", msg)
	}
	resp = send(t, e.srv, rawRequest{Target: targetList, Body: strings.NewReader(`{"UserPoolId":"` + testPool + `","MaxResults":1}`), Service: "logs"})
	checkError(t, resp, http.StatusBadRequest, "InvalidSignatureException")
	resp = send(t, e.srv, rawRequest{Target: "Logs_20140328.PutLogEvents", Body: strings.NewReader(`{}`), Service: "logs"})
	if msg := checkError(t, resp, http.StatusBadRequest, "UnknownOperationException"); !strings.Contains(msg, "GetLogEvents") {
		t.Errorf("an operation the server lacks: %q", msg)
	}

	// A member of the wrong JSON type is a SerializationException that
	// names the type the member wants and the value found.
	for _, tt := range []struct{ op, members, want string }{
		{"GetLogEvents", `"logStreamName":5`, "NUMBER_VALUE can not be converted to a String for member logStreamName."},
		{"GetLogEvents", `"logStreamName":"a/b","startTime":"1"`, "STRING_VALUE can not be converted to a Long for member startTime."},
		{"GetLogEvents", `"logStreamName":"a/b","startFromHead":1`, "NUMBER_VALUE can not be converted to a Boolean for member startFromHead."},
		{"GetLogEvents", `"logStreamName":"a/b","limit":"1"`, "STRING_VALUE can not be converted to an Integer for member limit."},
		{"FilterLogEvents", `"logStreamNames":"a/b"`, "STRING_VALUE can not be converted to a list of Strings for member logStreamNames."},
	} {
		body := `{"logGroupName":"` + testGroup + `",` + tt.members + `}`
		resp := send(t, e.srv, rawRequest{Target: "Logs_20140328." + tt.op, Body: strings.NewReader(body), Service: "logs"})
		if msg := checkError(t, resp, http.StatusBadRequest, "SerializationException"); msg != tt.want {
			t.Errorf("%s %s: message %q, want %q", tt.op, tt.members, msg, tt.want)
		}
	}
}

// TestLogsEvictedStream: a job's log evicted past MaxLogBytes reads over the
// logs API as a stream that no longer exists, while the newer job's stream
// stays readable.
func TestLogsEvictedStream(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)), cognitoimporttest.WithMaxLogBytes(3*cognitoimporttest.LogEntryBytes()))
	first := e.runJob(testPool, usersFile(t, e, userNames(2)))
	e.clock.Advance(time.Second) // the first job ends: one job is active at a time
	e.describe(testPool, first)
	second := e.runJob(testPool, usersFile(t, e, []string{"other1", "other2"}))
	e.clock.Advance(time.Second)
	e.describe(testPool, second)
	logs := newLogsClient(e.srv)

	if !e.srv.LogEvicted(testPool, first) {
		t.Fatalf("the first job's log was not evicted")
	}
	_, err := logs.GetLogEvents(t.Context(), &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String(testGroup), LogStreamName: aws.String(streamName(first)), StartFromHead: aws.Bool(true),
	})
	var nf *logtypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("GetLogEvents of an evicted stream: %v, want ResourceNotFoundException", err)
	}
	events, _, _ := readForward(t, logs, testGroup, streamName(second), 0, nil)
	if len(events) != 4 {
		t.Errorf("the newest stream has %d events, want the 2 test-log events and 2 rows", len(events))
	}
}
