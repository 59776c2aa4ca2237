package filter

import (
	"context"
	"strings"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// kind is the role of a subtree filter element (RFC 6241 §6.2).
type kind uint8

const (
	containment  kind = iota // has child elements
	selection                // empty, or whitespace only
	contentMatch             // text only
)

// fnode is one parsed subtree filter element.
type fnode struct {
	el    *etree.Element
	ns    string // namespace URI; "" matches every namespace (xmlns="")
	name  string
	attrs bool // carries attribute match expressions
	kind  kind
	text  string // content match value, surrounding whitespace removed
	kids  []*fnode
}

// Subtree is the package-level Subtree with the limits l.
func (l Limits) Subtree(ctx context.Context, src *tree.Tree, filter *etree.Element) (*tree.Tree, error) {
	l = l.withDefaults()
	p := &parser{lim: l}
	tops, err := p.children(filter, 1)
	if err != nil {
		return nil, err
	}
	f := &filterer{ctx: ctx, set: src.Schema(), sub: tree.NewSubset(src)}
	// Top-level filter elements of one namespace form one sibling set.
	var order []string
	groups := map[string][]*fnode{}
	for _, n := range tops {
		if _, ok := groups[n.ns]; !ok {
			order = append(order, n.ns)
		}
		groups[n.ns] = append(groups[n.ns], n)
	}
	for _, ns := range order {
		f.topNS = ns
		f.siblings(src.Root(), nil, groups[ns])
		if f.err != nil {
			return nil, rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "subtree filter: %v", f.err)
		}
	}
	return f.sub.Tree(), nil
}

type parser struct {
	lim   Limits
	count int
}

// children parses the child elements of el, at nesting depth depth.
func (p *parser) children(el *etree.Element, depth int) ([]*fnode, error) {
	var out []*fnode
	for _, c := range el.ChildElements() {
		if depth > p.lim.MaxDepth {
			return nil, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
				"subtree filter nested deeper than %d elements", p.lim.MaxDepth).WithInfo(rpcerror.Info{BadElement: c.Tag})
		}
		if p.count++; p.count > p.lim.MaxNodes {
			return nil, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
				"subtree filter has more than %d elements", p.lim.MaxNodes).WithInfo(rpcerror.Info{BadElement: c.Tag})
		}
		n, err := p.node(c, depth)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (p *parser) node(el *etree.Element, depth int) (*fnode, error) {
	n := &fnode{el: el, name: el.Tag, ns: el.NamespaceURI()}
	if el.Space != "" && n.ns == "" {
		return nil, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"subtree filter element %s uses the undeclared prefix %q", el.FullTag(), el.Space).WithInfo(rpcerror.Info{BadElement: el.Tag})
	}
	for _, a := range el.Attr {
		if a.Space == "xmlns" || a.Space == "" && a.Key == "xmlns" {
			continue
		}
		n.attrs = true
	}
	kids, err := p.children(el, depth+1)
	if err != nil {
		return nil, err
	}
	n.kids = kids
	var text strings.Builder
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok {
			text.WriteString(cd.Data)
		}
	}
	content := strings.Trim(text.String(), " \t\r\n")
	switch {
	case len(kids) > 0 && content != "":
		return nil, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"subtree filter element %s has mixed content", el.Tag).WithInfo(rpcerror.Info{BadElement: el.Tag})
	case len(kids) > 0:
		n.kind = containment
	case content == "":
		n.kind = selection
	default:
		n.kind = contentMatch
		n.text = content
	}
	return n, nil
}

// filterer applies parsed filter nodes to a tree, collecting the result.
type filterer struct {
	ctx   context.Context
	set   *schema.Set
	sub   *tree.Subset
	path  []*tree.Node // from a top-level node to the current data node
	topNS string       // namespace of the top-level sibling set
	steps int
	err   error
}

// tick counts a visited list entry and checks for cancellation.
func (f *filterer) tick() bool {
	if f.err != nil {
		return false
	}
	f.steps++
	if f.steps&1023 == 0 {
		f.err = f.ctx.Err()
	}
	return f.err == nil
}

func (f *filterer) add(n *tree.Node) {
	f.path = append(f.path, n)
	f.sub.Add(f.path)
	f.path = f.path[:len(f.path)-1]
}

// candidates returns the schema children of ps (top-level nodes when nil)
// that filter node n names.
func (f *filterer) candidates(ps *schema.Node, n *fnode) []*schema.Node {
	if n.ns != "" {
		var s *schema.Node
		if ps == nil {
			s = f.set.Top(n.ns, n.name)
		} else {
			s = ps.Child(n.ns, n.name)
		}
		if s == nil {
			return nil
		}
		return []*schema.Node{s}
	}
	all := f.set.TopNodes()
	if ps != nil {
		all = ps.DataChildren()
	}
	var out []*schema.Node
	for _, s := range all {
		if s.Name == n.name {
			out = append(out, s)
		}
	}
	return out
}

// canonical returns the content match value of n in the canonical form of
// leaf sn, resolving prefixes in the filter's scope.
func (f *filterer) canonical(sn *schema.Node, n *fnode) (string, bool) {
	if sn.Type == nil {
		return "", false
	}
	v, err := sn.Type.Canonical(n.text, f.set, scope(n.el))
	return v, err == nil
}

// scope resolves prefixes with the namespace declarations in scope on el.
func scope(el *etree.Element) schema.Resolver {
	return func(prefix string) (string, bool) {
		for e := el; e != nil; e = e.Parent() {
			for _, a := range e.Attr {
				if prefix == "" && a.Space == "" && a.Key == "xmlns" || prefix != "" && a.Space == "xmlns" && a.Key == prefix {
					return a.Value, true
				}
			}
		}
		return "", false
	}
}

// matches reports whether the leaf value have satisfies content match n.
func (f *filterer) matches(sn *schema.Node, have string, n *fnode) bool {
	if have == n.text {
		return true
	}
	v, ok := f.canonical(sn, n)
	return ok && v == have
}

// siblings applies the sibling set fs to the data node p (schema ps, nil
// for the root) and reports whether it selected anything.
func (f *filterer) siblings(p *tree.Node, ps *schema.Node, fs []*fnode) bool {
	var matched []*tree.Node
	others := 0
	for _, n := range fs {
		if n.kind != contentMatch {
			others++
			continue
		}
		if n.attrs {
			return false
		}
		found := false
		for _, sn := range f.candidates(ps, n) {
			switch sn.Kind {
			case schema.Leaf:
				if d := p.Child(sn); d != nil && f.matches(sn, d.Value(), n) {
					matched = append(matched, d)
					found = true
				}
			case schema.LeafList:
				d := p.Entry(sn, n.text)
				if v, ok := f.canonical(sn, n); d == nil && ok {
					d = p.Entry(sn, v)
				}
				if d != nil {
					matched = append(matched, d)
					found = true
				}
			}
		}
		if !found {
			return false
		}
	}
	if others == 0 {
		// Only content matches, all true: the whole level is selected.
		if ps != nil {
			f.sub.Add(f.path)
			return true
		}
		for d := range p.Children() {
			if f.topNS == "" || d.Schema().Module.Namespace == f.topNS {
				f.add(d)
			}
		}
		return true
	}
	selected := len(matched) > 0
	for _, d := range matched {
		f.add(d)
	}
	for _, n := range fs {
		if n.kind == contentMatch || n.attrs {
			continue
		}
		for _, sn := range f.candidates(ps, n) {
			if n.kind == selection {
				selected = f.selectAll(p, sn) || selected
			} else {
				selected = f.contain(p, sn, n) || selected
			}
			if f.err != nil {
				return selected
			}
		}
	}
	return selected
}

// selectAll adds every instance of sn under p.
func (f *filterer) selectAll(p *tree.Node, sn *schema.Node) bool {
	if sn.Kind == schema.List || sn.Kind == schema.LeafList {
		found := false
		for e := range p.Entries(sn) {
			if !f.tick() {
				break
			}
			f.add(e)
			found = true
		}
		return found
	}
	if d := p.Child(sn); d != nil {
		f.add(d)
		return true
	}
	return false
}

// contain applies containment node n to the instances of sn under p.
func (f *filterer) contain(p *tree.Node, sn *schema.Node, n *fnode) bool {
	switch sn.Kind {
	case schema.Container:
		d := p.Child(sn)
		if d == nil {
			return false
		}
		return f.descend(d, sn, n.kids)
	case schema.List:
		if keys, ok := f.keys(sn, n); ok {
			e := p.Entry(sn, keys...)
			return e != nil && f.descend(e, sn, n.kids)
		}
		selected := false
		for e := range p.Entries(sn) {
			if !f.tick() {
				break
			}
			selected = f.descend(e, sn, n.kids) || selected
		}
		return selected
	case schema.Anydata, schema.Anyxml:
		// Opaque content cannot be filtered further: select it whole.
		return f.selectAll(p, sn)
	}
	return false
}

func (f *filterer) descend(d *tree.Node, sn *schema.Node, kids []*fnode) bool {
	f.path = append(f.path, d)
	ok := f.siblings(d, sn, kids)
	f.path = f.path[:len(f.path)-1]
	return ok
}

// keys returns the canonical values of every key of list sn when the
// children of containment node n give them all as content matches, so that
// the entry is found by key instead of by a scan.
func (f *filterer) keys(sn *schema.Node, n *fnode) ([]string, bool) {
	keys := make([]string, len(sn.Keys))
	for i, k := range sn.Keys {
		found := false
		for _, c := range n.kids {
			if c.kind != contentMatch || c.attrs || c.name != k.Name || c.ns != "" && c.ns != k.Module.Namespace {
				continue
			}
			v, ok := f.canonical(k, c)
			if !ok {
				return nil, false
			}
			keys[i] = v
			found = true
			break
		}
		if !found {
			return nil, false
		}
	}
	return keys, true
}
