package datastore

import (
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

// nsScope is a chain of namespace bindings in scope at an element.
type nsScope struct {
	parent      *nsScope
	prefix, uri string
}

func (s *nsScope) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNamespace, true
	}
	for ; s != nil; s = s.parent {
		if s.prefix == prefix {
			return s.uri, true
		}
	}
	// The undeclared default namespace is "no namespace".
	return "", prefix == ""
}

// push returns the scope inside el.
func (s *nsScope) push(el *etree.Element) *nsScope {
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			s = &nsScope{parent: s, prefix: a.Key, uri: a.Value}
		case a.Space == "" && a.Key == "xmlns":
			s = &nsScope{parent: s, prefix: "", uri: a.Value}
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
}

func (ed *editor) fail(e *rpcerror.Error) {
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
	scope := scopeAt(config)
	if defOp == Replace {
		return ed.children(tree.New(ed.set).Root(), nil, config, scope, Merge)
	}
	return ed.children(root, nil, config, scope, defOp)
}

// attrs are the edit attributes found on one element.
type attrs struct {
	op     Operation
	hasOp  bool
	pos    tree.Position
	hasPos bool
	dflt   bool
}

// pendingList gathers entries newly created in a list by one element, so
// that many of them are added in one bulk operation.
type pendingList struct {
	s       *schema.Node
	entries []*tree.Node
	index   map[string]int
}

type childEdit struct {
	node    *tree.Node
	pending []*pendingList
	touched []*schema.Node
}

func (ce *childEdit) pendingFor(s *schema.Node) *pendingList {
	for _, p := range ce.pending {
		if p.s == s {
			return p
		}
	}
	p := &pendingList{s: s, index: map[string]int{}}
	ce.pending = append(ce.pending, p)
	return p
}

func (ce *childEdit) flush(s *schema.Node) {
	for i, p := range ce.pending {
		if p.s != s {
			continue
		}
		ce.pending = append(ce.pending[:i], ce.pending[i+1:]...)
		ce.flushList(p)
		return
	}
}

func (ce *childEdit) flushList(p *pendingList) {
	live := p.entries[:0]
	for _, e := range p.entries {
		if e != nil {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		return
	}
	if ce.node.Len(p.s) == 0 {
		ce.node = ce.node.WithEntries(p.s, live)
		return
	}
	for _, e := range live {
		ce.node, _ = ce.node.WithEntry(e, tree.Position{})
	}
}

// children applies the child elements of el to node, whose schema is
// parent (nil for the root), with the inherited operation op.
func (ed *editor) children(node *tree.Node, parent *schema.Node, el *etree.Element, scope *nsScope, op Operation) *tree.Node {
	ce := &childEdit{node: node}
	for _, tok := range el.Child {
		if ed.stop {
			break
		}
		c, ok := tok.(*etree.Element)
		if !ok {
			if cd, isText := tok.(*etree.CharData); isText && parent != nil && strings.TrimSpace(cd.Data) != "" {
				ed.fail(rpcerror.BadElementError(rpcerror.TypeApplication, parent.Name,
					"unexpected text in "+parent.Kind.String()+" "+parent.Name))
			}
			continue
		}
		cs := scope.push(c)
		sc := ed.resolve(parent, c, cs)
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
			ed.listEntry(ce, sc, c, cs, eop, a)
		case schema.LeafList:
			ed.leafListEntry(ce, sc, c, cs, eop, a)
		default:
			ed.single(ce, sc, c, cs, eop, a)
		}
	}
	for _, p := range ce.pending {
		ce.flushList(p)
	}
	ce.pending = nil
	for _, s := range ce.touched {
		ce.node = clearOtherCases(ce.node, s)
	}
	return ce.node
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
	v, err := sc.Type.Canonical(c.Text(), ed.set, cs.lookup)
	if err != nil {
		ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.InvalidValue, "%s: %v", c.Tag, err).
			WithInfo(rpcerror.Info{BadElement: c.Tag}))
		return "", false
	}
	return v, true
}

func hasChildElement(c *etree.Element) bool {
	for _, t := range c.Child {
		if _, ok := t.(*etree.Element); ok {
			return true
		}
	}
	return false
}

// entryKeys extracts the canonical keys of list entry element c.
func (ed *editor) entryKeys(c *etree.Element, sc *schema.Node, cs *nsScope) ([]string, bool) {
	keys := make([]string, len(sc.Keys))
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

func newEntry(sc *schema.Node, keys []string) *tree.Node {
	e := tree.NewInner(sc)
	for i, k := range sc.Keys {
		e = e.With(tree.NewLeaf(k, keys[i]))
	}
	return e
}

// listEntry applies list entry element c.
func (ed *editor) listEntry(ce *childEdit, sc *schema.Node, c *etree.Element, cs *nsScope, op Operation, a attrs) {
	keys, ok := ed.entryKeys(c, sc, cs)
	if !ok {
		return
	}
	ed.push(sc, keys)
	defer ed.pop()
	ed.entry(ce, sc, keys, op, a, func(base *tree.Node, childOp Operation) *tree.Node {
		if base == nil {
			base = newEntry(sc, keys)
		}
		return ed.children(base, sc, c, cs, childOp)
	})
}

// leafListEntry applies leaf-list entry element c.
func (ed *editor) leafListEntry(ce *childEdit, sc *schema.Node, c *etree.Element, cs *nsScope, op Operation, a attrs) {
	ed.push(sc, nil)
	v, ok := ed.value(c, sc, cs)
	ed.pop()
	if !ok {
		return
	}
	ed.push(sc, []string{v})
	defer ed.pop()
	ed.entry(ce, sc, []string{v}, op, a, func(base *tree.Node, _ Operation) *tree.Node {
		if base != nil {
			return base
		}
		return tree.NewLeaf(sc, v)
	})
}

// entry applies op to the list or leaf-list entry with the given keys;
// build returns the entry after the edit from its base (nil when new).
func (ed *editor) entry(ce *childEdit, sc *schema.Node, keys []string, op Operation, a attrs,
	build func(base *tree.Node, childOp Operation) *tree.Node) {
	enc := tree.EncodeKey(sc, keys)
	pl := ce.pendingFor(sc)
	pi, inPending := pl.index[enc]
	var existing *tree.Node
	if inPending {
		existing = pl.entries[pi]
	} else {
		existing = ce.node.Entry(sc, keys...)
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
			return
		}
		ce.node = ce.node.WithoutEntry(sc, keys...)
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
	ce.touched = append(ce.touched, sc)
	switch {
	case inPending && !a.hasPos:
		pl.entries[pi] = next
	case existing == nil && !a.hasPos:
		pl.index[enc] = len(pl.entries)
		pl.entries = append(pl.entries, next)
	default:
		ce.flush(sc)
		out, ok := ce.node.WithEntry(next, a.pos)
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
	existing := ce.node.Child(sc)
	switch op {
	case Delete, Remove:
		if existing == nil {
			if op == Delete {
				ed.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing, "%s does not exist", sc.Name))
			}
			return
		}
		ce.node = ce.node.Without(sc)
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
			next = ed.children(existing, sc, c, cs, None)
		case op == Merge && existing != nil:
			next = ed.children(existing, sc, c, cs, Merge)
		default:
			next = ed.children(tree.NewInner(sc), sc, c, cs, Merge)
		}
		if ed.stop {
			return
		}
		if !sc.Presence && !next.HasChildren() {
			ce.node = ce.node.Without(sc)
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
			ce.node = ce.node.Without(sc)
			return
		}
		next = tree.NewLeaf(sc, v)
	default: // anydata, anyxml
		if op == None {
			return
		}
		next = tree.NewAny(sc, anyContent(c, cs))
	}
	ce.touched = append(ce.touched, sc)
	ce.node = ce.node.With(next)
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
