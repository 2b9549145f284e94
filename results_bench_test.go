package cognitoimport_test

import (
	"bytes"
	"math"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// BenchmarkResults reads the results of a 500,000-row job whose every row
// failed (the longest log: 500,002 events of about 150 bytes, 1 MB pages of
// some 6,600 events) three ways, in turn in each iteration so that the
// machine's load weighs on all alike:
//
//   - paginator: the raw cloudwatchlogs GetLogEventsPaginator, counting the
//     events (what any reader of the log pays);
//   - results: Client.Results, every RowResult parsed;
//   - join: the same results joined with the users file (NewResultsFile's
//     index included), every row with its username and bytes.
//
// It reports each way's median time; peak-heap-MB, the most heap in use
// (HeapAlloc, garbage not yet collected included) above the heap at its
// start, sampled at every page (every 10,000 results for the library's
// calls); and live-heap-MB, the most heap left after a collection forced
// every 100,000 rows (the time of the sampling is not counted). The ratio
// metrics are of the medians. The server runs in the same process: its share of each request
// (encoding a 1 MB page) is in every way's numbers alike, and the log and
// the file it holds are in the base, not the peak.
func BenchmarkResults(b *testing.B) {
	const rows = 500_000
	e := newClocked(b, cognitoimporttest.WithImportRate(math.Inf(1)))
	file := []byte(manyRows(rows, "email_verified", "FALSE"))
	job := createJob(b, e.client, "bench")
	if err := e.client.Upload(b.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: bytes.NewReader(file)}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.client.StartJob(b.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
		b.Fatal(err)
	}
	e.clk.Advance(time.Millisecond)
	job, err := e.client.DescribeJob(b.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: job.JobID})
	if err != nil || job.FailedUsers != rows {
		b.Fatalf("the job: %v, %v", job, err)
	}
	logs := cloudwatchlogs.NewFromConfig(e.srv.Config())
	in := cognitoimport.ResultsInput{UserPoolID: testPool, JobID: job.JobID, PoolName: testPool, Job: job}

	type way struct {
		name  string
		run   func(sample func(read int)) int // returns the rows (events) read
		times []time.Duration
		peak  uint64 // HeapAlloc above the base, sampled
		live  uint64 // the heap after a collection, above the base
	}
	ways := []*way{
		{name: "paginator", run: func(sample func(read int)) int {
			p := cloudwatchlogs.NewGetLogEventsPaginator(logs, &cloudwatchlogs.GetLogEventsInput{
				LogGroupName:  aws.String(cognitoimport.LogGroupName(testPool, testPool)),
				LogStreamName: aws.String(cognitoimport.LogStreamName(job.JobID, job.JobName)),
				StartFromHead: aws.Bool(true),
			}, func(o *cloudwatchlogs.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
			n := 0
			for p.HasMorePages() {
				out, err := p.NextPage(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				n += len(out.Events)
				sample(n)
			}
			return n - 2 // the test-log events
		}},
		{name: "results", run: func(sample func(read int)) int {
			n := 0
			for r, err := range e.client.Results(b.Context(), in) {
				if err != nil || r.Outcome != cognitoimport.OutcomeFailed {
					b.Fatal(r, err)
				}
				if n++; n%10_000 == 0 {
					sample(n)
				}
			}
			return n
		}},
		{name: "join", run: func(sample func(read int)) int {
			f, err := cognitoimport.NewResultsFile(bytes.NewReader(file), int64(len(file)))
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for r, err := range f.Join(job, e.client.Results(b.Context(), in)) {
				if err != nil || r.Username == "" {
					b.Fatal(r, err)
				}
				if n++; n%10_000 == 0 {
					sample(n)
				}
			}
			return n
		}},
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for k := range ways {
			w := ways[(i+k)%len(ways)]
			b.StopTimer()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base, peak, live := ms.HeapAlloc, ms.HeapAlloc, ms.HeapAlloc
			nextGC := 100_000
			var sampling time.Duration // not counted in the way's time
			b.StartTimer()
			start := time.Now()
			n := w.run(func(read int) {
				t := time.Now()
				if read >= nextGC {
					nextGC += 100_000
					runtime.GC()
					runtime.ReadMemStats(&ms)
					live = max(live, ms.HeapAlloc)
				} else {
					runtime.ReadMemStats(&ms)
				}
				peak = max(peak, ms.HeapAlloc)
				sampling += time.Since(t)
			})
			w.times = append(w.times, time.Since(start)-sampling)
			w.peak, w.live = max(w.peak, peak-base), max(w.live, live-base)
			if n != rows {
				b.Fatalf("%s read %d rows, want %d", w.name, n, rows)
			}
		}
	}
	b.StopTimer()
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, k int) bool { return ds[i] < ds[k] })
		return ds[len(ds)/2]
	}
	for _, w := range ways {
		b.ReportMetric(median(w.times).Seconds(), w.name+"-s")
		b.ReportMetric(float64(w.peak)/(1<<20), w.name+"-peak-heap-MB")
		b.ReportMetric(float64(w.live)/(1<<20), w.name+"-live-heap-MB")
	}
	b.ReportMetric(float64(median(ways[1].times))/float64(median(ways[0].times)), "results/paginator")
	b.ReportMetric(float64(median(ways[2].times))/float64(median(ways[0].times)), "join/paginator")
}
