package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cognitoimport/cognitoimport"
)

// exportCommand writes a pool's users as a users file for another pool, with
// its groups and subs beside it.
func (a *app) exportCommand() *cobra.Command {
	var (
		forPool, filter, output, groupsFile, subsFile string
		rate                                          float64
	)
	cmd := a.poolCommand("export --pool SRC [--for-pool DST] [--filter EXPR] -o users.csv",
		"Write a pool's users as a users file for another pool, with its groups and subs",
		`Read the users of the pool (ListUsers, 60 a page) and write them as a users file
for the pool --for-pool names (default: the pool itself): its columns, checked
against its rules. Each user an import would refuse or misrepresent is left out
and printed as USERNAME: reason (federated and disabled users, attributes the
destination lacks, values its rules refuse, no verified email or phone it needs).

Beside the users file go the groups and their members (--groups, default
FILE.groups.json) and each user's sub (--subs, default FILE.subs.csv): a
destination gives imported users new subs. Passwords, TOTP enrolments and
devices cannot be read from a pool: imported users reset their password.

Requests keep to --rate a second per operation (the service allows 5), and
throttling is waited out. Exit status 0 when the files are written, whether or
not users were left out; 1 on an error (the files then hold what was written).`,
		noArgs, func(ctx context.Context, c *cognitoimport.Client, pool string, _ []string) error {
			return a.export(ctx, c, pool, forPool, filter, output, groupsFile, subsFile, rate)
		})
	f := cmd.Flags()
	f.StringVar(&forPool, "for-pool", "", "write the file for the user pool with this `ID`: its columns and rules (default: --pool's)")
	f.StringVar(&filter, "filter", "", "export only the users this ListUsers `filter` matches, such as 'cognito:user_status = \"CONFIRMED\"'")
	f.StringVarP(&output, "output", "o", "", "write the users file to `FILE`")
	f.StringVar(&groupsFile, "groups", "", "write the groups and their members to `FILE` (default: the users file's name + .groups.json)")
	f.StringVar(&subsFile, "subs", "", "write each user's sub to `FILE` (default: the users file's name + .subs.csv)")
	f.Float64Var(&rate, "rate", cognitoimport.DefaultRequestsPerSecond, "at most `N` requests a second per operation")
	cmd.MarkFlagRequired("output")
	return cmd
}

// exportJSON is what export prints with --json.
type exportJSON struct {
	UserPoolID        string                           `json:"UserPoolId"`
	ForPool           string                           `json:"ForPool"`
	UsersFile         string                           `json:"UsersFile"`
	GroupsFile        string                           `json:"GroupsFile"`
	SubsFile          string                           `json:"SubsFile"`
	Users             int                              `json:"Users"`
	Exported          int                              `json:"Exported"`
	LeftOut           []cognitoimport.LeftOutUser      `json:"LeftOut"`
	MissingAttributes []cognitoimport.MissingAttribute `json:"MissingAttributes"`
	Groups            int                              `json:"Groups"`
	Memberships       int                              `json:"Memberships"`
	Requests          int                              `json:"Requests"`
	Notes             []string                         `json:"Notes"`
}

func (a *app) export(ctx context.Context, c *cognitoimport.Client, pool, forPool, filter, output, groupsFile, subsFile string, rate float64) error {
	if !(rate > 0) {
		return usageErrorf("invalid --rate %v: must be positive", rate)
	}
	base := strings.TrimSuffix(output, ".csv")
	if groupsFile == "" {
		groupsFile = base + ".groups.json"
	}
	if subsFile == "" {
		subsFile = base + ".subs.csv"
	}
	if forPool == "" {
		forPool = pool
	}
	settings, err := c.PoolSettings(ctx, forPool)
	if err != nil {
		return err
	}
	files := map[string]*os.File{}
	for _, name := range []string{output, groupsFile, subsFile} {
		if _, dup := files[name]; dup {
			return usageErrorf("the users, groups and subs files must differ: %s is named twice", name)
		}
		f, err := os.Create(name)
		if err != nil {
			return err
		}
		defer f.Close()
		files[name] = f
	}
	meter := a.newMeter("export", 0, formatCount, " users", " user")
	in := cognitoimport.ExportInput{
		UserPoolID: pool, Settings: settings, Filter: filter, RequestsPerSecond: rate,
		Users: files[output], Groups: files[groupsFile], Subs: files[subsFile],
		Progress: func(p cognitoimport.ExportProgress) {
			status := "reading users"
			if p.Groups > 0 {
				status = "reading groups"
			}
			meter.update(status, int64(p.Users), fmt.Sprintf("%s exported, %s left out", formatCount(int64(p.Exported)), formatCount(int64(p.LeftOut))))
		},
	}
	if !a.json {
		// Print each user left out as the export finds it: memory stays
		// flat, and the lines come before the summary.
		in.LeftOut = func(l cognitoimport.LeftOutUser) {
			meter.interrupt()
			fmt.Fprintln(a.stdout, printable(l.String()))
			meter = a.newMeter("export", 0, formatCount, " users", " user")
		}
	}
	out, err := c.Export(ctx, in)
	meter.finish()
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			return err
		}
	}
	if a.json {
		return writeJSON(a.stdout, exportJSON{
			UserPoolID: pool, ForPool: forPool, UsersFile: output, GroupsFile: groupsFile, SubsFile: subsFile,
			Users: out.Users, Exported: out.Exported, LeftOut: nonNil(out.LeftOut), MissingAttributes: nonNil(out.MissingAttributes),
			Groups: out.Groups, Memberships: out.Memberships, Requests: out.Requests, Notes: out.Notes,
		})
	}
	fmt.Fprintf(a.stdout, "exported %s of %s to %s; %s left out\n",
		formatCount(int64(out.Exported)), formatUsers(int64(out.Users)), printable(output), formatCount(int64(out.LeftOutCount)))
	for _, m := range out.MissingAttributes {
		fmt.Fprintf(a.stdout, "%s: %s it and pool %s does not: left out\n", printable(m.Attribute), formatNoun(int64(m.Users), "user has", "users have"), forPool)
	}
	fmt.Fprintf(a.stdout, "%s with %s to %s; subs to %s\n",
		formatNoun(int64(out.Groups), "group", "groups"), formatNoun(int64(out.Memberships), "member", "members"), printable(groupsFile), printable(subsFile))
	for _, n := range out.Notes {
		fmt.Fprintln(a.stdout, "note: "+n)
	}
	return nil
}

// nonNil returns s, or an empty slice for nil, so that JSON holds [] rather
// than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
