package framing

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// rfcExample is the chunked message of RFC 6242 §4.2.
const rfcExample = "\n#4\n<rpc" +
	"\n#18\n message-id=\"102\"\n" +
	"\n#79\n     xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <close-session/>\n</rpc>" +
	"\n##\n"

// rfcExampleMessage is the message rfcExample carries.
const rfcExampleMessage = "<rpc message-id=\"102\"\n" +
	"     xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <close-session/>\n</rpc>"

// readCase is one input for the Reader and what it must yield.
type readCase struct {
	name    string
	input   string
	max     int64    // SetMaxMessageSize argument
	want    []string // messages read before the stream ends or fails
	wantErr error    // the sentinel the first failure wraps; nil: clean io.EOF
}

var chunkedCases = []readCase{
	{name: "rfc 6242 example", input: rfcExample, want: []string{rfcExampleMessage}},
	{name: "empty stream", input: ""},
	{name: "one chunk", input: "\n#5\nhello\n##\n", want: []string{"hello"}},
	{name: "several messages", input: "\n#1\na\n##\n\n#2\nbc\n#1\nd\n##\n\n#3\nefg\n##\n", want: []string{"a", "bcd", "efg"}},
	{name: "framing bytes inside data", input: "\n#11\n\n##\n\n#4\n]]>\n##\n", want: []string{"\n##\n\n#4\n]]>"}},
	{name: "data ends with LF", input: "\n#2\na\n\n##\n", want: []string{"a\n"}},
	{name: "split utf-8 character", input: "\n#1\n\xc3\n#1\n\xa9\n##\n", want: []string{"é"}},
	{name: "ten digit size", input: "\n#0000000001\n", wantErr: ErrBadChunkHeader},
	{name: "largest size", input: "\n#4294967295\nabc", max: 1 << 40, wantErr: io.ErrUnexpectedEOF},
	{name: "size zero", input: "\n#0\n\n##\n", wantErr: ErrBadChunkHeader},
	{name: "leading zero", input: "\n#01\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "non-digit in size", input: "\n#1a\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "non-digit first", input: "\n#a\n", wantErr: ErrBadChunkHeader},
	{name: "sign", input: "\n#+1\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "space before size", input: "\n# 1\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "size above 4294967295", input: "\n#4294967296\n", max: 1 << 40, wantErr: ErrBadChunkHeader},
	{name: "eleven digits", input: "\n#10000000000\n", max: 1 << 40, wantErr: ErrBadChunkHeader},
	{name: "many digits", input: "\n#" + strings.Repeat("9", 100) + "\n", wantErr: ErrBadChunkHeader},
	{name: "CR before LF", input: "\n#1\r\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "missing LF before hash", input: "#1\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "CRLF before hash", input: "\r\n#1\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "missing hash", input: "\n1\na\n##\n", wantErr: ErrBadChunkHeader},
	{name: "bad end-of-chunks", input: "\n#1\na\n##x", wantErr: ErrBadChunkHeader},
	{name: "chunk longer than its size", input: "\n#1\nab\n##\n", wantErr: ErrBadChunkHeader},
	{name: "end-of-chunks without chunk", input: "\n##\n", wantErr: ErrEmptyMessage},
	{name: "end-of-chunks without chunk after message", input: "\n#1\na\n##\n\n##\n", want: []string{"a"}, wantErr: ErrEmptyMessage},
	{name: "extra LF between messages", input: "\n#1\na\n##\n\n\n#1\nb\n##\n", want: []string{"a"}, wantErr: ErrBadChunkHeader},
	{name: "end-of-message marker", input: "<hello/>]]>]]>", wantErr: ErrBadChunkHeader},
	{name: "eof in header", input: "\n#12", wantErr: io.ErrUnexpectedEOF},
	{name: "eof before header LF", input: "\n", wantErr: io.ErrUnexpectedEOF},
	{name: "eof in chunk", input: "\n#5\nhel", wantErr: io.ErrUnexpectedEOF},
	{name: "eof after chunk", input: "\n#5\nhello", wantErr: io.ErrUnexpectedEOF},
	{name: "eof in end-of-chunks", input: "\n#5\nhello\n##", wantErr: io.ErrUnexpectedEOF},
	{name: "eof in second message", input: "\n#1\na\n##\n\n#1\n", want: []string{"a"}, wantErr: io.ErrUnexpectedEOF},
	{name: "at limit", input: "\n#2\nab\n#3\ncde\n##\n", max: 5, want: []string{"abcde"}},
	{name: "over limit in one chunk", input: "\n#6\nabcdef\n##\n", max: 5, wantErr: ErrMessageTooLarge},
	{name: "over limit across chunks", input: "\n#3\nabc\n#3\ndef\n##\n", max: 5, wantErr: ErrMessageTooLarge},
	{name: "limit is per message", input: "\n#5\nabcde\n##\n\n#5\nfghij\n##\n", max: 5, want: []string{"abcde", "fghij"}},
	{name: "default limit", input: "\n#67108865\n", wantErr: ErrMessageTooLarge},
}

var eomCases = []readCase{
	{name: "one message", input: "<hello/>]]>]]>", want: []string{"<hello/>"}},
	{name: "empty stream", input: ""},
	{name: "empty message", input: "]]>]]>", want: []string{""}},
	{name: "several messages", input: "a]]>]]>bc]]>]]>]]>]]>d]]>]]>", want: []string{"a", "bc", "", "d"}},
	{name: "marker prefixes are data", input: "]]]]>]]>", want: []string{"]]"}},
	{name: "overlapping prefix", input: "]]>]]]>]]>", want: []string{"]]>]"}},
	{name: "long prefix", input: "x]]>]]y]]>]]>", want: []string{"x]]>]]y"}},
	{name: "chunk framing is data", input: "\n#3\nabc\n##\n]]>]]>", want: []string{"\n#3\nabc\n##\n"}},
	{name: "eof without marker", input: "abc", wantErr: io.ErrUnexpectedEOF},
	{name: "eof in marker", input: "abc]]>]]", wantErr: io.ErrUnexpectedEOF},
	{name: "eof in marker only", input: "]]>", wantErr: io.ErrUnexpectedEOF},
	{name: "trailing LF", input: "a]]>]]>\n", want: []string{"a"}, wantErr: io.ErrUnexpectedEOF},
	{name: "at limit", input: "abcde]]>]]>", max: 5, want: []string{"abcde"}},
	{name: "over limit", input: "abcdef]]>]]>", max: 5, wantErr: ErrMessageTooLarge},
	{name: "over limit without marker", input: "abcdefghijklmnop", max: 5, wantErr: ErrMessageTooLarge},
	{name: "limit is per message", input: "abcde]]>]]>fghij]]>]]>", max: 5, want: []string{"abcde", "fghij"}},
}

// source wraps the test input the way a transport might deliver it.
var sources = []struct {
	name string
	wrap func(string) io.Reader
}{
	{"whole", func(s string) io.Reader { return strings.NewReader(s) }},
	{"one byte", func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) }},
	{"half", func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) }},
	{"data with eof", func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) }},
}

// consumer reads messages from a Reader in one particular way.
var consumers = []struct {
	name string
	read func(*Reader) ([]byte, error)
}{
	{"ReadMessage", (*Reader).ReadMessage},
	{"Next+ReadAll one byte", func(r *Reader) ([]byte, error) {
		m, err := r.Next()
		if err != nil {
			return nil, err
		}
		return io.ReadAll(iotest.OneByteReader(m))
	}},
	{"Next+Copy", func(r *Reader) ([]byte, error) {
		m, err := r.Next()
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		_, err = io.Copy(&b, m)
		return b.Bytes(), err
	}},
}

// readStream reads every message of r with read; it returns the messages
// and the error that stopped it.
func readStream(r *Reader, read func(*Reader) ([]byte, error)) ([]string, error) {
	var got []string
	for {
		m, err := read(r)
		if err != nil {
			return got, err
		}
		got = append(got, string(m))
	}
}

// checkEnd asserts that err is how the case says the stream ends.
func checkEnd(t *testing.T, tc readCase, err error) {
	t.Helper()
	if tc.wantErr == nil {
		require.Equal(t, io.EOF, err)
		return
	}
	require.ErrorIs(t, err, tc.wantErr)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	require.NotEmpty(t, fe.Detail)
}

func runReadCases(t *testing.T, mode Mode, cases []readCase) {
	for _, tc := range cases {
		for _, src := range sources {
			for _, c := range consumers {
				t.Run(tc.name+"/"+src.name+"/"+c.name, func(t *testing.T) {
					r := NewReader(src.wrap(tc.input))
					r.SetMaxMessageSize(tc.max)
					if mode == Chunked {
						r.Upgrade()
					}
					got, err := readStream(r, c.read)
					require.Equal(t, tc.want, got)
					checkEnd(t, tc, err)
					_, again := r.Next()
					require.Equal(t, err, again, "errors are sticky")
				})
			}
		}
	}
}

func TestReaderChunked(t *testing.T) { runReadCases(t, Chunked, chunkedCases) }

func TestReaderEndOfMessage(t *testing.T) { runReadCases(t, EndOfMessage, eomCases) }

// splitReader returns its data in reads of the given sizes, then the rest.
type splitReader struct {
	data  []byte
	sizes []int
}

func (s *splitReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := len(s.data)
	if len(s.sizes) > 0 {
		n, s.sizes = min(n, s.sizes[0]), s.sizes[1:]
	}
	n = copy(p, s.data[:n])
	s.data = s.data[n:]
	return n, nil
}

func TestReaderSplitAtEveryPosition(t *testing.T) {
	streams := []struct {
		mode  Mode
		input string
		want  []string
	}{
		{EndOfMessage, "<a/>]]>]]>]]>]]]>]]>]]>]]>x]]>]]>", []string{"<a/>", "]]>]", "", "x"}},
		{Chunked, rfcExample + "\n#1\nx\n#11\n\n##\n]]>]]>\n\n##\n", []string{rfcExampleMessage, "x\n##\n]]>]]>\n"}},
	}
	for _, s := range streams {
		t.Run(s.mode.String(), func(t *testing.T) {
			for i := 0; i <= len(s.input); i++ {
				for j := i; j <= len(s.input); j++ {
					r := NewReader(&splitReader{data: []byte(s.input), sizes: []int{i, j - i}})
					if s.mode == Chunked {
						r.Upgrade()
					}
					got, err := readStream(r, (*Reader).ReadMessage)
					require.Equal(t, io.EOF, err, "split at %d and %d", i, j)
					require.Equal(t, s.want, got, "split at %d and %d", i, j)
				}
			}
		})
	}
}

func TestReaderErrorOffset(t *testing.T) {
	r := NewReader(strings.NewReader("\n#1\na\n##\n\n#01\n"))
	r.Upgrade()
	_, err := r.ReadMessage()
	require.NoError(t, err)
	_, err = r.ReadMessage()
	var fe *Error
	require.ErrorAs(t, err, &fe)
	require.Equal(t, &Error{Err: ErrBadChunkHeader, Offset: 12, Detail: "chunk-size starts with '0'"}, fe)
	require.Equal(t, "framing: malformed chunk header at offset 12: chunk-size starts with '0'", err.Error())

	r = NewReader(strings.NewReader("abc"))
	_, err = r.ReadMessage()
	require.Equal(t, "framing: unexpected EOF at offset 3: stream ended before end-of-message marker", err.Error())
}

func TestReaderUpgrade(t *testing.T) {
	hello := "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"/>"
	r := NewReader(iotest.OneByteReader(strings.NewReader(hello + "]]>]]>" + rfcExample + "\n#2\nab\n##\n")))
	require.Equal(t, EndOfMessage, r.Mode())

	m, err := r.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, hello, string(m))

	r.Upgrade()
	require.Equal(t, Chunked, r.Mode())
	m, err = r.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, rfcExampleMessage, string(m))
	m, err = r.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, "ab", string(m))
	_, err = r.ReadMessage()
	require.Equal(t, io.EOF, err)
}

func TestReaderUpgradeDuringMessage(t *testing.T) {
	r := NewReader(strings.NewReader("<hello/>]]>]]>\n#1\nx\n##\n"))
	m, err := r.Next()
	require.NoError(t, err)
	b := make([]byte, 3)
	_, err = io.ReadFull(m, b)
	require.NoError(t, err)
	r.Upgrade()
	rest, err := io.ReadAll(m)
	require.NoError(t, err)
	require.Equal(t, "<hello/>", string(b)+string(rest), "the current message keeps its framing")
	next, err := r.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, "x", string(next))
}

func TestReaderNextDiscardsRest(t *testing.T) {
	for _, tc := range []struct {
		mode  Mode
		input string
	}{
		{EndOfMessage, "first message]]>]]>second]]>]]>"},
		{Chunked, "\n#6\nfirst \n#7\nmessage\n##\n\n#6\nsecond\n##\n"},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			r := NewReader(iotest.OneByteReader(strings.NewReader(tc.input)))
			if tc.mode == Chunked {
				r.Upgrade()
			}
			first, err := r.Next()
			require.NoError(t, err)
			b := make([]byte, 3)
			_, err = io.ReadFull(first, b)
			require.NoError(t, err)
			require.Equal(t, "fir", string(b))

			second, err := r.Next()
			require.NoError(t, err)
			_, err = first.Read(b)
			require.ErrorIs(t, err, ErrMessageClosed)
			_, err = first.(io.WriterTo).WriteTo(io.Discard)
			require.ErrorIs(t, err, ErrMessageClosed)

			got, err := io.ReadAll(second)
			require.NoError(t, err)
			require.Equal(t, "second", string(got))
			n, err := second.Read(b)
			require.Equal(t, 0, n)
			require.Equal(t, io.EOF, err, "a finished message keeps returning io.EOF")

			_, err = r.Next()
			require.Equal(t, io.EOF, err)
		})
	}
}

func TestReaderDiscardOverLimit(t *testing.T) {
	for _, tc := range []struct {
		mode  Mode
		input string
	}{
		{EndOfMessage, "abcdefgh]]>]]>x]]>]]>"},
		{Chunked, "\n#4\nabcd\n#4\nefgh\n##\n\n#1\nx\n##\n"},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			r := NewReader(strings.NewReader(tc.input))
			r.SetMaxMessageSize(5)
			if tc.mode == Chunked {
				r.Upgrade()
			}
			_, err := r.Next()
			require.NoError(t, err)
			_, err = r.Next()
			require.ErrorIs(t, err, ErrMessageTooLarge, "an unread message still counts against the limit")
		})
	}
}

// errReader fails every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestReaderUnderlyingError(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		mode   Mode
		prefix string
	}{
		{EndOfMessage, ""},
		{EndOfMessage, "ab"},
		{EndOfMessage, "ab]]>]]"},
		{Chunked, ""},
		{Chunked, "\n#3"},
		{Chunked, "\n#3\nab"},
		{Chunked, "\n#3\nabc"},
	} {
		for _, c := range []struct {
			name string
			read func(*Reader) error
		}{
			{"ReadMessage", func(r *Reader) error { _, err := r.ReadMessage(); return err }},
			{"Next+Copy", func(r *Reader) error {
				m, err := r.Next()
				if err != nil {
					return err
				}
				_, err = io.Copy(io.Discard, m)
				return err
			}},
			{"Next+Next", func(r *Reader) error {
				if _, err := r.Next(); err != nil {
					return err
				}
				_, err := r.Next()
				return err
			}},
		} {
			t.Run(tc.mode.String()+"/"+tc.prefix+"/"+c.name, func(t *testing.T) {
				r := NewReader(io.MultiReader(strings.NewReader(tc.prefix), errReader{boom}))
				if tc.mode == Chunked {
					r.Upgrade()
				}
				require.Equal(t, boom, c.read(r))
				_, err := r.Next()
				require.Equal(t, boom, err)
			})
		}
	}
}

func TestReaderTruncatedWhileSkipping(t *testing.T) {
	r := NewReader(strings.NewReader("\n#5\nab"))
	r.Upgrade()
	m, err := r.Next()
	require.NoError(t, err)
	n, err := m.Read(nil)
	require.Equal(t, 0, n)
	require.NoError(t, err)
	_, err = r.Next()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

// shortWriter accepts at most n bytes per call.
type shortWriter struct {
	n   int
	buf bytes.Buffer
}

func (s *shortWriter) Write(p []byte) (int, error) {
	k := min(len(p), s.n)
	s.buf.Write(p[:k])
	return k, nil
}

func TestMessageWriteToShortWrite(t *testing.T) {
	r := NewReader(strings.NewReader("abcdef]]>]]>"))
	m, err := r.Next()
	require.NoError(t, err)
	w := &shortWriter{n: 2}
	n, err := m.(io.WriterTo).WriteTo(w)
	require.Equal(t, io.ErrShortWrite, err)
	require.Equal(t, int64(2), n)
	rest, err := io.ReadAll(m)
	require.NoError(t, err)
	require.Equal(t, "cdef", string(rest))
}

func TestModeString(t *testing.T) {
	require.Equal(t, "end-of-message", EndOfMessage.String())
	require.Equal(t, "chunked", Chunked.String())
}

func TestReaderSetMaxMessageSize(t *testing.T) {
	r := NewReader(strings.NewReader(""))
	require.Equal(t, int64(DefaultMaxMessageSize), r.max)
	r.SetMaxMessageSize(10)
	require.Equal(t, int64(10), r.max)
	r.SetMaxMessageSize(0)
	require.Equal(t, int64(DefaultMaxMessageSize), r.max)
}
