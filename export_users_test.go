package cognitoimport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// Tests of Export (export.go). TestCopyPool (copy_test.go) runs a whole copy.

// newExportEnv is a server with srcPool and dstPool on a fake clock, and a
// client whose SDK sends each call once, so that request counts are exact
// and a throttled answer reaches Export.
func newExportEnv(t *testing.T, opts ...cognitoimporttest.Option) *clocked {
	t.Helper()
	e := newClocked(t, append(copyPools(), opts...)...)
	e.client = cognitoimport.New(cognitoidentityprovider.NewFromConfig(e.srv.Config(), noRetry), cognitoimport.WithClock(e.clk))
	return e
}

func addPlainUsers(srv *cognitoimporttest.Server, pool string, n int) {
	for i := range n {
		srv.AddUser(pool, cognitoimporttest.User{Username: fmt.Sprintf("user%06d", i),
			Attributes: map[string]string{"email": fmt.Sprintf("u%d@example.com", i), "email_verified": "true", "family_name": "F"}})
	}
}

// TestExportPacesRequests: at the default rate Export never goes over the
// service's 5 requests a second per operation (the server enforces it), and
// takes ceil(N/60) ListUsers requests; each page is reported.
func TestExportPacesRequests(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t, cognitoimporttest.WithRateLimits())
	const n = 7*60 - 10 // 7 pages
	addPlainUsers(e.srv, srcPool, n)
	start := e.clk.Now()
	var pages []cognitoimport.ExportProgress
	var file bytes.Buffer
	out, err := e.client.Export(t.Context(), cognitoimport.ExportInput{UserPoolID: srcPool, Users: &file,
		Progress: func(p cognitoimport.ExportProgress) { pages = append(pages, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if out.Exported != n || out.Users != n {
		t.Fatalf("exported %d of %d users, want %d", out.Exported, out.Users, n)
	}
	if got := e.srv.Requests(cognitoimporttest.ListUsers); got != 7 || out.Requests != 7 {
		t.Errorf("%d ListUsers requests (Export counted %d), want 7: none throttled", got, out.Requests)
	}
	if elapsed := e.clk.Now().Sub(start); elapsed < 6*200*time.Millisecond {
		t.Errorf("7 requests took %v of the clock, want at least 1.2s at 5 a second", elapsed)
	}
	if len(pages) != 7 || pages[6].Users != n || pages[0].Users != 60 {
		t.Errorf("progress: %+v", pages)
	}
	if lines := strings.Count(file.String(), "\n"); lines != n+1 {
		t.Errorf("the file has %d lines, want %d", lines, n+1)
	}
}

// TestExportAbsorbsThrottling: with no rate of its own Export goes over the
// server's limit, and waits the TooManyRequestsException out, as it does
// for throttling injected with FailNext.
func TestExportAbsorbsThrottling(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t, cognitoimporttest.WithRateLimits())
	addPlainUsers(e.srv, srcPool, 7*60)
	e.srv.FailNext(cognitoimporttest.ListUsers, cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}, 2)
	start := e.clk.Now()
	out, err := e.client.Export(t.Context(), cognitoimport.ExportInput{UserPoolID: srcPool, Users: &bytes.Buffer{}, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	if out.Exported != 7*60 {
		t.Fatalf("exported %d", out.Exported)
	}
	// 2 injected + at least 1 refused by the limit of 5 a second.
	if got := e.srv.Requests(cognitoimporttest.ListUsers); got < 10 || out.Requests != got {
		t.Errorf("%d requests (Export counted %d), want at least 7 + 3 throttled", got, out.Requests)
	}
	if elapsed := e.clk.Now().Sub(start); elapsed < 3*time.Second {
		t.Errorf("backoff took %v of the clock, want at least 1s + 2s", elapsed)
	}

	// Throttled without end: Export gives up with the service's error.
	e.srv.FailNext(cognitoimporttest.ListUsers, cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}, 100)
	_, err = e.client.Export(t.Context(), cognitoimport.ExportInput{UserPoolID: srcPool, Users: &bytes.Buffer{}})
	if !isA[*cognitoimport.TooManyRequestsError](err) {
		t.Errorf("Export throttled without end: %v", err)
	}
}

// exportedRows exports srcPool for settings and returns the file's rows by
// username, each as its columns by name, and the output.
func exportedRows(t *testing.T, e *clocked, in cognitoimport.ExportInput) (map[string]map[string]string, *cognitoimport.ExportOutput) {
	t.Helper()
	var file bytes.Buffer
	in.UserPoolID, in.Users = srcPool, &file
	out, err := e.client.Export(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(file.String(), "\n"), "\n")
	header := strings.Split(lines[0], ",")
	rows := map[string]map[string]string{}
	for _, l := range lines[1:] {
		l = strings.ReplaceAll(l, `\,`, "\x00")
		row := map[string]string{}
		for i, v := range strings.Split(l, ",") {
			row[header[i]] = strings.ReplaceAll(v, "\x00", ",")
		}
		rows[row["cognito:username"]] = row
	}
	if len(rows) != out.Exported {
		t.Fatalf("%d rows, Exported %d", len(rows), out.Exported)
	}
	return rows, out
}

// TestExportMFAFollowsDestination: cognito:mfa_enabled is TRUE where the
// destination requires MFA, FALSE where it is off, and the source's SMS MFA
// option where it is optional.
func TestExportMFAFollowsDestination(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	seedSource(e.srv)
	settings := cognitoimport.DefaultPoolSettings(dstPool)
	settings.Header = append(settings.Header, "custom:dept", "custom:legacy_id")
	for _, tc := range []struct {
		mfa        cognitoimport.MFAConfig
		kate, dave string
	}{
		{cognitoimport.MFAOn, "TRUE", "TRUE"},
		{cognitoimport.MFAOff, "FALSE", "FALSE"},
		{cognitoimport.MFAOptional, "TRUE", "FALSE"}, // kate has MFA in the source
	} {
		settings.MFA = tc.mfa
		rows, _ := exportedRows(t, e, cognitoimport.ExportInput{Settings: settings})
		if rows["kate"]["cognito:mfa_enabled"] != tc.kate || rows["dave"]["cognito:mfa_enabled"] != tc.dave {
			t.Errorf("MFA %s: kate %q, dave %q; want %s, %s", tc.mfa, rows["kate"]["cognito:mfa_enabled"], rows["dave"]["cognito:mfa_enabled"], tc.kate, tc.dave)
		}
	}
}

// TestExportFilterAndSourceSettings: a filter goes to ListUsers as it is;
// without Settings the file is for the source's own pool, and carries every
// custom attribute; a bad filter is the service's InvalidParameterException.
func TestExportFilterAndSourceSettings(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	seedSource(e.srv)
	rows, out := exportedRows(t, e, cognitoimport.ExportInput{Filter: `cognito:user_status = "CONFIRMED"`})
	if out.Users != 7 { // alice erin frank gina hank ivy kate
		t.Errorf("ListUsers returned %d CONFIRMED users, want 7", out.Users)
	}
	for name, row := range rows {
		if name == "erin" && row["custom:legacy_id"] != "e-1" {
			t.Errorf("erin's legacy_id: %q", row["custom:legacy_id"])
		}
	}
	for _, name := range []string{"alice", "erin", "frank", "gina", "hank", "kate"} {
		if rows[name] == nil {
			t.Errorf("%s (CONFIRMED, fit for its own pool) is not in the file", name)
		}
	}
	for _, name := range []string{"bob", "carol", "dave"} {
		if rows[name] != nil {
			t.Errorf("%s is not CONFIRMED but is in the file", name)
		}
	}
	if len(out.LeftOut) != 1 || out.LeftOut[0].Username != "ivy" {
		t.Errorf("left out: %v, want ivy (disabled)", out.LeftOut)
	}
	if rows["alice"]["address"] != "1 Main St, Springfield" || rows["alice"]["birthdate"] != "04/01/1990" {
		t.Errorf("alice: address %q, birthdate %q", rows["alice"]["address"], rows["alice"]["birthdate"])
	}

	_, err := e.client.Export(t.Context(), cognitoimport.ExportInput{UserPoolID: srcPool, Users: &bytes.Buffer{}, Filter: `shoe_size = "9"`})
	if !isA[*cognitoimport.InvalidParameterError](err) {
		t.Errorf("bad filter: %v", err)
	}
}

// TestExportRefusedValues: a value the destination's rules refuse leaves the
// user out with the rule's reason; a LeftOut callback takes the reports
// instead of the output.
func TestExportRefusedValues(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	ok := map[string]string{"email": "ok@example.com", "email_verified": "true", "family_name": "F"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range ok {
			m[a] = b
		}
		m[k] = v
		return m
	}
	for name, attrs := range map[string]map[string]string{
		"fine":      ok,
		"badphone":  with("phone_number", "555-0100"),
		"badbirth":  with("birthdate", "April 1st"),
		"badupdate": with("updated_at", "yesterday"),
		"nofamily":  with("family_name", ""),
		"longname":  with("name", strings.Repeat("n", 17000)),
	} {
		e.srv.AddUser(srcPool, cognitoimporttest.User{Username: name, Attributes: attrs})
	}
	settings, err := e.client.PoolSettings(t.Context(), dstPool)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	rows, out := exportedRows(t, e, cognitoimport.ExportInput{Settings: settings, LeftOut: func(l cognitoimport.LeftOutUser) { got[l.Username] = l.String() }})
	if len(rows) != 1 || rows["fine"] == nil || len(out.LeftOut) != 0 || out.LeftOutCount != 5 {
		t.Fatalf("rows %v, LeftOut %v (%d)", rows, out.LeftOut, out.LeftOutCount)
	}
	for name, want := range map[string]string{
		"badphone":  "phone_number",
		"badbirth":  "birthdate",
		"badupdate": "updated_at",
		"nofamily":  "family_name",
		"longname":  "16000",
	} {
		if !strings.Contains(got[name], want) {
			t.Errorf("%s: reported %q, want a reason about %s", name, got[name], want)
		}
	}
}

// TestExportNeedsPoolAPI: an API without the users and groups calls gets
// ErrNoPoolAPI. The server cannot make a client lack calls: this is a fake.
func TestExportNeedsPoolAPI(t *testing.T) {
	t.Parallel()
	c := cognitoimport.New(struct{ cognitoimport.API }{})
	_, err := c.Export(context.Background(), cognitoimport.ExportInput{UserPoolID: srcPool, Users: &bytes.Buffer{}})
	if !errors.Is(err, cognitoimport.ErrNoPoolAPI) {
		t.Errorf("Export = %v, want ErrNoPoolAPI", err)
	}
	_, err = c.RestoreGroups(context.Background(), cognitoimport.RestoreGroupsInput{UserPoolID: dstPool, Groups: strings.NewReader("{}")})
	if !errors.Is(err, cognitoimport.ErrNoPoolAPI) {
		t.Errorf("RestoreGroups = %v, want ErrNoPoolAPI", err)
	}
}

// TestMapSubsReportsMissing: a user of the sub file that the destination
// lacks is reported; a file that is not a sub file is refused.
func TestMapSubsReportsMissing(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	e.srv.AddUser(dstPool, cognitoimporttest.User{Username: "here", Sub: "22222222-2222-4222-8222-222222222222"})
	var out bytes.Buffer
	res, err := e.client.MapSubs(t.Context(), cognitoimport.MapSubsInput{UserPoolID: dstPool, Output: &out,
		Subs: strings.NewReader("sub,username\nold-1,here\nold-2,gone\n")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mapped != 1 || len(res.Missing) != 1 || res.Missing[0] != "gone" ||
		out.String() != "old_sub,new_sub,username\nold-1,22222222-2222-4222-8222-222222222222,here\n" {
		t.Errorf("MapSubs: %+v, %q", res, out.String())
	}
	_, err = e.client.MapSubs(t.Context(), cognitoimport.MapSubsInput{UserPoolID: dstPool, Output: &out, Subs: strings.NewReader("a,b,c\n")})
	if !errors.Is(err, cognitoimport.ErrSubsFile) {
		t.Errorf("a bad sub file: %v", err)
	}
}

// TestExportStopsCleanly: an export that ends early (here its context,
// cancelled after the first page) leaves a valid users file of the users
// read so far.
func TestExportStopsCleanly(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	addPlainUsers(e.srv, srcPool, 150)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var file bytes.Buffer
	_, err := e.client.Export(ctx, cognitoimport.ExportInput{UserPoolID: srcPool, Users: &file,
		Progress: func(cognitoimport.ExportProgress) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Export = %v, want context.Canceled", err)
	}
	settings, err := e.client.PoolSettings(t.Context(), srcPool)
	if err != nil {
		t.Fatal(err)
	}
	if users, err := cognitoimport.CheckFile(bytes.NewReader(file.Bytes()), settings, cognitoimport.CheckOptions{}); users != 60 || err != nil {
		t.Errorf("the file left: %d users, %v; want the first page's 60, valid", users, err)
	}
}

// TestPoolCallsPerCallOptions: Export, RestoreGroups and MapSubs apply their
// optFns to every call they make. The SDK client's own endpoint is a closed
// port, and the optFns point each call at the test server: a call made
// without them fails.
func TestPoolCallsPerCallOptions(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	cfg := e.srv.Config()
	cfg.BaseEndpoint = aws.String(closedPortURL(t))
	client := cognitoimport.New(cognitoidentityprovider.NewFromConfig(cfg, noRetry), cognitoimport.WithClock(e.clk))
	toServer := func(o *cognitoidentityprovider.Options) { o.BaseEndpoint = aws.String(e.srv.URL) }
	addPlainUsers(e.srv, srcPool, 2)
	e.srv.AddGroup(srcPool, cognitoimporttest.Group{Name: "staff", Members: []string{"user000000"}})
	e.srv.AddUser(dstPool, cognitoimporttest.User{Username: "user000000", Sub: "22222222-2222-4222-8222-222222222222"})

	var users, subs, groups bytes.Buffer
	in := cognitoimport.ExportInput{UserPoolID: srcPool, Users: &users, Subs: &subs, Groups: &groups}
	if _, err := client.Export(t.Context(), in); err == nil {
		t.Error("Export without the optFns succeeded: the SDK client's endpoint is closed")
	}
	users.Reset()
	subs.Reset()
	out, err := client.Export(t.Context(), in, toServer)
	if err != nil || out.Exported != 2 || out.Groups != 1 {
		t.Fatalf("Export with the optFns = %+v, %v; want 2 users and 1 group", out, err)
	}

	restore := cognitoimport.RestoreGroupsInput{UserPoolID: dstPool, Groups: bytes.NewReader(groups.Bytes())}
	if _, err := client.RestoreGroups(t.Context(), restore); err == nil {
		t.Error("RestoreGroups without the optFns succeeded")
	}
	restore.Groups = bytes.NewReader(groups.Bytes())
	if res, err := client.RestoreGroups(t.Context(), restore, toServer); err != nil || res.GroupsCreated != 1 || res.MembershipsAdded != 1 {
		t.Errorf("RestoreGroups with the optFns = %+v, %v; want the group and its member", res, err)
	}

	var mapped bytes.Buffer
	mapIn := cognitoimport.MapSubsInput{UserPoolID: dstPool, Subs: bytes.NewReader(subs.Bytes()), Output: &mapped}
	if _, err := client.MapSubs(t.Context(), mapIn); err == nil {
		t.Error("MapSubs without the optFns succeeded")
	}
	mapIn.Subs = bytes.NewReader(subs.Bytes())
	if res, err := client.MapSubs(t.Context(), mapIn, toServer); err != nil || res.Mapped != 1 {
		t.Errorf("MapSubs with the optFns = %+v, %v; want 1 user mapped", res, err)
	}
}
