package cognitoimporttest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

const (
	msgMissingToken = "Missing Authentication Token"
	msgUnrecognized = "The security token included in the request is invalid."
	msgBadSignature = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// TestAuthRaw sends hand-signed requests with one thing wrong each. The
// server's clock stands still, so that the times of signatures are exact.
func TestAuthRaw(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(nowFunc(func() time.Time { return now })))
	creds := srv.Credentials()
	wrongKey := aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: creds.SecretAccessKey}
	wrongSecret := aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: "not the secret"}
	withToken := aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: "unexpected"}
	body := `{"UserPoolId":"` + testPool + `","MaxResults":10}`
	signed := func(mod func(*rawRequest)) rawRequest {
		rr := newRaw(targetList, body)
		rr.SignedAt = now
		mod(&rr)
		return rr
	}

	tests := []struct {
		name string
		rr   rawRequest
		code string
		msg  string // the exact message, or a prefix ending in "..."
	}{
		{"valid", signed(func(*rawRequest) {}), "", ""},
		{"signed 14 minutes ago", signed(func(rr *rawRequest) { rr.SignedAt = now.Add(-14 * time.Minute) }), "", ""},
		{"signed 14 minutes ahead", signed(func(rr *rawRequest) { rr.SignedAt = now.Add(14 * time.Minute) }), "", ""},

		{"no Authorization", signed(func(rr *rawRequest) { rr.Unsigned = true }), "MissingAuthenticationTokenException", msgMissingToken},
		{"unknown access key", signed(func(rr *rawRequest) { rr.Creds = &wrongKey }), "UnrecognizedClientException", msgUnrecognized},
		{"another region", signed(func(rr *rawRequest) { rr.Region = "eu-west-1" }), "InvalidSignatureException",
			"Credential should be scoped to a valid region, not 'eu-west-1'. "},
		{"wrong secret", signed(func(rr *rawRequest) { rr.Creds = &wrongSecret }), "InvalidSignatureException", msgBadSignature},
		{"unexpected session token", signed(func(rr *rawRequest) { rr.Creds = &withToken }), "UnrecognizedClientException", msgUnrecognized},
		{"body tampered after signing", signed(func(rr *rawRequest) {
			rr.Tamper = func(r *http.Request) { setBody(r, strings.Replace(body, `10`, `11`, 1)) }
		}), "InvalidSignatureException", msgBadSignature},
		{"target tampered after signing", signed(func(rr *rawRequest) {
			rr.Tamper = func(r *http.Request) { r.Header.Set("X-Amz-Target", targetCreate) }
		}), "InvalidSignatureException", msgBadSignature},
		{"signature tampered", signed(func(rr *rawRequest) {
			rr.Tamper = func(r *http.Request) {
				a := r.Header.Get("Authorization")
				last := "0"
				if a[len(a)-1] == '0' {
					last = "1"
				}
				r.Header.Set("Authorization", a[:len(a)-1]+last)
			}
		}), "InvalidSignatureException", msgBadSignature},
		{"signed 16 minutes ago", signed(func(rr *rawRequest) { rr.SignedAt = now.Add(-16 * time.Minute) }), "InvalidSignatureException", "Signature expired: ..."},
		{"signed 16 minutes ahead", signed(func(rr *rawRequest) { rr.SignedAt = now.Add(16 * time.Minute) }), "InvalidSignatureException", "Signature not yet current: ..."},
		{"signed exactly 15 minutes ago", signed(func(rr *rawRequest) { rr.SignedAt = now.Add(-15 * time.Minute) }), "", ""},
		{"signed 15 minutes and a second ago", signed(func(rr *rawRequest) { rr.SignedAt = now.Add(-15*time.Minute - time.Second) }), "InvalidSignatureException",
			"Signature expired: 20261121T114459Z is now earlier than 20261121T114500Z (20261121T120000Z - 15 min.)"},
		{"another service", signed(func(rr *rawRequest) { rr.Service = "s3" }), "InvalidSignatureException", "Credential should be scoped to correct service: ..."},
		{"not SigV4", signed(func(rr *rawRequest) {
			rr.Unsigned = true
			rr.Header = http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}
		}), "IncompleteSignatureException", "..."},
		{"X-Amz-Date not signed", signed(func(rr *rawRequest) {
			rr.Tamper = func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-amz-date", "", 1))
			}
		}), "InvalidSignatureException", "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."},
		{"no X-Amz-Date", signed(func(rr *rawRequest) {
			rr.Tamper = func(r *http.Request) { r.Header.Del("X-Amz-Date") }
		}), "IncompleteSignatureException", "..."},

		// Every x-amz-* header present, Content-Type and X-Amz-Target must
		// be signed, as AWS requires of its JSON protocols: an unsigned
		// target would let a captured request be replayed as another
		// operation.
		{"X-Amz-Target not signed", signed(func(rr *rawRequest) { rr.SignWithout = []string{"X-Amz-Target"} }),
			"InvalidSignatureException", "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."},
		{"Content-Type not signed", signed(func(rr *rawRequest) { rr.SignWithout = []string{"Content-Type"} }),
			"InvalidSignatureException", "'Content-Type' must be a 'SignedHeader' in the AWS Authorization."},
		{"another x-amz header not signed", signed(func(rr *rawRequest) {
			rr.Header = http.Header{"X-Amz-Meta-Note": {"n"}}
			rr.SignWithout = []string{"X-Amz-Meta-Note"}
		}), "InvalidSignatureException", "'X-Amz-Meta-Note' must be a 'SignedHeader' in the AWS Authorization."},
		{"another x-amz header signed", signed(func(rr *rawRequest) { rr.Header = http.Header{"X-Amz-Meta-Note": {"n"}} }), "", ""},
		{"an x-amzn header need not be signed", signed(func(rr *rawRequest) {
			rr.Header = http.Header{"X-Amzn-Trace-Id": {"Root=1-5759e988-bd862e3fe1be46a994272793"}}
		}), "", ""},
		{"a signed header with excess spaces", signed(func(rr *rawRequest) { rr.Header = http.Header{"X-Amz-Meta-Note": {"a   b  c"}} }), "", ""},
		// Headers the Go SDK never signs, and other SDKs do.
		{"User-Agent signed", signed(func(rr *rawRequest) {
			rr.Header = http.Header{"User-Agent": {"aws-sdk-java/1.12"}}
			rr.SignAlso = []string{"User-Agent"}
		}), "", ""},
		{"User-Agent signed, then changed", signed(func(rr *rawRequest) {
			rr.Header = http.Header{"User-Agent": {"aws-sdk-java/1.12"}}
			rr.SignAlso = []string{"User-Agent"}
			rr.Tamper = func(r *http.Request) { r.Header.Set("User-Agent", "curl/8") }
		}), "InvalidSignatureException", msgBadSignature},

		// The query string is signed; a malformed one is refused, not left
		// out of the signature.
		{"query signed", signed(func(rr *rawRequest) { rr.Query = "b=2&a=1&a=0&c=%20x" }), "", ""},
		{"query tampered after signing", signed(func(rr *rawRequest) {
			rr.Query = "a=1"
			rr.Tamper = func(r *http.Request) { r.URL.RawQuery = "a=2" }
		}), "InvalidSignatureException", msgBadSignature},
		{"query with a bad escape", signed(func(rr *rawRequest) { rr.Query = "a=%zz" }), "MalformedQueryString", "..."},
		{"query with a semicolon", signed(func(rr *rawRequest) { rr.Query = ";" }), "MalformedQueryString", "..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := send(t, srv, tt.rr)
			if tt.code == "" {
				checkOK(t, resp)
				return
			}
			status := 400
			if tt.code == "MalformedQueryString" {
				status = 404 // as AWS's Common Errors page documents it
			}
			msg := checkErrorMessage(t, resp, status, tt.code)
			if prefix, ok := strings.CutSuffix(tt.msg, "..."); ok {
				if !strings.HasPrefix(msg, prefix) {
					t.Errorf("message = %q, want it to begin %q", msg, prefix)
				}
			} else if msg != tt.msg {
				t.Errorf("message = %q, want %q", msg, tt.msg)
			}
		})
	}
}

func setBody(r *http.Request, body string) {
	r.Body = io.NopCloser(strings.NewReader(body))
	r.ContentLength = int64(len(body))
}

// TestAuthSDK: the SDK's own client, with credentials the server does not
// accept, gets the service's error codes.
func TestAuthSDK(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	creds := srv.Credentials()
	tests := []struct {
		name   string
		creds  aws.CredentialsProvider
		code   string
		region string // "": the server's
	}{
		{"anonymous", aws.AnonymousCredentials{}, "MissingAuthenticationTokenException", ""},
		{"another region", static(creds), "InvalidSignatureException", "eu-west-1"},
		{"unknown access key", static(aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: creds.SecretAccessKey}), "UnrecognizedClientException", ""},
		{"wrong secret", static(aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: "wrong"}), "InvalidSignatureException", ""},
		{"unexpected session token", static(aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: "tok"}), "UnrecognizedClientException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := newClient(srv, noRetry, withCredentials(tt.creds), func(o *cognitoidentityprovider.Options) {
				if tt.region != "" {
					o.Region = tt.region
				}
			})
			_, err := listPage(context.Background(), client, testPool, 10, nil)
			apiError(t, err, tt.code)
		})
	}
	if n := len(srv.Jobs(testPool)); n != 0 {
		t.Errorf("%d jobs", n)
	}
}

// TestSessionToken: a server given a session token wants it on every request.
func TestSessionToken(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithCredentials("AKIDSESSION", "session/secret", "the-session-token"))
	tests := []struct {
		name  string
		token string
		code  string
	}{
		{"right token", "the-session-token", ""},
		{"no token", "", "UnrecognizedClientException"},
		{"wrong token", "another-token", "UnrecognizedClientException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := newClient(srv, noRetry, withCredentials(static(aws.Credentials{
				AccessKeyID: "AKIDSESSION", SecretAccessKey: "session/secret", SessionToken: tt.token,
			})))
			_, err := listPage(context.Background(), client, testPool, 10, nil)
			if tt.code == "" {
				if err != nil {
					t.Errorf("got %v, want success", err)
				}
				return
			}
			apiError(t, err, tt.code)
		})
	}
	// And the client of Config carries it.
	if _, err := listPage(context.Background(), newClient(srv), testPool, 10, nil); err != nil {
		t.Errorf("the client of Config: %v", err)
	}
}

// TestClockSkew skews the server's clock by more than the 15 minutes a
// signature may be off. A client that sends once gets
// InvalidSignatureException; the SDK's standard retryer reads the server's
// time from the Date header of that error, retries with a corrected
// signing time and succeeds; and a client remembers the skew it saw for
// its later calls.
func TestClockSkew(t *testing.T) {
	t.Parallel()
	for _, skew := range []time.Duration{20 * time.Minute, -20 * time.Minute, 3 * time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			t.Parallel()
			srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(nowFunc(func() time.Time { return time.Now().Add(skew) })))
			list := cognitoimporttest.ListUserImportJobs

			once := newClient(srv, noRetry)
			_, err := listPage(context.Background(), once, testPool, 10, nil)
			apiErr := apiError(t, err, "InvalidSignatureException")
			if !strings.HasPrefix(apiErr.ErrorMessage(), "Signature expired") && !strings.HasPrefix(apiErr.ErrorMessage(), "Signature not yet current") {
				t.Errorf("message = %q", apiErr.ErrorMessage())
			}
			if got := srv.Requests(list); got != 1 {
				t.Errorf("Requests = %d, want 1", got)
			}
			// The same client, retries still off, now signs with the skew it
			// learned from the failed call.
			if _, err := listPage(context.Background(), once, testPool, 10, nil); err != nil {
				t.Errorf("second call of the same client: %v", err)
			}

			retrying := newClient(srv)
			before := srv.Requests(list)
			if _, err := listPage(context.Background(), retrying, testPool, 10, nil); err != nil {
				t.Errorf("with the standard retryer: %v", err)
			}
			if got := srv.Requests(list) - before; got != 2 {
				t.Errorf("with the standard retryer: %d attempts, want 2 (a failure, then a corrected one)", got)
			}
		})
	}
}
