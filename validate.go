package cognitoimport

import (
	"strconv"
	"strings"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

// Constraint is the kind of documented constraint an input broke.
type Constraint uint8

// The rules. Lengths count characters as the service does (UTF-16 code
// units, so a character outside the Basic Multilingual Plane counts two);
// patterns are full matches with the service's java.util.regex semantics.
const (
	ConstraintRequired  = Constraint(constraint.Required)  // a required member is missing (empty)
	ConstraintUTF8      = Constraint(constraint.UTF8)      // a string is not valid UTF-8
	ConstraintMinLength = Constraint(constraint.MinLength) // shorter than Limit characters
	ConstraintMaxLength = Constraint(constraint.MaxLength) // longer than Limit characters
	ConstraintPattern   = Constraint(constraint.Pattern)   // not a full match of the member's pattern
	ConstraintMinValue  = Constraint(constraint.MinValue)  // an integer below Limit
	ConstraintMaxValue  = Constraint(constraint.MaxValue)  // an integer above Limit
	ConstraintEnum      = Constraint(constraint.Enum)      // not one of the member's values (Allowed)
)

// String returns the rule's name, such as "max length".
func (r Constraint) String() string {
	switch r {
	case ConstraintRequired:
		return "required"
	case ConstraintUTF8:
		return "UTF-8"
	case ConstraintMinLength:
		return "min length"
	case ConstraintMaxLength:
		return "max length"
	case ConstraintPattern:
		return "pattern"
	case ConstraintMinValue:
		return "min value"
	case ConstraintMaxValue:
		return "max value"
	case ConstraintEnum:
		return "enum"
	}
	return "Constraint(" + strconv.Itoa(int(r)) + ")"
}

// Violation is one constraint an input broke.
type Violation struct {
	// Member is the API member, as the API reference names it:
	// "UserPoolId", "JobName", "CloudWatchLogsRoleArn", "MaxResults",
	// "PaginationToken" or "JobId".
	Member     string
	Constraint Constraint
	// Limit is the bound that was crossed, for the length and value rules.
	Limit int64
	// Pattern is the member's documented pattern, for ConstraintPattern.
	Pattern string
	// Example is a valid value of the member, for ConstraintPattern; empty
	// when none helps.
	Example string
	// Allowed lists the member's values, separated by ", ", for
	// ConstraintEnum (a string, so that a Violation stays comparable).
	Allowed string
	// Value is the offending value (an integer in decimal); empty for
	// ConstraintRequired.
	Value string
}

// String describes the violation, such as
// `JobName must be at most 128 characters long (has 130)` or `UserPoolId
// must match [\w-]+_[0-9a-zA-Z]+ in full, such as us-east-1_AbC123; "x"
// does not`.
func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Member)
	switch v.Constraint {
	case ConstraintRequired:
		b.WriteString(" is required")
	case ConstraintUTF8:
		b.WriteString(" must be valid UTF-8")
	case ConstraintMinLength, ConstraintMaxLength:
		if v.Constraint == ConstraintMinLength {
			b.WriteString(" must be at least ")
		} else {
			b.WriteString(" must be at most ")
		}
		b.WriteString(strconv.FormatInt(v.Limit, 10))
		b.WriteString(" characters long (has ")
		n, _ := constraint.Length(v.Value)
		b.WriteString(strconv.Itoa(n))
		b.WriteString(")")
	case ConstraintPattern:
		b.WriteString(" must match ")
		b.WriteString(v.Pattern)
		b.WriteString(" in full")
		if v.Example != "" {
			b.WriteString(", such as ")
			b.WriteString(v.Example)
		}
		b.WriteString("; ")
		b.WriteString(quote(v.Value))
		b.WriteString(" does not")
	case ConstraintMinValue:
		b.WriteString(" must be at least ")
		b.WriteString(strconv.FormatInt(v.Limit, 10))
		b.WriteString(" (is " + v.Value + ")")
	case ConstraintMaxValue:
		b.WriteString(" must be at most ")
		b.WriteString(strconv.FormatInt(v.Limit, 10))
		b.WriteString(" (is " + v.Value + ")")
	case ConstraintEnum:
		b.WriteString(" must be one of ")
		b.WriteString(v.Allowed)
		b.WriteString("; ")
		b.WriteString(quote(v.Value))
		b.WriteString(" is not")
	default:
		b.WriteString(" breaks rule " + v.Constraint.String())
	}
	return b.String()
}

// quote quotes s as Go would, cut to its first 64 bytes.
func quote(s string) string {
	const most = 64
	if len(s) > most {
		return strconv.Quote(s[:most]) + "..."
	}
	return strconv.Quote(s)
}

// ValidationError reports every documented constraint an input broke. The
// client returns it before sending anything. Match it with errors.As.
type ValidationError struct {
	// Operation is the API operation the input was for:
	// "CreateUserImportJob", "ListUserImportJobs", "GetCSVHeader",
	// "DescribeUserImportJob", "StartUserImportJob" or "StopUserImportJob".
	Operation  string
	Violations []Violation // in the order of the API reference's members
}

// Error lists the violations, such as `cognitoimport: invalid
// CreateUserImportJob input: UserPoolId is required; JobName must be at
// most 128 characters long (has 130)`.
// It never panics, not even on a nil *ValidationError.
func (e *ValidationError) Error() string {
	if e == nil {
		return "cognitoimport: invalid input"
	}
	var b strings.Builder
	b.WriteString("cognitoimport: invalid ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(" ")
	}
	b.WriteString("input")
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		} else {
			b.WriteString(": ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// newValidationError returns nil when vs is empty, and otherwise a
// *ValidationError that holds a copy of vs.
func newValidationError(op string, vs []constraint.Violation) error {
	if len(vs) == 0 {
		return nil
	}
	e := &ValidationError{Operation: op, Violations: make([]Violation, len(vs))}
	for i, v := range vs {
		e.Violations[i] = Violation{Member: v.Member.Name, Constraint: Constraint(v.Rule), Limit: v.Limit, Value: v.Value}
		switch v.Rule {
		case constraint.Pattern:
			e.Violations[i].Pattern = v.Member.Pattern
			e.Violations[i].Example = v.Member.Example
		case constraint.Enum:
			e.Violations[i].Allowed = strings.Join(v.Member.Values, ", ")
		}
	}
	return e
}

// The inputs' Validate methods, one an operation. Each checks the members in
// the order of the API reference, so that the violations come in that order.

// Validate checks in against the documented constraints of
// CreateUserImportJob and returns a *ValidationError that names every
// violation, or nil. It allocates nothing when in is valid.
func (in CreateJobInput) Validate() error {
	var buf [8]constraint.Violation
	vs := constraint.CloudWatchLogsRoleArn.CheckString(buf[:0], in.CloudWatchLogsRoleARN, in.CloudWatchLogsRoleARN != "")
	vs = constraint.JobName.CheckString(vs, in.JobName, in.JobName != "")
	vs = constraint.PasswordHashingAlgorithm.CheckString(vs, string(in.PasswordHashingAlgorithm), in.PasswordHashingAlgorithm != "")
	vs = constraint.UserPoolID.CheckString(vs, in.UserPoolID, in.UserPoolID != "")
	return newValidationError(constraint.CreateUserImportJob, vs)
}

// Validate checks in against the documented constraints of
// ListUserImportJobs and returns a *ValidationError that names every
// violation, or nil. MaxResults 0 is valid: it means DefaultMaxResults. It
// allocates nothing when in is valid.
func (in ListJobsInput) Validate() error {
	var buf [8]constraint.Violation
	vs := constraint.MaxResults.CheckInt(buf[:0], int64(in.maxResults()), true)
	vs = constraint.PaginationToken.CheckString(vs, in.PaginationToken, in.PaginationToken != "")
	vs = constraint.UserPoolID.CheckString(vs, in.UserPoolID, in.UserPoolID != "")
	return newValidationError(constraint.ListUserImportJobs, vs)
}

// Validate checks in against the documented constraints of GetCSVHeader and
// returns a *ValidationError that names every violation, or nil.
func (in CSVHeaderInput) Validate() error {
	var buf [4]constraint.Violation
	vs := constraint.UserPoolID.CheckString(buf[:0], in.UserPoolID, in.UserPoolID != "")
	return newValidationError(constraint.GetCSVHeader, vs)
}

// Validate checks in against the documented constraints of
// DescribeUserImportJob and returns a *ValidationError that names every
// violation, or nil.
func (in DescribeJobInput) Validate() error {
	return validateJobRef(constraint.DescribeUserImportJob, in.UserPoolID, in.JobID)
}

// Validate checks in against the documented constraints of
// StartUserImportJob and returns a *ValidationError that names every
// violation, or nil.
func (in StartJobInput) Validate() error {
	return validateJobRef(constraint.StartUserImportJob, in.UserPoolID, in.JobID)
}

// Validate checks in against the documented constraints of
// StopUserImportJob and returns a *ValidationError that names every
// violation, or nil.
func (in StopJobInput) Validate() error {
	return validateJobRef(constraint.StopUserImportJob, in.UserPoolID, in.JobID)
}

// validateJobRef checks the two members that name a job, in the order of the
// API reference (JobId, then UserPoolId).
func validateJobRef(op, poolID, jobID string) error {
	var buf [8]constraint.Violation
	vs := constraint.JobID.CheckString(buf[:0], jobID, jobID != "")
	vs = constraint.UserPoolID.CheckString(vs, poolID, poolID != "")
	return newValidationError(op, vs)
}
