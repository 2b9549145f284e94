package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cognitoimport/cognitoimport"
)

// How often progress is shown: a bar is redrawn at most every barEvery, a
// plain line written at most every lineEvery unless the status changed.
const (
	barEvery  = 100 * time.Millisecond
	lineEvery = 5 * time.Second
)

// meter shows the progress of one step (the upload or the import) on
// stderr. On a terminal it draws a bar on one line, redrawn in place with a
// carriage return; elsewhere it writes plain lines, never a carriage return,
// at each change of status and at most every lineEvery.
type meter struct {
	w        io.Writer
	terminal bool
	width    int
	now      func() time.Time
	label    string               // "upload", "import"
	num      func(n int64) string // a quantity, such as "1.2 MiB" or "1,200"
	unit     string               // after a quantity: "" or " users"
	unitOne  string               // after a quantity of 1: "" or " user"

	total     int64 // 0: unknown
	start     time.Time
	startDone int64
	started   bool

	status   string
	done     int64
	detail   string
	last     time.Time // when the bar or line was last written
	dirty    bool      // the state has changed since it was last written
	barSize  int       // the bar's width in characters, once drawn
	drawn    bool      // a bar is on the current line
	finished bool
}

// newMeter returns a meter for the app's stderr.
func (a *app) newMeter(label string, total int64, num func(int64) string, unit, unitOne string) *meter {
	return &meter{
		w:        a.stderr,
		terminal: a.terminal(),
		width:    a.width(),
		now:      a.sys.clock.Now,
		label:    label,
		num:      num,
		unit:     unit,
		unitOne:  unitOne,
		total:    total,
	}
}

// update records that done of total are done, in status (which may be
// empty), with detail to show after the counts, and shows it when due.
func (m *meter) update(status string, done int64, detail string) {
	if m.finished {
		return
	}
	now := m.now()
	if !m.started {
		m.started, m.start, m.startDone = true, now, done
	}
	changed := status != m.status
	complete := m.total > 0 && done >= m.total
	moved := done != m.done || detail != m.detail
	m.status, m.done, m.detail = status, done, detail
	m.dirty = m.dirty || changed || moved
	switch {
	case m.last.IsZero(), changed, complete && moved:
	case m.terminal && moved && now.Sub(m.last) >= barEvery:
	case !m.terminal && moved && now.Sub(m.last) >= lineEvery:
	default:
		return
	}
	m.show(now)
}

// finish shows the final state and ends the bar's line.
func (m *meter) finish() {
	if m.finished {
		return
	}
	if m.dirty || m.last.IsZero() {
		m.show(m.now())
	}
	m.finished = true
	if m.terminal && m.drawn {
		fmt.Fprintln(m.w)
		m.drawn = false
	}
}

// interrupt ends the bar's line, without redrawing it, so that a message can
// follow on a line of its own.
func (m *meter) interrupt() {
	m.finished = true
	if m.terminal && m.drawn {
		fmt.Fprintln(m.w)
		m.drawn = false
	}
}

// show writes the current state.
func (m *meter) show(now time.Time) {
	m.last, m.dirty = now, false
	rate, left := m.estimate(now)
	if !m.terminal {
		fmt.Fprintln(m.w, m.line(rate, left))
		return
	}
	fmt.Fprint(m.w, "\r"+m.bar(rate, left)+"\x1b[K")
	m.drawn = true
}

// estimate returns the rate since the meter started, in units a second, and
// the time left at that rate; each is negative when unknown.
func (m *meter) estimate(now time.Time) (rate float64, left time.Duration) {
	rate, left = -1, -1
	elapsed := now.Sub(m.start).Seconds()
	if !m.started || elapsed < 0.5 || m.done <= m.startDone {
		return rate, left
	}
	rate = float64(m.done-m.startDone) / elapsed
	if m.total > 0 && m.done < m.total {
		left = time.Duration(float64(m.total-m.done) / rate * float64(time.Second))
	}
	return rate, left
}

// counts returns "done of total" (or "done/total" when short) with the
// unit, or "done" when the total is unknown.
func (m *meter) counts(short bool) string {
	switch {
	case m.total <= 0:
		return m.num(m.done) + m.unitOf(m.done)
	case short:
		return m.num(m.done) + "/" + m.num(m.total) + m.unitOf(m.total)
	}
	return m.num(m.done) + " of " + m.num(m.total) + m.unitOf(m.total)
}

// unitOf returns the unit after the quantity n: singular for 1.
func (m *meter) unitOf(n int64) string {
	if n == 1 {
		return m.unitOne
	}
	return m.unit
}

// speed formats a rate in units a second.
func (m *meter) speed(rate float64) string {
	return m.num(int64(rate)) + m.unitOf(int64(rate)) + "/s"
}

// percent returns the share done, 0 to 100.
func (m *meter) percent() int {
	if m.total <= 0 {
		return 0
	}
	p := int(m.done * 100 / m.total)
	return min(max(p, 0), 100)
}

// line is the plain form: "import: InProgress, 1,200 of 5,000 users (24%), 300 users/s, about 13s left".
func (m *meter) line(rate float64, left time.Duration) string {
	var b strings.Builder
	b.WriteString(m.label + ": ")
	if m.status != "" {
		b.WriteString(m.status + ", ")
	}
	b.WriteString(m.counts(false))
	if m.total > 0 {
		fmt.Fprintf(&b, " (%d%%)", m.percent())
	}
	if m.detail != "" {
		b.WriteString(" " + m.detail)
	}
	if rate >= 0 {
		b.WriteString(", " + m.speed(rate))
	}
	if left >= 0 {
		b.WriteString(", about " + formatDuration(left) + " left")
	}
	return b.String()
}

// bar is the terminal form:
// "import InProgress [=====>      ]  24%  1,200/5,000 users  300 users/s  0:13 left  (1,000 imported, ...)".
// The bar keeps one width from frame to frame; the detail at the end is left
// out when the line would not fit the terminal.
func (m *meter) bar(rate float64, left time.Duration) string {
	head := fmt.Sprintf("%-6s ", m.label)
	if m.status != "" {
		// Padded to the longest status, InProgress, so that the bar does
		// not move when the status changes.
		head += fmt.Sprintf("%-10s ", m.status)
	}
	tail := "  " + m.counts(true)
	if rate >= 0 {
		tail += "  " + m.speed(rate)
	}
	if left >= 0 {
		tail += "  " + clock(left) + " left"
	}
	var line string
	if m.total <= 0 {
		line = head + strings.TrimPrefix(tail, " ")
	} else {
		if m.barSize == 0 {
			// Room for the longest tail: the counts at the end, a rate as
			// long as the total, and hours left.
			done := m.done
			m.done = m.total
			reserve := len("  "+m.counts(true)) + len("  "+m.speed(float64(m.total))) + len("  0:00:00 left")
			m.done = done
			m.barSize = min(max(m.width-1-len(head)-len(" 100%")-2-reserve, 10), 40)
		}
		size := m.barSize
		filled := min(max(int(int64(size)*m.done/m.total), 0), size)
		bar := strings.Repeat("=", filled)
		if filled < size {
			if filled > 0 {
				bar = bar[:filled-1] + ">"
			}
			bar += strings.Repeat(" ", size-filled)
		}
		line = head + "[" + bar + "]" + fmt.Sprintf(" %3d%%", m.percent()) + tail
	}
	if m.detail != "" && len(line)+2+len(m.detail) < m.width {
		return line + "  " + m.detail
	}
	return fit(line, m.width-1)
}

// fit cuts s to at most n bytes (the line is ASCII but for user data in
// messages; cutting may then shorten it further, which is harmless).
func fit(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// clock formats d as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// formatDuration formats d for a sentence, rounded to the second.
func formatDuration(d time.Duration) string {
	return d.Round(time.Second).String()
}

// formatBytes formats n bytes with a binary unit: "512 B", "1.2 MiB".
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// formatUsers formats n users with thousands separators: "1,200 users",
// "1 user".
func formatUsers(n int64) string { return formatNoun(n, "user", "users") }

// formatNoun formats n with thousands separators and the noun that agrees
// with it: "1 job", "2 jobs", "1,200 users".
func formatNoun(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}

// formatCounts formats a job's counts, as the summary and the progress
// show them: "1,200 imported, 3 skipped, 0 failed".
func formatCounts(j cognitoimport.Job) string {
	return formatCount(j.ImportedUsers) + " imported, " + formatCount(j.SkippedUsers) + " skipped, " + formatCount(j.FailedUsers) + " failed"
}

// formatCount formats n with thousands separators: "1,200".
func formatCount(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// uploadMeter returns the meter of an upload of total bytes and the
// progress function to give the library.
func (a *app) uploadMeter(total int64) (*meter, func(sent, total int64)) {
	m := a.newMeter("upload", total, formatBytes, "", "")
	status := ""
	retries := 0
	return m, func(sent, t int64) {
		if t > 0 {
			m.total = t
		}
		// The library reports progress only for bytes read, and 0 when an
		// attempt starts over after a transient failure: show the retry,
		// else the line would say 100% twice with nothing between.
		if sent == 0 {
			retries++
			status = fmt.Sprintf("retry %d", retries)
		}
		m.update(status, sent, "")
	}
}

// jobMeter returns the meter of a job whose file holds users users (0:
// unknown) and the progress function to give the library's Wait.
func (a *app) jobMeter(users int64) (*meter, func(cognitoimport.Job)) {
	m := a.newMeter("import", users, formatCount, " users", " user")
	return m, func(j cognitoimport.Job) {
		a.impossibleCounts(j)
		done := j.ImportedUsers + j.SkippedUsers + j.FailedUsers
		detail := ""
		if done > 0 {
			detail = "(" + formatCounts(j) + ")"
		}
		m.update(printable(string(j.Status)), done, detail)
	}
}
