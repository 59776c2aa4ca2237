package tree

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// NewLeaf returns a leaf or leaf-list entry of schema s holding the
// canonical value v.
func NewLeaf(s *schema.Node, v string) *Node { return &Node{schema: s, value: v} }

// Batch allocates new nodes in blocks of growing size, for code that
// builds many at once: a few large allocations instead of one or two per
// node. A block stays in memory as long as any of its nodes does, so one
// Batch should serve one batch of data (one edit). The zero value is ready
// to use; a Batch is not safe for concurrent use.
type Batch struct {
	nodes []Node
	kids  []*Node
	// size and kidsSize are the sizes of the last blocks.
	size, kidsSize int
}

// Bounds on the blocks of a Batch, in nodes and in child pointers. Child
// slices come from blocks once node blocks reach minKidsBatch: until then
// NewInnerWith allocates a node with room for its children at once.
const (
	maxNodeBlock = 256
	maxKidsBlock = 1024
	minKidsBatch = 16
)

func (b *Batch) node() *Node {
	if len(b.nodes) == 0 {
		b.size = min(max(2*b.size, 1), maxNodeBlock)
		b.nodes = make([]Node, b.size)
	}
	n := &b.nodes[0]
	b.nodes = b.nodes[1:]
	return n
}

// NewLeaf is NewLeaf allocated from b.
func (b *Batch) NewLeaf(s *schema.Node, v string) *Node {
	n := b.node()
	n.schema, n.value = s, v
	return n
}

// NewInnerWith is NewInnerWith allocated from b.
func (b *Batch) NewInnerWith(s *schema.Node, kids ...*Node) *Node {
	k := len(kids)
	if b.size < minKidsBatch || k == 0 || 2*k > maxKidsBlock || !kidsSorted(kids) {
		return NewInnerWith(s, kids...)
	}
	if len(b.kids) < k {
		b.kidsSize = min(max(2*b.kidsSize, 2*k), maxKidsBlock)
		b.kids = make([]*Node, b.kidsSize)
	}
	n := b.node()
	n.schema, n.kids = s, b.kids[:k:k]
	b.kids = b.kids[k:]
	copy(n.kids, kids)
	return n
}

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
// costs O(n log n) time and a few allocations, much less than n calls to
// WithEntry.
func (n *Node) WithEntries(s *schema.Node, entries []*Node) *Node {
	out, _ := n.withEntries(s, entries, false)
	return out
}

// WithEntriesAdded returns a copy of n in which each of entries, entries
// of the list or leaf-list s with distinct keys, replaces the entry with
// the same keys or is added: as WithEntry with the zero Position for each
// of them in turn, so ordered-by-user lists keep replaced entries in place
// and append new ones. When two of entries have the same keys it reports
// false and returns n. Adding many entries to a large system-ordered list
// costs a single pass over it.
func (n *Node) WithEntriesAdded(s *schema.Node, entries []*Node) (*Node, bool) {
	i, ok := n.find(s)
	if !ok {
		return n.withEntries(s, entries, true)
	}
	switch len(entries) {
	case 0:
		return n, true
	case 1:
		out, _ := n.WithEntry(entries[0], Position{})
		return out, true
	}
	keys, order := sortKeys(entries)
	for j := 1; j < len(order); j++ {
		if order[j-1].pre == order[j].pre && keys[order[j-1].at] == keys[order[j].at] {
			return n, false
		}
	}
	c := *n.kids[i].coll
	switch {
	case s.OrderedByUser:
		for j, e := range entries {
			c, _ = c.placed(e, keys[j], Position{})
		}
	case 8*len(entries) < c.byKey.len():
		for _, o := range order {
			c.byKey = c.byKey.put(keys[o.at], entries[o.at])
		}
	default:
		c.byKey = mergedWBT(c.byKey, keys, entries, order)
	}
	return n.withColl(s, i, true, &c), true
}

// mergedWBT returns a new tree holding the entries of t and entries (in
// key order), entries replacing those of t with the same keys.
func mergedWBT(t *wbt[string, *Node], keys []string, entries []*Node, order []keyOrder) *wbt[string, *Node] {
	sk := make([]string, 0, t.len()+len(order))
	se := make([]*Node, 0, cap(sk))
	j := 0
	t.each(func(k string, e *Node) bool {
		for ; j < len(order) && keys[order[j].at] <= k; j++ {
			o := order[j]
			sk, se = append(sk, keys[o.at]), append(se, entries[o.at])
		}
		if len(sk) == 0 || sk[len(sk)-1] != k {
			sk, se = append(sk, k), append(se, e)
		}
		return true
	})
	for ; j < len(order); j++ {
		o := order[j]
		sk, se = append(sk, keys[o.at]), append(se, entries[o.at])
	}
	return wbtBlock(sk, se)
}

// withEntries builds the list; with distinct it first checks that the
// keys are distinct.
func (n *Node) withEntries(s *schema.Node, entries []*Node, distinct bool) (*Node, bool) {
	i, ok := n.find(s)
	var c collection
	if len(entries) > 0 {
		keys, order := sortKeys(entries)
		for j := 1; distinct && j < len(order); j++ {
			if order[j-1].pre == order[j].pre && keys[order[j-1].at] == keys[order[j].at] {
				return n, false
			}
		}
		sk := make([]string, len(order))
		if s.OrderedByUser {
			ls := make([]uint64, len(entries))
			for j := range ls {
				ls[j] = uint64(j+1) * labelGap
			}
			c.order = wbtBlock(ls, entries)
			sl := make([]uint64, len(order))
			for j, o := range order {
				sk[j], sl[j] = keys[o.at], ls[o.at]
			}
			c.labels = wbtBlock(sk, sl)
		} else {
			se := make([]*Node, len(order))
			for j, o := range order {
				sk[j], se[j] = keys[o.at], entries[o.at]
			}
			c.byKey = wbtBlock(sk, se)
		}
	}
	return n.withColl(s, i, ok, &c), true
}

// wbtBlock is wbtFromSorted with all the nodes in one allocation. The
// block stays in memory as long as any of its nodes does: updates replace
// the nodes on their path by copies, so the garbage a block can hold is at
// most its own size.
func wbtBlock[K cmp.Ordered, V any](ks []K, vs []V) *wbt[K, V] {
	return fillWBT(make([]wbt[K, V], len(ks)), ks, vs)
}

// fillWBT builds in nodes the tree wbtFromSorted would: node i of the
// result, in key order, is nodes[i].
func fillWBT[K cmp.Ordered, V any](nodes []wbt[K, V], ks []K, vs []V) *wbt[K, V] {
	if len(ks) == 0 {
		return nil
	}
	m := len(ks) / 2
	t := &nodes[m]
	t.k, t.v, t.size = ks[m], vs[m], len(ks)
	t.l = fillWBT(nodes[:m], ks[:m], vs[:m])
	t.r = fillWBT(nodes[m+1:], ks[m+1:], vs[m+1:])
	return t
}

// keyOrder is a position in a list of keys with pre, eight bytes of the
// key as a number, to sort by.
type keyOrder struct {
	pre uint64
	at  uint32
}

// sortKeys returns the encoded keys of entries and their positions sorted
// by key, equal keys in their order. The pre of the keys are the eight
// bytes after the prefix all keys share (zero-padded), so that sorting by
// pre, a radix sort, orders the keys save among those with equal pre.
func sortKeys(entries []*Node) ([]string, []keyOrder) {
	keys := make([]string, len(entries))
	for j, e := range entries {
		keys[j] = e.key()
	}
	common := len(keys[0])
	for _, k := range keys[1:] {
		common = min(common, len(k))
		for i := 0; i < common; i++ {
			if k[i] != keys[0][i] {
				common = i
				break
			}
		}
	}
	order := make([]keyOrder, len(keys))
	for j, k := range keys {
		var pre uint64
		rest := k[common:]
		for i := 0; i < 8; i++ {
			pre <<= 8
			if i < len(rest) {
				pre |= uint64(rest[i])
			}
		}
		order[j] = keyOrder{pre, uint32(j)}
	}
	radixSort(order)
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && order[j].pre == order[i].pre {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(order[i:j], func(a, b keyOrder) int { return strings.Compare(keys[a.at], keys[b.at]) })
		}
		i = j
	}
	return keys, order
}

// radixSort sorts a by pre, stably, one byte at a time from the lowest,
// skipping the bytes all of them share.
func radixSort(a []keyOrder) {
	if len(a) < 64 {
		slices.SortStableFunc(a, func(x, y keyOrder) int { return cmp.Compare(x.pre, y.pre) })
		return
	}
	src, dst := a, make([]keyOrder, len(a))
	for shift := 0; shift < 64; shift += 8 {
		var count [256]int
		for _, x := range src {
			count[byte(x.pre>>shift)]++
		}
		if count[byte(src[0].pre>>shift)] == len(src) {
			continue
		}
		sum := 0
		for b, c := range count {
			count[b] = sum
			sum += c
		}
		for _, x := range src {
			b := byte(x.pre >> shift)
			dst[count[b]] = x
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
}

// NewInnerWith returns a container or list entry of schema s whose
// children are kids, single-instance nodes (containers, leaves, anydata,
// anyxml). It gives the same node as NewInner followed by With for each of
// kids in turn (so of several kids of one schema node the last one wins),
// in one allocation (two for many kids) instead of two per child. kids is
// not retained.
func NewInnerWith(s *schema.Node, kids ...*Node) *Node {
	if !kidsSorted(kids) {
		return &Node{schema: s, kids: sortedKids(kids)}
	}
	n := newInner(s, len(kids))
	copy(n.kids, kids)
	return n
}

// newInner returns an inner node of schema s with n nil kids, allocated
// together with the node when there are few.
func newInner(s *schema.Node, n int) *Node {
	var nd *Node
	switch {
	case n == 0:
		return &Node{schema: s}
	case n <= 2:
		b := &struct {
			n    Node
			kids [2]*Node
		}{}
		b.n.kids = b.kids[:n:n]
		nd = &b.n
	case n <= 4:
		b := &struct {
			n    Node
			kids [4]*Node
		}{}
		b.n.kids = b.kids[:n:n]
		nd = &b.n
	case n <= 8:
		b := &struct {
			n    Node
			kids [8]*Node
		}{}
		b.n.kids = b.kids[:n:n]
		nd = &b.n
	default:
		nd = &Node{kids: make([]*Node, n)}
	}
	nd.schema = s
	return nd
}

// WithAll returns a copy of n in which each of the single-instance nodes
// kids replaces any existing instance of its schema node, as With would
// for each of them in turn, or n itself when nothing changes. It allocates
// once for the whole batch; kids is not retained.
func (n *Node) WithAll(kids ...*Node) *Node {
	if !kidsSorted(kids) {
		kids = sortedKids(kids)
	}
	size, same := len(n.kids), true
	i := 0
	for _, k := range kids {
		idx := k.schema.Index()
		for i < len(n.kids) && n.kids[i].schema.Index() < idx {
			i++
		}
		if i < len(n.kids) && n.kids[i].schema == k.schema {
			same = same && n.kids[i] == k
			i++
			continue
		}
		size++
		same = false
	}
	if same {
		return n
	}
	nn := newInner(n.schema, size)
	nn.value = n.value
	out := nn.kids[:0]
	i = 0
	for _, k := range kids {
		idx := k.schema.Index()
		for i < len(n.kids) && n.kids[i].schema.Index() < idx {
			out = append(out, n.kids[i])
			i++
		}
		if i < len(n.kids) && n.kids[i].schema == k.schema {
			i++
		}
		out = append(out, k)
	}
	copy(out[len(out):size], n.kids[i:])
	return nn
}

// kidsSorted reports whether kids are in strictly increasing schema index
// order, the order of Node.kids.
func kidsSorted(kids []*Node) bool {
	for i := 1; i < len(kids); i++ {
		if kids[i-1].schema.Index() >= kids[i].schema.Index() {
			return false
		}
	}
	return true
}

// sortedKids returns a copy of unsorted kids in schema index order,
// keeping only the last of several nodes of one schema node.
func sortedKids(kids []*Node) []*Node {
	out := make([]*Node, len(kids))
	copy(out, kids)
	slices.SortStableFunc(out, func(a, b *Node) int { return a.schema.Index() - b.schema.Index() })
	w := 0
	for i, k := range out {
		if i+1 < len(out) && out[i+1].schema == k.schema {
			continue
		}
		out[w] = k
		w++
	}
	if w == len(out) {
		return out
	}
	return slices.Clone(out[:w])
}
