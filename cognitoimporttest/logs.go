package cognitoimporttest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CloudWatch Logs, as the import jobs write it: the server answers the logs
// service's AWS JSON 1.1 API (X-Amz-Target: Logs_20140328.<Operation>, SigV4
// signing name "logs") on its one endpoint, for the logs its own jobs
// produce. A client built from Config with
// cloudwatchlogs.NewFromConfig(srv.Config()) reads them, as does
// `aws logs get-log-events --endpoint-url <srv.URL>`.
//
// The package documentation ("Logs", in doc.go) states what the service
// documents of these logs and lists the server's choices where it does not.

// logsTargetPrefix starts the X-Amz-Target of the logs service's requests.
const logsTargetPrefix = "Logs_20140328."

// logsSigningName is the SigV4 service name of the logs service.
const logsSigningName = "logs"

// The logs operations the server implements.
const (
	logsGetLogEvents       = "GetLogEvents"
	logsFilterLogEvents    = "FilterLogEvents"
	logsDescribeLogStreams = "DescribeLogStreams"
	logsDescribeLogGroups  = "DescribeLogGroups"
)

// Limits of the logs API, as its service model and documentation state them.
const (
	maxLogEvents      = 10_000  // events a GetLogEvents or FilterLogEvents answer holds
	maxLogBytes       = 1 << 20 // bytes of events an answer holds
	logEventOverhead  = 26      // bytes an event counts beyond its message
	maxDescribeLimit  = 50      // DescribeLogStreams and DescribeLogGroups
	maxFilterStreams  = 100     // FilterLogEvents's logStreamNames
	testLogMessage    = "Cognito User Pools Import - Test Log"
	testLogEvents     = 2
	logGroupPrefix    = "/aws/cognito/userpools/"
	logTokenDigits    = 56
	msgNoGroup        = "The specified log group does not exist."
	msgNoStream       = "The specified log stream does not exist."
	msgBadToken       = "The specified nextToken is invalid."
	logsUnimplemented = "This test server (cognitoimporttest) implements, of CloudWatch Logs, GetLogEvents, FilterLogEvents, DescribeLogStreams and DescribeLogGroups, each as a POST with the header X-Amz-Target: " + logsTargetPrefix + "<operation>."
)

// signingName returns the SigV4 service name r must be signed for: "logs"
// for the logs service's requests, "cognito-idp" for the others.
func signingName(r *http.Request) string {
	if strings.HasPrefix(r.Header.Get("X-Amz-Target"), logsTargetPrefix) {
		return logsSigningName
	}
	return sigService
}

// logsOperation reports whether r is a request of the logs service, and
// which operation it names.
func logsOperation(r *http.Request) (string, bool) {
	return strings.CutPrefix(r.Header.Get("X-Amz-Target"), logsTargetPrefix)
}

// serveLogs answers an authenticated request of the logs service.
func (s *Server) serveLogs(r *http.Request, op string, body []byte, now time.Time) (any, *Error) {
	if r.Method != http.MethodPost {
		return nil, &Error{Code: "UnknownOperationException", Message: "This test server (cognitoimporttest) does not implement '" + quote(r.Header.Get("X-Amz-Target")) + "' with method " + quote(r.Method) + ". " + logsUnimplemented}
	}
	m, e := decodeObject(body)
	if e != nil {
		return nil, e
	}
	// Any pool's log may be read: bring the running import up to now
	// first, outside s.mu (lifecycle.go's catchUp).
	s.catchUpFor(now, func(*job) bool { return true })
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshLocked(now)
	req := &logsRequest{m: m}
	switch op {
	case logsGetLogEvents:
		return s.getLogEvents(req)
	case logsFilterLogEvents:
		return s.filterLogEvents(req)
	case logsDescribeLogStreams:
		return s.describeLogStreams(req)
	case logsDescribeLogGroups:
		return s.describeLogGroups(req)
	}
	return nil, &Error{Code: "UnknownOperationException", Message: "This test server (cognitoimporttest) does not implement '" + quote(r.Header.Get("X-Amz-Target")) + "'. " + logsUnimplemented}
}

// logStream is one job's stream, read under s.mu.
type logStream struct {
	p  *pool
	st *job
}

// jobLogStream returns the stream of job j of p, and whether it exists: a
// job has one from its start until its log is evicted (MaxLogBytes). s.mu
// must be held.
func (s *Server) jobLogStream(p *pool, j *job) (logStream, bool) {
	if j.StartDate.IsZero() || j.Status == StatusCreated || j.Status == StatusExpired || j.logEvicted {
		return logStream{}, false
	}
	return logStream{p, j}, true
}

func (ls logStream) name() string { return ls.st.JobID + "/" + ls.st.JobName }

// len returns the number of events in the stream.
func (ls logStream) len() int { return testLogEvents + len(ls.st.log) }

// event returns event i of the stream: its timestamp (epoch milliseconds)
// and message.
func (ls logStream) event(i int) (int64, string) {
	if i < testLogEvents {
		return ls.st.StartDate.UnixMilli(), testLogMessage
	}
	e := ls.st.log[i-testLogEvents]
	return e.at, e.String()
}

func (ls logStream) timestamp(i int) int64 {
	if i < testLogEvents {
		return ls.st.StartDate.UnixMilli()
	}
	return ls.st.log[i-testLogEvents].at
}

// window returns the indices [lo, hi) of the events whose timestamps are in
// [startTime, endTime): the timestamps never decrease along a stream.
func (ls logStream) window(startTime, endTime int64, hasStart, hasEnd bool) (lo, hi int) {
	n := ls.len()
	lo, hi = 0, n
	if hasStart {
		lo = sort.Search(n, func(i int) bool { return ls.timestamp(i) >= startTime })
	}
	if hasEnd {
		hi = sort.Search(n, func(i int) bool { return ls.timestamp(i) >= endTime })
	}
	return lo, max(lo, hi)
}

// logGroupName returns the name of the log group of p's jobs.
func logGroupName(p *pool) string { return logGroupPrefix + p.id + "/" + p.cfg.Name }

func (s *Server) logGroupARN(group string) string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", s.region, accountID, group)
}

// logStreams returns p's streams in the order their jobs started. s.mu must
// be held.
func (s *Server) logStreams(p *pool) []logStream {
	var out []logStream
	for _, j := range p.jobs {
		if ls, ok := s.jobLogStream(p, j); ok {
			out = append(out, ls)
		}
	}
	slices.SortStableFunc(out, func(a, b logStream) int { return a.st.StartDate.Compare(b.st.StartDate) })
	return out
}

// lookupLogGroup finds the pool whose log group r's logGroupName or
// logGroupIdentifier (a name or an ARN) names. s.mu must be held.
func (s *Server) lookupLogGroup(r *logsRequest) (*pool, *Error) {
	name, hasName := r.string("logGroupName")
	id, hasID := r.string("logGroupIdentifier")
	if r.err != nil {
		return nil, r.err
	}
	switch {
	case hasName && hasID:
		return nil, logsInvalid("LogGroup name and LogGroup identifier are mutually exclusive parameters.")
	case !hasName && !hasID:
		return nil, logsInvalid("Either logGroupName or logGroupIdentifier must be specified.")
	case hasID:
		name = id
		if _, after, ok := strings.Cut(id, ":log-group:"); ok && strings.HasPrefix(id, "arn:") {
			name = strings.TrimSuffix(after, ":*")
		}
	}
	if name == "" || len(name) > 512 {
		return nil, logsInvalid(fmt.Sprintf("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must have length between 1 and 512", quote(name)))
	}
	rest, ok := strings.CutPrefix(name, logGroupPrefix)
	if !ok {
		return nil, logsNotFound(msgNoGroup)
	}
	poolID, poolName, _ := strings.Cut(rest, "/")
	p := s.pools[poolID]
	if p == nil || p.cfg.Name != poolName || len(s.logStreams(p)) == 0 {
		return nil, logsNotFound(msgNoGroup)
	}
	return p, nil
}

// lookupLogStream finds the stream named name in p. s.mu must be held.
func (s *Server) lookupLogStream(p *pool, name string) (logStream, *Error) {
	jobID, jobName, _ := strings.Cut(name, "/")
	i, ok := p.byID[jobID]
	if !ok || p.jobs[i].JobName != jobName {
		return logStream{}, logsNotFound(msgNoStream)
	}
	ls, ok := s.jobLogStream(p, p.jobs[i])
	if !ok {
		return logStream{}, logsNotFound(msgNoStream)
	}
	return ls, nil
}

func logsInvalid(msg string) *Error { return &Error{Code: "InvalidParameterException", Message: msg} }

func logsNotFound(msg string) *Error { return &Error{Code: "ResourceNotFoundException", Message: msg} }

// logsRequest decodes the members of a logs request, keeping the first
// error: a handler reads every member it takes, then checks err once.
type logsRequest struct {
	m   map[string]json.RawMessage
	err *Error
}

// decodeMember is member for a logsRequest: after an error, it decodes
// nothing more.
func decodeMember[T any](r *logsRequest, name, kind string) (T, bool) {
	var v T
	var ok bool
	if r.err == nil {
		v, ok, r.err = member[T](r.m, name, kind)
	}
	return v, ok
}

func (r *logsRequest) string(name string) (string, bool) {
	return decodeMember[string](r, name, "a String")
}

func (r *logsRequest) strings(name string) ([]string, bool) {
	return decodeMember[[]string](r, name, "a list of Strings")
}

func (r *logsRequest) long(name string) (int64, bool) {
	return decodeMember[int64](r, name, "a Long")
}

func (r *logsRequest) bool(name string) bool {
	v, _ := decodeMember[bool](r, name, "a Boolean")
	return v
}

// limit decodes an Integer member that must lie in 1..maxLimit, maxLimit
// when it is missing.
func (r *logsRequest) limit(name string, maxLimit int) int {
	v, ok := decodeMember[int32](r, name, "an Integer")
	switch {
	case r.err != nil || !ok:
		return maxLimit
	case v < 1 || int(v) > maxLimit:
		r.err = logsInvalid(fmt.Sprintf("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value between 1 and %d", v, name, maxLimit))
		return 0
	}
	return int(v)
}

// eventToken writes the GetLogEvents token of event index i, read in
// direction dir ('f' forward, 'b' backward).
func eventToken(dir byte, i int) string {
	return fmt.Sprintf("%c/%0*d/s", dir, logTokenDigits, i)
}

// parseEventToken reads a token eventToken wrote.
func parseEventToken(tok string) (dir byte, i int, ok bool) {
	if len(tok) != logTokenDigits+4 || (tok[0] != 'f' && tok[0] != 'b') || tok[1] != '/' || !strings.HasSuffix(tok, "/s") {
		return 0, 0, false
	}
	n, err := strconv.ParseUint(tok[2:2+logTokenDigits], 10, 31)
	if err != nil {
		return 0, 0, false
	}
	return tok[0], int(n), true
}

// Wire shapes of the logs service's answers.
type (
	wireOutputLogEvent struct {
		IngestionTime int64  `json:"ingestionTime"`
		Message       string `json:"message"`
		Timestamp     int64  `json:"timestamp"`
	}
	wireFilteredLogEvent struct {
		EventID       string `json:"eventId"`
		IngestionTime int64  `json:"ingestionTime"`
		LogStreamName string `json:"logStreamName"`
		Message       string `json:"message"`
		Timestamp     int64  `json:"timestamp"`
	}
	wireSearchedLogStream struct {
		LogStreamName      string `json:"logStreamName"`
		SearchedCompletely bool   `json:"searchedCompletely"`
	}
	wireLogStream struct {
		ARN                 string `json:"arn"`
		CreationTime        int64  `json:"creationTime"`
		FirstEventTimestamp int64  `json:"firstEventTimestamp"`
		LastEventTimestamp  int64  `json:"lastEventTimestamp"`
		LastIngestionTime   int64  `json:"lastIngestionTime"`
		LogStreamName       string `json:"logStreamName"`
		StoredBytes         int64  `json:"storedBytes"`
	}
	wireLogGroup struct {
		ARN               string `json:"arn"`
		CreationTime      int64  `json:"creationTime"`
		LogGroupARN       string `json:"logGroupArn"`
		LogGroupClass     string `json:"logGroupClass"`
		LogGroupName      string `json:"logGroupName"`
		MetricFilterCount int32  `json:"metricFilterCount"`
		StoredBytes       int64  `json:"storedBytes"`
	}
)

// getLogEvents answers GetLogEvents. s.mu must be held.
func (s *Server) getLogEvents(r *logsRequest) (any, *Error) {
	streamName, hasStream := r.string("logStreamName")
	token, hasToken := r.string("nextToken")
	limit := r.limit("limit", maxLogEvents)
	fromHead := r.bool("startFromHead")
	startTime, hasStartTime := r.long("startTime")
	endTime, hasEndTime := r.long("endTime")
	if r.err != nil {
		return nil, r.err
	}
	if !hasStream || streamName == "" {
		return nil, logsInvalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null")
	}
	p, e := s.lookupLogGroup(r)
	if e != nil {
		return nil, e
	}
	ls, e := s.lookupLogStream(p, streamName)
	if e != nil {
		return nil, e
	}
	lo, hi := ls.window(startTime, endTime, hasStartTime, hasEndTime)
	forward, at := fromHead, lo
	if !fromHead {
		at = hi
	}
	if hasToken {
		dir, i, ok := parseEventToken(token)
		if !ok || i > ls.len() {
			return nil, logsInvalid(msgBadToken)
		}
		forward, at = dir == 'f', min(max(i, lo), hi)
	}
	// [from, to) is the page: limit events and maxLogBytes at most, read
	// from at in the page's direction.
	from, to, size := at, at, 0
	if forward {
		for to < hi && to-from < limit {
			_, msg := ls.event(to)
			if size += len(msg) + logEventOverhead; size > maxLogBytes {
				break
			}
			to++
		}
	} else {
		for from > lo && to-from < limit {
			_, msg := ls.event(from - 1)
			if size += len(msg) + logEventOverhead; size > maxLogBytes {
				break
			}
			from--
		}
	}
	events := make([]wireOutputLogEvent, 0, to-from)
	for i := from; i < to; i++ {
		ts, msg := ls.event(i)
		events = append(events, wireOutputLogEvent{IngestionTime: ts, Message: msg, Timestamp: ts})
	}
	return struct {
		Events            []wireOutputLogEvent `json:"events"`
		NextBackwardToken string               `json:"nextBackwardToken"`
		NextForwardToken  string               `json:"nextForwardToken"`
	}{events, eventToken('b', from), eventToken('f', to)}, nil
}

// filterPattern is a parsed filterPattern: terms an event must all contain.
type filterPattern []string

// parseFilterPattern reads a pattern of plain terms and quoted phrases.
func parseFilterPattern(p string) (filterPattern, *Error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return nil, nil
	}
	if strings.HasPrefix(p, "{") || strings.HasPrefix(p, "[") || strings.HasPrefix(p, "%") {
		return nil, logsInvalid("Invalid filter pattern: this test server (cognitoimporttest) implements only patterns of plain terms and quoted phrases, such as FAILED or \"Line Number 2 \".")
	}
	var terms filterPattern
	for p != "" {
		if p[0] == '"' {
			end := strings.IndexByte(p[1:], '"')
			if end < 0 {
				return nil, logsInvalid("Invalid filter pattern: a quoted phrase has no closing quote.")
			}
			terms = append(terms, p[1:1+end])
			p = strings.TrimSpace(p[2+end:])
			continue
		}
		term, rest, _ := strings.Cut(p, " ")
		if strings.HasPrefix(term, "?") || strings.HasPrefix(term, "-") {
			return nil, logsInvalid("Invalid filter pattern: this test server (cognitoimporttest) implements only patterns of plain terms and quoted phrases, not '" + quote(term) + "'.")
		}
		terms = append(terms, term)
		p = strings.TrimSpace(rest)
	}
	return terms, nil
}

func (f filterPattern) match(msg string) bool {
	for _, t := range f {
		if !strings.Contains(msg, t) {
			return false
		}
	}
	return true
}

// filterToken is the position FilterLogEvents resumes at: the stream, by
// name, and the event's index in it.
func filterToken(stream string, i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(i) + "/" + stream))
}

func parseFilterToken(tok string) (stream string, i int, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", 0, false
	}
	n, stream, ok := strings.Cut(string(b), "/")
	i, err = strconv.Atoi(n)
	return stream, i, ok && err == nil && i >= 0
}

// filterLogEvents answers FilterLogEvents. s.mu must be held.
func (s *Server) filterLogEvents(r *logsRequest) (any, *Error) {
	names, hasNames := r.strings("logStreamNames")
	prefix, hasPrefix := r.string("logStreamNamePrefix")
	pattern, _ := r.string("filterPattern")
	token, hasToken := r.string("nextToken")
	limit := r.limit("limit", maxLogEvents)
	startTime, hasStartTime := r.long("startTime")
	endTime, hasEndTime := r.long("endTime")
	if r.err != nil {
		return nil, r.err
	}
	switch {
	case hasNames && hasPrefix:
		return nil, logsInvalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	case hasNames && (len(names) == 0 || len(names) > maxFilterStreams):
		return nil, logsInvalid(fmt.Sprintf("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and %d", maxFilterStreams))
	}
	terms, e := parseFilterPattern(pattern)
	if e != nil {
		return nil, e
	}
	p, e := s.lookupLogGroup(r)
	if e != nil {
		return nil, e
	}
	var streams []logStream
	if hasNames {
		for _, name := range names {
			ls, e := s.lookupLogStream(p, name)
			if e != nil {
				return nil, e
			}
			streams = append(streams, ls)
		}
		slices.SortStableFunc(streams, func(a, b logStream) int { return a.st.StartDate.Compare(b.st.StartDate) })
		streams = slices.CompactFunc(streams, func(a, b logStream) bool { return a.st == b.st })
	} else {
		for _, ls := range s.logStreams(p) {
			if strings.HasPrefix(ls.name(), prefix) {
				streams = append(streams, ls)
			}
		}
	}
	k, at := 0, 0
	if hasToken {
		name, i, ok := parseFilterToken(token)
		k = slices.IndexFunc(streams, func(ls logStream) bool { return ls.name() == name })
		if !ok || k < 0 || i > streams[k].len() {
			return nil, logsInvalid(msgBadToken)
		}
		at = i
	}
	out := struct {
		Events             []wireFilteredLogEvent  `json:"events"`
		NextToken          string                  `json:"nextToken,omitempty"`
		SearchedLogStreams []wireSearchedLogStream `json:"searchedLogStreams"`
	}{Events: []wireFilteredLogEvent{}, SearchedLogStreams: []wireSearchedLogStream{}}
	size := 0
	for ; k < len(streams); k, at = k+1, 0 {
		ls := streams[k]
		lo, hi := ls.window(startTime, endTime, hasStartTime, hasEndTime)
		for i := max(at, lo); i < hi; i++ {
			ts, msg := ls.event(i)
			if !terms.match(msg) {
				continue
			}
			if len(out.Events) == limit || size+len(msg)+logEventOverhead > maxLogBytes {
				out.NextToken = filterToken(ls.name(), i)
				return out, nil
			}
			size += len(msg) + logEventOverhead
			out.Events = append(out.Events, wireFilteredLogEvent{
				EventID:       fmt.Sprintf("%d%012d%012d", ts, ls.st.StartDate.UnixMilli()%1e12, i),
				IngestionTime: ts, LogStreamName: ls.name(), Message: msg, Timestamp: ts,
			})
		}
		out.SearchedLogStreams = append(out.SearchedLogStreams, wireSearchedLogStream{LogStreamName: ls.name(), SearchedCompletely: true})
	}
	return out, nil
}

// nameToken is the nextToken of the describe operations: the last name
// answered.
func nameToken(name string) string { return base64.RawURLEncoding.EncodeToString([]byte(name)) }

func parseNameToken(tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	return string(b), err == nil && len(b) > 0
}

// describeLogStreams answers DescribeLogStreams. s.mu must be held.
func (s *Server) describeLogStreams(r *logsRequest) (any, *Error) {
	prefix, hasPrefix := r.string("logStreamNamePrefix")
	orderBy, _ := r.string("orderBy")
	descending := r.bool("descending")
	token, hasToken := r.string("nextToken")
	limit := r.limit("limit", maxDescribeLimit)
	if r.err != nil {
		return nil, r.err
	}
	switch orderBy {
	case "", "LogStreamName":
		orderBy = "LogStreamName"
	case "LastEventTime":
		if hasPrefix {
			return nil, logsInvalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
		}
	default:
		return nil, logsInvalid(fmt.Sprintf("1 validation error detected: Value '%s' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]", quote(orderBy)))
	}
	p, e := s.lookupLogGroup(r)
	if e != nil {
		return nil, e
	}
	var streams []logStream
	for _, ls := range s.logStreams(p) {
		if strings.HasPrefix(ls.name(), prefix) {
			streams = append(streams, ls)
		}
	}
	// The streams in the order asked, each with its key: the token is the
	// key of the last stream answered, so that a page never repeats a
	// stream when the group grows between calls.
	key := func(ls logStream) string { return ls.name() }
	if orderBy == "LastEventTime" {
		key = func(ls logStream) string {
			return fmt.Sprintf("%020d/%s", ls.timestamp(ls.len()-1), ls.name())
		}
	}
	slices.SortFunc(streams, func(a, b logStream) int { return strings.Compare(key(a), key(b)) })
	if descending {
		slices.Reverse(streams)
	}
	start := 0
	if hasToken {
		last, ok := parseNameToken(token)
		if !ok {
			return nil, logsInvalid(msgBadToken)
		}
		start = sort.Search(len(streams), func(i int) bool {
			if descending {
				return key(streams[i]) < last
			}
			return key(streams[i]) > last
		})
	}
	end := min(start+limit, len(streams))
	out := struct {
		LogStreams []wireLogStream `json:"logStreams"`
		NextToken  string          `json:"nextToken,omitempty"`
	}{LogStreams: make([]wireLogStream, 0, end-start)}
	group := logGroupName(p)
	for _, ls := range streams[start:end] {
		first, last := ls.timestamp(0), ls.timestamp(ls.len()-1)
		out.LogStreams = append(out.LogStreams, wireLogStream{
			ARN:          s.logGroupARN(group) + ":log-stream:" + ls.name(),
			CreationTime: first, FirstEventTimestamp: first, LastEventTimestamp: last, LastIngestionTime: last,
			LogStreamName: ls.name(),
		})
	}
	if end < len(streams) {
		out.NextToken = nameToken(key(streams[end-1]))
	}
	return out, nil
}

// describeLogGroups answers DescribeLogGroups: one group a pool with a
// started job. s.mu must be held.
func (s *Server) describeLogGroups(r *logsRequest) (any, *Error) {
	prefix, hasPrefix := r.string("logGroupNamePrefix")
	pattern, hasPattern := r.string("logGroupNamePattern")
	token, hasToken := r.string("nextToken")
	limit := r.limit("limit", maxDescribeLimit)
	if r.err != nil {
		return nil, r.err
	}
	if hasPrefix && hasPattern {
		return nil, logsInvalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	last := ""
	if hasToken {
		var ok bool
		if last, ok = parseNameToken(token); !ok {
			return nil, logsInvalid(msgBadToken)
		}
	}
	type group struct {
		name    string
		created int64
	}
	var groups []group
	for _, p := range s.pools {
		streams := s.logStreams(p)
		name := logGroupName(p)
		if len(streams) == 0 || !strings.HasPrefix(name, prefix) || name <= last ||
			hasPattern && !strings.Contains(strings.ToLower(name), strings.ToLower(pattern)) {
			continue
		}
		groups = append(groups, group{name, streams[0].timestamp(0)})
	}
	slices.SortFunc(groups, func(a, b group) int { return strings.Compare(a.name, b.name) })
	out := struct {
		LogGroups []wireLogGroup `json:"logGroups"`
		NextToken string         `json:"nextToken,omitempty"`
	}{LogGroups: make([]wireLogGroup, 0, min(limit, len(groups)))}
	for _, g := range groups[:min(limit, len(groups))] {
		arn := s.logGroupARN(g.name)
		out.LogGroups = append(out.LogGroups, wireLogGroup{
			ARN: arn + ":*", CreationTime: g.created, LogGroupARN: arn, LogGroupClass: "STANDARD", LogGroupName: g.name,
		})
	}
	if len(groups) > limit {
		out.NextToken = nameToken(groups[limit-1].name)
	}
	return out, nil
}
