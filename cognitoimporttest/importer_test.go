package cognitoimporttest_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// Pools of the rule tests, one per setting a rule needs.
var (
	poolMFAOn = cognitoimporttest.PoolConfig{ID: "us-east-1_MFAOn", MFA: cognitoimporttest.MFAOn}
	poolMFAOp = cognitoimporttest.PoolConfig{ID: "us-east-1_MFAOp", MFA: cognitoimporttest.MFAOptional}
	poolPhone = cognitoimporttest.PoolConfig{ID: "us-east-1_Phone", AutoVerifiedAttributes: []string{"phone_number"}}
	poolDept  = cognitoimporttest.PoolConfig{ID: "us-east-1_Dept", CustomAttributes: []string{"dept"},
		RequiredAttributes: []string{"family_name", "custom:dept"}}
)

// runImport runs a whole job over file in pool on e's fake clock, the rate
// infinite, and returns the ended job and its log.
func (e *importEnv) runImport(pool, file string) (*types.UserImportJobType, []string) {
	e.t.Helper()
	id := e.runJob(pool, file)
	e.clock.Advance(time.Millisecond)
	j := e.describe(pool, id)
	return j, e.srv.JobLog(pool, id)
}

// header returns pool's header through GetCSVHeader.
func (e *importEnv) header(pool string) []string {
	e.t.Helper()
	out, err := e.client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(pool)})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.CSVHeader
}

// validUser is a row that every test pool imports, but for its username.
func validUser(name string) map[string]string {
	return map[string]string{
		"cognito:username": name, "cognito:mfa_enabled": "FALSE", "given_name": "John", "family_name": "Doe",
		"email": name + "@example.com", "email_verified": "TRUE", "phone_number": "+12345550100",
		"phone_number_verified": "TRUE", "birthdate": "02/01/1985", "updated_at": "1700000000",
		"address": "123 Any Street, Anytown", "custom:dept": "sales",
	}
}

// usersLine writes one row of header's columns from vals, escaping commas.
func usersLine(header []string, vals map[string]string) string {
	f := make([]string, len(header))
	for i, h := range header {
		f[i] = strings.ReplaceAll(vals[h], ",", `\,`)
	}
	return strings.Join(f, ",")
}

func with(vals map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(vals))
	for k, v := range vals {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func newRulesEnv(t *testing.T) *importEnv {
	return newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)),
		cognitoimporttest.WithUserPool(poolMFAOn), cognitoimporttest.WithUserPool(poolMFAOp),
		cognitoimporttest.WithUserPool(poolPhone), cognitoimporttest.WithUserPool(poolDept),
		cognitoimporttest.WithMaxUsers(5))
}

// TestRowRules imports, for every row rule, a file whose first row breaks
// it and whose second row is the same but for the broken value: the first
// fails with the rule's reason, the second is imported, and the job goes on.
func TestRowRules(t *testing.T) {
	t.Parallel()
	e := newRulesEnv(t)
	u := validUser("bad")
	tests := []struct {
		name      string
		pool      string
		bad, fine map[string]string // fine: nil means good
		raw       string            // the bad row as written, when not from bad
		rule      usersfile.Rule
		column    string
	}{
		{name: "row length", raw: "bad," + strings.Repeat("x", 16001), rule: usersfile.RowLength},
		{name: "UTF-8", bad: with(u, "given_name", "J\xffohn"), rule: usersfile.UTF8, column: "given_name"},
		{name: "column count", raw: "a,b,c", rule: usersfile.ColumnCount},
		{name: "username required", bad: with(u, "cognito:username", ""), rule: usersfile.Required, column: "cognito:username"},
		{name: "mfa_enabled required", bad: with(u, "cognito:mfa_enabled", ""), rule: usersfile.Required, column: "cognito:mfa_enabled"},
		{name: "a verified column required", bad: with(u, "email_verified", "", "phone_number_verified", ""), rule: usersfile.VerifiedRequired, column: "email_verified"},
		{name: "boolean", bad: with(u, "phone_number_verified", "yes"), rule: usersfile.Boolean, column: "phone_number_verified"},
		{name: "username with a space", bad: with(u, "cognito:username", "b ad"), rule: usersfile.UsernameSpace, column: "cognito:username"},
		{name: "username with a tab", bad: with(u, "cognito:username", "b\tad"), rule: usersfile.UsernameSpace, column: "cognito:username"},
		{name: "auto-verified email", bad: with(u, "email_verified", "FALSE"), rule: usersfile.AutoVerified, column: "email_verified"},
		{name: "auto-verified phone", pool: poolPhone.ID, bad: with(u, "phone_number_verified", "FALSE"), rule: usersfile.AutoVerified, column: "phone_number_verified"},
		{name: "MFA required", pool: poolMFAOn.ID, bad: u, fine: with(u, "cognito:mfa_enabled", "TRUE"), rule: usersfile.MFARequired, column: "cognito:mfa_enabled"},
		{name: "MFA off", bad: with(u, "cognito:mfa_enabled", "TRUE"), rule: usersfile.MFADisabled, column: "cognito:mfa_enabled"},
		{name: "email required", bad: with(u, "email", ""), rule: usersfile.EmailRequired, column: "email"},
		{name: "phone required", bad: with(u, "phone_number", ""), rule: usersfile.PhoneRequired, column: "phone_number"},
		{name: "phone format", bad: with(u, "phone_number", "+1 234 555 0100"), rule: usersfile.PhoneFormat, column: "phone_number"},
		{name: "birthdate", bad: with(u, "birthdate", "1985-02-01"), rule: usersfile.Birthdate, column: "birthdate"},
		{name: "birthdate not a day", bad: with(u, "birthdate", "02/30/1985"), rule: usersfile.Birthdate, column: "birthdate"},
		{name: "updated_at", bad: with(u, "updated_at", "2023-01-01"), rule: usersfile.UpdatedAt, column: "updated_at"},
		{name: "pool requires a standard attribute", pool: poolDept.ID, bad: with(u, "family_name", ""), rule: usersfile.PoolRequired, column: "family_name"},
		{name: "pool requires a custom attribute", pool: poolDept.ID, bad: with(u, "custom:dept", ""), rule: usersfile.PoolRequired, column: "custom:dept"},
	}
	for i, tt := range tests {
		// Each case's rows have usernames of their own: the pools keep
		// what the earlier cases imported.
		good := validUser(fmt.Sprint("good", i))
		if tt.bad != nil {
			tt.bad = with(tt.bad, "cognito:username", strings.ReplaceAll(tt.bad["cognito:username"], "bad", fmt.Sprint("bad", i)))
		}
		if tt.fine != nil {
			tt.fine = with(tt.fine, "cognito:username", fmt.Sprint("good", i))
		}
		pool := tt.pool
		if pool == "" {
			pool = testPool
		}
		h := e.header(pool)
		bad := tt.raw
		if bad == "" {
			bad = usersLine(h, tt.bad)
		}
		fine := tt.fine
		if fine == nil {
			fine = good
		}
		file := strings.Join(h, ",") + "\n" + bad + "\n" + usersLine(h, fine) + "\n"
		j, log := e.runImport(pool, file)
		reason := usersfile.Problem{Rule: tt.rule, Column: tt.column}.Reason()
		want := []string{
			"[FAILED] Line Number 2 - " + reason,
			"[SUCCEEDED] Line Number 3 - The import succeeded.",
		}
		if !slices.Equal(log, want) || j.Status != types.UserImportJobStatusTypeSucceeded || j.ImportedUsers != 1 || j.FailedUsers != 1 {
			t.Errorf("%s: %s, %d imported, %d failed, log:\n%s\nwant:\n%s", tt.name, j.Status, j.ImportedUsers, j.FailedUsers,
				strings.Join(log, "\n"), strings.Join(want, "\n"))
		}
	}
}

func TestMFAOptionalTakesEither(t *testing.T) {
	t.Parallel()
	e := newRulesEnv(t)
	h := e.header(poolMFAOp.ID)
	file := strings.Join(h, ",") + "\n" +
		usersLine(h, with(validUser("a"), "cognito:mfa_enabled", "TRUE")) + "\n" +
		usersLine(h, with(validUser("b"), "cognito:mfa_enabled", "false")) + "\n"
	j, log := e.runImport(poolMFAOp.ID, file)
	if j.ImportedUsers != 2 {
		t.Errorf("imported %d, log %q", j.ImportedUsers, log)
	}
	users := e.srv.Users(poolMFAOp.ID)
	if len(users) != 2 || !users[0].MFAEnabled || users[1].MFAEnabled {
		t.Errorf("users = %+v", users)
	}
}

func TestSkippedAndDuplicates(t *testing.T) {
	t.Parallel()
	e := newRulesEnv(t)
	e.srv.AddUser(testPool, cognitoimporttest.User{Username: "existing", Attributes: map[string]string{"email": "old@example.com"}})
	h := e.header(testPool)
	file := strings.Join(h, ",") + "\n" +
		usersLine(h, validUser("existing")) + "\n" +
		usersLine(h, validUser("new")) + "\n" +
		"\n" + // an empty line is not a row, but keeps its number
		usersLine(h, validUser("new")) + "\n" +
		usersLine(h, validUser("existing")) + "\n"
	j, log := e.runImport(testPool, file)
	want := []string{
		"[SKIPPED] Line Number 2 - The user already exists.",
		"[SUCCEEDED] Line Number 3 - The import succeeded.",
		"[FAILED] Line Number 5 - " + usersfile.Problem{Rule: usersfile.DuplicateUsername}.Reason(),
		// The first row with a username decides, skipped or imported
		// (IMPORT.md's choice): a later one fails.
		"[FAILED] Line Number 6 - " + usersfile.Problem{Rule: usersfile.DuplicateUsername}.Reason(),
	}
	if !slices.Equal(log, want) || j.ImportedUsers != 1 || j.SkippedUsers != 1 || j.FailedUsers != 2 || j.Status != types.UserImportJobStatusTypeSucceeded {
		t.Errorf("%s %d/%d/%d, log:\n%s", j.Status, j.ImportedUsers, j.SkippedUsers, j.FailedUsers, strings.Join(log, "\n"))
	}
	users := e.srv.Users(testPool)
	if len(users) != 2 || users[0].Attributes["email"] != "old@example.com" || users[1].Username != "new" ||
		users[1].Status != cognitoimporttest.UserStatusResetRequired || users[1].Attributes["address"] != "123 Any Street, Anytown" {
		t.Errorf("users = %+v", users)
	}
	if _, ok := users[1].Attributes["cognito:username"]; ok {
		t.Errorf("cognito: columns are not attributes: %v", users[1].Attributes)
	}
}

func TestTooManyFailed(t *testing.T) {
	t.Parallel()
	e := newRulesEnv(t)
	h := e.header(testPool)
	file := strings.Join(h, ",") + "\n" + usersLine(h, with(validUser("a"), "email_verified", "FALSE")) + "\n"
	j, _ := e.runImport(testPool, file)
	if j.Status != types.UserImportJobStatusTypeFailed || aws.ToString(j.CompletionMessage) != "Too many users have failed or been skipped during the import." {
		t.Errorf("%s %q", j.Status, aws.ToString(j.CompletionMessage))
	}
	// A header and no rows: nothing failed, the job succeeds.
	j, log := e.runImport(testPool, strings.Join(h, ",")+"\n")
	if j.Status != types.UserImportJobStatusTypeSucceeded || len(log) != 0 {
		t.Errorf("no rows: %s %q", j.Status, log)
	}
}

// TestFileRules: a file that breaks a file rule fails the whole job, before
// any row is imported.
func TestFileRules(t *testing.T) {
	t.Parallel()
	e := newRulesEnv(t)
	h := e.header(testPool)
	row := usersLine(h, validUser("a")) + "\n"
	tests := []struct {
		name string
		file string
		p    usersfile.Problem
	}{
		{"empty", "", usersfile.Problem{Line: 1, Rule: usersfile.NoHeader}},
		{"BOM", "\uFEFF" + strings.Join(h, ",") + "\n" + row, usersfile.Problem{Line: 1, Rule: usersfile.BOM}},
		{"missing column", strings.Join(h[1:], ",") + "\n", usersfile.Problem{Line: 1, Rule: usersfile.MissingColumn, Column: h[0]}},
		{"unknown column", strings.Join(h, ",") + ",custom:nope\n", usersfile.Problem{Line: 1, Rule: usersfile.UnknownColumn, Column: "custom:nope"}},
		{"duplicate column", strings.Join(h, ",") + ",email\n", usersfile.Problem{Line: 1, Rule: usersfile.DuplicateColumn, Column: "email"}},
		{"too many users", strings.Join(h, ",") + "\n" + strings.Repeat(row, 6), usersfile.Problem{Line: 7, Rule: usersfile.TooManyUsers}},
	}
	for _, tt := range tests {
		j, log := e.runImport(testPool, tt.file)
		want := fmt.Sprintf("The import job failed because the file could not be read: Line Number %d - %s", tt.p.Line, tt.p.Reason())
		if j.Status != types.UserImportJobStatusTypeFailed || aws.ToString(j.CompletionMessage) != want || j.ImportedUsers != 0 || len(log) != 0 {
			t.Errorf("%s: %s %q, %d imported, log %q; want message %q", tt.name, j.Status, aws.ToString(j.CompletionMessage), j.ImportedUsers, log, want)
		}
	}
	// At the limit exactly, and with columns in another order: imported.
	slices.Reverse(h)
	rows := ""
	for i := range 5 {
		rows += usersLine(h, validUser(fmt.Sprint("u", i))) + "\r\n"
	}
	if j, log := e.runImport(testPool, strings.Join(h, ",")+"\r\n"+rows); j.ImportedUsers != 5 || j.Status != types.UserImportJobStatusTypeSucceeded {
		t.Errorf("5 users, reversed columns, CRLF: %s %d, log %q", j.Status, j.ImportedUsers, log)
	}
}

// TestSampleFile imports the guide's sample file into a default pool.
func TestSampleFile(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	j, log := e.runImport(testPool, sampleFile)
	if j.Status != types.UserImportJobStatusTypeSucceeded || j.ImportedUsers != 2 || len(log) != 2 {
		t.Fatalf("%s %d %q", j.Status, j.ImportedUsers, log)
	}
	users := e.srv.Users(testPool)
	want := map[string]string{"given_name": "John", "family_name": "Doe", "email": "johndoe@example.com", "email_verified": "TRUE",
		"birthdate": "02/01/1985", "phone_number": "+12345550100", "phone_number_verified": "TRUE", "address": "123 Any Street"}
	if users[0].Username != "John" || !mapsEqualString(users[0].Attributes, want) || users[0].MFAEnabled {
		t.Errorf("John = %+v", users[0])
	}
}

func mapsEqualString(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestImportReadsOffTheLock: while a job's rows are being read, calls on
// another pool are answered: the server reads a file without holding its
// lock (a 500,000-user import held it for seconds). The caller that
// observes the job waits for the rows due, and sees them all.
func TestImportReadsOffTheLock(t *testing.T) {
	t.Parallel()
	const other = "us-east-1_Other"
	reading, release := make(chan struct{}, 1), make(chan struct{})
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)), cognitoimporttest.WithUserPools(other),
		cognitoimporttest.WithBeforeRead(func() {
			select {
			case reading <- struct{}{}:
				<-release // the first read waits for the test
			default:
			}
		}))
	otherJob := e.create(other)
	id := e.runJob(testPool, sampleFile)
	e.clock.Advance(time.Millisecond)
	described := make(chan *types.UserImportJobType)
	go func() {
		out, err := e.client.DescribeUserImportJob(context.Background(), &cognitoidentityprovider.DescribeUserImportJobInput{
			UserPoolId: aws.String(testPool), JobId: aws.String(id)})
		if err != nil {
			t.Error(err)
			described <- &types.UserImportJobType{}
			return
		}
		described <- out.UserImportJob
	}()
	<-reading // the Describe is reading the file

	ctx := context.Background()
	if _, err := e.client.GetCSVHeader(ctx, &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(other)}); err != nil {
		t.Fatal(err)
	}
	if j := e.describe(other, aws.ToString(otherJob.JobId)); j.Status != types.UserImportJobStatusTypeCreated {
		t.Errorf("the other pool's job: %s", j.Status)
	}
	if _, err := listPage(ctx, e.client, other, 10, nil); err != nil {
		t.Fatal(err)
	}
	e.create(other)
	close(release)
	if j := <-described; j.Status != types.UserImportJobStatusTypeSucceeded || j.ImportedUsers != 2 {
		t.Errorf("the job read off the lock: %s, %d imported", j.Status, j.ImportedUsers)
	}
}
