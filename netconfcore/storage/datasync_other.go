//go:build !linux

package storage

import "os"

// syncData flushes f to stable storage with [os.File.Sync].
func syncData(f *os.File) error { return f.Sync() }
