package cognitoimporttest

import "time"

// WithNetTimeouts sets the server's network timeouts and the grace Close
// gives requests in flight, so that tests of stalled clients can use small
// values. 0 leaves a value at its default.
func WithNetTimeouts(readHeader, read, write, idle, closeGrace time.Duration) Option {
	return func(s *Server) {
		for _, v := range []struct {
			dst *time.Duration
			v   time.Duration
		}{{&s.net.readHeader, readHeader}, {&s.net.read, read}, {&s.net.write, write}, {&s.net.idle, idle}, {&s.net.closeGrace, closeGrace}} {
			if v.v != 0 {
				*v.dst = v.v
			}
		}
	}
}

// WithMaxUsers lowers the 500,000-user limit of a file, so that a test can
// reach it with a small file.
func WithMaxUsers(n int) Option { return func(s *Server) { s.imports.maxUsers = n } }

// QueuedFaults returns how many requests for op the faults queued by
// FailNext, DelayNext and DropNext will still meet, so that a test can wait
// until a request has taken its fault (the server counts a request in
// Requests before it takes one).
func (s *Server) QueuedFaults(op Operation) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults[op] {
		n += f.times
	}
	return n
}

// WithMaxJobs lowers the quota of 1,000 import jobs per pool, so that a test
// can reach it with a few jobs.
func WithMaxJobs(n int) Option { return func(s *Server) { s.jobsPerPool = n } }

// WithMaxCallBytes lowers MaxCallBytes, so that a test can reach it with a
// few requests.
func WithMaxCallBytes(n int64) Option { return func(s *Server) { s.calls.maxBytes = n } }

// UploadsReading returns how many uploads the server is reading the body
// of, so that a test can wait until stalled uploads have reached the read.
func (s *Server) UploadsReading() int { return int(s.uploadsReading.Load()) }

// WithMaxLogBytes lowers MaxLogBytes, so that a test can reach it with a
// few rows.
func WithMaxLogBytes(n int64) Option { return func(s *Server) { s.logs.max = n } }

// LogEvicted reports whether the server evicted the job's log.
func (s *Server) LogEvicted(poolID, jobID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool("LogEvicted", poolID)
	return p.jobs[p.byID[jobID]].logEvicted
}

// LogEntryBytes is the size the server counts for a log line without a
// reason, so that a test can set WithMaxLogBytes in lines.
func LogEntryBytes() int64 { return logEntry{}.size() }

// WithBeforeRead makes the server call f each time it is about to read rows
// of a started job's file, outside its lock, so that a test can hold an
// import in the middle of its reading.
func WithBeforeRead(f func()) Option { return func(s *Server) { s.beforeRead = f } }
