package framing

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// fuzzMax is the message size limit of the fuzz targets.
const fuzzMax = 1 << 12

// refChunked decodes a whole chunked stream the plain way, straight from
// the RFC 6242 §4.2 grammar, checking each byte in order. It returns the
// messages and the sentinel of the failure that ends the stream, io.EOF
// for a clean end.
func refChunked(in []byte, limit int64) ([][]byte, error) {
	var msgs [][]byte
	for len(in) > 0 {
		var msg []byte
		for {
			if len(in) < 2 {
				if len(in) == 1 && in[0] != '\n' {
					return msgs, ErrBadChunkHeader
				}
				return msgs, io.ErrUnexpectedEOF
			}
			if in[0] != '\n' || in[1] != '#' {
				return msgs, ErrBadChunkHeader
			}
			in = in[2:]
			if len(in) == 0 {
				return msgs, io.ErrUnexpectedEOF
			}
			if in[0] == '#' {
				if len(in) == 1 {
					return msgs, io.ErrUnexpectedEOF
				}
				if in[1] != '\n' {
					return msgs, ErrBadChunkHeader
				}
				if msg == nil {
					return msgs, ErrEmptyMessage
				}
				in = in[2:]
				break
			}
			if in[0] < '1' || in[0] > '9' {
				return msgs, ErrBadChunkHeader
			}
			digits := 0
			var size int64
			for {
				if digits == len(in) {
					return msgs, io.ErrUnexpectedEOF
				}
				c := in[digits]
				if c == '\n' {
					break
				}
				if c < '0' || c > '9' || digits == 10 {
					return msgs, ErrBadChunkHeader
				}
				size = size*10 + int64(c-'0')
				digits++
			}
			in = in[digits+1:]
			if size > 1<<32-1 {
				return msgs, ErrBadChunkHeader
			}
			if int64(len(msg))+size > limit {
				return msgs, ErrMessageTooLarge
			}
			if int64(len(in)) < size {
				return msgs, io.ErrUnexpectedEOF
			}
			msg = append(msg, in[:size]...)
			in = in[size:]
		}
		msgs = append(msgs, msg)
	}
	return msgs, io.EOF
}

// refEOM splits a whole end-of-message stream at its markers.
func refEOM(in []byte, limit int64) ([][]byte, error) {
	var msgs [][]byte
	for len(in) > 0 {
		i := bytes.Index(in, []byte(eomMarker))
		if i < 0 {
			// Trailing bytes that could start a marker are not yet
			// known to be data.
			certain := len(in)
			for k := min(len(in), len(eomMarker)-1); k > 0; k-- {
				if bytes.HasSuffix(in, []byte(eomMarker[:k])) {
					certain -= k
					break
				}
			}
			if int64(certain) > limit {
				return msgs, ErrMessageTooLarge
			}
			return msgs, io.ErrUnexpectedEOF
		}
		if int64(i) > limit {
			return msgs, ErrMessageTooLarge
		}
		msgs = append(msgs, append([]byte{}, in[:i]...))
		in = in[i+len(eomMarker):]
	}
	return msgs, io.EOF
}

// fuzzSources delivers the input whole, a byte at a time, and in reads
// of split bytes.
func fuzzSources(in []byte, split uint8) []io.Reader {
	return []io.Reader{
		bytes.NewReader(in),
		iotest.OneByteReader(bytes.NewReader(in)),
		&splitReader{data: in, sizes: []int{int(split), int(split) * 3, int(split) + 1}},
	}
}

// checkDecode reads every source with ReadMessage and with Next+ReadAll and
// compares the result with the reference decoder's.
func checkDecode(t *testing.T, mode Mode, in []byte, split uint8, want [][]byte, wantErr error) {
	for i, read := range []func(*Reader) ([]byte, error){
		(*Reader).ReadMessage,
		func(r *Reader) ([]byte, error) {
			m, err := r.Next()
			if err != nil {
				return nil, err
			}
			return io.ReadAll(m)
		},
	} {
		for j, src := range fuzzSources(in, split) {
			r := NewReader(src)
			r.SetMaxMessageSize(fuzzMax)
			if mode == Chunked {
				r.Upgrade()
			}
			var got [][]byte
			var err error
			for {
				var m []byte
				if m, err = read(r); err != nil {
					break
				}
				got = append(got, m)
			}
			require.Equal(t, len(want), len(got), "consumer %d source %d", i, j)
			for k := range want {
				require.True(t, bytes.Equal(want[k], got[k]), "consumer %d source %d message %d", i, j, k)
			}
			require.ErrorIs(t, err, wantErr, "consumer %d source %d", i, j)
		}
	}
}

// roundTrip writes msg with a Writer and reads it back.
func roundTrip(t *testing.T, mode Mode, msg []byte, chunk int) {
	var stream bytes.Buffer
	w := NewWriter(&stream)
	w.SetMaxChunkSize(chunk)
	r := NewReader(iotest.HalfReader(&stream))
	r.SetMaxMessageSize(int64(len(msg)))
	if mode == Chunked {
		w.Upgrade()
		r.Upgrade()
	}
	m := w.Message()
	for p := msg; len(p) > 0; {
		k := min(len(p), chunk+1)
		_, err := m.Write(p[:k])
		require.NoError(t, err)
		p = p[k:]
	}
	require.NoError(t, m.Close())
	got, err := r.ReadMessage()
	require.NoError(t, err)
	require.True(t, bytes.Equal(msg, got))
	_, err = r.ReadMessage()
	require.Equal(t, io.EOF, err)
}

func FuzzChunkedReader(f *testing.F) {
	for _, seed := range []string{
		rfcExample,
		"\n#1\na\n##\n\n#2\nbc\n#1\nd\n##\n",
		"\n#11\n\n##\n\n#4\n]]>\n##\n",
		"\n#0\n", "\n#01\na\n##\n", "\n#4294967296\n", "\n#12345678901\n",
		"\n##\n", "\n#5\nhel", "\n#1\na\n##\n\n",
	} {
		f.Add([]byte(seed), uint8(3))
	}
	f.Fuzz(func(t *testing.T, in []byte, split uint8) {
		want, wantErr := refChunked(in, fuzzMax)
		checkDecode(t, Chunked, in, split, want, wantErr)
		if len(in) > 0 && len(in) <= fuzzMax {
			roundTrip(t, Chunked, in, 1+int(split)%64)
		}
	})
}

func FuzzEOMReader(f *testing.F) {
	for _, seed := range []string{
		"<hello/>]]>]]>",
		"a]]>]]>bc]]>]]>]]>]]>d]]>]]>",
		"]]]]>]]>", "]]>]]]>]]>", "x]]>]]y]]>]]>",
		"abc", "abc]]>]]", "a]]>]]>\n",
	} {
		f.Add([]byte(seed), uint8(3))
	}
	f.Fuzz(func(t *testing.T, in []byte, split uint8) {
		want, wantErr := refEOM(in, fuzzMax)
		checkDecode(t, EndOfMessage, in, split, want, wantErr)
		framed := append(append([]byte{}, in...), eomMarker...)
		if len(in) > 0 && len(in) <= fuzzMax && bytes.Index(framed, []byte(eomMarker)) == len(in) {
			roundTrip(t, EndOfMessage, in, 1+int(split)%64)
		}
	})
}
