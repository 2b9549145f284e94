package cognitoimporttest_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

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
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithUserPools(other))
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

// TestRequests: Requests counts every request for an operation, whatever
// came of it.
func TestRequests(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	ctx := context.Background()
	list, create := cognitoimporttest.ListUserImportJobs, cognitoimporttest.CreateUserImportJob

	if srv.Requests(list) != 0 || srv.Requests(create) != 0 {
		t.Fatalf("a new server counts %d/%d requests", srv.Requests(list), srv.Requests(create))
	}
	for range 3 {
		createJob(t, client, testPool, "counted")
	}
	for range 2 {
		if _, err := listPage(ctx, client, testPool, 10, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err := listPage(ctx, client, "abc", 10, nil) // invalid
	apiError(t, err, "InvalidParameterException")
	send(t, srv, rawRequest{Target: targetList, Unsigned: true})                       // unauthenticated
	send(t, srv, newRaw(targetPrefix+"DeleteUserImportJob", `{}`))                     // another operation
	send(t, srv, rawRequest{Target: targetList, Body: newOversized(), Unsigned: true}) // refused unread
	if got := srv.Requests(create); got != 3 {
		t.Errorf("Requests(Create) = %d, want 3", got)
	}
	if got := srv.Requests(list); got != 5 {
		t.Errorf("Requests(List) = %d, want 5", got)
	}
	if got := srv.Requests("DeleteUserImportJob"); got != 0 {
		t.Errorf("Requests of an operation the server lacks = %d, want 0", got)
	}
}

// Tests of the server as a network service: clients that stall cannot hold
// a connection, nor Close, for longer than the bounds the server sets. The
// bounds are set small or huge here (WithNetTimeouts, from export_test.go),
// so that each test's outcome is decided by the one bound it tests; the
// tests wait on what must happen (a connection closed, Close returning),
// with waitFor's 30 s only as a guard against a hang.

// stalledClients opens connections to srv that stall where clients can: one
// that sends nothing, one that stops in the middle of its headers, one that
// stops in the middle of a body of 60 KB, and one idle after a request. It
// returns them once the one in the middle of its body has reached the
// handler (arrived receives from the server's clock).
func stalledClients(t *testing.T, srv *cognitoimporttest.Server, arrived <-chan struct{}) map[string]net.Conn {
	t.Helper()
	addr := strings.TrimPrefix(srv.URL, "http://")
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	write := func(c net.Conn, s string) {
		t.Helper()
		if _, err := io.WriteString(c, s); err != nil {
			t.Fatal(err)
		}
	}
	conns := map[string]net.Conn{"silent": dial(), "mid-headers": dial(), "mid-body": dial(), "idle": dial()}
	write(conns["mid-headers"], "POST / HTTP/1.1\r\nHost: "+addr+"\r\nX-Amz-Tar")
	write(conns["mid-body"], fmt.Sprintf("POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Target: %s\r\nContent-Length: 60000\r\n\r\n{\"UserPoolId\":", addr, targetList))
	waitFor(t, arrived, "the request in the middle of its body to reach the handler")
	write(conns["idle"], "POST / HTTP/1.1\r\nHost: "+addr+"\r\nX-Amz-Target: "+targetList+"\r\nContent-Length: 2\r\n\r\n{}")
	waitFor(t, arrived, "the idle connection's request to reach the handler")
	return conns
}

// closedByServer returns a channel that receives once the server has closed
// c: reading it returns an error or the end, after any answer.
func closedByServer(c net.Conn) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, c)
		done <- err
	}()
	return done
}

// TestCloseWithStalledClients: Close returns whatever its clients do,
// closing their connections once its grace is over. The network timeouts
// are an hour here: only Close can end these connections.
func TestCloseWithStalledClients(t *testing.T) {
	t.Parallel()
	clock, arrived := arrivals()
	// Not NewTestServer: the test closes the server itself.
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(nowFunc(clock)),
		cognitoimporttest.WithNetTimeouts(time.Hour, time.Hour, time.Hour, time.Hour, time.Nanosecond))
	conns := stalledClients(t, srv, arrived)
	srv.DelayNext(cognitoimporttest.ListUserImportJobs, time.Hour, 1)
	delayed := make(chan error, 1)
	go func() {
		_, err := listPage(context.Background(), newClient(srv, noRetry), testPool, 10, nil)
		delayed <- err
	}()
	waitFor(t, arrived, "the delayed request to reach the server")

	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	waitFor(t, closed, "Close, with stalled clients")
	for name, c := range conns {
		waitFor(t, closedByServer(c), "the server to close the "+name+" connection")
	}
	waitFor(t, delayed, "the delayed call to return")
}

// TestTimeoutsEndStalledConnections: without Close, the network timeouts end
// connections that stall: in their headers (ReadHeaderTimeout), in their
// body (ReadTimeout) or between requests (IdleTimeout). Each is a
// millisecond here; Close's grace is an hour, and is not reached: the server
// is closed by the cleanup only after the connections are.
func TestTimeoutsEndStalledConnections(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithNetTimeouts(time.Millisecond, time.Millisecond, time.Hour, time.Millisecond, time.Hour))
	addr := strings.TrimPrefix(srv.URL, "http://")
	// Not stalledClients: a body in the middle may time out before the
	// handler reads the clock, so its arrival is not awaited.
	for name, req := range map[string]string{
		"silent":      "",
		"mid-headers": "POST / HTTP/1.1\r\nHost: " + addr + "\r\nX-Amz-Tar",
		"mid-body":    fmt.Sprintf("POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Target: %s\r\nContent-Length: 60000\r\n\r\n{\"UserPoolId\":", addr, targetList),
		"idle":        "POST / HTTP/1.1\r\nHost: " + addr + "\r\nX-Amz-Target: " + targetList + "\r\nContent-Length: 2\r\n\r\n{}",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		waitFor(t, closedByServer(c), "the server to close the "+name+" connection")
	}
}

// TestDelayBeyondWriteTimeout: WriteTimeout bounds the writing of a response,
// not the delay DelayNext injects before it: a call delayed longer than the
// write timeout still gets its answer.
func TestDelayBeyondWriteTimeout(t *testing.T) {
	t.Parallel()
	// The delay always outlasts the write timeout, which runs from the end
	// of the request's headers; the write then has a whole second, which
	// only a machine stalled for a second could miss.
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithNetTimeouts(0, 0, time.Second, 0, 0))
	srv.DelayNext(cognitoimporttest.ListUserImportJobs, 1200*time.Millisecond, 1)
	if _, err := listPage(context.Background(), newClient(srv, noRetry), testPool, 10, nil); err != nil {
		t.Errorf("a call delayed beyond the write timeout: %v", err)
	}
}
