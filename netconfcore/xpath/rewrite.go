package xpath

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// prepared is an expression rewritten for antchfx/xpath:
//
//   - unprefixed name tests get a synthetic prefix bound to the default
//     namespace (when there is one), since XPath 1.0 name tests ignore the
//     default namespace;
//   - every prefix is checked against the bindings in scope, and prefix:*
//     becomes *[namespace-uri() = '...'];
//   - derived-from(X, 'p:id') and derived-from-or-self become tests for a
//     virtual attribute that the navigator shows on identityref leaves
//     (antchfx/xpath has no extension functions);
//   - current() becomes the absolute path of the context node, which is
//     spliced between parts at evaluation time.
type prepared struct {
	src   string
	parts []string          // text; the current() path goes between parts
	ns    map[string]string // bindings for compilation, synthetic ones included
	bases []baseTest        // identities tested by derived-from
	// pathPrefix maps module namespaces to the synthetic prefixes current()
	// paths use.
	pathPrefix map[string]string
}

// baseTest is one derived-from call: identityref leaves whose value is
// derived from id (or is id, when orSelf) carry the attribute name.
type baseTest struct {
	id     *schema.Identity
	orSelf bool
	name   string
}

// rewriteOptions say how names in an expression are bound.
type rewriteOptions struct {
	ns        map[string]string // prefix bindings in scope
	defaultNS string            // namespace of unprefixed names; "" matches any
	current   bool              // current() is available (YANG expressions)
	set       *schema.Set
}

// attrPrefix starts the local names of the virtual derived-from
// attributes; no YANG data node carries XML attributes.
const attrPrefix = "ncsoap-derived-from-"

func prepare(src string, o rewriteOptions) (*prepared, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errorAt(src, 0, "empty expression")
	}
	p := &prepared{src: src, ns: make(map[string]string, len(o.ns)+1)}
	for k, v := range o.ns {
		if k != "" {
			p.ns[k] = v
		}
	}
	defaultPrefix := ""
	if o.defaultNS != "" {
		defaultPrefix = fresh(p.ns, "ncsoap-default")
		p.ns[defaultPrefix] = o.defaultNS
	}
	var b strings.Builder
	type call struct {
		depth  int
		orSelf bool
	}
	var calls []call // open derived-from calls
	depth := 0
	last := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		b.WriteString(src[last:t.pos])
		last = t.end
		switch t.kind {
		case tokNameTest:
			if t.prefix != "" {
				uri, ok := o.ns[t.prefix]
				if !ok {
					return nil, errorAt(src, t.pos, "unknown prefix "+strconv.Quote(t.prefix))
				}
				if t.local == "*" {
					// antchfx/xpath never matches prefix:* when prefixes
					// are bound to namespaces.
					b.WriteString("*[namespace-uri() = " + Literal(uri) + "]")
					continue
				}
				b.WriteString(t.text)
				continue
			}
			attr := i > 0 && (toks[i-1].text == "@" || toks[i-1].text == "::" && i > 1 && toks[i-2].text == "attribute")
			if t.local != "*" && defaultPrefix != "" && !attr {
				b.WriteString(defaultPrefix + ":" + t.local)
				continue
			}
			b.WriteString(t.text)
		case tokFunc:
			if t.prefix != "" {
				return nil, errorAt(src, t.pos, "unknown function "+t.text+"()")
			}
			switch t.local {
			case "current":
				if !o.current {
					return nil, errorAt(src, t.pos, "current() is only available in YANG expressions")
				}
				if i+2 >= len(toks) || toks[i+1].text != "(" || toks[i+2].text != ")" {
					return nil, errorAt(src, t.pos, "current() takes no arguments")
				}
				p.parts = append(p.parts, b.String())
				b.Reset()
				last = toks[i+2].end
				i += 2
				if p.pathPrefix == nil {
					p.pathPrefix = map[string]string{}
					for _, m := range o.set.Modules() {
						pfx := fresh(p.ns, "ncsoap-"+m.Prefix)
						p.ns[pfx] = m.Namespace
						p.pathPrefix[m.Namespace] = pfx
					}
				}
			case "derived-from", "derived-from-or-self":
				if i+1 >= len(toks) || toks[i+1].text != "(" {
					return nil, errorAt(src, t.pos, t.local+"() needs arguments")
				}
				depth++
				calls = append(calls, call{depth: depth, orSelf: t.local == "derived-from-or-self"})
				b.WriteString("boolean((")
				last = toks[i+1].end
				i++
			case "deref", "re-match", "enum-value", "bit-is-set":
				return nil, errorAt(src, t.pos, t.local+"() is not supported")
			default:
				b.WriteString(t.text)
			}
		case tokSymbol:
			switch t.text {
			case "(", "[":
				depth++
			case ")", "]":
				if len(calls) > 0 && calls[len(calls)-1].depth == depth {
					return nil, errorAt(src, t.pos, "derived-from() takes two arguments")
				}
				depth--
			case ",":
				if len(calls) > 0 && calls[len(calls)-1].depth == depth {
					c := calls[len(calls)-1]
					calls = calls[:len(calls)-1]
					if i+2 >= len(toks) || toks[i+1].kind != tokLiteral || toks[i+2].text != ")" {
						return nil, errorAt(src, t.pos, "the second argument of derived-from() must be a string literal")
					}
					lit := toks[i+1].text
					id, err := identity(lit[1:len(lit)-1], o)
					if err != nil {
						return nil, errorAt(src, toks[i+1].pos, err.Error())
					}
					name := attrPrefix + strconv.Itoa(len(p.bases))
					p.bases = append(p.bases, baseTest{id: id, orSelf: c.orSelf, name: name})
					b.WriteString(")/@" + name + ")")
					last = toks[i+2].end
					i += 2
					depth--
					continue
				}
			}
			b.WriteString(t.text)
		default:
			b.WriteString(t.text)
		}
	}
	if len(calls) > 0 {
		return nil, errorAt(src, len(src), "unterminated derived-from() call")
	}
	b.WriteString(src[last:])
	p.parts = append(p.parts, b.String())
	return p, nil
}

// identity resolves the identity named by a derived-from argument.
func identity(qn string, o rewriteOptions) (*schema.Identity, error) {
	qn = strings.TrimSpace(qn)
	prefix, name, ok := strings.Cut(qn, ":")
	ns := o.defaultNS
	if !ok {
		name = prefix
	} else {
		var bound bool
		if ns, bound = o.ns[prefix]; !bound {
			return nil, fmt.Errorf("unknown prefix %q in identity %q", prefix, qn)
		}
	}
	var id *schema.Identity
	if o.set != nil {
		id = o.set.Identity(ns, name)
	}
	if id == nil {
		return nil, fmt.Errorf("unknown identity %q", qn)
	}
	return id, nil
}

// fresh returns base, or base with a number appended, unbound in ns.
func fresh(ns map[string]string, base string) string {
	p := base
	for i := 2; ; i++ {
		if _, used := ns[p]; !used {
			return p
		}
		p = base + strconv.Itoa(i)
	}
}

// text returns the expression with current() replaced by cur.
func (p *prepared) text(cur string) string {
	if len(p.parts) == 1 {
		return p.parts[0]
	}
	return strings.Join(p.parts, cur)
}
