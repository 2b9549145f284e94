package main

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/cognitoimport/cognitoimport"
)

// grace is how long the command waits after a first Ctrl-C for a second
// one, which stops the job.
const grace = 2 * time.Second

// settleTimeout bounds how long the command waits, after stopping a job,
// for it to go from Stopping to Stopped (the service finishes the row at
// hand first), so that it prints the job's final counts.
const settleTimeout = 10 * time.Second

// settle returns the job stopped as j once it has ended, or j, labelled as
// still stopping, when it has not within settleTimeout.
func (a *app) settle(ctx context.Context, c *cognitoimport.Client, j cognitoimport.Job) *cognitoimport.Job {
	if j.Status.Terminal() {
		return &j
	}
	wctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	done, err := c.Wait(wctx, cognitoimport.WaitInput{UserPoolID: j.UserPoolID, JobID: j.JobID, MaxDelay: time.Second})
	if err != nil {
		a.note("job %s is still stopping; its counts below may grow a little (describe shows them once it has ended)", j.JobID)
		return &j
	}
	return done
}

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
// function that ends the watch and returns the interrupt that came, nil if
// none. The function must be called.
func (a *app) watch(parent context.Context) (context.Context, func() os.Signal) {
	ctx, cancel := context.WithCancel(parent)
	var got os.Signal
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case sig := <-a.interrupts: // nil: never
			got = sig
			cancel()
		case <-done:
		}
	}()
	return ctx, func() os.Signal {
		close(done)
		<-finished
		cancel()
		return got
	}
}

// wait waits for the job to end, showing its progress against users, the
// number of users in its file (0: unknown). A job that was never started
// (Created) would not end before it expires, a day later: wait refuses it at
// once with status 1. On an interrupt it returns the error that ends the
// command with status 130 (143 for SIGTERM), after stopping the job when
// stopOnInterrupt is set or a second Ctrl-C comes.
func (a *app) wait(ctx context.Context, c *cognitoimport.Client, pool, jobID string, users int64, stopOnInterrupt bool) (*cognitoimport.Job, error) {
	m, progress := a.jobMeter(users)
	wctx, end := a.watch(ctx)
	wctx, cancel := context.WithCancel(wctx)
	defer cancel()
	var last *cognitoimport.Job // the last state seen, nil before the first
	job, err := c.Wait(wctx, cognitoimport.WaitInput{UserPoolID: pool, JobID: jobID, MaxDelay: maxPollDelay, Progress: func(j cognitoimport.Job) {
		last = &j
		if j.Status == cognitoimport.StatusCreated {
			cancel()
			return
		}
		if !m.started && users == 0 {
			a.note("the number of users in job %s's file is unknown: no percentage or time left (wait --file FILE gives them)", jobID)
		}
		progress(j)
	}})
	sig := end()
	if err == nil {
		// The job ended, even if an interrupt came as it did.
		m.finish()
		return job, nil
	}
	m.interrupt()
	if last != nil && last.Status == cognitoimport.StatusCreated {
		return nil, &exitError{code: exitFailed, err: fmt.Errorf("job %s is Created: it was never started, so it will not end until it expires unused; import creates, uploads and starts a job", jobID)}
	}
	if sig != nil {
		return nil, a.interrupted(ctx, c, pool, jobID, last, sig, stopOnInterrupt)
	}
	return nil, err
}

// running reports whether a job in status s may be stopped.
func running(s cognitoimport.Status) bool {
	return s == cognitoimport.StatusPending || s == cognitoimport.StatusInProgress
}

// interrupted handles an interrupt, sig, while waiting for a job last seen
// as last (nil: unknown): it stops the job if stop is set or a second Ctrl-C
// comes within grace, and otherwise says how to resume waiting or stop the
// job. SIGTERM asks the command to end now: it gets no grace. It returns the
// error that ends the command with status 130, or 143 for SIGTERM.
func (a *app) interrupted(ctx context.Context, c *cognitoimport.Client, pool, jobID string, last *cognitoimport.Job, sig os.Signal, stop bool) error {
	code := exitInterrupted
	if sig == syscall.SIGTERM {
		code = exitTerminated
	}
	canStop := last == nil || running(last.Status)
	if !stop || !canStop {
		// The commands come first, at once: the person has them whether
		// or not they press Ctrl-C again.
		if canStop && code == exitInterrupted {
			a.note("interrupted: no longer waiting for job %s, which keeps running (Ctrl-C again within %s stops it)", jobID, grace)
		} else {
			a.note("interrupted: no longer waiting for job %s", jobID)
		}
		a.note("to wait for it again: %s", a.suggest("wait", pool, jobID, a.resumeFlags...))
		if canStop {
			a.note("to stop it:           %s", a.suggest("stop", pool, jobID))
		}
		if !canStop || code != exitInterrupted || !a.secondInterrupt(ctx) {
			return &exitError{code: code}
		}
	}
	a.note("interrupted: stopping job %s", jobID)
	// The stop has a deadline of its own (the command's context may have
	// ended), and one more interrupt ends it at once.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cognitoimport.StopTimeout)
	defer cancel()
	sctx, end := a.watch(sctx)
	job, err := c.StopJob(sctx, cognitoimport.StopJobInput{UserPoolID: pool, JobID: jobID})
	if err == nil {
		job = a.settle(sctx, c, *job)
	}
	if end() != nil {
		a.note("interrupted again: job %s may still be running; to stop it: %s", jobID, a.suggest("stop", pool, jobID))
		return &exitError{code: code}
	}
	if err != nil {
		return &exitError{code: code, err: fmt.Errorf("stopping job %s: %w", jobID, err)}
	}
	if err := a.printOutcome(*job); err != nil {
		return err
	}
	return &exitError{code: code}
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
