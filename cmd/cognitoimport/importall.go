package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/internal/shell"
)

// journalPath returns the journal of the import of file: --journal, or
// FILE.import.json beside it.
func (o importOptions) journalPath(file string) string {
	if o.journal != "" {
		return o.journal
	}
	return file + ".import.json"
}

// inParts reports whether import takes file in parts through the library's
// ImportAll, with a journal: when --journal names one, when the default
// journal exists (an import of it began), or when the file is larger than
// one job takes. Otherwise the file is one job, imported as before the
// journal existed. --part-users imports in parts too.
func inParts(ctx context.Context, f *os.File, info fs.FileInfo, file string, o importOptions) (bool, error) {
	if o.journal != "" || o.partUsers > 0 || info.Size() > cognitoimport.MaxFileBytes {
		return true, nil
	}
	if _, err := os.Stat(o.journalPath(file)); err == nil {
		return true, nil
	}
	// A row holds at least a line break: only a file of more bytes than
	// the most users can hold more users.
	if info.Size() <= cognitoimport.MaxFileUsers {
		return false, nil
	}
	n, err := countUsers(ctxReader{ctx, f})
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", file, err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return false, err
	}
	return n > cognitoimport.MaxFileUsers, nil
}

// partsRun is one import in parts.
type partsRun struct {
	a    *app
	c    *cognitoimport.Client
	file string
	o    importOptions
	jobs map[int]cognitoimport.Job // each part's job as last seen
	said map[string]bool           // the notes already given, by job and step
}

// runImportAll imports file through ImportAll, in parts of at most 500,000
// users and 100 MB, one job after another, recording each step in the
// journal; run again with the same journal, it goes on where it stopped.
func (a *app) runImportAll(ctx context.Context, c *cognitoimport.Client, f *os.File, info fs.FileInfo, file string, o importOptions) error {
	if o.skipCheck || o.noWait {
		return usageErrorf("--skip-check and --no-wait import one job; %s is imported in parts with a journal (%s)", file, o.journalPath(file))
	}
	if !o.nameGiven {
		// The same file gets the same name in every run, which the
		// journal checks: the time of its modification, not the run's.
		o.name = defaultJobName(file, info.ModTime())
	}
	r := &partsRun{a: a, c: c, file: file, o: o, jobs: map[int]cognitoimport.Job{}, said: map[string]bool{}}
	journal := o.journalPath(file)
	a.note("journal: %s; if the import stops, run the same command again to go on", journal)
	settings, err := a.rules(ctx, c, o.pool)
	if err != nil {
		return err
	}
	in := o.createInput()
	meter := a.newMeter("import", 0, formatCount, " users", " user")
	sctx, end := a.watch(ctx)
	parts, err := c.ImportAll(sctx, cognitoimport.ImportAllInput{
		UserPoolID: in.UserPoolID, JobName: in.JobName, CloudWatchLogsRoleARN: in.CloudWatchLogsRoleARN,
		PasswordHashingAlgorithm: in.PasswordHashingAlgorithm,
		File:                     f, Journal: journal, Settings: *settings,
		CheckOptions: cognitoimport.CheckOptions{MaxProblems: o.maxProblems},
		PartUsers:    o.partUsers,
		MaxDelay:     maxPollDelay,
		Progress:     func(p cognitoimport.ImportAllProgress) { r.progress(meter, p) },
	})
	sig := end()
	if err != nil {
		meter.interrupt()
	} else {
		meter.finish()
	}
	if sig != nil {
		return r.interrupted(ctx, err, sig)
	}
	if err != nil {
		return r.failed(err)
	}
	return r.ended(ctx, parts)
}

// progress shows p: a note at each part's new job and start, and the whole
// import's meter with the part under way.
func (r *partsRun) progress(m *meter, p cognitoimport.ImportAllProgress) {
	if p.Parts == 0 {
		return // the check
	}
	if m.total == 0 {
		m.total = p.Users
		r.a.note("%s: %s in %s", r.file, formatUsers(p.Users), formatNoun(int64(p.Parts), "part", "parts"))
	}
	say := func(key, format string, args ...any) {
		if !r.said[key] {
			r.said[key] = true
			if m.terminal && m.drawn {
				// The note goes on a line of its own; the bar goes on
				// below it.
				fmt.Fprintln(m.w)
				m.drawn = false
			}
			r.a.note(format, args...)
		}
	}
	status := string(p.Step)
	if j := p.Job; j != nil {
		r.jobs[p.Part] = *j
		switch p.Step {
		case cognitoimport.StepUpload:
			say(j.JobID+" created", "part %d of %d: created job %s (%s)", p.Part, p.Parts, j.JobID, j.JobName)
		case cognitoimport.StepWait:
			say(j.JobID+" started", "part %d of %d: job %s %s", p.Part, p.Parts, j.JobID, j.Status)
			status = string(j.Status)
		}
	}
	if w := p.Waiting; w != nil {
		say(w.JobID+" waiting", "waiting for job %s (%s) of another import: the service runs one at a time", w.JobID, w.JobName)
	}
	m.update(status, p.Done, fmt.Sprintf("part %d of %d", p.Part, p.Parts))
}

// resume returns the command line that goes on with this import.
func (r *partsRun) resume() string {
	var b strings.Builder
	b.WriteString(r.a.program() + " import" + r.a.globalFlags() + " --pool " + shell.Quote(r.o.pool) + " --role " + shell.Quote(r.o.role))
	if r.o.nameGiven {
		b.WriteString(" --name " + shell.Quote(r.o.name))
	}
	if r.o.passwordHashing != "" {
		b.WriteString(" --password-hashing-algorithm " + shell.Quote(r.o.passwordHashing))
	}
	if r.o.journal != "" {
		b.WriteString(" --journal " + shell.Quote(r.o.journal))
	}
	if r.o.partUsers > 0 {
		b.WriteString(" --part-users " + strconv.Itoa(r.o.partUsers))
	}
	b.WriteString(" " + shell.Quote(r.file))
	return b.String()
}

// interrupted handles an interrupt: the part's job, when started, is left
// running or stopped as an interrupted wait's is; the journal records where
// the import is, and the same command goes on.
func (r *partsRun) interrupted(ctx context.Context, err error, sig os.Signal) error {
	code := exitInterrupted
	if sig == syscall.SIGTERM {
		code = exitTerminated
	}
	var pe *cognitoimport.PartError
	if !errors.As(err, &pe) || pe.Job == nil {
		r.a.note("interrupted before a job was created")
	}
	r.a.note("interrupted; to go on with the import, run the same command again: %s", r.resume())
	if pe != nil && pe.Job != nil && !pe.Job.Status.Terminal() && pe.Job.Status != cognitoimport.StatusCreated {
		// The journal says the part was started: the next run waits for
		// this job, or gives the part a new one if it was stopped.
		return r.a.interrupted(ctx, r.c, r.o.pool, pe.Job.JobID, pe.Job, sig, r.o.stopOnInterrupt)
	}
	if pe != nil && pe.Job != nil && pe.Job.Status == cognitoimport.StatusCreated {
		r.a.note("job %s of part %d was created but not started; it expires unused, and the next run creates another", pe.Job.JobID, pe.Part)
	}
	return &exitError{code: code}
}

// failed reports an import that stopped on an error.
func (r *partsRun) failed(err error) error {
	var problems *cognitoimport.FileError
	if errors.As(err, &problems) {
		writeProblems(r.a.stderr, r.file, problems.Users, problems)
		return &exitError{code: exitFailed, err: fmt.Errorf("%s does not pass the check: no job created", r.file)}
	}
	var (
		pe     *cognitoimport.PartError
		locked *cognitoimport.JournalLockedError
		bad    *cognitoimport.JournalError
	)
	if errors.As(err, &locked) || errors.As(err, &bad) {
		return err
	}
	if errors.As(err, &pe) && pe.Job != nil && pe.Job.Status.Terminal() {
		if perr := r.a.printOutcome(*pe.Job); perr != nil {
			return perr
		}
		r.a.note("part %d of %d ended %s; once the cause is dealt with, run the same command again to go on: %s", pe.Part, pe.Parts, pe.Job.Status, r.resume())
		return r.a.jobOutcome(*pe.Job)
	}
	r.a.note("to go on with the import, run the same command again: %s", r.resume())
	return err
}

// ended prints the parts' jobs (with --json the job, or an array of the
// parts' jobs when there are several) and their rows that failed or were
// skipped.
func (r *partsRun) ended(ctx context.Context, parts []cognitoimport.Part) error {
	jobs := make([]cognitoimport.Job, len(parts))
	for i, p := range parts {
		j, ok := r.jobs[p.Number]
		if !ok || j.JobID != p.JobID || !j.Status.Terminal() {
			// Imported in an earlier run: ask the service.
			d, err := r.c.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: r.o.pool, JobID: p.JobID})
			if err != nil {
				return err
			}
			j = *d
		}
		jobs[i] = j
	}
	switch {
	case r.a.json && len(jobs) == 1:
		if err := writeJSON(r.a.stdout, newJobJSON(jobs[0])); err != nil {
			return err
		}
	case r.a.json:
		out := make([]jobJSON, len(jobs))
		for i, j := range jobs {
			out[i] = newJobJSON(j)
		}
		if err := writeJSON(r.a.stdout, out); err != nil {
			return err
		}
	default:
		for _, j := range jobs {
			if err := r.a.printOutcome(j); err != nil {
				return err
			}
		}
	}
	if len(jobs) == 1 {
		// The part's file is the whole file: its rows and lines are the
		// file's, as import shows them for one job.
		r.a.endedResults(ctx, r.c, jobs[0], r.file, r.o.force) // results.go
	} else {
		r.showPartResults(ctx, parts)
	}
	r.a.note("imported %s; the journal %s records it: the same command again imports nothing", r.file, r.o.journalPath(r.file))
	for _, j := range jobs {
		if err := r.a.jobOutcome(j); err != nil {
			return err
		}
	}
	return nil
}

// partResults reads the results of each part's job that ended with rows
// failed or skipped, from the jobs' logs, and hands each row to each with
// its line in the whole file (Part.FileLine). A log that cannot be read is
// a note, and the next part's is read.
func (a *app) partResults(ctx context.Context, c *cognitoimport.Client, pool string, parts []cognitoimport.Part, each func(cognitoimport.RowResult)) error {
	poolName := ""
	for _, p := range parts {
		if p.JobID == "" || !p.Status.Terminal() || p.FailedUsers+p.SkippedUsers == 0 {
			continue
		}
		if poolName == "" {
			var err error
			if poolName, err = c.PoolName(ctx, pool); err != nil {
				return err
			}
			a.poolName = poolName
		}
		for row, err := range c.Results(ctx, cognitoimport.ResultsInput{UserPoolID: pool, JobID: p.JobID, PoolName: poolName}) {
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				a.note("the rows' results of part %d (job %s): %v", p.Number, p.JobID, err)
				break
			}
			row.Line = p.FileLine(row.Line)
			each(row)
		}
	}
	return nil
}

// showPartResults prints the first maxShownRows rows of the parts that
// failed or were skipped, as FILE:LINE: reason with the lines of the whole
// file, then the summary by reason; nothing with --json, whose output is
// the jobs'.
func (r *partsRun) showPartResults(ctx context.Context, parts []cognitoimport.Part) {
	if r.a.json {
		return
	}
	var sum cognitoimport.ResultsSummary
	shown := 0
	err := r.a.partResults(ctx, r.c, r.o.pool, parts, func(row cognitoimport.RowResult) {
		sum.Add(row)
		if row.Outcome == cognitoimport.OutcomeSucceeded {
			return
		}
		if shown < maxShownRows {
			fmt.Fprintf(r.a.stdout, "%s:%d: %s\n", printable(r.file), row.Line, printable(cmp.Or(row.Reason, string(row.Outcome))))
		}
		shown++
	})
	if err != nil {
		r.a.note("the rows' results: %v", err)
		return
	}
	if shown == 0 {
		return
	}
	if shown > maxShownRows {
		fmt.Fprintf(r.a.stdout, "... and %d more rows: %s results for each part's job\n", shown-maxShownRows, r.a.program())
	}
	writeSummary(r.a.stdout, &sum)
}
