package cognitoimporttest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
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

// ErrorDropped is the Code in a Call's Err of a request whose connection
// DropNext closed without an answer.
const ErrorDropped = "cognitoimporttest.Dropped"

// errDrop, returned as a request's error, makes the server close the
// connection without answering.
var errDrop = &Error{Code: ErrorDropped, Message: "the server closed the connection without answering (DropNext)"}

// DropNext makes the next n requests for op that pass authentication end
// with the server closing the connection without an answer, as a network
// failure does: for Upload, without reading the file. Faults queue with
// those of FailNext and DelayNext.
func (s *Server) DropNext(op Operation, n int) {
	s.queue("DropNext", op, fault{err: errDrop}, n)
}

// ClearFaults removes the faults queued by FailNext, DelayNext and DropNext
// and turns FailRandomly off, for the operations ops, or for all operations
// when ops is empty.
func (s *Server) ClearFaults(ops ...Operation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(ops) == 0 {
		clear(s.faults)
		clear(s.random)
		return
	}
	for _, op := range ops {
		delete(s.faults, op)
		delete(s.random, op)
	}
}

// DefaultMaxCalls is how many records of requests the server keeps unless
// WithMaxCalls says otherwise.
const DefaultMaxCalls = 10_000

// WithMaxCalls makes the server keep the records of only the last n
// requests (n <= 0: none), so that a long-running server does not grow
// without bound. The default is DefaultMaxCalls.
func WithMaxCalls(n int) Option {
	return func(s *Server) { s.lc.maxCalls = max(n, 0); s.lc.maxCallsSet = true }
}

// Calls returns the server's records of the requests it received for ops,
// or for all requests when ops is empty, oldest first: at most the last
// DefaultMaxCalls (see WithMaxCalls).
func (s *Server) Calls(ops ...Operation) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	calls := s.lc.calls
	if limit := s.maxCalls(); len(calls) > limit {
		calls = calls[len(calls)-limit:]
	}
	for _, c := range calls {
		if len(ops) == 0 || slices.Contains(ops, c.Operation) {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.maxCalls()
	if limit == 0 {
		return
	}
	if len(s.lc.calls) >= 2*limit {
		// Drop the oldest in one copy now and then, not one by one.
		s.lc.calls = append(make([]Call, 0, 2*limit), s.lc.calls[len(s.lc.calls)-limit+1:]...)
	}
	s.lc.calls = append(s.lc.calls, c)
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

// recordAPICall records a request to the JSON API.
func (s *Server) recordAPICall(r *http.Request, capture *bodyCapture, now time.Time, e *Error) {
	op := Operation("")
	if target, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix); ok {
		if _, known := opIndex(Operation(target)); known && Operation(target) != Upload {
			op = Operation(target)
		}
	}
	body := bytes.Clone(capture.buf.Bytes())
	c := Call{Operation: op, Time: now, Body: body, Header: r.Header.Clone(), Err: e}
	if in := newInput(op); in != nil && json.Unmarshal(body, in) == nil {
		c.Input = in
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

// dropConnection closes the connection of w without an answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // a reset, as a dropped connection often is
	}
	conn.Close()
}

func (s *Server) maxCalls() int {
	if s.lc.maxCallsSet {
		return s.lc.maxCalls
	}
	return DefaultMaxCalls
}
