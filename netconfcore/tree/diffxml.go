package tree

import (
	"bufio"
	"io"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// The namespaces of the attributes WriteDiff writes, and the prefixes it
// binds them to on its <config> element. The prefixes are unlike any YANG
// module prefix a value could declare on an inner element.
const (
	baseNamespace = "urn:ietf:params:xml:ns:netconf:base:1.0"
	yangNamespace = "urn:ietf:params:xml:ns:yang:1"
	opAttr        = `ncsoap-diff-nc:operation=`
	insertLast    = ` ncsoap-diff-yang:insert="last"`
)

// WriteDiff writes the changes from old to new (see Diff) as an
// edit-config <config> element in the base:1.0 namespace which, applied to
// old with the default operation merge, gives new: changed leaves,
// anydata and added subtrees with operation "replace", removed nodes with
// operation "remove", and a reordered ordered-by-user list as every one of
// its entries with operation "merge" and insert "last", in the new order.
// Ancestors appear with their keys and no operation.
//
// It reports whether there was any change; with none it writes nothing.
// It costs in proportion to the changes, like Diff.
func WriteDiff(w io.Writer, old, new *Tree) (bool, error) {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 4<<10)
	}
	dw := &diffWriter{x: xmlWriter{w: bw, set: new.set, hasDefaults: map[*schema.Node]bool{}}, root: new.root}
	for c := range Diff(old, new) {
		if !dw.changed {
			dw.changed = true
			bw.WriteString(`<config xmlns="` + baseNamespace + `" xmlns:ncsoap-diff-nc="` + baseNamespace +
				`" xmlns:ncsoap-diff-yang="` + yangNamespace + `">`)
		}
		dw.write(c)
	}
	if dw.changed {
		dw.openTo(nil)
		bw.WriteString("</config>")
	}
	return dw.changed, bw.Flush()
}

type diffWriter struct {
	x       xmlWriter
	root    *Node // the new tree's root
	changed bool
	open    []*Node // the ancestor elements now open, outermost first
}

// ns returns the namespace of the innermost open element, "" at the top.
func (dw *diffWriter) ns() string {
	if len(dw.open) == 0 {
		return ""
	}
	return dw.open[len(dw.open)-1].schema.Module.Namespace
}

// openTo closes the open ancestors that are not on path and opens the
// ones of path that are not open yet.
func (dw *diffWriter) openTo(path []*Node) {
	common := 0
	for common < len(path) && common < len(dw.open) && path[common] == dw.open[common] {
		common++
	}
	for len(dw.open) > common {
		dw.x.close(dw.open[len(dw.open)-1].schema)
		dw.open = dw.open[:len(dw.open)-1]
	}
	for _, n := range path[common:] {
		dw.start(n, "")
		dw.open = append(dw.open, n)
	}
}

// start writes the start tag of inner node n with attributes attrs (each
// with its leading space), followed by its keys when it is a list entry.
func (dw *diffWriter) start(n *Node, attrs string) {
	dw.x.open(n.schema, dw.ns(), false)
	dw.x.w.WriteString(attrs)
	dw.x.w.WriteByte('>')
	for _, k := range n.schema.Keys {
		if c := n.Child(k); c != nil {
			dw.x.leaf(k, c.value, n.schema.Module.Namespace, false, false)
		}
	}
}

func (dw *diffWriter) write(c Change) {
	dw.openTo(c.Path)
	ns := dw.ns()
	switch {
	case c.Order != nil:
		parent := dw.root
		if len(c.Path) > 0 {
			parent = c.Path[len(c.Path)-1]
		}
		for e := range parent.Entries(c.Order) {
			dw.mark(e, ` `+opAttr+`"merge"`+insertLast, ns)
		}
	case c.New != nil:
		dw.x.attrs = ` ` + opAttr + `"replace"`
		dw.x.node(c.New, ns, false)
		dw.x.attrs = ""
	default:
		dw.mark(c.Old, ` `+opAttr+`"remove"`, ns)
	}
}

// mark writes node n identified (by its keys or value) with attrs, and
// nothing else.
func (dw *diffWriter) mark(n *Node, attrs, ns string) {
	s := n.schema
	switch s.Kind {
	case schema.List:
		dw.start(n, attrs)
		dw.x.close(s)
	case schema.LeafList:
		dw.x.attrs = attrs
		dw.x.leaf(s, n.value, ns, false, false)
		dw.x.attrs = ""
	default:
		dw.x.open(s, ns, false)
		dw.x.w.WriteString(attrs)
		dw.x.w.WriteString("/>")
	}
}
