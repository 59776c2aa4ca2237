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

// RunJournal runs [Run] and the contract tests of logs against journals
// made by open, which is called once per subtest and must return an empty
// journal. The journal's size limit must allow values and records of at
// least 1 MiB.
func RunJournal(t *testing.T, open func(t *testing.T) storage.Journal) {
	Run(t, func(t *testing.T) storage.Backend { return open(t) })
	t.Run("LogRoundTrip", func(t *testing.T) { testLogRoundTrip(t, open(t)) })
	t.Run("LogMissing", func(t *testing.T) { testLogMissing(t, open(t)) })
	t.Run("LogDelete", func(t *testing.T) { testLogDelete(t, open(t)) })
	t.Run("LogBadRecord", func(t *testing.T) { testLogBadRecord(t, open(t)) })
	t.Run("LogKind", func(t *testing.T) { testLogKind(t, open(t)) })
	t.Run("LogInvalidName", func(t *testing.T) { testLogInvalidName(t, open(t)) })
	t.Run("LogCallback", func(t *testing.T) { testLogCallback(t, open(t)) })
	t.Run("LogContext", func(t *testing.T) { testLogContext(t, open(t)) })
	t.Run("LogConcurrent", func(t *testing.T) { testLogConcurrent(t, open(t)) })
}

// Records returns copies of the records of the log name in j.
func Records(ctx context.Context, j storage.Journal, name string) ([][]byte, error) {
	var records [][]byte
	err := j.Replay(ctx, name, func(record []byte) error {
		records = append(records, bytes.Clone(record))
		return nil
	})
	return records, err
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

// record returns record i of a test log: its number and n bytes derived
// from it.
func record(i, n int) []byte {
	r := fmt.Appendf(nil, "%06d:", i)
	for len(r) < n {
		r = append(r, byte('a'+(i+len(r))%26))
	}
	return r[:max(n, 1)]
}

func testLogRoundTrip(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	var want [][]byte
	for i, n := range []int{1, 7, 8, 9, 255, 256, 4096, 64<<10 - 8, 64 << 10, 1 << 20} {
		r := record(i, n)
		require.NoError(t, j.Append(ctx, "journal", r), "record %d", i)
		want = append(want, r)
		got, err := Records(ctx, j, "journal")
		require.NoError(t, err)
		require.Equal(t, want, got, "after record %d", i)
	}
	require.NoError(t, j.Append(ctx, "other", []byte("x")))
	got, err := Records(ctx, j, "other")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("x")}, got, "logs are independent")
	got, err = Records(ctx, j, "journal")
	require.NoError(t, err)
	require.Equal(t, want, got)

	// The journal does not keep the caller's slice.
	r := []byte("original")
	require.NoError(t, j.Append(ctx, "mutable", r))
	copy(r, "modified")
	require.NoError(t, j.Replay(ctx, "mutable", func(record []byte) error {
		require.Equal(t, "original", string(record))
		copy(record, "scribble")
		return nil
	}))
	got, err = Records(ctx, j, "mutable")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("original")}, got, "fn's changes to its slice are not stored")
}

func testLogMissing(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	err := j.Replay(ctx, "journal", func([]byte) error {
		t.Error("fn called for a missing log")
		return nil
	})
	require.ErrorIs(t, err, storage.ErrNotExist)
	require.ErrorIs(t, j.Delete(ctx, "journal"), storage.ErrNotExist)
	err = j.Replay(ctx, "journal", func([]byte) error { return nil })
	require.ErrorIs(t, err, storage.ErrNotExist, "Replay does not create a log")
}

func testLogDelete(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	require.NoError(t, j.Append(ctx, "journal", []byte("old 1")))
	require.NoError(t, j.Append(ctx, "journal", []byte("old 2")))
	require.NoError(t, j.Append(ctx, "kept", []byte("kept")))
	require.NoError(t, j.Delete(ctx, "journal"))
	_, err := Records(ctx, j, "journal")
	require.ErrorIs(t, err, storage.ErrNotExist)
	require.ErrorIs(t, j.Delete(ctx, "journal"), storage.ErrNotExist)

	require.NoError(t, j.Append(ctx, "journal", []byte("new")))
	got, err := Records(ctx, j, "journal")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("new")}, got, "a new log starts empty")
	got, err = Records(ctx, j, "kept")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("kept")}, got)

	// A deleted log can become a value and a deleted value a log.
	require.NoError(t, j.Delete(ctx, "journal"))
	require.NoError(t, Save(ctx, j, "journal", []byte("value")))
	require.NoError(t, j.Delete(ctx, "journal"))
	require.NoError(t, j.Append(ctx, "journal", []byte("log again")))
	got, err = Records(ctx, j, "journal")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("log again")}, got)
}

func testLogBadRecord(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	require.ErrorIs(t, j.Append(ctx, "journal", nil), storage.ErrEmptyRecord)
	require.ErrorIs(t, j.Append(ctx, "journal", []byte{}), storage.ErrEmptyRecord)
	_, err := Records(ctx, j, "journal")
	require.ErrorIs(t, err, storage.ErrNotExist, "a rejected record creates no log")
}

func testLogKind(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	require.NoError(t, Save(ctx, j, "value", []byte("v")))
	require.NoError(t, j.Append(ctx, "log", []byte("r")))

	var ke *storage.KindError
	require.ErrorAs(t, j.Append(ctx, "value", []byte("r")), &ke)
	require.False(t, ke.Log)
	require.ErrorContains(t, ke, "value")
	require.ErrorAs(t, j.Replay(ctx, "value", func([]byte) error { return nil }), &ke)
	require.False(t, ke.Log)

	require.ErrorAs(t, Save(ctx, j, "log", []byte("v")), &ke)
	require.True(t, ke.Log)
	_, err := j.Load(ctx, "log")
	require.ErrorAs(t, err, &ke)
	require.True(t, ke.Log)

	got, err := Load(ctx, j, "value")
	require.NoError(t, err)
	require.Equal(t, "v", string(got), "the value is untouched")
	records, err := Records(ctx, j, "log")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("r")}, records, "the log is untouched")
}

func testLogInvalidName(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	for _, name := range []string{"", ".", "..", ".lock", "a/b", "../journal", "/journal", "a b", "-journal"} {
		require.ErrorIs(t, j.Append(ctx, name, []byte("r")), storage.ErrInvalidName, "Append(%q)", name)
		err := j.Replay(ctx, name, func([]byte) error {
			t.Errorf("Replay(%q) called fn", name)
			return nil
		})
		require.ErrorIs(t, err, storage.ErrInvalidName, "Replay(%q)", name)
	}
}

func testLogCallback(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	for i := range 5 {
		require.NoError(t, j.Append(ctx, "journal", record(i, 100)))
	}
	errStop := errors.New("stop")
	calls := 0
	err := j.Replay(ctx, "journal", func([]byte) error {
		calls++
		if calls == 3 {
			return errStop
		}
		return nil
	})
	require.ErrorIs(t, err, errStop)
	require.Equal(t, 3, calls, "Replay stops at fn's error")

	// fn may use the journal, also to append to the log it replays.
	calls = 0
	require.NoError(t, j.Replay(ctx, "journal", func(record []byte) error {
		calls++
		return j.Append(ctx, "journal", record)
	}))
	require.Equal(t, 5, calls, "Replay sees the records appended before it started")
	got, err := Records(ctx, j, "journal")
	require.NoError(t, err)
	require.Len(t, got, 10)
}

func testLogContext(t *testing.T, j storage.Journal) {
	require.NoError(t, j.Append(t.Context(), "journal", []byte("r1")))
	require.NoError(t, j.Append(t.Context(), "journal", []byte("r2")))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, j.Append(ctx, "journal", []byte("r3")), context.Canceled)
	require.ErrorIs(t, j.Append(ctx, "new", []byte("r3")), context.Canceled)
	err := j.Replay(ctx, "journal", func([]byte) error {
		t.Error("fn called with a done context")
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)

	// Cancelled during Replay: it stops before the next record.
	ctx, cancel = context.WithCancel(t.Context())
	calls := 0
	err = j.Replay(ctx, "journal", func([]byte) error {
		calls++
		cancel()
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 1, calls)

	_, err = Records(t.Context(), j, "new")
	require.ErrorIs(t, err, storage.ErrNotExist)
	got, err := Records(t.Context(), j, "journal")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("r1"), []byte("r2")}, got)
}

func testLogConcurrent(t *testing.T, j storage.Journal) {
	ctx := t.Context()
	const workers, rounds = 4, 20
	// rec returns a record that names its writer and round, 5 KiB long so
	// that a torn or interleaved record would show.
	rec := func(w, r int) []byte {
		return bytes.Repeat(fmt.Appendf(nil, "w%02d-r%03d|", w, r), 5<<10/9)
	}
	var wg sync.WaitGroup
	for w := range workers {
		own := fmt.Sprintf("own-%d", w)
		wg.Go(func() {
			for r := range rounds {
				if err := j.Append(ctx, "shared", rec(w, r)); err != nil {
					t.Errorf("Append shared: %v", err)
					return
				}
				if err := j.Append(ctx, own, rec(w, r)); err != nil {
					t.Errorf("Append %s: %v", own, err)
					return
				}
			}
		})
		wg.Go(func() {
			for range rounds {
				next := make([]int, workers)
				err := j.Replay(ctx, "shared", func(record []byte) error {
					var w, r int
					if _, err := fmt.Sscanf(string(record), "w%02d-r%03d|", &w, &r); err != nil {
						return err
					}
					if w >= workers || r != next[w] || !bytes.Equal(record, rec(w, r)) {
						return fmt.Errorf("record %.20q out of order or damaged", record)
					}
					next[w]++
					return nil
				})
				if err != nil && !errors.Is(err, storage.ErrNotExist) {
					t.Errorf("Replay shared: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	for w := range workers {
		got, err := Records(ctx, j, fmt.Sprintf("own-%d", w))
		require.NoError(t, err)
		require.Len(t, got, rounds)
		for r, record := range got {
			require.True(t, bytes.Equal(rec(w, r), record), "own-%d record %d", w, r)
		}
	}
	got, err := Records(ctx, j, "shared")
	require.NoError(t, err)
	require.Len(t, got, workers*rounds)
}
