package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestBinaryCtrlC sends real SIGINTs to the built command while it waits for
// a job that will run for minutes: once leaves the job running, twice stops
// it. Each signal is sent when the command's stderr says it has reached the
// point the signal is for, so no timing decides the outcome.
func TestBinaryCtrlC(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	for _, tc := range []struct {
		name       string
		twice      bool
		wantStatus string
	}{
		{"once", false, "InProgress"},
		{"twice", true, "Stopped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bin := buildBinary(t)
			srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithImportRate(1))
			t.Cleanup(srv.Close)
			file := writeFile(t, "users.csv", users(1000))
			creds := srv.Credentials()
			cmd := exec.Command(bin, "import", "--pool", testPool, "--role", testRole, file,
				"--endpoint-url", srv.URL, "--region", srv.Region())
			cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+creds.SecretAccessKey,
				"AWS_SESSION_TOKEN=", "AWS_PROFILE=", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderrPipe, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			lines := bufio.NewScanner(io.TeeReader(stderrPipe, &stderr))
			// waitFor reads stderr up to a line that starts with prefix.
			waitFor := func(prefix string) {
				t.Helper()
				for lines.Scan() {
					if strings.HasPrefix(lines.Text(), prefix) {
						return
					}
				}
				cmd.Wait()
				t.Fatalf("stderr ended before a line starting with %q:\n%s", prefix, stderr.String())
			}
			waitFor("import: ") // the job is started and being waited for
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			if tc.twice {
				waitFor("interrupted: no longer waiting")
				if err := cmd.Process.Signal(os.Interrupt); err != nil {
					t.Fatal(err)
				}
			}
			for lines.Scan() { // the rest, until the command closes stderr
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
				t.Fatalf("the command ended with %v, want exit status %d\nstderr:\n%s", err, exitInterrupted, stderr.String())
			}
			job := srv.Jobs(testPool)[0]
			if status := string(job.Status); status != tc.wantStatus && !(status == "Stopping" && tc.wantStatus == "Stopped") {
				t.Errorf("job %s after Ctrl-C, want %s\nstderr:\n%s", status, tc.wantStatus, stderr.String())
			}
			if !tc.twice && !strings.Contains(stderr.String(), "cognitoimport stop --endpoint-url "+srv.URL+" --region us-east-1 --pool "+testPool+" "+job.JobID) {
				t.Errorf("stderr does not say how to stop the job:\n%s", stderr.String())
			}
			// StopUserImportJob answers Stopping while the job finishes
			// the row at hand, and Stopped after.
			if tc.twice && !strings.Contains(stdout.String(), job.JobID+" Stopping") && !strings.Contains(stdout.String(), job.JobID+" Stopped") {
				t.Errorf("stdout does not report the stopped job:\n%s", stdout.String())
			}
		})
	}
}
