// Package cognitoimport is a typed client for the user import jobs of Amazon
// Cognito user pools: CreateUserImportJob and ListUserImportJobs.
//
// A Client wraps the aws-sdk-go-v2 client. It checks every input against
// the constraints the API reference documents before it sends it (an invalid
// input returns a *ValidationError that names every violation, and sends
// nothing), walks every job of a pool with a range-over-func iterator, and
// returns the service's failures as typed errors that errors.As matches:
//
//	client := cognitoimport.NewFromConfig(cfg)
//	job, err := client.CreateJob(ctx, cognitoimport.CreateJobInput{
//		UserPoolID:            "us-east-1_EXAMPLE",
//		JobName:               "nightly-import",
//		CloudWatchLogsRoleARN: "arn:aws:iam::123456789012:role/CognitoImport",
//	})
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
// as they are; the Client adds none of its own.
//
// A job's PreSignedURL is a [SecretURL]: it never shows its credentials when
// printed, logged or encoded, and its Reveal method returns the URL to upload
// to.
//
// To test code that uses this package without an AWS account, see the test
// server in package cognitoimporttest.
package cognitoimport
