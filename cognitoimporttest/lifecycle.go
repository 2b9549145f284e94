package cognitoimporttest

import (
	"container/heap"
	"fmt"
	"math"
	"runtime"
	"time"
	"unsafe"
)

// ExpireAfter is how long a Created job waits to be started before it
// expires, by the server's clock. The service documents 24 to 48 hours; the
// server takes the shortest.
const ExpireAfter = 24 * time.Hour

// DefaultImportRate is the rate, in users per second of the server's clock,
// at which a job imports rows unless WithImportRate says otherwise: a
// 500,000-user file takes 5 seconds.
const DefaultImportRate = 100_000

// WithImportRate sets the rate at which a started job imports rows, in users
// per second of the server's clock (see WithClock). Row n of a job started
// at time t is done at t + n/usersPerSecond, and a DescribeUserImportJob at
// any time reports the counts of the rows done by then. math.Inf(1) imports
// the whole file as soon as the clock moves past the start. The server runs
// no goroutine for this: the counts are brought up to date, from the clock,
// whenever a request or a method reads them. It panics if usersPerSecond is
// not positive.
func WithImportRate(usersPerSecond float64) Option {
	return func(s *Server) {
		if !(usersPerSecond > 0) {
			s.misuse("WithImportRate(%v): the rate must be positive", usersPerSecond)
		}
		s.imports.rate = usersPerSecond
	}
}

// imports is the state of the server's import runs.
type imports struct {
	rate     float64     // users per second; 0: DefaultImportRate
	maxUsers int         // users a file may hold; 0: usersfile.MaxUsers (tests lower it)
	active   *job        // the one Pending, InProgress or Stopping job, or nil
	expiry   createdJobs // Created jobs, oldest first, to expire
}

// logStore accounts for the memory of the jobs' logs (see MaxLogBytes).
type logStore struct {
	bytes int64  // the size of every job's log
	max   int64  // 0: MaxLogBytes (tests lower it)
	ended []*job // ended jobs with a log, in the order they ended
}

// logEntry is one line of a job's log, formatted when read.
type logEntry struct {
	line    int
	outcome byte   // 'S' succeeded, 'K' skipped, 'F' failed
	reason  string // for 'F'
	at      int64  // when the row was done, in epoch milliseconds: the event's timestamp (logs.go)
}

func (e logEntry) String() string {
	switch e.outcome {
	case 'S':
		return fmt.Sprintf("[SUCCEEDED] Line Number %d - The import succeeded.", e.line)
	case 'K':
		return fmt.Sprintf("[SKIPPED] Line Number %d - The user already exists.", e.line)
	}
	return fmt.Sprintf("[FAILED] Line Number %d - %s", e.line, e.reason)
}

// jobCreated is called by addJob. s.mu must be held.
func (s *Server) jobCreated(j *job) {
	heap.Push(&s.imports.expiry, j)
}

// jobSet is called by SetJob after it replaced j's record; moved says the
// record's status changed: a job a test moved by hand leaves the
// lifecycle's hands. s.mu must be held.
func (s *Server) jobSet(j *job, moved bool) {
	if j.Status == StatusCreated {
		heap.Push(&s.imports.expiry, j)
	}
	if moved {
		s.resetRun(j)
		if j.Status != StatusCreated {
			s.dropFile(j)
		}
		if s.imports.active == j {
			s.imports.active = nil
		}
	}
}

// refreshLocked expires Created jobs whose time is up and advances the
// active job to now as far as catchUp read its file (a caller that reads the
// active job's state calls catchUp first). s.mu must be held.
func (s *Server) refreshLocked(now time.Time) {
	for s.imports.expiry.Len() > 0 {
		j := s.imports.expiry[0]
		at := j.CreationDate.Add(ExpireAfter)
		if at.After(now) {
			break
		}
		heap.Pop(&s.imports.expiry)
		if j.Status != StatusCreated {
			continue
		}
		j.Status = StatusExpired
		j.CompletionDate = at
		j.CompletionMessage = MessageExpired
		s.dropFile(j)
	}
	if j := s.imports.active; j != nil {
		s.advance(j, now)
		if !j.Status.Active() {
			s.imports.active = nil
		}
	}
}

func (s *Server) importRate() float64 {
	if s.imports.rate > 0 {
		return s.imports.rate
	}
	return DefaultImportRate
}

// rowTime returns when row n (1-based) of j's run is done.
func (s *Server) rowTime(j *job, n int64) time.Time {
	d := math.Ceil(float64(n) * 1e9 / s.importRate())
	if d > math.MaxInt64/2 {
		d = math.MaxInt64 / 2
	}
	return j.StartDate.Add(time.Duration(d))
}

// readBatch is how many rows catchUp reads of a job's file between two
// holds of s.mu: a hold applies at most about this many rows.
const readBatch = 128

// catchUpFor brings the active job up to now if concerns says that the
// caller reads its state, reading its file without holding s.mu (see
// catchUp). s.mu must not be held.
func (s *Server) catchUpFor(now time.Time, concerns func(active *job) bool) {
	s.mu.Lock()
	j := s.imports.active
	if j == nil || !concerns(j) {
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	s.catchUp(j, now)
}

// catchUpPool is catchUpFor for a caller that reads the state of the pool
// poolID: its jobs or its users.
func (s *Server) catchUpPool(now time.Time, poolID string) {
	s.catchUpFor(now, func(a *job) bool { return a.UserPoolID == poolID })
}

// lockCaughtUp brings the pool poolID's running import up to now
// (catchUpPool), then locks s.mu with every job refreshed to now. The caller
// unlocks s.mu.
func (s *Server) lockCaughtUp(now time.Time, poolID string) {
	s.catchUpPool(now, poolID)
	s.mu.Lock()
	s.refreshLocked(now)
}

// catchUp brings j's run up to now: it reads the rows of the file that are
// due by now without holding s.mu, readBatch at a time, and takes s.mu only
// to hand each batch over and apply what is due, so that the server's other
// callers wait for a batch at most, never for a whole file. Callers that
// read j's state call it before they take s.mu; its rows are then applied
// by the clock exactly as if they had been read under the lock. s.mu must
// not be held.
func (s *Server) catchUp(j *job, now time.Time) {
	j.parse.Lock()
	defer j.parse.Unlock()
	var (
		rd    *runReader // the reader of the batch just read, if any
		batch []row
		end   error
	)
	for {
		// One hold of s.mu a batch: hand the batch over, apply what is
		// due, and see what is left to read.
		s.mu.Lock()
		if rd != nil && rd.run == j.run {
			j.opened, j.openErr = rd.opened, rd.openErr
			j.pending = append(j.pending, batch...)
			j.pendingEnd = end
		}
		s.advance(j, now)
		n := s.rowsToRead(j, now)
		if n == 0 {
			if j.reader != nil && (j.reader.run != j.run || !j.Status.Active()) {
				j.reader = nil // the run ended: let its file go
			}
			s.mu.Unlock()
			return
		}
		if j.reader == nil || j.reader.run != j.run {
			j.reader = &runReader{run: j.run, data: j.data, cfg: j.pool.cfg, maxUsers: s.imports.maxUsers}
		}
		rd = j.reader
		s.mu.Unlock()
		s.yieldToRequests()

		if s.beforeRead != nil {
			s.beforeRead()
		}
		batch, end = rd.read(n)
	}
}

const (
	// yieldPause is how long catchUp pauses between two batches while
	// other requests come in.
	yieldPause = 50 * time.Microsecond
	// busyWindow is how recently another request must have started for
	// catchUp to pause.
	busyWindow = 10 * time.Millisecond
)

// yieldToRequests lets the requests that came in while catchUp read a batch
// run before it reads the next. The unlock before it readied those that
// waited for s.mu, and yielding the processor lets them run; but reading
// keeps a core busy, and on a machine with few cores a request's goroutine
// can wait for a core until the operating system's next tick (4 ms at
// 250 Hz), ten times an idle call. So while requests come in (one started
// within busyWindow, by the wall clock: this is scheduling, not the
// import's own time), catchUp pauses after each batch, which gives the core
// back, and a 500,000-user import takes about 1.8 times as long; while none
// do, it only yields, and an import runs at full speed.
func (s *Server) yieldToRequests() {
	if last := s.lastStart.Load(); last != 0 && time.Duration(monotonic()-last) < busyWindow { // 0: none yet
		time.Sleep(yieldPause)
		return
	}
	runtime.Gosched()
}

// processStart is the origin of monotonic.
var processStart = time.Now()

// monotonic returns the time since processStart, by the monotonic clock.
func monotonic() int64 { return int64(time.Since(processStart)) }

// rowsToRead returns how many more rows of j's file must be read for j
// to be brought up to now: every row due by then and the one after it (to
// know whether the file ends there), at most readBatch. s.mu must be held.
func (s *Server) rowsToRead(j *job, now time.Time) int64 {
	if !j.Status.Active() || !now.After(j.StartDate) || j.pendingEnd != nil || j.openErr != nil {
		return 0
	}
	need := s.rowsDue(j, now) + 1 - j.done - int64(len(j.pending))
	if j.stopRow > 0 {
		need = min(need, j.stopRow-j.done-int64(len(j.pending)))
	}
	if !j.opened {
		need = max(need, 1) // the header, at least
	}
	return max(0, min(need, readBatch))
}

// rowsDue returns how many rows of j's run are done by now: the largest n
// with rowTime(n) not after now.
func (s *Server) rowsDue(j *job, now time.Time) int64 {
	const most = math.MaxInt64 / 4
	f := float64(now.Sub(j.StartDate)) * s.importRate() / 1e9
	if !(f < most) {
		return most
	}
	n := int64(f)
	for n > 0 && s.rowTime(j, n).After(now) {
		n--
	}
	for n < most && !s.rowTime(j, n+1).After(now) {
		n++
	}
	return n
}

// runReader reads the rows of one run of a job's file, outside s.mu.
type runReader struct {
	run      int
	data     *file
	cfg      PoolConfig
	maxUsers int

	opened  bool
	openErr error
	rows    rowSource
	end     error // errEndOfFile or the file's fatal error, once reached
}

// read opens the file if it is not open, then reads up to n rows. It
// returns them and, once the file has no more, errEndOfFile or the error
// that fails the rest of it.
func (rd *runReader) read(n int64) ([]row, error) {
	if !rd.opened {
		rd.opened = true
		rd.rows, rd.openErr = openRows(rd.data, rd.cfg, rd.maxUsers)
		rd.data = nil
		if rd.openErr != nil {
			return nil, nil
		}
	}
	var batch []row
	for rd.end == nil && int64(len(batch)) < n {
		r, err := rd.rows.next()
		if err != nil {
			rd.end, rd.rows = err, nil
			break
		}
		batch = append(batch, r)
	}
	return batch, rd.end
}

// resetRun forgets what was read of j's file, for a run that ended or a
// job that SetJob moved. s.mu must be held.
func (s *Server) resetRun(j *job) {
	j.run++
	j.opened, j.openErr, j.pending, j.pendingEnd = false, nil, nil, nil
	if j.parse.TryLock() { // else catchUp, which holds it, lets the reader go
		j.reader = nil
		j.parse.Unlock()
	}
}

// advance moves a started job on to its state at now, as far as the rows
// catchUp read allow. s.mu must be held.
func (s *Server) advance(j *job, now time.Time) {
	if !j.Status.Active() || !now.After(j.StartDate) {
		return
	}
	if j.Status == StatusPending {
		if !j.opened {
			return
		}
		s.setStatus(j, StatusInProgress)
		if j.openErr != nil {
			s.end(j, StatusFailed, j.StartDate, fileFailure(j.openErr))
			return
		}
	}
	for {
		if j.stopRow > 0 && j.done >= j.stopRow {
			s.end(j, StatusStopped, s.rowTime(j, j.stopRow), MessageStopped)
			return
		}
		if len(j.pending) == 0 {
			switch {
			case j.pendingEnd == nil:
				return // not read yet
			case j.pendingEnd == errEndOfFile:
				s.complete(j, s.rowTime(j, j.done))
				return
			}
			at := s.rowTime(j, j.done+1)
			if at.After(now) {
				return
			}
			s.end(j, StatusFailed, at, fileFailure(j.pendingEnd))
			return
		}
		if s.rowTime(j, j.done+1).After(now) {
			return
		}
		s.apply(j, &j.pending[0])
		j.pending[0] = row{}
		j.pending = j.pending[1:]
		j.done++
	}
}

// apply records the outcome of one row.
func (s *Server) apply(j *job, r *row) {
	at := s.rowTime(j, j.done+1).UnixMilli()
	switch {
	case r.failure != "":
		j.FailedUsers++
		s.addLog(j, logEntry{line: r.line, outcome: 'F', reason: r.failure, at: at})
	case j.pool.users[r.user.name] != nil:
		j.SkippedUsers++
		s.addLog(j, logEntry{line: r.line, outcome: 'K', at: at})
	default:
		j.ImportedUsers++
		r.user.status = UserStatusResetRequired
		j.pool.store(r.user)
		s.addLog(j, logEntry{line: r.line, outcome: 'S', at: at})
	}
}

// MaxLogBytes bounds the memory of the jobs' logs (JobLog). Past it, the
// server evicts whole logs of ended jobs, the job that ended first first,
// until the logs it keeps fit: an evicted log reads as no log (JobLog
// returns nil), as a log stream that no longer exists would. The job, its
// counts and the users it imported stay: they are the pool's state. The log
// of the one active job is never evicted while it runs, so it alone may
// take the total past the bound until it ends.
const MaxLogBytes = 128 << 20

func (s *Server) maxLogBytes() int64 {
	if s.logs.max > 0 {
		return s.logs.max
	}
	return MaxLogBytes
}

// size estimates the memory e takes in a log.
func (e logEntry) size() int64 { return int64(unsafe.Sizeof(e)) + int64(len(e.reason)) }

// addLog appends e to j's log, and evicts ended jobs' logs if the logs are
// over the bound. s.mu must be held.
func (s *Server) addLog(j *job, e logEntry) {
	j.log = append(j.log, e)
	j.logBytes += e.size()
	s.logs.bytes += e.size()
	s.evictLogs()
}

// evictLogs drops the logs of ended jobs, those that ended first first,
// while the logs take more than the bound. s.mu must be held.
func (s *Server) evictLogs() {
	for s.logs.bytes > s.maxLogBytes() && len(s.logs.ended) > 0 {
		j := s.logs.ended[0]
		s.logs.ended[0] = nil
		s.logs.ended = s.logs.ended[1:]
		if j.Status.Active() {
			continue // moved back by SetJob and started again: queued again when it ends
		}
		s.logs.bytes -= j.logBytes
		j.log, j.logBytes, j.logEvicted = nil, 0, true
	}
}

// complete ends a job that read its whole file, at time at. The threshold of
// "too many" users failed or skipped is not documented; the server's choice:
// a job fails when it imported no user and at least one row failed or was
// skipped, and succeeds otherwise.
func (s *Server) complete(j *job, at time.Time) {
	if j.ImportedUsers == 0 && j.FailedUsers+j.SkippedUsers > 0 {
		s.end(j, StatusFailed, at, MessageTooMany)
		return
	}
	s.end(j, StatusSucceeded, at, MessageSucceeded)
}

func (s *Server) end(j *job, status JobStatus, at time.Time, msg string) {
	s.setStatus(j, status)
	j.CompletionDate = at.Truncate(time.Millisecond)
	j.CompletionMessage = msg
	s.dropFile(j)
	s.resetRun(j)
	if len(j.log) > 0 {
		s.logs.ended = append(s.logs.ended, j)
		s.evictLogs()
	}
}

func (s *Server) setStatus(j *job, status JobStatus) {
	j.Status = status
	j.Status = status
}

// fileFailure is the CompletionMessage of a job whose file could not be
// read. The service's text is not documented; this is the server's.
func fileFailure(err error) string {
	return "The import job failed because the file could not be read: " + err.Error()
}

// start starts j of p at now. s.mu must be held.
func (s *Server) start(p *pool, j *job, now time.Time) (any, *Error) {
	poolID, jobID := p.id, j.JobID
	if j.Status != StatusCreated {
		return nil, &Error{Code: "InvalidParameterException", Message: fmt.Sprintf("Import job %s is %s; only a Created job can be started.", jobID, j.Status)}
	}
	if !j.upload {
		return nil, &Error{Code: "PreconditionNotMetException", Message: "No csv file was uploaded for " + jobID}
	}
	if len(p.cfg.AutoVerifiedAttributes) == 0 {
		return nil, &Error{Code: "PreconditionNotMetException", Message: fmt.Sprintf("User pool %s has no auto-verified attributes: set email or phone_number to be verified automatically before importing users.", poolID)}
	}
	if a := s.imports.active; a != nil {
		return nil, &Error{Code: "PreconditionNotMetException", Message: fmt.Sprintf("Import job %s of user pool %s is %s: only one import job can be active at a time.", a.JobID, a.UserPoolID, a.Status)}
	}
	j.StartDate = now.Truncate(time.Millisecond)
	s.setStatus(j, StatusPending)
	s.imports.active = j
	return s.jobResponse(j), nil
}

// stop stops j at now. s.mu must be held.
func (s *Server) stop(j *job, now time.Time) (any, *Error) {
	jobID := j.JobID
	if j != s.imports.active || (j.Status != StatusPending && j.Status != StatusInProgress) {
		return nil, &Error{Code: "InvalidParameterException", Message: fmt.Sprintf("Import job %s is %s; only a Pending or InProgress job can be stopped.", jobID, j.Status)}
	}
	if j.Status == StatusPending || !s.rowTime(j, j.done).Before(now) {
		s.end(j, StatusStopped, now, MessageStopped)
		s.imports.active = nil
	} else {
		j.stopRow = j.done + 1
		s.setStatus(j, StatusStopping)
	}
	return s.jobResponse(j), nil
}

// JobLog returns the job's log as the service writes it to CloudWatch Logs,
// one line a row processed so far, in order:
//
//	[SUCCEEDED] Line Number 2 - The import succeeded.
//	[SKIPPED] Line Number 3 - The user already exists.
//	[FAILED] Line Number 4 - <the reason>
//
// It returns nil for a job that processed no row, and for an ended job whose
// log the server evicted to stay within MaxLogBytes. It panics if there is
// no such job.
func (s *Server) JobLog(poolID, jobID string) []string {
	now := s.now()
	s.lockCaughtUp(now, poolID)
	defer s.mu.Unlock()
	p := s.mustPool("JobLog", poolID)
	i, ok := p.byID[jobID]
	if !ok {
		s.misuse("JobLog: no job %q in user pool %q", jobID, poolID)
	}
	j := p.jobs[i]
	if len(j.log) == 0 {
		return nil
	}
	out := make([]string, len(j.log))
	for i, e := range j.log {
		out[i] = e.String()
	}
	return out
}

// createdJobs is a min-heap of jobs by CreationDate.
type createdJobs []*job

func (h createdJobs) Len() int           { return len(h) }
func (h createdJobs) Less(i, k int) bool { return h[i].CreationDate.Before(h[k].CreationDate) }
func (h createdJobs) Swap(i, k int)      { h[i], h[k] = h[k], h[i] }
func (h *createdJobs) Push(x any)        { *h = append(*h, x.(*job)) }
func (h *createdJobs) Pop() any {
	old := *h
	n := len(old)
	j := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return j
}
