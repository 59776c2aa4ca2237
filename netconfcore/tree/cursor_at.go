package tree

// CursorAt returns a cursor on the last node of path, which lists nodes of
// t from a top-level node down, each a child of the one before it (as
// Change.Path followed by the changed node). An empty path gives a cursor
// on the root. Each level costs a search among the parent's child slots
// and, for a list or leaf-list entry, a rank lookup by key: O(depth · log
// n) in all, however far from the first child a node is.
//
// CursorAt reports false when a node of path is not the node of t at its
// place: nodes are compared by identity, so they must come from t itself.
func (t *Tree) CursorAt(path []*Node) (*Cursor, bool) {
	c := &Cursor{stack: make([]frame, 1, len(path)+1)}
	c.stack[0] = frame{n: t.root}
	parent := t.root
	for _, n := range path {
		if n == nil || n.schema == nil {
			return nil, false
		}
		slot, ok := parent.find(n.schema)
		if !ok {
			return nil, false
		}
		idx := 0
		if k := parent.kids[slot]; k.coll != nil {
			idx = k.coll.index(n.key())
			if idx < 0 || k.coll.at(idx) != n {
				return nil, false
			}
		} else if k != n {
			return nil, false
		}
		c.stack = append(c.stack, frame{n: n, slot: slot, idx: idx})
		parent = n
	}
	return c, true
}
