package datastore

import "github.com/ncsoap/ncsoap/netconfcore/schema"

// The read analysis of must, when and leafref expressions: which schema
// nodes an XPath 1.0 expression can read, so that incremental validation
// re-checks it only when one of them changes. An expression it cannot
// follow reads everything.

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
