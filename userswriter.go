package cognitoimport

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// User is one user of a users file: the username, the MFA flag, the standard
// attributes and the custom ones. An empty string (or a zero time) leaves
// the attribute empty in the file.
type User struct {
	Username   string // cognito:username: required, no white space, unique within the file
	MFAEnabled bool   // cognito:mfa_enabled

	Name, GivenName, FamilyName, MiddleName, Nickname, PreferredUsername string
	Profile, Picture, Website                                            string

	Email         string
	EmailVerified bool

	Gender string
	// Birthdate is written as its date (year, month, day in its own
	// location), mm/dd/yyyy; the time of day is ignored. Zero: empty.
	Birthdate time.Time
	Zoneinfo  string
	Locale    string

	PhoneNumber         string // + and digits only (E.164), e.g. +12345550100
	PhoneNumberVerified bool

	Address string
	// UpdatedAt is written as seconds since the Unix epoch. Zero: empty.
	UpdatedAt time.Time

	// Custom holds custom attributes by name without the "custom:" prefix:
	// Custom["dept"] is the column custom:dept.
	Custom map[string]string
}

// UserError is returned by UsersWriter.Write for a user it refuses: nothing
// of that user was written, and the writer can go on with the next user.
type UserError struct {
	Username  string // the user's Username, as given
	Attribute string // the column: "cognito:username", "birthdate", "custom:dept"; "" for the whole row
	Reason    string
}

// Error names the user, the column (if any) and the reason, such as
// `cognitoimport: user "jane": COLUMN: REASON`. It never panics,
// not even on a nil *UserError.
func (e *UserError) Error() string {
	if e == nil {
		return "cognitoimport: user: <nil>"
	}
	if e.Attribute == "" {
		return fmt.Sprintf("cognitoimport: user %q: %s", e.Username, e.Reason)
	}
	return fmt.Sprintf("cognitoimport: user %q: %s: %s", e.Username, e.Attribute, e.Reason)
}

// A column's kind: which User field fills it.
type columnKind uint8

const (
	colUnknown columnKind = iota // a column the writer has no field for: written empty
	colCustom
	colUsername
	colMFAEnabled
	colName
	colGivenName
	colFamilyName
	colMiddleName
	colNickname
	colPreferredUsername
	colProfile
	colPicture
	colWebsite
	colEmail
	colEmailVerified
	colGender
	colBirthdate
	colZoneinfo
	colLocale
	colPhoneNumber
	colPhoneNumberVerified
	colAddress
	colUpdatedAt
	numKinds
)

var kindOf = map[string]columnKind{
	usersfile.ColUsername: colUsername, usersfile.ColMFAEnabled: colMFAEnabled,
	"name": colName, "given_name": colGivenName, "family_name": colFamilyName,
	"middle_name": colMiddleName, "nickname": colNickname, "preferred_username": colPreferredUsername,
	"profile": colProfile, "picture": colPicture, "website": colWebsite,
	usersfile.ColEmail: colEmail, usersfile.ColEmailVerified: colEmailVerified, "gender": colGender,
	usersfile.ColBirthdate: colBirthdate, "zoneinfo": colZoneinfo, "locale": colLocale,
	usersfile.ColPhoneNumber: colPhoneNumber, usersfile.ColPhoneNumberVerified: colPhoneNumberVerified,
	"address": colAddress, usersfile.ColUpdatedAt: colUpdatedAt,
}

// str returns u's string field for kind k, or "" for the other kinds.
func (u *User) str(k columnKind) string {
	switch k {
	case colUsername:
		return u.Username
	case colName:
		return u.Name
	case colGivenName:
		return u.GivenName
	case colFamilyName:
		return u.FamilyName
	case colMiddleName:
		return u.MiddleName
	case colNickname:
		return u.Nickname
	case colPreferredUsername:
		return u.PreferredUsername
	case colProfile:
		return u.Profile
	case colPicture:
		return u.Picture
	case colWebsite:
		return u.Website
	case colEmail:
		return u.Email
	case colGender:
		return u.Gender
	case colZoneinfo:
		return u.Zoneinfo
	case colLocale:
		return u.Locale
	case colPhoneNumber:
		return u.PhoneNumber
	case colAddress:
		return u.Address
	}
	return ""
}

// set reports whether u has a value for kind k (false for the flags, which
// are always written, and for custom columns).
func (u *User) set(k columnKind) bool {
	switch k {
	case colBirthdate:
		return !u.Birthdate.IsZero()
	case colUpdatedAt:
		return !u.UpdatedAt.IsZero()
	case colMFAEnabled:
		return u.MFAEnabled
	case colEmailVerified:
		return u.EmailVerified
	case colPhoneNumberVerified:
		return u.PhoneNumberVerified
	}
	return usersfile.TrimString(u.str(k)) != ""
}

type column struct {
	name   string
	kind   columnKind
	custom string // the custom attribute's name without "custom:"
}

// UsersWriter writes a users file in the service's dialect, one user at a
// time, in constant memory. The file is UTF-8 without a byte order mark: the
// header first, then one line per user with a value for every column, each
// comma in a value written `\,`, lines ended by LF.
//
// Values are written trimmed of leading and trailing white space, as the
// service stores them: " Jane " is written, and imported, as "Jane".
//
// Write refuses, with a *UserError naming the user and the attribute, a user
// the service would reject whatever the pool, or whose values it could not
// read back unchanged: a line break in a value, a value that is not UTF-8,
// an empty username or one with white space, a non-empty attribute the
// header has no column for, email_verified without an email,
// phone_number_verified without a phone number, a phone number other than +
// and digits, neither email_verified nor phone_number_verified, a birthdate
// outside the years 0-9999, an updated_at before 1970, a row over 16,000
// characters. A username repeated within the file (the writer keeps no set
// of them, to stay in constant memory) and the pool's own rules
// (auto-verified attributes, MFA, required attributes) are CheckFile's.
//
// A value ending in a backslash is followed by a space, unless it is the
// row's last: the backslash would otherwise escape the comma after it; the
// service trims the space. Backslashes and double quotes are otherwise
// written as they are, which is how the test server reads them (the
// service's reading of them is not documented).
//
// Call Flush when done. After the underlying writer fails, every call
// returns that error.
type UsersWriter struct {
	bw     *bufio.Writer
	cols   []column
	absent []columnKind // the standard columns the header lacks
	row    []byte
	size   int64
	users  int
	err    error
}

// NewUsersWriter returns a writer of users under header, the pool's
// columns (Client.CSVHeader, PoolSettings.Header; nil means the default
// pool's), and writes the header. The header must name each column once and
// include cognito:username and cognito:mfa_enabled, as the service requires
// of every users file; columns the writer has no User field for are
// written empty.
func NewUsersWriter(w io.Writer, header []string) (*UsersWriter, error) {
	if header == nil {
		header = usersfile.DefaultHeader()
	}
	uw := &UsersWriter{bw: bufio.NewWriterSize(w, 64<<10)}
	seen := make(map[string]bool, len(header))
	var has [numKinds]bool
	var line []byte
	for i, name := range header {
		switch {
		case name == "" || usersfile.TrimString(name) != name || usersfile.Check(name) != usersfile.Writable || strings.ContainsAny(name, `,\`):
			return nil, fmt.Errorf("%w: column %d is %q", ErrHeader, i+1, name)
		case seen[name]:
			return nil, fmt.Errorf("%w: the column %s appears twice", ErrHeader, name)
		}
		seen[name] = true
		c := column{name: name, kind: kindOf[name]}
		if custom, ok := strings.CutPrefix(name, usersfile.CustomPrefix); ok && custom != "" {
			c.kind, c.custom = colCustom, custom
		}
		has[c.kind] = true
		uw.cols = append(uw.cols, c)
		if i > 0 {
			line = append(line, ',')
		}
		line = append(line, name...)
	}
	// The service requires both columns in every users file (IMPORT.md):
	// without cognito:mfa_enabled, Write would drop User.MFAEnabled.
	for _, col := range []string{usersfile.ColUsername, usersfile.ColMFAEnabled} {
		if !seen[col] {
			return nil, fmt.Errorf("%w: no %s column", ErrHeader, col)
		}
	}
	for k := colName; k < numKinds; k++ {
		if !has[k] {
			uw.absent = append(uw.absent, k)
		}
	}
	uw.write(append(line, '\n'))
	return uw, nil
}

func (w *UsersWriter) write(b []byte) {
	if w.err != nil {
		return
	}
	_, w.err = w.bw.Write(b)
	w.size += int64(len(b))
}

// Size returns the number of bytes of the file so far, the header included:
// after the last Write, the file's size for the upload.
func (w *UsersWriter) Size() int64 { return w.size }

// Users returns the number of users written.
func (w *UsersWriter) Users() int { return w.users }

// Flush writes any buffered data to the underlying writer and returns the
// first error the underlying writer returned, if any.
func (w *UsersWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.bw.Flush()
	return w.err
}

// Write writes u as one row, or nothing and an error: a *UserError for a user
// it refuses, or the underlying writer's error.
func (w *UsersWriter) Write(u User) error {
	if w.err != nil {
		return w.err
	}
	if err := w.refuse(&u); err != nil {
		return err
	}
	// One pass builds the row and checks each value; the row is written
	// only when every value could be.
	row := w.row[:0]
	last := len(w.cols) - 1
	matched := 0 // custom attributes of u the header has
	for i := range w.cols {
		c := &w.cols[i]
		var v string
		switch c.kind {
		case colUnknown:
		case colMFAEnabled:
			row = appendBool(row, u.MFAEnabled)
		case colEmailVerified:
			row = appendBool(row, u.EmailVerified)
		case colPhoneNumberVerified:
			row = appendBool(row, u.PhoneNumberVerified)
		case colBirthdate:
			if !u.Birthdate.IsZero() {
				y, m, d := u.Birthdate.Date()
				row = append(row, byte('0'+m/10), byte('0'+m%10), '/', byte('0'+d/10), byte('0'+d%10), '/',
					byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
			}
		case colUpdatedAt:
			if !u.UpdatedAt.IsZero() {
				row = strconv.AppendInt(row, u.UpdatedAt.Unix(), 10)
			}
		case colCustom:
			var ok bool
			if v, ok = u.Custom[c.custom]; ok {
				matched++
			}
		default:
			v = u.str(c.kind)
		}
		if v != "" {
			var why usersfile.Writability
			if row, why = usersfile.AppendValue(row, usersfile.TrimString(v), i == last); why != usersfile.Writable {
				w.row = row
				return &UserError{Username: u.Username, Attribute: c.name, Reason: why.String()}
			}
		}
		if i < last {
			row = append(row, ',')
		}
	}
	w.row = row
	if matched != len(u.Custom) {
		if err := w.customsInHeader(&u); err != nil {
			return err
		}
	}
	if len(row) > usersfile.MaxRowChars && usersfile.JavaLength(row) > usersfile.MaxRowChars {
		return &UserError{Username: u.Username, Reason: fmt.Sprintf("the row is longer than %d characters", usersfile.MaxRowChars)}
	}
	w.row = append(row, '\n')
	w.write(w.row)
	if w.err != nil {
		return w.err
	}
	w.users++
	return nil
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "TRUE"...)
	}
	return append(b, "FALSE"...)
}

// refuse returns a *UserError for a user Write must not write, by the rules
// that do not need the values' encoding.
func (w *UsersWriter) refuse(u *User) error {
	bad := func(attr, reason string) error {
		return &UserError{Username: u.Username, Attribute: attr, Reason: reason}
	}
	username := usersfile.TrimString(u.Username)
	switch {
	case username == "":
		return bad(usersfile.ColUsername, "required")
	case usersfile.HasSpace(username):
		return bad(usersfile.ColUsername, "contains white space")
	}
	for _, k := range w.absent {
		if u.set(k) {
			return bad(columnName(k), "the header has no such column")
		}
	}
	email := usersfile.TrimString(u.Email)
	phone := usersfile.TrimString(u.PhoneNumber)
	switch {
	case !u.EmailVerified && !u.PhoneNumberVerified:
		return bad(usersfile.ColEmailVerified, "neither email_verified nor phone_number_verified is true: the service imports no such user")
	case u.EmailVerified && email == "":
		return bad(usersfile.ColEmail, "email_verified is true but the email is empty")
	case u.PhoneNumberVerified && phone == "":
		return bad(usersfile.ColPhoneNumber, "phone_number_verified is true but the phone number is empty")
	case phone != "" && !usersfile.IsPhone(phone):
		return bad(usersfile.ColPhoneNumber, "not + and digits only (E.164), e.g. +12345550100")
	}
	if !u.Birthdate.IsZero() {
		if y := u.Birthdate.Year(); y < 0 || y > 9999 {
			return bad(usersfile.ColBirthdate, "the year is outside 0-9999")
		}
	}
	if !u.UpdatedAt.IsZero() && u.UpdatedAt.Unix() < 0 {
		return bad(usersfile.ColUpdatedAt, "before 1970-01-01 UTC")
	}
	return nil
}

// customsInHeader returns an error for a custom attribute of u with a value
// and no column in the header, the first by name.
func (w *UsersWriter) customsInHeader(u *User) error {
	var missing []string
	for name, v := range u.Custom {
		if usersfile.TrimString(v) != "" && !slices.ContainsFunc(w.cols, func(c column) bool { return c.kind == colCustom && c.custom == name }) {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return &UserError{Username: u.Username, Attribute: usersfile.CustomPrefix + missing[0], Reason: "the header has no such column"}
}

// columnName returns the column of a standard kind.
func columnName(k columnKind) string {
	for name, kk := range kindOf {
		if kk == k {
			return name
		}
	}
	return ""
}
