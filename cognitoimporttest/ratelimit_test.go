package cognitoimporttest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestAccountRateLimit: Create, Start and Stop share 15 requests a second
// across pools.
func TestAccountRateLimit(t *testing.T) {
	t.Parallel()
	pools := []string{testPool, "us-east-1_P2", "us-east-1_P3", "us-east-1_P4"}
	e := newImportEnv(t, cognitoimporttest.WithRateLimits(), cognitoimporttest.WithUserPools(pools[1:]...))
	create := func(pool string) error {
		_, err := e.client.CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
			UserPoolId: aws.String(pool), JobName: aws.String("r"), CloudWatchLogsRoleArn: aws.String(testRoleARN)}, noRetry)
		return err
	}
	for i := range 15 {
		if err := create(pools[i%4]); err != nil {
			t.Fatalf("create %d: %v", i+1, err)
		}
	}
	apiError(t, create(pools[3]), "TooManyRequestsException") // pool 4 has had 3: the account's limit
	// Reads have their own budget.
	if _, err := e.client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(testPool)}, noRetry); err != nil {
		t.Errorf("a read after 15 writes: %v", err)
	}
}

// TestRateLimits: with WithRateLimits, a sixth Describe of one pool within a
// second of the server's clock is refused; a second later it is allowed.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithRateLimits(), cognitoimporttest.WithUserPools("us-east-1_Other"))
	job := e.create(testPool)
	describe := func(pool string) error {
		_, err := e.client.DescribeUserImportJob(context.Background(), &cognitoidentityprovider.DescribeUserImportJobInput{
			UserPoolId: aws.String(pool), JobId: job.JobId}, noRetry)
		return err
	}
	for i := range 5 {
		if err := describe(testPool); err != nil {
			t.Fatalf("Describe %d: %v", i+1, err)
		}
	}
	apiError(t, describe(testPool), "TooManyRequestsException")
	// Another pool has its own per-pool limit.
	apiError(t, describe("us-east-1_Other"), "ResourceNotFoundException")
	e.clock.Advance(time.Second)
	if err := describe(testPool); err != nil {
		t.Errorf("a second later: %v", err)
	}
	// Without the option, no limit.
	free := newImportEnv(t)
	for range 30 {
		if _, err := free.client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(testPool)}, noRetry); err != nil {
			t.Fatal(err)
		}
	}
}
