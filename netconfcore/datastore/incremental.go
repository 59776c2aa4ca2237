package datastore

import (
	"context"
	"sync"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
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
	for _, g := range uniques {
		if v.full() {
			break
		}
		v.path = append(v.path[:0], g.path...)
		v.uniqueAgainst(g)
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
func (v *validator) cursor() *tree.Cursor {
	cur := v.t.Cursor()
	parent := v.t.Root()
	for _, st := range v.path {
		if st.n == nil || !seek(v.t, cur, parent, st.n) {
			v.uncertain = true
			return nil
		}
		parent = st.n
	}
	return cur
}

// seek moves cur from parent onto its child target, from whichever end of
// the children is nearer. It costs O(k log n) for the k children it
// passes.
func seek(t *tree.Tree, cur *tree.Cursor, parent, target *tree.Node) bool {
	s := target.Schema()
	kids := t.Schema().TopNodes()
	if ps := parent.Schema(); ps != nil {
		kids = ps.DataChildren()
	}
	k, total := -1, 0
	for _, c := range kids {
		switch c.Kind {
		case schema.List, schema.LeafList:
			if c == s {
				var idx int
				if c.Kind == schema.List {
					idx = parent.EntryIndex(c, target.Keys()...)
				} else {
					idx = parent.EntryIndex(c, target.Value())
				}
				if idx < 0 {
					return false
				}
				k = total + idx
			}
			total += parent.Len(c)
		default:
			if parent.Child(c) != nil {
				if c == s {
					k = total
				}
				total++
			}
		}
	}
	if k < 0 {
		return false
	}
	if k <= total-1-k {
		if !cur.ToFirstChild() {
			return false
		}
		for range k {
			cur.ToNextSibling()
		}
	} else {
		if !cur.ToLastChild() {
			return false
		}
		for range total - 1 - k {
			cur.ToPrevSibling()
		}
	}
	if cur.Node() != target {
		cur.ToParent()
		return false
	}
	return true
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
// list, one pass over the list per unique statement.
func (v *validator) uniqueAgainst(g *uniqueGroup) {
	parent := g.parent
	if parent == nil {
		parent = v.t.Root()
	}
	var b []byte
	for _, leaves := range g.list.Unique {
		chains := make([][]*schema.Node, len(leaves))
		for i, l := range leaves {
			chains[i] = chainBelow(g.list, l)
		}
		want := map[string]int{}
		for _, e := range g.entries {
			if k, ok := uniqueBytes(b[:0], e, chains); ok {
				want[string(k)] = 0
			}
		}
		if len(want) == 0 {
			continue
		}
		for e := range parent.Entries(g.list) {
			k, ok := uniqueBytes(b[:0], e, chains)
			b = k
			if !ok {
				continue
			}
			if c, hit := want[string(k)]; hit {
				if c > 0 {
					// Two entries share the values: let full validation
					// report it.
					v.uncertain = true
					return
				}
				want[string(k)] = 1
			}
		}
	}
}

// uniqueBytes appends the values of the unique leaves of e (reached along
// chains) to b, separated by NUL bytes, or reports false when one is
// absent. It matches uniqueKey.
func uniqueBytes(b []byte, e *tree.Node, chains [][]*schema.Node) ([]byte, bool) {
	for i, chain := range chains {
		val, ok := valueAt(e, chain)
		if !ok {
			return b, false
		}
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, val...)
	}
	return b, true
}

// A read is a schema node a constraint can read: the existence, number
// and order of its instances and, when deep, their string-values (whole
// subtrees).
type read struct {
	n    *schema.Node
	deep bool
}

// dep is a constraint checked on the instances of a node that can read
// other parts of the tree: the must and when expressions of owner, or the
// leafref of owner.
type dep struct {
	owner *schema.Node
	ref   bool
	// all is set when the constraint may read anything.
	all   bool
	reads []read
	// anchor is the level (0 for the root, 1 for top-level nodes) of the
	// ancestor of owner, anchorNode, whose instance holds everything an
	// instance of the constraint reads; chain holds the data nodes from
	// below anchorNode down to owner.
	anchor     int
	anchorNode *schema.Node
	chain      []*schema.Node
}

// depIndex is what incremental validation knows about a schema: the
// constraints that read other nodes and which changes affect them.
type depIndex struct {
	deps  []*dep
	below map[*schema.Node]bool // config nodes with must or when at or below

	mu      sync.Mutex
	affects map[*schema.Node][]*dep
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
		if r.deep && r.n != s && isAncestorOrSelf(r.n, s) {
			return true
		}
		for _, z := range roots {
			if isAncestorOrSelf(z, r.n) {
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

// level returns 0 for nil (the root), 1 for a top-level node, and so on.
func level(n *schema.Node) int {
	l := 0
	for ; n != nil; n = n.DataParent() {
		l++
	}
	return l
}

// anchored sets the anchor of d to level a and the chain below it.
func (d *dep) anchored(a int) *dep {
	if a < 0 {
		a = 0
	}
	d.anchor = a
	d.chain = nil
	n := d.owner
	for ; n != nil && level(n) > a; n = n.DataParent() {
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
		d.reads = append(d.reads, read{s, s == t.Target})
	}
	rp := newRefPath(t)
	a := 0
	if !rp.absolute {
		a = level(n) - rp.up
	}
	return d.anchored(a)
}

// exprDep returns the constraint of the must and when expressions of n.
func exprDep(set *schema.Set, n *schema.Node) *dep {
	d := &dep{owner: n}
	low := level(n)
	seen := map[read]bool{}
	exprs := n.Must
	if n.When != nil {
		exprs = append([]*schema.Expr{n.When}, exprs...)
	}
	for _, x := range exprs {
		reads, lowest, ok := analyseXPath(set, n, x)
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

// xtok is one XPath 1.0 token (XPath 1.0 §3.7) as the read analysis sees
// it.
type xtok struct {
	kind          xkind
	text          string
	prefix, local string // for names
}

type xkind uint8

const (
	xEOF      xkind = iota
	xName           // a name test: QName, prefix:* or *
	xFunc           // a function name (followed by "(")
	xNodeType       // node, text, comment, processing-instruction (followed by "(")
	xAxis           // an axis name (followed by "::")
	xLiteral
	xNumber
	xVar
	xSlash    // "/" or "//"
	xOperator // the binary operators, "|" included
	xSymbol   // ( ) [ ] . .. @ , ::
)

// lexXPath splits s into tokens; false on a lexical error.
func lexXPath(s string) ([]xtok, bool) {
	var toks []xtok
	operand := func() bool {
		if len(toks) == 0 {
			return false
		}
		switch p := toks[len(toks)-1]; p.kind {
		case xOperator, xSlash:
			return false
		case xSymbol:
			switch p.text {
			case "@", "::", "(", "[", ",":
				return false
			}
		}
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(s) && s[j] != c {
				j++
			}
			if j == len(s) {
				return nil, false
			}
			toks = append(toks, xtok{kind: xLiteral, text: s[i : j+1]})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			toks = append(toks, xtok{kind: xNumber, text: s[i:j]})
			i = j
		case c == '.':
			n := 1
			if i+1 < len(s) && s[i+1] == '.' {
				n = 2
			}
			toks = append(toks, xtok{kind: xSymbol, text: s[i : i+n]})
			i += n
		case c == ':' && i+1 < len(s) && s[i+1] == ':':
			toks = append(toks, xtok{kind: xSymbol, text: "::"})
			i += 2
		case c == '(' || c == ')' || c == '[' || c == ']' || c == '@' || c == ',':
			toks = append(toks, xtok{kind: xSymbol, text: s[i : i+1]})
			i++
		case c == '/':
			n := 1
			if i+1 < len(s) && s[i+1] == '/' {
				n = 2
			}
			toks = append(toks, xtok{kind: xSlash, text: s[i : i+n]})
			i += n
		case c == '|' || c == '+' || c == '-' || c == '=':
			toks = append(toks, xtok{kind: xOperator, text: s[i : i+1]})
			i++
		case c == '!' || c == '<' || c == '>':
			n := 1
			if i+1 < len(s) && s[i+1] == '=' {
				n = 2
			} else if c == '!' {
				return nil, false
			}
			toks = append(toks, xtok{kind: xOperator, text: s[i : i+n]})
			i += n
		case c == '*':
			if operand() {
				toks = append(toks, xtok{kind: xOperator, text: "*"})
			} else {
				toks = append(toks, xtok{kind: xName, text: "*", local: "*"})
			}
			i++
		case c == '$':
			_, _, end, ok := qname(s, i+1)
			if !ok {
				return nil, false
			}
			toks = append(toks, xtok{kind: xVar, text: s[i:end]})
			i = end
		default:
			prefix, local, end, ok := qname(s, i)
			if !ok {
				return nil, false
			}
			t := xtok{kind: xName, text: s[i:end], prefix: prefix, local: local}
			next := end
			for next < len(s) && (s[next] == ' ' || s[next] == '\t' || s[next] == '\n' || s[next] == '\r') {
				next++
			}
			rest := s[next:]
			switch {
			case prefix == "" && operand() && (local == "and" || local == "or" || local == "div" || local == "mod"):
				t.kind = xOperator
			case local == "*":
			case prefix == "" && len(rest) > 1 && rest[0] == ':' && rest[1] == ':':
				t.kind = xAxis
			case len(rest) > 0 && rest[0] == '(':
				t.kind = xFunc
				switch local {
				case "node", "text", "comment", "processing-instruction":
					if prefix == "" {
						t.kind = xNodeType
					}
				}
			}
			toks = append(toks, t)
			i = end
		}
	}
	return toks, true
}

// qname scans NCName, NCName:NCName or NCName:* at i.
func qname(s string, i int) (prefix, local string, end int, ok bool) {
	j := ncname(s, i)
	if j == i {
		return "", "", i, false
	}
	if j+1 < len(s) && s[j] == ':' && s[j+1] != ':' {
		if s[j+1] == '*' {
			return s[i:j], "*", j + 2, true
		}
		if k := ncname(s, j+1); k > j+1 {
			return s[i:j], s[j+1 : k], k, true
		}
	}
	return "", s[i:j], j, true
}

// ncname returns the end of the NCName starting at i (i when there is
// none). Any non-ASCII rune is taken as a name character: a name the
// evaluator rejects only makes the analysis more cautious.
func ncname(s string, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
		if !letter && (j == i || !(c == '-' || c == '.' || c >= '0' && c <= '9')) {
			break
		}
		j++
	}
	return j
}

// readsAnything aborts an analysis whose expression may read anything.
type readsAnything struct{}

// xpathReads finds what an XPath expression can read: each location path
// is followed over the schema from the context node, the nodes its steps
// select are read shallowly and those a path ends on deeply (their
// string-values). It tracks the lowest level any step reaches, so that
// relative expressions are known to stay within one ancestor's subtree.
type xpathReads struct {
	set   *schema.Set
	owner *schema.Node
	x     *schema.Expr
	ns    map[string]string
	toks  []xtok
	pos   int
	reads []read
	low   int
}

// analyseXPath returns the schema nodes expression x of owner can read and
// the lowest level it reaches (0: the root), or false when it may read
// anything: descendant, ancestor and sibling axes, "//", variables,
// filter expressions, deref() and whatever it cannot parse.
func analyseXPath(set *schema.Set, owner *schema.Node, x *schema.Expr) (reads []read, low int, ok bool) {
	toks, ok := lexXPath(x.XPath)
	if !ok || len(toks) == 0 || x.Module == nil {
		return nil, 0, false
	}
	a := &xpathReads{set: set, owner: owner, x: x, ns: x.Namespaces(), toks: toks, low: level(owner)}
	defer func() {
		if r := recover(); r != nil {
			if _, all := r.(readsAnything); !all {
				panic(r)
			}
			reads, low, ok = nil, 0, false
		}
	}()
	a.expr([]*schema.Node{owner})
	if a.peek().kind != xEOF {
		a.anything()
	}
	return a.reads, a.low, true
}

func (a *xpathReads) anything() { panic(readsAnything{}) }

func (a *xpathReads) peek() xtok {
	if a.pos < len(a.toks) {
		return a.toks[a.pos]
	}
	return xtok{}
}

func (a *xpathReads) next() xtok {
	t := a.peek()
	if t.kind == xEOF {
		a.anything()
	}
	a.pos++
	return t
}

func (a *xpathReads) is(kind xkind, text string) bool {
	t := a.peek()
	return t.kind == kind && t.text == text
}

func (a *xpathReads) expect(text string) {
	if !a.is(xSymbol, text) {
		a.anything()
	}
	a.pos++
}

// expr analyses an expression with context nodes ctx (nil stands for the
// root), up to a closing bracket, a comma or the end.
func (a *xpathReads) expr(ctx []*schema.Node) {
	for {
		for a.is(xOperator, "-") {
			a.pos++
		}
		a.path(ctx)
		if a.peek().kind != xOperator {
			return
		}
		a.pos++
	}
}

// path analyses a path expression or a primary expression.
func (a *xpathReads) path(ctx []*schema.Node) {
	t := a.peek()
	switch {
	case t.kind == xSlash:
		a.pos++
		if t.text == "//" || !a.stepStart() {
			a.anything()
		}
		a.low = 0
		a.steps([]*schema.Node{nil})
	case t.kind == xLiteral || t.kind == xNumber:
		a.pos++
	case t.kind == xFunc:
		a.call(ctx)
	case a.is(xSymbol, "("):
		a.pos++
		a.expr(ctx)
		a.expect(")")
		a.noFilter()
	case a.stepStart():
		a.steps(ctx)
	default:
		a.anything()
	}
}

// noFilter gives up on predicates and paths applied to a primary
// expression.
func (a *xpathReads) noFilter() {
	if t := a.peek(); t.kind == xSlash || t.kind == xSymbol && t.text == "[" {
		a.anything()
	}
}

func (a *xpathReads) stepStart() bool {
	t := a.peek()
	switch t.kind {
	case xName, xAxis, xNodeType:
		return true
	case xSymbol:
		return t.text == "." || t.text == ".." || t.text == "@"
	}
	return false
}

// noReads are the functions that read nothing without arguments.
var noReads = map[string]bool{"true": true, "false": true, "position": true, "last": true}

// call analyses a function call.
func (a *xpathReads) call(ctx []*schema.Node) {
	f := a.next()
	a.expect("(")
	if f.prefix != "" {
		a.anything()
	}
	switch f.local {
	case "current":
		a.expect(")")
		cur := []*schema.Node{a.owner}
		switch {
		case a.is(xSlash, "/"):
			a.pos++
			a.steps(cur)
		case a.is(xSymbol, "[") || a.is(xSlash, "//"):
			a.anything()
		default:
			a.deep(cur)
		}
		return
	case "deref", "id":
		a.anything()
	}
	if a.is(xSymbol, ")") {
		a.pos++
		if !noReads[f.local] {
			a.deep(ctx)
		}
	} else {
		for {
			a.expr(ctx)
			if !a.is(xSymbol, ",") {
				break
			}
			a.pos++
		}
		a.expect(")")
	}
	a.noFilter()
}

// steps analyses a relative location path from ctx.
func (a *xpathReads) steps(ctx []*schema.Node) {
	for {
		ctx = a.step(ctx)
		if !a.is(xSlash, "/") {
			break
		}
		a.pos++
	}
	if a.is(xSlash, "//") {
		a.anything()
	}
	a.deep(ctx)
}

// step analyses one location step from ctx and returns the nodes it can
// select.
func (a *xpathReads) step(ctx []*schema.Node) []*schema.Node {
	var out []*schema.Node
	t := a.next()
	axis := "child"
	var test xtok
	switch {
	case t.kind == xSymbol && t.text == ".":
		axis, test = "self", xtok{kind: xNodeType, local: "node"}
	case t.kind == xSymbol && t.text == "..":
		axis, test = "parent", xtok{kind: xNodeType, local: "node"}
	case t.kind == xSymbol && t.text == "@":
		axis, test = "attribute", a.next()
	case t.kind == xAxis:
		axis = t.local
		a.expect("::")
		test = a.next()
	default:
		test = t
	}
	switch {
	case test.kind == xNodeType && test.text != "":
		a.expect("(")
		if a.peek().kind == xLiteral {
			a.pos++
		}
		a.expect(")")
	case test.kind == xName && test.prefix != "":
		if _, ok := a.ns[test.prefix]; !ok {
			a.anything()
		}
	}
	switch axis {
	case "child":
		for _, n := range ctx {
			kids := a.set.TopNodes()
			if n != nil {
				kids = n.DataChildren()
			}
			for _, c := range kids {
				if a.matches(test, c) {
					out = append(out, c)
				}
			}
		}
	case "self":
		for _, n := range ctx {
			if n == nil || a.matches(test, n) {
				out = append(out, n)
			}
		}
	case "parent":
		for _, n := range ctx {
			if n == nil {
				continue
			}
			if p := n.DataParent(); p == nil || a.matches(test, p) {
				out = append(out, p)
			}
		}
	case "attribute":
		a.deep(ctx)
		out = ctx
	default:
		a.anything()
	}
	if test.kind == xNodeType && test.local != "node" {
		a.deep(ctx)
		out = nil
	}
	for _, n := range out {
		a.low = min(a.low, level(n))
		if n != nil {
			a.reads = append(a.reads, read{n, false})
		}
	}
	for a.is(xSymbol, "[") {
		a.pos++
		a.expr(out)
		a.expect("]")
	}
	return out
}

// matches reports whether node test t selects schema node n.
func (a *xpathReads) matches(t xtok, n *schema.Node) bool {
	switch t.kind {
	case xNodeType:
		return t.local == "node"
	case xName:
	default:
		a.anything()
	}
	if t.prefix == "" && t.local == "*" {
		return true
	}
	ns := a.x.Module.Namespace
	if t.prefix != "" {
		var ok bool
		if ns, ok = a.ns[t.prefix]; !ok {
			a.anything()
		}
	}
	return n.Module.Namespace == ns && (t.local == "*" || t.local == n.Name)
}

// deep records that the string-values of ns are read.
func (a *xpathReads) deep(ns []*schema.Node) {
	for _, n := range ns {
		if n == nil {
			a.anything()
		}
		a.reads = append(a.reads, read{n, true})
	}
}
