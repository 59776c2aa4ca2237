//go:build linux

package storage

import (
	"os"
	"syscall"
)

// syncData flushes f's data, and the metadata needed to read it back such as
// its size, to stable storage. Unlike [os.File.Sync], fdatasync(2) skips
// metadata like the modification time, which saves a journal commit when the
// size did not change.
func syncData(f *os.File) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var syncErr error
	err = conn.Control(func(fd uintptr) {
		for {
			syncErr = syscall.Fdatasync(int(fd))
			if syncErr != syscall.EINTR {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	if syncErr != nil {
		return &os.PathError{Op: "fdatasync", Path: f.Name(), Err: syncErr}
	}
	return nil
}
