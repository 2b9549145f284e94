package cognitoimport_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
)

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
