package cognitoimporttest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// usersFile returns a users file of n valid users for the default header.
func usersFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(defaultHeader, ",") + "\n")
	for i := range n {
		fmt.Fprintf(&b, ",Given,Family,,,,,,,user%07d@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,1 Main Street\\, Anytown,1700000000,FALSE,user%07d\n", i, i)
	}
	return b.Bytes()
}

// heapPeak samples the heap's live objects every millisecond until stop is
// called, and returns the highest sample minus the first.
func heapPeak() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	peak := base
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				peak = max(peak, read())
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return max(peak, read()) - base
	}
}

// BenchmarkImport500k processes a 500,000-user file as a started job does
// (the checker, the pool's users, the log), and a plain encoding/csv read
// of the same bytes for comparison. It reports the peak heap growth over
// the file's own bytes, and the heap each imported user keeps.
func BenchmarkImport500k(b *testing.B) {
	const n = 500_000
	data := usersFile(n)
	b.Run("import", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := heapPeak()
			log, j := runFileEntries(data, PoolConfig{ID: "us-east-1_Bench"})
			peak := stop()
			if j.ImportedUsers != n || len(log) != n {
				b.Fatalf("%s: %d imported, %q", j.Status, j.ImportedUsers, j.CompletionMessage)
			}
			b.StopTimer()
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			// What stays is the log (the pool went with runFileEntries's
			// job state): its size per line.
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/log-line")
			runtime.KeepAlive(log)
			b.StartTimer()
		}
	})
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			r := csv.NewReader(bytes.NewReader(data))
			r.ReuseRecord, r.FieldsPerRecord, r.LazyQuotes = true, -1, true
			rows := 0
			for {
				if _, err := r.Read(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
				rows++
			}
			if rows != n+1 {
				b.Fatalf("%d rows", rows)
			}
		}
	})
}

// BenchmarkMemoryPerUser measures the heap a pool keeps for each imported
// user: the pool's users after a job of 100,000 users, with the job's log
// and the file released.
func BenchmarkMemoryPerUser(b *testing.B) {
	const n = 100_000
	data := usersFile(n)
	for range b.N {
		s := &Server{now: time.Now}
		s.imports.rate = 1e300
		cfg := normalizePoolConfig(PoolConfig{ID: "us-east-1_Bench"})
		p := &pool{id: cfg.ID, cfg: cfg, header: poolHeader(cfg), users: map[string]*storedUser{}, byID: map[string]int{}}
		t0 := time.Unix(1700000000, 0)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		j := &job{pool: p, data: newFile(data), upload: true, Job: Job{JobID: "import-bench", Status: StatusPending, StartDate: t0}}
		s.catchUp(j, t0.Add(time.Hour))
		j.log = nil
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if j.ImportedUsers != n {
			b.Fatalf("%d imported", j.ImportedUsers)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/user")
		runtime.KeepAlive(p)
	}
}

// BenchmarkUpload100MB sends a 100 MiB file to a job's PreSignedUrl, and
// the same bytes to a handler that copies them to io.Discard, over the same
// kind of loopback connection, to show what the upload's checks and its one
// copy of the file cost.
func BenchmarkUpload100MB(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789abcdef"), MaxFileBytes/16)
	put := func(b *testing.B, url string) {
		req, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("X-Amz-Server-Side-Encryption", "aws:kms")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.Run("server", func(b *testing.B) {
		s := NewServer(WithUserPools("us-east-1_Bench"))
		defer s.Close()
		s.mu.Lock()
		j := s.addJob(s.pools["us-east-1_Bench"], "bench", "arn:aws:iam::123456789012:role/x", s.now())
		s.mu.Unlock()
		url := s.preSignedURL(s.URL, j, s.now())
		b.SetBytes(int64(len(data)))
		for range b.N {
			put(b, url) // each upload replaces the one before
		}
	})
	b.Run("io.Discard", func(b *testing.B) {
		var mu sync.Mutex
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			io.Copy(io.Discard, r.Body)
		}))
		defer hs.Close()
		b.SetBytes(int64(len(data)))
		for range b.N {
			put(b, hs.URL+"/x")
		}
	})
}
