package cognitoimport_test

import (
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
