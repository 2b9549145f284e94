package cognitoimport_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

func TestNewPanicsOnNilAPI(t *testing.T) {
	t.Parallel()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("New(nil) did not panic")
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, "nil API") {
			t.Errorf("New(nil) panicked with %q, want a message about the nil API", msg)
		}
	}()
	cognitoimport.New(nil)
}

func TestNewFromConfig(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := cognitoimport.NewFromConfig(srv.Config())
	job, err := client.CreateJob(t.Context(), validCreateInput("from-config"))
	if err != nil {
		t.Fatal(err)
	}
	if job.JobName != "from-config" {
		t.Errorf("JobName = %q, want %q", job.JobName, "from-config")
	}

	// NewFromConfig's optFns reach the SDK client: with wrong credentials
	// set there, the server refuses every call.
	wrong := srv.Credentials()
	wrong.AccessKeyID = "AKIDSOMEONEELSE"
	bad := cognitoimport.NewFromConfig(srv.Config(), withCredentials(wrong))
	_, err = bad.ListJobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})
	if se := as[*cognitoimport.ServiceError](t, err); se.Code != "UnrecognizedClientException" {
		t.Errorf("with wrong credentials from NewFromConfig's optFns: code %q, want UnrecognizedClientException", se.Code)
	}
}

// TestPerCallOptions proves that every method passes its optFns to the SDK:
// credentials the server does not know, set for one call, fail that call
// alone.
func TestPerCallOptions(t *testing.T) {
	t.Parallel()
	wrong := aws.Credentials{AccessKeyID: "AKIDSOMEONEELSE", SecretAccessKey: "secret"}
	in := cognitoimport.ListJobsInput{UserPoolID: testPool}
	calls := []struct {
		name string
		op   cognitoimporttest.Operation
		call func(context.Context, *cognitoimport.Client, ...func(*cognitoidentityprovider.Options)) error
	}{
		{"CreateJob", createOp, func(ctx context.Context, c *cognitoimport.Client, o ...func(*cognitoidentityprovider.Options)) error {
			_, err := c.CreateJob(ctx, validCreateInput("job"), o...)
			return err
		}},
		{"ListJobs", listOp, func(ctx context.Context, c *cognitoimport.Client, o ...func(*cognitoidentityprovider.Options)) error {
			_, err := c.ListJobs(ctx, in, o...)
			return err
		}},
		{"Jobs", listOp, func(ctx context.Context, c *cognitoimport.Client, o ...func(*cognitoidentityprovider.Options)) error {
			for _, err := range c.Jobs(ctx, in, o...) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"Pages", listOp, func(ctx context.Context, c *cognitoimport.Client, o ...func(*cognitoidentityprovider.Options)) error {
			for _, err := range c.Pages(ctx, in, o...) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.SeedJobs(testPool, 3)
			client := newClient(srv)
			err := c.call(t.Context(), client, withCredentials(wrong))
			if se := as[*cognitoimport.ServiceError](t, err); se.Code != "UnrecognizedClientException" {
				t.Errorf("with wrong credentials for the call: code %q, want UnrecognizedClientException", se.Code)
			}
			if err := c.call(t.Context(), client); err != nil {
				t.Errorf("the next call, without the option: %v", err)
			}
			checkRequests(t, srv, c.op, 2)
		})
	}
}

// TestClientConcurrentUse shares one Client between goroutines that create
// and list jobs at once; run it with -race.
func TestClientConcurrentUse(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SeedJobs(testPool, 10)
	client := newClient(srv)
	// Eight goroutines at once; three jobs each, with a listing of a few
	// pages after each, keep listings and creates overlapping without a
	// pile of requests that prove nothing more (five jobs each, four to a
	// page, made 400 requests).
	const workers, jobsEach = 8, 3

	var wg sync.WaitGroup
	created := make([][]string, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobsEach {
				job, err := client.CreateJob(t.Context(), validCreateInput(fmt.Sprintf("worker-%d-job-%d", w, i)))
				if err != nil {
					t.Errorf("worker %d: CreateJob: %v", w, err)
					return
				}
				created[w] = append(created[w], job.JobID)

				// A listing that starts after a job was created
				// holds it, whatever the other workers do meanwhile.
				var listed []string
				for job, err := range client.Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool, MaxResults: 10}) {
					if err != nil {
						t.Errorf("worker %d: Jobs: %v", w, err)
						return
					}
					listed = append(listed, job.JobID)
				}
				for _, id := range created[w] {
					if !slices.Contains(listed, id) {
						t.Errorf("worker %d: the listing misses its job %s", w, id)
					}
				}
			}
		}()
	}
	wg.Wait()

	all := serverJobIDs(srv, testPool)
	if len(all) != 10+workers*jobsEach {
		t.Errorf("the server holds %d jobs, want %d", len(all), 10+workers*jobsEach)
	}
	seen := make(map[string]bool)
	for _, ids := range created {
		for _, id := range ids {
			if seen[id] {
				t.Errorf("job ID %s returned twice", id)
			}
			seen[id] = true
			if !slices.Contains(all, id) {
				t.Errorf("job %s is not on the server", id)
			}
		}
	}
	if len(seen) != workers*jobsEach {
		t.Errorf("%d jobs created, want %d", len(seen), workers*jobsEach)
	}
	jobs, err := splitItems(t, collect(client.Jobs(t.Context(), cognitoimport.ListJobsInput{UserPoolID: testPool})))
	if err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "the final listing", jobIDs(jobs), all)
}

// wrappedSDK is the kind of wrapper client.go's doc suggests: a struct that
// embeds the SDK client to override some of its calls.
type wrappedSDK struct {
	*cognitoidentityprovider.Client
}

// TestNewTakesHTTPClientOfWrappedSDK: New takes the upload's HTTP client
// from any API with the SDK client's Options method, a wrapper that embeds
// it included, so that a wrapper does not upload through a new http.Client.
// A nil SDK client, bare or embedded, does not make New panic.
func TestNewTakesHTTPClientOfWrappedSDK(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	cfg := srv.Config()
	sdkHC := &countingClient{hc: cfg.HTTPClient}
	cfg.HTTPClient = sdkHC
	client := cognitoimport.New(wrappedSDK{cognitoidentityprovider.NewFromConfig(cfg)})
	job := createJob(t, client, "job")
	puts := sdkHC.count(http.MethodPut)
	if err := client.Upload(t.Context(), cognitoimport.UploadInput{URL: job.PreSignedURL, Body: strings.NewReader(sampleFile)}); err != nil {
		t.Fatal(err)
	}
	if n := sdkHC.count(http.MethodPut) - puts; n != 1 {
		t.Errorf("the wrapped SDK client's HTTP client sent %d PUTs, want 1", n)
	}
	_ = cognitoimport.New(wrappedSDK{})
	_ = cognitoimport.New((*cognitoidentityprovider.Client)(nil))
}
