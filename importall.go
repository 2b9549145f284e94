package cognitoimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// ImportAllInput is the input of ImportAll.
type ImportAllInput struct {
	// UserPoolID, JobName and CloudWatchLogsRoleARN are CreateJob's
	// members. Required. Each part's job is named after JobName (see
	// PartJobName).
	UserPoolID, JobName, CloudWatchLogsRoleARN string
	// PasswordHashingAlgorithm is CreateJob's optional member, the same
	// for every part.
	PasswordHashingAlgorithm PasswordHashingAlgorithm
	// File is the users file, of any size. It is read with ReadAt only, so
	// its offset is neither used nor moved; Stat gives its size and
	// modification time. An *os.File opened for reading does. Required.
	File interface {
		io.ReaderAt
		Stat() (fs.FileInfo, error)
	}
	// Journal is the path of the journal: the file in which ImportAll
	// records its progress, and from which a later call with the same
	// Journal goes on. Its directory must exist; ImportAll also writes
	// JOURNAL.lock and temporary files beside it. Empty: no journal, and
	// an interrupted import cannot be resumed.
	Journal string
	// Settings are what the file must satisfy; when Settings.Header is
	// empty (the zero PoolSettings), ImportAll reads them from the pool
	// with Client.PoolSettings.
	Settings PoolSettings
	// CheckOptions tune the check of the file.
	CheckOptions CheckOptions
	// PartUsers is the most users a part holds, from 1 to MaxFileUsers;
	// 0: MaxFileUsers. Smaller parts make shorter jobs, so that an
	// interrupted import loses less when a job has to be done again. A
	// journal records the parts it was written with: a later call must
	// pass the same PartUsers, or the journal is refused.
	PartUsers int
	// StopOnCancel makes ImportAll stop the job of the part under way when
	// ctx ends while it waits for it, with its own deadline of StopTimeout.
	StopOnCancel bool
	// Progress, when not nil, is called on ImportAll's goroutine at each
	// step and with each new state of a job.
	Progress func(ImportAllProgress)
	// Wait's delays, for the parts' jobs and another import's; 0: its
	// defaults.
	MinDelay, MaxDelay time.Duration
}

// ImportAllProgress is where ImportAll is, for its Progress callback.
type ImportAllProgress struct {
	Step ImportStep // what ImportAll is doing
	// Part is the part under way (1-based) of Parts; both are 0 during the
	// check.
	Part, Parts int
	// Users is the number of users in the file; Done counts those of the
	// parts that ended and the rows that the job of the part under way has
	// processed (imported, skipped or failed). Both are 0 during the check.
	Users, Done int64
	// Rate is the users processed a second since this call began to
	// import (by the Client's clock), 0 until it is known; Remaining is the
	// time left at that rate, 0 when not known.
	Rate      float64
	Remaining time.Duration
	// Job is the part's job as last seen; nil before it is created.
	Job *Job
	// Waiting is another import's job, active in the pool, that ImportAll
	// waits for before it creates the part's job (the service runs one
	// import job at a time); nil otherwise.
	Waiting *Job
}

// StepWaitOther is the step of ImportAll that waits for another import's
// active job to end before it creates a part's job.
const StepWaitOther ImportStep = "wait for another import"

// ImportAll imports a users file of any number of users into a pool: it
// checks the whole file once (every problem with its line number in the
// file; no job is created when there is one, as with Import), cuts it
// between rows into parts of at most 500,000 users and MaxFileBytes (100 MB)
// each, and imports the parts one after another, each with its own job
// (create, upload, start, wait) named PartJobName(JobName, part, parts).
// Nothing is copied: each part is uploaded from File itself, the header's
// bytes then the part's byte range, so memory does not grow with the file's
// size (apart from the check's set of usernames, which finds a username
// repeated anywhere in the file, across parts too) and no temporary file is
// written. A file within the limits is one part, imported as Import does,
// under JobName.
//
// With a Journal, ImportAll records each step in it (written atomically:
// a temporary file, synced, renamed over the journal) and goes on from it
// when it is called again after an interruption (a crash, ctx ending, a
// part that failed):
//
//   - a part whose job Succeeded is not imported again;
//   - a part whose job was started is waited for, never started twice (a
//     part recorded as created is asked about with DescribeJob first);
//   - a part whose job was created but not started gets a new job (the old
//     one expires by itself), and so does a part whose job ended Failed or
//     Stopped in an earlier call: its rows are imported again, and those the
//     earlier job imported are skipped by the service as existing users;
//   - a journal that does not match the file (its size, modification time
//     or the SHA-256 of a part changed since it was written) or the input
//     (another pool or JobName) is refused with a *JournalError before
//     anything is sent, and is never rewritten.
//
// The journal's lock (JOURNAL.lock, an flock on Linux and the BSDs,
// released by the kernel whenever the process ends) keeps a second run of
// the same import from running at once: it gets a *JournalLockedError that
// names the process holding the lock. On other systems the lock is a file
// created exclusively and removed when ImportAll returns; see
// JournalLockedError.MayBeStale.
//
// Before it creates a part's job, ImportAll looks for a job of another
// import active in the pool (the service runs one at a time) and waits for
// it to end (Progress tells, with Waiting set); it does so again when the
// service refuses to start the part's job while another one is active. Only
// the pool's jobs can be listed: when the active job is in another pool of
// the account, the service's refusal of the start is returned (a *PartError
// of StepStart), and a later call goes on once that job has ended.
//
// It returns the parts as the journal records them. The error is a
// *ImportError of StepCheck when the check fails or cannot run, a
// *JournalError or *JournalLockedError as above, and a *PartError naming
// the part, its step and its job for any failure after the check: a job
// that ended other than Succeeded is a *PartError whose Err is a *JobError.
// ImportAll then stops, and a later call with the journal goes on.
//
// optFns apply to every call it makes, as Import's do.
func (c *Client) ImportAll(ctx context.Context, in ImportAllInput, optFns ...func(*cognitoidentityprovider.Options)) ([]Part, error) {
	return c.importAll(ctx, in, importAllHooks{}, optFns)
}

// importAllHooks are ImportAll's test hooks.
type importAllHooks struct {
	limits partLimits
	// crash, when not nil, is called before and after every write of the
	// journal; an error ends ImportAll there, as a crash would.
	crash func() error
}

// importAll is one call of ImportAll.
type importAll struct {
	c      *Client
	in     ImportAllInput
	hooks  importAllHooks
	opts   []func(*cognitoidentityprovider.Options) // ImportAll's optFns
	j      *journal
	header []byte

	ended     int64        // users of the parts that ended
	counted   map[int]bool // the parts, by number, whose users ended counts
	runStart  time.Time    // when this call began to import
	startDone int64        // users done when it began
}

func (c *Client) importAll(ctx context.Context, in ImportAllInput, hooks importAllHooks, optFns []func(*cognitoidentityprovider.Options)) ([]Part, error) {
	r := &importAll{c: c, in: in, hooks: hooks, opts: optFns}
	if err := r.validate(ctx); err != nil {
		return nil, err
	}
	if in.Journal != "" {
		lock, err := lockJournal(in.Journal)
		if err != nil {
			return nil, err
		}
		defer lock.unlock()
	}
	if err := r.open(ctx); err != nil {
		return nil, err
	}
	r.runStart = c.clock.Now()
	for i := range r.j.Parts {
		if r.j.Parts[i].Status == StatusSucceeded {
			r.count(&r.j.Parts[i])
		}
	}
	r.startDone = r.ended
	for i := range r.j.Parts {
		if err := r.part(ctx, &r.j.Parts[i]); err != nil {
			return r.parts(), err
		}
	}
	return r.parts(), nil
}

// validate checks the input before anything is read or sent.
func (r *importAll) validate(ctx context.Context) error {
	if r.in.File == nil {
		return &ImportError{Step: StepCheck, Err: checkRequired(required{"ImportAllInput.File", false})}
	}
	if r.in.PartUsers < 0 || r.in.PartUsers > MaxFileUsers {
		return &ImportError{Step: StepCheck, Err: fmt.Errorf("cognitoimport: ImportAllInput.PartUsers is %d: it must be from 1 to %d, or 0 for %[2]d", r.in.PartUsers, MaxFileUsers)}
	}
	if r.c.validate {
		if err := r.createInput(1, 1).Validate(); err != nil {
			return &ImportError{Step: StepCreate, Err: err}
		}
	}
	if err := ctx.Err(); err != nil {
		return &ImportError{Step: StepCheck, Err: err}
	}
	return nil
}

// createInput returns CreateJob's input for part n of parts.
func (r *importAll) createInput(n, parts int) CreateJobInput {
	return CreateJobInput{
		UserPoolID: r.in.UserPoolID, JobName: PartJobName(r.in.JobName, n, parts),
		CloudWatchLogsRoleARN: r.in.CloudWatchLogsRoleARN, PasswordHashingAlgorithm: r.in.PasswordHashingAlgorithm,
	}
}

// open reads the journal and checks that it matches the file, or, when
// there is none, checks and splits the file and writes the journal.
func (r *importAll) open(ctx context.Context) error {
	fi, err := r.in.File.Stat()
	if err != nil {
		return &ImportError{Step: StepCheck, Err: fmt.Errorf("cognitoimport: ImportAllInput.File: %w", err)}
	}
	if r.in.Journal != "" {
		if r.j, err = readJournal(r.in.Journal); err != nil {
			return err
		}
	}
	if r.j != nil {
		return r.verify(fi)
	}
	return r.plan(ctx, fi)
}

// plan checks the whole file, cuts it into parts and writes the journal.
func (r *importAll) plan(ctx context.Context, fi fs.FileInfo) error {
	r.note(ImportAllProgress{Step: StepCheck})
	settings := r.in.Settings
	if len(settings.Header) == 0 {
		var err error
		if settings, err = r.c.PoolSettings(ctx, r.in.UserPoolID, r.opts...); err != nil {
			return &ImportError{Step: StepCheck, Err: err}
		}
	}
	file := ctxReader{ctx, io.NewSectionReader(r.in.File, 0, fi.Size())}
	limits := r.hooks.limits
	if r.in.PartUsers > 0 && (limits.users <= 0 || r.in.PartUsers < limits.users) {
		limits.users = r.in.PartUsers
	}
	header, parts, users, err := split(file, settings.internal(), r.in.CheckOptions, limits)
	if err != nil {
		return &ImportError{Step: StepCheck, Err: err}
	}
	j := &journal{Version: journalVersion, UserPoolID: r.in.UserPoolID, JobName: r.in.JobName, Users: users, Parts: parts}
	j.File.Size, j.File.ModTime, j.File.HeaderBytes = fi.Size(), fi.ModTime(), int64(len(header))
	r.j, r.header = j, header
	return r.save()
}

// verify refuses a journal that does not match the input or the file as
// it is now, and reads the header.
func (r *importAll) verify(fi fs.FileInfo) error {
	j := r.j
	mismatch := func(part int, format string, args ...any) error {
		return &JournalError{Journal: r.in.Journal, Part: part, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case j.UserPoolID != r.in.UserPoolID:
		return mismatch(0, "it is an import into user pool %s, not %s", j.UserPoolID, r.in.UserPoolID)
	case j.JobName != r.in.JobName:
		return mismatch(0, "it is the import named %q, not %q", j.JobName, r.in.JobName)
	case j.File.Size != fi.Size():
		return mismatch(0, "the file had %d bytes, it has %d", j.File.Size, fi.Size())
	case !j.File.ModTime.Equal(fi.ModTime()):
		return mismatch(0, "the file was modified at %s, it is now %s", j.File.ModTime.Format(time.RFC3339Nano), fi.ModTime().Format(time.RFC3339Nano))
	}
	off := j.File.HeaderBytes
	for i, p := range j.Parts {
		if p.Number != i+1 || p.Offset != off || p.End < p.Offset || p.End > j.File.Size {
			return mismatch(0, "its part %d is not where part %d can be", p.Number, i+1)
		}
		off = p.End
	}
	if off != j.File.Size {
		return mismatch(0, "its parts end at byte %d of %d", off, j.File.Size)
	}
	r.header = make([]byte, j.File.HeaderBytes)
	if _, err := r.in.File.ReadAt(r.header, 0); err != nil {
		return &ImportError{Step: StepCheck, Err: fmt.Errorf("cognitoimport: reading the header: %w", err)}
	}
	for _, p := range j.Parts {
		sum, err := hashPart(r.header, r.in.File, p)
		if err != nil {
			return &ImportError{Step: StepCheck, Err: fmt.Errorf("cognitoimport: reading part %d: %w", p.Number, err)}
		}
		if sum != p.SHA256 {
			return mismatch(p.Number, "its bytes (lines %d to %d) changed since it was checked", p.FirstLine, p.LastLine)
		}
	}
	return nil
}

// save writes the journal, between the crash hook's two calls.
func (r *importAll) save() error {
	if r.hooks.crash != nil {
		if err := r.hooks.crash(); err != nil {
			return err
		}
	}
	if r.in.Journal != "" {
		if err := writeJournal(r.in.Journal, r.j); err != nil {
			return err
		}
	}
	if r.hooks.crash != nil {
		return r.hooks.crash()
	}
	return nil
}

// parts returns a copy of the parts.
func (r *importAll) parts() []Part {
	parts := slices.Clone(r.j.Parts)
	for i := range parts {
		parts[i].EarlierJobIDs = slices.Clone(parts[i].EarlierJobIDs)
	}
	return parts
}

// part imports p, or goes on with it where an earlier call stopped.
func (r *importAll) part(ctx context.Context, p *Part) error {
	if p.Status == StatusSucceeded {
		return nil
	}
	job, err := r.resume(ctx, p)
	if err != nil {
		return err
	}
	if job == nil {
		if job, err = r.begin(ctx, p); err != nil {
			return err
		}
	}
	return r.wait(ctx, p, job)
}

// fail returns the *PartError of p at step.
func (r *importAll) fail(p *Part, step ImportStep, job *Job, err error) error {
	return &PartError{Part: p.Number, Parts: len(r.j.Parts), Step: step, Job: job, Err: err}
}

// resume returns p's job when it was started, so that it is waited for;
// nil when p needs a new job. A job that was created and not started, or
// that ended other than Succeeded, is given up (and listed in
// EarlierJobIDs).
func (r *importAll) resume(ctx context.Context, p *Part) (*Job, error) {
	if p.JobID == "" {
		return nil, nil
	}
	ref := &Job{JobID: p.JobID, UserPoolID: r.in.UserPoolID, Status: p.Status}
	switch {
	case p.Status == StatusCreated:
		// Created, uploaded, perhaps started: the start's answer may have
		// been lost with the process. Ask.
		now, err := r.c.DescribeJob(ctx, DescribeJobInput{UserPoolID: r.in.UserPoolID, JobID: p.JobID}, r.opts...)
		if err != nil {
			return nil, r.fail(p, StepStart, ref, err)
		}
		if now.Status != StatusCreated && now.Status != StatusExpired {
			r.record(p, *now)
			if err := r.save(); err != nil {
				return nil, r.fail(p, StepStart, now, err)
			}
			return now, nil
		}
	case !p.Status.Terminal():
		return ref, nil // started: Wait tells where it is
	}
	p.EarlierJobIDs = append(p.EarlierJobIDs, p.JobID)
	*p = Part{Number: p.Number, FirstLine: p.FirstLine, LastLine: p.LastLine, StartLine: p.StartLine, Offset: p.Offset, End: p.End,
		Users: p.Users, SHA256: p.SHA256, EarlierJobIDs: p.EarlierJobIDs}
	if err := r.save(); err != nil {
		return nil, r.fail(p, StepCreate, nil, err)
	}
	return nil, nil
}

// begin creates p's job, uploads the part and starts the job, recording
// each step, and returns the started job.
func (r *importAll) begin(ctx context.Context, p *Part) (*Job, error) {
	if err := r.waitForOthers(ctx, p); err != nil {
		return nil, err
	}
	r.note(r.progress(StepCreate, p, nil))
	job, err := r.c.CreateJob(ctx, r.createInput(p.Number, len(r.j.Parts)), r.opts...)
	if err != nil {
		return nil, r.fail(p, StepCreate, nil, err)
	}
	p.JobID, p.Uploaded = job.JobID, false
	r.record(p, *job)
	if err := r.save(); err != nil {
		return nil, r.fail(p, StepCreate, job, err)
	}

	r.note(r.progress(StepUpload, p, job))
	body := newPartBody(r.header, r.in.File, *p)
	if err := r.c.Upload(ctx, UploadInput{URL: job.PreSignedURL, Body: body, Size: body.size}, r.opts...); err != nil {
		return nil, r.fail(p, StepUpload, job, err)
	}
	sum, whole := body.sum()
	if !whole {
		// Upload did not read the part once through from its start: hash
		// the file as it is now instead.
		if sum, err = hashPart(r.header, r.in.File, *p); err != nil {
			return nil, r.fail(p, StepUpload, job, err)
		}
	}
	if sum != p.SHA256 {
		// The job has the changed bytes: it is never started.
		return nil, r.fail(p, StepUpload, job, &JournalError{Journal: r.in.Journal, Part: p.Number,
			Reason: fmt.Sprintf("its bytes (lines %d to %d) changed since the check", p.FirstLine, p.LastLine)})
	}
	p.Uploaded = true
	if err := r.save(); err != nil {
		return nil, r.fail(p, StepUpload, job, err)
	}

	for {
		r.note(r.progress(StepStart, p, job))
		started, err := r.c.startConfirmed(ctx, job, r.opts)
		if err == nil {
			r.record(p, *started)
			if err := r.save(); err != nil {
				return nil, r.fail(p, StepStart, started, err)
			}
			return started, nil
		}
		// Refused: when another import's job became active since the
		// look before the create, wait for it and start again.
		other, lerr := r.activeJob(ctx)
		if lerr != nil || other == nil || ctx.Err() != nil {
			return nil, r.fail(p, StepStart, job, err)
		}
		if err := r.waitFor(ctx, p, other); err != nil {
			return nil, err
		}
	}
}

// waitForOthers waits until no job of another import is active in the
// pool.
func (r *importAll) waitForOthers(ctx context.Context, p *Part) error {
	for {
		other, err := r.activeJob(ctx)
		if err != nil {
			return r.fail(p, StepWaitOther, nil, err)
		}
		if other == nil {
			return nil
		}
		if err := r.waitFor(ctx, p, other); err != nil {
			return err
		}
	}
}

// activeJob returns a Pending, InProgress or Stopping job of the pool that
// is not this import's, or nil.
func (r *importAll) activeJob(ctx context.Context) (*Job, error) {
	for job, err := range r.c.Jobs(ctx, ListJobsInput{UserPoolID: r.in.UserPoolID}, r.opts...) {
		if err != nil {
			return nil, err
		}
		switch job.Status {
		case StatusPending, StatusInProgress, StatusStopping:
		default:
			continue
		}
		if !slices.ContainsFunc(r.j.Parts, func(p Part) bool { return p.JobID == job.JobID }) {
			return &job, nil
		}
	}
	return nil, nil
}

// waitFor waits for other's end, telling Progress.
func (r *importAll) waitFor(ctx context.Context, p *Part, other *Job) error {
	pr := r.progress(StepWaitOther, p, nil)
	pr.Waiting = other
	r.note(pr)
	_, err := r.c.Wait(ctx, WaitInput{
		UserPoolID: r.in.UserPoolID, JobID: other.JobID, MinDelay: r.in.MinDelay, MaxDelay: r.in.MaxDelay,
		Progress: func(j Job) { pr.Waiting = &j; r.note(pr) },
	}, r.opts...)
	if err != nil {
		return r.fail(p, StepWaitOther, nil, fmt.Errorf("waiting for job %s of another import: %w", other.JobID, err))
	}
	return nil
}

// wait waits for p's started job to end, recording each new status.
func (r *importAll) wait(ctx context.Context, p *Part, job *Job) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var saveErr error
	done, err := r.c.Wait(wctx, WaitInput{
		UserPoolID: r.in.UserPoolID, JobID: job.JobID, MinDelay: r.in.MinDelay, MaxDelay: r.in.MaxDelay,
		Progress: func(j Job) {
			if saveErr != nil {
				return
			}
			job = &j
			changed := j.Status != p.Status
			r.record(p, j)
			if changed && !j.Status.Terminal() {
				if saveErr = r.save(); saveErr != nil {
					cancel()
					return
				}
			}
			r.note(r.progress(StepWait, p, &j))
		},
	}, r.opts...)
	if saveErr != nil {
		return r.fail(p, StepWait, job, saveErr)
	}
	if err != nil {
		if ctx.Err() != nil && r.in.StopOnCancel {
			stopped, serr := r.c.stopAfterCancel(ctx, job, r.opts)
			if serr != nil {
				return r.fail(p, StepStop, job, errors.Join(err, serr))
			}
			job = stopped
			r.record(p, *stopped)
			if serr := r.save(); serr != nil {
				return r.fail(p, StepStop, job, errors.Join(err, serr))
			}
		}
		return r.fail(p, StepWait, job, err)
	}
	r.record(p, *done)
	if err := r.save(); err != nil {
		return r.fail(p, StepWait, done, err)
	}
	if done.Status != StatusSucceeded {
		return r.fail(p, StepWait, done, done.Err())
	}
	r.count(p)
	r.note(r.progress(StepWait, p, done))
	return nil
}

// record keeps job's status and counts in p.
func (r *importAll) record(p *Part, job Job) {
	p.Status = job.Status
	p.ImportedUsers, p.SkippedUsers, p.FailedUsers = job.ImportedUsers, job.SkippedUsers, job.FailedUsers
}

// count adds the users of p, which succeeded, to ended.
func (r *importAll) count(p *Part) {
	if r.counted == nil {
		r.counted = make(map[int]bool)
	}
	if !r.counted[p.Number] {
		r.counted[p.Number] = true
		r.ended += int64(p.Users)
	}
}

// progress returns where the import is, at step of p with its job: the
// users of the parts that ended, and the rows p's job has done, until
// count adds p's users.
func (r *importAll) progress(step ImportStep, p *Part, job *Job) ImportAllProgress {
	pr := ImportAllProgress{Step: step, Part: p.Number, Parts: len(r.j.Parts), Users: int64(r.j.Users), Done: r.ended, Job: job}
	if job != nil && !r.counted[p.Number] {
		pr.Done += min(job.ImportedUsers+job.SkippedUsers+job.FailedUsers, int64(p.Users))
	}
	if d := r.c.clock.Now().Sub(r.runStart); d > 0 && pr.Done > r.startDone {
		pr.Rate = float64(pr.Done-r.startDone) / d.Seconds()
		pr.Remaining = time.Duration(float64(pr.Users-pr.Done) / pr.Rate * float64(time.Second))
	}
	return pr
}

// note hands pr to the Progress callback, if any.
func (r *importAll) note(pr ImportAllProgress) {
	if r.in.Progress != nil {
		r.in.Progress(pr)
	}
}
