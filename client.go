package cognitoimport

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// API is the part of the Amazon Cognito user pools client that Client calls.
// *cognitoidentityprovider.Client satisfies it; so can a caller's own
// implementation, for instance one that records calls.
//
// API grows when Client learns to make new calls. A fake that implements
// only the calls a test needs keeps compiling when it embeds API:
//
//	type fakeAPI struct {
//		cognitoimport.API // nil: a call the fake does not implement panics
//	}
//
//	func (fakeAPI) CreateUserImportJob(...) (...) { ... }
//
// To record calls to a real client instead, embed the client
// (struct{ *cognitoidentityprovider.Client }) and override the calls to
// record.
type API interface {
	CreateUserImportJob(ctx context.Context, params *cognitoidentityprovider.CreateUserImportJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.CreateUserImportJobOutput, error)
	ListUserImportJobs(ctx context.Context, params *cognitoidentityprovider.ListUserImportJobsInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUserImportJobsOutput, error)
	DescribeUserImportJob(ctx context.Context, params *cognitoidentityprovider.DescribeUserImportJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.DescribeUserImportJobOutput, error)
	StartUserImportJob(ctx context.Context, params *cognitoidentityprovider.StartUserImportJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.StartUserImportJobOutput, error)
	StopUserImportJob(ctx context.Context, params *cognitoidentityprovider.StopUserImportJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.StopUserImportJobOutput, error)
	GetCSVHeader(ctx context.Context, params *cognitoidentityprovider.GetCSVHeaderInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.GetCSVHeaderOutput, error)
	DescribeUserPool(ctx context.Context, params *cognitoidentityprovider.DescribeUserPoolInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.DescribeUserPoolOutput, error)
}

var _ API = (*cognitoidentityprovider.Client)(nil)

// HTTPClient sends the upload's HTTP request. *http.Client satisfies it, as
// do the SDK's clients (aws.Config.HTTPClient).
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Client runs the user import jobs of Amazon Cognito user pools: it reads a
// pool's CSV header and rules, creates, starts, stops, describes and lists
// jobs, uploads their files and waits for them to end, or does the whole
// import in one call (Import). It checks every input before it sends it, and
// returns the service's failures as the typed errors of this package.
//
// A Client adds no retries, middleware or endpoint logic of its own to single
// calls: those of the SDK client it wraps apply as they are. Upload and Wait,
// which make several requests, retry their own transient failures. It is
// safe for concurrent use.
type Client struct {
	api           API
	validate      bool
	clock         Clock
	httpClient    HTTPClient
	uploadOrigins []string // WithUploadOrigins's, as origin returns them
	sdkOrigin     string   // the origin of the SDK client's BaseEndpoint, which Upload trusts too
	pacer         pacer    // spaces Wait's requests per pool
	logs          LogsAPI  // results.go; nil: none

	maxResponseBytes int64       // MaxResponseBytes; tests lower it (export_test.go)
	call             callOptions // the options that apply it, and sendGuard (response.go)
}

// Option configures a Client in New.
type Option func(*Client)

// WithoutValidation turns the client-side checks of inputs off, so that the
// service alone judges them: for the day the service loosens a rule before
// this package does. The members are then sent as they are, with two
// exceptions that hold with or without validation: MaxResults 0 is sent as
// DefaultMaxResults, and an empty PaginationToken is left out. A required
// string left empty is sent as an empty string.
func WithoutValidation() Option { return func(c *Client) { c.validate = false } }

// WithClock makes the Client read the time and wait with clk: Wait's
// polling, the backoff of Upload's retries and Upload's check of the URL's
// expiry. The default is the wall clock, WallClock. It does not change the SDK's own
// clock or retry backoff.
func WithClock(clk Clock) Option { return func(c *Client) { c.clock = clk } }

// WithHTTPClient makes Upload send the file with hc; the upload follows no
// redirect, whatever hc's policy (see Upload). The default is the HTTP
// client of the SDK client that New was given (its Options().HTTPClient,
// the one aws.Config.HTTPClient set) when it has an Options method as
// *cognitoidentityprovider.Client does (a struct that embeds one too), and
// otherwise a new http.Client.
func WithHTTPClient(hc HTTPClient) Option { return func(c *Client) { c.httpClient = hc } }

// WithUploadOrigins lets Upload send files to URLs of these origins, such as
// "http://127.0.0.1:9229" (scheme, host and port; a default port may be left
// out) besides the https URLs of Amazon S3 hosts that the service hands out
// and the origin of the SDK client's BaseEndpoint. It is for servers that
// stand in for the service: a test server, or a proxy. It panics if an
// origin has a path, query or fragment, or is not http or https.
func WithUploadOrigins(origins ...string) Option {
	norm := make([]string, 0, len(origins))
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			panic(fmt.Sprintf("cognitoimport: WithUploadOrigins: %q is not an origin such as https://host:port", o))
		}
		norm = append(norm, origin(u))
	}
	return func(c *Client) { c.uploadOrigins = append(c.uploadOrigins, norm...) }
}

// New returns a Client that calls api. It panics if api is nil.
func New(api API, opts ...Option) *Client {
	if api == nil {
		panic("cognitoimport: New called with a nil API")
	}
	c := &Client{api: api, validate: true, clock: WallClock{}, maxResponseBytes: MaxResponseBytes}
	if o, ok := sdkOptions(api); ok {
		c.httpClient, c.sdkOrigin = o.HTTPClient, endpointOrigin(o.BaseEndpoint)
	}
	c.logs = sdkLogs(api) // results.go
	for _, opt := range opts {
		opt(c)
	}
	c.call = newCallOptions(c.maxResponseBytes)
	if c.clock == nil {
		c.clock = WallClock{}
	}
	if c.httpClient == nil {
		c.httpClient = &http.Client{}
	}
	return c
}

// sdkOptions returns the options of api's SDK client, and false when api
// has none (a fake, or a nil *cognitoidentityprovider.Client, which panics
// in Options, bare or embedded).
func sdkOptions(api API) (o cognitoidentityprovider.Options, ok bool) {
	sdk, ok := api.(interface {
		Options() cognitoidentityprovider.Options
	})
	if !ok {
		return o, false
	}
	defer func() {
		if recover() != nil {
			o, ok = cognitoidentityprovider.Options{}, false
		}
	}()
	return sdk.Options(), true
}

// NewFromConfig returns a Client that calls a new
// cognitoidentityprovider.Client made from cfg and optFns, and uploads with
// cfg's HTTPClient, and reads jobs' logs (Results) with a new
// cloudwatchlogs.Client made from cfg. To set Options of this package as
// well, use New(cognitoidentityprovider.NewFromConfig(cfg), opts...).
func NewFromConfig(cfg aws.Config, optFns ...func(*cognitoidentityprovider.Options)) *Client {
	return New(cognitoidentityprovider.NewFromConfig(cfg, optFns...), WithLogs(cloudwatchlogs.NewFromConfig(cfg)))
}
