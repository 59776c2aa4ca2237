package storage_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/storage/storagetest"
)

const logMagic = "NCSLOG\x00\x01"

// encodeRecord returns record in the log file format.
func encodeRecord(record []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(record)))
	crc := crc32.Checksum(append(bytes.Clone(b), record...), crc32.MakeTable(crc32.Castagnoli))
	b = binary.BigEndian.AppendUint32(b, crc)
	return append(b, record...)
}

func TestDirLogFile(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path)
	ctx := t.Context()
	require.NoError(t, d.Append(ctx, "journal", []byte("abc")))
	require.NoError(t, d.Append(ctx, "journal", []byte("de")))
	b, err := os.ReadFile(filepath.Join(path, "journal"))
	require.NoError(t, err)
	want := append([]byte(logMagic), encodeRecord([]byte("abc"))...)
	want = append(want, encodeRecord([]byte("de"))...)
	require.Equal(t, want, b)
	require.Equal(t, []byte("\x00\x00\x00\x03"), b[8:12])

	if runtime.GOOS != "windows" {
		fi, err := os.Stat(filepath.Join(path, "journal"))
		require.NoError(t, err)
		require.Equal(t, fs.FileMode(0o600), fi.Mode())
	}
	require.ElementsMatch(t, []string{".lock", "journal"}, names(t, path))
}

// TestDirLogDamage damages the file of a log of three records and checks
// what the first Replay or Append after reopening the Dir makes of it.
func TestDirLogDamage(t *testing.T) {
	records := [][]byte{
		bytes.Repeat([]byte("a"), 100),
		bytes.Repeat([]byte("b"), 200),
		bytes.Repeat([]byte("c"), 300),
	}
	starts := []int{8, 8 + 8 + 100, 8 + 8 + 100 + 8 + 200}
	size := starts[2] + 8 + 300
	next := encodeRecord([]byte("next record"))

	tests := []struct {
		name   string
		damage func(b []byte) []byte
		kept   int    // the records that remain, if the damage is a torn record
		err    any    // the error type, if the damage is reported
		cutTo  int    // the file size after cutting off; 0 means the undamaged size
		magic  string // for files that do not start with the magic: what the file is
	}{
		{name: "intact", damage: func(b []byte) []byte { return b }, kept: 3},
		{name: "torn record header", damage: func(b []byte) []byte { return append(b, next[:5]...) }, kept: 3},
		{name: "torn after record header", damage: func(b []byte) []byte { return append(b, next[:8]...) }, kept: 3},
		{name: "torn record", damage: func(b []byte) []byte { return append(b, next[:len(next)-1]...) }, kept: 3},
		{name: "torn checksum of new record", damage: func(b []byte) []byte {
			b = append(b, next...)
			b[len(b)-1] ^= 1
			return b
		}, kept: 3},
		{name: "zero tail", damage: func(b []byte) []byte { return append(b, make([]byte, len(next))...) }, kept: 3},
		{name: "zero record header", damage: func(b []byte) []byte { return append(b, make([]byte, 8)...) }, kept: 3},
		{name: "last record cut short", damage: func(b []byte) []byte { return b[:len(b)-1] }, kept: 2, cutTo: starts[2]},
		{name: "last record bad checksum", damage: func(b []byte) []byte { b[len(b)-10] ^= 0x20; return b }, kept: 2, cutTo: starts[2]},
		{name: "last record header only", damage: func(b []byte) []byte { return b[:starts[2]+8] }, kept: 2, cutTo: starts[2]},
		{name: "length beyond the end", damage: func(b []byte) []byte { b[starts[1]+1] = 1; return b }, kept: 1, cutTo: starts[1]},
		{name: "middle record bad checksum", damage: func(b []byte) []byte { b[starts[1]+50] ^= 1; return b }, err: &storage.CorruptError{}},
		{name: "middle record checksum field", damage: func(b []byte) []byte { b[starts[1]+5] ^= 1; return b }, err: &storage.CorruptError{}},
		{name: "middle record shorter length", damage: func(b []byte) []byte { b[starts[1]+3]--; return b }, err: &storage.CorruptError{}},
		{name: "middle record length 0", damage: func(b []byte) []byte { clear(b[starts[1] : starts[1]+4]); return b }, err: &storage.CorruptError{}},
		{name: "first record bad checksum", damage: func(b []byte) []byte { b[8+8] ^= 1; return b }, err: &storage.CorruptError{}},
		{name: "zero page in the middle", damage: func(b []byte) []byte { clear(b[starts[1] : starts[2]+4]); return b }, err: &storage.CorruptError{}},
		{name: "length over the limit", damage: func(b []byte) []byte { b[starts[1]] = 0xff; return b }, err: &storage.TooLargeError{}},
		{name: "bad magic", damage: func(b []byte) []byte { b[0] ^= 1; return b }, err: &storage.CorruptError{}},
		{name: "bad version", damage: func(b []byte) []byte { b[7] = 2; return b }, err: &storage.CorruptError{}},
		{name: "magic only", damage: func(b []byte) []byte { return b[:8] }, kept: 0, cutTo: 8},
		{name: "torn magic", damage: func(b []byte) []byte { return b[:5] }, kept: 0, cutTo: -1},
		{name: "empty file", damage: func(b []byte) []byte { return b[:0] }, kept: 0, cutTo: -1},
		{name: "short garbage", damage: func([]byte) []byte { return []byte("NCX") }, err: &storage.CorruptError{}},
		{name: "garbage", damage: func([]byte) []byte { return []byte("<config/> and more") }, err: &storage.CorruptError{}},
	}
	for _, tt := range tests {
		for _, first := range []string{"Replay", "Append"} {
			t.Run(tt.name+"/"+first, func(t *testing.T) {
				ctx := t.Context()
				path := t.TempDir()
				file := filepath.Join(path, "journal")
				d := openDir(t, path)
				for _, r := range records {
					require.NoError(t, d.Append(ctx, "journal", r))
				}
				require.NoError(t, d.Close())
				b, err := os.ReadFile(file)
				require.NoError(t, err)
				require.Len(t, b, size)
				damaged := tt.damage(b)
				require.NoError(t, os.WriteFile(file, damaged, 0o600))

				d = openDir(t, path)
				if first == "Replay" {
					_, err = storagetest.Records(ctx, d, "journal")
				} else {
					err = d.Append(ctx, "journal", []byte("after"))
				}
				if tt.err != nil {
					require.IsType(t, tt.err, err)
					require.ErrorContains(t, err, file)
					got, rerr := os.ReadFile(file)
					require.NoError(t, rerr)
					require.Equal(t, damaged, got, "a damaged log is left as it is")
					_, err = storagetest.Records(ctx, d, "journal")
					require.IsType(t, tt.err, err, "Replay reports it again")
					return
				}
				require.NoError(t, err)

				cutTo := tt.cutTo
				switch cutTo {
				case 0:
					cutTo = size
				case -1:
					cutTo = 0
				}
				want := records[:tt.kept]
				if first == "Replay" {
					fi, err := os.Stat(file)
					require.NoError(t, err)
					require.Equal(t, int64(cutTo), fi.Size(), "the torn record is cut off")
					require.NoError(t, d.Append(ctx, "journal", []byte("after")))
				}
				want = append(want[:len(want):len(want)], []byte("after"))
				got, err := storagetest.Records(ctx, d, "journal")
				require.NoError(t, err)
				require.Equal(t, want, got, "later Appends follow the last whole record")

				require.NoError(t, d.Close())
				d = openDir(t, path)
				got, err = storagetest.Records(ctx, d, "journal")
				require.NoError(t, err)
				require.Equal(t, want, got, "the repaired log reads the same after reopening")
			})
		}
	}
}

func TestDirLogKindAcrossOpens(t *testing.T) {
	path := t.TempDir()
	ctx := t.Context()
	d := openDir(t, path)
	require.NoError(t, d.Append(ctx, "journal", []byte("r")))
	require.NoError(t, storagetest.Save(ctx, d, "running", []byte("v")))
	require.NoError(t, d.Close())

	d = openDir(t, path)
	var ke *storage.KindError
	require.ErrorAs(t, storagetest.Save(ctx, d, "journal", []byte("v")), &ke)
	require.Equal(t, storage.KindError{Path: filepath.Join(path, "journal"), Log: true}, *ke)
	_, err := d.Load(ctx, "journal")
	require.ErrorAs(t, err, &ke)
	require.True(t, ke.Log)
	require.ErrorAs(t, d.Append(ctx, "running", []byte("r")), &ke)
	require.Equal(t, storage.KindError{Path: filepath.Join(path, "running")}, *ke)
	require.ErrorContains(t, ke, "holds a value; it cannot be used as a log")

	// The value is still a value, and can become a log once deleted.
	got, err := storagetest.Load(ctx, d, "running")
	require.NoError(t, err)
	require.Equal(t, "v", string(got))
	require.NoError(t, d.Delete(ctx, "running"))
	require.NoError(t, d.Append(ctx, "running", []byte("r")))
	records, err := storagetest.Records(ctx, d, "running")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("r")}, records)
}

func TestDirLogShortFileIsNotAValue(t *testing.T) {
	path := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(path, "journal"), []byte(logMagic), 0o600))
	d := openDir(t, path)
	var ke *storage.KindError
	_, err := d.Load(t.Context(), "journal")
	require.ErrorAs(t, err, &ke, "a log without records is still a log")
}

func TestDirLogMaxSize(t *testing.T) {
	path := t.TempDir()
	ctx := t.Context()
	d := openDir(t, path, storage.WithMaxSize(100))
	require.NoError(t, d.Append(ctx, "journal", make([]byte, 100)))
	var tl *storage.TooLargeError
	require.ErrorAs(t, d.Append(ctx, "journal", make([]byte, 101)), &tl)
	require.Equal(t, storage.TooLargeError{Name: "journal", Limit: 100}, *tl)
	require.NoError(t, d.Close())

	d = openDir(t, path, storage.WithMaxSize(99))
	_, err := storagetest.Records(ctx, d, "journal")
	require.ErrorAs(t, err, &tl)
	require.Equal(t, storage.TooLargeError{Name: filepath.Join(path, "journal"), Limit: 99}, *tl)
	require.ErrorAs(t, d.Append(ctx, "journal", []byte("r")), &tl)
	require.NoError(t, d.Close())

	d = openDir(t, path, storage.WithMaxSize(0))
	require.NoError(t, d.Append(ctx, "journal", make([]byte, 2<<20)))
	got, err := storagetest.Records(ctx, d, "journal")
	require.NoError(t, err)
	require.Len(t, got, 2)
}

func TestMemoryLogMaxSize(t *testing.T) {
	m := storage.NewMemory(storage.WithMaxSize(3))
	var tl *storage.TooLargeError
	require.ErrorAs(t, m.Append(t.Context(), "journal", []byte("abcd")), &tl)
	require.Equal(t, storage.TooLargeError{Name: "journal", Limit: 3}, *tl)
	require.NoError(t, m.Append(t.Context(), "journal", []byte("abc")))
}

func TestDirLogClosed(t *testing.T) {
	d := openDir(t, t.TempDir())
	ctx := t.Context()
	for i := range 3 {
		require.NoError(t, d.Append(ctx, "journal", fmt.Appendf(nil, "r%d", i)))
	}
	var got []string
	err := d.Replay(ctx, "journal", func(record []byte) error {
		if len(got) == 0 {
			require.NoError(t, d.Close(), "Close does not wait for fn")
		}
		got = append(got, string(record))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"r0", "r1", "r2"}, got, "a started Replay outlives its Dir")

	require.ErrorIs(t, d.Append(ctx, "journal", []byte("r")), storage.ErrClosed)
	require.ErrorIs(t, d.Replay(ctx, "journal", func([]byte) error { return nil }), storage.ErrClosed)
	require.ErrorIs(t, d.Delete(ctx, "journal"), storage.ErrClosed)
}

func TestDirLogDeleteDuringReplay(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path)
	ctx := t.Context()
	for i := range 3 {
		require.NoError(t, d.Append(ctx, "journal", fmt.Appendf(nil, "r%d", i)))
	}
	var got []string
	err := d.Replay(ctx, "journal", func(record []byte) error {
		if len(got) == 0 {
			require.NoError(t, d.Delete(ctx, "journal"))
			require.NoError(t, d.Append(ctx, "journal", []byte("new")))
		}
		got = append(got, string(record))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"r0", "r1", "r2"}, got)
	records, err := storagetest.Records(ctx, d, "journal")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("new")}, records)
}

func TestDirLogNotRegular(t *testing.T) {
	path := t.TempDir()
	d := openDir(t, path)
	require.NoError(t, os.Mkdir(filepath.Join(path, "journal"), 0o700))
	require.ErrorContains(t, d.Append(t.Context(), "journal", []byte("r")), filepath.Join(path, "journal"))
	require.Error(t, d.Replay(t.Context(), "journal", func([]byte) error { return nil }))
}
