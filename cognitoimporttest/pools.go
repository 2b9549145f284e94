package cognitoimporttest

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cognitoimport/cognitoimport/internal/constraint"
	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// MFA settings of a user pool, as DescribeUserPool spells them.
const (
	MFAOff      = "OFF"
	MFAOn       = "ON"
	MFAOptional = "OPTIONAL"
)

// PoolConfig describes a user pool the server holds: what GetCSVHeader and
// DescribeUserPool report, and what the rows of an imported file must
// satisfy.
type PoolConfig struct {
	// ID is the user pool ID, such as "us-east-1_Example1". Required.
	ID string
	// Name is the pool's name; empty means the ID.
	Name string
	// CustomAttributes are the pool's custom attributes, with or without
	// the "custom:" prefix ("dept" and "custom:dept" are the same). They
	// appear in the CSV header as custom:<name>.
	CustomAttributes []string
	// RequiredAttributes are the columns every row must set, as the header
	// names them: standard attributes such as "family_name", or custom ones
	// such as "custom:dept". (The real service does not let a custom
	// attribute be required; the server does, for tests of that rule.)
	RequiredAttributes []string
	// AutoVerifiedAttributes are "email", "phone_number", both or none.
	// nil means the default, email only; a non-nil empty slice means none,
	// and then no job of the pool can start.
	AutoVerifiedAttributes []string
	// MFA is MFAOff, MFAOn or MFAOptional; empty means MFAOff.
	MFA string
}

// standardAttribute is one of the standard attributes every pool has, with
// its DescribeUserPool schema.
type standardAttribute struct {
	name     string
	dataType string // "String", "Boolean" or "Number"
	mutable  bool
	minLen   string // String constraints; empty: none
	maxLen   string
}

// standardAttributes are the standard attributes in the order
// DescribeUserPool lists them. All but sub and identities are columns of the
// users file.
var standardAttributes = []standardAttribute{
	{"sub", "String", false, "1", "2048"},
	{"name", "String", true, "0", "2048"},
	{"given_name", "String", true, "0", "2048"},
	{"family_name", "String", true, "0", "2048"},
	{"middle_name", "String", true, "0", "2048"},
	{"nickname", "String", true, "0", "2048"},
	{"preferred_username", "String", true, "0", "2048"},
	{"profile", "String", true, "0", "2048"},
	{"picture", "String", true, "0", "2048"},
	{"website", "String", true, "0", "2048"},
	{"email", "String", true, "0", "2048"},
	{"email_verified", "Boolean", true, "", ""},
	{"gender", "String", true, "0", "2048"},
	{"birthdate", "String", true, "10", "10"},
	{"zoneinfo", "String", true, "0", "2048"},
	{"locale", "String", true, "0", "2048"},
	{"phone_number", "String", true, "0", "2048"},
	{"phone_number_verified", "Boolean", true, "", ""},
	{"address", "String", true, "0", "2048"},
	{"updated_at", "Number", true, "", ""},
	{"identities", "String", true, "0", "2048"},
}

// defaultHeader is the header of a pool without custom attributes, in the
// order GetCSVHeader sends it.
var defaultHeader = usersfile.DefaultHeader()

// WithUserPool creates a user pool with this configuration. NewServer panics
// (NewTestServer fails the test) if the configuration is invalid: a bad ID, an auto-verified attribute other than
// email or phone_number, an MFA setting other than OFF, ON or OPTIONAL, a
// custom attribute name that is empty, longer than 20 characters or holds a
// comma, colon or white space, or a required attribute that is not a column
// of the pool's header. A later WithUserPool or WithUserPools for the same ID
// does not change it.
func WithUserPool(cfg PoolConfig) Option {
	cfg = normalizePoolConfig(cfg)
	err := checkPoolConfig(cfg)
	return func(s *Server) {
		if err != nil {
			s.misuse("WithUserPool: %v", err)
		}
		if s.poolConfigs == nil {
			s.poolConfigs = make(map[string]PoolConfig)
		}
		if _, ok := s.poolConfigs[cfg.ID]; !ok {
			s.poolConfigs[cfg.ID] = cfg
		}
		s.initialPools = append(s.initialPools, cfg.ID)
	}
}

// DefaultPoolConfig returns the configuration of a pool that WithUserPools
// or CreateUserPool creates: named by its ID, email auto-verified, MFA off,
// no custom or required attributes. It imports the guide's sample file.
func DefaultPoolConfig(id string) PoolConfig {
	return PoolConfig{ID: id, Name: id, AutoVerifiedAttributes: []string{"email"}, MFA: MFAOff}
}

// Validate reports what is wrong with the configuration, as WithUserPool
// would, or returns nil.
func (cfg PoolConfig) Validate() error {
	return checkPoolConfig(normalizePoolConfig(cfg))
}

func normalizePoolConfig(cfg PoolConfig) PoolConfig {
	if cfg.Name == "" {
		cfg.Name = cfg.ID
	}
	if cfg.MFA == "" {
		cfg.MFA = MFAOff
	}
	if cfg.AutoVerifiedAttributes == nil {
		cfg.AutoVerifiedAttributes = []string{"email"}
	}
	custom := make([]string, len(cfg.CustomAttributes))
	for i, c := range cfg.CustomAttributes {
		custom[i] = strings.TrimPrefix(c, "custom:")
	}
	cfg.CustomAttributes = custom
	cfg.RequiredAttributes = slices.Clone(cfg.RequiredAttributes)
	cfg.AutoVerifiedAttributes = slices.Clone(cfg.AutoVerifiedAttributes)
	return cfg
}

func checkPoolConfig(cfg PoolConfig) error {
	if v := constraint.UserPoolID.CheckString(nil, cfg.ID, true); len(v) > 0 {
		return fmt.Errorf("%q is not a valid user pool ID", cfg.ID)
	}
	switch cfg.MFA {
	case MFAOff, MFAOn, MFAOptional:
	default:
		return fmt.Errorf("pool %s: MFA %q is not OFF, ON or OPTIONAL", cfg.ID, cfg.MFA)
	}
	for _, a := range cfg.AutoVerifiedAttributes {
		if a != "email" && a != "phone_number" {
			return fmt.Errorf("pool %s: auto-verified attribute %q is not email or phone_number", cfg.ID, a)
		}
	}
	for i, c := range cfg.CustomAttributes {
		if c == "" || len([]rune(c)) > 20 || strings.ContainsAny(c, ",: \t\r\n\\") {
			return fmt.Errorf("pool %s: custom attribute name %q must be 1 to 20 characters without commas, colons, backslashes or white space", cfg.ID, c)
		}
		if slices.Contains(cfg.CustomAttributes[:i], c) {
			return fmt.Errorf("pool %s: custom attribute %q appears twice", cfg.ID, c)
		}
	}
	header := poolHeader(cfg)
	for _, r := range cfg.RequiredAttributes {
		if !slices.Contains(header, r) || strings.HasPrefix(r, "cognito:") {
			return fmt.Errorf("pool %s: required attribute %q is not an attribute of the pool (header columns: %s)", cfg.ID, r, strings.Join(header, ","))
		}
	}
	return nil
}

// poolHeader returns the pool's CSV header in the service's order: the
// standard attributes, the custom ones, then cognito:mfa_enabled and
// cognito:username.
func poolHeader(cfg PoolConfig) []string {
	n := len(defaultHeader)
	h := make([]string, 0, n+len(cfg.CustomAttributes))
	h = append(h, defaultHeader[:n-2]...)
	for _, c := range cfg.CustomAttributes {
		h = append(h, "custom:"+c)
	}
	return append(h, defaultHeader[n-2:]...)
}

// pool is a user pool the server holds: its configuration, its users and
// its import jobs.
type pool struct {
	id      string
	cfg     PoolConfig
	created time.Time
	header  []string // poolHeader(cfg)
	users   map[string]*storedUser
	order   []string   // usernames in the order they were added
	groups  poolGroups // groups.go

	// jobs holds the pool's jobs oldest first, so that a job's index never
	// changes: new jobs are appended, and jobs are never removed. Listing
	// walks the slice backwards from the index a pagination token names.
	jobs []*job
	byID map[string]int // index in jobs, by job ID
}

// newPool returns the pool id, with its configuration from WithUserPool or
// the default one.
func (s *Server) newPool(id string) *pool {
	cfg, ok := s.poolConfigs[id]
	if !ok {
		cfg = DefaultPoolConfig(id)
	}
	return &pool{id: id, cfg: cfg, header: poolHeader(cfg), created: s.now(), users: make(map[string]*storedUser), byID: make(map[string]int)}
}

// wire shapes of DescribeUserPool's schema attributes.
type wireStringConstraints struct {
	MaxLength string `json:",omitempty"`
	MinLength string `json:",omitempty"`
}

type wireNumberConstraints struct {
	MinValue string `json:",omitempty"`
}

type wireSchemaAttribute struct {
	AttributeDataType          string
	DeveloperOnlyAttribute     bool
	Mutable                    bool
	Name                       string
	NumberAttributeConstraints *wireNumberConstraints `json:",omitempty"`
	Required                   bool
	StringAttributeConstraints *wireStringConstraints `json:",omitempty"`
}

func (s *Server) getCSVHeader(body []byte) (any, *Error) {
	poolID, e := decodePoolID(body)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, e := s.lookupPool(poolID)
	if e != nil {
		return nil, e
	}
	return struct {
		CSVHeader  []string
		UserPoolId string
	}{poolHeader(p.cfg), poolID}, nil
}

func (s *Server) describeUserPool(body []byte) (any, *Error) {
	poolID, e := decodePoolID(body)
	if e != nil {
		return nil, e
	}
	now := s.now()
	s.lockCaughtUp(now, poolID) // EstimatedNumberOfUsers counts the users imported by now
	defer s.mu.Unlock()
	p, e := s.lookupPool(poolID)
	if e != nil {
		return nil, e
	}
	cfg := p.cfg
	schema := make([]wireSchemaAttribute, 0, len(standardAttributes)+len(cfg.CustomAttributes))
	for _, a := range standardAttributes {
		w := wireSchemaAttribute{
			AttributeDataType: a.dataType,
			Mutable:           a.mutable,
			Name:              a.name,
			Required:          a.name == "sub" || slices.Contains(cfg.RequiredAttributes, a.name),
		}
		switch {
		case a.minLen != "":
			w.StringAttributeConstraints = &wireStringConstraints{MinLength: a.minLen, MaxLength: a.maxLen}
		case a.dataType == "Number":
			w.NumberAttributeConstraints = &wireNumberConstraints{MinValue: "0"}
		}
		schema = append(schema, w)
	}
	for _, c := range cfg.CustomAttributes {
		name := "custom:" + c
		schema = append(schema, wireSchemaAttribute{
			AttributeDataType:          "String",
			Mutable:                    true,
			Name:                       name,
			Required:                   slices.Contains(cfg.RequiredAttributes, name),
			StringAttributeConstraints: &wireStringConstraints{MinLength: "0", MaxLength: "2048"},
		})
	}
	created := s.epoch(p.created)
	return struct{ UserPool wireUserPool }{wireUserPool{
		Arn:                    fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", s.region, accountID, poolID),
		AutoVerifiedAttributes: cfg.AutoVerifiedAttributes,
		CreationDate:           created,
		EstimatedNumberOfUsers: len(p.users),
		Id:                     poolID,
		LastModifiedDate:       created,
		MfaConfiguration:       cfg.MFA,
		Name:                   cfg.Name,
		SchemaAttributes:       schema,
	}}, nil
}

// wireUserPool is the part of DescribeUserPool's UserPool the server sends.
type wireUserPool struct {
	Arn                    string
	AutoVerifiedAttributes []string
	CreationDate           json.Number `json:",omitempty"`
	EstimatedNumberOfUsers int
	Id                     string
	LastModifiedDate       json.Number `json:",omitempty"`
	MfaConfiguration       string
	Name                   string
	SchemaAttributes       []wireSchemaAttribute
}

// decodePoolID decodes a request whose only member is UserPoolId.
func decodePoolID(body []byte) (string, *Error) {
	m, e := decodeObject(body)
	if e != nil {
		return "", e
	}
	poolID, present, e := stringMember(m, constraint.UserPoolID.Name)
	if e != nil {
		return "", e
	}
	if e := validate(constraint.UserPoolID.CheckString(nil, poolID, present)); e != nil {
		return "", e
	}
	return poolID, nil
}

// UserPool returns the configuration of the pool with this ID. It panics if
// the pool does not exist.
func (s *Server) UserPool(id string) PoolConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := s.mustPool("UserPool", id).cfg
	cfg.CustomAttributes = slices.Clone(cfg.CustomAttributes)
	cfg.RequiredAttributes = slices.Clone(cfg.RequiredAttributes)
	cfg.AutoVerifiedAttributes = slices.Clone(cfg.AutoVerifiedAttributes)
	return cfg
}

// User is a user of a pool: one an import job created, or one AddUser added.
type User struct {
	Username string
	// Attributes holds the user's non-empty attributes by their column
	// name, such as "email" or "custom:dept"; the cognito: columns are not
	// attributes.
	Attributes map[string]string
	MFAEnabled bool
	// Status is the user's status: imported users are "RESET_REQUIRED",
	// as the service makes them (they must reset their password before
	// signing in). AddUser keeps what it is given ("CONFIRMED" if empty).
	Status string
	// Sub is the user's sub, which the pool assigns: AddUser keeps a
	// non-empty one, and gives a new UUID otherwise, as an import does.
	Sub string
	// Disabled is set for a user that is not enabled.
	Disabled bool
}

// UserStatusResetRequired is the status of an imported user.
const UserStatusResetRequired = "RESET_REQUIRED"

// AddUser adds a user to the pool, for instance so that an import skips a
// row with the same username. It panics if the pool does not exist, the
// username is empty, the pool has a user with it already, or an attribute is
// not a column of the pool's header (cognito: columns excluded).
func (s *Server) AddUser(poolID string, u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPool("AddUser", poolID)
	if u.Username == "" {
		s.misuse("AddUser: empty username")
	}
	if _, ok := p.users[u.Username]; ok {
		s.misuse("AddUser: user pool %q has a user %q already", poolID, u.Username)
	}
	for name := range u.Attributes {
		if !slices.Contains(p.header, name) || strings.HasPrefix(name, "cognito:") {
			s.misuse("AddUser: %q is not an attribute of user pool %q", name, poolID)
		}
	}
	if msg := seedUserProblem(&u); msg != "" { // users_api.go
		s.misuse("AddUser: %s", msg)
	}
	if u.Status == "" {
		u.Status = "CONFIRMED"
	}
	p.addUser(&u)
}

func (p *pool) addUser(u *User) { p.store(packUser(p.header, u)) }

func (p *pool) store(su *storedUser) {
	if su.sub == "" {
		su.sub = newRequestID() // a random UUID, as the service's subs are
	}
	p.users[su.name] = su
	p.order = append(p.order, su.name)
}

// Users returns copies of the pool's users, in the order they were added.
// It panics if the pool does not exist.
func (s *Server) Users(poolID string) []User {
	now := s.now()
	s.lockCaughtUp(now, poolID)
	defer s.mu.Unlock()
	p := s.mustPool("Users", poolID)
	out := make([]User, len(p.order))
	for i, name := range p.order {
		out[i] = p.users[name].unpack(p.header)
	}
	return out
}

// CreateUserPool creates an empty user pool with this ID; a pool that exists
// already is left as it is. It panics if id is not a valid user pool ID.
func (s *Server) CreateUserPool(id string) {
	if msg := badPoolID("CreateUserPool", id); msg != "" {
		s.misuse("%s", msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pools[id] == nil {
		s.pools[id] = s.newPool(id)
	}
}

// badPoolID says what is wrong with id, if it is not a valid user pool ID.
func badPoolID(method, id string) string {
	if v := constraint.UserPoolID.CheckString(nil, id, true); len(v) > 0 {
		return fmt.Sprintf("%s: %q is not a valid user pool ID (1 to 55 characters matching %s)",
			method, id, constraint.UserPoolID.Pattern)
	}
	return ""
}

// mustPool returns the pool with this ID, or panics. s.mu must be held.
func (s *Server) mustPool(method, id string) *pool {
	p := s.pools[id]
	if p == nil {
		s.misuse("%s: no user pool %q", method, id)
	}
	return p
}

// storedUser is a user as a pool keeps it: its attributes packed in one
// string, in the order of the pool's header, each as a uvarint length and
// its bytes, so that a pool of 500,000 users stays small.
type storedUser struct {
	name   string
	packed string
	mfa    bool
	status string
	// sub is the user's sub, which the pool assigns (store); disabled is
	// set for a user that is not enabled.
	sub      string
	disabled bool
}

func packUser(header []string, u *User) *storedUser {
	var b []byte
	for _, h := range header {
		v := u.Attributes[h]
		if strings.HasPrefix(h, "cognito:") {
			v = ""
		}
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return &storedUser{name: u.Username, packed: string(b), mfa: u.MFAEnabled, status: u.Status, sub: u.Sub, disabled: u.Disabled}
}

func (su *storedUser) unpack(header []string) User {
	u := User{Username: su.name, MFAEnabled: su.mfa, Status: su.status, Sub: su.sub, Disabled: su.disabled, Attributes: make(map[string]string)}
	p := su.packed
	for _, h := range header {
		n, k := binary.Uvarint([]byte(p[:min(len(p), binary.MaxVarintLen64)]))
		p = p[k:]
		if n > 0 {
			u.Attributes[h] = p[:n]
		}
		p = p[n:]
	}
	return u
}
