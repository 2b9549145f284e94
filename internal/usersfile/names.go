package usersfile

import (
	"encoding/binary"
	"hash/maphash"
)

// nameSet is an exact set of usernames that stays small for 500,000 names:
// the names are stored once, back to back, in one arena, and a map from each
// name's 64-bit hash to its place in the arena finds them. A second name with
// the same hash (about one chance in 10^7 for 500,000 names) goes to a
// plain map, so the set never confuses two names.
type nameSet struct {
	seed     maphash.Seed
	index    map[uint64]int // hash -> offset in arena of a length-prefixed name
	arena    []byte
	overflow map[string]struct{}
}

func newNameSet() *nameSet {
	return &nameSet{seed: maphash.MakeSeed(), index: make(map[uint64]int)}
}

func (s *nameSet) at(off int) []byte {
	n, k := binary.Uvarint(s.arena[off:])
	return s.arena[off+k : off+k+int(n)]
}

// has reports whether name is in the set.
func (s *nameSet) has(name []byte) bool {
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

// add adds name, which must not be in the set.
func (s *nameSet) add(name []byte) {
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
