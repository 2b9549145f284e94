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
// Package cognitoimporttest provides an in-memory server that speaks the
// service's wire protocol, so that code using this package can be tested
// through the real SDK with no AWS account.
package cognitoimport
