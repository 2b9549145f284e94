package cognitoimporttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestCreateUserImportJob(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv)

	before := time.Now().Truncate(time.Millisecond)
	out, err := client.CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String(testPool),
		JobName:               aws.String("first import"),
		CloudWatchLogsRoleArn: aws.String(testRoleARN),
	})
	if err != nil {
		t.Fatalf("CreateUserImportJob: %v", err)
	}
	after := time.Now()
	j := out.UserImportJob
	if j == nil {
		t.Fatal("UserImportJob is nil")
	}
	if j.Status != types.UserImportJobStatusTypeCreated {
		t.Errorf("Status = %q, want Created", j.Status)
	}
	if id := aws.ToString(j.JobId); !jobIDPattern.MatchString(id) {
		t.Errorf("JobId = %q, want a match of %s", id, jobIDPattern)
	}
	if j.CreationDate == nil || j.CreationDate.Before(before) || j.CreationDate.After(after) {
		t.Errorf("CreationDate = %v, want between %v and %v", j.CreationDate, before, after)
	}
	if j.StartDate != nil || j.CompletionDate != nil || j.CompletionMessage != nil {
		t.Errorf("a new job has StartDate %v, CompletionDate %v, CompletionMessage %v; want none", j.StartDate, j.CompletionDate, j.CompletionMessage)
	}
	if j.ImportedUsers != 0 || j.SkippedUsers != 0 || j.FailedUsers != 0 {
		t.Errorf("counters = %d/%d/%d, want 0/0/0", j.ImportedUsers, j.SkippedUsers, j.FailedUsers)
	}
	if got := aws.ToString(j.CloudWatchLogsRoleArn); got != testRoleARN {
		t.Errorf("CloudWatchLogsRoleArn = %q, want %q", got, testRoleARN)
	}
	if got := aws.ToString(j.JobName); got != "first import" {
		t.Errorf("JobName = %q, want %q", got, "first import")
	}
	if got := aws.ToString(j.UserPoolId); got != testPool {
		t.Errorf("UserPoolId = %q, want %q", got, testPool)
	}

	u, err := url.Parse(aws.ToString(j.PreSignedUrl))
	if err != nil || u.Scheme == "" || u.Host == "" {
		t.Fatalf("PreSignedUrl = %q is not an absolute URL (%v)", aws.ToString(j.PreSignedUrl), err)
	}
	q := u.Query()
	for _, p := range []string{"X-Amz-Credential", "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Date"} {
		if q.Get(p) == "" {
			t.Errorf("PreSignedUrl has no %s: %s", p, u)
		}
	}
	if got := q.Get("X-Amz-Expires"); got != "899" {
		t.Errorf("X-Amz-Expires = %q, want 899", got)
	}
	if got := q.Get("X-Amz-SignedHeaders"); got != "host;x-amz-server-side-encryption" {
		t.Errorf("X-Amz-SignedHeaders = %q, want host;x-amz-server-side-encryption", got)
	}

	jobs := srv.Jobs(testPool)
	if len(jobs) != 1 || jobs[0].JobID != aws.ToString(j.JobId) || jobs[0].PreSignedURL != aws.ToString(j.PreSignedUrl) {
		t.Errorf("srv.Jobs = %+v, want the created job", jobs)
	}
}

func TestCreateThenList(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	client := newClient(srv)

	var created []*types.UserImportJobType
	for i := range 3 {
		created = append(created, createJob(t, client, testPool, fmt.Sprintf("job-%d", i)))
	}
	out, err := listPage(context.Background(), client, testPool, 60, nil)
	if err != nil {
		t.Fatalf("ListUserImportJobs: %v", err)
	}
	if out.PaginationToken != nil {
		t.Errorf("PaginationToken = %q on the only page, want none", *out.PaginationToken)
	}
	if len(out.UserImportJobs) != len(created) {
		t.Fatalf("listed %d jobs, want %d", len(out.UserImportJobs), len(created))
	}
	for i, got := range out.UserImportJobs {
		want := created[len(created)-1-i] // newest first
		if aws.ToString(got.JobId) != aws.ToString(want.JobId) ||
			aws.ToString(got.JobName) != aws.ToString(want.JobName) ||
			aws.ToString(got.UserPoolId) != aws.ToString(want.UserPoolId) ||
			aws.ToString(got.CloudWatchLogsRoleArn) != aws.ToString(want.CloudWatchLogsRoleArn) ||
			aws.ToString(got.PreSignedUrl) != aws.ToString(want.PreSignedUrl) ||
			got.Status != want.Status ||
			!got.CreationDate.Equal(*want.CreationDate) {
			t.Errorf("listed job %d = %+v, want %+v", i, got, want)
		}
	}
}

func TestListUnknownAndEmptyPools(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithUserPools("eu-west-1_Empty"))
	client := newClient(srv)

	out, err := listPage(context.Background(), client, "eu-west-1_Empty", 10, nil)
	if err != nil {
		t.Fatalf("listing an empty pool: %v", err)
	}
	if len(out.UserImportJobs) != 0 || out.PaginationToken != nil {
		t.Errorf("empty pool: %d jobs, token %v; want none", len(out.UserImportJobs), out.PaginationToken)
	}

	_, err = listPage(context.Background(), client, "eu-west-1_Missing", 10, nil)
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("listing an unknown pool: %v, want ResourceNotFoundException", err)
	}
	_, err = client.CreateUserImportJob(context.Background(), &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String("eu-west-1_Missing"),
		JobName:               aws.String("x"),
		CloudWatchLogsRoleArn: aws.String(testRoleARN),
	})
	if !errors.As(err, &rnf) {
		t.Errorf("creating in an unknown pool: %v, want ResourceNotFoundException", err)
	}
	if got := len(srv.Jobs("eu-west-1_Empty")); got != 0 {
		t.Errorf("the empty pool has %d jobs after failed calls", got)
	}
}

// TestClockDatesJobs: the injected clock dates jobs, and jobs created in the
// same millisecond still get distinct, increasing dates.
func TestClockDatesJobs(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 1, 23, 19, 29, 55, 471_000_000, time.UTC)
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithClock(nowFunc(func() time.Time { return at })))
	client := newClient(srv)

	for i := range 3 {
		createJob(t, client, testPool, fmt.Sprint("same-ms-", i))
	}
	out, err := listPage(context.Background(), client, testPool, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []time.Time
	for _, j := range out.UserImportJobs {
		got = append(got, j.CreationDate.UTC())
	}
	want := []time.Time{at.Add(2 * time.Millisecond), at.Add(time.Millisecond), at}
	if !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("CreationDates = %v, want %v", got, want)
	}

	rr := newRaw(targetList, `{"UserPoolId":"`+testPool+`","MaxResults":1}`)
	rr.SignedAt = at // signed by the server's clock
	resp := send(t, srv, rr)
	checkOK(t, resp)
	if got, want := resp.Header.Get("Date"), at.Format(http.TimeFormat); got != want {
		t.Errorf("Date = %q, want %q from the server's clock", got, want)
	}
}

// TestWireTimestamps reads the raw JSON of a list response: timestamps are
// JSON numbers of epoch seconds with milliseconds, absent optional members
// are left out rather than null, and counters are present.
func TestWireTimestamps(t *testing.T) {
	t.Parallel()
	created := time.Date(2019, 1, 23, 19, 29, 55, 471_000_000, time.UTC) // 1548271795.471
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool),
		cognitoimporttest.WithUserPools("us-east-1_Wire"),
		cognitoimporttest.WithClock(nowFunc(func() time.Time { return created })))
	client := newClient(srv)
	j := createJob(t, client, "us-east-1_Wire", "wire")

	// A second job moved on by SetJob, with whole-second dates.
	j2 := createJob(t, client, "us-east-1_Wire", "wire-done")
	srv.SetJob(cognitoimporttest.Job{
		JobID: aws.ToString(j2.JobId), JobName: "wire-done", UserPoolID: "us-east-1_Wire",
		CloudWatchLogsRoleARN: testRoleARN, Status: "Succeeded",
		StartDate:         time.Unix(1548271800, 0),
		CompletionDate:    time.Unix(1548271900, 5_000_000),
		CompletionMessage: "Import Job Completed Successfully.",
		ImportedUsers:     7, SkippedUsers: 2, FailedUsers: 1,
	})

	rr := newRaw(targetList, `{"UserPoolId":"us-east-1_Wire","MaxResults":10}`)
	rr.SignedAt = created // signed by the server's clock
	resp := send(t, srv, rr)
	checkOK(t, resp)
	if got := resp.Header.Get("Content-Type"); got != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q", got)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &top); err != nil {
		t.Fatal(err)
	}
	if _, ok := top["PaginationToken"]; ok {
		t.Errorf("the last page carries PaginationToken: %s", resp.Body)
	}
	var body struct{ UserImportJobs []map[string]json.RawMessage }
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.UserImportJobs) != 2 {
		t.Fatalf("got %d jobs, want 2: %s", len(body.UserImportJobs), resp.Body)
	}
	done, fresh := body.UserImportJobs[0], body.UserImportJobs[1]

	wantRaw := func(job map[string]json.RawMessage, member, want string) {
		t.Helper()
		if got := string(job[member]); got != want {
			t.Errorf("%s = %s, want %s", member, got, want)
		}
	}
	wantRaw(fresh, "CreationDate", "1548271795.471")
	wantRaw(fresh, "JobId", `"`+aws.ToString(j.JobId)+`"`)
	wantRaw(fresh, "ImportedUsers", "0")
	wantRaw(fresh, "SkippedUsers", "0")
	wantRaw(fresh, "FailedUsers", "0")
	for _, m := range []string{"StartDate", "CompletionDate", "CompletionMessage"} {
		if v, ok := fresh[m]; ok {
			t.Errorf("new job carries %s = %s, want it left out", m, v)
		}
	}
	wantRaw(done, "CreationDate", "1548271795.472") // kept by SetJob, one ms after the first
	wantRaw(done, "StartDate", "1548271800.000")
	wantRaw(done, "CompletionDate", "1548271900.005")
	wantRaw(done, "ImportedUsers", "7")
	wantRaw(done, "Status", `"Succeeded"`)

	// Every timestamp is a JSON number, not a string.
	dec := json.NewDecoder(bytes.NewReader(done["CompletionDate"]))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.(json.Number); !ok {
		t.Errorf("CompletionDate is a %T, want a JSON number", v)
	}

	// And the SDK reads them back to the millisecond.
	out, err := listPage(context.Background(), client, "us-east-1_Wire", 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	sdkDone := out.UserImportJobs[0]
	if !sdkDone.CompletionDate.Equal(time.Unix(1548271900, 5_000_000)) ||
		!sdkDone.StartDate.Equal(time.Unix(1548271800, 0)) ||
		aws.ToString(sdkDone.CompletionMessage) != "Import Job Completed Successfully." ||
		sdkDone.Status != types.UserImportJobStatusTypeSucceeded ||
		sdkDone.ImportedUsers != 7 || sdkDone.SkippedUsers != 2 || sdkDone.FailedUsers != 1 {
		t.Errorf("SDK read the finished job as %+v", sdkDone)
	}
	if !out.UserImportJobs[1].CreationDate.Equal(created) {
		t.Errorf("SDK read CreationDate %v, want %v", out.UserImportJobs[1].CreationDate, created)
	}
	if strings.Contains(string(resp.Body), "null") {
		t.Errorf("response carries a null: %s", resp.Body)
	}
}

// TestWireExponentTimestamps: WithExponentTimestamps writes dates as Java
// writes a double, as the live service also does, and the SDK reads them
// back to the millisecond.
func TestWireExponentTimestamps(t *testing.T) {
	t.Parallel()
	created := time.Date(2022, 11, 8, 0, 22, 58, 676_000_000, time.UTC) // 1667866978.676
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool),
		cognitoimporttest.WithExponentTimestamps(),
		cognitoimporttest.WithClock(nowFunc(func() time.Time { return created })))
	client := newClient(srv)
	j := createJob(t, client, testPool, "exponent")
	srv.SetJob(cognitoimporttest.Job{
		JobID: aws.ToString(j.JobId), JobName: "exponent", UserPoolID: testPool, Status: "InProgress",
		StartDate: time.Unix(1667867000, 0),
	})

	rr := newRaw(targetList, `{"UserPoolId":"`+testPool+`","MaxResults":10}`)
	rr.SignedAt = created
	resp := send(t, srv, rr)
	checkOK(t, resp)
	var body struct{ UserImportJobs []map[string]json.RawMessage }
	if err := json.Unmarshal(resp.Body, &body); err != nil || len(body.UserImportJobs) != 1 {
		t.Fatalf("body %s: %v", resp.Body, err)
	}
	for member, want := range map[string]string{"CreationDate": "1.667866978676E9", "StartDate": "1.667867E9"} {
		if got := string(body.UserImportJobs[0][member]); got != want {
			t.Errorf("%s = %s, want %s", member, got, want)
		}
	}

	out, err := client.ListUserImportJobs(context.Background(), &cognitoidentityprovider.ListUserImportJobsInput{
		UserPoolId: aws.String(testPool), MaxResults: aws.Int32(10),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToTime(out.UserImportJobs[0].CreationDate); !got.Equal(created) {
		t.Errorf("the SDK read CreationDate %v, want %v", got, created)
	}
}

// TestPasswordHashingAlgorithm: CreateUserImportJob takes each of the four
// algorithms, and every job the server answers with carries it (Create,
// Describe, Start, Stop, List, and the Go API's Jobs and SetJob); a job
// created without it carries none; another value is refused with the
// service's enum report, naming the value and the four, and leaves no job;
// users imported by a job with an algorithm are RESET_REQUIRED.
func TestPasswordHashingAlgorithm(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
	ctx := context.Background()
	create := func(alg types.PasswordHashingAlgorithmType) (*types.UserImportJobType, error) {
		out, err := e.client.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
			UserPoolId: aws.String(testPool), JobName: aws.String("hashes"), CloudWatchLogsRoleArn: aws.String(testRoleARN),
			PasswordHashingAlgorithm: alg,
		})
		if err != nil {
			return nil, err
		}
		return out.UserImportJob, nil
	}
	want := map[string]types.PasswordHashingAlgorithmType{} // by job ID
	for _, alg := range []types.PasswordHashingAlgorithmType{"BCRYPT", "SCRYPT", "ARGON2ID", "PBKDF2_SHA256", ""} {
		job, err := create(alg)
		if err != nil {
			t.Fatalf("create with %q: %v", alg, err)
		}
		if job.PasswordHashingAlgorithm != alg {
			t.Errorf("created with %q: job carries %q", alg, job.PasswordHashingAlgorithm)
		}
		want[aws.ToString(job.JobId)] = alg
	}
	for id, alg := range want {
		if got := e.describe(testPool, id).PasswordHashingAlgorithm; got != alg {
			t.Errorf("DescribeUserImportJob(%s) = %q, want %q", id, got, alg)
		}
	}
	page, err := listPage(ctx, e.client, testPool, 60, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range page.UserImportJobs {
		if got, w := j.PasswordHashingAlgorithm, want[aws.ToString(j.JobId)]; got != w {
			t.Errorf("ListUserImportJobs: job %s carries %q, want %q", aws.ToString(j.JobId), got, w)
		}
	}
	for _, j := range e.srv.Jobs(testPool) {
		if got, w := j.PasswordHashingAlgorithm, string(want[j.JobID]); got != w {
			t.Errorf("Jobs: job %s carries %q, want %q", j.JobID, got, w)
		}
	}

	for _, bad := range []string{"MD5", "bcrypt", " BCRYPT"} {
		_, err := create(types.PasswordHashingAlgorithmType(bad))
		msg := apiError(t, err, "InvalidParameterException").ErrorMessage()
		if w := "1 validation error detected: Value '" + bad + "' at 'passwordHashingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [BCRYPT, SCRYPT, ARGON2ID, PBKDF2_SHA256]"; msg != w {
			t.Errorf("%q: message\n %s\nwant\n %s", bad, msg, w)
		}
	}
	if n := len(e.srv.Jobs(testPool)); n != len(want) {
		t.Errorf("after the refusals the pool holds %d jobs, want %d", n, len(want))
	}

	// Start and Stop answer with the member; users imported are RESET_REQUIRED.
	job, err := create("ARGON2ID")
	if err != nil {
		t.Fatal(err)
	}
	e.mustUpload(job, sampleFile)
	started, err := e.start(testPool, aws.ToString(job.JobId))
	if err != nil {
		t.Fatal(err)
	}
	if started.PasswordHashingAlgorithm != "ARGON2ID" {
		t.Errorf("StartUserImportJob answered %q", started.PasswordHashingAlgorithm)
	}
	e.clock.Advance(1500 * time.Millisecond) // the first user is imported
	stopped, err := e.stop(testPool, aws.ToString(job.JobId))
	if err != nil {
		t.Fatal(err)
	}
	if stopped.PasswordHashingAlgorithm != "ARGON2ID" {
		t.Errorf("StopUserImportJob answered %q", stopped.PasswordHashingAlgorithm)
	}
	if users := e.srv.Users(testPool); len(users) != 1 || users[0].Status != cognitoimporttest.UserStatusResetRequired {
		t.Errorf("users = %+v, want one RESET_REQUIRED", users)
	}

	// SetJob sets it, as any other member.
	j := e.srv.Jobs(testPool)[0]
	j.PasswordHashingAlgorithm = "SCRYPT"
	e.srv.SetJob(j)
	if got := e.describe(testPool, j.JobID).PasswordHashingAlgorithm; got != "SCRYPT" {
		t.Errorf("after SetJob: %q", got)
	}
}

// TestCreateMalformedHost: a correctly signed CreateUserImportJob whose Host
// no URL can hold panicked in the making of its PreSignedUrl (the client saw
// EOF) and left a Created job with no URL behind. It is refused, in the
// service's error shape, and no job is created; a well-formed Host still
// makes the URL.
func TestCreateMalformedHost(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	body := `{"UserPoolId":"` + testPool + `","JobName":"host","CloudWatchLogsRoleArn":"` + testRoleARN + `"}`
	for _, host := range []string{"[::1", "127.0.0.1:9229%zz", "a%2Fb"} {
		rr := newRaw(targetCreate, body)
		rr.Host = host
		msg := checkError(t, send(t, srv, rr), http.StatusBadRequest, "InvalidParameterException")
		if !strings.Contains(msg, "'"+host+"'") {
			t.Errorf("Host %q: message %q does not name it", host, msg)
		}
	}
	if jobs := srv.Jobs(testPool); len(jobs) != 0 {
		t.Errorf("the refused requests left %d jobs: %+v", len(jobs), jobs)
	}
	rr := newRaw(targetCreate, body)
	rr.Host = "localhost:9229"
	checkOK(t, send(t, srv, rr))
	if jobs := srv.Jobs(testPool); len(jobs) != 1 || !strings.HasPrefix(jobs[0].PreSignedURL, "http://localhost:9229/") {
		t.Errorf("jobs = %+v, want one whose URL names localhost:9229", jobs)
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

// TestSeedJobs: seeded jobs are named and ordered as documented, and jobs
// created later are newer.
func TestSeedJobs(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewTestServer(t, cognitoimporttest.WithUserPools(testPool))
	srv.SeedJobs(testPool, 3)
	createJob(t, newClient(srv), testPool, "created")
	jobs := srv.Jobs(testPool)
	var names []string
	for _, j := range jobs {
		names = append(names, j.JobName)
		if j.Status != "Created" || j.UserPoolID != testPool {
			t.Errorf("job %+v", j)
		}
	}
	if want := []string{"created", "seed-3", "seed-2", "seed-1"}; !slices.Equal(names, want) {
		t.Errorf("names newest first = %v, want %v", names, want)
	}
	for i := 1; i < len(jobs); i++ {
		if !jobs[i].CreationDate.Before(jobs[i-1].CreationDate) {
			t.Errorf("job %d created %v, not before job %d (%v)", i, jobs[i].CreationDate, i-1, jobs[i-1].CreationDate)
		}
	}
}
