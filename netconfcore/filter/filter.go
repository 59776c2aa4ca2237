// Package filter selects parts of a data tree for <get> and <get-config>:
// subtree filters (RFC 6241 §6) and XPath filters (RFC 6241 §8.9).
//
// Both return a tree built with tree.Subset, holding the selected nodes
// with their ancestors and the keys of every list entry on the way, so
// that the result is written with (*tree.Tree).WriteXML and any
// with-defaults mode. The source may be a configuration datastore or the
// operational tree with state data.
//
// Malformed filters give *rpcerror.Error values (invalid-value); filters
// that match nothing give an empty tree. Limits bound the work a filter
// may cause; the package-level functions use the defaults.
package filter

import (
	"context"
	"errors"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// Limits bound the evaluation of one filter. Zero fields take the
// defaults.
type Limits struct {
	// MaxDepth is the deepest nesting of subtree filter elements accepted
	// (default 64).
	MaxDepth int
	// MaxNodes is the number of subtree filter elements accepted (default
	// 100,000).
	MaxNodes int
	// Expr bounds XPath filter expressions.
	Expr xpath.Limits
}

// The default subtree filter limits.
const (
	DefaultMaxDepth = 64
	DefaultMaxNodes = 100_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultMaxNodes
	}
	return l
}

// Subtree returns the part of src selected by the subtree filter whose
// content is the children of filter (the <filter> element itself; its
// type attribute is already checked by the caller). A filter with no child
// elements selects nothing (empty tree). Errors are *rpcerror.Error /
// rpcerror.List (e.g. invalid-value/bad-element for mixed content), never
// panics.
func Subtree(ctx context.Context, src *tree.Tree, filter *etree.Element) (*tree.Tree, error) {
	return Limits{}.Subtree(ctx, src, filter)
}

// XPath returns the nodes of src selected by the XPath 1.0 expression
// expr, each with its ancestors and the list keys on the way (tree.Subset),
// and the whole subtree of every selected node. ns maps prefixes to
// namespace URIs (the xmlns declarations in scope on <filter>; the default
// namespace under key ""; never resolve module prefixes). A result that is
// not a node-set, an unknown prefix, or a syntax error gives invalid-value
// (error-type protocol, bad-attribute select, bad-element filter).
//
// Paths that select list entries by all their keys, such as
// /if:interfaces/if:interface[if:name='eth0']/if:mtu, and unions of them
// cost O(log n) in the size of the lists; other expressions are evaluated
// over every node they may reach.
func XPath(ctx context.Context, src *tree.Tree, expr string, ns map[string]string) (*tree.Tree, error) {
	return Limits{}.XPath(ctx, src, expr, ns)
}

// XPath is the package-level XPath with the limits l.
func (l Limits) XPath(ctx context.Context, src *tree.Tree, expr string, ns map[string]string) (*tree.Tree, error) {
	maxLen := l.Expr.MaxLength
	if maxLen <= 0 {
		maxLen = xpath.DefaultMaxLength
	}
	if len(expr) <= maxLen {
		if got, ok := keySelect(src, expr, ns); ok {
			return got, nil
		}
	}
	return l.evaluate(ctx, src, expr, ns)
}

// evaluate is XPath without the fast path for key lookups.
func (l Limits) evaluate(ctx context.Context, src *tree.Tree, expr string, ns map[string]string) (*tree.Tree, error) {
	paths, err := xpath.Select(ctx, src, expr, ns, l.Expr)
	if err != nil {
		return nil, xpathError(err)
	}
	sub := tree.NewSubset(src)
	for _, p := range paths {
		if len(p) == 0 {
			return src, nil
		}
		sub.Add(p)
	}
	return sub.Tree(), nil
}

func xpathError(err error) error {
	var xe *xpath.Error
	switch {
	case errors.As(err, &xe):
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue, "XPath filter: %s", xe.Reason).
			WithInfo(rpcerror.Info{BadAttribute: "select", BadElement: "filter"})
	case errors.Is(err, xpath.ErrStepLimit):
		return rpcerror.New(rpcerror.TypeApplication, rpcerror.ResourceDenied, "XPath filter: evaluation exceeds the step limit")
	}
	return rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "XPath filter: %v", err)
}
