package schema

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/openconfig/goyang/pkg/yang"
)

// TypeKind is a YANG built-in type.
type TypeKind uint8

// The YANG built-in types.
const (
	Int8 TypeKind = iota
	Int16
	Int32
	Int64
	Uint8
	Uint16
	Uint32
	Uint64
	Decimal64
	String
	Binary
	Bits
	Boolean
	Empty
	Enumeration
	IdentityRef
	InstanceIdentifier
	LeafRef
	Union
)

var typeKindNames = [...]string{"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
	"uint64", "decimal64", "string", "binary", "bits", "boolean", "empty", "enumeration",
	"identityref", "instance-identifier", "leafref", "union"}

// String returns the YANG name of k.
func (k TypeKind) String() string {
	if int(k) < len(typeKindNames) {
		return typeKindNames[k]
	}
	return "type(" + strconv.Itoa(int(k)) + ")"
}

// IsInteger reports whether k is one of the eight integer types.
func (k TypeKind) IsInteger() bool { return k <= Uint64 }

// Resolver maps an XML namespace prefix ("" for the default namespace) to
// its namespace URI, as declared where a value appears.
type Resolver func(prefix string) (ns string, ok bool)

// ValueError reports a value that is not valid for its type.
type ValueError struct {
	Value  string
	Reason string
}

func (e *ValueError) Error() string { return fmt.Sprintf("invalid value %q: %s", e.Value, e.Reason) }

// num is an integer with a separate sign so that the whole int64 and
// uint64 ranges compare correctly.
type num struct {
	neg bool
	mag uint64
}

func (a num) less(b num) bool {
	switch {
	case a.neg && !b.neg:
		return a.mag != 0 || b.mag != 0
	case !a.neg && b.neg:
		return false
	case a.neg:
		return a.mag > b.mag
	}
	return a.mag < b.mag
}

type numRange struct{ min, max num }

type lenRange struct{ min, max uint64 }

// Type is a resolved YANG type: a built-in type with the restrictions of
// every typedef it derives through.
type Type struct {
	Kind TypeKind
	// Name is the name the type was referred by (a typedef or built-in).
	Name string
	// FractionDigits of a decimal64.
	FractionDigits int
	// Enums maps the names of an enumeration to their values.
	Enums map[string]int64
	// Bits maps the names of a bits type to their positions.
	Bits map[string]int64
	// Bases are the base identities of an identityref.
	Bases []*Identity
	// Union holds the member types of a union, in order.
	Union []*Type
	// Path is the path of a leafref.
	Path *Expr
	// Target is the leaf or leaf-list a leafref path points to; its Type
	// checks the leafref's values.
	Target *Node
	// RequireInstance is true for leafrefs and instance-identifiers whose
	// target must exist.
	RequireInstance bool
	// Patterns are the XSD patterns of a string, as written in YANG.
	Patterns []string

	ranges   []numRange
	lengths  []lenRange
	regexps  []*regexp.Regexp
	bitOrder []string
}

var intBounds = map[TypeKind]numRange{
	Int8:   {num{true, 128}, num{false, math.MaxInt8}},
	Int16:  {num{true, 1 << 15}, num{false, math.MaxInt16}},
	Int32:  {num{true, 1 << 31}, num{false, math.MaxInt32}},
	Int64:  {num{true, 1 << 63}, num{false, math.MaxInt64}},
	Uint8:  {num{false, 0}, num{false, math.MaxUint8}},
	Uint16: {num{false, 0}, num{false, math.MaxUint16}},
	Uint32: {num{false, 0}, num{false, math.MaxUint32}},
	Uint64: {num{false, 0}, num{false, math.MaxUint64}},
}

var yangKinds = map[yang.TypeKind]TypeKind{
	yang.Yint8: Int8, yang.Yint16: Int16, yang.Yint32: Int32, yang.Yint64: Int64,
	yang.Yuint8: Uint8, yang.Yuint16: Uint16, yang.Yuint32: Uint32, yang.Yuint64: Uint64,
	yang.Ydecimal64: Decimal64, yang.Ystring: String, yang.Ybinary: Binary, yang.Ybits: Bits,
	yang.Ybool: Boolean, yang.Yempty: Empty, yang.Yenum: Enumeration, yang.Yidentityref: IdentityRef,
	yang.YinstanceIdentifier: InstanceIdentifier, yang.Yleafref: LeafRef, yang.Yunion: Union,
}

func (b *builder) typ(yt *yang.YangType, at yang.Node, mod *Module) (*Type, error) {
	if yt == nil {
		return nil, errors.New("leaf without type")
	}
	k, ok := yangKinds[yt.Kind]
	if !ok {
		return nil, fmt.Errorf("unsupported type %q", yt.Name)
	}
	t := &Type{Kind: k, Name: yt.Name}
	switch {
	case k.IsInteger():
		t.ranges = convertRanges(yt.Range, 0)
		if len(t.ranges) == 0 {
			t.ranges = []numRange{intBounds[k]}
		}
	case k == Decimal64:
		t.FractionDigits = yt.FractionDigits
		if t.FractionDigits < 1 || t.FractionDigits > 18 {
			return nil, fmt.Errorf("decimal64 fraction-digits %d out of 1..18", t.FractionDigits)
		}
		t.ranges = convertRanges(yt.Range, t.FractionDigits)
	case k == String || k == Binary:
		for _, r := range yt.Length {
			t.lengths = append(t.lengths, lenRange{r.Min.Value, r.Max.Value})
		}
		if k == String {
			for _, p := range yt.Pattern {
				re, err := CompilePattern(p)
				if err != nil {
					return nil, err
				}
				t.Patterns = append(t.Patterns, p)
				t.regexps = append(t.regexps, re)
			}
		}
	case k == Enumeration:
		t.Enums = yt.Enum.NameMap()
	case k == Bits:
		t.Bits = yt.Bit.NameMap()
		for name := range t.Bits {
			t.bitOrder = append(t.bitOrder, name)
		}
		sort.Slice(t.bitOrder, func(i, j int) bool { return t.Bits[t.bitOrder[i]] < t.Bits[t.bitOrder[j]] })
	case k == IdentityRef:
		if yt.IdentityBase == nil {
			return nil, errors.New("identityref without base")
		}
		id := b.identity(yt.IdentityBase)
		if id == nil {
			return nil, fmt.Errorf("identity %q not found", yt.IdentityBase.Name)
		}
		t.Bases = []*Identity{id}
	case k == LeafRef:
		t.Path = &Expr{XPath: yt.Path, Module: b.exprModule(at, mod)}
		t.RequireInstance = !yt.OptionalInstance
	case k == InstanceIdentifier:
		t.RequireInstance = !yt.OptionalInstance
	case k == Union:
		for _, m := range yt.Type {
			mt, err := b.typ(m, at, mod)
			if err != nil {
				return nil, err
			}
			t.Union = append(t.Union, mt)
		}
	}
	return t, nil
}

func (b *builder) identity(yi *yang.Identity) *Identity {
	root := yang.RootNode(yi)
	if root == nil {
		return nil
	}
	name := root.Name
	if root.BelongsTo != nil {
		name = root.BelongsTo.Name
	}
	m := b.set.byName[name]
	if m == nil {
		return nil
	}
	return m.identities[yi.Name]
}

func convertRanges(r yang.YangRange, fd int) []numRange {
	out := make([]numRange, 0, len(r))
	for _, yr := range r {
		out = append(out, numRange{scale(yr.Min, fd), scale(yr.Max, fd)})
	}
	return out
}

// scale converts a goyang number into an integer scaled by 10^fd, saturating
// at the uint64 bounds.
func scale(n yang.Number, fd int) num {
	v := n.Value
	for i := int(n.FractionDigits); i < fd; i++ {
		if v > math.MaxUint64/10 {
			v = math.MaxUint64
			break
		}
		v *= 10
	}
	for i := fd; i < int(n.FractionDigits); i++ {
		v /= 10
	}
	return num{n.Negative && v != 0, v}
}

// Canonical checks value against t and returns its canonical form.
// Namespace prefixes in identityref and instance-identifier values are
// resolved with r; the canonical form uses the Set-unique module prefixes.
func (t *Type) Canonical(value string, set *Set, r Resolver) (string, error) {
	switch t.Kind {
	case String:
		return value, t.checkString(value)
	case LeafRef:
		if t.Target != nil && t.Target.Type != nil {
			return t.Target.Type.Canonical(value, set, r)
		}
		return value, nil
	case Union:
		var reasons []string
		for _, m := range t.Union {
			if c, err := m.Canonical(value, set, r); err == nil {
				return c, nil
			} else {
				reasons = append(reasons, err.Error())
			}
		}
		return "", &ValueError{Value: value, Reason: "matches no member of the union (" + strings.Join(reasons, "; ") + ")"}
	}
	v := strings.TrimSpace(value)
	switch t.Kind {
	case Boolean:
		if v != "true" && v != "false" {
			return "", &ValueError{Value: value, Reason: "not a boolean"}
		}
		return v, nil
	case Empty:
		if v != "" {
			return "", &ValueError{Value: value, Reason: "empty type takes no value"}
		}
		return "", nil
	case Enumeration:
		if _, ok := t.Enums[v]; !ok {
			return "", &ValueError{Value: value, Reason: "not one of the enumeration names"}
		}
		return v, nil
	case Bits:
		return t.canonicalBits(value)
	case Binary:
		raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
		if err != nil {
			return "", &ValueError{Value: value, Reason: "not base64"}
		}
		if !t.lengthOK(uint64(len(raw))) {
			return "", &ValueError{Value: value, Reason: "length out of range"}
		}
		return base64.StdEncoding.EncodeToString(raw), nil
	case Decimal64:
		return t.canonicalDecimal(value, v)
	case IdentityRef:
		return t.canonicalIdentity(value, v, set, r)
	case InstanceIdentifier:
		return canonicalInstanceID(value, v, set, r)
	}
	return t.canonicalInt(value, v)
}

// canonicalStatic canonicalises a value written in a YANG module (a
// default), whose prefixes are the module's import prefixes.
func (t *Type) canonicalStatic(value string, m *Module) (string, error) {
	return t.Canonical(value, m.set, func(p string) (string, bool) {
		if p == "" {
			return m.Namespace, true
		}
		im := m.Imports[p]
		if im == nil {
			return "", false
		}
		return im.Namespace, true
	})
}

func (t *Type) checkString(v string) error {
	if len(t.lengths) > 0 {
		n := uint64(0)
		for range v {
			n++
		}
		if !t.lengthOK(n) {
			return &ValueError{Value: v, Reason: "length out of range"}
		}
	}
	for i, re := range t.regexps {
		if !re.MatchString(v) {
			return &ValueError{Value: v, Reason: "does not match pattern " + strconv.Quote(t.Patterns[i])}
		}
	}
	return nil
}

func (t *Type) lengthOK(n uint64) bool {
	if len(t.lengths) == 0 {
		return true
	}
	for _, l := range t.lengths {
		if n >= l.min && n <= l.max {
			return true
		}
	}
	return false
}

func (t *Type) inRange(n num) bool {
	if len(t.ranges) == 0 {
		return true
	}
	for _, r := range t.ranges {
		if !n.less(r.min) && !r.max.less(n) {
			return true
		}
	}
	return false
}

func (t *Type) canonicalInt(value, v string) (string, error) {
	var n num
	digits := v
	switch {
	case strings.HasPrefix(v, "-"):
		n.neg = true
		digits = v[1:]
	case strings.HasPrefix(v, "+"):
		digits = v[1:]
	}
	if digits == "" || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", &ValueError{Value: value, Reason: "not an integer"}
	}
	mag, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return "", &ValueError{Value: value, Reason: "integer out of range"}
	}
	n.mag = mag
	if n.mag == 0 {
		n.neg = false
	}
	b := intBounds[t.Kind]
	if n.less(b.min) || b.max.less(n) {
		return "", &ValueError{Value: value, Reason: "out of range for " + t.Kind.String()}
	}
	if !t.inRange(n) {
		return "", &ValueError{Value: value, Reason: "out of range"}
	}
	s := strconv.FormatUint(n.mag, 10)
	if n.neg {
		s = "-" + s
	}
	return s, nil
}

func (t *Type) canonicalDecimal(value, v string) (string, error) {
	bad := &ValueError{Value: value, Reason: "not a decimal64 with at most " + strconv.Itoa(t.FractionDigits) + " fraction digits"}
	neg := false
	switch {
	case strings.HasPrefix(v, "-"):
		neg = true
		v = v[1:]
	case strings.HasPrefix(v, "+"):
		v = v[1:]
	}
	ip, fp, _ := strings.Cut(v, ".")
	isDigits := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
	}
	if ip == "" || !isDigits(ip) || !isDigits(fp) || (strings.Contains(v, ".") && fp == "") {
		return "", bad
	}
	fp = strings.TrimRight(fp, "0")
	if len(fp) > t.FractionDigits {
		return "", bad
	}
	scaled := strings.TrimLeft(ip, "0") + fp + strings.Repeat("0", t.FractionDigits-len(fp))
	mag := uint64(0)
	if s := strings.TrimLeft(scaled, "0"); s != "" {
		var err error
		if mag, err = strconv.ParseUint(s, 10, 64); err != nil || mag > math.MaxInt64+uint64(boolInt(neg)) {
			return "", &ValueError{Value: value, Reason: "decimal64 out of range"}
		}
	}
	n := num{neg && mag != 0, mag}
	if !t.inRange(n) {
		return "", &ValueError{Value: value, Reason: "out of range"}
	}
	div := uint64(1)
	for i := 0; i < t.FractionDigits; i++ {
		div *= 10
	}
	frac := strconv.FormatUint(mag%div, 10)
	frac = strings.Repeat("0", t.FractionDigits-len(frac)) + frac
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		frac = "0"
	}
	s := strconv.FormatUint(mag/div, 10) + "." + frac
	if n.neg {
		s = "-" + s
	}
	return s, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (t *Type) canonicalBits(value string) (string, error) {
	set := map[string]bool{}
	for _, f := range strings.Fields(value) {
		if _, ok := t.Bits[f]; !ok {
			return "", &ValueError{Value: value, Reason: "unknown bit " + strconv.Quote(f)}
		}
		if set[f] {
			return "", &ValueError{Value: value, Reason: "bit " + strconv.Quote(f) + " given twice"}
		}
		set[f] = true
	}
	out := make([]string, 0, len(set))
	for _, b := range t.bitOrder {
		if set[b] {
			out = append(out, b)
		}
	}
	return strings.Join(out, " "), nil
}

func (t *Type) canonicalIdentity(value, v string, set *Set, r Resolver) (string, error) {
	id, err := ResolveIdentity(v, set, r)
	if err != nil {
		return "", &ValueError{Value: value, Reason: err.Error()}
	}
	for _, base := range t.Bases {
		if !id.DerivedFrom(base) {
			return "", &ValueError{Value: value, Reason: "identity not derived from " + base.QName()}
		}
	}
	return id.QName(), nil
}

// ResolveIdentity resolves an identityref value PREFIX:NAME (or NAME in the
// default namespace) with r.
func ResolveIdentity(v string, set *Set, r Resolver) (*Identity, error) {
	prefix, name, ok := strings.Cut(v, ":")
	if !ok {
		prefix, name = "", v
	}
	ns, ok := r(prefix)
	if !ok {
		return nil, fmt.Errorf("namespace prefix %q is not declared", prefix)
	}
	id := set.Identity(ns, name)
	if id == nil {
		return nil, fmt.Errorf("no identity %q in namespace %q", name, ns)
	}
	return id, nil
}

// canonicalInstanceID rewrites the prefixes of an instance-identifier to
// the Set-unique module prefixes after checking that the value is an
// absolute path whose every prefix resolves to a loaded module.
func canonicalInstanceID(value, v string, set *Set, r Resolver) (string, error) {
	if !strings.HasPrefix(v, "/") {
		return "", &ValueError{Value: value, Reason: "instance-identifier must be an absolute path"}
	}
	var b strings.Builder
	var quote byte
	start := -1
	flush := func(end int, colon bool) error {
		if start < 0 {
			return nil
		}
		tok := v[start:end]
		start = -1
		if !colon {
			b.WriteString(tok)
			return nil
		}
		ns, ok := r(tok)
		if !ok {
			return &ValueError{Value: value, Reason: "namespace prefix " + strconv.Quote(tok) + " is not declared"}
		}
		m := set.ModuleByNamespace(ns)
		if m == nil {
			return &ValueError{Value: value, Reason: "unknown namespace " + strconv.Quote(ns)}
		}
		b.WriteString(m.Prefix)
		return nil
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if quote != 0 {
			b.WriteByte(c)
			if c == quote {
				quote = 0
			}
			continue
		}
		isName := c == '_' || c == '-' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		if isName {
			if start < 0 {
				start = i
			}
			continue
		}
		if err := flush(i, c == ':'); err != nil {
			return "", err
		}
		if c == '\'' || c == '"' {
			quote = c
		}
		b.WriteByte(c)
	}
	if quote != 0 {
		return "", &ValueError{Value: value, Reason: "unterminated string in instance-identifier"}
	}
	if start >= 0 {
		b.WriteString(v[start:])
	}
	return b.String(), nil
}

// HasQNames reports whether values of t may contain namespace prefixes
// (identityref, instance-identifier, or a union with one of them), which a
// serializer must declare.
func (t *Type) HasQNames() bool {
	switch t.Kind {
	case IdentityRef, InstanceIdentifier:
		return true
	case Union:
		for _, m := range t.Union {
			if m.HasQNames() {
				return true
			}
		}
	case LeafRef:
		return t.Target != nil && t.Target.Type != nil && t.Target.Type.HasQNames()
	}
	return false
}
