package cognitoimporttest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestResignKnownAnswers checks resign against examples of AWS's SigV4 test
// suite (aws-sig-v4-test-suite: get-vanilla,
// get-vanilla-query-order-key-case, post-vanilla), whose signatures AWS
// published: the server's verification does not merely agree with the
// client the tests sign with, which is the same SDK.
func TestResignKnownAnswers(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	tests := []struct {
		name, method, query, want string
	}{
		{"get-vanilla", "GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"get-vanilla-query-order-key-case", "GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
		{"post-vanilla", "POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{
				Method: tt.method,
				URL:    &url.URL{Path: "/", RawQuery: tt.query},
				Host:   "example.amazonaws.com",
				Header: http.Header{"X-Amz-Date": {"20150830T123600Z"}},
			}
			headers, sig, err := resign(r, []string{"host", "x-amz-date"}, nil, creds, "service", "us-east-1", at)
			if err != nil {
				t.Fatal(err)
			}
			if headers != "host;x-amz-date" || sig != tt.want {
				t.Errorf("resign = %s, %s; want host;x-amz-date, %s", headers, sig, tt.want)
			}
		})
	}
}
