package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// guideSample is the users file of the developer guide.
const guideSample = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

// TestStandaloneFlow builds the command, starts it with a -pool-config file,
// and runs a whole import through it as a user of the AWS CLI would: the
// header and pool through the SDK, the file uploaded with net/http exactly
// as `curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" URL` sends
// it, then the job started and described until it ends.
func TestStandaloneFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go command on PATH: %v", err)
	}
	bin, err := builtCommand()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	config := filepath.Join(dir, "pools.json")
	if err := os.WriteFile(config, []byte(`[{"ID": "us-east-1_staff", "Name": "staff", "CustomAttributes": ["dept"]}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-pool-config", config, "-import-rate", "inf")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	b := readBanner(t, stdout)
	if got := b.fields["user pools"]; got != "us-east-1_staff" {
		t.Errorf("banner user pools = %q", got)
	}
	ctx := context.Background()
	c := client(t, b.fields["endpoint"], b.fields["region"], b.fields["access key ID"], b.fields["secret access key"])
	pool := aws.String("us-east-1_staff")

	header, err := c.GetCSVHeader(ctx, &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: pool})
	if err != nil {
		t.Fatal(err)
	}
	if h := strings.Join(header.CSVHeader, ","); !strings.Contains(h, "updated_at,custom:dept,cognito:mfa_enabled") {
		t.Errorf("header = %s", h)
	}
	described, err := c.DescribeUserPool(ctx, &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: pool})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(described.UserPool.Name) != "staff" {
		t.Errorf("pool name = %q", aws.ToString(described.UserPool.Name))
	}

	created, err := c.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId: pool, JobName: aws.String("flow"), CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/CognitoImport"),
		PasswordHashingAlgorithm: types.PasswordHashingAlgorithmTypeBcrypt,
	})
	if err != nil {
		t.Fatal(err)
	}
	jobID := created.UserImportJob.JobId
	if alg := created.UserImportJob.PasswordHashingAlgorithm; alg != types.PasswordHashingAlgorithmTypeBcrypt {
		t.Errorf("created job's PasswordHashingAlgorithm = %q, want BCRYPT", alg)
	}

	// The sample file lacks the pool's custom column: add it, empty.
	file := strings.Replace(guideSample, "cognito:mfa_enabled\n", "cognito:mfa_enabled,custom:dept\n", 1)
	file = strings.ReplaceAll(file, ",FALSE\n", ",FALSE,\n")
	req, err := http.NewRequest(http.MethodPut, aws.ToString(created.UserImportJob.PreSignedUrl), strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-amz-server-side-encryption", "aws:kms") // curl -H; -T sets Content-Length
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}

	started, err := c.StartUserImportJob(ctx, &cognitoidentityprovider.StartUserImportJobInput{UserPoolId: pool, JobId: jobID})
	if err != nil {
		t.Fatal(err)
	}
	if started.UserImportJob.Status != types.UserImportJobStatusTypePending {
		t.Errorf("started: %s", started.UserImportJob.Status)
	}
	// At -import-rate inf the job ends as soon as the server's clock moves
	// past its start: a few calls at most, and the count bounds the loop.
	var job *types.UserImportJobType
	for range 10000 {
		out, err := c.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{UserPoolId: pool, JobId: jobID})
		if err != nil {
			t.Fatal(err)
		}
		if job = out.UserImportJob; job.Status != types.UserImportJobStatusTypePending && job.Status != types.UserImportJobStatusTypeInProgress {
			break
		}
	}
	if job.Status != types.UserImportJobStatusTypeSucceeded || job.ImportedUsers != 2 || aws.ToString(job.CompletionMessage) != "Import Job Completed Successfully." ||
		job.PasswordHashingAlgorithm != types.PasswordHashingAlgorithmTypeBcrypt {
		t.Errorf("job = %s, %d imported, %q, PasswordHashingAlgorithm %q", job.Status, job.ImportedUsers, aws.ToString(job.CompletionMessage), job.PasswordHashingAlgorithm)
	}

	// The job's log, through CloudWatch Logs' API on the same endpoint, as
	// `aws logs get-log-events` reads it.
	o := c.Options()
	logs := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region: o.Region, Credentials: o.Credentials, BaseEndpoint: o.BaseEndpoint, HTTPClient: o.HTTPClient, RetryMaxAttempts: 1,
	})
	events, err := logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
		LogGroupName:  aws.String("/aws/cognito/userpools/us-east-1_staff/staff"),
		LogStreamName: aws.String(aws.ToString(jobID) + "/flow"),
		StartFromHead: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events.Events {
		got = append(got, aws.ToString(e.Message))
	}
	want := []string{
		"Cognito User Pools Import - Test Log", "Cognito User Pools Import - Test Log",
		"[SUCCEEDED] Line Number 2 - The import succeeded.", "[SUCCEEDED] Line Number 3 - The import succeeded.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the job's log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// builtDir holds the command builtCommand built; TestMain removes it.
var builtDir string

// builtCommand builds the command once for the test binary's run: linking
// it for each of -count=20's runs cost as much as the rest of the package.
var builtCommand = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "cognitoimport-server-test-")
	if err != nil {
		return "", err
	}
	builtDir = dir
	bin := filepath.Join(dir, "cognitoimport-server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func TestPoolConfigFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"not JSON", "{", "want a JSON array"},
		{"unknown member", `[{"ID": "us-east-1_a", "Mfa2": "ON"}]`, "unknown field"},
		{"bad MFA", `[{"ID": "us-east-1_a", "MFA": "SOMETIMES"}]`, `pool 1: pool us-east-1_a: MFA "SOMETIMES"`},
		{"bad ID", `[{"ID": "nope"}]`, `pool 1: "nope" is not a valid user pool ID`},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		if code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-pool-config", path}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%s: exit %d, stderr %q, want 2 and %q", tt.name, code, stderr.String(), tt.want)
		}
	}
	var stderr strings.Builder
	if code := run(context.Background(), []string{"-import-rate", "0"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "-import-rate") {
		t.Errorf("-import-rate 0: exit %d, %q", code, stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"-h"}, io.Discard, &stderr); code != 0 || !strings.Contains(stderr.String(), `"AutoVerifiedAttributes"`) {
		t.Errorf("-h: exit %d, usage does not document -pool-config: %q", code, stderr.String())
	}
}

// TestMaxUploadFlag: -max-upload-mib bounds the bytes of files the server
// holds: a second file that would go over it gets 503 SlowDown.
func TestMaxUploadFlag(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-pool", "us-east-1_example", "-max-upload-mib", "1"}, stdoutW, io.Discard)
		stdoutW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	b := readBanner(t, stdoutR)
	go io.Copy(io.Discard, stdoutR)
	c := client(t, b.fields["endpoint"], b.fields["region"], b.fields["access key ID"], b.fields["secret access key"])
	file := strings.Repeat("x", 600<<10) // two of them are over 1 MiB
	for i, want := range []int{http.StatusOK, http.StatusServiceUnavailable} {
		created, err := c.CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
			UserPoolId: aws.String("us-east-1_example"), JobName: aws.String("big"), CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/CognitoImport"),
		})
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(http.MethodPut, aws.ToString(created.UserImportJob.PreSignedUrl), strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("x-amz-server-side-encryption", "aws:kms")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want != http.StatusOK && !strings.Contains(string(body), "<Code>SlowDown</Code>")) {
			t.Errorf("upload %d: %d %s, want %d", i+1, resp.StatusCode, body, want)
		}
	}
}
