//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cognitoimport

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// lockJournal takes the journal's lock: an exclusive flock(2) on its lock
// file, which the kernel releases when the process ends, however it ends
// (a crash, SIGKILL, a power cut), so that no stale lock is ever left. A
// lock held by another process, or by another open file in this one, is a
// *JournalLockedError naming the holder's process ID.
func lockJournal(journal string) (*journalLock, error) {
	path := lockPath(journal)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cognitoimport: locking the journal: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &JournalLockedError{Journal: journal, PID: holderPID(path)}
		}
		return nil, fmt.Errorf("cognitoimport: locking the journal: %w", err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &journalLock{f: f, path: path}, nil
}

// unlock releases the lock. The lock file stays: removing it would let a
// process that opened it before the removal lock a file nobody else sees.
func (l *journalLock) unlock() {
	if l == nil {
		return
	}
	l.f.Truncate(0)
	l.f.Close() // closing the last descriptor releases the flock
}
