// Command quickstart is the main job of package cognitoimport, start to end:
// it imports a users file into a user pool in one call (the pool's rules,
// the file's check, the job's creation, the upload, the start and the wait),
// printing the job's progress and result, then lists the pool's jobs.
//
// With no flags it imports the Cognito developer guide's sample file (two
// users) into the in-memory test server of package cognitoimporttest, so it
// needs no AWS account:
//
//	go run ./examples/quickstart
//
// With -real it talks to Amazon Cognito through the default AWS
// configuration chain (environment, shared config files, instance roles),
// and imports the file you name with -file into the pool you name; it never
// imports sample users into a real pool, so -file is required. Ctrl-C while
// the job runs stops the job.
//
//	go run ./examples/quickstart -real -pool us-east-1_XXXXXXXXX -role arn:aws:iam::123456789012:role/CognitoImport -file users.csv
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// sampleUsers is the users file of the Cognito developer guide: two users,
// for a pool whose auto-verified attribute is email.
const sampleUsers = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

// importRate is the test server's import rate, in users per second: two, so
// that the job's progress shows. (The tests raise it, to wait for nothing.)
var importRate = 2.0

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr)) }

// cli runs the command with args and returns its exit code: 0 success, 1
// the import failed, 2 a usage error.
func cli(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	useReal := fs.Bool("real", false, "use Amazon Cognito through the default AWS config chain instead of the in-memory test server (needs -file)")
	poolID := fs.String("pool", "us-east-1_quickstart", "the user pool to import into")
	roleARN := fs.String("role", "arn:aws:iam::123456789012:role/CognitoImportLogs", "the IAM role that lets Cognito write the job's CloudWatch logs")
	file := fs.String("file", "", "the users file to import (default: the guide's two sample users, test server only)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *useReal && *file == "" {
		fmt.Fprintln(stderr, "quickstart: -real needs -file: it imports only a file you name into a real pool, never sample users")
		fs.Usage()
		return 2
	}
	if err := start(stdout, *useReal, *poolID, *roleARN, *file); err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

// start builds the client, against the test server or Amazon Cognito, opens
// the file and runs the job; its deferred clean-ups run before main exits.
func start(w io.Writer, useReal bool, poolID, roleARN, path string) error {
	// Ctrl-C ends the wait; the import stops the job (StopOnCancel).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var cfg aws.Config
	if useReal {
		var err error
		if cfg, err = config.LoadDefaultConfig(ctx); err != nil {
			return fmt.Errorf("loading the AWS config: %w", err)
		}
	} else {
		srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(poolID), cognitoimporttest.WithImportRate(importRate))
		defer srv.Close()
		cfg = srv.Config()
		fmt.Fprintf(w, "Using the in-memory test server at %s\n\n", srv.URL)
	}

	var file io.ReadSeeker = strings.NewReader(sampleUsers)
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		file = f
	}
	return run(ctx, w, cognitoimport.NewFromConfig(cfg), poolID, roleARN, file)
}

func run(ctx context.Context, w io.Writer, client *cognitoimport.Client, poolID, roleARN string, file io.ReadSeeker) error {
	// 1. What a users file must satisfy in this pool.
	fmt.Fprintln(w, "1. The pool's rules")
	rules, err := client.PoolSettings(ctx, poolID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   %d columns, auto-verified %v, MFA %s, required %v (from DescribeUserPool: %t)\n",
		len(rules.Header), rules.AutoVerifiedAttributes, rules.MFA, rules.RequiredAttributes, rules.Described)

	// 2. The whole import in one call: check, create, upload, start, wait.
	fmt.Fprintln(w, "\n2. Importing")
	started := time.Now()
	job, err := client.Import(ctx, cognitoimport.ImportInput{
		UserPoolID:            poolID,
		JobName:               "quickstart-" + started.UTC().Format("20060102-150405"),
		CloudWatchLogsRoleARN: roleARN,
		File:                  file,
		Settings:              rules,
		StopOnCancel:          true,
		UploadProgress: func(sent, total int64) {
			if sent == total {
				fmt.Fprintf(w, "   uploaded %d bytes\n", total)
			}
		},
		Progress: func(j cognitoimport.Job) {
			fmt.Fprintf(w, "   %s %-10s imported %d, skipped %d, failed %d\n",
				j.JobID, j.Status, j.ImportedUsers, j.SkippedUsers, j.FailedUsers)
		},
	})
	var fileErr *cognitoimport.FileError
	var failed *cognitoimport.JobError
	var step *cognitoimport.ImportError
	switch {
	case errors.As(err, &fileErr):
		fmt.Fprintln(w, "   the file breaks the pool's rules; no job was created:")
		for _, p := range fileErr.Problems {
			fmt.Fprintf(w, "   line %d: %s\n", p.Line, p.Message)
		}
		return err
	case errors.As(err, &failed):
		fmt.Fprintf(w, "   the job ended %s: %s\n   (the reason for each row is in CloudWatch Logs, /aws/cognito/userpools/%s/...)\n",
			failed.Job.Status, failed.Job.CompletionMessage, poolID)
		return err
	case errors.As(err, &step) && step.Job != nil:
		fmt.Fprintf(w, "   step %s failed; job %s is %s\n", step.Step, step.Job.JobID, step.Job.Status)
		return err
	case err != nil:
		return err
	}
	fmt.Fprintf(w, "   %s %s: %s\n   imported %s; they must reset their password (ForgotPassword) before signing in\n",
		job.JobID, job.Status, job.CompletionMessage, count(job.ImportedUsers, "user", "users"))

	// 3. The pool's jobs, newest first, fetched page by page as the loop
	// reaches them.
	fmt.Fprintln(w, "\n3. The pool's jobs, newest first")
	n := 0
	for j, err := range client.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: poolID}) {
		if err != nil {
			return err
		}
		if n++; n <= 5 {
			fmt.Fprintf(w, "   %s %-10s created %s\n", j.JobID, j.Status, j.CreationDate.Format(time.RFC3339))
		}
	}
	fmt.Fprintf(w, "   %s\n", count(int64(n), "job", "jobs"))
	return nil
}

// count returns n and the noun that agrees with it: "1 job", "2 jobs".
func count(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
