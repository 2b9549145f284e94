package cognitoimport

import (
	"context"
	"hash/maphash"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

// DefaultMaxResults is the page size ListJobs asks for when
// ListJobsInput.MaxResults is 0: the most the service allows, for the fewest
// round trips.
const DefaultMaxResults = 60

// ListJobsInput is the input of ListJobs, Pages and Jobs.
type ListJobsInput struct {
	// UserPoolID is the pool whose jobs to list. Required.
	UserPoolID string
	// MaxResults is the most jobs a page holds, 1 to 60; 0 means
	// DefaultMaxResults. The service may send fewer, even none, on any page
	// but the last.
	MaxResults int32
	// PaginationToken resumes a listing where the page that returned it
	// ended; empty starts with the newest job.
	PaginationToken string
}

// maxResults is in.MaxResults with 0 read as DefaultMaxResults.
func (in ListJobsInput) maxResults() int32 {
	if in.MaxResults == 0 {
		return DefaultMaxResults
	}
	return in.MaxResults
}

// ListJobsOutput is one page of jobs.
type ListJobsOutput struct {
	// Jobs holds the page's jobs, newest first. It may be empty on any
	// page.
	Jobs []Job
	// PaginationToken resumes the listing after this page; it is empty
	// when this page is the last.
	PaginationToken string
}

// ListJobs returns one page of the pool's jobs, newest first. It checks in
// first (unless the Client was made WithoutValidation) and sends nothing if
// in is not valid. Only an empty PaginationToken in the output marks the last
// page; a short or empty page does not.
func (c *Client) ListJobs(ctx context.Context, in ListJobsInput, optFns ...func(*cognitoidentityprovider.Options)) (*ListJobsOutput, error) {
	if c.validate {
		if err := in.Validate(); err != nil {
			return nil, err
		}
	}
	page, err := c.listPage(ctx, in, optFns)
	if err != nil {
		return nil, err
	}
	return newListJobsOutput(page), nil
}

func newListJobsOutput(page *cognitoidentityprovider.ListUserImportJobsOutput) *ListJobsOutput {
	out := &ListJobsOutput{
		Jobs:            make([]Job, len(page.UserImportJobs)),
		PaginationToken: aws.ToString(page.PaginationToken),
	}
	for i := range page.UserImportJobs {
		out.Jobs[i] = jobFromSDK(&page.UserImportJobs[i])
	}
	return out
}

// listPage sends one ListUserImportJobs request for in.
func (c *Client) listPage(ctx context.Context, in ListJobsInput, optFns []func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUserImportJobsOutput, error) {
	params := &cognitoidentityprovider.ListUserImportJobsInput{
		UserPoolId: aws.String(in.UserPoolID),
		MaxResults: aws.Int32(in.maxResults()),
	}
	if in.PaginationToken != "" {
		params.PaginationToken = aws.String(in.PaginationToken)
	}
	out, err := c.api.ListUserImportJobs(ctx, params, c.sdkOptions(optFns)...)
	if err != nil {
		return nil, wrapError(constraint.ListUserImportJobs, err)
	}
	return out, nil
}

// MaxEmptyPages is the longest run of pages without a job, each with a
// token, that Pages and Jobs follow: the MaxEmptyPages-th such page in a
// row ends the iteration with ErrEmptyPages. The service documents 1 to 50
// jobs a page, yet the iterators take empty pages as they come, up to this
// bound, so that a service that hands out a new token with every empty page
// cannot keep them going for ever without a job to show for it. A page with
// a job starts the count again. (A cap on the number of pages would bound
// every listing, but the jobs a pool holds are an adjustable quota, 1,000 by
// default: no cap fits every pool.)
const MaxEmptyPages = 100

// Pages returns an iterator over the pages of the pool's jobs, starting at
// in.PaginationToken, newest job first. Each page's PaginationToken is where
// a later listing can resume (set it as in.PaginationToken), for instance
// after an error.
//
// It sends nothing until it is ranged over, and each range starts again from
// in. It fetches a page only when the loop asks for the next one, so a break
// ends all requests. It ends after the page without a token, and ends with
// an error, the last thing it yields, when in is not valid, a request fails,
// ctx is done (the error then matches ctx.Err() with errors.Is), the
// service hands back a token that the iteration sent before
// (ErrRepeatedToken): that ends it before any page repeats, or it sent
// MaxEmptyPages pages in a row without a job (ErrEmptyPages), each of which
// was yielded.
func (c *Client) Pages(ctx context.Context, in ListJobsInput, optFns ...func(*cognitoidentityprovider.Options)) iter.Seq2[*ListJobsOutput, error] {
	return func(yield func(*ListJobsOutput, error) bool) {
		c.walk(ctx, in, optFns, func(page *cognitoidentityprovider.ListUserImportJobsOutput, err error) bool {
			if err != nil {
				yield(nil, err)
				return false
			}
			return yield(newListJobsOutput(page), nil)
		})
	}
}

// Jobs returns an iterator over all the pool's jobs, newest first, starting
// at in.PaginationToken: for job, err := range client.Jobs(ctx, in).
//
// It behaves as Pages does: nothing is sent until it is ranged over, pages
// are fetched as the loop reaches them, a break ends all requests, and an
// error is the last thing it yields, after the jobs of every page that
// arrived; when ctx is done it yields ctx.Err() before the next job. It
// holds one page at a time, and an 8-byte hash of each token it sent (to
// catch a repeated token), so memory grows by a few bytes a page however
// many jobs the pool holds. To resume after an error, use Pages, whose pages
// carry their tokens.
func (c *Client) Jobs(ctx context.Context, in ListJobsInput, optFns ...func(*cognitoidentityprovider.Options)) iter.Seq2[Job, error] {
	return func(yield func(Job, error) bool) {
		c.walk(ctx, in, optFns, func(page *cognitoidentityprovider.ListUserImportJobsOutput, err error) bool {
			if err != nil {
				yield(Job{}, err)
				return false
			}
			for i := range page.UserImportJobs {
				if err := ctx.Err(); err != nil {
					yield(Job{}, err)
					return false
				}
				if !yield(jobFromSDK(&page.UserImportJobs[i]), nil) {
					return false
				}
			}
			return true
		})
	}
}

// walk lists the pages of in and passes each to visit, until visit returns
// false, a page has no token, or visit was called with an error: a request's,
// ErrRepeatedToken, or ErrEmptyPages after MaxEmptyPages pages in a row
// without a job.
//
// The loop check remembers a hash of every token it has sent (the input's
// included): a page whose token is one of them ends the walk with
// ErrRepeatedToken after that page, before any page repeats, whatever the
// length of the cycle. A hash is 8 bytes and the set holds one a page, 20 to
// 40 bytes a page with the map's overhead (it depends on where the map is in
// its growth): 36 KB for a walk of 100,000 jobs in pages of 60. The hashes are 64 bits from a seed drawn for each walk, so
// that no service can aim at a collision; two different tokens of one walk
// collide, and end it early, with a probability below n²/2⁶⁵ for n pages
// (about 2.7×10⁻⁸, 1 in 3.7×10⁷, for a million pages).
func (c *Client) walk(ctx context.Context, in ListJobsInput, optFns []func(*cognitoidentityprovider.Options),
	visit func(*cognitoidentityprovider.ListUserImportJobsOutput, error) bool) {
	if c.validate {
		if err := in.Validate(); err != nil {
			visit(nil, err)
			return
		}
	}
	seed := maphash.MakeSeed()
	seen := make(map[uint64]struct{})
	empty := 0 // pages without a job since the last with one
	for {
		if err := ctx.Err(); err != nil {
			visit(nil, err)
			return
		}
		if in.PaginationToken != "" {
			seen[maphash.String(seed, in.PaginationToken)] = struct{}{}
		}
		page, err := c.listPage(ctx, in, optFns)
		if err != nil {
			visit(nil, err)
			return
		}
		if !visit(page, nil) {
			return
		}
		token := aws.ToString(page.PaginationToken)
		if token == "" {
			return
		}
		if _, ok := seen[maphash.String(seed, token)]; ok {
			visit(nil, ErrRepeatedToken)
			return
		}
		if len(page.UserImportJobs) > 0 {
			empty = 0
		} else if empty++; empty == MaxEmptyPages {
			visit(nil, ErrEmptyPages)
			return
		}
		in.PaginationToken = token
	}
}
