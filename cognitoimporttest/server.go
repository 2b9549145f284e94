package cognitoimporttest

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
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
	// PreSignedUrl; it counts in Requests, takes faults and is recorded
	// in Calls like one. The server answers it as S3 does: 200 with no
	// body, or an XML error. Where S3's answer is the server's choice: a
	// missing or wrong x-amz-server-side-encryption header or a bad
	// signature get 403 SignatureDoesNotMatch; an expired URL 403
	// AccessDenied "Request has expired"; no Content-Length 411
	// MissingContentLength; over MaxFileBytes 400 EntityTooLarge; a job
	// that is no longer Created 403 AccessDenied; x-amz-* headers the URL
	// did not sign 403 AccessDenied with HeadersNotSigned; past
	// WithMaxUploadBytes 503 SlowDown. A second upload before the start
	// replaces the first.
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

// WithClock replaces the server's clock, which dates jobs, runs imports,
// checks the time of request signatures and writes the Date header of
// responses (from which the SDK corrects its own clock skew, as it does
// against the real service). It takes what cognitoimport.WithClock takes, so
// that one *Clock drives both the server and a client. clock.Now is called
// from the goroutines that serve requests, so it must be safe for concurrent
// use. It panics if clock is nil.
func WithClock(clock interface{ Now() time.Time }) Option {
	if clock == nil {
		panic("cognitoimporttest: WithClock: clock is nil")
	}
	return func(s *Server) { s.now = clock.Now }
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
// names (see JobStatus and Upload); and its quotas are the service's quota
// of jobs a pool holds (MaxJobsPerPool), the documented request rates only
// with WithRateLimits, and bounds of its own on memory (WithMaxUploadBytes,
// MaxCallBytes, MaxLogBytes), besides the faults a test injects.
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
	beforeRead         func()     // tests: called before catchUp reads rows

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
	// lastStart is when the last API request (uploads apart) started, by
	// monotonic, for a running import to make room for the requests that
	// come in (yieldToRequests).
	lastStart atomic.Int64

	requests [13]atomic.Int64 // per operation, indexed by opIndex
	// uploadsReading counts the uploads whose body is being read.
	uploadsReading atomic.Int64

	// mu guards the rest.
	mu          sync.Mutex
	poolConfigs map[string]PoolConfig // WithUserPool's configurations, by pool ID
	pools       map[string]*pool
	jobsPerPool int // the quota of jobs a pool holds; 0: MaxJobsPerPool (tests lower it)
	tokenSerial uint64
	imports     imports               // the started jobs' runs (lifecycle.go)
	logs        logStore              // the jobs' logs (lifecycle.go)
	uploads     uploadSpace           // the memory of uploaded files (upload.go)
	calls       callRecord            // the record of requests (record.go)
	limits      *rateLimits           // the request rates (ratelimit.go); nil: off
	faults      map[Operation][]fault // faults.go
	random      map[Operation]*randomFaults
	emptyPages  int
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
