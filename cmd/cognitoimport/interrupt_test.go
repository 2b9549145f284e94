package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestInterruptDuringCheck: Ctrl-C or SIGTERM while import checks a file
// ends the check at once. The file is 8 GiB of holes after a header, one
// line the check would read to its end; the interrupt comes as the answer
// to DescribeUserPool, the last request before the check, reaches the
// command.
func TestInterruptDuringCheck(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "sparse.csv")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(sampleHeader + "\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(8 << 30); err != nil {
		t.Skipf("no sparse file here: %v", err)
	}
	f.Close()
	for _, tc := range []struct {
		sig  os.Signal
		code int
	}{{os.Interrupt, exitInterrupted}, {syscall.SIGTERM, exitTerminated}} {
		h := newHarness(t)
		sigs := make(chan os.Signal, 1)
		h.sys.notify = func() (<-chan os.Signal, func()) { return sigs, func() {} }
		h.sys.sdkOptions = append(h.sys.sdkOptions, func(o *cognitoidentityprovider.Options) {
			o.HTTPClient = &afterAnswer{hc: o.HTTPClient, op: "DescribeUserPool", do: func() { sigs <- tc.sig }}
		})
		r := h.run("import", "--pool", testPool, "--role", testRole, file).want(t, tc.code)
		if r.stderr != "interrupted before a job was created\n" {
			t.Errorf("%v: stderr:\n%s", tc.sig, r.stderr)
		}
		if n := len(h.srv.Jobs(testPool)); n != 0 {
			t.Errorf("%v: %d jobs created", tc.sig, n)
		}
	}
}

// afterAnswer passes requests to hc, and calls do once, after the answer
// to the first request for op has come.
type afterAnswer struct {
	hc   cognitoidentityprovider.HTTPClient
	op   string
	do   func()
	once sync.Once
}

func (c *afterAnswer) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	if strings.HasSuffix(req.Header.Get("X-Amz-Target"), "."+c.op) {
		c.once.Do(c.do)
	}
	return resp, err
}

// TestCheckEndsWithContext: check reads its file through the command's
// context, so that the command's end ends the check, even of a file that
// never ends (here stdin, an endless stream of rows).
func TestCheckEndsWithContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	in := &endless{row: []byte("John,,,\n"), cancelAt: 10, cancel: cancel}
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"check", "-"}, in, &stdout, &stderr, system{})
	if code != exitFailed || in.afterCancel > 1 || !strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("check of an endless stdin: status %d, %d reads after the context ended; stderr:\n%s", code, in.afterCancel, stderr.String())
	}
}

// endless is a users file without end: the sample's header, then row
// again and again. Its cancelAt-th Read calls cancel; afterCancel counts
// the Reads after it.
type endless struct {
	row         []byte
	reads       int
	cancelAt    int
	cancel      func()
	afterCancel int
	header      bool
}

func (e *endless) Read(p []byte) (int, error) {
	e.reads++
	switch {
	case e.reads == e.cancelAt:
		e.cancel()
	case e.reads > e.cancelAt:
		e.afterCancel++
	}
	n := 0
	if !e.header {
		e.header = true
		n = copy(p, sampleHeader+"\n")
	}
	for n+len(e.row) <= len(p) {
		n += copy(p[n:], e.row)
	}
	return n, nil
}

// TestInterruptDuringStop: with --stop-on-interrupt, a second interrupt
// while the job is being stopped ends the command at once (here the
// server holds StopUserImportJob for an hour), saying how to stop the job.
func TestInterruptDuringStop(t *testing.T) {
	t.Parallel()
	h, clk := newClockHarness(t, cognitoimporttest.WithImportRate(1))
	gate := &gateClock{Clock: clk, sleeping: make(chan struct{})}
	h.sys.clock = gate
	sigs := make(chan os.Signal, 2)
	h.sys.notify = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	h.srv.DelayNext(cognitoimporttest.StopUserImportJob, time.Hour, 1)
	h.sys.sdkOptions = append(h.sys.sdkOptions, func(o *cognitoidentityprovider.Options) {
		o.HTTPClient = &beforeRequest{hc: o.HTTPClient, op: "StopUserImportJob", do: func() { sigs <- os.Interrupt }}
	})
	go func() {
		<-gate.sleeping // waiting for the job
		sigs <- os.Interrupt
	}()
	file := writeFile(t, "users.csv", users(100))
	r := h.run("import", "--stop-on-interrupt", "--pool", testPool, "--role", testRole, file).want(t, exitInterrupted)
	job := h.srv.Jobs(testPool)[0]
	if !strings.Contains(r.stderr, "interrupted again: job "+job.JobID+" may still be running; to stop it: cognitoimport stop ") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// beforeRequest passes requests to hc, calling do once before it sends the
// first request for op.
type beforeRequest struct {
	hc   cognitoidentityprovider.HTTPClient
	op   string
	do   func()
	once sync.Once
}

func (c *beforeRequest) Do(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.Header.Get("X-Amz-Target"), "."+c.op) {
		c.once.Do(c.do)
	}
	return c.hc.Do(req)
}
