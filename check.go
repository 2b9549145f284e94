package cognitoimport

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// FileRule identifies a rule of the users file that CheckFile reports.
type FileRule uint8

// The rules. The first seven fail the whole file (the service fails the
// job); the others fail one row (the service logs "[FAILED] Line Number N"
// and goes on). A row's problems are reported in this order.
const (
	FileRuleNoHeader          = FileRule(usersfile.NoHeader)          // the file is empty, or its first line is blank
	FileRuleBOM               = FileRule(usersfile.BOM)               // the file starts with a byte order mark
	FileRuleMissingColumn     = FileRule(usersfile.MissingColumn)     // a pool column is not in the header
	FileRuleUnknownColumn     = FileRule(usersfile.UnknownColumn)     // a header column is not the pool's
	FileRuleDuplicateColumn   = FileRule(usersfile.DuplicateColumn)   // a header column appears twice
	FileRuleTooLarge          = FileRule(usersfile.FileSize)          // the file is over 100 MB
	FileRuleTooManyUsers      = FileRule(usersfile.TooManyUsers)      // the file has over 500,000 users
	FileRuleRowLength         = FileRule(usersfile.RowLength)         // a row is over 16,000 characters
	FileRuleUTF8              = FileRule(usersfile.UTF8)              // a value (or the header) is not UTF-8
	FileRuleColumnCount       = FileRule(usersfile.ColumnCount)       // a row's value count differs from the header's
	FileRuleRequired          = FileRule(usersfile.Required)          // cognito:username or cognito:mfa_enabled is empty
	FileRuleVerifiedRequired  = FileRule(usersfile.VerifiedRequired)  // email_verified and phone_number_verified are empty
	FileRuleBoolean           = FileRule(usersfile.Boolean)           // a boolean is not TRUE or FALSE
	FileRuleUsernameSpace     = FileRule(usersfile.UsernameSpace)     // the username holds white space
	FileRuleAutoVerified      = FileRule(usersfile.AutoVerified)      // no auto-verified attribute is verified
	FileRuleMFARequired       = FileRule(usersfile.MFARequired)       // the pool requires MFA, the row says FALSE
	FileRuleMFADisabled       = FileRule(usersfile.MFADisabled)       // MFA is off, the row says TRUE
	FileRuleEmailRequired     = FileRule(usersfile.EmailRequired)     // email_verified TRUE without an email
	FileRulePhoneRequired     = FileRule(usersfile.PhoneRequired)     // phone_number_verified TRUE without a phone_number
	FileRulePhoneFormat       = FileRule(usersfile.PhoneFormat)       // phone_number is not + and digits
	FileRuleBirthdate         = FileRule(usersfile.Birthdate)         // birthdate is not a real date mm/dd/yyyy
	FileRuleUpdatedAt         = FileRule(usersfile.UpdatedAt)         // updated_at is not epoch seconds
	FileRulePoolRequired      = FileRule(usersfile.PoolRequired)      // an attribute the pool requires is empty
	FileRuleDuplicateUsername = FileRule(usersfile.DuplicateUsername) // the username is on an earlier row
)

// String returns the rule's short, stable name, e.g. "birthdate-format".
func (r FileRule) String() string { return usersfile.Rule(r).String() }

// WholeFile reports whether r fails the whole file rather than one row. A
// problem in the header (line 1) fails the whole file too, whatever its rule
// (FileRuleUTF8, FileRuleRowLength).
func (r FileRule) WholeFile() bool { return usersfile.Rule(r).Info().File }

// FileProblem is one broken rule of a users file.
type FileProblem struct {
	Line    int    // 1-based line of the file, the header being line 1
	Column  string // the column, or "" for a whole row or file
	Rule    FileRule
	Message string // what is wrong, without the line; it names the column when it needs to
}

// String returns "line N: message", with the column before the message
// when the message does not name it: "line 3: nickname: a value is not valid
// UTF-8".
func (p FileProblem) String() string {
	var b strings.Builder
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(p.Line))
	b.WriteString(": ")
	if p.Column != "" && !strings.Contains(p.Message, p.Column) {
		b.WriteString(p.Column)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// FileError is every problem CheckFile found in a users file.
type FileError struct {
	// Problems in the order of the file, at most CheckOptions.MaxProblems.
	Problems []FileProblem
	// Total counts every problem found, including those not in Problems.
	Total int
	// Users is the number of users the check read: the file's, unless a
	// problem of the whole file (the header, a limit) ended the check.
	Users int
}

// Error lists the first problems and says how many there are.
// It never panics, not even on a nil *FileError.
func (e *FileError) Error() string {
	if e == nil {
		return "cognitoimport: users file: <nil>"
	}
	const shown = 5
	var b strings.Builder
	b.WriteString("cognitoimport: users file: ")
	b.WriteString(strconv.Itoa(e.Total))
	if e.Total == 1 {
		b.WriteString(" problem: ")
	} else {
		b.WriteString(" problems: ")
	}
	for i, p := range e.Problems {
		if i == shown {
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	if more := e.Total - min(len(e.Problems), shown); more > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	return b.String()
}

// CheckOptions tunes CheckFile.
type CheckOptions struct {
	// MaxProblems caps FileError.Problems; 0 means 100, a negative value
	// means no cap. FileError.Total counts every problem either way.
	MaxProblems int
}

// DefaultMaxProblems is CheckOptions.MaxProblems when it is 0.
const DefaultMaxProblems = 100

// CheckFile reads a users file from r and checks it against the pool's
// rules, in the order the service would, streaming: memory stays constant
// apart from the set of usernames seen (under 64 MB for 500,000 users).
//
// It returns the number of users (rows after the header, empty lines not
// counted) and, when any rule is broken, a *FileError with every problem
// (errors.As matches it). A problem in the header, or a file over 100 MB or
// 500,000 users, ends the check there: the service would fail the whole job.
// A failure to read r is returned as it is, wrapped.
//
// The rules are those of the test server (package cognitoimporttest), which
// reads files through the same code; where the service's behaviour is not
// documented (a backslash before anything but a comma, the case of TRUE and
// FALSE, a username repeated within the file, an empty line) the server's
// documented choices apply. Users who already exist in the pool are skipped
// by the service: a check of the file alone cannot know them.
func CheckFile(r io.Reader, rules PoolSettings, opts CheckOptions) (users int, err error) {
	return checkFile(r, rules.internal(), opts)
}

// checkFile is CheckFile with the shared checker's rules, whose limits a test
// may lower (export_test.go) to reach them with a small file.
func checkFile(r io.Reader, rules usersfile.Rules, opts CheckOptions) (users int, err error) {
	max := opts.MaxProblems
	if max == 0 {
		max = DefaultMaxProblems
	}
	var fe FileError
	report := func(ps []usersfile.Problem) { addProblems(&fe, max, ps) }
	c := usersfile.NewChecker(rules, r)
	for c.Next() {
		if row := c.Row(); !row.OK() {
			report(row.Problems)
		}
	}
	if err := c.Err(); err != nil {
		return c.Users(), fmt.Errorf("cognitoimport: reading the users file: %w", err)
	}
	report(c.FileProblems())
	if fe.Total > 0 {
		fe.Users = c.Users()
		return c.Users(), &fe
	}
	return c.Users(), nil
}

// addProblems adds ps to fe, keeping at most max (negative: all) in
// fe.Problems and counting every one in fe.Total.
func addProblems(fe *FileError, max int, ps []usersfile.Problem) {
	for _, p := range ps {
		fe.Total++
		if max < 0 || len(fe.Problems) < max {
			fe.Problems = append(fe.Problems, FileProblem{Line: p.Line, Column: p.Column, Rule: FileRule(p.Rule), Message: p.Message()})
		}
	}
}
