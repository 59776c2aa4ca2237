package framing

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// readBufferSize is the size of the Reader's buffer.
const readBufferSize = 64 << 10

// eomMarkerBytes is eomMarker for bytes.Index.
var eomMarkerBytes = []byte(eomMarker)

// maxGrow bounds how much ReadMessage allocates on the word of a chunk
// header, ahead of the data.
const maxGrow = 1 << 20

// A Reader splits a byte stream into NETCONF messages. It starts in
// end-of-message mode; Upgrade switches it to chunked mode.
//
// Any framing violation, and any error from the underlying reader, is
// sticky: every later call returns it. Violations are reported as *Error.
type Reader struct {
	br   *bufio.Reader
	mode Mode  // mode of messages started from now on
	max  int64 // limit for messages started from now on
	err  error // sticky error, io.EOF after a clean end of stream
	off  int64 // bytes consumed from br

	cur    *message // reader handed out by Next, nil after ReadMessage
	active bool     // a message has started and its end not been consumed

	// State of the current message.
	msgMode   Mode
	msgMax    int64
	size      int64 // bytes known to belong to the message
	remaining int64 // chunked: unread bytes of the current chunk
	known     int64 // end-of-message: buffered bytes known to be data
	marker    bool  // end-of-message: the marker follows the known bytes
}

// NewReader returns a Reader in end-of-message mode reading from r, with
// a limit of DefaultMaxMessageSize.
func NewReader(r io.Reader) *Reader {
	return &Reader{
		br:  bufio.NewReaderSize(r, readBufferSize),
		max: DefaultMaxMessageSize,
	}
}

// SetMaxMessageSize sets the largest message, in bytes excluding framing,
// that the Reader accepts; a longer message fails with ErrMessageTooLarge.
// n <= 0 restores DefaultMaxMessageSize. The limit applies to messages
// started after the call.
func (r *Reader) SetMaxMessageSize(n int64) {
	if n <= 0 {
		n = DefaultMaxMessageSize
	}
	r.max = n
}

// Upgrade switches the Reader to chunked framing, starting with the next
// message. Call it once the peer's <hello> has been read and both hellos
// list base:1.1.
func (r *Reader) Upgrade() { r.mode = Chunked }

// Mode reports the framing of messages started from now on.
func (r *Reader) Mode() Mode { return r.mode }

// Next advances to the next message and returns a reader for its bytes,
// which returns io.EOF at the end of the message. The part of the previous
// message that was not read is discarded. The returned reader becomes
// invalid at the next call to Next or ReadMessage and then reports
// ErrMessageClosed.
//
// Next returns io.EOF when the stream ends cleanly between two messages.
// In chunked mode, Next reads the first chunk header before it returns,
// so an invalid header is reported by Next itself.
func (r *Reader) Next() (io.Reader, error) {
	if err := r.begin(); err != nil {
		return nil, err
	}
	m := &message{r: r}
	r.cur = m
	return m, nil
}

// ReadMessage reads the next message and returns its bytes, discarding
// any unread part of the previous message. It returns io.EOF when the
// stream ends cleanly between two messages.
func (r *Reader) ReadMessage() ([]byte, error) {
	if err := r.begin(); err != nil {
		return nil, err
	}
	b := []byte{}
	for {
		n, err := r.advance()
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return b, nil
		}
		if len(b) == cap(b) {
			// Double, but never past the limit, and never by more
			// than maxGrow beyond the bytes received or announced.
			grow := min(max(min(n, maxGrow), int64(len(b))), r.msgMax-int64(len(b)))
			b = append(make([]byte, 0, int64(len(b))+grow), b...)
		}
		k, err := r.read(b[len(b):cap(b)])
		b = b[:len(b)+k]
		if err != nil {
			return nil, err
		}
	}
}

// begin discards what is left of the current message and starts the next.
func (r *Reader) begin() error {
	if r.err != nil {
		return r.err
	}
	r.cur = nil
	if r.active {
		if err := r.skip(); err != nil {
			return err
		}
	}
	if _, err := r.br.Peek(1); err != nil {
		r.err = err
		return err
	}
	r.active = true
	r.msgMode = r.mode
	r.msgMax = r.max
	r.size, r.remaining, r.known, r.marker = 0, 0, 0, false
	if r.msgMode == Chunked {
		_, err := r.chunkHeader()
		return err
	}
	return nil
}

// advance returns how many bytes of the current message can be read
// before more framing must be parsed, parsing framing as needed. It
// returns 0 when it has consumed the end of the message.
func (r *Reader) advance() (int64, error) {
	if r.err != nil {
		return 0, r.err
	}
	if !r.active {
		return 0, nil
	}
	if r.msgMode == Chunked {
		if r.remaining == 0 {
			end, err := r.chunkHeader()
			if err != nil {
				return 0, err
			}
			if end {
				r.active = false
				return 0, nil
			}
		}
		return r.remaining, nil
	}
	if r.known == 0 && !r.marker {
		if err := r.scan(); err != nil {
			return 0, err
		}
	}
	if r.known == 0 {
		n, _ := r.br.Discard(len(eomMarker))
		r.off += int64(n)
		r.marker = false
		r.active = false
	}
	return r.known, nil
}

// read reads message bytes into p.
func (r *Reader) read(p []byte) (int, error) {
	n, err := r.advance()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > n {
		p = p[:n]
	}
	k, err := r.br.Read(p)
	r.consumed(k)
	if err == io.EOF {
		return k, r.fail(io.ErrUnexpectedEOF, "stream ended inside chunk data")
	}
	if err != nil {
		r.err = err
	}
	return k, err
}

// consumed records that n bytes of message data were taken from br.
func (r *Reader) consumed(n int) {
	r.off += int64(n)
	if r.msgMode == Chunked {
		r.remaining -= int64(n)
	} else {
		r.known -= int64(n)
	}
}

// skip discards the rest of the current message.
func (r *Reader) skip() error {
	for {
		n, err := r.advance()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		k, err := r.br.Discard(int(min(n, 1<<30)))
		r.consumed(k)
		if err == io.EOF {
			return r.fail(io.ErrUnexpectedEOF, "stream ended inside chunk data")
		}
		if err != nil {
			r.err = err
			return err
		}
	}
}

// scan looks for the end-of-message marker in the buffered input, reading
// more when the buffer holds nothing but a prefix of the marker. It sets
// known to the number of buffered bytes that are certainly data and marker
// to whether the marker follows them.
func (r *Reader) scan() error {
	need := 1
	for {
		if b, err := r.br.Peek(need); len(b) < need {
			if err == io.EOF {
				return r.fail(io.ErrUnexpectedEOF, "stream ended before end-of-message marker")
			}
			r.err = err
			return err
		}
		buf, _ := r.br.Peek(r.br.Buffered())
		known := bytes.Index(buf, eomMarkerBytes)
		if known >= 0 {
			r.marker = true
		} else {
			known = len(buf) - markerPrefix(buf)
		}
		if known > 0 || r.marker {
			r.known = int64(known)
			r.size += int64(known)
			if r.size > r.msgMax {
				return r.fail(ErrMessageTooLarge, fmt.Sprintf("message exceeds %d bytes", r.msgMax))
			}
			return nil
		}
		need = len(buf) + 1
	}
}

// markerPrefix returns the length of the longest suffix of b that is a
// proper prefix of the end-of-message marker.
func markerPrefix(b []byte) int {
	for k := min(len(b), len(eomMarker)-1); k > 0; k-- {
		if string(b[len(b)-k:]) == eomMarker[:k] {
			return k
		}
	}
	return 0
}

// chunkHeader parses a chunk header or end-of-chunks (RFC 6242 §4.2) and
// reports whether it was end-of-chunks.
func (r *Reader) chunkHeader() (end bool, err error) {
	c, err := r.headerByte()
	if err != nil {
		return false, err
	}
	if c != '\n' {
		return false, r.badHeader("expected LF, found %q", c)
	}
	if c, err = r.headerByte(); err != nil {
		return false, err
	}
	if c != '#' {
		return false, r.badHeader("expected '#' after LF, found %q", c)
	}
	if c, err = r.headerByte(); err != nil {
		return false, err
	}
	if c == '#' {
		if c, err = r.headerByte(); err != nil {
			return false, err
		}
		if c != '\n' {
			return false, r.badHeader("expected LF after \"##\", found %q", c)
		}
		if r.size == 0 {
			return false, r.fail(ErrEmptyMessage, "end-of-chunks before any chunk")
		}
		return true, nil
	}
	if c == '0' {
		return false, r.badHeader("chunk-size starts with '0'")
	}
	if c < '1' || c > '9' {
		return false, r.badHeader("expected chunk-size digit, found %q", c)
	}
	size := int64(c - '0')
	for digits := 1; ; digits++ {
		if c, err = r.headerByte(); err != nil {
			return false, err
		}
		if c == '\n' {
			break
		}
		if c < '0' || c > '9' {
			return false, r.badHeader("expected chunk-size digit or LF, found %q", c)
		}
		if digits == maxChunkDigits {
			return false, r.badHeader("chunk-size longer than %d digits", maxChunkDigits)
		}
		size = size*10 + int64(c-'0')
	}
	if size > MaxChunkSize {
		return false, r.badHeader("chunk-size %d exceeds %d", size, int64(MaxChunkSize))
	}
	r.size += size
	if r.size > r.msgMax {
		return false, r.fail(ErrMessageTooLarge, fmt.Sprintf("message exceeds %d bytes", r.msgMax))
	}
	r.remaining = size
	return false, nil
}

// headerByte reads one byte of a chunk header.
func (r *Reader) headerByte() (byte, error) {
	c, err := r.br.ReadByte()
	if err == io.EOF {
		return 0, r.fail(io.ErrUnexpectedEOF, "stream ended inside chunk header")
	}
	if err != nil {
		r.err = err
		return 0, err
	}
	r.off++
	return c, nil
}

// badHeader fails with ErrBadChunkHeader.
func (r *Reader) badHeader(format string, args ...any) error {
	return r.fail(ErrBadChunkHeader, fmt.Sprintf(format, args...))
}

// fail makes a framing violation the sticky error and returns it.
func (r *Reader) fail(class error, detail string) error {
	r.err = &Error{Err: class, Offset: r.off, Detail: detail}
	return r.err
}

// message is the reader Next returns for one message.
type message struct {
	r *Reader
}

// Read reads bytes of the message.
func (m *message) Read(p []byte) (int, error) {
	if m.r.cur != m {
		return 0, ErrMessageClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	return m.r.read(p)
}

// WriteTo writes the rest of the message to w straight from the Reader's
// buffer, so io.Copy needs no buffer of its own.
func (m *message) WriteTo(w io.Writer) (int64, error) {
	if m.r.cur != m {
		return 0, ErrMessageClosed
	}
	r := m.r
	var total int64
	for {
		n, err := r.advance()
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, nil
		}
		if r.br.Buffered() == 0 {
			if _, err := r.br.Peek(1); err == io.EOF {
				return total, r.fail(io.ErrUnexpectedEOF, "stream ended inside chunk data")
			} else if err != nil {
				r.err = err
				return total, err
			}
		}
		buf, _ := r.br.Peek(int(min(n, int64(r.br.Buffered()))))
		k, err := w.Write(buf)
		_, _ = r.br.Discard(k)
		r.consumed(k)
		total += int64(k)
		if err != nil {
			return total, err
		}
		if k < len(buf) {
			return total, io.ErrShortWrite
		}
	}
}
