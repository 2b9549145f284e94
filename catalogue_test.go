package cognitoimport_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
)

// The catalogue of bad inputs: each one, sent through a Client, must come
// back as a *ValidationError that names the member and the rule it breaks,
// and none of them may reach the server.

const okRole = testRoleARN

type badInput struct {
	name   string
	create *cognitoimport.CreateJobInput // one of create and list
	list   *cognitoimport.ListJobsInput
	member string
	rule   cognitoimport.Constraint
}

func badPool(name, pool string, rule cognitoimport.Constraint) []badInput {
	return []badInput{
		{name: "create: " + name, create: &cognitoimport.CreateJobInput{UserPoolID: pool, JobName: "job", CloudWatchLogsRoleARN: okRole}, member: "UserPoolId", rule: rule},
		{name: "list: " + name, list: &cognitoimport.ListJobsInput{UserPoolID: pool}, member: "UserPoolId", rule: rule},
	}
}

func badName(name, jobName string, rule cognitoimport.Constraint) badInput {
	return badInput{name: name, create: &cognitoimport.CreateJobInput{UserPoolID: testPool, JobName: jobName, CloudWatchLogsRoleARN: okRole}, member: "JobName", rule: rule}
}

func badRole(name, role string, rule cognitoimport.Constraint) badInput {
	return badInput{name: name, create: &cognitoimport.CreateJobInput{UserPoolID: testPool, JobName: "job", CloudWatchLogsRoleARN: role}, member: "CloudWatchLogsRoleArn", rule: rule}
}

func badMax(name string, max int32) badInput {
	rule := cognitoimport.ConstraintMaxValue
	if max < 1 {
		rule = cognitoimport.ConstraintMinValue
	}
	return badInput{name: name, list: &cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: max}, member: "MaxResults", rule: rule}
}

func badToken(name, token string, rule cognitoimport.Constraint) badInput {
	return badInput{name: name, list: &cognitoimport.ListJobsInput{UserPoolID: testPool, PaginationToken: token}, member: "PaginationToken", rule: rule}
}

func badInputs() []badInput {
	var c []badInput
	for _, p := range []struct {
		name, pool string
		rule       cognitoimport.Constraint
	}{
		{"pool empty", "", cognitoimport.ConstraintRequired},
		{"pool 56 characters", strings.Repeat("a", 54) + "_b", cognitoimport.ConstraintMaxLength},
		{"pool leading space", " us-east-1_abc", cognitoimport.ConstraintPattern},
		{"pool trailing space", "us-east-1_abc ", cognitoimport.ConstraintPattern},
		{"pool tab", "us-east-1_a\tbc", cognitoimport.ConstraintPattern},
		{"pool vertical tab", "us-east-1_a\vbc", cognitoimport.ConstraintPattern},
		{"pool newline", "us-east-1_abc\n", cognitoimport.ConstraintPattern},
		{"pool NUL", "us-east-1_abc\x00", cognitoimport.ConstraintPattern},
		{"pool no underscore", "useast1abc", cognitoimport.ConstraintPattern},
		{"pool nothing after underscore", "us-east-1_", cognitoimport.ConstraintPattern},
		{"pool nothing before underscore", "_abc", cognitoimport.ConstraintPattern},
		{"pool dash after underscore", "us-east-1_ab-c", cognitoimport.ConstraintPattern},
		{"pool non-ASCII letter", "us-east-1_abç", cognitoimport.ConstraintPattern},
		{"pool non-ASCII space", "us-east-1_a\u00a0bc", cognitoimport.ConstraintPattern},
		{"pool invalid UTF-8", "us-east-1_ab\xff", cognitoimport.ConstraintUTF8},
	} {
		c = append(c, badPool(p.name, p.pool, p.rule)...)
	}
	c = append(c,
		badName("name empty", "", cognitoimport.ConstraintRequired),
		badName("name 129 characters", strings.Repeat("n", 129), cognitoimport.ConstraintMaxLength),
		badName("name slash", "nightly/import", cognitoimport.ConstraintPattern),
		badName("name hash", "import #1", cognitoimport.ConstraintPattern),
		badName("name NUL", "job\x00", cognitoimport.ConstraintPattern),
		badName("name non-ASCII letter", "jöb", cognitoimport.ConstraintPattern),
		badName("name non-ASCII space", "a\u3000b", cognitoimport.ConstraintPattern),
		badName("name no-break space", "a\u00a0b", cognitoimport.ConstraintPattern),
		badName("name emoji", "job😀", cognitoimport.ConstraintPattern),
		badName("name invalid UTF-8", "job\xc3", cognitoimport.ConstraintUTF8),

		badRole("role empty", "", cognitoimport.ConstraintRequired),
		badRole("role 19 characters", "arn:a:b::1:role/xyz", cognitoimport.ConstraintMinLength),
		badRole("role 2049 characters", "arn:aws:iam::123456789012:role/"+strings.Repeat("r", 2049-31), cognitoimport.ConstraintMaxLength),
		badRole("role no arn prefix", "aws:iam::123456789012:role/x", cognitoimport.ConstraintPattern),
		badRole("role upper-case ARN", "ARN:aws:iam::123456789012:role/x", cognitoimport.ConstraintPattern),
		badRole("role no partition", "arn::iam::123456789012:role/x", cognitoimport.ConstraintPattern),
		badRole("role no service", "arn:aws:::123456789012:role/x", cognitoimport.ConstraintPattern),
		badRole("role no account", "arn:aws:iam:::role/CognitoImport", cognitoimport.ConstraintPattern),
		badRole("role account not digits", "arn:aws:iam::12345678901a:role/x", cognitoimport.ConstraintPattern),
		badRole("role no resource", "arn:aws:iam::123456789012:", cognitoimport.ConstraintPattern),
		badRole("role resource missing its field", "arn:aws:iam::123456789012", cognitoimport.ConstraintPattern),
		badRole("role too many fields", "arn:aws:iam::123456789012:a:b:c:d", cognitoimport.ConstraintPattern),
		badRole("role empty extra field", "arn:aws:iam::123456789012:role:", cognitoimport.ConstraintPattern),
		badRole("role leading space", " arn:aws:iam::123456789012:role/x", cognitoimport.ConstraintPattern),
		badRole("role trailing newline", "arn:aws:iam::123456789012:role/x\n", cognitoimport.ConstraintPattern),
		badRole("role space inside", "arn:aws:iam::123456789012:role/Cognito Import", cognitoimport.ConstraintPattern),
		badRole("role non-ASCII", "arn:aws:iam::123456789012:role/Cögnito", cognitoimport.ConstraintPattern),
		badRole("role invalid UTF-8", "arn:aws:iam::123456789012:role/\xfe", cognitoimport.ConstraintUTF8),

		badMax("max results -1", -1),
		badMax("max results 61", 61),
		badMax("max results huge", math.MaxInt32),
		badMax("max results most negative", math.MinInt32),

		badToken("token space", "abc def", cognitoimport.ConstraintPattern),
		badToken("token only a space", " ", cognitoimport.ConstraintPattern),
		badToken("token tab", "abc\t", cognitoimport.ConstraintPattern),
		badToken("token vertical tab", "abc\vdef", cognitoimport.ConstraintPattern),
		badToken("token newline", "\nabc", cognitoimport.ConstraintPattern),
		badToken("token carriage return", "abc\r", cognitoimport.ConstraintPattern),
		badToken("token form feed", "abc\f", cognitoimport.ConstraintPattern),
		badToken("token invalid UTF-8", "abc\x80", cognitoimport.ConstraintUTF8),
	)
	return c
}

func TestBadInputCatalogue(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv)
	ctx := context.Background()
	cases := badInputs()
	if len(cases) < 50 {
		t.Fatalf("the catalogue has %d bad inputs, want at least 50", len(cases))
	}
	for _, tc := range cases {
		var errs []error
		if tc.create != nil {
			_, err := client.CreateJob(ctx, *tc.create)
			errs = append(errs, err, tc.create.Validate())
		} else {
			_, err := client.ListJobs(ctx, *tc.list)
			errs = append(errs, err)
			for _, err := range client.Jobs(ctx, *tc.list) {
				errs = append(errs, err)
			}
			for _, err := range client.Pages(ctx, *tc.list) {
				errs = append(errs, err)
			}
			errs = append(errs, tc.list.Validate())
		}
		for _, err := range errs {
			var ve *cognitoimport.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("%s: got %v, want a *ValidationError", tc.name, err)
				continue
			}
			found := false
			for _, v := range ve.Violations {
				found = found || v.Member == tc.member && v.Constraint == tc.rule
			}
			if !found {
				t.Errorf("%s: %v does not name %s breaking %s", tc.name, ve, tc.member, tc.rule)
			}
		}
	}
	checkRequests(t, srv, createOp, 0)
	checkRequests(t, srv, listOp, 0)
}

// TestBadInputCatalogueSurvivesWireEncoding sends the catalogue with
// client-side validation off, and checks what the SDK's JSON encoding does
// to each bad value: it must still reach the server as a bad value of the
// same member, so that the server refuses it with InvalidParameterException
// and names that member's field. (The server judges it with the same
// constraint table as the client, internal/constraint, so this does not
// show that the table is right; the cases from recorded service answers in
// cognitoimporttest do. It shows that no bad value is lost or mended on the
// way. Invalid UTF-8 arrives as U+FFFD, which the patterns refuse too,
// except PaginationToken's: see below.)
func TestBadInputCatalogueSurvivesWireEncoding(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv, cognitoimport.WithoutValidation())
	ctx := context.Background()
	for _, tc := range badInputs() {
		var err error
		if tc.create != nil {
			_, err = client.CreateJob(ctx, *tc.create, noRetry)
		} else {
			_, err = client.ListJobs(ctx, *tc.list, noRetry)
		}
		if !isA[*cognitoimport.InvalidParameterError](err) {
			t.Errorf("%s: the server answered %v, want InvalidParameterException", tc.name, err)
			continue
		}
		msg := as[*cognitoimport.ServiceError](t, err).Message
		if tc.member == "PaginationToken" && tc.rule == cognitoimport.ConstraintUTF8 {
			// The one bad value the encoding mends: the token arrives
			// with U+FFFD, which its pattern allows, so the server
			// refuses it as a token it never issued. The client's
			// UTF-8 rule is what catches it.
			continue
		}
		// The wire names members in lowerCamelCase: 'userPoolId'.
		field := strings.ToLower(tc.member[:1]) + tc.member[1:]
		if !strings.Contains(msg, "at '"+field+"'") {
			t.Errorf("%s: the server's message does not name the field %s: %s", tc.name, field, msg)
		}
	}
}
