package schema

import (
	"maps"
	"math"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// IsCanonical reports whether value is a valid value of t already in its
// canonical form, so that Canonical would return it unchanged and without
// error. It never allocates, which makes it a cheap first check before
// Canonical on the data of large edits. A false result says nothing more:
// the value may still be valid in another form (call Canonical to find out
// and to get the error).
//
// It decides integers, strings, booleans, enumerations, empty, identityref
// and leafrefs and unions of those; other types always give false.
func (t *Type) IsCanonical(value string, set *Set, r Resolver) bool {
	return t.asIs(value, set, r) == canonicalAsIs
}

// asIsVerdict is what the allocation-free check learned about a value.
type asIsVerdict uint8

const (
	// canonicalUnknown: only Canonical can tell.
	canonicalUnknown asIsVerdict = iota
	// canonicalAsIs: valid, and Canonical returns it unchanged.
	canonicalAsIs
	// canonicalInvalid: Canonical rejects it.
	canonicalInvalid
)

func verdictOf(ok bool) asIsVerdict {
	if ok {
		return canonicalAsIs
	}
	return canonicalInvalid
}

func (t *Type) asIs(value string, set *Set, r Resolver) asIsVerdict {
	switch t.Kind {
	case String:
		return verdictOf(t.stringOK(value))
	case LeafRef:
		if t.Target != nil && t.Target.Type != nil {
			return t.Target.Type.asIs(value, set, r)
		}
		return canonicalAsIs
	case Union:
		// Canonical takes the first member that accepts the value.
		for _, m := range t.Union {
			if v := m.asIs(value, set, r); v != canonicalInvalid {
				return v
			}
		}
		return canonicalInvalid
	}
	v := strings.TrimSpace(value)
	if len(v) != len(value) {
		return canonicalUnknown
	}
	switch t.Kind {
	case Boolean:
		return verdictOf(v == "true" || v == "false")
	case Empty:
		return verdictOf(v == "")
	case Enumeration:
		_, ok := t.Enums[v]
		return verdictOf(ok)
	case IdentityRef:
		return t.identityAsIs(v, set, r)
	}
	if t.Kind.IsInteger() {
		return t.intAsIs(v)
	}
	return canonicalUnknown
}

// stringOK is checkString without building an error.
func (t *Type) stringOK(v string) bool {
	if len(t.lengths) > 0 {
		n := uint64(0)
		for range v {
			n++
		}
		if !t.lengthOK(n) {
			return false
		}
	}
	for _, re := range t.regexps {
		if !matchPattern(re, v) {
			return false
		}
	}
	return true
}

// matchPattern is re.MatchString(v), done without the regexp machinery
// when re is a simple sequence (see classSeq).
func matchPattern(re *regexp.Regexp, v string) bool {
	if q := seqOf(re); q != nil {
		return q.match(v)
	}
	return re.MatchString(v)
}

// seqs caches the classSeq of each compiled pattern by its source text (a
// nil *classSeq when it has none). It is replaced, never changed, so that
// lookups need no lock. It grows with the distinct patterns of the loaded
// schemas, and starts over past maxSeqs of them.
var seqs atomic.Pointer[map[string]*classSeq]

const maxSeqs = 4096

func seqOf(re *regexp.Regexp) *classSeq {
	src := re.String()
	m := seqs.Load()
	if m != nil {
		if q, ok := (*m)[src]; ok {
			return q
		}
	}
	q := compileSeq(src)
	for {
		next := make(map[string]*classSeq, 1)
		if m != nil && len(*m) < maxSeqs {
			maps.Copy(next, *m)
		}
		next[src] = q
		if seqs.CompareAndSwap(m, &next) {
			return q
		}
		m = seqs.Load()
	}
}

// classSeq is a pattern that is a sequence of character classes, each
// matched a bounded or unbounded number of times, such that a character
// can never both continue one repetition and start what follows it. Such a
// pattern matches greedily without backtracking.
type classSeq []classItem

type classItem struct {
	// ascii has bit r set for the ASCII characters r in the class; ranges
	// are its inclusive rune ranges, lo and hi in turn.
	ascii    [2]uint64
	ranges   []rune
	min, max int
}

func newClassItem(ranges []rune, min, max int) classItem {
	it := classItem{ranges: ranges, min: min, max: max}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if it.inRanges(r) {
			it.ascii[r/64] |= 1 << (r % 64)
		}
	}
	return it
}

// maxSeqRanges keeps the classes of a classSeq small enough for a linear
// search; larger ones (Unicode categories) are left to the regexp.
const maxSeqRanges = 16

func (it *classItem) has(r rune) bool {
	if r < utf8.RuneSelf {
		return it.ascii[r/64]&(1<<(r%64)) != 0
	}
	return it.inRanges(r)
}

func (it *classItem) inRanges(r rune) bool {
	for i := 0; i+1 < len(it.ranges); i += 2 {
		if it.ranges[i] <= r && r <= it.ranges[i+1] {
			return true
		}
	}
	return false
}

func (q classSeq) match(s string) bool {
	i := 0
	for k := range q {
		it := &q[k]
		n := 0
		for n < it.max && i < len(s) {
			r, w := rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, w = utf8.DecodeRuneInString(s[i:])
			}
			if !it.has(r) {
				break
			}
			i += w
			n++
		}
		if n < it.min {
			return false
		}
	}
	return i == len(s)
}

// compileSeq returns the classSeq of the anchored regexp src, or nil when
// it is not that simple.
func compileSeq(src string) *classSeq {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	var parts []*syntax.Regexp
	flattenConcat(re.Simplify(), &parts)
	if len(parts) < 2 || parts[0].Op != syntax.OpBeginText || parts[len(parts)-1].Op != syntax.OpEndText {
		return nil
	}
	q := classSeq{}
	for _, p := range parts[1 : len(parts)-1] {
		min, max := 1, 1
		switch p.Op {
		case syntax.OpEmptyMatch:
			continue
		case syntax.OpLiteral:
			if p.Flags&syntax.FoldCase != 0 {
				return nil
			}
			for _, r := range p.Rune {
				q = append(q, newClassItem([]rune{r, r}, 1, 1))
			}
			continue
		case syntax.OpStar:
			min, max = 0, math.MaxInt
		case syntax.OpPlus:
			max = math.MaxInt
		case syntax.OpQuest:
			min = 0
		}
		if p.Op == syntax.OpStar || p.Op == syntax.OpPlus || p.Op == syntax.OpQuest {
			p = p.Sub[0]
		}
		ranges, ok := classOf(p)
		if !ok {
			return nil
		}
		q = append(q, newClassItem(ranges, min, max))
	}
	if !q.deterministic() {
		return nil
	}
	return &q
}

// flattenConcat appends the items of the concatenation re (looking
// through captures) to parts.
func flattenConcat(re *syntax.Regexp, parts *[]*syntax.Regexp) {
	switch re.Op {
	case syntax.OpConcat:
		for _, s := range re.Sub {
			flattenConcat(s, parts)
		}
	case syntax.OpCapture:
		flattenConcat(re.Sub[0], parts)
	default:
		*parts = append(*parts, re)
	}
}

// classOf returns the rune ranges re matches when it matches exactly one
// character.
func classOf(re *syntax.Regexp) ([]rune, bool) {
	switch {
	case re.Op == syntax.OpCharClass && len(re.Rune) <= 2*maxSeqRanges:
		return re.Rune, true
	case re.Op == syntax.OpLiteral && len(re.Rune) == 1 && re.Flags&syntax.FoldCase == 0:
		return []rune{re.Rune[0], re.Rune[0]}, true
	case re.Op == syntax.OpAnyCharNotNL:
		return []rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune}, true
	case re.Op == syntax.OpAnyChar:
		return []rune{0, unicode.MaxRune}, true
	}
	return nil, false
}

// deterministic reports whether no character can both continue a
// repetition and start one of the items that may come right after it.
func (q classSeq) deterministic() bool {
	for i := range q {
		if q[i].min == q[i].max {
			continue
		}
		for j := i + 1; j < len(q); j++ {
			if overlap(q[i].ranges, q[j].ranges) {
				return false
			}
			if q[j].min > 0 {
				break
			}
		}
	}
	return true
}

func overlap(a, b []rune) bool {
	for i := 0; i+1 < len(a); i += 2 {
		for j := 0; j+1 < len(b); j += 2 {
			if a[i] <= b[j+1] && b[j] <= a[i+1] {
				return true
			}
		}
	}
	return false
}

// intAsIs checks an integer: canonical is an optional minus sign (never on
// zero) and digits without leading zeros.
func (t *Type) intAsIs(v string) asIsVerdict {
	var n num
	digits := v
	switch {
	case strings.HasPrefix(v, "+"):
		return canonicalUnknown
	case strings.HasPrefix(v, "-"):
		n.neg = true
		digits = v[1:]
	}
	if digits == "" {
		return canonicalInvalid
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return canonicalInvalid
		}
		d := uint64(c - '0')
		if n.mag > (^uint64(0)-d)/10 {
			return canonicalInvalid
		}
		n.mag = n.mag*10 + d
	}
	if digits[0] == '0' && (len(digits) > 1 || n.neg) {
		return canonicalUnknown
	}
	b := boundsOf(t.Kind)
	if n.less(b.min) || b.max.less(n) || !t.inRange(n) {
		return canonicalInvalid
	}
	return canonicalAsIs
}

// identityAsIs checks an identityref: canonical is the identity's QName,
// so the value must use the Set-unique prefix of its module.
func (t *Type) identityAsIs(v string, set *Set, r Resolver) asIsVerdict {
	prefix, name, ok := strings.Cut(v, ":")
	if !ok {
		return canonicalUnknown
	}
	ns, ok := r(prefix)
	if !ok {
		return canonicalInvalid
	}
	id := set.Identity(ns, name)
	if id == nil {
		return canonicalInvalid
	}
	for _, base := range t.Bases {
		if !id.DerivedFrom(base) {
			return canonicalInvalid
		}
	}
	if id.Module.Prefix != prefix {
		return canonicalUnknown
	}
	return canonicalAsIs
}

// boundsOf is intBounds[k] without a map lookup.
func boundsOf(k TypeKind) numRange {
	switch k {
	case Int8:
		return numRange{num{true, 128}, num{false, math.MaxInt8}}
	case Int16:
		return numRange{num{true, 1 << 15}, num{false, math.MaxInt16}}
	case Int32:
		return numRange{num{true, 1 << 31}, num{false, math.MaxInt32}}
	case Int64:
		return numRange{num{true, 1 << 63}, num{false, math.MaxInt64}}
	case Uint8:
		return numRange{num{false, 0}, num{false, math.MaxUint8}}
	case Uint16:
		return numRange{num{false, 0}, num{false, math.MaxUint16}}
	case Uint32:
		return numRange{num{false, 0}, num{false, math.MaxUint32}}
	}
	return numRange{num{false, 0}, num{false, math.MaxUint64}}
}
