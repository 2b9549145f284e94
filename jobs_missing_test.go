package cognitoimport_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
)

// emptyJobAPI answers every job operation with no job. A fake: the test
// server always returns a job.
type emptyJobAPI struct{ emptyCreateAPI }

func (emptyJobAPI) DescribeUserImportJob(context.Context, *cognitoidentityprovider.DescribeUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.DescribeUserImportJobOutput, error) {
	return &cognitoidentityprovider.DescribeUserImportJobOutput{}, nil
}

func (emptyJobAPI) StartUserImportJob(context.Context, *cognitoidentityprovider.StartUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.StartUserImportJobOutput, error) {
	return &cognitoidentityprovider.StartUserImportJobOutput{}, nil
}

func (emptyJobAPI) StopUserImportJob(context.Context, *cognitoidentityprovider.StopUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.StopUserImportJobOutput, error) {
	return &cognitoidentityprovider.StopUserImportJobOutput{}, nil
}

// TestMissingJobTexts: every operation that answers with a job says once,
// with the package prefix once, that the answer had none.
func TestMissingJobTexts(t *testing.T) {
	t.Parallel()
	c := cognitoimport.New(emptyJobAPI{})
	ctx := t.Context()
	const pool, id = "us-east-1_abcDEF123", "import-abcdefghij"
	for op, call := range map[string]func() (*cognitoimport.Job, error){
		"CreateUserImportJob": func() (*cognitoimport.Job, error) { return c.CreateJob(ctx, validCreateInput("job")) },
		"DescribeUserImportJob": func() (*cognitoimport.Job, error) {
			return c.DescribeJob(ctx, cognitoimport.DescribeJobInput{UserPoolID: pool, JobID: id})
		},
		"StartUserImportJob": func() (*cognitoimport.Job, error) {
			return c.StartJob(ctx, cognitoimport.StartJobInput{UserPoolID: pool, JobID: id})
		},
		"StopUserImportJob": func() (*cognitoimport.Job, error) {
			return c.StopJob(ctx, cognitoimport.StopJobInput{UserPoolID: pool, JobID: id})
		},
	} {
		job, err := call()
		want := "cognitoimport: " + op + ": the response has no user import job"
		if job != nil || err == nil || err.Error() != want || !errors.Is(err, cognitoimport.ErrMissingJob) {
			t.Errorf("%s = %v, %v; want nil and %q matching ErrMissingJob", op, job, err, want)
		}
	}
}
