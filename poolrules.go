package cognitoimport

import "github.com/cognitoimport/cognitoimport/internal/usersfile"

// MFAConfig is a user pool's MFA setting, as DescribeUserPool reports it.
type MFAConfig string

// The MFA settings. With MFAOn every user's cognito:mfa_enabled must be TRUE,
// with MFAOff FALSE, with MFAOptional either.
const (
	MFAOff      MFAConfig = "OFF"
	MFAOn       MFAConfig = "ON"
	MFAOptional MFAConfig = "OPTIONAL"
)

// PoolRules is what a users file must satisfy to be imported into one user
// pool: its columns and the pool settings that decide whether a row is
// imported. Client.PoolRules reads them from the service; DefaultPoolRules
// describes a pool created with the defaults; CheckFile applies them.
type PoolRules struct {
	UserPoolID string
	// Header is the pool's columns, in the service's order (GetCSVHeader).
	// Nil means the default pool's (DefaultPoolRules).
	Header []string
	// AutoVerifiedAttributes are "email" and/or "phone_number": each user
	// must set at least one of their *_verified columns TRUE. A pool with
	// none can start no job; the check then applies the generic rule.
	AutoVerifiedAttributes []string
	MFA                    MFAConfig
	// RequiredAttributes are the header columns the pool requires a value
	// in, e.g. "email", "custom:dept".
	RequiredAttributes []string
	// Described reports whether AutoVerifiedAttributes, MFA and
	// RequiredAttributes are known (read from DescribeUserPool, or set by
	// the caller). When it is false they are ignored and the generic rules
	// apply: at least one of email_verified and phone_number_verified TRUE,
	// cognito:mfa_enabled TRUE or FALSE, no required attributes.
	Described bool
}

// DefaultPoolRules returns the rules of a pool created with the defaults:
// the default header (no custom attributes), email auto-verified, MFA off,
// no required attributes beyond the file's own.
func DefaultPoolRules(userPoolID string) PoolRules {
	return PoolRules{
		UserPoolID:             userPoolID,
		Header:                 usersfile.DefaultHeader(),
		AutoVerifiedAttributes: []string{"email"},
		MFA:                    MFAOff,
		Described:              true,
	}
}

// internal returns the rules as the shared checker takes them. An MFA other
// than the three settings counts as not known: either value is accepted.
func (r PoolRules) internal() usersfile.Rules {
	rules := usersfile.Rules{Header: r.Header}
	if !r.Described {
		return rules
	}
	rules.AutoVerified = r.AutoVerifiedAttributes
	switch r.MFA {
	case MFAOff, MFAOn, MFAOptional:
		rules.MFA = usersfile.MFA(r.MFA)
	}
	rules.Required = r.RequiredAttributes
	return rules
}
