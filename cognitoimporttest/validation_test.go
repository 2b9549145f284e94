package cognitoimporttest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The constraint phrases of the service's validation report.
const (
	patternPoolID  = `Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`
	patternJobName = `Member must satisfy regular expression pattern: [\w\s+=,.@-]+`
	patternRoleARN = `Member must satisfy regular expression pattern: arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`
	patternToken   = `Member must satisfy regular expression pattern: [\S]+`
	notNull        = "Member must not be null"
)

func minLen(n int) string { return fmt.Sprint("Member must have length greater than or equal to ", n) }
func maxLen(n int) string { return fmt.Sprint("Member must have length less than or equal to ", n) }
func minVal(n int) string { return fmt.Sprint("Member must have value greater than or equal to ", n) }
func maxVal(n int) string { return fmt.Sprint("Member must have value less than or equal to ", n) }

// bad is one entry of a validation report.
func bad(value, field, rule string) string {
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, field, rule)
}

func null(field string) string {
	return fmt.Sprintf("Value null at '%s' failed to satisfy constraint: %s", field, notNull)
}

// report is the message of an InvalidParameterException for violations.
func report(violations ...string) string {
	s := "s"
	if len(violations) == 1 {
		s = ""
	}
	return fmt.Sprintf("%d validation error%s detected: %s", len(violations), s, strings.Join(violations, "; "))
}

// checkInvalid checks that err is an InvalidParameterException with message
// want, or, for want "", that err is nil.
func checkInvalid(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("got %v, want success", err)
		}
		return
	}
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("got %v, want InvalidParameterException", err)
	}
	if got := ipe.ErrorMessage(); got != want {
		t.Errorf("message\n got %q\nwant %q", got, want)
	}
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

// poolOfLen returns a valid user pool ID of n characters, n >= 3.
func poolOfLen(n int) string { return "us-east-1_" + repeat("a", n-10) }

// arnOfLen returns an ARN that matches the pattern with n characters, n >= 12.
func arnOfLen(n int) string { return "arn:a:b::1:" + repeat("r", n-11) }

func TestValidateCreate(t *testing.T) {
	t.Parallel()
	const (
		fp = "userPoolId"
		fn = "jobName"
		fa = "cloudWatchLogsRoleArn"
	)
	// Each case sets one member (pool, job or arn) to value; the others
	// are valid.
	tests := []struct {
		name, member, value string
		want                string // the message; "" for success
	}{
		// UserPoolId: length 1..55 and [\w-]+_[0-9a-zA-Z]+.
		{"empty", "pool", "", report(bad("", fp, minLen(1)), bad("", fp, patternPoolID))},
		{"shortest match", "pool", "a_1", ""},
		{"length 55", "pool", poolOfLen(55), ""},
		{"length 56", "pool", poolOfLen(56), report(bad(poolOfLen(56), fp, maxLen(55)))},
		{"no separator", "pool", "abc", report(bad("abc", fp, patternPoolID))},
		{"underscores in head", "pool", "us_east_1_abc", ""},
		{"hyphen head", "pool", "-_a", ""},
		{"empty head", "pool", "_abc", report(bad("_abc", fp, patternPoolID))},
		{"empty tail", "pool", "us-east-1_", report(bad("us-east-1_", fp, patternPoolID))},
		{"hyphen in tail", "pool", "us-east-1_ab-c", report(bad("us-east-1_ab-c", fp, patternPoolID))},
		{"leading space", "pool", " us-east-1_abc", report(bad(" us-east-1_abc", fp, patternPoolID))},
		{"trailing newline", "pool", "us-east-1_abc\n", report(bad("us-east-1_abc\n", fp, patternPoolID))},
		{"non-ASCII tail", "pool", "us-east-1_abcé", report(bad("us-east-1_abcé", fp, patternPoolID))},
		{"non-ASCII head", "pool", "é_abc", report(bad("é_abc", fp, patternPoolID))},

		// JobName: length 1..128 and [\w\s+=,.@-]+ with Java's \s.
		{"empty", "job", "", report(bad("", fn, minLen(1)), bad("", fn, patternJobName))},
		{"length 1", "job", "a", ""},
		{"length 128", "job", repeat("n", 128), ""},
		{"length 129", "job", repeat("n", 129), report(bad(repeat("n", 129), fn, maxLen(128)))},
		{"punctuation", "job", "a+b=c,d.e@f-g_h 9", ""},
		{"whitespace", "job", "tab\tnewline\ncr\rff\f sp", ""},
		{"vertical tab is Java \\s", "job", "vt\x0bname", ""},
		{"only spaces", "job", "   ", ""},
		{"slash", "job", "a/b", report(bad("a/b", fn, patternJobName))},
		{"colon", "job", "a:b", report(bad("a:b", fn, patternJobName))},
		{"non-ASCII letter", "job", "café", report(bad("café", fn, patternJobName))},
		{"no-break space", "job", "a\u00a0b", report(bad("a\u00a0b", fn, patternJobName))},
		{"ideographic space", "job", "a\u3000b", report(bad("a\u3000b", fn, patternJobName))},
		{"too long and bad", "job", repeat("é", 129), report(bad(repeat("é", 129), fn, maxLen(128)), bad(repeat("é", 129), fn, patternJobName))},

		// CloudWatchLogsRoleArn: length 20..2048 and the ARN pattern.
		{"length 19", "arn", arnOfLen(19), report(bad(arnOfLen(19), fa, minLen(20)))},
		{"length 20", "arn", arnOfLen(20), ""},
		{"length 2048", "arn", arnOfLen(2048), ""},
		{"length 2049", "arn", arnOfLen(2049), report(bad(arnOfLen(2049)[:256]+"...", fa, maxLen(2048)))}, // quoted in part: TestValidationAnswerBounded
		{"empty", "arn", "", report(bad("", fa, minLen(20)), bad("", fa, patternRoleARN))},
		{"with region", "arn", "arn:aws:iam:us-east-1:123456789012:role/x", ""},
		{"seven fields", "arn", "arn:aws:iam::123456789012:role:path:x", ""},
		{"eight fields", "arn", "arn:aws:iam::123456789012:role:path:x:y", report(bad("arn:aws:iam::123456789012:role:path:x:y", fa, patternRoleARN))},
		{"no prefix", "arn", "aws:iam::123456789012:role/abc", report(bad("aws:iam::123456789012:role/abc", fa, patternRoleARN))},
		{"upper-case prefix", "arn", "ARN:aws:iam::123456789012:role/x", report(bad("ARN:aws:iam::123456789012:role/x", fa, patternRoleARN))},
		{"empty service", "arn", "arn:aws::us-east-1:123456789012:role/x", report(bad("arn:aws::us-east-1:123456789012:role/x", fa, patternRoleARN))},
		{"letter in account", "arn", "arn:aws:iam::12345678901a:role/x", report(bad("arn:aws:iam::12345678901a:role/x", fa, patternRoleARN))},
		{"empty account", "arn", "arn:aws:iam:::role/abcdefgh", report(bad("arn:aws:iam:::role/abcdefgh", fa, patternRoleARN))},
		{"trailing colon", "arn", "arn:aws:iam::123456789012:role/x:", report(bad("arn:aws:iam::123456789012:role/x:", fa, patternRoleARN))},
		{"space", "arn", "arn:aws:iam::123456789012:role/a b", report(bad("arn:aws:iam::123456789012:role/a b", fa, patternRoleARN))},
		{"non-ASCII", "arn", "arn:aws:iam::123456789012:role/é", report(bad("arn:aws:iam::123456789012:role/é", fa, patternRoleARN))},
	}

	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	for _, tt := range tests {
		in := &cognitoidentityprovider.CreateUserImportJobInput{
			UserPoolId:            aws.String(testPool),
			JobName:               aws.String("job"),
			CloudWatchLogsRoleArn: aws.String(testRoleARN),
		}
		switch tt.member {
		case "pool":
			in.UserPoolId = aws.String(tt.value)
			if tt.want == "" {
				srv.CreateUserPool(tt.value)
			}
		case "job":
			in.JobName = aws.String(tt.value)
		case "arn":
			in.CloudWatchLogsRoleArn = aws.String(tt.value)
		}
		t.Run(tt.member+" "+tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := client.CreateUserImportJob(context.Background(), in)
			checkInvalid(t, err, tt.want)
			if err == nil && (aws.ToString(out.UserImportJob.UserPoolId) != *in.UserPoolId ||
				aws.ToString(out.UserImportJob.JobName) != *in.JobName ||
				aws.ToString(out.UserImportJob.CloudWatchLogsRoleArn) != *in.CloudWatchLogsRoleArn) {
				t.Errorf("created %+v, want the job as asked", out.UserImportJob)
			}
		})
	}

	// Violations of several members are all reported, in the API
	// reference's order of the members.
	_, err := client.CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String("abc"),
		JobName:               aws.String("a/b"),
		CloudWatchLogsRoleArn: aws.String("arn:short"),
	})
	checkInvalid(t, err, report(
		bad("arn:short", fa, minLen(20)), bad("arn:short", fa, patternRoleARN),
		bad("a/b", fn, patternJobName),
		bad("abc", fp, patternPoolID)))
}

func TestValidateList(t *testing.T) {
	t.Parallel()
	const (
		fm = "maxResults"
		ft = "paginationToken"
		fp = "userPoolId"
	)
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	srv.SeedJobs(testPool, 3)
	client := newClient(srv, noRetry)
	first, err := listPage(context.Background(), client, testPool, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := aws.ToString(first.PaginationToken)

	const rejected = "rejected" // passes validation; the server never issued the token
	// Each case sets one member (max, token or pool); the others are valid.
	tests := []struct {
		name, member string
		max          int32
		value        string
		want         string // the message; "" for success, or rejected
	}{
		{"0", "max", 0, "", report(bad("0", fm, minVal(1)))},
		{"-1", "max", -1, "", report(bad("-1", fm, minVal(1)))},
		{"1", "max", 1, "", ""},
		{"60", "max", 60, "", ""},
		{"61", "max", 61, "", report(bad("61", fm, maxVal(60)))},
		{"int32 max", "max", 1<<31 - 1, "", report(bad("2147483647", fm, maxVal(60)))},

		{"issued", "token", 0, good, ""},
		{"empty", "token", 0, "", report(bad("", ft, minLen(1)), bad("", ft, patternToken))},
		{"length 1", "token", 0, "x", rejected},
		{"space", "token", 0, "a b", report(bad("a b", ft, patternToken))},
		{"tab", "token", 0, "\t", report(bad("\t", ft, patternToken))},
		{"vertical tab is Java \\s", "token", 0, good + "\x0b", report(bad(good+"\x0b", ft, patternToken))},
		{"no-break space is Java \\S", "token", 0, "\u00a0", rejected},
		{"ideographic space is Java \\S", "token", 0, "a\u3000b", rejected},

		{"pattern", "pool", 0, "abc", report(bad("abc", fp, patternPoolID))},
		{"length 56", "pool", 0, poolOfLen(56), report(bad(poolOfLen(56), fp, maxLen(55)))},
		{"empty", "pool", 0, "", report(bad("", fp, minLen(1)), bad("", fp, patternPoolID))},
	}
	for _, tt := range tests {
		in := &cognitoidentityprovider.ListUserImportJobsInput{UserPoolId: aws.String(testPool), MaxResults: aws.Int32(10)}
		switch tt.member {
		case "max":
			in.MaxResults = aws.Int32(tt.max)
		case "token":
			in.PaginationToken = aws.String(tt.value)
		case "pool":
			in.UserPoolId = aws.String(tt.value)
		}
		t.Run(tt.member+" "+tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := client.ListUserImportJobs(context.Background(), in)
			if tt.want == rejected {
				var ipe *types.InvalidParameterException
				if !errors.As(err, &ipe) || strings.Contains(ipe.ErrorMessage(), "validation error") {
					t.Fatalf("got %v, want InvalidParameterException for the token itself, not a validation report", err)
				}
				return
			}
			checkInvalid(t, err, tt.want)
			if err == nil && len(out.UserImportJobs) == 0 {
				t.Error("no jobs listed")
			}
		})
	}

	_, err = listPage(context.Background(), client, "abc", 61, aws.String(" "))
	checkInvalid(t, err, report(bad("61", fm, maxVal(60)), bad(" ", ft, patternToken), bad("abc", fp, patternPoolID)))
}

// TestValidationMessages spells a few messages out in full, as users quote
// them from the live service.
func TestValidationMessages(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv, noRetry)
	ctx := context.Background()

	_, err := listPage(ctx, client, "abc", 10, nil)
	checkInvalid(t, err, `1 validation error detected: Value 'abc' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)

	_, err = listPage(ctx, client, "abc", 0, nil)
	checkInvalid(t, err, `2 validation errors detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; `+
		`Value 'abc' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)

	_, err = client.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String(testPool),
		JobName:               aws.String(""),
		CloudWatchLogsRoleArn: aws.String(testRoleARN),
	})
	checkInvalid(t, err, `2 validation errors detected: Value '' at 'jobName' failed to satisfy constraint: Member must have length greater than or equal to 1; `+
		`Value '' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`)

	// Missing members are sent by hand: the SDK refuses to send a request
	// without a required member.
	resp := send(t, srv, newRaw(targetList, `{"UserPoolId":"`+testPool+`"}`))
	if msg := checkErrorMessage(t, resp, 400, "InvalidParameterException"); msg != "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null" {
		t.Errorf("message = %q", msg)
	}
}

// TestValidateMissingMembers sends requests without required members, or
// with them null, which only a hand-made request can do.
func TestValidateMissingMembers(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	tests := []struct {
		name, target, body, want string
	}{
		{"list no MaxResults", targetList, `{"UserPoolId":"` + testPool + `"}`, report(null("maxResults"))},
		{"list null MaxResults", targetList, `{"UserPoolId":"` + testPool + `","MaxResults":null}`, report(null("maxResults"))},
		{"list empty object", targetList, `{}`, report(null("maxResults"), null("userPoolId"))},
		{"list null token is absent", targetList, `{"MaxResults":5,"PaginationToken":null}`, report(null("userPoolId"))},
		{"create empty object", targetCreate, `{}`, report(null("cloudWatchLogsRoleArn"), null("jobName"), null("userPoolId"))},
		{"create null name", targetCreate, `{"UserPoolId":"` + testPool + `","JobName":null,"CloudWatchLogsRoleArn":"` + testRoleARN + `"}`, report(null("jobName"))},
		{"create missing and bad", targetCreate, `{"UserPoolId":"abc","JobName":"j"}`, report(null("cloudWatchLogsRoleArn"), bad("abc", "userPoolId", patternPoolID))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := send(t, srv, newRaw(tt.target, tt.body))
			if msg := checkErrorMessage(t, resp, 400, "InvalidParameterException"); msg != tt.want {
				t.Errorf("message\n got %q\nwant %q", msg, tt.want)
			}
		})
	}

	// The SDK itself refuses to send these: its own required-member check.
	client := newClient(srv)
	_, err := client.ListUserImportJobs(context.Background(), &cognitoidentityprovider.ListUserImportJobsInput{UserPoolId: aws.String(testPool)})
	var invalid smithy.InvalidParamsError
	if !errors.As(err, &invalid) {
		t.Errorf("SDK call without MaxResults: %v, want the SDK's smithy.InvalidParamsError", err)
	}
}

// TestValidationAnswerBounded: a validation report quotes at most the first
// 256 characters of a value, followed by "...", so that a huge value cannot
// make a huge answer: a JobName of almost 1 MiB of '<' (which
// encoding/json's HTML escaping would write as 6 bytes each) gets an answer
// of less than 1 KiB. The worst case: three huge members of control
// characters (6 bytes each in JSON, as is invalid UTF-8's U+FFFD), each
// breaking two rules, get 6 quotes of at most 1.5 KiB: less than 16 KiB.
func TestValidationAnswerBounded(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	// The answer quotes at most 256 characters of a value, whatever its
	// length: 64 KiB (an unbounded answer would be 800 KB) proves the bound
	// at a sixteenth of the cost, under the race detector, of a value as
	// long as the body limit allows.
	const huge = cognitoimporttest.MaxBodyBytes / 16
	prefix := repeat("<", 256) + "..."

	body := `{"UserPoolId":"` + testPool + `","JobName":"` + repeat("<", huge) + `","CloudWatchLogsRoleArn":"` + testRoleARN + `"}`
	resp := send(t, srv, newRaw(targetCreate, body))
	msg := checkErrorMessage(t, resp, 400, "InvalidParameterException")
	if want := report(bad(prefix, "jobName", maxLen(128)), bad(prefix, "jobName", patternJobName)); msg != want {
		t.Errorf("message\n got %q\nwant %q", msg, want)
	}
	if len(resp.Body) > 1024 {
		t.Errorf("the answer to a JobName of %d bytes has %d bytes, want at most 1 KiB", huge, len(resp.Body))
	}

	third := repeat(`\u0001`, huge/3/6)
	body = `{"UserPoolId":"` + third + `","JobName":"` + third + `","CloudWatchLogsRoleArn":"` + third + `"}`
	resp = send(t, srv, newRaw(targetCreate, body))
	msg = checkErrorMessage(t, resp, 400, "InvalidParameterException")
	if !strings.HasPrefix(msg, "6 validation errors detected: Value '"+repeat("\x01", 256)+"...' at 'cloudWatchLogsRoleArn'") {
		t.Errorf("message begins %q", msg[:min(len(msg), 300)])
	}
	if len(resp.Body) > 16*1024 {
		t.Errorf("the answer to three members of %d control characters has %d bytes, want at most 16 KiB", huge/3/6, len(resp.Body))
	}

	// A value of 256 characters is quoted whole; one more is cut.
	for n, want := range map[int]string{256: repeat("n", 256), 257: repeat("n", 256) + "..."} {
		_, err := newClient(srv, noRetry).CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
			UserPoolId: aws.String(testPool), JobName: aws.String(repeat("n", n)), CloudWatchLogsRoleArn: aws.String(testRoleARN),
		})
		checkInvalid(t, err, report(bad(want, "jobName", maxLen(128))))
	}
}
