package tree

import "github.com/ncsoap/ncsoap/netconfcore/schema"

// Subset builds a tree that holds selected nodes of a source tree, with
// their ancestors and the keys of every list entry on the way, as filter
// results need. Adding costs O(depth · log n) and shares the selected
// subtrees with the source. Entries of ordered-by-user lists appear in the
// order they were added.
type Subset struct {
	src  *Tree
	root *Node
}

// NewSubset returns an empty subset of src.
func NewSubset(src *Tree) *Subset { return &Subset{src: src, root: newRoot()} }

// Add adds the last node of path with its whole subtree. path lists the
// node's ancestors from a top-level node down to the node itself, as
// Cursor.Path returns them.
func (s *Subset) Add(path []*Node) {
	if len(path) > 0 {
		s.root = s.add(s.root, path, true)
	}
}

// AddShallow adds the last node of path without its descendants: a
// container empty, a list entry with its keys only, a leaf as it is.
func (s *Subset) AddShallow(path []*Node) {
	if len(path) > 0 {
		s.root = s.add(s.root, path, false)
	}
}

// Tree returns the subset built so far as a tree. The Subset can keep
// growing; earlier results are not affected.
func (s *Subset) Tree() *Tree { return &Tree{set: s.src.set, root: s.root} }

func (s *Subset) add(parent *Node, path []*Node, full bool) *Node {
	n := path[0]
	existing := existingIn(parent, n)
	var next *Node
	switch {
	case len(path) == 1 && full:
		next = n
	case len(path) == 1:
		if existing != nil {
			return parent
		}
		next = shallow(n)
	default:
		base := existing
		if base == nil {
			base = shallow(n)
		}
		next = s.add(base, path[1:], full)
	}
	if next == existing {
		return parent
	}
	if k := n.schema.Kind; k == schema.List || k == schema.LeafList {
		out, _ := parent.WithEntry(next, Position{})
		return out
	}
	return parent.With(next)
}

func existingIn(parent, n *Node) *Node {
	i, ok := parent.find(n.schema)
	if !ok {
		return nil
	}
	slot := parent.kids[i]
	if slot.coll == nil {
		return slot
	}
	return slot.coll.get(n.key())
}

func shallow(n *Node) *Node {
	switch n.schema.Kind {
	case schema.Container:
		return NewInner(n.schema)
	case schema.List:
		e := NewInner(n.schema)
		for _, k := range n.schema.Keys {
			if c := n.Child(k); c != nil {
				e = e.With(c)
			}
		}
		return e
	}
	return n
}
