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
	// attrs, when set, is written (with its leading space) into the next
	// start tag, then cleared.
	attrs string
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
		x.openTag(s, ns, top)
		x.w.WriteString(n.value)
		x.close(s)
	default:
		x.openTag(s, ns, top)
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
		x.openTag(sc, ns, top)
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
	x.w.Write(x.appendOpen(x.w.AvailableBuffer(), s, ns, top))
}

// openTag writes the whole start tag of s.
func (x *xmlWriter) openTag(s *schema.Node, ns string, top bool) {
	x.w.Write(append(x.appendOpen(x.w.AvailableBuffer(), s, ns, top), '>'))
}

// appendOpen appends the start of the start tag of s (no '>'), with the
// default namespace declaration when the parent's namespace ns differs and
// the pending attributes.
func (x *xmlWriter) appendOpen(b []byte, s *schema.Node, ns string, top bool) []byte {
	b = append(b, '<')
	b = append(b, s.Name...)
	if s.Module.Namespace != ns {
		b = append(b, ` xmlns="`...)
		b = appendEscaped(b, s.Module.Namespace)
		b = append(b, '"')
	}
	if top && x.opts.Defaults == ReportAllTagged {
		b = append(b, ` xmlns:wd="`+DefaultsNamespace+`"`...)
	}
	if x.attrs != "" {
		b = append(b, x.attrs...)
		x.attrs = ""
	}
	return b
}

func (x *xmlWriter) close(s *schema.Node) {
	x.w.Write(appendClose(x.w.AvailableBuffer(), s))
}

func appendClose(b []byte, s *schema.Node) []byte {
	b = append(b, "</"...)
	b = append(b, s.Name...)
	return append(b, '>')
}

// leaf writes a leaf or leaf-list entry in one piece.
func (x *xmlWriter) leaf(s *schema.Node, v, ns string, top, tagged bool) {
	b := x.appendOpen(x.w.AvailableBuffer(), s, ns, top)
	if s.Type != nil && s.Type.HasQNames() {
		b = x.appendPrefixes(b, v)
	}
	if tagged {
		b = append(b, ` wd:default="true"`...)
	}
	if v == "" {
		x.w.Write(append(b, "/>"...))
		return
	}
	b = append(b, '>')
	b = appendEscaped(b, v)
	x.w.Write(appendClose(b, s))
}

// appendPrefixes appends a declaration of every module prefix used in a
// canonical identityref or instance-identifier value (each once).
func (x *xmlWriter) appendPrefixes(b []byte, v string) []byte {
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
					b = append(b, " xmlns:"...)
					b = append(b, p...)
					b = append(b, `="`...)
					b = appendEscaped(b, m.Namespace)
					b = append(b, '"')
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
	return b
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// mustEscape marks the bytes appendEscaped replaces.
var mustEscape = [256]bool{'&': true, '<': true, '>': true, '"': true, '\r': true}

// appendEscaped appends s as XML text safe in element content and
// attribute values.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		if !mustEscape[s[i]] {
			continue
		}
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
		default:
			rep = "&#xD;"
		}
		b = append(b, s[last:i]...)
		b = append(b, rep...)
		last = i + 1
	}
	return append(b, s[last:]...)
}
