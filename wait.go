package cognitoimport

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// The defaults and bounds of Wait's polling.
const (
	// DefaultWaitMinDelay is the first delay between two of Wait's
	// requests; it doubles after each request, up to the cap.
	DefaultWaitMinDelay = time.Second
	// DefaultWaitMaxDelay is the cap of the delay between two of Wait's
	// requests.
	DefaultWaitMaxDelay = 30 * time.Second
	// MinPollInterval is the least time between two DescribeUserImportJob
	// requests of one Client for one pool: the service allows 5 requests
	// per second per pool for an operation.
	MinPollInterval = 200 * time.Millisecond
)

// WaitInput is the input of Wait.
type WaitInput struct {
	UserPoolID string // the job's pool. Required.
	JobID      string // the job. Required.
	// Progress, when not nil, is called with the job's first state and then
	// with each new one: a new status, or new counts of imported, skipped
	// and failed users. It runs on Wait's goroutine.
	Progress func(Job)
	// MinDelay is the first delay between two requests (0:
	// DefaultWaitMinDelay); it doubles after each request up to MaxDelay
	// (0: DefaultWaitMaxDelay). Neither goes under MinPollInterval.
	MinDelay, MaxDelay time.Duration
}

// Wait polls the job with DescribeUserImportJob until it ends (Succeeded,
// Failed, Stopped or Expired) and returns it with a nil error, whatever its
// status: job.Err() tells a job that did not succeed. Wait first asks at
// once, then after MinDelay, doubling the delay up to MaxDelay, and never
// sends more than 5 requests per second for one pool (MinPollInterval),
// counting the other Waits of the same Client on that pool.
//
// Throttling and other transient failures (see IsRetryable) are absorbed:
// Wait asks again after the next delay. Wait makes each request once (it
// sets the SDK's RetryMaxAttempts to 1 before optFns, which apply to every
// request), so that its own backoff alone spaces the requests; its delays
// run on the Client's Clock. Any other error is returned, with the last
// state of the job seen (nil if none).
//
// When ctx ends, Wait returns the last state seen and ctx.Err(). The job
// goes on running in the service: stop it with StopJob if it must not.
func (c *Client) Wait(ctx context.Context, in WaitInput, optFns ...func(*cognitoidentityprovider.Options)) (*Job, error) {
	ref := DescribeJobInput{UserPoolID: in.UserPoolID, JobID: in.JobID}
	if c.validate {
		if err := ref.Validate(); err != nil {
			return nil, err
		}
	}
	minDelay, maxDelay := in.MinDelay, in.MaxDelay
	if minDelay == 0 {
		minDelay = DefaultWaitMinDelay
	}
	if maxDelay == 0 {
		maxDelay = DefaultWaitMaxDelay
	}
	minDelay = max(minDelay, MinPollInterval)
	maxDelay = max(maxDelay, minDelay)
	opts := append([]func(*cognitoidentityprovider.Options){onceOnly}, optFns...)

	var last *Job
	delay := minDelay
	for {
		if err := c.pace(ctx, in.UserPoolID); err != nil {
			return last, err
		}
		job, err := c.DescribeJob(ctx, ref, opts...)
		switch {
		case err == nil:
			if last == nil || newState(*last, *job) {
				if in.Progress != nil {
					in.Progress(*job)
				}
			}
			last = job
			if job.Status.Terminal() {
				return job, nil
			}
		case ctx.Err() != nil:
			return last, ctx.Err()
		case !IsRetryable(err):
			return last, err
		}
		if err := c.clock.Sleep(ctx, delay); err != nil {
			return last, err
		}
		delay = min(2*delay, maxDelay)
	}
}

// onceOnly makes the SDK send a request once, without its own retries.
func onceOnly(o *cognitoidentityprovider.Options) { o.RetryMaxAttempts = 1 }

// newState reports whether b differs from a in status or counts.
func newState(a, b Job) bool {
	return a.Status != b.Status || a.ImportedUsers != b.ImportedUsers ||
		a.SkippedUsers != b.SkippedUsers || a.FailedUsers != b.FailedUsers
}

// pacer spaces the Describe requests of one Client for each pool by at
// least MinPollInterval.
type pacer struct {
	mu   sync.Mutex
	next map[string]time.Time // the earliest time of a pool's next request
}

// pace waits until the pool may take another request, and books it.
func (c *Client) pace(ctx context.Context, pool string) error {
	now := c.clock.Now()
	c.pacer.mu.Lock()
	if c.pacer.next == nil {
		c.pacer.next = make(map[string]time.Time)
	}
	at := c.pacer.next[pool]
	if at.Before(now) {
		at = now
	}
	c.pacer.next[pool] = at.Add(MinPollInterval)
	c.pacer.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return c.clock.Sleep(ctx, d)
	}
	return ctx.Err()
}
