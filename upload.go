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

// UploadError is S3's refusal of an upload, read from its XML error. Match
// it with errors.As. An expired URL has StatusCode 403, Code "AccessDenied"
// and a message that says the request has expired (it also matches
// ErrURLExpired with errors.Is); a request whose headers or signature do not
// match the URL has Code "SignatureDoesNotMatch".
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

// Upload sends a job's users file to its pre-signed URL, as one streaming
// HTTP PUT that carries exactly the header the URL signs
// (x-amz-server-side-encryption: aws:kms) and Content-Length, and no
// Content-Type. Its memory does not grow with the file.
//
// The URL must be https on an Amazon S3 host, as the service's are, or of
// the origin of the SDK client's BaseEndpoint (so that a test server's URLs
// work), or of an origin WithUploadOrigins allows; any other is refused
// with ErrUntrustedURL before anything is sent.
//
// Before sending anything it refuses an expired URL (ErrURLExpired, by the
// URL's X-Amz-Date and X-Amz-Expires and the Client's clock), a file larger
// than MaxFileBytes (ErrFileTooLarge) and a body of unknown size
// (ErrUnknownSize). S3's refusals are *UploadError, and so is a redirect
// (HTTP 3xx), which Upload never follows. A transient failure (HTTP
// 5xx, SlowDown, a broken connection) is retried with backoff, up to 4
// attempts in all, when Body is an io.Seeker that can be rewound, or when
// nothing was read from it yet; never with a half-read stream, and never
// once the URL has expired.
//
// Each attempt reads the body through a reader of its own, and Upload
// returns only once net/http's transport can read no more of Body (it may
// go on reading an attempt's body after S3 answered): an io.ReaderAt is
// read through a new io.SectionReader each time. When Upload succeeds, a
// seekable Body's offset is at the end of what was sent. A regular *os.File
// with no Progress callback is opened again (on Linux, through
// /proc/self/fd) and handed to net/http as a file with its own offset, so
// that its transport can send it with sendfile as it does a raw PUT of the
// file; the caller's file stays open and its offset is not moved by a late
// read.
//
// The request goes through WithHTTPClient's client, by default the SDK
// client's. No error holds the URL's query string (its credentials).
func (c *Client) Upload(ctx context.Context, in UploadInput) error {
	u, err := url.Parse(rawURL(in.URL))
	if err != nil {
		return fmt.Errorf("%w: %s is not a URL", ErrUntrustedURL, in.URL)
	}
	if err := c.checkDestination(u); err != nil {
		return err
	}
	exp, hasExpiry := urlExpiry(u.Query())
	expired := func() error {
		if hasExpiry && !c.clock.Now().Before(exp) {
			return fmt.Errorf("%w (it expired at %s)", ErrURLExpired, exp.UTC().Format(time.RFC3339))
		}
		return nil
	}
	if err := expired(); err != nil {
		return err
	}
	if in.Body == nil {
		return errors.New("cognitoimport: upload: UploadInput.Body is nil")
	}
	size, err := bodySize(in.Body, in.Size)
	if err != nil {
		return err
	}
	if size > MaxFileBytes {
		return fmt.Errorf("%w (it has %d bytes; the most is %d)", ErrFileTooLarge, size, MaxFileBytes)
	}

	seeker, _ := in.Body.(io.Seeker)
	var start int64
	if seeker != nil {
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			seeker = nil // not really seekable, such as a pipe: send once
		}
	}
	// Each attempt reads through a reader of its own, since net/http's
	// transport may go on reading an attempt's body after Do returned
	// (when S3 answers before reading it): an io.ReaderAt through a new
	// io.SectionReader, which shares no offset; any other body through an
	// uploadBody that is detached from it before it is rewound or Upload
	// returns.
	ra, _ := in.Body.(io.ReaderAt)
	if seeker == nil {
		ra = nil // its start is unknown
	}
	// A regular file with no progress to report goes to net/http as a file
	// of its own (opened again, with its own offset), so that its transport
	// can hand it to the kernel (sendfile) as it does a raw PUT of the
	// file; its size is checked here instead of as it is read.
	var file *os.File
	if f, ok := in.Body.(*os.File); ok && in.Progress == nil && seeker != nil {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if rest := fi.Size() - start; rest != size {
				return fmt.Errorf("%w: the file holds %d bytes from its offset, not %d", ErrSizeMismatch, rest, size)
			}
			file = f
		}
	}
	delay := uploadBaseDelay
	for attempt := 1; ; attempt++ {
		var direct *os.File
		if file != nil && size > 0 {
			direct, _ = reopenFile(file, start) // nil: read through ra
		}
		var body *uploadBody
		switch {
		case direct != nil || size == 0:
		case ra != nil:
			// One byte more than size, to tell a longer body.
			body = &uploadBody{r: io.NewSectionReader(ra, start, size+1), size: size, progress: in.Progress}
		default:
			body = &uploadBody{r: in.Body, size: size, progress: in.Progress}
		}
		err := c.putOnce(ctx, rawURL(in.URL), size, body, direct)
		body.detach() // from here on, the transport reads nothing of in.Body
		if err == nil {
			if seeker != nil && (direct != nil || body != nil && ra != nil) {
				// As if read through: the caller's offset after the file.
				if _, err := seeker.Seek(start+size, io.SeekStart); err != nil {
					return fmt.Errorf("cognitoimport: upload: moving the body's offset to its end: %w", err)
				}
			}
			return nil
		}
		if attempt == uploadAttempts || !uploadRetryable(ctx, err) {
			return err
		}
		if body != nil && ra == nil && body.read > 0 {
			if seeker == nil {
				return err // half read and not rewindable
			}
			if _, serr := seeker.Seek(start, io.SeekStart); serr != nil {
				return err
			}
		}
		if in.Progress != nil {
			in.Progress(0, size)
		}
		d := delay/2 + rand.N(delay/2+1)
		if serr := c.clock.Sleep(ctx, d); serr != nil {
			return fmt.Errorf("cognitoimport: upload: %w while waiting to retry after: %v", serr, err)
		}
		if xerr := expired(); xerr != nil {
			return fmt.Errorf("%w; the last attempt failed: %v", xerr, err)
		}
		delay = min(2*delay, uploadMaxDelay)
	}
}

// checkDestination returns an error that wraps ErrUntrustedURL unless the
// upload may go to u: an https URL on an Amazon S3 host, or a URL of an
// origin the Client trusts.
func (c *Client) checkDestination(u *url.URL) error {
	if u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
		o := origin(u)
		if slices.Contains(c.uploadOrigins, o) {
			return nil
		}
		// The SDK client's endpoint: the caller sends its credentials
		// there already, and a server that stands in for the service (a
		// test server) hands out URLs of its own.
		if sdk, ok := sdkOptions(c.api); ok && sdk.BaseEndpoint != nil {
			if b, err := url.Parse(*sdk.BaseEndpoint); err == nil && b.Host != "" && origin(b) == o {
				return nil
			}
		}
	}
	var why string
	switch port := u.Port(); {
	case u.Scheme != "https":
		why = "not https"
	case u.User != nil:
		why = "it holds a user name"
	case port != "" && port != "443":
		why = "port " + port
	case !isS3Host(strings.ToLower(u.Hostname())):
		why = "not an Amazon S3 host"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s: %s (a pre-signed URL from the service is https on an S3 host; WithUploadOrigins allows others)",
		ErrUntrustedURL, redact(u.String()), why)
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

// putOnce sends size bytes to rawURL in one PUT: those of direct, a file
// that net/http owns and closes, when it is not nil; else those of body, or
// none when size is 0.
func (c *Client) putOnce(ctx context.Context, rawURL string, size int64, body *uploadBody, direct *os.File) error {
	var rb io.Reader = http.NoBody
	switch {
	case direct != nil:
		rb = direct
	case body != nil:
		rb = body
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, rawURL, rb)
	if err != nil {
		if direct != nil {
			direct.Close()
		}
		return redactURLErrors(err, rawURL)
	}
	req.ContentLength = size
	// Exactly the signed header: S3 checks every x-amz- header and
	// Content-Type against the signature. net/http adds Content-Length,
	// Host and, unless it is set empty as here, a User-Agent; it adds no
	// Content-Type to a request. (Its transport also asks for gzip with
	// Accept-Encoding, which S3 does not sign or check.)
	req.Header = http.Header{
		"X-Amz-Server-Side-Encryption": {"aws:kms"},
		"User-Agent":                   {""},
	}
	resp, err := withoutRedirects(c.httpClient).Do(req)
	if err != nil {
		if berr := body.failure(); berr != nil {
			err = berr // the body's own failure is the cause
		}
		return redactURLErrors(err, rawURL)
	}
	defer resp.Body.Close()
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

// urlExpiry returns when a SigV4 query-signed URL expires.
func urlExpiry(q url.Values) (time.Time, bool) {
	date, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return time.Time{}, false
	}
	secs, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	if err != nil || secs < 0 {
		return time.Time{}, false
	}
	return date.Add(time.Duration(secs) * time.Second), true
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

func (b *uploadBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.detached {
		return 0, errDetached
	}
	if b.err != nil {
		return 0, b.err
	}
	if b.read == b.size {
		return 0, io.EOF
	}
	rest := b.size - b.read
	if int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.r.Read(p)
	if int64(n) == rest {
		// The last bytes: before handing them over, check that r ends
		// here, so that a longer body fails the request rather than
		// sending the file cut at Size.
		var one [1]byte
		m, perr := io.ReadFull(b.r, one[:])
		switch {
		case m > 0:
			b.err = fmt.Errorf("%w: it holds more than %d bytes", ErrSizeMismatch, b.size)
			return 0, b.err
		case perr != io.EOF && perr != io.ErrUnexpectedEOF:
			b.err = perr
			return 0, perr
		}
		err = nil
	}
	b.read += int64(n)
	if n > 0 && b.progress != nil {
		b.progress(b.read, b.size)
	}
	switch {
	case err == io.EOF && b.read < b.size:
		b.err = fmt.Errorf("%w: it ended after %d of %d bytes", ErrSizeMismatch, b.read, b.size)
		return n, b.err
	case err == io.EOF:
		err = nil
	case err != nil:
		b.err = err
	}
	return n, err
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
