package cognitoimporttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// FuzzHandler sends the server any body and target, signed or not, with any
// Content-Type, over HTTP: every answer must be a well-formed AWS JSON
// response (a 200 with a JSON object, or an error with __type equal to
// x-amzn-ErrorType), within seconds: never a panic, a broken or a hung
// connection.
func FuzzHandler(f *testing.F) {
	for _, seed := range []struct {
		target, body string
		signed       bool
	}{
		{targetList, `{"UserPoolId":"us-east-1_TestPool1","MaxResults":10}`, true},
		{targetList, `{"UserPoolId":"us-east-1_TestPool1","MaxResults":10,"PaginationToken":"AAAA"}`, true},
		{targetCreate, `{"UserPoolId":"us-east-1_TestPool1","JobName":"j","CloudWatchLogsRoleArn":"arn:aws:iam::123456789012:role/x"}`, true},
		{targetCreate, `{"UserPoolId":5,"JobName":null}`, true},
		{targetList, `{"MaxResults":1e400}`, true},
		{targetList, `[]`, true},
		{targetList, `{"a":{"b":[1,2,{"c":"\ud800"}]}}`, true},
		{targetList, "", true},
		{targetPrefix + "DeleteUserPool", `{}`, true},
		{"", `{}`, false},
		{targetList, `{"UserPoolId":"us-east-1_TestPool1","MaxResults":60}`, false},
	} {
		f.Add(seed.target, []byte(seed.body), seed.signed, "application/x-amz-json-1.1")
	}
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool))
	defer srv.Close()
	srv.SeedJobs(testPool, 100)
	client := srv.Config().HTTPClient

	f.Fuzz(func(t *testing.T, target string, body []byte, signed bool, contentType string) {
		rr := rawRequest{Target: target, Body: bytes.NewReader(body), Unsigned: !signed,
			Header: http.Header{"Content-Type": {contentType}}}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req := buildRaw(t, srv, rr).WithContext(ctx)
		resp, err := client.Do(req)
		if err != nil {
			if strings.Contains(err.Error(), "invalid header") {
				t.Skip("net/http does not send this header")
			}
			t.Fatalf("request failed: %v", err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(resp.Body); err != nil {
			t.Fatalf("reading the response: %v", err)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(buf.Bytes(), &obj); err != nil {
			t.Fatalf("status %d: body %q is not a JSON object", resp.StatusCode, buf.Bytes())
		}
		if resp.Header.Get("X-Amzn-RequestId") == "" {
			t.Error("no x-amzn-RequestId")
		}
		if resp.StatusCode == http.StatusOK {
			if resp.Header.Get("X-Amzn-ErrorType") != "" {
				t.Error("a 200 with x-amzn-ErrorType")
			}
			return
		}
		var typ string
		if err := json.Unmarshal(obj["__type"], &typ); err != nil || typ == "" {
			t.Fatalf("status %d: no __type in %s", resp.StatusCode, buf.Bytes())
		}
		if h := resp.Header.Get("X-Amzn-ErrorType"); h != typ {
			t.Errorf("x-amzn-ErrorType %q, __type %q", h, typ)
		}
		switch resp.StatusCode {
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusInternalServerError:
		default:
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}
