package datastore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// ExprEvaluator evaluates YANG must and when expressions. The XPath
// package provides one; a Store without it skips must and when.
type ExprEvaluator interface {
	// EvalBool evaluates x in snapshot t with the cursor's node as the
	// context node and returns the expression's boolean value. It must
	// leave the cursor where it is: validation walks on with it.
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
//
// When the store knows a valid snapshot (the last one a validation or an
// edit found valid), only what differs from it is checked, and the result
// is the same: validating a candidate derived from a valid running costs
// in proportion to the changes.
func (s *Store) Validate(ctx context.Context, snap *tree.Tree) error {
	switch base := s.lastValid.Load(); {
	case base == snap:
		return nil
	case base != nil:
		return s.validateChange(ctx, base, snap)
	}
	return s.validateFull(ctx, snap)
}

// validateFull checks every node of snap.
func (s *Store) validateFull(ctx context.Context, snap *tree.Tree) error {
	v := newValidator(ctx, snap, s.opts.Exprs)
	v.node(snap.Cursor(), snap.Root(), nil)
	if len(v.errs) == 0 && ctx.Err() == nil {
		s.lastValid.Store(snap)
	}
	return listOrOne(v.errs)
}

func newValidator(ctx context.Context, snap *tree.Tree, exprs ExprEvaluator) *validator {
	return &validator{ctx: ctx, t: snap, exprs: exprs, maxErrs: maxValidationErrors, refs: map[refKey]map[string]bool{},
		plans: map[*schema.Node]*plan{}, refPaths: map[*schema.Type]*refPath{}}
}

type refKey struct {
	t     *schema.Type
	start *tree.Node
}

// validator walks a tree once with a single cursor. The path holds one
// step per cursor level (plus transient steps naming absent nodes and
// whole lists in errors), so that error paths and leafref starts need no
// cursor copies.
//
// An incremental validation (deps set) walks parts of a tree without a
// cursor and positions one from the path only where a must or when
// expression needs it; it stops at the first error.
type validator struct {
	ctx     context.Context
	t       *tree.Tree
	exprs   ExprEvaluator
	errs    rpcerror.List
	maxErrs int
	deps    *depIndex
	// uncertain is set when an incremental validation cannot tell.
	uncertain bool
	// lost holds the leafref target values an edit removed while an
	// incremental validation checks the leafrefs that may use them.
	lost     map[string]bool
	path     []vstep
	refs     map[refKey]map[string]bool
	plans    map[*schema.Node]*plan
	refPaths map[*schema.Type]*refPath
}

// vstep is one level of the validator's path: a schema node and, on the
// levels the cursor is on, the data node (nil for absent nodes and for a
// list or leaf-list as a whole).
type vstep struct {
	s *schema.Node
	n *tree.Node
}

// plan is what validating the children of an instance of a schema node
// (nil for the root) involves, worked out once per validation.
type plan struct {
	// choices is set when a mandatory choice may lack data.
	choices bool
	// kids are the data children with anything to check, in schema order.
	kids []kid
}

// kid is one data child in a plan.
type kid struct {
	s *schema.Node
	// visit is set when an instance has something to check (needsVisit).
	visit bool
	// absent is set when the absence of a single-instance child can be an
	// error (missing reports something).
	absent bool
}

// plan returns the plan for the children of sc's instances.
func (v *validator) plan(sc *schema.Node) *plan {
	if p, ok := v.plans[sc]; ok {
		return p
	}
	p := &plan{}
	children := v.t.Schema().TopNodes()
	if sc != nil {
		children = sc.DataChildren()
		p.choices = mandatoryChoiceIn(sc.Children)
	}
	for _, c := range children {
		if !c.Config {
			continue
		}
		k := kid{s: c, visit: v.needsVisit(c)}
		switch c.Kind {
		case schema.List, schema.LeafList:
			if !k.visit && c.MinElements == 0 && c.MaxElements == 0 && len(c.Unique) == 0 {
				continue
			}
		default:
			k.absent = (sc != nil || c.Kind == schema.Container) && canBeMissing(c)
			if !k.visit && !k.absent {
				continue
			}
		}
		p.kids = append(p.kids, k)
	}
	v.plans[sc] = p
	return p
}

// canBeMissing reports whether missing can report an error for an absent
// instance of c.
func canBeMissing(c *schema.Node) bool {
	if !c.Config {
		return false
	}
	switch c.Kind {
	case schema.Leaf, schema.Anydata, schema.Anyxml:
		return c.Mandatory
	case schema.Container:
		if c.Presence {
			return false
		}
		if mandatoryChoiceIn(c.Children) {
			return true
		}
		for _, cc := range c.DataChildren() {
			switch cc.Kind {
			case schema.List, schema.LeafList:
				if cc.MinElements > 0 && cc.Config {
					return true
				}
			default:
				if canBeMissing(cc) {
					return true
				}
			}
		}
	}
	return false
}

// mandatoryChoiceIn reports whether choices can report an error for kids:
// whether a mandatory config choice is among them or in any case of a
// config choice among them.
func mandatoryChoiceIn(kids []*schema.Node) bool {
	for _, k := range kids {
		if k.Kind != schema.Choice || !k.Config {
			continue
		}
		if k.Mandatory {
			return true
		}
		for _, cs := range k.Children {
			if mandatoryChoiceIn(cs.Children) {
				return true
			}
		}
	}
	return false
}

func (v *validator) full() bool {
	return v.uncertain || len(v.errs) >= v.maxErrs || v.ctx.Err() != nil
}

func (v *validator) fail(e *rpcerror.Error) {
	if len(v.errs) < v.maxErrs {
		v.errs = append(v.errs, atPath(e, v.steps(v.path)))
	}
}

// steps converts a validator path into error-path steps.
func (v *validator) steps(path []vstep) []step {
	out := make([]step, len(path))
	for i, p := range path {
		out[i].s = p.s
		if p.n == nil {
			continue
		}
		switch p.s.Kind {
		case schema.List:
			out[i].keys = p.n.Keys()
		case schema.LeafList:
			out[i].keys = []string{p.n.Value()}
		}
	}
	return out
}

// node validates n (schema sc, nil for the root), the node under cur, and
// its descendants. It leaves cur where it found it. A nil cur (in an
// incremental validation) is positioned from the path when an expression
// of sc needs it.
func (v *validator) node(cur *tree.Cursor, n *tree.Node, sc *schema.Node) {
	if cur == nil && v.exprs != nil && sc != nil && (sc.When != nil || len(sc.Must) > 0) {
		if cur = v.cursor(); cur == nil {
			return
		}
	}
	if sc != nil {
		v.exprChecks(cur, sc)
	}
	if n.Schema() != nil && (sc.Kind == schema.Leaf || sc.Kind == schema.LeafList) {
		if t := sc.Type; t.Kind == schema.LeafRef && t.RequireInstance {
			v.leafref(sc, n.Value())
		}
		return
	}
	if sc != nil && (sc.Kind == schema.Anydata || sc.Kind == schema.Anyxml) {
		return
	}
	p := v.plan(sc)
	if p.choices {
		v.choices(n, sc.Children)
	}
	for _, k := range p.kids {
		if v.full() {
			return
		}
		c := k.s
		switch c.Kind {
		case schema.List, schema.LeafList:
			v.collection(cur, n, c, k.visit)
		default:
			child := n.Child(c)
			if child == nil {
				if k.absent {
					v.missing(n, c)
				}
				continue
			}
			if k.visit {
				v.descend(cur, child, c)
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
// the cursor moved onto it, then moves the cursor back.
func (v *validator) descend(cur *tree.Cursor, child *tree.Node, c *schema.Node) {
	if cur != nil && !moveTo(cur, func(n *tree.Node) bool { return n == child }) {
		return
	}
	v.path = append(v.path, vstep{c, child})
	v.node(cur, child, c)
	v.path = v.path[:len(v.path)-1]
	if cur != nil {
		cur.ToParent()
	}
}

// moveTo moves cur from a parent onto its first child that satisfies is.
// It leaves cur on the parent and returns false when there is none.
func moveTo(cur *tree.Cursor, is func(*tree.Node) bool) bool {
	if !cur.ToFirstChild() {
		return false
	}
	for !is(cur.Node()) {
		if !cur.ToNextSibling() {
			cur.ToParent()
			return false
		}
	}
	return true
}

// collection validates the entries of list or leaf-list c under n (the
// cursor's node); visit tells whether the entries need walking.
func (v *validator) collection(cur *tree.Cursor, n *tree.Node, c *schema.Node, visit bool) {
	count := n.Len(c)
	v.counts(n, c, count)
	if count == 0 {
		return
	}
	if c.Kind == schema.List && len(c.Unique) > 0 {
		v.unique(n, c)
	}
	if !visit {
		return
	}
	if cur == nil && v.exprs != nil && v.deps.exprsBelow(c) {
		if cur = v.cursor(); cur == nil {
			return
		}
	}
	if cur == nil {
		for e := range n.Entries(c) {
			if v.full() {
				return
			}
			v.path = append(v.path, vstep{c, e})
			v.node(nil, e, c)
			v.path = v.path[:len(v.path)-1]
		}
		return
	}
	// Walk the entries with the one cursor: sibling moves are O(log n) each.
	if !moveTo(cur, func(e *tree.Node) bool { return e.Schema() == c }) {
		return
	}
	for i := 0; i < count && !v.full(); i++ {
		v.path = append(v.path, vstep{c, cur.Node()})
		v.node(cur, cur.Node(), c)
		v.path = v.path[:len(v.path)-1]
		if !cur.ToNextSibling() {
			break
		}
	}
	cur.ToParent()
}

// counts checks min-elements and max-elements of list or leaf-list c,
// which has count entries under n.
func (v *validator) counts(n *tree.Node, c *schema.Node, count int) {
	if count == 0 && (c.MinElements == 0 || !caseActive(n, c)) {
		return
	}
	v.path = append(v.path, vstep{c, nil})
	switch {
	case c.MinElements > 0 && uint64(count) < c.MinElements:
		v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
			"%s has %d entries, fewer than min-elements %d", c.Name, count, c.MinElements).WithAppTag("too-few-elements"))
	case c.MaxElements > 0 && uint64(count) > c.MaxElements:
		v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
			"%s has %d entries, more than max-elements %d", c.Name, count, c.MaxElements).WithAppTag("too-many-elements"))
	}
	v.path = v.path[:len(v.path)-1]
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
			v.path = append(v.path, vstep{c, nil})
			v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing, "mandatory %s %s is missing", c.Kind, c.Name).
				WithInfo(rpcerror.Info{BadElement: c.Name}))
			v.path = v.path[:len(v.path)-1]
		}
	case schema.Container:
		if c.Presence {
			return
		}
		empty := tree.NewInner(c)
		v.path = append(v.path, vstep{c, nil})
		v.choices(empty, c.Children)
		for _, cc := range c.DataChildren() {
			switch cc.Kind {
			case schema.List, schema.LeafList:
				if cc.MinElements > 0 && caseActive(empty, cc) && cc.Config {
					v.path = append(v.path, vstep{cc, nil})
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
	var b strings.Builder
	for _, leaves := range c.Unique {
		chains := make([][]*schema.Node, len(leaves))
		for i, l := range leaves {
			chains[i] = chainBelow(c, l)
		}
		seen := make(map[string]*tree.Node, n.Len(c))
		for e := range n.Entries(c) {
			k, ok := uniqueKey(&b, e, chains)
			if !ok {
				continue
			}
			first, dup := seen[k]
			if !dup {
				seen[k] = e
				continue
			}
			v.path = append(v.path, vstep{c, e})
			p1, _ := instancePath(v.steps(append(append([]vstep(nil), v.path[:len(v.path)-1]...), vstep{c, first})))
			p2, _ := instancePath(v.steps(v.path))
			v.fail(rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
				"entries %s and %s are not unique", p1, p2).WithAppTag("data-not-unique").
				WithInfo(rpcerror.Info{Extra: `<non-unique xmlns="` + YANGNamespace + `">` + xmlText(p1) + `</non-unique>`}))
			v.path = v.path[:len(v.path)-1]
			if v.full() {
				return
			}
		}
	}
}

// uniqueKey returns the values of the unique leaves (reached from list
// entry e along chains) joined by NUL bytes, or false when one is absent.
func uniqueKey(b *strings.Builder, e *tree.Node, chains [][]*schema.Node) (string, bool) {
	if len(chains) == 1 {
		return valueAt(e, chains[0])
	}
	b.Reset()
	for i, chain := range chains {
		val, ok := valueAt(e, chain)
		if !ok {
			return "", false
		}
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(val)
	}
	return b.String(), true
}

// chainBelow returns the data nodes from below c down to its descendant l.
func chainBelow(c, l *schema.Node) []*schema.Node {
	var chain []*schema.Node
	for s := l; s != nil && s != c; s = s.DataParent() {
		chain = append(chain, s)
	}
	slices.Reverse(chain)
	return chain
}

// valueAt returns the value of the descendant of n reached along chain.
func valueAt(n *tree.Node, chain []*schema.Node) (string, bool) {
	for _, s := range chain {
		if n = n.Child(s); n == nil {
			return "", false
		}
	}
	return n.Value(), true
}

func xmlText(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// refPath is a leafref path as validation uses it: the schema nodes from
// the top to the target, and where the path starts.
type refPath struct {
	chain []*schema.Node
	// absolute is set for paths from the root; up counts the leading ".."
	// steps of relative ones.
	absolute bool
	up       int
}

// refPathOf returns the parsed leafref path of t.
func (v *validator) refPathOf(t *schema.Type) *refPath {
	if rp, ok := v.refPaths[t]; ok {
		return rp
	}
	rp := newRefPath(t)
	v.refPaths[t] = rp
	return rp
}

// newRefPath parses the leafref path of t.
func newRefPath(t *schema.Type) *refPath {
	rp := &refPath{}
	for s := t.Target; s != nil; s = s.DataParent() {
		rp.chain = append(rp.chain, s)
	}
	slices.Reverse(rp.chain)
	xp := strings.TrimSpace(t.Path.XPath)
	rp.absolute = strings.HasPrefix(xp, "/")
	if !rp.absolute {
		for _, part := range strings.Split(xp, "/") {
			part = strings.TrimSpace(part)
			if part == "current()" || part == "." {
				continue
			}
			if part != ".." {
				break
			}
			rp.up++
		}
	}
	return rp
}

// leafref checks that value, the value of the leaf (schema sc) the
// validator is on, exists among the instances the leafref path of sc
// points to. Path predicates are not evaluated: the target set is every
// instance of the target node reachable along the path.
func (v *validator) leafref(sc *schema.Node, value string) {
	t := sc.Type
	if t.Target == nil {
		return
	}
	start, steps := v.refStart(t)
	if start == nil {
		v.refMissing(sc, value)
		return
	}
	if v.deps != nil {
		if !refHas(start, steps, value) {
			v.refMissing(sc, value)
		}
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
// absolute paths, the ancestor of the validator's node reached by the
// leading ".." steps otherwise) and the schema steps from there to the
// target.
func (v *validator) refStart(t *schema.Type) (*tree.Node, []*schema.Node) {
	rp := v.refPathOf(t)
	if rp.absolute {
		return v.t.Root(), rp.chain
	}
	// Each leading ".." goes from the leaf to its parent.
	at := len(v.path) - 1 - rp.up
	if at < 0 {
		return v.t.Root(), rp.chain
	}
	if at >= len(rp.chain) || v.path[at].n.Schema() != rp.chain[at] {
		return nil, nil
	}
	return v.path[at].n, rp.chain[at+1:]
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
