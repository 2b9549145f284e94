package cognitoimporttest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

// The operations on a pool's users and groups, which an export of a pool
// calls (users_api.go, groups.go).
const (
	ListUsers           Operation = "ListUsers"
	ListGroups          Operation = "ListGroups"
	ListUsersInGroup    Operation = "ListUsersInGroup"
	CreateGroup         Operation = "CreateGroup"
	AdminAddUserToGroup Operation = "AdminAddUserToGroup"
)

// The statuses of a user, as ListUsers reports them.
const (
	UserStatusUnconfirmed         = "UNCONFIRMED"
	UserStatusConfirmed           = "CONFIRMED"
	UserStatusExternalProvider    = "EXTERNAL_PROVIDER"
	UserStatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	UserStatusUnknown             = "UNKNOWN"
	UserStatusArchived            = "ARCHIVED"
	UserStatusCompromised         = "COMPROMISED"
	// UserStatusResetRequired is declared in pools.go.
)

// userStatuses are the statuses AddUser accepts.
var userStatuses = []string{
	UserStatusUnconfirmed, UserStatusConfirmed, UserStatusExternalProvider, UserStatusResetRequired,
	UserStatusForceChangePassword, UserStatusUnknown, UserStatusArchived, UserStatusCompromised,
}

// The members of the users and groups operations that the server checks, with
// the service model's constraints.
var (
	limitMember     = &constraint.Member{Name: "Limit", Field: "limit", Integer: true, MinValue: 0, MaxValue: 60}
	tokenMember     = &constraint.Member{Name: "PaginationToken", Field: "paginationToken", MinLen: 1}
	nextTokenMember = &constraint.Member{Name: "NextToken", Field: "nextToken", MinLen: 1}
	filterMember    = &constraint.Member{Name: "Filter", Field: "filter", MaxLen: 256}
	groupNameMember = &constraint.Member{Name: "GroupName", Field: "groupName", Required: true, MinLen: 1, MaxLen: 128}
	usernameMember  = &constraint.Member{Name: "Username", Field: "username", Required: true, MinLen: 1, MaxLen: 128}
	descMember      = &constraint.Member{Name: "Description", Field: "description", MaxLen: 2048}
	roleARNMember   = &constraint.Member{Name: "RoleArn", Field: "roleArn", MinLen: 20, MaxLen: 2048}
	precMember      = &constraint.Member{Name: "Precedence", Field: "precedence", Integer: true, MinValue: 0, MaxValue: 1<<31 - 1}
)

// seedUserProblem returns what is wrong with a user AddUser is given, or "".
func seedUserProblem(u *User) string {
	if u.Status != "" && !slices.Contains(userStatuses, u.Status) {
		return fmt.Sprintf("status %q of user %q is not one of %s", u.Status, u.Username, strings.Join(userStatuses, ", "))
	}
	return ""
}

// wireAttribute and wireUser are the shapes of AttributeType and UserType.
type wireAttribute struct {
	Name  string
	Value string
}

type wireMFAOption struct {
	AttributeName  string
	DeliveryMedium string
}

type wireUser struct {
	Attributes           []wireAttribute
	Enabled              bool
	MFAOptions           []wireMFAOption `json:",omitempty"`
	UserCreateDate       json.Number     `json:",omitempty"`
	UserLastModifiedDate json.Number     `json:",omitempty"`
	UserStatus           string
	Username             string
}

// booleanAttributes are the attributes the service answers in lower case.
func isBooleanAttribute(name string) bool {
	return name == "email_verified" || name == "phone_number_verified"
}

// toWireUser returns su as ListUsers answers it: sub first, then the
// non-empty attributes in the pool's header order, restricted to get when it
// is not nil. A user whose MFA flag is set has an SMS MFA option, as a user
// with SMS MFA has in the service. UserCreateDate and UserLastModifiedDate are
// the pool's creation time: the server keeps no dates per user.
func (s *Server) toWireUser(ps *pool, su *storedUser, get []string) wireUser {
	u := su.unpack(ps.header)
	w := wireUser{Enabled: !u.Disabled, UserStatus: u.Status, Username: u.Username, Attributes: []wireAttribute{}}
	if get == nil || slices.Contains(get, "sub") {
		w.Attributes = append(w.Attributes, wireAttribute{"sub", u.Sub})
	}
	for _, h := range ps.header {
		v, ok := u.Attributes[h]
		if !ok || (get != nil && !slices.Contains(get, h)) {
			continue
		}
		if isBooleanAttribute(h) {
			v = strings.ToLower(v)
		}
		w.Attributes = append(w.Attributes, wireAttribute{h, v})
	}
	if u.MFAEnabled {
		w.MFAOptions = []wireMFAOption{{AttributeName: "phone_number", DeliveryMedium: "SMS"}}
	}
	created := s.epoch(ps.created)
	w.UserCreateDate, w.UserLastModifiedDate = created, created
	return w
}

// userFilter is a parsed ListUsers filter: attribute = "value" or
// attribute ^= "value".
type userFilter struct {
	attr   string
	prefix bool
	value  string
}

// filterAttributes are the attributes a filter may name.
var filterAttributes = []string{
	"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub",
}

// parseFilter parses a ListUsers filter. The service documents the form
// `attribute = "value"` and `attribute ^= "value"`, with white space optional
// around the operator; the server also reads \" and \\ inside the value.
func parseFilter(f string) (*userFilter, *Error) {
	bad := func(why string) *Error {
		return &Error{Code: "InvalidParameterException", Message: "Error while parsing filter: " + why}
	}
	rest := strings.TrimSpace(f)
	i := strings.IndexAny(rest, " =^")
	if i <= 0 {
		return nil, bad("want attribute = \"value\" or attribute ^= \"value\"")
	}
	uf := &userFilter{attr: rest[:i]}
	if !slices.Contains(filterAttributes, uf.attr) {
		return nil, bad(fmt.Sprintf("%q is not a searchable attribute (%s)", quote(uf.attr), strings.Join(filterAttributes, ", ")))
	}
	rest = strings.TrimLeft(rest[i:], " ")
	switch {
	case strings.HasPrefix(rest, "^="):
		uf.prefix, rest = true, rest[2:]
	case strings.HasPrefix(rest, "="):
		rest = rest[1:]
	default:
		return nil, bad("the operator must be = or ^=")
	}
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, `"`) {
		return nil, bad("the value must be in double quotes")
	}
	var v strings.Builder
	closed := false
	for j := 1; j < len(rest); j++ {
		c := rest[j]
		switch {
		case c == '\\' && j+1 < len(rest):
			j++
			v.WriteByte(rest[j])
			continue
		case c == '"':
			closed = true
			if strings.TrimSpace(rest[j+1:]) != "" {
				return nil, bad("unexpected text after the value")
			}
		}
		if closed {
			break
		}
		v.WriteByte(c)
	}
	if !closed {
		return nil, bad("the value's closing quote is missing")
	}
	uf.value = v.String()
	return uf, nil
}

// match reports whether u passes the filter.
func (f *userFilter) match(u *User) bool {
	var v string
	switch f.attr {
	case "username":
		v = u.Username
	case "cognito:user_status":
		v = u.Status
	case "status":
		v = "Enabled"
		if u.Disabled {
			v = "Disabled"
		}
	case "sub":
		v = u.Sub
	default:
		v = u.Attributes[f.attr]
	}
	if f.prefix {
		return strings.HasPrefix(v, f.value)
	}
	return v == f.value
}

// pageRequest is the members every listing of users or groups has.
type pageRequest struct {
	poolID string
	limit  int
	token  string
	has    bool // a token was sent
	m      map[string]json.RawMessage
}

// decodePage decodes UserPoolId, Limit and the token member named by tok.
func decodePage(body []byte, tok *constraint.Member) (*pageRequest, []constraint.Violation, *Error) {
	m, e := decodeObject(body)
	if e != nil {
		return nil, nil, e
	}
	poolID, hasPool, e := stringMember(m, constraint.UserPoolID.Name)
	if e != nil {
		return nil, nil, e
	}
	limit, hasLimit, e := intMember(m, limitMember.Name)
	if e != nil {
		return nil, nil, e
	}
	token, hasToken, e := stringMember(m, tok.Name)
	if e != nil {
		return nil, nil, e
	}
	vs := constraint.UserPoolID.CheckString(nil, poolID, hasPool)
	if hasLimit {
		vs = limitMember.CheckInt(vs, int64(limit), true)
	}
	if hasToken {
		vs = tok.CheckString(vs, token, true)
	}
	p := &pageRequest{poolID: poolID, limit: 60, token: token, has: hasToken, m: m}
	if hasLimit && limit > 0 {
		p.limit = int(limit)
	}
	return p, vs, nil
}

// Namespaces of pagination tokens, so that a token of one listing is refused
// by another.
func usersTokenScope(poolID string) string { return poolID + "\x00ListUsers" }

func (s *Server) listUsers(body []byte) (any, *Error) {
	pr, vs, e := decodePage(body, tokenMember)
	if e != nil {
		return nil, e
	}
	filter, hasFilter, e := stringMember(pr.m, filterMember.Name)
	if e != nil {
		return nil, e
	}
	var get []string
	if raw, ok := pr.m["AttributesToGet"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &get); err != nil {
			return nil, serializationError("AttributesToGet must be a list of strings.")
		}
		if get == nil {
			get = []string{}
		}
	}
	if hasFilter {
		vs = filterMember.CheckString(vs, filter, true)
	}
	if e := validate(vs); e != nil {
		return nil, e
	}
	var uf *userFilter
	if strings.TrimSpace(filter) != "" {
		if uf, e = parseFilter(filter); e != nil {
			return nil, e
		}
	}

	now := s.now()
	s.lockCaughtUp(now, pr.poolID) // the pool's users as of now
	defer s.mu.Unlock()
	p, e := s.lookupPool(pr.poolID)
	if e != nil {
		return nil, e
	}
	for _, a := range get {
		if a != "sub" && (!slices.Contains(p.header, a) || strings.HasPrefix(a, "cognito:")) {
			return nil, &Error{Code: "InvalidParameterException", Message: fmt.Sprintf("One or more requested attributes do not exist: %s", quote(a))}
		}
	}
	start := 0
	if pr.has {
		if start, e = s.resumeAt(usersTokenScope(pr.poolID), pr.token, len(p.order)); e != nil {
			return nil, e
		}
	}
	out := struct {
		PaginationToken string `json:",omitempty"`
		Users           []wireUser
	}{Users: []wireUser{}}
	i := start
	for ; i < len(p.order) && len(out.Users) < pr.limit; i++ {
		su := p.users[p.order[i]]
		if uf != nil {
			u := su.unpack(p.header)
			if !uf.match(&u) {
				continue
			}
		}
		out.Users = append(out.Users, s.toWireUser(p, su, get))
	}
	if i < len(p.order) {
		out.PaginationToken = s.issueToken(usersTokenScope(pr.poolID), i)
	}
	return out, nil
}

// userOpIndex returns the index in Server.requests of an operation of
// users_api.go or groups.go.
func userOpIndex(op Operation) int {
	return 8 + slices.Index([]Operation{ListUsers, ListGroups, ListUsersInGroup, CreateGroup, AdminAddUserToGroup}, op)
}

// newUsersInput returns a new SDK input of an operation of users_api.go or
// groups.go, for the record of calls.
func newUsersInput(op Operation) any {
	switch op {
	case ListUsers:
		return new(cognitoidentityprovider.ListUsersInput)
	case ListGroups:
		return new(cognitoidentityprovider.ListGroupsInput)
	case ListUsersInGroup:
		return new(cognitoidentityprovider.ListUsersInGroupInput)
	case CreateGroup:
		return new(cognitoidentityprovider.CreateGroupInput)
	}
	return new(cognitoidentityprovider.AdminAddUserToGroupInput)
}
