package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
	"github.com/cognitoimport/cognitoimport/internal/shell"
)

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
			c, err := a.client(cmd.Context())
			if err != nil {
				return err
			}
			return run(cmd.Context(), c, pool, args)
		}),
	}
	poolFlag(cmd, &pool)
	mustRequire(cmd, "pool")
	return cmd
}

// mustRequire marks the flags of cmd named names required, for cobra to
// refuse a command line without them.
func mustRequire(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		if err := cmd.MarkFlagRequired(n); err != nil {
			panic(err) // no such flag: a mistake in this file
		}
	}
}

// globalFlags returns the global flags that were given, as command-line
// arguments, for the commands the command suggests.
func (a *app) globalFlags() string {
	var b strings.Builder
	for _, f := range []struct{ flag, value string }{
		{"--endpoint-url", a.endpointURL}, {"--region", a.region}, {"--profile", a.profile},
	} {
		if f.value != "" {
			b.WriteString(" " + f.flag + " " + shell.Quote(f.value))
		}
	}
	return b.String()
}

// suggest returns the command line of subcommand verb about job id of pool,
// with the global flags that were given and extra flags and their values,
// for the person to run as it is.
func (a *app) suggest(verb, pool, id string, extra ...string) string {
	var b strings.Builder
	b.WriteString(a.program() + " " + verb + a.globalFlags() + " --pool " + shell.Quote(pool))
	for _, e := range extra {
		b.WriteString(" " + shell.Quote(e))
	}
	b.WriteString(" " + shell.Quote(id))
	return b.String()
}

// program returns how the person runs the command, for the command lines it
// suggests: sys.program, or the command's name.
func (a *app) program() string {
	if a.sys.program != "" {
		return a.sys.program
	}
	return name
}
