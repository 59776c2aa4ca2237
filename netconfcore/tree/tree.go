// Package tree is the immutable configuration and state data tree of the
// NETCONF data layer.
//
// A Tree is a snapshot: it never changes once built, so any number of
// readers can use it while a writer builds the next version. Updates copy
// only the path from the root to the change and share everything else, so
// an edit of one entry in a list of 100,000 costs O(log n) time and memory,
// and two snapshots compare in time proportional to their differences.
//
// # Reading
//
// Every node is a *Node. Tree.Root returns the document root; its children
// are the top-level data nodes. Navigation:
//
//   - (*Node).Children iterates over all children in schema order (list
//     keys first within entries), list and leaf-list entries in list order:
//     by key for ordered-by system lists (integers numerically), in user
//     order for ordered-by user ones.
//   - (*Node).Child(s) returns the single instance of a container, leaf or
//     anydata child; (*Node).Entry(s, keys...) finds a list entry by its
//     canonical keys (or a leaf-list entry by value) in O(log n);
//     (*Node).Entries, Len and EntryAt iterate and index entries.
//   - (*Node).Schema gives the schema node (nil for the root), Value the
//     canonical value of a leaf, Keys the key values of a list entry.
//   - Nodes have no parent pointers (they are shared between snapshots). A
//     Cursor walks a tree with parent and sibling moves, each O(log n) at
//     most; Cursor.Path gives the ancestors of the current node.
//
// Schema defaults are not stored: a leaf absent from the tree takes its
// schema default (schema.Node.Default) when its case is active. The
// serializer adds them according to the with-defaults mode. Every stored
// leaf was set explicitly.
//
// # Writing
//
// (*Tree).WriteXML streams a tree as XML to an io.Writer without building
// the document in memory, with the namespace declarations, the
// with-defaults mode and config-only filtering applied as it walks.
//
// # Building
//
// Nodes are built bottom-up with NewLeaf, NewInner and NewAny and combined
// with the persistent update methods (With, Without, WithEntry,
// WithoutEntry, WithEntries), then wrapped by (*Tree).WithRoot. The
// datastore package builds trees from XML this way. Subset builds a tree
// holding selected nodes of another tree (filter results).
package tree

import "github.com/ncsoap/ncsoap/netconfcore/schema"

// Tree is an immutable snapshot of a data tree for a schema.
type Tree struct {
	set  *schema.Set
	root *Node
}

// New returns an empty tree for set.
func New(set *schema.Set) *Tree { return &Tree{set: set, root: newRoot()} }

// Schema returns the schema the tree is built for.
func (t *Tree) Schema() *schema.Set { return t.set }

// Root returns the document root node.
func (t *Tree) Root() *Node { return t.root }

// WithRoot returns a tree for the same schema with root r, which must be a
// root node (from Root of a tree of the same schema).
func (t *Tree) WithRoot(r *Node) *Tree {
	if r == t.root {
		return t
	}
	return &Tree{set: t.set, root: r}
}

// IsEmpty reports whether the tree holds no data node.
func (t *Tree) IsEmpty() bool { return len(t.root.kids) == 0 }

// Equal reports whether a and b hold the same data. Unchanged subtrees are
// shared between snapshots and compared by pointer, so the cost is in
// proportion to the differences.
func (t *Tree) Equal(o *Tree) bool { return Equal(t.root, o.root) }

// Cursor is a position in a tree that can move to parents, children and
// siblings. It is what an XPath navigator needs. The zero Cursor is not
// usable; get one with (*Tree).Cursor. Copy it with Clone.
type Cursor struct {
	stack []frame
}

// frame is one level of a cursor: a node and its place under the parent.
type frame struct {
	n    *Node
	slot int // index in parent.kids
	idx  int // index in the collection when parent.kids[slot] is one
}

// Cursor returns a cursor positioned on the root.
func (t *Tree) Cursor() *Cursor { return &Cursor{stack: []frame{{n: t.root}}} }

// Node returns the node the cursor is on.
func (c *Cursor) Node() *Node { return c.stack[len(c.stack)-1].n }

// Depth returns 0 at the root, 1 on a top-level node, and so on.
func (c *Cursor) Depth() int { return len(c.stack) - 1 }

// Path returns the nodes from the top-level ancestor to the current node
// (empty at the root). The slice is fresh.
func (c *Cursor) Path() []*Node {
	p := make([]*Node, 0, len(c.stack)-1)
	for _, f := range c.stack[1:] {
		p = append(p, f.n)
	}
	return p
}

// Clone returns an independent copy of c.
func (c *Cursor) Clone() *Cursor {
	return &Cursor{stack: append(make([]frame, 0, cap(c.stack)), c.stack...)}
}

// Same reports whether c and o are on the same node of the same tree.
func (c *Cursor) Same(o *Cursor) bool {
	if len(c.stack) != len(o.stack) {
		return false
	}
	for i := range c.stack {
		a, b := c.stack[i], o.stack[i]
		if a.n != b.n || a.slot != b.slot || a.idx != b.idx {
			return false
		}
	}
	return true
}

// ToRoot moves to the root.
func (c *Cursor) ToRoot() { c.stack = c.stack[:1] }

// ToParent moves to the parent; false at the root.
func (c *Cursor) ToParent() bool {
	if len(c.stack) == 1 {
		return false
	}
	c.stack = c.stack[:len(c.stack)-1]
	return true
}

// nodeAt returns the child of p at (slot, idx), or nil.
func nodeAt(p *Node, slot, idx int) *Node {
	if slot < 0 || slot >= len(p.kids) {
		return nil
	}
	k := p.kids[slot]
	if k.coll == nil {
		if idx != 0 {
			return nil
		}
		return k
	}
	if idx < 0 || idx >= k.coll.len() {
		return nil
	}
	return k.coll.at(idx)
}

// ToFirstChild moves to the first child; false when there is none.
func (c *Cursor) ToFirstChild() bool {
	n := c.Node()
	if len(n.kids) == 0 {
		return false
	}
	c.stack = append(c.stack, frame{n: nodeAt(n, 0, 0), slot: 0})
	return true
}

// ToLastChild moves to the last child; false when there is none.
func (c *Cursor) ToLastChild() bool {
	n := c.Node()
	if len(n.kids) == 0 {
		return false
	}
	s := len(n.kids) - 1
	idx := 0
	if k := n.kids[s]; k.coll != nil {
		idx = k.coll.len() - 1
	}
	c.stack = append(c.stack, frame{n: nodeAt(n, s, idx), slot: s, idx: idx})
	return true
}

// ToNextSibling moves to the next sibling; false when there is none.
func (c *Cursor) ToNextSibling() bool {
	if len(c.stack) == 1 {
		return false
	}
	p := c.stack[len(c.stack)-2].n
	f := &c.stack[len(c.stack)-1]
	if n := nodeAt(p, f.slot, f.idx+1); n != nil {
		f.n, f.idx = n, f.idx+1
		return true
	}
	if n := nodeAt(p, f.slot+1, 0); n != nil {
		f.n, f.slot, f.idx = n, f.slot+1, 0
		return true
	}
	return false
}

// ToPrevSibling moves to the previous sibling; false when there is none.
func (c *Cursor) ToPrevSibling() bool {
	if len(c.stack) == 1 {
		return false
	}
	p := c.stack[len(c.stack)-2].n
	f := &c.stack[len(c.stack)-1]
	if f.idx > 0 {
		f.idx--
		f.n = nodeAt(p, f.slot, f.idx)
		return true
	}
	if f.slot == 0 {
		return false
	}
	s := f.slot - 1
	idx := 0
	if k := p.kids[s]; k.coll != nil {
		idx = k.coll.len() - 1
	}
	f.n, f.slot, f.idx = nodeAt(p, s, idx), s, idx
	return true
}

// ToFirstSibling moves to the first child of the parent; false at the
// root.
func (c *Cursor) ToFirstSibling() bool {
	if len(c.stack) == 1 {
		return false
	}
	p := c.stack[len(c.stack)-2].n
	c.stack[len(c.stack)-1] = frame{n: nodeAt(p, 0, 0)}
	return true
}
