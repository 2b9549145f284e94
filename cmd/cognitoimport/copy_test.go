package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The copy tests run the command in-process against the test server, which
// holds both pools.
const (
	copySrc = "us-east-1_from"
	copyDst = "us-east-1_to"
)

// copyPools are a source with a custom attribute the destination lacks, and
// the destination.
func copyPools() []cognitoimporttest.Option {
	return []cognitoimporttest.Option{
		cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: copySrc, CustomAttributes: []string{"legacy"}}),
		cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: copyDst, Name: "Dest"}),
	}
}

// seedCopy fills the source with three users to copy, three to leave out
// (federated, with an attribute the destination lacks, disabled) and three
// groups, and gives the destination a user bob already, whose row the
// import skips.
func seedCopy(srv *cognitoimporttest.Server) {
	user := func(name string) cognitoimporttest.User {
		return cognitoimporttest.User{Username: name, Sub: "sub-" + name, Attributes: map[string]string{
			"email": name + "@example.com", "email_verified": "true", "given_name": strings.ToUpper(name),
		}}
	}
	alice, bob, carol := user("alice"), user("bob"), user("carol")
	bob.Status, carol.Status = "UNCONFIRMED", "RESET_REQUIRED"
	fed, old, dis := user("fed"), user("old"), user("dis")
	fed.Status = "EXTERNAL_PROVIDER"
	old.Attributes["custom:legacy"] = "1"
	dis.Disabled = true
	for _, u := range []cognitoimporttest.User{alice, bob, carol, fed, old, dis} {
		srv.AddUser(copySrc, u)
	}
	srv.AddGroup(copySrc, cognitoimporttest.Group{Name: "admins", Description: "Administrators", Members: []string{"alice", "fed"}})
	srv.AddGroup(copySrc, cognitoimporttest.Group{Name: "staff", Members: []string{"bob", "carol"}})
	srv.AddGroup(copySrc, cognitoimporttest.Group{Name: "empty"})
	srv.AddUser(copyDst, cognitoimporttest.User{Username: "bob", Sub: "new-bob", Attributes: map[string]string{"email": "bob@example.com", "email_verified": "true"}})
}

// poolState is what a test compares of a destination pool: its users'
// names and attributes, and its groups with their members.
func poolState(srv *cognitoimporttest.Server, pool string) (users map[string]map[string]string, groups map[string][]string) {
	users, groups = map[string]map[string]string{}, map[string][]string{}
	for _, u := range srv.Users(pool) {
		users[u.Username] = u.Attributes
	}
	for _, g := range srv.Groups(pool) {
		m := slices.Clone(g.Members)
		slices.Sort(m)
		groups[g.Name] = m
	}
	return users, groups
}

// TestCopy copies a seeded source pool into a destination: the users that
// can be copied are in the destination with their attributes and groups,
// those that cannot are printed with their reason, the row the import
// skipped with the reason from the job's log, and the table counts each.
// A second run changes nothing: no job, no group, no membership, the same
// users.
func TestCopy(t *testing.T) {
	t.Parallel()
	h, _ := newClockHarness(t, copyPools()...)
	seedCopy(h.srv)
	dir := filepath.Join(t.TempDir(), "work")
	args := []string{"copy", "--from", copySrc, "--to", copyDst, "--role", testRole, "--dir", dir}
	r := h.run(args...).want(t, exitOK)
	r.wantNoCR(t)
	users := filepath.Join(dir, "users.csv")
	for _, want := range []string{
		"fed: federated user",
		"old: custom:legacy: the destination pool has no such attribute",
		"dis: disabled in the source pool",
		"custom:legacy: 1 user has it and pool " + copyDst + " does not",
		users + ": 1 skipped: The user already exists. (lines 3)",
		"copy of " + copySrc + " to " + copyDst + ":",
		"  users in the source              6\n",
		"  exported                         3\n",
		"  left out by the export           3\n",
		"  imported                         2\n",
		"  skipped                          1\n",
		"  failed                           0\n",
		"  groups restored                  3  (3 created now)\n",
		"  memberships restored             3  (3 added now; 1 not in the destination)\n",
		"old and new subs of 3 users in " + filepath.Join(dir, "subs.mapped.csv"),
		"note: Passwords cannot",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "working directory "+dir) {
		t.Errorf("stderr does not say where the files go:\n%s", r.stderr)
	}
	gotUsers, gotGroups := poolState(h.srv, copyDst)
	for _, name := range []string{"alice", "carol"} {
		a := gotUsers[name]
		if a["email"] != name+"@example.com" || a["given_name"] != strings.ToUpper(name) {
			t.Errorf("%s in the destination: %v", name, a)
		}
	}
	if len(gotUsers) != 3 || gotUsers["bob"] == nil {
		t.Errorf("the destination's users: %v, want alice, bob and carol", gotUsers)
	}
	wantGroups := map[string][]string{"admins": {"alice"}, "staff": {"bob", "carol"}, "empty": {}}
	for g, m := range wantGroups {
		if got, ok := gotGroups[g]; !ok || !slices.Equal(got, m) && len(got)+len(m) > 0 {
			t.Errorf("group %s in the destination: %v, want %v", g, got, m)
		}
	}
	mapped, err := os.ReadFile(filepath.Join(dir, "subs.mapped.csv"))
	if err != nil || !strings.Contains(string(mapped), "sub-bob,new-bob,bob\n") {
		t.Errorf("subs.mapped.csv: %q, %v", mapped, err)
	}
	jobs := h.srv.Jobs(copyDst)
	if len(jobs) != 1 {
		t.Fatalf("%d jobs, want 1", len(jobs))
	}

	created, started := h.srv.Requests(cognitoimporttest.CreateUserImportJob), h.srv.Requests(cognitoimporttest.StartUserImportJob)
	groupsCreated, added := h.srv.Requests("CreateGroup"), h.srv.Requests("AdminAddUserToGroup")

	// Again, with --json: the same counts, from the export and the journal;
	// nothing sent that changes the destination.
	r = h.run(append(args, "--json", "--from-region", h.srv.Region(), "--to-region", h.srv.Region())...).want(t, exitOK)
	var j copyJSON
	decode(t, r.stdout, &j)
	if j.SourceUsers != 6 || j.Exported != 3 || j.LeftOutCount != 3 || len(j.LeftOut) != 3 || j.Imported != 2 || j.Skipped != 1 || j.Failed != 0 ||
		len(j.Parts) != 1 || j.Parts[0].JobID != jobs[0].JobID || len(j.Reasons) != 1 || j.Reasons[0].Lines[0] != 3 || j.SubsMapped != 3 {
		t.Errorf("second run --json: %+v", j)
	}
	if g := j.Groups; g == nil || g.GroupsCreated != 0 || g.GroupsExisting != 3 || g.MembershipsAdded != 0 || g.MembershipsExisting != 3 {
		t.Errorf("second run's groups: %+v, want 3 existing groups and 3 existing memberships", j.Groups)
	}
	if !strings.Contains(r.stderr, "ended in an earlier run") {
		t.Errorf("second run's stderr does not say the export is reused:\n%s", r.stderr)
	}
	againUsers, againGroups := poolState(h.srv, copyDst)
	if n := len(h.srv.Jobs(copyDst)); n != 1 {
		t.Errorf("%d jobs after the second run, want 1", n)
	}
	if len(againUsers) != len(gotUsers) || len(againGroups) != len(gotGroups) {
		t.Errorf("the second run changed the destination: users %v, groups %v", againUsers, againGroups)
	}
	for g, m := range gotGroups {
		if !slices.Equal(againGroups[g], m) {
			t.Errorf("group %s: %v after the second run, %v before", g, againGroups[g], m)
		}
	}
	// The second run sends no create and no start, and only the missing
	// member (fed, left out by the export) is tried again.
	for op, want := range map[cognitoimporttest.Operation]int{
		cognitoimporttest.CreateUserImportJob: created, cognitoimporttest.StartUserImportJob: started, "CreateGroup": groupsCreated, "AdminAddUserToGroup": added + 1,
	} {
		if n := h.srv.Requests(op); n != want {
			t.Errorf("%d %s requests after the second run, want %d", n, op, want)
		}
	}

	// Usage errors.
	h.run("copy", "--from", copySrc, "--to", copyDst).want(t, exitUsage)
	h.run("copy", "--from", copySrc, "--to", copySrc, "--role", testRole).want(t, exitUsage)
	h.run(append(args, "--fresh")...).want(t, exitUsage)
	// The directory holds this copy's export: another filter is refused.
	h.run(append(args, "--filter", `username ^= "a"`)...).want(t, exitUsage)
}

// runningClock is a fake clock whose first Sleep while a job of pool runs
// signals sleeping and blocks until its context ends: the copy is then
// waiting for the job, and an interrupt comes.
type runningClock struct {
	*cognitoimporttest.Clock
	srv      *cognitoimporttest.Server
	pool     string
	once     sync.Once
	sleeping chan struct{}
}

func (c *runningClock) Sleep(ctx context.Context, d time.Duration) error {
	running := slices.ContainsFunc(c.srv.Jobs(c.pool), func(j cognitoimporttest.Job) bool { return string(j.Status) == "InProgress" })
	first := false
	if running {
		c.once.Do(func() { first = true })
	}
	if !first {
		return c.Clock.Sleep(ctx, d)
	}
	close(c.sleeping)
	<-ctx.Done()
	return ctx.Err()
}

// TestCopyInterrupted: Ctrl-C while the job runs ends the copy with 130,
// leaves the job running and says to run the same command again; that
// command waits for the same job, never starting another, and finishes
// the copy.
func TestCopyInterrupted(t *testing.T) {
	t.Parallel()
	h, clk := newClockHarness(t, append(copyPools(), cognitoimporttest.WithImportRate(1))...)
	seedCopy(h.srv)
	gate := &runningClock{Clock: clk, srv: h.srv, pool: copyDst, sleeping: make(chan struct{})}
	h.sys.clock = gate
	sigs := make(chan os.Signal, 1)
	h.sys.notify = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	go func() {
		<-gate.sleeping
		sigs <- os.Interrupt
	}()
	dir := filepath.Join(t.TempDir(), "work")
	args := []string{"copy", "--from", copySrc, "--to", copyDst, "--role", testRole, "--dir", dir}
	r := h.run(args...).want(t, exitInterrupted)
	jobs := h.srv.Jobs(copyDst)
	if len(jobs) != 1 || string(jobs[0].Status) != "InProgress" {
		t.Fatalf("jobs after the interrupt: %+v, want one running", jobs)
	}
	for _, want := range []string{"job " + jobs[0].JobID + " of part 1 keeps running", "to go on, run the same command again: cognitoimport copy --endpoint-url " + h.srv.URL} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if _, groups := poolState(h.srv, copyDst); len(groups) != 0 {
		t.Errorf("groups restored before the import ended: %v", groups)
	}

	h.sys.clock = clk
	r = h.run(args...).want(t, exitOK)
	if jobs := h.srv.Jobs(copyDst); len(jobs) != 1 || string(jobs[0].Status) != "Succeeded" {
		t.Errorf("jobs after the second run: %+v, want the first one, Succeeded", jobs)
	}
	if users, groups := poolState(h.srv, copyDst); len(users) != 3 || len(groups) != 3 {
		t.Errorf("after the second run: users %v, groups %v", users, groups)
	}
	if !strings.Contains(r.stdout, "imported                         2\n") {
		t.Errorf("second run's table:\n%s", r.stdout)
	}
}
