package cognitoimport_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The examples run against the in-memory test server; against Amazon Cognito,
// build the client from config.LoadDefaultConfig instead of srv.Config().

const (
	examplePool = "us-east-1_EXAMPLE"
	exampleRole = "arn:aws:iam::123456789012:role/CognitoImportLogs"
)

func ExampleNew() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()

	// New wraps an SDK client; NewFromConfig(cfg) does the same in one step.
	sdk := cognitoidentityprovider.NewFromConfig(srv.Config())
	client := cognitoimport.New(sdk)

	page, err := client.ListJobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: examplePool})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Jobs), "jobs")
	// Output: 0 jobs
}

func ExampleClient_CreateJob() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())

	job, err := client.CreateJob(context.Background(), cognitoimport.CreateJobInput{
		UserPoolID:            examplePool,
		JobName:               "nightly-import",
		CloudWatchLogsRoleARN: exampleRole,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Upload the users' CSV file to job.PreSignedURL.Reveal() (with the
	// header x-amz-server-side-encryption: aws:kms), then start the job.
	fmt.Println(job.JobName, job.Status, job.Status.Terminal())
	// Output: nightly-import Created false
}

func ExampleClient_Jobs() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	srv.SeedJobs(examplePool, 150) // named seed-1 (oldest) to seed-150
	client := cognitoimport.NewFromConfig(srv.Config())

	n := 0
	for job, err := range client.Jobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: examplePool}) {
		if err != nil {
			log.Fatal(err)
		}
		if n == 0 {
			fmt.Println("newest:", job.JobName)
		}
		n++
	}
	fmt.Println(n, "jobs in", srv.Requests(cognitoimporttest.ListUserImportJobs), "requests")
	// Output:
	// newest: seed-150
	// 150 jobs in 3 requests
}

func ExampleClient_Pages() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	srv.SeedJobs(examplePool, 25)
	client := cognitoimport.NewFromConfig(srv.Config())
	ctx := context.Background()

	// Read the first page only, and keep its token.
	in := cognitoimport.ListJobsInput{UserPoolID: examplePool, MaxResults: 10}
	for page, err := range client.Pages(ctx, in) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("first page:", len(page.Jobs), "jobs")
		in.PaginationToken = page.PaginationToken
		break
	}

	// Later, resume where that page ended.
	for page, err := range client.Pages(ctx, in) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("resumed page:", len(page.Jobs), "jobs, last:", page.PaginationToken == "")
	}
	// Output:
	// first page: 10 jobs
	// resumed page: 10 jobs, last: false
	// resumed page: 5 jobs, last: true
}

func ExampleServiceError() {
	srv := cognitoimporttest.NewServer() // no user pools
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())

	_, err := client.ListJobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: "us-east-1_MISSING"})

	var notFound *cognitoimport.ResourceNotFoundError
	if errors.As(err, &notFound) {
		fmt.Println("no such pool:", notFound.Message)
	}
	// Every service error also matches *ServiceError, whatever its code.
	var svc *cognitoimport.ServiceError
	if errors.As(err, &svc) {
		fmt.Println(svc.Operation, svc.Code, svc.StatusCode, cognitoimport.IsRetryable(err))
	}
	// Output:
	// no such pool: User pool us-east-1_MISSING does not exist.
	// ListUserImportJobs ResourceNotFoundException 400 false
}

func ExampleTooManyRequestsError() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	// Throttle more calls than the SDK's retryer makes attempts.
	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{Code: "TooManyRequestsException", Message: "Rate exceeded"}, 10)
	client := cognitoimport.NewFromConfig(srv.Config())

	_, err := client.ListJobs(context.Background(), cognitoimport.ListJobsInput{UserPoolID: examplePool})
	var throttled *cognitoimport.TooManyRequestsError
	if errors.As(err, &throttled) {
		fmt.Println("throttled, retry later:", cognitoimport.IsRetryable(err))
	}
	// Output: throttled, retry later: true
}

func ExampleCreateJobInput_Validate() {
	in := cognitoimport.CreateJobInput{
		UserPoolID:            "us-east-1_EXAMPLE",
		JobName:               "import #1",
		CloudWatchLogsRoleARN: "",
	}
	var invalid *cognitoimport.ValidationError
	if err := in.Validate(); errors.As(err, &invalid) {
		for _, v := range invalid.Violations {
			fmt.Printf("%s (%s): %s\n", v.Member, v.Constraint, v)
		}
	}
	// Output:
	// CloudWatchLogsRoleArn (required): CloudWatchLogsRoleArn is required
	// JobName (pattern): JobName must match [\w\s+=,.@-]+ in full; "import #1" does not
}

func ExampleSecretURL() {
	job := cognitoimport.Job{
		JobID:        "import-EXAMPLE123",
		PreSignedURL: cognitoimport.NewSecretURL("https://bucket.s3.amazonaws.com/key?X-Amz-Signature=abc123"),
	}
	// Printing, logging and encoding show the URL redacted.
	fmt.Println(job.PreSignedURL)
	b, _ := json.Marshal(job.PreSignedURL)
	fmt.Println(string(b))
	// Reveal returns the URL, for the upload request alone.
	req, err := http.NewRequest(http.MethodPut, job.PreSignedURL.Reveal(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.URL.Query().Get("X-Amz-Signature") != "")
	// A redacted URL cannot be decoded into a usable one.
	var back cognitoimport.SecretURL
	err = json.Unmarshal(b, &back)
	fmt.Println(errors.Is(err, cognitoimport.ErrRedactedURL))
	// Output:
	// https://bucket.s3.amazonaws.com/key?REDACTED
	// "https://bucket.s3.amazonaws.com/key?REDACTED"
	// true
	// true
}

// exampleUsers is the users file of the Cognito developer guide: two users.
const exampleUsers = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

func ExampleClient_CSVHeader() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: examplePool, CustomAttributes: []string{"dept"},
	}))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())

	header, err := client.CSVHeader(context.Background(), cognitoimport.CSVHeaderInput{UserPoolID: examplePool})
	if err != nil {
		log.Fatal(err)
	}
	// The first row of a users file names these columns, in any order.
	fmt.Println(len(header), "columns, with custom:dept:", slices.Contains(header, "custom:dept"))
	// Output: 22 columns, with custom:dept: true
}

func ExampleClient_Upload() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())
	ctx := context.Background()

	job, err := client.CreateJob(ctx, cognitoimport.CreateJobInput{
		UserPoolID: examplePool, JobName: "upload-example", CloudWatchLogsRoleARN: exampleRole,
	})
	if err != nil {
		log.Fatal(err)
	}
	// An *os.File works the same way, and can be sent again after a
	// transient failure; its size is learned by seeking.
	err = client.Upload(ctx, cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(exampleUsers)})
	if err != nil {
		log.Fatal(err)
	}
	job, err = client.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: examplePool, JobID: job.JobID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("uploaded and started:", job.Status)
	// Output: uploaded and started: Pending
}

func ExampleClient_Wait() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())
	ctx := context.Background()

	job, err := client.CreateJob(ctx, cognitoimport.CreateJobInput{
		UserPoolID: examplePool, JobName: "wait-example", CloudWatchLogsRoleARN: exampleRole,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := client.Upload(ctx, cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(exampleUsers)}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: examplePool, JobID: job.JobID}); err != nil {
		log.Fatal(err)
	}

	// Wait polls until the job ends; a cancelled ctx ends the wait, not
	// the job.
	job, err = client.Wait(ctx, cognitoimport.WaitInput{UserPoolID: examplePool, JobID: job.JobID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Status, job.ImportedUsers, "users:", job.CompletionMessage)
	if err := job.Err(); err != nil { // a Failed, Stopped or Expired job
		log.Fatal(err)
	}
	// Output: Succeeded 2 users: Import Job Completed Successfully.
}
func ExampleClient_Import() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())

	// The file is read once to check it against the pool's rules, and
	// again to upload it: an *os.File does as well.
	job, err := client.Import(context.Background(), cognitoimport.ImportInput{
		UserPoolID:            examplePool,
		JobName:               "import-example",
		CloudWatchLogsRoleARN: exampleRole,
		File:                  strings.NewReader(exampleUsers),
		StopOnCancel:          true,
	})
	var failed *cognitoimport.JobError
	var step *cognitoimport.ImportError
	switch {
	case errors.As(err, &failed):
		log.Fatalf("the job ended %s: %s", failed.Job.Status, failed.Job.CompletionMessage)
	case errors.As(err, &step):
		log.Fatalf("step %s failed: %v", step.Step, step.Err) // step.Job is the job, if one was created
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println(job.Status, "imported:", job.ImportedUsers, "failed:", job.FailedUsers)
	// Output: Succeeded imported: 2 failed: 0
}

// ExampleClient_Import_steps follows each step of an import, as a program
// that shows them does, and returns once the job has started: the caller
// waits for it with Wait (or not at all).
func ExampleClient_Import_steps() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(examplePool))
	defer srv.Close()
	client := cognitoimport.NewFromConfig(srv.Config())

	job, err := client.Import(context.Background(), cognitoimport.ImportInput{
		UserPoolID:            examplePool,
		JobName:               "import-example",
		CloudWatchLogsRoleARN: exampleRole,
		File:                  strings.NewReader(exampleUsers),
		Checked: func(users int) error {
			fmt.Println("checked:", users, "users")
			return nil // an error here refuses the file before a job exists
		},
		Created: func(j cognitoimport.Job) { fmt.Println("created:", j.Status) },
		NoWait:  true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("started:", job.Status != cognitoimport.StatusCreated)
	job, err = client.Wait(context.Background(), cognitoimport.WaitInput{UserPoolID: examplePool, JobID: job.JobID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Status)
	// Output:
	// checked: 2 users
	// created: Created
	// started: true
	// Succeeded
}
