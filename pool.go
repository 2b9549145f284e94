package cognitoimport

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/cognitoimport/cognitoimport/internal/constraint"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// MFAConfig is a user pool's MFA setting, as DescribeUserPool reports it.
type MFAConfig string

// The MFA settings. With MFAOn every user's cognito:mfa_enabled must be TRUE,
// with MFAOff FALSE, with MFAOptional either.
const (
	MFAOff      MFAConfig = "OFF"
	MFAOn       MFAConfig = "ON"
	MFAOptional MFAConfig = "OPTIONAL"
)

// PoolSettings is what a users file must satisfy to be imported into one user
// pool: its columns and the pool settings that decide whether a row is
// imported. Client.PoolSettings reads them from the service; DefaultPoolSettings
// describes a pool created with the defaults; CheckFile applies them.
type PoolSettings struct {
	UserPoolID string
	// Header is the pool's columns, in the service's order (GetCSVHeader).
	// Nil means the default pool's (DefaultPoolSettings).
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

// DefaultPoolSettings returns the rules of a pool created with the defaults:
// the default header (no custom attributes), email auto-verified, MFA off,
// no required attributes beyond the file's own.
func DefaultPoolSettings(userPoolID string) PoolSettings {
	return PoolSettings{
		UserPoolID:             userPoolID,
		Header:                 usersfile.DefaultHeader(),
		AutoVerifiedAttributes: []string{"email"},
		MFA:                    MFAOff,
		Described:              true,
	}
}

// internal returns the rules as the shared checker takes them. An MFA other
// than the three settings counts as not known: either value is accepted.
func (r PoolSettings) internal() usersfile.Rules {
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

// CSVHeaderInput is the input of CSVHeader. Every member is required.
type CSVHeaderInput struct {
	UserPoolID string // the pool, such as "us-east-1_EXAMPLE"
}

// CSVHeader returns the columns a users file for the pool must have, in the
// order the service sends them, such as "name", "given_name", ...,
// "cognito:mfa_enabled", "cognito:username", with the pool's custom
// attributes as "custom:<name>". The file's first row names them in any
// order. It checks in first (unless the Client was made WithoutValidation)
// and sends nothing if in is not valid. optFns apply to this call's SDK
// options.
func (c *Client) CSVHeader(ctx context.Context, in CSVHeaderInput, optFns ...func(*cognitoidentityprovider.Options)) ([]string, error) {
	if c.validate {
		if err := in.Validate(); err != nil {
			return nil, err
		}
	}
	out, err := c.api.GetCSVHeader(ctx, &cognitoidentityprovider.GetCSVHeaderInput{
		UserPoolId: aws.String(in.UserPoolID),
	}, c.sdkOptions(optFns)...)
	if err != nil {
		return nil, wrapError(constraint.GetCSVHeader, err)
	}
	return out.CSVHeader, nil
}

// describeUserPool is the operation PoolSettings reads the pool's settings with.
const describeUserPool = "DescribeUserPool"

// PoolSettings returns what a users file must satisfy to be imported into the
// pool: its header (from GetCSVHeader) and, from DescribeUserPool, its
// auto-verified attributes, MFA setting and the header's columns that the
// pool requires.
//
// When the caller may read the header but not describe the pool (the
// service answers DescribeUserPool with NotAuthorizedException or
// AccessDeniedException: the IAM policy allows
// cognito-idp:GetCSVHeader but not cognito-idp:DescribeUserPool), PoolSettings
// returns the header with the generic rules and Described false, and a nil
// error: at least one of email_verified and phone_number_verified true per
// user, cognito:mfa_enabled TRUE or FALSE, no other required attribute. Any
// other failure is returned, with the zero PoolSettings. optFns apply to both
// calls' SDK options.
//
// The result is a value, as CheckFile and ImportInput.Rules take it.
func (c *Client) PoolSettings(ctx context.Context, userPoolID string, optFns ...func(*cognitoidentityprovider.Options)) (PoolSettings, error) {
	header, err := c.CSVHeader(ctx, CSVHeaderInput{UserPoolID: userPoolID}, optFns...)
	if err != nil {
		return PoolSettings{}, err
	}
	rules := PoolSettings{UserPoolID: userPoolID, Header: header}
	out, err := c.api.DescribeUserPool(ctx, &cognitoidentityprovider.DescribeUserPoolInput{
		UserPoolId: aws.String(userPoolID),
	}, c.sdkOptions(optFns)...)
	if err != nil {
		err = wrapError(describeUserPool, err)
		if notAllowed(err) {
			return rules, nil
		}
		return PoolSettings{}, err
	}
	pool := out.UserPool
	if pool == nil {
		return rules, nil // nothing to read: keep the generic rules
	}
	rules.Described = true
	for _, a := range pool.AutoVerifiedAttributes {
		rules.AutoVerifiedAttributes = append(rules.AutoVerifiedAttributes, string(a))
	}
	rules.MFA = MFAConfig(pool.MfaConfiguration)
	if rules.MFA == "" {
		rules.MFA = MFAOff // the service's default
	}
	for _, a := range pool.SchemaAttributes {
		name := aws.ToString(a.Name)
		if aws.ToBool(a.Required) && slices.Contains(header, name) {
			rules.RequiredAttributes = append(rules.RequiredAttributes, name)
		}
	}
	return rules, nil
}

// notAllowed reports whether err is the service's refusal of a call the
// caller's credentials may not make.
func notAllowed(err error) bool {
	var se *ServiceError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code {
	case "NotAuthorizedException", "AccessDeniedException", "AccessDenied", "UnauthorizedOperation":
		return true
	}
	return false
}

// PoolName returns the name of the user pool, which names the log group of
// its jobs (LogGroupName), with DescribeUserPool. optFns apply to the call.
func (c *Client) PoolName(ctx context.Context, userPoolID string, optFns ...func(*cognitoidentityprovider.Options)) (string, error) {
	out, err := c.api.DescribeUserPool(ctx, &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: aws.String(userPoolID)}, c.sdkOptions(optFns)...)
	if err != nil {
		return "", wrapError(describeUserPool, err)
	}
	if out.UserPool == nil || aws.ToString(out.UserPool.Name) == "" {
		return "", &opError{describeUserPool, errors.New("the response has no user pool name")}
	}
	return aws.ToString(out.UserPool.Name), nil
}
