package cognitoimporttest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestUnknownOperation(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	tests := []struct {
		name   string
		rr     rawRequest
		status int
		code   string
	}{
		{"another operation", newRaw(targetPrefix+"AdminGetUser", `{}`), 400, "UnknownOperationException"},
		{"operation name in lower case", newRaw(targetPrefix+"listUserImportJobs", `{}`), 400, "UnknownOperationException"},
		{"another service", newRaw("DynamoDB_20120810.ListUserImportJobs", `{}`), 400, "UnknownOperationException"},
		{"no prefix", newRaw("ListUserImportJobs", `{}`), 400, "UnknownOperationException"},
		{"no target", newRaw("", `{}`), 400, "UnknownOperationException"},
		{"GET", rawRequest{Method: http.MethodGet, Target: targetList}, 400, "UnknownOperationException"},
		// Authentication comes first.
		{"unsigned", rawRequest{Target: targetPrefix + "DescribeUserImportJob", Body: strings.NewReader(`{}`), Unsigned: true}, 400, "MissingAuthenticationTokenException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The real service sends UnknownOperationException without a
			// message: {"__type":"UnknownOperationException"}
			// (aws/aws-sdk-net#1536). The test server says what it
			// implements instead, so that a user who calls an operation it
			// lacks learns that it is the server's limit, not their mistake.
			msg := checkErrorMessage(t, send(t, srv, tt.rr), tt.status, tt.code)
			if tt.code != "UnknownOperationException" {
				return
			}
			for _, op := range []cognitoimporttest.Operation{cognitoimporttest.CreateUserImportJob, cognitoimporttest.ListUserImportJobs} {
				if !strings.Contains(msg, string(op)) {
					t.Errorf("message %q does not name %s", msg, op)
				}
			}
			if tt.rr.Target != "" && !strings.Contains(msg, "'"+tt.rr.Target+"'") {
				t.Errorf("message %q does not quote the target %q", msg, tt.rr.Target)
			}
		})
	}

	// A huge target is quoted in part.
	rr := newRaw(targetPrefix+strings.Repeat("X", 32<<10), `{}`)
	resp := send(t, srv, rr)
	checkErrorMessage(t, resp, 400, "UnknownOperationException")
	if len(resp.Body) > 1024 {
		t.Errorf("the answer to a target of 32 KiB has %d bytes", len(resp.Body))
	}
}

func TestMalformedBodies(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	const ser, inv = "SerializationException", "InvalidParameterException"
	tests := []struct {
		name, target, body, code string
		msg                      string // the start of the message, if checked
	}{
		{"array", targetList, `[]`, ser, ""},
		{"string", targetList, `"x"`, ser, ""},
		{"number", targetList, `5`, ser, ""},
		{"null", targetList, `null`, ser, ""},
		{"unterminated", targetList, `{`, ser, ""},
		{"trailing garbage", targetList, `{"UserPoolId":"` + testPool + `","MaxResults":1}x`, ser, ""},
		{"two objects", targetList, `{}{}`, ser, ""},
		{"empty", targetList, ``, ser, ""},
		{"whitespace", targetList, " \n ", ser, ""},
		{"create array", targetCreate, `[{"UserPoolId":"` + testPool + `"}]`, ser, ""},
		{"MaxResults string", targetList, `{"UserPoolId":"` + testPool + `","MaxResults":"10"}`, ser, "STRING_VALUE can not be converted to an Integer"},
		{"MaxResults fraction", targetList, `{"UserPoolId":"` + testPool + `","MaxResults":10.5}`, ser, ""},
		{"MaxResults beyond int32", targetList, `{"UserPoolId":"` + testPool + `","MaxResults":4294967296}`, ser, ""},
		{"MaxResults bool", targetList, `{"UserPoolId":"` + testPool + `","MaxResults":true}`, ser, ""},
		{"UserPoolId number", targetList, `{"UserPoolId":5,"MaxResults":10}`, ser, "NUMBER_VALUE can not be converted to a String"},
		{"UserPoolId number in spaces", targetList, `{ "UserPoolId" : 5 , "MaxResults" : 10 }`, ser, "NUMBER_VALUE can not be converted to a String"},
		{"UserPoolId object", targetList, `{"UserPoolId":{},"MaxResults":10}`, ser, ""},
		{"PaginationToken array", targetList, `{"UserPoolId":"` + testPool + `","MaxResults":10,"PaginationToken":["a"]}`, ser, ""},
		{"JobName number", targetCreate, `{"UserPoolId":"` + testPool + `","JobName":1,"CloudWatchLogsRoleArn":"` + testRoleARN + `"}`, ser, ""},
		// Member names are case-sensitive: "userpoolid" is an unknown
		// member, ignored, and UserPoolId is missing.
		{"lower-case member", targetList, `{"userpoolid":"` + testPool + `","MaxResults":10}`, inv, ""},
		{"lower camel-case member", targetList, `{"userPoolId":"` + testPool + `","MaxResults":10}`, inv, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := checkErrorMessage(t, send(t, srv, newRaw(tt.target, tt.body)), 400, tt.code)
			if !strings.HasPrefix(msg, tt.msg) {
				t.Errorf("message = %q, want it to begin %q", msg, tt.msg)
			}
			if tt.code == inv && msg != report(null("userPoolId")) {
				t.Errorf("message = %q, want %q", msg, report(null("userPoolId")))
			}
		})
	}
	if n := len(srv.Jobs(testPool)); n != 0 {
		t.Errorf("malformed requests created %d jobs", n)
	}
}

func TestUnknownMembersIgnored(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	resp := send(t, srv, newRaw(targetCreate, `{"UserPoolId":"`+testPool+`","JobName":"j","CloudWatchLogsRoleArn":"`+testRoleARN+`",`+
		`"Extra":{"nested":[1,2,null]},"jobname":"ignored","Status":"Succeeded"}`))
	checkOK(t, resp)
	jobs := srv.Jobs(testPool)
	if len(jobs) != 1 || jobs[0].JobName != "j" || jobs[0].Status != "Created" {
		t.Errorf("jobs = %+v, want one job named j in status Created", jobs)
	}
	resp = send(t, srv, newRaw(targetList, `{"MaxResults":10,"UserPoolId":"`+testPool+`","Unknown":true,"maxresults":"x"}`))
	checkOK(t, resp)
	if !bytes.Contains(resp.Body, []byte(jobs[0].JobID)) {
		t.Errorf("list body %s lacks job %s", resp.Body, jobs[0].JobID)
	}
}

// newOversized returns a body one byte over MaxBodyBytes, of known length.
func newOversized() *bytes.Reader {
	return bytes.NewReader(bytes.Repeat([]byte{' '}, cognitoimporttest.MaxBodyBytes+1))
}

// TestBodyLimit: a body of MaxBodyBytes is read, one byte more is refused
// with 413, whether the length is declared or not.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))

	// A list request padded with spaces to exactly MaxBodyBytes.
	req := `{"UserPoolId":"` + testPool + `","MaxResults":10}`
	atLimit := req + strings.Repeat(" ", cognitoimporttest.MaxBodyBytes-len(req))
	checkOK(t, send(t, srv, newRaw(targetList, atLimit)))

	overLimit := atLimit + " "
	for _, rr := range []rawRequest{
		newRaw(targetList, overLimit),
		{Target: targetList, Body: io.MultiReader(strings.NewReader(overLimit)), ContentLength: -1}, // chunked
		{Target: targetList, Body: newOversized(), Unsigned: true},                                  // refused before authentication
	} {
		checkErrorMessage(t, send(t, srv, rr), http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException")
	}
	if got := len(srv.Jobs(testPool)); got != 0 {
		t.Errorf("%d jobs", got)
	}
}

// endless is a request body that never ends; it counts the bytes read
// from it and ends with an error once stopped.
type endless struct {
	read    atomic.Int64
	stopped chan struct{}
}

func (e *endless) Read(p []byte) (int, error) {
	select {
	case <-e.stopped:
		return 0, errors.New("stopped")
	default:
	}
	for i := range p {
		p[i] = ' '
	}
	e.read.Add(int64(len(p)))
	return len(p), nil
}

// TestBodyLimitUnread: the server refuses an oversized body without
// waiting for all of it. The bodies here never end, so a server that
// waited for the end would never answer. It still serves afterwards.
func TestBodyLimitUnread(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	tests := []struct {
		name          string
		contentLength int64
	}{
		{"declared length of 1 GiB", 1 << 30},
		{"chunked", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &endless{stopped: make(chan struct{})}
			t.Cleanup(func() { close(body.stopped) })
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			req := buildRaw(t, srv, rawRequest{Target: targetList, Body: body, ContentLength: tt.contentLength, Unsigned: true}).WithContext(ctx)
			resp, err := srv.Config().HTTPClient.Do(req)
			if err != nil {
				t.Fatalf("sending: %v", err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			checkErrorMessage(t, rawResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException")
			if n := body.read.Load(); n >= 1<<30 {
				t.Errorf("the client sent %d bytes before the answer", n)
			}
		})
	}
	_, err := listPage(context.Background(), newClient(srv), testPool, 10, nil)
	if err != nil {
		t.Errorf("the server no longer serves: %v", err)
	}
	if got := srv.Requests(cognitoimporttest.ListUserImportJobs); got != 3 {
		t.Errorf("Requests = %d, want 3", got)
	}
}

// TestRequestID: every response carries a fresh x-amzn-RequestId, which the
// SDK reports on success and on error.
func TestRequestID(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)

	seen := make(map[string]bool)
	for range 3 {
		out, err := listPage(context.Background(), client, testPool, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		if !ok || !requestIDPattern.MatchString(id) {
			t.Errorf("request ID = %q, %v; want a UUID", id, ok)
		}
		if seen[id] {
			t.Errorf("request ID %s repeated", id)
		}
		seen[id] = true
	}

	_, err := listPage(context.Background(), client, "us-east-1_Nowhere", 10, nil)
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("got %v, want ResourceNotFoundException", err)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || !requestIDPattern.MatchString(re.ServiceRequestID()) {
		t.Errorf("error %v carries no request ID", err)
	}

	// Raw: on a success, a service error and an authentication error.
	for _, rr := range []rawRequest{
		newRaw(targetList, `{"UserPoolId":"`+testPool+`","MaxResults":1}`),
		newRaw(targetList, `{"UserPoolId":"abc","MaxResults":1}`),
		{Target: targetList, Unsigned: true},
	} {
		resp := send(t, srv, rr)
		if id := resp.Header.Get("x-amzn-RequestId"); !requestIDPattern.MatchString(id) {
			t.Errorf("status %d: x-amzn-RequestId = %q, want a UUID", resp.Status, id)
		}
	}
}
