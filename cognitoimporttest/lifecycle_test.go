package cognitoimporttest_test

import (
	"context"
	"encoding/xml"
	"io"
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

// sampleFile is the guide's sample users file.
const sampleFile = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

var clockStart = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// importEnv is a server on a fake clock with a client of it.
type importEnv struct {
	t      *testing.T
	clock  *cognitoimporttest.Clock
	srv    *cognitoimporttest.Server
	client *cognitoidentityprovider.Client
}

func newImportEnv(t *testing.T, opts ...cognitoimporttest.Option) *importEnv {
	t.Helper()
	clock := cognitoimporttest.NewClock(clockStart)
	opts = append([]cognitoimporttest.Option{cognitoimporttest.WithClock(clock.Now)}, opts...)
	srv := newServer(t, opts...)
	return &importEnv{t: t, clock: clock, srv: srv, client: newClient(srv)}
}

func (e *importEnv) create(pool string) *types.UserImportJobType {
	e.t.Helper()
	return createJob(e.t, e.client, pool, "lifecycle")
}

func (e *importEnv) describe(pool, jobID string) *types.UserImportJobType {
	e.t.Helper()
	out, err := e.client.DescribeUserImportJob(context.Background(), &cognitoidentityprovider.DescribeUserImportJobInput{
		UserPoolId: aws.String(pool), JobId: aws.String(jobID),
	})
	if err != nil {
		e.t.Fatalf("DescribeUserImportJob(%s): %v", jobID, err)
	}
	return out.UserImportJob
}

func (e *importEnv) start(pool, jobID string) (*types.UserImportJobType, error) {
	out, err := e.client.StartUserImportJob(context.Background(), &cognitoidentityprovider.StartUserImportJobInput{
		UserPoolId: aws.String(pool), JobId: aws.String(jobID),
	})
	if err != nil {
		return nil, err
	}
	return out.UserImportJob, nil
}

func (e *importEnv) stop(pool, jobID string) (*types.UserImportJobType, error) {
	out, err := e.client.StopUserImportJob(context.Background(), &cognitoidentityprovider.StopUserImportJobInput{
		UserPoolId: aws.String(pool), JobId: aws.String(jobID),
	})
	if err != nil {
		return nil, err
	}
	return out.UserImportJob, nil
}

// mustUpload uploads body to the job's URL as curl -T does, and fails the
// test unless it succeeds.
func (e *importEnv) mustUpload(job *types.UserImportJobType, body string) {
	e.t.Helper()
	if resp := putFile(e.t, aws.ToString(job.PreSignedUrl), body, sseHeader); resp.status != http.StatusOK {
		e.t.Fatalf("upload: status %d, body %s", resp.status, resp.body)
	}
}

// runJob creates a job, uploads body and starts it.
func (e *importEnv) runJob(pool, body string) string {
	e.t.Helper()
	job := e.create(pool)
	e.mustUpload(job, body)
	if _, err := e.start(pool, aws.ToString(job.JobId)); err != nil {
		e.t.Fatalf("StartUserImportJob: %v", err)
	}
	return aws.ToString(job.JobId)
}

var sseHeader = http.Header{"X-Amz-Server-Side-Encryption": {"aws:kms"}}

type s3Response struct {
	status int
	header http.Header
	body   []byte
}

// putFile sends body to rawURL as `curl -T file -H ... URL` does: a PUT
// with a Content-Length, the given headers and no Content-Type.
func putFile(t testing.TB, rawURL, body string, header http.Header) s3Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	return doS3(t, req)
}

func doS3(t testing.TB, req *http.Request) s3Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	return s3Response{resp.StatusCode, resp.Header, b}
}

// checkS3Error checks an S3 XML error.
func checkS3Error(t testing.TB, resp s3Response, status int, code, message string) {
	t.Helper()
	if resp.status != status {
		t.Errorf("status = %d, want %d (body %s)", resp.status, status, resp.body)
	}
	var e struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(resp.body, &e); err != nil {
		t.Fatalf("body %q is not an S3 error: %v", resp.body, err)
	}
	if e.Code != code || (message != "" && e.Message != message) {
		t.Errorf("error = %s %q, want %s %q", e.Code, e.Message, code, message)
	}
	if e.RequestID == "" || e.RequestID != resp.header.Get("X-Amz-Request-Id") {
		t.Errorf("RequestId = %q, header x-amz-request-id = %q", e.RequestID, resp.header.Get("X-Amz-Request-Id"))
	}
}

func TestGetCSVHeader(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: "us-east-1_Custom", CustomAttributes: []string{"dept", "custom:team"},
	}))
	client := newClient(srv)
	def := []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
		"website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
		"phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username"}
	custom := slices.Concat(def[:19], []string{"custom:dept", "custom:team"}, def[19:])
	for pool, want := range map[string][]string{testPool: def, "us-east-1_Custom": custom} {
		out, err := client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(pool)})
		if err != nil {
			t.Fatalf("GetCSVHeader(%s): %v", pool, err)
		}
		if !slices.Equal(out.CSVHeader, want) || aws.ToString(out.UserPoolId) != pool {
			t.Errorf("GetCSVHeader(%s) = %s %q, want %q", pool, aws.ToString(out.UserPoolId), out.CSVHeader, want)
		}
	}
	_, err := client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String("us-east-1_Nope")})
	apiError(t, err, "ResourceNotFoundException")
	_, err = client.GetCSVHeader(context.Background(), &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String("bad pool")}, noRetry)
	apiError(t, err, "InvalidParameterException")
}

func TestDescribeUserPool(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{
		ID: "us-east-1_Custom", Name: "staff", CustomAttributes: []string{"dept"},
		RequiredAttributes:     []string{"family_name", "custom:dept"},
		AutoVerifiedAttributes: []string{"email", "phone_number"}, MFA: cognitoimporttest.MFAOptional,
	}))
	client := newClient(srv)
	srv.AddUser("us-east-1_Custom", cognitoimporttest.User{Username: "existing"})

	out, err := client.DescribeUserPool(context.Background(), &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_Custom")})
	if err != nil {
		t.Fatal(err)
	}
	p := out.UserPool
	if aws.ToString(p.Id) != "us-east-1_Custom" || aws.ToString(p.Name) != "staff" || p.MfaConfiguration != types.UserPoolMfaTypeOptional || p.EstimatedNumberOfUsers != 1 {
		t.Errorf("pool = %s %s %s %d", aws.ToString(p.Id), aws.ToString(p.Name), p.MfaConfiguration, p.EstimatedNumberOfUsers)
	}
	if !slices.Equal(p.AutoVerifiedAttributes, []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber}) {
		t.Errorf("AutoVerifiedAttributes = %v", p.AutoVerifiedAttributes)
	}
	required := map[string]bool{}
	names := map[string]types.SchemaAttributeType{}
	for _, a := range p.SchemaAttributes {
		names[aws.ToString(a.Name)] = a
		if aws.ToBool(a.Required) {
			required[aws.ToString(a.Name)] = true
		}
	}
	if want := map[string]bool{"sub": true, "family_name": true, "custom:dept": true}; !mapsEqual(required, want) {
		t.Errorf("required = %v, want %v", required, want)
	}
	for _, n := range []string{"email", "email_verified", "phone_number", "birthdate", "updated_at", "custom:dept"} {
		if _, ok := names[n]; !ok {
			t.Errorf("schema lacks %s", n)
		}
	}
	if names["email_verified"].AttributeDataType != types.AttributeDataTypeBoolean || names["updated_at"].AttributeDataType != types.AttributeDataTypeNumber {
		t.Errorf("data types: %v %v", names["email_verified"].AttributeDataType, names["updated_at"].AttributeDataType)
	}

	def, err := client.DescribeUserPool(context.Background(), &cognitoidentityprovider.DescribeUserPoolInput{UserPoolId: aws.String(testPool)})
	if err != nil {
		t.Fatal(err)
	}
	if def.UserPool.MfaConfiguration != types.UserPoolMfaTypeOff || !slices.Equal(def.UserPool.AutoVerifiedAttributes, []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}) {
		t.Errorf("default pool: MFA %s, auto-verified %v", def.UserPool.MfaConfiguration, def.UserPool.AutoVerifiedAttributes)
	}
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestImportRuns drives a whole import on the fake clock: Created, Pending,
// InProgress with growing counts, Succeeded.
func TestImportRuns(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
	job := e.create(testPool)
	id := aws.ToString(job.JobId)
	if job.Status != types.UserImportJobStatusTypeCreated {
		t.Fatalf("created: %s", job.Status)
	}
	e.mustUpload(job, sampleFile)
	started, err := e.start(testPool, id)
	if err != nil {
		t.Fatal(err)
	}
	if started.Status != types.UserImportJobStatusTypePending || !aws.ToTime(started.StartDate).Equal(clockStart) {
		t.Errorf("started: %s at %v", started.Status, started.StartDate)
	}
	e.clock.Advance(1500 * time.Millisecond)
	mid := e.describe(testPool, id)
	if mid.Status != types.UserImportJobStatusTypeInProgress || mid.ImportedUsers != 1 {
		t.Errorf("after 1.5 s: %s, %d imported", mid.Status, mid.ImportedUsers)
	}
	e.clock.Advance(time.Second)
	done := e.describe(testPool, id)
	if done.Status != types.UserImportJobStatusTypeSucceeded || done.ImportedUsers != 2 || done.FailedUsers != 0 ||
		aws.ToString(done.CompletionMessage) != "Import Job Completed Successfully." ||
		!aws.ToTime(done.CompletionDate).Equal(clockStart.Add(2*time.Second)) {
		t.Errorf("done: %s, %d imported, %q at %v", done.Status, done.ImportedUsers, aws.ToString(done.CompletionMessage), done.CompletionDate)
	}
	users := e.srv.Users(testPool)
	if len(users) != 2 || users[0].Username != "John" || users[1].Username != "Jane" || users[0].Status != "RESET_REQUIRED" {
		t.Errorf("users = %+v", users)
	}
	// A finished job is no longer active: another one can start.
	e.runJob(testPool, sampleFile)
}

func TestStartRefusals(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithUserPools("us-east-1_Other"))
	job := e.create(testPool)
	id := aws.ToString(job.JobId)

	_, err := e.start(testPool, id)
	if apiErr := apiError(t, err, "PreconditionNotMetException"); apiErr.ErrorMessage() != "No csv file was uploaded for "+id {
		t.Errorf("message = %q", apiErr.ErrorMessage())
	}
	_, err = e.start(testPool, "import-Unknown1234")
	apiError(t, err, "ResourceNotFoundException")
	_, err = e.start("us-east-1_Nope", id)
	apiError(t, err, "ResourceNotFoundException")

	e.mustUpload(job, sampleFile)
	if _, err := e.start(testPool, id); err != nil {
		t.Fatal(err)
	}
	// Started already.
	_, err = e.start(testPool, id)
	if msg := apiError(t, err, "InvalidParameterException").ErrorMessage(); !strings.Contains(msg, id) || !strings.Contains(msg, "Pending") {
		t.Errorf("message = %q", msg)
	}
	// One active job per server, whatever the pool.
	other := e.create("us-east-1_Other")
	e.mustUpload(other, sampleFile)
	_, err = e.start("us-east-1_Other", aws.ToString(other.JobId))
	if msg := apiError(t, err, "PreconditionNotMetException").ErrorMessage(); !strings.Contains(msg, id) {
		t.Errorf("message = %q", msg)
	}
	// Once the first ends, the second can start; the first cannot again.
	e.clock.Advance(time.Second)
	if _, err := e.start("us-east-1_Other", aws.ToString(other.JobId)); err != nil {
		t.Errorf("second job after the first ended: %v", err)
	}
	_, err = e.start(testPool, id)
	apiError(t, err, "InvalidParameterException")
}

func TestStartNoAutoVerifiedAttributes(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: "us-east-1_NoVerify", AutoVerifiedAttributes: []string{}}))
	job := e.create("us-east-1_NoVerify")
	e.mustUpload(job, sampleFile)
	_, err := e.start("us-east-1_NoVerify", aws.ToString(job.JobId))
	apiError(t, err, "PreconditionNotMetException")
}

func TestStop(t *testing.T) {
	t.Parallel()
	file := sampleFile
	t.Run("pending", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
		id := e.runJob(testPool, file)
		j, err := e.stop(testPool, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != types.UserImportJobStatusTypeStopped || aws.ToString(j.CompletionMessage) != "The Import Job was stopped by the developer." || j.ImportedUsers != 0 {
			t.Errorf("stopped: %s %q %d", j.Status, aws.ToString(j.CompletionMessage), j.ImportedUsers)
		}
		_, err = e.start(testPool, id)
		apiError(t, err, "InvalidParameterException")
		_, err = e.stop(testPool, id)
		apiError(t, err, "InvalidParameterException")
		if got := e.srv.Users(testPool); len(got) != 0 {
			t.Errorf("users = %v", got)
		}
	})
	t.Run("mid-row", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
		id := e.runJob(testPool, file)
		e.clock.Advance(500 * time.Millisecond)
		j, err := e.stop(testPool, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != types.UserImportJobStatusTypeStopping || j.ImportedUsers != 0 {
			t.Errorf("stop mid-row: %s, %d imported", j.Status, j.ImportedUsers)
		}
		e.clock.Advance(500 * time.Millisecond)
		j = e.describe(testPool, id)
		if j.Status != types.UserImportJobStatusTypeStopped || j.ImportedUsers != 1 ||
			!aws.ToTime(j.CompletionDate).Equal(clockStart.Add(time.Second)) {
			t.Errorf("after the row: %s, %d imported at %v", j.Status, j.ImportedUsers, j.CompletionDate)
		}
		e.clock.Advance(time.Hour)
		if j := e.describe(testPool, id); j.ImportedUsers != 1 || j.Status != types.UserImportJobStatusTypeStopped {
			t.Errorf("an hour later: %s, %d", j.Status, j.ImportedUsers)
		}
	})
	t.Run("between rows", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t, cognitoimporttest.WithImportRate(1))
		id := e.runJob(testPool, file)
		e.clock.Advance(time.Second)
		j, err := e.stop(testPool, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != types.UserImportJobStatusTypeStopped || j.ImportedUsers != 1 {
			t.Errorf("stop between rows: %s, %d imported", j.Status, j.ImportedUsers)
		}
	})
	t.Run("created", func(t *testing.T) {
		t.Parallel()
		e := newImportEnv(t)
		job := e.create(testPool)
		_, err := e.stop(testPool, aws.ToString(job.JobId))
		if msg := apiError(t, err, "InvalidParameterException").ErrorMessage(); !strings.Contains(msg, "Created") {
			t.Errorf("message = %q", msg)
		}
	})
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	id := aws.ToString(job.JobId)
	e.mustUpload(job, sampleFile)
	e.clock.Advance(24*time.Hour - time.Millisecond)
	if j := e.describe(testPool, id); j.Status != types.UserImportJobStatusTypeCreated {
		t.Errorf("just before 24 h: %s", j.Status)
	}
	e.clock.Advance(time.Millisecond)
	j := e.describe(testPool, id)
	if j.Status != types.UserImportJobStatusTypeExpired || aws.ToString(j.CompletionMessage) != "The user import job has expired." {
		t.Errorf("after 24 h: %s %q", j.Status, aws.ToString(j.CompletionMessage))
	}
	_, err := e.start(testPool, id)
	apiError(t, err, "InvalidParameterException")
	if jobs := e.srv.Jobs(testPool); jobs[0].Status != cognitoimporttest.StatusExpired {
		t.Errorf("Jobs: %s", jobs[0].Status)
	}
}

func TestUpload(t *testing.T) {
	t.Parallel()
	e := newImportEnv(t)
	job := e.create(testPool)
	raw := aws.ToString(job.PreSignedUrl)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("X-Amz-Expires") != "899" || q.Get("X-Amz-SignedHeaders") != "host;x-amz-server-side-encryption" ||
		q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-Security-Token") == "" || q.Get("X-Amz-Signature") == "" ||
		!strings.HasSuffix(u.Path, "/"+testPool+"/"+aws.ToString(job.JobId)) || u.Host != strings.TrimPrefix(e.srv.URL, "http://") {
		t.Errorf("URL = %s", raw)
	}

	checkS3Error(t, putFile(t, raw, sampleFile, nil), 403, "SignatureDoesNotMatch", "")
	checkS3Error(t, putFile(t, raw, sampleFile, http.Header{"X-Amz-Server-Side-Encryption": {"AES256"}}), 403, "SignatureDoesNotMatch", "")
	tampered := strings.Replace(raw, "X-Amz-Signature=", "X-Amz-Signature=0", 1)
	checkS3Error(t, putFile(t, tampered, sampleFile, sseHeader), 403, "SignatureDoesNotMatch", "")
	other := strings.Replace(raw, aws.ToString(job.JobId), "import-Other12345", 1)
	checkS3Error(t, putFile(t, other, sampleFile, sseHeader), 403, "SignatureDoesNotMatch", "")
	longer := strings.Replace(raw, "X-Amz-Expires=899", "X-Amz-Expires=3600", 1)
	checkS3Error(t, putFile(t, longer, sampleFile, sseHeader), 403, "SignatureDoesNotMatch", "")

	// Chunked: no Content-Length.
	req, _ := http.NewRequest(http.MethodPut, raw, io.MultiReader(strings.NewReader(sampleFile)))
	req.Header = sseHeader.Clone()
	checkS3Error(t, doS3(t, req), 411, "MissingContentLength", "")

	// Too large: refused from its Content-Length, before it is read.
	req, _ = http.NewRequest(http.MethodPut, raw, io.LimitReader(zeros{}, cognitoimporttest.MaxFileBytes+1))
	req.ContentLength = cognitoimporttest.MaxFileBytes + 1
	req.Header = sseHeader.Clone()
	checkS3Error(t, doS3(t, req), 400, "EntityTooLarge", "")

	// The documented command's request succeeds; a second one replaces
	// the first before the start.
	resp := putFile(t, raw, "replaced", sseHeader)
	if resp.status != 200 || len(resp.body) != 0 || resp.header.Get("X-Amz-Server-Side-Encryption") != "aws:kms" {
		t.Errorf("upload: %d %q %v", resp.status, resp.body, resp.header)
	}
	e.mustUpload(job, sampleFile)
	if _, err := e.start(testPool, aws.ToString(job.JobId)); err != nil {
		t.Fatal(err)
	}
	checkS3Error(t, putFile(t, raw, sampleFile, sseHeader), 403, "AccessDenied", "Access Denied")
	e.clock.Advance(time.Second)
	if j := e.describe(testPool, aws.ToString(job.JobId)); j.ImportedUsers != 2 {
		t.Errorf("the second upload did not replace the first: %d imported", j.ImportedUsers)
	}

	// Expired by the server's clock.
	late := e.create(testPool)
	e.clock.Advance(900 * time.Second)
	checkS3Error(t, putFile(t, aws.ToString(late.PreSignedUrl), sampleFile, sseHeader), 403, "AccessDenied", "Request has expired")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
