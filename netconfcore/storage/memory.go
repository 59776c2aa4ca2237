package storage

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"sync"
)

// Memory is a [Journal] that keeps values and logs in memory. Nothing
// survives the process. It applies the same name rules, size limit and error
// types as [Dir], so it stands in for one in tests; having no files, it never
// reports a [*CorruptError].
//
// The zero value is not usable; call [NewMemory].
type Memory struct {
	opts options

	mu     sync.RWMutex
	values map[string][]byte   // never modified in place once stored
	logs   map[string][][]byte // records are never modified once stored
}

var _ Journal = (*Memory)(nil)

// NewMemory returns an empty in-memory backend.
func NewMemory(opts ...Option) *Memory {
	return &Memory{opts: newOptions(opts), values: make(map[string][]byte), logs: make(map[string][][]byte)}
}

// Load returns a reader for the value of name.
func (m *Memory) Load(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	v, ok := m.values[name]
	_, isLog := m.logs[name]
	m.mu.RUnlock()
	if isLog {
		return nil, &KindError{Path: name, Log: true}
	}
	if !ok {
		return nil, &fs.PathError{Op: "load", Path: name, Err: ErrNotExist}
	}
	return io.NopCloser(bytes.NewReader(v)), nil
}

// Save buffers what write writes and, if it succeeds, stores it under name.
func (m *Memory) Save(ctx context.Context, name string, write func(io.Writer) error) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	var buf bytes.Buffer
	g := &guardWriter{ctx: ctx, w: &buf, name: name, limit: m.opts.maxSize}
	if err := g.run(write); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.logs[name]; ok {
		return &KindError{Path: name, Log: true}
	}
	m.values[name] = buf.Bytes()
	return nil
}

// Delete removes the value or log of name.
func (m *Memory) Delete(ctx context.Context, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, isValue := m.values[name]
	_, isLog := m.logs[name]
	if !isValue && !isLog {
		return &fs.PathError{Op: "delete", Path: name, Err: ErrNotExist}
	}
	delete(m.values, name)
	delete(m.logs, name)
	return nil
}

// Append adds a copy of record to the log name.
func (m *Memory) Append(ctx context.Context, name string, record []byte) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkRecord(name, record, m.opts.maxSize); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.values[name]; ok {
		return &KindError{Path: name}
	}
	m.logs[name] = append(m.logs[name], bytes.Clone(record))
	return nil
}

// Replay calls fn with a copy of each record of the log name.
func (m *Memory) Replay(ctx context.Context, name string, fn func(record []byte) error) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.RLock()
	records, isLog := m.logs[name]
	_, isValue := m.values[name]
	m.mu.RUnlock()
	switch {
	case isValue:
		return &KindError{Path: name}
	case !isLog:
		return &fs.PathError{Op: "replay", Path: name, Err: ErrNotExist}
	}
	var buf []byte
	for _, r := range records {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf = append(buf[:0], r...)
		if err := fn(buf); err != nil {
			return err
		}
	}
	return nil
}
