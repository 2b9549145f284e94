package cognitoimporttest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestPagination(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1, 60, 61, 1000} {
		t.Run(fmt.Sprint("pool=", size), func(t *testing.T) {
			t.Parallel()
			pool := fmt.Sprintf("us-east-1_Pool%d", size)
			srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithUserPools(pool))
			srv.SeedJobs(pool, size)
			want := srv.Jobs(pool)
			if len(want) != size {
				t.Fatalf("srv.Jobs has %d jobs after seeding %d", len(want), size)
			}
			client := newClient(srv)

			for _, pageSize := range []int32{1, 7, 50, 60} {
				if size > 61 && pageSize < 50 {
					// 1,000 jobs a page or seven at a time are 1,143
					// requests that page no differently from the
					// smaller pools': the full pool is paged in 50s
					// and 60s, through offsets up to 960.
					continue
				}
				t.Run(fmt.Sprint("page=", pageSize), func(t *testing.T) {
					var got []types.UserImportJobType
					var token *string
					for page := 0; ; page++ {
						out, err := listPage(context.Background(), client, pool, pageSize, token)
						if err != nil {
							t.Fatalf("page %d: %v", page, err)
						}
						remaining := size - len(got)
						if wantLen := min(int(pageSize), remaining); len(out.UserImportJobs) != wantLen {
							t.Fatalf("page %d has %d jobs, want %d", page, len(out.UserImportJobs), wantLen)
						}
						got = append(got, out.UserImportJobs...)
						if more := len(got) < size; more != (out.PaginationToken != nil) {
							t.Fatalf("after %d of %d jobs: token %v", len(got), size, aws.ToString(out.PaginationToken))
						}
						if out.PaginationToken == nil {
							break
						}
						if *out.PaginationToken == "" {
							t.Fatal("empty pagination token")
						}
						token = out.PaginationToken
					}

					seen := make(map[string]bool)
					for i, j := range got {
						id := aws.ToString(j.JobId)
						if seen[id] {
							t.Fatalf("job %s seen twice", id)
						}
						seen[id] = true
						if id != want[i].JobID {
							t.Fatalf("job %d is %s, want %s (srv.Jobs order)", i, id, want[i].JobID)
						}
						if i > 0 && j.CreationDate.After(*got[i-1].CreationDate) {
							t.Fatalf("job %d created %v, after job %d (%v): not newest first", i, j.CreationDate, i-1, got[i-1].CreationDate)
						}
					}
					if len(got) != size {
						t.Fatalf("listed %d jobs, want %d", len(got), size)
					}
				})
			}
		})
	}
}

// TestPaginationWhileCreating: jobs created while a client pages through a
// pool do not shift the pages: the client sees every job that was there
// when it began exactly once.
func TestPaginationWhileCreating(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	srv.SeedJobs(testPool, 25)
	want := jobIDs(srv.Jobs(testPool))
	client := newClient(srv)

	var got []string
	var token *string
	for {
		out, err := listPage(context.Background(), client, testPool, 7, token)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range out.UserImportJobs {
			got = append(got, aws.ToString(j.JobId))
		}
		if out.PaginationToken == nil {
			break
		}
		token = out.PaginationToken
		createJob(t, client, testPool, "meanwhile")
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged %v,\nwant %v", got, want)
	}
	if n := len(srv.Jobs(testPool)); n != 25+3 {
		t.Errorf("pool has %d jobs, want 28", n)
	}
}

func TestPaginationTokenReuse(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	srv.SeedJobs(testPool, 10)
	client := newClient(srv)
	ctx := context.Background()

	first, err := listPage(ctx, client, testPool, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := listPage(ctx, client, testPool, 3, first.PaginationToken)
	if err != nil {
		t.Fatal(err)
	}
	b, err := listPage(ctx, client, testPool, 5, first.PaginationToken)
	if err != nil {
		t.Fatal(err)
	}
	want := jobIDs(srv.Jobs(testPool))
	if got := pageIDs(a.UserImportJobs); !slices.Equal(got, want[3:6]) {
		t.Errorf("resumed page = %v, want %v", got, want[3:6])
	}
	if got := pageIDs(b.UserImportJobs); !slices.Equal(got, want[3:8]) {
		t.Errorf("resumed page with a larger MaxResults = %v, want %v", got, want[3:8])
	}
}

func pageIDs(jobs []types.UserImportJobType) []string {
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = aws.ToString(j.JobId)
	}
	return ids
}

// TestPaginationTokenRejected: a token is good only for the pool and the
// server that issued it, and only as issued. Tokens are opaque: the test
// only changes them as strings.
func TestPaginationTokenRejected(t *testing.T) {
	t.Parallel()
	const other = "us-east-1_OtherPool"
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithUserPools(other))
	srv.SeedJobs(testPool, 5)
	srv.SeedJobs(other, 5)
	client := newClient(srv, noRetry)
	ctx := context.Background()

	first, err := listPage(ctx, client, testPool, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	token := aws.ToString(first.PaginationToken)
	if token == "" {
		t.Fatal("no token on a first page of 2 of 5")
	}

	// A server with the same pool and jobs, which never issued the token.
	srv2 := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	srv2.SeedJobs(testPool, 5)

	flip := func(s string, i int) string {
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	tests := []struct {
		name   string
		server *cognitoimporttest.Server
		pool   string
		token  string
	}{
		{"another pool", srv, other, token},
		{"another server", srv2, testPool, token},
		{"first character flipped", srv, testPool, flip(token, 0)},
		{"middle character flipped", srv, testPool, flip(token, len(token)/2)},
		{"last character flipped", srv, testPool, flip(token, len(token)-1)},
		{"truncated", srv, testPool, token[:len(token)-1]},
		{"halved", srv, testPool, token[:len(token)/2]},
		{"extended", srv, testPool, token + "A"},
		{"doubled", srv, testPool, token + token},
		{"random", srv, testPool, "c29tZSByYW5kb20gdG9rZW4gdGhhdCBpcyBub3QgcmVhbA"},
		{"sample from the docs", srv, testPool, testPool + "#import-example3#1667948397084"},
		{"non-ASCII space (passes [\\S]+)", srv, testPool, token[:4] + "\u00a0" + token[4:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client
			if tt.server != srv {
				c = newClient(tt.server, noRetry)
			}
			_, err := listPage(ctx, c, tt.pool, 2, aws.String(tt.token))
			var ipe *types.InvalidParameterException
			if !errors.As(err, &ipe) {
				t.Fatalf("token %q: %v, want InvalidParameterException", tt.token, err)
			}
			if msg := ipe.ErrorMessage(); msg == "" || strings.Contains(msg, "validation error") {
				t.Errorf("message = %q, want a token error rather than a validation report", msg)
			}
		})
	}

	// The genuine token still works after all that.
	out, err := listPage(ctx, client, testPool, 2, first.PaginationToken)
	if err != nil || len(out.UserImportJobs) != 2 {
		t.Errorf("the genuine token: %v, %d jobs", err, len(out.UserImportJobs))
	}
}

// TestEmptyPagesNext: an empty page still carries a token, which resumes
// where the request was; a client must page on until no token comes.
func TestEmptyPagesNext(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithUserPools("us-east-1_Empty"))
	srv.SeedJobs(testPool, 25)
	want := jobIDs(srv.Jobs(testPool))
	client := newClient(srv)
	ctx := context.Background()

	srv.EmptyPagesNext(1)
	// A pool without jobs has no page to empty: its answer is the last
	// page, and the empty page stays queued.
	out, err := listPage(ctx, client, "us-east-1_Empty", 10, nil)
	if err != nil || out.PaginationToken != nil || len(out.UserImportJobs) != 0 {
		t.Fatalf("empty pool: %v, token %v, %d jobs", err, out.PaginationToken, len(out.UserImportJobs))
	}

	srv.EmptyPagesNext(1) // two queued now
	var got []string
	var token *string
	var empties int
	for range 100 {
		out, err := listPage(ctx, client, testPool, 10, token)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.UserImportJobs) == 0 {
			empties++
			if out.PaginationToken == nil {
				t.Fatalf("empty page %d without a token", empties)
			}
		}
		if len(got) == 0 && len(out.UserImportJobs) > 0 {
			srv.EmptyPagesNext(1) // one in the middle too
		}
		got = append(got, pageIDs(out.UserImportJobs)...)
		if out.PaginationToken == nil {
			break
		}
		token = out.PaginationToken
	}
	if empties != 3 {
		t.Errorf("got %d empty pages, want 3", empties)
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged through empty pages to %v,\nwant %v", got, want)
	}
}
