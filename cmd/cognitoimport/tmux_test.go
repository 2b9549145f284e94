package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/shell"
)

// TestTmuxProgressBars runs the built command in a real terminal, tmux, and
// reads the screen as a person would see it: the bars redrawn in place, one
// line each, and the result below them. It is skipped where tmux is not
// installed (CI does not need it). testdata/tmux-demo.sh does the same by
// hand, with a capture in the middle of the import.
func TestTmuxProgressBars(t *testing.T) {
	t.Parallel()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	bin := buildBinary(t)
	// The wall clock: the command runs in its own process. 300 users at
	// 200 a second take 1.5 s.
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools(testPool), cognitoimporttest.WithImportRate(200))
	t.Cleanup(srv.Close)
	file := writeFile(t, "users.csv", users(300))

	socket := "cognitoimport-test-" + strconv.Itoa(os.Getpid())
	tm := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-L", socket, "-f", os.DevNull}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	creds := srv.Credentials()
	command := strings.Join([]string{
		"env", "AWS_ACCESS_KEY_ID=" + creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + shell.Quote(creds.SecretAccessKey),
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		shell.Quote(bin), "import", "--endpoint-url", srv.URL, "--region", srv.Region(),
		"--pool", testPool, "--role", testRole, "--name", "demo", shell.Quote(file),
	}, " ")
	// After the command: its status, a signal to the test, and a process
	// that keeps the pane open for the capture.
	script := command + `; echo "exit status $?"; ` + shell.Quote(tmux) + " -L " + socket + " wait-for -S done; exec cat"
	tm("new-session", "-d", "-s", "demo", "-x", "100", "-y", "15", "sh", "-c", script)
	t.Cleanup(func() { exec.Command(tmux, "-L", socket, "kill-server").Run() })
	tm("wait-for", "done")
	screen := tm("capture-pane", "-p", "-t", "demo")
	t.Logf("the screen:\n%s", screen)

	var bars []string
	for _, line := range strings.Split(screen, "\n") {
		if strings.HasPrefix(line, "upload ") || strings.HasPrefix(line, "import ") {
			bars = append(bars, line)
		}
	}
	if len(bars) != 2 {
		t.Fatalf("want one upload bar and one import bar, each redrawn in place; got %d:\n%s", len(bars), screen)
	}
	if !strings.Contains(bars[0], "100%") || !strings.Contains(bars[0], "[========") {
		t.Errorf("upload bar %q is not full", bars[0])
	}
	if !strings.Contains(bars[1], "100%") || !strings.Contains(bars[1], "Succeeded") || !strings.Contains(bars[1], "300/300 users") {
		t.Errorf("import bar %q is not full", bars[1])
	}
	for _, want := range []string{" Succeeded: 300 imported, 0 skipped, 0 failed", "Import Job Completed Successfully.", "exit status 0"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q", want)
		}
	}
}
