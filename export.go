package cognitoimport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// ExportInput is the input of Export.
type ExportInput struct {
	// UserPoolID is the pool to export: the source. Required.
	UserPoolID string
	// Settings are the destination pool's (Client.PoolSettings of it):
	// the file gets its header, and each user is checked against its
	// rules. A zero Settings (no UserPoolID) means the source's own.
	Settings PoolSettings
	// Filter is passed to ListUsers as it is, in the service's syntax:
	// `email ^= "a"`, `cognito:user_status = "CONFIRMED"`. Empty: every
	// user.
	Filter string
	// Users receives the users file: the header, then one row for each
	// exported user. Required.
	Users io.Writer
	// Subs, when not nil, receives the sub of each exported user beside
	// its username, as CSV with the header "sub,username". The destination
	// gives each imported user a new sub: MapSubs adds it beside the old.
	Subs io.Writer
	// Groups, when not nil, receives the source's groups and their
	// members as JSON (GroupsFile), for RestoreGroups after the import.
	Groups io.Writer
	// RequestsPerSecond is the rate of each operation (ListUsers,
	// ListGroups, ListUsersInGroup), by the Client's clock. 0 means
	// DefaultRequestsPerSecond; a negative value means no limit.
	RequestsPerSecond float64
	// Progress, when not nil, is called after each page of users and each
	// group is read.
	Progress func(ExportProgress)
	// LeftOut, when not nil, is called for each user left out of the file,
	// and ExportOutput.LeftOut stays empty: memory then stays flat however
	// many users are left out.
	LeftOut func(LeftOutUser)
}

// ExportProgress is how far an Export has gone.
type ExportProgress struct {
	Users    int // users read from the source so far
	Exported int // users written to the file so far
	LeftOut  int // users left out so far
	Groups   int // groups read so far
	Requests int // requests sent so far, retries included
}

// LeftOutUser is a user of the source that Export left out of the users file,
// and why: the import would refuse the user or misrepresent it.
type LeftOutUser struct {
	Username string
	// Attribute is the attribute or column at fault, such as "custom:dept"
	// or "email_verified"; empty when the reason is the user as a whole.
	Attribute string
	Reason    string
}

// String returns "USERNAME: reason", naming the attribute when there is one.
func (u LeftOutUser) String() string {
	if u.Attribute == "" {
		return u.Username + ": " + u.Reason
	}
	return u.Username + ": " + u.Attribute + ": " + u.Reason
}

// MissingAttribute is an attribute that users of the source have and the
// destination pool does not, with how many users had it. Each of those users
// is left out.
type MissingAttribute struct {
	Attribute string
	Users     int
}

// ExportOutput is what Export did.
type ExportOutput struct {
	Users    int // users ListUsers returned
	Exported int // users written to the users file
	// LeftOut are the users left out of the file, in the order the source
	// listed them (empty when ExportInput.LeftOut was set).
	LeftOut      []LeftOutUser
	LeftOutCount int
	// MissingAttributes are the attributes the destination lacks, by name,
	// each with the number of users that had it: the report to print once
	// per attribute rather than once per user.
	MissingAttributes []MissingAttribute
	Groups            int // groups written to the groups file
	Memberships       int // members written to the groups file
	Requests          int // requests sent, retries included
	// Notes say what no import can carry, for the caller to pass on:
	// passwords, TOTP enrolments and devices, and how cognito:mfa_enabled
	// was set.
	Notes []string
}

// Reasons a user is left out.
const (
	reasonFederated   = "federated user (status EXTERNAL_PROVIDER): an import would make a local user of it; it signs in through its identity provider again"
	reasonDisabled    = "disabled in the source pool: an import would make the user enabled"
	reasonNoAttribute = "the destination pool has no such attribute"
	reasonIdentities  = "linked to an external identity provider (identities): an import cannot carry the link"
)

// Export reads the users of a pool with ListUsers (60 a page) and writes them
// as a users file for the destination pool that in.Settings describes,
// streaming: its memory does not grow with the number of users. Nothing is
// dropped or changed silently: each user the import would refuse or
// misrepresent is left out of the file and reported in LeftOut with the
// reason: a federated user (EXTERNAL_PROVIDER), a disabled user (an import
// makes users enabled), an attribute the destination lacks (also counted in
// MissingAttributes), a value the destination's rules refuse (the rules of
// CheckFile, applied to each row as written), a user with no verified email
// or phone where the destination needs one.
//
// cognito:mfa_enabled follows the destination's MFA setting: TRUE when it
// requires MFA, FALSE when MFA is off, and when it is optional TRUE for a user
// whose ListUsers entry has an MFA option (SMS), else FALSE. A users file
// writes every boolean: an email_verified or phone_number_verified the user
// does not have is written FALSE, which the service reads as unverified, as
// it reads none. sub cannot be
// imported: in.Subs receives each exported user's sub for MapSubs. Passwords,
// TOTP enrolments and devices cannot be read from a pool: ExportOutput.Notes
// says so. The file holds every exported user, however many: a file of more
// than MaxUsers users or MaxFileBytes bytes must be split to be imported.
//
// Requests keep to in.RequestsPerSecond per operation, and a
// TooManyRequestsException is waited out with backoff. On an error, what was
// written so far is a valid users file of the users before it.
//
// optFns apply to every call of the service that Export makes.
func (c *Client) Export(ctx context.Context, in ExportInput, optFns ...func(*cognitoidentityprovider.Options)) (*ExportOutput, error) {
	api, err := c.poolAPI()
	if err != nil {
		return nil, err
	}
	if err := checkRequired(required{"ExportInput.UserPoolID", in.UserPoolID != ""}, required{"ExportInput.Users", in.Users != nil}); err != nil {
		return nil, err
	}
	e := &exporter{c: c, api: api, opts: optFns, in: in, gate: newGate(c.clock, in.RequestsPerSecond), out: &ExportOutput{}, missing: make(map[string]int)}
	err = e.run(ctx)
	e.out.Requests = e.gate.requests
	return e.out, err
}

// exporter is one Export.
type exporter struct {
	c    *Client
	api  PoolAPI
	opts []func(*cognitoidentityprovider.Options) // Export's optFns
	in   ExportInput
	gate *gate
	out  *ExportOutput

	settings PoolSettings
	header   map[string]bool // the destination's columns
	scratch  *UsersWriter    // writes one row into row
	row      bytes.Buffer
	check    *rowCheck
	dst      *bufio.Writer // in.Users, flushed after each page
	subs     *csv.Writer
	missing  map[string]int
}

func (e *exporter) run(ctx context.Context) error {
	if err := e.init(ctx); err != nil {
		return err
	}
	err := e.users(ctx)
	if ferr := e.dst.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if e.in.Groups != nil {
		if err := e.groups(ctx); err != nil {
			return err
		}
	}
	e.notes()
	return nil
}

// init reads the settings when none were given and writes the header.
func (e *exporter) init(ctx context.Context) error {
	e.settings = e.in.Settings
	if e.settings.UserPoolID == "" {
		s, err := e.c.PoolSettings(ctx, e.in.UserPoolID, e.opts...)
		if err != nil {
			return err
		}
		e.settings = s
	}
	if e.settings.Header == nil {
		e.settings.Header = usersfile.DefaultHeader()
	}
	e.header = make(map[string]bool, len(e.settings.Header))
	for _, h := range e.settings.Header {
		e.header[h] = true
	}
	var err error
	if e.scratch, err = NewUsersWriter(&e.row, e.settings.Header); err != nil {
		return err
	}
	if err := e.scratch.Flush(); err != nil {
		return err
	}
	headerLine := slices.Clone(e.row.Bytes())
	e.row.Reset()
	rules := e.settings.internal()
	rules.MaxBytes, rules.MaxUsers = math.MaxInt64, math.MaxInt // Export writes any size; the import splits
	e.check = newRowCheck(rules, headerLine)
	e.dst = bufio.NewWriterSize(e.in.Users, 64<<10)
	if _, err := e.dst.Write(headerLine); err != nil {
		return err
	}
	if e.in.Subs != nil {
		e.subs = csv.NewWriter(e.in.Subs)
		if err := e.subs.Write([]string{"sub", "username"}); err != nil {
			return err
		}
	}
	return nil
}

// users pages through ListUsers and exports each user.
func (e *exporter) users(ctx context.Context) error {
	err := paginate(ctx, e.gate, "ListUsers",
		func(token *string) (*cognitoidentityprovider.ListUsersOutput, error) {
			params := &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String(e.in.UserPoolID), Limit: aws.Int32(60), PaginationToken: token}
			if e.in.Filter != "" {
				params.Filter = aws.String(e.in.Filter)
			}
			return e.api.ListUsers(ctx, params, e.opts...)
		},
		func(page *cognitoidentityprovider.ListUsersOutput) *string { return page.PaginationToken },
		e.page)
	if err != nil {
		return err
	}
	e.finishMissing()
	return nil
}

// page exports the users of one page, then flushes the files and reports
// progress.
func (e *exporter) page(page *cognitoidentityprovider.ListUsersOutput) error {
	for i := range page.Users {
		if err := e.user(&page.Users[i]); err != nil {
			return err
		}
	}
	if err := e.dst.Flush(); err != nil {
		return err
	}
	if e.subs != nil {
		if e.subs.Flush(); e.subs.Error() != nil {
			return e.subs.Error()
		}
	}
	e.progress(0)
	return nil
}

func (e *exporter) progress(groups int) {
	if e.in.Progress != nil {
		e.in.Progress(ExportProgress{Users: e.out.Users, Exported: e.out.Exported, LeftOut: e.out.LeftOutCount, Groups: groups, Requests: e.gate.requests})
	}
}

// user exports one user, or reports why it is left out.
func (e *exporter) user(ut *types.UserType) error {
	e.out.Users++
	u, sub, left := e.convert(ut)
	if left != nil {
		e.leaveOut(*left)
		return nil
	}
	e.row.Reset()
	if err := e.scratch.Write(u); err != nil {
		if ue, ok := asUserError(err); ok {
			e.leaveOut(LeftOutUser{Username: u.Username, Attribute: ue.Attribute, Reason: ue.Reason})
			return nil
		}
		return err
	}
	if err := e.scratch.Flush(); err != nil {
		return err
	}
	if p, ok := e.check.row(e.row.Bytes()); !ok {
		e.leaveOut(LeftOutUser{Username: u.Username, Attribute: p.Column, Reason: p.Message()})
		return nil
	}
	if _, err := e.dst.Write(e.row.Bytes()); err != nil {
		return err
	}
	e.out.Exported++
	if e.subs != nil {
		return e.subs.Write([]string{sub, u.Username})
	}
	return nil
}

func (e *exporter) leaveOut(l LeftOutUser) {
	e.out.LeftOutCount++
	if e.in.LeftOut != nil {
		e.in.LeftOut(l)
		return
	}
	e.out.LeftOut = append(e.out.LeftOut, l)
}

func (e *exporter) finishMissing() {
	for a, n := range e.missing {
		e.out.MissingAttributes = append(e.out.MissingAttributes, MissingAttribute{a, n})
	}
	sort.Slice(e.out.MissingAttributes, func(i, j int) bool {
		return e.out.MissingAttributes[i].Attribute < e.out.MissingAttributes[j].Attribute
	})
}

// convert turns a ListUsers entry into a User of the users file, or returns
// why the user is left out.
func (e *exporter) convert(ut *types.UserType) (u User, sub string, left *LeftOutUser) {
	u.Username = aws.ToString(ut.Username)
	leave := func(attr, reason string) (User, string, *LeftOutUser) {
		return u, "", &LeftOutUser{Username: u.Username, Attribute: attr, Reason: reason}
	}
	if ut.UserStatus == types.UserStatusTypeExternalProvider {
		return leave("", reasonFederated)
	}
	if !ut.Enabled {
		return leave("", reasonDisabled)
	}
	var missing []string
	for _, a := range ut.Attributes {
		name, v := aws.ToString(a.Name), aws.ToString(a.Value)
		switch {
		case name == "sub":
			sub = v
			continue
		case name == "identities":
			return leave(name, reasonIdentities)
		case !e.header[name] || strings.HasPrefix(name, "cognito:"):
			missing = append(missing, name)
			continue
		}
		if reason := setAttribute(&u, name, v); reason != "" {
			return leave(name, reason)
		}
	}
	if len(missing) > 0 {
		for _, m := range missing {
			e.missing[m]++
		}
		return leave(missing[0], reasonNoAttribute)
	}
	switch e.settings.MFA {
	case MFAOn:
		u.MFAEnabled = true
	case MFAOff:
		u.MFAEnabled = false
	default:
		u.MFAEnabled = len(ut.MFAOptions) > 0
	}
	if !e.settings.Described {
		u.MFAEnabled = len(ut.MFAOptions) > 0
	}
	return u, sub, nil
}

// setAttribute sets the field of u for the attribute name, which is a column
// of the destination, or returns why v cannot be carried.
func setAttribute(u *User, name, v string) string {
	if custom, ok := strings.CutPrefix(name, usersfile.CustomPrefix); ok {
		if u.Custom == nil {
			u.Custom = make(map[string]string)
		}
		u.Custom[custom] = v
		return ""
	}
	switch name {
	case usersfile.ColEmailVerified, usersfile.ColPhoneNumberVerified:
		b, err := strconv.ParseBool(strings.ToLower(v))
		if err != nil {
			return fmt.Sprintf("%q is not true or false", v)
		}
		if name == usersfile.ColEmailVerified {
			u.EmailVerified = b
		} else {
			u.PhoneNumberVerified = b
		}
	case usersfile.ColBirthdate:
		t, err := parseBirthdate(v)
		if err != nil {
			return fmt.Sprintf("%q is not a date (YYYY-MM-DD)", v)
		}
		u.Birthdate = t
	case usersfile.ColUpdatedAt:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return fmt.Sprintf("%q is not a count of seconds since 1970", v)
		}
		u.UpdatedAt = time.Unix(n, 0)
	default:
		k, ok := kindOf[name]
		if !ok || !setString(u, k, v) {
			return "the users file has no column this export can fill"
		}
	}
	return ""
}

// parseBirthdate reads a birthdate as the service stores it (YYYY-MM-DD, as
// OpenID Connect defines it) or as a users file writes it (mm/dd/yyyy).
func parseBirthdate(v string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	return time.Parse("01/02/2006", v)
}

// setString sets u's string field of kind k, and reports whether k is one.
func setString(u *User, k columnKind, v string) bool {
	var p *string
	switch k {
	case colName:
		p = &u.Name
	case colGivenName:
		p = &u.GivenName
	case colFamilyName:
		p = &u.FamilyName
	case colMiddleName:
		p = &u.MiddleName
	case colNickname:
		p = &u.Nickname
	case colPreferredUsername:
		p = &u.PreferredUsername
	case colProfile:
		p = &u.Profile
	case colPicture:
		p = &u.Picture
	case colWebsite:
		p = &u.Website
	case colEmail:
		p = &u.Email
	case colGender:
		p = &u.Gender
	case colZoneinfo:
		p = &u.Zoneinfo
	case colLocale:
		p = &u.Locale
	case colPhoneNumber:
		p = &u.PhoneNumber
	case colAddress:
		p = &u.Address
	default:
		return false
	}
	*p = v
	return true
}

func asUserError(err error) (*UserError, bool) {
	var ue *UserError
	ok := errors.As(err, &ue)
	return ue, ok
}

// notes says what the file cannot carry.
func (e *exporter) notes() {
	e.out.Notes = []string{
		"Passwords cannot be read from a user pool: imported users must reset their password (ForgotPassword) before they sign in, or sign in passwordless where the destination pool allows it.",
		"TOTP (authenticator app) enrolments and remembered devices cannot be read from a user pool: users who had them enrol again.",
	}
	switch {
	case !e.settings.Described:
		e.out.Notes = append(e.out.Notes, "The destination's MFA setting is not known: cognito:mfa_enabled is TRUE for the users with an SMS MFA option in the source, FALSE for the others.")
	case e.settings.MFA == MFAOn:
		e.out.Notes = append(e.out.Notes, "The destination pool requires MFA: every user is exported with cognito:mfa_enabled TRUE.")
	case e.settings.MFA == MFAOff:
		e.out.Notes = append(e.out.Notes, "MFA is off in the destination pool: every user is exported with cognito:mfa_enabled FALSE.")
	default:
		e.out.Notes = append(e.out.Notes, "MFA is optional in the destination pool: cognito:mfa_enabled is TRUE for the users with an SMS MFA option in the source, FALSE for the others.")
	}
}

// rowCheck runs single rows through the shared checker, the rules CheckFile
// and the test server apply. A checker remembers the usernames it has seen;
// it is replaced every rowCheckBatch rows so that memory stays flat (a pool's
// usernames are unique, so nothing is lost).
type rowCheck struct {
	rules  usersfile.Rules
	header []byte
	feed   feedReader
	c      *usersfile.Checker
	rows   int
}

const rowCheckBatch = 4096

func newRowCheck(rules usersfile.Rules, header []byte) *rowCheck {
	return &rowCheck{rules: rules, header: header}
}

// row checks one row (ending in a line feed) and returns the first problem
// it has, or ok.
func (rc *rowCheck) row(line []byte) (p usersfile.Problem, ok bool) {
	rc.feed.reset()
	if rc.c == nil || rc.rows == rowCheckBatch {
		rc.feed.buf = append(rc.feed.buf, rc.header...)
		rc.c = usersfile.NewChecker(rc.rules, &rc.feed)
		rc.rows = 0
	}
	rc.rows++
	rc.feed.buf = append(rc.feed.buf, line...)
	if !rc.c.Next() {
		// The header is the destination's and the limits are off: only a
		// header problem can end the file, which NewUsersWriter prevents.
		if fp := rc.c.FileProblems(); len(fp) > 0 {
			return fp[0], false
		}
		return usersfile.Problem{}, true
	}
	r := rc.c.Row()
	if !r.OK() {
		return r.Problems[0], false
	}
	return usersfile.Problem{}, true
}

// feedReader hands the checker exactly the bytes put in b: the checker reads
// a line only when asked for the next row, and each row ends in a line feed,
// so it never reads past what is there.
type feedReader struct {
	buf []byte
	off int // bytes of buf read
}

// reset empties the reader; the checker has read everything given before.
func (f *feedReader) reset() { f.buf, f.off = f.buf[:0], 0 }

func (f *feedReader) Read(p []byte) (int, error) {
	if f.off == len(f.buf) {
		return 0, io.EOF
	}
	n := copy(p, f.buf[f.off:])
	f.off += n
	return n, nil
}
