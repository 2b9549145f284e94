package cognitoimport_test

import (
	"io"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// TestCheckFilePassesPoolColumnsWithoutRules: a column that the pool's
// header names and that the checker has no rule for (a column the service
// adds, such as a password hash) passes through. The file checks clean with
// the pool's settings as CheckFile is given them and as Client.PoolSettings
// reads them from the server, and the server's import, which reads files
// through the same checker, imports the row with the column's value. The
// server names such a column only as a custom attribute.
func TestCheckFilePassesPoolColumnsWithoutRules(t *testing.T) {
	t.Parallel()
	const hash = `$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy`
	fileWith := func(header []string, extra string) string {
		row := map[string]string{"cognito:username": "alice", "cognito:mfa_enabled": "FALSE",
			"email": "alice@example.com", "email_verified": "TRUE", extra: hash}
		values := make([]string, len(header))
		for i, h := range header {
			values[i] = row[h]
		}
		return strings.Join(header, ",") + "\n" + strings.Join(values, ",") + "\n"
	}

	t.Run("CheckFile", func(t *testing.T) {
		t.Parallel()
		settings := cognitoimport.DefaultPoolSettings(testPool)
		settings.Header = append(settings.Header, "password_hash")
		users, err := cognitoimport.CheckFile(strings.NewReader(fileWith(settings.Header, "password_hash")), settings, cognitoimport.CheckOptions{})
		if users != 1 || err != nil {
			t.Errorf("CheckFile with the pool's extra column = %d users, %v; want 1 user and no problem", users, err)
		}
		// The column counts as the pool's: a file without it fails.
		without := fileWith(cognitoimport.DefaultPoolSettings(testPool).Header, "")
		_, err = cognitoimport.CheckFile(strings.NewReader(without), settings, cognitoimport.CheckOptions{})
		if fe := as[*cognitoimport.FileError](t, err); fe.Problems[0].Rule != cognitoimport.FileRuleMissingColumn || fe.Problems[0].Column != "password_hash" {
			t.Errorf("file without the pool's column: %v, want it missing", err)
		}
	})

	t.Run("Server", func(t *testing.T) {
		t.Parallel()
		const pool = "us-east-1_HashPool"
		e := newClocked(t, cognitoimporttest.WithUserPool(cognitoimporttest.PoolConfig{ID: pool, CustomAttributes: []string{"password_hash"}}))
		settings, err := e.client.PoolSettings(t.Context(), pool)
		if err != nil {
			t.Fatal(err)
		}
		file := fileWith(settings.Header, "custom:password_hash")
		if users, err := cognitoimport.CheckFile(strings.NewReader(file), settings, cognitoimport.CheckOptions{}); users != 1 || err != nil {
			t.Fatalf("CheckFile with the server's pool settings = %d users, %v; want 1 user and no problem", users, err)
		}
		job, err := e.client.Import(t.Context(), cognitoimport.ImportInput{UserPoolID: pool, JobName: "hashes",
			CloudWatchLogsRoleARN: testRoleARN, File: strings.NewReader(file)})
		if err != nil || job.ImportedUsers != 1 {
			t.Fatalf("Import = %v, %v; want 1 user imported", job, err)
		}
		users := e.srv.Users(pool)
		if len(users) != 1 || users[0].Attributes["custom:password_hash"] != hash {
			t.Errorf("server's users = %+v, want alice with the hash", users)
		}
	})
}

// endlessReader never sends a line feed: it counts the bytes read from it
// and, so that a check that does not stop fails the test instead of hanging
// it, ends with io.EOF after max bytes.
type endlessReader struct {
	read, max int64
}

func (r *endlessReader) Read(p []byte) (int, error) {
	if r.read >= r.max {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.max-r.read))
	for i := range n {
		p[i] = 0
	}
	r.read += int64(n)
	return n, nil
}

// TestCheckFileStopsOnAnEndlessLine: a file with no line feed (such as
// /dev/zero) ends the check promptly with the problem that fails the file:
// from the first byte, the header is over the row limit (line 1), which
// CheckFile reports after reading one buffer of 64 KiB, whatever the file
// limit; after the header, the row never ends and the file goes over the
// file limit (lowered here), which ends the read there.
func TestCheckFileStopsOnAnEndlessLine(t *testing.T) {
	t.Parallel()
	const limit, buffer = 1 << 20, 64 << 10
	header := strings.Join(cognitoimport.DefaultPoolSettings(testPool).Header, ",") + "\n"

	endless := &endlessReader{max: 64 * limit}
	_, err := cognitoimport.CheckFile(endless, cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{})
	if fe := as[*cognitoimport.FileError](t, err); fe.Total != 1 || fe.Problems[0].Rule != cognitoimport.FileRuleRowLength || fe.Problems[0].Line != 1 {
		t.Errorf("no line feed at all: %v, want the header over the row limit", err)
	}
	if endless.read > 2*buffer {
		t.Errorf("no line feed at all: read %d bytes, want at most %d", endless.read, 2*buffer)
	}

	endless = &endlessReader{max: 64 * limit}
	_, err = cognitoimport.CheckFileWithLimits(io.MultiReader(strings.NewReader(header), endless), cognitoimport.PoolSettings{}, cognitoimport.CheckOptions{}, limit, 0)
	if fe := as[*cognitoimport.FileError](t, err); fe.Total != 1 || fe.Problems[0].Rule != cognitoimport.FileRuleTooLarge || fe.Problems[0].Line != 2 {
		t.Errorf("a row with no line feed: %v, want the file over its limit at line 2", err)
	}
	if read := int64(len(header)) + endless.read; read > limit+2*buffer {
		t.Errorf("a row with no line feed: read %d bytes, want at most %d", read, limit+2*buffer)
	}
}
