//go:build !linux

package cognitoimport

import (
	"errors"
	"os"
)

// reopenFile is not available here: the file is read through an
// io.SectionReader instead.
func reopenFile(*os.File, int64) (*os.File, error) { return nil, errors.ErrUnsupported }
