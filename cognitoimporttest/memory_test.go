package cognitoimporttest_test

import (
	"context"
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

// TestJobQuota: CreateUserImportJob is refused with LimitExceededException
// once the pool holds its quota of jobs, whatever their status.
func TestJobQuota(t *testing.T) {
	t.Parallel()
	const otherPool = "us-east-1_QuotaOther"
	e := newImportEnv(t, cognitoimporttest.WithMaxJobs(2), cognitoimporttest.WithUserPools(otherPool))
	e.runJob(testPool, sampleFile) // an ended job counts too
	e.clock.Advance(time.Second)
	e.create(testPool)
	_, err := e.client.CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId: aws.String(testPool), JobName: aws.String("over"), CloudWatchLogsRoleArn: aws.String(testRoleARN),
	}, noRetry)
	ae := apiError(t, err, "LimitExceededException")
	if msg := ae.ErrorMessage(); !strings.Contains(msg, "2 import jobs") || !strings.Contains(msg, testPool) {
		t.Errorf("message %q does not name the quota and the pool", msg)
	}
	if n := len(e.srv.Jobs(testPool)); n != 2 {
		t.Errorf("%d jobs, want 2", n)
	}
	// Another pool has its own quota.
	e.create(otherPool)
}

// TestUploadBytesBound: the server holds at most WithMaxUploadBytes bytes of
// uploaded files; past it an upload gets 503 SlowDown, and a file is
// released once its job ends or expires.
func TestUploadBytesBound(t *testing.T) {
	t.Parallel()
	size := int64(len(sampleFile))
	e := newImportEnv(t, cognitoimporttest.WithMaxUploadBytes(2*size))
	a, b, c := e.create(testPool), e.create(testPool), e.create(testPool)
	e.mustUpload(a, sampleFile)
	e.mustUpload(b, sampleFile)
	full := putFile(t, aws.ToString(c.PreSignedUrl), sampleFile, sseHeader)
	checkS3Error(t, full, http.StatusServiceUnavailable, "SlowDown", "")
	if !strings.Contains(string(full.body), "WithMaxUploadBytes") {
		t.Errorf("the refusal does not say what bounds it: %s", full.body)
	}

	// a runs to its end: its file is released.
	if _, err := e.start(testPool, aws.ToString(a.JobId)); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if j := e.describe(testPool, aws.ToString(a.JobId)); j.Status != "Succeeded" {
		t.Fatalf("job a is %s", j.Status)
	}
	e.mustUpload(c, sampleFile)

	// b and c expire: their files are released.
	e.clock.Advance(cognitoimporttest.ExpireAfter)
	d, f := e.create(testPool), e.create(testPool)
	e.mustUpload(d, sampleFile)
	e.mustUpload(f, sampleFile)
}

// TestUploadStalledConnections: connections that announce an upload and
// send nothing hold no upload memory. Five that announced 1 MiB each made
// every other upload fail with 503 SlowDown (the server reserved what
// Content-Length announced) until the request timeout closed them.
func TestUploadStalledConnections(t *testing.T) {
	t.Parallel()
	const announced = 1 << 20
	e := newImportEnv(t, cognitoimporttest.WithMaxUploadBytes(5*announced+announced/2))
	for range 5 {
		u, err := url.Parse(aws.ToString(e.create(testPool).PreSignedUrl))
		if err != nil {
			t.Fatal(err)
		}
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nX-Amz-Server-Side-Encryption: aws:kms\r\nContent-Length: %d\r\n\r\n", u.RequestURI(), u.Host, announced)
	}
	for e.srv.UploadsReading() < 5 {
		runtime.Gosched() // the five reach the read of their bodies
	}
	file := strings.Replace(sampleFile, "123 Any Street", strings.Repeat("x", announced/2), 1)
	e.mustUpload(e.create(testPool), file)
}

// TestLogBound: the jobs' logs are bounded (+17 MiB per 500,000 failed rows
// was kept forever before); past the bound, whole logs of ended jobs are
// evicted, the first ended first, and read as gone, while the jobs, their
// counts and the users they imported stay.
func TestLogBound(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(math.Inf(1)), cognitoimporttest.WithMaxLogBytes(3*cognitoimporttest.LogEntryBytes()))
	first, firstLog := e.runImport(testPool, sampleFile)
	if len(firstLog) != 2 {
		t.Fatalf("first job's log = %q", firstLog)
	}
	other := strings.NewReplacer("John,", "Jim,", "Jane,", "Joan,").Replace(sampleFile)
	second, secondLog := e.runImport(testPool, other)
	if len(secondLog) != 2 || e.srv.LogEvicted(testPool, aws.ToString(second.JobId)) {
		t.Errorf("the newest job's log = %q, want its two lines", secondLog)
	}
	if l := e.srv.JobLog(testPool, aws.ToString(first.JobId)); l != nil || !e.srv.LogEvicted(testPool, aws.ToString(first.JobId)) {
		t.Errorf("the first job's log = %q, want it evicted past the bound", l)
	}
	if j := e.describe(testPool, aws.ToString(first.JobId)); j.Status != types.UserImportJobStatusTypeSucceeded || j.ImportedUsers != 2 {
		t.Errorf("the first job after its log went: %s, %d imported", j.Status, j.ImportedUsers)
	}
	if n := len(e.srv.Users(testPool)); n != 4 {
		t.Errorf("%d users, want the 4 both jobs imported", n)
	}
}
