package cognitoimporttest

import (
	"bytes"
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

// fileError is a problem that fails the whole file.
type fileError struct{ p usersfile.Problem }

func (e fileError) Error() string {
	return fmt.Sprintf("Line Number %d - %s", e.p.Line, e.p.Reason())
}

// checkerRows reads rows through a usersfile.Checker.
type checkerRows struct {
	c      *usersfile.Checker
	header []string // the file's header
	mfa    int      // index of cognito:mfa_enabled in header
	user   int      // index of cognito:username in header
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
func openRows(data []byte, cfg PoolConfig, maxUsers int) (rowSource, error) {
	limit := maxUsers
	if limit <= 0 {
		limit = usersfile.MaxUsers
	}
	// A file with more users than the limit fails as a whole, before any
	// of its rows is imported. Counting line feeds bounds the rows from
	// above at memory speed; only a file near the limit is read twice, the
	// first time to count its rows as the checker does.
	if bytes.Count(data, []byte{'\n'}) >= limit {
		c := usersfile.NewChecker(usersfileRules(cfg, maxUsers), bytes.NewReader(data))
		for c.Next() {
		}
		if p := c.FileProblems(); len(p) > 0 {
			return nil, fileError{p[0]}
		}
	}
	c := usersfile.NewChecker(usersfileRules(cfg, maxUsers), bytes.NewReader(data))
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
	rs.header = c.Header()
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

// current converts the checker's current row, copying what it keeps.
func (rs *checkerRows) current() row {
	r := rs.c.Row()
	if !r.OK() {
		return row{line: r.Line, failure: r.Reason()}
	}
	u := User{
		Username:   string(r.Fields[rs.user]),
		MFAEnabled: strings.EqualFold(string(r.Fields[rs.mfa]), "true"),
		Attributes: make(map[string]string),
	}
	for i, f := range r.Fields {
		if len(f) > 0 && !strings.HasPrefix(rs.header[i], "cognito:") {
			u.Attributes[rs.header[i]] = string(f)
		}
	}
	return row{line: r.Line, user: u}
}

// storedUser is a user as a pool keeps it: its attributes packed in one
// string, in the order of the pool's header, each as a uvarint length and
// its bytes, so that a pool of 500,000 users stays small.
type storedUser struct {
	name   string
	packed string
	mfa    bool
	status string
}

func packUser(header []string, u *User) *storedUser {
	var b []byte
	for _, h := range header {
		v := u.Attributes[h]
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return &storedUser{name: u.Username, packed: string(b), mfa: u.MFAEnabled, status: u.Status}
}

func (su *storedUser) unpack(header []string) User {
	u := User{Username: su.name, MFAEnabled: su.mfa, Status: su.status, Attributes: make(map[string]string)}
	p := su.packed
	for _, h := range header {
		n, k := binary.Uvarint([]byte(p[:min(len(p), binary.MaxVarintLen64)]))
		p = p[k:]
		if n > 0 {
			u.Attributes[h] = p[:n]
		}
		p = p[n:]
	}
	return u
}
