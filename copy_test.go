package cognitoimport_test

import (
	"bytes"
	"encoding/csv"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The pools of the copy tests: a source with two custom attributes and MFA
// optional, and a destination with different settings: one of the custom
// attributes, family_name required, MFA required.
const (
	srcPool = "us-east-1_Source1"
	dstPool = "us-east-1_Dest1"
)

func copyPools() []cognitoimporttest.Option {
	return []cognitoimporttest.Option{
		cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: srcPool, CustomAttributes: []string{"dept", "legacy_id"}, MFA: cognitoimporttest.MFAOptional,
			AutoVerifiedAttributes: []string{"email", "phone_number"}}),
		cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: dstPool, CustomAttributes: []string{"dept"}, MFA: cognitoimporttest.MFAOn,
			RequiredAttributes: []string{"family_name"}}),
		cognitoimporttest.WithImportRate(1000),
	}
}

// seedSource fills srcPool with users of every status and groups, and returns
// the reason each user that cannot be copied must be left out for (a
// substring of LeftOutUser.String()).
func seedSource(srv *cognitoimporttest.Server) map[string]string {
	person := func(name, status string, extra map[string]string) cognitoimporttest.User {
		attrs := map[string]string{
			"email": name + "@example.com", "email_verified": "true", "family_name": strings.ToUpper(name),
			"given_name": name, "custom:dept": "ops", "birthdate": "1990-04-01", "updated_at": "1700000000",
			"address": "1 Main St, Springfield", // a comma, escaped in the file
		}
		for k, v := range extra {
			if v == "" {
				delete(attrs, k)
			} else {
				attrs[k] = v
			}
		}
		return cognitoimporttest.User{Username: name, Status: status, Attributes: attrs}
	}
	users := []cognitoimporttest.User{
		person("alice", "CONFIRMED", map[string]string{"phone_number": "+12345550100", "phone_number_verified": "true"}),
		person("bob", "UNCONFIRMED", nil),
		person("carol", "RESET_REQUIRED", map[string]string{"custom:dept": ""}),
		person("dave", "FORCE_CHANGE_PASSWORD", nil),
		person("uma", "UNKNOWN", nil),
		person("archie", "ARCHIVED", nil),
		person("comp", "COMPROMISED", nil),
		person("Google_123", "EXTERNAL_PROVIDER", nil),
		person("erin", "CONFIRMED", map[string]string{"custom:legacy_id": "e-1"}),
		person("frank", "CONFIRMED", map[string]string{"custom:legacy_id": "f-1"}),
		person("gina", "CONFIRMED", map[string]string{"email_verified": "false", "phone_number": "+12345550101", "phone_number_verified": "true"}),
		person("hank", "CONFIRMED", map[string]string{"family_name": ""}),
		person("ivy", "CONFIRMED", nil),
		person("kate", "CONFIRMED", nil),
	}
	users[len(users)-2].Disabled = true // ivy
	users[len(users)-1].MFAEnabled = true
	for _, u := range users {
		srv.AddUser(srcPool, u)
	}
	srv.AddGroup(srcPool, cognitoimporttest.Group{Name: "admins", Description: "Administrators", Precedence: aws.Int32(1),
		RoleARN: "arn:aws:iam::123456789012:role/Admins", Members: []string{"alice", "Google_123", "erin"}})
	srv.AddGroup(srcPool, cognitoimporttest.Group{Name: "staff", Members: []string{"bob", "carol", "dave", "alice", "ivy"}})
	srv.AddGroup(srcPool, cognitoimporttest.Group{Name: "empty"})
	return map[string]string{
		"Google_123": "EXTERNAL_PROVIDER",
		"erin":       "custom:legacy_id: the destination pool has no such attribute",
		"frank":      "custom:legacy_id: the destination pool has no such attribute",
		"gina":       "email_verified",
		"hank":       "family_name",
		"ivy":        "disabled",
	}
}

// copyRun is what one run of a copy returned.
type copyRun struct {
	export  *cognitoimport.ExportOutput
	job     *cognitoimport.Job
	restore *cognitoimport.RestoreGroupsOutput
	subs    *cognitoimport.MapSubsOutput
	subsCSV string
}

// runCopy copies srcPool into dstPool: Export for the destination's
// settings, Import, RestoreGroups, MapSubs.
func runCopy(t *testing.T, e *clocked) copyRun {
	t.Helper()
	ctx := t.Context()
	settings, err := e.client.PoolSettings(ctx, dstPool)
	if err != nil {
		t.Fatal(err)
	}
	var users, subs, groups bytes.Buffer
	var r copyRun
	r.export, err = e.client.Export(ctx, cognitoimport.ExportInput{UserPoolID: srcPool, Settings: settings, Users: &users, Subs: &subs, Groups: &groups})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	r.job, err = e.client.Import(ctx, cognitoimport.ImportInput{UserPoolID: dstPool, JobName: "copy", CloudWatchLogsRoleARN: testRoleARN,
		File: bytes.NewReader(users.Bytes()), Settings: settings})
	if err != nil && r.job == nil {
		t.Fatalf("Import: %v\n%s", err, users.String())
	}
	r.restore, err = e.client.RestoreGroups(ctx, cognitoimport.RestoreGroupsInput{UserPoolID: dstPool, Groups: &groups})
	if err != nil {
		t.Fatalf("RestoreGroups: %v", err)
	}
	var mapped bytes.Buffer
	r.subs, err = e.client.MapSubs(ctx, cognitoimport.MapSubsInput{UserPoolID: dstPool, Subs: &subs, Output: &mapped})
	if err != nil {
		t.Fatalf("MapSubs: %v", err)
	}
	r.subsCSV = mapped.String()
	return r
}

// comparable returns u's attributes as the service would answer them:
// booleans in lower case, an absent one as false (a users file writes every
// boolean, and the service reads FALSE as unverified, as it reads none),
// birthdate as a date (the source holds it as YYYY-MM-DD, an import as
// mm/dd/yyyy).
func comparable(t *testing.T, u cognitoimporttest.User) map[string]string {
	t.Helper()
	out := maps.Clone(u.Attributes)
	for _, b := range []string{"email_verified", "phone_number_verified"} {
		if out[b] == "" {
			out[b] = "false"
		}
	}
	for k, v := range out {
		switch k {
		case "email_verified", "phone_number_verified":
			out[k] = strings.ToLower(v)
		case "birthdate":
			d, err := time.Parse("2006-01-02", v)
			if err != nil {
				if d, err = time.Parse("01/02/2006", v); err != nil {
					t.Fatalf("%s: birthdate %q", u.Username, v)
				}
			}
			out[k] = d.Format(time.DateOnly)
		}
	}
	return out
}

// TestCopyPool copies a seeded pool into one with other settings, twice:
// every source user is in the destination with the same attributes and
// groups, or left out with its reason; nothing else is; the second run
// changes nothing and adds no group or membership twice.
func TestCopyPool(t *testing.T) {
	t.Parallel()
	e := newClocked(t, copyPools()...)
	leftOutWant := seedSource(e.srv)
	source := e.srv.Users(srcPool)
	sourceGroups := e.srv.Groups(srcPool)

	r := runCopy(t, e)

	// Every source user is exported or left out with its reason, once.
	reasons := map[string]string{}
	for _, l := range r.export.LeftOut {
		if _, twice := reasons[l.Username]; twice {
			t.Errorf("%s left out twice", l.Username)
		}
		reasons[l.Username] = l.String()
	}
	for name, want := range leftOutWant {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("%s: left out as %q, want a reason with %q", name, reasons[name], want)
		}
	}
	if len(reasons) != len(leftOutWant) {
		t.Errorf("left out: %v, want only %v", reasons, slices.Sorted(maps.Keys(leftOutWant)))
	}
	if r.export.Users != len(source) || r.export.Exported != len(source)-len(leftOutWant) || r.export.LeftOutCount != len(leftOutWant) {
		t.Errorf("Export: %d users, %d exported, %d left out", r.export.Users, r.export.Exported, r.export.LeftOutCount)
	}
	if !slices.Equal(r.export.MissingAttributes, []cognitoimport.MissingAttribute{{Attribute: "custom:legacy_id", Users: 2}}) {
		t.Errorf("MissingAttributes = %v", r.export.MissingAttributes)
	}
	notes := strings.Join(r.export.Notes, "\n")
	for _, want := range []string{"Passwords cannot", "TOTP", "requires MFA"} {
		if !strings.Contains(notes, want) {
			t.Errorf("Notes lack %q: %s", want, notes)
		}
	}
	if r.job.Status != cognitoimport.StatusSucceeded || int(r.job.ImportedUsers) != r.export.Exported || r.job.FailedUsers != 0 {
		t.Fatalf("Import: %v", r.job)
	}

	// The destination holds exactly the exported users, with the same
	// attributes, MFA required, and new subs that MapSubs lists beside
	// the old.
	dest := map[string]cognitoimporttest.User{}
	for _, u := range e.srv.Users(dstPool) {
		dest[u.Username] = u
	}
	if len(dest) != r.export.Exported {
		t.Errorf("the destination has %d users, want %d", len(dest), r.export.Exported)
	}
	mapping, err := csv.NewReader(strings.NewReader(r.subsCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	newSubOf := map[string][2]string{}
	for _, rec := range mapping[1:] {
		newSubOf[rec[2]] = [2]string{rec[0], rec[1]}
	}
	for _, su := range source {
		du, ok := dest[su.Username]
		if _, left := leftOutWant[su.Username]; left {
			if ok {
				t.Errorf("%s was left out but is in the destination", su.Username)
			}
			continue
		}
		if !ok {
			t.Errorf("%s is neither in the destination nor left out", su.Username)
			continue
		}
		if got, want := comparable(t, du), comparable(t, su); !maps.Equal(got, want) {
			t.Errorf("%s: attributes\n got %v\nwant %v", su.Username, got, want)
		}
		if !du.MFAEnabled || du.Status != cognitoimporttest.UserStatusResetRequired {
			t.Errorf("%s: MFA %v, status %s; want MFA (required) and RESET_REQUIRED", su.Username, du.MFAEnabled, du.Status)
		}
		if m := newSubOf[su.Username]; m[0] != su.Sub || m[1] != du.Sub || du.Sub == su.Sub {
			t.Errorf("%s: sub mapping %v, want %s → %s", su.Username, m, su.Sub, du.Sub)
		}
	}
	if r.subs.Mapped != r.export.Exported || len(r.subs.Missing) != 0 {
		t.Errorf("MapSubs: %+v", r.subs)
	}

	// Groups: the same groups, with the members that were copied; the
	// members left out are reported.
	checkGroups := func(restore *cognitoimport.RestoreGroupsOutput) {
		t.Helper()
		got := e.srv.Groups(dstPool)
		if len(got) != len(sourceGroups) {
			t.Fatalf("destination groups %v, want %v", got, sourceGroups)
		}
		var missing []string
		for i, sg := range sourceGroups {
			dg := got[i]
			if dg.Name != sg.Name || dg.Description != sg.Description || aws.ToInt32(dg.Precedence) != aws.ToInt32(sg.Precedence) ||
				(dg.Precedence == nil) != (sg.Precedence == nil) || dg.RoleARN != sg.RoleARN {
				t.Errorf("group %+v, want %+v", dg, sg)
			}
			var want []string
			for _, m := range sg.Members {
				if _, left := leftOutWant[m]; left {
					missing = append(missing, sg.Name+"/"+m)
				} else {
					want = append(want, m)
				}
			}
			if !slices.Equal(dg.Members, want) {
				t.Errorf("group %s: members %v, want %v", sg.Name, dg.Members, want)
			}
		}
		var reported []string
		for _, m := range restore.MissingMembers {
			reported = append(reported, m.Group+"/"+m.Username)
		}
		sort.Strings(missing)
		sort.Strings(reported)
		if !slices.Equal(reported, missing) {
			t.Errorf("MissingMembers %v, want %v", reported, missing)
		}
	}
	checkGroups(r.restore)
	if r.restore.GroupsCreated != 3 || r.restore.MembershipsAdded != 5 || r.restore.GroupsExisting != 0 {
		t.Errorf("RestoreGroups: %+v", r.restore)
	}
	if r.export.Groups != 3 || r.export.Memberships != 8 {
		t.Errorf("Export: %d groups, %d memberships; want 3, 8", r.export.Groups, r.export.Memberships)
	}

	// A second run changes nothing: the import skips every user, no group
	// is created and no member added.
	before := e.srv.Users(dstPool)
	creates := e.srv.Requests(cognitoimporttest.CreateGroup)
	adds := e.srv.Requests(cognitoimporttest.AdminAddUserToGroup)
	r2 := runCopy(t, e)
	if r2.job.ImportedUsers != 0 || int(r2.job.SkippedUsers) != r.export.Exported {
		t.Errorf("second Import: %v", r2.job)
	}
	if after := e.srv.Users(dstPool); len(after) != len(before) {
		t.Errorf("the second run changed the destination's users: %d, then %d", len(before), len(after))
	} else {
		for i := range after {
			if after[i].Sub != before[i].Sub || !maps.Equal(after[i].Attributes, before[i].Attributes) {
				t.Errorf("the second run changed %s", after[i].Username)
			}
		}
	}
	checkGroups(r2.restore)
	if r2.restore.GroupsCreated != 0 || r2.restore.GroupsExisting != 3 || r2.restore.MembershipsAdded != 0 || r2.restore.MembershipsExisting != 5 {
		t.Errorf("second RestoreGroups: %+v", r2.restore)
	}
	if got := e.srv.Requests(cognitoimporttest.CreateGroup); got != creates {
		t.Errorf("the second run sent %d CreateGroup requests", got-creates)
	}
	// Only the members that are not in the destination are tried again.
	if got := e.srv.Requests(cognitoimporttest.AdminAddUserToGroup) - adds; got != len(r.restore.MissingMembers) {
		t.Errorf("the second run sent %d AdminAddUserToGroup requests, want %d", got, len(r.restore.MissingMembers))
	}
}
