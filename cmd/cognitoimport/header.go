package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// headerCommand prints a pool's CSV header.
func (a *app) headerCommand() *cobra.Command {
	return a.poolCommand("header --pool ID", "Print the pool's CSV header, the first line of a users file",
		`Print the columns a users file for the pool must have, as one CSV line, ready to
start a file: cognitoimport header --pool ID > users.csv. With --json, an object
with the service's member names UserPoolId and CSVHeader.`,
		noArgs, func(ctx context.Context, c *cognitoimport.Client, pool string, _ []string) error {
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
		})
}
