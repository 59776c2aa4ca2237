package storage_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/storage/storagetest"
)

func isUnsupported(err error) bool { return errors.Is(err, errors.ErrUnsupported) }

// names returns the names of the entries of the directory at path.
func names(t *testing.T, path string) []string {
	t.Helper()
	entries, err := os.ReadDir(path)
	require.NoError(t, err)
	var s []string
	for _, e := range entries {
		s = append(s, e.Name())
	}
	return s
}

func TestDirFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "state", "nested")
	d := openDir(t, path)
	require.Equal(t, path, d.Path())
	require.NoError(t, storagetest.Save(t.Context(), d, "running", []byte("<config/>")))
	require.NoError(t, storagetest.Save(t.Context(), d, "running", []byte("<config>2</config>")))

	for _, p := range []string{path, filepath.Dir(path)} {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		require.Equal(t, fs.ModeDir|0o700, fi.Mode(), p)
	}
	for _, name := range []string{"running", ".lock"} {
		fi, err := os.Stat(filepath.Join(path, name))
		require.NoError(t, err)
		require.Equal(t, fs.FileMode(0o600), fi.Mode(), name)
	}
	require.ElementsMatch(t, []string{".lock", "running"}, names(t, path), "no temporary files remain")
}

func TestDirCorrupt(t *testing.T) {
	value := bytes.Repeat([]byte("<interface><name>eth0</name></interface>"), 1000)
	const header, trailer = 8, 12
	size := int64(header + len(value) + trailer)

	tests := []struct {
		name   string
		damage func(b []byte) []byte
		atOpen bool // detected by Load itself rather than at the end of the value
	}{
		{"flip value byte", func(b []byte) []byte { b[header+len(value)/2] ^= 0x10; return b }, false},
		{"flip first value byte", func(b []byte) []byte { b[header] ^= 1; return b }, false},
		{"flip last value byte", func(b []byte) []byte { b[header+len(value)-1] ^= 0x80; return b }, false},
		{"flip checksum", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }, false},
		{"flip magic", func(b []byte) []byte { b[0] ^= 1; return b }, true},
		{"flip version", func(b []byte) []byte { b[7] = 2; return b }, true},
		{"flip length", func(b []byte) []byte { b[len(b)-trailer+7] ^= 1; return b }, true},
		{"truncate by one", func(b []byte) []byte { return b[:len(b)-1] }, true},
		{"truncate to half", func(b []byte) []byte { return b[:len(b)/2] }, true},
		{"truncate to header", func(b []byte) []byte { return b[:header] }, true},
		{"truncate to empty", func(b []byte) []byte { return b[:0] }, true},
		{"append", func(b []byte) []byte { return append(b, 0) }, true},
		{"zero page", func(b []byte) []byte { clear(b[4096:8192]); return b }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openDir(t, t.TempDir())
			ctx := t.Context()
			require.NoError(t, storagetest.Save(ctx, d, "running", value))
			file := filepath.Join(d.Path(), "running")
			b, err := os.ReadFile(file)
			require.NoError(t, err)
			require.Len(t, b, int(size))
			require.NoError(t, os.WriteFile(file, tt.damage(b), 0o600))

			r, err := d.Load(ctx, "running")
			var ce *storage.CorruptError
			if tt.atOpen {
				require.ErrorAs(t, err, &ce)
				require.Equal(t, file, ce.Path)
				require.Contains(t, err.Error(), file)
				return
			}
			require.NoError(t, err)
			_, err = io.ReadAll(r)
			require.ErrorAs(t, err, &ce)
			require.Equal(t, file, ce.Path)
			require.ErrorAs(t, r.Close(), &ce, "Close reports it again")

			// A reader that stops early learns of the damage from Close.
			r, err = d.Load(ctx, "running")
			require.NoError(t, err)
			_, err = r.Read(make([]byte, 10))
			require.NoError(t, err)
			require.ErrorAs(t, r.Close(), &ce)
			require.Equal(t, file, ce.Path)
		})
	}
}

func TestDirCloseVerifiesIntactValue(t *testing.T) {
	d := openDir(t, t.TempDir())
	require.NoError(t, storagetest.Save(t.Context(), d, "running", bytes.Repeat([]byte("x"), 100000)))
	r, err := d.Load(t.Context(), "running")
	require.NoError(t, err)
	_, err = r.Read(make([]byte, 10))
	require.NoError(t, err)
	require.NoError(t, r.Close())
}

func TestDirRemovesTemps(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path)
	require.NoError(t, storagetest.Save(t.Context(), d, "running", []byte("committed")))
	require.NoError(t, d.Close())

	for _, name := range []string{".tmp-running-123", ".tmp-startup-9"} {
		require.NoError(t, os.WriteFile(filepath.Join(path, name), []byte("torn"), 0o600))
	}
	require.NoError(t, os.WriteFile(filepath.Join(path, ".keep"), nil, 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(path, ".tmp-dir"), 0o700))

	d = openDir(t, path)
	require.ElementsMatch(t, []string{".keep", ".lock", ".tmp-dir", "running"}, names(t, path),
		"only temporary files are removed")
	got, err := storagetest.Load(t.Context(), d, "running")
	require.NoError(t, err)
	require.Equal(t, "committed", string(got))
}

func TestDirFailedSaveRemovesTemp(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path)
	require.NoError(t, storagetest.Save(t.Context(), d, "running", []byte("old")))
	require.Panics(t, func() {
		d.Save(t.Context(), "running", func(w io.Writer) error {
			w.Write([]byte("half"))
			panic("encoder bug")
		})
	})
	require.Error(t, d.Save(t.Context(), "running", func(io.Writer) error { return errors.New("no") }))
	require.ElementsMatch(t, []string{".lock", "running"}, names(t, path))
	got, err := storagetest.Load(t.Context(), d, "running")
	require.NoError(t, err)
	require.Equal(t, "old", string(got))
}

func TestDirMaxSize(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path, storage.WithMaxSize(10))
	ctx := t.Context()
	require.NoError(t, storagetest.Save(ctx, d, "running", []byte("0123456789")))
	err := storagetest.Save(ctx, d, "running", []byte("0123456789a"))
	var tl *storage.TooLargeError
	require.ErrorAs(t, err, &tl)
	require.Equal(t, storage.TooLargeError{Name: "running", Limit: 10}, *tl)

	// A callback that ignores the error does not store a cut value.
	err = d.Save(ctx, "running", func(w io.Writer) error {
		w.Write([]byte("01234"))
		w.Write([]byte("567890"))
		return nil
	})
	require.ErrorAs(t, err, &tl)
	got, err := storagetest.Load(ctx, d, "running")
	require.NoError(t, err)
	require.Equal(t, "0123456789", string(got))
	require.NoError(t, d.Close())

	d = openDir(t, path, storage.WithMaxSize(9))
	_, err = d.Load(ctx, "running")
	require.ErrorAs(t, err, &tl)
	require.Equal(t, filepath.Join(path, "running"), tl.Name)
	require.NoError(t, d.Close())

	d = openDir(t, path, storage.WithMaxSize(0))
	require.NoError(t, storagetest.Save(ctx, d, "big", make([]byte, 1<<20)))
}

func TestMemoryMaxSize(t *testing.T) {
	m := storage.NewMemory(storage.WithMaxSize(3))
	var tl *storage.TooLargeError
	require.ErrorAs(t, storagetest.Save(t.Context(), m, "running", []byte("abcd")), &tl)
	require.Equal(t, storage.TooLargeError{Name: "running", Limit: 3}, *tl)
	_, err := m.Load(t.Context(), "running")
	require.ErrorIs(t, err, storage.ErrNotExist)
}

func TestDirClosed(t *testing.T) {
	d := openDir(t, t.TempDir())
	ctx := t.Context()
	require.NoError(t, storagetest.Save(ctx, d, "running", []byte("value")))
	r, err := d.Load(ctx, "running")
	require.NoError(t, err)
	require.NoError(t, d.Close())
	require.ErrorIs(t, d.Close(), storage.ErrClosed)

	_, err = d.Load(ctx, "running")
	require.ErrorIs(t, err, storage.ErrClosed)
	require.ErrorIs(t, storagetest.Save(ctx, d, "running", nil), storage.ErrClosed)
	require.ErrorIs(t, d.Delete(ctx, "running"), storage.ErrClosed)

	got, err := io.ReadAll(r)
	require.NoError(t, err, "a reader outlives its Dir")
	require.Equal(t, "value", string(got))
	require.NoError(t, r.Close())
}

func TestDirLockedInProcess(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path)
	_, err := storage.OpenDir(path)
	var le *storage.LockedError
	require.ErrorAs(t, err, &le)
	require.Equal(t, storage.LockedError{Path: filepath.Join(path, ".lock"), PID: os.Getpid()}, *le)
	require.Contains(t, err.Error(), filepath.Join(path, ".lock"))

	require.NoError(t, d.Close())
	openDir(t, path)
}

func TestOpenDirErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	for _, path := range []string{file, filepath.Join(file, "sub")} {
		_, err := storage.OpenDir(path)
		require.Error(t, err, path)
		require.True(t, strings.Contains(err.Error(), file), "%v names %s", err, file)
	}
}

func TestDirLoadNotRegular(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path)
	require.NoError(t, os.Mkdir(filepath.Join(path, "running"), 0o700))
	_, err := d.Load(t.Context(), "running")
	require.ErrorContains(t, err, "not a regular file")
}
