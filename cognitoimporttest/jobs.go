package cognitoimporttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

// Job is the server's record of a user import job.
type Job struct {
	JobID                 string
	JobName               string
	UserPoolID            string
	CloudWatchLogsRoleARN string
	// PasswordHashingAlgorithm is the algorithm CreateUserImportJob named
	// for the file's password hashes: BCRYPT, SCRYPT, ARGON2ID or
	// PBKDF2_SHA256 (CreateUserImportJob refuses another value with an
	// InvalidParameterException naming it and the four), or empty when it
	// named none. How the service reads hashes from the file is not
	// documented; the server keeps and returns the member but reads and
	// verifies no hash (a column the pool's header does not name fails the
	// header check as always), and imports every user as RESET_REQUIRED.
	PasswordHashingAlgorithm string
	PreSignedURL             string
	Status                   JobStatus
	CreationDate             time.Time
	StartDate                time.Time // zero: not sent
	CompletionDate           time.Time // zero: not sent
	CompletionMessage        string    // empty: not sent
	ImportedUsers            int64
	SkippedUsers             int64
	FailedUsers              int64
}

// SeedJobs adds n jobs in status Created to the pool, as if created one
// millisecond apart and all before any job the pool gets later. Their names
// are "seed-1" (the oldest) to "seed-n", their role ARN is a placeholder. It
// is quick: 100,000 jobs take a fraction of a second. It panics if the pool
// does not exist or n is negative.
func (s *Server) SeedJobs(poolID string, n int) {
	if n < 0 {
		s.misuse("SeedJobs: n %d is negative", n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool("SeedJobs", poolID)
	base := s.now().Add(-time.Duration(n) * time.Millisecond)
	p.jobs = append(make([]*job, 0, len(p.jobs)+n), p.jobs...)
	roleARN := "arn:aws:iam::123456789012:role/CognitoImportSeed"
	for i := range n {
		s.addJob(p, "seed-"+strconv.Itoa(i+1), roleARN, base.Add(time.Duration(i)*time.Millisecond))
	}
}

// Jobs returns copies of the pool's jobs, newest first. It panics if the
// pool does not exist.
func (s *Server) Jobs(poolID string) []Job {
	now := s.now()
	s.lockCaughtUp(now, poolID)
	defer s.mu.Unlock()
	p := s.mustPool("Jobs", poolID)
	out := make([]Job, len(p.jobs))
	for i, j := range p.jobs {
		out[len(out)-1-i] = j.Job
	}
	return out
}

// SetJob replaces the stored job with the same UserPoolID and JobID by job,
// for instance to move it to InProgress with a StartDate. Its CreationDate
// is kept, to keep the list's order. It panics if there is no such job.
func (s *Server) SetJob(job Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool("SetJob", job.UserPoolID)
	i, ok := p.byID[job.JobID]
	if !ok {
		s.misuse("SetJob: no job %q in user pool %q", job.JobID, job.UserPoolID)
	}
	j := p.jobs[i]
	job.CreationDate = j.CreationDate
	moved := job.Status != j.Status
	j.Job = job
	s.jobSet(j, moved)
}

// addJob appends a new job to p, dated no earlier than the newest one. s.mu
// must be held.
func (s *Server) addJob(p *pool, name, roleARN string, created time.Time) *job {
	created = created.Truncate(time.Millisecond) // the wire carries milliseconds
	if n := len(p.jobs); n > 0 && !created.After(p.jobs[n-1].CreationDate) {
		created = p.jobs[n-1].CreationDate.Add(time.Millisecond)
	}
	id := newJobID()
	for _, taken := p.byID[id]; taken; _, taken = p.byID[id] {
		id = newJobID()
	}
	j := &job{pool: p, Job: Job{
		JobID:                 id,
		JobName:               name,
		UserPoolID:            p.id,
		CloudWatchLogsRoleARN: roleARN,
		Status:                StatusCreated,
		CreationDate:          created,
	}}
	p.byID[id] = len(p.jobs)
	p.jobs = append(p.jobs, j)
	s.jobCreated(j)
	return j
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newJobID returns an ID shaped like the service's: "import-" and 10 letters
// or digits.
func newJobID() string {
	var b [17]byte
	copy(b[:], "import-")
	for i := 7; i < len(b); i++ {
		b[i] = idAlphabet[rand.IntN(len(idAlphabet))]
	}
	return string(b[:])
}

// Pagination tokens are opaque to clients: base64url of the position (the
// index of the next job to return), a serial number that makes every token
// the server issues distinct, and a MAC over both and the pool ID, so that
// the server accepts only the tokens it issued, and only for their pool.
const tokenMACSize = 16

func (s *Server) encodeToken(poolID string, pos int, serial uint64) string {
	var b [16 + tokenMACSize]byte
	binary.BigEndian.PutUint64(b[0:], uint64(pos))
	binary.BigEndian.PutUint64(b[8:], serial)
	copy(b[16:], s.tokenMAC(poolID, b[:16]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Server) decodeToken(poolID, token string) (pos int, ok bool) {
	var b [16 + tokenMACSize]byte
	if base64.RawURLEncoding.DecodedLen(len(token)) != len(b) {
		return 0, false
	}
	if n, err := base64.RawURLEncoding.Strict().Decode(b[:], []byte(token)); err != nil || n != len(b) {
		return 0, false
	}
	if !hmac.Equal(b[16:], s.tokenMAC(poolID, b[:16])) {
		return 0, false
	}
	p := binary.BigEndian.Uint64(b[0:])
	if p > 1<<40 {
		return 0, false
	}
	return int(p), true
}

// issueToken returns a new token of scope (a pool ID, or a listing's
// namespace in it) for position pos. s.mu must be held.
func (s *Server) issueToken(scope string, pos int) string {
	s.tokenSerial++
	return s.encodeToken(scope, pos, s.tokenSerial)
}

// resumeAt returns the position token holds: it must be one the server
// issued for scope, at no more than last; else the error is the service's
// InvalidParameterException for a bad token.
func (s *Server) resumeAt(scope, token string, last int) (int, *Error) {
	pos, ok := s.decodeToken(scope, token)
	if !ok || pos > last {
		return 0, invalidToken()
	}
	return pos, nil
}

func invalidToken() *Error {
	return &Error{Code: "InvalidParameterException", Message: "Invalid pagination token."}
}

func (s *Server) tokenMAC(poolID string, body []byte) []byte {
	mac := hmac.New(sha256.New, s.tokenKey)
	mac.Write([]byte("token\x00"))
	mac.Write([]byte(poolID))
	mac.Write([]byte{0})
	mac.Write(body)
	return mac.Sum(nil)[:tokenMACSize]
}

// JobStatus is the status of an import job, as the service spells it.
type JobStatus string

// The statuses of an import job. A job is created Created; StartUserImportJob
// moves it to Pending, from which it moves on by itself to InProgress and
// then Succeeded or Failed; StopUserImportJob ends a Pending or InProgress
// job Stopped, through Stopping when a row is being imported; a Created job
// that is not started within 24 hours becomes Expired.
//
// Where the service's behaviour is not documented, the server makes these
// choices, and a client should not depend on them:
//
//   - A job is Pending only at the instant it starts; rows are imported at
//     WithImportRate users a second after that, row n done at StartDate +
//     n/rate, and the job ends when its last row is done.
//   - A job fails with MessageTooMany when it imported no user and at least
//     one row failed or was skipped; otherwise it succeeds.
//   - A file that breaks a file rule (empty, a byte order mark, a header
//     that does not match the pool's, over 500,000 users) fails the whole job
//     at its start, before any row is imported, with a CompletionMessage
//     that names the line and the rule.
//   - A username repeated within one file: the first row with it decides
//     (imported or skipped); each later row with it fails.
//   - Booleans are read in any case; a line break always ends a row.
//   - Starting a job that is not Created, or stopping one that is not
//     Pending or InProgress: InvalidParameterException naming the job and its
//     status. Starting a job while another is active on the server, or in a
//     pool without auto-verified attributes: PreconditionNotMetException.
//     An unknown job: ResourceNotFoundException.
//   - Every imported user is RESET_REQUIRED, whatever the job's
//     PasswordHashingAlgorithm (see Job).
//
// The upload's answers are listed with Upload, the quota of jobs with
// MaxJobsPerPool.
const (
	StatusCreated    JobStatus = "Created"
	StatusPending    JobStatus = "Pending"
	StatusInProgress JobStatus = "InProgress"
	StatusStopping   JobStatus = "Stopping"
	StatusStopped    JobStatus = "Stopped"
	StatusExpired    JobStatus = "Expired"
	StatusFailed     JobStatus = "Failed"
	StatusSucceeded  JobStatus = "Succeeded"
)

// Active reports whether a job in status st counts as the one active job:
// Pending, InProgress or Stopping.
func (st JobStatus) Active() bool {
	return st == StatusPending || st == StatusInProgress || st == StatusStopping
}

// Terminal reports whether a job in status st will not change any more.
func (st JobStatus) Terminal() bool {
	switch st {
	case StatusStopped, StatusExpired, StatusFailed, StatusSucceeded:
		return true
	}
	return false
}

// The completion messages the service sends.
const (
	MessageSucceeded = "Import Job Completed Successfully."
	MessageTooMany   = "Too many users have failed or been skipped during the import."
	MessageStopped   = "The Import Job was stopped by the developer."
	MessageExpired   = "The user import job has expired."
)

// job is an import job: the record the API shows, and what the server
// keeps of it beyond that: the uploaded file, and once started, the run
// through it.
type job struct {
	Job          // the record: Jobs returns copies, SetJob replaces it
	pool   *pool // the pool that holds the job
	data   *file // the uploaded file; nil before an upload and once the job ended
	upload bool  // a file was uploaded

	done    int64 // rows processed
	stopRow int64 // > 0 while Stopping: the job stops once this row is done

	// The run's file is read outside s.mu (see catchUp): parse is held
	// by the one goroutine reading it, through reader. What it read is
	// handed over, under s.mu, in the fields after it.
	parse      sync.Mutex
	reader     *runReader // guarded by parse
	run        int        // the run's number: a reader of another is stale
	opened     bool       // the file's header was read; openErr: its failure
	openErr    error
	pending    []row // rows read, not yet processed
	pendingEnd error // errEndOfFile or the file's fatal error, after pending

	log        []logEntry
	logBytes   int64 // the size of log's entries
	logEvicted bool  // the log was dropped past MaxLogBytes: it reads as gone
}

// MaxJobsPerPool is the quota of import jobs a user pool holds, as the
// service documents (an adjustable quota at AWS, fixed here): the server
// refuses CreateUserImportJob with LimitExceededException once a pool holds
// that many jobs, whatever their status (the server never deletes a job;
// SeedJobs is not bounded). The message is the server's.
const MaxJobsPerPool = 1000

func (s *Server) maxJobs() int {
	if s.jobsPerPool > 0 {
		return s.jobsPerPool
	}
	return MaxJobsPerPool
}

type wireJob struct {
	CloudWatchLogsRoleArn    string      `json:"CloudWatchLogsRoleArn,omitempty"`
	CompletionDate           json.Number `json:"CompletionDate,omitempty"`
	CompletionMessage        string      `json:"CompletionMessage,omitempty"`
	CreationDate             json.Number `json:"CreationDate,omitempty"`
	FailedUsers              int64       `json:"FailedUsers"`
	ImportedUsers            int64       `json:"ImportedUsers"`
	JobID                    string      `json:"JobId,omitempty"`
	JobName                  string      `json:"JobName,omitempty"`
	PasswordHashingAlgorithm string      `json:"PasswordHashingAlgorithm,omitempty"`
	PreSignedURL             string      `json:"PreSignedUrl,omitempty"`
	SkippedUsers             int64       `json:"SkippedUsers"`
	StartDate                json.Number `json:"StartDate,omitempty"`
	Status                   string      `json:"Status,omitempty"`
	UserPoolID               string      `json:"UserPoolId,omitempty"`
}

func (s *Server) toWire(j *job) wireJob {
	return wireJob{
		CloudWatchLogsRoleArn:    j.CloudWatchLogsRoleARN,
		CompletionDate:           s.epoch(j.CompletionDate),
		CompletionMessage:        j.CompletionMessage,
		CreationDate:             s.epoch(j.CreationDate),
		FailedUsers:              j.FailedUsers,
		ImportedUsers:            j.ImportedUsers,
		JobID:                    j.JobID,
		JobName:                  j.JobName,
		PasswordHashingAlgorithm: j.PasswordHashingAlgorithm,
		PreSignedURL:             j.PreSignedURL,
		SkippedUsers:             j.SkippedUsers,
		StartDate:                s.epoch(j.StartDate),
		Status:                   string(j.Status),
		UserPoolID:               j.UserPoolID,
	}
}

func (s *Server) jobResponse(j *job) any {
	return struct{ UserImportJob wireJob }{s.toWire(j)}
}

func (s *Server) createUserImportJob(r *http.Request, body []byte, now time.Time) (any, *Error) {
	m, e := decodeObject(body)
	if e != nil {
		return nil, e
	}
	vals, vs, e := stringMembers(m, nil, constraint.CloudWatchLogsRoleArn, constraint.JobName, constraint.PasswordHashingAlgorithm, constraint.UserPoolID)
	if e != nil {
		return nil, e
	}
	if e := validate(vs); e != nil {
		return nil, e
	}
	roleARN, jobName, hashing, poolID := vals[0], vals[1], vals[2], vals[3]
	// The job's PreSignedUrl is made from the Host the client called:
	// refuse one no URL can hold before anything changes.
	base, e := uploadBase(r.Host)
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.lookupPool(poolID)
	if e != nil {
		return nil, e
	}
	if max := s.maxJobs(); len(p.jobs) >= max {
		return nil, &Error{Code: "LimitExceededException", Message: fmt.Sprintf(
			"User pool %s has %d import jobs, its quota of import jobs per user pool; the server keeps every job it created.", poolID, max)}
	}
	j := s.addJob(p, jobName, roleARN, now)
	j.PasswordHashingAlgorithm = hashing
	j.PreSignedURL = s.preSignedURL(base, j, now)
	return struct {
		UserImportJob wireJob
	}{s.toWire(j)}, nil
}

func (s *Server) listUserImportJobs(body []byte, now time.Time) (any, *Error) {
	m, e := decodeObject(body)
	if e != nil {
		return nil, e
	}
	maxResults, hasMax, e := intMember(m, constraint.MaxResults.Name)
	if e != nil {
		return nil, e
	}
	token, hasToken, e := stringMember(m, constraint.PaginationToken.Name)
	if e != nil {
		return nil, e
	}
	poolID, hasPool, e := stringMember(m, constraint.UserPoolID.Name)
	if e != nil {
		return nil, e
	}
	vs := constraint.MaxResults.CheckInt(nil, int64(maxResults), hasMax)
	vs = constraint.PaginationToken.CheckString(vs, token, hasToken)
	vs = constraint.UserPoolID.CheckString(vs, poolID, hasPool)
	if e := validate(vs); e != nil {
		return nil, e
	}

	s.lockCaughtUp(now, poolID)
	defer s.mu.Unlock()
	p, e := s.lookupPool(poolID)
	if e != nil {
		return nil, e
	}
	start := len(p.jobs) - 1 // the newest
	if hasToken {
		if start, e = s.resumeAt(poolID, token, len(p.jobs)-1); e != nil {
			return nil, e
		}
	}
	out := struct {
		PaginationToken string    `json:",omitempty"`
		UserImportJobs  []wireJob // sent as [] when the pool has no jobs
	}{UserImportJobs: []wireJob{}}
	if start >= 0 && s.emptyPages > 0 {
		s.emptyPages--
		out.PaginationToken = s.issueToken(poolID, start)
		return out, nil
	}
	size := int(maxResults)
	if s.maxPageSize > 0 {
		size = min(size, s.maxPageSize)
	}
	end := max(start+1-size, 0)
	out.UserImportJobs = make([]wireJob, 0, start+1-end)
	for i := start; i >= end; i-- {
		out.UserImportJobs = append(out.UserImportJobs, s.toWire(p.jobs[i]))
	}
	if end > 0 {
		out.PaginationToken = s.issueToken(poolID, end-1)
	}
	return out, nil
}

// decodeJobRequest decodes a request whose members are UserPoolId and JobId.
func decodeJobRequest(body []byte) (poolID, jobID string, e *Error) {
	m, e := decodeObject(body)
	if e != nil {
		return "", "", e
	}
	vals, vs, e := stringMembers(m, nil, constraint.JobID, constraint.UserPoolID)
	if e != nil {
		return "", "", e
	}
	if e := validate(vs); e != nil {
		return "", "", e
	}
	return vals[1], vals[0], nil
}

// lookupPool finds a pool, or answers ResourceNotFoundException. s.mu must
// be held.
func (s *Server) lookupPool(poolID string) (*pool, *Error) {
	p := s.pools[poolID]
	if p == nil {
		return nil, resourceNotFound(poolID)
	}
	return p, nil
}

// lookupJob finds a job. s.mu must be held.
func (s *Server) lookupJob(poolID, jobID string) (*pool, *job, *Error) {
	p, e := s.lookupPool(poolID)
	if e != nil {
		return nil, nil, e
	}
	i, ok := p.byID[jobID]
	if !ok {
		return nil, nil, &Error{Code: "ResourceNotFoundException", Message: fmt.Sprintf("Import job %s does not exist in user pool %s.", jobID, poolID)}
	}
	return p, p.jobs[i], nil
}

// onJob answers a request whose members are UserPoolId and JobId: it
// decodes it, brings the jobs up to now (the active job only if it is the
// one named, or if anyActive: the caller depends on it) and calls do with
// the job it names, s.mu held.
func (s *Server) onJob(body []byte, now time.Time, anyActive bool, do func(p *pool, j *job) (any, *Error)) (any, *Error) {
	poolID, jobID, e := decodeJobRequest(body)
	if e != nil {
		return nil, e
	}
	s.catchUpFor(now, func(a *job) bool { return anyActive || a.UserPoolID == poolID && a.JobID == jobID })
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshLocked(now)
	p, j, e := s.lookupJob(poolID, jobID)
	if e != nil {
		return nil, e
	}
	return do(p, j)
}

func (s *Server) describeUserImportJob(body []byte, now time.Time) (any, *Error) {
	return s.onJob(body, now, false, func(_ *pool, j *job) (any, *Error) { return s.jobResponse(j), nil })
}

// startUserImportJob starts a Created job with an uploaded file. The
// service's errors for a job in another status, and for a second active
// job, are not documented; the server's choices: InvalidParameterException
// naming the job and its status, and PreconditionNotMetException naming the
// active job. A pool without auto-verified attributes cannot start a job:
// PreconditionNotMetException.
func (s *Server) startUserImportJob(body []byte, now time.Time) (any, *Error) {
	return s.onJob(body, now, true, func(p *pool, j *job) (any, *Error) { return s.start(p, j, now) })
}

// stopUserImportJob stops a Pending or InProgress job: at once when no row
// is being imported, else through Stopping until the row is done. The
// service's error for a job in another status is not documented; the
// server's choice: InvalidParameterException naming the job and its status.
func (s *Server) stopUserImportJob(body []byte, now time.Time) (any, *Error) {
	return s.onJob(body, now, false, func(_ *pool, j *job) (any, *Error) { return s.stop(j, now) })
}
