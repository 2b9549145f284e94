package cognitoimport_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The documented patterns, copied from the API reference rather than from the
// package, so that a change to the package's table shows up here.
var documentedPatterns = map[string]string{
	"UserPoolId":            `[\w-]+_[0-9a-zA-Z]+`,
	"JobName":               `[\w\s+=,.@-]+`,
	"CloudWatchLogsRoleArn": `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`,
	"PaginationToken":       `[\S]+`,
}

// patternExamples are the valid values a pattern's violation shows, for
// the members whose pattern alone does not say what to write.
var patternExamples = map[string]string{
	"UserPoolId":            "us-east-1_AbC123",
	"CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/NAME",
	"JobId":                 "import-qQ0DCt2fRh",
}

// broken is one expected violation of a member whose value a case sets.
type broken struct {
	rule  cognitoimport.Constraint
	limit int64
}

var (
	required = broken{rule: cognitoimport.ConstraintRequired}
	badUTF8  = broken{rule: cognitoimport.ConstraintUTF8}
	pattern  = broken{rule: cognitoimport.ConstraintPattern}
)

func minLen(n int64) broken   { return broken{cognitoimport.ConstraintMinLength, n} }
func maxLen(n int64) broken   { return broken{cognitoimport.ConstraintMaxLength, n} }
func minValue(n int64) broken { return broken{cognitoimport.ConstraintMinValue, n} }
func maxValue(n int64) broken { return broken{cognitoimport.ConstraintMaxValue, n} }

// violation returns the Violation the package should report for member
// holding value: Value is empty for ConstraintRequired, Pattern and Example
// are set for ConstraintPattern only.
func violation(member, value string, b broken) cognitoimport.Violation {
	v := cognitoimport.Violation{Member: member, Constraint: b.rule, Limit: b.limit}
	if b.rule != cognitoimport.ConstraintRequired {
		v.Value = value
	}
	if b.rule == cognitoimport.ConstraintPattern {
		v.Pattern = documentedPatterns[member]
		v.Example = patternExamples[member]
	}
	return v
}

// memberCase is one value of one member; want is empty when it is valid.
//
// The minimum length of 1 of UserPoolId, JobName and PaginationToken cannot
// be broken on the client's side: an empty string is a missing member
// (ConstraintRequired, or no token). TestWithoutValidation shows the server's
// length rule for the empty strings sent as they are.
type memberCase struct {
	name  string
	value string
	want  []broken
}

func bs(b ...broken) []broken { return b }

// The 20-character role ARN, the shortest the length rule allows.
const shortestRoleARN = "arn:a:b::1:role/abcd"

var roleARNPrefix = "arn:aws:iam::123456789012:role/"

var userPoolIDCases = []memberCase{
	{"empty is missing", "", bs(required)},
	{"shortest", "a_b", nil},
	{"one character", "a", bs(pattern)},
	{"55 characters", strings.Repeat("a", 53) + "_b", nil},
	{"56 characters", strings.Repeat("a", 54) + "_b", bs(maxLen(55))},
	{"55 non-ASCII characters, 110 bytes", strings.Repeat("é", 53) + "_b", bs(pattern)},
	{"56 non-ASCII characters", strings.Repeat("é", 54) + "_b", bs(maxLen(55), pattern)},
	{"usual", "us-east-1_EXAMPLE", nil},
	{"underscores in the head", "us_east_1_EXAMPLE", nil},
	{"leading space", " us-east-1_EXAMPLE", bs(pattern)},
	{"trailing space", "us-east-1_EXAMPLE ", bs(pattern)},
	{"trailing newline", "us-east-1_EXAMPLE\n", bs(pattern)},
	{"no separator", "useast1EXAMPLE", bs(pattern)},
	{"empty head", "_EXAMPLE", bs(pattern)},
	{"empty tail", "us-east-1_", bs(pattern)},
	{"underscore at the end", "us-east-1_EXAMPLE_", bs(pattern)},
	{"hyphen in the tail", "us-east-1_EX-AMPLE", bs(pattern)},
	{"dot in the head", "us.east.1_EXAMPLE", bs(pattern)},
	{"non-ASCII letter in the tail", "us-east-1_EXÄMPLE", bs(pattern)},
	{"NUL", "us-east-1_EXAMPLE\x00", bs(pattern)},
	{"invalid UTF-8", "us-east-1_\xff", bs(badUTF8)},
}

var jobNameCases = []memberCase{
	{"empty is missing", "", bs(required)},
	{"one character", "a", nil},
	{"128 characters", strings.Repeat("a", 128), nil},
	{"129 characters", strings.Repeat("a", 129), bs(maxLen(128))},
	{"every symbol", "job+=,.@-_1", nil},
	{"Java white space", " \t\n\v\f\r", nil},
	{"vertical tab, which Go's \\s leaves out", "job\vname", nil},
	{"vertical tab alone", "\v", nil},
	{"leading and trailing space", " job ", nil},
	{"non-ASCII letter", "jöb", bs(pattern)},
	{"CJK", "名前", bs(pattern)},
	{"no-break space U+00A0", "job\u00a0name", bs(pattern)},
	{"ideographic space U+3000", "job\u3000name", bs(pattern)},
	{"next line U+0085", "job\u0085name", bs(pattern)},
	{"slash", "job/name", bs(pattern)},
	{"colon", "job:name", bs(pattern)},
	{"hash", "job#1", bs(pattern)},
	{"128 'é' is within the length", strings.Repeat("é", 128), bs(pattern)},
	{"129 'é'", strings.Repeat("é", 129), bs(maxLen(128), pattern)},
	// Lengths are UTF-16 code units, as the service counts them: a
	// character outside the Basic Multilingual Plane counts two.
	{"64 emoji are 128 code units", strings.Repeat("😀", 64), bs(pattern)},
	{"65 emoji are 130 code units", strings.Repeat("😀", 65), bs(maxLen(128), pattern)},
	{"invalid UTF-8", "job\xc3", bs(badUTF8)},
	{"invalid UTF-8, too long", strings.Repeat("a", 200) + "\xff", bs(badUTF8)},
}

var roleARNCases = []memberCase{
	{"empty is missing", "", bs(required)},
	{"20 characters", shortestRoleARN, nil},
	{"19 characters", shortestRoleARN[:19], bs(minLen(20))},
	{"too short and no match", "arn", bs(minLen(20), pattern)},
	{"2048 characters", roleARNPrefix + strings.Repeat("a", 2048-len(roleARNPrefix)), nil},
	{"2049 characters", roleARNPrefix + strings.Repeat("a", 2049-len(roleARNPrefix)), bs(maxLen(2048))},
	{"usual, empty region", testRoleARN, nil},
	{"with a region", "arn:aws:iam:us-east-1:123456789012:role/CognitoImport", nil},
	{"one more field", testRoleARN + ":extra1", nil},
	{"two more fields", testRoleARN + ":extra1:extra2", nil},
	{"three more fields", testRoleARN + ":extra1:extra2:extra3", bs(pattern)},
	{"empty extra field", testRoleARN + ":", bs(pattern)},
	{"no arn: prefix", "aws:iam::123456789012:role/CognitoImport", bs(pattern)},
	{"upper-case ARN", "ARN:aws:iam::123456789012:role/CognitoImport", bs(pattern)},
	{"missing partition", "arn::iam::123456789012:role/CognitoImport", bs(pattern)},
	{"missing service", "arn:aws:::123456789012:role/CognitoImport", bs(pattern)},
	{"missing account", "arn:aws:iam:::role/CognitoImport", bs(pattern)},
	{"non-digit account", "arn:aws:iam::12345678901a:role/CognitoImport", bs(pattern)},
	{"missing resource", "arn:aws:iam::123456789012", bs(pattern)},
	{"empty resource", "arn:aws:iam::123456789012:", bs(pattern)},
	{"space in the resource", "arn:aws:iam::123456789012:role/Cognito Import", bs(pattern)},
	{"non-ASCII letter", "arn:aws:iam::123456789012:role/CognitoImpört", bs(pattern)},
	{"leading space", " " + testRoleARN, bs(pattern)},
	{"trailing newline", testRoleARN + "\n", bs(pattern)},
	{"invalid UTF-8", testRoleARN + "\xff", bs(badUTF8)},
}

var paginationTokenCases = []memberCase{
	{"empty is absent", "", nil},
	{"one character", "a", nil},
	{"the sample's token", "us-west-2_EXAMPLE#import-example3#1667948397084", nil},
	{"long", strings.Repeat("t", 10000), nil},
	{"no-break space U+00A0", "\u00a0", nil},
	{"ideographic space U+3000", "\u3000", nil},
	{"next line U+0085", "tok\u0085en", nil},
	{"vertical tab", "\v", bs(pattern)},
	{"space", " ", bs(pattern)},
	{"tab", "\t", bs(pattern)},
	{"newline", "\n", bs(pattern)},
	{"carriage return", "tok\r", bs(pattern)},
	{"form feed", "\ftok", bs(pattern)},
	{"inner space", "tok en", bs(pattern)},
	{"invalid UTF-8", "tok\xff", bs(badUTF8)},
}

var maxResultsCases = []struct {
	name  string
	value int32
	want  []broken
}{
	{"0 means 60", 0, nil},
	{"1", 1, nil},
	{"7", 7, nil},
	{"60", 60, nil},
	{"-1", -1, bs(minValue(1))},
	{"61", 61, bs(maxValue(60))},
	{"MaxInt32", math.MaxInt32, bs(maxValue(60))},
	{"MinInt32", math.MinInt32, bs(minValue(1))},
}

type createCase struct {
	name string
	in   cognitoimport.CreateJobInput
	want []cognitoimport.Violation // empty: valid
}

func createCases() []createCase {
	var cases []createCase
	add := func(member string, c memberCase, set func(*cognitoimport.CreateJobInput)) {
		in := validCreateInput("nightly-import")
		set(&in)
		var want []cognitoimport.Violation
		for _, b := range c.want {
			want = append(want, violation(member, c.value, b))
		}
		cases = append(cases, createCase{member + "/" + c.name, in, want})
	}
	for _, c := range userPoolIDCases {
		add("UserPoolId", c, func(in *cognitoimport.CreateJobInput) { in.UserPoolID = c.value })
	}
	for _, c := range jobNameCases {
		add("JobName", c, func(in *cognitoimport.CreateJobInput) { in.JobName = c.value })
	}
	for _, c := range roleARNCases {
		add("CloudWatchLogsRoleArn", c, func(in *cognitoimport.CreateJobInput) { in.CloudWatchLogsRoleARN = c.value })
	}
	// Several violations: all of them, in the API reference's member order.
	longName := strings.Repeat("é", 129)
	return append(cases,
		createCase{"several/all missing", cognitoimport.CreateJobInput{}, []cognitoimport.Violation{
			violation("CloudWatchLogsRoleArn", "", required),
			violation("JobName", "", required),
			violation("UserPoolId", "", required),
		}},
		createCase{"several/every member broken", cognitoimport.CreateJobInput{
			UserPoolID: " us-east-1_EXAMPLE", JobName: longName, CloudWatchLogsRoleARN: "arn",
		}, []cognitoimport.Violation{
			violation("CloudWatchLogsRoleArn", "arn", minLen(20)),
			violation("CloudWatchLogsRoleArn", "arn", pattern),
			violation("JobName", longName, maxLen(128)),
			violation("JobName", longName, pattern),
			violation("UserPoolId", " us-east-1_EXAMPLE", pattern),
		}},
		createCase{"several/UTF-8 and missing", cognitoimport.CreateJobInput{
			UserPoolID: "\xff", CloudWatchLogsRoleARN: testRoleARN,
		}, []cognitoimport.Violation{
			violation("JobName", "", required),
			violation("UserPoolId", "\xff", badUTF8),
		}},
	)
}

type listCase struct {
	name string
	in   cognitoimport.ListJobsInput
	want []cognitoimport.Violation // empty: valid
}

func listCases() []listCase {
	var cases []listCase
	add := func(member string, c memberCase, set func(*cognitoimport.ListJobsInput)) {
		in := cognitoimport.ListJobsInput{UserPoolID: testPool}
		set(&in)
		var want []cognitoimport.Violation
		for _, b := range c.want {
			want = append(want, violation(member, c.value, b))
		}
		cases = append(cases, listCase{member + "/" + c.name, in, want})
	}
	for _, c := range maxResultsCases {
		mc := memberCase{c.name, strconv.Itoa(int(c.value)), c.want}
		add("MaxResults", mc, func(in *cognitoimport.ListJobsInput) { in.MaxResults = c.value })
	}
	for _, c := range paginationTokenCases {
		add("PaginationToken", c, func(in *cognitoimport.ListJobsInput) { in.PaginationToken = c.value })
	}
	for _, c := range userPoolIDCases {
		add("UserPoolId", c, func(in *cognitoimport.ListJobsInput) { in.UserPoolID = c.value })
	}
	return append(cases,
		listCase{"several/every member broken", cognitoimport.ListJobsInput{MaxResults: 61, PaginationToken: " "}, []cognitoimport.Violation{
			violation("MaxResults", "61", maxValue(60)),
			violation("PaginationToken", " ", pattern),
			violation("UserPoolId", "", required),
		}},
		listCase{"several/two members", cognitoimport.ListJobsInput{MaxResults: -1, UserPoolID: "pool"}, []cognitoimport.Violation{
			violation("MaxResults", "-1", minValue(1)),
			violation("UserPoolId", "pool", pattern),
		}},
	)
}

// checkValidationError fails the test unless err is a *ValidationError for
// op with exactly the violations want.
func checkValidationError(t *testing.T, err error, op string, want []cognitoimport.Violation) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a *ValidationError with %d violations", len(want))
	}
	ve := as[*cognitoimport.ValidationError](t, err)
	if ve.Operation != op {
		t.Errorf("Operation = %q, want %q", ve.Operation, op)
	}
	if len(ve.Violations) != len(want) {
		t.Errorf("got %d violations, want %d:\ngot:  %+v\nwant: %+v", len(ve.Violations), len(want), ve.Violations, want)
		return
	}
	for i := range want {
		if ve.Violations[i] != want[i] {
			t.Errorf("violation %d:\ngot:  %+v\nwant: %+v", i, ve.Violations[i], want[i])
		}
	}
	if isA[*cognitoimport.ServiceError](err) {
		t.Errorf("a *ValidationError matches *ServiceError")
	}
	if cognitoimport.IsRetryable(err) {
		t.Errorf("IsRetryable(%v) = true for a *ValidationError", err)
	}
}

func TestCreateJobValidation(t *testing.T) {
	t.Parallel()
	for _, c := range createCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if len(c.want) == 0 {
				if err := c.in.Validate(); err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				// A valid input is sent, and the server agrees that it
				// is valid.
				srv := newServer(t, cognitoimporttest.WithUserPools(c.in.UserPoolID))
				job, err := newClient(srv).CreateJob(t.Context(), c.in)
				if err != nil {
					t.Fatalf("CreateJob: %v", err)
				}
				if job.UserPoolID != c.in.UserPoolID || job.JobName != c.in.JobName || job.CloudWatchLogsRoleARN != c.in.CloudWatchLogsRoleARN {
					t.Errorf("CreateJob returned %q, %q, %q; want the input's %q, %q, %q",
						job.UserPoolID, job.JobName, job.CloudWatchLogsRoleARN, c.in.UserPoolID, c.in.JobName, c.in.CloudWatchLogsRoleARN)
				}
				checkRequests(t, srv, createOp, 1)
				return
			}
			srv := newServer(t)
			job, err := newClient(srv).CreateJob(t.Context(), c.in)
			if job != nil {
				t.Errorf("CreateJob returned a job for an invalid input: %v", job)
			}
			checkValidationError(t, err, "CreateUserImportJob", c.want)
			checkRequests(t, srv, createOp, 0) // nothing was sent
			checkValidationError(t, c.in.Validate(), "CreateUserImportJob", c.want)
		})
	}
}

func TestListJobsValidation(t *testing.T) {
	t.Parallel()
	for _, c := range listCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, cognitoimporttest.WithUserPools(validPoolOr(c.in.UserPoolID)))
			out, err := newClient(srv).ListJobs(t.Context(), c.in)
			if len(c.want) == 0 {
				if err := c.in.Validate(); err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				// A valid input is sent. The server knows no token but
				// those it issued, and refuses the others for that reason
				// alone.
				if c.in.PaginationToken == "" && err != nil {
					t.Fatalf("ListJobs: %v", err)
				}
				if c.in.PaginationToken != "" && !isA[*cognitoimport.InvalidParameterError](err) {
					t.Fatalf("ListJobs with a token the server never issued: got %v, want an *InvalidParameterError from the server", err)
				}
				checkRequests(t, srv, listOp, 1)
				return
			}
			if out != nil {
				t.Errorf("ListJobs returned a page for an invalid input: %+v", out)
			}
			checkValidationError(t, err, "ListUserImportJobs", c.want)
			checkRequests(t, srv, listOp, 0) // nothing was sent
			checkValidationError(t, c.in.Validate(), "ListUserImportJobs", c.want)
		})
	}
}

// validPoolOr returns id if the server can create a pool with it, and
// testPool otherwise.
func validPoolOr(id string) string {
	if (cognitoimport.ListJobsInput{UserPoolID: id}).Validate() == nil {
		return id
	}
	return testPool
}

func TestValidationErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			"CreateJobInput",
			cognitoimport.CreateJobInput{JobName: strings.Repeat("a", 130)}.Validate(),
			"cognitoimport: invalid CreateUserImportJob input: CloudWatchLogsRoleArn is required; " +
				"JobName must be at most 128 characters long (has 130); UserPoolId is required",
		},
		{
			"ListJobsInput",
			cognitoimport.ListJobsInput{MaxResults: 61, PaginationToken: "a b"}.Validate(),
			`cognitoimport: invalid ListUserImportJobs input: MaxResults must be at most 60 (is 61); ` +
				`PaginationToken must match [\S]+ in full; "a b" does not; UserPoolId is required`,
		},
		{
			"min length and min value",
			cognitoimport.CreateJobInput{UserPoolID: testPool, JobName: "n", CloudWatchLogsRoleARN: "arn:a:b::1:c"}.Validate(),
			"cognitoimport: invalid CreateUserImportJob input: CloudWatchLogsRoleArn must be at least 20 characters long (has 12)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestRuleString(t *testing.T) {
	t.Parallel()
	for rule, want := range map[cognitoimport.Constraint]string{
		cognitoimport.ConstraintRequired:  "required",
		cognitoimport.ConstraintUTF8:      "UTF-8",
		cognitoimport.ConstraintMinLength: "min length",
		cognitoimport.ConstraintMaxLength: "max length",
		cognitoimport.ConstraintPattern:   "pattern",
		cognitoimport.ConstraintMinValue:  "min value",
		cognitoimport.ConstraintMaxValue:  "max value",
		cognitoimport.Constraint(200):     "Constraint(200)",
	} {
		if got := rule.String(); got != want {
			t.Errorf("Constraint(%d).String() = %q, want %q", rule, got, want)
		}
	}
}

// TestWithoutValidation sends inputs the client would refuse, and proves
// that they reach the server, which refuses them itself.
func TestWithoutValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(*testing.T, *cognitoimport.Client) error
		op   cognitoimporttest.Operation
		want string // in the server's message
	}{
		{"CreateJob/bad pool ID", func(t *testing.T, c *cognitoimport.Client) error {
			in := validCreateInput("job")
			in.UserPoolID = " us-east-1_EXAMPLE"
			_, err := c.CreateJob(t.Context(), in, noRetry)
			return err
		}, createOp, `at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
		{"CreateJob/everything empty", func(t *testing.T, c *cognitoimport.Client) error {
			_, err := c.CreateJob(t.Context(), cognitoimport.CreateJobInput{}, noRetry)
			return err
		}, createOp, "Member must have length greater than or equal to 20"},
		{"CreateJob/long job name", func(t *testing.T, c *cognitoimport.Client) error {
			_, err := c.CreateJob(t.Context(), validCreateInput(strings.Repeat("a", 129)), noRetry)
			return err
		}, createOp, "Member must have length less than or equal to 128"},
		{"ListJobs/MaxResults 61", func(t *testing.T, c *cognitoimport.Client) error {
			_, err := c.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 61}, noRetry)
			return err
		}, listOp, "Member must have value less than or equal to 60"},
		{"ListJobs/MaxResults -1", func(t *testing.T, c *cognitoimport.Client) error {
			_, err := c.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: -1}, noRetry)
			return err
		}, listOp, "Member must have value greater than or equal to 1"},
		{"ListJobs/vertical tab token", func(t *testing.T, c *cognitoimport.Client) error {
			_, err := c.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, PaginationToken: "\v"}, noRetry)
			return err
		}, listOp, `at 'paginationToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+`},
		{"Jobs/empty pool ID", func(t *testing.T, c *cognitoimport.Client) error {
			_, err := splitItems(t, collect(c.Jobs(t.Context(), cognitoimport.ListJobsInput{}, noRetry)))
			return err
		}, listOp, "Member must have length greater than or equal to 1"},
		{"Pages/bad pool ID", func(t *testing.T, c *cognitoimport.Client) error {
			_, err := splitItems(t, collect(c.Pages(t.Context(), cognitoimport.ListJobsInput{UserPoolID: "pool"}, noRetry)))
			return err
		}, listOp, "Member must satisfy regular expression pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			err := tt.call(t, newClient(srv, cognitoimport.WithoutValidation()))
			if isA[*cognitoimport.ValidationError](err) {
				t.Fatalf("WithoutValidation: got a *ValidationError: %v", err)
			}
			ipe := as[*cognitoimport.InvalidParameterError](t, err)
			if !strings.Contains(ipe.Message, tt.want) {
				t.Errorf("server's message %q does not contain %q", ipe.Message, tt.want)
			}
			checkRequests(t, srv, tt.op, 1)
		})
	}
}

var (
	validCreate = cognitoimport.CreateJobInput{
		UserPoolID:            strings.Repeat("a", 53) + "_b",
		JobName:               strings.Repeat("job name+=,.@-_\v", 8),
		CloudWatchLogsRoleARN: roleARNPrefix + strings.Repeat("a", 2048-len(roleARNPrefix)-len(":x:y")) + ":x:y",
	}
	validList = cognitoimport.ListJobsInput{
		UserPoolID:      testPool,
		MaxResults:      60,
		PaginationToken: "us-west-2_EXAMPLE#import-example3#1667948397084\u00a0",
	}
)

// TestValidateAllocatesNothing checks the documented guarantee that Validate
// allocates nothing for valid inputs, at the largest sizes the rules allow.
// It does not run in parallel: AllocsPerRun counts every allocation of the
// process.
func TestValidateAllocatesNothing(t *testing.T) {
	for name, validate := range map[string]func() error{
		"CreateJobInput":           validCreate.Validate,
		"ListJobsInput":            validList.Validate,
		"ListJobsInput/MaxResults": cognitoimport.ListJobsInput{UserPoolID: testPool}.Validate,
	} {
		if err := validate(); err != nil {
			t.Fatalf("%s: Validate() = %v; the input should be valid", name, err)
		}
		var err error
		allocs := testing.AllocsPerRun(100, func() { err = validate() })
		if err != nil {
			t.Errorf("%s: Validate() = %v", name, err)
		}
		if allocs != 0 {
			t.Errorf("%s: Validate() allocates %v times per call, want 0", name, allocs)
		}
	}
	// The guarantee is for valid inputs; an invalid one allocates its
	// error. This shows the measure is not blind.
	invalid := cognitoimport.CreateJobInput{}
	if allocs := testing.AllocsPerRun(10, func() { _ = invalid.Validate() }); allocs == 0 {
		t.Errorf("Validate() of an invalid input allocates nothing: the measure is broken")
	}
}

func BenchmarkValidate(b *testing.B) {
	benchmarks := []struct {
		name  string
		valid bool
		f     func() error
	}{
		{"CreateJobInput", true, validCreate.Validate},
		{"CreateJobInput/short", true, validCreateInput("nightly-import").Validate},
		{"ListJobsInput", true, validList.Validate},
		{"CreateJobInput/invalid", false, cognitoimport.CreateJobInput{JobName: strings.Repeat("é", 129)}.Validate},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			var err error
			for b.Loop() {
				err = bm.f()
			}
			var ve *cognitoimport.ValidationError
			if got := errors.As(err, &ve); got == bm.valid {
				b.Fatalf("Validate() = %v, valid is %v", err, bm.valid)
			}
		})
	}
}

// TestPasswordHashingAlgorithmValidated: the four documented algorithms and
// the empty value (none) are valid; any other value is refused with one
// ConstraintEnum violation that lists the four, and nothing is sent.
func TestPasswordHashingAlgorithmValidated(t *testing.T) {
	t.Parallel()
	for _, alg := range []cognitoimport.PasswordHashingAlgorithm{"",
		cognitoimport.PasswordHashingBcrypt, cognitoimport.PasswordHashingScrypt,
		cognitoimport.PasswordHashingArgon2id, cognitoimport.PasswordHashingPBKDF2SHA256} {
		in := validCreateInput("job")
		in.PasswordHashingAlgorithm = alg
		if err := in.Validate(); err != nil {
			t.Errorf("Validate with %q: %v", alg, err)
		}
	}
	srv := newServer(t)
	client := newClient(srv)
	for _, bad := range []cognitoimport.PasswordHashingAlgorithm{"bcrypt", "MD5", " BCRYPT"} {
		in := validCreateInput("job")
		in.PasswordHashingAlgorithm = bad
		_, err := client.CreateJob(t.Context(), in)
		ve := as[*cognitoimport.ValidationError](t, err)
		want := cognitoimport.Violation{Member: "PasswordHashingAlgorithm", Constraint: cognitoimport.ConstraintEnum,
			Value: string(bad), Allowed: "BCRYPT, SCRYPT, ARGON2ID, PBKDF2_SHA256"}
		if len(ve.Violations) != 1 || ve.Violations[0] != want {
			t.Errorf("%q: violations %+v, want %+v", bad, ve.Violations, want)
		}
		if got, wantText := ve.Violations[0].String(), `PasswordHashingAlgorithm must be one of BCRYPT, SCRYPT, ARGON2ID, PBKDF2_SHA256; "`+string(bad)+`" is not`; got != wantText {
			t.Errorf("String() = %q, want %q", got, wantText)
		}
	}
	checkRequests(t, srv, cognitoimporttest.CreateUserImportJob, 0)
}
