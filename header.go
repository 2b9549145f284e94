package cognitoimport

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

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
	}, optFns...)
	if err != nil {
		return nil, wrapError(constraint.GetCSVHeader, err)
	}
	return out.CSVHeader, nil
}

// describeUserPool is the operation PoolRules reads the pool's settings with.
const describeUserPool = "DescribeUserPool"

// PoolRules returns what a users file must satisfy to be imported into the
// pool: its header (from GetCSVHeader) and, from DescribeUserPool, its
// auto-verified attributes, MFA setting and the header's columns that the
// pool requires.
//
// When the caller may read the header but not describe the pool (the
// service answers DescribeUserPool with NotAuthorizedException or
// AccessDeniedException: the IAM policy allows
// cognito-idp:GetCSVHeader but not cognito-idp:DescribeUserPool), PoolRules
// returns the header with the generic rules and Described false, and a nil
// error: at least one of email_verified and phone_number_verified true per
// user, cognito:mfa_enabled TRUE or FALSE, no other required attribute. Any
// other failure is returned, with the zero PoolRules. optFns apply to both
// calls' SDK options.
//
// The result is a value, as CheckFile and ImportInput.Rules take it.
func (c *Client) PoolRules(ctx context.Context, userPoolID string, optFns ...func(*cognitoidentityprovider.Options)) (PoolRules, error) {
	header, err := c.CSVHeader(ctx, CSVHeaderInput{UserPoolID: userPoolID}, optFns...)
	if err != nil {
		return PoolRules{}, err
	}
	rules := PoolRules{UserPoolID: userPoolID, Header: header}
	out, err := c.api.DescribeUserPool(ctx, &cognitoidentityprovider.DescribeUserPoolInput{
		UserPoolId: aws.String(userPoolID),
	}, optFns...)
	if err != nil {
		err = wrapError(describeUserPool, err)
		if notAllowed(err) {
			return rules, nil
		}
		return PoolRules{}, err
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
