package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
)

// steppedMeter returns a meter writing to buf whose clock reads *now.
func steppedMeter(buf *bytes.Buffer, terminal bool, total int64, now *time.Time) *meter {
	return &meter{
		w: buf, terminal: terminal, width: 80, now: func() time.Time { return *now },
		label: "import", num: formatCount, unit: " users", unitOne: " user", total: total,
	}
}

func TestMeterPlainLines(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	now := mustTime(t, "2026-11-21T21:00:00Z")
	m := steppedMeter(&buf, false, 100, &now)
	m.update("Pending", 0, "")
	for i := 1; i <= 20; i++ { // one user a second, polled every second
		now = now.Add(time.Second)
		status := "InProgress"
		m.update(status, int64(i), "")
	}
	m.finish()
	out := buf.String()
	if strings.ContainsAny(out, "\r\x1b") {
		t.Fatalf("plain output holds a carriage return or an escape:\n%q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{
		"import: Pending, 0 of 100 users (0%)",
		"import: InProgress, 1 of 100 users (1%), 1 user/s, about 1m39s left", // status changed
		"import: InProgress, 6 of 100 users (6%), 1 user/s, about 1m34s left", // 5 s later
		"import: InProgress, 11 of 100 users (11%), 1 user/s, about 1m29s left",
		"import: InProgress, 16 of 100 users (16%), 1 user/s, about 1m24s left",
		"import: InProgress, 20 of 100 users (20%), 1 user/s, about 1m20s left", // finish
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestMeterBar(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	now := mustTime(t, "2026-11-21T21:00:00Z")
	m := steppedMeter(&buf, true, 5000, &now)
	m.update("InProgress", 0, "")
	now = now.Add(4 * time.Second)
	m.update("InProgress", 1200, "(1000 imported, 100 skipped, 100 failed)")
	now = now.Add(50 * time.Millisecond)
	m.update("InProgress", 1201, "") // too soon after the last: not drawn
	now = now.Add(12 * time.Second)
	m.update("Succeeded", 5000, "")
	m.finish()
	frames := strings.Split(buf.String(), "\r")[1:]
	if len(frames) != 3 {
		t.Fatalf("got %d frames, want 3 (start, progress, end):\n%q", len(frames), buf.String())
	}
	barEnd := -1
	for _, f := range frames {
		line := strings.TrimSuffix(strings.TrimSuffix(f, "\n"), "\x1b[K")
		if len(line) >= 80 {
			t.Errorf("frame wider than the terminal (%d): %q", len(line), line)
		}
		if !strings.HasPrefix(line, "import ") || !strings.Contains(line, "[") {
			t.Errorf("frame %q has no bar", line)
		}
		if end := strings.Index(line, "]"); barEnd >= 0 && end != barEnd {
			t.Errorf("the bar changed its width or place:\n%q", buf.String())
		} else {
			barEnd = end
		}
	}
	mid := frames[1]
	for _, part := range []string{" 24%", "1,200/5,000 users", "300 users/s", "0:13 left", "InProgress"} {
		if !strings.Contains(mid, part) {
			t.Errorf("frame %q lacks %q", mid, part)
		}
	}
	if !strings.Contains(frames[2], "100%") || !strings.HasSuffix(frames[2], "\x1b[K\n") {
		t.Errorf("final frame %q: want 100%% and the line ended", frames[2])
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 20: "5.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{0: "0 users", 1: "1 user", 999: "999 users", 1000: "1,000 users", 500000: "500,000 users", 1234567: "1,234,567 users"} {
		if got := formatUsers(n); got != want {
			t.Errorf("formatUsers(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{13 * time.Second: "0:13", 61 * time.Second: "1:01", 3725 * time.Second: "1:02:05"} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestNumbersOneStyle: the summary, the progress's detail and the bar show
// counts in one style, with thousands separators, and singular for one.
func TestNumbersOneStyle(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := &app{stdout: &out, stderr: &out}
	j := cognitoimport.Job{JobID: "import-x", Status: cognitoimport.StatusSucceeded, ImportedUsers: 21223, SkippedUsers: 1, FailedUsers: 1000}
	if err := a.printOutcome(j); err != nil {
		t.Fatal(err)
	}
	if want := "import-x Succeeded: 21,223 imported, 1 skipped, 1,000 failed\n"; out.String() != want {
		t.Errorf("printOutcome = %q, want %q", out.String(), want)
	}
	for n, want := range map[int64]string{1: "1 user", 2: "2 users", 21223: "21,223 users", 0: "0 users"} {
		if got := formatUsers(n); got != want {
			t.Errorf("formatUsers(%d) = %q, want %q", n, got, want)
		}
	}
	var buf bytes.Buffer
	now := mustTime(t, "2026-11-21T21:00:00Z")
	m := steppedMeter(&buf, false, 1, &now)
	m.update("InProgress", 0, "")
	now = now.Add(time.Second)
	m.update("Succeeded", 1, "("+formatCounts(cognitoimport.Job{ImportedUsers: 1})+")")
	if want := "import: Succeeded, 1 of 1 user (100%) (1 imported, 0 skipped, 0 failed), 1 user/s\n"; !strings.HasSuffix(buf.String(), want) {
		t.Errorf("meter:\n%s\nwant the last line %q", buf.String(), want)
	}
}
