package xpath

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies an XPath 1.0 expression token (XPath 1.0 §3.7).
type tokKind uint8

const (
	tokSymbol   tokKind = iota // ( ) [ ] . .. @ , ::
	tokOperator                // / // | + - = != < <= > >= * and or div mod
	tokNameTest                // * prefix:* QName
	tokFunc                    // a function name (followed by "(")
	tokNodeType                // node text comment processing-instruction (followed by "(")
	tokAxis                    // an axis name (followed by "::")
	tokLiteral
	tokNumber
	tokVar
	tokEnd // past the last token
)

// token is one lexical token; pos and end delimit its source text.
type token struct {
	kind          tokKind
	text          string
	pos, end      int
	prefix, local string // for names
}

var nodeTypes = map[string]bool{"node": true, "text": true, "comment": true, "processing-instruction": true}

var operatorNames = map[string]bool{"and": true, "or": true, "div": true, "mod": true}

// lex splits s into XPath 1.0 tokens, applying the disambiguation rules
// of XPath 1.0 §3.7. It only classifies tokens; antchfx/xpath parses.
func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	// operand reports whether the previous token ends an operand, which
	// makes "*" a multiplication and an NCName an operator name.
	operand := func() bool {
		if len(toks) == 0 {
			return false
		}
		p := toks[len(toks)-1]
		switch p.kind {
		case tokOperator:
			return false
		case tokSymbol:
			switch p.text {
			case "@", "::", "(", "[", ",":
				return false
			}
		}
		return true
	}
	add := func(k tokKind, start, end int) {
		toks = append(toks, token{kind: k, text: s[start:end], pos: start, end: end})
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, errorAt(s, i, "unterminated string literal")
			}
			add(tokLiteral, i, i+j+2)
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < len(s) && s[j] == '.' {
				j++
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
			}
			add(tokNumber, i, j)
			i = j
		case c == '.':
			if strings.HasPrefix(s[i:], "..") {
				add(tokSymbol, i, i+2)
				i += 2
			} else {
				add(tokSymbol, i, i+1)
				i++
			}
		case c == ':':
			if !strings.HasPrefix(s[i:], "::") {
				return nil, errorAt(s, i, "unexpected ':'")
			}
			add(tokSymbol, i, i+2)
			i += 2
		case c == '(' || c == ')' || c == '[' || c == ']' || c == '@' || c == ',':
			add(tokSymbol, i, i+1)
			i++
		case c == '/':
			if strings.HasPrefix(s[i:], "//") {
				add(tokOperator, i, i+2)
				i += 2
			} else {
				add(tokOperator, i, i+1)
				i++
			}
		case c == '|' || c == '+' || c == '-' || c == '=':
			add(tokOperator, i, i+1)
			i++
		case c == '!' || c == '<' || c == '>':
			n := 1
			if i+1 < len(s) && s[i+1] == '=' {
				n = 2
			} else if c == '!' {
				return nil, errorAt(s, i, "unexpected '!'")
			}
			add(tokOperator, i, i+n)
			i += n
		case c == '*':
			if operand() {
				add(tokOperator, i, i+1)
			} else {
				toks = append(toks, token{kind: tokNameTest, text: "*", pos: i, end: i + 1, local: "*"})
			}
			i++
		case c == '$':
			j := i + 1
			_, _, end, ok := qname(s, j)
			if !ok {
				return nil, errorAt(s, i, "bad variable reference")
			}
			add(tokVar, i, end)
			i = end
		default:
			prefix, local, end, ok := qname(s, i)
			if !ok {
				r, _ := utf8.DecodeRuneInString(s[i:])
				return nil, errorAt(s, i, "unexpected character "+quoteRune(r))
			}
			t := token{kind: tokNameTest, text: s[i:end], pos: i, end: end, prefix: prefix, local: local}
			next := skipSpace(s, end)
			switch {
			case prefix == "" && operand() && operatorNames[local]:
				t.kind = tokOperator
			case local == "*":
			case strings.HasPrefix(s[next:], "::") && prefix == "":
				t.kind = tokAxis
			case strings.HasPrefix(s[next:], "("):
				t.kind = tokFunc
				if prefix == "" && nodeTypes[local] {
					t.kind = tokNodeType
				}
			}
			toks = append(toks, t)
			i = end
		}
	}
	return toks, nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
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
// none).
func ncname(s string, i int) int {
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		start := r == '_' || unicode.IsLetter(r)
		if !start && (j == i || !(r == '-' || r == '.' || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Lm))) {
			break
		}
		j += n
	}
	return j
}

func quoteRune(r rune) string {
	if r == utf8.RuneError {
		return "(invalid UTF-8)"
	}
	return "'" + string(r) + "'"
}

// Literal returns v as an XPath string literal; XPath 1.0 has no escapes,
// so a value holding both quote characters becomes a concat() call.
func Literal(v string) string {
	switch {
	case !strings.Contains(v, "'"):
		return "'" + v + "'"
	case !strings.Contains(v, `"`):
		return `"` + v + `"`
	}
	var b strings.Builder
	b.WriteString("concat(")
	for i, part := range strings.Split(v, "'") {
		if i > 0 {
			b.WriteString(`, "'", `)
		}
		b.WriteString("'" + part + "'")
	}
	b.WriteByte(')')
	return b.String()
}
