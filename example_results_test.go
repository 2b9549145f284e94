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
