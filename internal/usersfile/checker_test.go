package usersfile

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// The guide's sample file: both users are imported into a pool whose
// auto-verified attribute is email.
const sample = "cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled\n" +
	"John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE\n" +
	"Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE\n"

var sampleRules = Rules{AutoVerified: []string{"email"}, MFA: MFAOff}

type outcome struct {
	Line     int
	Problems []Problem
}

// check runs the checker over file and returns each row's problems (nil for
// a clean row), the file's problems and the error.
func check(t *testing.T, rules Rules, file string) (rows []outcome, file_ []Problem, err error) {
	t.Helper()
	c := NewChecker(rules, strings.NewReader(file))
	for c.Next() {
		row := c.Row()
		var ps []Problem
		if !row.OK() {
			ps = append(ps, row.Problems...)
		}
		rows = append(rows, outcome{row.Line, ps})
	}
	return rows, c.FileProblems(), c.Err()
}

func TestSampleIsClean(t *testing.T) {
	t.Parallel()
	c := NewChecker(sampleRules, strings.NewReader(sample))
	var users []string
	for c.Next() {
		row := c.Row()
		if !row.OK() {
			t.Errorf("line %d: %v", row.Line, row.Problems)
		}
		users = append(users, string(row.Fields[c.Index(ColUsername)])+"/"+string(row.Fields[c.Index("address")]))
	}
	if c.Err() != nil || c.FileProblems() != nil {
		t.Fatalf("err %v, file problems %v", c.Err(), c.FileProblems())
	}
	if want := []string{"John/123 Any Street", "Jane/100 Main Street"}; !reflect.DeepEqual(users, want) {
		t.Errorf("users %q, want %q", users, want)
	}
	if c.Users() != 2 || c.Line() != 3 || c.Bytes() != int64(len(sample)) {
		t.Errorf("Users %d Line %d Bytes %d", c.Users(), c.Line(), c.Bytes())
	}
}

// TestPoolColumnsWithoutRulesPassThrough: a column that the pool's header
// names and that no rule covers (one the service may add, such as a password
// hash) is read like any other: the row is clean and its value is there.
func TestPoolColumnsWithoutRulesPassThrough(t *testing.T) {
	t.Parallel()
	rules := sampleRules
	rules.Header = append(DefaultHeader(), "password_hash")
	file := strings.ReplaceAll(sample, "cognito:mfa_enabled\n", "cognito:mfa_enabled,password_hash\n")
	file = strings.ReplaceAll(file, "FALSE\n", "FALSE,$2b$10$abc/def\n")
	c := NewChecker(rules, strings.NewReader(file))
	var hashes []string
	for c.Next() {
		if row := c.Row(); !row.OK() {
			t.Errorf("line %d: %v", row.Line, row.Problems)
		} else {
			hashes = append(hashes, string(row.Fields[c.Index("password_hash")]))
		}
	}
	if c.Err() != nil || c.FileProblems() != nil {
		t.Fatalf("err %v, file problems %v", c.Err(), c.FileProblems())
	}
	if want := []string{"$2b$10$abc/def", "$2b$10$abc/def"}; !reflect.DeepEqual(hashes, want) {
		t.Errorf("password_hash values %q, want %q", hashes, want)
	}
}

// header is the default header's order (cognito:username last).
var header = DefaultHeader()

// row returns a row for header: a clean user with the given values replaced.
func row(set map[string]string) string {
	base := map[string]string{
		ColUsername: "alice", ColMFAEnabled: "FALSE", ColEmail: "alice@example.com", ColEmailVerified: "TRUE",
	}
	vals := make([]string, len(header))
	for i, h := range header {
		v, ok := set[h]
		if !ok {
			v = base[h]
		}
		vals[i] = v
	}
	return strings.Join(vals, ",")
}

func file(rows ...string) string {
	return strings.Join(header, ",") + "\n" + strings.Join(rows, "\n") + "\n"
}

func TestRowRules(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", MaxRowChars)
	emailOnly := Rules{AutoVerified: []string{"email"}, MFA: MFAOff}
	tests := []struct {
		rule   Rule
		rules  Rules
		bad    string // a row that breaks the rule
		col    string // the column reported
		good   string // a row close to bad that does not
		reason string // the service's text, when it is worth pinning
	}{
		{RowLength, Rules{}, row(map[string]string{"address": long[:MaxRowChars-len(row(nil))+1]}), "", row(map[string]string{"address": long[:MaxRowChars-len(row(nil))]}), "The User Record is longer than 16000 characters."},
		{RowLength, Rules{}, row(map[string]string{"address": strings.Repeat("€", MaxRowChars)}), "", row(map[string]string{"address": strings.Repeat("€", MaxRowChars-len(row(nil)))}), ""},
		{UTF8, Rules{}, row(map[string]string{"name": "a\xffb"}), "name", row(map[string]string{"name": "aéb"}), ""},
		{ColumnCount, Rules{}, row(map[string]string{"name": "Doe, John"}), "", row(map[string]string{"name": `Doe\, John`}), ""},
		{ColumnCount, Rules{}, row(nil) + ",", "", row(nil) + " ", ""},
		{Required, Rules{}, row(map[string]string{ColUsername: " "}), ColUsername, row(map[string]string{ColUsername: "b"}), "The User Record does not set the required attribute cognito:username."},
		{Required, Rules{}, row(map[string]string{ColMFAEnabled: ""}), ColMFAEnabled, row(map[string]string{ColMFAEnabled: "false"}), ""},
		{VerifiedRequired, Rules{}, row(map[string]string{ColEmailVerified: ""}), ColEmailVerified, row(map[string]string{ColEmailVerified: "", ColPhoneNumberVerified: "TRUE", ColPhoneNumber: "+1555"}), ""},
		{Boolean, Rules{}, row(map[string]string{ColEmailVerified: "yes"}), ColEmailVerified, row(map[string]string{ColEmailVerified: "True"}), "The attribute email_verified must be true or false."},
		{Boolean, Rules{}, row(map[string]string{ColPhoneNumberVerified: "1"}), ColPhoneNumberVerified, row(map[string]string{ColPhoneNumberVerified: "false"}), ""},
		{Boolean, Rules{}, row(map[string]string{ColMFAEnabled: "no"}), ColMFAEnabled, row(map[string]string{ColMFAEnabled: "FaLsE"}), ""},
		{UsernameSpace, Rules{}, row(map[string]string{ColUsername: "al ice"}), ColUsername, row(map[string]string{ColUsername: " alice "}), ""},
		{UsernameSpace, Rules{}, row(map[string]string{ColUsername: "al\tice"}), ColUsername, row(map[string]string{ColUsername: "al_ice"}), ""},
		{UsernameSpace, Rules{}, row(map[string]string{ColUsername: "al\u00a0ice"}), ColUsername, row(map[string]string{ColUsername: "alíce"}), ""},
		{AutoVerified, emailOnly, row(map[string]string{ColEmailVerified: "FALSE", ColPhoneNumberVerified: "TRUE", ColPhoneNumber: "+1555"}), ColEmailVerified, row(map[string]string{ColPhoneNumberVerified: "TRUE", ColPhoneNumber: "+1555"}),
			"The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."},
		{AutoVerified, Rules{}, row(map[string]string{ColEmailVerified: "FALSE", ColPhoneNumberVerified: "FALSE"}), ColEmailVerified, row(map[string]string{ColEmailVerified: "FALSE", ColPhoneNumberVerified: "TRUE", ColPhoneNumber: "+1"}), ""},
		{AutoVerified, Rules{AutoVerified: []string{"phone_number"}}, row(nil), ColPhoneNumberVerified, row(map[string]string{ColPhoneNumberVerified: "TRUE", ColPhoneNumber: "+1"}), ""},
		{MFARequired, Rules{MFA: MFAOn}, row(nil), ColMFAEnabled, row(map[string]string{ColMFAEnabled: "TRUE"}), ""},
		{MFADisabled, Rules{MFA: MFAOff}, row(map[string]string{ColMFAEnabled: "TRUE"}), ColMFAEnabled, row(nil), ""},
		{EmailRequired, Rules{}, row(map[string]string{ColEmail: ""}), ColEmail, row(map[string]string{ColEmail: "", ColEmailVerified: "FALSE", ColPhoneNumberVerified: "TRUE", ColPhoneNumber: "+1"}), ""},
		{PhoneRequired, Rules{}, row(map[string]string{ColPhoneNumberVerified: "TRUE"}), ColPhoneNumber, row(map[string]string{ColPhoneNumberVerified: "FALSE"}), ""},
		{PhoneFormat, Rules{}, row(map[string]string{ColPhoneNumber: "+1 555 0100"}), ColPhoneNumber, row(map[string]string{ColPhoneNumber: "+15550100"}), ""},
		{PhoneFormat, Rules{}, row(map[string]string{ColPhoneNumber: "15550100"}), ColPhoneNumber, row(map[string]string{ColPhoneNumber: "+15550100 "}), ""},
		{PhoneFormat, Rules{}, row(map[string]string{ColPhoneNumber: "+"}), ColPhoneNumber, row(map[string]string{ColPhoneNumber: "+0"}), ""},
		{Birthdate, Rules{}, row(map[string]string{ColBirthdate: "1985-02-01"}), ColBirthdate, row(map[string]string{ColBirthdate: "02/01/1985"}), ""},
		{Birthdate, Rules{}, row(map[string]string{ColBirthdate: "02/29/1900"}), ColBirthdate, row(map[string]string{ColBirthdate: "02/29/2000"}), ""},
		{Birthdate, Rules{}, row(map[string]string{ColBirthdate: "13/01/1985"}), ColBirthdate, row(map[string]string{ColBirthdate: "12/31/1985"}), ""},
		{Birthdate, Rules{}, row(map[string]string{ColBirthdate: "2/1/1985"}), ColBirthdate, row(map[string]string{ColBirthdate: "04/30/1985"}), ""},
		{Birthdate, Rules{}, row(map[string]string{ColBirthdate: "04/31/1985"}), ColBirthdate, row(map[string]string{ColBirthdate: "01/01/0000"}), ""},
		{UpdatedAt, Rules{}, row(map[string]string{ColUpdatedAt: "2024-01-01T00:00:00Z"}), ColUpdatedAt, row(map[string]string{ColUpdatedAt: "1704067200"}), ""},
		{UpdatedAt, Rules{}, row(map[string]string{ColUpdatedAt: "-1"}), ColUpdatedAt, row(map[string]string{ColUpdatedAt: "0"}), ""},
		{UpdatedAt, Rules{}, row(map[string]string{ColUpdatedAt: "9223372036854775808"}), ColUpdatedAt, row(map[string]string{ColUpdatedAt: "9223372036854775807"}), ""},
		{UpdatedAt, Rules{}, row(map[string]string{ColUpdatedAt: "1.5"}), ColUpdatedAt, row(map[string]string{ColUpdatedAt: "00000000000000000000001"}), ""},
		{PoolRequired, Rules{Required: []string{"family_name"}}, row(nil), "family_name", row(map[string]string{"family_name": "Doe"}), "The User Record does not set family_name, which the user pool requires."},
		{PoolRequired, Rules{Header: append(DefaultHeader(), "custom:dept"), Required: []string{"custom:dept"}}, row(nil) + ",", "custom:dept", row(nil) + ",sales", ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule.String(), func(t *testing.T) {
			h := header
			if tt.rules.Header != nil {
				h = tt.rules.Header
			}
			f := func(r string) string { return strings.Join(h, ",") + "\n" + r + "\n" }
			rows, fp, err := check(t, tt.rules, f(tt.bad))
			if err != nil || fp != nil || len(rows) != 1 {
				t.Fatalf("bad: rows %v, file problems %v, err %v", rows, fp, err)
			}
			want := Problem{Line: 2, Column: tt.col, Rule: tt.rule}
			if ps := rows[0].Problems; len(ps) != 1 || ps[0] != want {
				t.Errorf("bad row %q:\n got %v\nwant [%v]", tt.bad, ps, want)
			}
			if tt.reason != "" && want.Reason() != tt.reason {
				t.Errorf("reason %q, want %q", want.Reason(), tt.reason)
			}
			rows, fp, err = check(t, tt.rules, f(tt.good))
			if err != nil || fp != nil || len(rows) != 1 {
				t.Fatalf("good: rows %v, file problems %v, err %v", rows, fp, err)
			}
			if ps := rows[0].Problems; ps != nil {
				t.Errorf("good row %q: %v", tt.good, ps)
			}
		})
	}
}

func TestDuplicateUsername(t *testing.T) {
	t.Parallel()
	f := file(
		row(map[string]string{ColUsername: "bob", ColBirthdate: "bad"}), // fails: not imported, so it does not claim bob
		row(map[string]string{ColUsername: "bob"}),                      // imported
		row(map[string]string{ColUsername: " bob "}),                    // trimmed: the same name
		row(map[string]string{ColUsername: "Bob"}),                      // another name
		row(map[string]string{ColUsername: "bob", ColBirthdate: "bad"}), // both problems
	)
	rows, fp, err := check(t, Rules{}, f)
	if err != nil || fp != nil {
		t.Fatal(fp, err)
	}
	want := []outcome{
		{2, []Problem{{2, ColBirthdate, Birthdate}}},
		{3, nil},
		{4, []Problem{{4, ColUsername, DuplicateUsername}}},
		{5, nil},
		{6, []Problem{{6, ColBirthdate, Birthdate}, {6, ColUsername, DuplicateUsername}}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got  %v\nwant %v", rows, want)
	}
}

func TestNameSetManyAndCollisions(t *testing.T) {
	t.Parallel()
	s := NewNameSet()
	for i := range 10000 {
		name := fmt.Appendf(nil, "user%d", i)
		if s.Has(name) {
			t.Fatalf("%s before Insert", name)
		}
		if !s.Insert(name) || s.Insert(name) {
			t.Fatalf("Insert %s", name)
		}
	}
	for i := range 10000 {
		if !s.Has(fmt.Appendf(nil, "user%d", i)) {
			t.Fatalf("user%d missing", i)
		}
	}
	if s.Len() != 10000 || s.Has([]byte("user10000")) || !s.Insert(nil) || s.Insert([]byte{}) {
		t.Fatal("Len, absent name or empty name")
	}
	// A hash collision: a slot for "a" under "b"'s hash.
	h := NewNameSet()
	h.Insert([]byte("a"))
	hb := maphash.Bytes(h.seed, []byte("b"))
	i, _ := h.find(hb, []byte("b"))
	h.slots[i] = slot{hash: hb, off: 1}
	h.n++
	if h.Has([]byte("b")) {
		t.Fatal(`"b" found through "a"'s name`)
	}
	if !h.Insert([]byte("b")) || !h.Has([]byte("b")) || !h.Has([]byte("a")) || h.Has([]byte("c")) {
		t.Fatal("lookup past a collision")
	}
}

func TestMultipleProblemsInRuleOrder(t *testing.T) {
	t.Parallel()
	r := row(map[string]string{ColUsername: "", ColMFAEnabled: "TRUE", ColEmailVerified: "maybe", ColPhoneNumber: "555", ColBirthdate: "x", ColUpdatedAt: "y", "name": ""})
	rows, _, _ := check(t, Rules{MFA: MFAOff, Required: []string{"name"}}, file(r))
	want := []Problem{
		{2, ColUsername, Required}, {2, ColEmailVerified, Boolean}, {2, ColMFAEnabled, MFADisabled},
		{2, ColPhoneNumber, PhoneFormat}, {2, ColBirthdate, Birthdate}, {2, ColUpdatedAt, UpdatedAt}, {2, "name", PoolRequired},
	}
	if !reflect.DeepEqual(rows[0].Problems, want) {
		t.Errorf("got  %v\nwant %v", rows[0].Problems, want)
	}
}

func TestFileRules(t *testing.T) {
	t.Parallel()
	h := strings.Join(header, ",")
	without := func(col string) string {
		var cols []string
		for _, c := range header {
			if c != col {
				cols = append(cols, c)
			}
		}
		return strings.Join(cols, ",")
	}
	tests := []struct {
		name  string
		rules Rules
		file  string
		want  []Problem
		rows  int // rows yielded before the file failed
	}{
		{"empty", Rules{}, "", []Problem{{1, "", NoHeader}}, 0},
		{"blank first line", Rules{}, "\n" + h + "\n" + row(nil) + "\n", []Problem{{1, "", NoHeader}}, 0},
		{"white space first line", Rules{}, " \t\r\n" + h + "\n", []Problem{{1, "", NoHeader}}, 0},
		{"bom", Rules{}, "\xEF\xBB\xBF" + h + "\n" + row(nil) + "\n", []Problem{{1, "", BOM}}, 0},
		{"missing", Rules{}, without("nickname") + "\n", []Problem{{1, "nickname", MissingColumn}}, 0},
		{"unknown", Rules{}, h + ",custom:x\n", []Problem{{1, "custom:x", UnknownColumn}}, 0},
		{"duplicate", Rules{}, h + ",email\n", []Problem{{1, "email", DuplicateColumn}}, 0},
		{"header utf8", Rules{}, h + ",\xff\n", []Problem{{1, "", UTF8}}, 0},
		{"header too long", Rules{}, h + "," + strings.Repeat("x", MaxRowChars) + "\n", []Problem{{1, "", RowLength}}, 0},
		{"several", Rules{Header: append(DefaultHeader(), "custom:a")}, "\xEF\xBB\xBF" + without("email") + ",email_verified,custom:b\n",
			[]Problem{{1, "", BOM}, {1, "email_verified", DuplicateColumn}, {1, "custom:b", UnknownColumn}, {1, "email", MissingColumn}, {1, "custom:a", MissingColumn}}, 0},
		{"too many users", Rules{MaxUsers: 2}, file(row(nil), row(map[string]string{ColUsername: "b"}), row(map[string]string{ColUsername: "c"})),
			[]Problem{{4, "", TooManyUsers}}, 2},
		{"just enough users", Rules{MaxUsers: 2}, file(row(nil), "", row(map[string]string{ColUsername: "b"})), nil, 2},
		{"file size", Rules{MaxBytes: int64(len(h) + 1 + len(row(nil)) + 1)}, file(row(nil), row(map[string]string{ColUsername: "b"})),
			[]Problem{{3, "", FileSize}}, 1},
		{"just the size", Rules{MaxBytes: int64(len(h) + 1 + len(row(nil)) + 1)}, file(row(nil)), nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rows, fp, err := check(t, tt.rules, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fp, tt.want) {
				t.Errorf("file problems\n got %v\nwant %v", fp, tt.want)
			}
			if len(rows) != tt.rows {
				t.Errorf("%d rows, want %d", len(rows), tt.rows)
			}
			for _, p := range fp {
				if !p.Rule.Info().File && p.Line != 1 {
					t.Errorf("%v: a row rule in the file's problems", p)
				}
			}
		})
	}
}

// TestDocumentedLimits: the limits are the service's documented ones, and a
// checker applies them unless its Rules lower them. The tests reach the
// limits through lowered Rules (TestFileRules); this holds the values.
func TestDocumentedLimits(t *testing.T) {
	t.Parallel()
	if MaxFileBytes != 100*1024*1024 || MaxUsers != 500_000 || MaxRowChars != 16_000 {
		t.Errorf("limits %d bytes, %d users, %d characters a row; documented: 100 MB, 500,000, 16,000", MaxFileBytes, MaxUsers, MaxRowChars)
	}
	for _, r := range []Rules{{}, sampleRules, {MaxBytes: -1, MaxUsers: -1}} {
		if b, u := r.Limits(); b != MaxFileBytes || u != MaxUsers {
			t.Errorf("%+v: limits %d bytes, %d users", r, b, u)
		}
		if c := NewChecker(r, nil); c.maxBytes != MaxFileBytes || c.maxUsers != MaxUsers {
			t.Errorf("%+v: the checker's limits are %d bytes, %d users", r, c.maxBytes, c.maxUsers)
		}
	}
	if b, u := (Rules{MaxBytes: 10, MaxUsers: 2}).Limits(); b != 10 || u != 2 {
		t.Errorf("lowered limits read %d bytes, %d users", b, u)
	}
}

func TestLineEndsAndEmptyLines(t *testing.T) {
	t.Parallel()
	h := strings.Join(header, ",")
	for name, f := range map[string]string{
		"lf":                   h + "\n" + row(nil) + "\n",
		"crlf":                 h + "\r\n" + row(nil) + "\r\n",
		"no final break":       h + "\n" + row(nil),
		"empty lines":          h + "\n\n\r\n" + row(nil) + "\n\n",
		"crlf, no final break": h + "\r\n" + row(nil) + "\r",
		"carriage return last": h + "\n" + row(nil) + "\n\r",
	} {
		t.Run(name, func(t *testing.T) {
			c := NewChecker(Rules{}, strings.NewReader(f))
			n := 0
			for c.Next() {
				n++
				r := c.Row()
				if !r.OK() || string(r.Fields[len(r.Fields)-1]) != "alice" {
					t.Errorf("row %+v", r)
				}
			}
			if n != 1 || c.Users() != 1 || c.FileProblems() != nil || c.Err() != nil {
				t.Errorf("%d rows, Users %d, %v, %v", n, c.Users(), c.FileProblems(), c.Err())
			}
		})
	}
	// A line break inside what was meant as one value ends the row.
	rows, _, _ := check(t, Rules{}, h+"\n"+row(map[string]string{"address": "1 Main St\nApt 2"})+"\n")
	if len(rows) != 2 || rows[0].Problems[0].Rule != ColumnCount || rows[1].Problems[0].Rule != ColumnCount || rows[1].Line != 3 {
		t.Errorf("got %v", rows)
	}
}

func TestVeryLongLine(t *testing.T) {
	t.Parallel()
	f := file(row(map[string]string{"address": strings.Repeat("y", 200000)}), row(map[string]string{ColUsername: "b"}))
	rows, fp, err := check(t, Rules{}, f)
	if err != nil || fp != nil {
		t.Fatal(fp, err)
	}
	want := []outcome{{2, []Problem{{2, "", RowLength}}}, {3, nil}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %v, want %v", rows, want)
	}
	// A long last line without a line break.
	rows, _, _ = check(t, Rules{}, strings.Join(header, ",")+"\n"+strings.Repeat("z", 100000))
	if len(rows) != 1 || rows[0].Line != 2 || rows[0].Problems[0].Rule != RowLength {
		t.Errorf("got %v", rows)
	}
}

// endlessReader is a reader that never sends a line feed: it counts the
// bytes read from it and, so that a checker that does not stop fails a test
// instead of hanging it, ends with io.EOF after max bytes.
type endlessReader struct {
	read, max int64
}

func (r *endlessReader) Read(p []byte) (int, error) {
	if r.read >= r.max {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.max-r.read))
	for i := range n {
		p[i] = 'a'
	}
	r.read += int64(n)
	return n, nil
}

// TestEndlessLineStopsAtTheLimits: a file with no line feed ends the read as
// soon as a limit is passed, whatever its length: a header over the row
// limit fails the file at once (line 1, row-length), and a row that never
// ends fails it once the file limit is passed (file-size), having read no
// more than the file limit and a buffer of 64 KiB.
func TestEndlessLineStopsAtTheLimits(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	const buffer = 64 << 10
	h := strings.Join(header, ",") + "\n"
	for _, tt := range []struct {
		name     string
		prefix   string
		want     Problem
		maxBytes int64
	}{
		{"header", "", Problem{Line: 1, Rule: RowLength}, 2 * buffer},
		{"row", h, Problem{Line: 2, Rule: FileSize}, limit + 2*buffer},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			endless := &endlessReader{max: 64 * limit}
			c := NewChecker(Rules{MaxBytes: limit}, io.MultiReader(strings.NewReader(tt.prefix), endless))
			for c.Next() {
			}
			if got := c.FileProblems(); len(got) != 1 || got[0] != tt.want || c.Err() != nil {
				t.Errorf("file problems %v, err %v; want %v", got, c.Err(), tt.want)
			}
			if read := int64(len(tt.prefix)) + endless.read; read > tt.maxBytes {
				t.Errorf("read %d bytes, want at most %d", read, tt.maxBytes)
			}
		})
	}
}

func TestReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	c := NewChecker(Rules{}, io.MultiReader(strings.NewReader(file(row(nil))), iotest.ErrReader(boom)))
	n := 0
	for c.Next() {
		n++
	}
	if n != 1 || !errors.Is(c.Err(), boom) || c.FileProblems() != nil {
		t.Errorf("%d rows, err %v, %v", n, c.Err(), c.FileProblems())
	}
	// One byte at a time reads the same.
	c = NewChecker(sampleRules, iotest.OneByteReader(strings.NewReader(sample)))
	n = 0
	for c.Next() {
		if !c.Row().OK() {
			t.Error(c.Row())
		}
		n++
	}
	if n != 2 || c.Err() != nil {
		t.Errorf("%d rows, %v", n, c.Err())
	}
}

func TestTable(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for i, info := range Table() {
		if info.Rule != Rule(i+1) || info.Name == "" || info.Message == "" || info.Reason == "" {
			t.Errorf("entry %d incomplete: %+v", i, info)
		}
		if names[info.Name] {
			t.Errorf("name %q twice", info.Name)
		}
		names[info.Name] = true
		if got := strings.Count(info.Message, "%s") + strings.Count(info.Reason, "%s"); got != 0 && !info.PerColumn || info.PerColumn && got != 2 {
			t.Errorf("%s: PerColumn %v with %d %%s", info.Name, info.PerColumn, got)
		}
		if info.Rule.String() != info.Name {
			t.Errorf("String %q", info.Rule.String())
		}
	}
	if Rule(0).String() != "Constraint(0)" || numRules.String() != fmt.Sprintf("Constraint(%d)", numRules) {
		t.Error("String of unknown rules")
	}
	p := Problem{Line: 3, Column: "name", Rule: PoolRequired}
	if p.Message() != "the pool requires a value for name" {
		t.Errorf("Message %q", p.Message())
	}
	if r := (Row{Problems: []Problem{p, {Rule: UTF8}}}); r.Reason() != "The User Record does not set name, which the user pool requires." || (Row{}).Reason() != "" {
		t.Errorf("Row.Reason %q", r.Reason())
	}
}

func TestSplitAndAppendField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want []string
	}{
		{"", []string{""}},
		{",", []string{"", ""}},
		{"a,b", []string{"a", "b"}},
		{` a , b `, []string{"a", "b"}},
		{`a\,b,c`, []string{"a,b", "c"}},
		{`a\\,b`, []string{`a\,b`}},
		{`a\b,\`, []string{`a\b`, `\`}},
		{`\,,\,`, []string{",", ","}},
		{`a\ ,b`, []string{`a\`, "b"}},
		{`"a,b"`, []string{`"a`, `b"`}},
		{"\t x\x00 ,é\\,ü", []string{"x", "é,ü"}},
	}
	for _, tt := range tests {
		got := Split([]byte(tt.line), nil)
		var s []string
		for _, f := range got {
			s = append(s, string(f))
		}
		if !reflect.DeepEqual(s, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.line, s, tt.want)
		}
	}
	values := []string{"", "a", ",", `\`, `\\`, `a\,b`, `a,b,c`, `x\`, `x,\`, "é,ü", `\,\`, `"q"`}
	for _, a := range values {
		for _, b := range values {
			line := AppendField(nil, a, false)
			line = append(line, ',')
			line = AppendField(line, b, true)
			if n := FieldLen(a, false) + 1 + FieldLen(b, true); n != len(line) {
				t.Errorf("FieldLen: %d, written %d", n, len(line))
			}
			line2, why1 := AppendValue(nil, a, false)
			line2 = append(line2, ',')
			line2, why2 := AppendValue(line2, b, true)
			if why1 != Writable || why2 != Writable || string(line2) != string(line) {
				t.Errorf("AppendValue wrote %q, AppendField %q", line2, line)
			}
			got := Split(line, nil)
			if len(got) != 2 || string(got[0]) != a || string(got[1]) != b {
				t.Errorf("%q, %q written %q read %q", a, b, line, got)
			}
		}
	}
}

func TestCheckValue(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]Writability{
		"": Writable, "a b": Writable, `a\,"b"`: Writable, "é": Writable,
		"a\nb": LineBreak, "a\r": LineBreak, "\xff": InvalidUTF8, " a": Untrimmed, "a\t": Untrimmed,
	} {
		if got := Check(v); got != want {
			t.Errorf("Check(%q) = %v, want %v", v, got, want)
		}
		dst, got := AppendValue([]byte("x"), v, true)
		if got != want || want != Writable && string(dst) != "x" {
			t.Errorf("AppendValue(%q) = %q, %v, want %v", v, dst, got, want)
		}
	}
	if TrimString(" \t a b \x00") != "a b" || string(Trim([]byte("  "))) != "" {
		t.Error("trim")
	}
}

func TestDefaultHeaderIsACopy(t *testing.T) {
	t.Parallel()
	h := DefaultHeader()
	h[0] = "x"
	if DefaultHeader()[0] != "name" || len(h) != 21 || h[20] != ColUsername {
		t.Error("DefaultHeader")
	}
}

func TestCheckerAllocations(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(strings.Join(header, ",") + "\n")
	for i := range 2000 {
		b.WriteString(row(map[string]string{ColUsername: fmt.Sprint("user", i), "name": `Doe\, Jane`}) + "\n")
	}
	data := b.Bytes()
	allocs := testing.AllocsPerRun(3, func() {
		c := NewChecker(Rules{}, bytes.NewReader(data))
		for c.Next() {
			if !c.Row().OK() {
				t.Fatal(c.Row())
			}
		}
	})
	// The name set's map and arena grow; the rows themselves allocate nothing.
	if allocs > 200 {
		t.Errorf("%v allocations for 2000 rows", allocs)
	}
}

func FuzzFieldRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a,b", `a\`, `\,`, " x ", "é"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		a, b = TrimString(a), TrimString(b)
		if Check(a) != Writable || Check(b) != Writable {
			return
		}
		line := AppendField(nil, a, false)
		line = append(line, ',')
		line = AppendField(line, b, true)
		got := Split(line, nil)
		if len(got) != 2 || string(got[0]) != a || string(got[1]) != b {
			t.Fatalf("%q, %q written %q read %q", a, b, line, got)
		}
	})
}

func TestAutoVerifiedUnknownNamesFallBack(t *testing.T) {
	t.Parallel()
	rows, _, _ := check(t, Rules{AutoVerified: []string{"address"}}, file(row(map[string]string{ColEmailVerified: "FALSE"})))
	if len(rows) != 1 || len(rows[0].Problems) != 1 || rows[0].Problems[0].Rule != AutoVerified {
		t.Errorf("got %v", rows)
	}
}
