package main

import (
	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// jobsCommand lists a pool's jobs.
func (a *app) jobsCommand() *cobra.Command {
	var pool string
	cmd := &cobra.Command{
		Use:   "jobs --pool ID",
		Short: "List the pool's import jobs, newest first",
		Long: `List every import job of the pool, newest first, as an aligned table; with --json,
as a JSON array of jobs with the service's member names.`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if err := requirePool(pool); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			jobs := []cognitoimport.Job{}
			for j, err := range c.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: pool}) {
				if err != nil {
					return err
				}
				jobs = append(jobs, j)
			}
			sortNewestFirst(jobs)
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
		}),
	}
	poolFlag(cmd, &pool)
	return cmd
}

// describeCommand shows one job.
func (a *app) describeCommand() *cobra.Command {
	var pool string
	cmd := &cobra.Command{
		Use:   "describe --pool ID JOB_ID",
		Short: "Show an import job",
		Long: `Show an import job of the pool: its ID, name, status, dates, the numbers of
imported, skipped and failed users, its completion message and its CloudWatch
Logs role, a member a line; with --json, an object with the service's member
names. The pre-signed upload URL, a credential, is never shown.`,
		Args: oneArg("JOB_ID"),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := requirePool(pool); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			job, err := c.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: pool, JobID: args[0]})
			if err != nil {
				return err
			}
			return a.printJob(*job)
		}),
	}
	poolFlag(cmd, &pool)
	return cmd
}

// stopCommand stops a running job.
func (a *app) stopCommand() *cobra.Command {
	var pool string
	cmd := &cobra.Command{
		Use:   "stop --pool ID JOB_ID",
		Short: "Stop an import job",
		Long: `Stop an import job that is running. Users imported so far stay in the pool;
a stopped job cannot be started again.`,
		Args: oneArg("JOB_ID"),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := requirePool(pool); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			job, err := c.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: pool, JobID: args[0]})
			if err != nil {
				return err
			}
			return a.printJob(*job)
		}),
	}
	poolFlag(cmd, &pool)
	return cmd
}

// waitCommand waits for a job to end.
func (a *app) waitCommand() *cobra.Command {
	var (
		pool            string
		users           int64
		stopOnInterrupt bool
	)
	cmd := &cobra.Command{
		Use:   "wait --pool ID JOB_ID",
		Short: "Wait for an import job to end, with progress",
		Long: `Wait for an import job to end, showing its progress on stderr, then print how it
went. Exit status 0 only when the job Succeeded.

Ctrl-C stops waiting and leaves the job running; pressing it again within two
seconds, or --stop-on-interrupt, stops the job first (exit status 130). SIGTERM
ends the command at once (exit status 143), leaving the job running unless
--stop-on-interrupt. A job that was never started (Created) is refused at once.`,
		Args: oneArg("JOB_ID"),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := requirePool(pool); err != nil {
				return err
			}
			if users < 0 {
				return usageErrorf("invalid --users %d: must not be negative", users)
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			defer a.catchInterrupts()()
			job, err := a.wait(ctx, c, pool, args[0], users, stopOnInterrupt)
			if err != nil {
				return err
			}
			if err := a.printOutcome(*job); err != nil {
				return err
			}
			return a.jobOutcome(*job)
		}),
	}
	poolFlag(cmd, &pool)
	cmd.Flags().Int64Var(&users, "users", 0, "the number of users in the job's file, for the progress bar's total")
	stopOnInterruptFlag(cmd, &stopOnInterrupt)
	return cmd
}

// poolFlag adds --pool.
func poolFlag(cmd *cobra.Command, pool *string) {
	cmd.Flags().StringVar(pool, "pool", "", "the user pool `ID`, such as us-east-1_EXAMPLE")
}

// stopOnInterruptFlag adds --stop-on-interrupt.
func stopOnInterruptFlag(cmd *cobra.Command, v *bool) {
	cmd.Flags().BoolVar(v, "stop-on-interrupt", false, "on Ctrl-C while waiting, stop the job before exiting")
}
