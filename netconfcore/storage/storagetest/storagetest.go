// Package storagetest checks that a [storage.Backend] keeps the contract the
// NETCONF engine relies on. A new backend passes [Run] before the engine uses
// it.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
)

// Run runs the contract tests against backends made by open, which is called
// once per subtest and must return an empty backend. The backend's size limit
// must allow values of at least 1 MiB.
func Run(t *testing.T, open func(t *testing.T) storage.Backend) {
	t.Run("Missing", func(t *testing.T) { testMissing(t, open(t)) })
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("InvalidName", func(t *testing.T) { testInvalidName(t, open(t)) })
	t.Run("FailedSave", func(t *testing.T) { testFailedSave(t, open(t)) })
	t.Run("Context", func(t *testing.T) { testContext(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open(t)) })
}

// Save stores value under name in b.
func Save(ctx context.Context, b storage.Backend, name string, value []byte) error {
	return b.Save(ctx, name, func(w io.Writer) error {
		_, err := w.Write(value)
		return err
	})
}

// Load reads the value of name from b completely, closing the reader.
func Load(ctx context.Context, b storage.Backend, name string) ([]byte, error) {
	r, err := b.Load(ctx, name)
	if err != nil {
		return nil, err
	}
	v, err := io.ReadAll(r)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return v, err
}

func testMissing(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	_, err := b.Load(ctx, "running")
	require.ErrorIs(t, err, storage.ErrNotExist)
	require.ErrorIs(t, b.Delete(ctx, "running"), storage.ErrNotExist)
}

func testRoundTrip(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	tests := []struct {
		name  string
		value []byte
	}{
		{"empty", nil},
		{"one-byte", []byte{0}},
		{"xml.config", []byte("<config><a>1</a></config>")},
		{"big_1MiB", big},
		{"big_1MiB", []byte("overwritten")},
		{"A", big[:4097]},
	}
	for _, tt := range tests {
		require.NoError(t, Save(ctx, b, tt.name, tt.value), tt.name)
		got, err := Load(ctx, b, tt.name)
		require.NoError(t, err, tt.name)
		require.Equal(t, len(tt.value), len(got), tt.name)
		require.True(t, bytes.Equal(tt.value, got), tt.name)
	}
	got, err := Load(ctx, b, "A")
	require.NoError(t, err)
	require.Equal(t, big[:4097], got, "names are independent")

	// Several writes make up one value.
	require.NoError(t, b.Save(ctx, "pieces", func(w io.Writer) error {
		for i := range 3 {
			if _, err := fmt.Fprintf(w, "<%d>", i); err != nil {
				return err
			}
		}
		return nil
	}))
	got, err = Load(ctx, b, "pieces")
	require.NoError(t, err)
	require.Equal(t, "<0><1><2>", string(got))
}

func testDelete(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	require.NoError(t, Save(ctx, b, "startup", []byte("s")))
	require.NoError(t, Save(ctx, b, "running", []byte("r")))
	require.NoError(t, b.Delete(ctx, "startup"))
	_, err := b.Load(ctx, "startup")
	require.ErrorIs(t, err, storage.ErrNotExist)
	require.ErrorIs(t, b.Delete(ctx, "startup"), storage.ErrNotExist)
	got, err := Load(ctx, b, "running")
	require.NoError(t, err)
	require.Equal(t, "r", string(got))
	require.NoError(t, Save(ctx, b, "startup", []byte("again")))
	got, err = Load(ctx, b, "startup")
	require.NoError(t, err)
	require.Equal(t, "again", string(got))
}

func testInvalidName(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	for _, name := range []string{"", ".", "..", ".lock", ".tmp-running-1", "a/b", "../running", "/running", `a\b`, "a\x00b", "a b", "-running", "ünicode", string(make([]byte, storage.MaxNameLen+1))} {
		_, err := b.Load(ctx, name)
		require.ErrorIs(t, err, storage.ErrInvalidName, "Load(%q)", name)
		err = b.Save(ctx, name, func(io.Writer) error {
			t.Errorf("Save(%q) called its callback", name)
			return nil
		})
		require.ErrorIs(t, err, storage.ErrInvalidName, "Save(%q)", name)
		require.ErrorIs(t, b.Delete(ctx, name), storage.ErrInvalidName, "Delete(%q)", name)
	}
}

func testFailedSave(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	errWrite := errors.New("encoding failed")
	failing := func(w io.Writer) error {
		if _, err := w.Write(bytes.Repeat([]byte("partial"), 10000)); err != nil {
			return err
		}
		return errWrite
	}

	require.ErrorIs(t, b.Save(ctx, "new", failing), errWrite)
	_, err := b.Load(ctx, "new")
	require.ErrorIs(t, err, storage.ErrNotExist, "a failed first Save stores nothing")

	require.NoError(t, Save(ctx, b, "running", []byte("old")))
	require.ErrorIs(t, b.Save(ctx, "running", failing), errWrite)
	got, err := Load(ctx, b, "running")
	require.NoError(t, err)
	require.Equal(t, "old", string(got), "a failed Save keeps the old value")
}

func testContext(t *testing.T, b storage.Backend) {
	require.NoError(t, Save(t.Context(), b, "running", []byte("old")))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := b.Load(ctx, "running")
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, Save(ctx, b, "running", []byte("new")), context.Canceled)
	require.ErrorIs(t, b.Delete(ctx, "running"), context.Canceled)

	// Cancelled while the callback writes: the callback ignores the error.
	ctx, cancel = context.WithCancel(t.Context())
	err = b.Save(ctx, "running", func(w io.Writer) error {
		w.Write([]byte("new"))
		cancel()
		w.Write([]byte("er"))
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)

	got, err := Load(t.Context(), b, "running")
	require.NoError(t, err)
	require.Equal(t, "old", string(got))
}

func testConcurrent(t *testing.T, b storage.Backend) {
	ctx := t.Context()
	const workers, rounds = 4, 20
	// value returns a value that names its writer and round, 16 KiB long so
	// that a torn value would show.
	value := func(w, r int) []byte {
		return bytes.Repeat(fmt.Appendf(nil, "w%02d-r%03d|", w, r), 16<<10/9)
	}
	valid := func(v []byte) bool {
		if len(v) < 9 {
			return false
		}
		return bytes.Equal(v, bytes.Repeat(v[:9], len(v)/9))
	}
	require.NoError(t, Save(ctx, b, "shared", value(99, 0)))

	var wg sync.WaitGroup
	for w := range workers {
		own := fmt.Sprintf("own-%d", w)
		wg.Go(func() {
			for r := range rounds {
				if err := Save(ctx, b, "shared", value(w, r)); err != nil {
					t.Errorf("Save shared: %v", err)
					return
				}
				if err := Save(ctx, b, own, value(w, r)); err != nil {
					t.Errorf("Save %s: %v", own, err)
					return
				}
				got, err := Load(ctx, b, own)
				if err != nil || !bytes.Equal(got, value(w, r)) {
					t.Errorf("Load %s = %.20q, %v; want round %d", own, got, err, r)
					return
				}
			}
		})
		wg.Go(func() {
			for range rounds {
				got, err := Load(ctx, b, "shared")
				if err != nil || !valid(got) {
					t.Errorf("Load shared = %.20q (%d bytes), %v; want one complete value", got, len(got), err)
					return
				}
			}
		})
	}
	wg.Wait()
}
