package xpath

import (
	"errors"
	"strconv"
)

// Error reports an expression that cannot be compiled or evaluated: a
// syntax error, an unknown prefix, function or identity, or a result of
// the wrong type.
type Error struct {
	// Expr is the expression as given.
	Expr string
	// Offset is the byte offset in Expr the problem was found at, or -1.
	Offset int
	// Reason describes the problem.
	Reason string
}

// Error returns the reason with the expression and offset.
func (e *Error) Error() string {
	s := "xpath: " + e.Reason
	if e.Offset >= 0 {
		s += " at offset " + strconv.Itoa(e.Offset)
	}
	return s + " in " + strconv.Quote(e.Expr)
}

func errorAt(expr string, offset int, reason string) *Error {
	return &Error{Expr: expr, Offset: offset, Reason: reason}
}

// ErrStepLimit is returned when an evaluation moves through more nodes
// than Limits.MaxSteps allows.
var ErrStepLimit = errors.New("xpath: evaluation exceeds the step limit")
