package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// encodeLog returns a log file holding records.
func encodeLog(records ...[]byte) []byte {
	b := bytes.Clone(logMagic[:])
	for _, r := range records {
		b = appendRecord(b, r)
	}
	return b
}

// replayBytes returns the records of the log file b and the end of the last
// whole one.
func replayBytes(b []byte, limit int64) ([][]byte, int64, error) {
	var records [][]byte
	end, err := readLog(bytes.NewReader(b), int64(len(b)), limit, "file", func(r []byte) error {
		records = append(records, bytes.Clone(r))
		return nil
	})
	return records, end, err
}

func TestLogFormat(t *testing.T) {
	b := encodeLog([]byte("abc"))
	require.Equal(t, []byte("NCSLOG\x00\x01\x00\x00\x00\x03"), b[:12])
	require.Equal(t, crc32.Checksum([]byte("\x00\x00\x00\x03abc"), crc32.MakeTable(crc32.Castagnoli)), binary.BigEndian.Uint32(b[12:16]))
	require.Equal(t, "abc", string(b[16:]))

	records, end, err := replayBytes(b, 3)
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("abc")}, records)
	require.Equal(t, int64(len(b)), end)
	_, _, err = replayBytes(b, 2)
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
}

// TestLogFailedAppend checks that an Append that fails and cannot cut off
// what it wrote leaves that to the next one.
func TestLogFailedAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	b := encodeLog([]byte("one"))
	require.NoError(t, os.WriteFile(path, b, 0o600))
	readOnly, err := os.Open(path)
	require.NoError(t, err)
	defer readOnly.Close()

	l := &logFile{f: readOnly, path: path, end: int64(len(b)), mu: newChanMutex()}
	require.Error(t, l.append([]byte("two"), nil))
	require.True(t, l.dirty, "a read-only file can be neither written nor truncated")
	require.Equal(t, int64(len(b)), l.end)

	// What a partial write could have left.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	require.NoError(t, err)
	defer f.Close()
	_, err = f.Write([]byte("\x00\x00\x00\x03garbage"))
	require.NoError(t, err)

	l.f = f
	require.NoError(t, l.prepare(DefaultMaxSize))
	require.False(t, l.dirty)
	fi, err := f.Stat()
	require.NoError(t, err)
	require.Equal(t, int64(len(b)), fi.Size())

	f.Close()
	l.f, err = os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	defer l.f.Close()
	require.NoError(t, l.append([]byte("two"), nil))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, encodeLog([]byte("one"), []byte("two")), got)
}

// FuzzReplay checks that reading any bytes as a log ends in records, records
// followed by a torn record to cut off, or an error of the documented types.
func FuzzReplay(f *testing.F) {
	valid := encodeLog([]byte("<config/>"), bytes.Repeat([]byte("x"), 300), []byte{0})
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add(append(bytes.Clone(valid), 0, 0, 0, 0, 0, 0, 0, 0, 0))
	f.Add(append(bytes.Clone(valid), 0, 0, 1))
	f.Add(logMagic[:])
	f.Add(logMagic[:3])
	f.Add(magic[:])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		const limit = 1 << 16
		records, end, err := replayBytes(b, limit)
		if err != nil {
			var ce *CorruptError
			var tl *TooLargeError
			var ke *KindError
			if !errors.As(err, &ce) && !errors.As(err, &tl) && !errors.As(err, &ke) {
				t.Fatalf("error %v is none of CorruptError, TooLargeError, KindError", err)
			}
			return
		}
		if end == 0 {
			if len(records) > 0 || len(b) >= logHeaderLen || !bytes.HasPrefix(logMagic[:], b) {
				t.Fatalf("end 0 with %d records for %q", len(records), b)
			}
			return
		}
		if !bytes.Equal(encodeLog(records...), b[:end]) {
			t.Fatalf("records %q encode differently from %q", records, b[:end])
		}
		if tail := b[end:]; len(tail) > 0 && !isTorn(tail) {
			t.Fatalf("cut off %q, which is not a torn record", tail)
		}
	})
}

// isTorn reports whether tail, found after the last whole record of a log,
// can be what a crash left of an append.
func isTorn(tail []byte) bool {
	if len(tail) < recordHeaderLen || allZero(tail) {
		return true
	}
	n := int(binary.BigEndian.Uint32(tail))
	if n > len(tail)-recordHeaderLen {
		return true
	}
	return n == len(tail)-recordHeaderLen && !bytes.Equal(appendRecord(nil, tail[recordHeaderLen:]), tail)
}
