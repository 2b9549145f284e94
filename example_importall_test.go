package cognitoimport_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// ImportAll takes a users file of any size: it checks it once, cuts it into
// parts of at most 500,000 users and 100 MB, and imports them one after
// another, recording each step in the journal. Run again with the same
// journal after an interruption, it goes on where it stopped.
func ExampleClient_ImportAll() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())
	ctx := context.Background()

	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "users.csv")
	if err := os.WriteFile(name, []byte(sampleFile), 0o644); err != nil {
		log.Fatal(err)
	}

	f, err := os.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	in := cognitoimport.ImportAllInput{
		UserPoolID:            examplePool,
		JobName:               "migration",
		CloudWatchLogsRoleARN: exampleRole,
		File:                  f,
		Journal:               name + ".import.json", // run again with it to resume
		Progress: func(p cognitoimport.ImportAllProgress) {
			// p.Part of p.Parts, p.Done of p.Users, p.Rate, p.Remaining;
			// p.Waiting: another import's job that runs first.
		},
	}
	parts, err := client.ImportAll(ctx, in)
	var part *cognitoimport.PartError          // a part failed: part.Part, part.Job
	var changed *cognitoimport.JournalError    // the journal is not this file's
	var busy *cognitoimport.JournalLockedError // the same import runs elsewhere: busy.PID
	switch {
	case errors.As(err, &part), errors.As(err, &changed), errors.As(err, &busy):
		log.Fatal(err)
	case err != nil:
		log.Fatal(err) // the check (*ImportError with a *FileError) or another failure
	}
	for _, p := range parts {
		fmt.Println("part", p.Number, "lines", p.FirstLine, "to", p.LastLine, p.Status, p.ImportedUsers)
	}

	// Again with the journal: every part Succeeded, so nothing is sent.
	parts, err = client.ImportAll(ctx, in)
	fmt.Println(len(parts), err, srv.Requests(cognitoimporttest.CreateUserImportJob))
	// Output:
	// part 1 lines 2 to 3 Succeeded 2
	// 1 <nil> 1
}
