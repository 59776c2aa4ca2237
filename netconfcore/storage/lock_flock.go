//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package storage

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive flock on f without waiting. It reports false if
// someone else holds one. The lock belongs to f's open file description, so
// it conflicts with another open of the same file in this process too, and
// ends when f is closed or the process dies.
func tryLock(f *os.File) (bool, error) {
	conn, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	var lockErr error
	err = conn.Control(func(fd uintptr) {
		for {
			lockErr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
			if lockErr != syscall.EINTR {
				return
			}
		}
	})
	switch {
	case err != nil:
		return false, err
	case lockErr == syscall.EWOULDBLOCK:
		return false, nil
	case lockErr != nil:
		return false, &os.PathError{Op: "flock", Path: f.Name(), Err: lockErr}
	}
	return true, nil
}
