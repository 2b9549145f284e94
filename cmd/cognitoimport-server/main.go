// Command cognitoimport-server runs the in-memory Amazon Cognito user pools
// endpoint of package cognitoimporttest as a program, so that other tools and
// the AWS SDKs of other languages can be tested against it. It runs whole
// user imports over the AWS JSON 1.1 protocol, with SigV4 authentication:
// GetCSVHeader, DescribeUserPool, CreateUserImportJob, ListUserImportJobs,
// DescribeUserImportJob, StartUserImportJob, StopUserImportJob, and the
// upload of the users file to a job's PreSignedUrl (which points at the
// server); and, to rehearse an export or a copy of a pool, ListUsers,
// ListGroups, ListUsersInGroup, CreateGroup and AdminAddUserToGroup. It
// differs from the real service as the package's Server does: state lives in
// memory and is lost on exit, a started job imports its rows at -import-rate
// users a second, and a job's PasswordHashingAlgorithm is checked and
// returned but no password hash is read: imported users are RESET_REQUIRED.
// Its memory is bounded: a pool holds at most 1,000 jobs
// (LimitExceededException after); the uploaded files of the jobs not yet
// ended at most 512 MiB together (-max-upload-mib; 503 SlowDown after); the
// record of requests at most 10,000 requests and 64 MiB, without the bodies
// of requests it did not authenticate; and the jobs' logs at most 128 MiB,
// past which the logs of ended jobs are dropped, oldest first.
// A call of an operation the server lacks gets UnknownOperationException,
// whose message names the operations it implements.
//
// Usage:
//
//	cognitoimport-server [-addr host:port] [-region region] [-pool id]...
//		[-pool-config file] [-import-rate n] [-max-upload-mib n]
//		[-access-key-id id] [-secret-access-key key]
//
// The flags are:
//
//	-addr host:port
//		The address to listen on (default 127.0.0.1:9229). Port 0 picks a
//		free port; the endpoint printed at start-up says which.
//	-region region
//		The region the server reports and its pre-signed URLs name (default us-east-1).
//		A signature scoped to another region is refused, as AWS does: clients
//		must sign for this region.
//	-pool id
//		Create a user pool with this ID, such as us-east-1_example. Repeat
//		the flag for several pools. Without one, every call fails with
//		ResourceNotFoundException.
//	-pool-config file
//		Create the user pools a JSON file describes: an array of objects
//		with the members of cognitoimporttest.PoolConfig, for example
//
//		[{"ID": "us-east-1_staff", "Name": "staff",
//		  "CustomAttributes": ["dept"], "RequiredAttributes": ["custom:dept"],
//		  "AutoVerifiedAttributes": ["email", "phone_number"], "MFA": "OPTIONAL"}]
//
//		ID is required. Name defaults to the ID, AutoVerifiedAttributes to
//		["email"] ([] means none), MFA (OFF, ON or OPTIONAL) to OFF. A pool
//		of -pool gets these defaults and no custom or required attributes.
//		A pool may also hold Users (the members of cognitoimporttest.User:
//		Username, Attributes, MFAEnabled, Status, Sub, Disabled) and Groups
//		(cognitoimporttest.Group: Name, Description, Precedence, RoleARN,
//		Members), to rehearse an export or a copy of a pool:
//
//		[{"ID": "us-east-1_source", "CustomAttributes": ["dept"],
//		  "Users": [{"Username": "jane", "Status": "CONFIRMED",
//		    "Attributes": {"email": "jane@example.com", "email_verified": "true", "custom:dept": "ops"}}],
//		  "Groups": [{"Name": "admins", "Precedence": 1, "Members": ["jane"]}]}]
//	-import-rate n
//		How many users a second a started job imports (default 100000: a
//		500,000-user file takes 5 seconds). "inf" imports a file at once.
//	-max-upload-mib n
//		How many MiB of uploaded files the server holds at most (default
//		512): the files of the jobs not yet ended, and the uploads being
//		read. Past it an upload gets 503 SlowDown; a job's file is released
//		when the job ends or expires.
//	-access-key-id id, -secret-access-key key
//		The only credentials the server accepts (defaults:
//		cognitoimporttest.DefaultAccessKeyID and DefaultSecretAccessKey).
//
// At start-up the command prints the endpoint URL, the region, the
// credentials and the pools, and an AWS CLI command that can be pasted into a
// shell to call the server. For example:
//
//	$ go run ./cmd/cognitoimport-server -pool us-east-1_example
//	endpoint:          http://127.0.0.1:9229
//	...
//	$ AWS_ACCESS_KEY_ID=AKIDCOGNITOIMPORTTEST AWS_SECRET_ACCESS_KEY=cognitoimporttest/secret/access/key \
//	  aws --endpoint-url http://127.0.0.1:9229 --region us-east-1 \
//	  cognito-idp list-user-import-jobs --user-pool-id us-east-1_example --max-results 10
//
// The server bounds what a client can hold: 10 s for a request's headers,
// 1 min for a whole request, 30 s to write a response, 2 min for an idle
// connection; then it closes the connection.
//
// The command serves until it receives SIGINT or SIGTERM; it then waits at
// most 1 s for requests in flight, closes their connections (a client that
// stalls cannot hold the shutdown longer) and exits with status 0. A second
// signal during that wait ends it at once. It exits with status 2 for a bad
// command line and 1 when it cannot listen on the address.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
	"github.com/cognitoimport/cognitoimport/internal/shell"
)

// name is the command's name in its messages.
const name = "cognitoimport-server"

// defaultAddr is the address the command listens on without -addr. 9229 is
// the port cognito-local uses, so tools set up for it find this server too.
const defaultAddr = "127.0.0.1:9229"

// main runs the command until SIGINT or SIGTERM, then exits with the status
// run returns.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, restore the default handling, so that a
		// second one ends the process even if requests in flight hold up
		// the shutdown.
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command with the arguments args (without the program name). It
// serves until ctx is done, then closes the server and returns the exit
// status: 0 after a clean shutdown or for -h, 2 for a bad command line, 1 when
// it cannot listen. It writes the start-up banner to stdout and diagnostics to
// stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s [-addr host:port] [-region region] [-pool id]... [-pool-config file] [-import-rate n] [-max-upload-mib n] [-access-key-id id] [-secret-access-key key]\n\n", name)
		fmt.Fprintf(fs.Output(), "Serves the user import API of Amazon Cognito user pools from memory, uploads included, until SIGINT or SIGTERM\n(then waits at most 1 s for requests in flight).\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nThe -pool-config file is a JSON array of pools, for example:\n%s\n", poolConfigExample)
	}
	var pools poolList
	addr := fs.String("addr", defaultAddr, "listen on this `host:port`; port 0 picks a free port")
	region := fs.String("region", cognitoimporttest.DefaultRegion, "the `region` the server reports; clients must sign for it")
	fs.Var(&pools, "pool", "create a user pool with this `id`, such as us-east-1_example (repeatable)")
	keyID := fs.String("access-key-id", cognitoimporttest.DefaultAccessKeyID, "the access key `id` the server accepts")
	secret := fs.String("secret-access-key", cognitoimporttest.DefaultSecretAccessKey, "the secret access `key` the server accepts")
	poolConfig := fs.String("pool-config", "", "create the user pools this JSON `file` describes (see below)")
	rate := fs.Float64("import-rate", cognitoimporttest.DefaultImportRate, "a started job imports `n` users a second (inf: at once)")
	maxUpload := fs.Int64("max-upload-mib", cognitoimporttest.DefaultMaxUploadBytes>>20, "hold at most `n` MiB of uploaded files (then: 503 SlowDown)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package has printed the error and the usage
	}
	if fs.NArg() > 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	// These values go into the credential scope of a signature, whose parts
	// are separated by '/', and into the example command: refuse what would
	// make every request fail.
	for _, f := range []struct{ flag, value string }{{"region", *region}, {"access-key-id", *keyID}} {
		if f.value == "" || strings.ContainsAny(f.value, "/ \t\r\n") {
			return usageError(fs, fmt.Sprintf("invalid value %q for flag -%s: must be non-empty, without '/' or spaces", f.value, f.flag))
		}
	}
	if *secret == "" {
		return usageError(fs, "invalid value \"\" for flag -secret-access-key: must be non-empty")
	}
	if !(*rate > 0) {
		return usageError(fs, fmt.Sprintf("invalid value %v for flag -import-rate: must be positive", *rate))
	}
	if *maxUpload <= 0 || *maxUpload > math.MaxInt64>>20 {
		return usageError(fs, fmt.Sprintf("invalid value %d for flag -max-upload-mib: must be positive", *maxUpload))
	}
	var configs []poolFile
	if *poolConfig != "" {
		var err error
		if configs, err = readPoolConfig(*poolConfig); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 2
		}
	}

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	opts := []cognitoimporttest.Option{
		cognitoimporttest.WithListener(l),
		cognitoimporttest.WithRegion(*region),
		cognitoimporttest.WithCredentials(*keyID, *secret, ""),
		cognitoimporttest.WithImportRate(*rate),
		cognitoimporttest.WithMaxUploadBytes(*maxUpload << 20),
	}
	for _, c := range configs {
		opts = append(opts, cognitoimporttest.WithUserPool(c.PoolConfig))
		if !slices.Contains(pools, c.ID) {
			pools = append(pools, c.ID)
		}
	}
	opts = append(opts, cognitoimporttest.WithUserPools(pools...))
	srv := cognitoimporttest.NewServer(opts...)
	if err := seedPools(srv, configs); err != nil { // seed.go
		fmt.Fprintf(stderr, "%s: -pool-config %s: %v\n", name, *poolConfig, err)
		srv.Close()
		return 2
	}
	printBanner(stdout, srv, l.Addr(), pools)

	<-ctx.Done()
	fmt.Fprintf(stderr, "%s: shutting down\n", name)
	srv.Close()
	return 0
}

// usageError reports a bad command line as the flag package does, and returns
// the exit status for it.
func usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintln(fs.Output(), msg)
	fs.Usage()
	return 2
}

// printBanner writes to w what a client needs to call srv, which listens on
// addr and holds pools.
func printBanner(w io.Writer, srv *cognitoimporttest.Server, addr net.Addr, pools []string) {
	endpoint := clientURL(srv.URL)
	creds := srv.Credentials()
	fmt.Fprintf(w, "%s: serving the user import API and uploads\n", name)
	if endpoint != srv.URL {
		fmt.Fprintf(w, "listening on:      %s (all interfaces)\n", addr)
	}
	fmt.Fprintf(w, "endpoint:          %s\n", endpoint)
	fmt.Fprintf(w, "region:            %s\n", srv.Region())
	fmt.Fprintf(w, "access key ID:     %s\n", creds.AccessKeyID)
	fmt.Fprintf(w, "secret access key: %s\n", creds.SecretAccessKey)
	example := "POOL_ID"
	if len(pools) == 0 {
		fmt.Fprintf(w, "user pools:        none (create some with -pool ID; calls on other pools fail with ResourceNotFoundException)\n")
	} else {
		fmt.Fprintf(w, "user pools:        %s\n", strings.Join(pools, " "))
		example = pools[0]
	}
	fmt.Fprintf(w, "example:\n  AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s --region %s cognito-idp list-user-import-jobs --user-pool-id %s --max-results 10\n",
		shell.Quote(creds.AccessKeyID), shell.Quote(creds.SecretAccessKey), shell.Quote(endpoint), shell.Quote(srv.Region()), shell.Quote(example))
}

// clientURL returns the URL a client on this machine should call for a
// server at serverURL: a server listening on all interfaces reports the
// unspecified address (0.0.0.0 or [::]), which is not an address to send
// requests to.
func clientURL(serverURL string) string {
	u, err := url.Parse(serverURL)
	if err != nil {
		return serverURL
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || !ip.IsUnspecified() {
		return serverURL
	}
	host := "localhost" // [::] is dual-stack: either loopback will do
	if ip.To4() != nil {
		host = "127.0.0.1"
	}
	u.Host = net.JoinHostPort(host, u.Port())
	return u.String()
}

// poolConfigExample is a -pool-config file, for the usage message.
const poolConfigExample = `  [{"ID": "us-east-1_staff", "Name": "staff", "CustomAttributes": ["dept"],
    "RequiredAttributes": ["custom:dept"], "AutoVerifiedAttributes": ["email", "phone_number"],
    "MFA": "OPTIONAL"}]
ID is required; Name defaults to the ID, AutoVerifiedAttributes to ["email"] ([] means none),
MFA (OFF, ON or OPTIONAL) to OFF.`

// readPoolConfig reads a -pool-config file and checks every pool in it.
func readPoolConfig(path string) ([]poolFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-pool-config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var configs []poolFile
	if err := dec.Decode(&configs); err != nil {
		return nil, fmt.Errorf("-pool-config %s: %w (want a JSON array of pools)", path, err)
	}
	for i, c := range configs {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("-pool-config %s: pool %d: %w", path, i+1, err)
		}
	}
	return configs, nil
}

// poolList is the value of the repeatable -pool flag: the user pool IDs to
// create, in the order given, without repeats.
type poolList []string

// String returns the pool IDs separated by commas.
func (p *poolList) String() string { return strings.Join(*p, ",") }

// Set adds id to the list. It refuses an ID that the service would refuse,
// by the rule the server itself applies (CreateUserPool panics on it).
func (p *poolList) Set(id string) error {
	var invalid *cognitoimport.ValidationError
	if errors.As(cognitoimport.ListJobsInput{UserPoolID: id}.Validate(), &invalid) {
		return fmt.Errorf("not a user pool ID: %s", invalid.Violations[0])
	}
	for _, have := range *p {
		if have == id {
			return nil
		}
	}
	*p = append(*p, id)
	return nil
}
