package cognitoimport_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// guideHeader is the default pool's header, in the order the service sends
// it.
var guideHeader = []string{
	"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
	"website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
	"phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username",
}

func TestCSVHeader(t *testing.T) {
	t.Parallel()
	const custom = "us-east-1_Custom1"
	srv := newServer(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: custom, CustomAttributes: []string{"dept"}}))
	client := newClient(srv)

	got, err := client.CSVHeader(t.Context(), cognitoimport.CSVHeaderInput{UserPoolID: testPool})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, guideHeader) {
		t.Errorf("CSVHeader = %q\nwant %q", got, guideHeader)
	}
	got, err = client.CSVHeader(t.Context(), cognitoimport.CSVHeaderInput{UserPoolID: custom}, noRetry)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got, "custom:dept") || !slices.Contains(got, "cognito:username") {
		t.Errorf("CSVHeader of a pool with custom:dept = %q", got)
	}

	_, err = client.CSVHeader(t.Context(), cognitoimport.CSVHeaderInput{UserPoolID: "us-east-1_Missing"})
	as[*cognitoimport.ResourceNotFoundError](t, err)
}

func TestPoolSettings(t *testing.T) {
	t.Parallel()
	const pool = "us-east-1_Rules1"
	srv := newServer(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: pool, CustomAttributes: []string{"dept"}, RequiredAttributes: []string{"family_name", "custom:dept"},
		AutoVerifiedAttributes: []string{"phone_number"}, MFA: cognitoimporttest.MFAOn,
	}))
	client := newClient(srv)

	rules, err := client.PoolSettings(t.Context(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if !rules.Described || rules.UserPoolID != pool || rules.MFA != cognitoimport.MFAOn {
		t.Errorf("PoolSettings = %+v, want Described, the pool's ID and MFA ON", rules)
	}
	if !slices.Equal(rules.AutoVerifiedAttributes, []string{"phone_number"}) {
		t.Errorf("AutoVerifiedAttributes = %q, want [phone_number]", rules.AutoVerifiedAttributes)
	}
	req := slices.Clone(rules.RequiredAttributes)
	slices.Sort(req)
	if !slices.Equal(req, []string{"custom:dept", "family_name"}) {
		t.Errorf("RequiredAttributes = %q, want custom:dept and family_name", rules.RequiredAttributes)
	}
	if !slices.Contains(rules.Header, "custom:dept") {
		t.Errorf("Header = %q, want custom:dept in it", rules.Header)
	}

	// The default pool: email auto-verified, MFA off, nothing required
	// among the header's columns.
	rules, err = client.PoolSettings(t.Context(), testPool)
	if err != nil {
		t.Fatal(err)
	}
	if !rules.Described || rules.MFA != cognitoimport.MFAOff || !slices.Equal(rules.AutoVerifiedAttributes, []string{"email"}) ||
		len(rules.RequiredAttributes) != 0 || !slices.Equal(rules.Header, guideHeader) {
		t.Errorf("PoolSettings(default pool) = %+v", rules)
	}
}

// TestPoolSettingsNotAllowed: a caller allowed GetCSVHeader but not
// DescribeUserPool gets the header with the generic rules; other failures
// are returned.
func TestPoolSettingsNotAllowed(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"NotAuthorizedException", "AccessDeniedException"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.FailNext(cognitoimporttest.DescribeUserPool, cognitoimporttest.Error{Code: code, Message: "not allowed"}, 1)
			rules, err := newClient(srv).PoolSettings(t.Context(), testPool, noRetry)
			if err != nil {
				t.Fatal(err)
			}
			if rules.Described || !slices.Equal(rules.Header, guideHeader) || rules.MFA != "" ||
				rules.AutoVerifiedAttributes != nil || rules.RequiredAttributes != nil {
				t.Errorf("PoolSettings = %+v, want the header alone with Described false", rules)
			}
		})
	}
	t.Run("other errors", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.FailNext(cognitoimporttest.DescribeUserPool, cognitoimporttest.Error{Code: "InternalErrorException", Message: "boom"}, 1)
		rules, err := newClient(srv).PoolSettings(t.Context(), testPool, noRetry)
		if rules.Header != nil || rules.UserPoolID != "" {
			t.Errorf("PoolSettings = %+v, want the zero PoolSettings", rules)
		}
		if se := as[*cognitoimport.ServiceError](t, err); se.Operation != "DescribeUserPool" || !isA[*cognitoimport.InternalError](err) {
			t.Errorf("err = %v, want an InternalError of DescribeUserPool", err)
		}
	})
	t.Run("header refused", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		srv.FailNext(cognitoimporttest.GetCSVHeader, cognitoimporttest.Error{Code: "NotAuthorizedException", Message: "no"}, 1)
		_, err := newClient(srv).PoolSettings(t.Context(), testPool, noRetry)
		as[*cognitoimport.NotAuthorizedError](t, err)
		checkRequests(t, srv, cognitoimporttest.DescribeUserPool, 0)
	})
}

// TestNewOperationsValidate: an invalid input is refused with a
// *ValidationError naming each member, and nothing is sent.
func TestNewOperationsValidate(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv)
	ctx := t.Context()
	long := "import-" + strings.Repeat("a", 49) // 56 characters
	for _, tc := range []struct {
		name    string
		call    func() error
		op      string
		members []string
	}{
		{"CSVHeader empty", func() error { _, err := client.CSVHeader(ctx, cognitoimport.CSVHeaderInput{}); return err }, "GetCSVHeader", []string{"UserPoolId"}},
		{"CSVHeader bad pool", func() error {
			_, err := client.CSVHeader(ctx, cognitoimport.CSVHeaderInput{UserPoolID: "nounderscore"})
			return err
		}, "GetCSVHeader", []string{"UserPoolId"}},
		{"PoolSettings bad pool", func() error { _, err := client.PoolSettings(ctx, " us-east-1_a"); return err }, "GetCSVHeader", []string{"UserPoolId"}},
		{"DescribeJob empty", func() error { _, err := client.DescribeJob(ctx, cognitoimport.DescribeJobInput{}); return err },
			"DescribeUserImportJob", []string{"JobId", "UserPoolId"}},
		{"DescribeJob long", func() error {
			_, err := client.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: long})
			return err
		}, "DescribeUserImportJob", []string{"JobId"}},
		{"StartJob pattern", func() error {
			_, err := client.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: testPool, JobID: "job-1"})
			return err
		}, "StartUserImportJob", []string{"JobId"}},
		{"StartJob prefix only", func() error {
			_, err := client.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: testPool, JobID: "import-"})
			return err
		}, "StartUserImportJob", []string{"JobId"}},
		{"StopJob underscore", func() error {
			_, err := client.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: testPool, JobID: "import-a_b"})
			return err
		}, "StopUserImportJob", []string{"JobId"}},
		{"Wait empty", func() error { _, err := client.Wait(ctx, cognitoimport.WaitInput{}); return err },
			"DescribeUserImportJob", []string{"JobId", "UserPoolId"}},
	} {
		err := tc.call()
		ve := as[*cognitoimport.ValidationError](t, err)
		var members []string
		for _, v := range ve.Violations {
			members = append(members, v.Member)
		}
		members = slices.Compact(members)
		if ve.Operation != tc.op || !slices.Equal(members, tc.members) {
			t.Errorf("%s: %v: got operation %s members %q, want %s %q", tc.name, err, ve.Operation, members, tc.op, tc.members)
		}
	}
	for _, op := range []cognitoimporttest.Operation{cognitoimporttest.GetCSVHeader, cognitoimporttest.DescribeUserImportJob,
		cognitoimporttest.StartUserImportJob, cognitoimporttest.StopUserImportJob} {
		checkRequests(t, srv, op, 0)
	}
	// The longest valid job ID is sent (and is not found).
	_, err := client.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: long[:55]})
	if !isA[*cognitoimport.ResourceNotFoundError](err) {
		t.Errorf("DescribeJob of a 55-character ID: %v, want ResourceNotFoundError", err)
	}
}

// TestNewOperationsErrors: each documented code of each new operation comes
// back as its type, with the operation named.
func TestNewOperationsErrors(t *testing.T) {
	t.Parallel()
	common := []string{"InternalErrorException", "InvalidParameterException", "NotAuthorizedException",
		"ResourceNotFoundException", "TooManyRequestsException", "OperationNotEnabledException"}
	ops := []struct {
		op    cognitoimporttest.Operation
		codes []string
		call  func(*cognitoimport.Client, *testing.T) error
	}{
		{cognitoimporttest.GetCSVHeader, common, func(c *cognitoimport.Client, t *testing.T) error {
			_, err := c.CSVHeader(t.Context(), cognitoimport.CSVHeaderInput{UserPoolID: testPool}, noRetry)
			return err
		}},
		{cognitoimporttest.DescribeUserImportJob, common, func(c *cognitoimport.Client, t *testing.T) error {
			_, err := c.DescribeJob(t.Context(), cognitoimport.DescribeJobInput{UserPoolID: testPool, JobID: "import-abc"}, noRetry)
			return err
		}},
		{cognitoimporttest.StartUserImportJob, append(slices.Clone(common), "PreconditionNotMetException"), func(c *cognitoimport.Client, t *testing.T) error {
			_, err := c.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: "import-abc"}, noRetry)
			return err
		}},
		{cognitoimporttest.StopUserImportJob, append(slices.Clone(common), "PreconditionNotMetException"), func(c *cognitoimport.Client, t *testing.T) error {
			_, err := c.StopJob(t.Context(), cognitoimport.StopJobInput{UserPoolID: testPool, JobID: "import-abc"}, noRetry)
			return err
		}},
	}
	srv := newServer(t)
	client := newClient(srv)
	for _, o := range ops {
		for _, code := range o.codes {
			srv.FailNext(o.op, cognitoimporttest.Error{Code: code, Message: "injected " + code, ReasonCode: "R"}, 1)
			err := o.call(client, t)
			se := as[*cognitoimport.ServiceError](t, err)
			if se.Operation != string(o.op) || se.Code != code || se.Message != "injected "+code || se.RequestID == "" {
				t.Errorf("%s %s: got %+v", o.op, code, se)
			}
			var ok bool
			switch code {
			case "InternalErrorException":
				ok = isA[*cognitoimport.InternalError](err) && se.StatusCode == 500
			case "InvalidParameterException":
				var ipe *cognitoimport.InvalidParameterError
				ok = errors.As(err, &ipe) && ipe.ReasonCode == "R"
			case "NotAuthorizedException":
				ok = isA[*cognitoimport.NotAuthorizedError](err)
			case "ResourceNotFoundException":
				ok = isA[*cognitoimport.ResourceNotFoundError](err)
			case "TooManyRequestsException":
				ok = isA[*cognitoimport.TooManyRequestsError](err) && cognitoimport.IsRetryable(err)
			case "OperationNotEnabledException":
				ok = isA[*cognitoimport.OperationNotEnabledError](err)
			case "PreconditionNotMetException":
				ok = isA[*cognitoimport.PreconditionNotMetError](err)
			}
			if !ok {
				t.Errorf("%s %s: %v (%T) is not its type", o.op, code, err, err)
			}
		}
	}
}
