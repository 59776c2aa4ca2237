//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package storage

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// tryLock fails: this system has no flock, so a Dir cannot be locked.
func tryLock(*os.File) (bool, error) {
	return false, fmt.Errorf("storage: locking a directory is not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
