package cognitoimporttest

import "testing"

// TestOperationsTable: the list of operations that messages name is the set
// opIndex knows, each once, and Requests has a counter for each.
func TestOperationsTable(t *testing.T) {
	var s Server
	if len(operations) != len(s.requests) {
		t.Errorf("operations lists %d operations, Server.requests counts %d", len(operations), len(s.requests))
	}
	seen := make(map[int]Operation)
	for _, op := range operations {
		i, ok := opIndex(op)
		if !ok {
			t.Errorf("opIndex(%q) is not ok", op)
			continue
		}
		if other, dup := seen[i]; dup {
			t.Errorf("opIndex(%q) = opIndex(%q) = %d", op, other, i)
		}
		seen[i] = op
	}
}
