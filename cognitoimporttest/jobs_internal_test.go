package cognitoimporttest

import (
	"testing"
)

// FuzzPaginationToken checks that the server accepts no token it did not
// issue: a forged or mangled token never decodes to a position, for the pool
// it was issued for or any other.
func FuzzPaginationToken(f *testing.F) {
	s := NewServer(WithUserPools("us-east-1_a", "us-east-1_b"))
	defer s.Close()
	issued := map[string]int{}
	for pos := range 200 {
		tok := s.encodeToken("us-east-1_a", pos, uint64(pos))
		issued[tok] = pos
		if pos%20 == 0 {
			f.Add(tok)
			f.Add(tok[:len(tok)-1])
			f.Add(tok + "A")
			f.Add(string(rune(tok[0]^1)) + tok[1:])
		}
	}
	f.Add("")
	f.Add("us-west-2_EXAMPLE#import-example3#1667948397084")

	f.Fuzz(func(t *testing.T, token string) {
		pos, ok := s.decodeToken("us-east-1_a", token)
		if want, isIssued := issued[token]; ok != isIssued || ok && pos != want {
			t.Fatalf("token %q: decoded (%d, %t), issued: (%d, %t)", token, pos, ok, want, isIssued)
		}
		if _, ok := s.decodeToken("us-east-1_b", token); ok {
			t.Fatalf("token %q of pool a accepted for pool b", token)
		}
	})
}
