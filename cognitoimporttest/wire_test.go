package cognitoimporttest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestRecordedResponses compares the server's answers with what the live
// service was recorded answering (../shared/WIRE.md: messages users quoted,
// the error shapes of the API reference). The expected texts are copied
// literally, not built from internal/constraint, which the server's
// validation itself uses: a wrong rule or phrase in that table would be
// invisible to a test built from it.
func TestRecordedResponses(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	creds := srv.Credentials()
	wrongKey := aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: creds.SecretAccessKey}
	wrongSecret := aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: "not the secret"}
	list := func(body string) rawRequest { return newRaw(targetList, body) }
	withCreds := func(rr rawRequest, c aws.Credentials) rawRequest { rr.Creds = &c; return rr }
	unsigned := func(rr rawRequest) rawRequest { rr.Unsigned = true; return rr }
	const validList = `{"UserPoolId":"` + testPool + `","MaxResults":10}`

	tests := []struct {
		name   string
		rr     rawRequest
		status int
		code   string
		// body is the whole body the service sent, when it was recorded;
		// message its message otherwise.
		body, message string
	}{
		// WIRE.md quotes this report for the value 'YOUR_USER_POOL_ID',
		// which the documented pattern matches ("YOUR_USER_POOL" "_" "ID",
		// in Java as in Go): the recorded quote cannot be reproduced as it
		// stands (the user may have edited the value), so its text is
		// checked with a value that breaks the pattern.
		{
			name:    "pool ID without an underscore",
			rr:      list(`{"UserPoolId":"YOUR-USER-POOL-ID","MaxResults":10}`),
			status:  400,
			code:    "InvalidParameterException",
			message: `1 validation error detected: Value 'YOUR-USER-POOL-ID' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`,
		},
		{
			name:    "MaxResults missing",
			rr:      list(`{"UserPoolId":"` + testPool + `"}`),
			status:  400,
			code:    "InvalidParameterException",
			message: `1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null`,
		},
		{
			name:    "MaxResults 61",
			rr:      list(`{"UserPoolId":"` + testPool + `","MaxResults":61}`),
			status:  400,
			code:    "InvalidParameterException",
			message: `1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60`,
		},
		{
			name:    "MaxResults 0",
			rr:      list(`{"UserPoolId":"` + testPool + `","MaxResults":0}`),
			status:  400,
			code:    "InvalidParameterException",
			message: `1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`,
		},
		{
			name:    "job name of 129 characters",
			rr:      newRaw(targetCreate, `{"UserPoolId":"`+testPool+`","JobName":"`+repeat("j", 129)+`","CloudWatchLogsRoleArn":"`+testRoleARN+`"}`),
			status:  400,
			code:    "InvalidParameterException",
			message: `1 validation error detected: Value '` + repeat("j", 129) + `' at 'jobName' failed to satisfy constraint: Member must have length less than or equal to 128`,
		},
		{
			name:    "two violations, joined with '; '",
			rr:      newRaw(targetCreate, `{"UserPoolId":"`+testPool+`","JobName":"","CloudWatchLogsRoleArn":"`+testRoleARN+`"}`),
			status:  400,
			code:    "InvalidParameterException",
			message: `2 validation errors detected: Value '' at 'jobName' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`,
		},
		{
			name:   "unknown access key",
			rr:     withCreds(list(validList), wrongKey),
			status: 400,
			code:   "UnrecognizedClientException",
			body:   `{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}`,
		},
		{
			name:    "wrong secret",
			rr:      withCreds(list(validList), wrongSecret),
			status:  400,
			code:    "InvalidSignatureException",
			message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
		},
		{
			name:    "no Authorization",
			rr:      unsigned(list(validList)),
			status:  400,
			code:    "MissingAuthenticationTokenException",
			message: "Missing Authentication Token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := send(t, srv, tt.rr)
			msg := checkErrorMessage(t, resp, tt.status, tt.code) // status, x-amzn-ErrorType, __type, request ID
			if tt.body != "" && string(resp.Body) != tt.body {
				t.Errorf("body\n got %s\nwant %s", resp.Body, tt.body)
			}
			if tt.message != "" && msg != tt.message {
				t.Errorf("message\n got %q\nwant %q", msg, tt.message)
			}
			// The body holds __type and message, and reasonCode only when
			// set: nothing else.
			var m map[string]json.RawMessage
			if err := json.Unmarshal(resp.Body, &m); err != nil {
				t.Fatal(err)
			}
			for k := range m {
				if k != "__type" && k != "message" {
					t.Errorf("error body has member %q: %s", k, resp.Body)
				}
			}
		})
	}

	// InternalErrorException is the one error sent with HTTP 500.
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "InternalErrorException", Message: "Internal error."}, 1)
	resp := send(t, srv, list(validList))
	checkErrorMessage(t, resp, http.StatusInternalServerError, "InternalErrorException")
}
