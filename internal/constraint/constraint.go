// Package constraint is the one table of the input constraints that the
// Cognito API reference documents for CreateUserImportJob,
// ListUserImportJobs, GetCSVHeader, DescribeUserImportJob,
// StartUserImportJob and StopUserImportJob, with the checks that apply them.
//
// Both the client (package cognitoimport) and the test server
// (package cognitoimporttest) check inputs through this package, so the two
// can never disagree about a rule. The patterns are matched the way the
// service matches them: as full matches with java.util.regex semantics and no
// flags. They are hand-written, run in linear time and do not allocate.
package constraint

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// Rule names the kind of constraint a value broke.
type Rule uint8

// The rules, in the order in which a member's checks run.
const (
	Required  Rule = iota + 1 // the member is missing (the service says "must not be null")
	UTF8                      // the string is not valid UTF-8 (client side only: JSON cannot carry it)
	MinLength                 // fewer characters than Member.MinLen
	MaxLength                 // more characters than Member.MaxLen
	Pattern                   // the value is not a full match of Member.Pattern
	MinValue                  // an integer below Member.MinValue
	MaxValue                  // an integer above Member.MaxValue
	Enum                      // the value is not one of Member.Values
)

// Member is one request member and its documented constraints.
type Member struct {
	Name     string // the member as the request body spells it: "UserPoolId"
	Field    string // the member as the service's validation report spells it: "userPoolId"
	Required bool

	// String members. Lengths count characters as Java does (UTF-16 code
	// units); MaxLen 0 means no upper bound.
	MinLen, MaxLen int
	Pattern        string            // the documented pattern, for messages
	Example        string            // a valid value, for messages; "" when none helps
	match          func(string) bool // a full match of Pattern, Java semantics
	asciiOnly      bool              // Pattern admits ASCII characters only

	// Values, when not nil, are the only values an enum member takes.
	Values []string

	// Integer members.
	Integer            bool
	MinValue, MaxValue int64
}

// The members of the operations the package validates (CreateUserImportJob,
// ListUserImportJobs, GetCSVHeader, DescribeUserImportJob,
// StartUserImportJob, StopUserImportJob).
var (
	UserPoolID = &Member{
		Name: "UserPoolId", Field: "userPoolId", Required: true,
		MinLen: 1, MaxLen: 55, Pattern: `[\w-]+_[0-9a-zA-Z]+`, match: matchUserPoolID, asciiOnly: true,
		Example: "us-east-1_AbC123",
	}
	JobName = &Member{
		Name: "JobName", Field: "jobName", Required: true,
		MinLen: 1, MaxLen: 128, Pattern: `[\w\s+=,.@-]+`, match: matchJobName, asciiOnly: true,
	}
	CloudWatchLogsRoleArn = &Member{
		Name: "CloudWatchLogsRoleArn", Field: "cloudWatchLogsRoleArn", Required: true,
		MinLen: 20, MaxLen: 2048,
		Pattern: `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`,
		match:   matchRoleARN, asciiOnly: true,
		Example: "arn:aws:iam::123456789012:role/NAME",
	}
	MaxResults = &Member{
		Name: "MaxResults", Field: "maxResults", Required: true,
		Integer: true, MinValue: 1, MaxValue: 60,
	}
	PaginationToken = &Member{
		Name: "PaginationToken", Field: "paginationToken",
		MinLen: 1, Pattern: `[\S]+`, match: matchNonSpace,
	}
	JobID = &Member{
		Name: "JobId", Field: "jobId", Required: true,
		MinLen: 1, MaxLen: 55, Pattern: `import-[0-9a-zA-Z-]+`, match: matchJobID, asciiOnly: true,
		Example: "import-qQ0DCt2fRh",
	}
	// PasswordHashingAlgorithm is CreateUserImportJob's optional enum
	// (the service model from 2026, SDK v1.70.0 and later).
	PasswordHashingAlgorithm = &Member{
		Name: "PasswordHashingAlgorithm", Field: "passwordHashingAlgorithm",
		Values: []string{"BCRYPT", "SCRYPT", "ARGON2ID", "PBKDF2_SHA256"},
	}
)

// Operation names.
const (
	CreateUserImportJob   = "CreateUserImportJob"
	ListUserImportJobs    = "ListUserImportJobs"
	GetCSVHeader          = "GetCSVHeader"
	DescribeUserImportJob = "DescribeUserImportJob"
	StartUserImportJob    = "StartUserImportJob"
	StopUserImportJob     = "StopUserImportJob"
)

// Violation is one broken constraint.
type Violation struct {
	Member *Member
	Rule   Rule
	// Limit is the bound that was crossed, for the length and value rules.
	Limit int64
	// Value is the offending value as the request carried it (for integers,
	// in decimal); Null says the member was missing.
	Value string
	Null  bool
}

// CheckString appends to dst the violations of s, a string member's value;
// present is false when the member is missing. It allocates nothing when s is
// valid, and nothing beyond growing dst otherwise.
func (m *Member) CheckString(dst []Violation, s string, present bool) []Violation {
	if !present {
		return m.missing(dst)
	}
	// A full match of a pattern that admits only ASCII makes s ASCII, so
	// its length is its byte count: the common case costs one pass.
	matched := m.match == nil || m.match(s)
	n := len(s)
	if !matched || !m.asciiOnly {
		var ok bool
		if n, ok = Length(s); !ok {
			return append(dst, Violation{Member: m, Rule: UTF8, Value: s})
		}
	}
	if n < m.MinLen {
		dst = append(dst, Violation{Member: m, Rule: MinLength, Limit: int64(m.MinLen), Value: s})
	}
	if m.MaxLen > 0 && n > m.MaxLen {
		dst = append(dst, Violation{Member: m, Rule: MaxLength, Limit: int64(m.MaxLen), Value: s})
	}
	if !matched {
		dst = append(dst, Violation{Member: m, Rule: Pattern, Value: s})
	}
	if m.Values != nil && !slices.Contains(m.Values, s) {
		dst = append(dst, Violation{Member: m, Rule: Enum, Value: s})
	}
	return dst
}

// CheckInt appends to dst the violations of v, an integer member's value;
// present is false when the member is missing.
func (m *Member) CheckInt(dst []Violation, v int64, present bool) []Violation {
	if !present {
		return m.missing(dst)
	}
	if v < m.MinValue {
		dst = append(dst, Violation{Member: m, Rule: MinValue, Limit: m.MinValue, Value: strconv.FormatInt(v, 10)})
	}
	if v > m.MaxValue {
		dst = append(dst, Violation{Member: m, Rule: MaxValue, Limit: m.MaxValue, Value: strconv.FormatInt(v, 10)})
	}
	return dst
}

// missing appends the violation of a missing member, if it is required.
func (m *Member) missing(dst []Violation) []Violation {
	if m.Required {
		dst = append(dst, Violation{Member: m, Rule: Required, Null: true})
	}
	return dst
}

// Length returns the length of s as Java counts a String's characters (UTF-16
// code units), and false if s is not valid UTF-8.
func Length(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return n, false
		}
		if r >= 0x10000 {
			n += 2 // a surrogate pair
		} else {
			n++
		}
		i += size
	}
	return n, true
}

// Character classes, as java.util.regex defines them without flags: ASCII only.
const (
	classWord      = 1 << iota // \w: [a-zA-Z_0-9]
	classSpace                 // \s: [ \t\n\x0B\f\r]
	classJobName               // [\w\s+=,.@-]
	classARN                   // [\w+=/,.@-]
	classAlnum                 // [0-9a-zA-Z]
	classPoolHead              // [\w-]
	classJobIDTail             // [0-9a-zA-Z-]
)

var classes = func() (t [256]uint8) {
	for c := 0; c < 128; c++ {
		b := byte(c)
		alnum := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
		word := alnum || b == '_'
		space := b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r'
		var f uint8
		if alnum {
			f |= classAlnum
		}
		if word {
			f |= classWord | classPoolHead | classJobName | classARN
		}
		if space {
			f |= classSpace | classJobName
		}
		switch b {
		case '+', '=', ',', '.', '@', '-':
			f |= classJobName | classARN
		case '/':
			f |= classARN
		}
		if alnum || b == '-' {
			f |= classJobIDTail
		}
		if b == '-' {
			f |= classPoolHead
		}
		t[c] = f
	}
	return t
}()

// all reports whether every byte of s is in class. Bytes of non-ASCII
// characters are never in a class, as the Java classes are ASCII-only.
func all(s string, class uint8) bool {
	for i := 0; i < len(s); i++ {
		if classes[s[i]]&class == 0 {
			return false
		}
	}
	return true
}

// matchUserPoolID is `[\w-]+_[0-9a-zA-Z]+`. The tail cannot hold '_', so
// the separator is the last '_': the head before it is one or more of
// [\w-], the tail after it one or more of [0-9a-zA-Z].
func matchUserPoolID(s string) bool {
	sep := -1
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '_' {
			sep = i
			break
		}
	}
	return sep > 0 && sep < len(s)-1 &&
		all(s[:sep], classPoolHead) && all(s[sep+1:], classAlnum)
}

// matchJobID is `import-[0-9a-zA-Z-]+`: the literal prefix, then one or
// more of the tail's class. No backtracking is needed: the prefix is fixed.
func matchJobID(s string) bool {
	const prefix = "import-"
	return len(s) > len(prefix) && s[:len(prefix)] == prefix && all(s[len(prefix):], classJobIDTail)
}

// matchJobName is `[\w\s+=,.@-]+`.
func matchJobName(s string) bool { return s != "" && all(s, classJobName) }

// matchRoleARN is
// `arn:P+:P+:(P*)?:[0-9]+:P+(:P+)?(:P+)?` with P = [\w+=/,.@-]. P has no
// ':', so the value splits on ':' into "arn" and five to seven fields with
// no backtracking.
func matchRoleARN(s string) bool {
	const prefix = "arn:"
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return false
	}
	s = s[len(prefix):]
	field := 0
	for {
		end := 0
		for end < len(s) && s[end] != ':' {
			end++
		}
		f := s[:end]
		switch field {
		case 2: // the region: may be empty
			if !all(f, classARN) {
				return false
			}
		case 3: // the account: digits
			if f == "" || !allDigits(f) {
				return false
			}
		default:
			if f == "" || !all(f, classARN) {
				return false
			}
		}
		field++
		if end == len(s) {
			return field >= 5 && field <= 7
		}
		if field == 7 {
			return false
		}
		s = s[end+1:]
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// matchNonSpace is `[\S]+`: Java's \S is every character but the six ASCII
// spaces, so non-ASCII spaces such as U+00A0 match and U+000B does not.
func matchNonSpace(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if classes[s[i]]&classSpace != 0 {
			return false
		}
	}
	return true
}
