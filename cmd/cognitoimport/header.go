package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// headerCommand prints a pool's CSV header.
func (a *app) headerCommand() *cobra.Command {
	var pool string
	cmd := &cobra.Command{
		Use:   "header --pool ID",
		Short: "Print the pool's CSV header, the first line of a users file",
		Long: `Print the columns a users file for the pool must have, as one CSV line, ready to
start a file: cognitoimport header --pool ID > users.csv. With --json, an object
with the service's member names UserPoolId and CSVHeader.`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if err := requirePool(pool); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			header, err := c.CSVHeader(ctx, cognitoimport.CSVHeaderInput{UserPoolID: pool})
			if err != nil {
				return err
			}
			if a.json {
				return writeJSON(a.stdout, struct {
					UserPoolID string   `json:"UserPoolId"`
					CSVHeader  []string `json:"CSVHeader"`
				}{pool, header})
			}
			// Column names hold no commas: the line needs no CSV escaping;
			// printable keeps a rogue server's from reaching the terminal.
			_, err = fmt.Fprintln(a.stdout, printable(strings.Join(header, ",")))
			return err
		}),
	}
	poolFlag(cmd, &pool)
	return cmd
}
