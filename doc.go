// Package cognitoimport is a typed client for the user import jobs of Amazon
// Cognito user pools: it imports a users file into a pool in one call, and
// exposes each step as a call of its own.
//
// A Client wraps the aws-sdk-go-v2 client. Import reads the pool's rules
// (PoolSettings: GetCSVHeader and DescribeUserPool), checks the file
// (CheckFile), creates a job (CreateJob), uploads the file to the job's
// pre-signed URL (Upload: one streaming PUT with only the header S3 checks),
// starts the job (StartJob) and waits for it to end (Wait: polling
// DescribeUserImportJob with a capped backoff under the service's rate
// limit). Every input is checked against the constraints the API reference
// documents before it is sent (an invalid input returns a *ValidationError
// that names every violation, and sends nothing); ListJobs, Pages and Jobs
// walk a pool's jobs; the service's failures are typed errors that errors.As
// matches:
//
//	client := cognitoimport.NewFromConfig(cfg)
//	job, err := client.Import(ctx, cognitoimport.ImportInput{
//		UserPoolID:            "us-east-1_EXAMPLE",
//		JobName:               "nightly-import",
//		CloudWatchLogsRoleARN: "arn:aws:iam::123456789012:role/CognitoImport",
//		File:                  f, // an *os.File
//		StopOnCancel:          true,
//	})
//	var failed *cognitoimport.JobError // the job ended Failed, Stopped or Expired
//	var step *cognitoimport.ImportError // a step failed; step.Job is the job, if any
//	...
//	for job, err := range client.Jobs(ctx, cognitoimport.ListJobsInput{UserPoolID: "us-east-1_EXAMPLE"}) {
//		if err != nil {
//			var throttled *cognitoimport.TooManyRequestsError
//			if errors.As(err, &throttled) { ... }
//			return err
//		}
//		fmt.Println(job.JobID, job.Status)
//	}
//
// The SDK's retries, middleware, endpoint resolution and credentials apply
// as they are; the Client adds none of its own to single calls. Upload and
// Wait, which make many requests, retry their own transient failures, on the
// Client's Clock (WithClock).
//
// A job's PreSignedURL is a [SecretURL]: it never shows its credentials when
// printed, logged or encoded, and its Reveal method returns the URL to upload
// to.
//
// To test code that uses this package without an AWS account, see the test
// server in package cognitoimporttest.
package cognitoimport
