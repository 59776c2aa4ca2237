package tree

import (
	"slices"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// NewLeaf returns a leaf or leaf-list entry of schema s holding the
// canonical value v.
func NewLeaf(s *schema.Node, v string) *Node { return &Node{schema: s, value: v} }

// NewAny returns an anydata or anyxml node of schema s whose content is the
// XML fragment xml (namespace declarations included).
func NewAny(s *schema.Node, xml string) *Node { return &Node{schema: s, value: xml} }

// NewInner returns an empty container or list entry of schema s. A list
// entry must get its key leaves (With) before it is added to a list.
func NewInner(s *schema.Node) *Node { return &Node{schema: s} }

func newRoot() *Node { return &Node{} }

func (n *Node) withKids(kids []*Node) *Node {
	return &Node{schema: n.schema, value: n.value, kids: kids}
}

// With returns a copy of n in which the single-instance child c
// (container, leaf, anydata, anyxml) replaces any existing instance.
func (n *Node) With(c *Node) *Node {
	i, ok := n.find(c.schema)
	if ok {
		if n.kids[i] == c {
			return n
		}
		kids := slices.Clone(n.kids)
		kids[i] = c
		return n.withKids(kids)
	}
	kids := make([]*Node, len(n.kids)+1)
	copy(kids, n.kids[:i])
	kids[i] = c
	copy(kids[i+1:], n.kids[i:])
	return n.withKids(kids)
}

// Without returns a copy of n without any instance of s (for a list or
// leaf-list, without all of its entries), or n itself when there is none.
func (n *Node) Without(s *schema.Node) *Node {
	i, ok := n.find(s)
	if !ok {
		return n
	}
	kids := make([]*Node, 0, len(n.kids)-1)
	kids = append(kids, n.kids[:i]...)
	kids = append(kids, n.kids[i+1:]...)
	return n.withKids(kids)
}

// Where says where WithEntry puts an entry of an ordered-by-user list or
// leaf-list (the YANG insert attribute).
type Where uint8

// The insert positions of RFC 7950 §7.8.6.
const (
	// Keep leaves an existing entry where it is and appends a new one.
	Keep Where = iota
	First
	Last
	Before
	After
)

// Position is an insert position with the entry it is relative to (its
// canonical key values, or value for a leaf-list) for Before and After.
type Position struct {
	Where Where
	Keys  []string
}

// WithEntry returns a copy of n in which the list or leaf-list entry e is
// added, replacing any entry with the same keys. For ordered-by-user lists
// pos places the entry; the entry named by Before or After must exist and
// differ from e (WithEntry reports false otherwise and returns n).
// System-ordered lists ignore pos.
func (n *Node) WithEntry(e *Node, pos Position) (*Node, bool) {
	s := e.schema
	key := e.key()
	i, ok := n.find(s)
	var c collection
	if ok {
		c = *n.kids[i].coll
	}
	if !s.OrderedByUser {
		c.byKey = c.byKey.put(key, e)
	} else {
		var ok bool
		if c, ok = c.placed(e, key, pos); !ok {
			return n, false
		}
	}
	return n.withColl(s, i, ok, &c), true
}

func (n *Node) withColl(s *schema.Node, i int, exists bool, c *collection) *Node {
	slot := &Node{schema: s, coll: c}
	if c.len() == 0 {
		if !exists {
			return n
		}
		return n.Without(s)
	}
	if exists {
		kids := slices.Clone(n.kids)
		kids[i] = slot
		return n.withKids(kids)
	}
	kids := make([]*Node, len(n.kids)+1)
	copy(kids, n.kids[:i])
	kids[i] = slot
	copy(kids[i+1:], n.kids[i:])
	return n.withKids(kids)
}

// labelGap is the label distance between consecutive entries after a
// relabelling, leaving room for 32 halvings between any two of them.
const labelGap = 1 << 32

func (c collection) placed(e *Node, key string, pos Position) (collection, bool) {
	old, exists := c.labels.get(key)
	if exists && pos.Where == Keep {
		c.order = c.order.put(old, e)
		return c, true
	}
	if pos.Where == Keep {
		pos.Where = Last
	}
	var ref uint64
	if pos.Where == Before || pos.Where == After {
		rk := EncodeKey(e.schema, pos.Keys)
		var ok bool
		if ref, ok = c.labels.get(rk); !ok || rk == key {
			return c, false
		}
	}
	if exists {
		c.order = c.order.del(old)
		c.labels = c.labels.del(key)
	}
	for attempt := 0; ; attempt++ {
		l, ok := c.freeLabel(pos.Where, ref)
		if ok {
			c.order = c.order.put(l, e)
			c.labels = c.labels.put(key, l)
			return c, true
		}
		// No room between the neighbours: spread the labels out again.
		c = c.relabel()
		if pos.Where == Before || pos.Where == After {
			refKey := EncodeKey(e.schema, pos.Keys)
			ref, _ = c.labels.get(refKey)
		}
	}
}

// freeLabel finds an unused label at the requested place.
func (c collection) freeLabel(w Where, ref uint64) (uint64, bool) {
	if c.order == nil {
		return labelGap, true
	}
	between := func(lo, hi uint64) (uint64, bool) {
		if hi-lo < 2 {
			return 0, false
		}
		return lo + (hi-lo)/2, true
	}
	switch w {
	case First:
		return between(0, c.order.min().k)
	case Last:
		last := c.order.max().k
		if last > ^uint64(0)-labelGap {
			return between(last, ^uint64(0))
		}
		return last + labelGap, true
	case Before:
		r := c.order.rank(ref)
		lo := uint64(0)
		if r > 0 {
			lo = c.order.at(r - 1).k
		}
		return between(lo, ref)
	default:
		r := c.order.rank(ref)
		if r+1 < c.order.len() {
			return between(ref, c.order.at(r+1).k)
		}
		if ref > ^uint64(0)-labelGap {
			return between(ref, ^uint64(0))
		}
		return ref + labelGap, true
	}
}

func (c collection) relabel() collection {
	n := c.order.len()
	ls := make([]uint64, 0, n)
	es := make([]*Node, 0, n)
	c.order.each(func(_ uint64, e *Node) bool {
		ls = append(ls, uint64(len(ls)+1)*labelGap)
		es = append(es, e)
		return true
	})
	var out collection
	out.order = wbtFromSorted(ls, es)
	keys := make([]string, n)
	idx := make([]int, n)
	for i, e := range es {
		keys[i] = e.key()
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return compareStrings(keys[a], keys[b]) })
	sk := make([]string, n)
	sl := make([]uint64, n)
	for i, j := range idx {
		sk[i], sl[i] = keys[j], ls[j]
	}
	out.labels = wbtFromSorted(sk, sl)
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// WithoutEntry returns a copy of n without the entry of list or leaf-list
// s that has the given canonical keys (or value), or n when there is none.
func (n *Node) WithoutEntry(s *schema.Node, keys ...string) *Node {
	i, ok := n.find(s)
	if !ok {
		return n
	}
	key := EncodeKey(s, keys)
	c := *n.kids[i].coll
	if c.labels != nil {
		l, found := c.labels.get(key)
		if !found {
			return n
		}
		c.labels = c.labels.del(key)
		c.order = c.order.del(l)
		if c.order == nil {
			c.labels = nil
		}
	} else {
		if _, found := c.byKey.get(key); !found {
			return n
		}
		c.byKey = c.byKey.del(key)
	}
	return n.withColl(s, i, true, &c)
}

// WithEntries returns a copy of n whose list or leaf-list s holds exactly
// entries: in the given order for ordered-by-user lists, sorted by key
// otherwise. Entries must have distinct keys. Building a list this way
// costs O(n log n) with a single allocation per entry, much less than n
// calls to WithEntry.
func (n *Node) WithEntries(s *schema.Node, entries []*Node) *Node {
	i, ok := n.find(s)
	var c collection
	if len(entries) > 0 {
		keys := make([]string, len(entries))
		for j, e := range entries {
			keys[j] = e.key()
		}
		if s.OrderedByUser {
			ls := make([]uint64, len(entries))
			for j := range ls {
				ls[j] = uint64(j+1) * labelGap
			}
			c.order = wbtFromSorted(ls, entries)
			idx := make([]int, len(entries))
			for j := range idx {
				idx[j] = j
			}
			slices.SortFunc(idx, func(a, b int) int { return compareStrings(keys[a], keys[b]) })
			sk := make([]string, len(idx))
			sl := make([]uint64, len(idx))
			for j, k := range idx {
				sk[j], sl[j] = keys[k], ls[k]
			}
			c.labels = wbtFromSorted(sk, sl)
		} else {
			idx := make([]int, len(entries))
			for j := range idx {
				idx[j] = j
			}
			slices.SortStableFunc(idx, func(a, b int) int { return compareStrings(keys[a], keys[b]) })
			sk := make([]string, len(idx))
			se := make([]*Node, len(idx))
			for j, k := range idx {
				sk[j], se[j] = keys[k], entries[k]
			}
			c.byKey = wbtFromSorted(sk, se)
		}
	}
	return n.withColl(s, i, ok, &c)
}
