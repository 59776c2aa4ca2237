package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Names of the files a Dir keeps besides the values. Both start with a dot,
// which no valid name does.
const (
	lockName   = ".lock"
	tempPrefix = ".tmp-"
)

// Dir is a [Journal] that keeps the value or log of each name in a file of
// that name in one directory, owned by one process at a time.
//
// # File format
//
// A file holds a header, the value, the value's length and a CRC-32C checksum
// of everything before it. Load checks the header and the length before it
// returns, so a truncated or extended file fails at once; it checks the
// checksum when the value has been read to its end, so the final Read (or
// Close, for a caller that stops early) of an altered file returns a
// [*CorruptError] instead of io.EOF. A damaged file is always reported, with
// its path; Dir never discards it or replaces it with an empty value.
//
// # Durability
//
// Save writes the value to a new temporary file in the directory, fsyncs the
// file, closes it, renames it over the name's file and then fsyncs the
// directory. Hence:
//
//   - When Save returns nil, the new value is on stable storage: it survives
//     a crash of the process, of the operating system or of the power, as far
//     as the file system and the device honour fsync (on macOS, Go's
//     [os.File.Sync] uses F_FULLFSYNC).
//   - Whatever happens during Save, including a crash at any instant, the
//     file of the name holds either the complete old value or the complete
//     new one, because rename replaces a directory entry atomically. Readers
//     see the same: Load opens one or the other.
//   - When Save returns an error, the old value is still in place, except if
//     the error comes from the fsync of the directory after the rename: then
//     the new value is in place but may not survive a system crash.
//
// Delete removes the file and fsyncs the directory, so that a deleted value
// or log does not come back after a system crash; when Delete returns nil,
// the deletion is durable.
//
// # Logs
//
// A log is a file of its own format (a different header, then each record
// with its length and a CRC-32C checksum), appended to in place. Append
// writes the record with its header in one write at the end of the last
// whole record and then fdatasyncs the file (fsync where there is no
// fdatasync); the first Append to each log after [OpenDir] also fsyncs the
// directory, so that a newly created log file stays. Hence:
//
//   - When Append returns nil, the record is on stable storage, as for Save.
//   - A crash during Append can only tear the record being appended, which
//     was never reported durable: the next Replay or Append of the log finds
//     it at the end of the file and cuts it off. If Append fails without a
//     crash, it cuts off what it wrote itself, or, if that fails too, leaves
//     it to the next Append or Replay. A failed or interrupted Append that
//     would have created the log may leave it existing without records.
//   - A damaged record anywhere else is reported by Replay and Append as a
//     [*CorruptError] and left in place.
//
// Dir keeps each log it has used open, with the offset where its last whole
// record ends, until the log is deleted or the Dir closed: the first Append
// or Replay of a log reads the whole file once to check it, later ones do
// not. Appends to one log run one at a time; Appends to different logs, and
// Saves, run concurrently.
//
// [OpenDir] creates missing directories with mode 0700, fsyncing the parent
// of each one it creates, and values are written with mode 0600.
//
// # Ownership
//
// OpenDir takes an exclusive flock(2) on the file ".lock" in the directory,
// which records the holder's process id, and holds it until [Dir.Close] or
// the end of the process. A second OpenDir of the same directory, from this
// process or another, fails with a [*LockedError]. Holding the lock, OpenDir
// removes the temporary files a crashed Save left behind.
type Dir struct {
	path string
	opts options
	dir  *os.File // the directory, fsynced after renames and removals
	lock *os.File // the flocked lock file; closing it releases the lock

	mu     sync.RWMutex // read-held by operations, write-held by Close
	closed bool

	// logsMu guards logs, and makes opening a log file, checking that a
	// name is not a log before Save renames over it, and removing a file
	// atomic with respect to each other. It is never acquired while a
	// logFile's mu is held.
	logsMu sync.Mutex
	logs   map[string]*logFile // the open logs by name
}

var _ Journal = (*Dir)(nil)

// LockedError reports that another [Dir] holds the directory, in this
// process or another one.
type LockedError struct {
	Path string // the lock file
	PID  int    // the holder's process id as it recorded it, or 0 if unknown
}

func (e *LockedError) Error() string {
	holder := "another process or Dir"
	if e.PID > 0 {
		holder = "process " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("storage: %s is locked by %s; only one server may use a state directory", e.Path, holder)
}

// OpenDir opens the directory at path for storing values, creating it and
// its missing parents with mode 0700, and locks it against other users (see
// [Dir]). The caller must Close the Dir to release the lock.
func OpenDir(path string, opts ...Option) (*Dir, error) {
	path = filepath.Clean(path)
	if err := mkdirDurable(path); err != nil {
		return nil, err
	}
	lock, err := lockDir(path)
	if err != nil {
		return nil, err
	}
	dir, err := os.Open(path)
	if err != nil {
		lock.Close()
		return nil, err
	}
	d := &Dir{path: path, opts: newOptions(opts), dir: dir, lock: lock, logs: make(map[string]*logFile)}
	if err := d.removeTemps(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// mkdirDurable creates path and its missing parents like [os.MkdirAll] with
// mode 0700, and fsyncs the parent of each directory it creates.
func mkdirDurable(path string) error {
	fi, err := os.Stat(path)
	if err == nil {
		if !fi.IsDir() {
			return &fs.PathError{Op: "open", Path: path, Err: errors.New("not a directory")}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(path)
	if parent != path {
		if err := mkdirDurable(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(path, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

func syncDir(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// lockDir opens and flocks the lock file of the directory at path and
// records the process id in it.
func lockDir(path string) (*os.File, error) {
	name := filepath.Join(path, lockName)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	ok, err := tryLock(f)
	if err == nil && !ok {
		err = &LockedError{Path: name, PID: readPID(f)}
	}
	if err == nil {
		err = f.Truncate(0)
	}
	if err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readPID returns the process id recorded in a lock file, or 0.
func readPID(f *os.File) int {
	var b [24]byte
	n, _ := f.ReadAt(b[:], 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	if err != nil {
		return 0
	}
	return pid
}

// removeTemps removes the temporary files of interrupted Saves.
func (d *Dir) removeTemps() error {
	entries, err := d.dir.ReadDir(-1)
	if err != nil {
		return err
	}
	removed := false
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) || !e.Type().IsRegular() {
			continue
		}
		if err := os.Remove(filepath.Join(d.path, e.Name())); err != nil {
			return err
		}
		removed = true
	}
	if removed {
		return d.dir.Sync()
	}
	return nil
}

// Path returns the directory's path.
func (d *Dir) Path() string { return d.path }

// acquire read-locks d for an operation on name and returns the path of
// name's file. On success the caller must call d.mu.RUnlock.
func (d *Dir) acquire(ctx context.Context, name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	d.mu.RLock()
	if d.closed {
		d.mu.RUnlock()
		return "", ErrClosed
	}
	return filepath.Join(d.path, name), nil
}

// Load opens the file of name and checks its header and length. The returned
// reader verifies the checksum at the end of the value (see [Dir]). A missing
// file is an [*fs.PathError] wrapping [ErrNotExist]; a damaged one is a
// [*CorruptError] naming it; a log is a [*KindError]. The reader stays
// usable after d is closed.
func (d *Dir) Load(ctx context.Context, name string) (io.ReadCloser, error) {
	path, err := d.acquire(ctx, name)
	if err != nil {
		return nil, err
	}
	defer d.mu.RUnlock()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &fs.PathError{Op: "load", Path: path, Err: errors.New("not a regular file")}
	}
	var dec *decoder
	if err == nil {
		dec, err = newDecoder(f, fi.Size(), d.opts.maxSize, path, f)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return dec, nil
}

// Save stores what write writes as the value of name, atomically and durably
// (see [Dir]). It returns write's error unchanged; ctx's error if ctx is done
// before the new file is renamed into place, even while write runs; a
// [*TooLargeError] for a value over the size limit; and a [*KindError] if
// name holds a log. In each case the old value or log stays.
func (d *Dir) Save(ctx context.Context, name string, write func(io.Writer) error) error {
	path, err := d.acquire(ctx, name)
	if err != nil {
		return err
	}
	defer d.mu.RUnlock()
	f, err := os.CreateTemp(d.path, tempPrefix+name+"-*")
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	enc := newEncoder(f)
	g := &guardWriter{ctx: ctx, w: enc, name: name, limit: d.opts.maxSize}
	if err := g.run(write); err != nil {
		return err
	}
	if err := enc.finish(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := d.replace(name, f.Name(), path); err != nil {
		return err
	}
	renamed = true
	if err := d.dir.Sync(); err != nil {
		return fmt.Errorf("storage: %s was replaced but may not be durable: %w", path, err)
	}
	return nil
}

// replace renames the file temp to path, the file of name, unless name
// holds a log.
func (d *Dir) replace(name, temp, path string) error {
	d.logsMu.Lock()
	defer d.logsMu.Unlock()
	if _, ok := d.logs[name]; ok {
		return &KindError{Path: path, Log: true}
	}
	isLog, err := hasLogMagic(path)
	if err != nil {
		return err
	}
	if isLog {
		return &KindError{Path: path, Log: true}
	}
	return os.Rename(temp, path)
}

// hasLogMagic reports whether the file at path starts like a log. A missing
// file does not.
func hasLogMagic(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	var h [logHeaderLen]byte
	n, err := f.ReadAt(h[:], 0)
	if err != nil && err != io.EOF {
		return false, err
	}
	return n == len(h) && h == logMagic, nil
}

// Delete removes the file of name, a value or a log, and fsyncs the
// directory. A missing file is an [*fs.PathError] wrapping [ErrNotExist].
func (d *Dir) Delete(ctx context.Context, name string) error {
	path, err := d.acquire(ctx, name)
	if err != nil {
		return err
	}
	defer d.mu.RUnlock()
	if err := d.remove(name, path); err != nil {
		return err
	}
	if err := d.dir.Sync(); err != nil {
		return fmt.Errorf("storage: %s was removed but the removal may not be durable: %w", path, err)
	}
	return nil
}

// Close waits for running Saves, Deletes and Appends to finish, closes the
// open logs and releases the directory. Readers returned by Load, and
// Replays past their start, stay usable. Closing a closed Dir returns
// [ErrClosed].
func (d *Dir) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	d.closed = true
	err := d.closeLogs()
	if derr := d.dir.Close(); err == nil {
		err = derr
	}
	if lerr := d.lock.Close(); err == nil {
		err = lerr
	}
	return err
}
