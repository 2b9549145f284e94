package cognitoimport_test

import (
	"bytes"
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
	"time"

	"github.com/cognitoimport/cognitoimport"
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

func TestPoolRulesDescribed(t *testing.T) {
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

// readUsers reads a file back through the shared reader into Users: the
// inverse of the writer, for the round trip.
func readUsers(t *testing.T, header []string, file []byte) []cognitoimport.User {
	t.Helper()
	c := usersfile.NewChecker(usersfile.Rules{Header: header}, bytes.NewReader(file))
	var users []cognitoimport.User
	for c.Next() {
		row := c.Row()
		if !row.OK() {
			t.Fatalf("line %d: %v", row.Line, row.Problems)
		}
		var u cognitoimport.User
		for i, name := range c.Header() {
			v := string(row.Fields[i])
			switch name {
			case "cognito:username":
				u.Username = v
			case "cognito:mfa_enabled":
				u.MFAEnabled = v == "TRUE"
			case "name":
				u.Name = v
			case "given_name":
				u.GivenName = v
			case "family_name":
				u.FamilyName = v
			case "middle_name":
				u.MiddleName = v
			case "nickname":
				u.Nickname = v
			case "preferred_username":
				u.PreferredUsername = v
			case "profile":
				u.Profile = v
			case "picture":
				u.Picture = v
			case "website":
				u.Website = v
			case "email":
				u.Email = v
			case "email_verified":
				u.EmailVerified = v == "TRUE"
			case "gender":
				u.Gender = v
			case "birthdate":
				if v != "" {
					d, err := time.Parse("01/02/2006", v)
					if err != nil {
						t.Fatal(err)
					}
					u.Birthdate = d
				}
			case "zoneinfo":
				u.Zoneinfo = v
			case "locale":
				u.Locale = v
			case "phone_number":
				u.PhoneNumber = v
			case "phone_number_verified":
				u.PhoneNumberVerified = v == "TRUE"
			case "address":
				u.Address = v
			case "updated_at":
				if v != "" {
					s, err := strconv.ParseInt(v, 10, 64)
					if err != nil {
						t.Fatal(err)
					}
					u.UpdatedAt = time.Unix(s, 0)
				}
			default:
				if custom, ok := strings.CutPrefix(name, "custom:"); ok && v != "" {
					if u.Custom == nil {
						u.Custom = map[string]string{}
					}
					u.Custom[custom] = v
				}
			}
		}
		users = append(users, u)
	}
	if c.Err() != nil || c.FileProblems() != nil {
		t.Fatal(c.Err(), c.FileProblems())
	}
	return users
}

// trimmed returns u as the service stores it: values trimmed, times at the
// precision the file keeps.
func trimmed(u cognitoimport.User) cognitoimport.User {
	for _, p := range []*string{&u.Username, &u.Name, &u.GivenName, &u.FamilyName, &u.MiddleName, &u.Nickname, &u.PreferredUsername,
		&u.Profile, &u.Picture, &u.Website, &u.Email, &u.Gender, &u.Zoneinfo, &u.Locale, &u.PhoneNumber, &u.Address} {
		*p = usersfile.TrimString(*p)
	}
	if !u.Birthdate.IsZero() {
		y, m, d := u.Birthdate.Date()
		u.Birthdate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	if !u.UpdatedAt.IsZero() {
		u.UpdatedAt = time.Unix(u.UpdatedAt.Unix(), 0)
	}
	custom := u.Custom
	u.Custom = nil
	for k, v := range custom {
		if v = usersfile.TrimString(v); v != "" {
			if u.Custom == nil {
				u.Custom = map[string]string{}
			}
			u.Custom[k] = v
		}
	}
	return u
}

var roundTripUsers = []cognitoimport.User{
	{Username: "john", Email: "john@example.com", EmailVerified: true, GivenName: "John", FamilyName: "Doe",
		Birthdate: time.Date(1985, 2, 1, 23, 59, 0, 0, time.FixedZone("x", -8*3600)), PhoneNumber: "+12345550100", PhoneNumberVerified: true,
		Address: "123 Any Street, Springfield, OR", UpdatedAt: time.Unix(1700000000, 999)},
	{Username: "  jäne  ", Email: "jane@example.com", EmailVerified: true, MFAEnabled: true, Name: "Roe, Jane \\ \"JR\"",
		Nickname: `ends in a backslash\`, Website: `\,\\,`, Locale: "日本語", Custom: map[string]string{"dept": " sales, east ", "empty": ""}},
	{Username: `back\slash`, PhoneNumber: "+15550100", PhoneNumberVerified: true, Profile: ",,,", Custom: map[string]string{"team": `\`},
		Birthdate: time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Unix(0, 0).Add(time.Second)},
	{Username: "😀", Email: " x@y ", EmailVerified: true, Gender: "\t", Zoneinfo: "Europe/Paris", MiddleName: "\u00a0nbsp\u00a0"},
}

func TestUsersWriterRoundTrip(t *testing.T) {
	t.Parallel()
	header := append(usersfile.DefaultHeader(), "custom:dept", "custom:team", "custom:empty")
	for name, h := range map[string][]string{
		"service order":  header,
		"username first": append([]string{"cognito:username"}, slicesWithout(header, "cognito:username")...),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := cognitoimport.NewUsersWriter(&buf, h)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range roundTripUsers {
				if err := w.Write(u); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if w.Size() != int64(buf.Len()) || w.Users() != len(roundTripUsers) {
				t.Errorf("Size %d of %d bytes, Users %d", w.Size(), buf.Len(), w.Users())
			}
			got := readUsers(t, header, buf.Bytes())
			if len(got) != len(roundTripUsers) {
				t.Fatalf("%d users back", len(got))
			}
			for i, u := range roundTripUsers {
				if want := trimmed(u); !reflect.DeepEqual(got[i], want) {
					t.Errorf("user %d:\n got %+v\nwant %+v", i, got[i], want)
				}
			}
			rules := cognitoimport.PoolSettings{Header: header}
			if users, err := cognitoimport.CheckFile(bytes.NewReader(buf.Bytes()), rules, cognitoimport.CheckOptions{}); users != len(roundTripUsers) || err != nil {
				t.Errorf("CheckFile: %d users, %v\n%s", users, err, buf.String())
			}
		})
	}
}

func slicesWithout(s []string, x string) []string {
	var out []string
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

func TestUsersWriterOutput(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w, err := cognitoimport.NewUsersWriter(&buf, []string{"cognito:username", "name", "email", "email_verified", "cognito:mfa_enabled", "birthdate", "updated_at", "custom:x"})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Write(cognitoimport.User{Username: "a", Name: ` Doe, J\ `, Email: "a@x", EmailVerified: true,
		Birthdate: time.Date(7, 3, 9, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Unix(1, 0), Custom: map[string]string{"x": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "cognito:username,name,email,email_verified,cognito:mfa_enabled,birthdate,updated_at,custom:x\n" +
		`a,Doe\, J\ ,a@x,TRUE,FALSE,03/09/0007,1,v` + "\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestUsersWriterRefuses(t *testing.T) {
	t.Parallel()
	ok := cognitoimport.User{Username: "u", Email: "u@example.com", EmailVerified: true}
	with := func(f func(*cognitoimport.User)) cognitoimport.User {
		u := ok
		f(&u)
		return u
	}
	header := append(usersfile.DefaultHeader(), "custom:dept")
	tests := []struct {
		name string
		user cognitoimport.User
		attr string
	}{
		{"no username", with(func(u *cognitoimport.User) { u.Username = " " }), "cognito:username"},
		{"space", with(func(u *cognitoimport.User) { u.Username = "a b" }), "cognito:username"},
		{"tab", with(func(u *cognitoimport.User) { u.Username = "a\tb" }), "cognito:username"},
		{"line break", with(func(u *cognitoimport.User) { u.Address = "1 Main St\nApt 2" }), "address"},
		{"carriage return", with(func(u *cognitoimport.User) { u.Custom = map[string]string{"dept": "a\rb"} }), "custom:dept"},
		{"utf8", with(func(u *cognitoimport.User) { u.Nickname = "\xff" }), "nickname"},
		{"unknown custom", with(func(u *cognitoimport.User) { u.Custom = map[string]string{"dept": "x", "zz": "1", "team": "a"} }), "custom:team"},
		{"unverified", with(func(u *cognitoimport.User) { u.EmailVerified = false }), "email_verified"},
		{"email missing", with(func(u *cognitoimport.User) { u.Email = "" }), "email"},
		{"phone missing", with(func(u *cognitoimport.User) { u.PhoneNumberVerified = true }), "phone_number"},
		{"phone format", with(func(u *cognitoimport.User) { u.PhoneNumber = "+1 555" }), "phone_number"},
		{"birth year", with(func(u *cognitoimport.User) { u.Birthdate = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "birthdate"},
		{"updated before 1970", with(func(u *cognitoimport.User) { u.UpdatedAt = time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC) }), "updated_at"},
		{"row length", with(func(u *cognitoimport.User) { u.Address = strings.Repeat("a", 16000) }), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			w, err := cognitoimport.NewUsersWriter(&buf, header)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(with(func(u *cognitoimport.User) { u.Username = "first" })); err != nil {
				t.Fatal(err)
			}
			size := w.Size()
			err = w.Write(tt.user)
			var ue *cognitoimport.UserError
			if !errors.As(err, &ue) || ue.Attribute != tt.attr || ue.Username != tt.user.Username || ue.Reason == "" {
				t.Fatalf("err %#v, want a *UserError on %q", err, tt.attr)
			}
			if !strings.Contains(err.Error(), strconv.Quote(tt.user.Username)) {
				t.Errorf("Error() %q does not name the user", err)
			}
			// Nothing written, and the writer goes on.
			if err := w.Write(with(func(u *cognitoimport.User) { u.Username = "last" })); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if w.Users() != 2 || strings.Count(buf.String(), "\n") != 3 || w.Size() != int64(buf.Len()) || size >= w.Size() {
				t.Errorf("Users %d, file\n%s", w.Users(), buf.String())
			}
		})
	}
	// A standard attribute the header lacks.
	w, err := cognitoimport.NewUsersWriter(io.Discard, []string{"cognito:username", "email", "email_verified", "cognito:mfa_enabled"})
	if err != nil {
		t.Fatal(err)
	}
	var ue *cognitoimport.UserError
	if err := w.Write(with(func(u *cognitoimport.User) { u.Birthdate = time.Now() })); !errors.As(err, &ue) || ue.Attribute != "birthdate" {
		t.Errorf("err %v", err)
	}
	if err := w.Write(with(func(u *cognitoimport.User) { u.PhoneNumberVerified, u.PhoneNumber = true, "+1" })); !errors.As(err, &ue) || ue.Attribute != "phone_number" {
		t.Errorf("err %v", err)
	}
	if err := w.Write(with(func(u *cognitoimport.User) { u.Custom = map[string]string{"empty": " "} })); err != nil {
		t.Errorf("an empty custom attribute the header lacks: %v", err)
	}
}

func TestNewUsersWriterHeader(t *testing.T) {
	t.Parallel()
	for _, h := range [][]string{
		{"email"},
		{"cognito:username", "email", "email"},
		{"cognito:username", ""},
		{"cognito:username", " email"},
		{"cognito:username", "a,b"},
		{"cognito:username", `a\`},
		{"cognito:username", "a\nb"},
	} {
		if _, err := cognitoimport.NewUsersWriter(io.Discard, h); !errors.Is(err, cognitoimport.ErrHeader) {
			t.Errorf("%q: err %v", h, err)
		}
	}
	var buf bytes.Buffer
	w, err := cognitoimport.NewUsersWriter(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(usersfile.DefaultHeader(), ",") + "\n"; buf.String() != want || w.Size() != int64(len(want)) {
		t.Errorf("header %q", buf.String())
	}
	// An unknown column is written empty.
	buf.Reset()
	w, _ = cognitoimport.NewUsersWriter(&buf, []string{"future_attribute", "cognito:username", "email", "email_verified", "cognito:mfa_enabled"})
	if err := w.Write(cognitoimport.User{Username: "b", EmailVerified: true, Email: "b@x"}); err != nil {
		t.Fatal(err)
	}
	_ = w.Flush()
	if buf.String() != "future_attribute,cognito:username,email,email_verified,cognito:mfa_enabled\n,b,b@x,TRUE,FALSE\n" {
		t.Errorf("file %q", buf.String())
	}
}

func TestUsersWriterStickyError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	w, err := cognitoimport.NewUsersWriter(errWriter{boom}, nil)
	if err != nil {
		t.Fatal(err)
	}
	u := cognitoimport.User{Username: "a", EmailVerified: true, Email: "a@x"}
	if err := w.Flush(); !errors.Is(err, boom) {
		t.Errorf("Flush: %v", err)
	}
	if err := w.Write(u); !errors.Is(err, boom) {
		t.Errorf("Write after a failure: %v", err)
	}
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

// FuzzUsersWriterCheckFile: whatever the writer accepts, the checker reads
// back clean (under the generic rules) and equal.
func FuzzUsersWriterCheckFile(f *testing.F) {
	f.Add("john", "Doe, John", `a\`, "+1555", " x ", true, false, int64(0))
	f.Add("j\u00a0", "", "", "", "", false, true, int64(-5))
	f.Fuzz(func(t *testing.T, username, name, nickname, phone, dept string, ev, pv bool, updated int64) {
		u := cognitoimport.User{Username: username, Name: name, Nickname: nickname, PhoneNumber: phone, Email: "e@x",
			EmailVerified: ev, PhoneNumberVerified: pv, Custom: map[string]string{"dept": dept}}
		if updated != 0 {
			u.UpdatedAt = time.Unix(updated, 0)
		}
		header := append(usersfile.DefaultHeader(), "custom:dept")
		var buf bytes.Buffer
		w, err := cognitoimport.NewUsersWriter(&buf, header)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(u); err != nil {
			var ue *cognitoimport.UserError
			if !errors.As(err, &ue) {
				t.Fatal(err)
			}
			return
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		users, err := cognitoimport.CheckFile(bytes.NewReader(buf.Bytes()), cognitoimport.PoolSettings{Header: header}, cognitoimport.CheckOptions{})
		if users != 1 || err != nil {
			t.Fatalf("written %q: %d users, %v", buf.String(), users, err)
		}
		if got := readUsers(t, header, buf.Bytes()); !reflect.DeepEqual(got[0], trimmed(u)) {
			t.Fatalf("got %+v, want %+v", got[0], trimmed(u))
		}
	})
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
