package cognitoimporttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strconv"
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
	// for the file's password hashes (BCRYPT, SCRYPT, ARGON2ID or
	// PBKDF2_SHA256), empty when it named none. The server keeps and
	// returns it, but reads no hashes: see JobStatus.
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

// CreateUserPool creates an empty user pool with this ID; a pool that exists
// already is left as it is. It panics if id is not a valid user pool ID.
func (s *Server) CreateUserPool(id string) {
	if msg := badPoolID("CreateUserPool", id); msg != "" {
		s.misuse("%s", msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pools[id] == nil {
		s.pools[id] = s.newPool(id)
	}
}

// badPoolID says what is wrong with id, if it is not a valid user pool ID.
func badPoolID(method, id string) string {
	if v := constraint.UserPoolID.CheckString(nil, id, true); len(v) > 0 {
		return fmt.Sprintf("%s: %q is not a valid user pool ID (1 to 55 characters matching %s)",
			method, id, constraint.UserPoolID.Pattern)
	}
	return ""
}

// mustPool returns the pool with this ID, or panics. s.mu must be held.
func (s *Server) mustPool(method, id string) *pool {
	p := s.pools[id]
	if p == nil {
		s.misuse("%s: no user pool %q", method, id)
	}
	return p
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
	s.catchUpPool(now, poolID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshLocked(now)
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

func (s *Server) tokenMAC(poolID string, body []byte) []byte {
	mac := hmac.New(sha256.New, s.tokenKey)
	mac.Write([]byte("token\x00"))
	mac.Write([]byte(poolID))
	mac.Write([]byte{0})
	mac.Write(body)
	return mac.Sum(nil)[:tokenMACSize]
}
