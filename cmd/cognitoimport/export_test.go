package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// exportPools are a source with a custom attribute the destination lacks,
// and the destination.
func exportPools() []cognitoimporttest.Option {
	return []cognitoimporttest.Option{
		cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: "us-east-1_src", CustomAttributes: []string{"legacy"}}),
		cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: "us-east-1_dst"}),
	}
}

func seedExport(srv *cognitoimporttest.Server) {
	ok := map[string]string{"email": "a@example.com", "email_verified": "true"}
	srv.AddUser("us-east-1_src", cognitoimporttest.User{Username: "alice", Sub: "sub-alice", Attributes: ok})
	srv.AddUser("us-east-1_src", cognitoimporttest.User{Username: "fed", Status: "EXTERNAL_PROVIDER", Attributes: ok})
	srv.AddUser("us-east-1_src", cognitoimporttest.User{Username: "old", Attributes: map[string]string{"email": "o@example.com", "email_verified": "true", "custom:legacy": "1"}})
	srv.AddGroup("us-east-1_src", cognitoimporttest.Group{Name: "admins", Members: []string{"alice", "fed"}})
}

// TestExport writes the three files, prints each user left out as
// USERNAME: reason, the attribute the destination lacks once with its count,
// and the notes; --json says the same as one object.
func TestExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t, exportPools()...)
	seedExport(h.srv)
	dir := t.TempDir()
	out := filepath.Join(dir, "users.csv")
	r := h.run("export", "--pool", "us-east-1_src", "--for-pool", "us-east-1_dst", "-o", out).want(t, 0)
	for _, want := range []string{
		"fed: federated user",
		"old: custom:legacy: the destination pool has no such attribute",
		"exported 1 of 3 users to " + out + "; 2 left out",
		"custom:legacy: 1 user has it and pool us-east-1_dst does not",
		"1 group with 2 members",
		"note: Passwords cannot",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	users, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(users)), "\n"); len(lines) != 2 || !strings.HasSuffix(lines[1], "FALSE,alice") {
		t.Errorf("users file:\n%s", users)
	}
	subs, err := os.ReadFile(filepath.Join(dir, "users.subs.csv"))
	if err != nil || string(subs) != "sub,username\nsub-alice,alice\n" {
		t.Errorf("subs file %q, %v", subs, err)
	}
	groups, err := os.ReadFile(filepath.Join(dir, "users.groups.json"))
	if err != nil || !strings.Contains(string(groups), `"Members":["alice","fed"]`) {
		t.Errorf("groups file %s, %v", groups, err)
	}

	var j exportJSON
	r = h.run("export", "--pool", "us-east-1_src", "--for-pool", "us-east-1_dst", "-o", out, "--json").want(t, 0)
	decode(t, r.stdout, &j)
	if j.Exported != 1 || len(j.LeftOut) != 2 || j.LeftOut[0].Username != "fed" || len(j.MissingAttributes) != 1 || j.Requests < 3 {
		t.Errorf("--json: %+v", j)
	}

	h.run("export", "--pool", "us-east-1_src").want(t, 2)
	h.run("export", "--pool", "us-east-1_src", "-o", out, "--rate", "0").want(t, 2)
	h.run("export", "--pool", "us-east-1_src", "-o", out, "--filter", "nonsense").want(t, 1)
}
