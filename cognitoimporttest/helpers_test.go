package cognitoimporttest_test

// Helpers shared by the test files: one way to make a client of a server,
// one way to send a hand-made request, one environment for imports.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

const (
	testPool    = "us-east-1_TestPool1"
	testRoleARN = "arn:aws:iam::123456789012:role/CognitoImportLogs"

	targetPrefix = "AWSCognitoIdentityProviderService."
	targetCreate = targetPrefix + "CreateUserImportJob"
	targetList   = targetPrefix + "ListUserImportJobs"
)

var (
	jobIDPattern     = regexp.MustCompile(`^import-[0-9A-Za-z]{10}$`)
	requestIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// newClient returns an unmodified SDK client of srv.
func newClient(srv *cognitoimporttest.Server, optFns ...func(*cognitoidentityprovider.Options)) *cognitoidentityprovider.Client {
	return cognitoidentityprovider.NewFromConfig(srv.Config(), optFns...)
}

// noRetry makes a client send each call once, so that request counts and
// errors the SDK would retry can be checked.
func noRetry(o *cognitoidentityprovider.Options) { o.RetryMaxAttempts = 1 }

// withCredentials makes a client sign with the credentials of p.
func withCredentials(p aws.CredentialsProvider) func(*cognitoidentityprovider.Options) {
	return func(o *cognitoidentityprovider.Options) { o.Credentials = p }
}

// static provides creds.
func static(creds aws.Credentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
}

// createJob creates a job in pool through client and fails the test if it
// cannot.
func createJob(t testing.TB, client *cognitoidentityprovider.Client, pool, name string) *types.UserImportJobType {
	t.Helper()
	out, err := client.CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String(pool),
		JobName:               aws.String(name),
		CloudWatchLogsRoleArn: aws.String(testRoleARN),
	})
	if err != nil {
		t.Fatalf("CreateUserImportJob(%q, %q): %v", pool, name, err)
	}
	return out.UserImportJob
}

// listPage lists one page of pool.
func listPage(ctx context.Context, client *cognitoidentityprovider.Client, pool string, maxResults int32, token *string) (*cognitoidentityprovider.ListUserImportJobsOutput, error) {
	return client.ListUserImportJobs(ctx, &cognitoidentityprovider.ListUserImportJobsInput{
		UserPoolId:      aws.String(pool),
		MaxResults:      aws.Int32(maxResults),
		PaginationToken: token,
	})
}

// listAll lists every job of pool, pageSize at a time, and returns the job
// IDs in the order they came.
func listAll(t testing.TB, client *cognitoidentityprovider.Client, pool string, pageSize int32) []string {
	t.Helper()
	var ids []string
	var token *string
	for {
		out, err := listPage(context.Background(), client, pool, pageSize, token)
		if err != nil {
			t.Fatalf("ListUserImportJobs(%q) after %d jobs: %v", pool, len(ids), err)
		}
		for _, j := range out.UserImportJobs {
			ids = append(ids, aws.ToString(j.JobId))
		}
		if out.PaginationToken == nil {
			return ids
		}
		token = out.PaginationToken
	}
}

// jobIDs returns the IDs of jobs, in order.
func jobIDs(jobs []cognitoimporttest.Job) []string {
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.JobID
	}
	return ids
}

// apiError returns err as a smithy.APIError, failing the test if it is not
// one or its code is not code.
func apiError(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not a smithy.APIError", err, err)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("error code = %q, want %q (error: %v)", apiErr.ErrorCode(), code, err)
	}
	return apiErr
}

// Hand-made requests, for what the SDK cannot send.

// rawRequest is a request to send with send.
type rawRequest struct {
	Method string // POST if empty
	Target string // the X-Amz-Target header; none if empty
	Body   io.Reader
	// ContentLength is set on the request when Body is not a
	// *bytes.Reader or *strings.Reader (-1: unknown, sent chunked).
	ContentLength int64
	Header        http.Header // more headers, set before signing
	Query         string      // the raw query string, without '?'
	Host          string      // the Host header, signed; empty: the server's

	// SignWithout lists headers to leave out of the signature: they are
	// taken off the request before it is signed and put back after.
	SignWithout []string
	// SignAlso lists headers to sign although the SDK's signer leaves them
	// out (User-Agent, Expect, ...), as other SDKs sign them.
	SignAlso []string

	Unsigned bool
	Creds    *aws.Credentials // nil: the server's
	SignedAt time.Time        // zero: now
	Service  string           // empty: cognito-idp
	Region   string           // empty: the server's
	// Tamper changes the request after it is signed.
	Tamper func(*http.Request)
}

// rawResponse is what came back from send.
type rawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// newRaw returns a signed request for target with this body.
func newRaw(target, body string) rawRequest {
	return rawRequest{Target: target, Body: strings.NewReader(body)}
}

// send sends rr to srv over HTTP, signed with the SDK's SigV4 signer unless
// rr.Unsigned, and reads the whole response.
func send(t testing.TB, srv *cognitoimporttest.Server, rr rawRequest) rawResponse {
	t.Helper()
	resp, err := srv.Config().HTTPClient.Do(buildRaw(t, srv, rr))
	if err != nil {
		t.Fatalf("sending the request: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	return rawResponse{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// buildRaw builds and signs the request send sends.
func buildRaw(t testing.TB, srv *cognitoimporttest.Server, rr rawRequest) *http.Request {
	t.Helper()
	method := rr.Method
	if method == "" {
		method = http.MethodPost
	}
	target := srv.URL + "/"
	if rr.Query != "" {
		target += "?" + rr.Query
	}
	req, err := http.NewRequest(method, target, rr.Body)
	if err != nil {
		t.Fatal(err)
	}
	switch rr.Body.(type) {
	case *bytes.Reader, *strings.Reader, nil:
	default:
		req.ContentLength = rr.ContentLength
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if rr.Target != "" {
		req.Header.Set("X-Amz-Target", rr.Target)
	}
	if rr.Host != "" {
		req.Host = rr.Host
	}
	for k, vs := range rr.Header {
		req.Header[k] = vs
	}
	if !rr.Unsigned {
		var payload []byte
		if rr.Body != nil {
			if payload, err = io.ReadAll(rr.Body); err != nil {
				t.Fatal(err)
			}
			req.Body = io.NopCloser(bytes.NewReader(payload))
		}
		creds := srv.Credentials()
		if rr.Creds != nil {
			creds = *rr.Creds
		}
		at, service, region := rr.SignedAt, rr.Service, rr.Region
		if at.IsZero() {
			at = time.Now()
		}
		if service == "" {
			service = "cognito-idp"
		}
		if region == "" {
			region = srv.Region()
		}
		aside := make(http.Header)
		for _, name := range rr.SignWithout {
			name = http.CanonicalHeaderKey(name)
			aside[name] = req.Header[name]
			delete(req.Header, name)
		}
		// The signer skips its ignored headers by their canonical key
		// only: under a lower-case key, it signs them.
		for _, name := range rr.SignAlso {
			req.Header[strings.ToLower(name)] = req.Header.Values(name)
			req.Header.Del(name)
		}
		sum := sha256.Sum256(payload)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, at); err != nil {
			t.Fatalf("signing: %v", err)
		}
		for _, name := range rr.SignAlso {
			vs := req.Header[strings.ToLower(name)]
			delete(req.Header, strings.ToLower(name))
			req.Header[http.CanonicalHeaderKey(name)] = vs
		}
		for name, vs := range aside {
			req.Header[name] = vs
		}
		// The signer rewrites the query in its canonical form (sorted,
		// escaped, malformed parts dropped): send it as written.
		req.URL.RawQuery = rr.Query
	}
	if rr.Tamper != nil {
		rr.Tamper(req)
	}
	return req
}

// wireErrorBody is the body of an error response.
type wireErrorBody struct {
	Type       *string `json:"__type"`
	Message    *string `json:"message"`
	ReasonCode *string `json:"reasonCode"`
}

// checkError checks that resp is the error code with this HTTP status in the
// AWS JSON 1.1 shape, and returns its message.
func checkError(t testing.TB, resp rawResponse, status int, code string) string {
	t.Helper()
	if resp.Status != status {
		t.Errorf("status = %d, want %d (body %s)", resp.Status, status, resp.Body)
	}
	if got := resp.Header.Get("X-Amzn-ErrorType"); got != code {
		t.Errorf("x-amzn-ErrorType = %q, want %q", got, code)
	}
	if got := resp.Header.Get("Content-Type"); got != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q, want application/x-amz-json-1.1", got)
	}
	if id := resp.Header.Get("X-Amzn-RequestId"); !requestIDPattern.MatchString(id) {
		t.Errorf("x-amzn-RequestId = %q, want a UUID", id)
	}
	var body wireErrorBody
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatalf("error body %q is not a JSON object: %v", resp.Body, err)
	}
	if body.Type == nil || *body.Type != code {
		t.Errorf("__type in %s, want %q", resp.Body, code)
	}
	if body.Message == nil {
		return ""
	}
	return *body.Message
}

// checkErrorMessage is checkError for errors that must carry a message.
func checkErrorMessage(t testing.TB, resp rawResponse, status int, code string) string {
	t.Helper()
	msg := checkError(t, resp, status, code)
	if msg == "" {
		t.Errorf("error body %s has no message", resp.Body)
	}
	return msg
}

// checkOK checks that resp is a 200 with a JSON object body.
func checkOK(t testing.TB, resp rawResponse) {
	t.Helper()
	if resp.Status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", resp.Status, resp.Body)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", resp.Body, err)
	}
}

// sampleFile is the guide's sample users file.
const sampleFile = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

// clockStart is where the fake clocks start: near the wall clock, as the
// server checks the SDK's signatures against its own clock, within 15
// minutes. (A test that moves the clock further sees the SDK's first attempt
// fail with a clock skew error and its retry succeed.)
var clockStart = time.Now().UTC().Truncate(time.Second)

// importEnv is a server on a fake clock with a client of it.
type importEnv struct {
	t      *testing.T
	clock  *cognitoimporttest.Clock
	srv    *cognitoimporttest.Server
	client *cognitoidentityprovider.Client
}

// newImportEnv starts a server from NewTestServer with the pool testPool and
// opts, on a fake clock, and a client of it.
func newImportEnv(t *testing.T, opts ...cognitoimporttest.Option) *importEnv {
	t.Helper()
	clock := cognitoimporttest.NewClock(clockStart)
	opts = append([]cognitoimporttest.Option{cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(clock)}, opts...)
	srv := cognitoimporttest.NewTestServer(t, opts...)
	return &importEnv{t: t, clock: clock, srv: srv, client: newClient(srv)}
}

func (e *importEnv) create(pool string) *types.UserImportJobType {
	e.t.Helper()
	return createJob(e.t, e.client, pool, "lifecycle")
}

func (e *importEnv) describe(pool, jobID string) *types.UserImportJobType {
	e.t.Helper()
	out, err := e.client.DescribeUserImportJob(context.Background(), &cognitoidentityprovider.DescribeUserImportJobInput{
		UserPoolId: aws.String(pool), JobId: aws.String(jobID),
	})
	if err != nil {
		e.t.Fatalf("DescribeUserImportJob(%s): %v", jobID, err)
	}
	return out.UserImportJob
}

func (e *importEnv) start(pool, jobID string) (*types.UserImportJobType, error) {
	out, err := e.client.StartUserImportJob(context.Background(), &cognitoidentityprovider.StartUserImportJobInput{
		UserPoolId: aws.String(pool), JobId: aws.String(jobID),
	})
	if err != nil {
		return nil, err
	}
	return out.UserImportJob, nil
}

func (e *importEnv) stop(pool, jobID string) (*types.UserImportJobType, error) {
	out, err := e.client.StopUserImportJob(context.Background(), &cognitoidentityprovider.StopUserImportJobInput{
		UserPoolId: aws.String(pool), JobId: aws.String(jobID),
	})
	if err != nil {
		return nil, err
	}
	return out.UserImportJob, nil
}

// mustUpload uploads body to the job's URL as curl -T does, and fails the
// test unless it succeeds.
func (e *importEnv) mustUpload(job *types.UserImportJobType, body string) {
	e.t.Helper()
	if resp := putFile(e.t, aws.ToString(job.PreSignedUrl), body, sseHeader); resp.status != http.StatusOK {
		e.t.Fatalf("upload: status %d, body %s", resp.status, resp.body)
	}
}

// runJob creates a job, uploads body and starts it.
func (e *importEnv) runJob(pool, body string) string {
	e.t.Helper()
	job := e.create(pool)
	e.mustUpload(job, body)
	if _, err := e.start(pool, aws.ToString(job.JobId)); err != nil {
		e.t.Fatalf("StartUserImportJob: %v", err)
	}
	return aws.ToString(job.JobId)
}

var sseHeader = http.Header{"X-Amz-Server-Side-Encryption": {"aws:kms"}}

type s3Response struct {
	status int
	header http.Header
	body   []byte
}

// putFile sends body to rawURL as `curl -T file -H ... URL` does: a PUT
// with a Content-Length, the given headers and no Content-Type.
func putFile(t testing.TB, rawURL, body string, header http.Header) s3Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	return doS3(t, req)
}

func doS3(t testing.TB, req *http.Request) s3Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	return s3Response{resp.StatusCode, resp.Header, b}
}

// checkS3Error checks an S3 XML error.
func checkS3Error(t testing.TB, resp s3Response, status int, code, message string) {
	t.Helper()
	if resp.status != status {
		t.Errorf("status = %d, want %d (body %s)", resp.status, status, resp.body)
	}
	var e struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(resp.body, &e); err != nil {
		t.Fatalf("body %q is not an S3 error: %v", resp.body, err)
	}
	if e.Code != code || (message != "" && e.Message != message) {
		t.Errorf("error = %s %q, want %s %q", e.Code, e.Message, code, message)
	}
	if e.RequestID == "" || e.RequestID != resp.header.Get("X-Amz-Request-Id") {
		t.Errorf("RequestId = %q, header x-amz-request-id = %q", e.RequestID, resp.header.Get("X-Amz-Request-Id"))
	}
}

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

// fatalTB records the first Fatalf and ends its goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	mu       sync.Mutex
	msg      string
	cleanups []func()
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = format
	if len(args) > 0 {
		f.msg = args[0].(string)
	}
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fatalTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// misuse runs fn with a fatalTB in its own goroutine and returns the message
// it failed with.
func misuse(fn func(tb *fatalTB)) string {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	for _, c := range tb.cleanups {
		c()
	}
	return tb.msg
}

// panicMessage calls f and returns what it panicked with, as a string, or
// fails the test if it did not panic.
func panicMessage(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Errorf("no panic")
			return
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

// nowFunc is a clock made of a function, for cognitoimporttest.WithClock.
type nowFunc func() time.Time

func (f nowFunc) Now() time.Time { return f() }
