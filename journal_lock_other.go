//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cognitoimport

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
)

// lockJournal takes the journal's lock where flock(2) is not available: it
// creates the lock file exclusively (O_EXCL) and writes the process ID in
// it, and unlock removes it. A lock file that exists is a
// *JournalLockedError naming the process ID written in it. Unlike flock,
// this lock outlives a process that dies without unlocking: once that
// process is gone, delete JOURNAL.lock by hand.
func lockJournal(journal string) (*journalLock, error) {
	path := lockPath(journal)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, &JournalLockedError{Journal: journal, PID: holderPID(path), MayBeStale: true}
	}
	if err != nil {
		return nil, fmt.Errorf("cognitoimport: locking the journal: %w", err)
	}
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return &journalLock{f: f, path: path}, nil
}

// unlock releases the lock by removing the lock file.
func (l *journalLock) unlock() {
	if l == nil {
		return
	}
	l.f.Close()
	os.Remove(l.path)
}
