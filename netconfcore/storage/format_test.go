package storage

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// encode returns value in the file format.
func encode(t testing.TB, value []byte) []byte {
	var b bytes.Buffer
	e := newEncoder(&b)
	_, err := e.Write(value)
	require.NoError(t, err)
	require.NoError(t, e.finish())
	return b.Bytes()
}

// decode returns the value of the stored file b.
func decode(b []byte, maxSize int64) ([]byte, error) {
	d, err := newDecoder(bytes.NewReader(b), int64(len(b)), maxSize, "file", nil)
	if err != nil {
		return nil, err
	}
	v, err := io.ReadAll(d)
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return v, err
}

func TestFormat(t *testing.T) {
	b := encode(t, []byte("abc"))
	require.Equal(t, []byte("NCSTOR\x00\x01abc\x00\x00\x00\x00\x00\x00\x00\x03"), b[:len(b)-4])
	v, err := decode(b, 3)
	require.NoError(t, err)
	require.Equal(t, "abc", string(v))
	_, err = decode(b, 2)
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)

	_, err = decode(append([]byte("NCSLOG\x00\x01"), b[8:]...), 3)
	var ke *KindError
	require.ErrorAs(t, err, &ke, "a log is never read as a value")
	require.Equal(t, KindError{Path: "file", Log: true}, *ke)
}

// FuzzDecode checks that decoding any bytes ends in a value or an error, and
// that a value decoded without error encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add(encode(f, nil))
	f.Add(encode(f, []byte("<config/>")))
	long := encode(f, bytes.Repeat([]byte("<a>1</a>"), 100))
	f.Add(long)
	f.Add(long[:len(long)-1])
	f.Add([]byte("NCSTOR\x00\x01"))
	f.Add(append([]byte("NCSLOG\x00\x01"), long[8:]...))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decode(b, 1<<20)
		if err != nil {
			var ce *CorruptError
			var tl *TooLargeError
			var ke *KindError
			if !errors.As(err, &ce) && !errors.As(err, &tl) && !errors.As(err, &ke) {
				t.Fatalf("error %v is none of CorruptError, TooLargeError, KindError", err)
			}
			return
		}
		if !bytes.Equal(encode(t, v), b) {
			t.Fatalf("decoded %q from %q, which encodes differently", v, b)
		}
	})
}
