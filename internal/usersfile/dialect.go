package usersfile

import (
	"bytes"
	"unicode/utf8"
)

// isTrimmed reports whether c is one of the bytes the service trims from
// either end of a value: U+0000 to U+0020, as Java's String.trim.
func isTrimmed(c byte) bool { return c <= ' ' }

// Trim returns b without the leading and trailing bytes the service trims.
func Trim(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isTrimmed(b[i]) {
		i++
	}
	for j > i && isTrimmed(b[j-1]) {
		j--
	}
	return b[i:j]
}

// TrimString is Trim for a string.
func TrimString(s string) string {
	i, j := 0, len(s)
	for i < j && isTrimmed(s[i]) {
		i++
	}
	for j > i && isTrimmed(s[j-1]) {
		j--
	}
	return s[i:j]
}

// Split splits line, one row without its line break, into its values as the
// service reads them, appending them to fields[:0]: split on each comma not
// after a backslash, `\,` turned into a comma, each value trimmed. It
// rewrites line in place (removing the backslashes of `\,`) and the values
// are slices of it: no allocation beyond growing fields.
func Split(line []byte, fields [][]byte) [][]byte {
	fields = fields[:0]
	w := 0     // write position: line[:w] is the unescaped text so far
	start := 0 // start of the current value in line[:w]
	r := 0     // read position
	for {
		j := bytes.IndexByte(line[r:], ',')
		if j < 0 {
			if w != r {
				copy(line[w:], line[r:])
			}
			w += len(line) - r
			return append(fields, Trim(line[start:w]))
		}
		if j > 0 && line[r+j-1] == '\\' {
			// An escaped comma: drop the backslash, keep the comma.
			if w != r {
				copy(line[w:], line[r:r+j-1])
			}
			w += j - 1
			line[w] = ','
			w++
			r += j + 1
			continue
		}
		if w != r {
			copy(line[w:], line[r:r+j+1])
		}
		w += j
		fields = append(fields, Trim(line[start:w]))
		w++ // past the separator, so that w == r while nothing was unescaped
		r += j + 1
		start = w
	}
}

// AppendField appends v to dst escaped as the service reads it: each comma
// written `\,`. A v the service reads back differently makes Unwritable
// return a reason; AppendField does not check. If v ends in a backslash and
// is not the row's last value (last false), a space follows it, so that the
// backslash does not escape the separator: the service trims the space.
func AppendField(dst []byte, v string, last bool) []byte {
	for {
		i := indexComma(v)
		if i < 0 {
			break
		}
		dst = append(dst, v[:i]...)
		dst = append(dst, '\\', ',')
		v = v[i+1:]
	}
	dst = append(dst, v...)
	if !last && len(v) > 0 && v[len(v)-1] == '\\' {
		dst = append(dst, ' ')
	}
	return dst
}

// special marks the bytes AppendValue must look at: a comma, a line break,
// the start of a multi-byte character.
var special = func() (t [256]bool) {
	t[','], t['\n'], t['\r'] = true, true, true
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// AppendValue is AppendField and Check in one pass: it appends v, which must
// be trimmed, escaped, or returns dst as it was and why v cannot be written.
func AppendValue(dst []byte, v string, last bool) ([]byte, Writability) {
	n := len(dst)
	ascii := true
	start := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !special[c] {
			continue
		}
		switch c {
		case ',':
			dst = append(dst, v[start:i]...)
			dst = append(dst, '\\', ',')
			start = i + 1
		case '\n', '\r':
			return dst[:n], LineBreak
		default:
			ascii = false
		}
	}
	if !ascii && !utf8.ValidString(v) {
		return dst[:n], InvalidUTF8
	}
	if len(v) > 0 && (isTrimmed(v[0]) || isTrimmed(v[len(v)-1])) {
		return dst[:n], Untrimmed
	}
	dst = append(dst, v[start:]...)
	if !last && len(v) > 0 && v[len(v)-1] == '\\' {
		dst = append(dst, ' ')
	}
	return dst, Writable
}

// FieldLen returns len(AppendField(nil, v, last)) without writing.
func FieldLen(v string, last bool) int {
	n := len(v)
	for i := 0; i < len(v); i++ {
		if v[i] == ',' {
			n++
		}
	}
	if !last && len(v) > 0 && v[len(v)-1] == '\\' {
		n++
	}
	return n
}

func indexComma(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			return i
		}
	}
	return -1
}

// Writability says why a value cannot be written so that the service reads
// it back unchanged. The zero value means it can.
type Writability uint8

// The reasons a value cannot be written.
const (
	Writable    Writability = iota
	LineBreak               // the value holds a line feed or carriage return: it would end the row
	InvalidUTF8             // the value is not valid UTF-8
	Untrimmed               // the value starts or ends with white space, which the service trims
)

// String describes w for an error message.
func (w Writability) String() string {
	switch w {
	case Writable:
		return "writable"
	case LineBreak:
		return "a line break cannot be written inside a value (the service ends the row there)"
	case InvalidUTF8:
		return "not valid UTF-8"
	case Untrimmed:
		return "leading or trailing white space, which the service trims"
	}
	return "unknown"
}

// Check returns why v cannot be written as a value, or Writable. A value with
// leading or trailing white space is Untrimmed: trim it (TrimString) first.
func Check(v string) Writability {
	ascii := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\n' || c == '\r' {
			return LineBreak
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.ValidString(v) {
		return InvalidUTF8
	}
	if len(v) > 0 && (isTrimmed(v[0]) || isTrimmed(v[len(v)-1])) {
		return Untrimmed
	}
	return Writable
}
