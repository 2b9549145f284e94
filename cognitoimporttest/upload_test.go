package cognitoimporttest_test

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestUpload(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	raw := aws.ToString(job.PreSignedUrl)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("X-Amz-Expires") != "899" || q.Get("X-Amz-SignedHeaders") != "host;x-amz-server-side-encryption" ||
		q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-Security-Token") == "" || q.Get("X-Amz-Signature") == "" ||
		!strings.HasSuffix(u.Path, "/"+testPool+"/"+aws.ToString(job.JobId)) || u.Host != strings.TrimPrefix(e.srv.URL, "http://") {
		t.Errorf("URL = %s", raw)
	}

	checkS3Error(t, putFile(t, raw, sampleFile, nil), 403, "SignatureDoesNotMatch", "")
	checkS3Error(t, putFile(t, raw, sampleFile, http.Header{"X-Amz-Server-Side-Encryption": {"AES256"}}), 403, "SignatureDoesNotMatch", "")
	tampered := strings.Replace(raw, "X-Amz-Signature=", "X-Amz-Signature=0", 1)
	checkS3Error(t, putFile(t, tampered, sampleFile, sseHeader), 403, "SignatureDoesNotMatch", "")
	other := strings.Replace(raw, aws.ToString(job.JobId), "import-Other12345", 1)
	checkS3Error(t, putFile(t, other, sampleFile, sseHeader), 403, "SignatureDoesNotMatch", "")
	longer := strings.Replace(raw, "X-Amz-Expires=899", "X-Amz-Expires=3600", 1)
	checkS3Error(t, putFile(t, longer, sampleFile, sseHeader), 403, "SignatureDoesNotMatch", "")

	// Chunked: no Content-Length.
	req, _ := http.NewRequest(http.MethodPut, raw, io.MultiReader(strings.NewReader(sampleFile)))
	req.Header = sseHeader.Clone()
	checkS3Error(t, doS3(t, req), 411, "MissingContentLength", "")

	// Too large: refused from its Content-Length, before it is read.
	req, _ = http.NewRequest(http.MethodPut, raw, io.LimitReader(zeros{}, cognitoimporttest.MaxFileBytes+1))
	req.ContentLength = cognitoimporttest.MaxFileBytes + 1
	req.Header = sseHeader.Clone()
	checkS3Error(t, doS3(t, req), 400, "EntityTooLarge", "")

	// The documented command's request succeeds; a second one replaces
	// the first before the start.
	resp := putFile(t, raw, "replaced", sseHeader)
	if resp.status != 200 || len(resp.body) != 0 || resp.header.Get("X-Amz-Server-Side-Encryption") != "aws:kms" {
		t.Errorf("upload: %d %q %v", resp.status, resp.body, resp.header)
	}
	e.mustUpload(job, sampleFile)
	if _, err := e.start(testPool, aws.ToString(job.JobId)); err != nil {
		t.Fatal(err)
	}
	checkS3Error(t, putFile(t, raw, sampleFile, sseHeader), 403, "AccessDenied", "Access Denied")
	e.clock.Advance(time.Second)
	if j := e.describe(testPool, aws.ToString(job.JobId)); j.ImportedUsers != 2 {
		t.Errorf("the second upload did not replace the first: %d imported", j.ImportedUsers)
	}

	// Expired by the server's clock.
	late := e.create(testPool)
	e.clock.Advance(900 * time.Second)
	checkS3Error(t, putFile(t, aws.ToString(late.PreSignedUrl), sampleFile, sseHeader), 403, "AccessDenied", "Request has expired")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestUploadMalformed: requests under the upload path that are not a
// pre-signed PUT get S3's answers.
func TestUploadMalformed(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	raw := aws.ToString(job.PreSignedUrl)
	u, _ := url.Parse(raw)

	req, _ := http.NewRequest(http.MethodGet, raw, nil)
	checkS3Error(t, doS3(t, req), 405, "MethodNotAllowed", "")

	bare := *u
	bare.RawQuery = ""
	checkS3Error(t, putFile(t, bare.String(), sampleFile, sseHeader), 403, "AccessDenied", "Access Denied")

	q := u.Query()
	q.Del("X-Amz-Credential")
	partial := *u
	partial.RawQuery = q.Encode()
	checkS3Error(t, putFile(t, partial.String(), sampleFile, sseHeader), 400, "AuthorizationQueryParametersError", "")

	// A body shorter than its Content-Length: the client stops sending.
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nx-amz-server-side-encryption: aws:kms\r\nContent-Length: 100\r\n\r\nshort", u.RequestURI(), u.Host)
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("short body: status %d", resp.StatusCode)
	}
	if calls := e.srv.Calls(cognitoimporttest.Upload); len(calls) != 4 || calls[3].Err == nil || calls[3].Err.Code != "IncompleteBody" || calls[3].Size != 5 {
		t.Errorf("short body recorded as %+v", calls[len(calls)-1])
	}
	// Nothing was stored: the job cannot start.
	_, err = e.start(testPool, aws.ToString(job.JobId))
	apiError(t, err, "PreconditionNotMetException")
}

// TestUploadInChunks: a file larger than the chunks the server reads an
// upload in is kept whole: every row of a 3 MB file is imported. The rows
// are long (10,000-character addresses), so that 3 MB is 320 users, and
// rows straddle the chunks' edges; 25,000 short rows took a second under
// the race detector in every run.
func TestUploadInChunks(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	h := e.header(testPool)
	var b strings.Builder
	b.WriteString(strings.Join(h, ",") + "\n")
	const n = 320
	address := strings.Repeat("a", 10_000)
	for i := range n {
		b.WriteString(usersLine(h, with(validUser(fmt.Sprintf("user%05d", i)), "address", address)) + "\n")
	}
	if b.Len() < 3<<20 {
		t.Fatalf("the file has %d bytes, want over 3 MiB", b.Len())
	}
	j, log := e.runImport(testPool, b.String())
	if j.ImportedUsers != n || len(log) != n || log[n-1] != fmt.Sprintf("[SUCCEEDED] Line Number %d - The import succeeded.", n+1) {
		t.Errorf("%s: %d imported, last log line %q", j.Status, j.ImportedUsers, log[len(log)-1])
	}
}

// TestUploadUnsignedHeaders: S3 refuses a pre-signed request that carries
// x-amz-* headers its URL did not sign, naming them, so a URL cannot be used
// to store the file with another ACL, key or metadata.
func TestUploadUnsignedHeaders(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	raw := aws.ToString(job.PreSignedUrl)
	for _, tc := range []struct {
		name   string
		header http.Header
		want   string
	}{
		{"acl", http.Header{"X-Amz-Acl": {"public-read"}}, "x-amz-acl"},
		{"kms key", http.Header{"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id": {"arn:aws:kms:us-east-1:111122223333:key/x"}}, "x-amz-server-side-encryption-aws-kms-key-id"},
		{"metadata", http.Header{"X-Amz-Meta-A": {"b"}}, "x-amz-meta-a"},
		{"two", http.Header{"X-Amz-Meta-B": {"b"}, "X-Amz-Acl": {"private"}}, "x-amz-acl, x-amz-meta-b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := sseHeader.Clone()
			for k, vs := range tc.header {
				h[k] = vs
			}
			resp := putFile(t, raw, sampleFile, h)
			checkS3Error(t, resp, http.StatusForbidden, "AccessDenied", "There were headers present in the request which were not signed")
			var body struct {
				HeadersNotSigned string
			}
			if err := xml.Unmarshal(resp.body, &body); err != nil || body.HeadersNotSigned != tc.want {
				t.Errorf("HeadersNotSigned = %q (%v), want %q", body.HeadersNotSigned, err, tc.want)
			}
		})
	}
	// A URL scoped to another region is refused, as its signature is.
	other := strings.Replace(raw, "%2Fus-east-1%2Fs3%2F", "%2Feu-west-1%2Fs3%2F", 1)
	if other == raw {
		t.Fatalf("no region in the URL's credential: %s", raw)
	}
	checkS3Error(t, putFile(t, other, sampleFile, sseHeader), http.StatusForbidden, "SignatureDoesNotMatch", "")

	// Headers S3 does not ask to be signed still pass.
	if resp := putFile(t, raw, sampleFile, http.Header{"X-Amz-Server-Side-Encryption": {"aws:kms"}, "Content-Type": {"text/csv"}}); resp.status != http.StatusOK {
		t.Errorf("upload with Content-Type: %d %s", resp.status, resp.body)
	}
}

// TestUploadBytesBound: the server holds at most WithMaxUploadBytes bytes of
// uploaded files; past it an upload gets 503 SlowDown, and a file is
// released once its job ends or expires.
func TestUploadBytesBound(t *testing.T) {
	t.Parallel()
	size := int64(len(sampleFile))
	e := newImportEnv(t, cognitoimporttest.WithMaxUploadBytes(2*size))
	a, b, c := e.create(testPool), e.create(testPool), e.create(testPool)
	e.mustUpload(a, sampleFile)
	e.mustUpload(b, sampleFile)
	full := putFile(t, aws.ToString(c.PreSignedUrl), sampleFile, sseHeader)
	checkS3Error(t, full, http.StatusServiceUnavailable, "SlowDown", "")
	if !strings.Contains(string(full.body), "WithMaxUploadBytes") {
		t.Errorf("the refusal does not say what bounds it: %s", full.body)
	}

	// a runs to its end: its file is released.
	if _, err := e.start(testPool, aws.ToString(a.JobId)); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if j := e.describe(testPool, aws.ToString(a.JobId)); j.Status != "Succeeded" {
		t.Fatalf("job a is %s", j.Status)
	}
	e.mustUpload(c, sampleFile)

	// b and c expire: their files are released.
	e.clock.Advance(cognitoimporttest.ExpireAfter)
	d, f := e.create(testPool), e.create(testPool)
	e.mustUpload(d, sampleFile)
	e.mustUpload(f, sampleFile)
}

// TestUploadStalledConnections: connections that announce an upload and
// send nothing hold no upload memory. Five that announced 1 MiB each made
// every other upload fail with 503 SlowDown (the server reserved what
// Content-Length announced) until the request timeout closed them.
func TestUploadStalledConnections(t *testing.T) {
	t.Parallel()
	const announced = 1 << 20
	e := newImportEnv(t, cognitoimporttest.WithMaxUploadBytes(5*announced+announced/2))
	for range 5 {
		u, err := url.Parse(aws.ToString(e.create(testPool).PreSignedUrl))
		if err != nil {
			t.Fatal(err)
		}
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nX-Amz-Server-Side-Encryption: aws:kms\r\nContent-Length: %d\r\n\r\n", u.RequestURI(), u.Host, announced)
	}
	for e.srv.UploadsReading() < 5 {
		runtime.Gosched() // the five reach the read of their bodies
	}
	file := strings.Replace(sampleFile, "123 Any Street", strings.Repeat("x", announced/2), 1)
	e.mustUpload(e.create(testPool), file)
}
