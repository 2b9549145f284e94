package cognitoimporttest

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// uploadPathPrefix is where the PreSignedURL of a job points: ServeHTTP
// sends every request under it to serveUpload.
const uploadPathPrefix = "/_upload/"

// serveUpload answers a request to a job's PreSignedURL.
//
// PLACEHOLDER, to be replaced by the upload handler of issue 8 (which then
// deletes this file's serveUpload): the server does not accept uploads yet,
// and says so as S3 says it of an operation it does not implement, so that
// the answer does not read as the caller's signing mistake.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	writeS3Error(w, http.StatusNotImplemented, "NotImplemented",
		"This test server (cognitoimporttest) does not accept uploads to a job's PreSignedUrl yet.")
}

// writeS3Error writes an error as S3 does: an XML document with the code,
// the message and a request ID, also sent as x-amz-request-id.
func writeS3Error(w http.ResponseWriter, status int, code, message string) {
	id := newRequestID()
	body, _ := xml.Marshal(struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}{Code: code, Message: message, RequestID: id})
	body = append([]byte(xml.Header), body...)
	h := w.Header()
	h.Set("X-Amz-Request-Id", id)
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
