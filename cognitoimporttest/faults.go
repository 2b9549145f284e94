package cognitoimporttest

import (
	"fmt"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Error is a service error that FailNext makes the server send instead of an
// operation's result. It implements error, for code that passes it along.
type Error struct {
	// Code is the error code, such as "TooManyRequestsException"; it is
	// sent in the body's __type and the x-amzn-ErrorType header.
	Code    string
	Message string
	// StatusCode is the HTTP status; 0 means 500 for InternalErrorException
	// and 400 for every other code, as the service does. Otherwise it must
	// be an error status, 400 to 599.
	StatusCode int
	// ReasonCode is sent as reasonCode when it is not empty, as the service
	// does on some InvalidParameterExceptions.
	ReasonCode string
}

// Error returns the code and the message.
func (e Error) Error() string { return e.Code + ": " + e.Message }

// check returns what is wrong with e as an injected fault, or "".
func (e *Error) check() string {
	switch {
	case e.Code == "":
		return "Code is empty"
	case strings.ContainsFunc(e.Code, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return fmt.Sprintf("Code %q holds a control character, which cannot be sent in a header", e.Code)
	case e.StatusCode != 0 && (e.StatusCode < 400 || e.StatusCode > 599):
		return fmt.Sprintf("StatusCode %d is not 0 or an HTTP error status (400 to 599)", e.StatusCode)
	}
	return ""
}

func (e *Error) status() int {
	switch {
	case e.StatusCode != 0:
		return e.StatusCode
	case e.Code == "InternalErrorException":
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

type fault struct {
	err   *Error
	delay time.Duration
	times int // how many more requests it applies to, while queued
}

// FailNext makes the next n requests for op that pass authentication fail
// with err. Faults queue: after these n, the next faults queued for op apply.
// n 0 queues nothing. It panics if op is not an operation of the server, if n
// is negative, or if err has no Code or a StatusCode that is not an error
// status.
func (s *Server) FailNext(op Operation, err Error, n int) {
	if msg := err.check(); msg != "" {
		s.misuse("FailNext: err: %s", msg)
	}
	s.queue("FailNext", op, fault{err: &err}, n)
}

// DelayNext makes the server wait d before it handles each of the next n
// requests for op that pass authentication. A wait ends early when the
// server is closed or the client goes away; a delayed Upload's wait ends
// only after d or at Close, even if its client leaves first. n 0 queues
// nothing. It panics if op is not an operation of the server, or if d or n
// is negative.
func (s *Server) DelayNext(op Operation, d time.Duration, n int) {
	if d < 0 {
		s.misuse("DelayNext: d %v is negative", d)
	}
	s.queue("DelayNext", op, fault{delay: d}, n)
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

// checkOp reports a misuse if op is not an operation of the server.
func (s *Server) checkOp(method string, op Operation) {
	if _, ok := opIndex(op); !ok {
		s.misuse("%s: op %q is not an operation of the server (%s)", method, op, operationList(true))
	}
}

func (s *Server) queue(method string, op Operation, f fault, n int) {
	s.checkOp(method, op)
	if n < 0 {
		s.misuse("%s: n %d is negative", method, n)
	}
	if n == 0 {
		return
	}
	f.times = n
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], f)
}

// randomFaults fails a share of an operation's requests.
type randomFaults struct {
	p    float64
	rng  *mathrand.Rand
	errs []Error
}

// FailRandomly makes each later request for op that passes authentication,
// and finds no fault queued by FailNext or DelayNext, fail with probability
// p, with one of errs picked at random. The draws come from a generator
// seeded with seed, so that the same requests in the same order fail the
// same way in every run. p 0 (or no errs) turns it off. It panics if op is
// not an operation of the server, if p is not a probability (0 to 1), or if
// one of errs is not a valid fault, as FailNext's err must be.
func (s *Server) FailRandomly(op Operation, p float64, seed uint64, errs ...Error) {
	s.checkOp("FailRandomly", op)
	if !(p >= 0 && p <= 1) { // NaN too
		s.misuse("FailRandomly: p %v is not a probability (0 to 1)", p)
	}
	for i := range errs {
		if msg := errs[i].check(); msg != "" {
			s.misuse("FailRandomly: errs[%d]: %s", i, msg)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p <= 0 || len(errs) == 0 {
		delete(s.random, op)
		return
	}
	s.random[op] = &randomFaults{p: p, rng: mathrand.New(mathrand.NewPCG(seed, seed)), errs: slices.Clone(errs)}
}

// nextFault takes the next queued fault of op, or draws a random one.
func (s *Server) nextFault(op Operation) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[op]
	if len(q) == 0 {
		if r := s.random[op]; r != nil && r.rng.Float64() < r.p {
			err := r.errs[r.rng.IntN(len(r.errs))]
			return fault{err: &err}, true
		}
		return fault{}, false
	}
	f := q[0]
	if q[0].times--; q[0].times == 0 {
		q[0] = fault{}
		s.faults[op] = q[1:]
	}
	return f, true
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

// EmptyPagesNext makes the next n ListUserImportJobs responses that would
// carry jobs carry none, but a pagination token that resumes where the
// request did: the real service may answer so, and a client must not take a
// short or empty page for the last one. n 0 queues nothing; it panics if n
// is negative.
func (s *Server) EmptyPagesNext(n int) {
	if n < 0 {
		s.misuse("EmptyPagesNext: n %d is negative", n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emptyPages += n
}

// wait waits d, or until the server is closed or r's context ends (for an
// upload whose body is unread, net/http does not end it when the client goes
// away: see DelayNext).
func (s *Server) wait(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	case <-s.done:
	}
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
