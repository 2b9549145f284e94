package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// jobsCommand lists a pool's jobs.
func (a *app) jobsCommand() *cobra.Command {
	return a.poolCommand("jobs --pool ID", "List the pool's import jobs, newest first",
		`List every import job of the pool, newest first, as an aligned table; with --json,
as a JSON array of jobs with the service's member names.`,
		noArgs, func(ctx context.Context, c *cognitoimport.Client, pool string, _ []string) error {
			jobs := []cognitoimport.Job{}
			for j, err := range c.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: pool}) {
				if err != nil {
					return err
				}
				jobs = append(jobs, j)
			}
			sortNewestFirst(jobs)
			for _, j := range jobs {
				a.impossibleCounts(j)
			}
			if a.json {
				out := make([]jobJSON, len(jobs))
				for i, j := range jobs {
					out[i] = newJobJSON(j)
				}
				return writeJSON(a.stdout, out)
			}
			if len(jobs) == 0 {
				a.note("no import jobs in pool %s", pool)
				return nil
			}
			return writeJobsTable(a.stdout, jobs)
		})
}

// describeCommand shows one job.
func (a *app) describeCommand() *cobra.Command {
	return a.jobCommand("describe", "Show an import job",
		`Show an import job of the pool: its ID, name, status, dates, the numbers of
imported, skipped and failed users, its completion message, its CloudWatch
Logs role and the algorithm of the password hashes it imports, a member a line; with --json, an object with the service's member
names. The pre-signed upload URL, a credential, is never shown.`,
		func(ctx context.Context, c *cognitoimport.Client, pool, id string) (*cognitoimport.Job, error) {
			return c.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: pool, JobID: id})
		})
}

// stopCommand stops a running job.
func (a *app) stopCommand() *cobra.Command {
	return a.jobCommand("stop", "Stop an import job",
		`Stop an import job that is running. Users imported so far stay in the pool;
a stopped job cannot be started again.`,
		func(ctx context.Context, c *cognitoimport.Client, pool, id string) (*cognitoimport.Job, error) {
			return c.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: pool, JobID: id})
		})
}

// jobCommand returns the subcommand "verb --pool ID JOB_ID" that makes one
// call about a job and prints the job it returns.
func (a *app) jobCommand(verb, short, long string, call func(ctx context.Context, c *cognitoimport.Client, pool, id string) (*cognitoimport.Job, error)) *cobra.Command {
	return a.poolCommand(verb+" --pool ID JOB_ID", short, long, oneArg("JOB_ID"),
		func(ctx context.Context, c *cognitoimport.Client, pool string, args []string) error {
			job, err := call(ctx, c, pool, args[0])
			if err != nil {
				return err
			}
			return a.printJob(*job)
		})
}

// waitCommand waits for a job to end.
func (a *app) waitCommand() *cobra.Command {
	var (
		users           int64
		file            string // the job's users file: the progress's total, the results' rows (results.go)
		stopOnInterrupt bool
		force           bool
	)
	cmd := a.poolCommand("wait --pool ID [--file FILE] JOB_ID", "Wait for an import job to end, with progress",
		`Wait for an import job to end, showing its progress on stderr, then print how it
went. Exit status 0 only when the job Succeeded. When rows failed or were skipped,
print the first 20 with their reasons and a summary by reason. With --file, the
users file the job imported, the progress shows a percentage and the time left,
each row's user is named, and the failed rows are written beside it as in import.

Ctrl-C stops waiting and leaves the job running; pressing it again within two
seconds, or --stop-on-interrupt, stops the job first (exit status 130). SIGTERM
ends the command at once (exit status 143), leaving the job running unless
--stop-on-interrupt. A job that was never started (Created) is refused at once.`,
		oneArg("JOB_ID"), func(ctx context.Context, c *cognitoimport.Client, pool string, args []string) error {
			if users < 0 {
				return usageErrorf("invalid --users %d: must not be negative", users)
			}
			// Before interrupts are caught: Ctrl-C while counting ends the
			// command at once.
			if file != "" {
				n, err := a.fileUsers(ctx, file)
				if err != nil {
					return err
				}
				users = n
				a.resumeFlags = []string{"--file", file}
			}
			defer a.catchInterrupts()()
			job, err := a.wait(ctx, c, pool, args[0], users, stopOnInterrupt)
			if err != nil {
				return err
			}
			if err := a.printOutcome(*job); err != nil {
				return err
			}
			a.endedResults(ctx, c, *job, file, force)
			return a.jobOutcome(*job)
		})
	cmd.Flags().Int64Var(&users, "users", 0, "the number of users in the job's file, for the progress bar's total (--file counts them)")
	stopOnInterruptFlag(cmd, &stopOnInterrupt)
	cmd.Flags().StringVar(&file, "file", "", "the users `FILE` the job imported: the progress's total; name its rows, and write the failed ones beside it")
	forceFlag(cmd, &force)
	cmd.MarkFlagsMutuallyExclusive("file", "users")
	return cmd
}

// poolFlag adds --pool.
func poolFlag(cmd *cobra.Command, pool *string) {
	cmd.Flags().StringVar(pool, "pool", "", "the user pool `ID`, such as us-east-1_EXAMPLE")
}

// stopOnInterruptFlag adds --stop-on-interrupt.
func stopOnInterruptFlag(cmd *cobra.Command, v *bool) {
	cmd.Flags().BoolVar(v, "stop-on-interrupt", false, "on Ctrl-C or SIGTERM while waiting, stop the job before exiting")
}

// fileUsers counts the users of file, for the total of wait's progress.
func (a *app) fileUsers(ctx context.Context, file string) (int64, error) {
	f, _, err := openUsersFile(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := countUsers(ctxReader{ctx, f})
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", file, err)
	}
	return n, nil
}
