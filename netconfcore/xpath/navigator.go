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

// env is what the navigators of one evaluation share.
type env struct {
	set   *schema.Set
	bases []baseTest
	b     *budget
	// accessible adds what RFC 7950 §6.4.1 puts in the accessible tree
	// beyond the stored data: configuration leaves and leaf-lists whose
	// default is in use, and non-presence containers.
	accessible bool
}

// frame is one level of a navigator's position: a node, the position of
// its schema node among the data children of its parent's schema node,
// and for list and leaf-list entries its index among the entries.
type frame struct {
	n   *tree.Node
	kid int
	idx int
}

// navigator is an antchfx/xpath NodeNavigator over a tree.Tree. Data nodes
// are elements; the document root is the root node. Leaves have no text
// children: their string-value is their canonical value. The only
// attributes are the virtual ones that stand for derived-from() tests.
//
// Children are visited in schema order, looking each schema child up in
// the data (list entries by index, O(log n)), so that schema defaults and
// non-presence containers can be shown where the data has none.
type navigator struct {
	stack []frame
	attr  int // index in bases of the attribute the navigator is on, or -1
	env   *env
	// buf holds the stack of shallow positions, so that the many copies
	// antchfx/xpath makes cost one allocation each.
	buf [6]frame
}

var _ ax.NodeNavigator = (*navigator)(nil)

// newNavigator returns a navigator on the node path leads to from the root
// of t (path as tree.Cursor.Path returns it).
func newNavigator(t *tree.Tree, path []*tree.Node, e *env) *navigator {
	n := &navigator{attr: -1, env: e}
	n.stack = append(n.buf[:0], frame{n: t.Root()})
	parent := t.Root()
	for _, node := range path {
		s := node.Schema()
		idx := 0
		switch s.Kind {
		case schema.List:
			idx = parent.EntryIndex(s, node.Keys()...)
		case schema.LeafList:
			idx = parent.EntryIndex(s, node.Value())
		}
		n.stack = append(n.stack, frame{n: node, kid: s.Index(), idx: idx})
		parent = node
	}
	return n
}

func (n *navigator) top() *frame { return &n.stack[len(n.stack)-1] }

// path returns the nodes from a top-level node to the current one.
func (n *navigator) path() []*tree.Node {
	p := make([]*tree.Node, 0, len(n.stack)-1)
	for _, f := range n.stack[1:] {
		p = append(p, f.n)
	}
	return p
}

func (n *navigator) NodeType() ax.NodeType {
	switch {
	case n.attr >= 0:
		return ax.AttributeNode
	case len(n.stack) == 1:
		return ax.RootNode
	}
	return ax.ElementNode
}

func (n *navigator) LocalName() string {
	if n.attr >= 0 {
		return n.env.bases[n.attr].name
	}
	if s := n.top().n.Schema(); s != nil {
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
	if s := n.top().n.Schema(); s != nil {
		return s.Module.Namespace
	}
	return ""
}

func (n *navigator) Value() string {
	if n.attr >= 0 {
		return "true"
	}
	node := n.top().n
	if s := node.Schema(); s != nil && isValued(s) {
		return node.Value()
	}
	var b strings.Builder
	n.stringValue(&b, node)
	return b.String()
}

func isValued(s *schema.Node) bool {
	switch s.Kind {
	case schema.Leaf, schema.LeafList, schema.Anydata, schema.Anyxml:
		return true
	}
	return false
}

// stringValue appends the XPath string-value of an inner node: the values
// of its stored descendant leaves in document order. Each node visited
// counts against the step limit.
func (n *navigator) stringValue(b *strings.Builder, node *tree.Node) {
	for c := range node.Children() {
		if !n.env.b.tick() {
			return
		}
		if isValued(c.Schema()) {
			b.WriteString(c.Value())
		} else {
			n.stringValue(b, c)
		}
	}
}

func (n *navigator) Copy() ax.NodeNavigator {
	c := &navigator{attr: n.attr, env: n.env}
	c.stack = append(c.buf[:0], n.stack...)
	return c
}

func (n *navigator) MoveToRoot() {
	n.attr = -1
	n.stack = n.stack[:1]
}

func (n *navigator) MoveToParent() bool {
	if n.attr >= 0 {
		n.attr = -1
		return true
	}
	if len(n.stack) == 1 || !n.env.b.tick() {
		return false
	}
	n.stack = n.stack[:len(n.stack)-1]
	return true
}

func (n *navigator) MoveToNextAttribute() bool {
	if len(n.env.bases) == 0 || len(n.stack) == 1 {
		return false
	}
	id := n.identity()
	if id == nil {
		return false
	}
	for i := n.attr + 1; i < len(n.env.bases); i++ {
		bt := n.env.bases[i]
		if id.DerivedFrom(bt.id) || bt.orSelf && id == bt.id {
			n.attr = i
			return true
		}
	}
	return false
}

// identity returns the identity an identityref leaf holds, or nil.
func (n *navigator) identity() *schema.Identity {
	node := n.top().n
	s := node.Schema()
	if s.Type == nil || (s.Type.Kind != schema.IdentityRef && s.Type.Kind != schema.Union) {
		return nil
	}
	id, err := schema.ResolveIdentity(node.Value(), n.env.set, n.env.set.PrefixResolver())
	if err != nil {
		return nil
	}
	return id
}

// kids returns the schema children of the data node p.
func (n *navigator) kids(p *tree.Node) []*schema.Node {
	s := p.Schema()
	switch {
	case s == nil:
		return n.env.set.TopNodes()
	case s.Kind == schema.Container || s.Kind == schema.List:
		return s.DataChildren()
	}
	return nil
}

// count returns the number of instances of schema child s under p.
func (n *navigator) count(p *tree.Node, s *schema.Node) int {
	if s.Kind == schema.List || s.Kind == schema.LeafList {
		if c := p.Len(s); c > 0 || s.Kind == schema.List || !n.virtual(p, s) {
			return c
		}
		return len(s.Default)
	}
	if p.Child(s) != nil || n.virtual(p, s) {
		return 1
	}
	return 0
}

// instance returns instance idx of schema child s under p, which exists.
func (n *navigator) instance(p *tree.Node, s *schema.Node, idx int) *tree.Node {
	switch s.Kind {
	case schema.List:
		return p.EntryAt(s, idx)
	case schema.LeafList:
		if e := p.EntryAt(s, idx); e != nil {
			return e
		}
		return tree.NewLeaf(s, s.Default[idx])
	case schema.Leaf:
		if c := p.Child(s); c != nil {
			return c
		}
		return tree.NewLeaf(s, s.Default[0])
	}
	if c := p.Child(s); c != nil {
		return c
	}
	return tree.NewInner(s)
}

// virtual reports whether the accessible tree has an instance of s under
// p that the data lacks: a default in use or a non-presence container.
func (n *navigator) virtual(p *tree.Node, s *schema.Node) bool {
	if !n.env.accessible || !s.Config {
		return false
	}
	switch s.Kind {
	case schema.Leaf, schema.LeafList:
		if !s.HasDefault() {
			return false
		}
	case schema.Container:
		if s.Presence {
			return false
		}
	default:
		return false
	}
	return caseInUse(p, s)
}

// caseInUse reports whether every case on the way from p down to s is the
// one with data in p, or the default case when none has data.
func caseInUse(p *tree.Node, s *schema.Node) bool {
	for c := s.Parent; c != nil && !c.IsData(); c = c.Parent {
		if c.Kind != schema.Case {
			continue
		}
		active := activeCase(p, c.Parent)
		if active == nil {
			active = c.Parent.DefaultCase
		}
		if active != c {
			return false
		}
	}
	return true
}

// activeCase returns the case of choice ch that has data in p, or nil.
func activeCase(p *tree.Node, ch *schema.Node) *schema.Node {
	for _, cs := range ch.Children {
		if hasData(p, cs) {
			return cs
		}
	}
	return nil
}

func hasData(p *tree.Node, s *schema.Node) bool {
	if s.IsData() {
		if s.Kind == schema.List || s.Kind == schema.LeafList {
			return p.Len(s) > 0
		}
		return p.Child(s) != nil
	}
	for _, c := range s.Children {
		if hasData(p, c) {
			return true
		}
	}
	return false
}

// seek moves the top frame (a child of p) to the first instance of the
// schema children from kid on, going backwards when back is set; it
// pushes a frame when push is set.
func (n *navigator) seek(p *tree.Node, kid int, back, push bool) bool {
	kids := n.kids(p)
	for i := kid; i >= 0 && i < len(kids); {
		s := kids[i]
		if c := n.count(p, s); c > 0 {
			idx := 0
			if back {
				idx = c - 1
			}
			f := frame{n: n.instance(p, s, idx), kid: i, idx: idx}
			if push {
				n.stack = append(n.stack, f)
			} else {
				*n.top() = f
			}
			return true
		}
		if back {
			i--
		} else {
			i++
		}
	}
	return false
}

func (n *navigator) MoveToChild() bool {
	if n.attr >= 0 || !n.env.b.tick() {
		return false
	}
	return n.seek(n.top().n, 0, false, true)
}

func (n *navigator) MoveToFirst() bool {
	if n.attr >= 0 || len(n.stack) == 1 || !n.env.b.tick() {
		return false
	}
	return n.seek(n.stack[len(n.stack)-2].n, 0, false, false)
}

func (n *navigator) MoveToNext() bool {
	if n.attr >= 0 || len(n.stack) == 1 || !n.env.b.tick() {
		return false
	}
	p := n.stack[len(n.stack)-2].n
	f := n.top()
	s := n.kids(p)[f.kid]
	if (s.Kind == schema.List || s.Kind == schema.LeafList) && f.idx+1 < n.count(p, s) {
		f.idx++
		f.n = n.instance(p, s, f.idx)
		return true
	}
	return n.seek(p, f.kid+1, false, false)
}

func (n *navigator) MoveToPrevious() bool {
	if n.attr >= 0 || len(n.stack) == 1 || !n.env.b.tick() {
		return false
	}
	p := n.stack[len(n.stack)-2].n
	f := n.top()
	if f.idx > 0 {
		f.idx--
		f.n = n.instance(p, n.kids(p)[f.kid], f.idx)
		return true
	}
	return n.seek(p, f.kid-1, true, false)
}

func (n *navigator) MoveTo(other ax.NodeNavigator) bool {
	o, ok := other.(*navigator)
	if !ok || o.env.set != n.env.set {
		return false
	}
	n.stack = append(n.stack[:0], o.stack...)
	n.attr = o.attr
	n.env = o.env
	return true
}
