package cognitoimport_test

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// goroutines returns the stacks of the running goroutines by ID.
func goroutines() map[int]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	all := map[int]string{}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		header, _, _ := bytes.Cut(g, []byte(" ["))
		id, err := strconv.Atoi(string(bytes.TrimPrefix(header, []byte("goroutine "))))
		if err == nil {
			all[id] = string(g)
		}
	}
	return all
}

// checkNoLeak fails the test if goroutines that were not running at before
// (other than the test's own) are still running once they had the chance to
// end. Connections closed by one side end their goroutines on the other side
// a moment later, and a goroutine's end cannot be waited on, so it looks
// again each time the number of goroutines changes. No timer decides the
// outcome: goroutines that end pass however long they take; ones that never
// end fail the test shortly before the test binary's -timeout would: 30 s
// before it, or halfway there when the check starts closer to it than a
// minute (the last of many -count runs on a loaded machine), so that
// goroutines that are still ending then get time to.
func checkNoLeak(t *testing.T, before map[int]string) {
	t.Helper()
	deadline, hasDeadline := t.Deadline()
	if left := time.Until(deadline); hasDeadline && left < time.Minute {
		deadline = deadline.Add(30*time.Second - left/2)
	}
	for {
		var leaked []string
		for id, stack := range goroutines() {
			if _, ok := before[id]; !ok && !bytes.Contains([]byte(stack), []byte("testing.tRunner")) {
				leaked = append(leaked, stack)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if hasDeadline && time.Until(deadline) < 30*time.Second {
			t.Fatalf("%d goroutines left running:\n\n%s", len(leaked), bytes.Join(toBytes(leaked), []byte("\n\n")))
		}
		// Wait for a goroutine to end (or start). Taking every stack
		// stops the world, so look at the cheap count in between; a
		// thousand looks at most, in case one ended as another started.
		n := runtime.NumGoroutine()
		for i := 0; i < 1000 && runtime.NumGoroutine() == n; i++ {
			runtime.Gosched()
		}
	}
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// TestNoGoroutineLeaks ends a walk in each way it can end, closes the
// server, and checks that no goroutine of the client, the SDK's HTTP
// connections or the server is left. It does not run in parallel: it counts
// the process's goroutines.
func TestNoGoroutineLeaks(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, srv *cognitoimporttest.Server, client *cognitoimport.Client)
	}{
		{"break", func(t *testing.T, srv *cognitoimporttest.Server, client *cognitoimport.Client) {
			for _, err := range client.Jobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 10}) {
				if err != nil {
					t.Fatal(err)
				}
				break
			}
		}},
		{"cancel", func(t *testing.T, srv *cognitoimporttest.Server, client *cognitoimport.Client) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var last error
			for _, err := range client.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 10}) {
				last = err
				cancel()
			}
			if !errors.Is(last, context.Canceled) {
				t.Fatalf("last error %v, want context.Canceled", last)
			}
		}},
		{"error", func(t *testing.T, srv *cognitoimporttest.Server, client *cognitoimport.Client) {
			srv.FailNext(listOp, cognitoimporttest.Error{Code: "InternalErrorException"}, 1)
			var last error
			for _, err := range client.Jobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: testPool}, noRetry) {
				last = err
			}
			if !isA[*cognitoimport.InternalError](last) {
				t.Fatalf("last error %v, want *InternalError", last)
			}
		}},
		{"close with a request in flight", func(t *testing.T, srv *cognitoimporttest.Server, client *cognitoimport.Client) {
			srv.DelayNext(listOp, time.Hour, 1)
			done := make(chan error, 1)
			go func() {
				_, err := client.ListJobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: testPool}, noRetry)
				done <- err
			}()
			// Wait until the request is at the server, then close it: Close
			// must end the delay rather than wait an hour.
			waitForRequests(srv, listOp, 1, nil)
			srv.Close()
			if err := <-done; err != nil {
				t.Logf("the delayed call ended with %v", err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := goroutines()
			srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool))
			srv.SeedJobs(testPool, 100)
			client := newClient(srv)
			tc.run(t, srv, client)
			srv.Close()
			checkNoLeak(t, before)
		})
	}
}
