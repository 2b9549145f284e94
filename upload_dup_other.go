//go:build !unix

package cognitoimport

import (
	"errors"
	"os"
)

// dupFile is not available here: the file is sent through a wrapper.
func dupFile(*os.File) (*os.File, error) { return nil, errors.ErrUnsupported }
