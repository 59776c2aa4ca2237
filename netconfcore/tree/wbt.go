package tree

import "cmp"

// wbt is a persistent weight-balanced binary search tree with subtree
// sizes (after Adams, and Nievergelt and Reingold). Every update copies
// only the O(log n) nodes on the path to the change; the size field gives
// positional access and rank in O(log n). A nil *wbt is the empty tree.
type wbt[K cmp.Ordered, V any] struct {
	k    K
	v    V
	l, r *wbt[K, V]
	size int
}

const (
	wbtDelta = 3
	wbtRatio = 2
)

func (t *wbt[K, V]) len() int {
	if t == nil {
		return 0
	}
	return t.size
}

func wbtNode[K cmp.Ordered, V any](k K, v V, l, r *wbt[K, V]) *wbt[K, V] {
	return &wbt[K, V]{k: k, v: v, l: l, r: r, size: l.len() + r.len() + 1}
}

// balance rebuilds a node whose subtrees were balanced before one of them
// changed in size by at most one element.
func balance[K cmp.Ordered, V any](k K, v V, l, r *wbt[K, V]) *wbt[K, V] {
	sl, sr := l.len(), r.len()
	switch {
	case sl+sr <= 1:
	case sr > wbtDelta*sl:
		if r.l.len() < wbtRatio*r.r.len() {
			return wbtNode(r.k, r.v, wbtNode(k, v, l, r.l), r.r)
		}
		rl := r.l
		return wbtNode(rl.k, rl.v, wbtNode(k, v, l, rl.l), wbtNode(r.k, r.v, rl.r, r.r))
	case sl > wbtDelta*sr:
		if l.r.len() < wbtRatio*l.l.len() {
			return wbtNode(l.k, l.v, l.l, wbtNode(k, v, l.r, r))
		}
		lr := l.r
		return wbtNode(lr.k, lr.v, wbtNode(l.k, l.v, l.l, lr.l), wbtNode(k, v, lr.r, r))
	}
	return wbtNode(k, v, l, r)
}

func (t *wbt[K, V]) get(k K) (V, bool) {
	for t != nil {
		switch c := cmp.Compare(k, t.k); {
		case c < 0:
			t = t.l
		case c > 0:
			t = t.r
		default:
			return t.v, true
		}
	}
	var zero V
	return zero, false
}

// put returns t with k bound to v.
func (t *wbt[K, V]) put(k K, v V) *wbt[K, V] {
	if t == nil {
		return &wbt[K, V]{k: k, v: v, size: 1}
	}
	switch c := cmp.Compare(k, t.k); {
	case c < 0:
		return balance(t.k, t.v, t.l.put(k, v), t.r)
	case c > 0:
		return balance(t.k, t.v, t.l, t.r.put(k, v))
	}
	return &wbt[K, V]{k: k, v: v, l: t.l, r: t.r, size: t.size}
}

// del returns t without k.
func (t *wbt[K, V]) del(k K) *wbt[K, V] {
	if t == nil {
		return nil
	}
	switch c := cmp.Compare(k, t.k); {
	case c < 0:
		l := t.l.del(k)
		if l == t.l {
			return t
		}
		return balance(t.k, t.v, l, t.r)
	case c > 0:
		r := t.r.del(k)
		if r == t.r {
			return t
		}
		return balance(t.k, t.v, t.l, r)
	}
	return glue(t.l, t.r)
}

func glue[K cmp.Ordered, V any](l, r *wbt[K, V]) *wbt[K, V] {
	switch {
	case l == nil:
		return r
	case r == nil:
		return l
	case l.size > r.size:
		m := l.max()
		return balance(m.k, m.v, l.del(m.k), r)
	}
	m := r.min()
	return balance(m.k, m.v, l, r.del(m.k))
}

func (t *wbt[K, V]) min() *wbt[K, V] {
	for t.l != nil {
		t = t.l
	}
	return t
}

func (t *wbt[K, V]) max() *wbt[K, V] {
	for t.r != nil {
		t = t.r
	}
	return t
}

// at returns the node at position i (0-based, in key order).
func (t *wbt[K, V]) at(i int) *wbt[K, V] {
	for t != nil {
		sl := t.l.len()
		switch {
		case i < sl:
			t = t.l
		case i > sl:
			i -= sl + 1
			t = t.r
		default:
			return t
		}
	}
	return nil
}

// rank returns the position of k, or -1.
func (t *wbt[K, V]) rank(k K) int {
	base := 0
	for t != nil {
		switch c := cmp.Compare(k, t.k); {
		case c < 0:
			t = t.l
		case c > 0:
			base += t.l.len() + 1
			t = t.r
		default:
			return base + t.l.len()
		}
	}
	return -1
}

// each calls f on every element in key order until f returns false; it
// reports whether the walk completed.
func (t *wbt[K, V]) each(f func(K, V) bool) bool {
	for t != nil {
		if !t.l.each(f) || !f(t.k, t.v) {
			return false
		}
		t = t.r
	}
	return true
}

// wbtFromSorted builds a perfectly balanced tree from keys sorted in
// strictly increasing order.
func wbtFromSorted[K cmp.Ordered, V any](ks []K, vs []V) *wbt[K, V] {
	if len(ks) == 0 {
		return nil
	}
	m := len(ks) / 2
	return wbtNode(ks[m], vs[m], wbtFromSorted(ks[:m], vs[:m]), wbtFromSorted(ks[m+1:], vs[m+1:]))
}
