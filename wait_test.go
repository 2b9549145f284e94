package cognitoimport_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

const describeOp = cognitoimporttest.DescribeUserImportJob

// startedJob creates a job, uploads file and starts the job.
func (e *clocked) startedJob(t testing.TB, file string) *cognitoimport.Job {
	t.Helper()
	job := e.createUploaded(t, file)
	started, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil {
		t.Fatalf("StartJob: %v", err)
	}
	return started
}

func TestWaitProgress(t *testing.T) {
	t.Parallel()
	// The two users take a minute each of the server's clock.
	e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
	job := e.startedJob(t, sampleFile)
	var seen []string
	final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID,
		Progress: func(j cognitoimport.Job) { seen = append(seen, fmt.Sprintf("%s/%d", j.Status, j.ImportedUsers)) }})
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != cognitoimport.StatusSucceeded || final.ImportedUsers != 2 || final.Err() != nil {
		t.Errorf("Wait = %v, want Succeeded with 2 users", final)
	}
	// The job may be InProgress already at the first request; after it,
	// each new state once: a user at a time, then the end.
	want := "InProgress/1 Succeeded/2"
	if got := strings.Join(seen, " "); got != "Pending/0 "+want && got != "InProgress/0 "+want {
		t.Errorf("progress %q, want Pending/0 or InProgress/0, then %s", seen, want)
	}
	// Each state was reported once, although Wait asked more often.
	if n := e.srv.Requests(describeOp); n <= len(seen) {
		t.Errorf("%d Describe requests for %d states: the test does not show that unchanged states are not reported", n, len(seen))
	}
}

// TestWaitUnderFaults: with 20% of the Describe requests throttled or
// failing, Wait reaches the job's end without an error.
func TestWaitUnderFaults(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
			job := e.startedJob(t, sampleFile)
			e.srv.FailRandomly(describeOp, 0.2, seed,
				cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"},
				cognitoimporttest.Error{Code: "InternalErrorException", Message: "boom"},
				cognitoimporttest.Error{Code: "ServiceUnavailable", StatusCode: 503})
			final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
			if err != nil {
				t.Fatal(err)
			}
			if final.Status != cognitoimport.StatusSucceeded || final.ImportedUsers != 2 {
				t.Errorf("Wait = %v, want Succeeded with 2 users", final)
			}
		})
	}
	// The same with the failing file: Wait ends at Failed, with no error.
	e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
	job := e.startedJob(t, failingFile)
	e.srv.FailRandomly(describeOp, 0.2, 7, cognitoimporttest.Error{Code: "TooManyRequestsException"})
	final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil || final.Status != cognitoimport.StatusFailed {
		t.Errorf("Wait = %v, %v; want the Failed job and no error", final, err)
	}
}

// TestWaitReturnsOtherErrors: an error that is not transient ends the wait.
func TestWaitReturnsOtherErrors(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
	job := e.startedJob(t, sampleFile)
	e.srv.FailNext(describeOp, cognitoimporttest.Error{Code: "TooManyRequestsException"}, 1)
	e.srv.FailNext(describeOp, cognitoimporttest.Error{Code: "NotAuthorizedException", Message: "revoked"}, 1)
	last, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
	as[*cognitoimport.NotAuthorizedError](t, err)
	if last != nil {
		t.Errorf("Wait returned job %v though it never saw one", last)
	}
	checkRequests(t, e.srv, describeOp, 2)

	_, err = e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: "import-Unknown1"})
	as[*cognitoimport.ResourceNotFoundError](t, err)
}

// TestWaitContextEnds: ctx ends the wait; the job goes on.
func TestWaitContextEnds(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithImportRate(1.0/60))
	job := e.startedJob(t, sampleFile)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	last, err := e.client.Wait(ctx, cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID,
		Progress: func(j cognitoimport.Job) {
			if j.Status == cognitoimport.StatusInProgress {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	if last == nil || last.Status != cognitoimport.StatusInProgress {
		t.Errorf("Wait returned %v, want the last state seen, InProgress", last)
	}
	now, err := e.client.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil || now.Status.Terminal() {
		t.Errorf("after Wait ended: %v, %v; want the job still running", now, err)
	}
}

// waitCount returns how many Describe requests Wait makes for a job that
// runs for d of the server's clock, with the default delays.
func waitCount(t *testing.T, d time.Duration, in cognitoimport.WaitInput) int {
	t.Helper()
	// Start five minutes behind the wall clock, so that a ten-minute wait
	// stays within the server's 15 minutes of signature skew.
	e := newClockedAt(t, time.Now().Add(-5*time.Minute), cognitoimporttest.WithImportRate(2/d.Seconds()))
	job := e.startedJob(t, sampleFile)
	start := e.clk.Now()
	in.UserPoolID, in.JobID = testPool, job.JobID
	final, err := e.client.Wait(t.Context(), in)
	if err != nil || final.Status != cognitoimport.StatusSucceeded {
		t.Fatalf("Wait = %v, %v", final, err)
	}
	n := e.srv.Requests(describeOp)
	if elapsed := e.clk.Now().Sub(start); elapsed < d {
		t.Errorf("Wait ended after %v of the clock, before the job's %v", elapsed, d)
	} else if rate := float64(n-1) / elapsed.Seconds(); rate > 5 {
		t.Errorf("%d requests in %v: %.1f/s, over 5/s", n, elapsed, rate)
	}
	return n
}

// TestWaitRequestCounts: the number of Describe calls grows with the log of
// the job's duration up to the cap, then linearly at the cap's rate; never
// over 5 a second. BENCHMARKS.md quotes these counts.
func TestWaitRequestCounts(t *testing.T) {
	t.Parallel()
	minD, maxD := cognitoimport.DefaultWaitMinDelay, cognitoimport.DefaultWaitMaxDelay
	// The bound: one request at once, one after each doubling delay up to
	// the cap, then one per cap.
	bound := func(d time.Duration) int {
		doublings := int(math.Ceil(math.Log2(float64(maxD) / float64(minD))))
		ramp := minD * (1<<doublings - 1) // the time the doublings take
		n := 1 + doublings
		if d > ramp {
			n += int(math.Ceil(float64(d-ramp) / float64(maxD)))
		}
		return n
	}
	for _, tc := range []struct {
		d    time.Duration
		want int
	}{{10 * time.Second, 5}, {time.Minute, 7}, {10 * time.Minute, 25}} {
		n := waitCount(t, tc.d, cognitoimport.WaitInput{})
		t.Logf("job of %v: %d Describe requests (bound %d)", tc.d, n, bound(tc.d))
		if n > bound(tc.d) || n != tc.want {
			t.Errorf("job of %v: %d Describe requests, want %d (bound %d)", tc.d, n, tc.want, bound(tc.d))
		}
	}
	// Delays asked below the floor poll at 5/s at most.
	n := waitCount(t, 10*time.Second, cognitoimport.WaitInput{MinDelay: time.Nanosecond, MaxDelay: time.Nanosecond})
	if n > 51 {
		t.Errorf("MinDelay 1ns: %d requests in 10 s, want at most 51", n)
	}
}

// TestWaitWithinRateLimits: at its fastest, Wait stays within the service's
// 5 requests a second per pool, as the test server enforces them with
// WithRateLimits: not one request is throttled.
func TestWaitWithinRateLimits(t *testing.T) {
	t.Parallel()
	e := newClocked(t, cognitoimporttest.WithRateLimits(), cognitoimporttest.WithImportRate(0.2))
	job := e.startedJob(t, sampleFile)
	final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID,
		MinDelay: time.Nanosecond, MaxDelay: time.Nanosecond})
	if err != nil || final.Status != cognitoimport.StatusSucceeded {
		t.Fatalf("Wait = %v, %v", final, err)
	}
	calls := e.srv.Calls(describeOp)
	if len(calls) < 40 {
		t.Fatalf("%d Describe requests for a 10 s job at the fastest rate, want about 50", len(calls))
	}
	for i, c := range calls {
		if c.Err != nil {
			t.Errorf("request %d at %v: %s", i, c.Time, c.Err.Code)
		}
		if i > 0 {
			if gap := c.Time.Sub(calls[i-1].Time); gap < cognitoimport.MinPollInterval {
				t.Errorf("requests %d and %d %v apart, under %v", i-1, i, gap, cognitoimport.MinPollInterval)
			}
		}
	}
}
