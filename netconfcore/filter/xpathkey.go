package filter

import (
	"math"
	"strconv"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// The XPath fast path: filters that name list entries by all their keys,
// as management systems poll single entries, are answered with O(log n)
// key lookups instead of a walk over every entry. It accepts a union of
// absolute location paths of child steps, where every list step gives
// each key once as [prefix:key='literal'] or [prefix:key=number] and a
// leaf-list step may give its value as [.='literal']. Every other
// expression, and every one whose names do not all resolve in the schema,
// goes to the general evaluator, so that results and errors stay those of
// XPath 1.0.

// keyStep is one resolved step: a schema node and, for a list, the key
// values in key order, or for a leaf-list, the value.
type keyStep struct {
	s    *schema.Node
	keys []keyValue
}

// keyValue is the right-hand side of one key predicate.
type keyValue struct {
	v string
	// number marks a number literal: v is then the canonical integer it
	// equals, and a stored value matches it numerically.
	number bool
}

// keySelect evaluates expr on src by key lookups when it has the form the
// fast path accepts, returning ok false when it does not. The result is
// the one the general evaluator gives.
func keySelect(src *tree.Tree, expr string, ns map[string]string) (*tree.Tree, bool) {
	paths, ok := parseKeyPaths(src.Schema(), expr, ns)
	if !ok {
		return nil, false
	}
	sub := tree.NewSubset(src)
	for _, steps := range paths {
		path, ok := lookup(src.Root(), steps)
		if !ok {
			return nil, false
		}
		sub.Add(path)
	}
	return sub.Tree(), true
}

// lookup follows steps down from the root. It returns a nil path when a
// node is missing, and ok false when a stored key value differs from the
// one asked for in a way only the general evaluator can judge.
func lookup(root *tree.Node, steps []keyStep) (path []*tree.Node, ok bool) {
	n := root
	path = make([]*tree.Node, 0, len(steps))
	for _, st := range steps {
		switch st.s.Kind {
		case schema.List:
			vals := make([]string, len(st.keys))
			for i, k := range st.keys {
				vals[i] = k.v
			}
			n = n.Entry(st.s, vals...)
			if n == nil {
				return nil, true
			}
			for i, k := range st.s.Keys {
				leaf := n.Child(k)
				if leaf == nil {
					return nil, false
				}
				if leaf.Value() != vals[i] {
					// A string literal equal to no stored value selects
					// nothing: an entry holding it would have the same
					// encoded key as the entry found.
					return nil, !st.keys[i].number
				}
			}
		case schema.LeafList:
			n = n.Entry(st.s, st.keys[0].v)
			if n == nil {
				return nil, true
			}
			if n.Value() != st.keys[0].v {
				return nil, !st.keys[0].number
			}
		default:
			n = n.Child(st.s)
			if n == nil {
				return nil, true
			}
		}
		path = append(path, n)
	}
	return path, true
}

// parseKeyPaths parses and resolves expr as a union of key paths.
func parseKeyPaths(set *schema.Set, expr string, ns map[string]string) ([][]keyStep, bool) {
	p := &keyParser{src: expr, set: set, ns: ns}
	var paths [][]keyStep
	for {
		steps, ok := p.path()
		if !ok {
			return nil, false
		}
		paths = append(paths, steps)
		if p.done() {
			return paths, true
		}
		if !p.symbol('|') {
			return nil, false
		}
	}
}

// keyParser reads the fast path's subset of XPath 1.0 from src.
type keyParser struct {
	src string
	i   int
	set *schema.Set
	ns  map[string]string
}

func (p *keyParser) skipSpace() {
	for p.i < len(p.src) {
		switch p.src[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *keyParser) done() bool {
	p.skipSpace()
	return p.i == len(p.src)
}

// symbol consumes the one-character token c.
func (p *keyParser) symbol(c byte) bool {
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == c {
		p.i++
		return true
	}
	return false
}

// path reads ('/' step)+ with its predicates.
func (p *keyParser) path() ([]keyStep, bool) {
	var steps []keyStep
	var parent *schema.Node
	for p.symbol('/') {
		s, ok := p.nameTest(parent)
		if !ok {
			return nil, false
		}
		st := keyStep{s: s}
		switch s.Kind {
		case schema.List:
			if st.keys, ok = p.listKeys(s); !ok {
				return nil, false
			}
		case schema.LeafList:
			v, ok := p.leafListValue(s)
			if !ok {
				return nil, false
			}
			st.keys = []keyValue{v}
		default:
			if p.peek('[') {
				return nil, false
			}
		}
		steps = append(steps, st)
		parent = s
	}
	return steps, len(steps) > 0
}

func (p *keyParser) peek(c byte) bool {
	p.skipSpace()
	return p.i < len(p.src) && p.src[p.i] == c
}

// nameTest reads a QName and resolves it to a data child of parent (a
// top-level node when parent is nil).
func (p *keyParser) nameTest(parent *schema.Node) (*schema.Node, bool) {
	uri, local, ok := p.qname()
	if !ok {
		return nil, false
	}
	var s *schema.Node
	if parent == nil {
		s = p.set.Top(uri, local)
	} else {
		s = parent.Child(uri, local)
	}
	return s, s != nil
}

// qname reads a prefixed or unprefixed name and returns its namespace.
// Unprefixed names need a default namespace: without one they match any
// namespace, which only the general evaluator handles.
func (p *keyParser) qname() (uri, local string, ok bool) {
	p.skipSpace()
	first := p.ncname()
	if first == "" {
		return "", "", false
	}
	prefix, local := "", first
	if p.i+1 < len(p.src) && p.src[p.i] == ':' && p.src[p.i+1] != ':' {
		p.i++
		if local = p.ncname(); local == "" {
			return "", "", false
		}
		prefix = first
	}
	p.skipSpace()
	if p.i < len(p.src) && (p.src[p.i] == '(' || p.src[p.i] == ':') {
		return "", "", false // a function call or an axis
	}
	uri = p.ns[prefix]
	return uri, local, uri != ""
}

// ncname reads an NCName made of ASCII characters; names with other
// characters are left to the general evaluator.
func (p *keyParser) ncname() string {
	start := p.i
	for p.i < len(p.src) {
		c := p.src[p.i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && (p.i == start || !(c >= '0' && c <= '9' || c == '-' || c == '.')) {
			break
		}
		p.i++
	}
	return p.src[start:p.i]
}

// listKeys reads the predicates of a step to list s: each must compare a
// key with a literal, and together they must give every key once.
func (p *keyParser) listKeys(s *schema.Node) ([]keyValue, bool) {
	if len(s.Keys) == 0 {
		return nil, false
	}
	keys := make([]keyValue, len(s.Keys))
	seen := make([]bool, len(s.Keys))
	n := 0
	for p.symbol('[') {
		uri, local, ok := p.qname()
		if !ok {
			return nil, false
		}
		i := keyIndex(s, uri, local)
		if i < 0 || seen[i] {
			return nil, false
		}
		if keys[i], ok = p.comparison(s.Keys[i]); !ok {
			return nil, false
		}
		seen[i] = true
		n++
	}
	return keys, n == len(s.Keys)
}

func keyIndex(s *schema.Node, uri, local string) int {
	for i, k := range s.Keys {
		if k.Name == local && k.Module.Namespace == uri {
			return i
		}
	}
	return -1
}

// leafListValue reads the one predicate [.=literal] of a step to
// leaf-list s.
func (p *keyParser) leafListValue(s *schema.Node) (keyValue, bool) {
	if !p.symbol('[') || !p.symbol('.') || p.peek('.') {
		return keyValue{}, false
	}
	v, ok := p.comparison(s)
	if !ok || p.peek('[') {
		return keyValue{}, false
	}
	return v, true
}

// comparison reads "= literal ]" for the leaf or leaf-list leaf.
func (p *keyParser) comparison(leaf *schema.Node) (keyValue, bool) {
	if !p.symbol('=') {
		return keyValue{}, false
	}
	p.skipSpace()
	if p.i == len(p.src) {
		return keyValue{}, false
	}
	var v keyValue
	switch q := p.src[p.i]; q {
	case '\'', '"':
		end := p.i + 1
		for end < len(p.src) && p.src[end] != q {
			end++
		}
		if end == len(p.src) {
			return keyValue{}, false
		}
		v.v = p.src[p.i+1 : end]
		p.i = end + 1
	default:
		var ok bool
		if v, ok = p.integer(leaf); !ok {
			return keyValue{}, false
		}
	}
	return v, p.symbol(']')
}

// maxExact is the largest magnitude up to which every integer is a
// float64 of its own, so that one number literal equals one integer.
const maxExact = 1 << 53

// integer reads a number literal, optionally negated, compared with an
// integer-typed leaf: it is taken when it is a whole number that one
// canonical value of the type equals. Other numbers compare with string
// values in ways only the general evaluator follows.
func (p *keyParser) integer(leaf *schema.Node) (keyValue, bool) {
	if leaf.Type == nil || !leaf.Type.Kind.IsInteger() {
		return keyValue{}, false
	}
	start := p.i
	if p.src[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.src) && (p.src[p.i] >= '0' && p.src[p.i] <= '9' || p.src[p.i] == '.') {
		p.i++
	}
	if p.i == digits {
		return keyValue{}, false
	}
	f, err := strconv.ParseFloat(p.src[start:p.i], 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > maxExact {
		return keyValue{}, false
	}
	return keyValue{v: strconv.FormatInt(int64(f), 10), number: true}, true
}
