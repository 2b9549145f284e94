package cognitoimport_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// wantRequests is the fewest ListUserImportJobs requests that list n jobs
// with pages of size: one for an empty pool.
func wantRequests(n int, maxResults int32) int {
	size := int(maxResults)
	if size == 0 {
		size = cognitoimport.DefaultMaxResults
	}
	return max(1, (n+size-1)/size)
}

func TestIteratorsVisitEveryJobOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 59, 60, 61, 121} {
		for _, maxResults := range []int32{1, 7, 60, 0} {
			if n > 61 && maxResults == 1 {
				// 242 requests in a row, the longest chain of the
				// package under load, for pages of one that 59, 60
				// and 61 jobs cover; 121 is for the pages of 60.
				continue
			}
			t.Run(fmt.Sprintf("jobs=%d/MaxResults=%d", n, maxResults), func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				srv.SeedJobs(testPool, n)
				client := newClient(srv)
				want := serverJobIDs(srv, testPool)
				if len(want) != n {
					t.Fatalf("the server holds %d jobs, want %d", len(want), n)
				}
				in := cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: maxResults}
				requests := wantRequests(n, maxResults)

				jobs, err := splitItems(t, collect(client.Jobs(t.Context(), in)))
				if err != nil {
					t.Fatalf("Jobs: %v", err)
				}
				equalIDs(t, "Jobs", jobIDs(jobs), want)
				checkRequests(t, srv, listOp, requests)

				pages, err := splitItems(t, collect(client.Pages(t.Context(), in)))
				if err != nil {
					t.Fatalf("Pages: %v", err)
				}
				equalIDs(t, "Pages", pageJobIDs(pages), want)
				checkRequests(t, srv, listOp, 2*requests)
				if len(pages) != requests {
					t.Errorf("Pages yielded %d pages, want %d", len(pages), requests)
				}
				size := int(in.MaxResults)
				if size == 0 {
					size = cognitoimport.DefaultMaxResults
				}
				for i, p := range pages {
					if len(p.Jobs) > size {
						t.Errorf("page %d holds %d jobs, more than MaxResults %d", i, len(p.Jobs), size)
					}
					if last := i == len(pages)-1; last != (p.PaginationToken == "") {
						t.Errorf("page %d of %d has token %q: want a token on every page but the last", i+1, len(pages), p.PaginationToken)
					}
				}

				// ListJobs returns the first page alone.
				out, err := client.ListJobs(t.Context(), in)
				if err != nil {
					t.Fatalf("ListJobs: %v", err)
				}
				equalIDs(t, "ListJobs", jobIDs(out.Jobs), want[:min(n, size)])
				if (out.PaginationToken == "") != (n <= size) {
					t.Errorf("ListJobs of %d jobs with pages of %d: token %q", n, size, out.PaginationToken)
				}
			})
		}
	}
}

func TestIteratorsStopOnBreak(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		stopAfter    int // jobs
		wantRequests int
	}{
		{"after the first job", 1, 1},
		{"after the first page", 7, 1},
		{"inside the second page", 9, 2},
	}
	for _, tt := range tests {
		t.Run("Jobs/"+tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.SeedJobs(testPool, 121)
			seen := 0
			for job, err := range newClient(srv).Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 7}) {
				if err != nil {
					t.Fatal(err)
				}
				if job.JobID == "" {
					t.Fatal("a job without an ID")
				}
				if seen++; seen == tt.stopAfter {
					break
				}
			}
			if seen != tt.stopAfter {
				t.Errorf("saw %d jobs, want %d", seen, tt.stopAfter)
			}
			checkRequests(t, srv, listOp, tt.wantRequests)
		})
	}
	t.Run("Pages/after the first page", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, 121)
		for page, err := range newClient(srv).Pages(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 7}) {
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Jobs) != 7 {
				t.Errorf("the first page holds %d jobs, want 7", len(page.Jobs))
			}
			break
		}
		checkRequests(t, srv, listOp, 1)
	})
}

func TestIteratorsStopOnCancel(t *testing.T) {
	t.Parallel()
	const n, pageSize = 30, 7
	for _, k := range []int{1, 6, 7, 8, 29} {
		t.Run("Jobs/cancel after "+strconv.Itoa(k), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.SeedJobs(testPool, n)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var items []item[cognitoimport.Job]
			for job, err := range newClient(srv).Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: pageSize}) {
				items = append(items, item[cognitoimport.Job]{job, err})
				if len(items) == k {
					cancel()
				}
			}
			jobs, err := splitItems(t, items)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("the iteration ended with %v, want an error that errors.Is context.Canceled", err)
			}
			if isA[*cognitoimport.ServiceError](err) {
				t.Errorf("the cancellation matches *ServiceError")
			}
			equalIDs(t, "jobs before the cancel", jobIDs(jobs), serverJobIDs(srv, testPool)[:k])
			if last := items[len(items)-1]; last.v != (cognitoimport.Job{}) {
				t.Errorf("the error came with a job: %v", last.v)
			}
			// Nothing was fetched after the cancel.
			checkRequests(t, srv, listOp, wantRequests(k, pageSize))
		})
	}
	t.Run("Pages/cancel after the first page", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, n)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var items []item[*cognitoimport.ListJobsOutput]
		for page, err := range newClient(srv).Pages(ctx, cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: pageSize}) {
			items = append(items, item[*cognitoimport.ListJobsOutput]{page, err})
			cancel()
		}
		pages, err := splitItems(t, items)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the iteration ended with %v, want an error that errors.Is context.Canceled", err)
		}
		if len(pages) != 1 || len(items) != 2 || items[1].v != nil {
			t.Errorf("got %d items, %d pages; want one page, then the error with a nil page", len(items), len(pages))
		}
		checkRequests(t, srv, listOp, 1)
	})
}

func TestIteratorsSkipEmptyPages(t *testing.T) {
	t.Parallel()
	const n, pageSize, empty = 10, 4, 3
	t.Run("Jobs", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, n)
		srv.EmptyPagesNext(empty)
		jobs, err := splitItems(t, collect(newClient(srv).Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: pageSize})))
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, "Jobs", jobIDs(jobs), serverJobIDs(srv, testPool))
		checkRequests(t, srv, listOp, empty+wantRequests(n, pageSize))
	})
	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, n)
		srv.EmptyPagesNext(empty)
		pages, err := splitItems(t, collect(newClient(srv).Pages(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: pageSize})))
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, "Pages", pageJobIDs(pages), serverJobIDs(srv, testPool))
		if len(pages) != empty+wantRequests(n, pageSize) {
			t.Fatalf("got %d pages, want %d", len(pages), empty+wantRequests(n, pageSize))
		}
		for i, p := range pages[:empty] {
			if len(p.Jobs) != 0 || p.PaginationToken == "" {
				t.Errorf("page %d: %d jobs, token %q; want an empty page with a token", i, len(p.Jobs), p.PaginationToken)
			}
		}
	})
	t.Run("ListJobs", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, n)
		srv.EmptyPagesNext(1)
		client := newClient(srv)
		out, err := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Jobs) != 0 || out.PaginationToken == "" {
			t.Fatalf("got %d jobs, token %q; want an empty page with a token", len(out.Jobs), out.PaginationToken)
		}
		out, err = client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, PaginationToken: out.PaginationToken})
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, "the page after the empty one", jobIDs(out.Jobs), serverJobIDs(srv, testPool))
	})
}

// TestIteratorsEndAfterEmptyPages: a service that hands out a new token
// with every empty page would keep Jobs and Pages going for ever without a
// job; they end with ErrEmptyPages after MaxEmptyPages such pages in a row,
// and Pages yields those pages first, so that the last one's token resumes
// the listing. One empty page fewer is followed to the jobs.
func TestIteratorsEndAfterEmptyPages(t *testing.T) {
	t.Parallel()
	const n = 5
	in := cognitoimport.ListJobsInput{UserPoolID: testPool}
	t.Run("Jobs", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, n)
		srv.EmptyPagesNext(cognitoimport.MaxEmptyPages)
		jobs, err := splitItems(t, collect(newClient(srv).Jobs(t.Context(), in)))
		if !errors.Is(err, cognitoimport.ErrEmptyPages) || len(jobs) != 0 {
			t.Errorf("Jobs yielded %d jobs and %v, want none and ErrEmptyPages", len(jobs), err)
		}
		checkRequests(t, srv, listOp, cognitoimport.MaxEmptyPages)
		if cognitoimport.IsRetryable(err) {
			t.Errorf("IsRetryable(%v) = true", err)
		}
	})
	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, n)
		srv.EmptyPagesNext(cognitoimport.MaxEmptyPages)
		client := newClient(srv)
		pages, err := splitItems(t, collect(client.Pages(t.Context(), in)))
		if !errors.Is(err, cognitoimport.ErrEmptyPages) || len(pages) != cognitoimport.MaxEmptyPages {
			t.Fatalf("Pages yielded %d pages and %v, want %d empty pages and ErrEmptyPages", len(pages), err, cognitoimport.MaxEmptyPages)
		}
		resume := in
		resume.PaginationToken = pages[len(pages)-1].PaginationToken
		jobs, err := splitItems(t, collect(client.Jobs(t.Context(), resume)))
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, "Jobs resumed after the empty pages", jobIDs(jobs), serverJobIDs(srv, testPool))
	})
	t.Run("one fewer", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, n)
		srv.EmptyPagesNext(cognitoimport.MaxEmptyPages - 1)
		jobs, err := splitItems(t, collect(newClient(srv).Jobs(t.Context(), in)))
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, "Jobs", jobIDs(jobs), serverJobIDs(srv, testPool))
	})
}

func TestIteratorsResumeFromToken(t *testing.T) {
	t.Parallel()
	const n, pageSize = 20, 7 // pages of 7, 7 and 6
	for k := range 2 {
		t.Run("after page "+strconv.Itoa(k+1), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.SeedJobs(testPool, n)
			client := newClient(srv)
			in := cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: pageSize}
			var head []*cognitoimport.ListJobsOutput
			for page, err := range client.Pages(t.Context(), in) {
				if err != nil {
					t.Fatal(err)
				}
				head = append(head, page)
				if len(head) == k+1 {
					break
				}
			}
			in.PaginationToken = head[k].PaginationToken
			if in.PaginationToken == "" {
				t.Fatalf("page %d has no token", k+1)
			}
			rest, err := splitItems(t, collect(client.Jobs(t.Context(), in)))
			if err != nil {
				t.Fatal(err)
			}
			got := append(pageJobIDs(head), jobIDs(rest)...)
			equalIDs(t, "head and rest", got, serverJobIDs(srv, testPool))
			if len(rest) != n-(k+1)*pageSize {
				t.Errorf("resuming gave %d jobs, want %d", len(rest), n-(k+1)*pageSize)
			}
			checkRequests(t, srv, listOp, (k+1)+wantRequests(len(rest), pageSize))

			// Pages resumes the same way.
			pages, err := splitItems(t, collect(client.Pages(t.Context(), in)))
			if err != nil {
				t.Fatal(err)
			}
			equalIDs(t, "Pages resumed", pageJobIDs(pages), jobIDs(rest))
		})
	}
}

func TestIteratorsRestartWhenRangedAgain(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedJobs(testPool, 20)
	client := newClient(srv)
	in := cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 7}
	want := serverJobIDs(srv, testPool)

	jobsSeq := client.Jobs(t.Context(), in)
	pagesSeq := client.Pages(t.Context(), in)
	checkRequests(t, srv, listOp, 0) // nothing is sent until ranged over

	for round := range 2 {
		jobs, err := splitItems(t, collect(jobsSeq))
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, fmt.Sprintf("Jobs, round %d", round+1), jobIDs(jobs), want)
		pages, err := splitItems(t, collect(pagesSeq))
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, fmt.Sprintf("Pages, round %d", round+1), pageJobIDs(pages), want)
	}
	checkRequests(t, srv, listOp, 4*wantRequests(20, 7))

	// A range that broke off does not leave the next one midway.
	for range jobsSeq {
		break
	}
	jobs, err := splitItems(t, collect(jobsSeq))
	if err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "Jobs after a broken range", jobIDs(jobs), want)
}

func TestIteratorsInvalidInput(t *testing.T) {
	t.Parallel()
	in := cognitoimport.ListJobsInput{UserPoolID: "not a pool", MaxResults: 61}
	t.Run("Jobs", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		items := collect(newClient(srv).Jobs(t.Context(), in))
		if len(items) != 1 {
			t.Fatalf("Jobs yielded %d items, want 1", len(items))
		}
		if items[0].v != (cognitoimport.Job{}) {
			t.Errorf("the error came with a job: %v", items[0].v)
		}
		if ve := as[*cognitoimport.ValidationError](t, items[0].err); len(ve.Violations) != 2 {
			t.Errorf("got %d violations, want 2: %v", len(ve.Violations), ve)
		}
		checkRequests(t, srv, listOp, 0)
	})
	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		items := collect(newClient(srv).Pages(t.Context(), in))
		if len(items) != 1 {
			t.Fatalf("Pages yielded %d items, want 1", len(items))
		}
		if items[0].v != nil {
			t.Errorf("the error came with a page: %+v", items[0].v)
		}
		as[*cognitoimport.ValidationError](t, items[0].err)
		checkRequests(t, srv, listOp, 0)
	})
}

func TestIteratorsStopAfterError(t *testing.T) {
	t.Parallel()
	throttle := cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "slow down"}
	t.Run("Jobs/second page fails", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, 20)
		var items []item[cognitoimport.Job]
		// noRetry as a per-call option of Jobs: the SDK would retry.
		for job, err := range newClient(srv).Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 7}, noRetry) {
			if len(items) == 0 {
				srv.FailNext(listOp, throttle, 1) // the next request fails
			}
			items = append(items, item[cognitoimport.Job]{job, err})
		}
		jobs, err := splitItems(t, items)
		as[*cognitoimport.TooManyRequestsError](t, err)
		equalIDs(t, "jobs before the error", jobIDs(jobs), serverJobIDs(srv, testPool)[:7])
		checkRequests(t, srv, listOp, 2)
	})
	t.Run("Pages/second page fails", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, 20)
		var items []item[*cognitoimport.ListJobsOutput]
		for page, err := range newClient(srv).Pages(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 7}, noRetry) {
			if len(items) == 0 {
				srv.FailNext(listOp, throttle, 1)
			}
			items = append(items, item[*cognitoimport.ListJobsOutput]{page, err})
		}
		pages, err := splitItems(t, items)
		as[*cognitoimport.TooManyRequestsError](t, err)
		if len(pages) != 1 || items[len(items)-1].v != nil {
			t.Errorf("got %d pages before the error, want 1, and no page with the error", len(pages))
		}
		checkRequests(t, srv, listOp, 2)
	})
	t.Run("Jobs/first page fails", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.SeedJobs(testPool, 20)
		srv.FailNext(listOp, cognitoimporttest.Error{Code: "InternalErrorException"}, 1)
		items := collect(newClient(srv).Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool}, noRetry))
		if len(items) != 1 {
			t.Fatalf("got %d items, want the error alone", len(items))
		}
		as[*cognitoimport.InternalError](t, items[0].err)
		checkRequests(t, srv, listOp, 1)
	})
}

// fakeAPI serves ListUserImportJobs from a fixed table of pages keyed by the
// request's token. The test server never hands out the same token twice, so
// the iterators' loop check can only be tested against a fake like this.
type fakeAPI struct {
	cognitoimport.API // nil: the calls the fake does not implement panic

	pages map[string]fakePage // by the request's token; "" for the first page

	mu       sync.Mutex
	requests []*cognitoidentityprovider.ListUserImportJobsInput
}

type fakePage struct {
	jobs []string // job IDs
	next string   // the page's token
}

// maxFakeRequests bounds the requests a fakeAPI answers, so that an iterator
// that never stops fails the test instead of hanging it.
const maxFakeRequests = 1000

func (f *fakeAPI) ListUserImportJobs(_ context.Context, params *cognitoidentityprovider.ListUserImportJobsInput, _ ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUserImportJobsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, params)
	if len(f.requests) > maxFakeRequests {
		return nil, errors.New("fakeAPI: too many requests: the iterator does not stop")
	}
	page, ok := f.pages[aws.ToString(params.PaginationToken)]
	if !ok {
		return nil, fmt.Errorf("fakeAPI: no page for token %q", aws.ToString(params.PaginationToken))
	}
	out := &cognitoidentityprovider.ListUserImportJobsOutput{}
	for _, id := range page.jobs {
		out.UserImportJobs = append(out.UserImportJobs, types.UserImportJobType{JobId: aws.String(id), UserPoolId: aws.String(testPool)})
	}
	if page.next != "" {
		out.PaginationToken = aws.String(page.next)
	}
	return out, nil
}

func (f *fakeAPI) CreateUserImportJob(context.Context, *cognitoidentityprovider.CreateUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.CreateUserImportJobOutput, error) {
	return nil, errors.New("fakeAPI: CreateUserImportJob is not implemented")
}

// tokens returns the tokens f's requests carried, "" for none.
func (f *fakeAPI) tokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ts []string
	for _, r := range f.requests {
		ts = append(ts, aws.ToString(r.PaginationToken))
	}
	return ts
}

// chain returns pages "" -> t1 -> ... -> tn, each with one job, and the last
// one's token set to loopTo (none if "").
func chain(n int, loopTo string) map[string]fakePage {
	pages := make(map[string]fakePage)
	for i := range n {
		from := ""
		if i > 0 {
			from = "t" + strconv.Itoa(i)
		}
		next := "t" + strconv.Itoa(i+1)
		if i == n-1 {
			next = loopTo
		}
		pages[from] = fakePage{jobs: []string{"job-" + strconv.Itoa(i+1)}, next: next}
	}
	return pages
}

func TestIteratorsRepeatedToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		pages      map[string]fakePage
		start      string   // the input's token
		wantJobs   []string // nil: don't check, only that it ends
		wantTokens []string // the requests' tokens; nil: don't check
		wantErr    error
	}{
		{
			name: "the same token again",
			pages: map[string]fakePage{
				"":  {jobs: []string{"a1", "a2"}, next: "A"},
				"A": {jobs: []string{"b1"}, next: "A"},
			},
			wantJobs:   []string{"a1", "a2", "b1"},
			wantTokens: []string{"", "A"},
			wantErr:    cognitoimport.ErrRepeatedToken,
		},
		{
			name:       "the input's token again",
			pages:      map[string]fakePage{"A": {jobs: []string{"a1"}, next: "A"}},
			start:      "A",
			wantJobs:   []string{"a1"},
			wantTokens: []string{"A"},
			wantErr:    cognitoimport.ErrRepeatedToken,
		},
		{
			name: "two-cycle A->B->A",
			pages: map[string]fakePage{
				"":  {jobs: []string{"j1"}, next: "A"},
				"A": {jobs: []string{"j2"}, next: "B"},
				"B": {jobs: []string{"j3"}, next: "A"},
			},
			wantJobs:   []string{"j1", "j2", "j3"},
			wantTokens: []string{"", "A", "B"},
			wantErr:    cognitoimport.ErrRepeatedToken,
		},
		// Longer cycles: every page comes once, then the error, before the
		// first page would repeat.
		{
			name:       "a cycle of 40 after a tail of 25",
			pages:      chain(65, "t25"),
			wantJobs:   jobIDs(fakeJobs(65)),
			wantTokens: chainTokens(65),
			wantErr:    cognitoimport.ErrRepeatedToken,
		},
		{
			name:       "a cycle of 1 after a tail of 100",
			pages:      chain(101, "t100"),
			wantJobs:   jobIDs(fakeJobs(101)),
			wantTokens: chainTokens(101),
			wantErr:    cognitoimport.ErrRepeatedToken,
		},
		{
			name:       "a cycle of 2 after a tail of 98",
			pages:      chain(100, "t98"),
			wantJobs:   jobIDs(fakeJobs(100)),
			wantTokens: chainTokens(100),
			wantErr:    cognitoimport.ErrRepeatedToken,
		},
		{
			name:       "a cycle back to the first token after 300 pages",
			pages:      chain(301, "t1"),
			wantJobs:   jobIDs(fakeJobs(301)),
			wantTokens: chainTokens(301),
			wantErr:    cognitoimport.ErrRepeatedToken,
		},
		{
			name:     "500 distinct tokens are no loop",
			pages:    chain(500, ""),
			wantJobs: jobIDs(fakeJobs(500)),
		},
	}
	for _, tt := range tests {
		for _, how := range []string{"Jobs", "Pages"} {
			t.Run(how+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				api := &fakeAPI{pages: tt.pages}
				client := cognitoimport.New(api)
				in := cognitoimport.ListJobsInput{UserPoolID: testPool, PaginationToken: tt.start}
				var ids []string
				var err error
				if how == "Jobs" {
					var jobs []cognitoimport.Job
					jobs, err = splitItems(t, collect(client.Jobs(t.Context(), in)))
					ids = jobIDs(jobs)
				} else {
					var pages []*cognitoimport.ListJobsOutput
					pages, err = splitItems(t, collect(client.Pages(t.Context(), in)))
					ids = pageJobIDs(pages)
					if tt.wantErr != nil && len(pages) > 0 && pages[len(pages)-1].PaginationToken == "" {
						t.Errorf("the last page before the error has no token")
					}
				}
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("the iteration ended with %v, want %v", err, tt.wantErr)
				}
				if tt.wantJobs != nil {
					equalIDs(t, how, ids, tt.wantJobs)
				}
				tokens := api.tokens()
				if tt.wantTokens != nil && !slices.Equal(tokens, tt.wantTokens) {
					t.Errorf("requests carried tokens %q, want %q", tokens, tt.wantTokens)
				}
				// The client never asks twice for a page.
				seen := map[string]int{}
				for i, tok := range tokens {
					if j, ok := seen[tok]; ok {
						t.Errorf("requests %d and %d both carry token %q", j+1, i+1, tok)
					}
					seen[tok] = i
				}
			})
		}
	}
}

// chainTokens returns the tokens of chain(n, ...)'s pages in order: "", t1
// to t(n-1).
func chainTokens(n int) []string {
	tokens := []string{""}
	for i := 1; i < n; i++ {
		tokens = append(tokens, "t"+strconv.Itoa(i))
	}
	return tokens
}

// fakeJobs returns jobs job-1 to job-n, as chain's pages hold them.
func fakeJobs(n int) []cognitoimport.Job {
	jobs := make([]cognitoimport.Job, n)
	for i := range jobs {
		jobs[i].JobID = "job-" + strconv.Itoa(i+1)
	}
	return jobs
}

// TestListRequestParameters checks what the requests carry. The server does
// not show its requests' bodies, so this uses the fake.
func TestListRequestParameters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        cognitoimport.ListJobsInput
		wantMax   int32
		wantToken *string
	}{
		{"defaults", cognitoimport.ListJobsInput{UserPoolID: testPool}, 60, nil},
		{"page size and token", cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 7, PaginationToken: "A"}, 7, aws.String("A")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := &fakeAPI{pages: map[string]fakePage{"": {jobs: []string{"j1"}}, "A": {jobs: []string{"j2"}}}}
			if _, err := cognitoimport.New(api).ListJobs(t.Context(), tt.in); err != nil {
				t.Fatal(err)
			}
			if len(api.requests) != 1 {
				t.Fatalf("%d requests, want 1", len(api.requests))
			}
			r := api.requests[0]
			if aws.ToString(r.UserPoolId) != testPool || aws.ToInt32(r.MaxResults) != tt.wantMax {
				t.Errorf("request UserPoolId %q, MaxResults %d; want %q, %d", aws.ToString(r.UserPoolId), aws.ToInt32(r.MaxResults), testPool, tt.wantMax)
			}
			if (r.PaginationToken == nil) != (tt.wantToken == nil) || aws.ToString(r.PaginationToken) != aws.ToString(tt.wantToken) {
				t.Errorf("request PaginationToken %v, want %v (nil when the input has none)", r.PaginationToken, tt.wantToken)
			}
		})
	}
}

// TestShortPagesAreNotTheEnd serves pages of at most 50 jobs, as the API
// reference documents, while the client asks for 60: every page is short,
// and only the missing token ends the walk.
func TestShortPagesAreNotTheEnd(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cognitoimporttest.WithMaxPageSize(50))
	srv.SeedJobs(testPool, 121)
	client := newClient(srv)

	jobs, err := splitItems(t, collect(client.Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})))
	if err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "jobs in pages of 50", jobIDs(jobs), serverJobIDs(srv, testPool))
	checkRequests(t, srv, listOp, 3)
}
