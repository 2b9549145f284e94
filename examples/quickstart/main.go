// Command quickstart is the main job of package cognitoimport, start to end:
// it creates user import jobs, walks every job of the pool with a
// range-over-func loop, shows an invalid input caught before anything is
// sent, and matches a service error with errors.As.
//
// With no flags it runs against the in-memory test server of package
// cognitoimporttest, so it needs no AWS account:
//
//	go run ./examples/quickstart
//
// With -real it talks to Amazon Cognito through the default AWS
// configuration chain (environment, shared config files, instance roles),
// and creates jobs in the pool you name; the jobs stay in Created until you
// upload users to them, and expire after a while if you do not:
//
//	go run ./examples/quickstart -real -pool us-east-1_XXXXXXXXX -role arn:aws:iam::123456789012:role/CognitoImport
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func main() {
	useReal := flag.Bool("real", false, "use Amazon Cognito through the default AWS config chain instead of the in-memory test server")
	poolID := flag.String("pool", "us-east-1_quickstart", "the user pool to import into")
	roleARN := flag.String("role", "arn:aws:iam::123456789012:role/CognitoImportLogs", "the CloudWatch Logs role of the jobs")
	jobs := flag.Int("jobs", 3, "how many jobs to create")
	flag.Parse()
	if err := start(*useReal, *poolID, *roleARN, *jobs); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// start builds the client, against the test server or Amazon Cognito, and
// runs the job; its deferred clean-ups run before main exits.
func start(useReal bool, poolID, roleARN string, jobs int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var cfg aws.Config
	if useReal {
		var err error
		if cfg, err = config.LoadDefaultConfig(ctx); err != nil {
			return fmt.Errorf("loading the AWS config: %w", err)
		}
	} else {
		srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(poolID))
		defer srv.Close()
		cfg = srv.Config()
		fmt.Printf("Using the in-memory test server at %s\n\n", srv.URL)
	}
	return run(ctx, os.Stdout, cognitoimport.NewFromConfig(cfg), poolID, roleARN, jobs)
}

func run(ctx context.Context, w io.Writer, client *cognitoimport.Client, poolID, roleARN string, n int) error {
	// 1. Create jobs. Each comes back with a pre-signed URL to upload the
	// users' CSV file to (job.PreSignedURL.Reveal()); printing it never
	// shows its credentials.
	fmt.Fprintln(w, "1. Creating import jobs")
	for i := range n {
		job, err := client.CreateJob(ctx, cognitoimport.CreateJobInput{
			UserPoolID:            poolID,
			JobName:               fmt.Sprintf("quickstart-%d", i+1),
			CloudWatchLogsRoleARN: roleARN,
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   created %s %q: %s, upload to %s\n",
			job.JobID, job.JobName, job.Status, job.PreSignedURL)
	}

	// 2. Walk every job of the pool, newest first. Pages are fetched as the
	// loop reaches them; a break would stop the requests.
	fmt.Fprintln(w, "\n2. Every job of the pool, newest first")
	count := 0
	for job, err := range client.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: poolID}) {
		if err != nil {
			return err
		}
		count++
		fmt.Fprintf(w, "   %s %-14q %-10s created %s\n", job.JobID, job.JobName, job.Status, job.CreationDate.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "   %d jobs\n", count)

	// 3. An invalid input is caught before anything is sent, with every
	// violation named.
	fmt.Fprintln(w, "\n3. An invalid input, caught before sending")
	_, err := client.CreateJob(ctx, cognitoimport.CreateJobInput{
		UserPoolID:            "not a pool id",
		JobName:               "nightly/import",
		CloudWatchLogsRoleARN: "arn:aws:iam::role",
	})
	var invalid *cognitoimport.ValidationError
	if !errors.As(err, &invalid) {
		return fmt.Errorf("expected a *ValidationError, got %v", err)
	}
	for _, v := range invalid.Violations {
		fmt.Fprintf(w, "   %s\n", v)
	}

	// 4. A service error, matched with errors.As.
	fmt.Fprintln(w, "\n4. A service error, matched with errors.As")
	_, err = client.ListJobs(ctx, cognitoimport.ListJobsInput{UserPoolID: "us-east-1_doesnotexist"})
	var notFound *cognitoimport.ResourceNotFoundError
	if !errors.As(err, &notFound) {
		return fmt.Errorf("expected a *ResourceNotFoundError, got %v", err)
	}
	fmt.Fprintf(w, "   %s: %s (request ID %s, retryable: %t)\n",
		notFound.Code, notFound.Message, notFound.RequestID, cognitoimport.IsRetryable(err))
	return nil
}
