package cognitoimport_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// usersHeader is the default pool's header, in the guide's order.
var usersHeader = strings.SplitN(sampleFile, "\n", 2)[0]

// partRow returns a valid row of usersHeader for the user named name.
func partRow(name string) string {
	f := make([]string, 21)
	f[0], f[10], f[11], f[20] = name, name+"@example.com", "TRUE", "FALSE"
	return strings.Join(f, ",")
}

// usersFile returns a file of the users named names, one row each.
func usersFile(names ...string) string {
	var b strings.Builder
	b.WriteString(usersHeader + "\n")
	for _, n := range names {
		b.WriteString(partRow(n) + "\n")
	}
	return b.String()
}

// userNames returns n usernames u000001, u000002, ...
func userNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("u%06d", i+1)
	}
	return names
}

// importAllEnv is a server whose jobs import at once when the shared fake
// clock moves, a client on that clock, and a directory for the file and
// the journal.
type importAllEnv struct {
	*clocked
	dir     string
	path    string // the users file
	journal string
}

func newImportAllEnv(t *testing.T, file string) *importAllEnv {
	t.Helper()
	return newImportAllEnvRate(t, file, math.Inf(1))
}

// newImportAllEnvRate is newImportAllEnv with jobs that import
// usersPerSecond users a second of the fake clock.
func newImportAllEnvRate(t *testing.T, file string, usersPerSecond float64) *importAllEnv {
	t.Helper()
	e := &importAllEnv{clocked: newClocked(t, cognitoimporttest.WithImportRate(usersPerSecond)), dir: t.TempDir()}
	e.path = filepath.Join(e.dir, "users.csv")
	e.journal = e.path + ".import.json"
	if err := os.WriteFile(e.path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// input returns the input that imports the env's file with its journal.
func (e *importAllEnv) input(t *testing.T) cognitoimport.ImportAllInput {
	t.Helper()
	f, err := os.Open(e.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return cognitoimport.ImportAllInput{UserPoolID: testPool, JobName: "migration", CloudWatchLogsRoleARN: testRoleARN,
		File: f, Journal: e.journal, Settings: cognitoimport.DefaultPoolSettings(testPool)}
}

// run runs ImportAll with parts of at most maxUsers users and maxBytes
// bytes, and crash as the crash hook.
func (e *importAllEnv) run(t *testing.T, maxUsers int, maxBytes int64, crash func() error) ([]cognitoimport.Part, error) {
	t.Helper()
	return cognitoimport.ImportAllWithHooks(e.client, t.Context(), e.input(t), maxUsers, maxBytes, crash)
}

// checkImportedOnce fails the test unless the pool's users are exactly
// names, each imported by exactly one started job (none skipped or failed
// anywhere), and exactly parts jobs were started.
func checkImportedOnce(t *testing.T, srv *cognitoimporttest.Server, names []string, parts int) {
	t.Helper()
	var got []string
	for _, u := range srv.Users(testPool) {
		got = append(got, u.Username)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(names))
	if !slices.Equal(got, want) {
		t.Errorf("the pool's users: got %d %v, want the file's %d", len(got), got, len(want))
	}
	var imported, skipped, failed int64
	started := 0
	for _, j := range srv.Jobs(testPool) {
		imported, skipped, failed = imported+j.ImportedUsers, skipped+j.SkippedUsers, failed+j.FailedUsers
		if !j.StartDate.IsZero() {
			started++
		}
	}
	if imported != int64(len(names)) || skipped != 0 || failed != 0 || started != parts {
		t.Errorf("jobs: %d started (want %d), %d users imported (want %d), %d skipped, %d failed",
			started, parts, imported, len(names), skipped, failed)
	}
}

// TestImportAllSplits: parts of at most 4 users and (then) 700 bytes, cut
// between rows, each starting with the header, named after the import and
// its part; every user imported once; the journal records the parts; a
// second call with the journal sends nothing.
func TestImportAllSplits(t *testing.T) {
	t.Parallel()
	names := userNames(10)
	file := usersFile(names...)
	for _, tc := range []struct {
		name     string
		maxUsers int
		maxBytes int64
		users    []int
	}{
		{"users", 4, 0, []int{4, 4, 2}},
		{"bytes", 0, 700, nil}, // computed below from the row size
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newImportAllEnv(t, file)
			var notes []cognitoimport.ImportAllProgress
			in := e.input(t)
			in.Progress = func(p cognitoimport.ImportAllProgress) { notes = append(notes, p) }
			parts, err := cognitoimport.ImportAllWithHooks(e.client, t.Context(), in, tc.maxUsers, tc.maxBytes, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.users
			if want == nil {
				// As many whole rows as fit in 700 bytes with the header.
				per := int(700-int64(len(usersHeader)+1)) / (len(partRow(names[0])) + 1)
				for left := len(names); left > 0; left -= per {
					want = append(want, min(per, left))
				}
			}
			var users []int
			off := int64(len(usersHeader) + 1)
			line := 2
			for i, p := range parts {
				users = append(users, p.Users)
				content := usersHeader + "\n" + file[p.Offset:p.End]
				sum := sha256.Sum256([]byte(content))
				if p.Number != i+1 || p.Offset != off || p.FirstLine != line || p.LastLine != line+p.Users-1 ||
					p.SHA256 != hex.EncodeToString(sum[:]) || p.Status != cognitoimport.StatusSucceeded || p.ImportedUsers != int64(p.Users) {
					t.Errorf("part %d = %+v; want it at byte %d, line %d, hashed, Succeeded", i+1, p, off, line)
				}
				if tc.maxBytes > 0 && int64(len(content)) > tc.maxBytes {
					t.Errorf("part %d has %d bytes, over %d", i+1, len(content), tc.maxBytes)
				}
				if !strings.HasSuffix(file[:p.End], "\n") {
					t.Errorf("part %d ends within a row", i+1)
				}
				off, line = p.End, line+p.Users
			}
			if !slices.Equal(users, want) || off != int64(len(file)) {
				t.Fatalf("parts' users = %v, want %v; they end at byte %d of %d", users, want, off, len(file))
			}
			checkImportedOnce(t, e.srv, names, len(want))
			var jobNames []string
			for _, j := range e.srv.Jobs(testPool) {
				jobNames = append(jobNames, j.JobName)
			}
			slices.Sort(jobNames)
			for i, n := range jobNames {
				if w := fmt.Sprintf("migration - part %d of %d", i+1, len(want)); n != w {
					t.Errorf("job name %q, want %q", n, w)
				}
			}
			last := notes[len(notes)-1]
			if last.Done != int64(len(names)) || last.Users != int64(len(names)) || last.Part != len(want) || last.Parts != len(want) {
				t.Errorf("last progress = %+v, want every user done in the last part", last)
			}

			// Again with the journal: every part Succeeded, nothing sent.
			before := e.srv.Requests(createOp) + e.srv.Requests(listOp)
			again, err := e.run(t, tc.maxUsers, tc.maxBytes, nil)
			if err != nil || !slices.EqualFunc(again, parts, func(a, b cognitoimport.Part) bool { return a.JobID == b.JobID }) {
				t.Errorf("ImportAll again = %v, %v; want the same parts", again, err)
			}
			if after := e.srv.Requests(createOp) + e.srv.Requests(listOp); after != before {
				t.Errorf("ImportAll again sent %d requests", after-before)
			}
		})
	}
}

// TestImportAllOnePart: a file within the limits is one part, imported
// under the import's own name, as Import does.
func TestImportAllOnePart(t *testing.T) {
	t.Parallel()
	e := newImportAllEnv(t, sampleFile)
	in := e.input(t)
	in.Journal = "" // none: nothing to resume
	in.Settings = cognitoimport.PoolSettings{}
	parts, err := e.client.ImportAll(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	jobs := e.srv.Jobs(testPool)
	if len(parts) != 1 || parts[0].Users != 2 || len(jobs) != 1 || jobs[0].JobName != "migration" || jobs[0].ImportedUsers != 2 {
		t.Errorf("ImportAll = %+v; jobs %+v; want one part, one job named migration", parts, jobs)
	}
	if _, err := os.Stat(e.journal); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a journal was written: %v", err)
	}
	checkRequests(t, e.srv, cognitoimporttest.GetCSVHeader, 1)
}

// TestImportAllPartUsers: PartUsers cuts parts of at most that many users
// through the public API, every user imported once; a PartUsers out of
// range is refused before anything is sent.
func TestImportAllPartUsers(t *testing.T) {
	t.Parallel()
	names := userNames(5)
	e := newImportAllEnv(t, usersFile(names...))
	in := e.input(t)
	in.PartUsers = 2
	parts, err := e.client.ImportAll(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, p := range parts {
		sizes = append(sizes, p.Users)
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) {
		t.Errorf("parts of %v users, want [2 2 1]", sizes)
	}
	if n := len(e.srv.Users(testPool)); n != len(names) {
		t.Errorf("%d users in the pool, want %d", n, len(names))
	}
	for _, bad := range []int{-1, cognitoimport.MaxFileUsers + 1} {
		in := e.input(t)
		in.Journal, in.PartUsers = "", bad
		before := e.srv.Requests(cognitoimporttest.CreateUserImportJob)
		_, err := e.client.ImportAll(t.Context(), in)
		if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepCheck || !strings.Contains(err.Error(), "PartUsers") {
			t.Errorf("PartUsers %d: %v, want a check-step error naming PartUsers", bad, err)
		}
		if n := e.srv.Requests(cognitoimporttest.CreateUserImportJob); n != before {
			t.Errorf("PartUsers %d: %d CreateUserImportJob requests sent", bad, n-before)
		}
	}
}

// TestImportAllCheck: the whole file is checked first, with the file's
// own line numbers, a username repeated in another part included; no job
// is created and no journal written.
func TestImportAllCheck(t *testing.T) {
	t.Parallel()
	names := userNames(9)
	names[7] = names[1] // line 9 repeats line 3's user, two parts later
	file := usersFile(names...)
	file = strings.Replace(file, partRow(names[5]), strings.Replace(partRow(names[5]), "TRUE", "MAYBE", 1), 1) // line 7
	e := newImportAllEnv(t, file)
	_, err := e.run(t, 3, 0, nil)
	ie := as[*cognitoimport.ImportError](t, err)
	fe := as[*cognitoimport.FileError](t, err)
	var got []string
	for _, p := range fe.Problems {
		got = append(got, fmt.Sprintf("%d:%s", p.Line, p.Rule))
	}
	want := []string{"7:" + cognitoimport.FileRuleBoolean.String(), "9:" + cognitoimport.FileRuleDuplicateUsername.String()}
	if ie.Step != cognitoimport.StepCheck || !slices.Equal(got, want) {
		t.Errorf("ImportAll = %v; problems %v, want %v", err, got, want)
	}
	checkRequests(t, e.srv, createOp, 0)
	if _, err := os.Stat(e.journal); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a journal was written: %v", err)
	}
}

// errCrash is the crash the tests' hook simulates.
var errCrash = errors.New("simulated crash")

// TestImportAllCrashPoints interrupts ImportAll after each step in turn (at
// every write of the journal, before it, where the service has moved on
// and the journal has not, and after it), then runs it again with the
// journal: every user is imported exactly once, by one started job a part.
func TestImportAllCrashPoints(t *testing.T) {
	t.Parallel()
	names := userNames(7)
	file := usersFile(names...)
	const maxUsers, parts = 3, 3
	// The points: every call of the hook in a run that is not interrupted.
	e := newImportAllEnv(t, file)
	points := 0
	if _, err := e.run(t, maxUsers, 0, func() error { points++; return nil }); err != nil {
		t.Fatal(err)
	}
	checkImportedOnce(t, e.srv, names, parts)
	// Per part at least: created, uploaded, started, ended, each before
	// and after its write; and the plan.
	if points < 2*(1+4*parts) {
		t.Fatalf("only %d crash points", points)
	}
	for k := 1; k <= points; k++ {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			t.Parallel()
			e := newImportAllEnv(t, file)
			calls := 0
			_, err := e.run(t, maxUsers, 0, func() error {
				if calls++; calls == k {
					return errCrash
				}
				return nil
			})
			if !errors.Is(err, errCrash) {
				t.Fatalf("crash at point %d of %d: %v", k, points, err)
			}
			got, err := e.run(t, maxUsers, 0, nil)
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			for _, p := range got {
				if p.Status != cognitoimport.StatusSucceeded {
					t.Errorf("resume: part %+v", p)
				}
			}
			checkImportedOnce(t, e.srv, names, parts)
		})
	}
}

// TestImportAllChangedFile: a journal whose file changed is refused, by
// the file's size or modification time, and by a part's hash when they
// are kept; nothing is sent.
func TestImportAllChangedFile(t *testing.T) {
	t.Parallel()
	names := userNames(6)
	file := usersFile(names...)
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, path string)
		part   int
	}{
		{"size", func(t *testing.T, path string) { appendTo(t, path, partRow("u999999")+"\n") }, 0},
		{"bytes, same size and time", func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			data = bytes.Replace(data, []byte("u000002@"), []byte("x000002@"), 1) // part 1
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
				t.Fatal(err)
			}
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newImportAllEnv(t, file)
			crashes := 0
			_, err := e.run(t, 3, 0, func() error {
				// Crash once part 1 is recorded Succeeded.
				if j, _ := os.ReadFile(e.journal); bytes.Contains(j, []byte(`"Succeeded"`)) {
					crashes++
					return errCrash
				}
				return nil
			})
			if !errors.Is(err, errCrash) {
				t.Fatalf("first run: %v", err)
			}
			tc.change(t, e.path)
			journal, _ := os.ReadFile(e.journal)
			creates := e.srv.Requests(createOp)
			_, err = e.run(t, 3, 0, nil)
			je := as[*cognitoimport.JournalError](t, err)
			if je.Part != tc.part || je.Journal != e.journal {
				t.Errorf("ImportAll = %v; want part %d named", err, tc.part)
			}
			if e.srv.Requests(createOp) != creates {
				t.Error("a job was created")
			}
			if after, _ := os.ReadFile(e.journal); !bytes.Equal(after, journal) {
				t.Error("the journal was rewritten")
			}
		})
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// TestImportAllJournalOfAnotherImport: a journal of another pool or name
// is refused.
func TestImportAllJournalOfAnotherImport(t *testing.T) {
	t.Parallel()
	e := newImportAllEnv(t, usersFile(userNames(2)...))
	if _, err := e.run(t, 0, 0, nil); err != nil {
		t.Fatal(err)
	}
	in := e.input(t)
	in.JobName = "another"
	_, err := e.client.ImportAll(t.Context(), in)
	if je := as[*cognitoimport.JournalError](t, err); !strings.Contains(je.Reason, `"migration"`) {
		t.Errorf("ImportAll = %v", err)
	}
}

// TestImportAllWaitsForAnotherImport: a job of another import active in the
// pool is waited for, with a progress note, before the part's job is
// created.
func TestImportAllWaitsForAnotherImport(t *testing.T) {
	t.Parallel()
	e := newImportAllEnvRate(t, usersFile(userNames(4)...), 1)
	other := e.createUploaded(t, usersFile("someone"))
	if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: other.JobID}); err != nil {
		t.Fatal(err)
	}
	in := e.input(t)
	var waited []cognitoimport.Status
	var created bool
	in.Progress = func(p cognitoimport.ImportAllProgress) {
		if p.Waiting != nil && p.Waiting.JobID == other.JobID {
			if created {
				t.Errorf("waiting for the other job after part %d's job was created", p.Part)
			}
			waited = append(waited, p.Waiting.Status)
		}
		created = created || p.Job != nil
	}
	if _, err := cognitoimport.ImportAllWithHooks(e.client, t.Context(), in, 2, 0, nil); err != nil {
		t.Fatal(err)
	}
	if len(waited) < 2 || waited[0].Terminal() || waited[len(waited)-1] != cognitoimport.StatusSucceeded {
		t.Errorf("waiting notes: %v; want the other job from running to Succeeded", waited)
	}
	checkRequests(t, e.srv, cognitoimporttest.StartUserImportJob, 3)
}

// TestImportAllStartRefusedByAnotherImport: another import's job that
// starts between the part's create and start makes the service refuse the
// start; ImportAll waits for that job and starts the part's job then.
func TestImportAllStartRefusedByAnotherImport(t *testing.T) {
	t.Parallel()
	names := userNames(2)
	e := newImportAllEnvRate(t, usersFile(names...), 1)
	other := e.createUploaded(t, usersFile("someone"))
	in := e.input(t)
	var waited bool
	in.Progress = func(p cognitoimport.ImportAllProgress) {
		if p.Step == cognitoimport.StepStart && !waited {
			if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: other.JobID}); err != nil {
				t.Errorf("starting the other job: %v", err)
			}
		}
		waited = waited || p.Waiting != nil && p.Waiting.JobID == other.JobID
	}
	parts, err := e.client.ImportAll(t.Context(), in)
	if err != nil || !waited || parts[0].Status != cognitoimport.StatusSucceeded {
		t.Fatalf("ImportAll = %+v, %v (waited: %v); want the part imported after the other job", parts, err, waited)
	}
	// Two starts of the part's job (one refused) and the other's.
	checkRequests(t, e.srv, cognitoimporttest.StartUserImportJob, 3)
	if jobs := e.srv.Jobs(testPool); len(jobs) != 2 {
		t.Errorf("%d jobs, want the other and the part's", len(jobs))
	}
}

// TestImportAllFailingPart: a part whose job fails stops the import with an
// error naming the part and its job; the journal records it, and a later
// call imports that part again with a new job.
func TestImportAllFailingPart(t *testing.T) {
	t.Parallel()
	names := userNames(6)
	e := newImportAllEnv(t, usersFile(names...))
	// Part 2's users exist: the job skips them all, and the test server
	// fails a job that imported no user.
	for _, n := range names[3:] {
		e.srv.AddUser(testPool, cognitoimporttest.User{Username: n, Attributes: map[string]string{"email": n + "@example.com"}})
	}
	parts, err := e.run(t, 3, 0, nil)
	pe := as[*cognitoimport.PartError](t, err)
	je := as[*cognitoimport.JobError](t, err)
	if pe.Part != 2 || pe.Parts != 2 || pe.Job == nil || pe.Job.JobID != parts[1].JobID || je.Job.Status != cognitoimport.StatusFailed ||
		!strings.Contains(err.Error(), "part 2 of 2") || !strings.Contains(err.Error(), parts[1].JobID) {
		t.Errorf("ImportAll = %v; want part 2's job named", err)
	}
	if parts[0].Status != cognitoimport.StatusSucceeded || parts[1].Status != cognitoimport.StatusFailed {
		t.Errorf("parts = %+v", parts)
	}
	failed := parts[1].JobID

	again, err := e.run(t, 3, 0, nil)
	if !isA[*cognitoimport.PartError](err) || len(again) != 2 || again[1].JobID == failed ||
		!slices.Equal(again[1].EarlierJobIDs, []string{failed}) || again[0].JobID != parts[0].JobID {
		t.Errorf("ImportAll again = %+v, %v; want part 2 alone again, with a new job", again, err)
	}
}

// TestImportAllLock: while one call holds the journal, another is refused
// with the holder's process ID; once it returns, the journal is free.
func TestImportAllLock(t *testing.T) {
	t.Parallel()
	e := newImportAllEnv(t, usersFile(userNames(2)...))
	holding, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	var once bool
	go func() {
		_, err := e.run(t, 0, 0, func() error {
			if !once {
				once = true
				close(holding)
				<-release
			}
			return nil
		})
		first <- err
	}()
	<-holding
	_, err := e.run(t, 0, 0, nil)
	le := as[*cognitoimport.JournalLockedError](t, err)
	if le.PID != os.Getpid() || le.Journal != e.journal || !strings.Contains(err.Error(), fmt.Sprint(os.Getpid())) {
		t.Errorf("second ImportAll = %v; want the lock held by this process", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if _, err := e.run(t, 0, 0, nil); err != nil {
		t.Errorf("ImportAll after the first returned: %v", err)
	}
}

// TestImportAllCancel: ctx ending while a part's job runs, with
// StopOnCancel, stops the job and records it; the next calls wait for the
// job to be Stopped, then import the part again with a new job.
func TestImportAllCancel(t *testing.T) {
	t.Parallel()
	names := userNames(4)
	e := newImportAllEnvRate(t, usersFile(names...), 1)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	in := e.input(t)
	in.StopOnCancel = true
	in.Progress = func(p cognitoimport.ImportAllProgress) {
		if p.Step == cognitoimport.StepWait && p.Part == 2 && !p.Job.Status.Terminal() {
			cancel()
		}
	}
	parts, err := cognitoimport.ImportAllWithHooks(e.client, ctx, in, 2, 0, nil)
	pe := as[*cognitoimport.PartError](t, err)
	stopped := parts[1].JobID
	if !errors.Is(err, context.Canceled) || pe.Part != 2 || pe.Step != cognitoimport.StepWait ||
		(parts[1].Status != cognitoimport.StatusStopped && parts[1].Status != cognitoimport.StatusStopping) {
		t.Fatalf("ImportAll = %+v, %v; want part 2 stopped", parts, err)
	}
	if parts[1].Status == cognitoimport.StatusStopping {
		// Started, so waited for, never started again: it ends Stopped.
		_, err := e.run(t, 2, 0, nil)
		if je := as[*cognitoimport.JobError](t, err); je.Job.JobID != stopped || je.Job.Status != cognitoimport.StatusStopped {
			t.Fatalf("ImportAll again = %v; want job %s Stopped", err, stopped)
		}
	}
	again, err := e.run(t, 2, 0, nil)
	if err != nil || !slices.Equal(again[1].EarlierJobIDs, []string{stopped}) || again[1].JobID == stopped {
		t.Fatalf("ImportAll again = %+v, %v; want part 2 imported by a new job", again, err)
	}
	var got []string
	for _, u := range e.srv.Users(testPool) {
		got = append(got, u.Username)
	}
	if slices.Sort(got); !slices.Equal(got, names) {
		t.Errorf("the pool's users: %v, want %v", got, names)
	}
}

// holdJournalEnv names the journal that the test binary, started again by
// TestImportAllLockEndsWithProcess, locks and holds until it is killed.
const holdJournalEnv = "COGNITOIMPORT_TEST_HOLD_JOURNAL"

// TestImportAllLockEndsWithProcess: a journal locked by another process is
// refused with that process's ID, and is free again once the process is
// killed (SIGKILL: it runs no code of its own on the way out).
func TestImportAllLockEndsWithProcess(t *testing.T) {
	if path := os.Getenv(holdJournalEnv); path != "" {
		if _, err := cognitoimport.LockJournal(path); err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin) // hold the lock until killed
		os.Exit(0)
	}
	if runtime.GOOS != "linux" {
		t.Skip("the lock that ends with its process is flock's (Linux and the BSDs)")
	}
	t.Parallel()
	e := newImportAllEnv(t, usersFile(userNames(2)...))
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportAllLockEndsWithProcess$")
	cmd.Env = append(os.Environ(), holdJournalEnv+"="+e.journal)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the holding process said %q, %v", line, err)
	}
	_, err = e.run(t, 0, 0, nil)
	le := as[*cognitoimport.JournalLockedError](t, err)
	if le.PID != cmd.Process.Pid || le.MayBeStale {
		t.Errorf("ImportAll = %v; want the lock held by process %d", err, cmd.Process.Pid)
	}
	checkRequests(t, e.srv, createOp, 0)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if _, err := e.run(t, 0, 0, nil); err != nil {
		t.Errorf("ImportAll after the holder was killed: %v", err)
	}
}

// TestPartJobName: a part's job name is valid for CreateJob (JobName's
// pattern and 128 characters, checked by internal/constraint through
// Validate) whatever the import's name, and keeps the part's number whole.
func TestPartJobName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("n", 128)
	for _, tc := range []struct {
		name     string
		n, parts int
		want     string
		wantLen  int
	}{
		{"migration", 1, 1, "migration", 9},
		{"migration", 2, 7, "migration - part 2 of 7", 23},
		{long, 1, 1, long, 128},
		{long, 12, 345, strings.Repeat("n", 128-len(" - part 12 of 345")) + " - part 12 of 345", 128},
	} {
		got := cognitoimport.PartJobName(tc.name, tc.n, tc.parts)
		in := validCreateInput(got)
		if got != tc.want || len(got) != tc.wantLen || in.Validate() != nil {
			t.Errorf("PartJobName(%d chars, %d, %d) = %q (%d chars, %v)", len(tc.name), tc.n, tc.parts, got, len(got), in.Validate())
		}
	}
}

// TestImportAllSplitsEdges: CRLF line breaks, an empty line and no line
// break at the end: parts are still cut after a row's line break, and the
// users are imported once.
func TestImportAllSplitsEdges(t *testing.T) {
	t.Parallel()
	names := userNames(5)
	file := strings.ReplaceAll(usersFile(names...), "\n", "\r\n")
	file = strings.Replace(file, "\r\n"+partRow(names[2]), "\r\n\r\n"+partRow(names[2]), 1) // an empty line 4, before part 2's first row
	file = strings.TrimSuffix(file, "\r\n")
	e := newImportAllEnv(t, file)
	parts, err := e.run(t, 2, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines [][2]int
	var logged []int
	for _, p := range parts {
		lines = append(lines, [2]int{p.FirstLine, p.LastLine})
		// The part's job numbers its lines from its own header.
		for _, l := range e.srv.JobLog(testPool, p.JobID) {
			var n int
			if _, err := fmt.Sscanf(l, "[SUCCEEDED] Line Number %d", &n); err != nil {
				t.Fatalf("log line %q: %v", l, err)
			}
			logged = append(logged, p.FileLine(n))
		}
		if p.Number < len(parts) && !strings.HasSuffix(file[:p.End], "\r\n") {
			t.Errorf("part %d ends within a row", p.Number)
		}
	}
	if want := [][2]int{{2, 3}, {5, 6}, {7, 7}}; !slices.Equal(lines, want) {
		t.Errorf("parts' lines = %v, want %v", lines, want)
	}
	if want := []int{2, 3, 5, 6, 7}; !slices.Equal(logged, want) {
		t.Errorf("the jobs' logs name lines %v of the file, want %v", logged, want)
	}
	checkImportedOnce(t, e.srv, names, 3)
}

// TestImportAllFileChangedDuringImport: a part whose bytes changed after
// the check is hashed as it is uploaded, and its job is never started.
func TestImportAllFileChangedDuringImport(t *testing.T) {
	t.Parallel()
	names := userNames(4)
	e := newImportAllEnv(t, usersFile(names...))
	changed := false
	_, err := e.run(t, 2, 0, func() error {
		if j, _ := os.ReadFile(e.journal); !changed && bytes.Contains(j, []byte(`"Succeeded"`)) {
			changed = true
			f, err := os.OpenFile(e.path, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			data, _ := os.ReadFile(e.path)
			_, err = f.WriteAt([]byte("x"), int64(bytes.Index(data, []byte("u000004@")))) // part 2
			return err
		}
		return nil
	})
	pe := as[*cognitoimport.PartError](t, err)
	je := as[*cognitoimport.JournalError](t, err)
	if pe.Part != 2 || pe.Step != cognitoimport.StepUpload || pe.Job == nil || je.Part != 2 {
		t.Errorf("ImportAll = %v; want part 2's upload refused", err)
	}
	checkRequests(t, e.srv, cognitoimporttest.StartUserImportJob, 1)
}

// TestImportAllProgressRate: between parts, Progress says the users done of
// the total, the rate of this call's imports by the Client's clock, and the
// time left at that rate.
func TestImportAllProgressRate(t *testing.T) {
	t.Parallel()
	e := newImportAllEnvRate(t, usersFile(userNames(4)...), 1) // a user a second of the fake clock
	in := e.input(t)
	start := e.clk.Now()
	var at *cognitoimport.ImportAllProgress
	var elapsed time.Duration
	var lastDone int64
	in.Progress = func(p cognitoimport.ImportAllProgress) {
		if p.Done < lastDone { // as a part's job ends, its rows must stay counted
			t.Errorf("progress went back from %d to %d users done: %+v", lastDone, p.Done, p)
		}
		lastDone = p.Done
		if p.Step == cognitoimport.StepCreate && p.Part == 2 {
			at, elapsed = &p, e.clk.Now().Sub(start)
		}
	}
	if _, err := cognitoimport.ImportAllWithHooks(e.client, t.Context(), in, 2, 0, nil); err != nil {
		t.Fatal(err)
	}
	if at == nil {
		t.Fatal("no progress at part 2's create")
	}
	rate := 2 / elapsed.Seconds()
	left := time.Duration(2 / rate * float64(time.Second))
	if at.Done != 2 || at.Users != 4 || at.Parts != 2 || math.Abs(at.Rate-rate) > 1e-9 || (at.Remaining-left).Abs() > time.Millisecond || elapsed < 2*time.Second {
		t.Errorf("progress at part 2 = %+v after %v; want 2 of 4 done at %.3f users/s, %v left", *at, elapsed, rate, left)
	}
}
