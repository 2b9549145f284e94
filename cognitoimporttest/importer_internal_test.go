package cognitoimporttest

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// runFile runs the server's import of data into a fresh pool with cfg, at
// an infinite rate, without HTTP, and returns the job's log and its end.
func runFile(data []byte, cfg PoolConfig) (log []string, j *Job) {
	entries, j := runFileEntries(data, cfg)
	for _, e := range entries {
		log = append(log, e.String())
	}
	return log, j
}

func runFileEntries(data []byte, cfg PoolConfig) (log []logEntry, j *Job) {
	return runChunks(newFile(data), cfg)
}

// runChunks is runFile over a file in chunks.
func runChunks(f *file, cfg PoolConfig) (log []logEntry, j *Job) {
	return runChunksLimit(f, cfg, 0)
}

// runChunksLimit is runChunks with the server's limit of users a file may
// hold lowered to maxUsers, as WithMaxUsers does; 0 keeps the documented
// one.
func runChunksLimit(f *file, cfg PoolConfig, maxUsers int) (log []logEntry, j *Job) {
	s := &Server{now: time.Now}
	s.imports.rate = math.Inf(1)
	s.imports.maxUsers = maxUsers
	cfg = normalizePoolConfig(cfg)
	p := &pool{id: cfg.ID, cfg: cfg, header: poolHeader(cfg), users: map[string]*storedUser{}, byID: map[string]int{}}
	t0 := time.Unix(1700000000, 0)
	st := &job{pool: p, data: f, upload: true, Job: Job{JobID: "import-fuzz", UserPoolID: cfg.ID, Status: StatusPending, StartDate: t0}}
	s.catchUp(st, t0.Add(time.Second))
	return st.log, &st.Job
}

const internalSample = "cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled\n" +
	"John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE\n" +
	"Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE\n"

// FuzzImport runs the server's import over arbitrary files: it must not
// panic or hang, must end the job, must log one line a row with a count to
// match, and a row's outcome must never depend on the rows after it: the
// log of the file cut after any line is the start of the whole file's log.
func FuzzImport(f *testing.F) {
	f.Add([]byte(internalSample))
	f.Add([]byte(strings.Replace(internalSample, "Jane,", "John,", 1)))
	f.Add([]byte(strings.ReplaceAll(internalSample, "\n", "\r\n")))
	f.Add([]byte(strings.Replace(internalSample, "123 Any Street", `123\, Any Street\`, 1)))
	f.Add([]byte("\uFEFF" + internalSample))
	f.Add([]byte(""))
	f.Add([]byte("cognito:username\n\n\n"))
	cfg := PoolConfig{ID: "us-east-1_Fuzz", MFA: MFAOptional, AutoVerifiedAttributes: []string{"email", "phone_number"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		log, j := runFile(data, cfg)
		if !j.Status.Terminal() {
			t.Fatalf("the job did not end: %s", j.Status)
		}
		if n := j.ImportedUsers + j.SkippedUsers + j.FailedUsers; int(n) != len(log) {
			t.Fatalf("counts %d/%d/%d for %d log lines", j.ImportedUsers, j.SkippedUsers, j.FailedUsers, len(log))
		}
		// The same file read in three chunks, as an upload keeps it, is
		// imported the same way.
		a, b := len(data)/3, 2*len(data)/3
		chunked := &file{size: int64(len(data))}
		for _, c := range [][]byte{data[:a], data[a:b], data[b:]} {
			if len(c) > 0 {
				chunked.chunks = append(chunked.chunks, c)
			}
		}
		entries, cj := runChunks(chunked, cfg)
		if len(entries) != len(log) || cj.Status != j.Status || cj.CompletionMessage != j.CompletionMessage {
			t.Fatalf("in chunks: %d lines, %s %q; whole: %d lines, %s %q", len(entries), cj.Status, cj.CompletionMessage, len(log), j.Status, j.CompletionMessage)
		}
		if len(log) == 0 {
			return // the whole file failed, or has no rows
		}
		// Cut after each line break past the header, up to a few cuts.
		cuts := 0
		for i := bytes.IndexByte(data, '\n') + 1; i > 0 && i < len(data) && cuts < 8; {
			prefix, _ := runFile(data[:i], cfg)
			if len(prefix) > len(log) || !slices.Equal(prefix, log[:len(prefix)]) {
				t.Fatalf("cut at byte %d: log\n%s\nis not the start of the whole file's\n%s", i, strings.Join(prefix, "\n"), strings.Join(log, "\n"))
			}
			cuts++
			next := bytes.IndexByte(data[i:], '\n')
			if next < 0 {
				break
			}
			i += next + 1
		}
	})
}

// TestMaxUsersLimit: a file one user over the limit fails as a whole before
// any row is imported, one at it is imported in full, and so is one at it
// with empty lines, which are not users though the server's first count of
// lines sees them. The limit is lowered, so that the files are small (real
// ones took 10 s under the race detector in every run, for nothing more):
// TestDefaultMaxUsers holds the documented 500,000, and BenchmarkImport500k
// imports a file of that many users.
func TestMaxUsersLimit(t *testing.T) {
	t.Parallel()
	const limit = 50
	header := strings.Join(defaultHeader, ",") + "\n"
	row := strings.Repeat(",", len(defaultHeader)-3) // all but the last three columns empty
	var b strings.Builder
	b.WriteString(header)
	for i := range limit + 1 {
		fmt.Fprintf(&b, "%sFALSE,FALSE,u%d\n", row, i)
	}
	over := []byte(b.String())
	cfg := PoolConfig{ID: "us-east-1_Limit"}
	entries, j := runChunksLimit(newFile(over), cfg, limit)
	want := fmt.Sprintf("Line Number %d - %s", limit+2, usersfile.Problem{Line: limit + 2, Rule: usersfile.TooManyUsers}.Reason())
	if j.Status != StatusFailed || len(entries) != 0 || !strings.Contains(j.CompletionMessage, want) {
		t.Errorf("%d users: %s, %d log lines, %q; want the message to hold %q", limit+1, j.Status, len(entries), j.CompletionMessage, want)
	}
	at := over[:bytes.LastIndexByte(over[:len(over)-1], '\n')+1]
	withEmpty := append(slices.Clone(at), "\n\r\n\n"...)
	for name, data := range map[string][]byte{"at the limit": at, "at the limit, with empty lines": withEmpty} {
		entries, j = runChunksLimit(newFile(data), cfg, limit)
		if j.Status != StatusFailed || len(entries) != limit || j.FailedUsers != limit {
			// Every row fails (no *_verified column is set), but every one is read.
			t.Errorf("%s: %s %q, %d log lines, %d failed", name, j.Status, j.CompletionMessage, len(entries), j.FailedUsers)
		}
	}
}

// TestDefaultMaxUsers: without WithMaxUsers, the server holds a file to the
// documented limit of 500,000 users.
func TestDefaultMaxUsers(t *testing.T) {
	t.Parallel()
	s := NewServer()
	defer s.Close()
	if _, limit := usersfileRules(PoolConfig{ID: "us-east-1_Limit"}, s.imports.maxUsers).Limits(); limit != 500_000 {
		t.Errorf("the server's limit is %d users, want 500,000", limit)
	}
}
