package shell

import (
	"os/exec"
	"testing"
)

// TestQuote checks the quoting, and that a POSIX shell reads each quoted
// value back as it was.
func TestQuote(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"cognitoimporttest/secret/access/key": "cognitoimporttest/secret/access/key",
		"http://127.0.0.1:9229":               "http://127.0.0.1:9229",
		"a b":                                 "'a b'",
		"it's$x":                              `'it'\''s$x'`,
		"":                                    "''",
		"~/go/bin/x;rm":                       "'~/go/bin/x;rm'",
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no POSIX shell")
	}
	for in := range cases {
		out, err := exec.Command(sh, "-c", "printf %s "+Quote(in)).Output()
		if err != nil || string(out) != in {
			t.Errorf("sh read %s back as %q, %v; want %q", Quote(in), out, err, in)
		}
	}
}
