package filter

import (
	"context"

	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// KeySelect exposes the XPath fast path to the tests.
func KeySelect(src *tree.Tree, expr string, ns map[string]string) (*tree.Tree, bool) {
	return keySelect(src, expr, ns)
}

// GeneralXPath exposes the XPath evaluation without the fast path.
func GeneralXPath(ctx context.Context, src *tree.Tree, expr string, ns map[string]string) (*tree.Tree, error) {
	return Limits{}.evaluate(ctx, src, expr, ns)
}
