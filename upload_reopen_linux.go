//go:build linux

package cognitoimport

import (
	"errors"
	"os"
	"strconv"
)

// reopenFile opens the file f refers to again, through /proc/self/fd, as a
// new open file description at offset off: its offset is its own, not f's,
// so net/http may read it (with sendfile) and close it whenever it likes,
// even after Upload returned, without moving f's offset.
func reopenFile(f *os.File, off int64) (*os.File, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var g *os.File
	var oerr error
	// Inside Control f's descriptor stays open, so the path names f.
	if err := rc.Control(func(fd uintptr) {
		g, oerr = os.Open("/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10))
	}); err != nil {
		return nil, err
	}
	if oerr != nil {
		return nil, oerr
	}
	fi, ferr := f.Stat()
	gi, gerr := g.Stat()
	if ferr != nil || gerr != nil || !os.SameFile(fi, gi) {
		g.Close()
		return nil, errors.New("cognitoimport: reopening the file gave another file")
	}
	if _, err := g.Seek(off, 0); err != nil {
		g.Close()
		return nil, err
	}
	return g, nil
}
