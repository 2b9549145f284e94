package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1   // the work did not succeed
	exitUsage       = 2   // a bad command line
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
	exitTerminated  = 143 // 128 + SIGTERM
)

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
	case isRunError(err) && a.isUnreachable(err):
		msg, _ := a.unreachable(err)
		fmt.Fprintf(a.stderr, "%s: %s\n", path, oneLine(msg))
		return exitFailed
	case cmd == nil || !isRunError(err):
		// cobra's own errors: unknown commands and flags, bad flag values.
		fmt.Fprintf(a.stderr, "%s: %s (see '%s --help')\n", path, oneLine(err.Error()), path)
		return exitUsage
	}
	fmt.Fprintf(a.stderr, "%s: %s\n", path, describeError(err))
	return exitFailed
}

// flagOf is the command-line flag or argument for each API member.
var flagOf = map[string]string{
	"UserPoolId":               "--pool",
	"JobId":                    "JOB_ID",
	"JobName":                  "--name",
	"PasswordHashingAlgorithm": "--password-hashing-algorithm",
	"CloudWatchLogsRoleArn":    "--role",
}

// validationMessage says which flags hold bad values, and why.
func validationMessage(e *cognitoimport.ValidationError) string {
	var parts []string
	roleName := false
	for _, v := range e.Violations {
		if v.Member == "CloudWatchLogsRoleArn" && v.Constraint != cognitoimport.ConstraintRequired && !strings.HasPrefix(v.Value, "arn:") {
			// A role's name instead of its ARN breaks the length and the
			// pattern: one line says what is needed instead.
			if !roleName {
				roleName = true
				parts = append(parts, fmt.Sprintf("invalid --role: %s is not an ARN: --role takes the role's ARN, not its name, such as arn:aws:iam::123456789012:role/%s",
					strconv.Quote(v.Value), roleExampleName(v.Value)))
			}
			continue
		}
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

// oneLine returns s without white space at its ends, made printable: a
// line break or a tab within it is escaped, as every other control
// character, so that what is shown is what s holds (a file name's "\n"
// shows as \n, not as a space).
func oneLine(s string) string {
	return printable(strings.TrimSpace(s))
}

// isUnreachable reports whether err is the failure to reach an endpoint.
func (a *app) isUnreachable(err error) bool {
	_, ok := a.unreachable(err)
	return ok
}

// roleExampleName returns value when it can be a role's name, and NAME
// otherwise, for the example of a role ARN.
func roleExampleName(value string) string {
	if value == "" || len(value) > 64 {
		return "NAME"
	}
	for _, c := range value {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("+=,.@_-", c)) {
			return "NAME"
		}
	}
	return value
}
