package cognitoimporttest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestGetCSVHeader(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: "us-east-1_Custom", CustomAttributes: []string{"dept", "custom:team"},
	}))
	client := newClient(srv)
	def := []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
		"website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
		"phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username"}
	custom := slices.Concat(def[:19], []string{"custom:dept", "custom:team"}, def[19:])
	for pool, want := range map[string][]string{testPool: def, "us-east-1_Custom": custom} {
		out, err := client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(pool)})
		if err != nil {
			t.Fatalf("GetCSVHeader(%s): %v", pool, err)
		}
		if !slices.Equal(out.CSVHeader, want) || aws.ToString(out.UserPoolId) != pool {
			t.Errorf("GetCSVHeader(%s) = %s %q, want %q", pool, aws.ToString(out.UserPoolId), out.CSVHeader, want)
		}
	}
	_, err := client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String("us-east-1_Nope")})
	apiError(t, err, "ResourceNotFoundException")
	_, err = client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String("bad pool")}, noRetry)
	apiError(t, err, "InvalidParameterException")
}

func TestDescribeUserPool(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: "us-east-1_Custom", Name: "staff", CustomAttributes: []string{"dept"},
		RequiredAttributes:     []string{"family_name", "custom:dept"},
		AutoVerifiedAttributes: []string{"email", "phone_number"}, MFA: cognitoimporttest.MFAOptional,
	}))
	client := newClient(srv)
	srv.AddUser("us-east-1_Custom", cognitoimporttest.User{Username: "existing"})

	out, err := client.DescribeUserPool(context.Background(), &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_Custom")})
	if err != nil {
		t.Fatal(err)
	}
	p := out.UserPool
	if aws.ToString(p.Id) != "us-east-1_Custom" || aws.ToString(p.Name) != "staff" || p.MfaConfiguration != types.UserPoolMfaTypeOptional || p.EstimatedNumberOfUsers != 1 {
		t.Errorf("pool = %s %s %s %d", aws.ToString(p.Id), aws.ToString(p.Name), p.MfaConfiguration, p.EstimatedNumberOfUsers)
	}
	if !slices.Equal(p.AutoVerifiedAttributes, []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber}) {
		t.Errorf("AutoVerifiedAttributes = %v", p.AutoVerifiedAttributes)
	}
	required := map[string]bool{}
	names := map[string]types.SchemaAttributeType{}
	for _, a := range p.SchemaAttributes {
		names[aws.ToString(a.Name)] = a
		if aws.ToBool(a.Required) {
			required[aws.ToString(a.Name)] = true
		}
	}
	if want := map[string]bool{"sub": true, "family_name": true, "custom:dept": true}; !mapsEqual(required, want) {
		t.Errorf("required = %v, want %v", required, want)
	}
	for _, n := range []string{"email", "email_verified", "phone_number", "birthdate", "updated_at", "custom:dept"} {
		if _, ok := names[n]; !ok {
			t.Errorf("schema lacks %s", n)
		}
	}
	if names["email_verified"].AttributeDataType != types.AttributeDataTypeBoolean || names["updated_at"].AttributeDataType != types.AttributeDataTypeNumber {
		t.Errorf("data types: %v %v", names["email_verified"].AttributeDataType, names["updated_at"].AttributeDataType)
	}

	def, err := client.DescribeUserPool(context.Background(), &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: aws.String(testPool)})
	if err != nil {
		t.Fatal(err)
	}
	if def.UserPool.MfaConfiguration != types.UserPoolMfaTypeOff || !slices.Equal(def.UserPool.AutoVerifiedAttributes, []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}) {
		t.Errorf("default pool: MFA %s, auto-verified %v", def.UserPool.MfaConfiguration, def.UserPool.AutoVerifiedAttributes)
	}
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
