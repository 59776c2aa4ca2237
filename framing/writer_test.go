package framing

import (
	"bytes"
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorder records every call to Write.
type recorder struct {
	calls []string
}

func (r *recorder) Write(p []byte) (int, error) {
	r.calls = append(r.calls, string(p))
	return len(p), nil
}

func (r *recorder) String() string { return strings.Join(r.calls, "") }

func TestWriter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mode   Mode
		chunk  int
		writes []string
		want   string
		calls  int // number of calls to the underlying writer
	}{
		{name: "eom small", mode: EndOfMessage, writes: []string{"<hello/>"}, want: "<hello/>]]>]]>", calls: 1},
		{name: "eom gathers writes", mode: EndOfMessage, writes: []string{"<a>", "b", "</a>"}, want: "<a>b</a>]]>]]>", calls: 1},
		{name: "eom buffer full", mode: EndOfMessage, chunk: 4, writes: []string{"ab", "cd", "ef"}, want: "abcdef]]>]]>", calls: 2},
		{name: "eom large write", mode: EndOfMessage, chunk: 4, writes: []string{"a", "bcdefghij", "k"}, want: "abcdefghijk]]>]]>", calls: 3},
		{name: "chunked small", mode: Chunked, writes: []string{"<rpc/>"}, want: "\n#6\n<rpc/>\n##\n", calls: 1},
		{name: "chunked gathers writes", mode: Chunked, chunk: 4, writes: []string{"ab", "cd", "ef"}, want: "\n#4\nabcd\n#2\nef\n##\n", calls: 2},
		{name: "chunked exact chunk", mode: Chunked, chunk: 4, writes: []string{"abcd"}, want: "\n#4\nabcd\n##\n", calls: 1},
		{name: "chunked full buffer at close", mode: Chunked, chunk: 4, writes: []string{"ab", "cd"}, want: "\n#4\nabcd\n##\n", calls: 1},
		{name: "chunked large write", mode: Chunked, chunk: 4, writes: []string{"abcdefghij"}, want: "\n#4\nabcd\n#4\nefgh\n#2\nij\n##\n", calls: 5},
		{name: "chunked large write after small", mode: Chunked, chunk: 4, writes: []string{"a", "bcdefghijk", "l"}, want: "\n#4\nabcd\n#4\nefgh\n#4\nijkl\n##\n", calls: 4},
		{name: "chunked empty writes", mode: Chunked, writes: []string{"", "a", ""}, want: "\n#1\na\n##\n", calls: 1},
		{name: "huge chunk size", mode: Chunked, chunk: math.MaxInt, writes: []string{"abc"}, want: "\n#3\nabc\n##\n", calls: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			w := NewWriter(&rec)
			w.SetMaxChunkSize(tc.chunk)
			if tc.mode == Chunked {
				w.Upgrade()
			}
			require.Equal(t, tc.mode, w.Mode())
			m := w.Message()
			for _, s := range tc.writes {
				n, err := m.Write([]byte(s))
				require.NoError(t, err)
				require.Equal(t, len(s), n)
			}
			require.NoError(t, m.Close())
			require.Equal(t, tc.want, rec.String())
			require.Len(t, rec.calls, tc.calls)

			rec.calls = nil
			require.NoError(t, w.WriteMessage([]byte(strings.Join(tc.writes, ""))))
			require.Equal(t, tc.want, rec.String(), "WriteMessage frames like Message")
		})
	}
}

func TestWriterHeaderDigits(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Upgrade()
	for _, n := range []int{1, 9, 10, 99, 100, 12345, 65536} {
		b.Reset()
		require.NoError(t, w.WriteMessage(bytes.Repeat([]byte{'x'}, n)))
		r := NewReader(&b)
		r.Upgrade()
		got, err := r.ReadMessage()
		require.NoError(t, err)
		require.Len(t, got, n)
	}
}

func TestWriterEmptyMessage(t *testing.T) {
	for _, mode := range []Mode{EndOfMessage, Chunked} {
		t.Run(mode.String(), func(t *testing.T) {
			var rec recorder
			w := NewWriter(&rec)
			if mode == Chunked {
				w.Upgrade()
			}
			require.ErrorIs(t, w.WriteMessage(nil), ErrEmptyMessage)
			m := w.Message()
			_, err := m.Write(nil)
			require.NoError(t, err)
			require.ErrorIs(t, m.Close(), ErrEmptyMessage)
			require.Empty(t, rec.calls, "nothing is written for an empty message")
			require.NoError(t, w.WriteMessage([]byte("a")), "the Writer stays usable")
		})
	}
}

func TestWriterMessageMisuse(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	first := w.Message()
	_, err := first.Write([]byte("one"))
	require.NoError(t, err)

	second := w.Message()
	_, err = second.Write([]byte("two"))
	require.ErrorIs(t, err, ErrMessageOpen)
	require.ErrorIs(t, second.Close(), ErrMessageOpen)
	require.ErrorIs(t, w.WriteMessage([]byte("two")), ErrMessageOpen)

	require.NoError(t, first.Close())
	_, err = first.Write([]byte("late"))
	require.ErrorIs(t, err, ErrMessageClosed)
	require.ErrorIs(t, first.Close(), ErrMessageClosed)
	require.Equal(t, "one]]>]]>", b.String())
}

// failWriter accepts n calls, then fails.
type failWriter struct {
	n   int
	err error
}

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, f.err
	}
	f.n--
	return len(p), nil
}

func TestWriterUnderlyingError(t *testing.T) {
	boom := errors.New("boom")
	w := NewWriter(&failWriter{n: 1, err: boom})
	w.Upgrade()
	w.SetMaxChunkSize(2)
	m := w.Message()
	_, err := m.Write([]byte("abcd"))
	require.Equal(t, boom, err)
	require.Equal(t, boom, m.Close())
	require.Equal(t, boom, w.WriteMessage([]byte("x")), "errors are sticky")

	w = NewWriter(&shortWriter{n: 3})
	require.Equal(t, io.ErrShortWrite, w.WriteMessage([]byte("abc")))
}

func TestRoundTrip(t *testing.T) {
	sizes := []int{1, 2, 7, 100, 4095, 4096, 4097, 65535, 65536, 65537, 200000}
	chunks := []int{1, 3, 4096, 0}
	for _, mode := range []Mode{EndOfMessage, Chunked} {
		for _, chunk := range chunks {
			var stream bytes.Buffer
			w := NewWriter(&stream)
			w.SetMaxChunkSize(chunk)
			r := NewReader(&stream)
			if mode == Chunked {
				w.Upgrade()
				r.Upgrade()
			}
			var want [][]byte
			for i, size := range sizes {
				msg := make([]byte, size)
				for j := range msg {
					msg[j] = byte('a' + (i+j)%26)
				}
				want = append(want, msg)
				m := w.Message()
				for p := msg; len(p) > 0; {
					k := min(len(p), 1+i*37%1000)
					_, err := m.Write(p[:k])
					require.NoError(t, err)
					p = p[k:]
				}
				require.NoError(t, m.Close())
			}
			for _, msg := range want {
				got, err := r.ReadMessage()
				require.NoError(t, err)
				require.True(t, bytes.Equal(msg, got), "%s chunk %d: message of %d bytes", mode, chunk, len(msg))
			}
			_, err := r.ReadMessage()
			require.Equal(t, io.EOF, err)
		}
	}
}

// chunkSizes returns the chunk-size of every chunk of a chunked stream.
func chunkSizes(t *testing.T, stream []byte) []int {
	re := regexp.MustCompile(`\n#([1-9][0-9]*)\n`)
	var sizes []int
	for len(stream) > 0 && !bytes.HasPrefix(stream, []byte(endOfChunks)) {
		m := re.FindSubmatchIndex(stream)
		require.NotNil(t, m)
		require.Equal(t, 0, m[0])
		n, err := strconv.Atoi(string(stream[m[2]:m[3]]))
		require.NoError(t, err)
		sizes = append(sizes, n)
		stream = stream[m[1]+n:]
	}
	return sizes
}

func TestWriterChunkLargerThanBuffer(t *testing.T) {
	const chunk = maxBuffer + maxBuffer/2
	msg := benchMessage(4 * maxBuffer)
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Upgrade()
	w.SetMaxChunkSize(chunk)

	require.NoError(t, w.WriteMessage(msg))
	require.Equal(t, []int{chunk, chunk, maxBuffer}, chunkSizes(t, b.Bytes()), "large writes are cut at the chunk size")

	b.Reset()
	m := w.Message()
	for p := msg; len(p) > 0; {
		k := min(len(p), 1000)
		_, err := m.Write(p[:k])
		require.NoError(t, err)
		p = p[k:]
	}
	require.NoError(t, m.Close())
	require.Equal(t, []int{maxBuffer, maxBuffer, maxBuffer, maxBuffer}, chunkSizes(t, b.Bytes()), "small writes are gathered up to the buffer size")

	r := NewReader(&b)
	r.Upgrade()
	got, err := r.ReadMessage()
	require.NoError(t, err)
	require.True(t, bytes.Equal(msg, got))
}

func TestWriterSetMaxChunkSize(t *testing.T) {
	w := NewWriter(io.Discard)
	require.Equal(t, DefaultMaxChunkSize, w.maxChunk)
	w.SetMaxChunkSize(10)
	require.Equal(t, 10, w.maxChunk)
	w.SetMaxChunkSize(-1)
	require.Equal(t, DefaultMaxChunkSize, w.maxChunk)
	w.SetMaxChunkSize(math.MaxInt)
	require.Equal(t, min(int64(math.MaxInt), MaxChunkSize), int64(w.maxChunk))
}
