package usersfile

import (
	"encoding/binary"
	"hash/maphash"
)

// NameSet is an exact set of usernames that stays small and fast for
// 500,000 names: the names are stored once, back to back, in one arena, and
// an open-addressing table (linear probing) of 16-byte slots, each a name's
// 64-bit hash and its place in the arena, finds them. A lookup compares the
// name itself when the hashes match, so two names are never confused. For
// 500,000 names of 10 bytes it holds about 22 MB (a table of 2^20 slots and
// the arena).
type NameSet struct {
	seed  maphash.Seed
	slots []slot // len is 0 or a power of two
	n     int
	arena []byte
}

type slot struct {
	hash uint64
	off  uint64 // 1 + the offset of the length-prefixed name in arena; 0: empty
}

// NewNameSet returns an empty set.
func NewNameSet() *NameSet { return &NameSet{seed: maphash.MakeSeed()} }

// Len returns the number of names in the set.
func (s *NameSet) Len() int { return s.n }

func (s *NameSet) at(off uint64) []byte {
	n, k := binary.Uvarint(s.arena[off:])
	start := off + uint64(k)
	return s.arena[start : start+n]
}

// find returns the slot of name, or the empty slot where it belongs.
func (s *NameSet) find(h uint64, name []byte) (i int, found bool) {
	mask := len(s.slots) - 1
	for i = int(h) & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.off == 0 {
			return i, false
		}
		if sl.hash == h && string(s.at(sl.off-1)) == string(name) {
			return i, true
		}
	}
}

// Has reports whether name is in the set.
func (s *NameSet) Has(name []byte) bool {
	if s.n == 0 {
		return false
	}
	_, found := s.find(maphash.Bytes(s.seed, name), name)
	return found
}

// Insert adds name to the set and reports whether it was absent: false
// means it was there already.
func (s *NameSet) Insert(name []byte) bool {
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	h := maphash.Bytes(s.seed, name)
	i, found := s.find(h, name)
	if found {
		return false
	}
	s.slots[i] = slot{hash: h, off: uint64(len(s.arena)) + 1}
	s.arena = binary.AppendUvarint(s.arena, uint64(len(name)))
	s.arena = append(s.arena, name...)
	s.n++
	return true
}

// grow doubles the table (to 1,024 slots at first), keeping it at most three
// quarters full.
func (s *NameSet) grow() {
	old := s.slots
	s.slots = make([]slot, max(1024, 2*len(old)))
	mask := len(s.slots) - 1
	for _, sl := range old {
		if sl.off == 0 {
			continue
		}
		i := int(sl.hash) & mask
		for s.slots[i].off != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
}
