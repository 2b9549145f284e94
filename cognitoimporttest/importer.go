package cognitoimporttest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// The server reads a users file with internal/usersfile's Checker, the same
// one the client's checker uses, so that the two agree on every row's outcome
// and reason by construction. The server adds only what needs the pool's
// state: a row whose username the pool has already is skipped.

// row is the outcome of one row of a users file, before the pool is
// consulted: either a user to import, or the rule the row breaks.
type row struct {
	line    int         // the row's line number in the file; the header is line 1
	user    *storedUser // when failure is empty
	failure string      // the reason the row failed, as the job's log says it
}

// rowSource reads the rows of a users file one at a time. next returns
// errEndOfFile after the last row, or another error when the rest of the
// file cannot be read, which fails the whole job.
type rowSource interface {
	next() (row, error)
}

var errEndOfFile = errors.New("end of file")

// fileError is a problem that fails the whole file.
type fileError struct{ p usersfile.Problem }

func (e fileError) Error() string {
	return fmt.Sprintf("Line Number %d - %s", e.p.Line, e.p.Reason())
}

// checkerRows reads rows through a usersfile.Checker.
type checkerRows struct {
	c    *usersfile.Checker
	perm []int // perm[k]: the file's column of the pool's header column k
	mfa  int   // the file's column of cognito:mfa_enabled
	user int   // the file's column of cognito:username
	buf  []byte
}

// usersfileRules returns the rules of the pool's files.
func usersfileRules(cfg PoolConfig, maxUsers int) usersfile.Rules {
	return usersfile.Rules{
		Header:       poolHeader(cfg),
		AutoVerified: cfg.AutoVerifiedAttributes,
		MFA:          usersfile.MFA(cfg.MFA),
		Required:     cfg.RequiredAttributes,
		MaxUsers:     maxUsers,
	}
}

// openRows reads the header of data and returns the rows after it. An error
// fails the whole job before any row is imported: a header that does not
// match the pool's, or more users than the limit (maxUsers; 0 means
// usersfile.MaxUsers).
func openRows(data *file, cfg PoolConfig, maxUsers int) (rowSource, error) {
	_, limit := usersfileRules(cfg, maxUsers).Limits()
	// A file with more users than the limit fails as a whole, before any
	// of its rows is imported. Counting line feeds bounds the rows from
	// above at memory speed; only a file near the limit is read twice, the
	// first time to count its rows as the checker does.
	if data.lines()-1 > limit { // at most lines-1 rows follow the header
		c := usersfile.NewChecker(usersfileRules(cfg, maxUsers), data.reader())
		for c.Next() {
		}
		if p := c.FileProblems(); len(p) > 0 {
			return nil, fileError{p[0]}
		}
	}
	c := usersfile.NewChecker(usersfileRules(cfg, maxUsers), data.reader())
	rs := &checkerRows{c: c}
	if !c.Next() {
		if p := c.FileProblems(); len(p) > 0 {
			return nil, fileError{p[0]}
		}
		if err := c.Err(); err != nil {
			return nil, err
		}
		return emptyRows{}, nil // a header and no rows
	}
	header := poolHeader(cfg)
	rs.perm = make([]int, len(header))
	for k, h := range header {
		rs.perm[k] = c.Index(h) // the checker saw every column: none is -1
	}
	rs.mfa = c.Index(usersfile.ColMFAEnabled)
	rs.user = c.Index(usersfile.ColUsername)
	return &firstRow{rs: rs}, nil
}

type emptyRows struct{}

func (emptyRows) next() (row, error) { return row{}, errEndOfFile }

// firstRow yields the row the header check already advanced to, then the
// others.
type firstRow struct {
	rs   *checkerRows
	used bool
}

func (f *firstRow) next() (row, error) {
	if !f.used {
		f.used = true
		return f.rs.current(), nil
	}
	return f.rs.next()
}

func (rs *checkerRows) next() (row, error) {
	if !rs.c.Next() {
		if p := rs.c.FileProblems(); len(p) > 0 {
			return row{}, fileError{p[0]}
		}
		if err := rs.c.Err(); err != nil {
			return row{}, err
		}
		return row{}, errEndOfFile
	}
	return rs.current(), nil
}

// current converts the checker's current row, copying what it keeps: the
// user's values packed in the pool's header order, cognito: columns empty.
func (rs *checkerRows) current() row {
	r := rs.c.Row()
	if !r.OK() {
		return row{line: r.Line, failure: r.Reason()}
	}
	rs.buf = rs.buf[:0]
	for _, i := range rs.perm {
		v := r.Fields[i]
		if i == rs.user || i == rs.mfa {
			v = nil
		}
		rs.buf = binary.AppendUvarint(rs.buf, uint64(len(v)))
		rs.buf = append(rs.buf, v...)
	}
	return row{line: r.Line, user: &storedUser{
		name:   string(r.Fields[rs.user]),
		packed: string(rs.buf),
		mfa:    strings.EqualFold(string(r.Fields[rs.mfa]), "true"),
	}}
}
