package cognitoimport_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestCreateJob(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv)
	before := time.Now().Truncate(time.Millisecond)
	job, err := client.CreateJob(t.Context(), cognitoimport.CreateJobInput{
		UserPoolID:            testPool,
		JobName:               "nightly import",
		CloudWatchLogsRoleARN: testRoleARN,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRequests(t, srv, createOp, 1)
	stored := srv.Jobs(testPool)
	if len(stored) != 1 {
		t.Fatalf("the server holds %d jobs, want 1", len(stored))
	}
	want := stored[0]
	for _, f := range []struct{ name, got, want string }{
		{"JobID", job.JobID, want.JobID},
		{"JobName", job.JobName, "nightly import"},
		{"UserPoolID", job.UserPoolID, testPool},
		{"CloudWatchLogsRoleARN", job.CloudWatchLogsRoleARN, testRoleARN},
		{"PreSignedURL", string(job.PreSignedURL), want.PreSignedURL},
		{"Status", string(job.Status), "Created"},
		{"CompletionMessage", job.CompletionMessage, ""},
	} {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if job.JobID == "" || job.PreSignedURL == "" {
		t.Errorf("JobID %q, PreSignedURL %q: want both set", job.JobID, job.PreSignedURL)
	}
	if job.Status != cognitoimport.StatusCreated {
		t.Errorf("Status = %q, want StatusCreated", job.Status)
	}
	if job.CreationDate.IsZero() || !job.CreationDate.Equal(want.CreationDate) || job.CreationDate.Before(before) {
		t.Errorf("CreationDate = %v, want the server's %v, not before %v", job.CreationDate, want.CreationDate, before)
	}
	if !job.StartDate.IsZero() || !job.CompletionDate.IsZero() {
		t.Errorf("StartDate %v, CompletionDate %v: want both zero on a new job", job.StartDate, job.CompletionDate)
	}
	if job.ImportedUsers != 0 || job.SkippedUsers != 0 || job.FailedUsers != 0 {
		t.Errorf("counters %d, %d, %d: want 0 on a new job", job.ImportedUsers, job.SkippedUsers, job.FailedUsers)
	}

	// The listing returns the same job.
	out, err := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Jobs) != 1 {
		t.Fatalf("ListJobs returned %d jobs, want 1", len(out.Jobs))
	}
	if listed := out.Jobs[0]; listed != *job {
		t.Errorf("ListJobs returned\n%+v\nwant\n%+v", listed, *job)
	}
}

// TestJobsReadServerChanges moves a job along with SetJob and reads it back
// through ListJobs and Jobs.
func TestJobsReadServerChanges(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(srv)
	created := createJob(t, client, "import")
	stored := srv.Jobs(testPool)[0]

	start := time.Date(2024, 11, 8, 23, 16, 18, 676e6, time.UTC)
	end := start.Add(90*time.Minute + 471*time.Millisecond)
	steps := []struct {
		name string
		set  func(*cognitoimporttest.Job)
		want func(*cognitoimport.Job)
	}{
		{"InProgress", func(j *cognitoimporttest.Job) {
			j.Status = "InProgress"
			j.StartDate = start
			j.ImportedUsers = 3
		}, func(j *cognitoimport.Job) {
			j.Status = cognitoimport.StatusInProgress
			j.StartDate = start
			j.ImportedUsers = 3
		}},
		{"Succeeded", func(j *cognitoimporttest.Job) {
			j.Status = "Succeeded"
			j.CompletionDate = end
			j.CompletionMessage = "Import Job Completed Successfully."
			j.ImportedUsers, j.SkippedUsers, j.FailedUsers = 1000, 20, 3
		}, func(j *cognitoimport.Job) {
			j.Status = cognitoimport.StatusSucceeded
			j.CompletionDate = end
			j.CompletionMessage = "Import Job Completed Successfully."
			j.ImportedUsers, j.SkippedUsers, j.FailedUsers = 1000, 20, 3
		}},
		// A status this package does not know passes through.
		{"unknown status", func(j *cognitoimporttest.Job) {
			j.Status = "Archived"
		}, func(j *cognitoimport.Job) {
			j.Status = "Archived"
		}},
	}
	want := *created
	for _, step := range steps {
		step.set(&stored)
		srv.SetJob(stored)
		step.want(&want)

		out, err := client.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})
		if err != nil {
			t.Fatalf("%s: ListJobs: %v", step.name, err)
		}
		if len(out.Jobs) != 1 || out.Jobs[0] != want {
			t.Errorf("%s: ListJobs returned\n%+v\nwant\n%+v", step.name, out.Jobs, want)
		}
		jobs, err := splitItems(t, collect(client.Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})))
		if err != nil {
			t.Fatalf("%s: Jobs: %v", step.name, err)
		}
		if len(jobs) != 1 || jobs[0] != want {
			t.Errorf("%s: Jobs returned\n%+v\nwant\n%+v", step.name, jobs, want)
		}
	}
	if want.Status.Terminal() {
		t.Errorf("the unknown status %q is terminal", want.Status)
	}
}

func TestStatusTerminal(t *testing.T) {
	t.Parallel()
	for status, want := range map[cognitoimport.Status]bool{
		cognitoimport.StatusCreated:    false,
		cognitoimport.StatusPending:    false,
		cognitoimport.StatusInProgress: false,
		cognitoimport.StatusStopping:   false,
		cognitoimport.StatusExpired:    true,
		cognitoimport.StatusStopped:    true,
		cognitoimport.StatusFailed:     true,
		cognitoimport.StatusSucceeded:  true,
		"Archived":                     false,
		"succeeded":                    false,
		"":                             false,
	} {
		if got := status.Terminal(); got != want {
			t.Errorf("Status(%q).Terminal() = %v, want %v", status, got, want)
		}
	}
	// The constants are spelled as the service spells them.
	for status, wire := range map[cognitoimport.Status]string{
		cognitoimport.StatusCreated: "Created", cognitoimport.StatusPending: "Pending",
		cognitoimport.StatusInProgress: "InProgress", cognitoimport.StatusStopping: "Stopping",
		cognitoimport.StatusExpired: "Expired", cognitoimport.StatusStopped: "Stopped",
		cognitoimport.StatusFailed: "Failed", cognitoimport.StatusSucceeded: "Succeeded",
	} {
		if string(status) != wire {
			t.Errorf("status %q, want %q", status, wire)
		}
	}
}

// TestCreateJobMissingJob uses a fake API: the server always returns a job.
func TestCreateJobMissingJob(t *testing.T) {
	t.Parallel()
	client := cognitoimport.New(emptyCreateAPI{})
	job, err := client.CreateJob(t.Context(), validCreateInput("job"))
	if !errors.Is(err, cognitoimport.ErrMissingJob) || job != nil {
		t.Fatalf("CreateJob = %v, %v; want nil, ErrMissingJob", job, err)
	}
}

// emptyCreateAPI answers CreateUserImportJob with no job.
type emptyCreateAPI struct{ cognitoimport.API }

func (emptyCreateAPI) ListUserImportJobs(context.Context, *cognitoidentityprovider.ListUserImportJobsInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.ListUserImportJobsOutput, error) {
	return nil, errors.New("emptyCreateAPI: ListUserImportJobs is not implemented")
}

func (emptyCreateAPI) CreateUserImportJob(context.Context, *cognitoidentityprovider.CreateUserImportJobInput, ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.CreateUserImportJobOutput, error) {
	return &cognitoidentityprovider.CreateUserImportJobOutput{}, nil
}

func TestSecretURLString(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                                    "",
		"https://bucket.s3.amazonaws.com/key": "https://bucket.s3.amazonaws.com/key",
		"https://h/p?X-Amz-Signature=abc":     "https://h/p?REDACTED",
		"https://h/p#frag":                    "https://h/p#REDACTED",
		"https://h/p?a=1#frag":                "https://h/p?REDACTED",
		"?secret":                             "?REDACTED",
	} {
		if got := cognitoimport.SecretURL(in).String(); got != want {
			t.Errorf("SecretURL(%q).String() = %q, want %q", in, got, want)
		}
	}
}

// TestJobRedaction prints a job every way a program might, and checks that
// the pre-signed URL's credentials show up in none of them.
//
// One path does show them, and is left out here: a Job in an unexported
// struct field printed with fmt (fmt cannot call methods there), as the
// SecretURL documentation says.
func TestJobRedaction(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	job := *createJob(t, newClient(srv), "redaction")
	full := string(job.PreSignedURL)

	u, err := url.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	secrets := []string{"X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Credential", u.RawQuery}
	for _, k := range []string{"X-Amz-Signature", "X-Amz-Security-Token"} {
		v := q.Get(k)
		if v == "" {
			t.Fatalf("the pre-signed URL %q has no %s: the test cannot check its redaction", full, k)
		}
		secrets = append(secrets, v, url.QueryEscape(v))
	}

	type holder struct {
		Name string
		Job  cognitoimport.Job
	}
	logf := func(f func(*log.Logger)) string {
		var b bytes.Buffer
		f(log.New(&b, "", 0))
		return b.String()
	}
	slogf := func(h func(*bytes.Buffer) slog.Handler, args ...any) string {
		var b bytes.Buffer
		slog.New(h(&b)).Info("job created", args...)
		return b.String()
	}
	text := func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }
	jsonh := func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }

	// Through a variable, so that vet does not flag the verbs a program may
	// use on a Job by mistake: they are what is tested.
	sprintf := fmt.Sprintf
	outputs := map[string]string{
		"%v":  sprintf("%v", job),
		"%+v": sprintf("%+v", job),
		"%#v": sprintf("%#v", job),
		"%s":  sprintf("%s", job),
		"%q":  sprintf("%q", job),
		//lint:ignore SA5009 printing a Job with %d is the case under test
		"%d":                  sprintf("%d", job),
		"%x":                  sprintf("%x", job),
		"%X":                  sprintf("%X", job),
		"%-300v":              sprintf("%-300v", job),
		"String":              job.String(),
		"Sprint":              fmt.Sprint(job),
		"Sprintln":            fmt.Sprintln("job:", job),
		"pointer %v":          sprintf("%v", &job),
		"pointer %+v":         sprintf("%+v", &job),
		"pointer %s":          sprintf("%s", &job),
		"[]Job %v":            sprintf("%v", []cognitoimport.Job{job, job}),
		"[]Job %+v":           sprintf("%+v", []cognitoimport.Job{job}),
		"[]Job %#v":           sprintf("%#v", []cognitoimport.Job{job}),
		"[]Job %s":            sprintf("%s", []cognitoimport.Job{job}),
		"struct %v":           sprintf("%v", holder{"h", job}),
		"struct %+v":          sprintf("%+v", holder{"h", job}),
		"struct %#v":          sprintf("%#v", holder{"h", job}),
		"map %v":              sprintf("%v", map[string]cognitoimport.Job{"j": job}),
		"[]any %v":            sprintf("%v", []any{job}),
		"error %v":            fmt.Errorf("creating %v: %w", job, errors.New("x")).Error(),
		"log.Print":           logf(func(l *log.Logger) { l.Print(job) }),
		"log.Printf %+v":      logf(func(l *log.Logger) { l.Printf("%+v", job) }),
		"log.Println":         logf(func(l *log.Logger) { l.Println(job) }),
		"slog text":           slogf(text, slog.Any("job", job)),
		"slog text pointer":   slogf(text, slog.Any("job", &job)),
		"slog text key-value": slogf(text, "job", job),
		"slog text []Job":     slogf(text, slog.Any("jobs", []cognitoimport.Job{job})),
		"slog text struct":    slogf(text, slog.Any("holder", holder{"h", job})),
		"slog text group":     slogf(text, slog.Group("g", slog.Any("job", job))),
		"slog JSON":           slogf(jsonh, slog.Any("job", job)),
		"slog JSON pointer":   slogf(jsonh, slog.Any("job", &job)),
		"slog JSON key-value": slogf(jsonh, "job", job),
		"slog JSON group":     slogf(jsonh, slog.Group("g", slog.Any("job", job))),
		"slog JSON []Job":     slogf(jsonh, slog.Any("jobs", []cognitoimport.Job{job})),
		"slog JSON struct":    slogf(jsonh, slog.Any("holder", holder{"h", job})),
		"URL %v":              sprintf("%v", job.PreSignedURL),
		"URL %d":              sprintf("%d", job.PreSignedURL),
		"URL %#v":             sprintf("%#v", job.PreSignedURL),
		"URL slog JSON":       slogf(jsonh, "url", job.PreSignedURL),
		"URL slog text":       slogf(text, "url", job.PreSignedURL),
		"slog JSON map":       slogf(jsonh, slog.Any("m", map[string]*cognitoimport.Job{"j": &job})),
		"json.Marshal":        marshal(t, job),
		"json.Marshal struct": marshal(t, holder{"h", job}),
		"slog text with source": slogf(func(b *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(b, &slog.HandlerOptions{AddSource: true})
		}, slog.Any("job", job)),
	}
	for name, out := range outputs {
		decoded := out
		if strings.HasPrefix(name, "%x") || strings.HasPrefix(name, "%X") {
			decoded = decodeHexRuns(out)
		}
		for _, s := range secrets {
			if strings.Contains(decoded, s) {
				t.Errorf("%s shows %q:\n%s", name, s, out)
			}
		}
		// The job was printed: its ID and the redacted URL show.
		if !strings.Contains(decoded, job.JobID) || !strings.Contains(decoded, "REDACTED") {
			t.Errorf("%s does not show the job ID and the redacted URL:\n%s", name, out)
		}
	}
	if got := string(job.PreSignedURL); got != full || !strings.Contains(got, "X-Amz-Signature=") {
		t.Errorf("PreSignedURL = %q after printing, want the full URL %q", got, full)
	}
	if stored := srv.Jobs(testPool)[0].PreSignedURL; string(job.PreSignedURL) != stored {
		t.Errorf("PreSignedURL = %q, want the server's %q", string(job.PreSignedURL), stored)
	}
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decodeHexRuns replaces every run of hex digits in s by the bytes it
// encodes, so that %x output can be searched as text.
func decodeHexRuns(s string) string {
	var b strings.Builder
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isHex(s[j]) {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		run := s[i:j]
		if len(run)%2 == 0 {
			if d, err := hex.DecodeString(run); err == nil {
				b.Write(d)
				i = j
				continue
			}
		}
		b.WriteString(run)
		i = j
	}
	return b.String()
}

// TestJobEmbedded checks that a struct embedding a Job keeps its own fields
// when encoded: the redaction lives on the URL's type, so Job promotes no
// MarshalJSON that would hide them.
func TestJobEmbedded(t *testing.T) {
	t.Parallel()
	type tracked struct {
		cognitoimport.Job
		Owner string
	}
	v := tracked{Job: cognitoimport.Job{JobID: "import-abcdefghij", PreSignedURL: "https://h/p?X-Amz-Signature=s3cr3t"}, Owner: "ops"}
	var b bytes.Buffer
	slog.New(slog.NewJSONHandler(&b, nil)).Info("tracked", "job", v)
	for name, out := range map[string]string{"json.Marshal": marshal(t, v), "slog JSON": b.String()} {
		if !strings.Contains(out, "ops") || !strings.Contains(out, "import-abcdefghij") || strings.Contains(out, "s3cr3t") {
			t.Errorf("%s: %s", name, out)
		}
	}
}

// TestExponentTimestamps reads jobs from a server that writes dates in the
// exponent form the live service also uses (1.667864578676E9).
func TestExponentTimestamps(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cognitoimporttest.WithExponentTimestamps())
	client := newClient(srv)
	created := createJob(t, client, "exponent")
	want := srv.Jobs(testPool)[0].CreationDate
	if !created.CreationDate.Equal(want) {
		t.Errorf("CreateJob: CreationDate %v, want %v", created.CreationDate, want)
	}
	for job, err := range client.Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool}) {
		if err != nil {
			t.Fatal(err)
		}
		if !job.CreationDate.Equal(want) {
			t.Errorf("Jobs: CreationDate %v, want %v", job.CreationDate, want)
		}
	}
}
