package cognitoimporttest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

const targetPrefix = "AWSCognitoIdentityProviderService."

// ServeHTTP answers one request as the service would. Every response carries
// x-amzn-RequestId and a Date from the server's clock; every failure is an
// AWS JSON error. The response is encoded in full before anything is written.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.startHandling() {
		// Close has closed the connections and returned: nobody reads this.
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	defer s.handlers.Done()
	if isUpload(r) {
		s.serveUpload(w, r) // upload.go: the S3 side
		return
	}
	s.lastStart.Store(monotonic())
	now := s.now()
	h := w.Header()
	h.Set("X-Amzn-Requestid", newRequestID())
	h.Set("Date", now.UTC().Format(http.TimeFormat))

	status, body := http.StatusOK, []byte(nil)
	capture := captureBody(r)
	out, e, signed := s.handle(r, now)
	s.recordAPICall(r, capture, now, e, signed) // record.go
	if e == errDrop {
		dropConnection(w)
		return
	}
	if e == nil {
		var err error
		if body, err = marshal(out); err != nil {
			e = &Error{Code: "InternalErrorException", Message: "Failed to encode the response."}
		}
	}
	if e != nil {
		status = e.status()
		body, _ = marshal(wireError{Type: e.Code, Message: e.Message, ReasonCode: e.ReasonCode})
		h.Set("X-Amzn-Errortype", e.Code)
	}
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	// The write timeout runs from now, not from the end of the request's
	// headers: an injected delay does not use it up.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.net.write))
	w.WriteHeader(status)
	w.Write(body)
}

// handle returns the result of r, to be encoded as JSON, or its error, and
// whether r's signature was verified.
func (s *Server) handle(r *http.Request, now time.Time) (out any, e *Error, signed bool) {
	out, e = s.answer(r, now, &signed)
	return out, e, signed
}

// answer is handle: it sets *signed once r's signature is
// verified.
func (s *Server) answer(r *http.Request, now time.Time, signed *bool) (any, *Error) {
	// Count the request before anything can refuse it: Requests counts
	// every request received, a refused oversized one included.
	op, known := Operation(""), false
	if target, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix); ok {
		op = Operation(target)
		if i, ok := opIndex(op); ok {
			known = true
			s.requests[i].Add(1)
		}
	}

	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, &Error{Code: "SerializationException", Message: "Failed to read the request body."}
	}
	if len(body) > MaxBodyBytes {
		return nil, tooLarge()
	}

	// The query is part of what a signature covers: a query that cannot be
	// parsed cannot be verified, and is refused rather than left out.
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		return nil, &Error{
			Code:       "MalformedQueryString",
			Message:    "The query string contains a syntax error: " + quote(err.Error()),
			StatusCode: http.StatusNotFound, // as AWS's Common Errors page documents it
		}
	}
	if e := s.authenticate(r, body, now); e != nil {
		return nil, e
	}
	*signed = true
	if op, ok := logsOperation(r); ok {
		return s.serveLogs(r, op, body, now) // logs.go: CloudWatch Logs
	}
	if r.Method != http.MethodPost || !known {
		return nil, unknownOperation(r)
	}

	if f, ok := s.nextFault(op); ok {
		if f.delay > 0 {
			t := time.NewTimer(f.delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
			case <-s.done:
			}
			t.Stop()
		}
		if f.err != nil {
			return nil, f.err
		}
	}
	if e := s.throttle(op, body, now); e != nil { // ratelimit.go
		return nil, e
	}

	switch op {
	case CreateUserImportJob:
		return s.createUserImportJob(r, body, now)
	case GetCSVHeader:
		return s.getCSVHeader(body)
	case DescribeUserPool:
		return s.describeUserPool(body)
	case DescribeUserImportJob:
		return s.describeUserImportJob(body, now)
	case StartUserImportJob:
		return s.startUserImportJob(body, now)
	case StopUserImportJob:
		return s.stopUserImportJob(body, now)
	case ListUserImportJobs:
		return s.listUserImportJobs(body, now)
	case ListUsers: // users_api.go
		return s.listUsers(body)
	case ListGroups, ListUsersInGroup, CreateGroup, AdminAddUserToGroup: // groups.go
		return s.handleGroups(op, body)
	}
	return nil, unknownOperation(r)
}

// unknownOperation is the error for a request that is not one of the
// server's operations. The service sends no message; the server says what it
// implements, so that a call of an operation it lacks does not read as the
// caller's mistake.
func unknownOperation(r *http.Request) *Error {
	implements := "it implements " + operationList(false) + ", each as a POST with the header X-Amz-Target: " + targetPrefix + "<operation>."
	target := r.Header.Get("X-Amz-Target")
	var msg string
	switch {
	case target == "":
		msg = "The request has no X-Amz-Target header: this test server (cognitoimporttest) " + implements
	case r.Method != http.MethodPost:
		msg = "This test server (cognitoimporttest) does not implement '" + quote(target) + "' with method " + quote(r.Method) + ": " + implements
	default:
		msg = "This test server (cognitoimporttest) does not implement '" + quote(target) + "': " + implements
	}
	return &Error{Code: "UnknownOperationException", Message: msg}
}

func tooLarge() *Error {
	return &Error{
		Code:       "RequestEntityTooLargeException",
		Message:    fmt.Sprintf("Request body must be no larger than %d bytes.", MaxBodyBytes),
		StatusCode: http.StatusRequestEntityTooLarge,
	}
}

func resourceNotFound(poolID string) *Error {
	return &Error{Code: "ResourceNotFoundException", Message: fmt.Sprintf("User pool %s does not exist.", poolID)}
}

// wireError is the body of an AWS JSON 1.1 error.
type wireError struct {
	Type       string `json:"__type"`
	Message    string `json:"message,omitempty"`
	ReasonCode string `json:"reasonCode,omitempty"`
}

func newRequestID() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := rand.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// marshal encodes v as JSON as the service (Java, Jackson) does: '<', '>'
// and '&' as they are, not as encoding/json's \u003c, which would also make
// an answer that quotes them six times its size.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// maxQuoted is the most characters of a request's value that an error
// message quotes. Messages quote what a client sent, and a client may send
// up to MaxBodyBytes: quoting at most a prefix bounds every answer to a few
// KiB, whatever the request.
const maxQuoted = 256

// quote returns v for a message: v itself if it has at most maxQuoted
// characters, else its first maxQuoted characters followed by "...".
func quote(v string) string {
	n := 0
	for i := range v {
		if n == maxQuoted {
			return v[:i] + "..."
		}
		n++
	}
	return v
}

// Request decoding. encoding/json matches member names without regard to
// case, and the service does not: a request's members are picked out of the
// object by their exact names, and unknown members are ignored.

// decodeObject splits body, which must be one JSON object, into its members.
func decodeObject(body []byte) (map[string]json.RawMessage, *Error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, serializationError("Start of structure or map found where not expected.")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, serializationError("The request body is not valid JSON.")
	}
	return m, nil
}

func serializationError(msg string) *Error {
	return &Error{Code: "SerializationException", Message: msg}
}

// member decodes member name of m as a T, which the service's model calls
// kind ("a String", "an Integer"): present is false when it is missing or
// null, and a value of another JSON type is the service's
// SerializationException.
func member[T any](m map[string]json.RawMessage, name, kind string) (v T, present bool, e *Error) {
	raw, ok := m[name]
	if !ok || isNull(raw) {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		var zero T
		return zero, false, serializationError(fmt.Sprintf("%s can not be converted to %s for member %s.", tokenName(raw), kind, name))
	}
	return v, true, nil
}

// stringMember decodes a String member.
func stringMember(m map[string]json.RawMessage, name string) (string, bool, *Error) {
	return member[string](m, name, "a String")
}

// stringMembers decodes the String members of m that members name, in that
// order, and checks each against its constraints (a missing one fails only
// when it is required), after the violations in vs.
func stringMembers(m map[string]json.RawMessage, vs []constraint.Violation, members ...*constraint.Member) ([]string, []constraint.Violation, *Error) {
	vals := make([]string, len(members))
	for i, mem := range members {
		v, present, e := stringMember(m, mem.Name)
		if e != nil {
			return nil, nil, e
		}
		vals[i] = v
		vs = mem.CheckString(vs, v, present)
	}
	return vals, vs, nil
}

// intMember decodes an Integer member: a JSON number with no fraction that
// fits in 32 bits.
func intMember(m map[string]json.RawMessage, name string) (int32, bool, *Error) {
	return member[int32](m, name, "an Integer")
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// tokenName names the kind of JSON value raw is, as the service's
// conversion errors do: they name the value found, not the type wanted
// ("STRING_VALUE can not be converted to an Integer" for "10").
func tokenName(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		return "STRING_VALUE"
	case '{':
		return "START_OBJECT"
	case '[':
		return "START_ARRAY"
	case 't', 'f':
		return "BOOLEAN_VALUE"
	}
	return "NUMBER_VALUE"
}

// validate turns violations into the service's InvalidParameterException.
// A value is quoted as the service does, except that a value longer than
// maxQuoted characters is quoted in part (see quote): the answer to a huge
// value stays small.
func validate(vs []constraint.Violation) *Error {
	if len(vs) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d validation error", len(vs))
	if len(vs) > 1 {
		b.WriteString("s")
	}
	b.WriteString(" detected: ")
	for i, v := range vs {
		if i > 0 {
			b.WriteString("; ")
		}
		if v.Null {
			fmt.Fprintf(&b, "Value null at '%s' failed to satisfy constraint: ", v.Member.Field)
		} else {
			fmt.Fprintf(&b, "Value '%s' at '%s' failed to satisfy constraint: ", quote(v.Value), v.Member.Field)
		}
		switch v.Rule {
		case constraint.Required:
			b.WriteString("Member must not be null")
		case constraint.MinLength:
			fmt.Fprintf(&b, "Member must have length greater than or equal to %d", v.Limit)
		case constraint.MaxLength:
			fmt.Fprintf(&b, "Member must have length less than or equal to %d", v.Limit)
		case constraint.Pattern, constraint.UTF8:
			fmt.Fprintf(&b, "Member must satisfy regular expression pattern: %s", v.Member.Pattern)
		case constraint.MinValue:
			fmt.Fprintf(&b, "Member must have value greater than or equal to %d", v.Limit)
		case constraint.MaxValue:
			fmt.Fprintf(&b, "Member must have value less than or equal to %d", v.Limit)
		case constraint.Enum:
			fmt.Fprintf(&b, "Member must satisfy enum value set: [%s]", strings.Join(v.Member.Values, ", "))
		}
	}
	return &Error{Code: "InvalidParameterException", Message: b.String()}
}

// epoch writes t as the service does: epoch seconds with milliseconds, such
// as 1548271795.471, or with WithExponentTimestamps as Java writes a double,
// such as 1.548271795471E9; the zero time is left out.
func (s *Server) epoch(t time.Time) json.Number {
	if t.IsZero() {
		return ""
	}
	ms := t.UnixMilli()
	if s.exponentTimestamps {
		f := strconv.FormatFloat(float64(ms)/1000, 'E', -1, 64) // 1.548271795471E+09
		mantissa, exp, _ := strings.Cut(f, "E")
		n, _ := strconv.Atoi(exp)
		return json.Number(mantissa + "E" + strconv.Itoa(n))
	}
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec, frac = sec-1, frac+1000
	}
	return json.Number(fmt.Sprintf("%d.%03d", sec, frac))
}
