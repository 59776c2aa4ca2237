// Package framing implements the NETCONF message framing of RFC 6242 §4,
// shared by the SSH and TLS transports.
//
// A session starts in end-of-message mode (RFC 6242 §4.3): every message,
// including the <hello>, is followed by the marker "]]>]]>". When both hellos
// have been exchanged and both list urn:ietf:params:netconf:base:1.1, the
// session calls Upgrade on its Reader and its Writer and uses chunked framing
// (RFC 6242 §4.2) for the rest of the session: a message is one or more
// chunks "\n#<size>\n<data>" followed by "\n##\n".
//
// End-of-message framing cannot tell a marker inside the XML from the end
// of the message: "]]>]]>" may legally appear in comments, processing
// instructions and CDATA sections, and the Reader ends the message there.
// Peers avoid this by escaping ">" wherever XML allows it, and chunked
// framing removes the problem (RFC 6242 §4.1, §6).
//
// The Reader is strict: anything in chunked mode that is not exactly a
// chunk header, chunk data or end-of-chunks (a zero or leading-zero size, a
// size above 4294967295, a CR, whitespace between messages, a message with
// no chunk) is an *Error wrapping ErrBadChunkHeader or ErrEmptyMessage, and
// the stream ending inside a message is an *Error wrapping
// io.ErrUnexpectedEOF. A message longer than the Reader's limit
// (DefaultMaxMessageSize unless set) fails with ErrMessageTooLarge in both
// modes; a chunk header is at most 13 bytes. The message reader returned by
// Next streams the message through a fixed 64 KiB buffer, so memory stays
// bounded whatever the limit.
//
// A Reader and a Writer are independent, so one goroutine may read while
// another writes, but neither is safe for concurrent use by itself.
package framing

// Mode is a framing mechanism of RFC 6242 §4.
type Mode uint8

const (
	// EndOfMessage is the base:1.0 framing: each message is followed by
	// "]]>]]>" (RFC 6242 §4.3). Every session starts in this mode.
	EndOfMessage Mode = iota
	// Chunked is the base:1.1 framing of RFC 6242 §4.2.
	Chunked
)

// String returns "end-of-message" or "chunked".
func (m Mode) String() string {
	if m == Chunked {
		return "chunked"
	}
	return "end-of-message"
}

const (
	// DefaultMaxMessageSize is the default limit on the size of a message,
	// in bytes, excluding framing.
	DefaultMaxMessageSize = 64 << 20

	// DefaultMaxChunkSize is the default largest chunk a Writer emits.
	DefaultMaxChunkSize = 64 << 10

	// MaxChunkSize is the largest chunk-size RFC 6242 §4.2 allows.
	MaxChunkSize = 1<<32 - 1
)

// eomMarker ends a message in end-of-message mode.
const eomMarker = "]]>]]>"

// endOfChunks ends a message in chunked mode.
const endOfChunks = "\n##\n"

// maxChunkDigits is the number of decimal digits in MaxChunkSize.
const maxChunkDigits = 10
