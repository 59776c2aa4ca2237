package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// A logFile is a log a Dir keeps open.
type logFile struct {
	mu      chanMutex
	f       *os.File // nil once the log is deleted or its Dir closed
	path    string
	end     int64  // where the last whole record ends; -1 until the file is checked
	dirty   bool   // bytes of a failed append may follow end
	syncDir bool   // the directory has to be fsynced once the next record is written
	buf     []byte // the write buffer of append
}

// Append adds record to the end of the log name and makes it durable (see
// [Dir]). It returns an [*fs.PathError] if the file cannot be created or
// written, a [*KindError] if name holds a value, and a [*CorruptError] if the
// log is damaged before its last record.
func (d *Dir) Append(ctx context.Context, name string, record []byte) error {
	path, err := d.acquire(ctx, name)
	if err != nil {
		return err
	}
	defer d.mu.RUnlock()
	if err := checkRecord(name, record, d.opts.maxSize); err != nil {
		return err
	}
	l, err := d.lockLog(ctx, name, path, os.O_CREATE)
	if err != nil {
		return err
	}
	defer l.mu.Unlock()
	return l.append(record, d.dir)
}

// Replay calls fn with each record of the log name (see [Journal.Replay]).
// A missing log is an [*fs.PathError] wrapping [ErrNotExist]; a value is a
// [*KindError]. Once Replay has started to call fn, neither closing d nor
// deleting the log stops it.
func (d *Dir) Replay(ctx context.Context, name string, fn func(record []byte) error) error {
	path, err := d.acquire(ctx, name)
	if err != nil {
		return err
	}
	f, end, err := d.snapshotLog(ctx, name, path)
	d.mu.RUnlock()
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := readLog(f, end, recordLimit(d.opts.maxSize), path, func(record []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(record)
	})
	if err == nil && n != end {
		err = &CorruptError{Path: path, Reason: fmt.Sprintf("the log changed while being replayed: its records end at offset %d, not %d", n, end)}
	}
	return err
}

// snapshotLog returns a new reader of the log name, at path, and the end of
// its last whole record.
func (d *Dir) snapshotLog(ctx context.Context, name, path string) (*os.File, int64, error) {
	l, err := d.lockLog(ctx, name, path, 0)
	if err != nil {
		return nil, 0, err
	}
	defer l.mu.Unlock()
	// l.f stays the file at path while l.mu is held, as Delete and Save
	// would have to take it first.
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	return f, l.end, nil
}

// lockLog returns the log name, whose file is at path, locked and ready to
// append to, opening it with flag (0 or [os.O_CREATE]) and checking it if d
// has not yet.
func (d *Dir) lockLog(ctx context.Context, name, path string, flag int) (*logFile, error) {
	for {
		l, err := d.openLog(name, path, flag)
		if err != nil {
			return nil, err
		}
		if err := l.mu.Lock(ctx); err != nil {
			return nil, err
		}
		if l.f == nil {
			// Deleted while we waited: look again.
			l.mu.Unlock()
			continue
		}
		err = l.prepare(recordLimit(d.opts.maxSize))
		if err == nil {
			return l, nil
		}
		if l.end >= 0 {
			l.mu.Unlock()
			return nil, err
		}
		// Not a usable log: forget it, so that it is checked afresh next
		// time and does not count as a log for Save.
		l.f.Close()
		l.f = nil
		l.mu.Unlock()
		d.logsMu.Lock()
		if d.logs[name] == l {
			delete(d.logs, name)
		}
		d.logsMu.Unlock()
		return nil, err
	}
}

// openLog returns the open log name, opening its file at path with flag if
// d has not yet.
func (d *Dir) openLog(name, path string, flag int) (*logFile, error) {
	d.logsMu.Lock()
	defer d.logsMu.Unlock()
	if l, ok := d.logs[name]; ok {
		return l, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|flag, 0o600)
	if err != nil {
		return nil, err
	}
	l := &logFile{f: f, path: path, end: -1, syncDir: true, mu: newChanMutex()}
	d.logs[name] = l
	return l, nil
}

// remove removes the file of name at path, closing it first if it is an
// open log.
func (d *Dir) remove(name, path string) error {
	d.logsMu.Lock()
	defer d.logsMu.Unlock()
	if l, ok := d.logs[name]; ok {
		delete(d.logs, name)
		l.mu.lockUncancelable()
		l.f.Close()
		l.f = nil
		l.mu.Unlock()
	}
	return os.Remove(path)
}

// closeLogs closes the open logs. No operation runs, so none is locked.
func (d *Dir) closeLogs() error {
	d.logsMu.Lock()
	defer d.logsMu.Unlock()
	var errs []error
	for name, l := range d.logs {
		errs = append(errs, l.f.Close())
		l.f = nil
		delete(d.logs, name)
	}
	return errors.Join(errs...)
}

// prepare checks the file of l if that has not been done and cuts off a
// torn record or the bytes of a failed append after its last whole record.
func (l *logFile) prepare(limit int64) error {
	if l.end >= 0 && !l.dirty {
		return nil
	}
	end := l.end
	if end < 0 {
		fi, err := l.f.Stat()
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return &fs.PathError{Op: "open", Path: l.path, Err: errors.New("not a regular file")}
		}
		end, err = readLog(l.f, fi.Size(), limit, l.path, nil)
		if err != nil {
			return err
		}
		if end == fi.Size() {
			l.end = end
			return nil
		}
	}
	if err := l.f.Truncate(end); err != nil {
		return fmt.Errorf("storage: cutting off a torn record: %w", err)
	}
	if err := syncData(l.f); err != nil {
		return err
	}
	l.end, l.dirty = end, false
	return nil
}

// append writes record at the end of l and syncs it, and the directory if
// needed. If that fails, it cuts off what it wrote, or marks l dirty.
func (l *logFile) append(record []byte, dir *os.File) error {
	start := l.end
	b := l.buf[:0]
	if start == 0 {
		b = append(b, logMagic[:]...)
	}
	next := start + int64(len(b)) + recordHeaderLen + int64(len(record))
	var err error
	if len(b)+recordHeaderLen+len(record) <= maxBufferedAppend {
		b = appendRecord(b, record)
		_, err = l.f.WriteAt(b, start)
		l.buf = b[:0]
	} else {
		b = appendRecordHeader(b, record)
		if _, err = l.f.WriteAt(b, start); err == nil {
			_, err = l.f.WriteAt(record, start+int64(len(b)))
		}
	}
	if err == nil {
		err = syncData(l.f)
	}
	if err == nil && l.syncDir {
		if err = dir.Sync(); err == nil {
			l.syncDir = false
		}
	}
	if err != nil {
		l.dirty = l.f.Truncate(start) != nil
		return err
	}
	l.end = next
	return nil
}

// A chanMutex is a mutex whose Lock gives up when a context is done.
type chanMutex chan struct{}

func newChanMutex() chanMutex { return make(chanMutex, 1) }

// Lock locks m, or returns ctx's error if ctx is done first.
func (m chanMutex) Lock(ctx context.Context) error {
	select {
	case m <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// lockUncancelable locks m, waiting as long as it takes.
func (m chanMutex) lockUncancelable() { m <- struct{}{} }

// Unlock unlocks m.
func (m chanMutex) Unlock() { <-m }
