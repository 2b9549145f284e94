package cognitoimport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// MaxResponseBytes is the most bytes of a response body the Client reads
// for one call to the service (Cognito's, or CloudWatch Logs' for the
// per-row results), far above any real answer (a page of 60 jobs
// is about 60 KB): a larger body ends the call with ErrResponseTooLarge,
// before more than MaxResponseBytes bytes of it are read, or before any is
// when its Content-Length says so. It applies to every call the Client
// makes through an SDK client, from New or NewFromConfig, as the last of the
// call's SDK options (an API of the caller's own, such as a fake, is given
// the option and may ignore it); the SDK itself bounds no response.
const MaxResponseBytes = 16 << 20

// ErrResponseTooLarge is the error, wrapped by the SDK's, of a call whose
// response body is larger than MaxResponseBytes (errors.Is matches it). The
// SDK does not retry it, and IsRetryable reports false.
var ErrResponseTooLarge = errors.New("cognitoimport: the response is larger than " + strconv.Itoa(MaxResponseBytes>>20) + " MiB")

// sdkOptions returns optFns followed by the option that bounds the call's
// response body and guards its request body (sendGuard), for every call the
// Client makes to the service.
func (c *Client) sdkOptions(optFns []func(*cognitoidentityprovider.Options)) []func(*cognitoidentityprovider.Options) {
	return append(slices.Clip(optFns), c.call.cognito)
}

// callOptions are the SDK options that add responseLimit to a call's
// middleware stack and put sendGuard in front of its HTTP client, made once
// in New: the calls are a hot path, and a method value made for each call
// would allocate.
type callOptions struct {
	cognito func(*cognitoidentityprovider.Options)
	logs    func(*cloudwatchlogs.Options) // the per-row results' calls
}

func newCallOptions(max int64) callOptions {
	var limit middleware.DeserializeMiddleware = responseLimit{max: max}
	add := func(s *middleware.Stack) error { return s.Deserialize.Add(limit, middleware.After) }
	return callOptions{
		cognito: func(o *cognitoidentityprovider.Options) {
			o.APIOptions = append(slices.Clip(o.APIOptions), add)
			if o.HTTPClient != nil {
				o.HTTPClient = sendGuard{o.HTTPClient}
			}
		},
		logs: func(o *cloudwatchlogs.Options) {
			o.APIOptions = append(slices.Clip(o.APIOptions), add)
			if o.HTTPClient != nil {
				o.HTTPClient = sendGuard{o.HTTPClient}
			}
		},
	}
}

// httpDoer is the HTTP client of the SDK's service clients' options.
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// sendGuard sends a call's request with a body that does not offer
// WriteTo, so that a race between the SDK and net/http cannot send the call
// twice. The SDK closes a request's body as soon as the response's headers
// arrive, and the body's WriteTo returns io.EOF once closed. net/http, which
// writes the body on a goroutine of its own, reads it once more after its
// last byte to check its length, through WriteTo when the body has it: if
// the response came first (a busy machine, or a service that answers before
// it has read all of the request), that io.EOF fails the write, net/http
// closes the connection under the response, and the SDK retries the call as
// a connection error, a second CreateUserImportJob included. Read, which
// io.Copy uses when there is no WriteTo, returns 0 and io.EOF once closed:
// the body's end, as it is.
type sendGuard struct{ next httpDoer }

func (g sendGuard) Do(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return g.next.Do(r)
	}
	sent := *r // the caller's request is its own: change a copy
	sent.Body = readOnly{r.Body}
	return g.next.Do(&sent)
}

// readOnly is an io.ReadCloser with no other method.
type readOnly struct{ io.ReadCloser }

// responseLimit bounds the response body that the deserializers read. It is
// the last deserialize middleware, so the body it hands on is the one every
// other deserialize middleware reads.
type responseLimit struct{ max int64 }

func (responseLimit) ID() string { return "cognitoimport.ResponseLimit" }

func (m responseLimit) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Body != nil {
		if resp.ContentLength > m.max {
			resp.Body.Close()
			resp.Body = &limitedBody{err: ErrResponseTooLarge}
		} else {
			resp.Body = &limitedBody{body: resp.Body, left: m.max}
		}
	}
	return out, md, err
}

// limitedBody reads body until left bytes are read, then fails with
// ErrResponseTooLarge if body holds more.
type limitedBody struct {
	body io.ReadCloser
	left int64
	err  error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	// One byte past the limit tells a body at the limit from a larger one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.body.Read(p)
	if int64(n) <= b.left {
		b.left -= int64(n)
		return n, err
	}
	n, b.left, b.err = int(b.left), 0, ErrResponseTooLarge
	return n, b.err
}

func (b *limitedBody) Close() error {
	if b.body == nil {
		return nil
	}
	return b.body.Close()
}

// boundedPoolAPI is a PoolAPI whose calls bound their responses, as the
// Client's own calls do (sdkOptions): Export, RestoreGroups and MapSubs call
// through it.
type boundedPoolAPI struct {
	api PoolAPI
	c   *Client
}

func (b boundedPoolAPI) ListUsers(ctx context.Context, params *cognitoidentityprovider.ListUsersInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUsersOutput, error) {
	return b.api.ListUsers(ctx, params, b.c.sdkOptions(optFns)...)
}

func (b boundedPoolAPI) ListGroups(ctx context.Context, params *cognitoidentityprovider.ListGroupsInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListGroupsOutput, error) {
	return b.api.ListGroups(ctx, params, b.c.sdkOptions(optFns)...)
}

func (b boundedPoolAPI) ListUsersInGroup(ctx context.Context, params *cognitoidentityprovider.ListUsersInGroupInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUsersInGroupOutput, error) {
	return b.api.ListUsersInGroup(ctx, params, b.c.sdkOptions(optFns)...)
}

func (b boundedPoolAPI) CreateGroup(ctx context.Context, params *cognitoidentityprovider.CreateGroupInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.CreateGroupOutput, error) {
	return b.api.CreateGroup(ctx, params, b.c.sdkOptions(optFns)...)
}

func (b boundedPoolAPI) AdminAddUserToGroup(ctx context.Context, params *cognitoidentityprovider.AdminAddUserToGroupInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.AdminAddUserToGroupOutput, error) {
	return b.api.AdminAddUserToGroup(ctx, params, b.c.sdkOptions(optFns)...)
}
