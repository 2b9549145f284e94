package usersfile

import (
	"bufio"
	"bytes"
	"io"
	"unicode"
	"unicode/utf8"
)

// Rules is what a users file must satisfy in one pool.
type Rules struct {
	// Header is the pool's columns, in any order; nil means DefaultHeader.
	Header []string
	// AutoVerified names the pool's auto-verified attributes ("email",
	// "phone_number"): each row must set at least one of their *_verified
	// columns TRUE. Empty (or naming no column of the header) means not
	// known: at least one of email_verified and phone_number_verified must
	// be TRUE.
	AutoVerified []string
	// MFA is the pool's MFA setting; empty means not known (either value).
	MFA MFA
	// Required names the columns the pool requires a value in.
	Required []string

	// MaxBytes and MaxUsers replace MaxFileBytes and MaxUsers when above
	// zero, so tests can reach the limits with small files.
	MaxBytes int64
	MaxUsers int
}

// Row is one row of the file after the header, as Checker.Row returns it.
// Its slices are valid until the next call of Next.
type Row struct {
	Line int
	// Fields holds the row's values, unescaped and trimmed, in the order of
	// the file's header (Checker.Header); nil when the row's length or
	// column count is wrong.
	Fields [][]byte
	// Problems holds the rules the row breaks, in Rule order; empty when
	// the service would import the row.
	Problems []Problem
}

// OK reports whether the row breaks no rule.
func (r Row) OK() bool { return len(r.Problems) == 0 }

// Reason returns the reason the service logs for a failed row, the first
// problem's, or "" for a row that breaks no rule.
func (r Row) Reason() string {
	if len(r.Problems) == 0 {
		return ""
	}
	return r.Problems[0].Reason()
}

// Checker reads a users file row by row and checks each row against the
// rules, in constant memory apart from the set of usernames seen.
//
//	c := usersfile.NewChecker(rules, r)
//	for c.Next() {
//		row := c.Row()
//		...
//	}
//	if err := c.Err(); err != nil { ... } // reading failed
//	if p := c.FileProblems(); len(p) > 0 { ... } // the whole file fails
type Checker struct {
	rules Rules
	br    *bufio.Reader
	err   error
	done  bool

	started  bool
	header   []string
	index    map[string]int
	maxBytes int64
	maxUsers int

	// column indices in the file's header; -1 when absent
	username, mfa, email, emailVerified, phone, phoneVerified, birthdate, updatedAt int
	autoVerified                                                                    []int
	required                                                                        []int

	line     int
	bytes    int64
	users    int
	buf      []byte
	fields   [][]byte
	problems []Problem
	file     []Problem
	row      Row
	names    *NameSet
}

// NewChecker returns a Checker that reads the file from r. It reads nothing
// until the first call of Next.
func NewChecker(rules Rules, r io.Reader) *Checker {
	c := &Checker{rules: rules, br: bufio.NewReaderSize(r, 64<<10), names: NewNameSet()}
	if c.rules.Header == nil {
		c.rules.Header = DefaultHeader()
	}
	c.maxBytes, c.maxUsers = rules.Limits()
	return c
}

// Limits returns the file's limits under r: MaxBytes and MaxUsers when above
// zero, the documented MaxFileBytes and MaxUsers otherwise.
func (r Rules) Limits() (maxBytes int64, maxUsers int) {
	maxBytes, maxUsers = MaxFileBytes, MaxUsers
	if r.MaxBytes > 0 {
		maxBytes = r.MaxBytes
	}
	if r.MaxUsers > 0 {
		maxUsers = r.MaxUsers
	}
	return maxBytes, maxUsers
}

// Next advances to the next row and reports whether there is one. It
// returns false at the end of the file, on a read error (Err), and when the
// whole file fails (FileProblems): a problem in the header, or the file
// going over a limit. The rows before that were yielded.
func (c *Checker) Next() bool {
	if c.done {
		return false
	}
	if !c.started {
		c.started = true
		if !c.readHeader() {
			c.done = true
			return false
		}
	}
	for {
		line, tooLong, ok := c.readLine()
		if !ok {
			c.done = true
			return false
		}
		if c.bytes > c.maxBytes {
			c.fail(Problem{Line: c.line, Rule: FileSize})
			return false
		}
		if len(line) == 0 && !tooLong {
			continue // an empty line is not a row
		}
		c.users++
		if c.users > c.maxUsers {
			c.users--
			c.fail(Problem{Line: c.line, Rule: TooManyUsers})
			return false
		}
		c.checkRow(line, tooLong)
		return true
	}
}

// Row returns the current row. Its slices are valid until the next Next.
func (c *Checker) Row() Row { return c.row }

// Err returns the error that stopped reading, if any (not io.EOF).
func (c *Checker) Err() error { return c.err }

// FileProblems returns the problems that fail the whole file: the header's,
// and a limit the file went over. Next has returned false when there are any.
func (c *Checker) FileProblems() []Problem { return c.file }

// Header returns the file's columns, trimmed, in the file's order, once
// Next has been called. The caller must not modify it.
func (c *Checker) Header() []string { return c.header }

// Index returns the position of column in the file's header and in
// Row.Fields, or -1.
func (c *Checker) Index(column string) int {
	if i, ok := c.index[column]; ok {
		return i
	}
	return -1
}

// Users returns the number of rows read so far (empty lines are not rows).
func (c *Checker) Users() int { return c.users }

// Bytes returns the number of bytes read so far.
func (c *Checker) Bytes() int64 { return c.bytes }

// Line returns the number of the last line read.
func (c *Checker) Line() int { return c.line }

func (c *Checker) fail(p Problem) {
	c.file = append(c.file, p)
	c.done = true
}

// readLine reads the next line into c.buf without its line break. tooLong
// reports a line over maxLineBytes, whose bytes were skipped; ok is false at
// the end of the file or on an error.
//
// A line longer than the buffer is over the row limit whatever it holds, and
// is never held whole. The header's ends the file (the job fails), so its
// read stops there; a row's rest is skipped to the line feed that ends it,
// but no further than the file limit, which then fails the file (Next). So a
// file that never sends a line feed is read no further than the file limit
// and one buffer.
func (c *Checker) readLine() (line []byte, tooLong, ok bool) {
	s, err := c.br.ReadSlice('\n')
	c.bytes += int64(len(s))
	if err == bufio.ErrBufferFull {
		tooLong = true
		for err == bufio.ErrBufferFull && c.line > 0 && c.bytes <= c.maxBytes {
			s, err = c.br.ReadSlice('\n')
			c.bytes += int64(len(s))
		}
		if err == bufio.ErrBufferFull {
			err = nil // stopped at a limit, not at the line's end
		}
		s = nil
	}
	switch {
	case err == io.EOF:
		if len(s) == 0 && !tooLong {
			return nil, false, false
		}
	case err != nil:
		c.err = err
		return nil, false, false
	}
	c.line++
	// The file's end ends its last line as a line feed would, so a carriage
	// return just before either is dropped: a file cut after a CRLF row's CR
	// reads as the same file with its LF.
	ended := err == io.EOF
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s, ended = s[:n-1], true
	}
	if n := len(s); ended && n > 0 && s[n-1] == '\r' {
		s = s[:n-1]
	}
	c.buf = append(c.buf[:0], s...)
	return c.buf, tooLong, true
}

var bom = []byte{0xEF, 0xBB, 0xBF}

func (c *Checker) readHeader() bool {
	line, tooLong, ok := c.readLine()
	if !ok {
		if c.err == nil {
			c.file = append(c.file, Problem{Line: 1, Rule: NoHeader})
		}
		return false
	}
	if bytes.HasPrefix(line, bom) {
		c.file = append(c.file, Problem{Line: 1, Rule: BOM})
		line = line[len(bom):]
	}
	if len(bytes.TrimSpace(line)) == 0 && !tooLong {
		// A blank first line is not a header with one empty column: every
		// column would be reported missing. One problem says it.
		c.file = append(c.file, Problem{Line: 1, Rule: NoHeader})
		return false
	}
	if tooLong || len(line) > MaxRowChars && JavaLength(line) > MaxRowChars {
		c.file = append(c.file, Problem{Line: 1, Rule: RowLength})
		return false
	}
	if !utf8.Valid(line) {
		c.file = append(c.file, Problem{Line: 1, Rule: UTF8})
		return false
	}
	fields := Split(line, nil)
	c.header = make([]string, len(fields))
	c.index = make(map[string]int, len(fields))
	pool := make(map[string]bool, len(c.rules.Header))
	for _, h := range c.rules.Header {
		pool[h] = true
	}
	for i, f := range fields {
		name := string(f)
		c.header[i] = name
		switch _, dup := c.index[name]; {
		case dup:
			c.file = append(c.file, Problem{Line: 1, Column: name, Rule: DuplicateColumn})
		case !pool[name]:
			c.file = append(c.file, Problem{Line: 1, Column: name, Rule: UnknownColumn})
			c.index[name] = i
		default:
			c.index[name] = i
		}
	}
	for _, h := range c.rules.Header {
		if _, ok := c.index[h]; !ok {
			c.file = append(c.file, Problem{Line: 1, Column: h, Rule: MissingColumn})
		}
	}
	if len(c.file) > 0 {
		return false
	}
	c.username = c.Index(ColUsername)
	c.mfa = c.Index(ColMFAEnabled)
	c.email = c.Index(ColEmail)
	c.emailVerified = c.Index(ColEmailVerified)
	c.phone = c.Index(ColPhoneNumber)
	c.phoneVerified = c.Index(ColPhoneNumberVerified)
	c.birthdate = c.Index(ColBirthdate)
	c.updatedAt = c.Index(ColUpdatedAt)
	auto := c.rules.AutoVerified
	if len(auto) == 0 {
		auto = []string{ColEmail, ColPhoneNumber}
	}
	for _, a := range auto {
		if i := c.Index(a + "_verified"); i >= 0 {
			c.autoVerified = append(c.autoVerified, i)
		}
	}
	if len(c.autoVerified) == 0 {
		// No auto-verified attribute the header knows: the generic rule.
		for _, i := range []int{c.emailVerified, c.phoneVerified} {
			if i >= 0 {
				c.autoVerified = append(c.autoVerified, i)
			}
		}
	}
	for _, r := range c.rules.Required {
		if i := c.Index(r); i >= 0 {
			c.required = append(c.required, i)
		}
	}
	c.fields = make([][]byte, 0, len(c.header))
	return true
}

// JavaLength returns b's length in UTF-16 code units, an invalid byte
// counting one.
func JavaLength(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

func (c *Checker) add(column string, r Rule) {
	c.problems = append(c.problems, Problem{Line: c.line, Column: column, Rule: r})
}

func (c *Checker) value(i int) []byte {
	if i < 0 {
		return nil
	}
	return c.fields[i]
}

// tri is a boolean column's value: unset (empty), true, false or invalid.
type tri uint8

const (
	unset tri = iota
	isTrue
	isFalse
	invalid
)

func parseBool(b []byte) tri {
	switch {
	case len(b) == 0:
		return unset
	case len(b) == 4 && b[0]|0x20 == 't' && b[1]|0x20 == 'r' && b[2]|0x20 == 'u' && b[3]|0x20 == 'e':
		return isTrue
	case len(b) == 5 && b[0]|0x20 == 'f' && b[1]|0x20 == 'a' && b[2]|0x20 == 'l' && b[3]|0x20 == 's' && b[4]|0x20 == 'e':
		return isFalse
	}
	return invalid
}

func (c *Checker) checkRow(line []byte, tooLong bool) {
	c.problems = c.problems[:0]
	c.row = Row{Line: c.line}
	if tooLong || len(line) > MaxRowChars && JavaLength(line) > MaxRowChars {
		c.add("", RowLength)
		c.row.Problems = c.problems
		return
	}
	valid := utf8.Valid(line)
	c.fields = Split(line, c.fields)
	if len(c.fields) != len(c.header) {
		if !valid {
			c.add("", UTF8)
		}
		c.add("", ColumnCount)
		c.row.Problems = c.problems
		return
	}
	c.row.Fields = c.fields
	if !valid {
		for i, f := range c.fields {
			if !utf8.Valid(f) {
				c.add(c.header[i], UTF8)
			}
		}
	}

	username := c.value(c.username)
	mfa, ev, pv := c.value(c.mfa), c.value(c.emailVerified), c.value(c.phoneVerified)
	if len(username) == 0 {
		c.add(ColUsername, Required)
	}
	if len(mfa) == 0 {
		c.add(ColMFAEnabled, Required)
	}
	if len(ev) == 0 && len(pv) == 0 {
		c.add(ColEmailVerified, VerifiedRequired)
	}
	mfaV, evV, pvV := parseBool(mfa), parseBool(ev), parseBool(pv)
	if evV == invalid {
		c.add(ColEmailVerified, Boolean)
	}
	if pvV == invalid {
		c.add(ColPhoneNumberVerified, Boolean)
	}
	if mfaV == invalid {
		c.add(ColMFAEnabled, Boolean)
	}
	if HasSpace(username) {
		c.add(ColUsername, UsernameSpace)
	}
	if (evV != unset || pvV != unset) && evV != invalid && pvV != invalid {
		set := false
		for _, i := range c.autoVerified {
			if parseBool(c.fields[i]) == isTrue {
				set = true
				break
			}
		}
		if !set && len(c.autoVerified) > 0 {
			c.add(c.header[c.autoVerified[0]], AutoVerified)
		}
	}
	switch {
	case c.rules.MFA == MFAOn && mfaV == isFalse:
		c.add(ColMFAEnabled, MFARequired)
	case c.rules.MFA == MFAOff && mfaV == isTrue:
		c.add(ColMFAEnabled, MFADisabled)
	}
	email, phone := c.value(c.email), c.value(c.phone)
	if evV == isTrue && len(email) == 0 {
		c.add(ColEmail, EmailRequired)
	}
	if pvV == isTrue && len(phone) == 0 {
		c.add(ColPhoneNumber, PhoneRequired)
	}
	if len(phone) > 0 && !IsPhone(phone) {
		c.add(ColPhoneNumber, PhoneFormat)
	}
	if b := c.value(c.birthdate); len(b) > 0 && !isDate(b) {
		c.add(ColBirthdate, Birthdate)
	}
	if u := c.value(c.updatedAt); len(u) > 0 && !isEpoch(u) {
		c.add(ColUpdatedAt, UpdatedAt)
	}
	for _, i := range c.required {
		if len(c.fields[i]) > 0 {
			continue
		}
		switch {
		case i == c.username || i == c.mfa:
			continue // reported as Required
		case i == c.email && evV == isTrue, i == c.phone && pvV == isTrue:
			continue // reported as EmailRequired or PhoneRequired
		}
		c.add(c.header[i], PoolRequired)
	}
	// The first row that would be imported with a username claims it.
	switch {
	case len(username) == 0:
	case len(c.problems) == 0:
		if !c.names.Insert(username) {
			c.add(ColUsername, DuplicateUsername)
		}
	case c.names.Has(username):
		c.add(ColUsername, DuplicateUsername)
	}
	c.row.Problems = c.problems
}

// HasSpace reports whether s holds a white space character (Unicode's
// White_Space, as unicode.IsSpace): a username must not.
func HasSpace[T ~string | ~[]byte](s T) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			switch s[i] {
			case ' ', '\t', '\n', '\v', '\f', '\r':
				return true
			}
			i++
			continue
		}
		var b [utf8.UTFMax]byte
		r, size := utf8.DecodeRune(b[:copy(b[:], s[i:])])
		if unicode.IsSpace(r) {
			return true
		}
		i += size
	}
	return false
}

// IsPhone reports whether s is a phone number as the service takes it: +
// and one or more digits.
func IsPhone[T ~string | ~[]byte](s T) bool {
	if len(s) < 2 || s[0] != '+' {
		return false
	}
	return allDigits(s[1:])
}

func allDigits[T ~string | ~[]byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isEpoch reports whether b is a count of seconds that fits an int64.
func isEpoch(b []byte) bool {
	if len(b) == 0 || !allDigits(b) {
		return false
	}
	const max = "9223372036854775807"
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	return len(b) < len(max) || len(b) == len(max) && string(b) <= max
}

// isDate reports whether b is a real date written mm/dd/yyyy.
func isDate(b []byte) bool {
	if len(b) != 10 || b[2] != '/' || b[5] != '/' ||
		!allDigits(b[0:2]) || !allDigits(b[3:5]) || !allDigits(b[6:10]) {
		return false
	}
	m := int(b[0]-'0')*10 + int(b[1]-'0')
	d := int(b[3]-'0')*10 + int(b[4]-'0')
	y := int(b[6]-'0')*1000 + int(b[7]-'0')*100 + int(b[8]-'0')*10 + int(b[9]-'0')
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, y)
}

// daysIn returns the number of days of month m (1-12) of year y in the
// Gregorian calendar.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
