package storage_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/storage/storagetest"
)

func TestMemory(t *testing.T) {
	storagetest.RunJournal(t, func(t *testing.T) storage.Journal { return storage.NewMemory() })
}

func TestDir(t *testing.T) {
	storagetest.RunJournal(t, func(t *testing.T) storage.Journal { return openDir(t, t.TempDir()) })
}

// openDir opens a Dir at path that is closed when t ends. It skips t on
// systems where a Dir cannot be locked.
func openDir(t testing.TB, path string, opts ...storage.Option) *storage.Dir {
	t.Helper()
	d, err := storage.OpenDir(path, opts...)
	if err != nil && isUnsupported(err) {
		t.Skip(err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	return d
}

func TestValidateName(t *testing.T) {
	long := strings.Repeat("n", storage.MaxNameLen)
	tests := []struct {
		name string
		ok   bool
	}{
		{"running", true},
		{"startup.xml", true},
		{"confirmed-commit_1", true},
		{"0", true},
		{long, true},
		{long + "n", false},
		{"", false},
		{".hidden", false},
		{"..", false},
		{"a/b", false},
		{"a" + string(filepath.Separator) + "b", false},
		{`a\b`, false},
		{"a:b", false},
		{"_x", false},
		{"x\n", false},
		{"x\x00", false},
	}
	for _, tt := range tests {
		err := storage.ValidateName(tt.name)
		if tt.ok {
			require.NoError(t, err, "%q", tt.name)
			continue
		}
		var ne *storage.NameError
		require.ErrorAs(t, err, &ne, "%q", tt.name)
		require.Equal(t, tt.name, ne.Name)
		require.ErrorIs(t, err, storage.ErrInvalidName)
	}
}
