package cognitoimporttest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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

// storedUser is a user as a pool keeps it: its attributes packed in one
// string, in the order of the pool's header, each as a uvarint length and
// its bytes, so that a pool of 500,000 users stays small.
type storedUser struct {
	name   string
	packed string
	mfa    bool
	status string
	// sub is the user's sub, which the pool assigns (store); disabled is
	// set for a user that is not enabled.
	sub      string
	disabled bool
}

func packUser(header []string, u *User) *storedUser {
	var b []byte
	for _, h := range header {
		v := u.Attributes[h]
		if strings.HasPrefix(h, "cognito:") {
			v = ""
		}
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return &storedUser{name: u.Username, packed: string(b), mfa: u.MFAEnabled, status: u.Status, sub: u.Sub, disabled: u.Disabled}
}

func (su *storedUser) unpack(header []string) User {
	u := User{Username: su.name, MFAEnabled: su.mfa, Status: su.status, Sub: su.sub, Disabled: su.disabled, Attributes: make(map[string]string)}
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

// file is an uploaded file, kept as the chunks it was read in: memory grows
// with the bytes that arrive, not with what Content-Length announces, and
// there is never a second copy.
type file struct {
	chunks [][]byte
	size   int64
}

// fileChunk is the size of the chunks an upload is read in.
const fileChunk = 1 << 20

func newFile(b []byte) *file { return &file{chunks: [][]byte{b}, size: int64(len(b))} }

// readFile reads exactly n bytes of r. On a short read it returns what it
// read and the error.
func readFile(r io.Reader, n int64) (*file, error) {
	f := &file{}
	for f.size < n {
		chunk := make([]byte, min(n-f.size, fileChunk))
		k, err := io.ReadFull(r, chunk)
		f.size += int64(k)
		if err != nil {
			return f, err
		}
		f.chunks = append(f.chunks, chunk)
	}
	return f, nil
}

func (f *file) reader() io.Reader {
	rs := make([]io.Reader, len(f.chunks))
	for i, c := range f.chunks {
		rs[i] = bytes.NewReader(c)
	}
	return io.MultiReader(rs...)
}

// lines returns the number of lines: line feeds, and one more when the last
// line has none.
func (f *file) lines() int {
	n := 0
	for _, c := range f.chunks {
		n += bytes.Count(c, []byte{'\n'})
	}
	if f.size > 0 {
		last := f.chunks[len(f.chunks)-1]
		if last[len(last)-1] != '\n' {
			n++
		}
	}
	return n
}
