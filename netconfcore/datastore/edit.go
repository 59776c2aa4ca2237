package datastore

import (
	"slices"
	"strings"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// Namespaces of the attributes edit-config content may carry.
const (
	// YANGNamespace holds the insert, key and value attributes (RFC 7950 §7.8.6).
	YANGNamespace = "urn:ietf:params:xml:ns:yang:1"
	xmlNamespace  = "http://www.w3.org/XML/1998/namespace"
)

// Operation is an edit-config operation (RFC 6241 §7.2), used both for the
// operation attribute and for default-operation (Merge, Replace, None).
type Operation uint8

// The edit-config operations. The zero value is Merge, the default.
const (
	Merge Operation = iota
	Replace
	Create
	Delete
	Remove
	None
)

var opNames = [...]string{"merge", "replace", "create", "delete", "remove", "none"}

// String returns the protocol name of op.
func (op Operation) String() string { return nameOf(opNames[:], op) }

// ParseOperation returns the operation named s ("none" included, which is
// only valid as a default-operation).
func ParseOperation(s string) (Operation, bool) { return parseName[Operation](opNames[:], s) }

// parseName returns the value whose protocol name in names is s.
func parseName[T ~uint8](names []string, s string) (T, bool) {
	for i, n := range names {
		if n == s {
			return T(i), true
		}
	}
	return 0, false
}

// nameOf returns names[v], or "unknown".
func nameOf[T ~uint8](names []string, v T) string {
	if int(v) < len(names) {
		return names[v]
	}
	return "unknown"
}

// TestOption is the edit-config test-option.
type TestOption uint8

// The test-option values. The zero value is TestThenSet, the default.
const (
	TestThenSet TestOption = iota
	Set
	TestOnly
)

var testNames = [...]string{"test-then-set", "set", "test-only"}

// String returns the protocol name of o.
func (o TestOption) String() string { return nameOf(testNames[:], o) }

// ParseTestOption returns the test-option named s.
func ParseTestOption(s string) (TestOption, bool) { return parseName[TestOption](testNames[:], s) }

// ErrorOption is the edit-config error-option.
type ErrorOption uint8

// The error-option values. The zero value is StopOnError, the default.
const (
	StopOnError ErrorOption = iota
	ContinueOnError
	RollbackOnError
)

var errorNames = [...]string{"stop-on-error", "continue-on-error", "rollback-on-error"}

// String returns the protocol name of o.
func (o ErrorOption) String() string { return nameOf(errorNames[:], o) }

// ParseErrorOption returns the error-option named s.
func ParseErrorOption(s string) (ErrorOption, bool) { return parseName[ErrorOption](errorNames[:], s) }

// EditOptions are the edit-config parameters besides target and config.
type EditOptions struct {
	DefaultOperation Operation
	TestOption       TestOption
	ErrorOption      ErrorOption
}

// nsScope is a chain of the namespace declarations in scope at an
// element: one link for each element that declares some.
type nsScope struct {
	parent *nsScope
	// el is the element whose xmlns attributes this link adds.
	el *etree.Element
}

func (s *nsScope) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNamespace, true
	}
	for ; s != nil; s = s.parent {
		attrs := s.el.Attr
		for i := len(attrs) - 1; i >= 0; i-- {
			a := &attrs[i]
			if (a.Space == "xmlns" && a.Key == prefix) || (prefix == "" && a.Space == "" && a.Key == "xmlns") {
				return a.Value, true
			}
		}
	}
	// The undeclared default namespace is "no namespace".
	return "", prefix == ""
}

// push returns the scope inside el.
func (s *nsScope) push(el *etree.Element) *nsScope {
	for _, a := range el.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			return &nsScope{parent: s, el: el}
		}
	}
	return s
}

// scopeAt returns the bindings in scope on el, including el's own.
func scopeAt(el *etree.Element) *nsScope {
	var chain []*etree.Element
	for e := el; e != nil; e = e.Parent() {
		chain = append(chain, e)
	}
	var s *nsScope
	for i := len(chain) - 1; i >= 0; i-- {
		s = s.push(chain[i])
	}
	return s
}

// editor applies one <config> to a tree, collecting rpc-errors.
type editor struct {
	set *schema.Set
	opt ErrorOption
	// state allows config false nodes (operational state providers).
	state bool
	errs  rpcerror.List
	stop  bool
	path  []step
	// kids is a stack holding, for each node whose children are being
	// edited, the single-instance children the edit sets in it (see
	// childEdit).
	kids []*tree.Node
	// keys is a stack holding the key values of the list and leaf-list
	// entries being edited.
	keys []string
	// memo holds, by depth and position, the schema nodes the latest
	// children resolved to (see resolveAt), once the edit is seen to
	// repeat itself (repeats).
	memo    [][]resolution
	repeats bool
	// exact makes the editor look every new list entry up among those the
	// edit created before. Without it, entries that the edit only creates
	// or merges are checked for duplicate keys when they are added to
	// their list, and a duplicate or any error (conflict) makes apply
	// start over exact.
	exact    bool
	conflict bool

	batch tree.Batch
	// text holds copies of the values the edit stores; see valueText.
	text valueText
	// values remembers, once the edit repeats itself, the last value of a
	// few leaves whose type is slow to check: many entries of a list often
	// have the same value in some leaf (an interface type).
	values  *[8]valueMemo
	pathBuf [8]step
	kidsBuf [16]*tree.Node
	keysBuf [8]string
}

// resolution is the schema node an element resolved to.
type resolution struct {
	parent     *schema.Node
	scope      *nsScope
	space, tag string
	sc         *schema.Node
}

// memoWidth is how many children of an element resolveAt remembers.
const memoWidth = 16

func (ed *editor) fail(e *rpcerror.Error) {
	if !ed.exact {
		// The error may come from an entry created twice, seen as new the
		// second time: only exact mode can tell.
		ed.clash()
		return
	}
	if e.Path == "" {
		atPath(e, ed.path)
	}
	ed.errs = append(ed.errs, e)
	if ed.opt != ContinueOnError {
		ed.stop = true
	}
}

func (ed *editor) push(s *schema.Node, keys []string) {
	ed.path = append(ed.path, step{s, keys})
}

func (ed *editor) pop() { ed.path = ed.path[:len(ed.path)-1] }

// apply edits root with the content of config.
func (ed *editor) apply(root *tree.Node, config *etree.Element, defOp Operation) *tree.Node {
	fresh := *ed
	out := ed.applyOnce(root, config, defOp)
	if ed.conflict {
		// The edit may name some list entry twice: do it again step by
		// step.
		*ed = fresh
		ed.exact = true
		out = ed.applyOnce(root, config, defOp)
	}
	return out
}

func (ed *editor) applyOnce(root *tree.Node, config *etree.Element, defOp Operation) *tree.Node {
	ed.path, ed.kids, ed.keys = ed.pathBuf[:0], ed.kidsBuf[:0], ed.keysBuf[:0]
	scope := scopeAt(config)
	if defOp == Replace {
		return ed.children(tree.New(ed.set).Root(), nil, config, scope, Merge, nil)
	}
	return ed.children(root, nil, config, scope, defOp, nil)
}

// attrs are the edit attributes found on one element.
type attrs struct {
	op     Operation
	hasOp  bool
	pos    tree.Position
	hasPos bool
	dflt   bool
}

// pendingList gathers the entries one element creates in a list, and
// those it changes in a system-ordered list, so that many of them are
// added in one bulk operation.
type pendingList struct {
	s *schema.Node
	// entries are the new entries, nil once deleted again, and keys their
	// encoded keys.
	entries []*tree.Node
	keys    []string
	// index maps the keys of the live entries to their positions, once a
	// lookup needed it (see editor.exact).
	index map[string]int
	// firstEntry and firstKey hold the first entry, the only one in
	// small edits.
	firstEntry [1]*tree.Node
	firstKey   [1]string
}

// find returns the position of the entry with encoded key enc. It reports
// false for conflict when the entries added without index turn out to
// have duplicate keys.
func (p *pendingList) find(enc string) (pos int, found, ok bool) {
	if p.index == nil {
		// Entries are only deleted once indexed: all of them are live.
		index := make(map[string]int, len(p.keys))
		for i, k := range p.keys {
			if _, dup := index[k]; dup {
				return 0, false, false
			}
			index[k] = i
		}
		p.index = index
	}
	pos, found = p.index[enc]
	return pos, found, true
}

func (p *pendingList) add(enc string, e *tree.Node) {
	if p.index != nil {
		p.index[enc] = len(p.entries)
	}
	p.entries = append(p.entries, e)
	p.keys = append(p.keys, enc)
}

// childEdit is the edit of the children of one node, which is rebuilt
// once at the end: the single-instance children the edit sets wait in
// ed.kids[base:], sorted by schema index, and the entries it creates in
// lists in pending.
type childEdit struct {
	// parent is the schema of the node, nil for the root.
	parent *schema.Node
	// node is the node with the edits of its lists and the deletions
	// applied; nil for a new node that needed none of them yet.
	node    *tree.Node
	base    int
	pending []*pendingList
	// entries counts the list and leaf-list entries applied.
	entries int
	// touched are the nodes set inside a case (see clearOtherCases).
	touched []*schema.Node
	// rest are the child elements after the one being applied; sized
	// records that a pending list got room for them.
	rest  []etree.Token
	sized bool
}

// current returns ce.node, creating the new node when needed.
func (ce *childEdit) current() *tree.Node {
	if ce.node == nil {
		ce.node = tree.NewInner(ce.parent)
	}
	return ce.node
}

// entryOf returns the entry of list or leaf-list s with the given keys in
// ce.node, or nil.
func (ce *childEdit) entryOf(s *schema.Node, keys []string) *tree.Node {
	if ce.node == nil {
		return nil
	}
	return ce.node.Entry(s, keys...)
}

// touch records that the edit set an instance of s.
func (ce *childEdit) touch(s *schema.Node) {
	if s.Parent == nil || s.Parent.IsData() {
		return
	}
	if n := len(ce.touched); n > 0 && ce.touched[n-1] == s {
		return
	}
	ce.touched = append(ce.touched, s)
}

// pendingOf returns the pending entries of list s, or nil.
func (ce *childEdit) pendingOf(s *schema.Node) *pendingList {
	for _, p := range ce.pending {
		if p.s == s {
			return p
		}
	}
	return nil
}

// newPending starts the pending entries of list s.
func (ce *childEdit) newPending(s *schema.Node, exact bool) *pendingList {
	p := &pendingList{s: s}
	if !ce.sized {
		// Room for one entry per element left, once: the common case is a
		// long run of entries of one list.
		ce.sized = true
		n := 1
		for _, tok := range ce.rest {
			if _, ok := tok.(*etree.Element); ok {
				n++
			}
		}
		if n > 1 {
			p.entries = make([]*tree.Node, 0, n)
			p.keys = make([]string, 0, n)
		}
	}
	if p.entries == nil {
		p.entries, p.keys = p.firstEntry[:0], p.firstKey[:0]
	}
	if exact {
		p.index = map[string]int{}
	}
	ce.pending = append(ce.pending, p)
	return p
}

// flush adds the pending entries of list s to ce.node.
func (ed *editor) flush(ce *childEdit, s *schema.Node) {
	for i, p := range ce.pending {
		if p.s != s {
			continue
		}
		ce.pending = append(ce.pending[:i], ce.pending[i+1:]...)
		ed.flushList(ce, p)
		return
	}
}

func (ed *editor) flushList(ce *childEdit, p *pendingList) {
	live := p.entries[:0]
	for _, e := range p.entries {
		if e != nil {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		return
	}
	out, ok := ce.current().WithEntriesAdded(p.s, live)
	if !ok {
		ed.clash()
		return
	}
	ce.node = out
}

// clash stops an edit that turned out to create some list entry twice (see
// exact).
func (ed *editor) clash() {
	ed.conflict, ed.stop = true, true
}

// kid returns the instance of the single-instance child s that the edit
// sees under ce, or nil.
func (ed *editor) kid(ce *childEdit, s *schema.Node) *tree.Node {
	if i, ok := findKid(ed.kids[ce.base:], s); ok {
		return ed.kids[ce.base+i]
	}
	if ce.node == nil {
		return nil
	}
	return ce.node.Child(s)
}

// setKid makes n the instance of its schema node under ce.
func (ed *editor) setKid(ce *childEdit, n *tree.Node) {
	kids := ed.kids[ce.base:]
	i, ok := findKid(kids, n.Schema())
	if ok {
		kids[i] = n
		return
	}
	ed.kids = slices.Insert(ed.kids, ce.base+i, n)
}

// dropKid removes the instance of the single-instance child s under ce.
func (ed *editor) dropKid(ce *childEdit, s *schema.Node) {
	if i, ok := findKid(ed.kids[ce.base:], s); ok {
		ed.kids = slices.Delete(ed.kids, ce.base+i, ce.base+i+1)
	}
	if ce.node != nil {
		ce.node = ce.node.Without(s)
	}
}

// findKid returns the position of the node of schema s in kids, sorted by
// schema index, or where it belongs.
func findKid(kids []*tree.Node, s *schema.Node) (int, bool) {
	idx := s.Index()
	if n := len(kids); n == 0 || kids[n-1].Schema().Index() < idx {
		return n, false
	}
	i, ok := slices.BinarySearchFunc(kids, idx, func(k *tree.Node, idx int) int { return k.Schema().Index() - idx })
	return i, ok && kids[i].Schema() == s
}

// finish rebuilds the node of ce with the children the edit set.
func (ed *editor) finish(ce *childEdit) {
	kids := ed.kids[ce.base:]
	switch {
	case ce.node == nil:
		ce.node = ed.batch.NewInnerWith(ce.parent, kids...)
	case len(kids) > 0:
		ce.node = ce.node.WithAll(kids...)
	}
	clear(kids)
	ed.kids = ed.kids[:ce.base]
	for _, p := range ce.pending {
		ed.flushList(ce, p)
	}
	ce.pending = nil
	for _, s := range ce.touched {
		ce.node = clearOtherCases(ce.node, s)
	}
}

// children applies the child elements of el to node, whose schema is
// parent (nil for the root), with the inherited operation op. A nil node
// is a new one; for a list entry its key values are keys.
func (ed *editor) children(node *tree.Node, parent *schema.Node, el *etree.Element, scope *nsScope, op Operation, keys []string) *tree.Node {
	ce := childEdit{parent: parent, node: node, base: len(ed.kids)}
	if node == nil && parent.Kind == schema.List {
		for i, k := range parent.Keys {
			ed.setKid(&ce, ed.batch.NewLeaf(k, keys[i]))
		}
	}
	depth, pos := len(ed.path), 0
	var prev resolution
	for i, tok := range el.Child {
		if ed.stop {
			break
		}
		ce.rest = el.Child[i+1:]
		c, ok := tok.(*etree.Element)
		if !ok {
			if cd, isText := tok.(*etree.CharData); isText && parent != nil && strings.TrimSpace(cd.Data) != "" {
				ed.fail(rpcerror.BadElementError(rpcerror.TypeApplication, parent.Name,
					"unexpected text in "+parent.Kind.String()+" "+parent.Name))
			}
			continue
		}
		cs := scope.push(c)
		var sc *schema.Node
		if prev.sc != nil && prev.scope == cs && prev.space == c.Space && prev.tag == c.Tag {
			sc = prev.sc
		} else {
			sc = ed.resolveAt(depth, pos, parent, c, cs)
			prev = resolution{parent: parent, scope: cs, space: c.Space, tag: c.Tag, sc: sc}
		}
		pos++
		if sc == nil {
			continue
		}
		if parent != nil && parent.Kind == schema.List && sc.IsKey() {
			ed.keyLeaf(c, sc, cs)
			continue
		}
		a, ok := ed.attrs(c, sc, cs)
		if !ok {
			continue
		}
		eop := op
		if a.hasOp {
			eop = a.op
		}
		switch sc.Kind {
		case schema.List:
			ed.listEntry(&ce, sc, c, cs, eop, a)
		case schema.LeafList:
			ed.leafListEntry(&ce, sc, c, cs, eop, a)
		default:
			ed.single(&ce, sc, c, cs, eop, a)
		}
	}
	ed.finish(&ce)
	return ce.node
}

// resolveAt is resolve for the element at position pos among the
// children of an element at the given depth. The entries of a list mostly
// have the same children in the same order, so once an element has held
// several entries it first tries what the element at the same depth and
// position resolved to last.
func (ed *editor) resolveAt(depth, pos int, parent *schema.Node, c *etree.Element, cs *nsScope) *schema.Node {
	if !ed.repeats || pos >= memoWidth {
		return ed.resolve(parent, c, cs)
	}
	for len(ed.memo) <= depth {
		ed.memo = append(ed.memo, nil)
	}
	m := ed.memo[depth]
	if pos < len(m) {
		if r := &m[pos]; r.parent == parent && r.scope == cs && r.space == c.Space && r.tag == c.Tag {
			return r.sc
		}
	}
	sc := ed.resolve(parent, c, cs)
	if sc != nil {
		if pos >= len(m) {
			m = append(m, make([]resolution, pos+1-len(m))...)
			ed.memo[depth] = m
		}
		m[pos] = resolution{parent: parent, scope: cs, space: c.Space, tag: c.Tag, sc: sc}
	}
	return sc
}

// resolve finds the schema node of element c under parent, reporting
// unknown namespaces and elements.
func (ed *editor) resolve(parent *schema.Node, c *etree.Element, cs *nsScope) *schema.Node {
	ns, ok := cs.lookup(c.Space)
	if !ok {
		ed.fail(rpcerror.UnknownNamespaceError(rpcerror.TypeApplication, c.Tag, c.Space).
			WithInfo(rpcerror.Info{BadElement: c.Tag, BadNamespace: c.Space}))
		return nil
	}
	var sc *schema.Node
	if parent == nil {
		sc = ed.set.Top(ns, c.Tag)
	} else {
		sc = parent.Child(ns, c.Tag)
	}
	switch {
	case sc == nil && ed.set.ModuleByNamespace(ns) == nil:
		ed.fail(rpcerror.UnknownNamespaceError(rpcerror.TypeApplication, c.Tag, ns))
		return nil
	case sc == nil:
		ed.fail(rpcerror.UnknownElementError(rpcerror.TypeApplication, c.Tag))
		return nil
	case !sc.Config && !ed.state:
		ed.push(sc, nil)
		ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.InvalidValue,
			"%s is state data (config false) and cannot be configured", c.Tag).
			WithInfo(rpcerror.Info{BadElement: c.Tag}))
		ed.pop()
		return nil
	}
	return sc
}

// attrs checks the attributes of c and extracts the edit attributes.
func (ed *editor) attrs(c *etree.Element, sc *schema.Node, cs *nsScope) (attrs, bool) {
	var a attrs
	var keyAttr, valueAttr *etree.Attr
	bad := func(attr, msg string) (attrs, bool) {
		ed.push(sc, nil)
		ed.fail(rpcerror.BadAttributeError(rpcerror.TypeApplication, attr, c.Tag, msg))
		ed.pop()
		return a, false
	}
	for i := range c.Attr {
		at := &c.Attr[i]
		if at.Space == "xmlns" || (at.Space == "" && at.Key == "xmlns") {
			continue
		}
		ans := ""
		if at.Space != "" {
			var ok bool
			if ans, ok = cs.lookup(at.Space); !ok {
				return bad(at.FullKey(), "attribute prefix "+at.Space+" is not declared")
			}
		}
		switch {
		case ans == rpcerror.BaseNamespace && at.Key == "operation":
			op, ok := ParseOperation(at.Value)
			if !ok || op == None {
				return bad(at.FullKey(), "invalid operation "+at.Value)
			}
			a.op, a.hasOp = op, true
		case ans == YANGNamespace && at.Key == "insert" && sc.OrderedByUser:
			switch at.Value {
			case "first":
				a.pos.Where = tree.First
			case "last":
				a.pos.Where = tree.Last
			case "before":
				a.pos.Where = tree.Before
			case "after":
				a.pos.Where = tree.After
			default:
				return bad(at.FullKey(), "invalid insert value "+at.Value)
			}
			a.hasPos = true
		case ans == YANGNamespace && at.Key == "key" && sc.OrderedByUser && sc.Kind == schema.List:
			keyAttr = at
		case ans == YANGNamespace && at.Key == "value" && sc.OrderedByUser && sc.Kind == schema.LeafList:
			valueAttr = at
		case ans == tree.DefaultsNamespace && at.Key == "default" && sc.Kind == schema.Leaf:
			switch at.Value {
			case "true", "1":
				a.dflt = true
			case "false", "0":
			default:
				return bad(at.FullKey(), "invalid default attribute value "+at.Value)
			}
		default:
			ed.push(sc, nil)
			ed.fail(rpcerror.UnknownAttributeError(rpcerror.TypeApplication, at.FullKey(), c.Tag))
			ed.pop()
			return a, false
		}
	}
	if a.pos.Where == tree.Before || a.pos.Where == tree.After {
		switch {
		case sc.Kind == schema.List && keyAttr != nil:
			keys, err := ed.parseKeyPredicates(keyAttr.Value, sc, cs)
			if err != "" {
				return bad(keyAttr.FullKey(), err)
			}
			a.pos.Keys = keys
		case sc.Kind == schema.LeafList && valueAttr != nil:
			v, err := sc.Type.Canonical(valueAttr.Value, ed.set, cs.lookup)
			if err != nil {
				return bad(valueAttr.FullKey(), err.Error())
			}
			a.pos.Keys = []string{v}
		default:
			name := "key"
			if sc.Kind == schema.LeafList {
				name = "value"
			}
			ed.push(sc, nil)
			ed.fail(rpcerror.MissingAttributeError(rpcerror.TypeApplication, name, c.Tag))
			ed.pop()
			return a, false
		}
	} else if keyAttr != nil || valueAttr != nil {
		at := keyAttr
		if at == nil {
			at = valueAttr
		}
		return bad(at.FullKey(), at.Key+" attribute without insert before or after")
	}
	return a, true
}

// parseKeyPredicates parses the YANG key attribute, e.g.
// [ex:name='eth0'][ex:unit='1'], into canonical key values in key order.
func (ed *editor) parseKeyPredicates(v string, sc *schema.Node, cs *nsScope) ([]string, string) {
	vals := map[*schema.Node]string{}
	s := strings.TrimSpace(v)
	for s != "" {
		if s[0] != '[' {
			return nil, "key attribute must be a sequence of [name='value'] predicates"
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return nil, "key predicate without '='"
		}
		name := strings.TrimSpace(s[1:eq])
		rest := strings.TrimSpace(s[eq+1:])
		if rest == "" || (rest[0] != '\'' && rest[0] != '"') {
			return nil, "key predicate value must be quoted"
		}
		end := strings.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return nil, "unterminated key predicate value"
		}
		val := rest[1 : 1+end]
		rest = strings.TrimSpace(rest[2+end:])
		if rest == "" || rest[0] != ']' {
			return nil, "key predicate without ']'"
		}
		s = strings.TrimSpace(rest[1:])
		prefix, local, ok := strings.Cut(name, ":")
		if !ok {
			prefix, local = "", name
		}
		ns, ok := cs.lookup(prefix)
		if !ok {
			return nil, "undeclared prefix " + prefix
		}
		var kn *schema.Node
		for _, k := range sc.Keys {
			if k.Name == local && (k.Module.Namespace == ns || prefix == "") {
				kn = k
			}
		}
		if kn == nil {
			return nil, name + " is not a key of " + sc.Name
		}
		cv, err := kn.Type.Canonical(val, ed.set, cs.lookup)
		if err != nil {
			return nil, err.Error()
		}
		vals[kn] = cv
	}
	keys := make([]string, len(sc.Keys))
	for i, k := range sc.Keys {
		v, ok := vals[k]
		if !ok {
			return nil, "key attribute lacks " + k.Name
		}
		keys[i] = v
	}
	return keys, ""
}

// keyLeaf checks a key leaf inside a list entry: it was consumed when the
// entry was found, and may carry no operation but merge, create or
// replace.
func (ed *editor) keyLeaf(c *etree.Element, sc *schema.Node, cs *nsScope) {
	a, ok := ed.attrs(c, sc, cs)
	if ok && a.hasOp && (a.op == Delete || a.op == Remove) {
		ed.push(sc, nil)
		ed.fail(rpcerror.BadAttributeError(rpcerror.TypeApplication, "operation", c.Tag,
			"a list key cannot be deleted on its own"))
		ed.pop()
	}
}

// value returns the canonical value of leaf element c.
func (ed *editor) value(c *etree.Element, sc *schema.Node, cs *nsScope) (string, bool) {
	if hasChildElement(c) {
		ed.fail(rpcerror.BadElementError(rpcerror.TypeApplication, c.Tag, c.Tag+" is a "+sc.Kind.String()+" and cannot have child elements"))
		return "", false
	}
	text := c.Text()
	var m *valueMemo
	if k := sc.Type.Kind; ed.repeats && k != schema.String && !k.IsInteger() {
		if ed.values == nil {
			ed.values = new([8]valueMemo)
		}
		m = &ed.values[sc.Index()%len(ed.values)]
		if m.sc == sc && m.scope == cs && m.text == text {
			return m.value, true
		}
	}
	v := text
	if !sc.Type.IsCanonical(text, ed.set, cs.lookup) {
		var err error
		if v, err = sc.Type.Canonical(text, ed.set, cs.lookup); err != nil {
			ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.InvalidValue, "%s: %v", c.Tag, err).
				WithInfo(rpcerror.Info{BadElement: c.Tag}))
			return "", false
		}
	}
	v = ed.text.copy(v)
	if m != nil {
		*m = valueMemo{sc: sc, scope: cs, text: text, value: v}
	}
	return v, true
}

// valueText copies the values an edit stores out of the parsed message,
// whose text they would otherwise keep in memory for as long as they live
// in a datastore. Copies share blocks that start small and double up to
// maxValueBlock, so a small edit keeps little and a large one allocates
// once per block, not once per value.
type valueText struct {
	block strings.Builder
	size  int
}

const maxValueBlock = 16 << 10

func (t *valueText) copy(v string) string {
	if v == "" {
		return ""
	}
	if t.block.Cap()-t.block.Len() < len(v) {
		t.size = min(max(2*t.size, 64), maxValueBlock)
		t.block = strings.Builder{}
		t.block.Grow(max(t.size, len(v)))
	}
	start := t.block.Len()
	t.block.WriteString(v)
	return t.block.String()[start:]
}

// valueMemo is the canonical value of a leaf's text in a scope.
type valueMemo struct {
	sc          *schema.Node
	scope       *nsScope
	text, value string
}

func hasChildElement(c *etree.Element) bool {
	for _, t := range c.Child {
		if _, ok := t.(*etree.Element); ok {
			return true
		}
	}
	return false
}

// entryKeys extracts the canonical keys of list entry element c onto the
// ed.keys stack.
func (ed *editor) entryKeys(c *etree.Element, sc *schema.Node, cs *nsScope) ([]string, bool) {
	start := len(ed.keys)
	ed.keys = append(ed.keys, make([]string, len(sc.Keys))...)
	keys := ed.keys[start:len(ed.keys):len(ed.keys)]
	for i, k := range sc.Keys {
		var kel *etree.Element
		for _, tok := range c.Child {
			ch, ok := tok.(*etree.Element)
			if !ok || ch.Tag != k.Name {
				continue
			}
			if ns, ok := cs.push(ch).lookup(ch.Space); ok && ns == k.Module.Namespace {
				kel = ch
				break
			}
		}
		if kel == nil {
			ed.push(sc, nil)
			ed.fail(rpcerror.MissingElementError(rpcerror.TypeApplication, k.Name))
			ed.pop()
			return nil, false
		}
		ed.push(sc, keys[:i])
		ed.push(k, nil)
		v, ok := ed.value(kel, k, cs.push(kel))
		ed.pop()
		ed.pop()
		if !ok {
			return nil, false
		}
		keys[i] = v
	}
	return keys, true
}

// listEntry applies list entry element c.
func (ed *editor) listEntry(ce *childEdit, sc *schema.Node, c *etree.Element, cs *nsScope, op Operation, a attrs) {
	mark := len(ed.keys)
	defer ed.popKeys(mark)
	keys, ok := ed.entryKeys(c, sc, cs)
	if !ok {
		return
	}
	ed.push(sc, keys)
	defer ed.pop()
	ed.entry(ce, sc, keys, op, a, func(base *tree.Node, childOp Operation) *tree.Node {
		return ed.children(base, sc, c, cs, childOp, keys)
	})
}

// popKeys drops the keys above mark from the ed.keys stack.
func (ed *editor) popKeys(mark int) {
	clear(ed.keys[mark:])
	ed.keys = ed.keys[:mark]
}

// leafListEntry applies leaf-list entry element c.
func (ed *editor) leafListEntry(ce *childEdit, sc *schema.Node, c *etree.Element, cs *nsScope, op Operation, a attrs) {
	ed.push(sc, nil)
	v, ok := ed.value(c, sc, cs)
	ed.pop()
	if !ok {
		return
	}
	mark := len(ed.keys)
	defer ed.popKeys(mark)
	ed.keys = append(ed.keys, v)
	keys := ed.keys[mark:len(ed.keys):len(ed.keys)]
	ed.push(sc, keys)
	defer ed.pop()
	ed.entry(ce, sc, keys, op, a, func(base *tree.Node, _ Operation) *tree.Node {
		if base != nil {
			return base
		}
		return ed.batch.NewLeaf(sc, v)
	})
}

// entry applies op to the list or leaf-list entry with the given keys;
// build returns the entry after the edit from its base (nil when new).
func (ed *editor) entry(ce *childEdit, sc *schema.Node, keys []string, op Operation, a attrs,
	build func(base *tree.Node, childOp Operation) *tree.Node) {
	enc := tree.EncodeKey(sc, keys)
	ce.entries++
	pl := ce.pendingOf(sc)
	pi, inPending := 0, false
	if pl != nil {
		if ed.exact || pl.index != nil || a.hasPos || op == Delete || op == Remove || op == None {
			var ok bool
			if pi, inPending, ok = pl.find(enc); !ok {
				ed.clash()
				return
			}
		}
		ed.repeats = true
	}
	var existing *tree.Node
	if inPending {
		existing = pl.entries[pi]
	} else {
		existing = ce.entryOf(sc, keys)
	}
	var next *tree.Node
	switch op {
	case Delete, Remove:
		if existing == nil {
			if op == Delete {
				ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing, "%s does not exist", sc.Name))
			}
			return
		}
		if inPending {
			pl.entries[pi] = nil
			delete(pl.index, enc)
		}
		if ce.entryOf(sc, keys) != nil {
			ce.node = ce.node.WithoutEntry(sc, keys...)
		}
		return
	case None:
		if existing == nil {
			ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing,
				"%s does not exist and default-operation is none", sc.Name))
			return
		}
		next = build(existing, None)
	case Create:
		if existing != nil {
			ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataExists, "%s already exists", sc.Name))
			return
		}
		next = build(nil, Merge)
	case Replace:
		next = build(nil, Merge)
	default:
		next = build(existing, Merge)
	}
	if ed.stop {
		return
	}
	ce.touch(sc)
	switch {
	case inPending && !a.hasPos:
		pl.entries[pi] = next
	case !a.hasPos && (existing == nil || (!sc.OrderedByUser && ce.entries > 1)):
		// Changed entries wait too once there are several: adding them
		// all at once costs less.
		if pl == nil {
			pl = ce.newPending(sc, ed.exact)
		}
		pl.add(enc, next)
	default:
		ed.flush(ce, sc)
		out, ok := ce.current().WithEntry(next, a.pos)
		if !ok {
			name := "key"
			if sc.Kind == schema.LeafList {
				name = "value"
			}
			ed.fail(rpcerror.BadAttributeError(rpcerror.TypeApplication, name, sc.Name,
				"the entry to insert relative to does not exist or is the entry itself").WithAppTag("missing-instance"))
			return
		}
		ce.node = out
	}
}

// single applies an element for a container, leaf, anydata or anyxml.
func (ed *editor) single(ce *childEdit, sc *schema.Node, c *etree.Element, cs *nsScope, op Operation, a attrs) {
	ed.push(sc, nil)
	defer ed.pop()
	existing := ed.kid(ce, sc)
	switch op {
	case Delete, Remove:
		if existing == nil {
			if op == Delete {
				ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing, "%s does not exist", sc.Name))
			}
			return
		}
		ed.dropKid(ce, sc)
		return
	case Create:
		if existing != nil {
			ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataExists, "%s already exists", sc.Name))
			return
		}
	}
	var next *tree.Node
	switch sc.Kind {
	case schema.Container:
		switch {
		case op == None && existing == nil:
			ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing,
				"%s does not exist and default-operation is none", sc.Name))
			return
		case op == None:
			next = ed.children(existing, sc, c, cs, None, nil)
		case op == Merge && existing != nil:
			next = ed.children(existing, sc, c, cs, Merge, nil)
		default:
			next = ed.children(nil, sc, c, cs, Merge, nil)
		}
		if ed.stop {
			return
		}
		if !sc.Presence && !next.HasChildren() {
			ed.dropKid(ce, sc)
			return
		}
	case schema.Leaf:
		if op == None {
			return
		}
		v, ok := ed.value(c, sc, cs)
		if !ok {
			return
		}
		if a.dflt {
			if len(sc.Default) != 1 || sc.Default[0] != v {
				ed.fail(rpcerror.BadAttributeError(rpcerror.TypeApplication, "wd:default", c.Tag,
					"the default attribute is set but the value is not the schema default"))
				return
			}
			// A leaf tagged as default returns to its schema default.
			ed.dropKid(ce, sc)
			return
		}
		next = ed.batch.NewLeaf(sc, v)
	default: // anydata, anyxml
		if op == None {
			return
		}
		next = tree.NewAny(sc, anyContent(c, cs))
	}
	ce.touch(sc)
	ed.setKid(ce, next)
}

// anyContent serializes the content of an anydata or anyxml element with
// the namespace declarations it uses, so that it stands on its own.
func anyContent(c *etree.Element, cs *nsScope) string {
	var b strings.Builder
	for _, tok := range c.Child {
		doc := etree.NewDocument()
		switch t := tok.(type) {
		case *etree.Element:
			cp := t.Copy()
			used := map[string]bool{}
			usedPrefixes(cp, used)
			for p := range used {
				key := "xmlns"
				if p != "" {
					key = "xmlns:" + p
				}
				if cp.SelectAttr(key) != nil {
					continue
				}
				if uri, ok := cs.lookup(p); ok && p != "xml" && (uri != "" || p == "") {
					cp.CreateAttr(key, uri)
				}
			}
			doc.SetRoot(cp)
		case *etree.CharData:
			doc.CreateText(t.Data)
		default:
			continue
		}
		s, _ := doc.WriteToString()
		b.WriteString(s)
	}
	return b.String()
}

// usedPrefixes records the namespace prefixes used by el and its
// descendants ("" for the default namespace of unprefixed elements).
func usedPrefixes(el *etree.Element, used map[string]bool) {
	used[el.Space] = true
	for _, a := range el.Attr {
		if a.Space != "" && a.Space != "xmlns" {
			used[a.Space] = true
		}
	}
	for _, c := range el.ChildElements() {
		usedPrefixes(c, used)
	}
}

// clearOtherCases removes from n the data of every case that competes
// with the case holding s (RFC 7950 §7.9.3: creating a node of one case
// deletes the nodes of all other cases).
func clearOtherCases(n *tree.Node, s *schema.Node) *tree.Node {
	for c := s.Parent; c != nil && !c.IsData(); c = c.Parent {
		if c.Kind != schema.Case || c.Parent == nil {
			continue
		}
		for _, other := range c.Parent.Children {
			if other != c {
				n = withoutData(n, other)
			}
		}
	}
	return n
}

func withoutData(n *tree.Node, s *schema.Node) *tree.Node {
	if s.IsData() {
		return n.Without(s)
	}
	for _, c := range s.Children {
		n = withoutData(n, c)
	}
	return n
}
