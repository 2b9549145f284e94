package cognitoimporttest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// BenchmarkListPage measures one ListUserImportJobs page of 60 from the
// middle of pools of growing size, through the SDK over HTTP. A page costs
// the same whatever the pool's size: the token names the position to go on
// from, and the server neither scans nor copies the pool.
func BenchmarkListPage(b *testing.B) {
	for _, size := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprint("jobs=", size), func(b *testing.B) {
			srv := newServer(b)
			srv.SeedJobs(testPool, size)
			client := newClient(srv)
			ctx := context.Background()

			// Page to the middle: the next page of 60 is jobs
			// (size-60)/2 to (size+60)/2 of the newest-first list.
			var token *string
			for skip := (size - 60) / 2; skip > 0; {
				out, err := listPage(ctx, client, testPool, int32(min(skip, 60)), token)
				if err != nil {
					b.Fatal(err)
				}
				skip -= len(out.UserImportJobs)
				token = out.PaginationToken
			}
			want := srv.Jobs(testPool)[(size-60)/2].JobID

			b.ReportAllocs()
			for b.Loop() {
				out, err := listPage(ctx, client, testPool, 60, token)
				if err != nil {
					b.Fatal(err)
				}
				if len(out.UserImportJobs) != 60 || aws.ToString(out.UserImportJobs[0].JobId) != want {
					b.Fatalf("got %d jobs from %s, want 60 from %s", len(out.UserImportJobs), aws.ToString(out.UserImportJobs[0].JobId), want)
				}
			}
		})
	}
}
