package cognitoimport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// PoolAPI is the part of the Amazon Cognito user pools client that Export,
// RestoreGroups and MapSubs call: they read a pool's users and groups and
// write groups and memberships. *cognitoidentityprovider.Client satisfies it,
// as does a struct that embeds one. It is apart from API so that an API a
// caller implemented for imports keeps compiling; those calls return
// ErrNoPoolAPI when the Client's API does not implement PoolAPI as well.
type PoolAPI interface {
	ListUsers(ctx context.Context, params *cognitoidentityprovider.ListUsersInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUsersOutput, error)
	ListGroups(ctx context.Context, params *cognitoidentityprovider.ListGroupsInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListGroupsOutput, error)
	ListUsersInGroup(ctx context.Context, params *cognitoidentityprovider.ListUsersInGroupInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUsersInGroupOutput, error)
	CreateGroup(ctx context.Context, params *cognitoidentityprovider.CreateGroupInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.CreateGroupOutput, error)
	AdminAddUserToGroup(ctx context.Context, params *cognitoidentityprovider.AdminAddUserToGroupInput, optFns ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.AdminAddUserToGroupOutput, error)
}

var _ PoolAPI = (*cognitoidentityprovider.Client)(nil)

// DefaultRequestsPerSecond is the rate of each operation that Export,
// RestoreGroups and MapSubs keep to when their input sets none: the service
// allows any one operation 5 requests a second per user pool.
const DefaultRequestsPerSecond = 5

// Throttling backoff: after a TooManyRequestsException a call waits
// throttleFirstWait, doubled after each further one up to throttleMaxWait,
// and gives up after throttleAttempts attempts.
const (
	throttleFirstWait = time.Second
	throttleMaxWait   = 30 * time.Second
	throttleAttempts  = 10
)

func (c *Client) poolAPI() (PoolAPI, error) {
	api, ok := c.api.(PoolAPI)
	if !ok {
		return nil, ErrNoPoolAPI
	}
	return boundedPoolAPI{api, c}, nil
}

// gate spaces the requests of one call (an Export, a RestoreGroups) so that
// each operation stays under a rate, by the Client's clock, and absorbs
// TooManyRequestsException with backoff. It is used by one goroutine.
type gate struct {
	clock    Clock
	interval time.Duration
	next     map[string]time.Time // per operation: the earliest time of its next request
	requests int                  // requests sent, retries included
}

// newGate returns a gate of perSecond requests a second per operation;
// perSecond 0 means DefaultRequestsPerSecond, and a negative one no limit.
func newGate(clock Clock, perSecond float64) *gate {
	if perSecond == 0 {
		perSecond = DefaultRequestsPerSecond
	}
	g := &gate{clock: clock, next: make(map[string]time.Time)}
	if perSecond > 0 {
		g.interval = time.Duration(float64(time.Second) / perSecond)
	}
	return g
}

// wait waits until op may send a request, and books it.
func (g *gate) wait(ctx context.Context, op string) error {
	now := g.clock.Now()
	at := g.next[op]
	if at.Before(now) {
		at = now
	}
	g.next[op] = at.Add(g.interval)
	if d := at.Sub(now); d > 0 {
		return g.clock.Sleep(ctx, d)
	}
	return ctx.Err()
}

// paginate reads the pages of a listing op within g's rate: send asks for
// the page after token (nil: the first), next returns a page's token, and
// each takes the page. It ends after the page without a token, with
// ErrRepeatedToken when the service answers the token it was sent, or with
// the first error of send (after g.do's retries) or of each.
func paginate[P any](ctx context.Context, g *gate, op string, send func(token *string) (*P, error), next func(*P) *string, each func(*P) error) error {
	var token *string
	for {
		var page *P
		err := g.do(ctx, op, func() (err error) {
			page, err = send(token)
			return err
		})
		if err != nil {
			return err
		}
		if err := each(page); err != nil {
			return err
		}
		n := aws.ToString(next(page))
		if n == "" {
			return nil
		}
		if token != nil && *token == n {
			return &opError{op, ErrRepeatedToken}
		}
		token = &n
	}
}

// do calls send for op within the rate, again after each
// TooManyRequestsException with backoff, and returns its error wrapped as
// the Client's errors are.
func (g *gate) do(ctx context.Context, op string, send func() error) error {
	backoff := throttleFirstWait
	for attempt := 1; ; attempt++ {
		if err := g.wait(ctx, op); err != nil {
			return err
		}
		g.requests++
		err := wrapError(op, send())
		var throttled *TooManyRequestsError
		if err == nil || !errors.As(err, &throttled) || attempt == throttleAttempts {
			if err != nil && attempt == throttleAttempts {
				err = fmt.Errorf("%w (throttled %d times in a row)", err, attempt)
			}
			return err
		}
		if err := g.clock.Sleep(ctx, backoff); err != nil {
			return err
		}
		backoff = min(2*backoff, throttleMaxWait)
	}
}
