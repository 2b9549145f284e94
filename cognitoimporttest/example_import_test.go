package cognitoimporttest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// Example_import runs a whole user import against the test server: the
// pool's header, a job, the upload of the file to the job's PreSignedUrl as
// `curl -T` sends it, the start, and the job's end, driven by a fake clock.
// Then it looks at what the import produced: the pool's users and the job's
// log.
func Example_import() {
	clock := cognitoimporttest.NewClock(time.Now())
	srv := cognitoimporttest.NewServer(
		cognitoimporttest.WithClock(clock),
		cognitoimporttest.WithImportRate(1), // one user a second of clock
		cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
			ID: "us-east-1_example", CustomAttributes: []string{"dept"},
		}),
	)
	defer srv.Close()
	client := cognitoidentityprovider.NewFromConfig(srv.Config())
	ctx := context.Background()
	pool := aws.String("us-east-1_example")

	header, err := client.GetCSVHeader(ctx, &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: pool})
	if err != nil {
		panic(err)
	}
	row := func(vals map[string]string) string {
		f := make([]string, len(header.CSVHeader))
		for i, h := range header.CSVHeader {
			f[i] = strings.ReplaceAll(vals[h], ",", `\,`) // a comma in a value is written \,
		}
		return strings.Join(f, ",") + "\n"
	}
	file := strings.Join(header.CSVHeader, ",") + "\n" +
		row(map[string]string{"cognito:username": "jane", "email": "jane@example.com", "email_verified": "TRUE",
			"cognito:mfa_enabled": "FALSE", "custom:dept": "Sales, East"}) +
		row(map[string]string{"cognito:username": "john", "email": "john@example.com", "email_verified": "FALSE",
			"cognito:mfa_enabled": "FALSE"})

	created, err := client.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId: pool, JobName: aws.String("example"),
		CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/CognitoImportLogs"),
	})
	if err != nil {
		panic(err)
	}
	jobID := created.UserImportJob.JobId

	// curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$URL"
	req, _ := http.NewRequest(http.MethodPut, aws.ToString(created.UserImportJob.PreSignedUrl), strings.NewReader(file))
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println("upload:", resp.Status)

	started, err := client.StartUserImportJob(ctx, &cognitoidentityprovider.StartUserImportJobInput{UserPoolId: pool, JobId: jobID})
	if err != nil {
		panic(err)
	}
	fmt.Println(started.UserImportJob.Status)
	for range 2 {
		clock.Advance(time.Second) // a client's polling would sleep on the same clock
		out, err := client.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{UserPoolId: pool, JobId: jobID})
		if err != nil {
			panic(err)
		}
		j := out.UserImportJob
		fmt.Println(j.Status, "imported:", j.ImportedUsers, "failed:", j.FailedUsers)
		if j.CompletionMessage != nil {
			fmt.Println(*j.CompletionMessage)
		}
	}
	for _, u := range srv.Users("us-east-1_example") {
		fmt.Println(u.Username, u.Status, u.Attributes["custom:dept"])
	}
	for _, line := range srv.JobLog("us-east-1_example", aws.ToString(jobID)) {
		fmt.Println(line)
	}
	// Output:
	// upload: 200 OK
	// Pending
	// InProgress imported: 1 failed: 0
	// Succeeded imported: 1 failed: 1
	// Import Job Completed Successfully.
	// jane RESET_REQUIRED Sales, East
	// [SUCCEEDED] Line Number 2 - The import succeeded.
	// [FAILED] Line Number 3 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).
}
