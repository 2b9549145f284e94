package cognitoimport

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// MaxFileBytes is the largest users file the service takes: 100 MB
// (100 × 2^20 bytes, the users-file rules' limit). Upload refuses a larger
// one before sending anything.
const MaxFileBytes = usersfile.MaxFileBytes

// MaxFileUsers is the most users one job takes: 500,000 rows after the
// header. CheckFile reports a file with more; ImportAll imports one in parts.
const MaxFileUsers = usersfile.MaxUsers

// UploadInput is the input of Upload.
type UploadInput struct {
	// URL is the job's PreSignedURL. Required.
	URL SecretURL
	// Body is the file. An io.Seeker (an *os.File, a *bytes.Reader) is
	// read from its current offset and can be sent again after a transient
	// failure; any other io.Reader is sent once.
	Body io.Reader
	// Size is the number of bytes to send. 0 means learn it from Body:
	// its Len method (*bytes.Reader, *bytes.Buffer, *strings.Reader) or,
	// for an io.Seeker, the bytes from its current offset to its end. A
	// plain io.Reader must give it.
	Size int64
	// Progress, when not nil, is called with the bytes sent so far and the
	// total while the body is read, and with 0 when an attempt starts over.
	// It runs on the goroutine that sends the request and must not block.
	Progress func(sent, total int64)
}

// UploadError is S3's refusal of an upload, read from its XML error, or an
// answer that redirected the upload, which Upload does not follow (its
// StatusCode is then 3xx). Match it with errors.As. An expired URL has
// StatusCode 403, Code "AccessDenied" and a message that says the request
// has expired (it also matches ErrURLExpired with errors.Is); a request
// whose headers or signature do not match the URL has Code
// "SignatureDoesNotMatch".
type UploadError struct {
	Code       string // S3's error code, such as "SignatureDoesNotMatch"; empty if the body had none
	Message    string
	RequestID  string // S3's request ID, from the body or the x-amz-request-id header
	StatusCode int    // the HTTP status
	// Err is the failure to read the response, if any; usually nil.
	Err error
}

// Error returns a one-line description with the code, message, status and
// request ID, each only when it is known: "cognitoimport: upload: Code:
// message (HTTP 403, request ID ...)" for S3's XML error, "cognitoimport:
// upload: HTTP 502 Bad Gateway" for an answer without one (from a proxy,
// say). It never holds the URL.
func (e *UploadError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteString("cognitoimport: upload: ")
	var paren []string
	switch {
	case e.Code != "":
		msg := e.Message
		if msg == "" {
			msg = http.StatusText(e.StatusCode)
		}
		b.WriteString(e.Code)
		if msg != "" {
			b.WriteString(": " + msg)
		}
		if e.StatusCode != 0 {
			paren = append(paren, "HTTP "+strconv.Itoa(e.StatusCode))
		}
	case e.StatusCode != 0:
		b.WriteString("HTTP " + strconv.Itoa(e.StatusCode))
		if text := http.StatusText(e.StatusCode); text != "" {
			b.WriteString(" " + text)
		}
		if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
	default:
		b.WriteString("refused")
		if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
	}
	if e.RequestID != "" {
		paren = append(paren, "request ID "+e.RequestID)
	}
	if len(paren) > 0 {
		b.WriteString(" (" + strings.Join(paren, ", ") + ")")
	}
	return b.String()
}

// Unwrap returns Err.
func (e *UploadError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether e is S3's refusal of an expired URL, for
// errors.Is(err, ErrURLExpired).
func (e *UploadError) Is(target error) bool {
	return target == ErrURLExpired && e.Expired()
}

// Expired reports whether S3 refused the upload because the URL expired.
func (e *UploadError) Expired() bool {
	return e != nil && e.StatusCode == http.StatusForbidden && e.Code == "AccessDenied" &&
		strings.Contains(strings.ToLower(e.Message), "expired")
}

// retryable reports whether S3 may take the same upload later.
func (e *UploadError) retryable() bool {
	if e == nil {
		return false
	}
	switch e.Code {
	case "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable":
		return true
	}
	return e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests
}

// Upload attempts, backoff: up to uploadAttempts requests, waiting
// uploadBaseDelay doubled after each failure (with jitter), at most
// uploadMaxDelay.
const (
	uploadAttempts  = 4
	uploadBaseDelay = 250 * time.Millisecond
	uploadMaxDelay  = 5 * time.Second
)

// Upload sends a job's users file to its pre-signed URL in one streaming
// HTTP PUT that carries exactly the header the URL signs
// (x-amz-server-side-encryption: aws:kms), Content-Length and no
// Content-Type. Its memory does not grow with the file. Call it within the
// URL's 15 minutes, before StartJob.
//
// The URL must be https on an Amazon S3 host, as the service's are, or be of
// the origin of the SDK client's BaseEndpoint (so that a test server's URLs
// work), or of an origin WithUploadOrigins allows. Nothing is sent to any
// other URL (ErrUntrustedURL), nor for a URL that has expired by the
// Client's clock (ErrURLExpired), a file larger than MaxFileBytes
// (ErrFileTooLarge) or a body of unknown size (ErrUnknownSize). A body that
// holds more or fewer than Size bytes fails with ErrSizeMismatch, and S3
// keeps nothing of it.
//
// S3's refusals are *UploadError, and so is a redirect (HTTP 3xx), which is
// never followed. A transient failure (HTTP 5xx, SlowDown, a broken
// connection) is retried with backoff on the Client's clock, up to 4
// attempts in all, when Body is an io.Seeker or nothing of it was read yet,
// and never once the URL has expired. No error holds the URL's query string
// (its credentials).
//
// Body is read from its current offset. When Upload returns it is done with
// Body, which the caller may then close or read; when it succeeds, a
// seekable Body's offset is at the end of what was sent.
//
// The request goes through WithHTTPClient's client, by default the SDK
// client's. optFns are applied to a copy of the SDK client's options, as
// for a call of the SDK; the upload is not one, and uses three of them:
// HTTPClient sends the request, RetryMaxAttempts (when optFns set it) is
// the most attempts in place of 4 (1: no retry), and the origin of
// BaseEndpoint is trusted as above. The SDK's retryer, middleware and
// credentials do not apply.
func (c *Client) Upload(ctx context.Context, in UploadInput, optFns ...func(*cognitoidentityprovider.Options)) error {
	u := c.newUploader(ctx, in, optFns)
	return u.upload()
}

// uploader is one call of Upload: what newUploader takes from the Client
// and the per-call options, what init and initSize learn of the URL and the
// body before the first attempt, then one attempt after another.
type uploader struct {
	ctx      context.Context
	in       UploadInput
	clock    Clock
	hc       HTTPClient // follows no redirect
	attempts int        // the most attempts
	origins  []string   // the trusted origins: WithUploadOrigins's...
	endpoint string     // ... and the SDK's BaseEndpoint's

	url    string    // the URL, with its credentials
	expiry time.Time // when the URL expires; zero if it does not say

	size  int64
	start int64 // Body's offset when Upload was called
	// seeker is Body when it can be rewound; nil when it is read once.
	seeker io.Seeker
	// ra is Body when it can be read at an offset, and seeker is not nil:
	// each attempt then reads it through an io.SectionReader of its own.
	ra io.ReaderAt
	// file is Body when it is a regular file and no Progress is asked:
	// each attempt then hands net/http the file opened again.
	file *os.File
}

// newUploader returns the uploader of one call, with the options optFns
// leave. They start from the SDK client's with the Client's upload HTTP
// client and no RetryMaxAttempts, so that what optFns set is what the
// upload uses (as Wait does with RetryMaxAttempts).
func (c *Client) newUploader(ctx context.Context, in UploadInput, optFns []func(*cognitoidentityprovider.Options)) uploader {
	u := uploader{ctx: ctx, in: in, clock: c.clock, hc: c.httpClient, attempts: uploadAttempts,
		origins: c.uploadOrigins, endpoint: c.sdkOrigin}
	if len(optFns) > 0 {
		o, _ := sdkOptions(c.api)
		o.HTTPClient, o.RetryMaxAttempts = c.httpClient, 0
		for _, fn := range optFns {
			fn(&o)
		}
		if o.HTTPClient != nil {
			u.hc = o.HTTPClient
		}
		if o.RetryMaxAttempts > 0 {
			u.attempts = o.RetryMaxAttempts
		}
		u.endpoint = endpointOrigin(o.BaseEndpoint)
	}
	u.hc = withoutRedirects(u.hc)
	return u
}

// upload runs the steps of one call of Upload.
func (u *uploader) upload() error {
	if err := u.init(); err != nil {
		return err
	}
	if err := u.initSize(); err != nil {
		return err
	}
	return u.put()
}

// init checks the URL and Body, and refuses an expired URL.
func (u *uploader) init() error {
	u.url = rawURL(u.in.URL)
	dest, err := url.Parse(u.url)
	if err != nil {
		return fmt.Errorf("%w: %s is not a URL", ErrUntrustedURL, u.in.URL)
	}
	if err := checkDestination(dest, u.origins, u.endpoint); err != nil {
		return err
	}
	u.expiry = urlExpiry(dest.Query())
	if err := u.expired(); err != nil {
		return err
	}
	if u.in.Body == nil {
		return checkRequired(required{"UploadInput.Body", false})
	}
	return nil
}

// initSize learns the body's size and how each attempt can read it.
func (u *uploader) initSize() error {
	size, err := bodySize(u.in.Body, u.in.Size)
	if err != nil {
		return err
	}
	if size > MaxFileBytes {
		return fmt.Errorf("%w (it has %d bytes; the most is %d)", ErrFileTooLarge, size, MaxFileBytes)
	}
	u.size = size
	if s, ok := u.in.Body.(io.Seeker); ok {
		if u.start, err = s.Seek(0, io.SeekCurrent); err == nil {
			u.seeker = s
		} // else not really seekable, such as a pipe: send once
	}
	if u.seeker == nil {
		return nil
	}
	// net/http's transport may go on reading an attempt's body after Do
	// returned (when S3 answers before reading it all), so no two attempts
	// may share a reader: an io.ReaderAt is read through a new
	// io.SectionReader each time, and any other body through an uploadBody
	// that is detached from it before it is rewound or Upload returns.
	u.ra, _ = u.in.Body.(io.ReaderAt)
	// A regular file with no progress to report goes to net/http as a file
	// of its own (see nextReader), so that its transport can hand it to
	// the kernel (sendfile) as it does a raw PUT of the file. As nothing
	// then counts the bytes it sends, its size is checked here.
	if f, ok := u.in.Body.(*os.File); ok && u.in.Progress == nil {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if rest := fi.Size() - u.start; rest != size {
				return fmt.Errorf("%w: the file holds %d bytes from its offset, not %d", ErrSizeMismatch, rest, size)
			}
			u.file = f
		}
	}
	return nil
}

// put sends the file, attempt after attempt, each with a reader of its
// own, until one succeeds, one fails for good, or the attempts run out.
func (u *uploader) put() error {
	delay := uploadBaseDelay
	for n := 1; ; n++ {
		body, direct := u.nextReader()
		err := u.send(body, direct)
		body.detach() // from here on, the transport reads nothing of Body
		if err == nil {
			return u.done(body, direct)
		}
		if n == u.attempts || !uploadRetryable(u.ctx, err) || !u.rewind(body) {
			return err
		}
		if err := u.backoff(delay, err); err != nil {
			return err
		}
		delay = min(2*delay, uploadMaxDelay)
	}
}

// nextReader returns what the next attempt sends: the file opened again
// (direct, which net/http closes), or an uploadBody, or neither when the
// body is empty.
func (u *uploader) nextReader() (body *uploadBody, direct *os.File) {
	if u.size == 0 {
		return nil, nil
	}
	if u.file != nil {
		// A new open file description (on Linux, through /proc/self/fd),
		// whose offset is its own: a late read by the transport moves
		// neither the caller's offset nor the next attempt's.
		if direct, err := reopenFile(u.file, u.start); err == nil {
			return nil, direct
		} // else read it through u.ra
	}
	if u.ra != nil {
		// One byte more than size, to tell a longer body.
		return &uploadBody{r: io.NewSectionReader(u.ra, u.start, u.size+1), size: u.size, progress: u.in.Progress}, nil
	}
	return &uploadBody{r: u.in.Body, size: u.size, progress: u.in.Progress}, nil
}

// send makes one attempt: a PUT of size bytes from direct when it is not
// nil, else from body, or of none.
func (u *uploader) send(body *uploadBody, direct *os.File) error {
	req, err := u.request(body, direct)
	if err != nil {
		return err
	}
	resp, err := u.hc.Do(req)
	if err != nil {
		if berr := body.failure(); berr != nil {
			err = berr // the body's own failure is the cause
		}
		return redactURLErrors(err, u.url)
	}
	defer resp.Body.Close()
	return readAnswer(resp)
}

// request returns the PUT of one attempt. It closes direct if it fails.
func (u *uploader) request(body *uploadBody, direct *os.File) (*http.Request, error) {
	var rb io.Reader = http.NoBody
	switch {
	case direct != nil:
		rb = direct
	case body != nil:
		rb = body
	}
	req, err := http.NewRequestWithContext(u.ctx, http.MethodPut, u.url, rb)
	if err != nil {
		if direct != nil {
			direct.Close()
		}
		return nil, redactURLErrors(err, u.url)
	}
	req.ContentLength = u.size
	// Exactly the signed header: S3 checks every x-amz- header and
	// Content-Type against the signature. net/http adds Content-Length,
	// Host and, unless it is set empty as here, a User-Agent; it adds no
	// Content-Type to a request. (Its transport also asks for gzip with
	// Accept-Encoding, which S3 does not sign or check.)
	req.Header = http.Header{
		"X-Amz-Server-Side-Encryption": {"aws:kms"},
		"User-Agent":                   {""},
	}
	return req, nil
}

// readAnswer returns nil when resp says that S3 stored the file, and the
// *UploadError that says why not otherwise.
func readAnswer(resp *http.Response) error {
	if first := followedRedirect(resp); first != nil {
		// An HTTPClient that is not an *http.Client followed it: whatever
		// answered at the end did not store the file.
		return &UploadError{StatusCode: first.StatusCode, RequestID: first.Header.Get("X-Amz-Request-Id"),
			Message: redirectMessage(first, true)}
	}
	if resp.StatusCode/100 == 2 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	return readUploadError(resp)
}

// done leaves a seekable Body's offset after what was sent, as if the
// successful attempt had read it: an attempt that read a copy of it (a
// reopened file, a section) did not move it.
func (u *uploader) done(body *uploadBody, direct *os.File) error {
	if u.seeker == nil || direct == nil && (body == nil || u.ra == nil) {
		return nil
	}
	if _, err := u.seeker.Seek(u.start+u.size, io.SeekStart); err != nil {
		return fmt.Errorf("cognitoimport: upload: moving the body's offset to its end: %w", err)
	}
	return nil
}

// rewind makes Body ready for the next attempt, and reports false when it
// cannot be: a stream that was read from cannot be sent again.
func (u *uploader) rewind(body *uploadBody) bool {
	if body == nil || u.ra != nil || body.read == 0 {
		return true // the next attempt reads a copy, or nothing was read
	}
	if u.seeker == nil {
		return false
	}
	_, err := u.seeker.Seek(u.start, io.SeekStart)
	return err == nil
}

// backoff waits before the next attempt after a failed one (last): about
// delay, with jitter, on the Client's clock. It tells Progress that the
// upload starts over, and fails if ctx ends or the URL expires meanwhile.
func (u *uploader) backoff(delay time.Duration, last error) error {
	if u.in.Progress != nil {
		u.in.Progress(0, u.size)
	}
	d := delay/2 + rand.N(delay/2+1)
	if err := u.clock.Sleep(u.ctx, d); err != nil {
		return fmt.Errorf("cognitoimport: upload: %w while waiting to retry after: %v", err, last)
	}
	if err := u.expired(); err != nil {
		return fmt.Errorf("%w; the last attempt failed: %v", err, last)
	}
	return nil
}

// expired returns ErrURLExpired, wrapped, when the URL has expired by the
// Client's clock.
func (u *uploader) expired() error {
	if !u.expiry.IsZero() && !u.clock.Now().Before(u.expiry) {
		return fmt.Errorf("%w (it expired at %s)", ErrURLExpired, u.expiry.UTC().Format(time.RFC3339))
	}
	return nil
}

// checkDestination returns an error that wraps ErrUntrustedURL unless the
// upload may go to dest: an https URL on an Amazon S3 host, or a URL of one
// of origins, or of endpoint, the origin of the SDK client's BaseEndpoint
// (the caller sends its credentials there already, and a server that stands
// in for the service, a test server, hands out URLs of its own).
func checkDestination(dest *url.URL, origins []string, endpoint string) error {
	if dest.Host != "" && (dest.Scheme == "http" || dest.Scheme == "https") {
		if o := origin(dest); o == endpoint || slices.Contains(origins, o) {
			return nil
		}
	}
	var why string
	switch port := dest.Port(); {
	case dest.Scheme != "https":
		why = "not https"
	case dest.User != nil:
		why = "it holds a user name"
	case port != "" && port != "443":
		why = "port " + port
	case !isS3Host(strings.ToLower(dest.Hostname())):
		why = "not an Amazon S3 host"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s: %s (a pre-signed URL from the service is https on an S3 host; WithUploadOrigins allows others)",
		ErrUntrustedURL, redact(dest.String()), why)
}

// endpointOrigin returns the origin of an SDK client's BaseEndpoint, or ""
// if it has none.
func endpointOrigin(endpoint *string) string {
	if endpoint == nil {
		return ""
	}
	e, err := url.Parse(*endpoint)
	if err != nil || e.Host == "" || (e.Scheme != "http" && e.Scheme != "https") {
		return ""
	}
	return origin(e)
}

// origin returns u's scheme and host in lower case, and its port unless it
// is the scheme's default: "https://host" for "HTTPS://Host:443/path".
func origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if port == "" || scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		if strings.Contains(host, ":") {
			host = "[" + host + "]" // IPv6
		}
		return scheme + "://" + host
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// isS3Host reports whether host, in lower case, names an endpoint of Amazon
// S3 in any partition: the endpoint alone (path-style URLs) or after a
// bucket's name (virtual-hosted style). The endpoints are the forms S3
// documents: s3.REGION.SUFFIX, s3-fips.REGION.SUFFIX and their .dualstack
// forms; the legacy s3-REGION.SUFFIX (s3-fips-us-gov-west-1.amazonaws.com
// among them); and the global s3.amazonaws.com, s3-external-1.amazonaws.com
// and s3-accelerate[.dualstack].amazonaws.com. SUFFIX must be the DNS
// suffix of REGION's partition (amazonaws.com, amazonaws.com.cn, ...), as
// the SDK's endpoint rules give it. Only S3's own names pass: other hosts
// under amazonaws.com, such as an EC2 instance's or an API Gateway's, and
// S3's website endpoints, which do not take uploads, do not.
func isS3Host(host string) bool {
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if !isHostLabel(l) {
			return false
		}
	}
	for i := range labels {
		if isS3Endpoint(labels[i:]) {
			return true // labels[:i] is the bucket
		}
	}
	return false
}

// s3GlobalEndpoints are S3's endpoints that name no region.
var s3GlobalEndpoints = []string{
	"s3.amazonaws.com",
	"s3-external-1.amazonaws.com",
	"s3-accelerate.amazonaws.com",
	"s3-accelerate.dualstack.amazonaws.com",
}

// regionPattern is the shape of a region's name, such as us-east-1,
// us-gov-west-1, cn-north-1 or eusc-de-east-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2,}(-[a-z]+)+-[0-9]+$`)

// isS3Endpoint reports whether labels are the host of an S3 endpoint.
func isS3Endpoint(labels []string) bool {
	if slices.Contains(s3GlobalEndpoints, strings.Join(labels, ".")) {
		return true
	}
	if len(labels) < 3 {
		return false
	}
	var region string
	var suffix []string
	switch svc := labels[0]; {
	case svc == "s3" || svc == "s3-fips":
		rest := labels[1:]
		if rest[0] == "dualstack" {
			rest = rest[1:]
		}
		if len(rest) < 2 {
			return false
		}
		region, suffix = rest[0], rest[1:]
	case strings.HasPrefix(svc, "s3-") && !strings.HasPrefix(svc, "s3-website"):
		region, suffix = strings.TrimPrefix(svc, "s3-"), labels[1:]
	default:
		return false
	}
	return regionPattern.MatchString(region) && strings.Join(suffix, ".") == dnsSuffix(region)
}

// dnsSuffix returns the DNS suffix of region's partition, as the SDK's
// endpoint rules give it (they are the same for every service): the
// Cognito endpoint of region is cognito-idp.REGION.SUFFIX. It returns ""
// if the rules give another shape.
func dnsSuffix(region string) string {
	ep, err := cognitoidentityprovider.NewDefaultEndpointResolverV2().ResolveEndpoint(context.Background(),
		cognitoidentityprovider.EndpointParameters{Region: &region})
	if err != nil {
		return ""
	}
	suffix, ok := strings.CutPrefix(ep.URI.Host, "cognito-idp."+region+".")
	if !ok {
		return ""
	}
	return suffix
}

// isHostLabel reports whether l is a DNS label of letters, digits and
// hyphens, in lower case.
func isHostLabel(l string) bool {
	if l == "" || len(l) > 63 {
		return false
	}
	for _, r := range l {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// rawURL returns the URL a SecretURL hides.
func rawURL(u SecretURL) string { return u.Reveal() }

// redact returns raw as a SecretURL prints it.
func redact(raw string) string { return NewSecretURL(raw).String() }

// withoutRedirects returns hc made to follow no redirect, so that an upload
// answered with one fails instead of sending a GET (net/http follows a 301,
// 302 or 303 with one) whose 200 would pass for a stored file: an
// *http.Client is copied with a CheckRedirect that keeps the first answer.
// Any other HTTPClient is returned as it is; the SDK's follows only a 307
// or 308 whose body it can send again, and followedRedirect catches what
// any of them followed.
func withoutRedirects(hc HTTPClient) HTTPClient {
	c, ok := hc.(*http.Client)
	if !ok {
		return hc
	}
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// followedRedirect returns the first redirect that net/http followed to get
// resp, or nil if it followed none.
func followedRedirect(resp *http.Response) *http.Response {
	var first *http.Response
	for r := resp.Request; r != nil && r.Response != nil; r = r.Response.Request {
		first = r.Response
	}
	return first
}

// redirectMessage says where a redirect pointed, without the query, and
// whether the HTTP client followed it.
func redirectMessage(resp *http.Response, followed bool) string {
	msg := "a redirect"
	if loc, err := resp.Location(); err == nil {
		msg = "redirected to " + redact(loc.String())
	}
	if followed {
		return msg + "; a redirected upload is not taken for a stored file"
	}
	return msg + ", which Upload does not follow"
}

// readUploadError reads S3's XML error from resp.
func readUploadError(resp *http.Response) error {
	e := &UploadError{StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Amz-Request-Id")}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		e.Err = err
	}
	var x struct {
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}
	if xml.Unmarshal(bytes.TrimSpace(data), &x) == nil {
		e.Code, e.Message = x.Code, x.Message
		if x.RequestID != "" {
			e.RequestID = x.RequestID
		}
	}
	if e.Message == "" && resp.StatusCode/100 == 3 {
		e.Message = redirectMessage(resp, false)
	}
	return e
}

// uploadRetryable reports whether a failed attempt may be sent again.
func uploadRetryable(ctx context.Context, err error) bool {
	return ctx.Err() == nil && IsRetryable(err)
}

// urlExpiry returns when a SigV4 query-signed URL expires, or the zero
// time if its query does not say.
func urlExpiry(q url.Values) time.Time {
	date, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return time.Time{}
	}
	secs, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	if err != nil || secs < 0 {
		return time.Time{}
	}
	return date.Add(time.Duration(secs) * time.Second)
}

// bodySize returns size, or when it is 0 what r tells of its own.
func bodySize(r io.Reader, size int64) (int64, error) {
	if size < 0 {
		return 0, fmt.Errorf("cognitoimport: upload: UploadInput.Size is negative (%d)", size)
	}
	if size > 0 {
		return size, nil
	}
	if l, ok := r.(interface{ Len() int }); ok {
		return int64(l.Len()), nil
	}
	if s, ok := r.(io.Seeker); ok {
		cur, err := s.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, ErrUnknownSize
		}
		end, err := s.Seek(0, io.SeekEnd)
		if err != nil {
			return 0, ErrUnknownSize
		}
		if _, err := s.Seek(cur, io.SeekStart); err != nil {
			return 0, fmt.Errorf("cognitoimport: upload: rewinding the body: %w", err)
		}
		return end - cur, nil
	}
	return 0, ErrUnknownSize
}

// uploadBody streams exactly size bytes of r, reports progress, and fails
// the request when r holds fewer or more. Once detached it reads no more of
// r: net/http's transport may call Read (and Close) from its own goroutine
// after Do returned.
type uploadBody struct {
	mu       sync.Mutex // held while reading r
	detached bool
	r        io.Reader
	size     int64
	read     int64
	progress func(sent, total int64)
	err      error // the body's own failure, which net/http may wrap or hide
}

// errDetached is what a detached uploadBody returns to a late Read.
var errDetached = errors.New("cognitoimport: upload: the attempt is over")

// detach waits for a Read in progress to end and makes later ones fail, so
// that the caller's body is the caller's again. b may be nil.
func (b *uploadBody) detach() {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.detached = true
	b.mu.Unlock()
}

// failure returns the body's own failure, if any.
func (b *uploadBody) failure() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// Close detaches b; net/http calls it when it is done with the body.
func (b *uploadBody) Close() error {
	b.detach()
	return nil
}

// Read reads from r at most the bytes left of size. It fails with
// ErrSizeMismatch when r ends before them, or holds more.
func (b *uploadBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.detached:
		return 0, errDetached
	case b.err != nil:
		return 0, b.err
	case b.read == b.size:
		return 0, io.EOF
	}
	rest := b.size - b.read
	n, err := b.r.Read(p[:min(int64(len(p)), rest)])
	if int64(n) == rest {
		// The last bytes: before handing them over, check that r ends
		// here, so that a longer body fails the request rather than
		// sending the file cut at Size.
		if err = b.checkEnd(); err != nil {
			b.err = err
			return 0, err
		}
	}
	b.read += int64(n)
	if n > 0 && b.progress != nil {
		b.progress(b.read, b.size)
	}
	if err == io.EOF { // before size bytes: the last ones took checkEnd's path
		err = fmt.Errorf("%w: it ended after %d of %d bytes", ErrSizeMismatch, b.read, b.size)
	}
	if err != nil {
		b.err = err
	}
	return n, err
}

// checkEnd returns nil if r has no byte left, and otherwise the error that
// fails the request.
func (b *uploadBody) checkEnd() error {
	var one [1]byte
	m, err := io.ReadFull(b.r, one[:])
	switch {
	case m > 0:
		return fmt.Errorf("%w: it holds more than %d bytes", ErrSizeMismatch, b.size)
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return nil
	}
	return err
}

// redactURLErrors removes rawURL's query from err: net/http's *url.Error
// holds the whole URL, credentials included. The *url.Error in err's chain
// is changed in place, so errors.As still finds it.
func redactURLErrors(err error, rawURL string) error {
	redacted := redact(rawURL)
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redact(ue.URL)
	}
	if q := strings.IndexAny(rawURL, "?#"); q >= 0 && strings.Contains(err.Error(), rawURL[q+1:]) {
		// Some other error quotes the URL: keep its text without it.
		return errors.New(strings.ReplaceAll(err.Error(), rawURL, redacted))
	}
	return err
}
