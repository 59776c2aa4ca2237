package schema

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/openconfig/goyang/pkg/yang"
)

// Kind is the kind of a schema node.
type Kind uint8

// The schema node kinds.
const (
	Container Kind = iota
	List
	Leaf
	LeafList
	Choice
	Case
	Anydata
	Anyxml
)

var kindNames = [...]string{"container", "list", "leaf", "leaf-list", "choice", "case", "anydata", "anyxml"}

// String returns the YANG keyword of k.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Expr is a YANG XPath expression (must, when, leafref path) with the
// module whose import prefixes bind the prefixes it uses.
type Expr struct {
	XPath  string
	Module *Module
	// ErrorMessage and ErrorAppTag are the must statement's substatements.
	ErrorMessage string
	ErrorAppTag  string
}

// Namespaces returns the prefix to namespace bindings valid in e.
func (e *Expr) Namespaces() map[string]string {
	ns := make(map[string]string, len(e.Module.Imports))
	for p, m := range e.Module.Imports {
		ns[p] = m.Namespace
	}
	return ns
}

// Node is one node of the schema tree.
type Node struct {
	Name string
	// Module is the module whose namespace the node's XML element is in
	// (for augmented nodes, the augmenting module).
	Module *Module
	Kind   Kind
	// Parent is the schema parent, choice and case nodes included; nil for
	// top-level nodes.
	Parent *Node
	// Children are the schema children in schema order (list keys first,
	// then definition order), choice and case nodes included.
	Children []*Node
	// Config is false for state data (config false, declared or inherited).
	Config bool
	// Presence is true for presence containers.
	Presence bool
	// OrderedByUser is true for lists and leaf-lists ordered-by user.
	OrderedByUser bool
	// Keys are the key leaves of a list, in key statement order.
	Keys []*Node
	// Default holds the canonical default of a leaf, or the defaults of a
	// leaf-list; empty when there is none.
	Default []string
	// DefaultCase is the default case of a choice, or nil.
	DefaultCase *Node
	// Mandatory is true for mandatory leaves, choices and anydata.
	Mandatory bool
	// MinElements and MaxElements bound lists and leaf-lists; MaxElements 0
	// means unbounded.
	MinElements, MaxElements uint64
	// Unique holds the unique statements of a list, each as the descendant
	// leaves it names.
	Unique [][]*Node
	// Must are the node's must expressions; When its when expression or nil.
	Must []*Expr
	When *Expr
	// Type is the type of a leaf or leaf-list, nil otherwise.
	Type *Type

	// index is the position of the node among the data children of its
	// data parent (choice and case looked through).
	index int
	// data are the data children, choice and case looked through, in order.
	data  []*Node
	byKey map[qname]*Node
}

// IsKey reports whether n is a key leaf of its list.
func (n *Node) IsKey() bool {
	p := n.Parent
	if n.Kind != Leaf || p == nil || p.Kind != List {
		return false
	}
	for _, k := range p.Keys {
		if k == n {
			return true
		}
	}
	return false
}

// HasDefault reports whether n has a schema default value.
func (n *Node) HasDefault() bool { return len(n.Default) > 0 }

// IsData reports whether n is instantiated in data trees (not a choice or
// case).
func (n *Node) IsData() bool { return n.Kind != Choice && n.Kind != Case }

// DataParent returns the closest ancestor that is instantiated in data
// trees, or nil for top-level nodes.
func (n *Node) DataParent() *Node {
	p := n.Parent
	for p != nil && !p.IsData() {
		p = p.Parent
	}
	return p
}

// Child returns the data child with namespace ns and local name name,
// looking through choices and cases, or nil.
func (n *Node) Child(ns, name string) *Node { return n.byKey[qname{ns, name}] }

// ChildByName returns the data child with the given local name in the
// namespace of n's module or, failing that, in any namespace, or nil.
func (n *Node) ChildByName(name string) *Node {
	if c := n.byKey[qname{n.Module.Namespace, name}]; c != nil {
		return c
	}
	for _, c := range n.data {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// DataChildren returns the data children (choice and case looked through)
// in schema order. The slice must not be modified.
func (n *Node) DataChildren() []*Node { return n.data }

// Index is the position of n in DataChildren of its data parent, or in the
// module's top-level nodes. Data trees keep children sorted by it.
func (n *Node) Index() int { return n.index }

// Case returns the case n belongs to directly under choice, looking
// through nested choices, or nil when n is not under a choice.
func (n *Node) Case() *Node {
	for p := n.Parent; p != nil && !p.IsData(); p = p.Parent {
		if p.Kind == Case {
			return p
		}
	}
	return nil
}

// Path returns the schema path of n as /prefix:name/... with module
// prefixes, choice and case omitted.
func (n *Node) Path() string {
	var parts []string
	for c := n; c != nil; c = c.DataParent() {
		if c.IsData() {
			parts = append(parts, c.Module.Prefix+":"+c.Name)
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

// String returns the schema path.
func (n *Node) String() string { return n.Path() }

type builder struct {
	set      *Set
	ms       *yang.Modules
	errs     []error
	leafrefs []leafref
	defaults []pendingDefault
}

type pendingDefault struct {
	e *yang.Entry
	n *Node
}

func (b *builder) applyDefaults() {
	for _, d := range b.defaults {
		b.defaultsOf(d.e, d.n)
	}
}

type leafref struct {
	t    *Type
	leaf *Node
}

func (b *builder) collectLeafrefs(t *Type, n *Node) {
	switch t.Kind {
	case LeafRef:
		b.leafrefs = append(b.leafrefs, leafref{t, n})
	case Union:
		for _, m := range t.Union {
			b.collectLeafrefs(m, n)
		}
	}
}

// resolveLeafrefs sets the Target of every leafref type once the whole
// schema tree exists. Predicates are ignored: they select instances, not
// schema nodes.
func (b *builder) resolveLeafrefs() {
	for _, lr := range b.leafrefs {
		target, err := b.set.resolveSchemaPath(lr.t.Path, lr.leaf)
		if err != nil {
			b.errs = append(b.errs, fmt.Errorf("%s: leafref path %q: %w", lr.leaf.Path(), lr.t.Path.XPath, err))
			continue
		}
		lr.t.Target = target
	}
}

// resolveSchemaPath follows a leafref-style path from the leaf ctx.
func (s *Set) resolveSchemaPath(e *Expr, ctx *Node) (*Node, error) {
	var steps []string
	var cur strings.Builder
	depth := 0
	for _, r := range e.XPath {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth > 0:
		case r == '/':
			steps = append(steps, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	steps = append(steps, cur.String())
	var n *Node
	abs := strings.HasPrefix(strings.TrimSpace(e.XPath), "/")
	if !abs {
		n = ctx
	}
	for i, step := range steps {
		step = strings.TrimSpace(step)
		switch {
		case step == "" && i == 0 && abs:
			continue
		case step == "..":
			if n == nil {
				return nil, errors.New("path goes above the root")
			}
			n = n.DataParent()
			continue
		case step == "." || step == "current()":
			continue
		}
		prefix, name, ok := strings.Cut(step, ":")
		if !ok {
			prefix, name = "", step
		}
		m := e.Module
		if prefix != "" {
			if m = e.Module.Imports[prefix]; m == nil {
				return nil, fmt.Errorf("unknown prefix %q", prefix)
			}
		}
		var next *Node
		if n == nil {
			next = s.Top(m.Namespace, name)
		} else {
			next = n.Child(m.Namespace, name)
			if next == nil && prefix == "" {
				next = n.ChildByName(name)
			}
		}
		if next == nil {
			return nil, fmt.Errorf("no schema node %q", step)
		}
		n = next
	}
	if n == nil || (n.Kind != Leaf && n.Kind != LeafList) {
		return nil, errors.New("does not point to a leaf or leaf-list")
	}
	return n, nil
}

func (b *builder) errorf(e *yang.Entry, format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf("%s: %s", e.Path(), fmt.Sprintf(format, args...)))
}

// node converts e and its subtree; nil for entries that are not data nodes
// (rpc, notification).
func (b *builder) node(e *yang.Entry, parent *Node, mod *Module) *Node {
	if e.RPC != nil {
		return nil
	}
	n := &Node{Name: e.Name, Parent: parent}
	if ns := e.Namespace(); ns != nil && ns.Name != "" {
		if m := b.set.byNS[ns.Name]; m != nil {
			mod = m
		}
	}
	n.Module = mod
	switch e.Kind {
	case yang.LeafEntry:
		n.Kind = Leaf
		if e.ListAttr != nil {
			n.Kind = LeafList
		}
	case yang.DirectoryEntry:
		n.Kind = Container
		if e.ListAttr != nil {
			n.Kind = List
		}
	case yang.ChoiceEntry:
		n.Kind = Choice
	case yang.CaseEntry:
		n.Kind = Case
	case yang.AnyDataEntry:
		n.Kind = Anydata
	case yang.AnyXMLEntry:
		n.Kind = Anyxml
	default:
		return nil
	}
	n.Config = true
	switch {
	case e.Config == yang.TSFalse:
		n.Config = false
	case e.Config == yang.TSUnset && parent != nil:
		n.Config = parent.Config
	}
	n.Mandatory = e.Mandatory == yang.TSTrue
	if c, ok := e.Node.(*yang.Container); ok && c.Presence != nil {
		n.Presence = true
	}
	if e.ListAttr != nil {
		n.OrderedByUser = e.ListAttr.OrderedByUser
		n.MinElements = e.ListAttr.MinElements
		if e.ListAttr.MaxElements != ^uint64(0) {
			n.MaxElements = e.ListAttr.MaxElements
		}
	}
	n.Must = b.musts(e)
	if w, ok := e.GetWhenXPath(); ok {
		n.When = &Expr{XPath: w, Module: b.exprModule(e.Node, mod)}
	}
	if n.Kind == Leaf || n.Kind == LeafList {
		t, err := b.typ(e.Type, e.Node, mod)
		if err != nil {
			b.errorf(e, "%v", err)
			return nil
		}
		n.Type = t
		b.collectLeafrefs(t, n)
		b.defaults = append(b.defaults, pendingDefault{e, n})
	}
	for _, ce := range sortedChildren(e) {
		if n.Kind == Choice && ce.Kind != yang.CaseEntry {
			// Shorthand case: an implicit case named after its node.
			cs := &Node{Name: ce.Name, Module: mod, Kind: Case, Parent: n, Config: n.Config}
			if c := b.node(ce, cs, mod); c != nil {
				cs.Children = []*Node{c}
				n.Children = append(n.Children, cs)
			}
			continue
		}
		if c := b.node(ce, n, mod); c != nil {
			n.Children = append(n.Children, c)
		}
	}
	if n.Kind == List {
		for _, k := range strings.Fields(e.Key) {
			kn := findChild(n.Children, k)
			if kn == nil || kn.Kind != Leaf {
				b.errorf(e, "key %q is not a leaf of the list", k)
				continue
			}
			n.Keys = append(n.Keys, kn)
		}
	}
	if n.Kind == Choice {
		if ch, ok := e.Node.(*yang.Choice); ok && ch.Default != nil {
			n.DefaultCase = findChild(n.Children, ch.Default.Name)
		}
	}
	if n.IsData() {
		n.byKey = map[qname]*Node{}
		collectData(n, n.Children)
		for i, c := range n.data {
			c.index = i
		}
	}
	if n.Kind == List {
		n.Unique = b.uniques(e, n)
	}
	return n
}

func collectData(owner *Node, kids []*Node) {
	for _, c := range kids {
		if c.IsData() {
			owner.data = append(owner.data, c)
			owner.byKey[qname{c.Module.Namespace, c.Name}] = c
			continue
		}
		collectData(owner, c.Children)
	}
}

func findChild(kids []*Node, name string) *Node {
	for _, c := range kids {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// sortedChildren returns the children of e in schema order: list keys
// first, then by definition position (file, line, column).
func sortedChildren(e *yang.Entry) []*yang.Entry {
	kids := make([]*yang.Entry, 0, len(e.Dir))
	for _, c := range e.Dir {
		kids = append(kids, c)
	}
	keyPos := map[string]int{}
	for i, k := range strings.Fields(e.Key) {
		keyPos[k] = i + 1
	}
	type pos struct {
		file      string
		line, col int
	}
	where := func(c *yang.Entry) pos {
		if c.Node == nil || c.Node.Statement() == nil {
			return pos{}
		}
		loc := c.Node.Statement().Location()
		parts := strings.Split(loc, ":")
		if len(parts) < 3 {
			return pos{file: loc}
		}
		l, _ := strconv.Atoi(parts[len(parts)-2])
		col, _ := strconv.Atoi(parts[len(parts)-1])
		return pos{strings.Join(parts[:len(parts)-2], ":"), l, col}
	}
	sort.SliceStable(kids, func(i, j int) bool {
		ki, kj := keyPos[kids[i].Name], keyPos[kids[j].Name]
		if ki != kj {
			if ki == 0 || kj == 0 {
				return kj == 0
			}
			return ki < kj
		}
		pi, pj := where(kids[i]), where(kids[j])
		if pi != pj {
			if pi.file != pj.file {
				return pi.file < pj.file
			}
			if pi.line != pj.line {
				return pi.line < pj.line
			}
			return pi.col < pj.col
		}
		return kids[i].Name < kids[j].Name
	})
	return kids
}

// exprModule returns the module whose prefixes are in scope where the
// statement n was written, falling back to mod.
func (b *builder) exprModule(n yang.Node, mod *Module) *Module {
	if n == nil {
		return mod
	}
	root := yang.RootNode(n)
	if root == nil {
		return mod
	}
	name := root.Name
	if root.BelongsTo != nil {
		name = root.BelongsTo.Name
	}
	if m := b.set.byName[name]; m != nil {
		return m
	}
	return mod
}

func (b *builder) musts(e *yang.Entry) []*Expr {
	if e.Node == nil {
		return nil
	}
	v := reflect.ValueOf(e.Node)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Must")
	if !f.IsValid() {
		return nil
	}
	ms, _ := f.Interface().([]*yang.Must)
	var out []*Expr
	for _, m := range ms {
		x := &Expr{XPath: m.Name, Module: b.exprModule(m, nil)}
		if x.Module == nil {
			x.Module = b.exprModule(e.Node, nil)
		}
		if m.ErrorMessage != nil {
			x.ErrorMessage = m.ErrorMessage.Name
		}
		if m.ErrorAppTag != nil {
			x.ErrorAppTag = m.ErrorAppTag.Name
		}
		out = append(out, x)
	}
	return out
}

func (b *builder) uniques(e *yang.Entry, n *Node) [][]*Node {
	l, ok := e.Node.(*yang.List)
	if !ok {
		return nil
	}
	var out [][]*Node
	for _, u := range l.Unique {
		var leaves []*Node
		for _, path := range strings.Fields(u.Name) {
			cur := n
			for _, step := range strings.Split(path, "/") {
				if _, local, ok := strings.Cut(step, ":"); ok {
					step = local
				}
				if cur = cur.ChildByName(step); cur == nil {
					break
				}
			}
			if cur == nil || cur.Kind != Leaf {
				b.errorf(e, "unique %q: %q is not a descendant leaf", u.Name, path)
				continue
			}
			leaves = append(leaves, cur)
		}
		if len(leaves) > 0 {
			out = append(out, leaves)
		}
	}
	return out
}

func (b *builder) defaultsOf(e *yang.Entry, n *Node) {
	defs := e.Default
	if len(defs) == 0 && n.Kind == Leaf && e.Type != nil && e.Type.HasDefault && !n.Mandatory {
		defs = []string{e.Type.Default}
	}
	for _, d := range defs {
		c, err := n.Type.canonicalStatic(d, n.Module)
		if err != nil {
			b.errorf(e, "default %q: %v", d, err)
			continue
		}
		n.Default = append(n.Default, c)
	}
}
