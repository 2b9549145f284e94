package cognitoimporttest_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestUploadMalformed: requests under the upload path that are not a
// pre-signed PUT get S3's answers.
func TestUploadMalformed(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	raw := aws.ToString(job.PreSignedUrl)
	u, _ := url.Parse(raw)

	req, _ := http.NewRequest(http.MethodGet, raw, nil)
	checkS3Error(t, doS3(t, req), 405, "MethodNotAllowed", "")

	bare := *u
	bare.RawQuery = ""
	checkS3Error(t, putFile(t, bare.String(), sampleFile, sseHeader), 403, "AccessDenied", "Access Denied")

	q := u.Query()
	q.Del("X-Amz-Credential")
	partial := *u
	partial.RawQuery = q.Encode()
	checkS3Error(t, putFile(t, partial.String(), sampleFile, sseHeader), 400, "AuthorizationQueryParametersError", "")

	// A body shorter than its Content-Length: the client stops sending.
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nx-amz-server-side-encryption: aws:kms\r\nContent-Length: 100\r\n\r\nshort", u.RequestURI(), u.Host)
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("short body: status %d", resp.StatusCode)
	}
	if calls := e.srv.Calls(cognitoimporttest.Upload); len(calls) != 4 || calls[3].Err == nil || calls[3].Err.Code != "IncompleteBody" || calls[3].Size != 5 {
		t.Errorf("short body recorded as %+v", calls[len(calls)-1])
	}
	// Nothing was stored: the job cannot start.
	_, err = e.start(testPool, aws.ToString(job.JobId))
	apiError(t, err, "PreconditionNotMetException")
}

// TestStopping: while a job is Stopping, Describe and List show it so, it
// cannot be stopped again, and it still counts as the active job.
func TestStopping(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(1), cognitoimporttest.WithUserPools("us-east-1_Other"))
	id := e.runJob(testPool, sampleFile)
	e.clock.Advance(1500 * time.Millisecond)
	if _, err := e.stop(testPool, id); err != nil {
		t.Fatal(err)
	}
	if j := e.describe(testPool, id); j.Status != types.UserImportJobStatusTypeStopping || j.ImportedUsers != 1 || j.CompletionMessage != nil {
		t.Errorf("Stopping: %s %d %v", j.Status, j.ImportedUsers, j.CompletionMessage)
	}
	out, err := e.client.ListUserImportJobs(context.Background(), &cognitoidentityprovider.ListUserImportJobsInput{UserPoolId: aws.String(testPool), MaxResults: aws.Int32(10)})
	if err != nil || out.UserImportJobs[0].Status != types.UserImportJobStatusTypeStopping {
		t.Errorf("List: %v %v", err, out)
	}
	_, err = e.stop(testPool, id)
	if msg := apiError(t, err, "InvalidParameterException").ErrorMessage(); !strings.Contains(msg, "Stopping") {
		t.Errorf("message = %q", msg)
	}
	other := e.create("us-east-1_Other")
	e.mustUpload(other, sampleFile)
	_, err = e.start("us-east-1_Other", aws.ToString(other.JobId))
	apiError(t, err, "PreconditionNotMetException")

	e.clock.Advance(500 * time.Millisecond)
	if j := e.describe(testPool, id); j.Status != types.UserImportJobStatusTypeStopped || j.ImportedUsers != 2 {
		t.Errorf("after the row: %s %d", j.Status, j.ImportedUsers)
	}
	if _, err := e.start("us-east-1_Other", aws.ToString(other.JobId)); err != nil {
		t.Errorf("after the stop: %v", err)
	}
}

// TestListShowsLifecycle: ListUserImportJobs and Jobs report each job as it
// is now, by the server's clock.
func TestListShowsLifecycle(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	expiring := e.create(testPool)
	e.clock.Advance(time.Hour)
	done := e.runJob(testPool, sampleFile)
	e.clock.Advance(24 * time.Hour)
	out, err := e.client.ListUserImportJobs(context.Background(), &cognitoidentityprovider.ListUserImportJobsInput{UserPoolId: aws.String(testPool), MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]types.UserImportJobStatusType{}
	for _, j := range out.UserImportJobs {
		got[aws.ToString(j.JobId)] = j.Status
	}
	if got[aws.ToString(expiring.JobId)] != types.UserImportJobStatusTypeExpired || got[done] != types.UserImportJobStatusTypeSucceeded {
		t.Errorf("List: %v", got)
	}
	for _, j := range e.srv.Jobs(testPool) {
		if j.JobID == done && (j.Status != cognitoimporttest.StatusSucceeded || j.ImportedUsers != 2) {
			t.Errorf("Jobs: %+v", j)
		}
	}
}

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

// TestUploadDelayAndRandomFaults: DelayNext and FailRandomly reach the
// upload too.
func TestUploadDelayAndRandomFaults(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	raw := aws.ToString(job.PreSignedUrl)
	e.srv.FailRandomly(cognitoimporttest.Upload, 1, 7, cognitoimporttest.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again."})
	checkS3Error(t, putFile(t, raw, sampleFile, sseHeader), 500, "InternalError", "")
	e.srv.ClearFaults()
	// A delay that the client's context ends: the server gives up waiting.
	e.srv.DelayNext(cognitoimporttest.Upload, time.Hour, 1)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPut, raw, strings.NewReader(sampleFile))
	req.Header = sseHeader.Clone()
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	// Wait for the server to take the delay, not only to count the
	// request (it counts it first): a cancel before that left the delay
	// queued for the upload below, which then waited the hour (a -count=20
	// run under load hung so).
	for e.srv.QueuedFaults(cognitoimporttest.Upload) > 0 {
		select {
		case err := <-errc:
			t.Fatalf("the upload was answered (%v) before it took its delay", err)
		default:
			runtime.Gosched()
		}
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("the delayed upload ended with %v, want its context's end", err)
	}
	e.mustUpload(job, sampleFile)
}

// TestUploadInChunks: a file larger than the chunks the server reads an
// upload in is kept whole: every row of a 3 MB file is imported. The rows
// are long (10,000-character addresses), so that 3 MB is 320 users, and
// rows straddle the chunks' edges; 25,000 short rows took a second under
// the race detector in every run.
func TestUploadInChunks(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)))
	h := e.header(testPool)
	var b strings.Builder
	b.WriteString(strings.Join(h, ",") + "\n")
	const n = 320
	address := strings.Repeat("a", 10_000)
	for i := range n {
		b.WriteString(usersLine(h, with(validUser(fmt.Sprintf("user%05d", i)), "address", address)) + "\n")
	}
	if b.Len() < 3<<20 {
		t.Fatalf("the file has %d bytes, want over 3 MiB", b.Len())
	}
	j, log := e.runImport(testPool, b.String())
	if j.ImportedUsers != n || len(log) != n || log[n-1] != fmt.Sprintf("[SUCCEEDED] Line Number %d - The import succeeded.", n+1) {
		t.Errorf("%s: %d imported, last log line %q", j.Status, j.ImportedUsers, log[len(log)-1])
	}
}
