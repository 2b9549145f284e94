package cognitoimport_test

import (
	"context"
	"fmt"
	"log"
	"math"
	"os"
	"strings"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// ImportResults imports a file and, when rows failed or were skipped, reads
// why from the job's CloudWatch Logs stream, joined with the file: each row's
// username and reason, a summary by reason, and the file of the rows to fix.
func ExampleClient_ImportResults() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool), cognitoimporttest.WithImportRate(math.Inf(1)))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config()) // reads the logs with the same configuration

	users := `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,FALSE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`
	job, results, err := client.ImportResults(context.Background(), cognitoimport.ImportInput{
		UserPoolID: examplePool, JobName: "nightly-import", CloudWatchLogsRoleARN: exampleRole,
		File: strings.NewReader(users), SkipCheck: true, // let the service judge the rows
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Status, job.ImportedUsers, "imported,", job.FailedUsers, "failed")

	var summary cognitoimport.ResultsSummary
	for row, err := range results.Rows {
		if err != nil {
			log.Fatal(err)
		}
		summary.Add(row)
		if row.Outcome != cognitoimport.OutcomeSucceeded {
			fmt.Printf("users.csv:%d: %s: %s\n", row.Line, row.Username, row.Reason)
		}
	}
	for _, r := range summary.Reasons() {
		fmt.Println(r.Count, r.Outcome, "lines", r.Lines)
	}
	n, err := results.File.WriteRetry(os.Stdout) // the header and the failed rows, byte for byte
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "row to fix")
	// Output:
	// Succeeded 1 imported, 1 failed
	// users.csv:3: Jane: The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).
	// 1 FAILED lines [3]
	// cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
	// Jane,,Jane,Roe,,,,,,,janeroe@example.com,FALSE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
	// 1 row to fix
}

// Results reads a job's per-row results from its log; a ResultsFile joins
// them with the users file the job imported, and writes the rows to fix.
func ExampleResultsFile_Join() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool), cognitoimporttest.WithImportRate(math.Inf(1)))
	defer srv.Close()
	srv.AddUser(examplePool, cognitoimporttest.User{Username: "John", Attributes: map[string]string{"email": "johndoe@example.com"}})
	client := cognitoimport.NewFromConfig(srv.Config())
	ctx := context.Background()

	users := `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,1985-01-01,,,+12345550199,TRUE,100 Main Street,,FALSE
Mary,,Mary,Major,,,,,,,mary@example.com,TRUE,,03/03/1990,,,+12345550142,TRUE,1 High Street,,FALSE
`
	job, err := client.Import(ctx, cognitoimport.ImportInput{
		UserPoolID: examplePool, JobName: "nightly-import", CloudWatchLogsRoleARN: exampleRole,
		File: strings.NewReader(users), SkipCheck: true,
	})
	if err != nil {
		log.Fatal(err)
	}

	// The file as the job read it: here a strings.Reader; an *os.File and
	// its size from Stat in a program.
	file, err := cognitoimport.NewResultsFile(strings.NewReader(users), int64(len(users)))
	if err != nil {
		log.Fatal(err)
	}
	rows := client.Results(ctx, cognitoimport.ResultsInput{UserPoolID: examplePool, JobID: job.JobID, Job: job})
	for row, err := range file.Join(job, rows) {
		if err != nil {
			log.Fatal(err) // *LogNotFoundError, *LogAccessDeniedError, *FileMismatchError, ...
		}
		fmt.Printf("line %d %s %s: %s\n", row.Line, row.Username, row.Outcome, row.Reason)
	}
	skipped, err := file.Lines(cognitoimport.OutcomeSkipped)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("skipped lines:", skipped)
	var retry strings.Builder
	if _, err := file.WriteRetry(&retry); err != nil {
		log.Fatal(err)
	}
	fmt.Print(retry.String()[strings.Index(retry.String(), "\n")+1:]) // the failed rows, after the header
	// Output:
	// line 2 John SKIPPED: The user already exists.
	// line 3 Jane FAILED: The attribute birthdate must be a date in the format mm/dd/yyyy.
	// line 4 Mary SUCCEEDED: The import succeeded.
	// skipped lines: [2]
	// Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,1985-01-01,,,+12345550199,TRUE,100 Main Street,,FALSE
}
