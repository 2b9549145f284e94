package cognitoimport_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
)

// wrappedSDK is the kind of wrapper client.go's doc suggests: a struct that
// embeds the SDK client to override some of its calls.
type wrappedSDK struct {
	*cognitoidentityprovider.Client
}

// TestNewTakesHTTPClientOfWrappedSDK: New takes the upload's HTTP client
// from any API with the SDK client's Options method, a wrapper that embeds
// it included; before the fix only a bare *cognitoidentityprovider.Client
// counted and a wrapper silently uploaded through a new http.Client. A nil
// SDK client, bare or embedded, does not make New panic.
func TestNewTakesHTTPClientOfWrappedSDK(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	cfg := srv.Config()
	sdkHC := &countingClient{hc: cfg.HTTPClient}
	cfg.HTTPClient = sdkHC
	client := cognitoimport.New(wrappedSDK{cognitoidentityprovider.NewFromConfig(cfg)})
	job := createJob(t, client, "job")
	puts := sdkHC.count(http.MethodPut)
	if err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)}); err != nil {
		t.Fatal(err)
	}
	if n := sdkHC.count(http.MethodPut) - puts; n != 1 {
		t.Errorf("the wrapped SDK client's HTTP client sent %d PUTs, want 1", n)
	}
	_ = cognitoimport.New(wrappedSDK{})
	_ = cognitoimport.New((*cognitoidentityprovider.Client)(nil))
}
