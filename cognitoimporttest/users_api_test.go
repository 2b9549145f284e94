package cognitoimporttest_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// seedStatuses adds one user of each status to testPool: user-<status>,
// with an email, a custom attribute and, for every other user, disabled.
func seedStatuses(t *testing.T, srv *cognitoimporttest.Server) []string {
	t.Helper()
	statuses := []string{"UNCONFIRMED", "CONFIRMED", "EXTERNAL_PROVIDER", "RESET_REQUIRED", "FORCE_CHANGE_PASSWORD", "UNKNOWN", "ARCHIVED", "COMPROMISED"}
	for i, st := range statuses {
		srv.AddUser(testPool, cognitoimporttest.User{
			Username:   "user-" + st,
			Status:     st,
			Disabled:   i%2 == 1,
			MFAEnabled: st == "CONFIRMED",
			Attributes: map[string]string{"email": fmt.Sprintf("u%d@example.com", i), "email_verified": "TRUE", "given_name": st},
		})
	}
	return statuses
}

func attr(u types.UserType, name string) (string, bool) {
	for _, a := range u.Attributes {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value), true
		}
	}
	return "", false
}

func TestListUsersReturnsEveryStatusAndAttribute(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	statuses := seedStatuses(t, srv)
	srv.AddUser(testPool, cognitoimporttest.User{Username: "given-sub", Sub: "11111111-2222-4333-8444-555555555555", Attributes: map[string]string{"phone_number": "+12345550100"}})
	client := newClient(srv)
	out, err := client.ListUsers(context.Background(), &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String(testPool)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != len(statuses)+1 || out.PaginationToken != nil {
		t.Fatalf("got %d users, token %v; want %d, no token", len(out.Users), out.PaginationToken, len(statuses)+1)
	}
	subs := map[string]bool{}
	for i, st := range statuses {
		u := out.Users[i]
		if aws.ToString(u.Username) != "user-"+st || string(u.UserStatus) != st || u.Enabled != (i%2 == 0) {
			t.Errorf("user %d: %s %s enabled=%v", i, aws.ToString(u.Username), u.UserStatus, u.Enabled)
		}
		if v, _ := attr(u, "email_verified"); v != "true" {
			t.Errorf("%s: email_verified %q, want true (lower case, as the service answers)", st, v)
		}
		if v, _ := attr(u, "given_name"); v != st {
			t.Errorf("%s: given_name %q", st, v)
		}
		sub, ok := attr(u, "sub")
		if !ok || len(sub) != 36 || subs[sub] {
			t.Errorf("%s: sub %q not a fresh UUID", st, sub)
		}
		subs[sub] = true
		if (len(u.MFAOptions) > 0) != (st == "CONFIRMED") {
			t.Errorf("%s: MFAOptions %v", st, u.MFAOptions)
		}
		if u.UserCreateDate == nil {
			t.Errorf("%s: no UserCreateDate", st)
		}
	}
	if sub, _ := attr(out.Users[len(statuses)], "sub"); sub != "11111111-2222-4333-8444-555555555555" {
		t.Errorf("a given sub came back as %q", sub)
	}
	if got := srv.Users(testPool)[0].Sub; !subs[got] {
		t.Errorf("Users reports sub %q, which ListUsers did not", got)
	}
}

func TestListUsersPagesAndAttributesToGet(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	const n = 125
	for i := range n {
		srv.AddUser(testPool, cognitoimporttest.User{Username: fmt.Sprintf("u%03d", i), Attributes: map[string]string{"email": fmt.Sprintf("u%d@example.com", i), "name": "N"}})
	}
	client := newClient(srv)
	var names []string
	var token *string
	pages := 0
	for {
		out, err := client.ListUsers(context.Background(), &cognitoidentityprovider.ListUsersInput{
			UserPoolId: aws.String(testPool), Limit: aws.Int32(60), PaginationToken: token, AttributesToGet: []string{"email"},
		})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.Username))
			if len(u.Attributes) != 1 || aws.ToString(u.Attributes[0].Name) != "email" {
				t.Fatalf("AttributesToGet [email]: got %v", u.Attributes)
			}
		}
		if token = out.PaginationToken; token == nil {
			break
		}
	}
	if pages != 3 || len(names) != n || !slices.IsSorted(names) || slices.Compact(slices.Clone(names))[n-1] != names[n-1] {
		t.Fatalf("%d pages, %d users (want 3, %d, each once in order)", pages, len(names), n)
	}
	if got := srv.Requests(cognitoimporttest.ListUsers); got != 3 {
		t.Errorf("Requests(ListUsers) = %d, want 3", got)
	}
	calls := srv.Calls(cognitoimporttest.ListUsers)
	if in, ok := calls[1].Input.(*cognitoidentityprovider.ListUsersInput); !ok || aws.ToInt32(in.Limit) != 60 || in.PaginationToken == nil || !slices.Equal(in.AttributesToGet, []string{"email"}) {
		t.Errorf("the record of the second call: %#v", calls[1].Input)
	}

	_, err := client.ListUsers(context.Background(), &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String(testPool), Limit: aws.Int32(61)}, noRetry)
	apiError(t, err, "InvalidParameterException")
	_, err = client.ListUsers(context.Background(), &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String(testPool), AttributesToGet: []string{"custom:nope"}}, noRetry)
	apiError(t, err, "InvalidParameterException")
	_, err = client.ListUsers(context.Background(), &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String(testPool), PaginationToken: aws.String("bogus")}, noRetry)
	apiError(t, err, "InvalidParameterException")
	_, err = client.ListUsers(context.Background(), &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String("us-east-1_Nope")}, noRetry)
	apiError(t, err, "ResourceNotFoundException")
}

func TestListUsersFilter(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	seedStatuses(t, srv)
	client := newClient(srv)
	list := func(filter string) ([]string, error) {
		out, err := client.ListUsers(context.Background(), &cognitoidentityprovider.ListUsersInput{UserPoolId: aws.String(testPool), Filter: aws.String(filter), Limit: aws.Int32(2)}, noRetry)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.Username))
		}
		return names, nil
	}
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{`username = "user-CONFIRMED"`, []string{"user-CONFIRMED"}},
		{`cognito:user_status="EXTERNAL_PROVIDER"`, []string{"user-EXTERNAL_PROVIDER"}},
		{`email ^= "u1"`, []string{"user-CONFIRMED"}},
		{`given_name ^= "FORCE"`, []string{"user-FORCE_CHANGE_PASSWORD"}},
		{`status = "Disabled"`, []string{"user-CONFIRMED", "user-RESET_REQUIRED"}}, // Limit 2 of 4
		{`username ^= "nobody"`, nil},
		{``, []string{"user-UNCONFIRMED", "user-CONFIRMED"}},
	} {
		got, err := list(tc.filter)
		if err != nil {
			t.Errorf("filter %q: %v", tc.filter, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("filter %q: got %v, want %v", tc.filter, got, tc.want)
		}
	}
	for _, bad := range []string{`username`, `custom:dept = "x"`, `email ~ "x"`, `email = x`, `email = "x`, `email = "x" and`} {
		_, err := list(bad)
		apiError(t, err, "InvalidParameterException")
	}
}

func TestGroupsOperations(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	seedStatuses(t, srv)
	srv.AddGroup(testPool, cognitoimporttest.Group{Name: "admins", Description: "Admins", Precedence: aws.Int32(1), Members: []string{"user-CONFIRMED"}})
	client := newClient(srv)
	ctx := context.Background()

	_, err := client.CreateGroup(ctx, &cognitoidentityprovider.CreateGroupInput{UserPoolId: aws.String(testPool), GroupName: aws.String("admins")}, noRetry)
	apiError(t, err, "GroupExistsException")
	for i := range 3 {
		out, err := client.CreateGroup(ctx, &cognitoidentityprovider.CreateGroupInput{
			UserPoolId: aws.String(testPool), GroupName: aws.String(fmt.Sprintf("g%d", i)),
			Description: aws.String("d"), RoleArn: aws.String("arn:aws:iam::123456789012:role/G"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Group.GroupName) != fmt.Sprintf("g%d", i) || out.Group.Precedence != nil {
			t.Fatalf("CreateGroup answered %+v", out.Group)
		}
	}
	var names []string
	var token *string
	for {
		out, err := client.ListGroups(ctx, &cognitoidentityprovider.ListGroupsInput{UserPoolId: aws.String(testPool), Limit: aws.Int32(3), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.Groups {
			names = append(names, aws.ToString(g.GroupName))
			if aws.ToString(g.GroupName) == "admins" && (aws.ToInt32(g.Precedence) != 1 || aws.ToString(g.Description) != "Admins") {
				t.Errorf("admins: %+v", g)
			}
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if !slices.Equal(names, []string{"admins", "g0", "g1", "g2"}) {
		t.Fatalf("ListGroups: %v", names)
	}

	add := func(user, group string) error {
		_, err := client.AdminAddUserToGroup(ctx, &cognitoidentityprovider.AdminAddUserToGroupInput{UserPoolId: aws.String(testPool), Username: aws.String(user), GroupName: aws.String(group)}, noRetry)
		return err
	}
	for _, u := range []string{"user-UNCONFIRMED", "user-CONFIRMED", "user-UNCONFIRMED"} { // the second time changes nothing
		if err := add(u, "admins"); err != nil {
			t.Fatal(err)
		}
	}
	apiError(t, add("nobody", "admins"), "UserNotFoundException")
	apiError(t, add("user-CONFIRMED", "nogroup"), "ResourceNotFoundException")

	out, err := client.ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{UserPoolId: aws.String(testPool), GroupName: aws.String("admins"), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 1 || aws.ToString(out.Users[0].Username) != "user-CONFIRMED" || out.NextToken == nil {
		t.Fatalf("ListUsersInGroup page 1: %d users, token %v", len(out.Users), out.NextToken)
	}
	out, err = client.ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{UserPoolId: aws.String(testPool), GroupName: aws.String("admins"), NextToken: out.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 1 || aws.ToString(out.Users[0].Username) != "user-UNCONFIRMED" || out.NextToken != nil {
		t.Fatalf("ListUsersInGroup page 2: %d users, token %v", len(out.Users), out.NextToken)
	}
	_, err = client.ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{UserPoolId: aws.String(testPool), GroupName: aws.String("nogroup")}, noRetry)
	apiError(t, err, "ResourceNotFoundException")
	if g := srv.Groups(testPool)[0]; !slices.Equal(g.Members, []string{"user-CONFIRMED", "user-UNCONFIRMED"}) {
		t.Errorf("Groups: admins has %v", g.Members)
	}
}

func TestSeedMisusePanics(t *testing.T) {
	t.Parallel()
	// A server from NewServer, which panics on misuse.
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool))
	t.Cleanup(srv.Close)
	for name, f := range map[string]func(){
		"bad status":     func() { srv.AddUser(testPool, cognitoimporttest.User{Username: "x", Status: "ASLEEP"}) },
		"unknown member": func() { srv.AddGroup(testPool, cognitoimporttest.Group{Name: "g", Members: []string{"nobody"}}) },
		"empty group":    func() { srv.AddGroup(testPool, cognitoimporttest.Group{}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestGroupQuotas: CreateGroup and AdminAddUserToGroup keep to the service's
// quotas of groups a pool holds and groups a user belongs to, so that no
// client can make the server hold groups without bound; adding a user to a
// group it is in already stays a success.
func TestGroupQuotas(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	srv.AddUser(testPool, cognitoimporttest.User{Username: "u", Attributes: map[string]string{"email": "u@example.com", "email_verified": "TRUE"}})
	for i := range cognitoimporttest.MaxGroupsPerPool - 1 {
		g := cognitoimporttest.Group{Name: fmt.Sprintf("seeded%05d", i)}
		if i < cognitoimporttest.MaxGroupsPerUser {
			g.Members = []string{"u"}
		}
		srv.AddGroup(testPool, g)
	}
	client := newClient(srv)
	ctx := context.Background()
	create := func(name string) error {
		_, err := client.CreateGroup(ctx, &cognitoidentityprovider.CreateGroupInput{UserPoolId: aws.String(testPool), GroupName: aws.String(name)}, noRetry)
		return err
	}
	if err := create("last"); err != nil {
		t.Fatalf("CreateGroup of group %d: %v", cognitoimporttest.MaxGroupsPerPool, err)
	}
	apiError(t, create("one-too-many"), "LimitExceededException")

	add := func(group string) error {
		_, err := client.AdminAddUserToGroup(ctx, &cognitoidentityprovider.AdminAddUserToGroupInput{
			UserPoolId: aws.String(testPool), Username: aws.String("u"), GroupName: aws.String(group)}, noRetry)
		return err
	}
	apiError(t, add("last"), "LimitExceededException")
	if err := add("seeded00000"); err != nil {
		t.Errorf("adding a member again: %v", err)
	}
}
