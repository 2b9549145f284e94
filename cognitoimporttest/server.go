package cognitoimporttest

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

// Operation names one of the operations the server implements.
type Operation string

// The operations the server implements.
const (
	CreateUserImportJob   Operation = constraint.CreateUserImportJob
	ListUserImportJobs    Operation = constraint.ListUserImportJobs
	GetCSVHeader          Operation = constraint.GetCSVHeader
	DescribeUserPool      Operation = "DescribeUserPool"
	DescribeUserImportJob Operation = constraint.DescribeUserImportJob
	StartUserImportJob    Operation = constraint.StartUserImportJob
	StopUserImportJob     Operation = constraint.StopUserImportJob
	// Upload is not an API operation but the PUT of a job's file to its
	// PreSignedUrl; it counts in Requests like one.
	Upload Operation = "Upload"
)

// The defaults a Server starts with. Config returns a configuration that uses
// them; a client of the command-line server uses them as its credentials.
const (
	DefaultRegion          = "us-east-1"
	DefaultAccessKeyID     = "AKIDCOGNITOIMPORTTEST"
	DefaultSecretAccessKey = "cognitoimporttest/secret/access/key"
)

// MaxBodyBytes is the largest request body the server reads. A larger one is
// refused with HTTP 413 before it is read in full.
const MaxBodyBytes = 1 << 20

// The bounds of the server as a network service. A client that stalls cannot
// hold a connection longer than these, nor Close longer than closeGrace.
const (
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = time.Minute // a whole request, body included
	// defaultWriteTimeout bounds the writing of a response, from the time it
	// is ready: a delay injected with DelayNext does not count.
	defaultWriteTimeout = 30 * time.Second
	// defaultIdleTimeout is longer than the 90 s for which the SDK's
	// transport keeps an idle connection, so that clients close theirs
	// first, rather than reuse one the server is closing.
	defaultIdleTimeout = 2 * time.Minute
	// defaultCloseGrace is how long Close waits for requests in flight
	// before it closes their connections.
	defaultCloseGrace = time.Second
	maxHeaderBytes    = 64 << 10
)

// netTimeouts are a server's network bounds; tests set them small.
type netTimeouts struct {
	readHeader, read, write, idle, closeGrace time.Duration
}

// Option configures a Server in NewServer.
type Option func(*Server)

// WithRegion sets the region Config reports and the pre-signed URLs name.
// The server refuses a signature scoped to another region, as AWS does
// (InvalidSignatureException "Credential should be scoped to a valid region,
// not '...'. "), so a client must sign for this region. It panics if region
// is empty or holds a '/' or white space, which cannot be part of a
// signature's credential scope.
func WithRegion(region string) Option {
	if region == "" || strings.ContainsAny(region, "/ \t\r\n") {
		panic(fmt.Sprintf("cognitoimporttest: WithRegion: region %q must be non-empty, without '/' or white space", region))
	}
	return func(s *Server) { s.region = region }
}

// WithCredentials replaces the credentials the server accepts. A non-empty
// sessionToken must then come with every request as X-Amz-Security-Token. It
// panics if accessKeyID is empty or holds a '/' or white space, or if
// secretAccessKey is empty.
func WithCredentials(accessKeyID, secretAccessKey, sessionToken string) Option {
	if accessKeyID == "" || strings.ContainsAny(accessKeyID, "/ \t\r\n") {
		panic(fmt.Sprintf("cognitoimporttest: WithCredentials: accessKeyID %q must be non-empty, without '/' or white space", accessKeyID))
	}
	if secretAccessKey == "" {
		panic("cognitoimporttest: WithCredentials: secretAccessKey must be non-empty")
	}
	return func(s *Server) {
		s.creds = aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey, SessionToken: sessionToken}
	}
}

// WithUserPools creates user pools with these IDs, as CreateUserPool does.
// It panics if an ID is not a valid user pool ID.
func WithUserPools(ids ...string) Option {
	for _, id := range ids {
		if msg := badPoolID("WithUserPools", id); msg != "" {
			panic("cognitoimporttest: " + msg)
		}
	}
	ids = slices.Clone(ids)
	return func(s *Server) { s.initialPools = append(s.initialPools, ids...) }
}

// WithClock replaces the server's clock, which dates jobs, checks the time of
// request signatures and writes the Date header of responses (from which the
// SDK corrects its own clock skew, as it does against the real service). now
// is called from the goroutines that serve requests, so it must be safe for
// concurrent use. It panics if now is nil.
func WithClock(now func() time.Time) Option {
	if now == nil {
		panic("cognitoimporttest: WithClock: now is nil")
	}
	return func(s *Server) { s.now = now }
}

// WithMaxPageSize makes ListUserImportJobs pages hold at most n jobs,
// whatever MaxResults asks for. By default a page holds MaxResults jobs (up
// to 60). The API reference documents pages of 1 to 50 jobs although
// MaxResults allows 60; WithMaxPageSize(50) serves that, so that a test can
// prove its client reads only a missing token as the end, never a short page.
// n 0 means no limit; it panics if n is negative.
func WithMaxPageSize(n int) Option {
	if n < 0 {
		panic(fmt.Sprintf("cognitoimporttest: WithMaxPageSize: n %d is negative", n))
	}
	return func(s *Server) { s.maxPageSize = n }
}

// WithExponentTimestamps makes the server write job dates in the exponent
// form the live service also uses, such as 1.667864578676E9, instead of
// 1667864578.676, so that a test can prove its client reads both.
func WithExponentTimestamps() Option { return func(s *Server) { s.exponentTimestamps = true } }

// WithListener makes the server serve on l instead of on a new listener on
// 127.0.0.1 with a free port. The server closes l when it is closed.
func WithListener(l net.Listener) Option { return func(s *Server) { s.listener = l } }

// Server is an in-memory Amazon Cognito user pools endpoint that runs whole
// user imports over the AWS JSON 1.1 protocol, as the real service does:
// GetCSVHeader, DescribeUserPool, CreateUserImportJob, ListUserImportJobs,
// DescribeUserImportJob, StartUserImportJob and StopUserImportJob, with
// SigV4 authentication, the service's validation reports, error shapes and
// pagination, and the upload of the users file to the job's PreSignedUrl,
// which points at the server and is verified as S3 verifies it. It is safe
// for concurrent use.
//
// It differs from the real service in these ways: user pools are created
// through its Go API only; a started job imports rows at the rate
// WithImportRate sets, by the server's clock; where the service's behaviour
// is not documented the server makes a choice, which its documentation
// names; and there are no quotas but the ones set with FailNext.
type Server struct {
	// URL is the base URL of the server, of the form http://ipaddr:port with
	// no trailing slash.
	URL string

	region             string
	creds              aws.Credentials
	now                func() time.Time
	listener           net.Listener
	initialPools       []string
	maxPageSize        int
	exponentTimestamps bool
	tb                 testing.TB // NewTestServer's: misuse fails its test

	net       netTimeouts
	hs        *http.Server
	served    chan struct{} // closed when hs.Serve has returned
	transport *http.Transport
	done      chan struct{} // closed by Close: ends injected delays
	closeOnce sync.Once
	tokenKey  []byte // signs pagination tokens and pre-signed URLs

	// handlers counts the requests being handled, for Close to wait for
	// them; once closing is set, no request starts.
	closeMu  sync.Mutex
	closing  bool
	handlers sync.WaitGroup

	requests [13]atomic.Int64 // per operation, indexed by opIndex

	mu          sync.Mutex
	pools       map[string]*pool
	faults      map[Operation][]fault
	random      map[Operation]*randomFaults
	emptyPages  int
	tokenSerial uint64
	lc          lifecycle // the import workflow (lifecycle.go)
}

// NewServer starts and returns a new Server, serving at once. The caller
// should call Close when finished, to shut it down.
//
// The server bounds what a client can hold: it waits at most 10 s for a
// request's headers, 1 min for a whole request, 30 s for the writing of a
// response (after any injected delay) and 2 min for the next request on an
// idle connection, then closes the connection; headers are limited to 64 KiB
// and bodies to MaxBodyBytes.
func NewServer(opts ...Option) *Server {
	s := &Server{
		net: netTimeouts{
			readHeader: defaultReadHeaderTimeout,
			read:       defaultReadTimeout,
			write:      defaultWriteTimeout,
			idle:       defaultIdleTimeout,
			closeGrace: defaultCloseGrace,
		},
		region:   DefaultRegion,
		creds:    aws.Credentials{AccessKeyID: DefaultAccessKeyID, SecretAccessKey: DefaultSecretAccessKey},
		now:      time.Now,
		done:     make(chan struct{}),
		tokenKey: make([]byte, 32),
		pools:    make(map[string]*pool),
		faults:   make(map[Operation][]fault),
		random:   make(map[Operation]*randomFaults),
	}
	for _, opt := range opts {
		opt(s)
	}
	rand.Read(s.tokenKey)
	for _, id := range s.initialPools {
		s.CreateUserPool(id)
	}
	if s.listener == nil {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.misuse("failed to listen on a port: %v", err)
		}
		s.listener = l
	}
	s.hs = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.net.readHeader,
		ReadTimeout:       s.net.read,
		WriteTimeout:      s.net.write,
		IdleTimeout:       s.net.idle,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		s.hs.Serve(s.listener) // returns http.ErrServerClosed after Close
	}()
	s.URL = "http://" + s.listener.Addr().String()
	s.transport = http.DefaultTransport.(*http.Transport).Clone()
	// Keep a connection per concurrent client, as a test with many
	// goroutines has, instead of net/http's default of two.
	s.transport.MaxIdleConnsPerHost = 128
	return s
}

// Close shuts the server down: it ends injected delays, closes the listener
// and idle connections, and waits for requests in flight to finish, for at
// most a second: then it closes their connections, whatever their clients
// do (a client that stalls in the middle of a request cannot hold Close
// longer). It returns once every handler has returned, which is at once
// after their connections are closed, and closes the idle connections of the
// HTTP client that Config hands out.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		ctx, cancel := context.WithTimeout(context.Background(), s.net.closeGrace)
		if err := s.hs.Shutdown(ctx); err != nil {
			s.hs.Close() // the grace is over: close every connection
		}
		cancel()
		<-s.served
		s.closeMu.Lock()
		s.closing = true
		s.closeMu.Unlock()
		s.handlers.Wait()
		s.transport.CloseIdleConnections()
	})
}

// startHandling counts a request in, for Close to wait for; it reports false
// when Close has stopped waiting, and the request must not be handled.
func (s *Server) startHandling() bool {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closing {
		return false
	}
	s.handlers.Add(1)
	return true
}

// Region returns the region the server reports.
func (s *Server) Region() string { return s.region }

// Credentials returns the credentials the server accepts.
func (s *Server) Credentials() aws.Credentials { return s.creds }

// Config returns an aws.Config that points at the server: its region and
// credentials, its URL as BaseEndpoint, an HTTP client whose idle connections
// Close releases, and a standard retryer that waits milliseconds rather than
// seconds between attempts and never runs out of retry tokens, so that tests
// which inject faults run fast. cognitoidentityprovider.NewFromConfig(cfg)
// then needs no other setup.
func (s *Server) Config() aws.Config {
	creds := s.creds
	return aws.Config{
		Region:       s.region,
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   bodyRaceClient{&http.Client{Transport: s.transport}},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.NewExponentialJitterBackoff(20 * time.Millisecond)
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

// bodyRaceClient hides the io.WriterTo method of request bodies from
// net/http, to keep the SDK from retrying requests that succeeded.
//
// smithy-go (v1.28.8) wraps a request body in a reader whose WriteTo returns
// io.EOF once the body is closed, and closes it as soon as http.Client.Do
// returns. After net/http's transport has written the body, it copies what
// is left of it with io.Copy, which calls WriteTo; when the response came
// first, as it easily does on loopback, the transport takes that io.EOF for a
// failed write and closes the connection under the response being read
// ("use of closed network connection"), and the SDK sends the call again. A
// test that counts requests would then count one too many. Read after Close
// returns (0, io.EOF), which io.Copy takes for the end, so without WriteTo
// the race is harmless.
type bodyRaceClient struct{ *http.Client }

func (c bodyRaceClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		if _, ok := req.Body.(io.WriterTo); ok {
			req = req.Clone(req.Context())
			req.Body = struct{ io.ReadCloser }{req.Body}
		}
	}
	return c.Client.Do(req)
}

// Requests returns how many requests for op the server has received,
// whatever their outcome: signed or not, valid or not.
func (s *Server) Requests(op Operation) int {
	i, ok := opIndex(op)
	if !ok {
		return 0
	}
	return int(s.requests[i].Load())
}

// operations lists the operations the server implements, in the order
// UnknownOperationException's message and the panics of the Go API name
// them. Every operation opIndex knows must be here (a test checks it).
var operations = []Operation{
	CreateUserImportJob, ListUserImportJobs, GetCSVHeader, DescribeUserPool,
	DescribeUserImportJob, StartUserImportJob, StopUserImportJob, Upload,
	ListUsers, ListGroups, ListUsersInGroup, CreateGroup, AdminAddUserToGroup,
}

// operationList returns the operations the server implements, separated by
// commas; the Upload pseudo-operation only if withUpload.
func operationList(withUpload bool) string {
	var names []string
	for _, op := range operations {
		if op != Upload || withUpload {
			names = append(names, string(op))
		}
	}
	return strings.Join(names, ", ")
}

func opIndex(op Operation) (int, bool) {
	switch op {
	case CreateUserImportJob:
		return 0, true
	case ListUserImportJobs:
		return 1, true
	case GetCSVHeader:
		return 2, true
	case DescribeUserPool:
		return 3, true
	case DescribeUserImportJob:
		return 4, true
	case StartUserImportJob:
		return 5, true
	case StopUserImportJob:
		return 6, true
	case Upload:
		return 7, true
	case ListUsers, ListGroups, ListUsersInGroup, CreateGroup, AdminAddUserToGroup:
		return userOpIndex(op), true // users_api.go
	}
	return 0, false
}

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
// requests for op that pass authentication. A wait ends early when the server
// is closed, and when the client goes away, except for Upload: net/http
// notices a client that left only after the request's body was read, which a
// delayed upload has not begun, so its wait lasts until d or Close. n 0
// queues nothing. It panics if op is
// not an operation of the server, or if d or n is negative.
func (s *Server) DelayNext(op Operation, d time.Duration, n int) {
	if d < 0 {
		s.misuse("DelayNext: d %v is negative", d)
	}
	s.queue("DelayNext", op, fault{delay: d}, n)
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
