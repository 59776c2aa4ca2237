package tree

import (
	"iter"
	"sort"
	"strconv"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// Node is one immutable node of a data tree: the document root, a
// container, a list entry, a leaf, a leaf-list entry or an anydata/anyxml
// node. Nodes are never modified after they are built; the update methods
// (With, Without, WithEntry, ...) return new nodes that share every
// unchanged child with the old one.
type Node struct {
	schema *schema.Node
	// value is the canonical value of a leaf or leaf-list entry, or the raw
	// XML content of anydata/anyxml.
	value string
	// kids holds the children of the root, a container or a list entry,
	// sorted by schema index. A list or leaf-list is one slot whose node
	// (schema = the list, coll set) holds the instances.
	kids []*Node
	coll *collection
}

// collection holds the instances of a list or leaf-list. System-ordered
// ones live in byKey, keyed by their encoded keys; user-ordered ones in
// order, keyed by a position label, with labels mapping keys to labels.
type collection struct {
	byKey  *wbt[string, *Node]
	order  *wbt[uint64, *Node]
	labels *wbt[string, uint64]
}

func (c *collection) len() int {
	if c.order != nil {
		return c.order.len()
	}
	return c.byKey.len()
}

func (c *collection) at(i int) *Node {
	if c.order != nil {
		if t := c.order.at(i); t != nil {
			return t.v
		}
		return nil
	}
	if t := c.byKey.at(i); t != nil {
		return t.v
	}
	return nil
}

func (c *collection) get(key string) *Node {
	if c.labels != nil {
		l, ok := c.labels.get(key)
		if !ok {
			return nil
		}
		n, _ := c.order.get(l)
		return n
	}
	n, _ := c.byKey.get(key)
	return n
}

func (c *collection) index(key string) int {
	if c.labels != nil {
		l, ok := c.labels.get(key)
		if !ok {
			return -1
		}
		return c.order.rank(l)
	}
	return c.byKey.rank(key)
}

func (c *collection) each(f func(*Node) bool) bool {
	if c.order != nil {
		return c.order.each(func(_ uint64, n *Node) bool { return f(n) })
	}
	return c.byKey.each(func(_ string, n *Node) bool { return f(n) })
}

// Schema returns the schema node of n; nil for the document root.
func (n *Node) Schema() *schema.Node { return n.schema }

// IsRoot reports whether n is the document root, whose children are the
// top-level data nodes.
func (n *Node) IsRoot() bool { return n.schema == nil }

// Value returns the canonical value of a leaf or leaf-list entry ("" for
// type empty), or the XML content of an anydata or anyxml node. It is ""
// for other nodes.
func (n *Node) Value() string { return n.value }

// Child returns the instance of the single-instance child s (container,
// leaf, anydata, anyxml), or nil when it is absent.
func (n *Node) Child(s *schema.Node) *Node {
	i, ok := n.find(s)
	if !ok || n.kids[i].coll != nil {
		return nil
	}
	return n.kids[i]
}

// Len returns the number of instances of the list or leaf-list s under n.
func (n *Node) Len(s *schema.Node) int {
	if c := n.collOf(s); c != nil {
		return c.len()
	}
	return 0
}

// EntryAt returns the i-th instance (0-based, in list order) of the list or
// leaf-list s, or nil. It costs O(log n).
func (n *Node) EntryAt(s *schema.Node, i int) *Node {
	c := n.collOf(s)
	if c == nil || i < 0 || i >= c.len() {
		return nil
	}
	return c.at(i)
}

// Entry returns the entry of list s with the given canonical key values
// (in key order), or the entry of leaf-list s with the given canonical
// value, or nil. It costs O(log n).
func (n *Node) Entry(s *schema.Node, keys ...string) *Node {
	c := n.collOf(s)
	if c == nil {
		return nil
	}
	return c.get(EncodeKey(s, keys))
}

// EntryIndex returns the position of the entry with the given canonical
// keys (as for Entry) in list order, or -1.
func (n *Node) EntryIndex(s *schema.Node, keys ...string) int {
	c := n.collOf(s)
	if c == nil {
		return -1
	}
	return c.index(EncodeKey(s, keys))
}

// Entries iterates over the instances of the list or leaf-list s in list
// order.
func (n *Node) Entries(s *schema.Node) iter.Seq[*Node] {
	return func(yield func(*Node) bool) {
		if c := n.collOf(s); c != nil {
			c.each(yield)
		}
	}
}

// Children iterates over every child data node of n in schema order, the
// instances of lists and leaf-lists in list order. For the root they are
// the top-level nodes, ordered as schema.Set.TopNodes.
func (n *Node) Children() iter.Seq[*Node] {
	return func(yield func(*Node) bool) {
		for _, k := range n.kids {
			if k.coll != nil {
				if !k.coll.each(yield) {
					return
				}
				continue
			}
			if !yield(k) {
				return
			}
		}
	}
}

// HasChildren reports whether n has at least one child.
func (n *Node) HasChildren() bool { return len(n.kids) > 0 }

// Keys returns the canonical key values of a list entry in key order, or
// nil for other nodes.
func (n *Node) Keys() []string {
	if n.schema == nil || n.schema.Kind != schema.List {
		return nil
	}
	keys := make([]string, len(n.schema.Keys))
	for i, k := range n.schema.Keys {
		if c := n.Child(k); c != nil {
			keys[i] = c.value
		}
	}
	return keys
}

// key returns the encoded key of a list entry or leaf-list entry.
func (n *Node) key() string {
	if n.schema.Kind == schema.LeafList {
		return encodeOne(n.schema.Type, n.value)
	}
	ks := n.schema.Keys
	if len(ks) == 1 {
		if len(n.kids) > 0 && n.kids[0].schema == ks[0] {
			return encodeOne(ks[0].Type, n.kids[0].value)
		}
		return ""
	}
	return EncodeKey(n.schema, n.Keys())
}

// EncodeKey encodes the canonical key values of an entry of list (or the
// value of a leaf-list entry) s into the single string the tree indexes
// entries by. System-ordered entries are kept sorted by it: integer keys
// numerically, others by their bytes.
func EncodeKey(s *schema.Node, keys []string) string {
	if s.Kind == schema.LeafList {
		if len(keys) != 1 {
			return ""
		}
		return encodeOne(s.Type, keys[0])
	}
	if len(keys) == 1 && len(s.Keys) == 1 {
		return encodeOne(s.Keys[0].Type, keys[0])
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(0)
		}
		if i < len(s.Keys) {
			k = encodeOne(s.Keys[i].Type, k)
		}
		b.WriteString(k)
	}
	return b.String()
}

// encodeOne makes canonical integers sort numerically: a sign digit then
// 20 digits (the magnitude, complemented for negative numbers).
func encodeOne(t *schema.Type, v string) string {
	if t == nil || !t.Kind.IsInteger() {
		return v
	}
	neg := strings.HasPrefix(v, "-")
	mag, err := strconv.ParseUint(strings.TrimPrefix(v, "-"), 10, 64)
	if err != nil {
		return v
	}
	var buf [21]byte
	buf[0] = '1'
	if neg {
		buf[0] = '0'
		mag = ^uint64(0) - mag
	}
	for i := 20; i >= 1; i-- {
		buf[i] = byte('0' + mag%10)
		mag /= 10
	}
	return string(buf[:])
}

// find returns the position of the slot for s in n.kids, or where it
// would be inserted.
func (n *Node) find(s *schema.Node) (int, bool) {
	idx := s.Index()
	kids := n.kids
	if len(kids) <= 8 {
		for i, k := range kids {
			ki := k.schema.Index()
			if ki == idx && k.schema == s {
				return i, true
			}
			if ki > idx {
				return i, false
			}
		}
		return len(kids), false
	}
	i := sort.Search(len(kids), func(i int) bool { return kids[i].schema.Index() >= idx })
	if i < len(kids) && kids[i].schema == s {
		return i, true
	}
	return i, false
}

func (n *Node) collOf(s *schema.Node) *collection {
	i, ok := n.find(s)
	if !ok {
		return nil
	}
	return n.kids[i].coll
}

// Equal reports whether a and b hold the same data. Shared subtrees
// compare in O(1), so comparing two snapshots costs in proportion to what
// changed between them (plus the path to it).
func Equal(a, b *Node) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.schema != b.schema || a.value != b.value || len(a.kids) != len(b.kids) {
		return false
	}
	if (a.coll == nil) != (b.coll == nil) {
		return false
	}
	if a.coll != nil {
		if a.coll.len() != b.coll.len() {
			return false
		}
		if a.coll.byKey == b.coll.byKey && a.coll.order == b.coll.order {
			return true
		}
		// Shared subtrees of the entry trees are skipped; an entry that
		// is a different node may still hold the same data.
		same := func(_ string, x, y *Node) bool { return x != nil && y != nil && Equal(x, y) }
		if a.coll.order == nil {
			return wbtDiff(a.coll.byKey, b.coll.byKey, same)
		}
		if wbtDiff(a.coll.order, b.coll.order, func(_ uint64, x, y *Node) bool { return same("", x, y) }) {
			return true
		}
		for i := 0; i < a.coll.len(); i++ {
			if !Equal(a.coll.at(i), b.coll.at(i)) {
				return false
			}
		}
		return true
	}
	for i := range a.kids {
		if !Equal(a.kids[i], b.kids[i]) {
			return false
		}
	}
	return true
}
