package cognitoimport_test

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// guideSample is the sample file of the developer guide: both users are
// imported into a pool whose auto-verified attribute is email.
const guideSample = "cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled\n" +
	"John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE\n" +
	"Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE\n"

func TestCheckFileGuideSample(t *testing.T) {
	t.Parallel()
	for _, rules := range []cognitoimport.PoolSettings{
		cognitoimport.DefaultPoolSettings("us-east-1_EXAMPLE"),
		{UserPoolID: "us-east-1_EXAMPLE"}, // generic rules
	} {
		users, err := cognitoimport.CheckFile(strings.NewReader(guideSample), rules, cognitoimport.CheckOptions{})
		if users != 2 || err != nil {
			t.Errorf("%+v: %d users, %v", rules, users, err)
		}
	}
}

// catalogueRow returns a row of the default header: a clean user with the
// given values replaced.
func catalogueRow(set map[string]string) string {
	values := map[string]string{
		"cognito:username": "alice", "cognito:mfa_enabled": "FALSE", "email": "alice@example.com", "email_verified": "TRUE",
	}
	maps.Copy(values, set)
	header := usersfile.DefaultHeader()
	row := make([]string, len(header))
	for i, h := range header {
		row[i] = values[h]
	}
	return strings.Join(row, ",")
}

type catalogueCase struct {
	rule   cognitoimport.FileRule
	rules  cognitoimport.PoolSettings
	file   string
	line   int
	column string
}

// TestCheckFileCatalogue checks one file per rule, with a row that breaks it
// after a clean row, and expects exactly that problem, at that line and
// column.
func TestCheckFileCatalogue(t *testing.T) {
	t.Parallel()
	header := strings.Join(usersfile.DefaultHeader(), ",")
	clean := catalogueRow(nil)
	bob := func(set map[string]string) string {
		m := map[string]string{"cognito:username": "bob"}
		maps.Copy(m, set)
		return catalogueRow(m)
	}
	pool := cognitoimport.DefaultPoolSettings("us-east-1_EXAMPLE")
	withPool := func(f func(*cognitoimport.PoolSettings)) cognitoimport.PoolSettings {
		r := pool
		f(&r)
		return r
	}
	tests := []catalogueCase{
		{cognitoimport.FileRuleNoHeader, pool, "", 1, ""},
		{cognitoimport.FileRuleBOM, pool, "\uFEFF" + header + "\n" + clean + "\n", 1, ""},
		{cognitoimport.FileRuleMissingColumn, pool, strings.Replace(header, ",nickname", "", 1) + "\n", 1, "nickname"},
		{cognitoimport.FileRuleUnknownColumn, pool, header + ",custom:dept\n", 1, "custom:dept"},
		{cognitoimport.FileRuleDuplicateColumn, pool, header + ",locale\n", 1, "locale"},
		{cognitoimport.FileRuleRowLength, pool, header + "\n" + clean + "\n" + bob(map[string]string{"address": strings.Repeat("a", 16000)}) + "\n", 3, ""},
		{cognitoimport.FileRuleUTF8, pool, header + "\n" + clean + "\n" + bob(map[string]string{"nickname": "\xc3("}) + "\n", 3, "nickname"},
		{cognitoimport.FileRuleColumnCount, pool, header + "\n" + clean + "\n" + bob(map[string]string{"address": "1 Main St, Springfield"}) + "\n", 3, ""},
		{cognitoimport.FileRuleRequired, pool, header + "\n" + clean + "\n" + bob(map[string]string{"cognito:mfa_enabled": ""}) + "\n", 3, "cognito:mfa_enabled"},
		{cognitoimport.FileRuleVerifiedRequired, pool, header + "\n" + clean + "\n" + bob(map[string]string{"email_verified": ""}) + "\n", 3, "email_verified"},
		{cognitoimport.FileRuleBoolean, pool, header + "\n" + clean + "\n" + bob(map[string]string{"email_verified": "yes"}) + "\n", 3, "email_verified"},
		{cognitoimport.FileRuleUsernameSpace, pool, header + "\n" + clean + "\n" + bob(map[string]string{"cognito:username": "bob smith"}) + "\n", 3, "cognito:username"},
		{cognitoimport.FileRuleAutoVerified, pool, header + "\n" + clean + "\n" + bob(map[string]string{"email_verified": "FALSE", "phone_number_verified": "TRUE", "phone_number": "+15550100"}) + "\n", 3, "email_verified"},
		{cognitoimport.FileRuleMFARequired, withPool(func(r *cognitoimport.PoolSettings) { r.MFA = cognitoimport.MFAOn }), header + "\n" + bob(map[string]string{"cognito:mfa_enabled": "TRUE"}) + "\n" + clean + "\n", 3, "cognito:mfa_enabled"},
		{cognitoimport.FileRuleMFADisabled, pool, header + "\n" + clean + "\n" + bob(map[string]string{"cognito:mfa_enabled": "TRUE"}) + "\n", 3, "cognito:mfa_enabled"},
		{cognitoimport.FileRuleEmailRequired, pool, header + "\n" + clean + "\n" + bob(map[string]string{"email": ""}) + "\n", 3, "email"},
		{cognitoimport.FileRulePhoneRequired, pool, header + "\n" + clean + "\n" + bob(map[string]string{"phone_number_verified": "TRUE"}) + "\n", 3, "phone_number"},
		{cognitoimport.FileRulePhoneFormat, pool, header + "\n" + clean + "\n" + bob(map[string]string{"phone_number": "(555) 0100"}) + "\n", 3, "phone_number"},
		{cognitoimport.FileRuleBirthdate, pool, header + "\n" + clean + "\n" + bob(map[string]string{"birthdate": "1985-02-01"}) + "\n", 3, "birthdate"},
		{cognitoimport.FileRuleUpdatedAt, pool, header + "\n" + clean + "\n" + bob(map[string]string{"updated_at": "2024-01-01"}) + "\n", 3, "updated_at"},
		{cognitoimport.FileRulePoolRequired, withPool(func(r *cognitoimport.PoolSettings) { r.RequiredAttributes = []string{"email", "given_name"} }),
			header + "\n" + bob(map[string]string{"given_name": "Bob"}) + "\n" + clean + "\n", 3, "given_name"},
		{cognitoimport.FileRuleDuplicateUsername, pool, header + "\n" + clean + "\n" + bob(nil) + "\n" + clean + "\n", 4, "cognito:username"},
	}
	// Two files over the limits, with a different username on each row.
	// The limits are lowered, so that the files are small: the checker
	// applies a limit the same way whatever its value, and
	// TestCheckFileDocumentedLimits holds the documented values.
	many := func(n, pad int, limit int) (file string, crossed int) {
		var b strings.Builder
		b.WriteString(header + "\n")
		prefix := catalogueRow(map[string]string{"cognito:username": "", "address": strings.Repeat("a", pad)})
		for i := range n {
			b.WriteString(prefix)
			b.WriteString("u" + strconv.Itoa(i) + "\n")
			if crossed == 0 && b.Len() > limit {
				crossed = i + 2
			}
		}
		return b.String(), crossed
	}
	const maxBytes, maxUsers = 100 << 10, 5
	large, line := many(10, 15000, maxBytes)
	tests = append(tests, catalogueCase{cognitoimport.FileRuleTooLarge, pool, large, line, ""})
	tooMany, _ := many(maxUsers+1, 0, math.MaxInt)
	tests = append(tests, catalogueCase{cognitoimport.FileRuleTooManyUsers, pool, tooMany, maxUsers + 2, ""})
	type limits struct {
		bytes int64
		users int
	}
	lowered := map[cognitoimport.FileRule]limits{cognitoimport.FileRuleTooLarge: {bytes: maxBytes}, cognitoimport.FileRuleTooManyUsers: {users: maxUsers}}
	seen := map[cognitoimport.FileRule]bool{}
	for _, tt := range tests {
		seen[tt.rule] = true
		t.Run(tt.rule.String(), func(t *testing.T) {
			t.Parallel()
			var err error
			if l, ok := lowered[tt.rule]; ok {
				_, err = cognitoimport.CheckFileWithLimits(strings.NewReader(tt.file), tt.rules, cognitoimport.CheckOptions{}, l.bytes, l.users)
			} else {
				_, err = cognitoimport.CheckFile(strings.NewReader(tt.file), tt.rules, cognitoimport.CheckOptions{})
			}
			var fe *cognitoimport.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err %v, want a *FileError", err)
			}
			if fe.Total != 1 || len(fe.Problems) != 1 {
				t.Fatalf("want one problem, got %d: %v", fe.Total, fe.Problems)
			}
			p := fe.Problems[0]
			if p.Rule != tt.rule || p.Line != tt.line || p.Column != tt.column || p.Message == "" {
				t.Errorf("got %+v, want rule %v at line %d column %q", p, tt.rule, tt.line, tt.column)
			}
			if p.Rule.WholeFile() != (p.Rule <= cognitoimport.FileRuleTooManyUsers) {
				t.Errorf("%v: WholeFile %v", p.Rule, p.Rule.WholeFile())
			}
		})
	}
	for _, info := range usersfile.Table() {
		if !seen[cognitoimport.FileRule(info.Rule)] {
			t.Errorf("no catalogue file for %s", info.Name)
		}
	}
}

// TestCheckFileTooLargeIsCounted: every byte counts toward the size limit,
// the empty lines' too: a file of exactly the limit passes the size rule, one
// byte more does not. The limit is lowered, so that the file is small;
// TestCheckFileDocumentedLimits holds CheckFile's own limit.
func TestCheckFileTooLargeIsCounted(t *testing.T) {
	t.Parallel()
	const limit = 256 << 10
	header := strings.Join(usersfile.DefaultHeader(), ",") + "\n"
	fill := func(size int) io.Reader {
		row := catalogueRow(map[string]string{"address": strings.Repeat("a", 9000)}) + "\n"
		n := (size - len(header)) / len(row)
		rest := size - len(header) - n*len(row)
		// rest bytes of empty lines, which are not rows.
		return io.MultiReader(strings.NewReader(header), &repeatReader{s: row, n: n}, strings.NewReader(strings.Repeat("\n", rest)))
	}
	users, err := cognitoimport.CheckFileWithLimits(fill(limit), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{}, limit, 0)
	var fe *cognitoimport.FileError
	if !errors.As(err, &fe) || users < 20 {
		t.Fatalf("%d users, err %v", users, err)
	}
	for _, p := range fe.Problems {
		if p.Rule != cognitoimport.FileRuleDuplicateUsername {
			t.Errorf("at the limit: %v", p)
		}
	}
	_, err = cognitoimport.CheckFileWithLimits(fill(limit+1), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{MaxProblems: -1}, limit, 0)
	if !errors.As(err, &fe) || fe.Problems[len(fe.Problems)-1].Rule != cognitoimport.FileRuleTooLarge {
		t.Fatalf("err %v", err)
	}
}

// TestCheckFileDocumentedLimits: CheckFile applies the documented limits,
// 100 MB (100 × 2^20 bytes) and 500,000 users. The size at its real value,
// cheaply: the file's one row is a single line that long, which the checker
// skips through as too long without reading it as a row. The users through
// the rules CheckFile gives the checker: a file of 500,000 users takes
// seconds under the race detector in every run, for nothing that a lowered
// limit does not prove (TestCheckFileCatalogue); BenchmarkCheckFile reads
// one.
func TestCheckFileDocumentedLimits(t *testing.T) {
	t.Parallel()
	header := strings.Join(usersfile.DefaultHeader(), ",") + "\n"
	oneLine := func(size int) io.Reader {
		line := io.LimitReader(&repeatReader{s: strings.Repeat("a", 64<<10), n: math.MaxInt}, int64(size-len(header)-1))
		return io.MultiReader(strings.NewReader(header), line, strings.NewReader("\n"))
	}
	for _, tt := range []struct {
		size int
		want cognitoimport.FileRule
	}{
		{100 << 20, cognitoimport.FileRuleRowLength}, // the size passes; the row is too long
		{100<<20 + 1, cognitoimport.FileRuleTooLarge},
	} {
		_, err := cognitoimport.CheckFile(oneLine(tt.size), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{})
		var fe *cognitoimport.FileError
		if !errors.As(err, &fe) || len(fe.Problems) != 1 || fe.Problems[0].Rule != tt.want || fe.Problems[0].Line != 2 {
			t.Errorf("a file of %d bytes: %v, want one problem, %v at line 2", tt.size, err, tt.want)
		}
	}
	for _, rules := range []cognitoimport.PoolSettings{{}, cognitoimport.DefaultPoolSettings(testPool)} {
		if b, u := cognitoimport.CheckerRules(rules).Limits(); b != 100<<20 || u != 500_000 {
			t.Errorf("CheckFile's limits for %+v: %d bytes, %d users; documented: 100 MB, 500,000", rules, b, u)
		}
	}
}

// repeatReader reads s n times without holding the result.
type repeatReader struct {
	s   string
	n   int
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	written := 0
	for written < len(p) && r.n > 0 {
		c := copy(p[written:], r.s[r.off:])
		written += c
		r.off += c
		if r.off == len(r.s) {
			r.off = 0
			r.n--
		}
	}
	if written == 0 {
		return 0, io.EOF
	}
	return written, nil
}

func TestCheckFileCapsProblems(t *testing.T) {
	t.Parallel()
	header := strings.Join(usersfile.DefaultHeader(), ",")
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := range 30 {
		b.WriteString(catalogueRow(map[string]string{"cognito:username": fmt.Sprint("u", i), "birthdate": "x", "updated_at": "y"}) + "\n")
	}
	for _, tt := range []struct{ max, want int }{{0, 60}, {7, 7}, {-1, 60}, {100, 60}} {
		users, err := cognitoimport.CheckFile(strings.NewReader(b.String()), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{MaxProblems: tt.max})
		var fe *cognitoimport.FileError
		if users != 30 || !errors.As(err, &fe) {
			t.Fatalf("%d users, %v", users, err)
		}
		if fe.Total != 60 || len(fe.Problems) != tt.want {
			t.Errorf("MaxProblems %d: Total %d, %d problems", tt.max, fe.Total, len(fe.Problems))
		}
		if p := fe.Problems[len(fe.Problems)-1]; p.Line != 2+(len(fe.Problems)-1)/2 {
			t.Errorf("last problem %v", p)
		}
	}
	_, err := cognitoimport.CheckFile(strings.NewReader(b.String()), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{MaxProblems: 7})
	want := "cognitoimport: users file: 60 problems: line 2: birthdate must be a date written mm/dd/yyyy; " +
		"line 2: updated_at must be a number of seconds since 1970-01-01 UTC; line 3: birthdate must be a date written mm/dd/yyyy; " +
		"line 3: updated_at must be a number of seconds since 1970-01-01 UTC; line 4: birthdate must be a date written mm/dd/yyyy; and 55 more"
	if err.Error() != want {
		t.Errorf("Error()\n got %s\nwant %s", err, want)
	}
	_, err = cognitoimport.CheckFile(strings.NewReader(""), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{})
	if want := "cognitoimport: users file: 1 problem: line 1: the first line is empty: it must be the header"; err == nil || err.Error() != want {
		t.Errorf("Error() %v, want %s", err, want)
	}
}

func TestCheckFileReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	users, err := cognitoimport.CheckFile(io.MultiReader(strings.NewReader(guideSample), iotest.ErrReader(boom)), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{})
	var fe *cognitoimport.FileError
	if users != 2 || !errors.Is(err, boom) || errors.As(err, &fe) {
		t.Errorf("%d users, %v", users, err)
	}
}

func TestPoolSettingsDescribed(t *testing.T) {
	t.Parallel()
	header := strings.Join(usersfile.DefaultHeader(), ",")
	// Phone verified only, MFA on, no given_name: fine under the generic
	// rules, three problems under a described pool that says otherwise.
	file := header + "\n" + catalogueRow(map[string]string{"email_verified": "FALSE", "phone_number_verified": "TRUE", "phone_number": "+1555", "cognito:mfa_enabled": "TRUE"}) + "\n"
	described := cognitoimport.PoolSettings{AutoVerifiedAttributes: []string{"email"}, MFA: cognitoimport.MFAOff, RequiredAttributes: []string{"given_name"}}
	if _, err := cognitoimport.CheckFile(strings.NewReader(file), described, cognitoimport.CheckOptions{}); err != nil {
		t.Errorf("Described false: %v", err)
	}
	described.Described = true
	_, err := cognitoimport.CheckFile(strings.NewReader(file), described, cognitoimport.CheckOptions{})
	var fe *cognitoimport.FileError
	if !errors.As(err, &fe) {
		t.Fatal(err)
	}
	var got []cognitoimport.FileRule
	for _, p := range fe.Problems {
		got = append(got, p.Rule)
	}
	if want := []cognitoimport.FileRule{cognitoimport.FileRuleAutoVerified, cognitoimport.FileRuleMFADisabled, cognitoimport.FileRulePoolRequired}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, mfa := range []cognitoimport.MFAConfig{cognitoimport.MFAOptional, "bogus"} {
		described.MFA = mfa
		described.AutoVerifiedAttributes = []string{"email", "phone_number"}
		described.RequiredAttributes = nil
		if _, err := cognitoimport.CheckFile(strings.NewReader(file), described, cognitoimport.CheckOptions{}); err != nil {
			t.Errorf("MFA %q: %v", mfa, err)
		}
	}
	d := cognitoimport.DefaultPoolSettings("us-east-1_X")
	if d.UserPoolID != "us-east-1_X" || len(d.Header) != 21 || d.MFA != cognitoimport.MFAOff || !d.Described || !reflect.DeepEqual(d.AutoVerifiedAttributes, []string{"email"}) {
		t.Errorf("DefaultPoolSettings %+v", d)
	}
}

func TestFileProblemString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p    cognitoimport.FileProblem
		want string
	}{
		{cognitoimport.FileProblem{Line: 3, Column: "nickname", Rule: cognitoimport.FileRuleUTF8, Message: "a value is not valid UTF-8"}, "line 3: nickname: a value is not valid UTF-8"},
		{cognitoimport.FileProblem{Line: 4, Column: "birthdate", Rule: cognitoimport.FileRuleBirthdate, Message: "birthdate must be a date written mm/dd/yyyy"}, "line 4: birthdate must be a date written mm/dd/yyyy"},
		{cognitoimport.FileProblem{Line: 5, Rule: cognitoimport.FileRuleColumnCount, Message: "x"}, "line 5: x"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	if cognitoimport.FileRuleBirthdate.String() != "birthdate-format" || cognitoimport.FileRule(0).String() != "Constraint(0)" {
		t.Error("FileRule.String")
	}
}

// TestCheckFilePassesPoolColumnsWithoutRules: a column that the pool's
// header names and that the checker has no rule for (a column the service
// adds, such as a password hash) passes through. The file checks clean with
// the pool's settings as CheckFile is given them and as Client.PoolSettings
// reads them from the server, and the server's import, which reads files
// through the same checker, imports the row with the column's value. The
// server names such a column only as a custom attribute.
func TestCheckFilePassesPoolColumnsWithoutRules(t *testing.T) {
	t.Parallel()
	const hash = `$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy`
	fileWith := func(header []string, extra string) string {
		row := map[string]string{"cognito:username": "alice", "cognito:mfa_enabled": "FALSE",
			"email": "alice@example.com", "email_verified": "TRUE", extra: hash}
		values := make([]string, len(header))
		for i, h := range header {
			values[i] = row[h]
		}
		return strings.Join(header, ",") + "\n" + strings.Join(values, ",") + "\n"
	}

	t.Run("CheckFile", func(t *testing.T) {
		t.Parallel()
		settings := cognitoimport.DefaultPoolSettings(testPool)
		settings.Header = append(settings.Header, "password_hash")
		users, err := cognitoimport.CheckFile(strings.NewReader(fileWith(settings.Header, "password_hash")), settings, cognitoimport.CheckOptions{})
		if users != 1 || err != nil {
			t.Errorf("CheckFile with the pool's extra column = %d users, %v; want 1 user and no problem", users, err)
		}
		// The column counts as the pool's: a file without it fails.
		without := fileWith(cognitoimport.DefaultPoolSettings(testPool).Header, "")
		_, err = cognitoimport.CheckFile(strings.NewReader(without), settings, cognitoimport.CheckOptions{})
		if fe := as[*cognitoimport.FileError](t, err); fe.Problems[0].Rule != cognitoimport.FileRuleMissingColumn || fe.Problems[0].Column != "password_hash" {
			t.Errorf("file without the pool's column: %v, want it missing", err)
		}
	})

	t.Run("Server", func(t *testing.T) {
		t.Parallel()
		const pool = "us-east-1_HashPool"
		e := newClocked(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: pool, CustomAttributes: []string{"password_hash"}}))
		settings, err := e.client.PoolSettings(t.Context(), pool)
		if err != nil {
			t.Fatal(err)
		}
		file := fileWith(settings.Header, "custom:password_hash")
		if users, err := cognitoimport.CheckFile(strings.NewReader(file), settings, cognitoimport.CheckOptions{}); users != 1 || err != nil {
			t.Fatalf("CheckFile with the server's pool settings = %d users, %v; want 1 user and no problem", users, err)
		}
		job, err := e.client.Import(t.Context(), cognitoimport.ImportInput{UserPoolID: pool, JobName: "hashes",
			CloudWatchLogsRoleARN: testRoleARN, File: strings.NewReader(file)})
		if err != nil || job.ImportedUsers != 1 {
			t.Fatalf("Import = %v, %v; want 1 user imported", job, err)
		}
		users := e.srv.Users(pool)
		if len(users) != 1 || users[0].Attributes["custom:password_hash"] != hash {
			t.Errorf("server's users = %+v, want alice with the hash", users)
		}
	})
}

// endlessReader never sends a line feed: it counts the bytes read from it
// and, so that a check that does not stop fails the test instead of hanging
// it, ends with io.EOF after max bytes.
type endlessReader struct {
	read, max int64
}

func (r *endlessReader) Read(p []byte) (int, error) {
	if r.read >= r.max {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.max-r.read))
	for i := range n {
		p[i] = 0
	}
	r.read += int64(n)
	return n, nil
}

// TestCheckFileStopsOnAnEndlessLine: a file with no line feed (such as
// /dev/zero) ends the check promptly with the problem that fails the file:
// from the first byte, the header is over the row limit (line 1), which
// CheckFile reports after reading one buffer of 64 KiB, whatever the file
// limit; after the header, the row never ends and the file goes over the
// file limit (lowered here), which ends the read there.
func TestCheckFileStopsOnAnEndlessLine(t *testing.T) {
	t.Parallel()
	const limit, buffer = 1 << 20, 64 << 10
	header := strings.Join(cognitoimport.DefaultPoolSettings(testPool).Header, ",") + "\n"

	endless := &endlessReader{max: 64 * limit}
	_, err := cognitoimport.CheckFile(endless, cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{})
	if fe := as[*cognitoimport.FileError](t, err); fe.Total != 1 || fe.Problems[0].Rule != cognitoimport.FileRuleRowLength || fe.Problems[0].Line != 1 {
		t.Errorf("no line feed at all: %v, want the header over the row limit", err)
	}
	if endless.read > 2*buffer {
		t.Errorf("no line feed at all: read %d bytes, want at most %d", endless.read, 2*buffer)
	}

	endless = &endlessReader{max: 64 * limit}
	_, err = cognitoimport.CheckFileWithLimits(io.MultiReader(strings.NewReader(header), endless), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{}, limit, 0)
	if fe := as[*cognitoimport.FileError](t, err); fe.Total != 1 || fe.Problems[0].Rule != cognitoimport.FileRuleTooLarge || fe.Problems[0].Line != 2 {
		t.Errorf("a row with no line feed: %v, want the file over its limit at line 2", err)
	}
	if read := int64(len(header)) + endless.read; read > limit+2*buffer {
		t.Errorf("a row with no line feed: read %d bytes, want at most %d", read, limit+2*buffer)
	}
}
