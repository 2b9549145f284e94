package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
)

// mainEnv, when set in the environment, makes the test binary run main
// instead of the tests: TestSignals runs the command so, to send it signals.
const mainEnv = "COGNITOIMPORT_SERVER_RUN_MAIN"

// TestMain runs main when the test binary is started as the command.
func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main()
	}
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// shutdownTimeout bounds how long a test waits for the command to stop.
const shutdownTimeout = 10 * time.Second

// banner is what the command printed at start-up, read from its stdout.
type banner struct {
	fields  map[string]string // "endpoint", "region", ...: the value after the colon
	example string            // the example command
}

// readBanner reads the banner from r, up to and including the example
// command, then discards the rest of r in the background so that the command
// never blocks on writing.
func readBanner(t *testing.T, r io.Reader) banner {
	t.Helper()
	b := banner{fields: make(map[string]string)}
	sc := bufio.NewScanner(r)
	exampleNext := false
	for sc.Scan() {
		line := sc.Text()
		if exampleNext {
			b.example = strings.TrimSpace(line)
			go io.Copy(io.Discard, r)
			return b
		}
		if line == "example:" {
			exampleNext = true
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			b.fields[k] = strings.TrimSpace(v)
		}
	}
	t.Fatalf("the banner ended before the example command (read error: %v); got %v", sc.Err(), b.fields)
	return b
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// stall opens a connection to the server at endpoint and sends a request
// whose body stops after a few bytes of the 60,000 it declares. It returns
// once the server's handler is reading that body: the request carries
// "Expect: 100-continue", which the server answers when the handler starts
// to read. It closes the connection when the test ends.
func stall(t *testing.T, endpoint string) {
	t.Helper()
	addr := strings.TrimPrefix(endpoint, "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: "+addr+"\r\nContent-Length: 60000\r\nExpect: 100-continue\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	status, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.Contains(status, " 100 ") {
		t.Fatalf("the server answered %q, %v; want 100 Continue", status, err)
	}
	if _, err := io.WriteString(c, `{"UserPoolId":`); err != nil {
		t.Fatal(err)
	}
}

// client returns a client of the server at endpoint that signs with the
// given credentials and does not retry.
func client(t *testing.T, endpoint, region, keyID, secret string) *cognitoidentityprovider.Client {
	t.Helper()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)
	return cognitoidentityprovider.NewFromConfig(aws.Config{
		Region: region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}, nil
		}),
		BaseEndpoint:     aws.String(endpoint),
		HTTPClient:       bodyRaceClient{&http.Client{Transport: transport}},
		RetryMaxAttempts: 1,
	})
}

// bodyRaceClient hides the io.WriterTo method of request bodies from
// net/http, as the client of cognitoimporttest.Server.Config does (its doc
// tells the whole story): smithy-go closes a request body as soon as
// http.Client.Do returns, after which the body's WriteTo returns io.EOF;
// when the answer comes before net/http has finished with the body, as it
// easily does on loopback, net/http takes that for a failed write and closes
// the connection under the answer being read. The call then failed with
// "use of closed network connection" (TestStandaloneFlow, 2 runs in 18).
type bodyRaceClient struct{ *http.Client }

func (c bodyRaceClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		if _, ok := req.Body.(io.WriterTo); ok {
			req = req.Clone(req.Context())
			req.Body = struct{ io.ReadCloser }{req.Body}
		}
	}
	return c.Client.Do(req)
}

// TestRunServes starts the command in-process on a free port, calls it
// through the SDK with what the banner printed, then cancels its context and
// expects a prompt, clean exit.
func TestRunServes(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	var stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{
			"-addr", "127.0.0.1:0",
			"-region", "eu-west-1",
			"-pool", "eu-west-1_example", "-pool", "eu-west-1_other", "-pool", "eu-west-1_example",
			"-access-key-id", "AKIDCMDTEST",
			"-secret-access-key", "cmd/test/secret",
		}, stdoutW, &stderr)
		stdoutW.Close()
	}()

	b := readBanner(t, stdoutR)
	endpoint, region := b.fields["endpoint"], b.fields["region"]
	keyID, secret := b.fields["access key ID"], b.fields["secret access key"]
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || strings.HasSuffix(endpoint, ":0") {
		t.Fatalf("endpoint = %q, want http://127.0.0.1:<port>", endpoint)
	}
	for field, want := range map[string]string{
		"region":            "eu-west-1",
		"access key ID":     "AKIDCMDTEST",
		"secret access key": "cmd/test/secret",
		"user pools":        "eu-west-1_example eu-west-1_other",
	} {
		if got := b.fields[field]; got != want {
			t.Errorf("banner %s = %q, want %q", field, got, want)
		}
	}
	wantExample := "AWS_ACCESS_KEY_ID=AKIDCMDTEST AWS_SECRET_ACCESS_KEY=cmd/test/secret aws --endpoint-url " + endpoint +
		" --region eu-west-1 cognito-idp list-user-import-jobs --user-pool-id eu-west-1_example --max-results 10"
	if b.example != wantExample {
		t.Errorf("example command:\n got %s\nwant %s", b.example, wantExample)
	}

	c := client(t, endpoint, region, keyID, secret)
	created, err := c.CreateUserImportJob(ctx, &cognitoidentityprovider.CreateUserImportJobInput{
		UserPoolId:            aws.String("eu-west-1_other"),
		JobName:               aws.String("cmd test"),
		CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/CognitoImport"),
	})
	if err != nil {
		t.Fatalf("CreateUserImportJob: %v", err)
	}
	listed, err := c.ListUserImportJobs(ctx, &cognitoidentityprovider.ListUserImportJobsInput{
		UserPoolId: aws.String("eu-west-1_other"),
		MaxResults: aws.Int32(10),
	})
	if err != nil {
		t.Fatalf("ListUserImportJobs: %v", err)
	}
	if len(listed.UserImportJobs) != 1 || aws.ToString(listed.UserImportJobs[0].JobId) != aws.ToString(created.UserImportJob.JobId) {
		t.Errorf("ListUserImportJobs returned %d jobs, want the one created (%s)", len(listed.UserImportJobs), aws.ToString(created.UserImportJob.JobId))
	}

	// The server accepts the printed credentials only.
	_, err = client(t, endpoint, region, keyID, "wrong").ListUserImportJobs(ctx, &cognitoidentityprovider.ListUserImportJobsInput{
		UserPoolId: aws.String("eu-west-1_example"),
		MaxResults: aws.Int32(10),
	})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("with a wrong secret, err = %v, want InvalidSignatureException", err)
	}

	// A client that stalls in the middle of its body cannot hold the
	// shutdown for more than the server's grace of a second.
	stall(t, endpoint)
	cancel()
	select {
	case got := <-code:
		if got != 0 {
			t.Errorf("run returned %d after cancel, want 0; stderr:\n%s", got, stderr.String())
		}
	case <-time.After(shutdownTimeout):
		t.Fatalf("run did not return within %v of cancel", shutdownTimeout)
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("stderr = %q, want a shutdown message", stderr.String())
	}
	// Whether the port still answers is not checked: other tests, in this
	// process or others, may be given the freed port at once.
}

// TestRunRejects runs the command with bad command lines and expects an exit
// status and a message, and no banner (nor a panic, which would end the test
// binary).
func TestRunRejects(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  []string // substrings of stderr
	}{
		{"unknown flag", []string{"-nosuch"}, 2, []string{"flag provided but not defined: -nosuch", "Usage:"}},
		{"argument", []string{"serve"}, 2, []string{`unexpected argument "serve"`, "Usage:"}},
		{"pool without separator", []string{"-pool", "nopool"}, 2, []string{`invalid value "nopool" for flag -pool: not a user pool ID: UserPoolId must match [\w-]+_[0-9a-zA-Z]+ in full, such as us-east-1_AbC123; "nopool" does not`}},
		{"pool with space", []string{"-pool", "us-east-1_ok", "-pool", " us-east-1_x"}, 2, []string{`invalid value " us-east-1_x" for flag -pool`}},
		{"empty pool", []string{"-pool", ""}, 2, []string{`invalid value "" for flag -pool: not a user pool ID: UserPoolId is required`}},
		{"long pool", []string{"-pool", "us-east-1_" + strings.Repeat("a", 46)}, 2, []string{"UserPoolId must be at most 55 characters long (has 56)"}},
		{"pool flag without value", []string{"-pool"}, 2, []string{"flag needs an argument: -pool"}},
		{"empty key ID", []string{"-access-key-id", ""}, 2, []string{`invalid value "" for flag -access-key-id`}},
		{"key ID with slash", []string{"-access-key-id", "AKID/X"}, 2, []string{`invalid value "AKID/X" for flag -access-key-id`}},
		{"empty secret", []string{"-secret-access-key", ""}, 2, []string{`invalid value "" for flag -secret-access-key`}},
		{"empty region", []string{"-region", ""}, 2, []string{`invalid value "" for flag -region`}},
		{"no upload memory", []string{"-max-upload-mib", "0"}, 2, []string{`invalid value 0 for flag -max-upload-mib: must be positive`}},
		{"bad address", []string{"-addr", "not an address"}, 1, []string{name + ": listen tcp"}},
		{"bad port", []string{"-addr", "127.0.0.1:99999"}, 1, []string{name + ": listen tcp", "invalid port"}},
		{"address in use", []string{"-addr", busy.Addr().String(), "-pool", "us-east-1_example"}, 1, []string{name + ": listen tcp " + busy.Addr().String()}},
		{"help", []string{"-h"}, 0, []string{"Usage:", "-pool id", "repeatable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A command line that wrongly succeeds would serve until ctx is
			// done: end it, and report its 0, rather than hang.
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			defer cancel()
			var stdout, stderr syncBuffer
			got := run(ctx, tt.args, &stdout, &stderr)
			if got != tt.wantCode {
				t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, got, tt.wantCode, stderr.String())
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("run(%q) stderr does not contain %q:\n%s", tt.args, want, stderr.String())
				}
			}
			if stdout.String() != "" {
				t.Errorf("run(%q) printed to stdout:\n%s", tt.args, stdout.String())
			}
		})
	}
}

// TestSignals runs the command as a process and expects it to stop with
// status 0 on SIGINT and on SIGTERM.
func TestSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals cannot be sent to a process on Windows")
	}
	t.Parallel()
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-pool", "us-east-1_example")
			cmd.Env = append(os.Environ(), mainEnv+"=1")
			var stderr syncBuffer
			cmd.Stderr = &stderr
			stdout, stdoutW := io.Pipe()
			cmd.Stdout = stdoutW
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var waitErr error
			exited := make(chan struct{}) // closed when Wait has returned waitErr
			go func() {
				waitErr = cmd.Wait()
				stdoutW.Close() // ends readBanner if the command died early
				close(exited)
			}()
			t.Cleanup(func() {
				cmd.Process.Kill() // fails harmlessly once the command has exited
				<-exited
			})

			b := readBanner(t, stdout)
			// The server serves before it prints: a request now must be answered.
			c := client(t, b.fields["endpoint"], b.fields["region"], b.fields["access key ID"], b.fields["secret access key"])
			if _, err := c.ListUserImportJobs(context.Background(), &cognitoidentityprovider.ListUserImportJobsInput{
				UserPoolId: aws.String("us-east-1_example"),
				MaxResults: aws.Int32(1),
			}); err != nil {
				t.Fatalf("ListUserImportJobs: %v", err)
			}

			stall(t, b.fields["endpoint"]) // cannot hold the shutdown
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-exited:
				if waitErr != nil {
					t.Errorf("after %v the command ended with %v, want status 0; stderr:\n%s", sig, waitErr, stderr.String())
				}
			case <-time.After(shutdownTimeout):
				t.Fatalf("the command did not exit within %v of %v", shutdownTimeout, sig)
			}
		})
	}
}

// TestClientURL checks the endpoint printed for a server listening on all
// interfaces.
func TestClientURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://127.0.0.1:9229": "http://127.0.0.1:9229",
		"http://0.0.0.0:9229":   "http://127.0.0.1:9229",
		"http://[::]:9229":      "http://localhost:9229",
		"http://[::1]:9229":     "http://[::1]:9229",
	} {
		if got := clientURL(in); got != want {
			t.Errorf("clientURL(%q) = %q, want %q", in, got, want)
		}
	}
}
