package cognitoimporttest

import (
	"fmt"
	"testing"
)

// NewTestServer starts and returns a new Server for the test t, as
// NewServer does, and closes it when the test and its subtests end
// (t.Cleanup). Misuse of the server, in its options or later in the test's
// calls of its methods (an unknown pool, job or operation, a bad argument),
// fails the test with t.Fatalf and a message that names the bad argument,
// where a Server from NewServer panics. Call its methods from the test's
// goroutine, as t.Fatalf requires.
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	opts = append([]Option{func(s *Server) { s.tb = t }}, opts...)
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// misuse reports a misuse of the server: t.Fatalf for a server from
// NewTestServer, a panic otherwise. It does not return.
func (s *Server) misuse(format string, args ...any) {
	msg := "cognitoimporttest: " + fmt.Sprintf(format, args...)
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatalf("%s", msg)
	}
	panic(msg)
}
