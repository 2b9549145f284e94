// Package usersfile is the one table of the rules a Cognito users file must
// satisfy, with the dialect reader and writer's escaper they rest on.
//
// Both the client's checker (package cognitoimport) and the test server's
// import (package cognitoimporttest) read files through this package's
// Checker, so for every row the two come to the same outcome with the same
// reason by construction: the server adds only what needs the pool's state
// ("The user already exists.").
//
// # The dialect
//
// The service documents a comma-separated file that is not RFC 4180: values
// are never quoted and a comma inside a value is written `\,`. Where the
// service's behaviour is not documented, this package makes a choice, and the
// test server and the client's checker both follow it:
//
//   - A row ends at a line feed or at the file's end; a carriage return just
//     before either is dropped (LF and CRLF files read the same). A line break always ends a row: no
//     value can hold one. A lone carriage return elsewhere is part of the value.
//   - A row is split on every comma that does not follow a backslash. The pair
//     `\,` becomes a comma in the value; every other backslash is kept as it
//     is (`a\b` is the value a\b, `a\\,b` is the value a\,b). A double quote
//     has no special meaning.
//   - Each value is then trimmed of leading and trailing white space, as the
//     service documents. "White space" is what Java's String.trim removes: the
//     bytes U+0000 to U+0020 (the service runs on the JVM; an assumption).
//   - Line numbers count every line of the file from 1, the header included,
//     as the service's "Line Number N" log lines do. An empty line (nothing
//     between two line breaks but a carriage return) is not a row: it is skipped and not counted as
//     a user, though it keeps its line number.
//   - Booleans are TRUE or FALSE in any case (the guide's sample uses
//     TRUE/FALSE; case-insensitivity is the test server's choice).
//   - A username repeated within one file: the first row that would be
//     imported with it wins; each later row with it fails.
//   - A row's length is counted in characters as Java counts them (UTF-16
//     code units), without its line break.
//   - The 100 MB limit is 100 × 2^20 bytes, the whole file counted.
package usersfile

import "fmt"

// Column names the rules refer to.
const (
	ColUsername            = "cognito:username"
	ColMFAEnabled          = "cognito:mfa_enabled"
	ColEmail               = "email"
	ColEmailVerified       = "email_verified"
	ColPhoneNumber         = "phone_number"
	ColPhoneNumberVerified = "phone_number_verified"
	ColBirthdate           = "birthdate"
	ColUpdatedAt           = "updated_at"

	// CustomPrefix starts the column of every custom attribute.
	CustomPrefix = "custom:"
)

// DefaultHeader returns the columns of a pool without custom attributes, in
// the order GetCSVHeader returns them. The caller owns the slice.
func DefaultHeader() []string {
	return []string{
		"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
		"profile", "picture", "website", ColEmail, ColEmailVerified, "gender", ColBirthdate,
		"zoneinfo", "locale", ColPhoneNumber, ColPhoneNumberVerified, "address", ColUpdatedAt,
		ColMFAEnabled, ColUsername,
	}
}

// Limits the service documents.
const (
	MaxRowChars  = 16000              // characters per row, its line break excluded
	MaxFileBytes = 100 << 20          // bytes per file (100 MB)
	MaxUsers     = 500000             // users (rows after the header) per file
	maxLineBytes = 3*MaxRowChars + 16 // a longer line is too long whatever it holds
)

// MFA is a pool's MFA setting, as DescribeUserPool reports it.
type MFA string

// The MFA settings. The empty MFA means "not known": cognito:mfa_enabled must
// then be TRUE or FALSE, either.
const (
	MFAOff      MFA = "OFF"
	MFAOn       MFA = "ON"
	MFAOptional MFA = "OPTIONAL"
)

// Rule identifies one rule of the users file. The zero Rule is no rule.
type Rule uint8

// The rules. File rules (File true in their Info) fail the whole file; the
// others fail one row. A row's problems come in this order, and the service
// logs the first.
const (
	// File rules.
	NoHeader        Rule = iota + 1 // the file is empty, or its first line is blank
	BOM                             // the file starts with a UTF-8 byte order mark
	MissingColumn                   // a pool column is not in the header
	UnknownColumn                   // a header column is not one of the pool's
	DuplicateColumn                 // a header column appears twice
	FileSize                        // the file is over MaxFileBytes
	TooManyUsers                    // the file has over MaxUsers users

	// Row rules.
	RowLength         // the row is over MaxRowChars characters
	UTF8              // a value (or the header) is not valid UTF-8
	ColumnCount       // the row's value count is not the header's column count
	Required          // cognito:username or cognito:mfa_enabled is empty
	VerifiedRequired  // email_verified and phone_number_verified are both empty
	Boolean           // a boolean column holds other than TRUE or FALSE
	UsernameSpace     // the username holds white space
	AutoVerified      // no auto-verified attribute's *_verified is TRUE
	MFARequired       // the pool requires MFA and cognito:mfa_enabled is FALSE
	MFADisabled       // MFA is off in the pool and cognito:mfa_enabled is TRUE
	EmailRequired     // email_verified is TRUE and email is empty
	PhoneRequired     // phone_number_verified is TRUE and phone_number is empty
	PhoneFormat       // phone_number is not + and digits
	Birthdate         // birthdate is not a date written mm/dd/yyyy
	UpdatedAt         // updated_at is not a count of seconds since the epoch
	PoolRequired      // an attribute the pool requires is empty
	DuplicateUsername // the username is on an earlier row that would be imported

	numRules
)

// Info is what the table holds about one rule. Message and Reason contain %s
// where the rule names its column (PerColumn true).
type Info struct {
	Rule      Rule
	Name      string // short, stable, kebab-case: "birthdate-format"
	File      bool   // the rule fails the whole file, not one row
	PerColumn bool   // Message and Reason name the column
	Message   string // the client's message, lower case, no final period
	Reason    string // the reason the test server logs after "[FAILED] Line Number N - "
}

// Only AutoVerified's Reason is the service's own text (recorded in
// CloudWatch logs); the others are the test server's, in the same style.
var table = [numRules]Info{
	NoHeader:        {Name: "no-header", File: true, Message: "the first line is empty: it must be the header", Reason: "The file has no header row."},
	BOM:             {Name: "bom", File: true, Message: "the file starts with a byte order mark: write UTF-8 without one", Reason: "The file starts with a byte order mark."},
	MissingColumn:   {Name: "missing-column", File: true, PerColumn: true, Message: "the header lacks the pool's column %s", Reason: "The header does not contain the column %s."},
	UnknownColumn:   {Name: "unknown-column", File: true, PerColumn: true, Message: "the header has the column %s, which the pool does not have", Reason: "The header contains the column %s, which is not an attribute of the user pool."},
	DuplicateColumn: {Name: "duplicate-column", File: true, PerColumn: true, Message: "the header has the column %s more than once", Reason: "The header contains the column %s more than once."},
	FileSize:        {Name: "file-size", File: true, Message: "the file is larger than 100 MB", Reason: "The file is larger than 100 MB."},
	TooManyUsers:    {Name: "too-many-users", File: true, Message: "the file has more than 500,000 users", Reason: "The file contains more than 500000 users."},

	RowLength:         {Name: "row-length", Message: "the row is longer than 16,000 characters", Reason: "The User Record is longer than 16000 characters."},
	UTF8:              {Name: "utf8", Message: "a value is not valid UTF-8", Reason: "The User Record is not valid UTF-8."},
	ColumnCount:       {Name: "column-count", Message: "the row's number of values differs from the header's number of columns (write a comma inside a value as \\,)", Reason: "The User Record does not have the same number of attributes as the header."},
	Required:          {Name: "required", PerColumn: true, Message: "%s is required", Reason: "The User Record does not set the required attribute %s."},
	VerifiedRequired:  {Name: "verified-required", Message: "email_verified or phone_number_verified is required", Reason: "The User Record must set email_verified or phone_number_verified."},
	Boolean:           {Name: "boolean", PerColumn: true, Message: "%s must be TRUE or FALSE", Reason: "The attribute %s must be true or false."},
	UsernameSpace:     {Name: "username-space", Message: "the username contains white space", Reason: "The username must not contain white space."},
	AutoVerified:      {Name: "auto-verified", Message: "none of the pool's auto-verified attributes is verified (TRUE)", Reason: "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."},
	MFARequired:       {Name: "mfa-required", Message: "the pool requires MFA: cognito:mfa_enabled must be TRUE", Reason: "The user pool requires MFA, so cognito:mfa_enabled must be true."},
	MFADisabled:       {Name: "mfa-disabled", Message: "MFA is off in the pool: cognito:mfa_enabled must be FALSE", Reason: "MFA is not enabled for the user pool, so cognito:mfa_enabled must be false."},
	EmailRequired:     {Name: "email-required", Message: "email_verified is TRUE but email is empty", Reason: "The User Record sets email_verified to true without an email."},
	PhoneRequired:     {Name: "phone-required", Message: "phone_number_verified is TRUE but phone_number is empty", Reason: "The User Record sets phone_number_verified to true without a phone_number."},
	PhoneFormat:       {Name: "phone-format", Message: "phone_number must be + and digits only (E.164), e.g. +12345550100", Reason: "Invalid phone number format. (Example: +12345550100)."},
	Birthdate:         {Name: "birthdate-format", Message: "birthdate must be a date written mm/dd/yyyy", Reason: "The attribute birthdate must be a date in the format mm/dd/yyyy."},
	UpdatedAt:         {Name: "updated-at-format", Message: "updated_at must be a number of seconds since 1970-01-01 UTC", Reason: "The attribute updated_at must be a number of seconds since the epoch."},
	PoolRequired:      {Name: "pool-required", PerColumn: true, Message: "the pool requires a value for %s", Reason: "The User Record does not set %s, which the user pool requires."},
	DuplicateUsername: {Name: "duplicate-username", Message: "the username is on an earlier row", Reason: "The username appears on an earlier line of the file."},
}

func init() {
	for r := Rule(1); r < numRules; r++ {
		table[r].Rule = r
	}
}

// Table returns the table of rules, in Rule order. The caller must not modify it.
func Table() []Info { return table[1:] }

// Info returns the table's entry for r, or the zero Info for an unknown r.
func (r Rule) Info() Info {
	if r == 0 || r >= numRules {
		return Info{}
	}
	return table[r]
}

// String returns the rule's short name.
func (r Rule) String() string {
	if r == 0 || r >= numRules {
		return fmt.Sprintf("Constraint(%d)", uint8(r))
	}
	return table[r].Name
}

// Problem is one broken rule: where, which column (empty for a whole row or
// file) and which rule.
type Problem struct {
	Line   int // 1-based line of the file; the header is line 1
	Column string
	Rule   Rule
}

// Message returns the client's message for p, without its line.
func (p Problem) Message() string { return p.format(p.Rule.Info().Message) }

// Reason returns the text the test server logs for p after
// "[FAILED] Line Number N - ".
func (p Problem) Reason() string { return p.format(p.Rule.Info().Reason) }

func (p Problem) format(s string) string {
	if p.Rule.Info().PerColumn {
		return fmt.Sprintf(s, p.Column)
	}
	return s
}
