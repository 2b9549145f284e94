package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/cognitoimport/cognitoimport"
)

// grace is how long the command waits after a first Ctrl-C for a second
// one, which stops the job.
const grace = 2 * time.Second

// stopTimeout bounds the StopJob call made after an interrupt, which runs
// after the command's context may have ended.
const stopTimeout = 30 * time.Second

// maxPollDelay caps the delay between two polls of a job, so that the
// progress moves at least this often (the library's default cap is 30 s).
// One request every 5 s is far below the service's rate limits.
const maxPollDelay = 5 * time.Second

// note writes a line for the person on stderr, made printable: its
// arguments may come from the service or a file.
func (a *app) note(format string, args ...any) {
	fmt.Fprintln(a.stderr, printable(fmt.Sprintf(format, args...)))
}

// catchInterrupts makes Ctrl-C and SIGTERM arrive on a.interrupts instead
// of ending the process, until the returned function is called.
func (a *app) catchInterrupts() func() {
	if a.sys.notify == nil {
		return func() {}
	}
	ch, stop := a.sys.notify()
	a.interrupts = ch
	return func() {
		stop()
		a.interrupts = nil
	}
}

// watch returns a context that is cancelled on the first interrupt, and a
// function that ends the watch and reports whether an interrupt came. The
// function must be called.
func (a *app) watch(parent context.Context) (context.Context, func() bool) {
	ctx, cancel := context.WithCancel(parent)
	var interrupted atomic.Bool
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-a.interrupts: // nil: never
			interrupted.Store(true)
			cancel()
		case <-done:
		}
	}()
	return ctx, func() bool {
		close(done)
		<-finished
		cancel()
		return interrupted.Load()
	}
}

// wait waits for the job to end, showing its progress against users, the
// number of users in its file (0: unknown). On an interrupt it returns the
// error that ends the command with status 130, after stopping the job when
// stopOnInterrupt is set or a second interrupt comes.
func (a *app) wait(ctx context.Context, c *cognitoimport.Client, pool, jobID string, users int64, stopOnInterrupt bool) (*cognitoimport.Job, error) {
	m, progress := a.jobMeter(users)
	wctx, end := a.watch(ctx)
	job, err := c.Wait(wctx, cognitoimport.WaitInput{UserPoolID: pool, JobID: jobID, Progress: progress, MaxDelay: maxPollDelay})
	interrupted := end()
	if err == nil {
		// The job ended, even if an interrupt came as it did.
		m.finish()
		return job, nil
	}
	m.interrupt()
	if interrupted {
		return nil, a.interrupted(ctx, c, pool, jobID, stopOnInterrupt)
	}
	return nil, err
}

// interrupted handles an interrupt while waiting for a job: it stops the job
// if stop is set or a second interrupt comes within grace, and otherwise
// says how to resume waiting or stop the job. It returns the error that ends
// the command with status 130.
func (a *app) interrupted(ctx context.Context, c *cognitoimport.Client, pool, jobID string, stop bool) error {
	if !stop {
		a.note("interrupted: no longer waiting for job %s, which keeps running (Ctrl-C again within %s stops it)", jobID, grace)
		stop = a.secondInterrupt(ctx)
	}
	if !stop {
		a.note("to wait for it again: %s wait%s --pool %s %s", name, a.globalFlags(), shellQuote(pool), shellQuote(jobID))
		a.note("to stop it:           %s stop%s --pool %s %s", name, a.globalFlags(), shellQuote(pool), shellQuote(jobID))
		return &exitError{code: exitInterrupted}
	}
	a.note("interrupted: stopping job %s", jobID)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	job, err := c.StopJob(sctx, cognitoimport.StopJobInput{UserPoolID: pool, JobID: jobID})
	if err != nil {
		return &exitError{code: exitInterrupted, err: fmt.Errorf("stopping job %s: %w", jobID, err)}
	}
	if err := a.printOutcome(*job); err != nil {
		return err
	}
	return &exitError{code: exitInterrupted}
}

// secondInterrupt reports whether another interrupt comes within grace.
func (a *app) secondInterrupt(ctx context.Context) bool {
	if a.interrupts == nil {
		return false
	}
	select {
	case <-a.interrupts:
		return true
	default:
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	slept := make(chan struct{})
	go func() {
		defer close(slept)
		_ = a.sys.clock.Sleep(sctx, grace)
	}()
	select {
	case <-a.interrupts:
		cancel()
		<-slept
		return true
	case <-slept:
	}
	select {
	case <-a.interrupts:
		return true
	default:
		return false
	}
}
