package cognitoimport_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestWalkSurvivesRandomFaults walks 10,000 jobs while the server throttles
// or fails a fifth of the list calls, drawn from a fixed seed: the SDK's
// retryer absorbs every fault and every job arrives once, in order.
func TestWalkSurvivesRandomFaults(t *testing.T) {
	t.Parallel()
	const jobs, pageSize = 10_000, 60
	srv := newServer(t)
	srv.SeedJobs(testPool, jobs)
	srv.FailRandomly(listOp, 0.2, 2026,
		cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"},
		cognitoimporttest.Error{Code: "InternalErrorException", Message: "Internal error"})
	client := newClient(srv)
	// Five faults in a row on one page are likely enough in 200 pages to
	// need more than the SDK's default of three attempts. The standard
	// retryer retries without waiting between attempts: the server's
	// Config waits 20 ms, 45 of them here, which is time for nothing.
	moreAttempts := func(o *cognitoidentityprovider.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			so.RateLimiter = ratelimit.None
		})
		o.RetryMaxAttempts = 10
	}

	var got []cognitoimport.Job
	for job, err := range client.Jobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: testPool}, moreAttempts) {
		if err != nil {
			t.Fatalf("after %d jobs: %v", len(got), err)
		}
		got = append(got, job)
	}
	equalIDs(t, "jobs walked under faults", jobIDs(got), serverJobIDs(srv, testPool))

	pages := (jobs + pageSize - 1) / pageSize
	requests := srv.Requests(listOp)
	t.Logf("%d jobs in %d pages took %d requests: %d faults absorbed by the SDK's retryer", jobs, pages, requests, requests-pages)
	if requests <= pages {
		t.Errorf("%d requests for %d pages: the faults did not happen", requests, pages)
	}
}

// TestResumeAfterRetriesRunOut fails a page more times than the SDK retries:
// the iteration yields the typed error after the pages it delivered, and a
// new iteration from the last good token delivers the rest, none twice.
func TestResumeAfterRetriesRunOut(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedJobs(testPool, 300)
	client := newClient(srv)
	ctx := context.Background()
	in := cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 60}

	var ids []string
	var lastErr error
	pages := 0
	for page, err := range client.Pages(ctx, in) {
		if err != nil {
			lastErr = err
			continue // must be the last thing yielded
		}
		if lastErr != nil {
			t.Fatal("a page came after the error")
		}
		pages++
		ids = append(ids, jobIDs(page.Jobs)...)
		in.PaginationToken = page.PaginationToken
		if pages == 2 {
			// The SDK makes three attempts by default: fail them all.
			srv.FailNext(listOp, cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}, 3)
		}
	}
	if !isA[*cognitoimport.TooManyRequestsError](lastErr) || !cognitoimport.IsRetryable(lastErr) {
		t.Fatalf("the iteration ended with %v, want a retryable *TooManyRequestsError", lastErr)
	}
	if pages != 2 {
		t.Fatalf("%d pages before the error, want 2", pages)
	}

	for page, err := range client.Pages(ctx, in) {
		if err != nil {
			t.Fatalf("resumed iteration: %v", err)
		}
		ids = append(ids, jobIDs(page.Jobs)...)
	}
	equalIDs(t, "jobs before the error and after resuming", ids, serverJobIDs(srv, testPool))
}

// TestSlowServerEndsAtDeadline makes the server hold the second page for an
// hour: the walk ends when the context's deadline passes, after the first
// page's jobs, with an error that matches context.DeadlineExceeded. The
// deadline passes once the second request is at the server, whatever the
// time, so a loaded machine cannot change the outcome (a 200 ms timer once
// ran out during the first page).
func TestSlowServerEndsAtDeadline(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedJobs(testPool, 120)
	client := newClient(srv)
	ctx := newManualDeadline(t)

	var jobs int
	var lastErr error
	for _, err := range client.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool}) {
		if err != nil {
			lastErr = err
			continue
		}
		if jobs++; jobs == 1 {
			// The first page is in: hold the second, and let the
			// deadline pass while the server holds it.
			srv.DelayNext(listOp, time.Hour, 1)
			expireAtRequest(t, ctx, srv, listOp, 2)
		}
	}
	if !errors.Is(lastErr, context.DeadlineExceeded) {
		t.Fatalf("the walk ended with %v, want context.DeadlineExceeded", lastErr)
	}
	if jobs != 60 {
		t.Errorf("%d jobs before the error, want the first page's 60", jobs)
	}
	if isA[*cognitoimport.ServiceError](lastErr) {
		t.Errorf("a deadline came back as a *ServiceError: %v", lastErr)
	}
	// The SDK does not retry a request its context ended.
	checkRequests(t, srv, listOp, 2)
}
