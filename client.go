package cognitoimport

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// API is the part of the Amazon Cognito user pools client that Client calls.
// *cognitoidentityprovider.Client satisfies it; so can a caller's own
// implementation, for instance one that records calls.
type API interface {
	CreateUserImportJob(ctx context.Context, params *cognitoidentityprovider.CreateUserImportJobInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.CreateUserImportJobOutput, error)
	ListUserImportJobs(ctx context.Context, params *cognitoidentityprovider.ListUserImportJobsInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUserImportJobsOutput, error)
}

var _ API = (*cognitoidentityprovider.Client)(nil)

// Client creates and lists the user import jobs of Amazon Cognito user
// pools. It checks every input before it sends it, and returns the
// service's failures as the typed errors of this package.
//
// A Client adds no retries, middleware or endpoint logic of its own: those of
// the SDK client it wraps apply as they are. It is safe for concurrent use.
type Client struct {
	api      API
	validate bool
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

// New returns a Client that calls api. It panics if api is nil.
func New(api API, opts ...Option) *Client {
	if api == nil {
		panic("cognitoimport: New called with a nil API")
	}
	c := &Client{api: api, validate: true}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// NewFromConfig returns a Client that calls a new
// cognitoidentityprovider.Client made from cfg and optFns. To set Options
// of this package as well, use New(cognitoidentityprovider.NewFromConfig(cfg), opts...).
func NewFromConfig(cfg aws.Config, optFns ...func(*cognitoidentityprovider.Options)) *Client {
	return New(cognitoidentityprovider.NewFromConfig(cfg, optFns...))
}
