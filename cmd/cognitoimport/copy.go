package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/internal/shell"
)

// The files of a copy's working directory.
const (
	copyUsersFile  = "users.csv"
	copyGroupsFile = "users.groups.json"
	copySubsFile   = "users.subs.csv"
	copyExportFile = "export.json" // the export's outcome, written last: the export is done
	copyMappedFile = "subs.mapped.csv"
)

// copyOptions are the flags of copy.
type copyOptions struct {
	from, to, role         string
	fromRegion, toRegion   string
	dir, filter            string
	rate                   float64
	stopOnInterrupt, fresh bool
}

// copyCommand copies a pool's users, groups and memberships into another
// pool: export, check, import (any size, resumable), restore the groups,
// map the subs.
func (a *app) copyCommand() *cobra.Command {
	var o copyOptions
	cmd := &cobra.Command{
		Use:   "copy --from SRC --to DST --role ARN [--from-region R] [--to-region R] [--dir DIR]",
		Short: "Copy a pool's users, groups and memberships into another pool",
		Long: `Copy the users of pool --from into pool --to with import jobs, then their groups
and memberships:

 1. export the source's users as a users file for the destination (its columns
    and rules), with the groups and members and each user's sub (as export does);
    each user an import would refuse or misrepresent is left out, with the reason;
 2. check the file and import it, in parts of at most 500,000 users and 100 MB,
    one job after another, recording each step in a journal;
 3. create the groups the destination lacks and add each imported member;
 4. write each user's new sub beside the old one (subs.mapped.csv).

It ends with a table: the users in the source, exported, imported, skipped and
failed (with the reasons from the jobs' CloudWatch Logs streams), left out by the
export, and the groups and memberships restored.

The files go to the working directory --dir (default: copy-SRC-to-DST in the
current directory): users.csv, users.groups.json, users.subs.csv, export.json
(the export's outcome), users.csv.import.json (the import's journal) and
subs.mapped.csv. The copy goes on from them: after Ctrl-C, SIGTERM, a crash or a
failed part, run the same command again and it picks up where it stopped (an
export that ended is not run again; a part imported is not imported again; a
job started is waited for, never started twice). Run again after it ended, it
changes nothing. --fresh exports again (a new export needs a new journal: it
refuses a directory whose import has begun).

Ctrl-C or SIGTERM leaves the running job running unless --stop-on-interrupt.
Exit status 0 when every part's job Succeeded (rows it failed or skipped are in
the table), 1 otherwise, 2 a usage error, 130 interrupted, 143 terminated.
Imported users must reset their password before they can sign in.`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return a.runCopy(cmd.Context(), o)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "the source user pool `ID`")
	f.StringVar(&o.to, "to", "", "the destination user pool `ID`")
	f.StringVar(&o.role, "role", "", "the `ARN` of the IAM role that lets Amazon Cognito write the jobs' CloudWatch logs")
	f.StringVar(&o.fromRegion, "from-region", "", "the source pool's `Region` (default: --region's)")
	f.StringVar(&o.toRegion, "to-region", "", "the destination pool's `Region` (default: --region's)")
	f.StringVar(&o.dir, "dir", "", "the working `DIR` of the copy's files (default: copy-SRC-to-DST in the current directory)")
	f.StringVar(&o.filter, "filter", "", "copy only the users this ListUsers `filter` matches")
	f.Float64Var(&o.rate, "rate", cognitoimport.DefaultRequestsPerSecond, "at most `N` requests a second per operation")
	f.BoolVar(&o.fresh, "fresh", false, "export again even if an earlier run's export ended")
	stopOnInterruptFlag(cmd, &o.stopOnInterrupt)
	mustRequire(cmd, "from", "to", "role")
	return cmd
}

// copyJSON is what copy prints with --json.
type copyJSON struct {
	From              string                             `json:"From"`
	To                string                             `json:"To"`
	Dir               string                             `json:"Dir"`
	SourceUsers       int                                `json:"SourceUsers"`
	Exported          int                                `json:"Exported"`
	LeftOutCount      int                                `json:"LeftOutCount"`
	LeftOut           []cognitoimport.LeftOutUser        `json:"LeftOut"`
	MissingAttributes []cognitoimport.MissingAttribute   `json:"MissingAttributes"`
	Parts             []cognitoimport.Part               `json:"Parts"`
	Imported          int64                              `json:"Imported"`
	Skipped           int64                              `json:"Skipped"`
	Failed            int64                              `json:"Failed"`
	Reasons           []cognitoimport.ReasonCount        `json:"Reasons"`
	Groups            *cognitoimport.RestoreGroupsOutput `json:"Groups"`
	SubsMapped        int                                `json:"SubsMapped"`
	SubsFile          string                             `json:"SubsFile"`
	Notes             []string                           `json:"Notes"`
}

// copyRun is one run of copy.
type copyRun struct {
	a        *app
	o        copyOptions
	src, dst *cognitoimport.Client
	settings cognitoimport.PoolSettings // the destination's
	export   *cognitoimport.ExportOutput
	parts    []cognitoimport.Part
	sum      cognitoimport.ResultsSummary
	groups   *cognitoimport.RestoreGroupsOutput
	subs     *cognitoimport.MapSubsOutput
}

// path returns the path of the working directory's file name.
func (r *copyRun) path(name string) string { return filepath.Join(r.o.dir, name) }

// jobName is the import's name: the same in every run, which the journal
// checks.
func (r *copyRun) jobName() string { return "copy of " + r.o.from }

// runCopy is the copy subcommand.
func (a *app) runCopy(ctx context.Context, o copyOptions) error {
	if o.from == o.to && o.fromRegion == o.toRegion {
		return usageErrorf("--from and --to name the same pool %s", o.from)
	}
	if !(o.rate > 0) {
		return usageErrorf("invalid --rate %v: must be positive", o.rate)
	}
	if o.dir == "" {
		o.dir = "copy-" + o.from + "-to-" + o.to
	}
	r := &copyRun{a: a, o: o}
	if err := (cognitoimport.CreateJobInput{UserPoolID: o.to, JobName: r.jobName(), CloudWatchLogsRoleARN: o.role}).Validate(); err != nil {
		return err
	}
	var err error
	if r.src, err = a.regionClient(ctx, o.fromRegion); err != nil {
		return err
	}
	if r.dst, err = a.regionClient(ctx, o.toRegion); err != nil {
		return err
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return err
	}
	a.note("working directory %s: run the same command again to go on from it", o.dir)

	defer a.catchInterrupts()()
	wctx, end := a.watch(ctx)
	err = r.run(wctx)
	if sig := end(); sig != nil {
		return r.interrupted(sig)
	}
	return err
}

// regionClient returns a library client for region, or --region's when
// region is empty. The global flags configure the client (main.go), so the
// Region is set there for the call.
func (a *app) regionClient(ctx context.Context, region string) (*cognitoimport.Client, error) {
	if region == "" {
		return a.client(ctx)
	}
	saved := a.region
	a.region = region
	defer func() { a.region = saved }()
	return a.client(ctx)
}

// run runs the copy's steps, and prints the table.
func (r *copyRun) run(ctx context.Context) error {
	var err error
	if r.settings, err = r.dst.PoolSettings(ctx, r.o.to); err != nil {
		return err
	}
	if err := r.exportUsers(ctx); err != nil {
		return err
	}
	ierr := r.importUsers(ctx)
	if ierr != nil && (ctx.Err() != nil || len(r.parts) == 0) {
		// Interrupted, or stopped before any part (the check, the
		// journal): there is no job to report on.
		return ierr
	}
	if err := r.results(ctx); err != nil {
		return err
	}
	if ierr == nil {
		if err := r.restore(ctx); err != nil {
			return err
		}
	}
	if err := r.print(); err != nil {
		return err
	}
	if ierr != nil {
		r.a.note("to go on once the cause is dealt with, run the same command again: %s", r.command())
		return ierr
	}
	return nil
}

// exportRecord is what export.json holds: the export's flags, checked
// when a later run goes on from it, and what it did.
type exportRecord struct {
	From, To, Filter string
	Export           *cognitoimport.ExportOutput
}

// exportUsers runs the export into the working directory, unless an earlier
// run's export ended: then it reads what that export did.
func (r *copyRun) exportUsers(ctx context.Context) error {
	done := r.path(copyExportFile)
	if !r.o.fresh {
		data, err := os.ReadFile(done)
		switch {
		case err == nil:
			var rec exportRecord
			if err := json.Unmarshal(data, &rec); err != nil || rec.Export == nil {
				return fmt.Errorf("%s is not the record of a copy's export (--fresh exports again): %v", done, err)
			}
			if rec.From != r.o.from || rec.To != r.o.to || rec.Filter != r.o.filter {
				return usageErrorf("%s holds the copy of %s to %s with --filter %q, not this one: give the same flags, or another --dir", r.o.dir, rec.From, rec.To, rec.Filter)
			}
			r.export = rec.Export
			r.a.note("the export of %s ended in an earlier run (%s): going on from it", r.o.from, done)
			return nil
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
	}
	if _, err := os.Stat(r.journal()); err == nil {
		return usageErrorf("the import of an earlier export has begun (%s): a new export would not match it; run without --fresh to go on with it, or give another --dir", r.journal())
	}
	if err := os.Remove(done); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	files := map[string]*os.File{}
	for _, name := range []string{copyUsersFile, copyGroupsFile, copySubsFile} {
		f, err := os.Create(r.path(name))
		if err != nil {
			return err
		}
		defer f.Close()
		files[name] = f
	}
	meter := r.a.newMeter("export", 0, formatCount, " users", " user")
	out, err := r.src.Export(ctx, cognitoimport.ExportInput{
		UserPoolID: r.o.from, Settings: r.settings, Filter: r.o.filter, RequestsPerSecond: r.o.rate,
		Users: files[copyUsersFile], Groups: files[copyGroupsFile], Subs: files[copySubsFile],
		Progress: func(p cognitoimport.ExportProgress) {
			meter.update("reading users", int64(p.Users), fmt.Sprintf("%s exported, %s left out", formatCount(int64(p.Exported)), formatCount(int64(p.LeftOut))))
		},
	})
	if err != nil {
		meter.interrupt()
		return err
	}
	meter.finish()
	for _, f := range files {
		if err := f.Sync(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	data, err := json.Marshal(exportRecord{From: r.o.from, To: r.o.to, Filter: r.o.filter, Export: out})
	if err != nil {
		return err
	}
	if err := writeFileAtomic(done, data); err != nil {
		return err
	}
	r.export = out
	r.a.note("exported %s of %s of %s to %s", formatCount(int64(out.Exported)), formatUsers(int64(out.Users)), r.o.from, r.path(copyUsersFile))
	return nil
}

// writeFileAtomic writes data to a temporary file beside path, flushes it
// and renames it over path, so that path holds all of data or nothing.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// journal is the path of the import's journal.
func (r *copyRun) journal() string { return r.path(copyUsersFile) + ".import.json" }

// importUsers imports the exported users file through ImportAll, with its
// journal in the working directory.
func (r *copyRun) importUsers(ctx context.Context) error {
	if r.export.Exported == 0 {
		r.a.note("no user to import")
		return nil
	}
	file := r.path(copyUsersFile)
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	meter := r.a.newMeter("import", int64(r.export.Exported), formatCount, " users", " user")
	parts, err := r.dst.ImportAll(ctx, cognitoimport.ImportAllInput{
		UserPoolID: r.o.to, JobName: r.jobName(), CloudWatchLogsRoleARN: r.o.role,
		File: f, Journal: r.journal(), Settings: r.settings, StopOnCancel: r.o.stopOnInterrupt, MaxDelay: maxPollDelay,
		Progress: func(p cognitoimport.ImportAllProgress) {
			status, detail := string(p.Step), ""
			if p.Job != nil && p.Step == cognitoimport.StepWait {
				status = string(p.Job.Status)
			}
			if p.Parts > 0 {
				detail = fmt.Sprintf("part %d of %d", p.Part, p.Parts)
			}
			if p.Waiting != nil {
				detail += ", waiting for job " + p.Waiting.JobID + " of another import"
			}
			meter.update(status, p.Done, detail)
		},
	})
	r.parts = parts
	if err == nil {
		meter.finish()
		return nil
	}
	meter.interrupt()
	var problems *cognitoimport.FileError
	if errors.As(err, &problems) {
		writeProblems(r.a.stderr, file, r.export.Exported, problems)
		return &exitError{code: exitFailed, err: fmt.Errorf("%s does not pass the check of pool %s: no job created", file, r.o.to)}
	}
	return err
}

// results reads why the rows of each part's job that failed or were skipped
// did so, from the jobs' logs, with the lines of the whole users file. A
// log that cannot be read is a note: the jobs' counts still go in the table.
func (r *copyRun) results(ctx context.Context) error {
	return r.a.partResults(ctx, r.dst, r.o.to, r.parts, r.sum.Add) // importall.go
}

// restore restores the groups and memberships and maps the subs.
func (r *copyRun) restore(ctx context.Context) error {
	groups, err := os.Open(r.path(copyGroupsFile))
	if err != nil {
		return err
	}
	defer groups.Close()
	if r.groups, err = r.dst.RestoreGroups(ctx, cognitoimport.RestoreGroupsInput{UserPoolID: r.o.to, Groups: groups, RequestsPerSecond: r.o.rate}); err != nil {
		return fmt.Errorf("restoring the groups: %w", err)
	}
	subs, err := os.Open(r.path(copySubsFile))
	if err != nil {
		return err
	}
	defer subs.Close()
	var mapped strings.Builder
	if r.subs, err = r.dst.MapSubs(ctx, cognitoimport.MapSubsInput{UserPoolID: r.o.to, Subs: subs, Output: &mapped, RequestsPerSecond: r.o.rate}); err != nil {
		return fmt.Errorf("mapping the subs: %w", err)
	}
	return writeFileAtomic(r.path(copyMappedFile), []byte(mapped.String()))
}

// totals returns the users the parts' jobs imported, skipped and failed.
func (r *copyRun) totals() (imported, skipped, failed int64) {
	for _, p := range r.parts {
		imported += p.ImportedUsers
		skipped += p.SkippedUsers
		failed += p.FailedUsers
	}
	return imported, skipped, failed
}

// print prints the copy's outcome: the table and the reasons, or with
// --json one object.
func (r *copyRun) print() error {
	imported, skipped, failed := r.totals()
	e := r.export
	if r.a.json {
		out := copyJSON{
			From: r.o.from, To: r.o.to, Dir: r.o.dir, SourceUsers: e.Users, Exported: e.Exported,
			LeftOutCount: e.LeftOutCount, LeftOut: nonNil(e.LeftOut), MissingAttributes: nonNil(e.MissingAttributes),
			Parts: nonNil(r.parts), Imported: imported, Skipped: skipped, Failed: failed, Reasons: nonNil(r.sum.Reasons()),
			Groups: r.groups, Notes: nonNil(e.Notes),
		}
		if r.subs != nil {
			out.SubsMapped, out.SubsFile = r.subs.Mapped, r.path(copyMappedFile)
		}
		return writeJSON(r.a.stdout, out)
	}
	w := r.a.stdout
	for _, l := range e.LeftOut {
		fmt.Fprintln(w, printable(l.String()))
	}
	for _, m := range e.MissingAttributes {
		fmt.Fprintf(w, "%s: %s it and pool %s does not: left out\n", printable(m.Attribute), formatNoun(int64(m.Users), "user has", "users have"), printable(r.o.to))
	}
	for _, rc := range r.sum.Reasons() {
		fmt.Fprintf(w, "%s: %s %s: %s (lines %s)\n", printable(r.path(copyUsersFile)), formatCount(int64(rc.Count)),
			strings.ToLower(string(rc.Outcome)), printable(cmpReason(rc)), joinLines(rc))
	}
	row := func(k string, v int64, more string) {
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %-24s %9s  %s", k, formatCount(v), more), " "))
	}
	fmt.Fprintf(w, "copy of %s to %s:\n", printable(r.o.from), printable(r.o.to))
	row("users in the source", int64(e.Users), "")
	row("exported", int64(e.Exported), "")
	row("left out by the export", int64(e.LeftOutCount), "")
	row("imported", imported, "")
	row("skipped", skipped, "")
	row("failed", failed, "")
	if g := r.groups; g != nil {
		row("groups restored", int64(g.GroupsCreated+g.GroupsExisting), fmt.Sprintf("(%s created now)", formatCount(int64(g.GroupsCreated))))
		row("memberships restored", int64(g.MembershipsAdded+g.MembershipsExisting), fmt.Sprintf("(%s added now; %s not in the destination)",
			formatCount(int64(g.MembershipsAdded)), formatCount(int64(len(g.MissingMembers)))))
	}
	if r.subs != nil {
		fmt.Fprintf(w, "old and new subs of %s in %s\n", formatUsers(int64(r.subs.Mapped)), printable(r.path(copyMappedFile)))
	}
	for _, n := range e.Notes {
		fmt.Fprintln(w, "note: "+printable(n))
	}
	return nil
}

// cmpReason is a reason's text, or what stands for it when the log has none.
func cmpReason(rc cognitoimport.ReasonCount) string {
	if rc.Outcome == cognitoimport.OutcomeNotLogged || rc.Reason == "" {
		return "the job's log has no event for these rows"
	}
	return rc.Reason
}

// joinLines lists rc's first line numbers.
func joinLines(rc cognitoimport.ReasonCount) string {
	s := make([]string, len(rc.Lines))
	for i, l := range rc.Lines {
		s[i] = fmt.Sprint(l)
	}
	if rc.Count > len(rc.Lines) {
		s = append(s, "...")
	}
	return strings.Join(s, ", ")
}

// command returns the command line that goes on with this copy.
func (r *copyRun) command() string {
	var b strings.Builder
	b.WriteString(r.a.program() + " copy" + r.a.globalFlags())
	for _, f := range []struct{ flag, value string }{
		{"--from", r.o.from}, {"--to", r.o.to}, {"--role", r.o.role},
		{"--from-region", r.o.fromRegion}, {"--to-region", r.o.toRegion}, {"--dir", r.o.dir},
	} {
		if f.value != "" {
			b.WriteString(" " + f.flag + " " + shell.Quote(f.value))
		}
	}
	return b.String()
}

// interrupted says where the copy stopped and how to go on, and returns
// the error that ends the command with status 130, or 143 for SIGTERM.
func (r *copyRun) interrupted(sig os.Signal) error {
	code := exitInterrupted
	if sig == syscall.SIGTERM {
		code = exitTerminated
	}
	for _, p := range r.parts {
		if p.JobID != "" && !p.Status.Terminal() && p.Status != cognitoimport.StatusCreated {
			if r.o.stopOnInterrupt {
				r.a.note("interrupted: job %s of part %d was stopped", p.JobID, p.Number)
			} else {
				r.a.note("interrupted: job %s of part %d keeps running", p.JobID, p.Number)
			}
		}
	}
	r.a.note("interrupted: to go on, run the same command again: %s", r.command())
	return &exitError{code: code}
}
