// Package xpath evaluates XPath 1.0 expressions over tree.Tree data trees
// with github.com/antchfx/xpath: NETCONF XPath filters (RFC 6241 §8.9)
// through Select, and YANG must and when expressions (RFC 7950 §6.4)
// through an Evaluator, which implements datastore.ExprEvaluator.
//
// Data nodes are XML elements in their module's namespace, matched by
// namespace URI; prefixes in an expression are bound by the namespace map
// given (filter scope or YANG imports). An unprefixed name test matches
// the default namespace: the module of a YANG expression, or the
// namespace mapped to "" for Select, where without one it matches a node
// of that local name in any namespace. Leaves have no text child nodes:
// their string-value is their canonical value.
//
// Beyond the XPath 1.0 core library (and the few XPath 2.0 string
// functions antchfx/xpath adds), YANG expressions can use current(), and
// every expression can use derived-from() and derived-from-or-self() with a
// literal identity. deref(), re-match(), enum-value() and bit-is-set() are
// not supported and give an *Error.
//
// Every evaluation is bounded by Limits: an expression longer than
// MaxLength is refused, and one that moves through more than MaxSteps
// nodes fails with ErrStepLimit. Cancelling the context stops it too.
package xpath

import (
	"context"
	"fmt"
	"strings"

	ax "github.com/antchfx/xpath"

	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// Limits bound one evaluation. Zero fields take the defaults.
type Limits struct {
	// MaxLength is the longest expression accepted, in bytes (default
	// 8192).
	MaxLength int
	// MaxSteps is the number of node moves an evaluation may make
	// (default 50,000,000, about a second of work).
	MaxSteps int
}

// The default limits.
const (
	DefaultMaxLength = 8192
	DefaultMaxSteps  = 50_000_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxLength <= 0 {
		l.MaxLength = DefaultMaxLength
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = DefaultMaxSteps
	}
	return l
}

// Select evaluates the XPath filter expression expr with the root of t as
// the context node and returns the selected nodes, each as its path from a
// top-level node down (as tree.Cursor.Path gives it; empty for the root),
// without duplicates (a union lists its left operand's nodes first). ns
// maps the prefixes in scope to namespace URIs, the default namespace
// under "". Only stored data is seen: no schema defaults. A selected
// virtual attribute stands for the element that carries it. A result that
// is not a node-set, a syntax error, an unknown prefix or function give an
// *Error.
func Select(ctx context.Context, t *tree.Tree, expr string, ns map[string]string, lim Limits) ([][]*tree.Node, error) {
	lim = lim.withDefaults()
	if len(expr) > lim.MaxLength {
		return nil, errorAt(expr, -1, fmt.Sprintf("expression longer than %d bytes", lim.MaxLength))
	}
	p, err := prepare(expr, rewriteOptions{ns: ns, defaultNS: ns[""], set: t.Schema()})
	if err != nil {
		return nil, err
	}
	c, err := compile(p, "")
	if err != nil {
		return nil, err
	}
	e := &env{set: t.Schema(), bases: p.bases, b: &budget{ctx: ctx, max: lim.MaxSteps}}
	var out [][]*tree.Node
	err = protect(expr, func() error {
		v := c.Evaluate(newNavigator(t, nil, e))
		it, ok := v.(*ax.NodeIterator)
		if !ok {
			return errorAt(expr, -1, fmt.Sprintf("result is a %s, not a node-set", typeName(v)))
		}
		seen := map[string]bool{}
		for it.MoveNext() {
			n, ok := it.Current().(*navigator)
			if !ok {
				continue
			}
			path := n.path()
			if key := pathKey(path); !seen[key] {
				seen[key] = true
				out = append(out, path)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if e.b.err != nil {
		return nil, e.b.err
	}
	return out, nil
}

// pathKey identifies a stored node by the nodes on its path.
func pathKey(path []*tree.Node) string {
	var b strings.Builder
	for _, n := range path {
		fmt.Fprintf(&b, "%p/", n)
	}
	return b.String()
}

func typeName(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	}
	return fmt.Sprintf("%T", v)
}

func compile(p *prepared, cur string) (*ax.Expr, error) {
	text := p.text(cur)
	c, err := ax.CompileWithNS(text, p.ns)
	if err != nil {
		return nil, errorAt(p.src, -1, strings.TrimPrefix(err.Error(), "xpath: "))
	}
	return c, nil
}

// protect runs f, turning a panic inside antchfx/xpath into an *Error.
func protect(expr string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorAt(expr, -1, fmt.Sprintf("evaluation failed: %v", r))
		}
	}()
	return f()
}

// boolean converts an evaluation result to a boolean as boolean() does.
func boolean(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x != 0 && x == x
	case string:
		return x != ""
	case *ax.NodeIterator:
		return x.MoveNext()
	}
	return false
}
