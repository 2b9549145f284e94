package cognitoimport_test

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

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

// TestNewUsersWriterRequiresMFAColumn: the service requires
// cognito:mfa_enabled in every users file (IMPORT.md); a header without it
// is refused, rather than a writer that silently drops User.MFAEnabled.
func TestNewUsersWriterRequiresMFAColumn(t *testing.T) {
	t.Parallel()
	_, err := cognitoimport.NewUsersWriter(io.Discard, []string{"cognito:username", "email", "email_verified"})
	if !errors.Is(err, cognitoimport.ErrHeader) || !strings.Contains(err.Error(), "cognito:mfa_enabled") {
		t.Errorf("header without cognito:mfa_enabled: %v, want ErrHeader naming the column", err)
	}
	var b strings.Builder
	w, err := cognitoimport.NewUsersWriter(&b, []string{"cognito:username", "email", "email_verified", "cognito:mfa_enabled"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(cognitoimport.User{Username: "a", Email: "a@example.com", EmailVerified: true, MFAEnabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "cognito:username,email,email_verified,cognito:mfa_enabled\na,a@example.com,TRUE,TRUE\n"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}
