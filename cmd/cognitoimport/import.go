package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// hashingAlgorithms lists the values of --password-hashing-algorithm.
var hashingAlgorithms = strings.Join([]string{
	string(cognitoimport.PasswordHashingBcrypt), string(cognitoimport.PasswordHashingScrypt),
	string(cognitoimport.PasswordHashingArgon2id), string(cognitoimport.PasswordHashingPBKDF2SHA256),
}, ", ")

// importOptions are the flags of import.
type importOptions struct {
	pool, role, name string
	passwordHashing  string
	skipCheck        bool
	noWait           bool
	stopOnInterrupt  bool
	maxProblems      int
	force            bool   // overwrite the retry file (results.go)
	journal          string // --journal; "": FILE.import.json (importall.go)
	partUsers        int    // --part-users; 0: cognitoimport.MaxFileUsers
	nameGiven        bool   // --name was given
}

// importCommand checks, creates, uploads, starts and waits.
func (a *app) importCommand() *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import --pool ID --role ARN [--name NAME] FILE",
		Short: "Import the users of FILE into the pool",
		Long: `Import the users of FILE into the pool: check FILE against the pool's rules,
create an import job, upload FILE, start the job and wait for it to end, showing
progress on stderr. At the end, print the job's ID, status, the numbers of
imported, skipped and failed users, and its completion message. When rows failed
or were skipped, print the first 20 with their reasons (FILE:LINE: USERNAME:
reason, from the job's CloudWatch Logs stream) and a summary by reason, and write
the header and the failed rows to FILE.failed.csv beside FILE (users.csv:
users.failed.csv), to fix and import again; an existing one is kept unless --force.

A file that fails the check creates no job (exit status 1) unless --skip-check.
With --no-wait, the command returns once the job has started. Exit status 0
only when the job Succeeded.

Ctrl-C while waiting stops waiting and leaves the job running; pressing it again
within two seconds, or --stop-on-interrupt, stops the job first. The exit status
is then 130. SIGTERM ends the command at once, with status 143, leaving the job
running unless --stop-on-interrupt.

A file of more than 500,000 users or 100 MB, or given --journal, is imported in
parts, each part a job, one after another (NAME - part 2 of 7), recording each
step in a journal: --journal FILE, by default FILE.import.json beside FILE. The
command says at start where the journal is; interrupted (Ctrl-C, SIGTERM, a
crash) or stopped by a part that failed, the same command goes on where it
stopped: a part imported is not imported again, a job started is waited for,
never started twice. The default job name is then the file's name and the time
of its last modification, the same in every run. --json prints the job, or an
array of the parts' jobs when there are several.

Imported users must reset their password before they can sign in.`,
		Args: oneArg("FILE"),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return a.runImport(cmd.Context(), args[0], o)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.pool, "pool", "", "the user pool `ID`, such as us-east-1_EXAMPLE")
	f.StringVar(&o.role, "role", "", "the `ARN` of the IAM role that lets Amazon Cognito write the job's CloudWatch logs")
	f.StringVar(&o.name, "name", "", "the job's `name` (default: the file's name and the time)")
	f.StringVar(&o.passwordHashing, "password-hashing-algorithm", "", "the `ALGORITHM` of the password hashes the file carries, one of "+hashingAlgorithms+" (default: none; users must reset their password)")
	f.BoolVar(&o.skipCheck, "skip-check", false, "do not check the file before creating the job")
	f.BoolVar(&o.noWait, "no-wait", false, "return once the job has started")
	stopOnInterruptFlag(cmd, &o.stopOnInterrupt)
	maxProblemsFlag(cmd, &o.maxProblems)
	forceFlag(cmd, &o.force)
	f.StringVar(&o.journal, "journal", "", "import in parts with this journal `FILE`, which the same command reads to go on (default: FILE.import.json, for a file larger than one job takes)")
	f.IntVar(&o.partUsers, "part-users", 0, "import in parts of at most `N` users, each its own job, with a journal (default: 500,000, the most one job takes)")
	mustRequire(cmd, "pool", "role")
	return cmd
}

// runImport is the import subcommand: the library's Import, with the
// command's display of each step and its handling of interrupts.
func (a *app) runImport(ctx context.Context, file string, o importOptions) error {
	if o.maxProblems < 0 {
		return usageErrorf("invalid --max-problems %d: must not be negative", o.maxProblems)
	}
	if o.partUsers < 0 || o.partUsers > cognitoimport.MaxFileUsers {
		return usageErrorf("invalid --part-users %d: must be from 1 to %s", o.partUsers, formatCount(cognitoimport.MaxFileUsers))
	}
	o.nameGiven = o.name != ""
	if o.name == "" {
		o.name = defaultJobName(file, a.sys.clock.Now())
	}
	// Check the flags as CreateUserImportJob will before reading anything.
	if err := o.createInput().Validate(); err != nil {
		return err
	}
	if file == "-" {
		return usageErrorf("import needs a file, not stdin (-): the upload must know its size, and the file is read twice (to check and to upload)")
	}
	f, info, err := openUsersFile(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if !info.Mode().IsRegular() {
		return usageErrorf("%s is not a regular file: import needs a file it can read twice (to check and to upload)", file)
	}
	c, err := a.client(ctx)
	if err != nil {
		return err
	}
	defer a.catchInterrupts()()
	a.resumeFlags = []string{"--file", file}
	pctx, end := a.watch(ctx)
	parts, err := inParts(pctx, f, info, file, o) // importall.go
	if sig := end(); sig != nil {
		return a.interruptedBeforeWait(ctx, c, o, nil, sig)
	}
	if err != nil {
		return err
	}
	if parts {
		return a.runImportAll(ctx, c, f, info, file, o) // importall.go
	}

	// Everything up to the start stops at the first interrupt.
	sctx, end := a.watch(ctx)
	job, users, err := a.startImport(sctx, c, f, file, info.Size(), o)
	if sig := end(); sig != nil {
		return a.interruptedBeforeWait(ctx, c, o, job, sig)
	}
	if err != nil {
		if job != nil && job.Status == cognitoimport.StatusCreated {
			a.note("job %s was created but not started; it expires unused", job.JobID)
		}
		return err
	}
	if o.noWait {
		if err := a.printJob(*job); err != nil {
			return err
		}
		a.note("to wait for it: %s", a.suggest("wait", o.pool, job.JobID, "--file", file))
		return nil
	}
	done, err := a.wait(ctx, c, o.pool, job.JobID, users, o.stopOnInterrupt)
	if err != nil {
		return err
	}
	if err := a.printOutcome(*done); err != nil {
		return err
	}
	a.endedResults(ctx, c, *done, file, o.force) // results.go
	return a.jobOutcome(*done)
}

// createInput is the CreateUserImportJob that the flags ask for.
func (o importOptions) createInput() cognitoimport.CreateJobInput {
	return cognitoimport.CreateJobInput{
		UserPoolID: o.pool, JobName: o.name, CloudWatchLogsRoleARN: o.role,
		PasswordHashingAlgorithm: cognitoimport.PasswordHashingAlgorithm(o.passwordHashing),
	}
}

// startImport runs the library's Import up to the started job, showing each
// step: the check, the job's creation, the upload and the start. It returns
// the job as far as it got (nil before it was created) and the number of
// users in f.
func (a *app) startImport(ctx context.Context, c *cognitoimport.Client, f *os.File, file string, size int64, o importOptions) (*cognitoimport.Job, int64, error) {
	var users int64
	if o.skipCheck {
		n, err := countUsers(ctxReader{ctx, f})
		if err != nil {
			return nil, 0, fmt.Errorf("reading %s: %w", file, err)
		}
		if n == 0 {
			return nil, 0, &exitError{code: exitFailed, err: fmt.Errorf("%s: %s; no job created", file, noUsers)}
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, 0, err
		}
		users = n
		// Without the check, Checked is not called: look for a running
		// job here.
		if err := activeJob(ctx, c, o.pool); err != nil {
			return nil, 0, err
		}
	}
	var settings cognitoimport.PoolSettings // zero with --skip-check: not read
	if !o.skipCheck {
		rules, err := a.rules(ctx, c, o.pool) // with a note when the pool cannot be described
		if err != nil {
			return nil, 0, err
		}
		settings = *rules
	}
	m, progress := a.uploadMeter(size)
	in := o.createInput()
	job, err := c.Import(ctx, cognitoimport.ImportInput{
		UserPoolID: in.UserPoolID, JobName: in.JobName, CloudWatchLogsRoleARN: in.CloudWatchLogsRoleARN,
		PasswordHashingAlgorithm: in.PasswordHashingAlgorithm,
		File:                     f, Size: size,
		Settings:     settings,
		SkipCheck:    o.skipCheck,
		CheckOptions: cognitoimport.CheckOptions{MaxProblems: o.maxProblems},
		Checked: func(n int) error {
			if n == 0 {
				return errNoUsers
			}
			users = int64(n)
			a.note("checked %s: %s, no problems", file, formatUsers(users))
			return activeJob(ctx, c, o.pool)
		},
		Created: func(j cognitoimport.Job) {
			a.note("created job %s (%s)", j.JobID, j.JobName)
		},
		UploadProgress: progress,
		NoWait:         true,
	})
	if err != nil {
		m.interrupt()
		return a.importFailed(file, err, users == 0 && !o.skipCheck)
	}
	m.finish()
	a.note("started job %s", job.JobID)
	return job, users, nil
}

// errNoUsers refuses a file that passed the check with no users.
var errNoUsers = errors.New(noUsers)

// importFailed returns the job Import got as far as and the error that ends
// the command, each step's cause said once, in the command's words.
func (a *app) importFailed(file string, err error, checking bool) (*cognitoimport.Job, int64, error) {
	var ie *cognitoimport.ImportError
	if !errors.As(err, &ie) {
		return nil, 0, err
	}
	var problems *cognitoimport.FileError
	switch {
	case errors.As(err, &problems):
		writeProblems(a.stderr, file, problems.Users, problems)
		return nil, 0, &exitError{code: exitFailed, err: fmt.Errorf("%s does not pass the check: no job created (--skip-check imports it anyway)", file)}
	case errors.Is(err, errNoUsers):
		return nil, 0, &exitError{code: exitFailed, err: fmt.Errorf("%s: %s; no job created", file, noUsers)}
	}
	switch ie.Step {
	case cognitoimport.StepCheck:
		var exit *exitError
		if errors.As(err, &exit) || !checking {
			return nil, 0, ie.Err
		}
		return nil, 0, fmt.Errorf("checking %s: %w", file, ie.Err)
	case cognitoimport.StepUpload:
		return ie.Job, 0, fmt.Errorf("%s: %w", file, ie.Err) // "users.csv: upload: ..."
	case cognitoimport.StepStart:
		return ie.Job, 0, fmt.Errorf("starting job %s: %w", ie.Job.JobID, ie.Err)
	}
	return ie.Job, 0, ie.Err
}

// activeJob returns an error naming a job of pool that is Pending,
// InProgress or Stopping, if there is one, and nil otherwise. The service
// runs one job at a time per account and Region and refuses StartJob while
// another is active; without this look the command would create a job and
// upload the file only to fail at the start. It can only see this pool's
// jobs: a job active in another pool of the account still makes the start
// fail, as the service's error then says.
func activeJob(ctx context.Context, c *cognitoimport.Client, pool string) error {
	for j, err := range c.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: pool}) {
		if err != nil {
			return err
		}
		switch j.Status {
		case cognitoimport.StatusPending, cognitoimport.StatusInProgress, cognitoimport.StatusStopping:
			return &exitError{code: exitFailed, err: fmt.Errorf("job %s (%s) of pool %s is %s, and the service runs one import job at a time: no job created; wait for it or stop it first", j.JobID, j.JobName, pool, j.Status)}
		}
	}
	return nil
}

// interruptedBeforeWait handles an interrupt before the job was started, or
// while it was being started. A job that Import left Created is not started:
// Import asks the service when the interrupt came as StartJob was on its way.
func (a *app) interruptedBeforeWait(ctx context.Context, c *cognitoimport.Client, o importOptions, job *cognitoimport.Job, sig os.Signal) error {
	code := exitInterrupted
	if sig == syscall.SIGTERM {
		code = exitTerminated
	}
	if job == nil {
		a.note("interrupted before a job was created")
		return &exitError{code: code}
	}
	if job.Status == cognitoimport.StatusCreated {
		a.note("interrupted: job %s was created but not started; it expires unused", job.JobID)
		return &exitError{code: code}
	}
	return a.interrupted(ctx, c, o.pool, job.JobID, job, sig, o.stopOnInterrupt)
}

// ctxReader reads r until ctx is done, then fails with ctx's error, so that
// reading a large file ends at the first interrupt.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// countUsers counts the rows of a users file after its header, not counting
// empty lines: the total of the progress bar when the check is skipped.
func countUsers(r io.Reader) (int64, error) {
	var n int64
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			n++
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return max(n-1, 0), nil
}

// maxJobName is the longest job name the service takes.
const maxJobName = 128

// defaultJobName names a job after the file it imports and the time t,
// such as "users.csv 2026-11-21 21.22.34 UTC", in the characters a job name
// may hold (letters, digits, white space and +=,.@_-).
func defaultJobName(file string, t time.Time) string {
	stamp := " " + t.UTC().Format("2006-01-02 15.04.05") + " UTC"
	base := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == ' ', strings.ContainsRune("+=,.@_-", r):
			return r
		}
		return '-'
	}, filepath.Base(file))
	if len(base) > maxJobName-len(stamp) {
		base = base[:maxJobName-len(stamp)]
	}
	return base + stamp
}
