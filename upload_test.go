package cognitoimport_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

const uploadOp = cognitoimporttest.Upload

// tapListener records the bytes that clients send on its connections, so
// that a test can read the request exactly as it went over the wire.
type tapListener struct {
	net.Listener
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *tapListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &tapConn{Conn: c, l: l}, nil
}

type tapConn struct {
	net.Conn
	l *tapListener
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.l.mu.Lock()
	c.l.buf.Write(p[:n])
	c.l.mu.Unlock()
	return n, err
}

// wireRequests parses what the clients sent.
func (l *tapListener) wireRequests(t *testing.T) []*http.Request {
	t.Helper()
	l.mu.Lock()
	data := bytes.Clone(l.buf.Bytes())
	l.mu.Unlock()
	var reqs []*http.Request
	r := bufio.NewReader(bytes.NewReader(data))
	for {
		req, err := http.ReadRequest(r)
		if err != nil {
			return reqs
		}
		io.Copy(io.Discard, req.Body)
		reqs = append(reqs, req)
	}
}

// TestUploadWire: the PUT carries exactly the signed header and
// Content-Length: no Content-Type, no User-Agent, no chunked encoding.
func TestUploadWire(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tap := &tapListener{Listener: ln}
	e := newClocked(t, cognitoimporttest.WithListener(tap))
	job := createJob(t, e.client, "job")
	if err := e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)}); err != nil {
		t.Fatal(err)
	}
	checkRequests(t, e.srv, uploadOp, 1)
	var put *http.Request
	for _, r := range tap.wireRequests(t) {
		if r.Method == http.MethodPut {
			put = r
		}
	}
	if put == nil {
		t.Fatal("no PUT on the wire")
	}
	if put.ContentLength != int64(len(sampleFile)) || len(put.TransferEncoding) != 0 {
		t.Errorf("PUT has Content-Length %d and Transfer-Encoding %q, want %d and none", put.ContentLength, put.TransferEncoding, len(sampleFile))
	}
	for name, vs := range put.Header {
		switch name {
		case "X-Amz-Server-Side-Encryption":
			if len(vs) != 1 || vs[0] != "aws:kms" {
				t.Errorf("%s: %q, want aws:kms", name, vs)
			}
		case "Content-Length":
		case "Accept-Encoding":
			// net/http's transport asks for gzip; S3 neither signs nor checks it.
		default:
			t.Errorf("the PUT carries header %s: %q", name, vs)
		}
	}
	if _, ok := put.Header["X-Amz-Server-Side-Encryption"]; !ok {
		t.Error("the PUT lacks x-amz-server-side-encryption")
	}
}

// TestUploadRefusedBeforeSending: nothing is sent for an expired URL, a file
// over 100 MB or a body of unknown size.
func TestUploadRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	ctx := t.Context()
	job := createJob(t, e.client, "job")

	err := e.client.Upload(ctx, cognitoimport.UploadInput{URL: job.PreSignedURL, Body: struct{ io.Reader }{strings.NewReader("x")}, Size: cognitoimport.MaxFileBytes + 1})
	if !errors.Is(err, cognitoimport.ErrFileTooLarge) {
		t.Errorf("Upload of MaxFileBytes+1: %v, want ErrFileTooLarge", err)
	}
	err = e.client.Upload(ctx, cognitoimport.UploadInput{URL: job.PreSignedURL, Body: struct{ io.Reader }{strings.NewReader(sampleFile)}})
	if !errors.Is(err, cognitoimport.ErrUnknownSize) {
		t.Errorf("Upload of a stream without Size: %v, want ErrUnknownSize", err)
	}
	err = e.client.Upload(ctx, cognitoimport.UploadInput{URL: secretURL("ftp://example.com/x?X-Amz-Signature=secret"), Body: strings.NewReader("x")})
	if !errors.Is(err, cognitoimport.ErrUntrustedURL) || strings.Contains(err.Error(), "secret") {
		t.Errorf("Upload to an ftp URL: %v, want ErrUntrustedURL without the query", err)
	}

	// 899 seconds after the URL was signed it is still valid; at 900 it is
	// not, and the client knows without asking.
	e.clk.Advance(899 * time.Second)
	e.clk.Advance(time.Second)
	err = e.client.Upload(ctx, cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)})
	if !errors.Is(err, cognitoimport.ErrURLExpired) || isA[*cognitoimport.UploadError](err) || cognitoimport.IsRetryable(err) {
		t.Errorf("Upload after 15 minutes: %v, want ErrURLExpired found by the client, not retryable", err)
	}
	checkRequests(t, e.srv, uploadOp, 0)
}

// TestUploadS3Errors: S3's refusals come back as *UploadError, an expired
// URL apart from a signature mismatch.
func TestUploadS3Errors(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	ctx := t.Context()
	job := createJob(t, e.client, "job")

	// A tampered signature.
	bad := secretURL(strings.Replace(reveal(job.PreSignedURL), "X-Amz-Signature=", "X-Amz-Signature=00", 1))
	err := e.client.Upload(ctx, cognitoimport.UploadInput{URL: bad, Body: strings.NewReader(sampleFile)})
	ue := as[*cognitoimport.UploadError](t, err)
	if ue.StatusCode != 403 || ue.Code != "SignatureDoesNotMatch" || ue.RequestID == "" || ue.Expired() || errors.Is(err, cognitoimport.ErrURLExpired) {
		t.Errorf("tampered URL: %+v, want 403 SignatureDoesNotMatch, not expired", ue)
	}
	if strings.Contains(err.Error(), "X-Amz-Signature") {
		t.Errorf("the error shows the URL's query: %v", err)
	}

	// An expired URL that the client's clock does not know of: S3 says so.
	behind := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()),
		cognitoimport.WithClock(cognitoimporttest.NewClock(e.clk.Now())))
	e.clk.Advance(time.Hour)
	err = behind.Upload(ctx, cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)})
	ue = as[*cognitoimport.UploadError](t, err)
	if ue.StatusCode != 403 || ue.Code != "AccessDenied" || !ue.Expired() || !errors.Is(err, cognitoimport.ErrURLExpired) {
		t.Errorf("expired at S3: %+v, want 403 AccessDenied that matches ErrURLExpired", ue)
	}
	checkRequests(t, e.srv, uploadOp, 2)

	// A job that started takes no file any more.
	started := e.startedJob(t, sampleFile)
	err = e.client.Upload(ctx, cognitoimport.UploadInput{URL: started.PreSignedURL, Body: strings.NewReader(sampleFile)})
	ue = as[*cognitoimport.UploadError](t, err)
	if ue.StatusCode != 403 || ue.Code != "AccessDenied" || ue.Expired() || errors.Is(err, cognitoimport.ErrURLExpired) {
		t.Errorf("upload to a started job: %+v, want 403 AccessDenied, not expired", ue)
	}
}

// proxyError answers every PUT as a proxy in front of S3 may: an HTML page
// and no S3 request ID. It is a fake because the test server always answers
// an upload, its faults included, with S3's XML error; the job and its URL
// come from the test server.
type proxyError struct{ status int }

func (p proxyError) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	body := "<html><body><h1>" + http.StatusText(p.status) + "</h1></body></html>"
	return &http.Response{
		StatusCode: p.status, Status: http.StatusText(p.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/html"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: req,
	}, nil
}

// TestUploadErrorWithoutXML: an answer that is not S3's XML error reads
// cleanly, as its HTTP status, and keeps its fields.
func TestUploadErrorWithoutXML(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	for _, status := range []int{http.StatusBadGateway, http.StatusForbidden} {
		client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()),
			cognitoimport.WithClock(e.clk), cognitoimport.WithHTTPClient(proxyError{status}))
		err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)})
		ue := as[*cognitoimport.UploadError](t, err)
		if ue.StatusCode != status || ue.Code != "" || ue.Message != "" || ue.RequestID != "" {
			t.Errorf("%+v, want HTTP %d without code, message or request ID", ue, status)
		}
		if got, want := err.Error(), "cognitoimport: upload: HTTP "+strconv.Itoa(status)+" "+http.StatusText(status); got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	}
}

// TestUploadErrorText: each field appears once, and only when it is set.
func TestUploadErrorText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e    cognitoimport.UploadError
		want string
	}{
		{cognitoimport.UploadError{Code: "SlowDown", Message: "Please reduce your request rate.", RequestID: "R1", StatusCode: 503},
			"cognitoimport: upload: SlowDown: Please reduce your request rate. (HTTP 503, request ID R1)"},
		{cognitoimport.UploadError{Code: "AccessDenied", StatusCode: 403}, "cognitoimport: upload: AccessDenied: Forbidden (HTTP 403)"},
		{cognitoimport.UploadError{StatusCode: 502}, "cognitoimport: upload: HTTP 502 Bad Gateway"},
		{cognitoimport.UploadError{StatusCode: 502, RequestID: "R2"}, "cognitoimport: upload: HTTP 502 Bad Gateway (request ID R2)"},
		{cognitoimport.UploadError{StatusCode: 500, Message: "oops"}, "cognitoimport: upload: HTTP 500 Internal Server Error: oops"},
		{cognitoimport.UploadError{StatusCode: 599}, "cognitoimport: upload: HTTP 599"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v: Error() = %q, want %q", tc.e, got, tc.want)
		}
	}
}

// TestUploadSizeMismatch: a body shorter or longer than Size is refused by
// the client, never sent cut.
func TestUploadSizeMismatch(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	for _, size := range []int64{int64(len(sampleFile)) + 10, int64(len(sampleFile)) - 10} {
		err := e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: struct{ io.Reader }{strings.NewReader(sampleFile)}, Size: size})
		if !errors.Is(err, cognitoimport.ErrSizeMismatch) {
			t.Errorf("Size %d for %d bytes: %v, want ErrSizeMismatch", size, len(sampleFile), err)
		}
	}
	// Nothing was stored: the job cannot start.
	_, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}, noRetry)
	as[*cognitoimport.PreconditionNotMetError](t, err)
}

// TestUploadFromFile: an *os.File from its current offset, its size learned
// by seeking, with progress reported.
func TestUploadFromFile(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte("garbage\n"+sampleFile), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(int64(len("garbage\n")), io.SeekStart); err != nil {
		t.Fatal(err)
	}
	var last, total int64
	err = e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: f,
		Progress: func(sent, tot int64) { last, total = sent, tot }})
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(len(sampleFile)) || total != last {
		t.Errorf("progress ended at %d of %d, want %d of %d", last, total, len(sampleFile), len(sampleFile))
	}
	// What was uploaded is the sample: the job imports its 2 users.
	if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
		t.Fatal(err)
	}
	final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil || final.ImportedUsers != 2 || final.Status != cognitoimport.StatusSucceeded {
		t.Fatalf("Wait = %v, %v; want Succeeded with 2 users", final, err)
	}
}

// TestUploadFromFileDirect: an *os.File with no progress callback goes to
// net/http as it is (so that its transport may use sendfile); its size is
// checked against Size before sending, and a broken attempt is retried
// from the file's offset.
func TestUploadFromFileDirect(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte("garbage\n"+sampleFile), 0o600); err != nil {
		t.Fatal(err)
	}
	open := func() *os.File {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		if _, err := f.Seek(int64(len("garbage\n")), io.SeekStart); err != nil {
			t.Fatal(err)
		}
		return f
	}
	job := createJob(t, e.client, "job")
	err := e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: open(), Size: int64(len(sampleFile)) - 1})
	if !errors.Is(err, cognitoimport.ErrSizeMismatch) {
		t.Errorf("Size one short of the file: %v, want ErrSizeMismatch", err)
	}
	checkRequests(t, e.srv, uploadOp, 0)

	flaky := &flakyClient{hc: e.srv.Config().HTTPClient, n: 1}
	client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()),
		cognitoimport.WithClock(e.clk), cognitoimport.WithHTTPClient(flaky))
	f := open()
	if err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: f}); err != nil {
		t.Fatal(err)
	}
	if flaky.puts != 2 {
		t.Errorf("%d PUTs, want 2: one broken, one retried", flaky.puts)
	}
	if fi, err := f.Stat(); err != nil {
		t.Errorf("the caller's file was closed: %v", err)
	} else if fi.Size() == 0 {
		t.Error("the file is empty")
	}
	if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
		t.Fatal(err)
	}
	final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil || final.ImportedUsers != 2 {
		t.Fatalf("Wait = %v, %v; want the 2 users of the file from its offset", final, err)
	}
}

// countingClient counts the requests it sends, and can drop the answer of
// one kind of request after the server handled it.
type countingClient struct {
	hc cognitoimport.HTTPClient

	mu      sync.Mutex
	methods map[string]int
	drop    string // an X-Amz-Target suffix whose next answer is dropped
}

func (c *countingClient) Do(req *http.Request) (*http.Response, error) {
	target := req.Header.Get("X-Amz-Target")
	c.mu.Lock()
	if c.methods == nil {
		c.methods = make(map[string]int)
	}
	c.methods[req.Method]++
	drop := c.drop != "" && strings.HasSuffix(target, "."+c.drop)
	if drop {
		c.drop = ""
	}
	c.mu.Unlock()
	resp, err := c.hc.Do(req)
	if drop && err == nil {
		// The server applied the request; its answer is lost on the way,
		// as when a connection breaks.
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	}
	return resp, err
}

func (c *countingClient) count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.methods[method]
}

// TestUploadHTTPClient: the upload goes through the SDK client's HTTP
// client, or the one WithHTTPClient gives.
func TestUploadHTTPClient(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	cfg := srv.Config()
	sdkHC := &countingClient{hc: cfg.HTTPClient}
	cfg.HTTPClient = sdkHC
	client := cognitoimport.NewFromConfig(cfg)
	job := createJob(t, client, "job")
	if err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)}); err != nil {
		t.Fatal(err)
	}
	if n := sdkHC.count(http.MethodPut); n != 1 {
		t.Errorf("the SDK's HTTP client sent %d PUTs, want 1", n)
	}

	own := &countingClient{hc: http.DefaultClient}
	client = cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg), cognitoimport.WithHTTPClient(own))
	if err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)}); err != nil {
		t.Fatal(err)
	}
	if own.count(http.MethodPut) != 1 || sdkHC.count(http.MethodPut) != 1 {
		t.Errorf("WithHTTPClient's client sent %d PUTs, the SDK's %d; want 1 and still 1", own.count(http.MethodPut), sdkHC.count(http.MethodPut))
	}
}

// TestUploadRedactsURL: a connection failure names the host, never the
// query.
func TestUploadRedactsURL(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	closed := closedPortURL(t)
	raw := reveal(job.PreSignedURL)
	i := strings.Index(raw, "/aws-cognito")
	if i < 0 {
		i = strings.Index(raw[len("http://"):], "/") + len("http://")
	}
	dead := secretURL(closed + raw[i:])
	client := newClient(e.srv, cognitoimport.WithUploadOrigins(closed))
	err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: dead, Body: strings.NewReader(sampleFile)})
	if err == nil {
		t.Fatal("Upload to a closed port succeeded")
	}
	for _, secret := range []string{"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows %s: %v", secret, err)
		}
	}
	if !strings.Contains(err.Error(), strings.TrimPrefix(closed, "http://")) {
		t.Errorf("the error does not name the host: %v", err)
	}
}

// flakyClient fails the first n PUTs after reading half of their body, as a
// connection that breaks mid-upload does. The test server cannot break a
// connection in the middle of a request body, so this narrow wrapper does.
type flakyClient struct {
	hc cognitoimport.HTTPClient

	mu   sync.Mutex
	n    int // PUTs still to fail
	puts int
}

func (c *flakyClient) Do(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	fail := req.Method == http.MethodPut && c.n > 0
	if fail {
		c.n--
	}
	if req.Method == http.MethodPut {
		c.puts++
	}
	c.mu.Unlock()
	if fail {
		io.CopyN(io.Discard, req.Body, req.ContentLength/2)
		req.Body.Close()
		return nil, &net.OpError{Op: "write", Net: "tcp", Err: errors.New("connection reset by peer")}
	}
	return c.hc.Do(req)
}

// TestUploadRetries: a broken connection is retried, with the Client's
// clock, when the body can be rewound, and never with a half-read stream.
func TestUploadRetries(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	flaky := &flakyClient{hc: e.srv.Config().HTTPClient, n: 2}
	client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()),
		cognitoimport.WithClock(e.clk), cognitoimport.WithHTTPClient(flaky))

	before := e.clk.Now()
	var restarts int
	err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile),
		Progress: func(sent, total int64) {
			if sent == 0 {
				restarts++
			}
		}})
	if err != nil {
		t.Fatalf("Upload with 2 broken connections: %v", err)
	}
	if flaky.puts != 3 || restarts != 2 {
		t.Errorf("%d PUTs and %d restarts, want 3 and 2", flaky.puts, restarts)
	}
	if waited := e.clk.Now().Sub(before); waited <= 0 {
		t.Error("the retries did not wait on the Client's clock")
	}
	checkRequests(t, e.srv, uploadOp, 1) // the two broken ones never reached it

	// A stream that was half read is not sent again.
	flaky.n, flaky.puts = 1, 0
	err = client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL,
		Body: struct{ io.Reader }{strings.NewReader(sampleFile)}, Size: int64(len(sampleFile))})
	if err == nil || flaky.puts != 1 || !cognitoimport.IsRetryable(err) {
		t.Errorf("a half-read stream: %v after %d PUTs, want the retryable connection error after 1", err, flaky.puts)
	}

	// Four attempts at most.
	flaky.n, flaky.puts = 10, 0
	err = client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)})
	if err == nil || flaky.puts != 4 {
		t.Errorf("always broken: %v after %d PUTs, want an error after 4", err, flaky.puts)
	}

	// No retry once the URL has expired: the first backoff crosses the
	// 15 minutes.
	job = createJob(t, e.client, "job2")
	u, err := url.Parse(reveal(job.PreSignedURL))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := time.Parse("20060102T150405Z", u.Query().Get("X-Amz-Date"))
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(signed.Add(899*time.Second).Sub(e.clk.Now()) - time.Millisecond)
	flaky.n, flaky.puts = 10, 0
	err = client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)})
	if !errors.Is(err, cognitoimport.ErrURLExpired) || flaky.puts != 1 {
		t.Errorf("expiring during the backoff: %v after %d PUTs, want ErrURLExpired after 1", err, flaky.puts)
	}
}

// TestUploadRetriesS3Errors: S3's transient refusals (SlowDown, 5xx) are
// retried with backoff on the Client's clock; others are not; a dropped
// connection is retried too.
func TestUploadRetriesS3Errors(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	e.srv.FailNext(uploadOp, cognitoimporttest.Error{Code: "SlowDown", Message: "Please reduce your request rate.", StatusCode: 503}, 1)
	e.srv.FailNext(uploadOp, cognitoimporttest.Error{Code: "InternalError", Message: "We encountered an internal error.", StatusCode: 500}, 1)
	e.srv.DropNext(uploadOp, 1)
	before := e.clk.Now()
	if err := e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)}); err != nil {
		t.Fatalf("Upload after SlowDown, InternalError and a dropped connection: %v", err)
	}
	checkRequests(t, e.srv, uploadOp, 4)
	if e.clk.Now().Sub(before) <= 0 {
		t.Error("the retries did not wait on the Client's clock")
	}

	// Not transient: one attempt.
	e.srv.FailNext(uploadOp, cognitoimporttest.Error{Code: "AccessDenied", Message: "Access Denied", StatusCode: 403}, 1)
	err := e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)})
	if ue := as[*cognitoimport.UploadError](t, err); ue.Code != "AccessDenied" || ue.Expired() || cognitoimport.IsRetryable(err) {
		t.Errorf("got %+v, want AccessDenied, not expired, not retryable", ue)
	}
	checkRequests(t, e.srv, uploadOp, 5)

	// Always SlowDown: four attempts, then S3's error.
	e.srv.FailNext(uploadOp, cognitoimporttest.Error{Code: "SlowDown", Message: "Please reduce your request rate.", StatusCode: 503}, 10)
	err = e.client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)})
	if ue := as[*cognitoimport.UploadError](t, err); ue.Code != "SlowDown" || ue.StatusCode != 503 || !cognitoimport.IsRetryable(err) {
		t.Errorf("got %+v, want SlowDown 503, retryable", ue)
	}
	checkRequests(t, e.srv, uploadOp, 9)
}

// bigUsersFile returns a valid users file of n users, each row padded so
// that the file is large.
func bigUsersFile(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := cognitoimport.NewUsersWriter(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	pad := string(bytes.Repeat([]byte("a"), 200))
	for i := range n {
		u := cognitoimport.User{Username: fmt.Sprintf("user%06d", i), Name: pad, Email: fmt.Sprintf("u%d@example.com", i), EmailVerified: true}
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// onlySeeker hides every method of its reader but Read and Seek.
type onlySeeker struct{ rs io.ReadSeeker }

func (o *onlySeeker) Read(p []byte) (int, error)                { return o.rs.Read(p) }
func (o *onlySeeker) Seek(off int64, whence int) (int64, error) { return o.rs.Seek(off, whence) }

// TestUploadRetriesAfterEarlyAnswer: S3 may refuse a PUT (503 SlowDown)
// before it reads the body; net/http's transport may then still be reading
// the body after Do returned. The retry must not share the body with that
// reader: before the fix, a retry of a large *bytes.Reader ended with
// ErrSizeMismatch (and -race reported the shared reader). The test server
// answers an upload fault before reading the body, as S3 does, and a body
// larger than net/http's server drains (256 KB) leaves the transport
// writing. Every kind of body is tried: a *bytes.Reader (an io.ReaderAt),
// a plain io.ReadSeeker, and an *os.File with and without progress.
//
// Not parallel: checkNoLeak needs no other test's goroutines running.
func TestUploadRetriesAfterEarlyAnswer(t *testing.T) {
	const users = 8000
	data := bigUsersFile(t, users)
	if len(data) < 1<<20 {
		t.Fatalf("the file has %d bytes, want more than 1 MB", len(data))
	}
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	open := func(t *testing.T) *os.File {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	cases := []struct {
		name     string
		body     func(t *testing.T) io.Reader
		progress bool
	}{
		{"bytes.Reader", func(*testing.T) io.Reader { return bytes.NewReader(data) }, false},
		{"ReadSeeker", func(*testing.T) io.Reader { return &onlySeeker{bytes.NewReader(data)} }, true},
		{"File", func(t *testing.T) io.Reader { return open(t) }, false},
		{"FileProgress", func(t *testing.T) io.Reader { return open(t) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := goroutines()
			e := newClocked(t)
			job := createJob(t, e.client, "job")
			e.srv.FailNext(uploadOp, cognitoimporttest.Error{Code: "SlowDown", Message: "Please reduce your request rate.", StatusCode: 503}, 3)
			body := tc.body(t)
			in := cognitoimport.UploadInput{URL: job.PreSignedURL, Body: body}
			var last int64
			if tc.progress {
				in.Progress = func(sent, _ int64) { last = sent }
			}
			if err := e.client.Upload(t.Context(), in); err != nil {
				t.Fatalf("Upload after 3 early SlowDowns: %v", err)
			}
			checkRequests(t, e.srv, uploadOp, 4)
			if tc.progress && last != int64(len(data)) {
				t.Errorf("progress ended at %d, want %d", last, len(data))
			}
			if s, ok := body.(io.Seeker); ok {
				if off, err := s.Seek(0, io.SeekCurrent); err != nil || off != int64(len(data)) {
					t.Errorf("the body's offset is %d (%v), want its end %d", off, err, len(data))
				}
			}
			if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
				t.Fatal(err)
			}
			final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
			if err != nil || final.ImportedUsers != users || final.FailedUsers != 0 {
				t.Fatalf("Wait = %+v, %v; want %d users imported: the file arrived whole", final, err, users)
			}
			e.srv.Close()
			checkNoLeak(t, before)
		})
	}
}

// redirectServer answers every PUT with status and a Location that points
// to /stored on itself, and a request to /stored with 200, as a server that
// sends the upload elsewhere may. It counts the requests that are not the
// first PUT: those that followed the redirect. The test server cannot
// produce this case: it never answers an upload with a Location.
type redirectServer struct {
	*httptest.Server
	puts, followed atomic.Int32
}

func newRedirectServer(t *testing.T, status int) *redirectServer {
	t.Helper()
	rs := &redirectServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/stored" {
			rs.followed.Add(1)
			w.WriteHeader(http.StatusOK)
			return
		}
		rs.puts.Add(1)
		w.Header().Set("Location", "/stored")
		w.WriteHeader(status)
	}))
	t.Cleanup(rs.Close)
	return rs
}

// TestUploadFollowsNoRedirect: an upload that is answered with a redirect
// fails with an *UploadError of that status, whatever HTTP client sends it;
// before the fix, a plain http.Client followed a 301, 302 or 303 as a GET,
// and Upload reported the GET's 200 as a stored file. An *http.Client (the
// caller's http.DefaultClient, or an aws.Config's &http.Client{}) sends no
// second request; any other HTTPClient (here one that wraps an
// *http.Client, whose redirects Upload cannot turn off) may follow the
// redirect, but its answer is still refused. An empty body is tried too:
// net/http follows a 307 or 308 only when it can send the body again.
func TestUploadFollowsNoRedirect(t *testing.T) {
	t.Parallel()
	type wrapped struct{ *http.Client }
	clients := []struct {
		name   string
		client func(t *testing.T, opts ...cognitoimport.Option) *cognitoimport.Client
		// sendsOne: the client sends the PUT alone, never the redirect's
		// request.
		sendsOne bool
	}{
		{"WithHTTPClient(http.DefaultClient)", func(t *testing.T, opts ...cognitoimport.Option) *cognitoimport.Client {
			return cognitoimport.New(cognitoidentityprovider.NewFromConfig(aws.Config{Region: "us-east-1"}),
				append(opts, cognitoimport.WithHTTPClient(http.DefaultClient))...)
		}, true},
		{"aws.Config{HTTPClient: &http.Client{}}", func(t *testing.T, opts ...cognitoimport.Option) *cognitoimport.Client {
			return cognitoimport.New(cognitoidentityprovider.NewFromConfig(aws.Config{Region: "us-east-1", HTTPClient: &http.Client{}}), opts...)
		}, true},
		{"SDK default", func(t *testing.T, opts ...cognitoimport.Option) *cognitoimport.Client {
			var tr *http.Transport
			sdk := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) { tr = t })
			t.Cleanup(func() {
				if tr != nil {
					tr.CloseIdleConnections()
				}
			})
			return cognitoimport.New(cognitoidentityprovider.NewFromConfig(aws.Config{Region: "us-east-1", HTTPClient: sdk}), opts...)
		}, false},
		{"wrapped http.Client", func(t *testing.T, opts ...cognitoimport.Option) *cognitoimport.Client {
			return cognitoimport.New(cognitoidentityprovider.NewFromConfig(aws.Config{Region: "us-east-1"}),
				append(opts, cognitoimport.WithHTTPClient(wrapped{&http.Client{}}))...)
		}, false},
	}
	statuses := []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect}
	for _, hc := range clients {
		for _, status := range statuses {
			for _, body := range []string{sampleFile, ""} {
				t.Run(fmt.Sprintf("%s/%d/%d bytes", hc.name, status, len(body)), func(t *testing.T) {
					t.Parallel()
					rs := newRedirectServer(t, status)
					client := hc.client(t, cognitoimport.WithUploadOrigins(rs.URL))
					url := secretURL(rs.URL + "/bucket/key?X-Amz-Signature=secret")
					err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: url, Body: strings.NewReader(body)})
					if err == nil {
						t.Fatalf("Upload answered with %d succeeded (%d PUTs, %d followed requests)", status, rs.puts.Load(), rs.followed.Load())
					}
					ue := as[*cognitoimport.UploadError](t, err)
					if ue.StatusCode != status || cognitoimport.IsRetryable(err) {
						t.Errorf("%+v, want status %d, not retryable", ue, status)
					}
					if strings.Contains(err.Error(), "secret") {
						t.Errorf("the error shows the URL's query: %v", err)
					}
					if rs.puts.Load() != 1 {
						t.Errorf("%d PUTs, want 1", rs.puts.Load())
					}
					if hc.sendsOne && rs.followed.Load() != 0 {
						t.Errorf("the redirect was followed: %d requests to its Location", rs.followed.Load())
					}
				})
			}
		}
	}
}

// s3StandIn is an HTTPS server that stands in for every host: its client
// connects to it whatever host a URL names, so that an upload to an S3 host
// name reaches it over real HTTP. It records the Host of each request and
// counts the connections its client opens. (No request leaves the machine.)
type s3StandIn struct {
	*httptest.Server
	client *http.Client
	dials  atomic.Int32

	mu    sync.Mutex
	hosts []string
}

func newS3StandIn(t *testing.T) *s3StandIn {
	t.Helper()
	s := &s3StandIn{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		s.hosts = append(s.hosts, r.Host)
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	tr := s.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.InsecureSkipVerify = true // its certificate names 127.0.0.1, not the S3 host
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		s.dials.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, s.Listener.Addr().String())
	}
	s.client = &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	return s
}

func (s *s3StandIn) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.hosts)
}

// TestUploadDestinations: by default the upload goes only to an https URL on
// an Amazon S3 host, in every form S3's endpoints take; anything else is
// refused with ErrUntrustedURL before a connection is opened. Before the
// check, Upload sent the file wherever the URL said, the instance metadata
// service included.
func TestUploadDestinations(t *testing.T) {
	t.Parallel()
	const query = "?X-Amz-Signature=secret"
	accepted := []string{
		// The documented form, and the legacy global endpoint, virtual-hosted.
		"https://aws-cognito-idp-user-import-pdx.s3.us-west-2.amazonaws.com/123456789012/us-west-2_abc/import-abc",
		"https://cognito-user-import-jobs.s3.amazonaws.com/key",
		// Path style.
		"https://s3.amazonaws.com/bucket/key",
		"https://s3.eu-central-1.amazonaws.com/bucket/key",
		"https://s3-external-1.amazonaws.com/bucket/key",
		// Legacy regional (dash) endpoints.
		"https://bucket.s3-us-west-2.amazonaws.com/key",
		"https://s3-eu-west-1.amazonaws.com/bucket/key",
		// FIPS and dual-stack.
		"https://bucket.s3-fips.us-east-1.amazonaws.com/key",
		"https://bucket.s3.dualstack.eu-west-1.amazonaws.com/key",
		"https://bucket.s3-fips.dualstack.us-east-2.amazonaws.com/key",
		"https://s3.dualstack.ap-southeast-2.amazonaws.com/bucket/key",
		// China.
		"https://bucket.s3.cn-north-1.amazonaws.com.cn/key",
		"https://s3.dualstack.cn-northwest-1.amazonaws.com.cn/bucket/key",
		// GovCloud.
		"https://bucket.s3.us-gov-west-1.amazonaws.com/key",
		"https://bucket.s3-fips.us-gov-east-1.amazonaws.com/key",
		"https://bucket.s3-fips.dualstack.us-gov-west-1.amazonaws.com/key",
		"https://s3-fips-us-gov-west-1.amazonaws.com/bucket/key",
		// Other partitions the SDK knows.
		"https://bucket.s3.us-iso-east-1.c2s.ic.gov/key",
		"https://bucket.s3.eusc-de-east-1.amazonaws.eu/key",
		// Transfer acceleration.
		"https://bucket.s3-accelerate.amazonaws.com/key",
		"https://bucket.s3-accelerate.dualstack.amazonaws.com/key",
		// A bucket with dots, a bucket named like an endpoint, upper case,
		// the default port.
		"https://my.dotted.bucket.s3.us-east-1.amazonaws.com/key",
		"https://s3.s3.amazonaws.com/key",
		"https://BUCKET.S3.US-EAST-1.AMAZONAWS.COM/key",
		"https://bucket.s3.us-east-1.amazonaws.com:443/key",
	}
	refused := []string{
		// The instance metadata service, and other hosts.
		"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"https://169.254.169.254/latest/meta-data/",
		"http://[fd00:ec2::254]/latest/meta-data/",
		"https://localhost/bucket/key",
		"https://example.com/bucket/key",
		// An S3 host, but not https.
		"http://bucket.s3.us-east-1.amazonaws.com/key",
		"http://s3.amazonaws.com/bucket/key",
		// Look-alikes.
		"https://s3.amazonaws.com.example.com/key",
		"https://bucket.s3.us-east-1.example.com/key",
		"https://example.com/s3.amazonaws.com/key",
		"https://s3.amazonaws.com@example.com/key",
		"https://s3.amazonaws.com./key",
		"https://s3..amazonaws.com/key",
		"https://s3.us_east_1.amazonaws.com/key",
		// A region on another partition's suffix.
		"https://bucket.s3.cn-north-1.amazonaws.com/key",
		"https://bucket.s3.us-east-1.amazonaws.com.cn/key",
		// Amazon hosts that are not S3's, or S3's that take no upload.
		"https://ec2-203-0-113-25.compute-1.amazonaws.com/key",
		"https://abc123.execute-api.us-east-1.amazonaws.com/key",
		"https://bucket.s3-website-us-east-1.amazonaws.com/key",
		"https://bucket.s3-website.eu-west-1.amazonaws.com/key",
		"https://cognito-idp.us-east-1.amazonaws.com/key",
		// Another port, a user name.
		"https://bucket.s3.us-east-1.amazonaws.com:8443/key",
		"https://user:pass@bucket.s3.us-east-1.amazonaws.com/key",
		// Not an upload URL at all.
		"ftp://s3.amazonaws.com/bucket/key",
		"https:///bucket/key",
		"bucket/key",
		"",
		"https://s3.amazonaws.com/%zz",
	}
	for _, raw := range accepted {
		t.Run("accepted/"+raw, func(t *testing.T) {
			t.Parallel()
			s3 := newS3StandIn(t)
			client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(aws.Config{Region: "us-east-1"}),
				cognitoimport.WithHTTPClient(s3.client))
			if err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: secretURL(raw + query), Body: strings.NewReader(sampleFile)}); err != nil {
				t.Fatalf("Upload: %v", err)
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := s3.seen(); len(got) != 1 || !strings.EqualFold(strings.TrimSuffix(got[0], ":443"), u.Hostname()) {
				t.Errorf("the stand-in saw requests for %q, want one for %s", got, u.Hostname())
			}
		})
	}
	for _, raw := range refused {
		t.Run("refused/"+raw, func(t *testing.T) {
			t.Parallel()
			s3 := newS3StandIn(t)
			client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(aws.Config{Region: "us-east-1"}),
				cognitoimport.WithHTTPClient(s3.client))
			err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: secretURL(raw + query), Body: strings.NewReader(sampleFile)})
			if !errors.Is(err, cognitoimport.ErrUntrustedURL) {
				t.Errorf("Upload: %v, want ErrUntrustedURL", err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the URL's query: %v", err)
			}
			if n := s3.dials.Load(); n != 0 {
				t.Errorf("%d connections opened, want none", n)
			}
		})
	}
}

// TestUploadTrustsSDKEndpoint: the test server's URLs need no set-up, as
// their origin is the SDK client's BaseEndpoint; another origin of the same
// server is refused unless WithUploadOrigins allows it, and so is the test
// server's when the API has no SDK options to read the endpoint from.
func TestUploadTrustsSDKEndpoint(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	upload := func(client *cognitoimport.Client, url cognitoimport.SecretURL) error {
		return client.Upload(t.Context(), cognitoimport.UploadInput{URL: url, Body: strings.NewReader(sampleFile)})
	}
	if err := upload(e.client, job.PreSignedURL); err != nil {
		t.Fatalf("Upload to the test server's URL: %v", err)
	}
	checkRequests(t, e.srv, uploadOp, 1)

	// The same server by another name or scheme.
	raw := reveal(job.PreSignedURL)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	local := secretURL(strings.Replace(raw, u.Hostname(), "localhost", 1))
	for _, other := range []cognitoimport.SecretURL{local, secretURL(strings.Replace(raw, "http://", "https://", 1))} {
		if err := upload(e.client, other); !errors.Is(err, cognitoimport.ErrUntrustedURL) {
			t.Errorf("Upload to %v: %v, want ErrUntrustedURL", other, err)
		}
	}
	checkRequests(t, e.srv, uploadOp, 1)

	// An API without Options: no endpoint to trust.
	type bare struct{ cognitoimport.API }
	sdk := cognitoidentityprovider.NewFromConfig(e.srv.Config())
	noOptions := cognitoimport.New(bare{sdk}, cognitoimport.WithHTTPClient(e.srv.Config().HTTPClient))
	if err := upload(noOptions, job.PreSignedURL); !errors.Is(err, cognitoimport.ErrUntrustedURL) {
		t.Errorf("Upload through an API without Options: %v, want ErrUntrustedURL", err)
	}
	checkRequests(t, e.srv, uploadOp, 1)

	// WithUploadOrigins, in any case and with the default port written out.
	origin := "HTTP://" + strings.ToUpper(strings.Replace(u.Host, "127.0.0.1", "localhost", 1))
	allowed := cognitoimport.New(bare{sdk}, cognitoimport.WithHTTPClient(e.srv.Config().HTTPClient),
		cognitoimport.WithUploadOrigins("https://other.example:443", origin))
	if err := upload(allowed, local); !isA[*cognitoimport.UploadError](err) {
		t.Errorf("Upload to an allowed origin: %v, want the server's refusal of the host it did not sign", err)
	}
	checkRequests(t, e.srv, uploadOp, 2)
	allowed = cognitoimport.New(bare{sdk}, cognitoimport.WithHTTPClient(e.srv.Config().HTTPClient),
		cognitoimport.WithUploadOrigins(e.srv.URL+"/"))
	if err := upload(allowed, job.PreSignedURL); err != nil {
		t.Errorf("Upload to an allowed origin: %v", err)
	}
	checkRequests(t, e.srv, uploadOp, 3)
}

// TestWithUploadOriginsPanics: an origin with more than scheme, host and
// port is a mistake, reported at the call.
func TestWithUploadOriginsPanics(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"127.0.0.1:9229", "https://host/path", "https://host?q", "https://host#f",
		"ftp://host", "https://", "https://user@host", "%zz"} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "WithUploadOrigins") {
					t.Errorf("WithUploadOrigins(%q): panic %v, want one naming WithUploadOrigins", bad, r)
				}
			}()
			cognitoimport.WithUploadOrigins(bad)
		}()
	}
}

// closedPortURL returns the URL of a port on which nothing listens.
func closedPortURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestUploadPerCallOptions: Upload applies optFns to a copy of the SDK
// client's options and takes three of them: HTTPClient sends the PUT (and
// follows no redirect either), RetryMaxAttempts bounds the attempts, and
// BaseEndpoint's origin is trusted.
func TestUploadPerCallOptions(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	job := createJob(t, e.client, "job")
	upload := func(client *cognitoimport.Client, url cognitoimport.SecretURL, optFns ...func(*cognitoidentityprovider.Options)) error {
		return client.Upload(t.Context(), cognitoimport.UploadInput{URL: url, Body: strings.NewReader(sampleFile)}, optFns...)
	}

	// HTTPClient: the per-call one sends the PUT. The options optFns see
	// are the SDK client's, with the upload's HTTP client.
	cfg := e.srv.Config()
	clientHC := &countingClient{hc: cfg.HTTPClient}
	callHC := &countingClient{hc: cfg.HTTPClient}
	client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg), cognitoimport.WithClock(e.clk), cognitoimport.WithHTTPClient(clientHC))
	err := upload(client, job.PreSignedURL, func(o *cognitoidentityprovider.Options) {
		if o.Region != e.srv.Region() || o.HTTPClient != clientHC {
			t.Errorf("optFns see Region %q and HTTPClient %T, want the SDK client's region and the Client's upload client", o.Region, o.HTTPClient)
		}
		o.HTTPClient = callHC
	})
	if err != nil || callHC.count(http.MethodPut) != 1 || clientHC.count(http.MethodPut) != 0 {
		t.Errorf("Upload with a per-call HTTPClient: %v; it sent %d PUTs, the Client's %d; want 1 and 0",
			err, callHC.count(http.MethodPut), clientHC.count(http.MethodPut))
	}

	// A per-call *http.Client follows no redirect either.
	rs := newRedirectServer(t, http.StatusFound)
	redirected := cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg), cognitoimport.WithUploadOrigins(rs.URL))
	err = upload(redirected, secretURL(rs.URL+"/bucket/key"), func(o *cognitoidentityprovider.Options) { o.HTTPClient = &http.Client{} })
	if ue := as[*cognitoimport.UploadError](t, err); ue.StatusCode != http.StatusFound || rs.followed.Load() != 0 {
		t.Errorf("a per-call http.Client: %+v, %d requests followed the redirect; want 302 and none", ue, rs.followed.Load())
	}

	// RetryMaxAttempts: 1 makes one attempt; the Client's aws.Config does
	// not change Upload's 4.
	slowDown := cognitoimporttest.Error{Code: "SlowDown", Message: "Please reduce your request rate.", StatusCode: 503}
	e.srv.FailNext(uploadOp, slowDown, 2)
	err = upload(e.client, job.PreSignedURL, noRetry)
	if ue := as[*cognitoimport.UploadError](t, err); ue.Code != "SlowDown" {
		t.Errorf("with RetryMaxAttempts 1: %+v, want SlowDown", ue)
	}
	checkRequests(t, e.srv, uploadOp, 2)
	e.srv.ClearFaults()
	e.srv.FailNext(uploadOp, slowDown, 2)
	oneAttempt := e.srv.Config()
	oneAttempt.RetryMaxAttempts = 1
	if err := upload(cognitoimport.New(cognitoidentityprovider.NewFromConfig(oneAttempt), cognitoimport.WithClock(e.clk)), job.PreSignedURL); err != nil {
		t.Errorf("with RetryMaxAttempts 1 in the aws.Config: %v, want Upload's own retries to succeed", err)
	}
	checkRequests(t, e.srv, uploadOp, 5)

	// BaseEndpoint: the SDK client's endpoint is elsewhere; a per-call one
	// makes the test server's origin trusted.
	elsewhere := e.srv.Config()
	elsewhere.BaseEndpoint = aws.String(closedPortURL(t))
	away := cognitoimport.New(cognitoidentityprovider.NewFromConfig(elsewhere), cognitoimport.WithClock(e.clk))
	if err := upload(away, job.PreSignedURL); !errors.Is(err, cognitoimport.ErrUntrustedURL) {
		t.Errorf("Upload to the test server with the SDK's endpoint elsewhere: %v, want ErrUntrustedURL", err)
	}
	checkRequests(t, e.srv, uploadOp, 5)
	toServer := func(o *cognitoidentityprovider.Options) { o.BaseEndpoint = aws.String(e.srv.URL) }
	if err := upload(away, job.PreSignedURL, toServer); err != nil {
		t.Errorf("Upload with the test server as the per-call BaseEndpoint: %v", err)
	}
	checkRequests(t, e.srv, uploadOp, 6)
}
