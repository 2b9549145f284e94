package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// maxShownRows is how many failed or skipped rows import and wait print
// when a job ends with some; results prints them all.
const maxShownRows = 20

// resultsCommand prints why each row of a job failed or was skipped.
func (a *app) resultsCommand() *cobra.Command {
	var o resultsOptions
	cmd := a.poolCommand("results --pool ID JOB_ID [--file users.csv] [--failed-out FILE]",
		"Print why each row of an import job failed or was skipped",
		`Read the job's per-row results from its CloudWatch Logs stream (the group
/aws/cognito/userpools/<pool ID>/<pool name>, stream <job ID>/<job name>) and print
one line a failed or skipped row, then a summary by reason:

  users.csv:LINE: USERNAME: reason     with --file, the users file the job imported
  line LINE: reason                    without it

--json prints an array of objects (line, outcome, reason, and with --file the
username) instead. --failed-out FILE writes the retry file: the header and exactly
the failed rows of --file, byte for byte, to fix and import again (skipped rows,
whose users exist, are not in it); an existing FILE is kept unless --force. A file
that is not the one the job imported is refused.

The reader needs logs:GetLogEvents on the group. A job still running shows the rows
done so far. Exit status 0 when no row failed, 1 when some did (or the log lacks
some), 2 a usage error.`,
		oneArg("JOB_ID"), func(ctx context.Context, c *cognitoimport.Client, pool string, args []string) error {
			if o.failedOut != "" && o.file == "" {
				return usageErrorf("--failed-out needs --file, the users file the job imported")
			}
			job, err := c.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: pool, JobID: args[0]})
			if err != nil {
				return err
			}
			if job.Status == cognitoimport.StatusPending || job.Status == cognitoimport.StatusInProgress || job.Status == cognitoimport.StatusStopping {
				a.note("job %s is %s: these are the rows done so far", job.JobID, job.Status)
			}
			sum, err := a.showResults(ctx, c, *job, o, -1)
			if err != nil {
				return err
			}
			if sum.Failed+sum.NotLogged > 0 {
				return &exitError{code: exitFailed}
			}
			return nil
		})
	cmd.Flags().StringVar(&o.file, "file", "", "the users `FILE` the job imported, to show each row's username and write --failed-out")
	cmd.Flags().StringVar(&o.failedOut, "failed-out", "", "write the header and the failed rows of --file to `FILE`")
	forceFlag(cmd, &o.force)
	return cmd
}

// forceFlag adds --force.
func forceFlag(cmd *cobra.Command, v *bool) {
	cmd.Flags().BoolVar(v, "force", false, "overwrite an existing retry file")
}

// resultsOptions say how to show a job's results.
type resultsOptions struct {
	file      string // the users file the job imported; "": none
	failedOut string // where to write the retry file; "": nowhere
	force     bool   // overwrite failedOut
}

// failedPath returns where import and wait write the retry file of file:
// beside it, users.csv's as users.failed.csv.
func failedPath(file string) string {
	ext := filepath.Ext(file)
	return strings.TrimSuffix(file, ext) + ".failed" + ext
}

// endedResults is what import and wait add when a job ended with failed or
// skipped rows: the first maxShownRows rows and the summary by reason, and
// with the job's file the retry file beside it. A failure to read the
// results is a note: the job's outcome decides the exit status, as before.
func (a *app) endedResults(ctx context.Context, c *cognitoimport.Client, job cognitoimport.Job, file string, force bool) {
	if job.FailedUsers+job.SkippedUsers == 0 {
		return
	}
	o := resultsOptions{file: file, force: force}
	if file != "" && job.FailedUsers > 0 {
		o.failedOut = failedPath(file)
	}
	if _, err := a.showResults(ctx, c, job, o, maxShownRows); err != nil {
		a.note("the rows' results: %v", err)
	}
}

// rowJSON is a row's result in --json output.
type rowJSON struct {
	Line     int    `json:"line"`
	Outcome  string `json:"outcome"`
	Reason   string `json:"reason,omitempty"`
	Username string `json:"username,omitempty"`
}

// showResults reads job's results, joined with o.file when given, and
// prints the failed and skipped rows (at most limit of them, unless limit
// is negative) and the summary; with --json, for the results subcommand
// (limit < 0), a JSON array of the rows instead, and for import and wait
// nothing on stdout, whose JSON is the job's. It writes o.failedOut.
func (a *app) showResults(ctx context.Context, c *cognitoimport.Client, job cognitoimport.Job, o resultsOptions, limit int) (*cognitoimport.ResultsSummary, error) {
	poolName, err := c.PoolName(ctx, job.UserPoolID)
	if err != nil {
		return nil, err
	}
	a.poolName = poolName
	rows := c.Results(ctx, cognitoimport.ResultsInput{UserPoolID: job.UserPoolID, JobID: job.JobID, PoolName: poolName, Job: &job})
	var file *cognitoimport.ResultsFile
	if o.file != "" {
		f, err := os.Open(o.file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return nil, err
		}
		if file, err = cognitoimport.NewResultsFile(f, info.Size()); err != nil {
			return nil, fmt.Errorf("%s: %w", o.file, err)
		}
		rows = file.Join(&job, rows)
	}

	jsonRows := a.json && limit < 0
	text := !a.json
	var sum cognitoimport.ResultsSummary
	shown, pending := 0, 0
	running := !job.Status.Terminal() // its rows without an event are still to come
	if jsonRows {
		io.WriteString(a.stdout, "[")
	}
	for row, err := range rows {
		if err != nil {
			if jsonRows {
				io.WriteString(a.stdout, "]\n")
			}
			var mismatch *cognitoimport.FileMismatchError
			if errors.As(err, &mismatch) {
				return nil, fmt.Errorf("%s: %w", o.file, err)
			}
			return nil, err
		}
		if running && row.Outcome == cognitoimport.OutcomeNotLogged {
			pending++
			continue
		}
		sum.Add(row)
		if row.Outcome == cognitoimport.OutcomeSucceeded {
			continue
		}
		switch {
		case jsonRows:
			b, err := json.Marshal(rowJSON{Line: row.Line, Outcome: string(row.Outcome), Reason: row.Reason, Username: row.Username})
			if err != nil {
				return nil, err
			}
			if shown > 0 {
				io.WriteString(a.stdout, ",")
			}
			io.WriteString(a.stdout, "\n  ")
			a.stdout.Write(b)
		case text && (limit < 0 || shown < limit):
			fmt.Fprintln(a.stdout, a.rowLine(o.file, row))
		}
		shown++
	}
	if jsonRows {
		if shown > 0 {
			io.WriteString(a.stdout, "\n")
		}
		io.WriteString(a.stdout, "]\n")
	}
	if text {
		if limit >= 0 && shown > limit {
			var extra []string
			if o.file != "" {
				extra = []string{"--file", o.file}
			}
			command := a.suggest("results", job.UserPoolID, job.JobID, extra...)
			more := "rows"
			if shown-limit == 1 {
				more = "row"
			}
			fmt.Fprintf(a.stdout, "... and %s more %s: %s\n", formatCount(int64(shown-limit)), more, printable(command))
		}
		writeSummary(a.stdout, &sum)
	}
	if pending > 0 {
		verb := "are"
		if pending == 1 {
			verb = "is"
		}
		a.note("%s of %s %s still to be imported", formatNoun(int64(pending), "row", "rows"), o.file, verb)
	}
	if o.failedOut != "" && file != nil && sum.Failed > 0 {
		n, err := writeRetryFile(file, o.failedOut, o.force)
		if err != nil {
			return &sum, err
		}
		a.note("wrote the header and the %s to %s: fix them and import it", formatNoun(int64(n), "failed row", "failed rows"), o.failedOut)
	}
	return &sum, nil
}

// rowLine formats one failed or skipped row: FILE:LINE: USERNAME: reason
// with the file, line LINE: reason without.
func (a *app) rowLine(file string, row cognitoimport.RowResult) string {
	reason := row.Reason
	if row.Outcome == cognitoimport.OutcomeNotLogged {
		reason = "the job's log has no event for this row"
	} else if reason == "" {
		reason = string(row.Outcome)
	}
	if file == "" {
		return "line " + strconv.Itoa(row.Line) + ": " + printable(reason)
	}
	return printable(file) + ":" + strconv.Itoa(row.Line) + ": " + printable(row.Username) + ": " + printable(reason)
}

// writeSummary writes the counts and the reasons, the most frequent first,
// each with its first line numbers.
func writeSummary(w io.Writer, sum *cognitoimport.ResultsSummary) {
	fmt.Fprintf(w, "summary: %s imported, %s skipped, %s failed", formatCount(int64(sum.Succeeded)), formatCount(int64(sum.Skipped)), formatCount(int64(sum.Failed)))
	if sum.NotLogged > 0 {
		fmt.Fprintf(w, ", %s not in the log", formatCount(int64(sum.NotLogged)))
	}
	fmt.Fprintln(w)
	for _, r := range sum.Reasons() {
		reason := r.Reason
		if r.Outcome == cognitoimport.OutcomeNotLogged {
			reason = "the job's log has no event for these rows"
		}
		lines := make([]string, len(r.Lines))
		for i, l := range r.Lines {
			lines[i] = strconv.Itoa(l)
		}
		more := ""
		if r.Count > len(r.Lines) {
			more = ", ..."
		}
		word := "line"
		if r.Count > 1 {
			word = "lines"
		}
		fmt.Fprintf(w, "%8d %s: %s (%s %s%s)\n", r.Count, strings.ToLower(string(r.Outcome)), printable(reason), word, strings.Join(lines, ", "), more)
	}
}

// writeRetryFile writes file's retry file to path, which it keeps if it
// exists, unless force.
func writeRetryFile(file *cognitoimport.ResultsFile, path string, force bool) (int, error) {
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return 0, fmt.Errorf("%s exists: not overwritten (--force overwrites it)", path)
	}
	if err != nil {
		return 0, err
	}
	n, err := file.WriteRetry(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}
