package framing

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Framing violations found in the input are reported as
// an *Error whose Err field is one of ErrBadChunkHeader, ErrMessageTooLarge,
// ErrEmptyMessage or io.ErrUnexpectedEOF, so callers can test them with
// errors.Is and read the details with errors.As.
var (
	// ErrBadChunkHeader reports a chunk header or end-of-chunks marker that
	// does not follow RFC 6242 §4.2: missing LF or '#', a chunk-size of
	// zero, with a leading zero, with a non-digit, longer than ten digits or
	// above 4294967295.
	ErrBadChunkHeader = errors.New("framing: malformed chunk header")

	// ErrMessageTooLarge reports a message longer than the configured
	// maximum message size.
	ErrMessageTooLarge = errors.New("framing: message too large")

	// ErrEmptyMessage reports a chunked message with no chunk (the reader
	// saw end-of-chunks first), or an attempt to write a message with no
	// bytes.
	ErrEmptyMessage = errors.New("framing: empty message")

	// ErrMessageClosed is returned when a message reader is used after the
	// next call to Next or ReadMessage, or a message writer after Close.
	ErrMessageClosed = errors.New("framing: use of closed message")

	// ErrMessageOpen is returned when a new message is started on a Writer
	// while the previous one has not been closed.
	ErrMessageOpen = errors.New("framing: previous message not closed")
)

// Error is a framing violation in the input stream. The session that
// produced it cannot continue: RFC 6242 §4.2 requires the receiver to close
// the channel. A Reader returns the same *Error from every later call.
type Error struct {
	// Err is the class of the violation: ErrBadChunkHeader,
	// ErrMessageTooLarge, ErrEmptyMessage or io.ErrUnexpectedEOF.
	Err error
	// Offset is the number of bytes consumed from the stream when the
	// violation was detected, including the offending byte.
	Offset int64
	// Detail says what exactly was wrong, for logs.
	Detail string
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := "framing: " + strings.TrimPrefix(e.Err.Error(), "framing: ") +
		" at offset " + strconv.FormatInt(e.Offset, 10)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }
