package cognitoimporttest

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
)

// Group is a group of a user pool, as ListGroups reports it.
type Group struct {
	Name        string
	Description string
	// Precedence is the group's precedence; nil means none.
	Precedence *int32 `json:",omitempty"`
	RoleARN    string
	// Members are the usernames of the group's members, in the order they
	// were added. AddGroup adds them; Groups returns them.
	Members []string `json:",omitempty"`
}

// groupState is a group as a pool keeps it.
type groupState struct {
	Group
	member map[string]bool
}

// poolGroups are a pool's groups in the order they were created.
type poolGroups struct {
	byName map[string]*groupState
	order  []string
}

func (pg *poolGroups) get(name string) *groupState {
	if pg.byName == nil {
		return nil
	}
	return pg.byName[name]
}

// MaxGroupsPerPool and MaxGroupsPerUser are the service's documented quotas
// of groups in a user pool and of groups a user belongs to. Past them the
// server answers CreateGroup and AdminAddUserToGroup with
// LimitExceededException (the server's choice of code and message for
// AdminAddUserToGroup, whose model lists none): they bound what any signed
// client can make the server hold. AddGroup is not bounded.
const (
	MaxGroupsPerPool = 10000
	MaxGroupsPerUser = 100
)

// groupsOf returns how many of pg's groups username belongs to.
func (pg *poolGroups) groupsOf(username string) int {
	n := 0
	for _, gs := range pg.byName {
		if gs.member[username] {
			n++
		}
	}
	return n
}

func (pg *poolGroups) add(g Group) *groupState {
	if pg.byName == nil {
		pg.byName = make(map[string]*groupState)
	}
	gs := &groupState{Group: g, member: make(map[string]bool)}
	gs.Members = nil
	pg.byName[g.Name] = gs
	pg.order = append(pg.order, g.Name)
	return gs
}

// addMember adds username to gs; adding a member again changes nothing, as
// AdminAddUserToGroup does.
func (gs *groupState) addMember(username string) {
	if !gs.member[username] {
		gs.member[username] = true
		gs.Members = append(gs.Members, username)
	}
}

// AddGroup creates a group in the pool, with the members g.Members names. It
// panics if the pool does not exist, the name is empty, the pool has a group
// of this name already, or a member is not a user of the pool (add the users
// first with AddUser).
func (s *Server) AddGroup(poolID string, g Group) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool("AddGroup", poolID)
	if g.Name == "" {
		s.misuse("AddGroup: empty group name")
	}
	if p.groups.get(g.Name) != nil {
		s.misuse("AddGroup: user pool %q has a group %q already", poolID, g.Name)
	}
	for _, m := range g.Members {
		if p.users[m] == nil {
			s.misuse("AddGroup: group %q: user pool %q has no user %q", g.Name, poolID, m)
		}
	}
	gs := p.groups.add(g)
	for _, m := range g.Members {
		gs.addMember(m)
	}
}

// Groups returns copies of the pool's groups with their members, in the
// order they were created. It panics if the pool does not exist.
func (s *Server) Groups(poolID string) []Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool("Groups", poolID)
	out := make([]Group, 0, len(p.groups.order))
	for _, name := range p.groups.order {
		g := p.groups.byName[name].Group
		g.Members = slices.Clone(g.Members)
		if g.Precedence != nil {
			prec := *g.Precedence
			g.Precedence = &prec
		}
		out = append(out, g)
	}
	return out
}

// wireGroup is the shape of GroupType.
type wireGroup struct {
	CreationDate     json.Number `json:",omitempty"`
	Description      string      `json:",omitempty"`
	GroupName        string
	LastModifiedDate json.Number `json:",omitempty"`
	Precedence       *int32      `json:",omitempty"`
	RoleArn          string      `json:",omitempty"`
	UserPoolId       string
}

// toWireGroup returns g as the service answers it. Its dates are the pool's
// creation time: the server keeps no dates per group.
func (s *Server) toWireGroup(poolID string, ps *pool, g *groupState) wireGroup {
	created := s.epoch(ps.created)
	return wireGroup{
		CreationDate: created, LastModifiedDate: created,
		Description: g.Description, GroupName: g.Name, Precedence: g.Precedence, RoleArn: g.RoleARN,
		UserPoolId: poolID,
	}
}

func groupNotFound(name string) *Error {
	return &Error{Code: "ResourceNotFoundException", Message: fmt.Sprintf("Group %s not found.", quote(name))}
}

func groupsTokenScope(poolID string) string { return poolID + "\x00ListGroups" }

func groupMembersTokenScope(poolID, group string) string {
	return poolID + "\x00ListUsersInGroup\x00" + group
}

func (s *Server) listGroups(body []byte) (any, *Error) {
	pr, vs, e := decodePage(body, nextTokenMember)
	if e != nil {
		return nil, e
	}
	if e := validate(vs); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.lookupPool(pr.poolID)
	if e != nil {
		return nil, e
	}
	pg := &p.groups
	start := 0
	if pr.has {
		if start, e = s.resumeAt(groupsTokenScope(pr.poolID), pr.token, len(pg.order)); e != nil {
			return nil, e
		}
	}
	end := min(start+pr.limit, len(pg.order))
	out := struct {
		Groups    []wireGroup
		NextToken string `json:",omitempty"`
	}{Groups: make([]wireGroup, 0, end-start)}
	for _, name := range pg.order[start:end] {
		out.Groups = append(out.Groups, s.toWireGroup(pr.poolID, p, pg.byName[name]))
	}
	if end < len(pg.order) {
		out.NextToken = s.issueToken(groupsTokenScope(pr.poolID), end)
	}
	return out, nil
}

func (s *Server) listUsersInGroup(body []byte) (any, *Error) {
	pr, vs, e := decodePage(body, nextTokenMember)
	if e != nil {
		return nil, e
	}
	name, hasName, e := stringMember(pr.m, groupNameMember.Name)
	if e != nil {
		return nil, e
	}
	vs = groupNameMember.CheckString(vs, name, hasName)
	if e := validate(vs); e != nil {
		return nil, e
	}
	now := s.now()
	s.lockCaughtUp(now, pr.poolID) // the pool's users as of now
	defer s.mu.Unlock()
	p, e := s.lookupPool(pr.poolID)
	if e != nil {
		return nil, e
	}
	g := p.groups.get(name)
	if g == nil {
		return nil, groupNotFound(name)
	}
	start := 0
	if pr.has {
		if start, e = s.resumeAt(groupMembersTokenScope(pr.poolID, name), pr.token, len(g.Members)); e != nil {
			return nil, e
		}
	}
	end := min(start+pr.limit, len(g.Members))
	out := struct {
		NextToken string `json:",omitempty"`
		Users     []wireUser
	}{Users: make([]wireUser, 0, end-start)}
	for _, m := range g.Members[start:end] {
		out.Users = append(out.Users, s.toWireUser(p, p.users[m], nil))
	}
	if end < len(g.Members) {
		out.NextToken = s.issueToken(groupMembersTokenScope(pr.poolID, name), end)
	}
	return out, nil
}

func (s *Server) createGroup(body []byte) (any, *Error) {
	m, e := decodeObject(body)
	if e != nil {
		return nil, e
	}
	vals, vs, e := stringMembers(m, nil, constraint.UserPoolID, groupNameMember, descMember, roleARNMember)
	if e != nil {
		return nil, e
	}
	prec, hasPrec, e := intMember(m, precMember.Name)
	if e != nil {
		return nil, e
	}
	if hasPrec {
		vs = precMember.CheckInt(vs, int64(prec), true)
	}
	if e := validate(vs); e != nil {
		return nil, e
	}
	poolID, name := vals[0], vals[1]
	g := Group{Name: name, Description: vals[2], RoleARN: vals[3]}
	if hasPrec {
		g.Precedence = &prec
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.lookupPool(poolID)
	if e != nil {
		return nil, e
	}
	if p.groups.get(name) != nil {
		return nil, &Error{Code: "GroupExistsException", Message: fmt.Sprintf("A group with the name %s already exists.", quote(name))}
	}
	if len(p.groups.byName) >= MaxGroupsPerPool {
		return nil, &Error{Code: "LimitExceededException", Message: fmt.Sprintf("User pool %s has %d groups, the most a pool can hold.", poolID, MaxGroupsPerPool)}
	}
	gs := p.groups.add(g)
	return struct{ Group wireGroup }{s.toWireGroup(poolID, p, gs)}, nil
}

func (s *Server) adminAddUserToGroup(body []byte) (any, *Error) {
	m, e := decodeObject(body)
	if e != nil {
		return nil, e
	}
	vals, vs, e := stringMembers(m, nil, constraint.UserPoolID, usernameMember, groupNameMember)
	if e != nil {
		return nil, e
	}
	if e := validate(vs); e != nil {
		return nil, e
	}
	poolID, username, name := vals[0], vals[1], vals[2]
	now := s.now()
	s.lockCaughtUp(now, poolID) // the pool's users as of now
	defer s.mu.Unlock()
	p, e := s.lookupPool(poolID)
	if e != nil {
		return nil, e
	}
	if p.users[username] == nil {
		return nil, &Error{Code: "UserNotFoundException", Message: "User does not exist."}
	}
	g := p.groups.get(name)
	if g == nil {
		return nil, groupNotFound(name)
	}
	if !g.member[username] && p.groups.groupsOf(username) >= MaxGroupsPerUser {
		return nil, &Error{Code: "LimitExceededException", Message: fmt.Sprintf("User %s belongs to %d groups, the most a user can.", quote(username), MaxGroupsPerUser)}
	}
	g.addMember(username)
	return struct{}{}, nil
}

func (s *Server) handleGroups(op Operation, body []byte) (any, *Error) {
	switch op {
	case ListGroups:
		return s.listGroups(body)
	case ListUsersInGroup:
		return s.listUsersInGroup(body)
	case CreateGroup:
		return s.createGroup(body)
	}
	return s.adminAddUserToGroup(body)
}
