package cognitoimporttest_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// BenchmarkListPage measures one ListUserImportJobs page of 60 from the
// middle of pools of growing size, through the SDK over HTTP. A page costs
// the same whatever the pool's size: the token names the position to go on
// from, and the server neither scans nor copies the pool.
func BenchmarkListPage(b *testing.B) {
	for _, size := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprint("jobs=", size), func(b *testing.B) {
			srv := cognitoimporttest.NewTestServer(b, cognitoimporttest.WithUserPools(testPool))
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

// BenchmarkLoad measures the server under concurrent load on loopback: 1, 8
// and 64 goroutines, each with its own SDK client, list pages of 60 jobs
// until b.N requests are made in all. Metrics: requests per second, and the
// 50th and 99th percentile of the request latency seen by the clients. The
// clients run in the same process, so the numbers are those of the whole
// round trip on this machine.
func BenchmarkLoad(b *testing.B) {
	for _, clients := range []int{1, 8, 64} {
		b.Run(fmt.Sprint("clients=", clients), func(b *testing.B) {
			srv := cognitoimporttest.NewTestServer(b, cognitoimporttest.WithUserPools(testPool))
			srv.SeedJobs(testPool, 1000)
			ctx := context.Background()
			latencies := make([][]time.Duration, clients)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for c := range clients {
				client := newClient(srv)
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						t0 := time.Now()
						if _, err := listPage(ctx, client, testPool, 60, nil); err != nil {
							b.Error(err)
							return
						}
						latencies[c] = append(latencies[c], time.Since(t0))
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			var all []time.Duration
			for _, l := range latencies {
				all = append(all, l...)
			}
			slices.Sort(all)
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-us")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-us")
		})
	}
}
