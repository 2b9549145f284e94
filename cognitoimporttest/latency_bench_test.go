package cognitoimporttest_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// BenchmarkLatencyDuringImport measures the latency of DescribeUserImportJob
// and GetCSVHeader on one pool while another pool's job imports 500,000
// users at an unlimited rate, beside the same calls on an idle server: an
// import must not stall the server's other callers. A client of the busy
// pool polls its job, which drives the import: every 200 ms, as
// cognitoimport's Wait does (MinPollInterval), or continuously, a second
// busy loop in the process. Each iteration is one import; run it with
// -benchtime 1x. It reports the p50 and p99 of each, in milliseconds, and
// the ratio of the busy p99 to the idle one.
func BenchmarkLatencyDuringImport(b *testing.B) {
	const users = 500_000
	var file bytes.Buffer
	file.WriteString(strings.Join(usersfile.DefaultHeader(), ",") + "\n")
	for i := range users {
		fmt.Fprintf(&file, ",Given,Family,,,,,,,user%07d@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,1 Main Street,1700000000,FALSE,user%07d\n", i, i)
	}
	b.Run("poll=200ms", func(b *testing.B) { latencyDuringImport(b, file.Bytes(), users, 200*time.Millisecond) })
	b.Run("poll=continuous", func(b *testing.B) { latencyDuringImport(b, file.Bytes(), users, 0) })
}

// latencyDuringImport is BenchmarkLatencyDuringImport for a file of users
// rows, its busy pool polled every pollEvery (0: continuously).
func latencyDuringImport(b *testing.B, file []byte, users int64, pollEvery time.Duration) {
	const (
		busyPool = "us-east-1_Busy"
		idlePool = "us-east-1_Idle"
	)
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(busyPool, idlePool), cognitoimporttest.WithImportRate(math.Inf(1)))
		client := newClient(srv)
		busy := createJob(b, client, busyPool, "busy")
		other := createJob(b, client, idlePool, "other")
		req, err := http.NewRequest(http.MethodPut, aws.ToString(busy.PreSignedUrl), bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("X-Amz-Server-Side-Encryption", "aws:kms")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("upload: %v %v", resp, err)
		}
		// measure calls the two operations on the other pool, in turn,
		// until more() is false, and returns their latencies.
		measure := func(more func(n int) bool) (describe, header []time.Duration) {
			for n := 0; more(n); n++ {
				t0 := time.Now()
				if _, err := client.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{UserPoolId: aws.String(idlePool), JobId: other.JobId}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := client.GetCSVHeader(ctx, &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(idlePool)}); err != nil {
					b.Fatal(err)
				}
				describe, header = append(describe, t1.Sub(t0)), append(header, time.Since(t1))
			}
			return describe, header
		}
		idleDescribe, idleHeader := measure(func(n int) bool { return n < 2000 })

		b.StartTimer()
		if _, err := client.StartUserImportJob(ctx, &cognitoidentityprovider.StartUserImportJobInput{UserPoolId: aws.String(busyPool), JobId: busy.JobId}); err != nil {
			b.Fatal(err)
		}
		// A client of the busy pool polls its job, which drives the import.
		ended := make(chan *types.UserImportJobType, 1)
		go func() {
			for {
				out, err := client.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{UserPoolId: aws.String(busyPool), JobId: busy.JobId})
				if err != nil {
					b.Error(err)
					ended <- nil
					return
				}
				if st := out.UserImportJob.Status; st != types.UserImportJobStatusTypePending && st != types.UserImportJobStatusTypeInProgress {
					ended <- out.UserImportJob
					return
				}
				time.Sleep(pollEvery)
			}
		}()
		var job *types.UserImportJobType
		busyDescribe, busyHeader := measure(func(int) bool {
			select {
			case job = <-ended:
				return false
			default:
				return true
			}
		})
		b.StopTimer()
		if job == nil || job.ImportedUsers != users {
			b.Fatalf("the import ended as %+v", job)
		}
		srv.Close()
		p := func(d []time.Duration, q float64) float64 {
			slices.Sort(d)
			return float64(d[int(q*float64(len(d)-1))]) / 1e6
		}
		b.ReportMetric(p(idleDescribe, 0.5), "idle-describe-p50-ms")
		b.ReportMetric(p(idleDescribe, 0.99), "idle-describe-p99-ms")
		b.ReportMetric(p(busyDescribe, 0.5), "busy-describe-p50-ms")
		b.ReportMetric(p(busyDescribe, 0.99), "busy-describe-p99-ms")
		b.ReportMetric(p(idleHeader, 0.5), "idle-header-p50-ms")
		b.ReportMetric(p(idleHeader, 0.99), "idle-header-p99-ms")
		b.ReportMetric(p(busyHeader, 0.5), "busy-header-p50-ms")
		b.ReportMetric(p(busyHeader, 0.99), "busy-header-p99-ms")
		b.ReportMetric(p(busyDescribe, 0.99)/p(idleDescribe, 0.99), "describe-p99-ratio")
		b.ReportMetric(p(busyHeader, 0.99)/p(idleHeader, 0.99), "header-p99-ratio")
		b.ReportMetric(float64(len(busyDescribe)), "busy-calls")
		b.StartTimer()
	}
}
