package cognitoimporttest

import (
	"encoding/json"
	"time"
)

// WithRateLimits makes the server refuse requests over the rates IMPORT.md
// documents, by the server's clock, with TooManyRequestsException: per
// account (here: per server), GetCSVHeader, DescribeUserImportJob and
// ListUserImportJobs share 20 requests a second, and CreateUserImportJob,
// StartUserImportJob and StopUserImportJob share 15; and any one operation
// is allowed 5 requests a second per user pool. A request counts when it
// passes authentication and is not refused; the limits hold over any window
// of one second. Off by default.
func WithRateLimits() Option { return func(s *Server) { s.limits = &rateLimits{} } }

// The documented rates, in requests a second.
const (
	rateAccountRead  = 20
	rateAccountWrite = 15
	ratePerPool      = 5
)

// rateLimits holds, for each limit, the times of the requests it counted in
// the last second.
type rateLimits struct {
	windows map[string][]time.Time
}

// throttle counts a request for op with body at now, or refuses it.
func (s *Server) throttle(op Operation, body []byte, now time.Time) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rl := s.limits
	if rl == nil {
		return nil
	}
	if rl.windows == nil {
		rl.windows = make(map[string][]time.Time)
	}
	var keys []string
	limits := []int{}
	switch op {
	case GetCSVHeader, DescribeUserImportJob, ListUserImportJobs:
		keys, limits = append(keys, "account/read"), append(limits, rateAccountRead)
	case CreateUserImportJob, StartUserImportJob, StopUserImportJob:
		keys, limits = append(keys, "account/write"), append(limits, rateAccountWrite)
	}
	var m struct{ UserPoolId string }
	if json.Unmarshal(body, &m) == nil && m.UserPoolId != "" {
		keys, limits = append(keys, "pool/"+m.UserPoolId+"/"+string(op)), append(limits, ratePerPool)
	}
	since := now.Add(-time.Second)
	for i, k := range keys {
		w := rl.windows[k]
		for len(w) > 0 && !w[0].After(since) {
			w = w[1:]
		}
		rl.windows[k] = w
		if len(w) >= limits[i] {
			return &Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}
		}
	}
	for _, k := range keys {
		rl.windows[k] = append(rl.windows[k], now)
	}
	return nil
}
