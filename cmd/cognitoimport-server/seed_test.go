package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// TestPoolConfigSeedsUsersAndGroups: a -pool-config file's Users and Groups
// are in the pool, as ListUsers and ListUsersInGroup report them through the
// SDK; a bad user in the file is a usage error naming it.
func TestPoolConfigSeedsUsersAndGroups(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "pools.json")
	if err := os.WriteFile(config, []byte(`[{"ID": "us-east-1_source", "CustomAttributes": ["dept"],
	  "Users": [
	    {"Username": "jane", "Status": "CONFIRMED", "Sub": "11111111-2222-4333-8444-555555555555",
	     "Attributes": {"email": "jane@example.com", "email_verified": "true", "custom:dept": "ops"}},
	    {"Username": "fed", "Status": "EXTERNAL_PROVIDER", "Disabled": true}],
	  "Groups": [{"Name": "admins", "Precedence": 1, "Members": ["jane"]}]}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-addr", "127.0.0.1:0", "-pool-config", config}, stdoutW, io.Discard)
		stdoutW.Close()
	}()
	b := readBanner(t, stdoutR)
	c := client(t, b.fields["endpoint"], b.fields["region"], b.fields["access key ID"], b.fields["secret access key"])
	out, err := c.ListUsers(ctx, &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String("us-east-1_source")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 2 || aws.ToString(out.Users[0].Username) != "jane" || out.Users[1].UserStatus != "EXTERNAL_PROVIDER" || out.Users[1].Enabled {
		t.Fatalf("ListUsers: %+v", out.Users)
	}
	got := map[string]string{}
	for _, a := range out.Users[0].Attributes {
		got[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if got["sub"] != "11111111-2222-4333-8444-555555555555" || got["custom:dept"] != "ops" {
		t.Errorf("jane's attributes: %v", got)
	}
	members, err := c.ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{UserPoolId: aws.String("us-east-1_source"), GroupName: aws.String("admins")})
	if err != nil {
		t.Fatal(err)
	}
	if len(members.Users) != 1 || aws.ToString(members.Users[0].Username) != "jane" {
		t.Errorf("admins: %+v", members.Users)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d", c)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`[{"ID": "us-east-1_a", "Users": [{"Username": "x", "Attributes": {"custom:nope": "1"}}]}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	if code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-pool-config", bad}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), `"custom:nope" is not an attribute`) {
		t.Errorf("bad user: exit %d, stderr %q", code, stderr.String())
	}
}
