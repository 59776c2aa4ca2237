package xpath

import (
	"context"
	"strings"
	"sync"

	ax "github.com/antchfx/xpath"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// Evaluator evaluates YANG must and when expressions (RFC 7950 §6.4): the
// context node is the node the statement applies to, current() is that
// node, prefixes are the module's import prefixes (schema.Expr.Namespaces)
// and unprefixed names are in the module's namespace. The data it sees is
// the accessible tree of RFC 7950 §6.4.1: the stored data plus the
// configuration leaves and leaf-lists whose schema default is in use and
// every non-presence container. It implements
// datastore.ExprEvaluator and is safe for concurrent use; expressions are
// rewritten once and their compiled forms reused.
type Evaluator struct {
	// Limits bound each evaluation.
	Limits Limits

	cache sync.Map // *schema.Expr -> *compiled
}

// compiled is a prepared YANG expression with a pool of compiled copies
// (an antchfx/xpath Expr cannot be evaluated by two goroutines at once).
// Expressions using current() are compiled per evaluation.
type compiled struct {
	p    *prepared
	err  error
	pool sync.Pool
}

// NewEvaluator returns an Evaluator with the default limits.
func NewEvaluator() *Evaluator { return &Evaluator{} }

// EvalBool evaluates x with the node under at (in t) as the context node
// and returns its value converted as by boolean().
func (e *Evaluator) EvalBool(ctx context.Context, t *tree.Tree, at *tree.Cursor, x *schema.Expr) (bool, error) {
	lim := e.Limits.withDefaults()
	c := e.prepared(t.Schema(), x, lim)
	if c.err != nil {
		return false, c.err
	}
	var q *ax.Expr
	if len(c.p.parts) > 1 {
		var err error
		if q, err = compile(c.p, currentPath(at, c.p.pathPrefix)); err != nil {
			return false, err
		}
	} else {
		if v := c.pool.Get(); v != nil {
			q = v.(*ax.Expr)
		} else {
			var err error
			if q, err = compile(c.p, ""); err != nil {
				return false, err
			}
		}
		defer c.pool.Put(q)
	}
	en := &env{set: t.Schema(), bases: c.p.bases, b: &budget{ctx: ctx, max: lim.MaxSteps}, accessible: true}
	var result bool
	err := protect(x.XPath, func() error {
		result = boolean(q.Evaluate(newNavigator(t, at.Path(), en)))
		return nil
	})
	if err != nil {
		return false, err
	}
	if en.b.err != nil {
		return false, en.b.err
	}
	return result, nil
}

func (e *Evaluator) prepared(set *schema.Set, x *schema.Expr, lim Limits) *compiled {
	if v, ok := e.cache.Load(x); ok {
		return v.(*compiled)
	}
	c := &compiled{}
	if len(x.XPath) > lim.MaxLength {
		c.err = errorAt(x.XPath, -1, "expression too long")
	} else {
		c.p, c.err = prepare(x.XPath, rewriteOptions{ns: x.Namespaces(), defaultNS: x.Module.Namespace, current: true, set: set})
	}
	if c.err == nil && len(c.p.parts) == 1 {
		if _, err := compile(c.p, ""); err != nil {
			c.err = err
		}
	}
	v, _ := e.cache.LoadOrStore(x, c)
	return v.(*compiled)
}

// currentPath returns an absolute location path selecting the node under
// at, with list entries identified by their keys.
func currentPath(at *tree.Cursor, prefixes map[string]string) string {
	path := at.Path()
	if len(path) == 0 {
		return "/."
	}
	var b strings.Builder
	for _, n := range path {
		s := n.Schema()
		pfx := prefixes[s.Module.Namespace]
		b.WriteString("/" + pfx + ":" + s.Name)
		switch s.Kind {
		case schema.List:
			for i, k := range n.Keys() {
				kn := s.Keys[i]
				b.WriteString("[" + prefixes[kn.Module.Namespace] + ":" + kn.Name + "=" + Literal(k) + "]")
			}
		case schema.LeafList:
			b.WriteString("[.=" + Literal(n.Value()) + "]")
		}
	}
	return b.String()
}
