package datastore

import (
	"context"
	"strings"
	"sync"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// Incremental validation.
//
// When a snapshot is known to be valid, the result of an edit can only
// break constraints that read what the edit changed. validateChange walks
// tree.Diff of the two snapshots and checks:
//
//   - every added or changed node with its whole subtree, as Validate
//     would;
//   - the parent of every added or removed node: mandatory nodes and
//     choices, min-elements and max-elements;
//   - the unique statements of the lists whose entries were added or
//     whose unique leaves changed, against the other entries;
//   - the must and when expressions and the leafrefs elsewhere that can
//     read a changed node, found with a dependency index built once per
//     store from the schema (depIndex).
//
// It stops at the first violation and then validates in full, so that the
// errors, their order and their paths are exactly those of Validate. Any
// doubt (an expression it cannot analyse reads everything, a cursor it
// cannot position) also ends in full validation.

// validateEdit validates next, the result of an edit of datastore name
// whose content was cur, incrementally when cur is known to be valid. When
// publish is set (next becomes the content of name) and next is valid, it
// is remembered as the valid content of name. The caller holds s.mu.
func (s *Store) validateEdit(ctx context.Context, name Name, cur, next *tree.Tree, publish bool) error {
	var err error
	if s.valid[name] == cur || s.lastValid.Load() == cur {
		err = s.validateChange(ctx, cur, next)
	} else {
		err = s.Validate(ctx, next)
	}
	if err == nil && publish && ctx.Err() == nil {
		if s.valid == nil {
			s.valid = map[Name]*tree.Tree{}
		}
		s.valid[name] = next
	}
	return err
}

// validateChange returns what s.validateFull(ctx, next) returns, provided that
// old is valid, looking only at what differs between old and next and at
// the constraints that can read it.
func (s *Store) validateChange(ctx context.Context, old, next *tree.Tree) error {
	if old.Schema() != next.Schema() || next.Schema() != s.set {
		return s.validateFull(ctx, next)
	}
	v := newValidator(ctx, next, s.opts.Exprs)
	v.maxErrs = 1
	v.deps = s.depIndex()
	if v.changes(old) {
		if ctx.Err() == nil {
			s.lastValid.Store(next)
		}
		return nil
	}
	return s.validateFull(ctx, next)
}

// depIndex returns the dependency index of the store's schema, building it
// on first use.
func (s *Store) depIndex() *depIndex {
	s.depsOnce.Do(func() { s.deps = newDepIndex(s.set) })
	return s.deps
}

// changes checks what differs between old and the validator's tree and
// reports whether the tree is certainly valid.
func (v *validator) changes(old *tree.Tree) bool {
	root := v.t.Root()
	shaped := map[*tree.Node]bool{}
	rechecks := map[recheckKey]*recheckOf{}
	var order []recheckKey
	uniques := map[uniqueKeyOf]*uniqueGroup{}
	var base []vstep
	for ch := range tree.Diff(old, v.t) {
		if v.full() {
			break
		}
		base = base[:0]
		for _, n := range ch.Path {
			base = append(base, vstep{n.Schema(), n})
		}
		x := ch.Order
		if x == nil && ch.New != nil {
			x = ch.New.Schema()
		} else if x == nil {
			x = ch.Old.Schema()
		}
		parent, ps := root, (*schema.Node)(nil)
		if len(ch.Path) > 0 {
			parent = ch.Path[len(ch.Path)-1]
			ps = parent.Schema()
		}
		if ch.New != nil && x.Config {
			v.path = append(append(v.path[:0], base...), vstep{x, ch.New})
			v.node(nil, ch.New, x)
		}
		if ch.Order == nil && (ch.Old == nil || ch.New == nil) && !shaped[parent] {
			shaped[parent] = true
			v.path = append(v.path[:0], base...)
			v.shape(parent, ps)
		}
		if ch.New != nil {
			noteUnique(uniques, base, x, ch.New)
		}
		for _, d := range v.deps.affected(x) {
			// A leafref only breaks when a target instance goes away or
			// changes: additions and moves cannot hurt it.
			if d.ref && (ch.Old == nil || !isAncestorOrSelf(x, d.owner.Type.Target)) || !d.ref && v.exprs == nil {
				continue
			}
			at := root
			if d.anchor > 0 {
				// Only a change below an instance of the anchor can affect
				// the constraint's instances in it; instances in added
				// subtrees were checked with them and removed ones are gone.
				if d.anchor > len(ch.Path) || ch.Path[d.anchor-1].Schema() != d.anchorNode {
					continue
				}
				at = ch.Path[d.anchor-1]
			}
			k := recheckKey{d, at}
			rc := rechecks[k]
			if rc == nil {
				rc = &recheckOf{path: append([]vstep(nil), base[:d.anchor]...)}
				if d.ref {
					rc.lost = map[string]bool{}
				}
				rechecks[k] = rc
				order = append(order, k)
			}
			if d.ref {
				collectTargets(ch.Old, chainBelow(x, d.owner.Type.Target), rc.lost)
			}
		}
	}
	for _, k := range order {
		if v.full() {
			break
		}
		rc := rechecks[k]
		v.path = append(v.path[:0], rc.path...)
		var cur *tree.Cursor
		if !k.d.ref {
			if cur = v.cursor(); cur == nil {
				break
			}
		}
		v.lost = rc.lost
		v.recheck(cur, k.at, k.d.chain, k.d)
		v.lost = nil
	}
	if len(uniques) > 0 && !v.full() {
		c := v.deps.takeUniques(old)
		for _, g := range uniques {
			if v.full() {
				break
			}
			v.uniqueAgainst(g, c)
		}
		v.deps.putUniques(c)
	}
	v.path = v.path[:0]
	return len(v.errs) == 0 && !v.uncertain && v.ctx.Err() == nil
}

// recheckKey names the instances of a constraint to check again: those
// under the instance at of its anchor.
type recheckKey struct {
	d  *dep
	at *tree.Node
}

// recheckOf is what a recheck needs: the path to the anchor instance and,
// for a leafref, the target values that went away.
type recheckOf struct {
	path []vstep
	lost map[string]bool
}

// shape checks what depends on the set of children of n (schema sc, nil
// for the root): mandatory nodes and choices, min-elements and
// max-elements.
func (v *validator) shape(n *tree.Node, sc *schema.Node) {
	if sc != nil && !sc.Config {
		return
	}
	p := v.plan(sc)
	if p.choices {
		v.choices(n, sc.Children)
	}
	for _, k := range p.kids {
		c := k.s
		switch c.Kind {
		case schema.List, schema.LeafList:
			v.counts(n, c, n.Len(c))
		default:
			if k.absent && n.Child(c) == nil {
				v.missing(n, c)
			}
		}
	}
}

// recheck evaluates the constraint d on every instance of d.owner under n,
// reached along chain. cur, when not nil, is on n and is moved along.
func (v *validator) recheck(cur *tree.Cursor, n *tree.Node, chain []*schema.Node, d *dep) {
	if v.full() {
		return
	}
	if len(chain) == 0 {
		if d.ref {
			if v.lost[n.Value()] {
				v.leafref(d.owner, n.Value())
			}
		} else {
			v.exprChecks(cur, d.owner)
		}
		return
	}
	c := chain[0]
	visit := func(e *tree.Node) {
		v.path = append(v.path, vstep{c, e})
		v.recheck(cur, e, chain[1:], d)
		v.path = v.path[:len(v.path)-1]
	}
	switch {
	case c.Kind != schema.List && c.Kind != schema.LeafList:
		child := n.Child(c)
		if child == nil || cur != nil && !moveTo(cur, func(e *tree.Node) bool { return e == child }) {
			return
		}
		visit(child)
		if cur != nil {
			cur.ToParent()
		}
	case cur == nil:
		for e := range n.Entries(c) {
			visit(e)
		}
	default:
		count := n.Len(c)
		if count == 0 || !moveTo(cur, func(e *tree.Node) bool { return e.Schema() == c }) {
			return
		}
		for i := 0; i < count && !v.full(); i++ {
			visit(cur.Node())
			if !cur.ToNextSibling() {
				break
			}
		}
		cur.ToParent()
	}
}

// cursor returns a cursor on the node at the end of the validator's path,
// or nil (and the validation becomes uncertain) when it cannot get there.
// It costs O(depth · log n), wherever the node is among its siblings.
func (v *validator) cursor() *tree.Cursor {
	nodes := make([]*tree.Node, len(v.path))
	for i, st := range v.path {
		if st.n == nil {
			v.uncertain = true
			return nil
		}
		nodes[i] = st.n
	}
	cur, ok := v.t.CursorAt(nodes)
	if !ok {
		v.uncertain = true
		return nil
	}
	return cur
}

// refHas reports whether value is the value of an instance reached from n
// along steps, as collectTargets would collect it. A list with a single
// key that is the target, and a leaf-list target, are looked up by key.
func refHas(n *tree.Node, steps []*schema.Node, value string) bool {
	if len(steps) == 0 {
		return n.Value() == value
	}
	s := steps[0]
	switch {
	case s.Kind == schema.LeafList && len(steps) == 1:
		e := n.Entry(s, value)
		return e != nil && e.Value() == value
	case s.Kind == schema.List && len(steps) == 2 && len(s.Keys) == 1 && steps[1] == s.Keys[0]:
		e := n.Entry(s, value)
		if e == nil {
			return false
		}
		k := e.Child(steps[1])
		return k != nil && k.Value() == value
	case s.Kind == schema.List || s.Kind == schema.LeafList:
		for e := range n.Entries(s) {
			if refHas(e, steps[1:], value) {
				return true
			}
		}
		return false
	}
	c := n.Child(s)
	return c != nil && refHas(c, steps[1:], value)
}

// uniqueGroup holds the added or changed entries of one list instance
// that need checking against the unique statements of the list.
type uniqueGroup struct {
	path    []vstep // to the parent of the list
	parent  *tree.Node
	list    *schema.Node
	entries []*tree.Node
}

type uniqueKeyOf struct {
	parent *tree.Node
	list   *schema.Node
}

// noteUnique records the entries whose unique values the change of node
// (schema x, under the ancestors in base) may have made equal to another
// entry's.
func noteUnique(groups map[uniqueKeyOf]*uniqueGroup, base []vstep, x *schema.Node, node *tree.Node) {
	add := func(path []vstep, parent *tree.Node, list *schema.Node, e *tree.Node) {
		k := uniqueKeyOf{parent, list}
		g := groups[k]
		if g == nil {
			g = &uniqueGroup{path: append([]vstep(nil), path...), parent: parent, list: list}
			groups[k] = g
		}
		g.entries = append(g.entries, e)
	}
	parentOf := func(i int) *tree.Node {
		if i == 0 {
			return nil
		}
		return base[i-1].n
	}
	if x.Kind == schema.List && len(x.Unique) > 0 && x.Config {
		add(base, parentOf(len(base)), x, node)
	}
	for i, st := range base {
		if st.s.Kind == schema.List && len(st.s.Unique) > 0 && st.s.Config && readsUnique(st.s, x) {
			add(base[:i], parentOf(i), st.s, st.n)
		}
	}
}

// readsUnique reports whether x, a descendant of list l, is one of the
// unique leaves of l or an ancestor of one.
func readsUnique(l, x *schema.Node) bool {
	for _, leaves := range l.Unique {
		for _, u := range leaves {
			if isAncestorOrSelf(x, u) {
				return true
			}
		}
	}
	return false
}

// uniqueAgainst checks the entries of g against the other entries of the
// list with the index c keeps of the values in the old snapshot: since
// the old snapshot was valid, only a pair with an entry of g can share
// values, and the other entry of such a pair either is in g or had the
// same values in the old snapshot. Each entry of g costs O(log n).
func (v *validator) uniqueAgainst(g *uniqueGroup, c *uniqueCache) {
	parent := g.parent
	if parent == nil {
		parent = v.t.Root()
	}
	nodes := make([]*tree.Node, len(g.path))
	for i, st := range g.path {
		nodes[i] = st.n
	}
	inst := instKey(nodes)
	var b strings.Builder
	for u := range g.list.Unique {
		chains := c.chains(g.list, u)
		var index map[string]*tree.Node
		seen := make(map[string]*tree.Node, len(g.entries))
		for _, e := range g.entries {
			t, ok := uniqueKey(&b, e, chains)
			if !ok {
				continue
			}
			if o, dup := seen[t]; dup {
				if o != e {
					// Two changed entries share the values: let full
					// validation report it.
					v.uncertain = true
					return
				}
				continue
			}
			seen[t] = e
			if index == nil {
				if index, ok = c.index(uniqueIdxKey{g.list, u, inst}, nodes); !ok {
					v.uncertain = true
					return
				}
			}
			o := index[t]
			if o == nil || sameKeys(g.list, o, e) {
				continue
			}
			// o had these values in the old snapshot; it collides unless
			// it is gone or changed since.
			if now := parent.Entry(g.list, o.Keys()...); now != nil {
				if t2, ok := uniqueKey(&b, now, chains); ok && t2 == t {
					v.uncertain = true
					return
				}
			}
		}
	}
}

// sameKeys reports whether a and b, entries of list l, have the same keys.
func sameKeys(l *schema.Node, a, b *tree.Node) bool {
	for _, k := range l.Keys {
		ka, kb := a.Child(k), b.Child(k)
		if ka == nil || kb == nil || ka.Value() != kb.Value() {
			return false
		}
	}
	return true
}

// instKey names a list instance by the keys of the list entries among
// nodes, the ancestors of the instance from the top: with the list's
// schema node, which fixes the schema path, it identifies the instance in
// every snapshot.
func instKey(nodes []*tree.Node) string {
	var b strings.Builder
	for _, n := range nodes {
		if s := n.Schema(); s.Kind == schema.List {
			b.WriteString(tree.EncodeKey(s, n.Keys()))
			b.WriteByte(0)
		}
	}
	return b.String()
}

// counterpart returns the node of t at the place of the last of nodes
// (nodes of another snapshot of the same schema, from the top down), or
// nil when t has none. It costs O(depth · log n).
func counterpart(t *tree.Tree, nodes []*tree.Node) *tree.Node {
	at := t.Root()
	for _, n := range nodes {
		switch s := n.Schema(); s.Kind {
		case schema.List:
			at = at.Entry(s, n.Keys()...)
		case schema.LeafList:
			at = at.Entry(s, n.Value())
		default:
			at = at.Child(s)
		}
		if at == nil {
			return nil
		}
	}
	return at
}

// maxUniqueSync bounds the changes a unique cache follows from one
// snapshot to another; past it the cache starts afresh.
const maxUniqueSync = 4096

// uniqueCache indexes the values of unique statements in one valid
// snapshot, snap, so that an incremental validation finds the entry that
// had some values in O(1) instead of scanning the list. An index is built
// on first need (O(n) for a list of n entries) and then follows the
// snapshots validations start from, updated from their differences.
//
// An index maps the values of a unique statement (as uniqueKey joins
// them) of every entry of one list instance that has them all to that
// entry. It may also hold values no entry has any more; a hit is checked
// against the tree. The cost is one map slot per entry: the string header
// of the values (sharing the leaf's value for a single-leaf unique) and a
// pointer, about 30 bytes, plus the joined values for several leaves.
type uniqueCache struct {
	snap    *tree.Tree
	indexes map[uniqueIdxKey]map[string]*tree.Node
	chainOf map[uniqueStmt][][]*schema.Node
}

// uniqueStmt is the u-th unique statement of a list.
type uniqueStmt struct {
	list *schema.Node
	u    int
}

// uniqueIdxKey names the index of unique statement u of one instance of
// list (inst as instKey makes it).
type uniqueIdxKey struct {
	list *schema.Node
	u    int
	inst string
}

// takeUniques returns the store's unique cache, brought to snapshot
// snap, for the caller's exclusive use until putUniques. A concurrent
// validation gets a new one.
func (x *depIndex) takeUniques(snap *tree.Tree) *uniqueCache {
	x.uniqMu.Lock()
	c := x.uniq
	x.uniq = nil
	x.uniqMu.Unlock()
	if c == nil {
		c = &uniqueCache{chainOf: map[uniqueStmt][][]*schema.Node{}}
	}
	c.moveTo(snap)
	return c
}

// putUniques gives the cache back to the store.
func (x *depIndex) putUniques(c *uniqueCache) {
	x.uniqMu.Lock()
	x.uniq = c
	x.uniqMu.Unlock()
}

// chains returns the data nodes from below list down to each leaf of its
// u-th unique statement.
func (c *uniqueCache) chains(list *schema.Node, u int) [][]*schema.Node {
	k := uniqueStmt{list, u}
	if ch, ok := c.chainOf[k]; ok {
		return ch
	}
	leaves := list.Unique[u]
	ch := make([][]*schema.Node, len(leaves))
	for i, l := range leaves {
		ch[i] = chainBelow(list, l)
	}
	c.chainOf[k] = ch
	return ch
}

// index returns the index k of c's snapshot, building it when needed;
// nodes are the ancestors of the list instance in any snapshot. It
// reports false when the snapshot breaks the unique statement.
func (c *uniqueCache) index(k uniqueIdxKey, nodes []*tree.Node) (map[string]*tree.Node, bool) {
	if m, ok := c.indexes[k]; ok {
		return m, true
	}
	m := map[string]*tree.Node{}
	parent := counterpart(c.snap, nodes)
	if parent != nil {
		chains := c.chains(k.list, k.u)
		var b strings.Builder
		for e := range parent.Entries(k.list) {
			t, ok := uniqueKey(&b, e, chains)
			if !ok {
				continue
			}
			if m[t] != nil {
				return nil, false
			}
			m[t] = e
		}
	}
	if c.indexes == nil {
		c.indexes = map[uniqueIdxKey]map[string]*tree.Node{}
	}
	c.indexes[k] = m
	return m, true
}

// moveTo brings the indexes from c.snap to snap, both valid, following
// their differences, or drops them when there are too many.
func (c *uniqueCache) moveTo(snap *tree.Tree) {
	from := c.snap
	c.snap = snap
	if from == snap || len(c.indexes) == 0 {
		return
	}
	if from == nil || from.Schema() != snap.Schema() {
		c.indexes = nil
		return
	}
	n := 0
	for ch := range tree.Diff(from, snap) {
		if n++; n > maxUniqueSync {
			c.indexes = nil
			return
		}
		c.follow(from, ch)
		if len(c.indexes) == 0 {
			return
		}
	}
}

// follow updates the indexes for one change from snapshot from to c.snap.
func (c *uniqueCache) follow(from *tree.Tree, ch tree.Change) {
	if ch.Order != nil {
		// Moves change no values.
		return
	}
	node := ch.New
	if node == nil {
		node = ch.Old
	}
	x := node.Schema()
	// An added or removed subtree holding instances of an indexed list:
	// drop the indexes of that list.
	for k := range c.indexes {
		if k.list != x && isAncestorOrSelf(x, k.list) {
			delete(c.indexes, k)
		}
	}
	for i, n := range ch.Path {
		l := n.Schema()
		if l.Kind != schema.List || !c.hasList(l) || !readsUnique(l, x) {
			continue
		}
		path := ch.Path[:i+1]
		c.touch(l, instKey(path[:i]), counterpart(from, path), n)
	}
	if x.Kind == schema.List && c.hasList(x) {
		c.touch(x, instKey(ch.Path), ch.Old, ch.New)
	}
}

// hasList reports whether c has an index of list l.
func (c *uniqueCache) hasList(l *schema.Node) bool {
	for k := range c.indexes {
		if k.list == l {
			return true
		}
	}
	return false
}

// touch updates the indexes of the instance inst of list l for an entry
// that was was (nil when added) and is now (nil when removed).
func (c *uniqueCache) touch(l *schema.Node, inst string, was, now *tree.Node) {
	var b strings.Builder
	for u := range l.Unique {
		m := c.indexes[uniqueIdxKey{l, u, inst}]
		if m == nil {
			continue
		}
		chains := c.chains(l, u)
		if was != nil {
			if t, ok := uniqueKey(&b, was, chains); ok {
				if o := m[t]; o != nil && sameKeys(l, o, was) {
					delete(m, t)
				}
			}
		}
		if now != nil {
			if t, ok := uniqueKey(&b, now, chains); ok {
				m[t] = now
			}
		}
	}
}

// dep is a constraint checked on the instances of a node that can read
// other parts of the tree: the must and when expressions of owner, or the
// leafref of owner.
type dep struct {
	owner *schema.Node
	ref   bool
	// all is set when the constraint may read anything.
	all   bool
	reads []xpath.Read
	// anchor is the level (0 for the root, 1 for top-level nodes) of the
	// ancestor of owner, anchorNode, whose instance holds everything an
	// instance of the constraint reads; chain holds the data nodes from
	// below anchorNode down to owner.
	anchor     int
	anchorNode *schema.Node
	chain      []*schema.Node
}

// depIndex is what incremental validation keeps per store: the
// constraints of the schema that read other nodes, which changes affect
// them, and the unique cache.
type depIndex struct {
	deps  []*dep
	below map[*schema.Node]bool // config nodes with must or when at or below

	mu      sync.Mutex
	affects map[*schema.Node][]*dep

	// uniq is the store's unique cache while no validation uses it.
	uniqMu sync.Mutex
	uniq   *uniqueCache
}

func newDepIndex(set *schema.Set) *depIndex {
	x := &depIndex{below: map[*schema.Node]bool{}, affects: map[*schema.Node][]*dep{}}
	for _, n := range set.TopNodes() {
		if n.Config {
			x.add(set, n)
		}
	}
	return x
}

// add indexes the constraints of config node n and its config descendants
// and reports whether any has a must or when expression.
func (x *depIndex) add(set *schema.Set, n *schema.Node) bool {
	exprs := n.When != nil || len(n.Must) > 0
	if exprs {
		x.deps = append(x.deps, exprDep(set, n))
	}
	if t := n.Type; t != nil && (n.Kind == schema.Leaf || n.Kind == schema.LeafList) &&
		t.Kind == schema.LeafRef && t.RequireInstance && t.Target != nil {
		x.deps = append(x.deps, refDep(n))
	}
	below := exprs
	for _, c := range n.DataChildren() {
		if c.Config && x.add(set, c) {
			below = true
		}
	}
	x.below[n] = below
	return below
}

// exprsBelow reports whether c or a config descendant has a must or when
// expression.
func (x *depIndex) exprsBelow(c *schema.Node) bool { return x == nil || x.below[c] }

// affected returns the constraints a change of an instance of x (an
// addition, removal or new value, or a new order of its entries) can
// affect.
func (x *depIndex) affected(s *schema.Node) []*dep {
	x.mu.Lock()
	defer x.mu.Unlock()
	if ds, ok := x.affects[s]; ok {
		return ds
	}
	roots := touched(s)
	var ds []*dep
	for _, d := range x.deps {
		if d.readsChangeOf(roots, s) {
			ds = append(ds, d)
		}
	}
	x.affects[s] = ds
	return ds
}

// readsChangeOf reports whether d can read what a change of an instance
// of s changes; roots are the nodes whose instances that change can add or
// remove (touched).
func (d *dep) readsChangeOf(roots []*schema.Node, s *schema.Node) bool {
	if d.all {
		return true
	}
	for _, r := range d.reads {
		if r.Deep && r.Node != s && isAncestorOrSelf(r.Node, s) {
			return true
		}
		for _, z := range roots {
			if isAncestorOrSelf(z, r.Node) {
				return true
			}
		}
	}
	return false
}

// touched returns the nodes whose instances (and their descendants) in the
// accessible tree a change of an instance of s can add or remove: s, and
// when s is in a case, every node of the outermost choice s is in under
// its data parent, whose defaults depend on the active case.
func touched(s *schema.Node) []*schema.Node {
	var choice *schema.Node
	for p := s.Parent; p != nil && !p.IsData(); p = p.Parent {
		if p.Kind == schema.Choice {
			choice = p
		}
	}
	if choice == nil {
		return []*schema.Node{s}
	}
	var out []*schema.Node
	var walk func(*schema.Node)
	walk = func(n *schema.Node) {
		for _, c := range n.Children {
			if c.IsData() {
				out = append(out, c)
			} else {
				walk(c)
			}
		}
	}
	walk(choice)
	return out
}

// isAncestorOrSelf reports whether a is b or a data ancestor of it.
func isAncestorOrSelf(a, b *schema.Node) bool {
	for ; b != nil; b = b.DataParent() {
		if a == b {
			return true
		}
	}
	return false
}

// anchored sets the anchor of d to level a and the chain below it.
func (d *dep) anchored(a int) *dep {
	if a < 0 {
		a = 0
	}
	d.anchor = a
	d.chain = nil
	n := d.owner
	for ; n != nil && xpath.Level(n) > a; n = n.DataParent() {
		d.chain = append([]*schema.Node{n}, d.chain...)
	}
	d.anchorNode = n
	return d
}

// refDep returns the leafref constraint of leaf n.
func refDep(n *schema.Node) *dep {
	d := &dep{owner: n, ref: true}
	t := n.Type
	for s := t.Target; s != nil; s = s.DataParent() {
		d.reads = append(d.reads, xpath.Read{Node: s, Deep: s == t.Target})
	}
	rp := newRefPath(t)
	a := 0
	if !rp.absolute {
		a = xpath.Level(n) - rp.up
	}
	return d.anchored(a)
}

// exprDep returns the constraint of the must and when expressions of n.
func exprDep(set *schema.Set, n *schema.Node) *dep {
	d := &dep{owner: n}
	low := xpath.Level(n)
	seen := map[xpath.Read]bool{}
	exprs := n.Must
	if n.When != nil {
		exprs = append([]*schema.Expr{n.When}, exprs...)
	}
	for _, x := range exprs {
		reads, lowest, ok := xpath.Reads(set, n, x)
		if !ok {
			d.all = true
			return d.anchored(0)
		}
		for _, r := range reads {
			if !seen[r] {
				seen[r] = true
				d.reads = append(d.reads, r)
			}
		}
		low = min(low, lowest)
	}
	return d.anchored(low)
}
