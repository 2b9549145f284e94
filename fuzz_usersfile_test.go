package cognitoimport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// The pools of the differential test: each exercises other pool rules.
var diffPools = []cognitoimporttest.PoolConfig{
	{ID: "us-east-1_Email"}, // email auto-verified, MFA off
	{ID: "us-east-1_Phone", AutoVerifiedAttributes: []string{"phone_number"}, MFA: cognitoimporttest.MFAOn},
	{ID: "us-east-1_Both", AutoVerifiedAttributes: []string{"email", "phone_number"}, MFA: cognitoimporttest.MFAOptional,
		CustomAttributes: []string{"dept"}, RequiredAttributes: []string{"family_name", "custom:dept"}},
	{ID: "us-east-1_Name", RequiredAttributes: []string{"name"}},
}

// diffGen draws a users file's parts from the fuzzer's bytes.
type diffGen struct {
	b []byte
	i int
}

func (g *diffGen) pick(n int) int {
	if g.i >= len(g.b) {
		return 0
	}
	g.i++
	return int(g.b[g.i-1]) % n
}

func (g *diffGen) value(column string, row int) string {
	r := strconv.Itoa(row)
	var vs []string
	switch column {
	case "cognito:username":
		vs = []string{"u" + r, "u" + r, "dup", "dup", "", "u " + r, " u" + r + " ", "ü" + r, `u\,` + r, "u\xff" + r, "u\t" + r, `u\` + r}
	case "email_verified", "phone_number_verified", "cognito:mfa_enabled":
		vs = []string{"TRUE", "FALSE", "", "true", "yes", " False ", "TRUE"}
	case "email":
		vs = []string{"a@example.com", "", `a\,b@example.com`}
	case "phone_number":
		vs = []string{"+12345550100", "", "555", "+1 555", "+"}
	case "birthdate":
		vs = []string{"02/01/1985", "", "1985-02-01", "02/30/1985", "02/29/2000", "2/1/1985"}
	case "updated_at":
		vs = []string{"1700000000", "", "-1", "x", "9223372036854775808"}
	default:
		// Mostly plain, so that a row's other rules get their turn.
		vs = []string{"", "", "", "", "", "", "", "", "x", "x", "é", `a\,b`, `a\b`, `"q"`, " s ", "😀", "\xff"}
	}
	return vs[g.pick(len(vs))]
}

// file returns a users file for header: a header line (sometimes broken),
// rows of values drawn for each column (some rows broken as a whole), then
// raw, the fuzzer's own text.
func (g *diffGen) file(header []string, raw string) string {
	cols := slices.Clone(header)
	if g.pick(2) == 1 {
		slices.Reverse(cols) // the order does not matter
	}
	var b strings.Builder
	switch g.pick(16) {
	case 0:
		b.WriteString("\uFEFF")
	case 1:
		cols = cols[1:]
	case 2:
		cols = append(cols, "custom:other")
	case 3:
		cols = append(cols, cols[0])
	}
	b.WriteString(strings.Join(cols, ","))
	b.WriteString("\n")
	rows := g.pick(8)
	for r := range rows {
		vals := make([]string, len(cols))
		for i, c := range cols {
			vals[i] = g.value(c, r)
		}
		line := strings.Join(vals, ",")
		end := "\n"
		switch g.pick(16) {
		case 0:
			line += ",extra"
		case 1:
			line = line[:strings.LastIndexByte(line, ',')]
		case 2:
			line += strings.Repeat("y", usersfile.MaxRowChars)
		case 3:
			line = ""
		case 4:
			end = "\r\n"
		case 5:
			line = strings.Replace(line, ",", `\,`, 1) // a value ending in a backslash
		}
		b.WriteString(line)
		b.WriteString(end)
	}
	b.WriteString(raw)
	return b.String()
}

// FuzzCheckFileServerPlumbing generates users files and imports each into
// the test server after checking it with CheckFile: for every row, CheckFile
// reports a problem exactly when the server's job log says the row FAILED,
// and the first problem's rule has the reason the log gives; a file CheckFile
// fails as a whole fails the server's job the same way.
//
// What it can and cannot find: CheckFile and the server's importer both
// read through internal/usersfile's one Checker, so a rule that table gets
// wrong is wrong on both sides and passes here. It checks the plumbing
// around the table: line numbers (empty lines, CRLF, the header), the
// reasons as the log words them, the counts, the log's format, and
// whole-file failures. The guide's own texts are checked, outside the table,
// by TestGuideCases.
func FuzzCheckFileServerPlumbing(f *testing.F) {
	f.Add([]byte{0}, "")
	f.Add([]byte{0, 0, 4, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22}, "")
	f.Add([]byte{2, 1, 5, 7, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9}, "x,y\n")
	f.Add([]byte{1, 0, 9, 7, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, "\n\r\n,,\\,\n")
	f.Add([]byte{3, 0, 0, 6}, guideSample)
	f.Add([]byte{0, 0, 0}, "")      // a BOM
	f.Add([]byte{0, 0, 3}, "")      // a column twice
	f.Add([]byte{0, 0, 4, 0}, "\r") // the file's end ends a line, as a line feed does
	f.Fuzz(diffCheck)
}

// diffCheck is one run of FuzzCheckFileServerPlumbing: a new server each
// time, so that no user of an earlier run is in the pool.
func diffCheck(t *testing.T, choices []byte, raw string) {
	g := &diffGen{b: choices}
	cfg := diffPools[g.pick(len(diffPools))]
	// Near the wall clock, which the SDK signs with: a clock further off
	// than 15 minutes fails each new client's first call with a clock skew
	// error, and its retry waits (40 ms a file, most of the test's time).
	clock := cognitoimporttest.NewClock(time.Now())
	srv := cognitoimporttest.NewServer(cognitoimporttest.WithClock(clock),
		cognitoimporttest.WithImportRate(math.Inf(1)), cognitoimporttest.WithUserPool(cfg))
	defer srv.Close()
	sdk := cognitoidentityprovider.NewFromConfig(srv.Config())
	ctx := context.Background()

	out, err := sdk.GetCSVHeader(ctx, &cognitoidentityprovider.GetCSVHeaderInput{UserPoolId: aws.String(cfg.ID)})
	if err != nil {
		t.Fatal(err)
	}
	file := g.file(out.CSVHeader, raw)
	if len(file) > 1<<20 {
		return
	}

	// The client's side.
	auto := cfg.AutoVerifiedAttributes
	if auto == nil {
		auto = []string{"email"}
	}
	mfa := cognitoimport.MFAConfig(cfg.MFA)
	if mfa == "" {
		mfa = cognitoimport.MFAOff
	}
	rules := cognitoimport.PoolSettings{UserPoolID: cfg.ID, Header: out.CSVHeader, AutoVerifiedAttributes: auto,
		MFA: mfa, RequiredAttributes: cfg.RequiredAttributes, Described: true}
	users, err := cognitoimport.CheckFile(strings.NewReader(file), rules, cognitoimport.CheckOptions{MaxProblems: -1})
	var fe *cognitoimport.FileError
	if err != nil && !errors.As(err, &fe) {
		t.Fatal(err)
	}

	// The server's side.
	job, err := cognitoimport.NewFromConfig(srv.Config()).CreateJob(ctx, cognitoimport.CreateJobInput{
		UserPoolID: cfg.ID, JobName: "diff", CloudWatchLogsRoleARN: "arn:aws:iam::123456789012:role/CognitoImportLogs"})
	if err != nil {
		t.Fatal(err)
	}
	put(t, job.PreSignedURL.Reveal(), file)
	if _, err := sdk.StartUserImportJob(ctx, &cognitoidentityprovider.StartUserImportJobInput{
		UserPoolId: aws.String(cfg.ID), JobId: aws.String(job.JobID)}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	desc, err := sdk.DescribeUserImportJob(ctx, &cognitoidentityprovider.DescribeUserImportJobInput{
		UserPoolId: aws.String(cfg.ID), JobId: aws.String(job.JobID)})
	if err != nil {
		t.Fatal(err)
	}
	ended := desc.UserImportJob
	log := srv.JobLog(cfg.ID, job.JobID)

	// A file that fails as a whole.
	if fe != nil {
		for _, p := range fe.Problems {
			if !p.Rule.WholeFile() && p.Line != 1 {
				continue
			}
			reason := usersfile.Problem{Line: p.Line, Column: p.Column, Rule: usersfile.Rule(p.Rule)}.Reason()
			want := fmt.Sprintf("Line Number %d - %s", p.Line, reason)
			if ended.Status != "Failed" || !strings.HasSuffix(aws.ToString(ended.CompletionMessage), want) || len(log) != 0 {
				t.Fatalf("CheckFile fails the file (%v); the server's job: %s %q, log %q\nfile %q",
					p, ended.Status, aws.ToString(ended.CompletionMessage), log, file)
			}
			return
		}
	}

	// Row by row: the first problem of each line is the row's reason.
	reasons := map[int]string{}
	if fe != nil {
		for _, p := range fe.Problems {
			if _, ok := reasons[p.Line]; !ok {
				reasons[p.Line] = usersfile.Problem{Line: p.Line, Column: p.Column, Rule: usersfile.Rule(p.Rule)}.Reason()
			}
		}
	}
	var want []string
	imported, failed := 0, 0
	for _, n := range rowLines(file) {
		if reason, ok := reasons[n]; ok {
			want = append(want, fmt.Sprintf("[FAILED] Line Number %d - %s", n, reason))
			failed++
		} else {
			want = append(want, fmt.Sprintf("[SUCCEEDED] Line Number %d - The import succeeded.", n))
			imported++
		}
	}
	if users != imported+failed {
		t.Fatalf("CheckFile counted %d users, the file has %d rows", users, imported+failed)
	}
	if !slices.Equal(log, want) {
		t.Fatalf("file %q\nserver's log:\n%s\nCheckFile's outcomes:\n%s", file, strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if int(ended.ImportedUsers) != imported || int(ended.FailedUsers) != failed || ended.SkippedUsers != 0 {
		t.Fatalf("job counts %d imported %d failed %d skipped, want %d and %d", ended.ImportedUsers, ended.FailedUsers, ended.SkippedUsers, imported, failed)
	}
}

// rowLines returns the line numbers of file's rows: every line after the
// header that is not empty (a CR before the LF does not count).
func rowLines(file string) []int {
	lines := strings.Split(file, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var rows []int
	for i, l := range lines {
		if i > 0 && strings.TrimSuffix(l, "\r") != "" {
			rows = append(rows, i+1)
		}
	}
	return rows
}

// put uploads body to the job's pre-signed URL as the guide's curl command
// does. (The client's Upload belongs to another part of the library.)
func put(t *testing.T, url, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("upload: %s %s", resp.Status, bytes.TrimSpace(msg))
	}
}

// TestCheckFileServerPlumbingGenerated runs the differential check over
// files generated from a fixed seed, so that plain `go test` covers more than
// the fuzz seeds.
func TestCheckFileServerPlumbingGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("a server per file")
	}
	t.Parallel()
	r := rand.New(rand.NewPCG(10, 10))
	for range 40 {
		choices := make([]byte, 200)
		for i := range choices {
			choices[i] = byte(r.Uint32())
		}
		diffCheck(t, choices, "")
	}
}
