package cognitoimport_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The benchmarks of BENCHMARKS.md. They run against the in-memory server on
// loopback, in the same process, so the numbers include the server's work.

const benchPool = "us-east-1_bench"

// benchSetup starts a server whose pool benchPool holds jobs seeded jobs,
// and returns it with a raw SDK client and a Client of it. The server keeps
// no records of calls (WithMaxCalls(0)): each is about 2 KB, which a walk of
// 1,667 pages would add to the heap that BenchmarkWalk measures as the
// client's.
func benchSetup(b *testing.B, jobs int) (*cognitoimporttest.Server, *cognitoidentityprovider.Client, *cognitoimport.Client) {
	b.Helper()
	srv := cognitoimporttest.NewTestServer(b, cognitoimporttest.WithUserPools(benchPool), cognitoimporttest.WithMaxCalls(0))
	srv.SeedJobs(benchPool, jobs)
	sdk := cognitoidentityprovider.NewFromConfig(srv.Config())
	return srv, sdk, cognitoimport.New(sdk)
}

// benchSeed is the number of jobs benchSetup seeds for op: 1,000 for
// ListJobs, whose first page of 60 it lists; none for CreateJob,
// whose jobs go to fresh pools (createPools) so that no pool reaches the
// server's quota of MaxJobsPerPool jobs.
func benchSeed(op string) int {
	if op == "CreateJob" {
		return 0
	}
	return 1000
}

// createPools hands out the pools a CreateJob benchmark creates its jobs in:
// benchPool, then a new pool each time the current one holds MaxJobsPerPool
// jobs, so that a benchmark of any length stays under the server's quota
// (the server never deletes a job). next is called before each CreateJob;
// the pool it creates is made with the benchmark's timer stopped, outside
// the calls' own timing.
type createPools struct {
	b    *testing.B
	srv  *cognitoimporttest.Server
	pool string
	jobs int // created in pool
	made int // pools created after benchPool
}

func (p *createPools) next() string {
	if p.pool == "" {
		p.pool = benchPool
	}
	if p.jobs == cognitoimporttest.MaxJobsPerPool {
		p.b.StopTimer()
		p.made++
		p.pool = fmt.Sprintf("us-east-1_bench%d", p.made)
		p.srv.CreateUserPool(p.pool)
		p.jobs = 0
		p.b.StartTimer()
	}
	p.jobs++
	return p.pool
}

// BenchmarkOverhead measures what the Client adds to the raw SDK client for
// one CreateJob and one ListJobs page of 60 jobs. Each iteration makes the
// raw call and the Client's call back to back, in alternating order, so that
// both see the same machine load; the metrics are each side's mean time and
// their ratio (client/sdk). Allocations are in BenchmarkCalls.
func BenchmarkOverhead(b *testing.B) {
	ctx := context.Background()
	for _, op := range []string{"CreateJob", "ListJobs"} {
		b.Run(op, func(b *testing.B) {
			srv, sdk, client := benchSetup(b, benchSeed(op))
			raw, wrapped := benchCalls(ctx, op, sdk, client, &createPools{b: b, srv: srv})
			var rawTime, clientTime time.Duration
			b.ResetTimer()
			for i := range b.N {
				first, second := raw, wrapped
				if i%2 == 1 {
					first, second = wrapped, raw
				}
				t0 := time.Now()
				first(b)
				t1 := time.Now()
				second(b)
				t2 := time.Now()
				if i%2 == 0 {
					rawTime, clientTime = rawTime+t1.Sub(t0), clientTime+t2.Sub(t1)
				} else {
					clientTime, rawTime = clientTime+t1.Sub(t0), rawTime+t2.Sub(t1)
				}
			}
			b.ReportMetric(float64(rawTime.Nanoseconds())/float64(b.N), "sdk-ns/call")
			b.ReportMetric(float64(clientTime.Nanoseconds())/float64(b.N), "client-ns/call")
			b.ReportMetric(float64(clientTime)/float64(rawTime), "client/sdk")
		})
	}
}

// BenchmarkCalls measures each call alone, for its allocations.
func BenchmarkCalls(b *testing.B) {
	ctx := context.Background()
	for _, op := range []string{"CreateJob", "ListJobs"} {
		for _, side := range []string{"sdk", "client"} {
			b.Run(op+"/"+side, func(b *testing.B) {
				srv, sdk, client := benchSetup(b, benchSeed(op))
				raw, wrapped := benchCalls(ctx, op, sdk, client, &createPools{b: b, srv: srv})
				call := raw
				if side == "client" {
					call = wrapped
				}
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					call(b)
				}
			})
		}
	}
}

// benchCalls returns the raw SDK call and the Client's call for op. A
// CreateJob goes to the pool pools hands out.
func benchCalls(ctx context.Context, op string, sdk *cognitoidentityprovider.Client, client *cognitoimport.Client, pools *createPools) (raw, wrapped func(testing.TB)) {
	role := "arn:aws:iam::123456789012:role/CognitoImportLogs"
	if op == "CreateJob" {
		raw = func(tb testing.TB) {
			if _, err := sdk.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
				UserPoolId: aws.String(pools.next()), JobName: aws.String("bench"), CloudWatchLogsRoleArn: aws.String(role),
			}); err != nil {
				tb.Fatal(err)
			}
		}
		wrapped = func(tb testing.TB) {
			if _, err := client.CreateJob(ctx, cognitoimport.CreateJobInput{
				UserPoolID: pools.next(), JobName: "bench", CloudWatchLogsRoleARN: role,
			}); err != nil {
				tb.Fatal(err)
			}
		}
		return raw, wrapped
	}
	raw = func(tb testing.TB) {
		out, err := sdk.ListUserImportJobs(ctx, &cognitoidentityprovider.ListUserImportJobsInput{
			UserPoolId: aws.String(benchPool), MaxResults: aws.Int32(60),
		})
		if err != nil || len(out.UserImportJobs) != 60 {
			tb.Fatal(err)
		}
	}
	wrapped = func(tb testing.TB) {
		out, err := client.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: benchPool})
		if err != nil || len(out.Jobs) != 60 {
			tb.Fatal(err)
		}
	}
	return raw, wrapped
}

// BenchmarkWalk walks every job of pools of 1,000, 10,000 and 100,000 jobs
// with Client.Jobs. Metrics: requests per walk (the minimum is ceil(N/60)),
// time per job, and retained-B: the most live heap the walk held above what
// the process held before it, sampled after a forced GC at ten points of each
// walk, which is flat in N when the iteration holds one page at a time.
func BenchmarkWalk(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("jobs=%d", n), func(b *testing.B) {
			srv, _, client := benchSetup(b, n)
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			var retained uint64
			every := max(n/10, 1)
			before := srv.Requests(cognitoimporttest.ListUserImportJobs)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				seen := 0
				for _, err := range client.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: benchPool}) {
					if err != nil {
						b.Fatal(err)
					}
					if seen++; seen%every == 0 {
						b.StopTimer()
						runtime.GC()
						runtime.ReadMemStats(&ms)
						if ms.HeapAlloc > base {
							retained = max(retained, ms.HeapAlloc-base)
						}
						b.StartTimer()
					}
				}
				if seen != n {
					b.Fatalf("walked %d jobs, want %d", seen, n)
				}
			}
			b.StopTimer()
			requests := srv.Requests(cognitoimporttest.ListUserImportJobs) - before
			b.ReportMetric(float64(requests)/float64(b.N), "requests/walk")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/job")
			b.ReportMetric(float64(retained), "retained-B")
		})
	}
}
