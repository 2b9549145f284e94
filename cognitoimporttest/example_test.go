package cognitoimporttest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// The SDK's own client talks to the server with no setup beyond Config.
func ExampleNewServer() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools("us-east-1_Example"))
	defer srv.Close()
	client := cognitoidentityprovider.NewFromConfig(srv.Config())
	ctx := context.Background()

	created, err := client.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String("us-east-1_Example"),
		JobName:               aws.String("nightly"),
		CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/CognitoImportLogs"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(aws.ToString(created.UserImportJob.JobName), created.UserImportJob.Status)

	listed, err := client.ListUserImportJobs(ctx, &cognitoidentityprovider.ListUserImportJobsInput{
		UserPoolId: aws.String("us-east-1_Example"),
		MaxResults: aws.Int32(60),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(listed.UserImportJobs), "job(s), last page:", listed.PaginationToken == nil)
	// Output:
	// nightly Created
	// 1 job(s), last page: true
}

// FailNext makes the next calls of an operation fail with a service error,
// which the SDK returns as its own type.
func ExampleServer_FailNext() {
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools("us-east-1_Example"))
	defer srv.Close()
	client := cognitoidentityprovider.NewFromConfig(srv.Config(), func(o *cognitoidentityprovider.Options) {
		o.RetryMaxAttempts = 1 // or the SDK retries the throttling error
	})

	srv.FailNext(cognitoimporttest.ListUserImportJobs, cognitoimporttest.Error{
		Code: "TooManyRequestsException", Message: "Rate exceeded",
	}, 1)
	_, err := client.ListUserImportJobs(context.Background(), &cognitoidentityprovider.ListUserImportJobsInput{
		UserPoolId: aws.String("us-east-1_Example"),
		MaxResults: aws.Int32(60),
	})
	var throttled *types.TooManyRequestsException
	if errors.As(err, &throttled) {
		fmt.Println("throttled:", throttled.ErrorMessage())
	}
	fmt.Println("requests:", srv.Requests(cognitoimporttest.ListUserImportJobs))
	// Output:
	// throttled: Rate exceeded
	// requests: 1
}
