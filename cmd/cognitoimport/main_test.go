package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// testPool is the pool the test servers hold.
const testPool = "us-east-1_example"

// testRole is a valid CloudWatch Logs role ARN.
const testRole = "arn:aws:iam::123456789012:role/CognitoImport"

// harness runs the command in-process against a test server.
type harness struct {
	t        *testing.T
	srv      *cognitoimporttest.Server
	sys      system
	stdin    string
	terminal bool
	// stderrTee, when not nil, also receives what the command writes to
	// stderr, as it writes it.
	stderrTee io.Writer
}

// result is what one run of the command did.
type result struct {
	code           int
	stdout, stderr string
}

// newHarness starts a test server with opts and testPool, and
// returns a harness that points the command at it.
func newHarness(t *testing.T, opts ...cognitoimporttest.Option) *harness {
	t.Helper()
	// A pool opts configure keeps its configuration: the first one wins.
	srv := cognitoimporttest.NewServer(append(opts, cognitoimporttest.WithUserPools(testPool))...)
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	h := &harness{t: t, srv: srv}
	h.sys.configOptions = []func(*config.LoadOptions) error{
		// Nothing from this machine's AWS configuration files.
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithCredentialsProvider(cfg.Credentials),
		config.WithRetryer(cfg.Retryer),
	}
	// The server's HTTP client is set on the SDK client rather than in the
	// configuration, which refuses a client it cannot add AWS_CA_BUNDLE to.
	h.sys.sdkOptions = []func(*cognitoidentityprovider.Options){
		func(o *cognitoidentityprovider.Options) { o.HTTPClient = cfg.HTTPClient },
	}
	h.sys.clientOptions = []cognitoimport.Option{cognitoimport.WithHTTPClient(cfg.HTTPClient)}
	return h
}

// run runs the command with args plus the global flags that point it at the
// server.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	args = append(args, "--endpoint-url", h.srv.URL, "--region", h.srv.Region())
	return h.runRaw(args...)
}

// runRaw runs the command with args alone.
func (h *harness) runRaw(args ...string) result {
	h.t.Helper()
	var stdout, stderr bytes.Buffer
	sys := h.sys
	terminal := h.terminal
	sys.isTerminal = func() bool { return terminal }
	var errOut io.Writer = &stderr
	if h.stderrTee != nil {
		errOut = io.MultiWriter(&stderr, h.stderrTee)
	}
	code := run(context.Background(), args, strings.NewReader(h.stdin), &stdout, errOut, sys)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// want fails the test unless r ended with code.
func (r result) want(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

// wantNoCR fails the test if the output holds a carriage return or an
// escape sequence: off a terminal, progress is plain lines.
func (r result) wantNoCR(t *testing.T) {
	t.Helper()
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.ContainsAny(s, "\r\x1b") {
			t.Errorf("output off a terminal holds a carriage return or an escape sequence:\n%q", s)
		}
	}
}

// oneLineError fails the test unless stderr is exactly one line holding
// each of parts.
func (r result) oneLineError(t *testing.T, parts ...string) {
	t.Helper()
	if n := strings.Count(r.stderr, "\n"); n != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr has %d lines, want 1:\n%s", n, r.stderr)
	}
	for _, p := range parts {
		if !strings.Contains(r.stderr, p) {
			t.Errorf("stderr does not name %q:\n%s", p, r.stderr)
		}
	}
}

// decode parses s as JSON into v, failing the test if it is not.
func decode(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not the JSON expected: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("output holds more than one JSON value:\n%s", s)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, args := range [][]string{
		{"--help"},
		{"header", "--help"}, {"check", "--help"}, {"import", "--help"}, {"jobs", "--help"},
		{"describe", "--help"}, {"wait", "--help"}, {"stop", "-h"}, {"help", "import"},
	} {
		r := h.runRaw(args...).want(t, exitOK)
		if !strings.Contains(r.stdout, "Usage:") || r.stderr != "" {
			t.Errorf("%q: want usage on stdout and nothing on stderr; stdout:\n%s\nstderr:\n%s", args, r.stdout, r.stderr)
		}
		if len(args) > 0 && args[0] != "--help" && len(args) > 1 && !strings.Contains(r.stdout, "--endpoint-url") {
			t.Errorf("%q: the help does not list the global flags:\n%s", args, r.stdout)
		}
	}
	// Every subcommand has a long text beyond its one-line summary.
	for _, c := range (&app{}).rootCommand().Commands() {
		if c.Long == "" {
			t.Errorf("%s --help has no long text", c.Name())
		}
	}
	// No subcommand is a usage error: the usage on stderr, status 2.
	r := h.runRaw().want(t, exitUsage)
	if r.stdout != "" || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("no subcommand: want the usage on stderr only; stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		args  []string
		names []string // what stderr must name
	}{
		{[]string{"jobs"}, []string{`"pool"`}},
		{[]string{"jobs", "--pool", testPool, "--bogus"}, []string{"--bogus"}},
		{[]string{"jobs", "--pool", testPool, "extra"}, []string{`"extra"`}},
		{[]string{"jobs", "--pool", "not a pool"}, []string{"--pool", "UserPoolId"}},
		{[]string{"frobnicate"}, []string{"frobnicate"}},
		{[]string{"describe", "--pool", testPool}, []string{"JOB_ID"}},
		{[]string{"stop", "--pool", testPool, "a", "b"}, []string{`"b"`}},
		{[]string{"wait", "--pool", testPool, "import-x", "--users", "-1"}, []string{"--users"}},
		{[]string{"header"}, []string{`"pool"`}},
		{[]string{"check"}, []string{"FILE"}},
		{[]string{"check", "users.csv", "--max-problems", "x"}, []string{"--max-problems"}},
		{[]string{"import", "--pool", testPool, "users.csv"}, []string{`"role"`}},
		{[]string{"import", "--role", testRole, "users.csv"}, []string{`"pool"`}},
		{[]string{"import", "--pool", testPool, "--role", "not-an-arn", "users.csv"}, []string{"--role"}},
		{[]string{"import", "--pool", testPool, "--role", testRole, "--name", "bad/name", "users.csv"}, []string{"--name"}},
		{[]string{"import", "--pool", testPool, "--role", testRole, "-"}, []string{"needs a file", "size"}},
	} {
		r := h.run(tc.args...).want(t, exitUsage)
		r.oneLineError(t, tc.names...)
		if r.stdout != "" {
			t.Errorf("%q: stdout not empty:\n%s", tc.args, r.stdout)
		}
	}
	h.runRaw("jobs", "--pool").want(t, exitUsage).oneLineError(t, "--pool")
	h.runRaw("jobs", "--pool", testPool, "--region", "us-east-1", "--endpoint-url", "ftp://x").want(t, exitUsage).oneLineError(t, "--endpoint-url")
}

func TestDefaultJobName(t *testing.T) {
	t.Parallel()
	at := mustTime(t, "2026-11-21T21:22:34Z")
	for file, want := range map[string]string{
		"users.csv":              "users.csv 2026-11-21 21.22.34 UTC",
		"/tmp/export (1).csv":    "export -1-.csv 2026-11-21 21.22.34 UTC",
		strings.Repeat("x", 300): strings.Repeat("x", 104) + " 2026-11-21 21.22.34 UTC",
	} {
		got := defaultJobName(file, at)
		if got != want {
			t.Errorf("defaultJobName(%q) = %q, want %q", file, got, want)
		}
		if len(got) > maxJobName {
			t.Errorf("defaultJobName(%q) is %d bytes long", file, len(got))
		}
	}
}

func TestCountUsers(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"":                     0,
		"h\n":                  0,
		"h\r\na\r\nb\r\n":      2,
		"h\na\n\nb":            2,
		"h\na\n   \nb\n\n\n\n": 2,
	} {
		got, err := countUsers(strings.NewReader(in))
		if err != nil || got != want {
			t.Errorf("countUsers(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

// decodeAny parses s as JSON into v, failing the test if it is not.
func decodeAny(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
}

// mustTime parses an RFC 3339 time.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sample is the guide's sample file: two users for a pool whose
// auto-verified attribute is email.
const sample = `cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,TRUE,100 Main Street,,FALSE
`

// sampleHeader is the first line of sample.
var sampleHeader = strings.SplitN(sample, "\n", 2)[0]

// t0 is when the tests' fake clocks start: near the wall clock, since the
// SDK signs requests with the wall clock's time and the server refuses a
// signature more than 15 minutes away from its own.
var t0 = time.Now().UTC().Truncate(time.Second)

// newClockHarness returns a harness whose server and command share a fake
// clock, so that waiting takes no time.
func newClockHarness(t *testing.T, opts ...cognitoimporttest.Option) (*harness, *cognitoimporttest.Clock) {
	t.Helper()
	clk := cognitoimporttest.NewClock(t0)
	h := newHarness(t, append([]cognitoimporttest.Option{cognitoimporttest.WithClock(clk)}, opts...)...)
	h.sys.clock = clk
	return h, clk
}

// writeFile writes content to a file named name in a new temporary
// directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// users returns n rows for the sample's header, user1 to usern.
func users(n int) string {
	var b strings.Builder
	b.WriteString(sampleHeader + "\n")
	for i := 1; i <= n; i++ {
		name := "user" + strconv.Itoa(i)
		b.WriteString(name + ",,Given,Family,,,,,,," + name + "@example.com,TRUE,,,,,,FALSE,,,FALSE\n")
	}
	return b.String()
}

// TestUnreachable: an endpoint that refuses connections is one line naming
// it and what to check, not the SDK's chain.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	r := h.runRaw("jobs", "--pool", testPool, "--region", "us-east-1", "--endpoint-url", closed).want(t, exitFailed)
	want := "cognitoimport jobs: could not reach " + closed + " (connection refused): check --endpoint-url, and that the server there is running\n"
	if r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
}

// TestValidationExamples: a bad pool ID or role shows a valid value beside
// the pattern, and a role's name instead of its ARN is one line saying that
// an ARN is needed.
func TestValidationExamples(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.run("jobs", "--pool", "nopool").want(t, exitUsage)
	r.oneLineError(t, "invalid --pool: UserPoolId must match [\\w-]+_[0-9a-zA-Z]+ in full, such as us-east-1_AbC123; \"nopool\" does not")
	file := writeFile(t, "users.csv", sample)
	r = h.run("import", "--pool", testPool, "--role", "CognitoImport", file).want(t, exitUsage)
	r.oneLineError(t, `cognitoimport import: invalid --role: "CognitoImport" is not an ARN: --role takes the role's ARN, not its name, such as arn:aws:iam::123456789012:role/CognitoImport (see 'cognitoimport import --help')`)
	r = h.run("import", "--pool", testPool, "--role", "arn:aws:iam:123456789012:role/x", file).want(t, exitUsage)
	r.oneLineError(t, "invalid --role: CloudWatchLogsRoleArn must match", "such as arn:aws:iam::123456789012:role/NAME")
}

// TestUnreachableKinds: a timeout and an unknown host are said in one line
// too, naming only the URL's scheme and host (an upload's query string is a
// credential). The errors are built here: no server can time out or be
// unknown without the wall clock or a resolver deciding the outcome.
func TestUnreachableKinds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		endpoint string
		err      error
		want     string
	}{
		{"", &url.Error{Op: "Post", URL: "https://cognito-idp.eu-west-1.amazonaws.com/", Err: timeoutError{}},
			"could not reach https://cognito-idp.eu-west-1.amazonaws.com (timed out): check the network connection and --region"},
		{"http://nothere.invalid:9229", &url.Error{Op: "Post", URL: "http://nothere.invalid:9229/", Err: &net.DNSError{Err: "no such host", Name: "nothere.invalid", IsNotFound: true}},
			"could not reach http://nothere.invalid:9229 (no such host): check --endpoint-url, and that the server there is running"},
		{"", fmt.Errorf("upload: %w", &url.Error{Op: "Put", URL: "https://bucket.s3.us-east-1.amazonaws.com/key?X-Amz-Signature=secret", Err: syscall.ECONNRESET}),
			"could not reach https://bucket.s3.us-east-1.amazonaws.com (connection closed): check the network connection"},
	} {
		a := &app{endpointURL: tc.endpoint}
		got, ok := a.unreachable(tc.err)
		if !ok || got != tc.want {
			t.Errorf("unreachable(%v) = %q, %v; want %q", tc.err, got, ok, tc.want)
		}
	}
	if _, ok := (&app{}).unreachable(errors.New("AccessDenied")); ok {
		t.Errorf("an error that is not a failure to reach an endpoint was taken for one")
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
