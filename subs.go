package cognitoimport

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// MapSubsInput is the input of MapSubs.
type MapSubsInput struct {
	// UserPoolID is the destination pool, after the import. Required.
	UserPoolID string
	// Subs is the sub file Export wrote (ExportInput.Subs): "sub,username"
	// then one user a line. Required.
	Subs io.Reader
	// Output receives, as CSV, "old_sub,new_sub,username" and a line for
	// each user of Subs that the destination has, in the order of Subs.
	// Required.
	Output io.Writer
	// RequestsPerSecond is the rate of ListUsers, by the Client's clock. 0
	// means DefaultRequestsPerSecond; a negative value means no limit.
	RequestsPerSecond float64
}

// MapSubsOutput is what MapSubs did.
type MapSubsOutput struct {
	Mapped int // users written with their new sub
	// Missing are the usernames of Subs that the destination does not have
	// (the import skipped or failed them).
	Missing  []string
	Requests int // requests sent, retries included
}

// MapSubs writes the new sub of each exported user beside its old one, so
// that data keyed on sub can be moved to the destination's: it lists the
// destination's users (ListUsers, 60 a page, their sub only) and then reads
// in.Subs. It holds the destination's usernames and subs in memory (some 100
// bytes a user) while it reads in.Subs.
//
// optFns apply to every call of the service that MapSubs makes.
func (c *Client) MapSubs(ctx context.Context, in MapSubsInput, optFns ...func(*cognitoidentityprovider.Options)) (*MapSubsOutput, error) {
	api, err := c.poolAPI()
	if err != nil {
		return nil, err
	}
	if err := checkRequired(required{"MapSubsInput.UserPoolID", in.UserPoolID != ""}, required{"MapSubsInput.Subs", in.Subs != nil},
		required{"MapSubsInput.Output", in.Output != nil}); err != nil {
		return nil, err
	}
	g := newGate(c.clock, in.RequestsPerSecond)
	out := &MapSubsOutput{}
	newSub := make(map[string]string)
	err = paginate(ctx, g, "ListUsers",
		func(token *string) (*cognitoidentityprovider.ListUsersOutput, error) {
			return api.ListUsers(ctx, &cognitoidentityprovider.ListUsersInput{
				UserPoolId: aws.String(in.UserPoolID), Limit: aws.Int32(60), PaginationToken: token, AttributesToGet: []string{"sub"},
			}, optFns...)
		},
		func(page *cognitoidentityprovider.ListUsersOutput) *string { return page.PaginationToken },
		func(page *cognitoidentityprovider.ListUsersOutput) error {
			for _, u := range page.Users {
				for _, a := range u.Attributes {
					if aws.ToString(a.Name) == "sub" {
						newSub[aws.ToString(u.Username)] = aws.ToString(a.Value)
					}
				}
			}
			return nil
		})
	out.Requests = g.requests
	if err != nil {
		return out, err
	}

	r := csv.NewReader(in.Subs)
	r.FieldsPerRecord = 2
	w := csv.NewWriter(in.Output)
	head, err := r.Read()
	if err != nil || head[0] != "sub" || head[1] != "username" {
		return out, fmt.Errorf("%w: the first line is not sub,username", ErrSubsFile)
	}
	if err := w.Write([]string{"old_sub", "new_sub", "username"}); err != nil {
		return out, err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, fmt.Errorf("%w: %v", ErrSubsFile, err)
		}
		sub, ok := newSub[rec[1]]
		if !ok {
			out.Missing = append(out.Missing, rec[1])
			continue
		}
		if err := w.Write([]string{rec[0], sub, rec[1]}); err != nil {
			return out, err
		}
		out.Mapped++
	}
	w.Flush()
	return out, w.Error()
}
