package cognitoimport_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// bigUsersFile returns a valid users file of n users, each row padded so
// that the file is large.
func bigUsersFile(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := cognitoimport.NewUsersWriter(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	pad := string(bytes.Repeat([]byte("a"), 200))
	for i := range n {
		u := cognitoimport.User{Username: fmt.Sprintf("user%06d", i), Name: pad, Email: fmt.Sprintf("u%d@example.com", i), EmailVerified: true}
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// onlySeeker hides every method of its reader but Read and Seek.
type onlySeeker struct{ rs io.ReadSeeker }

func (o *onlySeeker) Read(p []byte) (int, error)                { return o.rs.Read(p) }
func (o *onlySeeker) Seek(off int64, whence int) (int64, error) { return o.rs.Seek(off, whence) }

// TestUploadRetriesAfterEarlyAnswer: S3 may refuse a PUT (503 SlowDown)
// before it reads the body; net/http's transport may then still be reading
// the body after Do returned. The retry must not share the body with that
// reader: before the fix, a retry of a large *bytes.Reader ended with
// ErrSizeMismatch (and -race reported the shared reader). The test server
// answers an upload fault before reading the body, as S3 does, and a body
// larger than net/http's server drains (256 KB) leaves the transport
// writing. Every kind of body is tried: a *bytes.Reader (an io.ReaderAt),
// a plain io.ReadSeeker, and an *os.File with and without progress.
//
// Not parallel: checkNoLeak needs no other test's goroutines running.
func TestUploadRetriesAfterEarlyAnswer(t *testing.T) {
	const users = 8000
	data := bigUsersFile(t, users)
	if len(data) < 1<<20 {
		t.Fatalf("the file has %d bytes, want more than 1 MB", len(data))
	}
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	open := func(t *testing.T) *os.File {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	cases := []struct {
		name     string
		body     func(t *testing.T) io.Reader
		progress bool
	}{
		{"bytes.Reader", func(*testing.T) io.Reader { return bytes.NewReader(data) }, false},
		{"ReadSeeker", func(*testing.T) io.Reader { return &onlySeeker{bytes.NewReader(data)} }, true},
		{"File", func(t *testing.T) io.Reader { return open(t) }, false},
		{"FileProgress", func(t *testing.T) io.Reader { return open(t) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := goroutines()
			e := newClocked(t)
			job := createJob(t, e.client, "job")
			e.srv.FailNext(uploadOp, cognitoimporttest.Error{Code: "SlowDown", Message: "Please reduce your request rate.", StatusCode: 503}, 3)
			body := tc.body(t)
			in := cognitoimport.UploadInput{URL: job.PreSignedURL, Body: body}
			var last int64
			if tc.progress {
				in.Progress = func(sent, _ int64) { last = sent }
			}
			if err := e.client.Upload(t.Context(), in); err != nil {
				t.Fatalf("Upload after 3 early SlowDowns: %v", err)
			}
			checkRequests(t, e.srv, uploadOp, 4)
			if tc.progress && last != int64(len(data)) {
				t.Errorf("progress ended at %d, want %d", last, len(data))
			}
			if s, ok := body.(io.Seeker); ok {
				if off, err := s.Seek(0, io.SeekCurrent); err != nil || off != int64(len(data)) {
					t.Errorf("the body's offset is %d (%v), want its end %d", off, err, len(data))
				}
			}
			if _, err := e.client.StartJob(t.Context(), cognitoimport.StartJobInput{UserPoolID: testPool, JobID: job.JobID}); err != nil {
				t.Fatal(err)
			}
			final, err := e.client.Wait(t.Context(), cognitoimport.WaitInput{UserPoolID: testPool, JobID: job.JobID})
			if err != nil || final.ImportedUsers != users || final.FailedUsers != 0 {
				t.Fatalf("Wait = %+v, %v; want %d users imported: the file arrived whole", final, err, users)
			}
			e.srv.Close()
			checkNoLeak(t, before)
		})
	}
}
