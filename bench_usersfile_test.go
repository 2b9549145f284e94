package cognitoimport_test

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// The users-file benchmarks of BENCHMARKS.md.

var benchHeader = append(usersfile.DefaultHeader(), "custom:dept")

// benchUser returns the i-th user of the benchmarks: typical values, a
// comma in the address.
func benchUser(i int) cognitoimport.User {
	n := strconv.Itoa(i)
	return cognitoimport.User{
		Username: "user" + n, Name: "Jane Roe " + n, GivenName: "Jane", FamilyName: "Roe",
		Email: "user" + n + "@example.com", EmailVerified: true,
		PhoneNumber: "+1206555" + strconv.Itoa(1000+i%9000), PhoneNumberVerified: i%2 == 0,
		Birthdate: time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		Locale:    "en-US", Address: "123 Any Street, Springfield, OR 97477",
		UpdatedAt: time.Unix(1700000000+int64(i), 0), Custom: map[string]string{"dept": "sales"},
	}
}

// record returns u's values in header order as encoding/csv takes them.
func record(u cognitoimport.User, header []string) []string {
	tf := func(b bool) string {
		if b {
			return "TRUE"
		}
		return "FALSE"
	}
	v := map[string]string{
		"cognito:username": u.Username, "name": u.Name, "given_name": u.GivenName, "family_name": u.FamilyName,
		"email": u.Email, "email_verified": tf(u.EmailVerified), "phone_number": u.PhoneNumber,
		"phone_number_verified": tf(u.PhoneNumberVerified), "birthdate": u.Birthdate.Format("01/02/2006"),
		"locale": u.Locale, "address": u.Address, "updated_at": strconv.FormatInt(u.UpdatedAt.Unix(), 10),
		"cognito:mfa_enabled": tf(u.MFAEnabled), "custom:dept": u.Custom["dept"],
	}
	r := make([]string, len(header))
	for i, h := range header {
		r[i] = v[h]
	}
	return r
}

// BenchmarkWriteUsers writes b.N users (run it with -benchtime 500000x):
// UsersWriter from typed Users, against encoding/csv from the same values
// already formatted as strings (the cheapest csv can do; it quotes instead
// of escaping, so its file is not one the service reads).
func BenchmarkWriteUsers(b *testing.B) {
	const distinct = 1000
	users := make([]cognitoimport.User, distinct)
	records := make([][]string, distinct)
	for i := range users {
		users[i] = benchUser(i)
		records[i] = record(users[i], benchHeader)
	}
	b.Run("UsersWriter", func(b *testing.B) {
		// Usernames must differ: prepared outside the timer.
		names := make([]string, b.N)
		for i := range names {
			names[i] = "user" + strconv.Itoa(i)
		}
		w, err := cognitoimport.NewUsersWriter(io.Discard, benchHeader)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			u := users[i%distinct]
			u.Username = names[i]
			if err := w.Write(u); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.Size())/float64(b.N), "bytes/user")
	})
	b.Run("encoding-csv", func(b *testing.B) {
		names := make([]string, b.N)
		for i := range names {
			names[i] = "user" + strconv.Itoa(i)
		}
		w := csv.NewWriter(io.Discard)
		if err := w.Write(benchHeader); err != nil {
			b.Fatal(err)
		}
		username := slices.Index(benchHeader, "cognito:username")
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			r := records[i%distinct]
			r[username] = names[i]
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			b.Fatal(err)
		}
	})
}

// bigFile writes a file of 500,000 users just under 100 MB to a temporary
// file, with UsersWriter (the address padded to reach the size), and returns
// its name. The file is read from disk, not held in memory, so that the heap
// measured is the reader's own.
func bigFile(b *testing.B) string {
	name := filepath.Join(b.TempDir(), "users.csv")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w, err := cognitoimport.NewUsersWriter(f, benchHeader)
	if err != nil {
		b.Fatal(err)
	}
	pad := strings.Repeat("x", 35)
	for i := range 500000 {
		u := benchUser(i)
		u.Address += ", " + pad
		if err := w.Write(u); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if w.Size() > 100<<20 {
		b.Fatalf("the file is %d bytes", w.Size())
	}
	return name
}

func open(b *testing.B, name string) *os.File {
	f, err := os.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}

// heapSampler is an io.Reader that records the highest live heap seen
// while it is read, every 1 MiB, above the heap at its start.
type heapSampler struct {
	r          io.Reader
	base, peak uint64
	next       int
}

func newHeapSampler(r io.Reader) *heapSampler {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return &heapSampler{r: r, base: ms.HeapAlloc}
}

func (s *heapSampler) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if s.next -= n; s.next <= 0 {
		s.next = 1 << 20
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s.peak = max(s.peak, ms.HeapAlloc)
	}
	return n, err
}

// BenchmarkCheckFile reads a 100 MB file of 500,000 users from disk (the
// page cache, after the first read): CheckFile against encoding/csv reading
// the same bytes (ReuseRecord; csv splits `\,` where the service does not,
// and checks nothing). peak-heap-MB is the most heap in use (HeapAlloc, so
// garbage not yet collected included) above the heap at the start, sampled
// every MiB read.
func BenchmarkCheckFile(b *testing.B) {
	name := bigFile(b)
	fi, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	size := fi.Size()
	b.Logf("the file: %d bytes", size)
	rules := cognitoimport.DefaultPoolSettings("us-east-1_bench")
	rules.Header = benchHeader
	b.Run("CheckFile", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		var peak uint64
		for range b.N {
			b.StopTimer()
			s := newHeapSampler(open(b, name))
			b.StartTimer()
			users, err := cognitoimport.CheckFile(s, rules, cognitoimport.CheckOptions{})
			if users != 500000 || err != nil {
				b.Fatal(users, err)
			}
			peak = max(peak, s.peak-s.base)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		var peak uint64
		for range b.N {
			b.StopTimer()
			s := newHeapSampler(open(b, name))
			b.StartTimer()
			r := csv.NewReader(s)
			r.ReuseRecord = true
			r.FieldsPerRecord = -1
			rows := 0
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows++
			}
			if rows != 500001 {
				b.Fatal(rows)
			}
			peak = max(peak, s.peak-s.base)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
}
