package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// checkCommand checks a users file.
func (a *app) checkCommand() *cobra.Command {
	var (
		pool        string
		maxProblems int
	)
	cmd := &cobra.Command{
		Use:   "check [--pool ID] FILE",
		Short: "Check a users file against the pool's rules",
		Long: `Check FILE (- for stdin) against the rules of the pool: its columns, the
attributes it requires and verifies, its MFA setting, and the file format's own
rules. Each problem is printed as FILE:LINE: COLUMN: what is wrong, followed by a
summary. Exit status 0 when the file is clean, 1 when it is not.

Without --pool, FILE is checked against the default header and generic rules,
without calling AWS.`,
		Args: oneArg("FILE"),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if maxProblems < 0 {
				return usageErrorf("invalid --max-problems %d: must not be negative", maxProblems)
			}
			file := args[0]
			ctx := cmd.Context()
			var r io.Reader = a.stdin
			if file != "-" {
				f, _, err := openUsersFile(file)
				if err != nil {
					return err
				}
				defer f.Close()
				r = f
			}
			var c *cognitoimport.Client
			if pool != "" {
				var err error
				if c, err = a.client(ctx); err != nil {
					return err
				}
			}
			rules, err := a.rules(ctx, c, pool)
			if err != nil {
				return err
			}
			users, err := cognitoimport.CheckFile(ctxReader{ctx, r}, *rules, cognitoimport.CheckOptions{MaxProblems: maxProblems})
			var problems *cognitoimport.FileError
			if err != nil && !errors.As(err, &problems) {
				return fmt.Errorf("reading %s: %w", file, err)
			}
			if a.json {
				if err := writeJSON(a.stdout, newCheckJSON(file, users, problems)); err != nil {
					return err
				}
			} else {
				writeProblems(a.stdout, file, users, problems)
			}
			if problems != nil || users == 0 {
				return &exitError{code: exitFailed}
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&pool, "pool", "", "check against the rules of the user pool with this `ID` (default: generic rules, no AWS calls)")
	maxProblemsFlag(cmd, &maxProblems)
	return cmd
}

// maxProblemsFlag adds --max-problems.
func maxProblemsFlag(cmd *cobra.Command, v *int) {
	cmd.Flags().IntVar(v, "max-problems", 0, "report at most `N` problems (default: the library's, 100)")
}

// rules returns the rules of pool, read through c, or the generic rules
// when pool is empty (c may then be nil).
func (a *app) rules(ctx context.Context, c *cognitoimport.Client, pool string) (*cognitoimport.PoolSettings, error) {
	if pool == "" {
		rules := cognitoimport.DefaultPoolSettings("")
		return &rules, nil
	}
	rules, err := c.PoolSettings(ctx, pool)
	if err != nil {
		return nil, err
	}
	if !rules.Described {
		a.note("note: could not read the settings of pool %s (DescribeUserPool); checking its header and the generic rules only", pool)
	}
	return &rules, nil
}

// noUsers is the problem of a file that passes the check with no users: a
// job would import nothing.
const noUsers = "the file has no users: nothing after the header"

// noUsersRule is the rule --json names for noUsers, the command's own.
const noUsersRule = "NoUsers"

// writeProblems writes each problem as FILE:LINE: COLUMN: what is wrong,
// then a summary line.
func writeProblems(w io.Writer, file string, users int, problems *cognitoimport.FileError) {
	switch {
	case problems == nil && users == 0:
		fmt.Fprintf(w, "%s: %s\n", printable(file), noUsers)
		return
	case problems == nil:
		fmt.Fprintf(w, "%s: %s, no problems\n", printable(file), formatUsers(int64(users)))
		return
	}
	for _, p := range problems.Problems {
		if p.Column != "" {
			fmt.Fprintf(w, "%s:%d: %s: %s\n", printable(file), p.Line, printable(p.Column), oneLine(p.Message))
		} else {
			fmt.Fprintf(w, "%s:%d: %s\n", printable(file), p.Line, oneLine(p.Message))
		}
	}
	total := max(problems.Total, len(problems.Problems))
	noun := "problems"
	if total == 1 {
		noun = "problem"
	}
	// Not "in N users": the problems may all be in a few of them.
	fmt.Fprintf(w, "%s: %d %s; %s checked", printable(file), total, noun, formatUsers(int64(users)))
	if total > len(problems.Problems) {
		fmt.Fprintf(w, " (the first %d shown; --max-problems shows more)", len(problems.Problems))
	}
	fmt.Fprintln(w)
}

// checkJSON is the result of check as --json prints it.
type checkJSON struct {
	File          string        `json:"File"`
	Users         int           `json:"Users"`
	TotalProblems int           `json:"TotalProblems"`
	Problems      []problemJSON `json:"Problems"`
}

type problemJSON struct {
	Line    int    `json:"Line"`
	Column  string `json:"Column,omitempty"`
	Rule    string `json:"Rule"`
	Message string `json:"Message"`
}

func newCheckJSON(file string, users int, problems *cognitoimport.FileError) checkJSON {
	out := checkJSON{File: file, Users: users, Problems: []problemJSON{}}
	if problems == nil {
		if users == 0 {
			out.TotalProblems = 1
			out.Problems = append(out.Problems, problemJSON{Line: 1, Rule: noUsersRule, Message: noUsers})
		}
		return out
	}
	out.TotalProblems = max(problems.Total, len(problems.Problems))
	for _, p := range problems.Problems {
		out.Problems = append(out.Problems, problemJSON{Line: p.Line, Column: p.Column, Rule: p.Rule.String(), Message: p.Message})
	}
	return out
}

// openUsersFile opens the users file named file. A directory is a usage
// error, said the same way by every subcommand.
func openUsersFile(file string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if info.IsDir() {
		f.Close()
		return nil, nil, usageErrorf("%s is a directory, not a users file", file)
	}
	return f, info, nil
}
