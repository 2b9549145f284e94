package cognitoimport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"strconv"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// Part is one part of an ImportAll: a section of the users file, cut
// between rows, that one job imports, and what the journal knows of it.
// The job's file is the original file's header line (its bytes, line break
// included), then the bytes Offset to End of the original file.
type Part struct {
	Number int `json:"part"` // 1, 2, ...
	// FirstLine and LastLine are the lines of the original file that hold
	// the part's first and last user (the header is line 1). StartLine is
	// the line at Offset: FirstLine, or an empty line before it. FileLine
	// turns a line of the job's log into the original file's.
	FirstLine int `json:"firstLine"`
	LastLine  int `json:"lastLine"`
	StartLine int `json:"startLine"`
	// Offset and End are the part's byte range in the original file.
	Offset int64 `json:"offset"`
	End    int64 `json:"end"`
	Users  int   `json:"users"`
	// SHA256 is the hex SHA-256 of the part's file (header, then the
	// range) as the check read it; each upload is hashed as it is sent and
	// must match it.
	SHA256 string `json:"sha256"`
	// JobID is the part's job, "" before it is created; Status and the
	// counts are the job's as last seen.
	JobID         string `json:"jobId,omitempty"`
	Status        Status `json:"status,omitempty"`
	Uploaded      bool   `json:"uploaded,omitempty"`
	ImportedUsers int64  `json:"importedUsers,omitempty"`
	SkippedUsers  int64  `json:"skippedUsers,omitempty"`
	FailedUsers   int64  `json:"failedUsers,omitempty"`
	// EarlierJobIDs are the part's jobs that were given up: created but
	// not started before an interruption (they expire by themselves), or
	// ended Failed or Stopped in an earlier run.
	EarlierJobIDs []string `json:"earlierJobIds,omitempty"`
}

// FileLine returns the line of the original file that is line jobLine (2
// or more; the header is line 1) of the part's job, as its log numbers
// lines.
func (p Part) FileLine(jobLine int) int { return p.StartLine - 2 + jobLine }

// size returns the bytes of the part's file: the header's and the range's.
func (p Part) size(header int64) int64 { return header + p.End - p.Offset }

// PartJobName returns the name of part n of parts of the import named name:
// name itself when there is one part, else "NAME - part N of M". A name and
// suffix longer than JobName's 128 characters cut the name, never the
// suffix. The service's JobName pattern has no parentheses, so the suffix
// is set off with " - ".
func PartJobName(name string, n, parts int) string {
	if parts <= 1 {
		return name
	}
	suffix := " - part " + strconv.Itoa(n) + " of " + strconv.Itoa(parts)
	if keep := constraint.JobName.MaxLen - len(suffix); len(name) > keep {
		// JobName is ASCII (its pattern says so): bytes are characters.
		name = name[:max(keep, 0)]
	}
	return name + suffix
}

// partLimits are the most a part may hold: the service's limits, lowered
// by tests.
type partLimits struct {
	users int
	bytes int64
}

func (l partLimits) orDefaults() partLimits {
	if l.users <= 0 {
		l.users = usersfile.MaxUsers
	}
	if l.bytes <= 0 {
		l.bytes = MaxFileBytes
	}
	return l
}

// splitter checks a whole users file once and cuts it into parts between
// rows as it goes, hashing each part's bytes from the bytes the check
// reads: the file is read once, and nothing but a window of the checker's
// read-ahead is held.
type splitter struct {
	limits partLimits
	tee    hashTee
	header []byte // the header line, line break included
	parts  []Part
	hash   hash.Hash // the current part's
	prev   int64     // the end of the last row read
	fe     FileError
	max    int
}

// hashTee passes reads through and keeps the bytes read until they are
// hashed, from offset base on.
type hashTee struct {
	r       io.Reader
	pending []byte
	next    int   // pending[next:] is not hashed yet
	base    int64 // the file offset of pending[next]
}

func (t *hashTee) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if t.next > 0 && t.next >= len(t.pending)/2 {
		t.pending = append(t.pending[:0], t.pending[t.next:]...)
		t.next = 0
	}
	t.pending = append(t.pending, p[:n]...)
	return n, err
}

// hashTo hashes the bytes up to offset end into h (nil: drops them).
func (t *hashTee) hashTo(h hash.Hash, end int64) {
	n := int(end - t.base)
	if h != nil {
		h.Write(t.pending[t.next : t.next+n])
	}
	t.next += n
	t.base = end
}

// errPartTooSmall is a row (with the empty lines before it) that does not
// fit a part: only a file of many empty lines, or limits lowered in a test,
// can have one.
var errPartTooSmall = errors.New("cognitoimport: a row and the empty lines before it do not fit in one part")

// split reads the file from r, checks it against rules as CheckFile does
// but with no limit on the whole file, and returns its parts and header.
// The error is a *FileError when the file breaks a rule, with the original
// file's line numbers.
func split(r io.Reader, rules usersfile.Rules, opts CheckOptions, limits partLimits) (header []byte, parts []Part, users int, err error) {
	s := &splitter{limits: limits.orDefaults(), tee: hashTee{r: r}, max: opts.MaxProblems}
	if s.max == 0 {
		s.max = DefaultMaxProblems
	}
	rules.MaxBytes, rules.MaxUsers = math.MaxInt64, math.MaxInt
	c := usersfile.NewChecker(rules, &s.tee)
	for c.Next() {
		row := c.Row()
		if !row.OK() {
			addProblems(&s.fe, s.max, row.Problems)
		}
		if s.fe.Total > 0 {
			// The parts no longer matter: go on for the problems.
			s.tee.hashTo(nil, c.Bytes())
			continue
		}
		if err := s.row(row.Line, c.Bytes()); err != nil {
			return nil, nil, c.Users(), err
		}
	}
	if err := c.Err(); err != nil {
		return nil, nil, c.Users(), fmt.Errorf("cognitoimport: reading the users file: %w", err)
	}
	addProblems(&s.fe, s.max, c.FileProblems())
	if s.fe.Total > 0 {
		return nil, nil, c.Users(), &s.fe
	}
	s.finish(c.Bytes())
	return s.header, s.parts, c.Users(), nil
}

// row takes the row at line that ends at offset end.
func (s *splitter) row(line int, end int64) error {
	if s.header == nil {
		s.takeHeader()
	}
	hdr := int64(len(s.header))
	p := &s.parts[len(s.parts)-1]
	if p.Users == s.limits.users || hdr+end-p.Offset > s.limits.bytes {
		if p.Users == 0 {
			return fmt.Errorf("%w (line %d; a part holds at most %d bytes)", errPartTooSmall, line, s.limits.bytes)
		}
		s.tee.hashTo(s.hash, s.prev)
		p.End = s.prev
		p.SHA256 = hex.EncodeToString(s.hash.Sum(nil))
		s.newPart(s.prev, p.LastLine+1)
		p = &s.parts[len(s.parts)-1]
		if hdr+end-p.Offset > s.limits.bytes {
			return fmt.Errorf("%w (line %d; a part holds at most %d bytes)", errPartTooSmall, line, s.limits.bytes)
		}
	}
	if p.Users == 0 {
		p.FirstLine = line
	}
	p.LastLine = line
	p.Users++
	s.tee.hashTo(s.hash, end)
	s.prev = end
	return nil
}

// takeHeader finds the header line at the start of what was read, and
// begins the first part after it.
func (s *splitter) takeHeader() {
	buf := s.tee.pending[s.tee.next:]
	n := bytes.IndexByte(buf, '\n') + 1
	s.header = bytes.Clone(buf[:n])
	s.tee.hashTo(nil, int64(n))
	s.newPart(int64(n), 2)
}

func (s *splitter) newPart(offset int64, line int) {
	s.parts = append(s.parts, Part{Number: len(s.parts) + 1, Offset: offset, StartLine: line})
	s.hash = sha256.New()
	s.hash.Write(s.header)
}

// finish ends the last part at the end of the file, size bytes.
func (s *splitter) finish(size int64) {
	if s.header == nil {
		// No row: the file is its header (with or without a line break),
		// and one part of no users.
		buf := s.tee.pending[s.tee.next:]
		n := bytes.IndexByte(buf, '\n') + 1
		if n == 0 {
			n = len(buf)
		}
		s.header = bytes.Clone(buf[:n])
		s.tee.hashTo(nil, int64(n))
		s.newPart(int64(n), 2)
	}
	p := &s.parts[len(s.parts)-1]
	s.tee.hashTo(s.hash, size)
	p.End = size
	p.SHA256 = hex.EncodeToString(s.hash.Sum(nil))
}

// partBody is what Upload sends of a part: the header's bytes, then the
// part's range of the file. It is an io.ReadSeeker, so that Upload can send
// it again after a transient failure, and it hashes the bytes as they are
// read in order from the start, so that the caller knows what was sent.
type partBody struct {
	header []byte
	file   io.ReaderAt
	offset int64 // of the range in the file
	size   int64 // header and range
	pos    int64
	hash   hash.Hash
	hashed int64 // bytes [0, hashed) went into hash
}

func newPartBody(header []byte, file io.ReaderAt, p Part) *partBody {
	return &partBody{header: header, file: file, offset: p.Offset, size: p.size(int64(len(header))), hash: sha256.New()}
}

func (b *partBody) Read(p []byte) (int, error) {
	if b.pos >= b.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), b.size-b.pos)]
	var n int
	var err error
	if hdr := int64(len(b.header)); b.pos < hdr {
		n = copy(p, b.header[b.pos:])
	} else {
		n, err = b.file.ReadAt(p, b.offset+b.pos-hdr)
		if err == io.EOF && n == len(p) {
			err = nil
		} else if err == io.EOF {
			err = io.ErrUnexpectedEOF // the file is shorter than it was
		}
	}
	if b.pos == b.hashed {
		b.hash.Write(p[:n])
		b.hashed += int64(n)
	}
	b.pos += int64(n)
	return n, err
}

func (b *partBody) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += b.pos
	case io.SeekEnd:
		offset += b.size
	}
	if offset < 0 {
		return 0, errors.New("cognitoimport: seeking before the start of a part")
	}
	if offset < b.hashed {
		// Read again from here: start the hash over, from 0.
		b.hash.Reset()
		b.hashed = 0
	}
	b.pos = offset
	return offset, nil
}

// sum returns the hex SHA-256 of what was read in order from the start, and
// whether that is the whole part.
func (b *partBody) sum() (string, bool) {
	return hex.EncodeToString(b.hash.Sum(nil)), b.hashed == b.size
}

// hashPart returns the hex SHA-256 of the part's file as it is now.
func hashPart(header []byte, file io.ReaderAt, p Part) (string, error) {
	b := newPartBody(header, file, p)
	buf := make([]byte, 256<<10)
	for {
		_, err := b.Read(buf)
		if err == io.EOF {
			s, _ := b.sum()
			return s, nil
		}
		if err != nil {
			return "", err
		}
	}
}
