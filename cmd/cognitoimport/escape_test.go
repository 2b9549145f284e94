package main

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain name 1.csv":        "plain name 1.csv",
		"données é ü 用户":          "données é ü 用户",
		"a\r\nb\tc\vd\fe":         `a\r\nb\tc\vd\fe`,
		"\x1b]0;pwned\x07\x1b[2J": `\x1b]0;pwned\a\x1b[2J`,
		"line\u2028sep\u0085":     `line\u2028sep\u0085`,
		"bad\xffutf8":             `bad\xffutf8`,
		`back\slash`:              `back\slash`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// forged is a job name that, printed raw, would end its row and add one
// that poses as another job, and an ESC sequence that sets the terminal's
// window title. The service's JobName pattern admits the white space.
const forged = "evil\r\nimport-FAKE  ok  Succeeded\t\v\f\x1b]0;pwned\x07"

// wantClean fails the test if s holds a control character other than the
// line feeds that end lines.
func wantClean(t *testing.T, what, s string) {
	t.Helper()
	if strings.ContainsAny(s, "\r\t\v\f\x1b\x07") || strings.Contains(s, "\nimport-FAKE") {
		t.Errorf("%s prints control characters raw:\n%q", what, s)
	}
}

func TestJobNameEscaped(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.SeedJobs(testPool, 1)
	j := h.srv.Jobs(testPool)[0]
	j.JobName = forged
	j.CompletionMessage = "done\n\x1b[2Jcleared"
	h.srv.SetJob(j)

	r := h.run("jobs", "--pool", testPool).want(t, exitOK)
	wantClean(t, "jobs", r.stdout)
	if n := strings.Count(r.stdout, "\n"); n != 2 {
		t.Errorf("jobs printed %d lines, want a header and one row:\n%s", n, r.stdout)
	}
	if !strings.Contains(r.stdout, `evil\r\nimport-FAKE`) {
		t.Errorf("jobs does not show the name escaped:\n%s", r.stdout)
	}
	r = h.run("describe", "--pool", testPool, j.JobID).want(t, exitOK)
	wantClean(t, "describe", r.stdout)
	if !strings.Contains(r.stdout, `\x1b[2Jcleared`) {
		t.Errorf("describe does not show the completion message escaped:\n%s", r.stdout)
	}
	// --json stays exact: JSON escapes the control characters itself.
	r = h.run("describe", "--pool", testPool, j.JobID, "--json").want(t, exitOK)
	var got jobJSON
	decodeAny(t, r.stdout, &got)
	if got.JobName != forged {
		t.Errorf("--json JobName = %q, want %q", got.JobName, forged)
	}
	wantClean(t, "describe --json", r.stdout)
}

func TestCheckEscapesFileText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	header := strings.Replace(sampleHeader, "nickname", "nick\x1b]0;pwned\x07name", 1)
	file := writeFile(t, "esc\x1b[2J.csv", header+"\nJohn\x1b[2J,,,,,,,,,,j@example.com,TRUE,,,,,,,,,FALSE\n")
	r := h.run("check", file).want(t, exitFailed)
	wantClean(t, "check", r.stdout)
	wantClean(t, "check's stderr", r.stderr)
	if !strings.Contains(r.stdout, `\x1b]0;pwned\a`) {
		t.Errorf("check does not show the column escaped:\n%s", r.stdout)
	}
}

// TestErrorLineEscapesFirst: a file name's control characters are escaped
// where they are, not turned into spaces first.
func TestErrorLineEscapesFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.runRaw("check", "nonexist\x1b[2J\n").want(t, exitFailed)
	r.oneLineError(t, `open nonexist\x1b[2J\n: no such file or directory`)
	wantClean(t, "check's error", r.stderr)
}

// TestNegativeCounts: counts no service can send are shown as sent, with
// one note that they are impossible.
func TestNegativeCounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.SeedJobs(testPool, 1)
	j := h.srv.Jobs(testPool)[0]
	j.ImportedUsers, j.FailedUsers = -6, -1234
	h.srv.SetJob(j)
	r := h.run("describe", "--pool", testPool, j.JobID).want(t, exitOK)
	if !strings.Contains(r.stdout, "ImportedUsers:         -6\n") || !strings.Contains(r.stdout, "FailedUsers:           -1,234\n") {
		t.Errorf("describe does not show the counts as sent:\n%s", r.stdout)
	}
	r.oneLineError(t, "ImportedUsers -6", "cannot be negative")
	r = h.run("jobs", "--pool", testPool).want(t, exitOK)
	r.oneLineError(t, "cannot be negative")
}
