package cognitoimport

// This file is a placeholder owned by the users-file stream: the client
// workflow needs PoolRules for Client.PoolRules before that stream lands.
// The struct is exactly the contract's; the merge keeps the other stream's
// file.

// MFAConfig is a user pool's MFA setting, which decides what
// cognito:mfa_enabled may hold in a users file.
type MFAConfig string

// The MFA settings of a user pool.
const (
	MFAOff      MFAConfig = "OFF"
	MFAOn       MFAConfig = "ON"
	MFAOptional MFAConfig = "OPTIONAL"
)

// PoolRules is what a users file must satisfy to be imported into one pool.
type PoolRules struct {
	UserPoolID             string
	Header                 []string // the pool's columns, in the service's order
	AutoVerifiedAttributes []string // "email", "phone_number"
	MFA                    MFAConfig
	RequiredAttributes     []string // header column names the pool requires, e.g. "email", "custom:dept"
	Described              bool     // true: read from DescribeUserPool; false: header only, generic rules
}
