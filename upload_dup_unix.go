//go:build unix

package cognitoimport

import (
	"os"
	"syscall"
)

// dupFile returns a new *os.File for the open file f refers to, sharing its
// offset: net/http closes a request's body when it is done with it, and may
// hand a plain *os.File to the kernel (sendfile), which it cannot do through
// a wrapper that keeps the caller's file open.
func dupFile(f *os.File) (*os.File, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd, derr := -1, error(nil)
	if err := rc.Control(func(s uintptr) { fd, derr = syscall.Dup(int(s)) }); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, derr
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), f.Name()), nil
}
