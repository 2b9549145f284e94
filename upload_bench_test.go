package cognitoimport_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
)

// BenchmarkUpload compares Upload with a raw net/http PUT of the same file
// (an *os.File) to the same test server through the same HTTP client, in
// one run: each iteration sends the file both ways, in turn, so that the
// machine's load weighs on both alike. It reports the median time of each
// way and the bytes each allocated (TotalAlloc around it). The server keeps
// each upload in memory, so both byte counts hold the server's copy of the
// file: the client's own cost is the difference. BENCHMARKS.md records the
// numbers.
func BenchmarkUpload(b *testing.B) {
	for _, tc := range []struct {
		name string
		size int64
	}{{"1MB", 1 << 20}, {"100MB", 100 << 20}} {
		for _, hcName := range []string{"sdk", "plain"} {
			b.Run(tc.name+"/"+hcName, func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "users.csv")
				f, err := os.Create(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.CopyN(f, zeros{}, tc.size); err != nil {
					b.Fatal(err)
				}
				f.Close()
				e := newClocked(b)
				job := createJob(b, e.client, "bench")
				// sdk: the HTTP client srv.Config() hands the SDK, which hides
				// a body's WriteTo (see cognitoimporttest's bodyRaceClient), so
				// net/http copies the file; plain: a plain http.Client, with
				// which net/http hands a raw *os.File to the kernel (sendfile).
				var hc cognitoimport.HTTPClient = e.srv.Config().HTTPClient
				uploader := e.client
				if hcName == "plain" {
					plain := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
					b.Cleanup(plain.CloseIdleConnections)
					hc = plain
					uploader = cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config()),
						cognitoimport.WithClock(e.clk), cognitoimport.WithHTTPClient(plain))
				}

				client := func() {
					f, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					defer f.Close()
					if err := uploader.Upload(b.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: f}); err != nil {
						b.Fatal(err)
					}
				}
				raw := func() {
					f, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					defer f.Close()
					req, err := http.NewRequestWithContext(b.Context(), http.MethodPut, reveal(job.PreSignedURL), f)
					if err != nil {
						b.Fatal(err)
					}
					req.ContentLength = tc.size
					req.Header.Set("X-Amz-Server-Side-Encryption", "aws:kms")
					resp, err := hc.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("raw PUT: HTTP %d", resp.StatusCode)
					}
				}
				measure := func(fn func()) (time.Duration, uint64) {
					var before, after runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&before)
					start := time.Now()
					fn()
					d := time.Since(start)
					runtime.ReadMemStats(&after)
					return d, after.TotalAlloc - before.TotalAlloc
				}
				var ct, rt []time.Duration
				var cb, rb uint64
				b.SetBytes(2 * tc.size)
				for b.Loop() {
					d, n := measure(client)
					ct, cb = append(ct, d), cb+n
					d, n = measure(raw)
					rt, rb = append(rt, d), rb+n
				}
				median := func(ds []time.Duration) float64 {
					slices.Sort(ds)
					return float64(ds[len(ds)/2].Nanoseconds()) / 1e6
				}
				b.ReportMetric(median(ct), "client-ms")
				b.ReportMetric(median(rt), "raw-ms")
				b.ReportMetric(median(ct)/median(rt), "client/raw")
				b.ReportMetric(float64(cb)/float64(len(ct)), "client-B")
				b.ReportMetric(float64(rb)/float64(len(rt)), "raw-B")
			})
		}
	}
}

// zeros reads as an endless run of '0' bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}
