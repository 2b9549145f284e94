package cognitoimporttest_test

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

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
