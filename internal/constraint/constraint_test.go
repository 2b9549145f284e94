package constraint

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// The reference: the documented patterns compiled with Go's regexp after
// translating the Java character classes, anchored as a full match. It shares
// nothing with the hand-written matchers but the documented text.
var javaClasses = strings.NewReplacer(
	`[\S]`, `[^ \t\n\x0B\f\r]`, // Java's \S: all but the six ASCII spaces
	`\w`, `0-9A-Za-z_`, // only ever used inside [...] in these patterns
	`\s`, ` \t\n\x0B\f\r`,
)

var references = map[*Member]*regexp.Regexp{}

func init() {
	for _, m := range stringMembers {
		references[m] = regexp.MustCompile(`^(?:` + javaClasses.Replace(m.Pattern) + `)$`)
	}
}

// referenceCheck computes the violations of s independently of CheckString:
// UTF-16 length via the standard library, patterns via regexp.
func referenceCheck(m *Member, s string) []Rule {
	if !utf8.ValidString(s) {
		return []Rule{UTF8}
	}
	n := len(utf16.Encode([]rune(s)))
	var rules []Rule
	if n < m.MinLen {
		rules = append(rules, MinLength)
	}
	if m.MaxLen > 0 && n > m.MaxLen {
		rules = append(rules, MaxLength)
	}
	if !references[m].MatchString(s) {
		rules = append(rules, Pattern)
	}
	return rules
}

var stringMembers = []*Member{UserPoolID, JobName, CloudWatchLogsRoleArn, PaginationToken, JobID}

func rulesOf(vs []Violation) []Rule {
	var rules []Rule
	for _, v := range vs {
		rules = append(rules, v.Rule)
	}
	return rules
}

func sameRules(a, b []Rule) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMatchersAgreeWithReference(t *testing.T) {
	t.Parallel()
	cases := map[*Member][]string{
		UserPoolID: {"us-east-1_abc", "a_b", "_b", "a_", "a__b", "a_b_c", "a-b_c", "a_b-c", " a_b", "a_b ", "a_bé",
			"é_b", "a\x0b_b", "a_b\n", "-_0", "us-east-1_ABC123", strings.Repeat("a", 53) + "_b", strings.Repeat("a", 54) + "_b", ""},
		JobName: {"job", "a b", "a\tb", "a\x0bb", "a\u00a0b", "é", "a/b", "a#b", "+=,.@-_", " ", "\x0b", "",
			strings.Repeat("x", 128), strings.Repeat("x", 129), strings.Repeat("é", 128), strings.Repeat("😀", 64), strings.Repeat("😀", 65)},
		CloudWatchLogsRoleArn: {"arn:aws:iam::123456789012:role/x", "arn:aws:iam:us-east-1:123:role", "arn:aws:iam::12a:role/x",
			"arn:aws:iam::123:", "arn:aws:iam::123", "arn::iam::123:role", "arn:aws::::123:role", "arn:aws:iam::123:a:b:c",
			"arn:aws:iam::123:a:b:c:d", "arn:aws:iam::123:a::c", "arn:aws:iam::123:a:b:", "ARN:aws:iam::123:role/x",
			"arn:aws:iam::123:role/x y", "arn:aws:iam::123:role/é", "xarn:aws:iam::123:role", "arn:aws:iam::1234567:r",
			"arn:aws:iam::" + strings.Repeat("1", 2040) + ":r", "arn:aws:iam::" + strings.Repeat("1", 2031) + ":r"},
		JobID: {"import-qQ0DCt2fRh", "import-", "import-a", "import-a-b", "import--", "import-a_b", "Import-a", "import_a",
			"import-é", " import-a", "import-a ", "import-a\n", "xximport-a", "import-" + strings.Repeat("a", 48), "import-" + strings.Repeat("a", 49),
			"import-import-a", "", "import-a\x0b", "import-\u00a0"},
		PaginationToken: {"abc", "a b", "a\x0bb", "a\u00a0b", "\u3000", "é", "", " ", "\t", "a\x85b", "a\u2028b"},
	}
	for m, inputs := range cases {
		for _, s := range inputs {
			got := rulesOf(m.CheckString(nil, s, true))
			if want := referenceCheck(m, s); !sameRules(got, want) {
				t.Errorf("%s %q: CheckString says %v, the reference %v", m.Name, s, got, want)
			}
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, m := range stringMembers {
		vs := m.CheckString(nil, "us-east-1_a\xff", true)
		if len(vs) != 1 || vs[0].Rule != UTF8 {
			t.Errorf("%s: got %v, want one UTF8 violation", m.Name, rulesOf(vs))
		}
	}
}

func TestRequiredAndOptional(t *testing.T) {
	t.Parallel()
	for _, m := range []*Member{UserPoolID, JobName, CloudWatchLogsRoleArn, JobID} {
		if vs := m.CheckString(nil, "", false); len(vs) != 1 || vs[0].Rule != Required || !vs[0].Null {
			t.Errorf("%s missing: got %+v", m.Name, vs)
		}
	}
	if vs := PaginationToken.CheckString(nil, "", false); len(vs) != 0 {
		t.Errorf("PaginationToken missing: got %+v, want none", vs)
	}
	if vs := MaxResults.CheckInt(nil, 0, false); len(vs) != 1 || vs[0].Rule != Required {
		t.Errorf("MaxResults missing: got %+v", vs)
	}
}

func TestCheckIntBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    int64
		want []Rule
	}{{0, []Rule{MinValue}}, {1, nil}, {60, nil}, {61, []Rule{MaxValue}}, {-1, []Rule{MinValue}}, {1 << 31, []Rule{MaxValue}}} {
		if got := rulesOf(MaxResults.CheckInt(nil, tc.v, true)); !sameRules(got, tc.want) {
			t.Errorf("MaxResults %d: got %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestCheckAllocatesNothingWhenValid(t *testing.T) {
	var buf [4]Violation
	allocs := testing.AllocsPerRun(100, func() {
		vs := UserPoolID.CheckString(buf[:0], "us-east-1_abc", true)
		vs = CloudWatchLogsRoleArn.CheckString(vs, "arn:aws:iam::123456789012:role/x", true)
		vs = MaxResults.CheckInt(vs, 60, true)
		if len(vs) != 0 {
			t.Fatal("unexpected violations")
		}
	})
	if allocs != 0 {
		t.Errorf("got %v allocations, want 0", allocs)
	}
}

// FuzzCheckString checks that the hand-written checks never panic and agree
// with the regexp reference on every input, for every string member.
func FuzzCheckString(f *testing.F) {
	for _, s := range []string{"us-east-1_abc", "job name", "arn:aws:iam::123456789012:role/x", "a\x0bb", "a\u00a0b", "\xff", "a_b_c", "arn:a:b::1:c:d:e", "import-qQ0DCt2fRh", "import-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4*2048+8 {
			t.Skip("longer than any bound needs") // keeps minimizing fast
		}
		for _, m := range stringMembers {
			got := rulesOf(m.CheckString(nil, s, true))
			if want := referenceCheck(m, s); !sameRules(got, want) {
				t.Errorf("%s %q: CheckString says %v, the reference %v", m.Name, s, got, want)
			}
		}
	})
}
