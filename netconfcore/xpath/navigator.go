package xpath

import (
	"context"
	"strings"

	ax "github.com/antchfx/xpath"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// budget is shared by the navigators of one evaluation: it counts moves,
// stops at the step limit and notices cancellation. Once it has an error
// every move fails, which ends the evaluation quickly.
type budget struct {
	ctx   context.Context
	steps int
	max   int
	err   error
}

func (b *budget) tick() bool {
	if b.err != nil {
		return false
	}
	b.steps++
	if b.steps > b.max {
		b.err = ErrStepLimit
		return false
	}
	if b.steps&1023 == 0 {
		if err := b.ctx.Err(); err != nil {
			b.err = err
			return false
		}
	}
	return true
}

// navigator is an antchfx/xpath NodeNavigator over a tree.Cursor. Data
// nodes are elements; the document root is the root node. Leaves have no
// text children: their string-value is their canonical value. The only
// attributes are the virtual ones that stand for derived-from() tests.
type navigator struct {
	cur   *tree.Cursor
	attr  int // index in bases of the attribute the navigator is on, or -1
	set   *schema.Set
	bases []baseTest
	b     *budget
}

var _ ax.NodeNavigator = (*navigator)(nil)

func (n *navigator) NodeType() ax.NodeType {
	switch {
	case n.attr >= 0:
		return ax.AttributeNode
	case n.cur.Depth() == 0:
		return ax.RootNode
	}
	return ax.ElementNode
}

func (n *navigator) LocalName() string {
	if n.attr >= 0 {
		return n.bases[n.attr].name
	}
	if s := n.cur.Node().Schema(); s != nil {
		return s.Name
	}
	return ""
}

// Prefix is always empty: names are matched by namespace URI.
func (n *navigator) Prefix() string { return "" }

// NamespaceURL returns the namespace of the node's module; antchfx/xpath
// matches prefixed name tests against it.
func (n *navigator) NamespaceURL() string {
	if n.attr >= 0 {
		return ""
	}
	if s := n.cur.Node().Schema(); s != nil {
		return s.Module.Namespace
	}
	return ""
}

func (n *navigator) Value() string {
	if n.attr >= 0 {
		return "true"
	}
	node := n.cur.Node()
	if s := node.Schema(); s != nil {
		switch s.Kind {
		case schema.Leaf, schema.LeafList, schema.Anydata, schema.Anyxml:
			return node.Value()
		}
	}
	var b strings.Builder
	stringValue(&b, node)
	return b.String()
}

// stringValue appends the XPath string-value of an inner node: the values
// of its descendant leaves in document order.
func stringValue(b *strings.Builder, n *tree.Node) {
	for c := range n.Children() {
		switch c.Schema().Kind {
		case schema.Leaf, schema.LeafList, schema.Anydata, schema.Anyxml:
			b.WriteString(c.Value())
		default:
			stringValue(b, c)
		}
	}
}

func (n *navigator) Copy() ax.NodeNavigator {
	return &navigator{cur: n.cur.Clone(), attr: n.attr, set: n.set, bases: n.bases, b: n.b}
}

func (n *navigator) MoveToRoot() {
	n.attr = -1
	n.cur.ToRoot()
}

func (n *navigator) MoveToParent() bool {
	if n.attr >= 0 {
		n.attr = -1
		return true
	}
	return n.b.tick() && n.cur.ToParent()
}

func (n *navigator) MoveToNextAttribute() bool {
	if len(n.bases) == 0 || n.cur.Depth() == 0 {
		return false
	}
	id := n.identity()
	if id == nil {
		return false
	}
	for i := n.attr + 1; i < len(n.bases); i++ {
		bt := n.bases[i]
		if id.DerivedFrom(bt.id) || bt.orSelf && id == bt.id {
			n.attr = i
			return true
		}
	}
	return false
}

// identity returns the identity an identityref leaf holds, or nil.
func (n *navigator) identity() *schema.Identity {
	node := n.cur.Node()
	s := node.Schema()
	if s.Type == nil || (s.Type.Kind != schema.IdentityRef && s.Type.Kind != schema.Union) {
		return nil
	}
	id, err := schema.ResolveIdentity(node.Value(), n.set, n.set.PrefixResolver())
	if err != nil {
		return nil
	}
	return id
}

func (n *navigator) MoveToChild() bool {
	if n.attr >= 0 {
		return false
	}
	return n.b.tick() && n.cur.ToFirstChild()
}

func (n *navigator) MoveToFirst() bool {
	if n.attr >= 0 {
		return false
	}
	return n.b.tick() && n.cur.ToFirstSibling()
}

func (n *navigator) MoveToNext() bool {
	if n.attr >= 0 {
		return false
	}
	return n.b.tick() && n.cur.ToNextSibling()
}

func (n *navigator) MoveToPrevious() bool {
	if n.attr >= 0 {
		return false
	}
	return n.b.tick() && n.cur.ToPrevSibling()
}

func (n *navigator) MoveTo(other ax.NodeNavigator) bool {
	o, ok := other.(*navigator)
	if !ok || o.set != n.set {
		return false
	}
	n.cur = o.cur.Clone()
	n.attr = o.attr
	n.bases = o.bases
	n.b = o.b
	return true
}
