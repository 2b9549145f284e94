// Command cognitoimport imports users into an Amazon Cognito user pool from a
// CSV file, with the user import jobs of the service: it checks the file
// against the pool's rules, creates a job, uploads the file, starts the job
// and waits for it, showing progress. It is a thin shell over package
// github.com/cognitoimport/cognitoimport.
//
// Usage:
//
//	cognitoimport header   --pool ID                       the pool's CSV header line
//	cognitoimport check    [--pool ID] FILE                 check FILE against the pool's rules
//	cognitoimport import   --pool ID --role ARN [--name NAME] FILE
//	cognitoimport jobs     --pool ID                       every job, newest first
//	cognitoimport describe --pool ID JOB_ID
//	cognitoimport wait     --pool ID JOB_ID                wait for a job to end, with progress
//	cognitoimport stop     --pool ID JOB_ID
//	cognitoimport results  --pool ID JOB_ID [--file FILE]  why each row failed or was skipped
//	cognitoimport export   --pool SRC [--for-pool DST] -o FILE   a pool's users as a users file for another
//
// Every subcommand takes the global flags --endpoint-url URL, --region R,
// --profile P (otherwise the default AWS configuration chain applies) and
// --json (machine-readable output on stdout), and --help. Flags may come
// before or after arguments.
//
// Results go to stdout; progress and diagnostics go to stderr, so that --json
// output stays pure JSON. Progress is a bar when stderr is a terminal, and
// otherwise a plain line at each change of status and at most every few
// seconds.
//
// Exit status: 0 success; 1 the work did not succeed (problems in the file,
// a job that ended other than Succeeded, a service or network error); 2 a
// usage error; 130 interrupted by Ctrl-C while waiting (the job keeps running
// unless --stop-on-interrupt was given or Ctrl-C was pressed twice); 143
// ended by SIGTERM, at once, with no second chance to stop the job (it keeps
// running unless --stop-on-interrupt was given).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/logging"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cognitoimport/cognitoimport"
)

// name is the command's name in its messages.
const name = "cognitoimport"

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1   // the work did not succeed
	exitUsage       = 2   // a bad command line
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
	exitTerminated  = 143 // 128 + SIGTERM
)

func main() {
	sys := system{
		notify: func() (<-chan os.Signal, func()) {
			sigs := make(chan os.Signal, 2)
			signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
			return sigs, func() { signal.Stop(sigs) }
		},
		isTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
		termWidth: func() int {
			w, _, err := term.GetSize(int(os.Stderr.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, sys))
}

// system is what the command takes from its surroundings beyond its
// arguments and standard streams; tests replace each part.
type system struct {
	// notify starts catching Ctrl-C (SIGINT) and SIGTERM, and returns the
	// channel they then arrive on and a function that gives them back their
	// default action (ending the process). The command catches them only
	// while an import or a wait runs, and only those handle them. Nil:
	// never caught.
	notify func() (<-chan os.Signal, func())
	// isTerminal reports whether stderr is a terminal. Nil: it is not.
	isTerminal func() bool
	// termWidth returns the width of stderr's terminal in columns, or 0
	// when unknown. Nil: unknown.
	termWidth func() int
	// clock is the time source of the library (polling, backoff) and of the
	// progress display and default job names. Nil: the wall clock.
	clock cognitoimport.Clock
	// configOptions are added after the command's own when it loads the
	// AWS configuration (tests: credentials, HTTP client, no shared files).
	configOptions []func(*config.LoadOptions) error
	// sdkOptions are added to the SDK client's options (tests: the HTTP
	// client).
	sdkOptions []func(*cognitoidentityprovider.Options)
	// clientOptions are added to the library client's options.
	clientOptions []cognitoimport.Option
}

// run runs the command with args (without the program name) and returns its
// exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, sys system) int {
	if sys.clock == nil {
		sys.clock = cognitoimport.WallClock{}
	}
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, sys: sys}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	return a.exitStatus(cmd, err)
}

// app holds the command's streams, surroundings and global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	sys            system
	interrupts     <-chan os.Signal // while catchInterrupts is in effect

	endpointURL string
	region      string
	profile     string
	json        bool

	poolName string // the pool's name, once the results learned it (results.go)
}

// rootCommand returns the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   name,
		Short: "Import users into an Amazon Cognito user pool from a CSV file",
		Long: `cognitoimport imports users into an Amazon Cognito user pool from a CSV file with
the service's user import jobs: it checks the file against the pool's rules,
creates a job, uploads the file, starts the job and waits for it to end.

Results go to stdout, progress and diagnostics to stderr. Exit status: 0 success,
1 the work did not succeed, 2 a usage error, 130 interrupted (Ctrl-C),
143 terminated (SIGTERM).`,
		Example: `  cognitoimport header --pool us-east-1_EXAMPLE > users.csv
  cognitoimport check --pool us-east-1_EXAMPLE users.csv
  cognitoimport import --pool us-east-1_EXAMPLE --role arn:aws:iam::123456789012:role/CognitoImport users.csv`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// No subcommand is a usage error: the usage goes to stderr and the
		// status is 2, so that a script that forgot it does not succeed.
		// --help still prints it on stdout with status 0.
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprint(a.stderr, cmd.UsageString())
			return &exitError{code: exitUsage}
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{msg: err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.endpointURL, "endpoint-url", "", "send requests to this `URL` instead of the Region's endpoint (a test server)")
	pf.StringVar(&a.region, "region", "", "the AWS `Region` (default: from the AWS configuration)")
	pf.StringVar(&a.profile, "profile", "", "use this `profile` of the shared AWS configuration")
	pf.BoolVar(&a.json, "json", false, "print results on stdout as JSON")
	root.AddCommand(
		a.headerCommand(),
		a.checkCommand(),
		a.importCommand(),
		a.jobsCommand(),
		a.describeCommand(),
		a.waitCommand(),
		a.stopCommand(),
		a.resultsCommand(),
		a.exportCommand(), // export.go
		a.copyCommand(),   // copy.go
	)
	return root
}

// client returns a library client configured by the global flags.
func (a *app) client(ctx context.Context) (*cognitoimport.Client, error) {
	var endpoint string
	if a.endpointURL != "" {
		u, err := url.Parse(a.endpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usageErrorf("invalid --endpoint-url %q: want an http or https URL, such as http://127.0.0.1:9229", a.endpointURL)
		}
		endpoint = a.endpointURL
	}
	var opts []func(*config.LoadOptions) error
	if a.region != "" {
		opts = append(opts, config.WithRegion(a.region))
	}
	if a.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(a.profile))
	}
	opts = append(opts, config.WithLogger(sdkLogger{a.stderr}))
	opts = append(opts, a.sys.configOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var missing config.SharedConfigProfileNotExistError
		if a.profile != "" && errors.As(err, &missing) {
			return nil, usageErrorf("invalid --profile %q: no such profile in the shared AWS configuration", a.profile)
		}
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, usageErrorf("no Region: give --region, set AWS_REGION, or use a --profile that has one")
	}
	if err := checkCredentials(ctx, cfg); err != nil {
		return nil, err
	}
	api := cognitoidentityprovider.NewFromConfig(cfg, append([]func(*cognitoidentityprovider.Options){func(o *cognitoidentityprovider.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}}, a.sys.sdkOptions...)...)
	copts := append([]cognitoimport.Option{cognitoimport.WithClock(a.sys.clock)}, a.sys.clientOptions...)
	return cognitoimport.New(api, copts...), nil
}

// sdkLogger writes the SDK's log lines to the command's stderr, except its
// warnings: the only one it gives without a log mode set is "falling back to
// IMDSv1" when it looks for credentials on an EC2 instance, which on any
// other machine precedes the "no credentials" error and says nothing of use.
type sdkLogger struct{ w io.Writer }

func (l sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	if c == logging.Warn {
		return
	}
	fmt.Fprintln(l.w, printable(fmt.Sprintf("SDK "+string(c)+" "+format, v...)))
}

// checkCredentials gets the credentials of cfg once (the SDK caches them
// for the requests that follow), so that their absence is said in one line
// rather than as the chain the first request's error would hold.
func checkCredentials(ctx context.Context, cfg aws.Config) error {
	const how = "set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
	if cfg.Credentials == nil {
		return fmt.Errorf("no AWS credentials found: %s", how)
	}
	_, err := cfg.Credentials.Retrieve(ctx)
	switch {
	case err == nil:
		return nil
	case strings.Contains(err.Error(), "no EC2 IMDS role found"):
		// The last source of the default chain, the instance metadata
		// service, is reached only when no other gave credentials.
		return fmt.Errorf("no AWS credentials found: %s (nor an EC2 instance role)", how)
	}
	return fmt.Errorf("getting AWS credentials: %w", err)
}

// terminal reports whether progress should be drawn as bars.
func (a *app) terminal() bool { return a.sys.isTerminal != nil && a.sys.isTerminal() }

// width returns the terminal's width, 80 when unknown.
func (a *app) width() int {
	if a.sys.termWidth != nil {
		if w := a.sys.termWidth(); w > 0 {
			return w
		}
	}
	return 80
}

// globalFlags returns the global flags that were given, as command-line
// arguments, for the commands the command suggests.
func (a *app) globalFlags() string {
	var b strings.Builder
	for _, f := range []struct{ flag, value string }{
		{"--endpoint-url", a.endpointURL}, {"--region", a.region}, {"--profile", a.profile},
	} {
		if f.value != "" {
			b.WriteString(" " + f.flag + " " + shellQuote(f.value))
		}
	}
	return b.String()
}

// usageError is a bad command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError ends the command with a status after it has said why (or when
// there is nothing more to say).
type exitError struct {
	code int
	err  error // printed on stderr when not nil
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitStatus reports err, the result of running cmd, on stderr in one line
// and returns the exit status for it.
func (a *app) exitStatus(cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	path := name
	if cmd != nil {
		path = cmd.CommandPath()
	}
	var (
		usage   *usageError
		exit    *exitError
		invalid *cognitoimport.ValidationError
	)
	switch {
	case errors.As(err, &exit) && exit.err == nil:
		return exit.code
	case errors.As(err, &usage):
		fmt.Fprintf(a.stderr, "%s: %s (see '%s --help')\n", path, oneLine(usage.msg), path)
		return exitUsage
	case errors.As(err, &invalid):
		// The library checks inputs before it sends them; every member
		// comes from a flag or an argument, so this is a usage error.
		fmt.Fprintf(a.stderr, "%s: %s (see '%s --help')\n", path, validationMessage(invalid), path)
		return exitUsage
	case errors.As(err, &exit):
		fmt.Fprintf(a.stderr, "%s: %s\n", path, describeError(exit.err))
		return exit.code
	case cmd == nil || !isRunError(err):
		// cobra's own errors: unknown commands and flags, bad flag values.
		fmt.Fprintf(a.stderr, "%s: %s (see '%s --help')\n", path, oneLine(err.Error()), path)
		return exitUsage
	}
	fmt.Fprintf(a.stderr, "%s: %s\n", path, describeError(err))
	return exitFailed
}

// runError marks an error returned by a subcommand's work, as opposed to
// cobra's parsing.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

func isRunError(err error) bool {
	var r *runError
	return errors.As(err, &r)
}

// runE adapts a subcommand's function, marking the errors it returns as the
// work's.
func runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := f(cmd, args); err != nil {
			return &runError{err: err}
		}
		return nil
	}
}

// flagOf is the command-line flag or argument for each API member.
var flagOf = map[string]string{
	"UserPoolId":            "--pool",
	"JobId":                 "JOB_ID",
	"JobName":               "--name",
	"CloudWatchLogsRoleArn": "--role",
}

// validationMessage says which flags hold bad values, and why.
func validationMessage(e *cognitoimport.ValidationError) string {
	var parts []string
	for _, v := range e.Violations {
		f, ok := flagOf[v.Member]
		if !ok {
			parts = append(parts, v.String())
			continue
		}
		parts = append(parts, "invalid "+f+": "+v.String())
	}
	if len(parts) == 0 {
		return oneLine(e.Error())
	}
	return oneLine(strings.Join(parts, "; "))
}

// describeError returns err's message in one line, without the library's
// "cognitoimport: " prefixes, which would repeat the command's name.
func describeError(err error) string {
	return oneLine(strings.ReplaceAll(err.Error(), "cognitoimport: ", ""))
}

// oneLine joins the lines of s with spaces, and makes the rest printable.
func oneLine(s string) string {
	return printable(strings.Join(strings.Fields(s), " "))
}

// noArgs refuses positional arguments, naming the first.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("unexpected argument %q", args[0])
	}
	return nil
}

// oneArg requires exactly one positional argument, called what.
func oneArg(what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			return usageErrorf("missing %s argument", what)
		case len(args) > 1:
			return usageErrorf("unexpected argument %q after %s", args[1], what)
		}
		return nil
	}
}

// poolCommand returns a subcommand that works on the pool --pool names:
// run gets the client, the pool and the arguments once --pool was checked
// and the client made.
func (a *app) poolCommand(use, short, long string, args cobra.PositionalArgs, run func(ctx context.Context, c *cognitoimport.Client, pool string, args []string) error) *cobra.Command {
	var pool string
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  args,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := requirePool(pool); err != nil {
				return err
			}
			c, err := a.client(cmd.Context())
			if err != nil {
				return err
			}
			return run(cmd.Context(), c, pool, args)
		}),
	}
	poolFlag(cmd, &pool)
	return cmd
}

// requirePool returns a usage error when --pool was not given.
func requirePool(pool string) error {
	if pool == "" {
		return usageErrorf("required flag --pool not set")
	}
	return nil
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// characters that need no quoting.
func shellQuote(s string) string {
	safe := s != ""
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("-_./:=@,+", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
