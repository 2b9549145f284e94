package cognitoimport_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// Copy a pool into another: export its users for the destination's settings,
// import them, then restore the groups and map the subs.
func ExampleClient_Export() {
	const from, to = "us-east-1_FROM", "us-east-1_TO"
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(from, to), cognitoimporttest.WithImportRate(1000))
	defer srv.Close()
	srv.AddUser(from, cognitoimporttest.User{Username: "jane", Attributes: map[string]string{"email": "jane@example.com", "email_verified": "true"}})
	srv.AddUser(from, cognitoimporttest.User{Username: "Google_1", Status: "EXTERNAL_PROVIDER"})
	srv.AddGroup(from, cognitoimporttest.Group{Name: "admins", Members: []string{"jane"}})

	ctx := context.Background()
	client := cognitoimport.NewFromConfig(srv.Config())
	settings, err := client.PoolSettings(ctx, to)
	if err != nil {
		log.Fatal(err)
	}
	var users, subs, groups bytes.Buffer
	exported, err := client.Export(ctx, cognitoimport.ExportInput{UserPoolID: from, Settings: settings, Users: &users, Subs: &subs, Groups: &groups})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range exported.LeftOut {
		fmt.Println("left out:", l.Username)
	}
	job, err := client.Import(ctx, cognitoimport.ImportInput{UserPoolID: to, JobName: "copy", CloudWatchLogsRoleARN: exampleRole,
		File: bytes.NewReader(users.Bytes()), Settings: settings})
	if err != nil {
		log.Fatal(err)
	}
	restored, err := client.RestoreGroups(ctx, cognitoimport.RestoreGroupsInput{UserPoolID: to, Groups: &groups})
	if err != nil {
		log.Fatal(err)
	}
	var mapping bytes.Buffer // old_sub,new_sub,username
	if _, err := client.MapSubs(ctx, cognitoimport.MapSubsInput{UserPoolID: to, Subs: &subs, Output: &mapping}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("imported:", job.ImportedUsers, "groups created:", restored.GroupsCreated, "members added:", restored.MembershipsAdded)
	// Output:
	// left out: Google_1
	// imported: 1 groups created: 1 members added: 1
}
