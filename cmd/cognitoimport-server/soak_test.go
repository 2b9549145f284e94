package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

var soakFor = flag.Duration("soak", 0, "run TestSoak for this long (0: skip it)")

// soakRSSBound is the resident memory the standalone server must stay under
// during the soak, with -max-upload-mib 64 and the other bounds at their
// defaults: 64 MiB of uploads, 64 MiB of request records, 128 MiB of logs,
// the jobs of 24 pools and their users, twice over for the garbage
// collector's headroom, and the runtime.
const soakRSSBound = 1 << 30

// soakPools is how many user pools the soak's server holds: the clients
// spread their jobs over them, so that the 1,000-job quota of a pool is not
// reached before the end of a 10-minute run.
const soakPools = 24

// TestSoak runs the standalone server under 8 clients of mixed traffic for
// -soak (10m for the figures in BENCHMARKS.md): signed calls of every
// operation, calls with a bad signature or none and 1 MiB bodies, uploads,
// imports with failing rows, and connections that stall in their headers or
// body. It samples the server's RSS every second and fails if it goes over
// soakRSSBound, or if a signed call gets no answer. It listens on loopback
// only, and each client paces itself to at most 20 actions a second.
//
//	go test -run TestSoak -timeout 20m -v ./cmd/cognitoimport-server -soak 10m
//
// (-soak comes after the package: go test passes the flags after one it
// does not know to the test binary.)
func TestSoak(t *testing.T) {
	if *soakFor <= 0 {
		t.Skip("run with -soak DURATION")
	}
	bin, err := builtCommand()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-addr", "127.0.0.1:0", "-max-upload-mib", "64"}
	for i := range soakPools {
		args = append(args, "-pool", fmt.Sprintf("us-east-1_soak%02d", i))
	}
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	b := readBanner(t, stdout)
	endpoint := b.fields["endpoint"]
	c := client(t, endpoint, b.fields["region"], b.fields["access key ID"], b.fields["secret access key"])
	o := c.Options()
	logs := cloudwatchlogs.New(cloudwatchlogs.Options{Region: o.Region, BaseEndpoint: o.BaseEndpoint, Credentials: o.Credentials, HTTPClient: o.HTTPClient})
	host := strings.TrimPrefix(endpoint, "http://")

	ctx, cancel := context.WithTimeout(context.Background(), *soakFor)
	defer cancel()

	// RSS, every second.
	var samples []int64
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if rss, err := processRSS(cmd.Process.Pid); err == nil {
					samples = append(samples, rss)
				}
			}
		}
	}()

	var st soakStats
	var wg sync.WaitGroup
	for id := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := &soakClient{id: id, c: c, logs: logs, endpoint: endpoint, host: host, st: &st, rng: rand.New(rand.NewPCG(uint64(id), 7))}
			pace := time.NewTicker(50 * time.Millisecond)
			defer pace.Stop()
			for n := 0; ; n++ {
				select {
				case <-ctx.Done():
					return
				case <-pace.C:
				}
				sc.act(ctx, n)
			}
		}()
	}
	wg.Wait()
	<-sampled

	var peak, last int64
	for _, s := range samples {
		peak = max(peak, s)
		last = s
	}
	t.Logf("%v, 8 clients: %d signed calls answered (%d with a service error), %d unanswered; %d refused unsigned or badly signed 1 MiB calls; %d uploads (%d refused); %d imports started (%d ended); %d logs read whole (%d events); %d stalled connections",
		*soakFor, st.signed.Load(), st.serviceErrors.Load(), st.unanswered.Load(), st.refused.Load(), st.uploads.Load(), st.uploadsRefused.Load(), st.imports.Load(), st.importsEnded.Load(), st.logsRead.Load(), st.logEvents.Load(), st.stalled.Load())
	t.Logf("RSS: %d samples, first %.0f MiB, peak %.0f MiB, last %.0f MiB (bound %d MiB)",
		len(samples), mib(samples[0]), mib(peak), mib(last), soakRSSBound>>20)
	for i := 0; i < len(samples); i += max(1, len(samples)/10) {
		t.Logf("RSS at %4d s: %.0f MiB", i+1, mib(samples[i]))
	}
	if peak > soakRSSBound {
		t.Errorf("RSS peaked at %.0f MiB, over the bound of %d MiB", mib(peak), soakRSSBound>>20)
	}
	if n := st.unanswered.Load(); n > 0 {
		t.Errorf("%d signed calls got no answer; the first: %v", n, st.firstUnanswered.Load())
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// processRSS reads the resident set size of process pid from /proc.
func processRSS(pid int) (int64, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS")
}

type soakStats struct {
	signed, serviceErrors, unanswered, refused     atomic.Int64
	uploads, uploadsRefused, imports, importsEnded atomic.Int64
	stalled, logsRead, logEvents                   atomic.Int64
	firstUnanswered                                atomic.Value
}

type soakClient struct {
	id       int
	c        *cognitoidentityprovider.Client
	logs     *cloudwatchlogs.Client
	endpoint string
	host     string
	st       *soakStats
	rng      *rand.Rand
}

// signed counts the outcome of a signed call: an answer (a result or a
// service error) or none.
func (sc *soakClient) signed(ctx context.Context, err error) {
	var apiErr smithy.APIError
	switch {
	case err == nil:
		sc.st.signed.Add(1)
	case errors.As(err, &apiErr):
		sc.st.signed.Add(1)
		sc.st.serviceErrors.Add(1)
	case ctx.Err() != nil:
		// the run ended during the call
	default:
		sc.st.unanswered.Add(1)
		sc.st.firstUnanswered.CompareAndSwap(nil, err.Error())
	}
}

func (sc *soakClient) pool() *string {
	return aws.String(fmt.Sprintf("us-east-1_soak%02d", sc.id*soakPools/8+sc.rng.IntN(soakPools/8)))
}

// act does the client's n-th action.
func (sc *soakClient) act(ctx context.Context, n int) {
	switch n % 10 {
	case 0, 1:
		_, err := sc.c.ListUserImportJobs(ctx, &cognitoidentityprovider.ListUserImportJobsInput{UserPoolId: sc.pool(), MaxResults: aws.Int32(60)})
		sc.signed(ctx, err)
	case 2:
		_, err := sc.c.GetCSVHeader(ctx, &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: sc.pool()})
		sc.signed(ctx, err)
	case 3:
		_, err := sc.c.DescribeUserPool(ctx, &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: sc.pool()})
		sc.signed(ctx, err)
	case 4, 5:
		sc.refusedPost(ctx, n%2 == 0)
	case 6:
		sc.upload(ctx, 512<<10+sc.rng.IntN(512<<10))
	case 7:
		sc.importJob(ctx)
	case 8:
		if sc.id < 4 { // at most 4 stalled at a time
			sc.stall(ctx)
		}
	case 9:
		_, err := sc.c.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{UserPoolId: sc.pool(), JobId: aws.String("import-0000000000")})
		sc.signed(ctx, err) // ResourceNotFoundException
	}
}

// refusedPost sends a 1 MiB POST with no signature, or a wrong one.
func (sc *soakClient) refusedPost(ctx context.Context, unsigned bool) {
	body := bytes.Repeat([]byte("x"), 1<<20)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sc.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserImportJobs")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if !unsigned {
		req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDCOGNITOIMPORTTEST/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target;content-type, Signature=0000")
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		sc.st.refused.Add(1)
	}
}

// create creates a job in one of the client's pools.
func (sc *soakClient) create(ctx context.Context) *types.UserImportJobType {
	out, err := sc.c.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId: sc.pool(), JobName: aws.String("soak"), CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/Soak"),
	})
	sc.signed(ctx, err)
	if err != nil {
		return nil
	}
	return out.UserImportJob
}

// put uploads body to job's URL and reports whether it was stored.
func (sc *soakClient) put(ctx context.Context, job *types.UserImportJobType, body []byte) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, aws.ToString(job.PreSignedUrl), bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("X-Amz-Server-Side-Encryption", "aws:kms")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	sc.st.uploads.Add(1)
	if resp.StatusCode != http.StatusOK {
		sc.st.uploadsRefused.Add(1)
		return false
	}
	return true
}

// upload uploads size bytes to a new job, which is never started. Most
// often it then replaces the file with 1 byte, so that the server releases
// it; one upload in 200 is kept until the job expires, 24 hours later, so
// that the held files grow towards the server's bound during the run.
func (sc *soakClient) upload(ctx context.Context, size int) {
	job := sc.create(ctx)
	if job == nil || !sc.put(ctx, job, bytes.Repeat([]byte("u"), size)) {
		return
	}
	if sc.rng.IntN(200) != 0 {
		sc.put(ctx, job, []byte("u"))
	}
}

// soakHeader is the header of a pool the server creates with -pool.
const soakHeader = "name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled,cognito:username"

// importJob runs a job of 2,000 rows, one in ten failing, over usernames
// from a set of 4,000 (so that a pool's users stay bounded and later rows
// are skipped), and describes it until it ends.
func (sc *soakClient) importJob(ctx context.Context) {
	job := sc.create(ctx)
	if job == nil {
		return
	}
	var b bytes.Buffer
	b.WriteString(soakHeader + "\n")
	for i := range 2000 {
		email := fmt.Sprintf("user%d@example.com", i)
		if i%10 == 0 {
			email = ""
		}
		fmt.Fprintf(&b, ",Given,Family,,,,,,,%s,TRUE,,02/01/1985,,,+12345550100,TRUE,,,FALSE,user%d\n", email, sc.rng.IntN(4000))
	}
	if !sc.put(ctx, job, b.Bytes()) {
		return
	}
	_, err := sc.c.StartUserImportJob(ctx, &cognitoidentityprovider.StartUserImportJobInput{UserPoolId: job.UserPoolId, JobId: job.JobId})
	sc.signed(ctx, err)
	if err != nil {
		return // another job is active: PreconditionNotMetException
	}
	sc.st.imports.Add(1)
	for range 100 {
		out, err := sc.c.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{UserPoolId: job.UserPoolId, JobId: job.JobId})
		sc.signed(ctx, err)
		if err != nil {
			return
		}
		if s := out.UserImportJob.Status; s != types.UserImportJobStatusTypePending && s != types.UserImportJobStatusTypeInProgress {
			sc.st.importsEnded.Add(1)
			sc.readLog(ctx, out.UserImportJob)
			return
		}
	}
}

// readLog reads job's CloudWatch Logs stream from its head, page by page,
// until the forward token comes back unchanged (the end).
func (sc *soakClient) readLog(ctx context.Context, job *types.UserImportJobType) {
	pool := aws.ToString(job.UserPoolId)
	in := &cloudwatchlogs.GetLogEventsInput{
		LogGroupName:  aws.String("/aws/cognito/userpools/" + pool + "/" + pool), // a pool's name is its ID
		LogStreamName: aws.String(aws.ToString(job.JobId) + "/" + aws.ToString(job.JobName)),
		StartFromHead: aws.Bool(true),
		Limit:         aws.Int32(500),
	}
	for range 100 {
		out, err := sc.logs.GetLogEvents(ctx, in)
		sc.signed(ctx, err)
		if err != nil {
			return
		}
		sc.st.logEvents.Add(int64(len(out.Events)))
		if in.NextToken != nil && aws.ToString(out.NextForwardToken) == aws.ToString(in.NextToken) {
			sc.st.logsRead.Add(1)
			return
		}
		in.NextToken = out.NextForwardToken
	}
}

// stall opens a connection that sends part of a request and then nothing,
// for up to 5 s, in its headers or in a body that announces 100 MiB.
func (sc *soakClient) stall(ctx context.Context) {
	conn, err := net.Dial("tcp", sc.host)
	if err != nil {
		return
	}
	defer conn.Close()
	sc.st.stalled.Add(1)
	if sc.rng.IntN(2) == 0 {
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Tar", sc.host)
	} else {
		u := url.URL{Path: "/aws-cognito-idp-user-import/123456789012/us-east-1_soak00/import-0000000000", RawQuery: "X-Amz-Expires=899"}
		fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\nabc", u.RequestURI(), sc.host, 100<<20)
	}
	t := time.NewTimer(time.Duration(sc.rng.IntN(5000)) * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
