//go:build linux

package cognitoimport_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// benchServerEnv makes the test binary, started again by the benchmarks
// below, serve as a test server (in a process of its own, so that the heap
// the benchmark measures is the client's alone) for the users named
// u0000001 to uN, N being the variable's value.
const benchServerEnv = "COGNITOIMPORT_BENCH_SERVER"

// TestMain serves as the benchmarks' test server when benchServerEnv is
// set, and runs the tests otherwise.
func TestMain(m *testing.M) {
	if n := os.Getenv(benchServerEnv); n != "" {
		os.Exit(serveForBench(n))
	}
	os.Exit(m.Run())
}

// serveForBench runs a test server whose jobs import at once, prints its
// URL, and, once its stdin ends, prints how many of the users u0000001 to
// u<n> the pool holds, how many other users, and the server's live heap.
func serveForBench(n string) int {
	want, err := strconv.Atoi(n)
	if err != nil {
		fmt.Println(err)
		return 2
	}
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool),
		cognitoimporttest.WithImportRate(math.Inf(1)), cognitoimporttest.WithMaxCalls(0))
	defer srv.Close()
	fmt.Println(srv.URL)
	io.Copy(io.Discard, os.Stdin)
	found, other := 0, 0
	for _, u := range srv.Users(testPool) {
		if i, err := strconv.Atoi(strings.TrimPrefix(u.Username, "u")); err == nil && i >= 1 && i <= want && u.Username == benchName(i) {
			found++
		} else {
			other++
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println(found, other, ms.HeapAlloc)
	return 0
}

func benchName(i int) string { return fmt.Sprintf("u%07d", i) }

// benchServer is a test server in a child process.
type benchServer struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
	url   string
}

func startBenchServer(b *testing.B, users int) *benchServer {
	b.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), benchServerEnv+"="+strconv.Itoa(users))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &benchServer{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	b.Cleanup(func() { s.stdin.Close(); s.cmd.Process.Kill(); s.cmd.Wait() })
	line, err := s.out.ReadString('\n')
	if err != nil {
		b.Fatalf("the server said %q: %v", line, err)
	}
	s.url = strings.TrimSpace(line)
	return s
}

// client returns a Client of the server, with Wait's shortest delays.
func (s *benchServer) client() *cognitoimport.Client {
	cfg := aws.Config{
		Region: cognitoimporttest.DefaultRegion,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: cognitoimporttest.DefaultAccessKeyID, SecretAccessKey: cognitoimporttest.DefaultSecretAccessKey}, nil
		}),
		BaseEndpoint: aws.String(s.url),
		HTTPClient:   &http.Client{},
	}
	return cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg))
}

// finish ends the server and fails b unless the pool holds exactly the
// users u0000001 to u<users>; it returns the server's live heap.
func (s *benchServer) finish(b *testing.B, users int) uint64 {
	b.Helper()
	s.stdin.Close()
	line, err := s.out.ReadString('\n')
	var found, other int
	var heap uint64
	if _, serr := fmt.Sscan(line, &found, &other, &heap); serr != nil || err != nil {
		b.Fatalf("the server said %q: %v", line, err)
	}
	if found != users || other != 0 {
		b.Fatalf("the pool holds %d of the file's %d users and %d others", found, users, other)
	}
	return heap
}

// writeBenchFile writes a users file of n users (u0000001, ...) to dir,
// about 60 bytes a row, and returns its path.
func writeBenchFile(b *testing.B, dir string, n int) string {
	b.Helper()
	path := filepath.Join(dir, fmt.Sprintf("users-%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(usersHeader + "\n")
	for i := 1; i <= n; i++ {
		w.WriteString(userRow(benchName(i)))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// sampledFile is a users file that records the highest live heap
// (HeapAlloc, garbage included) every MiB read, in the phase its owner
// sets: 0 the check, 1 the parts' uploads.
type sampledFile struct {
	f     *os.File
	next  int
	phase int
	peak  [2]uint64
}

func (s *sampledFile) Stat() (fs.FileInfo, error) { return s.f.Stat() }

func (s *sampledFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := s.f.ReadAt(p, off)
	if s.next -= n; s.next <= 0 {
		s.next = 1 << 20
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s.peak[s.phase] = max(s.peak[s.phase], ms.HeapAlloc)
	}
	return n, err
}

// cpuTime returns the CPU time (user and system) this process has used: the
// client's alone, since the server runs in a child process.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportAll imports 1,200,000 users (three parts) and 3,000,000
// users (six parts) end to end with ImportAll, against a test server in a
// process of its own whose jobs import at once, and then the same users as
// separate Import calls of the same parts (files written beforehand, not
// timed). Each run fails unless the server's pool holds exactly the file's
// users. It reports the time of the check, of the uploads and of the rest
// (create, start and the server's import, waited for), the client's peak
// heap above its start in the check and in the parts' import, the server's
// live heap at the end, the client's CPU time (this process's, the
// server's being its own) for each way, and ImportAll's CPU overhead per
// user over the separate Imports: wall-clock times on a shared machine vary
// by seconds from run to run, the client's CPU time much less.
//
// Each iteration allocates gigabytes (the server keeps every user): run it
// once, as BENCHMARKS.md says.
func BenchmarkImportAll(b *testing.B) {
	for _, users := range []int{600_000, 1_200_000, 3_000_000} {
		b.Run(strconv.Itoa(users), func(b *testing.B) {
			dir := b.TempDir()
			path := writeBenchFile(b, dir, users)
			for b.Loop() {
				benchImportAll(b, path, users)
			}
		})
	}
}

func benchImportAll(b *testing.B, path string, users int) {
	ctx := context.Background()
	f := open(b, path)

	// ImportAll.
	srv := startBenchServer(b, users)
	client := srv.client()
	file := &sampledFile{f: f}
	var check, upload, other time.Duration
	var mark time.Time
	var step cognitoimport.ImportStep
	var parts int
	in := cognitoimport.ImportAllInput{UserPoolID: testPool, JobName: "migration", CloudWatchLogsRoleARN: testRoleARN,
		File: file, Journal: filepath.Join(b.TempDir(), "journal.json"), Settings: cognitoimport.DefaultPoolSettings(testPool),
		MinDelay: cognitoimport.MinPollInterval, MaxDelay: cognitoimport.MinPollInterval,
		Progress: func(p cognitoimport.ImportAllProgress) {
			now := time.Now()
			switch step {
			case cognitoimport.StepCheck:
				check += now.Sub(mark)
			case cognitoimport.StepUpload:
				upload += now.Sub(mark)
			default:
				other += now.Sub(mark)
			}
			mark, step, parts = now, p.Step, p.Parts
			if os.Getenv("BENCH_DEBUG") != "" {
				fmt.Fprintln(os.Stderr, now.Format("15:04:05.000"), p.Step, p.Part, p.Done, p.Job != nil && p.Job.Status != "")
			}
			if p.Step != cognitoimport.StepCheck && file.phase == 0 {
				// The check's set of usernames is garbage now: measure
				// the parts' import from the heap without it.
				runtime.GC()
				file.phase = 1
			}
		},
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	start, cpu := time.Now(), cpuTime(b)
	mark = start
	got, err := client.ImportAll(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	all, allCPU := time.Since(start), cpuTime(b)-cpu
	other += time.Since(mark)
	serverHeap := srv.finish(b, users)
	if len(got) != parts || parts != (users+499_999)/500_000 {
		b.Fatalf("%d parts", len(got))
	}

	// The same parts, as separate Import calls.
	var names []string
	for _, p := range got {
		name := filepath.Join(b.TempDir(), fmt.Sprintf("part-%d.csv", p.Number))
		out, err := os.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		out.WriteString(usersHeader + "\n")
		if _, err := io.Copy(out, io.NewSectionReader(f, p.Offset, p.End-p.Offset)); err != nil {
			b.Fatal(err)
		}
		out.Close()
		names = append(names, name)
	}
	srv = startBenchServer(b, users)
	client = srv.client()
	start, cpu = time.Now(), cpuTime(b)
	for _, name := range names {
		in := cognitoimport.ImportInput{UserPoolID: testPool, JobName: "part", CloudWatchLogsRoleARN: testRoleARN,
			File: open(b, name), Settings: cognitoimport.DefaultPoolSettings(testPool),
			MinDelay: cognitoimport.MinPollInterval, MaxDelay: cognitoimport.MinPollInterval}
		if _, err := client.Import(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	separate, separateCPU := time.Since(start), cpuTime(b)-cpu
	srv.finish(b, users)

	mib := func(n uint64) float64 { return float64(n) / (1 << 20) }
	b.ReportMetric(check.Seconds(), "check-s")
	b.ReportMetric(upload.Seconds(), "upload-s")
	b.ReportMetric(other.Seconds(), "create+start+import-s")
	b.ReportMetric(all.Seconds(), "importall-s")
	b.ReportMetric(separate.Seconds(), "imports-s")
	b.ReportMetric(allCPU.Seconds(), "importall-cpu-s")
	b.ReportMetric(separateCPU.Seconds(), "imports-cpu-s")
	b.ReportMetric(float64((allCPU-separateCPU).Nanoseconds())/float64(users), "overhead-cpu-ns/user")
	b.ReportMetric(mib(file.peak[0]-min(base, file.peak[0])), "check-peak-heap-MiB")
	b.ReportMetric(mib(file.peak[1]-min(base, file.peak[1])), "import-peak-heap-MiB")
	b.ReportMetric(mib(serverHeap), "server-heap-MiB")
}
