package tree

import (
	"cmp"
	"iter"
	"slices"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// A Change is one difference between two trees of the same schema, as
// reported by Diff.
type Change struct {
	// Path holds the ancestors of the changed node, from a top-level node
	// down to its parent; it is empty for a top-level node. The ancestors
	// exist in both trees (list entries with the same keys); Path holds
	// their instances in the new tree. The slice is reused by the next
	// change: copy it to keep it.
	Path []*Node
	// Old is the node in the old tree and New the node in the new one. Old
	// is nil for an added node and New nil for a removed one. Both are set
	// for a leaf whose value changed and for changed anydata or anyxml.
	// A container or list entry present in both is never reported itself;
	// its changed descendants are.
	Old, New *Node
	// Order is set, with Old and New nil, when the entries of the
	// ordered-by-user list or leaf-list Order under Path were moved: their
	// order in the new tree is not the old order without the removed
	// entries, followed by the added ones in their new order. The
	// additions and removals are reported as changes of their own.
	Order *schema.Node
}

// Diff returns the changes that turn old into new, in schema order, the
// entries of a system-ordered list in key order and those of an
// ordered-by-user one in the new tree's order, then the removed ones. Subtrees shared by the two
// snapshots are skipped by pointer, so after an edit of a few entries of a
// large list the cost is in proportion to the edit, not the list.
func Diff(old, new *Tree) iter.Seq[Change] {
	return func(yield func(Change) bool) {
		d := differ{yield: yield}
		d.inner(old.root, new.root)
	}
}

type differ struct {
	path  []*Node
	yield func(Change) bool
}

func (d *differ) emit(c Change) bool {
	c.Path = d.path
	return d.yield(c)
}

// inner reports the differences between the children of a and b, two
// instances of the same inner node.
func (d *differ) inner(a, b *Node) bool {
	i, j := 0, 0
	for i < len(a.kids) || j < len(b.kids) {
		var x, y *Node
		if i < len(a.kids) {
			x = a.kids[i]
		}
		if j < len(b.kids) {
			y = b.kids[j]
		}
		switch {
		case y == nil || x != nil && x.schema.Index() < y.schema.Index():
			if !d.gone(x) {
				return false
			}
			i++
		case x == nil || y.schema.Index() < x.schema.Index():
			if !d.added(y) {
				return false
			}
			j++
		default:
			if !d.slot(x, y) {
				return false
			}
			i++
			j++
		}
	}
	return true
}

// gone reports every instance held by kid slot x as removed.
func (d *differ) gone(x *Node) bool {
	if x.coll == nil {
		return d.emit(Change{Old: x})
	}
	return x.coll.each(func(e *Node) bool { return d.emit(Change{Old: e}) })
}

// added reports every instance held by kid slot y as added.
func (d *differ) added(y *Node) bool {
	if y.coll == nil {
		return d.emit(Change{New: y})
	}
	return y.coll.each(func(e *Node) bool { return d.emit(Change{New: e}) })
}

// slot compares two kid slots of the same schema node.
func (d *differ) slot(x, y *Node) bool {
	if x == y {
		return true
	}
	if x.coll == nil {
		return d.node(x, y)
	}
	if x.schema.OrderedByUser {
		return d.userOrdered(x, y)
	}
	return wbtDiff(x.coll.byKey, y.coll.byKey, func(_ string, a, b *Node) bool {
		switch {
		case a == nil:
			return d.emit(Change{New: b})
		case b == nil:
			return d.emit(Change{Old: a})
		}
		return d.node(a, b)
	})
}

// node compares two instances of the same single-instance node or two
// list entries with the same keys.
func (d *differ) node(a, b *Node) bool {
	if a == b {
		return true
	}
	switch a.schema.Kind {
	case schema.Container, schema.List:
		d.path = append(d.path, b)
		ok := d.inner(a, b)
		d.path = d.path[:len(d.path)-1]
		return ok
	}
	if a.value == b.value {
		return true
	}
	return d.emit(Change{Old: a, New: b})
}

// userOrdered compares the entries of an ordered-by-user list or
// leaf-list by key, then their sequence. It costs O(n log n) for a list of
// n entries that changed at all.
func (d *differ) userOrdered(x, y *Node) bool {
	a, b := x.coll, y.coll
	if !b.each(func(eb *Node) bool {
		if ea := a.get(eb.key()); ea != nil {
			return d.node(ea, eb)
		}
		return d.emit(Change{New: eb})
	}) {
		return false
	}
	if !a.each(func(ea *Node) bool {
		if b.get(ea.key()) == nil {
			return d.emit(Change{Old: ea})
		}
		return true
	}) {
		return false
	}
	// Replaying the changes keeps the remaining entries in their order and
	// appends the added ones; the order needs a change of its own only if
	// that is not the new order.
	var replayed []string
	a.each(func(ea *Node) bool {
		if k := ea.key(); b.get(k) != nil {
			replayed = append(replayed, k)
		}
		return true
	})
	b.each(func(eb *Node) bool {
		if k := eb.key(); a.get(k) == nil {
			replayed = append(replayed, k)
		}
		return true
	})
	if slices.Equal(replayed, b.keys()) {
		return true
	}
	return d.emit(Change{Order: x.schema})
}

// keys returns the keys of the entries in list order.
func (c *collection) keys() []string {
	ks := make([]string, 0, c.len())
	c.each(func(e *Node) bool {
		ks = append(ks, e.key())
		return true
	})
	return ks
}

// wbtDiff calls f, in key order, for every key bound in a or b but not to
// the same value in both, with the zero value for a missing side, until f
// returns false; it reports whether it went through. Subtrees shared by a
// and b are skipped.
func wbtDiff[K cmp.Ordered, V comparable](a, b *wbt[K, V], f func(k K, av, bv V) bool) bool {
	var zero V
	switch {
	case a == b:
		return true
	case a == nil:
		return b.each(func(k K, v V) bool { return f(k, zero, v) })
	case b == nil:
		return a.each(func(k K, v V) bool { return f(k, v, zero) })
	}
	bl, bv, found, br := b.split(a.k)
	if !wbtDiff(a.l, bl, f) {
		return false
	}
	switch {
	case !found:
		if !f(a.k, a.v, zero) {
			return false
		}
	case a.v != bv:
		if !f(a.k, a.v, bv) {
			return false
		}
	}
	return wbtDiff(a.r, br, f)
}

// split returns the parts of t below and above k, and the value bound to
// k. The parts share t's subtrees; nodes on the path to k are rebuilt
// without rebalancing, which is fine for the short-lived parts wbtDiff
// needs.
func (t *wbt[K, V]) split(k K) (l *wbt[K, V], v V, found bool, r *wbt[K, V]) {
	if t == nil {
		return nil, v, false, nil
	}
	switch c := cmp.Compare(k, t.k); {
	case c < 0:
		ll, v, found, lr := t.l.split(k)
		return ll, v, found, wbtNode(t.k, t.v, lr, t.r)
	case c > 0:
		rl, v, found, rr := t.r.split(k)
		return wbtNode(t.k, t.v, t.l, rl), v, found, rr
	}
	return t.l, t.v, true, t.r
}
