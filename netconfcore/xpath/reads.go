package xpath

import "github.com/ncsoap/ncsoap/netconfcore/schema"

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
	toks  []token
	pos   int
	reads []Read
	low   int
}

// A Read is a schema node an expression can read. A deep read takes its
// string-value, so anything in its subtree counts; a shallow one only
// selects it (tests its existence or navigates through it).
type Read struct {
	Node *schema.Node
	Deep bool
}

// Reads returns the schema nodes that expression x, evaluated with an
// instance of owner as the context node, can read, and the lowest level
// any of its steps reaches (0 for the root, 1 for a top-level node, as
// Level counts), so that a caller knows the expression stays within the
// subtree of one ancestor. ok is false when the expression may read
// anything: descendant, ancestor and sibling axes, "//", variables, filter
// expressions, deref(), id() and whatever does not parse.
//
// Incremental validation uses it to re-check a must, when or leafref only
// when something it reads changed.
func Reads(set *schema.Set, owner *schema.Node, x *schema.Expr) (reads []Read, low int, ok bool) {
	toks, err := lex(x.XPath)
	if err != nil || len(toks) == 0 || x.Module == nil {
		return nil, 0, false
	}
	a := &xpathReads{set: set, owner: owner, x: x, ns: x.Namespaces(), toks: toks, low: Level(owner)}
	defer func() {
		if r := recover(); r != nil {
			if _, all := r.(readsAnything); !all {
				panic(r)
			}
			reads, low, ok = nil, 0, false
		}
	}()
	a.expr([]*schema.Node{owner})
	if a.peek().kind != tokEnd {
		a.anything()
	}
	return a.reads, a.low, true
}

func (a *xpathReads) anything() { panic(readsAnything{}) }

func (a *xpathReads) peek() token {
	if a.pos < len(a.toks) {
		return a.toks[a.pos]
	}
	return token{kind: tokEnd}
}

func (a *xpathReads) next() token {
	t := a.peek()
	if t.kind == tokEnd {
		a.anything()
	}
	a.pos++
	return t
}

// isSlash reports whether the next token is the path operator s.
func (a *xpathReads) isSlash(s string) bool { return a.is(tokOperator, s) }

// isSlash reports whether t is "/" or "//".
func isSlash(t token) bool { return t.kind == tokOperator && (t.text == "/" || t.text == "//") }

func (a *xpathReads) is(kind tokKind, text string) bool {
	t := a.peek()
	return t.kind == kind && t.text == text
}

func (a *xpathReads) expect(text string) {
	if !a.is(tokSymbol, text) {
		a.anything()
	}
	a.pos++
}

// expr analyses an expression with context nodes ctx (nil stands for the
// root), up to a closing bracket, a comma or the end.
func (a *xpathReads) expr(ctx []*schema.Node) {
	for {
		for a.is(tokOperator, "-") {
			a.pos++
		}
		a.path(ctx)
		if t := a.peek(); t.kind != tokOperator || isSlash(t) {
			return
		}
		a.pos++
	}
}

// path analyses a path expression or a primary expression.
func (a *xpathReads) path(ctx []*schema.Node) {
	t := a.peek()
	switch {
	case isSlash(t):
		a.pos++
		if t.text == "//" || !a.stepStart() {
			a.anything()
		}
		a.low = 0
		a.steps([]*schema.Node{nil})
	case t.kind == tokLiteral || t.kind == tokNumber:
		a.pos++
	case t.kind == tokFunc:
		a.call(ctx)
	case a.is(tokSymbol, "("):
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
	if t := a.peek(); isSlash(t) || t.kind == tokSymbol && t.text == "[" {
		a.anything()
	}
}

func (a *xpathReads) stepStart() bool {
	t := a.peek()
	switch t.kind {
	case tokNameTest, tokAxis, tokNodeType:
		return true
	case tokSymbol:
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
		case a.isSlash("/"):
			a.pos++
			a.steps(cur)
		case a.is(tokSymbol, "[") || a.isSlash("//"):
			a.anything()
		default:
			a.deep(cur)
		}
		return
	case "deref", "id":
		a.anything()
	}
	if a.is(tokSymbol, ")") {
		a.pos++
		if !noReads[f.local] {
			a.deep(ctx)
		}
	} else {
		for {
			a.expr(ctx)
			if !a.is(tokSymbol, ",") {
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
		if !a.isSlash("/") {
			break
		}
		a.pos++
	}
	if a.isSlash("//") {
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
	var test token
	switch {
	case t.kind == tokSymbol && t.text == ".":
		axis, test = "self", token{kind: tokNodeType, local: "node"}
	case t.kind == tokSymbol && t.text == "..":
		axis, test = "parent", token{kind: tokNodeType, local: "node"}
	case t.kind == tokSymbol && t.text == "@":
		axis, test = "attribute", a.next()
	case t.kind == tokAxis:
		axis = t.local
		a.expect("::")
		test = a.next()
	default:
		test = t
	}
	switch {
	case test.kind == tokNodeType && test.text != "":
		a.expect("(")
		if a.peek().kind == tokLiteral {
			a.pos++
		}
		a.expect(")")
	case test.kind == tokNameTest && test.prefix != "":
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
	if test.kind == tokNodeType && test.local != "node" {
		a.deep(ctx)
		out = nil
	}
	for _, n := range out {
		a.low = min(a.low, Level(n))
		if n != nil {
			a.reads = append(a.reads, Read{n, false})
		}
	}
	for a.is(tokSymbol, "[") {
		a.pos++
		a.expr(out)
		a.expect("]")
	}
	return out
}

// matches reports whether node test t selects schema node n.
func (a *xpathReads) matches(t token, n *schema.Node) bool {
	switch t.kind {
	case tokNodeType:
		return t.local == "node"
	case tokNameTest:
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
		a.reads = append(a.reads, Read{n, true})
	}
}

// Level returns 0 for nil (the root), 1 for a top-level data node, and so
// on down the data tree.
func Level(n *schema.Node) int {
	l := 0
	for ; n != nil; n = n.DataParent() {
		l++
	}
	return l
}
