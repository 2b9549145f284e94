package cognitoimport_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// countingReadSeeker counts the bytes read, and calls onRead after each Read.
type countingReadSeeker struct {
	*bytes.Reader
	n      int64
	onRead func()
}

func (c *countingReadSeeker) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.n += int64(n)
	if c.onRead != nil {
		c.onRead()
	}
	return n, err
}

// TestImportCheckHonoursContext: a context done before Import, or while it
// checks the file, ends the check there, reported as the check step with
// the context's error; nothing more is read or sent. Before the fix the
// whole file was read and the failure reported as the create step.
func TestImportCheckHonoursContext(t *testing.T) {
	t.Parallel()
	e := newClocked(t)
	data := bigUsersFile(t, 8000)
	rules := cognitoimport.DefaultPoolSettings(testPool)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	f := &countingReadSeeker{Reader: bytes.NewReader(data)}
	in := importInput("")
	in.File, in.Settings = f, rules
	_, err := e.client.Import(ctx, in)
	if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepCheck || !errors.Is(err, context.Canceled) || f.n != 0 {
		t.Errorf("done before Import: %v (step %q) after reading %d bytes; want the check step, context.Canceled, nothing read", err, ie.Step, f.n)
	}

	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	f = &countingReadSeeker{Reader: bytes.NewReader(data), onRead: cancel}
	in.File = f
	_, err = e.client.Import(ctx, in)
	if ie := as[*cognitoimport.ImportError](t, err); ie.Step != cognitoimport.StepCheck || !errors.Is(err, context.Canceled) || f.n >= int64(len(data)) {
		t.Errorf("done during the check: %v (step %q) after reading %d of %d bytes; want the check step, context.Canceled, the file not read through", err, ie.Step, f.n, len(data))
	}
	checkRequests(t, e.srv, createOp, 0)
	checkRequests(t, e.srv, cognitoimporttest.GetCSVHeader, 0)
}

// TestImportLeavesNoGoroutines: a whole Import (check, create, upload,
// start, wait) leaves no goroutine running once the server is closed.
// Not parallel: checkNoLeak needs no other test's goroutines running.
func TestImportLeavesNoGoroutines(t *testing.T) {
	before := goroutines()
	e := newClocked(t)
	job, err := e.client.Import(t.Context(), importInput(sampleFile))
	if err != nil || job.ImportedUsers != 2 {
		t.Fatalf("Import = %v, %v; want 2 users imported", job, err)
	}
	e.srv.Close()
	checkNoLeak(t, before)
}
