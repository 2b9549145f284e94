package cognitoimporttest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// MaxFileBytes is the largest users file the upload accepts: 100 MB, as the
// service documents, read as 100 MiB. A larger one is refused with S3's
// EntityTooLarge before it is read.
const MaxFileBytes = 100 << 20

// MaxFileBytes is the users-file rules' limit, written out for the reader of
// the documentation: these fail to compile if the two ever differ.
var (
	_ [MaxFileBytes - usersfile.MaxFileBytes]struct{}
	_ [usersfile.MaxFileBytes - MaxFileBytes]struct{}
)

// URLExpires is how long a pre-signed URL is valid, as the service's
// X-Amz-Expires=899 says.
const URLExpires = 899 * time.Second

// accountID is the AWS account the server's ARNs and upload paths name.
const accountID = "123456789012"

// uploadBucket starts the path of every upload URL: the server serves the
// bucket path-style, under its own host.
const uploadBucket = "aws-cognito-idp-user-import"

// signer mints and verifies the pre-signed URLs, as S3 signs them: the path
// is not escaped a second time.
var signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })

// uploadCredentials are the credentials the server signs upload URLs with:
// temporary credentials of its own, as the service's URLs carry, derived
// from the server's secret key so that only it can mint them.
func (s *Server) uploadCredentials() aws.Credentials {
	derive := func(label string, n int) []byte {
		mac := hmac.New(sha256.New, s.tokenKey)
		mac.Write([]byte("upload-credentials\x00" + label))
		sum := mac.Sum(nil)
		for len(sum) < n {
			mac.Write(sum)
			sum = mac.Sum(sum)
		}
		return sum[:n]
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	key := derive("key", 16)
	id := []byte("ASIA")
	for _, b := range key {
		id = append(id, alphabet[b&31])
	}
	return aws.Credentials{
		AccessKeyID:     string(id),
		SecretAccessKey: base64.StdEncoding.EncodeToString(derive("secret", 30)),
		SessionToken:    base64.StdEncoding.EncodeToString(derive("token", 180)),
	}
}

func uploadPath(poolID, jobID string) string {
	return "/" + uploadBucket + "/" + accountID + "/" + poolID + "/" + jobID
}

// uploadBase returns the scheme and host of the upload URLs of a request
// sent to host (its Host header), or the service's error for a host that no
// URL can hold, such as "[::1" or "a%2Fb". preSignedURL cannot fail for a
// base it returns.
func uploadBase(host string) (string, *Error) {
	u, err := url.Parse("http://" + host)
	if host == "" || err != nil || u.Host != host || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", &Error{Code: "InvalidParameterException", Message: "The Host header '" + quote(host) +
			"' is not a valid host and port; the job's PreSignedUrl is made from it (cognitoimporttest)."}
	}
	return "http://" + host, nil
}

// preSignedURL returns the URL a job's file is uploaded to: shaped like the
// S3 pre-signed PUT URL the service hands out, valid for 15 minutes, signed
// with SigV4 over the host and the x-amz-server-side-encryption header, and
// pointing at the server (base is its scheme and host).
func (s *Server) preSignedURL(base string, j *job, now time.Time) string {
	req, err := http.NewRequest(http.MethodPut, base+uploadPath(j.UserPoolID, j.JobID), nil)
	if err != nil {
		panic("cognitoimporttest: upload URL: " + err.Error())
	}
	req.URL.RawQuery = "X-Amz-Expires=" + strconv.Itoa(int(URLExpires/time.Second))
	req.Header.Set("X-Amz-Server-Side-Encryption", "aws:kms")
	uri, _, err := signer.PresignHTTP(context.Background(), s.uploadCredentials(), req, "UNSIGNED-PAYLOAD", "s3", s.region, now)
	if err != nil {
		panic("cognitoimporttest: upload URL: " + err.Error())
	}
	return uri
}

// s3Error is an S3 error response.
type s3Error struct {
	status  int
	Code    string
	Message string
	// headersNotSigned, when not empty, is the HeadersNotSigned element of
	// an AccessDenied for headers the URL did not sign.
	headersNotSigned string
}

func (e *s3Error) Error() string { return e.Code + ": " + e.Message }

var (
	errSignature = &s3Error{http.StatusForbidden, "SignatureDoesNotMatch",
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.", ""}
	errExpired      = &s3Error{http.StatusForbidden, "AccessDenied", "Request has expired", ""}
	errAccessDenied = &s3Error{http.StatusForbidden, "AccessDenied", "Access Denied", ""}
	errNoLength     = &s3Error{http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.", ""}
	errTooLarge     = &s3Error{http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", ""}
	errIncomplete   = &s3Error{http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header", ""}
	// errUploadsFull refuses an upload past WithMaxUploadBytes.
	errUploadsFull = &s3Error{http.StatusServiceUnavailable, "SlowDown",
		"Please reduce your request rate. (cognitoimporttest: the server holds its limit of uploaded files, WithMaxUploadBytes; a job's file is released when the job ends or expires.)", ""}
	errNotAllowed    = &s3Error{http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.", ""}
	errQueryAuthMiss = &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError",
		"Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.", ""}
)

// errHeadersNotSigned is S3's refusal of a pre-signed request that carries
// x-amz-* headers its URL did not sign (S3 requires every x-amz-* header of a
// pre-signed request to be signed, except the few it computes itself; this
// server has none of those): 403 AccessDenied with a HeadersNotSigned
// element. The server lists the names in lower case, sorted, joined by ", ",
// and checks them after the signature: both its choice, not confirmed
// against S3.
func errHeadersNotSigned(names []string) *s3Error {
	for i, n := range names {
		names[i] = strings.ToLower(n)
	}
	return &s3Error{status: http.StatusForbidden, Code: "AccessDenied",
		Message:          "There were headers present in the request which were not signed",
		headersNotSigned: strings.Join(names, ", ")}
}

// isUpload reports whether r is for the upload bucket rather than the API.
func isUpload(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/"+uploadBucket+"/")
}

// serveUpload answers a PUT of a job's file to its pre-signed URL, as S3
// does: 200 with an empty body, or an XML error.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	requestID := newS3RequestID()
	h := w.Header()
	h.Set("X-Amz-Request-Id", requestID)
	h.Set("X-Amz-Id-2", base64.StdEncoding.EncodeToString([]byte(requestID+requestID)))
	now := s.now()
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	i, _ := opIndex(Upload)
	s.requests[i].Add(1)

	size, err := s.upload(r, now)
	call := Call{Operation: Upload, Time: now, Header: r.Header.Clone(), Size: size}
	if err == errDrop {
		call.Err = errDrop
		s.record(call)
		dropConnection(w)
		return
	}
	if err != nil {
		var e *s3Error
		if !errors.As(err, &e) {
			e = &s3Error{http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.", ""}
		}
		call.Err = &Error{Code: e.Code, Message: e.Message, StatusCode: e.status}
		s.record(call)
		body, _ := xml.Marshal(struct {
			XMLName          xml.Name `xml:"Error"`
			Code             string
			Message          string
			HeadersNotSigned string `xml:",omitempty"`
			RequestID        string `xml:"RequestId"`
		}{Code: e.Code, Message: e.Message, HeadersNotSigned: e.headersNotSigned, RequestID: requestID})
		body = append([]byte(xml.Header), body...)
		h.Set("Content-Type", "application/xml")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if e.status == http.StatusLengthRequired || e.status == http.StatusBadRequest || e == errUploadsFull {
			// The body was not read: do not let the connection be reused
			// with what is left of it.
			h.Set("Connection", "close")
		}
		w.WriteHeader(e.status)
		w.Write(body)
		return
	}
	s.record(call)
	h.Set("X-Amz-Server-Side-Encryption", "aws:kms")
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// upload stores the file r carries, and returns how many bytes of it it
// read, or the S3 error to answer with (errDrop: none).
func (s *Server) upload(r *http.Request, now time.Time) (int64, error) {
	if r.Method != http.MethodPut {
		return 0, errNotAllowed
	}
	q := r.URL.Query()
	if len(q) == 0 {
		return 0, errAccessDenied
	}
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if q.Get(k) == "" {
			return 0, errQueryAuthMiss
		}
	}
	signedAt, err := time.Parse(sigTimeFormat, q.Get("X-Amz-Date"))
	if err != nil {
		return 0, &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", ""}
	}
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || expires < 0 || expires > 604800 {
		return 0, &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds from 0 to 604800", ""}
	}
	if now.After(signedAt.Add(time.Duration(expires) * time.Second)) {
		return 0, errExpired
	}
	if !s.validUploadSignature(r, q, signedAt) {
		return 0, errSignature
	}
	if missing := unsignedHeaders(r.Header, strings.Split(q.Get("X-Amz-SignedHeaders"), ";")); len(missing) > 0 {
		return 0, errHeadersNotSigned(missing)
	}
	if f, ok := s.nextFault(Upload); ok {
		s.wait(r, f.delay)
		switch {
		case f.err == errDrop:
			return 0, errDrop
		case f.err != nil:
			return 0, &s3Error{uploadStatus(f.err), f.err.Code, f.err.Message, ""}
		}
	}
	if r.ContentLength < 0 {
		return 0, errNoLength
	}
	if r.ContentLength > MaxFileBytes {
		return 0, errTooLarge
	}

	j, err := s.uploadTarget(r.URL.Path, r.ContentLength, now)
	if err != nil {
		return 0, err
	}
	// One copy of the file, read outside the lock, growing as it arrives,
	// within the bound: memory is reserved for what arrives, chunk by
	// chunk, so that connections that announce a size and send nothing
	// hold none.
	s.uploadsReading.Add(1)
	data, reserved, err := readFile(r.Body, r.ContentLength, func(n int64) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		if n > s.maxUploadBytes()-s.uploads.held {
			return false
		}
		s.uploads.held += n
		return true
	})
	s.uploadsReading.Add(-1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uploads.held -= reserved
	switch {
	case err == errUploadsFull:
		return data.size, errUploadsFull
	case err != nil:
		return data.size, errIncomplete
	}
	s.refreshLocked(now)
	if j.Status != StatusCreated {
		return data.size, errAccessDenied
	}
	s.setFile(j, data)
	j.upload = true
	return data.size, nil
}

// uploadSpace accounts for the memory of uploaded files (see
// WithMaxUploadBytes).
type uploadSpace struct {
	max  int64 // 0: DefaultMaxUploadBytes
	held int64 // bytes of the jobs' files, and of the chunks of uploads being read
}

// DefaultMaxUploadBytes is how many bytes of uploaded files the server
// holds at most unless WithMaxUploadBytes says otherwise: 512 MiB, five
// files of the largest size.
const DefaultMaxUploadBytes = 512 << 20

// WithMaxUploadBytes bounds the memory the server gives uploaded files: the
// files of the jobs not yet ended, and what has arrived of the uploads being
// read, together hold at most n bytes (default DefaultMaxUploadBytes). An
// upload whose Content-Length does not fit in what is free is refused before
// it is read, and one that reaches the bound while it is read is refused
// then, both with S3's 503 SlowDown (the server's choice: S3 has no such
// bound), until jobs that hold files end or expire, which releases their
// files. Memory is taken as bytes arrive, 1 MiB at a time: a connection that
// announces a large upload and sends nothing holds none. It panics if n is
// not positive.
func WithMaxUploadBytes(n int64) Option {
	return func(s *Server) {
		if n <= 0 {
			s.misuse("WithMaxUploadBytes(%d): the bound must be positive", n)
		}
		s.uploads.max = n
	}
}

func (s *Server) maxUploadBytes() int64 {
	if s.uploads.max > 0 {
		return s.uploads.max
	}
	return DefaultMaxUploadBytes
}

// uploadStatus is the HTTP status of an upload fault: its StatusCode, or
// S3's status for its code.
func uploadStatus(e *Error) int {
	switch {
	case e.StatusCode != 0:
		return e.StatusCode
	case e.Code == "SlowDown" || e.Code == "ServiceUnavailable":
		return http.StatusServiceUnavailable
	case e.Code == "InternalError":
		return http.StatusInternalServerError
	}
	return e.status()
}

// uploadTarget returns the job an upload path names, and its state. It
// returns errAccessDenied if the job does not exist or no longer takes a
// file (it started, or expired), and errUploadsFull if size bytes do not
// fit in what the bound leaves free now (nothing is reserved: readFile
// reserves memory as the bytes arrive). A file uploaded again before the
// start replaces the first, as an S3 PUT does.
func (s *Server) uploadTarget(path string, size int64, now time.Time) (*job, error) {
	rest := strings.TrimPrefix(path, "/"+uploadBucket+"/"+accountID+"/")
	poolID, jobID, ok := strings.Cut(rest, "/")
	if !ok {
		return nil, errAccessDenied
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshLocked(now)
	_, j, e := s.lookupJob(poolID, jobID)
	if e != nil || j.Status != StatusCreated {
		return nil, errAccessDenied
	}
	if size > s.maxUploadBytes()-s.uploads.held {
		return nil, errUploadsFull
	}
	return j, nil
}

// validUploadSignature re-signs r with the upload credentials through the
// SDK's signer, over the headers the URL says it signed, and compares every
// query parameter with the URL's: the signature, and what it signs.
func (s *Server) validUploadSignature(r *http.Request, q url.Values, signedAt time.Time) bool {
	vreq := &http.Request{
		Method: r.Method,
		URL:    &url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath},
		Host:   r.Host,
		Header: make(http.Header),
	}
	vreq.URL.RawQuery = "X-Amz-Expires=" + url.QueryEscape(q.Get("X-Amz-Expires"))
	for _, name := range strings.Split(q.Get("X-Amz-SignedHeaders"), ";") {
		if name == "host" || name == "content-length" {
			continue
		}
		if vs := r.Header.Values(name); len(vs) > 0 {
			vreq.Header[textproto.CanonicalMIMEHeaderKey(name)] = vs
		}
	}
	uri, _, err := signer.PresignHTTP(context.Background(), s.uploadCredentials(), vreq, "UNSIGNED-PAYLOAD", "s3", s.region, signedAt)
	if err != nil {
		return false
	}
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	want := u.Query()
	if len(want) != len(q) {
		return false
	}
	for k, vs := range want {
		got := q[k]
		if len(got) != 1 || len(vs) != 1 {
			return false
		}
		if k == "X-Amz-Signature" {
			a, errA := hex.DecodeString(got[0])
			b, errB := hex.DecodeString(vs[0])
			if errA != nil || errB != nil || !hmac.Equal(a, b) {
				return false
			}
		} else if got[0] != vs[0] {
			return false
		}
	}
	return true
}

// newS3RequestID returns an ID shaped like S3's: 16 upper-case hex digits.
func newS3RequestID() string {
	id := strings.ToUpper(strings.ReplaceAll(newRequestID(), "-", ""))
	return id[:16]
}

// file is an uploaded file, kept as the chunks it was read in: memory grows
// with the bytes that arrive, not with what Content-Length announces, and
// there is never a second copy.
type file struct {
	chunks [][]byte
	size   int64
}

// fileChunk is the size of the chunks an upload is read in.
const fileChunk = 1 << 20

func newFile(b []byte) *file { return &file{chunks: [][]byte{b}, size: int64(len(b))} }

// readFile reads exactly n bytes of r. Before it allocates each chunk, once
// the chunk's first bytes have arrived, it calls reserve with the chunk's
// size, and stops with errUploadsFull if reserve refuses: memory is given to
// bytes that arrive, never to what Content-Length announces. It returns how
// many bytes it reserved, which the caller gives back, and on a short read
// what it read and the error.
func readFile(r io.Reader, n int64, reserve func(int64) bool) (f *file, reserved int64, err error) {
	f = &file{}
	var first [1]byte
	for f.size < n {
		// Wait for the chunk's first byte before taking memory for it.
		if _, err := io.ReadFull(r, first[:]); err != nil {
			return f, reserved, err
		}
		size := min(n-f.size, fileChunk)
		if !reserve(size) {
			return f, reserved, errUploadsFull
		}
		reserved += size
		chunk := make([]byte, size)
		chunk[0] = first[0]
		k, err := io.ReadFull(r, chunk[1:])
		f.size += int64(k) + 1
		if err != nil {
			return f, reserved, err
		}
		f.chunks = append(f.chunks, chunk)
	}
	return f, reserved, nil
}

func (f *file) reader() io.Reader {
	rs := make([]io.Reader, len(f.chunks))
	for i, c := range f.chunks {
		rs[i] = bytes.NewReader(c)
	}
	return io.MultiReader(rs...)
}

// lines returns the number of lines: line feeds, and one more when the last
// line has none.
func (f *file) lines() int {
	n := 0
	for _, c := range f.chunks {
		n += bytes.Count(c, []byte{'\n'})
	}
	if f.size > 0 {
		last := f.chunks[len(f.chunks)-1]
		if last[len(last)-1] != '\n' {
			n++
		}
	}
	return n
}

// setFile makes f j's file, in place of the one it had. s.mu must be held.
func (s *Server) setFile(j *job, f *file) {
	s.dropFile(j)
	j.data = f
	s.uploads.held += f.size
}

// dropFile releases j's file: it is not needed once the job ended or
// expired. s.mu must be held.
func (s *Server) dropFile(j *job) {
	if j.data != nil {
		s.uploads.held -= j.data.size
		j.data = nil
	}
}
