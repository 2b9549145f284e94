package cognitoimporttest_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestNewTestServerMisuse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fn   func(tb *fatalTB)
		want string
	}{
		{"bad pool config", func(tb *fatalTB) {
			cognitoimporttest.NewTestServer(tb, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: "us-east-1_X", MFA: "SOMETIMES"}))
		}, `MFA "SOMETIMES"`},
		{"bad rate", func(tb *fatalTB) { cognitoimporttest.NewTestServer(tb, cognitoimporttest.WithImportRate(0)) }, "WithImportRate(0)"},
		{"unknown pool", func(tb *fatalTB) { cognitoimporttest.NewTestServer(tb).Users("us-east-1_Nope") }, `Users: no user pool "us-east-1_Nope"`},
		{"unknown operation", func(tb *fatalTB) {
			cognitoimporttest.NewTestServer(tb).FailNext("Nope", cognitoimporttest.Error{Code: "X"}, 1)
		}, `FailNext: op "Nope" is not an operation of the server`},
	}
	for _, tt := range tests {
		if got := misuse(tt.fn); !strings.Contains(got, tt.want) {
			t.Errorf("%s: Fatalf(%q), want it to contain %q", tt.name, got, tt.want)
		}
	}
	// A server from NewServer panics instead.
	srv := cognitoimporttest.NewServer()
	defer srv.Close()
	func() {
		defer func() {
			if r, ok := recover().(string); !ok || !strings.Contains(r, "JobLog") {
				t.Errorf("recover() = %v", r)
			}
		}()
		srv.JobLog("us-east-1_Nope", "import-x")
	}()
	// And a server from NewTestServer is closed when its test ends.
	var closed *cognitoimporttest.Server
	misuse(func(tb *fatalTB) { closed = cognitoimporttest.NewTestServer(tb) })
	if resp, err := http.Get(closed.URL); err == nil {
		resp.Body.Close()
		t.Errorf("the server still serves after its test's cleanup")
	}
}

// TestMisuse: each misuse of the Go API panics at the call, with a message
// that names the function and the bad argument, and leaves the server as it
// was: it still serves, and nothing was queued.
func TestMisuse(t *testing.T) {
	t.Parallel()
	list := cognitoimporttest.ListUserImportJobs
	throttle := cognitoimporttest.Error{Code: "TooManyRequestsException"}
	tests := []struct {
		name string
		call func(*cognitoimporttest.Server)
		want []string // substrings of the panic message
	}{
		{"FailNext status 99", func(s *cognitoimporttest.Server) {
			s.FailNext(list, cognitoimporttest.Error{Code: "X", StatusCode: 99}, 1)
		}, []string{"FailNext", "StatusCode 99"}},
		{"FailNext status 1000", func(s *cognitoimporttest.Server) {
			s.FailNext(list, cognitoimporttest.Error{Code: "X", StatusCode: 1000}, 1)
		}, []string{"FailNext", "StatusCode 1000"}},
		{"FailNext status 200", func(s *cognitoimporttest.Server) {
			s.FailNext(list, cognitoimporttest.Error{Code: "X", StatusCode: 200}, 1)
		}, []string{"FailNext", "StatusCode 200"}},
		{"FailNext no code", func(s *cognitoimporttest.Server) {
			s.FailNext(list, cognitoimporttest.Error{Message: "m"}, 1)
		}, []string{"FailNext", "Code"}},
		{"FailNext code with a newline", func(s *cognitoimporttest.Server) {
			s.FailNext(list, cognitoimporttest.Error{Code: "A\nB"}, 1)
		}, []string{"FailNext", "Code"}},
		{"FailNext n -1", func(s *cognitoimporttest.Server) { s.FailNext(list, throttle, -1) }, []string{"FailNext", "n -1"}},
		{"FailNext unknown operation", func(s *cognitoimporttest.Server) { s.FailNext("DeleteUserPool", throttle, 1) }, []string{"FailNext", `"DeleteUserPool"`}},
		{"DelayNext negative delay", func(s *cognitoimporttest.Server) { s.DelayNext(list, -time.Second, 1) }, []string{"DelayNext", "d -1s"}},
		{"DelayNext n -2", func(s *cognitoimporttest.Server) { s.DelayNext(list, time.Second, -2) }, []string{"DelayNext", "n -2"}},
		{"FailRandomly p -0.5", func(s *cognitoimporttest.Server) { s.FailRandomly(list, -0.5, 1, throttle) }, []string{"FailRandomly", "p -0.5"}},
		{"FailRandomly p 1.5", func(s *cognitoimporttest.Server) { s.FailRandomly(list, 1.5, 1, throttle) }, []string{"FailRandomly", "p 1.5"}},
		{"FailRandomly p NaN", func(s *cognitoimporttest.Server) { s.FailRandomly(list, math.NaN(), 1, throttle) }, []string{"FailRandomly", "p NaN"}},
		{"FailRandomly bad error", func(s *cognitoimporttest.Server) {
			s.FailRandomly(list, 0.5, 1, throttle, cognitoimporttest.Error{Code: "X", StatusCode: 99})
		}, []string{"FailRandomly", "errs[1]", "StatusCode 99"}},
		{"SeedJobs n -1", func(s *cognitoimporttest.Server) { s.SeedJobs(testPool, -1) }, []string{"SeedJobs", "n -1"}},
		{"SeedJobs unknown pool", func(s *cognitoimporttest.Server) { s.SeedJobs("us-east-1_Nowhere", 1) }, []string{"SeedJobs", `"us-east-1_Nowhere"`}},
		{"EmptyPagesNext -5", func(s *cognitoimporttest.Server) { s.EmptyPagesNext(-5) }, []string{"EmptyPagesNext", "n -5"}},
		{"CreateUserPool bad ID", func(s *cognitoimporttest.Server) { s.CreateUserPool("nopool") }, []string{"CreateUserPool", `"nopool"`}},
		{"SetJob unknown job", func(s *cognitoimporttest.Server) {
			s.SetJob(cognitoimporttest.Job{UserPoolID: testPool, JobID: "import-0123456789"})
		}, []string{"SetJob", `"import-0123456789"`}},
		{"Jobs unknown pool", func(s *cognitoimporttest.Server) { s.Jobs("us-east-1_Nowhere") }, []string{"Jobs", `"us-east-1_Nowhere"`}},
		// Options fail when they are made, not later in NewServer.
		{"WithMaxPageSize -1", func(*cognitoimporttest.Server) { cognitoimporttest.WithMaxPageSize(-1) }, []string{"WithMaxPageSize", "n -1"}},
		{"WithUserPools bad ID", func(*cognitoimporttest.Server) { cognitoimporttest.WithUserPools(testPool, "bad id") }, []string{"WithUserPools", `"bad id"`}},
		{"WithClock nil", func(*cognitoimporttest.Server) { cognitoimporttest.WithClock(nil) }, []string{"WithClock", "nil"}},
		{"WithRegion empty", func(*cognitoimporttest.Server) { cognitoimporttest.WithRegion("") }, []string{"WithRegion", `""`}},
		{"WithRegion with a slash", func(*cognitoimporttest.Server) { cognitoimporttest.WithRegion("us/east") }, []string{"WithRegion", `"us/east"`}},
		{"WithCredentials no key ID", func(*cognitoimporttest.Server) { cognitoimporttest.WithCredentials("", "secret", "") }, []string{"WithCredentials", "accessKeyID"}},
		{"WithCredentials no secret", func(*cognitoimporttest.Server) { cognitoimporttest.WithCredentials("AKID", "", "") }, []string{"WithCredentials", "secretAccessKey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A server from NewServer, which panics on misuse.
			srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool))
			t.Cleanup(srv.Close)
			msg := panicMessage(t, func() { tt.call(srv) })
			if !strings.HasPrefix(msg, "cognitoimporttest: ") {
				t.Errorf("panic message %q does not begin with the package name", msg)
			}
			for _, want := range tt.want {
				if !strings.Contains(msg, want) {
					t.Errorf("panic message %q does not contain %q", msg, want)
				}
			}
			// Nothing was queued or seeded, and the server still serves.
			for range 2 {
				out, err := listPage(context.Background(), newClient(srv, noRetry), testPool, 60, nil)
				if err != nil {
					t.Fatalf("after the misuse: %v", err)
				}
				if len(out.UserImportJobs) != 0 || out.PaginationToken != nil {
					t.Errorf("after the misuse: %d jobs, token %v; want an empty last page", len(out.UserImportJobs), out.PaginationToken)
				}
			}
		})
	}
}

// TestUsesThatAreNotMisuse: the edges that are allowed stay allowed.
func TestUsesThatAreNotMisuse(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	list := cognitoimporttest.ListUserImportJobs
	srv.FailNext(list, cognitoimporttest.Error{Code: "TooManyRequestsException"}, 0) // nothing queued
	srv.DelayNext(list, 0, 1)                                                        // no delay
	srv.FailNext(list, cognitoimporttest.Error{Code: "X", StatusCode: 400}, 0)       // the lowest error status
	srv.FailNext(list, cognitoimporttest.Error{Code: "X", StatusCode: 599}, 0)       // the highest
	srv.FailRandomly(list, 0, 1)                                                     // off
	srv.FailRandomly(list, 1, 1)                                                     // no errs: off
	srv.SeedJobs(testPool, 0)                                                        // nothing
	srv.EmptyPagesNext(0)                                                            // nothing
	cognitoimporttest.WithMaxPageSize(0)                                             // the default
	cognitoimporttest.WithCredentials("AKID", "secret", "")                          // no session token
	if _, err := listPage(context.Background(), newClient(srv, noRetry), testPool, 10, nil); err != nil {
		t.Fatal(err)
	}
}
