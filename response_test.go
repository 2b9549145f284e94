package cognitoimport_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
)

// sizedResponses is a raw HTTP server that answers every request with a
// JSON body of exactly size bytes, which the SDK's deserializers accept for
// any operation: an object whose one member no output has, or, with an
// error status, the error's message. It sends the body's Content-Length, or
// none (chunked) when chunked is set. The test server answers only with real
// responses, all small, so these tests use their own.
type sizedResponses struct {
	*httptest.Server
	size     int
	status   int
	chunked  bool
	requests atomic.Int32
}

func newSizedResponses(t *testing.T, size, status int, chunked bool) *sizedResponses {
	t.Helper()
	s := &sizedResponses{size: size, status: status, chunked: chunked}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		// Read the request before answering, as the service does. The SDK
		// closes the request's body as soon as the response's headers
		// arrive; an answer sent before the request is read can end the
		// transport's write of it early, which closes the connection under
		// the response, and the SDK retries that (seen under -race on a
		// busy machine: 2 requests, not 1).
		io.Copy(io.Discard, r.Body)
		prefix, suffix := `{"Padding":"`, `"}`
		if s.status != http.StatusOK {
			prefix, suffix = `{"__type":"ResourceNotFoundException","message":"`, `"}`
			w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if !s.chunked {
			w.Header().Set("Content-Length", strconv.Itoa(s.size))
		}
		w.WriteHeader(s.status)
		w.Write([]byte(prefix))
		pad := []byte(strings.Repeat("x", 32<<10))
		for left := s.size - len(prefix) - len(suffix); left > 0; left -= len(pad) {
			if _, err := w.Write(pad[:min(left, len(pad))]); err != nil {
				return // the client stopped reading
			}
		}
		w.Write([]byte(suffix))
	}))
	t.Cleanup(s.Close)
	return s
}

// config returns an aws.Config that sends to s.
func (s *sizedResponses) config() aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}, nil
		}),
	}
}

// everyCall makes each call the Client sends to the service, and returns
// its error. A call that yields several errors returns the first.
var everyCall = map[string]func(context.Context, *cognitoimport.Client) error{
	"CSVHeader": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.CSVHeader(ctx, cognitoimport.CSVHeaderInput{UserPoolID: testPool})
		return err
	},
	"PoolSettings": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.PoolSettings(ctx, testPool)
		return err
	},
	"PoolName": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.PoolName(ctx, testPool)
		return err
	},
	"CreateJob": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.CreateJob(ctx, validCreateInput("big"))
		return err
	},
	"DescribeJob": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: "import-abcdefghijklmnopqrstuvwxyz"})
		return err
	},
	"StartJob": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: testPool, JobID: "import-abcdefghijklmnopqrstuvwxyz"})
		return err
	},
	"StopJob": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: testPool, JobID: "import-abcdefghijklmnopqrstuvwxyz"})
		return err
	},
	"ListJobs": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool})
		return err
	},
	"Export": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.Export(ctx, cognitoimport.ExportInput{UserPoolID: testPool, Settings: cognitoimport.DefaultPoolSettings(testPool),
			Users: io.Discard, RequestsPerSecond: -1})
		return err
	},
	"RestoreGroups": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.RestoreGroups(ctx, cognitoimport.RestoreGroupsInput{UserPoolID: testPool, Groups: strings.NewReader("{}"), RequestsPerSecond: -1})
		return err
	},
	"MapSubs": func(ctx context.Context, c *cognitoimport.Client) error {
		_, err := c.MapSubs(ctx, cognitoimport.MapSubsInput{UserPoolID: testPool, Subs: strings.NewReader(""), Output: io.Discard, RequestsPerSecond: -1})
		return err
	},
	"Jobs": func(ctx context.Context, c *cognitoimport.Client) error {
		for _, err := range c.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool}) {
			return err
		}
		return nil
	},
}

// TestResponseSizeIsBounded: every call the Client makes ends with
// ErrResponseTooLarge, without a retry, when the service's answer is larger
// than the bound (lowered here), whether or not the answer says its length,
// and whether it is a result or an error; an answer of exactly the bound is
// read as usual.
func TestResponseSizeIsBounded(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	for name, call := range everyCall {
		for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
			for _, chunked := range []bool{false, true} {
				t.Run(name+"/"+strconv.Itoa(status)+"/chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
					t.Parallel()
					srv := newSizedResponses(t, limit+1, status, chunked)
					client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(srv.config()), cognitoimport.WithMaxResponseBytes(limit))
					err := call(t.Context(), client)
					if !errors.Is(err, cognitoimport.ErrResponseTooLarge) || cognitoimport.IsRetryable(err) {
						t.Errorf("a response of %d bytes: %.300v; want ErrResponseTooLarge, not retryable", limit+1, err)
					}
					if n := srv.requests.Load(); n != 1 {
						t.Errorf("%d requests, want 1: no retry", n)
					}

					srv.size = limit
					err = call(t.Context(), client)
					if errors.Is(err, cognitoimport.ErrResponseTooLarge) {
						t.Errorf("a response of exactly %d bytes: %.300v", limit, err)
					}
				})
			}
		}
	}
}

// TestResponseSizeIsBoundedFromConfig: NewFromConfig's Client applies
// MaxResponseBytes itself: one byte more ends the call.
func TestResponseSizeIsBoundedFromConfig(t *testing.T) {
	t.Parallel()
	for _, chunked := range []bool{false, true} {
		srv := newSizedResponses(t, cognitoimport.MaxResponseBytes+1, http.StatusOK, chunked)
		_, err := cognitoimport.NewFromConfig(srv.config()).ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})
		if !errors.Is(err, cognitoimport.ErrResponseTooLarge) {
			t.Errorf("chunked %v: a response of MaxResponseBytes+1 bytes: %.300v, want ErrResponseTooLarge", chunked, err)
		}
	}
}

// TestResultsResponseSizeIsBounded: the per-row results' calls to CloudWatch
// Logs are bounded as the Client's Cognito calls are. The pool's name and
// the job are given, so that GetLogEvents is the only call.
func TestResultsResponseSizeIsBounded(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	for _, chunked := range []bool{false, true} {
		srv := newSizedResponses(t, limit+1, http.StatusOK, chunked)
		client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(srv.config()), cognitoimport.WithMaxResponseBytes(limit))
		in := cognitoimport.ResultsInput{UserPoolID: testPool, JobID: "import-AbC123", PoolName: "pool",
			Job: &cognitoimport.Job{JobID: "import-AbC123", JobName: "job", Status: cognitoimport.StatusInProgress}}
		var err error
		for _, err = range client.Results(t.Context(), in) {
			if err != nil {
				break
			}
		}
		if !errors.Is(err, cognitoimport.ErrResponseTooLarge) {
			t.Errorf("chunked %v: a GetLogEvents response of %d bytes: %.300v, want ErrResponseTooLarge", chunked, limit+1, err)
		}
		if n := srv.requests.Load(); n != 1 {
			t.Errorf("chunked %v: %d requests, want 1", chunked, n)
		}
	}
}

// TestCallIsSentOnceWhenAnsweredFirst: a call whose response arrives before
// net/http has finished with the request's body is sent once. The SDK closes
// the body once the response's headers arrive; net/http then reads it once
// more to check its length, and a body that fails that read fails the write,
// closes the connection under the response and makes the SDK send the call
// again. Neither server can order the client's own goroutines, so this test
// holds net/http's last read of the body back, through the HTTP client it
// gives the SDK, until the response has arrived and the body is closed. The
// response is large so that the SDK is still reading it when a closed
// connection would end it.
func TestCallIsSentOnceWhenAnsweredFirst(t *testing.T) {
	t.Parallel()
	srv := newSizedResponses(t, 4<<20, http.StatusOK, false)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := srv.config()
	cfg.HTTPClient = answeredFirst{tr}
	client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg))
	_, err := client.CreateJob(t.Context(), validCreateInput("once"))
	if n := srv.requests.Load(); n != 1 {
		t.Fatalf("CreateJob sent %d times, want once: %v", n, err)
	}
}

// answeredFirst is an HTTP client that closes the request's body, as the
// SDK does, once the response's headers arrive, and only then lets net/http
// read the body past its ContentLength bytes.
type answeredFirst struct{ rt http.RoundTripper }

func (a answeredFirst) Do(r *http.Request) (*http.Response, error) {
	gate := make(chan struct{})
	sent := *r
	late := &lateBody{body: r.Body, left: r.ContentLength, gate: gate}
	if _, ok := r.Body.(io.WriterTo); ok {
		sent.Body = lateWriterTo{late}
	} else {
		sent.Body = late
	}
	resp, err := a.rt.RoundTrip(&sent)
	r.Body.Close()
	close(gate)
	return resp, err
}

// lateBody holds back every read of body after its first left bytes until
// gate is closed.
type lateBody struct {
	body io.ReadCloser
	left int64
	gate <-chan struct{}
}

func (b *lateBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		<-b.gate
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *lateBody) Close() error { return b.body.Close() }

// lateWriterTo is a lateBody whose body has WriteTo, which net/http uses for
// its last read.
type lateWriterTo struct{ *lateBody }

func (b lateWriterTo) WriteTo(w io.Writer) (int64, error) {
	<-b.gate
	return b.body.(io.WriterTo).WriteTo(w)
}
