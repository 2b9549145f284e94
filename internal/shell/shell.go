// Package shell quotes values for the command lines that the commands print
// for people to copy into a POSIX shell.
package shell

import "strings"

// Quote returns s as one word of a POSIX shell: as it is when it holds only
// characters that need no quoting, and otherwise in single quotes, each
// single quote of s closed, escaped and reopened.
func Quote(s string) string {
	safe := s != ""
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("-_./:=@,+", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
