package cognitoimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// ImportInput is the input of Import.
type ImportInput struct {
	// UserPoolID, JobName and CloudWatchLogsRoleARN are CreateJob's
	// members. Required.
	UserPoolID, JobName, CloudWatchLogsRoleARN string
	// PasswordHashingAlgorithm is CreateJob's optional member: the
	// algorithm of the password hashes the file carries; empty: none.
	PasswordHashingAlgorithm PasswordHashingAlgorithm
	// File is the users file. It is read from its current offset to check
	// it, then rewound to that offset and read again to upload it. Required.
	File io.ReadSeeker
	// Size is the file's size in bytes; 0: learn it by seeking.
	Size int64
	// Settings are what the file must satisfy, as Client.PoolSettings or
	// DefaultPoolSettings return them; when Settings.Header is empty (the zero
	// PoolSettings), Import reads them from the pool with Client.PoolSettings.
	Settings PoolSettings
	// SkipCheck skips the check of the file (and the reading of the
	// pool's rules): the service alone judges the file.
	SkipCheck bool
	// CheckOptions tunes the check of the file.
	CheckOptions CheckOptions
	// Checked, when not nil, is called once the file has passed the check,
	// with its number of users. An error it returns ends Import with an
	// *ImportError of StepCheck that wraps it, before any job is created:
	// the caller's last word on the file (for instance, that it has no
	// users). A file that breaks a rule ends Import with a *FileError,
	// which holds its number of users, without a call. Not called with
	// SkipCheck.
	Checked func(users int) error
	// Created, when not nil, is called with the job as soon as CreateJob
	// has created it, before the upload: the job exists from then on.
	Created func(Job)
	// NoWait makes Import return the started job (Pending or further on)
	// with a nil error once the start is confirmed, instead of waiting for
	// the job to end; Progress, MinDelay, MaxDelay and StopOnCancel are
	// then unused.
	NoWait bool
	// StopOnCancel makes Import stop the job when ctx ends while it waits
	// for the job, with its own deadline of StopTimeout; otherwise the job
	// goes on running in the service.
	StopOnCancel bool
	// Progress, when not nil, is Wait's progress callback.
	Progress func(Job)
	// UploadProgress, when not nil, is Upload's progress callback.
	UploadProgress func(sent, total int64)
	// Wait's delays; 0: its defaults.
	MinDelay, MaxDelay time.Duration
}

// StopTimeout is the deadline of the StopJob call that Import makes, when
// ctx ended and ImportInput.StopOnCancel asks for it.
const StopTimeout = 10 * time.Second

// ImportStep names the step of Import that failed.
type ImportStep string

// The steps of Import, in their order.
const (
	StepCheck  ImportStep = "check"  // reading the pool's rules or checking the file
	StepCreate ImportStep = "create" // CreateJob
	StepUpload ImportStep = "upload" // Upload
	StepStart  ImportStep = "start"  // StartJob
	StepWait   ImportStep = "wait"   // Wait
	StepStop   ImportStep = "stop"   // StopJob, after ctx ended with StopOnCancel
)

// ImportError is the failure of a step of Import. Match it with errors.As;
// Err is the step's own error (a *ValidationError, *FileError,
// *UploadError, a service error, ctx.Err(), ...) and stays in the chain.
type ImportError struct {
	Step ImportStep
	// Job is the job as last seen (its ID and status), so that the caller
	// can describe, stop or retry it; nil when the failure came before the
	// job was created.
	Job *Job
	Err error
}

// Error names the step, the job and the cause.
func (e *ImportError) Error() string {
	if e == nil {
		return "<nil>"
	}
	// The package's prefix once: Err is mostly the package's own error.
	cause := "<nil>"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), "cognitoimport: ")
	}
	if e.Job == nil {
		return fmt.Sprintf("cognitoimport: import: %s: %s", e.Step, cause)
	}
	return fmt.Sprintf("cognitoimport: import: %s of job %s (%s): %s", e.Step, e.Job.JobID, e.Job.Status, cause)
}

// Unwrap returns Err.
func (e *ImportError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Import imports a users file into a pool in one call: it reads the pool's
// rules (unless Rules or SkipCheck), checks the file with CheckFile (unless
// SkipCheck; a file that breaks a rule creates no job), creates a job,
// uploads the file, starts the job and waits for it to end (see Wait), and
// returns the ended job (with NoWait, the started job). Hooks let a caller
// follow each step: Checked, Created, UploadProgress and Progress.
//
// The error is nil when the job Succeeded, a *JobError (with the job) when it
// ended otherwise, and an *ImportError naming the step for any other failure.
// An *ImportError after the job was created carries the job, so nothing is
// left that the caller cannot find; the job then stays as it was (Created
// jobs expire by themselves), except that with StopOnCancel a job that was
// started is stopped when ctx ends while Import waits for it.
//
// ctx bounds every step, the check of the file included: a ctx done before
// or during the check ends Import with an *ImportError of StepCheck (of
// StepCreate with SkipCheck) that wraps ctx's error.
//
// A StartJob whose answer was lost (a timeout, a broken connection, or an
// SDK retry refused because the first attempt had started the job) is
// checked with DescribeJob before it is reported: a job that started is
// waited for, never reported as not started.
//
// optFns apply to every call of the service that Import makes, and to the
// upload as Upload says.
func (c *Client) Import(ctx context.Context, in ImportInput, optFns ...func(*cognitoidentityprovider.Options)) (*Job, error) {
	if in.File == nil {
		return nil, &ImportError{Step: StepCheck, Err: checkRequired(required{"ImportInput.File", false})}
	}
	create := CreateJobInput{
		UserPoolID: in.UserPoolID, JobName: in.JobName, CloudWatchLogsRoleARN: in.CloudWatchLogsRoleARN,
		PasswordHashingAlgorithm: in.PasswordHashingAlgorithm,
	}
	if c.validate {
		if err := create.Validate(); err != nil {
			return nil, &ImportError{Step: StepCreate, Err: err}
		}
	}
	if err := ctx.Err(); err != nil {
		step := StepCheck
		if in.SkipCheck {
			step = StepCreate
		}
		return nil, &ImportError{Step: step, Err: err}
	}
	start, err := in.File.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, &ImportError{Step: StepCheck, Err: fmt.Errorf("cognitoimport: ImportInput.File cannot seek: %w", err)}
	}

	if !in.SkipCheck {
		rules := in.Settings
		if len(rules.Header) == 0 {
			if rules, err = c.PoolSettings(ctx, in.UserPoolID, optFns...); err != nil {
				return nil, &ImportError{Step: StepCheck, Err: err}
			}
		}
		users, err := CheckFile(ctxReader{ctx, in.File}, rules, in.CheckOptions)
		if err == nil && in.Checked != nil {
			err = in.Checked(users)
		}
		if err != nil {
			return nil, &ImportError{Step: StepCheck, Err: err}
		}
		if _, err := in.File.Seek(start, io.SeekStart); err != nil {
			return nil, &ImportError{Step: StepCheck, Err: fmt.Errorf("cognitoimport: rewinding ImportInput.File: %w", err)}
		}
	}

	job, err := c.CreateJob(ctx, create, optFns...)
	if err != nil {
		return nil, &ImportError{Step: StepCreate, Err: err}
	}
	if in.Created != nil {
		in.Created(*job)
	}
	if err := c.Upload(ctx, UploadInput{URL: job.PreSignedURL, Body: in.File, Size: in.Size, Progress: in.UploadProgress}, optFns...); err != nil {
		return nil, &ImportError{Step: StepUpload, Job: job, Err: err}
	}
	started, err := c.startConfirmed(ctx, job, optFns)
	if err != nil {
		return nil, &ImportError{Step: StepStart, Job: job, Err: err}
	}
	job = started
	if in.NoWait {
		return job, nil
	}

	done, err := c.Wait(ctx, WaitInput{
		UserPoolID: in.UserPoolID, JobID: job.JobID, Progress: in.Progress,
		MinDelay: in.MinDelay, MaxDelay: in.MaxDelay,
	}, optFns...)
	if done != nil {
		job = done
	}
	if err != nil {
		if ctx.Err() != nil && in.StopOnCancel {
			stopped, serr := c.stopAfterCancel(ctx, job, optFns)
			if serr != nil {
				return nil, &ImportError{Step: StepStop, Job: job, Err: errors.Join(err, serr)}
			}
			job = stopped
		}
		return nil, &ImportError{Step: StepWait, Job: job, Err: err}
	}
	return job, job.Err()
}

// startConfirmed starts job. When the start fails, it asks the service
// whether the job started after all, and reports the failure only if not.
func (c *Client) startConfirmed(ctx context.Context, job *Job, optFns []func(*cognitoidentityprovider.Options)) (*Job, error) {
	ref := StartJobInput{UserPoolID: job.UserPoolID, JobID: job.JobID}
	started, err := c.StartJob(ctx, ref, optFns...)
	if err == nil {
		return started, nil
	}
	// The answer may be lost, or an SDK retry may be refused (with any
	// code: the service does not document which) because the lost first
	// attempt started the job: ask, with a deadline of our own if ctx has
	// ended. One more request on a real refusal is the price.
	dctx, cancel := ctx, context.CancelFunc(func() {})
	if ctx.Err() != nil {
		dctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), StopTimeout)
	}
	defer cancel()
	now, derr := c.DescribeJob(dctx, DescribeJobInput(ref), optFns...)
	if derr == nil && now.Status != StatusCreated && now.Status != StatusExpired {
		return now, nil // it started
	}
	if derr == nil {
		*job = *now
	}
	return nil, err
}

// stopAfterCancel stops job after ctx ended, with a deadline of its own.
func (c *Client) stopAfterCancel(ctx context.Context, job *Job, optFns []func(*cognitoidentityprovider.Options)) (*Job, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), StopTimeout)
	defer cancel()
	return c.StopJob(sctx, StopJobInput{UserPoolID: job.UserPoolID, JobID: job.JobID}, optFns...)
}

// ctxReader reads r until ctx is done, then fails with ctx's error, so that
// a check of a large file ends when its context does.
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
