package xmlparse

import (
	"fmt"

	"github.com/beevik/etree"
)

// DefaultMaxDepth is the element nesting limit used when Options.MaxDepth is
// zero or negative. It is etree's own default, so switching a caller from
// etree's ReadFrom changes nothing for documents that etree accepted.
const DefaultMaxDepth = 1024

// Options bounds what Parse and ParseReader accept. The zero value is ready
// to use.
type Options struct {
	// MaxDepth is the deepest element nesting allowed, counting the root
	// element as depth 1. Zero or negative means DefaultMaxDepth. A deeper
	// document fails with an error matching ErrMaxDepth.
	MaxDepth int

	// MaxSize is the largest input accepted, in bytes. Zero or negative
	// means no limit. ParseReader stops reading as soon as the input
	// exceeds it, so an oversized stream never sits in memory whole. A
	// larger input fails with a *TooLargeError.
	MaxSize int64
}

func (o Options) maxDepth() int {
	if o.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return o.MaxDepth
}

// ErrMaxDepth is matched, through errors.Is, by the error Parse returns for a
// document nested deeper than Options.MaxDepth. It is etree's own sentinel,
// so code that already checks for etree.ErrMaxDepth keeps working.
var ErrMaxDepth = etree.ErrMaxDepth

// A SyntaxError reports input that is not a well-formed XML 1.0 document,
// or that uses a construct this package refuses (see the package comment).
type SyntaxError struct {
	Offset int64  // byte offset of the offending input, from 0
	Line   int    // line of Offset, from 1
	Msg    string // what is wrong
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("xmlparse: line %d, offset %d: %s", e.Line, e.Offset, e.Msg)
}

// A TooLargeError reports input longer than Options.MaxSize.
type TooLargeError struct {
	Limit int64 // the MaxSize that was exceeded
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("xmlparse: document exceeds %d bytes", e.Limit)
}
