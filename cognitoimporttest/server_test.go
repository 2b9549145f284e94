package cognitoimporttest_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// arrivals returns a clock for WithClock that also reports each request's
// arrival on the channel: the server reads its clock when a request
// arrives.
func arrivals() (func() time.Time, <-chan struct{}) {
	arrived := make(chan struct{}, 100)
	return func() time.Time {
		select {
		case arrived <- struct{}{}:
		default:
		}
		return time.Now()
	}, arrived
}

// waitFor waits for a value on ch, for at most a generous while.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	watchdog := time.NewTimer(30 * time.Second)
	defer watchdog.Stop()
	select {
	case v := <-ch:
		return v
	case <-watchdog.C:
		t.Fatalf("waited 30s for %s", what)
		panic("unreachable")
	}
}

// TestDelayNextDeadline: a call the server delays ends when its context
// does, with the context's error. The context ends once the request has
// reached the server, not at a deadline, which a loaded machine could reach
// before the request does (and the call would then fail for another reason).
func TestDelayNextDeadline(t *testing.T) {
	t.Parallel()
	clock, arrived := arrivals()
	srv := newServer(t, cognitoimporttest.WithClock(clock))
	client := newClient(srv, noRetry)
	srv.DelayNext(cognitoimporttest.ListUserImportJobs, time.Hour, 1)

	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		<-arrived
		cancel(context.DeadlineExceeded) // as a deadline would end it
	}()
	_, err := listPage(ctx, client, testPool, 10, nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		t.Fatalf("got %v (cause %v), want the context's error", err, context.Cause(ctx))
	}
	// Whether the server had taken the delay when the client went away
	// depends on scheduling (it takes it after reading the body), so no
	// call follows here: it might meet the hour's delay.
}

// TestDelayNext: delays queue with failures, in order, and a delayed call
// then goes on as usual.
func TestDelayNext(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv, noRetry)
	list := cognitoimporttest.ListUserImportJobs
	const d = 50 * time.Millisecond
	srv.DelayNext(list, d, 1)
	srv.FailNext(list, cognitoimporttest.Error{Code: "NotAuthorizedException"}, 1)

	start := time.Now()
	if _, err := listPage(context.Background(), client, testPool, 10, nil); err != nil {
		t.Errorf("a call delayed %v: %v", d, err)
	}
	if took := time.Since(start); took < d {
		t.Errorf("a call delayed %v took %v", d, took)
	}
	_, err := listPage(context.Background(), client, testPool, 10, nil)
	apiError(t, err, "NotAuthorizedException")
	if _, err := listPage(context.Background(), client, testPool, 10, nil); err != nil {
		t.Errorf("the call after the queue: %v", err)
	}
	if got := srv.Requests(list); got != 3 {
		t.Errorf("Requests = %d, want 3", got)
	}
}

// TestCloseDuringDelay: Close ends an injected delay instead of waiting
// for it.
func TestCloseDuringDelay(t *testing.T) {
	t.Parallel()
	clock, arrived := arrivals()
	// Not newServer: the test closes the server itself, and a cleanup
	// would hang on a Close that hangs.
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(clock))
	srv.DelayNext(cognitoimporttest.ListUserImportJobs, time.Hour, 1)
	client := newClient(srv, noRetry)

	returned := make(chan error, 1)
	go func() {
		_, err := listPage(context.Background(), client, testPool, 10, nil)
		returned <- err
	}()
	waitFor(t, arrived, "the delayed request to reach the server")

	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	waitFor(t, closed, "Close, with a delayed request in flight")
	err := waitFor(t, returned, "the delayed call to return after Close")
	t.Logf("the delayed call returned: %v", err)
}

// TestConcurrentClients runs several clients at once, creating and listing;
// run it with -race. Meanwhile, 10 throttling faults are queued for the
// lists: which calls get them depends on scheduling, so every client makes
// up to 11 attempts a call, and no call can fail whoever gets them.
func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	const (
		workers   = 8
		perWorker = 10 // 80 jobs: the final listing has two pages
		other     = "us-east-1_Other"
	)
	srv := newServer(t, cognitoimporttest.WithUserPools(other))
	ctx := context.Background()

	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := newClient(srv, enoughAttempts)
			for i := range perWorker {
				out, err := client.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
					UserPoolId:            aws.String(testPool),
					JobName:               aws.String(fmt.Sprintf("worker-%d-%d", w, i)),
					CloudWatchLogsRoleArn: aws.String(testRoleARN),
				})
				if err != nil {
					t.Errorf("worker %d create %d: %v", w, i, err)
					return
				}
				// A page as long as a worker's jobs: it holds at
				// least the i+1 this worker created.
				page, err := listPage(ctx, client, testPool, perWorker, nil)
				if err != nil {
					t.Errorf("worker %d list %d: %v", w, i, err)
					return
				}
				if len(page.UserImportJobs) < i+1 {
					t.Errorf("worker %d sees %d jobs after creating %d", w, len(page.UserImportJobs), i+1)
				}
				if !slices.ContainsFunc(srv.Jobs(testPool), func(j cognitoimporttest.Job) bool { return j.JobID == *out.UserImportJob.JobId }) {
					t.Errorf("worker %d: job %s is not in srv.Jobs", w, *out.UserImportJob.JobId)
				}
			}
		}()
	}
	// The Go API, meanwhile.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 10 {
			srv.SeedJobs(other, 10)
			srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "TooManyRequestsException"}, 1)
			_ = srv.Requests(cognitoimporttest.CreateUserImportJob)
		}
	}()
	wg.Wait()

	const total = workers * perWorker
	jobs := srv.Jobs(testPool)
	if len(jobs) != total {
		t.Fatalf("srv.Jobs has %d jobs, want %d", len(jobs), total)
	}
	if got := len(srv.Jobs(other)); got != 100 {
		t.Errorf("the other pool has %d jobs, want 100", got)
	}
	if got := srv.Requests(cognitoimporttest.CreateUserImportJob); got != total {
		t.Errorf("Requests(Create) = %d, want %d", got, total)
	}
	// Each of the 10 faults was met by a list, here or in listAll below.
	lists := srv.Requests(cognitoimporttest.ListUserImportJobs)
	defer func() {
		pages := (total + 59) / 60
		if got := srv.Requests(cognitoimporttest.ListUserImportJobs) - lists; lists+got != total+10+pages {
			t.Errorf("Requests(List) = %d, want %d lists, %d pages and 10 throttled attempts", lists+got, total, pages)
		}
	}()
	ids := listAll(t, newClient(srv, enoughAttempts), testPool, 60)
	if !slices.Equal(ids, jobIDs(jobs)) {
		t.Errorf("listed %d jobs, not srv.Jobs' %d in order", len(ids), len(jobs))
	}
	names := make(map[string]bool)
	for _, j := range jobs {
		if names[j.JobName] {
			t.Errorf("job name %s twice", j.JobName)
		}
		names[j.JobName] = true
		if !jobIDPattern.MatchString(j.JobID) {
			t.Errorf("job ID %q", j.JobID)
		}
	}
}

// enoughAttempts makes a client try a call 11 times, one more than the
// faults TestConcurrentClients queues.
func enoughAttempts(o *cognitoidentityprovider.Options) { o.RetryMaxAttempts = 11 }

// TestSeedJobs: seeded jobs are named and ordered as documented, and jobs
// created later are newer.
func TestSeedJobs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedJobs(testPool, 3)
	createJob(t, newClient(srv), testPool, "created")
	jobs := srv.Jobs(testPool)
	var names []string
	for _, j := range jobs {
		names = append(names, j.JobName)
		if j.Status != "Created" || j.UserPoolID != testPool {
			t.Errorf("job %+v", j)
		}
	}
	if want := []string{"created", "seed-3", "seed-2", "seed-1"}; !slices.Equal(names, want) {
		t.Errorf("names newest first = %v, want %v", names, want)
	}
	for i := 1; i < len(jobs); i++ {
		if !jobs[i].CreationDate.Before(jobs[i-1].CreationDate) {
			t.Errorf("job %d created %v, not before job %d (%v)", i, jobs[i].CreationDate, i-1, jobs[i-1].CreationDate)
		}
	}
}

// TestFaultQueueTakesAnyCount queues a fault for "always" without storing a
// copy per request, and checks that it applies to every later request.
func TestFaultQueueTakesAnyCount(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv, noRetry)
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "TooManyRequestsException"}, math.MaxInt)
	for range 3 {
		_, err := listPage(context.Background(), client, testPool, 10, nil)
		apiError(t, err, "TooManyRequestsException")
	}
	srv.FailNext(cognitoimporttest.CreateUserImportJob, cognitoimporttest.Error{Code: "X"}, 0) // nothing queued
	createJob(t, client, testPool, "after a zero count")
}
