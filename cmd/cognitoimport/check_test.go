package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// row returns a line for the sample's header: a valid user named name, with
// the columns in set changed.
func row(name string, set map[string]string) string {
	cols := strings.Split(sampleHeader, ",")
	vals := map[string]string{
		"cognito:username": name, "given_name": "Given", "family_name": "Family",
		"email": name + "@example.com", "email_verified": "TRUE", "phone_number_verified": "FALSE",
		"cognito:mfa_enabled": "FALSE",
	}
	for k, v := range set {
		vals[k] = v
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = vals[c]
	}
	return strings.Join(out, ",")
}

// brokenRow is a row that breaks one rule, and where the check reports it.
type brokenRow struct {
	rule   string // the rule's name
	column string // the column the problem names; "" for the whole row
	line   string
}

func TestCheckOneBrokenRowPerRule(t *testing.T) {
	t.Parallel()
	h := newHarness(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: "us-east-1_strict", RequiredAttributes: []string{"family_name"},
	}))
	rows := []brokenRow{
		{"row-length", "", row("long", map[string]string{"address": strings.Repeat("a", 16001)})},
		{"utf8", "given_name", row("utf", map[string]string{"given_name": "\xff"})},
		{"column-count", "", "a,b,c"},
		{"required", "cognito:username", row("", nil)},
		{"required", "cognito:mfa_enabled", row("nomfa", map[string]string{"cognito:mfa_enabled": ""})},
		{"verified-required", "email_verified", row("unverified", map[string]string{"email_verified": "", "phone_number_verified": ""})},
		{"boolean", "email_verified", row("bool", map[string]string{"email_verified": "yes"})},
		{"username-space", "cognito:username", row("a b", nil)},
		{"auto-verified", "email_verified", row("noauto", map[string]string{"email_verified": "FALSE"})},
		{"mfa-disabled", "cognito:mfa_enabled", row("mfa", map[string]string{"cognito:mfa_enabled": "TRUE"})},
		{"email-required", "email", row("noemail", map[string]string{"email": ""})},
		{"phone-required", "phone_number", row("nophone", map[string]string{"phone_number_verified": "TRUE"})},
		{"phone-format", "phone_number", row("phone", map[string]string{"phone_number": "555-0100"})},
		{"birthdate-format", "birthdate", row("birth", map[string]string{"birthdate": "1985-02-01"})},
		{"updated-at-format", "updated_at", row("updated", map[string]string{"updated_at": "yesterday"})},
		{"pool-required", "family_name", row("nofamily", map[string]string{"family_name": ""})},
		{"duplicate-username", "cognito:username", row("good", nil)},
	}
	var b strings.Builder
	b.WriteString(sampleHeader + "\n" + row("good", nil) + "\n")
	for _, r := range rows {
		b.WriteString(r.line + "\n")
	}
	file := writeFile(t, "users.csv", b.String())

	r := h.run("check", "--pool", "us-east-1_strict", file).want(t, exitFailed)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(rows)+1 {
		t.Fatalf("got %d lines, want one a broken row and a summary:\n%s", len(lines), r.stdout)
	}
	for i, br := range rows {
		prefix := fmt.Sprintf("%s:%d: ", file, i+3)
		if br.column != "" {
			prefix += br.column + ": "
		}
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("%s: line %q, want it to start with %q", br.rule, lines[i], prefix)
		}
	}
	// The summary does not say the problems are "in" every user checked.
	if want := fmt.Sprintf("%s: %d problems; %d users checked", file, len(rows), len(rows)+1); lines[len(rows)] != want {
		t.Errorf("summary %q, want %q...", lines[len(rows)], want)
	}

	r = h.run("check", "--json", "--pool", "us-east-1_strict", file).want(t, exitFailed)
	var out checkJSON
	decode(t, r.stdout, &out)
	if out.TotalProblems != len(rows) || len(out.Problems) != len(rows) {
		t.Fatalf("check --json: %d problems (total %d), want %d", len(out.Problems), out.TotalProblems, len(rows))
	}
	for i, br := range rows {
		if p := out.Problems[i]; p.Rule != br.rule || p.Line != i+3 || p.Column != br.column {
			t.Errorf("problem %d = %+v, want rule %s at line %d, column %q", i, p, br.rule, i+3, br.column)
		}
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestCheckMFARequired(t *testing.T) {
	t.Parallel()
	h := newHarness(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: "us-east-1_mfa", MFA: cognitoimporttest.MFAOn}))
	file := writeFile(t, "mfa.csv", sampleHeader+"\n"+row("nomfa", nil)+"\n")
	r := h.run("check", "--pool", "us-east-1_mfa", file).want(t, exitFailed)
	if !strings.HasPrefix(r.stdout, file+":2: cognito:mfa_enabled: ") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestCheckClean(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	file := writeFile(t, "users.csv", sample)
	r := h.run("check", "--pool", testPool, file).want(t, exitOK)
	if r.stdout != file+": 2 users, no problems\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	// Without --pool: the generic rules, no AWS call, so no flags needed.
	r = h.runRaw("check", file).want(t, exitOK)
	if r.stdout != file+": 2 users, no problems\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	// From stdin, as JSON.
	h.stdin = sample
	r = h.runRaw("check", "--json", "-").want(t, exitOK)
	var out checkJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Users != 2 || len(out.Problems) != 0 {
		t.Errorf("check --json - = %q (%v)", r.stdout, err)
	}
	h.runRaw("check", "nothere.csv").want(t, exitFailed).oneLineError(t, "nothere.csv")
}

// TestNoUsers: a file with only the header passes the file rules but would
// import nothing: check fails it, and import creates no job.
func TestNoUsers(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t)
	file := writeFile(t, "empty.csv", sampleHeader+"\n")
	r := h.run("check", file).want(t, exitFailed)
	if r.stdout != file+": "+noUsers+"\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	r = h.run("check", "--json", file).want(t, exitFailed)
	var out checkJSON
	decode(t, r.stdout, &out)
	if out.TotalProblems != 1 || len(out.Problems) != 1 || out.Problems[0].Rule != noUsersRule {
		t.Errorf("check --json = %+v", out)
	}
	for _, skip := range []string{"--skip-check=false", "--skip-check"} {
		// Said once, as the file's problem: not "0 users, no problems" first.
		r = h.run("import", skip, "--pool", testPool, "--role", testRole, file).want(t, exitFailed)
		r.oneLineError(t, "cognitoimport import: "+file+": "+noUsers+"; no job created")
	}
	if n := len(h.srv.Jobs(testPool)); n != 0 {
		t.Errorf("import created %d jobs for a file with no users", n)
	}
}

func TestCheckMaxProblems(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var b strings.Builder
	b.WriteString(sampleHeader + "\n")
	for i := range 5 {
		b.WriteString(row(fmt.Sprintf("u %d", i), nil) + "\n")
	}
	file := writeFile(t, "users.csv", b.String())
	r := h.runRaw("check", "--max-problems", "2", file).want(t, exitFailed)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "5 problems") || !strings.Contains(lines[2], "first 2 shown") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

// TestDirectoryAsFile: a directory given as the users file is one mistake,
// said the same way, with the same exit status, by check, import and wait.
func TestDirectoryAsFile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dir := t.TempDir()
	want := "cognitoimport %s: " + dir + " is a directory, not a users file (see 'cognitoimport %s --help')\n"
	for _, args := range [][]string{
		{"check", dir},
		{"import", "--pool", testPool, "--role", testRole, dir},
		{"wait", "--pool", testPool, "--file", dir, "import-x"},
	} {
		r := h.run(args...).want(t, exitUsage)
		if w := fmt.Sprintf(want, args[0], args[0]); r.stderr != w {
			t.Errorf("%s: stderr %q, want %q", args[0], r.stderr, w)
		}
	}
}

// TestBlankFirstLine: a file that starts with a blank line is one problem,
// that the first line must be the header, not one per column.
func TestBlankFirstLine(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	file := writeFile(t, "users.csv", "\n"+sample)
	r := h.runRaw("check", file).want(t, exitFailed)
	want := file + ":1: the first line is empty: it must be the header\n" + file + ": 1 problem; 0 users checked\n"
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
}

// TestCheckEndlessFile: a file that never sends a line feed, here /dev/zero
// through a symbolic link, ends the check at once with the header over the
// row limit, having read no more than the library's buffer.
func TestCheckEndlessFile(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero:", err)
	}
	file := filepath.Join(t.TempDir(), "zero.csv")
	if err := os.Symlink("/dev/zero", file); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	r := h.runRaw("check", file).want(t, exitFailed)
	if !strings.HasPrefix(r.stdout, file+":1: ") || !strings.Contains(r.stdout, "16,000 characters") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}
