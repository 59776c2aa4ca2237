package tree

import (
	"bufio"
	"io"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// DefaultsNamespace is the namespace of the with-defaults "default"
// attribute (RFC 6243 §6).
const DefaultsNamespace = "urn:ietf:params:xml:ns:netconf:default:1.0"

// WithDefaults is a with-defaults retrieval mode (RFC 6243 §3).
type WithDefaults uint8

// The with-defaults modes. The zero value is Explicit, ncsoap's basic mode.
const (
	// Explicit reports the nodes set by a client, even when they hold the
	// default value, and no schema defaults.
	Explicit WithDefaults = iota
	// ReportAll reports every node, schema defaults included.
	ReportAll
	// Trim omits leaves whose value equals their schema default.
	Trim
	// ReportAllTagged reports every node and marks those holding their
	// schema default with wd:default="true".
	ReportAllTagged
)

var wdNames = [...]string{"explicit", "report-all", "trim", "report-all-tagged"}

// String returns the RFC 6243 name of the mode.
func (m WithDefaults) String() string {
	if int(m) < len(wdNames) {
		return wdNames[m]
	}
	return "unknown"
}

// ParseWithDefaults returns the mode named s, or false.
func ParseWithDefaults(s string) (WithDefaults, bool) {
	for i, n := range wdNames {
		if n == s {
			return WithDefaults(i), true
		}
	}
	return 0, false
}

// WriteOptions control XML serialization.
type WriteOptions struct {
	Defaults WithDefaults
	// ConfigOnly leaves out config false nodes (get-config).
	ConfigOnly bool
}

// WriteXML writes the top-level nodes of t as a sequence of XML elements
// (no wrapper element), each declaring its module namespace as the default
// namespace; descendants from another module (augments) switch it.
// identityref and instance-identifier values declare the prefixes they
// use. Output goes through a buffer to w as the tree is walked.
func (t *Tree) WriteXML(w io.Writer, opts WriteOptions) error {
	return t.WriteNodesXML(w, opts, t.root)
}

// WriteNodesXML writes the given nodes of t (typically filter results,
// or the children of the root) like WriteXML. Passing the root writes its
// children.
func (t *Tree) WriteNodesXML(w io.Writer, opts WriteOptions, nodes ...*Node) error {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 32<<10)
	}
	x := &xmlWriter{w: bw, set: t.set, opts: opts, hasDefaults: map[*schema.Node]bool{}}
	for _, n := range nodes {
		if n.IsRoot() {
			x.inner(n, "", true)
		} else {
			x.node(n, "", true)
		}
	}
	return bw.Flush()
}

type xmlWriter struct {
	w           *bufio.Writer
	set         *schema.Set
	opts        WriteOptions
	hasDefaults map[*schema.Node]bool
}

func (x *xmlWriter) reportDefaults() bool {
	return x.opts.Defaults == ReportAll || x.opts.Defaults == ReportAllTagged
}

// isDefault reports whether leaf n holds its schema default.
func isDefault(n *Node) bool {
	d := n.schema.Default
	return n.schema.Kind == schema.Leaf && len(d) == 1 && d[0] == n.value
}

func (x *xmlWriter) node(n *Node, ns string, top bool) {
	s := n.schema
	if x.opts.ConfigOnly && !s.Config {
		return
	}
	switch s.Kind {
	case schema.Leaf, schema.LeafList:
		tagged := false
		if s.Kind == schema.Leaf && isDefault(n) {
			switch x.opts.Defaults {
			case Trim:
				return
			case ReportAllTagged:
				tagged = true
			}
		}
		x.leaf(s, n.value, ns, top, tagged)
	case schema.Anydata, schema.Anyxml:
		x.open(s, ns, top)
		x.w.WriteByte('>')
		x.w.WriteString(n.value)
		x.close(s)
	default:
		x.open(s, ns, top)
		x.w.WriteByte('>')
		x.inner(n, s.Module.Namespace, false)
		x.close(s)
	}
}

// inner writes the children of n (a container, list entry or the root,
// whose children are top-level) with synthesized defaults if the mode asks
// for them.
func (x *xmlWriter) inner(n *Node, ns string, top bool) {
	if !x.reportDefaults() {
		for _, k := range n.kids {
			x.slot(k, ns, top)
		}
		return
	}
	var children []*schema.Node
	if n.IsRoot() {
		children = x.set.TopNodes()
	} else {
		children = n.schema.DataChildren()
	}
	active := activeCases(n)
	j := 0
	for _, sc := range children {
		if j < len(n.kids) && n.kids[j].schema == sc {
			x.slot(n.kids[j], ns, top)
			j++
			continue
		}
		x.synthesize(sc, active, ns, top)
	}
}

func (x *xmlWriter) slot(k *Node, ns string, top bool) {
	if k.coll == nil {
		x.node(k, ns, top)
		return
	}
	k.coll.each(func(e *Node) bool {
		x.node(e, ns, top)
		return true
	})
}

// caseChoice is one (choice, case) pair on the path from a data node up to
// its data parent.
type caseChoice struct{ choice, cas *schema.Node }

func activeCases(n *Node) []caseChoice {
	var act []caseChoice
	for _, k := range n.kids {
		for c := k.schema.Parent; c != nil && !c.IsData(); c = c.Parent {
			if c.Kind == schema.Case && c.Parent != nil {
				act = append(act, caseChoice{c.Parent, c})
			}
		}
	}
	return act
}

// caseAllowed reports whether sc is in the active case (or, when its
// choice has no active case, the default case) of every choice between
// it and its data parent.
func caseAllowed(sc *schema.Node, active []caseChoice) bool {
	for c := sc.Parent; c != nil && !c.IsData(); c = c.Parent {
		if c.Kind != schema.Case {
			continue
		}
		ch := c.Parent
		var act *schema.Node
		for _, a := range active {
			if a.choice == ch {
				act = a.cas
				break
			}
		}
		if act == nil {
			act = ch.DefaultCase
		}
		if act != c {
			return false
		}
	}
	return true
}

// synthesize writes the defaults of the absent schema node sc.
func (x *xmlWriter) synthesize(sc *schema.Node, active []caseChoice, ns string, top bool) {
	if (x.opts.ConfigOnly && !sc.Config) || !caseAllowed(sc, active) {
		return
	}
	tagged := x.opts.Defaults == ReportAllTagged
	switch sc.Kind {
	case schema.Leaf, schema.LeafList:
		for _, d := range sc.Default {
			x.leaf(sc, d, ns, top, tagged)
		}
	case schema.Container:
		if sc.Presence || !x.containerHasDefaults(sc) {
			return
		}
		x.open(sc, ns, top)
		x.w.WriteByte('>')
		for _, c := range sc.DataChildren() {
			x.synthesize(c, nil, sc.Module.Namespace, false)
		}
		x.close(sc)
	}
}

func (x *xmlWriter) containerHasDefaults(sc *schema.Node) bool {
	if v, ok := x.hasDefaults[sc]; ok {
		return v
	}
	x.hasDefaults[sc] = false
	has := false
	for _, c := range sc.DataChildren() {
		if (x.opts.ConfigOnly && !c.Config) || !caseAllowed(c, nil) {
			continue
		}
		switch c.Kind {
		case schema.Leaf, schema.LeafList:
			has = c.HasDefault()
		case schema.Container:
			has = !c.Presence && x.containerHasDefaults(c)
		}
		if has {
			break
		}
	}
	x.hasDefaults[sc] = has
	return has
}

func (x *xmlWriter) open(s *schema.Node, ns string, top bool) {
	w := x.w
	w.WriteByte('<')
	w.WriteString(s.Name)
	if s.Module.Namespace != ns {
		w.WriteString(` xmlns="`)
		escape(w, s.Module.Namespace)
		w.WriteByte('"')
	}
	if top && x.opts.Defaults == ReportAllTagged {
		w.WriteString(` xmlns:wd="` + DefaultsNamespace + `"`)
	}
}

func (x *xmlWriter) close(s *schema.Node) {
	x.w.WriteString("</")
	x.w.WriteString(s.Name)
	x.w.WriteByte('>')
}

func (x *xmlWriter) leaf(s *schema.Node, v, ns string, top, tagged bool) {
	x.open(s, ns, top)
	if s.Type != nil && s.Type.HasQNames() {
		x.declarePrefixes(v)
	}
	if tagged {
		x.w.WriteString(` wd:default="true"`)
	}
	if v == "" {
		x.w.WriteString("/>")
		return
	}
	x.w.WriteByte('>')
	escape(x.w, v)
	x.close(s)
}

// declarePrefixes declares every module prefix used in a canonical
// identityref or instance-identifier value (each once).
func (x *xmlWriter) declarePrefixes(v string) {
	var seen []string
	var quote byte
	start := -1
	for i := 0; i < len(v); i++ {
		c := v[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		switch {
		case c == '\'' || c == '"':
			quote = c
			start = -1
		case c == ':':
			if start >= 0 {
				p := v[start:i]
				if m := x.set.ModuleByPrefix(p); m != nil && !contains(seen, p) {
					seen = append(seen, p)
					x.w.WriteString(" xmlns:")
					x.w.WriteString(p)
					x.w.WriteString(`="`)
					escape(x.w, m.Namespace)
					x.w.WriteByte('"')
				}
			}
			start = -1
		case c == '_' || c == '-' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'):
			if start < 0 {
				start = i
			}
		default:
			start = -1
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// escape writes s as XML text safe in element content and attribute values.
func escape(w *bufio.Writer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&quot;"
		case '\r':
			rep = "&#xD;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(rep)
		last = i + 1
	}
	w.WriteString(s[last:])
}
