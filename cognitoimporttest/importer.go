package cognitoimporttest

import (
	"bytes"
	"errors"
	"strings"
)

// row is the outcome of one row of a users file, before the pool is
// consulted: either a user to import, or the rule the row breaks.
type row struct {
	line    int    // the row's line number in the file; the header is line 1
	user    User   // when failure is empty
	failure string // the reason the row failed, as the job's log says it
}

// rowSource reads the rows of a users file one at a time. next returns
// errEndOfFile after the last row, or another error when the rest of the
// file cannot be read, which fails the whole job.
type rowSource interface {
	next() (row, error)
}

var errEndOfFile = errors.New("end of file")

// openRows reads the header of data and returns the rows after it. An error
// fails the whole job.
//
// TODO(server-lifecycle, milestone B): this interim reader imports every
// non-empty row; the rules come from internal/usersfile.
func openRows(data []byte, cfg PoolConfig) (rowSource, error) {
	header, rest, _ := bytes.Cut(data, []byte("\n"))
	cols := strings.Split(strings.TrimSuffix(string(header), "\r"), ",")
	user := -1
	for i, c := range cols {
		if strings.TrimSpace(c) == "cognito:username" {
			user = i
		}
	}
	if user < 0 {
		return nil, errors.New("line 1: the header has no cognito:username column")
	}
	return &interimRows{rest: rest, user: user, line: 1}, nil
}

type interimRows struct {
	rest []byte
	user int
	line int
}

func (r *interimRows) next() (row, error) {
	for len(r.rest) > 0 {
		var l []byte
		l, r.rest, _ = bytes.Cut(r.rest, []byte("\n"))
		r.line++
		text := strings.TrimSuffix(string(l), "\r")
		if text == "" {
			continue
		}
		f := strings.Split(text, ",")
		if r.user >= len(f) {
			return row{line: r.line, failure: "The row has too few columns."}, nil
		}
		return row{line: r.line, user: User{Username: strings.TrimSpace(f[r.user])}}, nil
	}
	return row{}, errEndOfFile
}
