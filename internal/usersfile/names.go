package usersfile

import (
	"encoding/binary"
	"hash/maphash"
)

// NameSet is an exact set of usernames that stays small for 500,000 names:
// the names are stored once, back to back, in one arena, and a map from each
// name's 64-bit hash to its place in the arena finds them. A second name with
// the same hash (about one chance in 10^7 for 500,000 names) goes to a
// plain map, so the set never confuses two names.
type NameSet struct {
	seed     maphash.Seed
	index    map[uint64]int // hash -> offset in arena of a length-prefixed name
	arena    []byte
	overflow map[string]struct{}
}

// NewNameSet returns an empty set.
func NewNameSet() *NameSet {
	return &NameSet{seed: maphash.MakeSeed(), index: make(map[uint64]int)}
}

func (s *NameSet) at(off int) []byte {
	n, k := binary.Uvarint(s.arena[off:])
	return s.arena[off+k : off+k+int(n)]
}

// Has reports whether name is in the set.
func (s *NameSet) Has(name []byte) bool {
	off, ok := s.index[maphash.Bytes(s.seed, name)]
	if !ok {
		return false
	}
	if string(s.at(off)) == string(name) {
		return true
	}
	_, ok = s.overflow[string(name)]
	return ok
}

// Add adds name, which must not be in the set.
func (s *NameSet) Add(name []byte) {
	h := maphash.Bytes(s.seed, name)
	if _, ok := s.index[h]; ok {
		if s.overflow == nil {
			s.overflow = make(map[string]struct{})
		}
		s.overflow[string(name)] = struct{}{}
		return
	}
	s.index[h] = len(s.arena)
	s.arena = binary.AppendUvarint(s.arena, uint64(len(name)))
	s.arena = append(s.arena, name...)
}
