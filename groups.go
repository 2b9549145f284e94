package cognitoimport

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// GroupsFile is the groups file that Export writes (ExportInput.Groups) and
// RestoreGroups reads: a pool's groups and their members' usernames, as JSON.
type GroupsFile struct {
	UserPoolID string `json:"UserPoolId"` // the source pool
	Groups     []Group
}

// Group is a group of a user pool, as ListGroups reports it, with its
// members' usernames.
type Group struct {
	Name        string
	Description string `json:",omitempty"`
	Precedence  *int32 `json:",omitempty"` // nil: none
	RoleARN     string `json:",omitempty"`
	Members     []string
}

// groups writes the source's groups and members to in.Groups, one group at a
// time: the members of a group are written as their pages are read.
func (e *exporter) groups(ctx context.Context) error {
	var groups []Group
	if err := listGroups(ctx, e.gate, e.api, e.opts, e.in.UserPoolID, func(g Group) { groups = append(groups, g) }); err != nil {
		return err
	}
	w := bufio.NewWriter(e.in.Groups)
	fmt.Fprintf(w, "{\"UserPoolId\":%s,\"Groups\":[", jsonString(e.in.UserPoolID))
	for i, g := range groups {
		if i > 0 {
			w.WriteString(",\n")
		}
		head, err := json.Marshal(struct {
			Name        string
			Description string `json:",omitempty"`
			Precedence  *int32 `json:",omitempty"`
			RoleARN     string `json:",omitempty"`
		}{g.Name, g.Description, g.Precedence, g.RoleARN})
		if err != nil {
			return err
		}
		w.Write(head[:len(head)-1]) // without its closing brace
		w.WriteString(",\"Members\":[")
		n := 0
		err = e.members(ctx, g.Name, func(username string) {
			if n > 0 {
				w.WriteByte(',')
			}
			w.WriteString(jsonString(username))
			n++
		})
		if err != nil {
			return err
		}
		w.WriteString("]}")
		e.out.Groups++
		e.out.Memberships += n
		e.progress(e.out.Groups)
	}
	w.WriteString("]}\n")
	return w.Flush()
}

// listGroups calls f with each group of a pool, without its members.
func listGroups(ctx context.Context, g *gate, api PoolAPI, opts []func(*cognitoidentityprovider.Options), poolID string, f func(Group)) error {
	return paginate(ctx, g, "ListGroups",
		func(token *string) (*cognitoidentityprovider.ListGroupsOutput, error) {
			return api.ListGroups(ctx, &cognitoidentityprovider.ListGroupsInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(60), NextToken: token}, opts...)
		},
		func(page *cognitoidentityprovider.ListGroupsOutput) *string { return page.NextToken },
		func(page *cognitoidentityprovider.ListGroupsOutput) error {
			for _, g := range page.Groups {
				f(Group{Name: aws.ToString(g.GroupName), Description: aws.ToString(g.Description), Precedence: g.Precedence, RoleARN: aws.ToString(g.RoleArn)})
			}
			return nil
		})
}

// members calls f with the username of each member of the source's group.
func (e *exporter) members(ctx context.Context, group string, f func(string)) error {
	return listMembers(ctx, e.gate, e.api, e.opts, e.in.UserPoolID, group, f)
}

// listMembers calls f with the username of each member of a pool's group.
func listMembers(ctx context.Context, g *gate, api PoolAPI, opts []func(*cognitoidentityprovider.Options), poolID, group string, f func(string)) error {
	return paginate(ctx, g, "ListUsersInGroup",
		func(token *string) (*cognitoidentityprovider.ListUsersInGroupOutput, error) {
			return api.ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{
				UserPoolId: aws.String(poolID), GroupName: aws.String(group), Limit: aws.Int32(60), NextToken: token,
			}, opts...)
		},
		func(page *cognitoidentityprovider.ListUsersInGroupOutput) *string { return page.NextToken },
		func(page *cognitoidentityprovider.ListUsersInGroupOutput) error {
			for _, u := range page.Users {
				f(aws.ToString(u.Username))
			}
			return nil
		})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}

// RestoreGroupsInput is the input of RestoreGroups.
type RestoreGroupsInput struct {
	// UserPoolID is the destination pool. Required.
	UserPoolID string
	// Groups is the groups file Export wrote. Required.
	Groups io.Reader
	// RequestsPerSecond is the rate of each operation (ListGroups,
	// CreateGroup, ListUsersInGroup, AdminAddUserToGroup), by the Client's clock. 0
	// means DefaultRequestsPerSecond; a negative value means no limit.
	RequestsPerSecond float64
	// Progress, when not nil, is called after each group.
	Progress func(RestoreGroupsOutput)
}

// MissingMember is a member of a source group that is not a user of the
// destination pool: the export left the user out, or the import did not
// import it.
type MissingMember struct {
	Group    string
	Username string
}

// RestoreGroupsOutput is what RestoreGroups did.
type RestoreGroupsOutput struct {
	GroupsCreated  int // groups created in the destination
	GroupsExisting int // groups the destination had already: left as they are
	// MembershipsAdded counts the members added; MembershipsExisting the
	// members the destination's group had already.
	MembershipsAdded    int
	MembershipsExisting int
	// MissingMembers are the members that are not users of the destination.
	MissingMembers []MissingMember
	Requests       int // requests sent, retries included
}

// RestoreGroups creates the groups of a groups file in the destination pool
// (CreateGroup, with the source's description, precedence and role) and adds
// each member that is a user of the destination (AdminAddUserToGroup). Run it
// after the import. It reads the destination's groups first (ListGroups),
// and the members of those the file names (ListUsersInGroup), so that it is
// idempotent: a group the destination has already is left as it is (its
// description, precedence and role are not changed), a member it has already
// is not added again, and a second run sends no CreateGroup and no
// AdminAddUserToGroup request but for the missing members, and changes nothing. Members
// that are not users of the destination are reported in MissingMembers. It
// reads the whole groups file into memory, and the destination's members of
// one group at a time.
//
// optFns apply to every call of the service that RestoreGroups makes.
func (c *Client) RestoreGroups(ctx context.Context, in RestoreGroupsInput, optFns ...func(*cognitoidentityprovider.Options)) (*RestoreGroupsOutput, error) {
	api, err := c.poolAPI()
	if err != nil {
		return nil, err
	}
	if err := checkRequired(required{"RestoreGroupsInput.UserPoolID", in.UserPoolID != ""}, required{"RestoreGroupsInput.Groups", in.Groups != nil}); err != nil {
		return nil, err
	}
	var file GroupsFile
	if err := json.NewDecoder(in.Groups).Decode(&file); err != nil {
		return nil, fmt.Errorf("cognitoimport: the groups file: %w", err)
	}
	r := &restorer{api: api, opts: optFns, in: in, gate: newGate(c.clock, in.RequestsPerSecond), out: &RestoreGroupsOutput{}, existing: make(map[string]bool)}
	err = listGroups(ctx, r.gate, api, optFns, in.UserPoolID, func(g Group) { r.existing[g.Name] = true })
	if err != nil {
		r.out.Requests = r.gate.requests
		return r.out, err
	}
	for _, g := range file.Groups {
		if err := r.group(ctx, g); err != nil {
			r.out.Requests = r.gate.requests
			return r.out, err
		}
		if in.Progress != nil {
			p := *r.out
			p.Requests = r.gate.requests
			in.Progress(p)
		}
	}
	r.out.Requests = r.gate.requests
	return r.out, nil
}

// restorer is one RestoreGroups.
type restorer struct {
	api      PoolAPI
	opts     []func(*cognitoidentityprovider.Options) // RestoreGroups's optFns
	in       RestoreGroupsInput
	gate     *gate
	out      *RestoreGroupsOutput
	existing map[string]bool // the destination's groups before the restore
}

// group restores one group and its members.
func (r *restorer) group(ctx context.Context, g Group) error {
	created, err := r.create(ctx, g)
	if err != nil {
		return err
	}
	have := make(map[string]bool)
	if !created {
		err := listMembers(ctx, r.gate, r.api, r.opts, r.in.UserPoolID, g.Name, func(u string) { have[u] = true })
		if err != nil {
			return err
		}
	}
	for _, m := range g.Members {
		if have[m] {
			r.out.MembershipsExisting++
			continue
		}
		err := r.gate.do(ctx, "AdminAddUserToGroup", func() error {
			_, err := r.api.AdminAddUserToGroup(ctx, &cognitoidentityprovider.AdminAddUserToGroupInput{
				UserPoolId: aws.String(r.in.UserPoolID), GroupName: aws.String(g.Name), Username: aws.String(m),
			}, r.opts...)
			return err
		})
		var se *ServiceError
		switch {
		case err == nil:
			r.out.MembershipsAdded++
			have[m] = true
		case errors.As(err, &se) && se.Code == "UserNotFoundException":
			r.out.MissingMembers = append(r.out.MissingMembers, MissingMember{Group: g.Name, Username: m})
		default:
			return err
		}
	}
	return nil
}

// create creates g in the destination and reports whether it did; a group
// that exists is counted and left as it is.
func (r *restorer) create(ctx context.Context, g Group) (bool, error) {
	if r.existing[g.Name] {
		r.out.GroupsExisting++
		return false, nil
	}
	params := &cognitoidentityprovider.CreateGroupInput{UserPoolId: aws.String(r.in.UserPoolID), GroupName: aws.String(g.Name), Precedence: g.Precedence}
	if g.Description != "" {
		params.Description = aws.String(g.Description)
	}
	if g.RoleARN != "" {
		params.RoleArn = aws.String(g.RoleARN)
	}
	err := r.gate.do(ctx, "CreateGroup", func() error {
		_, err := r.api.CreateGroup(ctx, params, r.opts...)
		return err
	})
	var se *ServiceError
	switch {
	case err == nil:
		r.out.GroupsCreated++
		return true, nil
	case errors.As(err, &se) && se.Code == "GroupExistsException":
		r.out.GroupsExisting++
		return false, nil
	}
	return false, err
}
