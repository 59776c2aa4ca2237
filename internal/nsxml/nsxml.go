// Package nsxml detaches XML elements from their document without losing
// the namespace declarations they depend on.
//
// encoding/xml's innerxml keeps content verbatim but drops declarations made
// on ancestors, and re-encoding tokens produces duplicate declarations; an
// etree copy that carries every in-scope declaration does neither.
package nsxml

import (
	"strings"

	"github.com/beevik/etree"
)

// Detach returns a deep copy of el that declares, on itself, every namespace
// prefix (and the default namespace) in scope at el that it does not declare
// already. The copy is self-contained: prefixes used in its names and in
// QName-valued text (error-path, XPath select) stay bound.
func Detach(el *etree.Element) *etree.Element {
	cp := el.Copy()
	for p := el.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if !isDecl(a) || cp.SelectAttr(a.FullKey()) != nil {
				continue
			}
			cp.CreateAttr(a.FullKey(), a.Value)
		}
	}
	return cp
}

// String returns the XML of el, detached as by Detach.
func String(el *etree.Element) string {
	doc := etree.NewDocument()
	doc.SetRoot(Detach(el))
	s, _ := doc.WriteToString()
	return s
}

// Children returns the XML of each child element of el, each detached as by
// Detach and concatenated.
func Children(el *etree.Element) string {
	var b strings.Builder
	for _, c := range el.ChildElements() {
		b.WriteString(String(c))
	}
	return b.String()
}

func isDecl(a etree.Attr) bool {
	return a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns")
}
