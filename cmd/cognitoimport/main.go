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
//	cognitoimport import   --pool ID --role ARN [--name NAME] [--password-hashing-algorithm ALG] FILE
//	cognitoimport jobs     --pool ID                       every job, newest first
//	cognitoimport describe --pool ID JOB_ID
//	cognitoimport wait     --pool ID [--file FILE] JOB_ID  wait for a job to end, with progress
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
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/internal/shell"
)

// name is the command's name in its messages.
const name = "cognitoimport"

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
		program: programName(),
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, sys))
}

// programName returns how to run this program again from a shell: its name
// when that name on PATH is this program; the module's path to go run when
// it runs from go run's temporary build; otherwise its absolute path, quoted.
func programName() string {
	exe, err := os.Executable()
	if err != nil {
		return name
	}
	if onPath, err := exec.LookPath(name); err == nil && sameFile(onPath, exe) {
		return name
	}
	if strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "go run " + modulePath + "/cmd/" + name
	}
	return shell.Quote(exe)
}

// modulePath is the path of the command's module.
const modulePath = "github.com/cognitoimport/cognitoimport"

// sameFile reports whether paths a and b name the same file.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
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
	// program is how a person runs the command, in the command lines it
	// suggests, ready for a shell. Empty: the command's name.
	program string
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
	// resumeFlags are the flags of wait, with their values, that the
	// command lines to wait again add (the users file, for the total).
	resumeFlags []string
	// negativeSaid records that a negative count was noted.
	negativeSaid bool

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
	)
	return root
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
