package cognitoimport_test

// Helpers shared by the test files: one way to start a server, one way to
// make a client of it, one way to collect what an iterator yields.

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

const (
	testPool    = "us-east-1_TestPool1"
	testRoleARN = "arn:aws:iam::123456789012:role/CognitoImportLogs"

	createOp = cognitoimporttest.CreateUserImportJob
	listOp   = cognitoimporttest.ListUserImportJobs
)

// newServer is cognitoimporttest.NewTestServer with the user pool testPool
// (and any pools opts add): it closes when the test ends, and misuse fails
// the test.
func newServer(t testing.TB, opts ...cognitoimporttest.Option) *cognitoimporttest.Server {
	t.Helper()
	return cognitoimporttest.NewTestServer(t, append([]cognitoimporttest.Option{cognitoimporttest.WithUserPools(testPool)}, opts...)...)
}

// newClient returns a Client of srv through the real SDK client, with the
// SDK's default retries.
func newClient(srv *cognitoimporttest.Server, opts ...cognitoimport.Option) *cognitoimport.Client {
	return cognitoimport.New(cognitoidentityprovider.NewFromConfig(srv.Config()), opts...)
}

// noRetry is a per-call option that makes the SDK send each call once, so
// that errors it would retry come back at once and request counts are exact.
func noRetry(o *cognitoidentityprovider.Options) { o.RetryMaxAttempts = 1 }

// withCredentials is a per-call option that makes the SDK sign with creds.
func withCredentials(creds aws.Credentials) func(*cognitoidentityprovider.Options) {
	return func(o *cognitoidentityprovider.Options) {
		o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	}
}

// validCreateInput returns a valid input for a job named name in testPool.
func validCreateInput(name string) cognitoimport.CreateJobInput {
	return cognitoimport.CreateJobInput{UserPoolID: testPool, JobName: name, CloudWatchLogsRoleARN: testRoleARN}
}

// createJob creates a job named name in testPool and fails the test if it
// cannot.
func createJob(t testing.TB, client *cognitoimport.Client, name string) *cognitoimport.Job {
	t.Helper()
	job, err := client.CreateJob(context.Background(), validCreateInput(name))
	if err != nil {
		t.Fatalf("CreateJob(%q): %v", name, err)
	}
	return job
}

// serverJobIDs returns the IDs of the pool's jobs as the server holds them,
// newest first.
func serverJobIDs(srv *cognitoimporttest.Server, pool string) []string {
	var ids []string
	for _, j := range srv.Jobs(pool) {
		ids = append(ids, j.JobID)
	}
	return ids
}

// item is one thing an iterator yielded.
type item[T any] struct {
	v   T
	err error
}

// collect ranges over seq to its end and returns everything it yielded,
// errors included, without stopping at an error: an iterator that yields
// after an error shows up here.
func collect[T any](seq iter.Seq2[T, error]) []item[T] {
	var items []item[T]
	for v, err := range seq {
		items = append(items, item[T]{v, err})
	}
	return items
}

// splitItems returns the values of items, in order, and the errors. It fails
// the test if an error is not the last item or a value comes with an error.
func splitItems[T any](t testing.TB, items []item[T]) (values []T, err error) {
	t.Helper()
	for i, it := range items {
		if it.err != nil {
			if i != len(items)-1 {
				t.Errorf("error %v is item %d of %d: something was yielded after it", it.err, i+1, len(items))
			}
			err = it.err
			continue
		}
		values = append(values, it.v)
	}
	return values, err
}

// jobIDs returns the IDs of jobs, in order.
func jobIDs(jobs []cognitoimport.Job) []string {
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.JobID)
	}
	return ids
}

// pageJobIDs returns the IDs of the jobs of pages, in order.
func pageJobIDs(pages []*cognitoimport.ListJobsOutput) []string {
	var ids []string
	for _, p := range pages {
		ids = append(ids, jobIDs(p.Jobs)...)
	}
	return ids
}

// isA reports whether errors.As finds a T in err's chain.
func isA[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// as returns the T in err's chain, and fails the test if there is none.
func as[T error](t testing.TB, err error) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("error %v (%T) does not match %T with errors.As", err, err, target)
	}
	return target
}

// equalIDs fails the test if got and want differ, naming what.
func equalIDs(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %d job IDs, want %d in the server's order\ngot:  %v\nwant: %v", what, len(got), len(want), got, want)
	}
}

// checkRequests fails the test if srv got other than want requests for op.
func checkRequests(t testing.TB, srv *cognitoimporttest.Server, op cognitoimporttest.Operation, want int) {
	t.Helper()
	if got := srv.Requests(op); got != want {
		t.Errorf("server got %d %s requests, want %d", got, op, want)
	}
}

// manualDeadline is a context whose deadline passes when the test says so
// rather than at a time: expire makes it done, with context.DeadlineExceeded
// as its error, as a timer would. A test then decides the moment, for
// instance while the server holds a request, and no clock does, so the
// outcome does not depend on how loaded the machine is.
type manualDeadline struct {
	context.Context // Background: no values, no cause of its own
	done            chan struct{}
	once            sync.Once
}

func newManualDeadline(t testing.TB) *manualDeadline {
	c := &manualDeadline{Context: context.Background(), done: make(chan struct{})}
	t.Cleanup(c.expire)
	return c
}

func (c *manualDeadline) Done() <-chan struct{} { return c.done }

func (c *manualDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// expire makes the deadline pass now.
func (c *manualDeadline) expire() { c.once.Do(func() { close(c.done) }) }

// expireAtRequest makes ctx's deadline pass once srv has received n requests
// for op, from a goroutine of its own, and returns at once. The goroutine
// ends when the test does, if the requests never come.
func expireAtRequest(t testing.TB, ctx *manualDeadline, srv *cognitoimporttest.Server, op cognitoimporttest.Operation, n int) {
	stop := make(chan struct{})
	ended := make(chan struct{})
	t.Cleanup(func() { close(stop); <-ended })
	go func() {
		defer close(ended)
		if waitForRequests(srv, op, n, stop) {
			ctx.expire()
		}
	}()
}

// waitForRequests returns true once srv has received n requests for op, or
// false when stop is closed first. The server offers no signal for a
// request's arrival, so it polls the count, yielding the processor between
// looks; nothing but the count decides when it returns.
func waitForRequests(srv *cognitoimporttest.Server, op cognitoimporttest.Operation, n int, stop <-chan struct{}) bool {
	for srv.Requests(op) < n {
		select {
		case <-stop:
			return false
		default:
			runtime.Gosched()
		}
	}
	return true
}

// sampleFile is the guide's sample users file: two users, both imported into
// a pool whose auto-verified attribute is email.
const sampleFile = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

// failingFile has two rows that set no auto-verified attribute true: the
// service fails both, and with no user imported the job fails.
const failingFile = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,FALSE,,02/01/1985,,,+12345550100,FALSE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,FALSE,,01/01/1985,,,+12345550199,FALSE,100 Main Street,,FALSE
`

// clocked is a server and a client that share a fake clock: the client's
// sleeps advance the server's time, so nothing waits for real time.
type clocked struct {
	srv    *cognitoimporttest.Server
	clk    *cognitoimporttest.Clock
	client *cognitoimport.Client
}

// newClocked starts a server with testPool on a fake clock, and a client of
// it on the same clock. The clock starts at the wall clock's time, as the SDK
// signs with the wall clock and the server allows 15 minutes of skew.
func newClocked(t testing.TB, opts ...cognitoimporttest.Option) *clocked {
	t.Helper()
	return newClockedAt(t, time.Now(), opts...)
}

func newClockedAt(t testing.TB, start time.Time, opts ...cognitoimporttest.Option) *clocked {
	t.Helper()
	clk := cognitoimporttest.NewClock(start)
	srv := newServer(t, append([]cognitoimporttest.Option{cognitoimporttest.WithClock(clk)}, opts...)...)
	return &clocked{srv: srv, clk: clk, client: newClient(srv, cognitoimport.WithClock(clk))}
}

// createUploaded creates a job and uploads file to it.
func (e *clocked) createUploaded(t testing.TB, file string) *cognitoimport.Job {
	t.Helper()
	job := createJob(t, e.client, "job")
	if err := e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(file)}); err != nil {
		t.Fatalf("Upload: %v", err)
	}
	return job
}

// reveal returns the URL u hides; secretURL makes one. (The two places that
// know how SecretURL holds its URL.)
func reveal(u cognitoimport.SecretURL) string { return u.Reveal() }

func secretURL(raw string) cognitoimport.SecretURL { return cognitoimport.NewSecretURL(raw) }

// nowFunc is a clock made of a function, for cognitoimporttest.WithClock.
type nowFunc func() time.Time

func (f nowFunc) Now() time.Time { return f() }
