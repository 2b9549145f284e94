package cognitoimport_test

import (
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// BenchmarkExport exports pools of 10,000 and 100,000 users from the test
// server, with their subs, through the real SDK over loopback, with no rate
// of its own (at the service's 5 requests a second, 100,000 users take at
// least 1,667 / 5 = 334 s whatever the client does). requests/op is the
// ListUsers requests, ceil(N/60). retained-heap-KB is the most heap still in
// use after a GC (taken every 100 pages) above the heap before the export,
// the server's pool excluded: what the export holds, which must not grow
// with N.
func BenchmarkExport(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			// WithMaxCalls(0): the server's record of calls would grow with
			// the requests.
			srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(srcPool), cognitoimporttest.WithMaxCalls(0))
			b.Cleanup(srv.Close)
			for i := range n {
				srv.AddUser(srcPool, cognitoimporttest.User{Username: fmt.Sprintf("user%07d", i), Attributes: map[string]string{
					"email": fmt.Sprintf("user%07d@example.com", i), "email_verified": "true",
					"given_name": "Given", "family_name": "Family", "phone_number": "+12345550100",
				}})
			}
			client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(srv.Config()))
			settings := cognitoimport.DefaultPoolSettings(srcPool)
			b.ReportAllocs()
			var retained uint64
			for range b.N {
				b.StopTimer()
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				before := srv.Requests(cognitoimporttest.ListUsers)
				pages := 0
				b.StartTimer()
				out, err := client.Export(b.Context(), cognitoimport.ExportInput{
					UserPoolID: srcPool, Settings: settings, Users: io.Discard, Subs: io.Discard, RequestsPerSecond: -1,
					Progress: func(cognitoimport.ExportProgress) {
						if pages++; pages%100 == 0 {
							b.StopTimer()
							runtime.GC()
							runtime.ReadMemStats(&ms)
							retained = max(retained, ms.HeapAlloc-min(ms.HeapAlloc, base))
							b.StartTimer()
						}
					},
				})
				if err != nil || out.Exported != n {
					b.Fatal(out, err)
				}
				b.StopTimer()
				if got, want := srv.Requests(cognitoimporttest.ListUsers)-before, (n+59)/60; got != want {
					b.Fatalf("%d ListUsers requests, want %d", got, want)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64((n+59)/60), "requests/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/user")
			b.ReportMetric(float64(retained)/1024, "retained-heap-KB")
		})
	}
}
