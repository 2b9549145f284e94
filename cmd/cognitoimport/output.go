package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cognitoimport/cognitoimport"
)

// jobJSON is a job as --json prints it: the service's member names, dates in
// RFC 3339 (UTC), zero dates and empty strings left out, and never the
// pre-signed URL, which is a credential.
type jobJSON struct {
	JobID                 string     `json:"JobId"`
	JobName               string     `json:"JobName,omitempty"`
	UserPoolID            string     `json:"UserPoolId"`
	Status                string     `json:"Status"`
	CreationDate          *time.Time `json:"CreationDate,omitempty"`
	StartDate             *time.Time `json:"StartDate,omitempty"`
	CompletionDate        *time.Time `json:"CompletionDate,omitempty"`
	CompletionMessage     string     `json:"CompletionMessage,omitempty"`
	ImportedUsers         int64      `json:"ImportedUsers"`
	SkippedUsers          int64      `json:"SkippedUsers"`
	FailedUsers           int64      `json:"FailedUsers"`
	CloudWatchLogsRoleARN string     `json:"CloudWatchLogsRoleArn,omitempty"`
	// PasswordHashingAlgorithm is left out when the job imports no
	// password hashes.
	PasswordHashingAlgorithm string `json:"PasswordHashingAlgorithm,omitempty"`
}

// newJobJSON converts j.
func newJobJSON(j cognitoimport.Job) jobJSON {
	return jobJSON{
		JobID:                    j.JobID,
		JobName:                  j.JobName,
		UserPoolID:               j.UserPoolID,
		Status:                   string(j.Status),
		CreationDate:             date(j.CreationDate),
		StartDate:                date(j.StartDate),
		CompletionDate:           date(j.CompletionDate),
		CompletionMessage:        j.CompletionMessage,
		ImportedUsers:            j.ImportedUsers,
		SkippedUsers:             j.SkippedUsers,
		FailedUsers:              j.FailedUsers,
		CloudWatchLogsRoleARN:    j.CloudWatchLogsRoleARN,
		PasswordHashingAlgorithm: string(j.PasswordHashingAlgorithm),
	}
}

// date returns t in UTC, or nil when it is zero.
func date(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// writeJSON writes v to w as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// formatDate formats t for people: RFC 3339 in UTC, "-" when zero.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// sortNewestFirst sorts jobs by creation date, newest first; jobs created at
// the same time keep their order.
func sortNewestFirst(jobs []cognitoimport.Job) {
	sort.SliceStable(jobs, func(i, k int) bool { return jobs[i].CreationDate.After(jobs[k].CreationDate) })
}

// writeJobsTable writes jobs as an aligned table with a header line.
func writeJobsTable(w io.Writer, jobs []cognitoimport.Job) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB ID\tNAME\tSTATUS\tCREATED\tIMPORTED\tSKIPPED\tFAILED")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", printable(j.JobID), printable(j.JobName), printable(string(j.Status)),
			formatDate(j.CreationDate), formatCount(j.ImportedUsers), formatCount(j.SkippedUsers), formatCount(j.FailedUsers))
	}
	return tw.Flush()
}

// writeJob writes one job for people, a member a line, aligned.
func writeJob(w io.Writer, j cognitoimport.Job) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, printable(v))
		}
	}
	row("JobId", j.JobID)
	row("JobName", j.JobName)
	row("UserPoolId", j.UserPoolID)
	row("Status", string(j.Status))
	row("CreationDate", formatDate(j.CreationDate))
	row("StartDate", formatDate(j.StartDate))
	row("CompletionDate", formatDate(j.CompletionDate))
	row("CompletionMessage", j.CompletionMessage)
	row("ImportedUsers", formatCount(j.ImportedUsers))
	row("SkippedUsers", formatCount(j.SkippedUsers))
	row("FailedUsers", formatCount(j.FailedUsers))
	row("CloudWatchLogsRoleArn", j.CloudWatchLogsRoleARN)
	row("PasswordHashingAlgorithm", string(j.PasswordHashingAlgorithm))
	return tw.Flush()
}

// impossibleCounts notes, once a run, that the service sent a job whose
// counts hold a negative number: the counts are shown as sent.
func (a *app) impossibleCounts(j cognitoimport.Job) {
	if a.negativeSaid {
		return
	}
	for _, c := range []struct {
		member string
		n      int64
	}{{"ImportedUsers", j.ImportedUsers}, {"SkippedUsers", j.SkippedUsers}, {"FailedUsers", j.FailedUsers}} {
		if c.n < 0 {
			a.negativeSaid = true
			a.note("note: the service sent %s %d for job %s; a count cannot be negative: the counts are shown as sent", c.member, c.n, j.JobID)
			return
		}
	}
}

// printJob prints j on stdout, as JSON with --json.
func (a *app) printJob(j cognitoimport.Job) error {
	a.impossibleCounts(j)
	if a.json {
		return writeJSON(a.stdout, newJobJSON(j))
	}
	return writeJob(a.stdout, j)
}

// printOutcome prints how a job that ended went: with --json the job, and
// otherwise a line with its ID, status and counts, then its completion
// message.
func (a *app) printOutcome(j cognitoimport.Job) error {
	a.impossibleCounts(j)
	if a.json {
		return writeJSON(a.stdout, newJobJSON(j))
	}
	fmt.Fprintf(a.stdout, "%s %s: %s\n", printable(j.JobID), printable(string(j.Status)), formatCounts(j))
	if j.CompletionMessage != "" {
		fmt.Fprintln(a.stdout, oneLine(j.CompletionMessage))
	}
	return nil
}

// jobOutcome returns nil when j succeeded, and otherwise the error that ends
// the command with status 1 and names the job, its status and why. Either
// way, when rows were skipped or failed, it says where the reasons are.
func (a *app) jobOutcome(j cognitoimport.Job) error {
	if j.Status == cognitoimport.StatusSucceeded {
		if j.FailedUsers+j.SkippedUsers > 0 {
			a.note("%s", a.logsHint(j))
		}
		return nil
	}
	msg := fmt.Sprintf("job %s ended %s", j.JobID, j.Status)
	if j.CompletionMessage != "" {
		msg += ": " + j.CompletionMessage
	}
	if j.FailedUsers+j.SkippedUsers > 0 {
		msg += " (" + a.logsHint(j) + ")"
	}
	return &exitError{code: exitFailed, err: fmt.Errorf("%s", msg)}
}

// logsHint says where the service wrote why each row of j was skipped or
// failed. The log group's name ends with the pool's name, which the results
// (results.go) learned, or else a placeholder.
func (a *app) logsHint(j cognitoimport.Job) string {
	group := cognitoimport.LogGroupName(j.UserPoolID, cmp.Or(a.poolName, "<pool name>"))
	return fmt.Sprintf("the reason for each skipped or failed row is in the job's CloudWatch Logs stream %s, in the pool's log group %s",
		cognitoimport.LogStreamName(j.JobID, j.JobName), group)
}

// printable returns s with every character that is not printable written as
// a Go escape: control characters such as \r, \n, \t, \v, \f and ESC
// (\x1b), other non-printing characters such as U+2028 (\u2028), and bytes
// that are not UTF-8 (\xff). Every piece of text the command prints for
// people that comes from the service, a file or the command line passes
// through it, so that such text cannot start a line that poses as another
// (a job named "x\nimport-... Succeeded") or send the terminal commands
// (ESC sequences set the window title or clear the screen). The space is
// kept; a backslash is kept as it is, since it forges nothing. --json output
// does not need it: JSON escapes control characters itself.
func printable(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !unicode.IsPrint(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRuneToASCII(r) // '\n', '\x1b', '\u2028'
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}
