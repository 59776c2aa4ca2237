package datastore

import (
	"context"
	"fmt"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// ExprEvaluator evaluates YANG must and when expressions. The XPath
// package provides one; a Store without it skips must and when.
type ExprEvaluator interface {
	// EvalBool evaluates x in snapshot t with the cursor's node as the
	// context node and returns the expression's boolean value.
	EvalBool(ctx context.Context, t *tree.Tree, at *tree.Cursor, x *schema.Expr) (bool, error)
}

// maxValidationErrors bounds the errors one validation reports.
const maxValidationErrors = 100

// Validate checks snap against every constraint of the schema: mandatory
// nodes and choices, min-elements and max-elements, unique, leafref
// targets (require-instance), then must and when when the store has an
// ExprEvaluator. Leaf types are checked when data enters a tree. Errors
// use the RFC 7950 §15 error-app-tags; up to 100 are reported together
// as an rpcerror.List.
func (s *Store) Validate(ctx context.Context, snap *tree.Tree) error {
	v := &validator{ctx: ctx, t: snap, exprs: s.opts.Exprs, refs: map[refKey]map[string]bool{}}
	v.node(snap.Cursor(), nil)
	return listOrOne(v.errs)
}

type refKey struct {
	t     *schema.Type
	start *tree.Node
}

type validator struct {
	ctx   context.Context
	t     *tree.Tree
	exprs ExprEvaluator
	errs  rpcerror.List
	path  []step
	refs  map[refKey]map[string]bool
}

func (v *validator) full() bool { return len(v.errs) >= maxValidationErrors || v.ctx.Err() != nil }

func (v *validator) fail(e *rpcerror.Error) {
	if len(v.errs) < maxValidationErrors {
		v.errs = append(v.errs, atPath(e, v.path))
	}
}

// node validates the node under cur (schema sc, nil for the root) and its
// descendants.
func (v *validator) node(cur *tree.Cursor, sc *schema.Node) {
	n := cur.Node()
	if sc != nil {
		v.exprChecks(cur, sc)
	}
	if n.Schema() != nil && (sc.Kind == schema.Leaf || sc.Kind == schema.LeafList) {
		if t := sc.Type; t.Kind == schema.LeafRef && t.RequireInstance {
			v.leafref(cur, sc, n.Value())
		}
		return
	}
	var children []*schema.Node
	if sc == nil {
		children = v.t.Schema().TopNodes()
	} else {
		if sc.Kind == schema.Anydata || sc.Kind == schema.Anyxml {
			return
		}
		children = sc.DataChildren()
		v.choices(n, sc.Children)
	}
	for _, c := range children {
		if v.full() {
			return
		}
		if !c.Config {
			continue
		}
		switch c.Kind {
		case schema.List, schema.LeafList:
			v.collection(cur, n, c)
		default:
			child := n.Child(c)
			if child == nil {
				if sc != nil || c.Kind == schema.Container {
					v.missing(n, c)
				}
				continue
			}
			if v.needsVisit(c) {
				v.descend(cur, child, c, nil)
			}
		}
	}
}

// needsVisit reports whether an instance of c has anything to check
// below or on itself, so that plain leaves are not walked to.
func (v *validator) needsVisit(c *schema.Node) bool {
	switch c.Kind {
	case schema.Leaf, schema.LeafList:
		if v.exprs != nil && (c.When != nil || len(c.Must) > 0) {
			return true
		}
		return c.Type.Kind == schema.LeafRef && c.Type.RequireInstance
	case schema.Anydata, schema.Anyxml:
		return v.exprs != nil && (c.When != nil || len(c.Must) > 0)
	}
	return true
}

// descend validates child (an instance of c under the cursor's node) with
// the cursor moved onto it.
func (v *validator) descend(cur *tree.Cursor, child *tree.Node, c *schema.Node, keys []string) {
	sub := cur.Clone()
	if !moveTo(sub, child) {
		return
	}
	v.path = append(v.path, step{c, keys})
	v.node(sub, c)
	v.path = v.path[:len(v.path)-1]
}

// moveTo moves cur from a parent onto its child node.
func moveTo(cur *tree.Cursor, child *tree.Node) bool {
	if !cur.ToFirstChild() {
		return false
	}
	for cur.Node() != child {
		if !cur.ToNextSibling() {
			return false
		}
	}
	return true
}

// collection validates the entries of list or leaf-list c under n.
func (v *validator) collection(cur *tree.Cursor, n *tree.Node, c *schema.Node) {
	count := n.Len(c)
	if count == 0 && !caseActive(n, c) {
		return
	}
	v.path = append(v.path, step{c, nil})
	switch {
	case c.MinElements > 0 && uint64(count) < c.MinElements:
		v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
			"%s has %d entries, fewer than min-elements %d", c.Name, count, c.MinElements).WithAppTag("too-few-elements"))
	case c.MaxElements > 0 && uint64(count) > c.MaxElements:
		v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
			"%s has %d entries, more than max-elements %d", c.Name, count, c.MaxElements).WithAppTag("too-many-elements"))
	}
	v.path = v.path[:len(v.path)-1]
	if count == 0 {
		return
	}
	if c.Kind == schema.List && len(c.Unique) > 0 {
		v.unique(n, c)
	}
	if !v.needsVisit(c) {
		return
	}
	// Walk the entries with one cursor: sibling moves are O(log n) each.
	sub := cur.Clone()
	if !sub.ToFirstChild() {
		return
	}
	for sub.Node().Schema() != c {
		if !sub.ToNextSibling() {
			return
		}
	}
	for i := 0; i < count && !v.full(); i++ {
		e := sub.Node()
		keys := e.Keys()
		if c.Kind == schema.LeafList {
			keys = []string{e.Value()}
		}
		v.path = append(v.path, step{c, keys})
		v.node(sub.Clone(), c)
		v.path = v.path[:len(v.path)-1]
		if !sub.ToNextSibling() {
			break
		}
	}
}

// caseActive reports whether the case (if any) holding c under n is the
// active one, or the default one when none is active, so that its
// constraints apply.
func caseActive(n *tree.Node, c *schema.Node) bool {
	for p := c.Parent; p != nil && !p.IsData(); p = p.Parent {
		if p.Kind != schema.Case {
			continue
		}
		active := activeCase(n, p.Parent)
		if active == nil {
			return false
		}
		if active != p {
			return false
		}
	}
	return true
}

// activeCase returns the case of choice ch that has data in n, or nil.
func activeCase(n *tree.Node, ch *schema.Node) *schema.Node {
	for _, cs := range ch.Children {
		if hasData(n, cs) {
			return cs
		}
	}
	return nil
}

func hasData(n *tree.Node, s *schema.Node) bool {
	if s.IsData() {
		if s.Kind == schema.List || s.Kind == schema.LeafList {
			return n.Len(s) > 0
		}
		return n.Child(s) != nil
	}
	for _, c := range s.Children {
		if hasData(n, c) {
			return true
		}
	}
	return false
}

// missing reports mandatory descendants of the absent node c under n.
func (v *validator) missing(n *tree.Node, c *schema.Node) {
	if !c.Config || !caseActive(n, c) {
		return
	}
	switch c.Kind {
	case schema.Leaf, schema.Anydata, schema.Anyxml:
		if c.Mandatory {
			v.path = append(v.path, step{c, nil})
			v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing, "mandatory %s %s is missing", c.Kind, c.Name).
				WithInfo(rpcerror.Info{BadElement: c.Name}))
			v.path = v.path[:len(v.path)-1]
		}
	case schema.Container:
		if c.Presence {
			return
		}
		empty := tree.NewInner(c)
		v.path = append(v.path, step{c, nil})
		v.choices(empty, c.Children)
		for _, cc := range c.DataChildren() {
			switch cc.Kind {
			case schema.List, schema.LeafList:
				if cc.MinElements > 0 && caseActive(empty, cc) && cc.Config {
					v.path = append(v.path, step{cc, nil})
					v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
						"%s has 0 entries, fewer than min-elements %d", cc.Name, cc.MinElements).WithAppTag("too-few-elements"))
					v.path = v.path[:len(v.path)-1]
				}
			default:
				v.missing(empty, cc)
			}
		}
		v.path = v.path[:len(v.path)-1]
	}
}

// choices reports mandatory choices among kids (schema children of n's
// schema node, choices and cases included) that have no data.
func (v *validator) choices(n *tree.Node, kids []*schema.Node) {
	for _, k := range kids {
		if k.Kind != schema.Choice || !k.Config {
			continue
		}
		active := activeCase(n, k)
		if active == nil && k.Mandatory {
			v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing, "no case of mandatory choice %s is present", k.Name).
				WithAppTag("missing-choice").
				WithInfo(rpcerror.Info{Extra: `<missing-choice xmlns="` + YANGNamespace + `">` + k.Name + `</missing-choice>`}))
		}
		if active == nil {
			active = k.DefaultCase
		}
		if active != nil {
			v.choices(n, active.Children)
		}
	}
}

// unique checks the unique statements of list c under n.
func (v *validator) unique(n *tree.Node, c *schema.Node) {
	for _, leaves := range c.Unique {
		seen := make(map[string][]string, n.Len(c))
		for e := range n.Entries(c) {
			var b strings.Builder
			complete := true
			for i, l := range leaves {
				val, ok := descendantValue(e, c, l)
				if !ok {
					complete = false
					break
				}
				if i > 0 {
					b.WriteByte(0)
				}
				b.WriteString(val)
			}
			if !complete {
				continue
			}
			k := b.String()
			if first, dup := seen[k]; dup {
				v.path = append(v.path, step{c, e.Keys()})
				p1, _ := instancePath(append(append([]step(nil), v.path[:len(v.path)-1]...), step{c, first}))
				p2, _ := instancePath(v.path)
				v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
					"entries %s and %s are not unique", p1, p2).WithAppTag("data-not-unique").
					WithInfo(rpcerror.Info{Extra: `<non-unique xmlns="` + YANGNamespace + `">` + xmlText(p1) + `</non-unique>`}))
				v.path = v.path[:len(v.path)-1]
				if v.full() {
					return
				}
				continue
			}
			seen[k] = e.Keys()
		}
	}
}

// descendantValue returns the value of the descendant leaf l of list entry
// e (schema c).
func descendantValue(e *tree.Node, c, l *schema.Node) (string, bool) {
	var chain []*schema.Node
	for s := l; s != nil && s != c; s = s.DataParent() {
		chain = append(chain, s)
	}
	n := e
	for i := len(chain) - 1; i >= 0; i-- {
		if n = n.Child(chain[i]); n == nil {
			return "", false
		}
	}
	return n.Value(), true
}

func xmlText(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// leafref checks that value exists among the instances the leafref path of
// sc points to. Path predicates are not evaluated: the target set is every
// instance of the target node reachable along the path.
func (v *validator) leafref(cur *tree.Cursor, sc *schema.Node, value string) {
	t := sc.Type
	if t.Target == nil {
		return
	}
	start, steps := v.refStart(cur, t)
	if start == nil {
		v.refMissing(sc, value)
		return
	}
	key := refKey{t, start}
	set, ok := v.refs[key]
	if !ok {
		set = map[string]bool{}
		collectTargets(start, steps, set)
		v.refs[key] = set
	}
	if !set[value] {
		v.refMissing(sc, value)
	}
}

func (v *validator) refMissing(sc *schema.Node, value string) {
	v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing,
		"leafref %s: no instance %q of %s", sc.Name, value, sc.Type.Target.Path()).WithAppTag("instance-required"))
}

// refStart finds the data node a leafref path starts from (the root for
// absolute paths, the ancestor reached by the leading ".." steps otherwise)
// and the schema steps from there to the target.
func (v *validator) refStart(cur *tree.Cursor, t *schema.Type) (*tree.Node, []*schema.Node) {
	var chain []*schema.Node
	for s := t.Target; s != nil; s = s.DataParent() {
		chain = append(chain, s)
	}
	// chain is target..top; reverse to top..target.
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	if strings.HasPrefix(strings.TrimSpace(t.Path.XPath), "/") {
		return v.t.Root(), chain
	}
	// Relative path: each leading ".." goes from the leaf to its parent.
	up := 0
	for _, part := range strings.Split(strings.TrimSpace(t.Path.XPath), "/") {
		part = strings.TrimSpace(part)
		if part == "current()" || part == "." {
			continue
		}
		if part != ".." {
			break
		}
		up++
	}
	path := cur.Path()
	at := len(path) - 1 - up
	if at < 0 {
		return v.t.Root(), chain
	}
	if at >= len(chain) || path[at].Schema() != chain[at] {
		return nil, nil
	}
	return path[at], chain[at+1:]
}

func collectTargets(n *tree.Node, steps []*schema.Node, out map[string]bool) {
	if len(steps) == 0 {
		out[n.Value()] = true
		return
	}
	s := steps[0]
	if s.Kind == schema.List || s.Kind == schema.LeafList {
		for e := range n.Entries(s) {
			collectTargets(e, steps[1:], out)
		}
		return
	}
	if c := n.Child(s); c != nil {
		collectTargets(c, steps[1:], out)
	}
}

// exprChecks evaluates the when and must expressions of sc on the node
// under cur.
func (v *validator) exprChecks(cur *tree.Cursor, sc *schema.Node) {
	if v.exprs == nil {
		return
	}
	if sc.When != nil {
		ok, err := v.exprs.EvalBool(v.ctx, v.t, cur, sc.When)
		switch {
		case err != nil:
			v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "when %q: %v", sc.When.XPath, err))
		case !ok:
			// RFC 7950 §8.3.1: data present under a false when is an
			// unknown element.
			v.fail(rpcerror.UnknownElementError(rpcerror.TypeApplication, sc.Name).WithMessage(
				fmt.Sprintf("%s is present but its when condition %q is false", sc.Name, sc.When.XPath)))
		}
	}
	for _, m := range sc.Must {
		ok, err := v.exprs.EvalBool(v.ctx, v.t, cur, m)
		switch {
		case err != nil:
			v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "must %q: %v", m.XPath, err))
		case !ok:
			msg := m.ErrorMessage
			if msg == "" {
				msg = "must condition " + m.XPath + " is false"
			}
			tag := m.ErrorAppTag
			if tag == "" {
				tag = "must-violation"
			}
			v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "%s", msg).WithAppTag(tag))
		}
	}
}
