package main

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/shell"
)

// binaryDir holds the command built by binary; TestMain removes it.
var binaryDir string

// binary builds the command once for the tests that run it as a program.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "cognitoimport-test-")
	if err != nil {
		return "", err
	}
	binaryDir = dir
	bin := filepath.Join(dir, "cognitoimport")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{err: err, out: string(out)}
	}
	return bin, nil
})

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// buildBinary returns the path of the built command, skipping the test in
// -short mode.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command: not in -short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build the command with")
	}
	bin, err := binary()
	if err != nil {
		t.Fatalf("building the command: %v", err)
	}
	return bin
}

// runBinary runs the built command against srv with the server's
// credentials in the environment, as a person would, with its output on
// pipes (not a terminal).
func runBinary(t *testing.T, srv *cognitoimporttest.Server, args ...string) result {
	t.Helper()
	creds := srv.Credentials()
	return runBinaryEnv(t, []string{
		"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
	}, append(args, "--endpoint-url", srv.URL, "--region", srv.Region())...)
}

// runBinaryEnv runs the built command with args, and env added to an
// environment without AWS settings.
func runBinaryEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	bin := buildBinary(t)
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running %s: %v", bin, err)
		}
		code = ee.ExitCode()
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func TestBinaryJobs(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool))
	t.Cleanup(srv.Close)
	ids := seedJobs(t, srv)
	r := runBinary(t, srv, "jobs", "--pool", testPool, "--json").want(t, exitOK)
	var jobs []jobJSON
	decode(t, r.stdout, &jobs)
	if len(jobs) != len(ids) || jobs[0].JobID != ids[0] {
		t.Errorf("jobs --json from the binary = %+v, want %v", jobs, ids)
	}
	r = runBinary(t, srv, "jobs", "--pool", "us-east-1_nothere").want(t, exitFailed)
	r.oneLineError(t, "ResourceNotFoundException")
	r = runBinary(t, srv, "jobs").want(t, exitUsage)
	r.oneLineError(t, `required flag(s) "pool" not set`)
	if strings.Contains(r.stdout, "\r") {
		t.Errorf("carriage return off a terminal")
	}
}

// TestBinaryProfile reads the region and the credentials from a profile of
// the shared configuration files, as --profile asks.
func TestBinaryProfile(t *testing.T) {
	t.Parallel()
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool))
	t.Cleanup(srv.Close)
	seedJobs(t, srv)
	creds := srv.Credentials()
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	credsFile := filepath.Join(dir, "credentials")
	if err := os.WriteFile(configFile, []byte("[profile migration]\nregion = "+srv.Region()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(credsFile, []byte("[migration]\naws_access_key_id = "+creds.AccessKeyID+
		"\naws_secret_access_key = "+creds.SecretAccessKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"AWS_CONFIG_FILE=" + configFile, "AWS_SHARED_CREDENTIALS_FILE=" + credsFile}
	r := runBinaryEnv(t, env, "jobs", "--profile", "migration", "--endpoint-url", srv.URL, "--pool", testPool).want(t, exitOK)
	if strings.Count(r.stdout, "\n") != 4 {
		t.Errorf("jobs with --profile printed:\n%s", r.stdout)
	}
	runBinaryEnv(t, env, "jobs", "--profile", "nothere", "--endpoint-url", srv.URL, "--pool", testPool).
		want(t, exitUsage).oneLineError(t, "--profile", "nothere")
	// Without a region anywhere: a usage error that says where to give one.
	runBinaryEnv(t, []string{"AWS_CONFIG_FILE=" + os.DevNull}, "jobs", "--endpoint-url", srv.URL, "--pool", testPool).
		want(t, exitUsage).oneLineError(t, "--region")
}

// TestBinaryNoCredentials: with no credentials anywhere, the SDK falls back
// to the instance metadata service (here a server that answers 404, as no
// instance role), logs a warning and fails with a long chain; the command
// says it in one line and drops the warning.
func TestBinaryNoCredentials(t *testing.T) {
	t.Parallel()
	imds := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(imds.Close)
	env := []string{"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imds.URL, "HOME=" + t.TempDir()}
	r := runBinaryEnv(t, env, "jobs", "--pool", testPool, "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:1").want(t, exitFailed)
	r.oneLineError(t, "no AWS credentials found", "AWS_PROFILE")
	if strings.Contains(r.stderr, "WARN") || strings.Contains(r.stderr, "operation error") {
		t.Errorf("stderr holds the SDK's text:\n%s", r.stderr)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// TestBinaryResumeCommandRuns: the command line that import --no-wait
// prints to wait for the job runs as typed in a shell: the built command's
// path when it is not on PATH, its name when it is.
func TestBinaryResumeCommandRuns(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no POSIX shell")
	}
	bin := buildBinary(t)
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool))
	t.Cleanup(srv.Close)
	creds := srv.Credentials()
	env := []string{"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull}
	for i, path := range []string{"/usr/bin:/bin", filepath.Dir(bin) + string(os.PathListSeparator) + "/usr/bin:/bin"} {
		file := writeFile(t, "users.csv", strings.ReplaceAll(users(3), "\nuser", "\nu"+strconv.Itoa(i)))
		r := runBinaryEnv(t, append(env, "PATH="+path), "import", "--no-wait", "--pool", testPool, "--role", testRole, file,
			"--endpoint-url", srv.URL, "--region", srv.Region()).want(t, exitOK)
		_, line, ok := strings.Cut(r.stderr, "to wait for it: ")
		line = strings.TrimSuffix(line, "\n")
		wantStart := shell.Quote(bin) + " wait "
		if i == 1 {
			wantStart = "cognitoimport wait "
		}
		if !ok || !strings.HasPrefix(line, wantStart) {
			t.Fatalf("PATH=%s: the command to wait is %q, want it to start %q; stderr:\n%s", path, line, wantStart, r.stderr)
		}
		cmd := exec.Command(sh, "-c", line)
		cmd.Env = append(env, "PATH="+path)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Succeeded: 3 imported") {
			t.Errorf("PATH=%s: %s: %v\n%s", path, line, err, out)
		}
	}
}
