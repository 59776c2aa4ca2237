// Package storage persists named byte strings for the NETCONF datastores.
//
// The package knows names and bytes, nothing about NETCONF. The engine keeps
// the running and startup datastores and the state of a persistent confirmed
// commit in a [Backend]; which backend it is decides how durable they are:
//
//   - [Dir] keeps each name in a file of one directory, checksummed, replaced
//     atomically and fsynced before Save returns. See [Dir] for the exact
//     guarantee.
//   - [Memory] keeps values in memory only. It is the backend for tests and
//     for servers that want no persistence.
//
// A Backend is small on purpose, so that another one (a replicated store, say)
// can be added without touching the engine.
//
// Both backends are also a [Journal]: besides values, they keep append-only
// logs of records, so that a small change can be made durable without
// rewriting a whole value.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Backend stores byte strings under names. Implementations are safe for
// concurrent use by multiple goroutines. Every method rejects a name that
// [ValidateName] rejects with its [*NameError], and returns ctx's error if
// ctx is done before it starts.
//
// Save replaces the value atomically: a concurrent or later Load sees either
// the complete old value or the complete new one, never a mix, and a failed
// Save leaves the old value in place. Of overlapping Saves of one name, one
// wins whole; callers that need an order serialize their Saves.
type Backend interface {
	// Load opens the value stored under name. The caller must close the
	// returned reader. If name holds no value, the error satisfies
	// errors.Is(err, ErrNotExist).
	//
	// A reader may report a failed integrity check instead of io.EOF (see
	// [CorruptError]); a value is trustworthy only once it has been read up
	// to io.EOF.
	Load(ctx context.Context, name string) (io.ReadCloser, error)

	// Save calls write with a writer for the new value of name and, if write
	// returns nil, replaces the stored value with what it wrote. If write or
	// storing fails, Save returns the error and the old value stays. write
	// must not use the writer after it returns.
	Save(ctx context.Context, name string, write func(io.Writer) error) error

	// Delete removes name. If name holds no value, the error satisfies
	// errors.Is(err, ErrNotExist).
	Delete(ctx context.Context, name string) error
}

// Journal is implemented by backends that also keep append-only logs of
// records. A name holds either a value (Save/Load) or a log (Append/Replay),
// never both; Delete removes either. Using a name as the kind it does not
// hold fails with a [*KindError].
type Journal interface {
	Backend

	// Append adds record as the last record of the log name, creating the
	// log if it does not exist. When Append returns nil the record is
	// durable (Dir: written and fdatasynced, and the directory fsynced
	// after the first Append to the log since OpenDir, which may have
	// created it; see [Dir]). When it fails, the log
	// holds the records it held before: a partial write is cut off, by this
	// call or at the latest by the next Append or Replay. A record is 1 byte
	// ([ErrEmptyRecord] otherwise) up to the size limit ([*TooLargeError]
	// otherwise; see [WithMaxSize]). Append does not keep record.
	Append(ctx context.Context, name string, record []byte) error

	// Replay calls fn with each record of the log name in order; fn must
	// not keep or modify the slice after it returns. Replay sees the
	// records whose Appends returned before it started. A missing log is an
	// error wrapping [ErrNotExist]. If fn returns an error, Replay stops
	// and returns it; if ctx is done, Replay stops before the next record
	// and returns ctx's error.
	//
	// The last record may have been torn by a crash during its Append
	// (incomplete, or failing its checksum, and ending at the end of the
	// file): it was never reported durable, so Replay drops it and cuts it
	// off the file, so that later Appends follow the last whole record. Any
	// other damage is a [*CorruptError] naming the file; nothing is cut off
	// then.
	Replay(ctx context.Context, name string, fn func(record []byte) error) error
}

// ErrNotExist is returned, wrapped, by Load and Delete for a name that holds
// no value. It is [fs.ErrNotExist], so testing for either works.
var ErrNotExist = fs.ErrNotExist

// ErrInvalidName is wrapped by the [*NameError] returned for a name that
// [ValidateName] rejects.
var ErrInvalidName = errors.New("storage: invalid name")

// ErrEmptyRecord is returned by [Journal.Append] for a record of 0 bytes.
var ErrEmptyRecord = errors.New("storage: empty record")

// ErrClosed is returned by the methods of a closed [Dir].
var ErrClosed = errors.New("storage: backend is closed")

// MaxNameLen is the longest name a backend accepts, in bytes.
const MaxNameLen = 128

// DefaultMaxSize is the default limit on the size of a stored value or
// record, in bytes; see [WithMaxSize].
const DefaultMaxSize = 1 << 30

// MaxRecordSize is the largest record a log can hold, in bytes, whatever
// the size limit (the file format records a record's length in 32 bits).
const MaxRecordSize = 1<<32 - 1

// ValidateName reports whether name may be used with a [Backend]. A name is
// 1 to [MaxNameLen] bytes of ASCII letters, digits, '.', '-' and '_' that
// starts with a letter or digit. So a name is never a path, never a dot file,
// and means the same on every file system.
//
// The error is a [*NameError].
func ValidateName(name string) error {
	switch {
	case name == "":
		return &NameError{Name: name, Reason: "empty"}
	case len(name) > MaxNameLen:
		return &NameError{Name: name, Reason: fmt.Sprintf("longer than %d bytes", MaxNameLen)}
	case !isAlnum(name[0]):
		return &NameError{Name: name, Reason: "does not start with a letter or digit"}
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '.' && c != '-' && c != '_' {
			return &NameError{Name: name, Reason: fmt.Sprintf("byte %#02x at offset %d is not a letter, digit, '.', '-' or '_'", c, i)}
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// NameError reports a name that [ValidateName] rejects. It wraps
// [ErrInvalidName].
type NameError struct {
	Name   string // the rejected name
	Reason string // why it is rejected
}

func (e *NameError) Error() string {
	return fmt.Sprintf("storage: invalid name %q: %s", e.Name, e.Reason)
}

// Unwrap returns [ErrInvalidName].
func (e *NameError) Unwrap() error { return ErrInvalidName }

// CorruptError reports a stored value that fails its integrity check: the
// file was truncated, extended or altered after it was written. The value is
// not usable; the backend never replaces it with an empty one on its own.
type CorruptError struct {
	Path   string // the file, or the name for a backend without files
	Reason string // what is wrong, e.g. "checksum mismatch"
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("storage: %s is corrupt: %s", e.Path, e.Reason)
}

// KindError reports a name used as a log that holds a value, or used as a
// value that holds a log (see [Journal]). The name's data is left as it is.
type KindError struct {
	Path string // the file, or the name for a backend without files
	Log  bool   // whether the name holds a log (used as a value) rather than a value (used as a log)
}

func (e *KindError) Error() string {
	holds, used := "value", "log"
	if e.Log {
		holds, used = used, holds
	}
	return fmt.Sprintf("storage: %s holds a %s; it cannot be used as a %s", e.Path, holds, used)
}

// TooLargeError reports a value or record larger than the backend's size
// limit (see [WithMaxSize]), whether being stored or found on load.
type TooLargeError struct {
	Name  string // the name, or the file for data found on load
	Limit int64  // the limit in bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("storage: data of %s exceeds the size limit of %d bytes", e.Name, e.Limit)
}

// An Option configures a backend made by [OpenDir] or [NewMemory].
type Option func(*options)

type options struct {
	maxSize int64
}

func newOptions(opts []Option) options {
	o := options{maxSize: DefaultMaxSize}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithMaxSize limits the size of a value, and of a record of a log, to n
// bytes (default [DefaultMaxSize]). Save fails with a [*TooLargeError] as soon
// as the callback writes more and Append fails with one for a larger record;
// Load and Replay refuse stored data larger than n. A value of n <= 0 means
// no limit, except that a record never exceeds [MaxRecordSize].
func WithMaxSize(n int64) Option {
	return func(o *options) {
		if n <= 0 {
			n = 1<<63 - 1
		}
		o.maxSize = n
	}
}

// A guardWriter passes writes to w while ctx is live and the total stays
// within limit. Its first error sticks, so Save notices it even if the
// callback ignores it.
type guardWriter struct {
	ctx   context.Context
	w     io.Writer
	name  string
	n     int64
	limit int64
	err   error
}

func (g *guardWriter) Write(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if err := g.ctx.Err(); err != nil {
		g.err = err
		return 0, err
	}
	if int64(len(p)) > g.limit-g.n {
		g.err = &TooLargeError{Name: g.name, Limit: g.limit}
		return 0, g.err
	}
	n, err := g.w.Write(p)
	g.n += int64(n)
	if err != nil {
		g.err = err
	}
	return n, err
}

// checkRecord returns the error of Append for a record that no log may hold.
func checkRecord(name string, record []byte, maxSize int64) error {
	if len(record) == 0 {
		return ErrEmptyRecord
	}
	if limit := recordLimit(maxSize); int64(len(record)) > limit {
		return &TooLargeError{Name: name, Limit: limit}
	}
	return nil
}

// recordLimit returns the largest record allowed by the size limit maxSize.
func recordLimit(maxSize int64) int64 { return min(maxSize, MaxRecordSize) }

// run calls write with g and returns the first error of either.
func (g *guardWriter) run(write func(io.Writer) error) error {
	if err := write(g); err != nil {
		return err
	}
	return g.err
}
