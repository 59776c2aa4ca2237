package framing

import (
	"io"
)

// headerRoom is the space reserved in front of buffered data for the
// longest chunk header, "\n#4294967295\n".
const headerRoom = 2 + maxChunkDigits + 1

// maxBuffer bounds the Writer's buffer whatever the maximum chunk size.
const maxBuffer = 1 << 20

// trailerRoom is the space reserved after buffered data for the longer of
// the end-of-message marker and end-of-chunks.
const trailerRoom = len(eomMarker)

// A Writer frames NETCONF messages onto a byte stream. It starts in
// end-of-message mode; Upgrade switches it to chunked mode.
//
// The Writer buffers up to the maximum chunk size of message data, or
// 1 MiB if that is smaller, and writes a small message, with its framing,
// in a single call to the underlying writer. An error from the underlying writer is sticky: every
// later call returns it.
type Writer struct {
	w        io.Writer
	mode     Mode // mode of messages started from now on
	maxChunk int  // chunk limit for messages started from now on
	err      error

	// buf holds headerRoom bytes, then size bytes for message data (n of
	// them used), then trailerRoom bytes.
	buf  []byte
	size int
	n    int

	// State of the current message.
	open    bool
	msgMode Mode
	chunk   int
	total   int64
}

// NewWriter returns a Writer in end-of-message mode writing to w, with a
// maximum chunk size of DefaultMaxChunkSize.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, maxChunk: DefaultMaxChunkSize}
}

// SetMaxChunkSize sets the largest chunk the Writer emits in chunked mode.
// n <= 0 restores
// DefaultMaxChunkSize; n above MaxChunkSize means MaxChunkSize. The size
// applies to messages started after the call.
func (w *Writer) SetMaxChunkSize(n int) {
	if n <= 0 {
		n = DefaultMaxChunkSize
	}
	w.maxChunk = int(min(int64(n), MaxChunkSize))
}

// Upgrade switches the Writer to chunked framing, starting with the next
// message. Call it once both hellos have been exchanged and both list
// base:1.1.
func (w *Writer) Upgrade() { w.mode = Chunked }

// Mode reports the framing of messages started from now on.
func (w *Writer) Mode() Mode { return w.mode }

// Message starts a new message and returns a writer for its bytes. Close
// ends the message and flushes it to the underlying writer; a message
// with no bytes is not written and Close returns ErrEmptyMessage.
//
// A write larger than the buffer goes to the underlying writer directly,
// cut into chunks of the maximum size in chunked mode; smaller writes are
// gathered in the buffer, and a full buffer is written as one chunk.
//
// Only one message may be open at a time: if the previous message has not
// been closed, the returned writer fails every call with ErrMessageOpen.
func (w *Writer) Message() io.WriteCloser {
	if w.open {
		return &messageWriter{w: w, err: ErrMessageOpen}
	}
	w.start()
	return &messageWriter{w: w}
}

// WriteMessage writes p as one complete message. It returns
// ErrEmptyMessage if p is empty and ErrMessageOpen if a message started
// with Message has not been closed.
func (w *Writer) WriteMessage(p []byte) error {
	if w.open {
		return ErrMessageOpen
	}
	w.start()
	if _, err := w.write(p); err != nil {
		return err
	}
	return w.close()
}

// start opens a message.
func (w *Writer) start() {
	w.open = true
	w.msgMode = w.mode
	w.chunk = w.maxChunk
	w.total = 0
	w.n = 0
	if size := min(w.chunk, maxBuffer); size != w.size {
		w.size = size
		w.buf = make([]byte, headerRoom+size+trailerRoom)
	}
}

// write adds p to the open message.
func (w *Writer) write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.total += int64(len(p))
	written := 0
	for len(p) > 0 {
		if w.n == w.size {
			if err := w.flush(); err != nil {
				return written, err
			}
		}
		if w.n == 0 && len(p) > w.size {
			k := len(p)
			if w.msgMode == Chunked {
				k = min(k, w.chunk)
			}
			if err := w.direct(p[:k]); err != nil {
				return written, err
			}
			written += k
			p = p[k:]
			continue
		}
		k := copy(w.buf[headerRoom+w.n:headerRoom+w.size], p)
		w.n += k
		written += k
		p = p[k:]
	}
	return written, nil
}

// direct writes p, with a chunk header in chunked mode, bypassing the
// buffer, which must be empty.
func (w *Writer) direct(p []byte) error {
	if w.msgMode == Chunked {
		if err := w.writeAll(w.buf[w.putHeader(len(p)):headerRoom]); err != nil {
			return err
		}
	}
	return w.writeAll(p)
}

// flush writes the buffered data, as one chunk in chunked mode.
func (w *Writer) flush() error {
	start := headerRoom
	if w.msgMode == Chunked {
		start = w.putHeader(w.n)
	}
	err := w.writeAll(w.buf[start : headerRoom+w.n])
	w.n = 0
	return err
}

// close ends the open message: the buffered data, as a last chunk in
// chunked mode, and the end marker go out in one write.
func (w *Writer) close() error {
	w.open = false
	if w.err != nil {
		return w.err
	}
	if w.total == 0 {
		return ErrEmptyMessage
	}
	end := headerRoom + w.n
	start := headerRoom
	trailer := eomMarker
	if w.msgMode == Chunked {
		trailer = endOfChunks
		if w.n > 0 {
			start = w.putHeader(w.n)
		}
	}
	end += copy(w.buf[end:], trailer)
	w.n = 0
	return w.writeAll(w.buf[start:end])
}

// putHeader writes the header of an n-byte chunk so that it ends at
// headerRoom, and returns where it starts.
func (w *Writer) putHeader(n int) int {
	i := headerRoom - 1
	w.buf[i] = '\n'
	for {
		i--
		w.buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	w.buf[i-1] = '#'
	w.buf[i-2] = '\n'
	return i - 2
}

// writeAll writes p to the underlying writer, recording any error.
func (w *Writer) writeAll(p []byte) error {
	n, err := w.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.err = err
	}
	return err
}

// messageWriter is the writer Message returns for one message.
type messageWriter struct {
	w   *Writer
	err error // ErrMessageOpen or, once closed, ErrMessageClosed
}

// Write adds p to the message.
func (m *messageWriter) Write(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	return m.w.write(p)
}

// Close ends the message and flushes it.
func (m *messageWriter) Close() error {
	if m.err != nil {
		return m.err
	}
	m.err = ErrMessageClosed
	return m.w.close()
}
