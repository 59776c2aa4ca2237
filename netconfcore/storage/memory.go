package storage

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"sync"
)

// Memory is a [Backend] that keeps values in memory. Nothing survives the
// process. It applies the same name rules, size limit and error types as
// [Dir], so it stands in for one in tests; having no files, it never reports
// a [*CorruptError].
//
// The zero value is not usable; call [NewMemory].
type Memory struct {
	opts options

	mu     sync.RWMutex
	values map[string][]byte // never modified in place once stored
}

var _ Backend = (*Memory)(nil)

// NewMemory returns an empty in-memory backend.
func NewMemory(opts ...Option) *Memory {
	return &Memory{opts: newOptions(opts), values: make(map[string][]byte)}
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
	m.mu.RUnlock()
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
	m.values[name] = buf.Bytes()
	m.mu.Unlock()
	return nil
}

// Delete removes name.
func (m *Memory) Delete(ctx context.Context, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.values[name]; !ok {
		return &fs.PathError{Op: "delete", Path: name, Err: ErrNotExist}
	}
	delete(m.values, name)
	return nil
}
