package cognitoimporttest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// Call is the server's record of one request: what it carried and how it
// was answered, so that a test can assert on what its client sent, as
// pstest's Messages do.
type Call struct {
	Operation Operation // "" for a request that names no known operation
	Time      time.Time // by the server's clock, when the request came
	// Input is the request's body decoded into the SDK's input type, such
	// as *cognitoidentityprovider.StartUserImportJobInput; nil for an
	// upload or a body that is not a JSON object.
	Input any
	Body  []byte // the request's body as received; nil for an upload
	// Header is the request's header, Authorization and all.
	Header http.Header
	// Size is the number of bytes of an upload's body the server read.
	Size int64
	// Err is the error the server answered with, nil for a success. An
	// upload's S3 error is given with its code, message and HTTP status.
	// A connection that DropNext closed has the code ErrorDropped.
	Err *Error
}

// callRecord is the record of requests, and its bounds.
type callRecord struct {
	kept   []Call // from start on; before start, cleared records to drop
	start  int
	bytes  int64 // callBytes of the records kept
	max    int   // with maxSet: WithMaxCalls's n
	maxSet bool
	// maxBytes is MaxCallBytes unless a test lowers it (0: MaxCallBytes).
	maxBytes int64
}

// DefaultMaxCalls is how many records of requests the server keeps unless
// WithMaxCalls says otherwise.
const DefaultMaxCalls = 10_000

// MaxCallBytes bounds the memory of the records of requests: the server
// keeps the newest records whose bodies and headers take at most this many
// bytes together, so that a client's large requests cannot make it grow
// without bound whatever WithMaxCalls allows.
const MaxCallBytes = 64 << 20

// WithMaxCalls makes the server keep the records of only the last n
// requests (n <= 0: none), so that a long-running server does not grow
// without bound. The default is DefaultMaxCalls; MaxCallBytes bounds them
// too.
func WithMaxCalls(n int) Option {
	return func(s *Server) { s.calls.max = max(n, 0); s.calls.maxSet = true }
}

// Calls returns the server's records of the requests it received for ops,
// or for all requests when ops is empty, oldest first: at most the last
// DefaultMaxCalls (see WithMaxCalls), and at most MaxCallBytes of bodies
// and headers. A request refused before its signature was verified (no
// signature, a bad one, a body over MaxBodyBytes) is recorded without its
// body and Input: the server keeps nothing of what it did not authenticate
// beyond its headers.
func (s *Server) Calls(ops ...Operation) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls.kept[s.calls.start:] {
		if len(ops) == 0 || slices.Contains(ops, c.Operation) {
			out = append(out, c)
		}
	}
	return out
}

// callBytes estimates the memory c holds: its body twice (as received and
// decoded into Input), its header, and a fixed share for the rest.
func callBytes(c *Call) int64 {
	n := int64(256 + 2*len(c.Body))
	for k, vs := range c.Header {
		n += int64(len(k))
		for _, v := range vs {
			n += int64(len(v) + 16)
		}
	}
	return n
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit, maxBytes := s.maxCalls(), s.maxCallBytes()
	if limit == 0 {
		return
	}
	s.calls.kept = append(s.calls.kept, c)
	s.calls.bytes += callBytes(&c)
	for len(s.calls.kept)-s.calls.start > limit || (s.calls.bytes > maxBytes && len(s.calls.kept)-s.calls.start > 1) {
		s.calls.bytes -= callBytes(&s.calls.kept[s.calls.start])
		s.calls.kept[s.calls.start] = Call{}
		s.calls.start++
	}
	if s.calls.start > len(s.calls.kept)/2 {
		// Drop the oldest in one copy now and then, not one by one.
		s.calls.kept = append([]Call(nil), s.calls.kept[s.calls.start:]...)
		s.calls.start = 0
	}
}

// bodyCapture keeps a copy of what is read of a request's body.
type bodyCapture struct {
	io.ReadCloser
	buf bytes.Buffer
}

func (b *bodyCapture) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.buf.Len() <= MaxBodyBytes {
		b.buf.Write(p[:n])
	}
	return n, err
}

// captureBody makes r's body keep a copy of what the handler reads.
func captureBody(r *http.Request) *bodyCapture {
	c := &bodyCapture{ReadCloser: r.Body}
	r.Body = c
	return c
}

// recordAPICall records a request to the JSON API: without its body when it
// was refused before its signature was verified (signed is false).
func (s *Server) recordAPICall(r *http.Request, capture *bodyCapture, now time.Time, e *Error, signed bool) {
	op := Operation("")
	if target, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix); ok {
		if _, known := opIndex(Operation(target)); known && Operation(target) != Upload {
			op = Operation(target)
		}
	}
	c := Call{Operation: op, Time: now, Header: r.Header.Clone(), Err: e}
	if signed {
		c.Body = bytes.Clone(capture.buf.Bytes())
		if in := newInput(op); in != nil && json.Unmarshal(c.Body, in) == nil {
			c.Input = in
		}
	}
	s.record(c)
}

// newInput returns a new SDK input of op.
func newInput(op Operation) any {
	switch op {
	case CreateUserImportJob:
		return new(cognitoidentityprovider.CreateUserImportJobInput)
	case ListUserImportJobs:
		return new(cognitoidentityprovider.ListUserImportJobsInput)
	case GetCSVHeader:
		return new(cognitoidentityprovider.GetCSVHeaderInput)
	case DescribeUserPool:
		return new(cognitoidentityprovider.DescribeUserPoolInput)
	case DescribeUserImportJob:
		return new(cognitoidentityprovider.DescribeUserImportJobInput)
	case StartUserImportJob:
		return new(cognitoidentityprovider.StartUserImportJobInput)
	case StopUserImportJob:
		return new(cognitoidentityprovider.StopUserImportJobInput)
	case ListUsers, ListGroups, ListUsersInGroup, CreateGroup, AdminAddUserToGroup:
		return newUsersInput(op) // users_api.go
	}
	return nil
}

func (s *Server) maxCallBytes() int64 {
	if s.calls.maxBytes > 0 {
		return s.calls.maxBytes
	}
	return MaxCallBytes
}

func (s *Server) maxCalls() int {
	if s.calls.maxSet {
		return s.calls.max
	}
	return DefaultMaxCalls
}
