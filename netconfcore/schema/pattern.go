package schema

import (
	"fmt"
	"regexp"
	"strings"
)

// CompilePattern translates a YANG pattern (an XML Schema regular
// expression, implicitly anchored at both ends) into a Go regexp.
//
// The translation handles the differences that matter in practice: "^" and
// "$" are ordinary characters in XSD, "." excludes CR and LF, \d and \w are
// the Unicode categories XSD defines, and \i, \c (XML name characters) are
// expanded. Character class subtraction ("[a-z-[aeiou]]") and Unicode block
// escapes (\p{IsBasicLatin}) have no RE2 equivalent and are rejected with
// an error rather than mistranslated.
func CompilePattern(p string) (*regexp.Regexp, error) {
	const (
		nameStart = `\p{L}\p{Nl}_:`
		nameChar  = nameStart + `\p{Mn}\p{Mc}\p{Nd}\p{Lm}.\-\x{B7}`
		word      = `\p{L}\p{M}\p{N}\p{S}`
		notWord   = `\p{P}\p{Z}\p{C}`
	)
	var b strings.Builder
	b.WriteString(`^(?:`)
	inClass := false
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\':
			if i+1 >= len(rs) {
				return nil, fmt.Errorf("pattern %q: trailing backslash", p)
			}
			i++
			e := rs[i]
			var in, out string
			switch e {
			case 'd':
				in, out = `\p{Nd}`, `\p{Nd}`
			case 'D':
				in, out = `\P{Nd}`, `\P{Nd}`
			case 'w':
				in, out = word, `[`+word+`]`
			case 'W':
				in, out = notWord, `[`+notWord+`]`
			case 'i':
				in, out = nameStart, `[`+nameStart+`]`
			case 'c':
				in, out = nameChar, `[`+nameChar+`]`
			case 'I', 'C':
				if inClass {
					return nil, fmt.Errorf("pattern %q: \\%c inside a character class is not supported", p, e)
				}
				set := nameStart
				if e == 'C' {
					set = nameChar
				}
				out = `[^` + set + `]`
			case 'p', 'P':
				j := i + 1
				if j < len(rs) && rs[j] == '{' {
					end := strings.IndexRune(string(rs[j:]), '}')
					if end < 0 {
						return nil, fmt.Errorf("pattern %q: unterminated \\%c{", p, e)
					}
					name := string(rs[j+1 : j+end])
					if strings.HasPrefix(name, "Is") {
						return nil, fmt.Errorf("pattern %q: Unicode block escape \\%c{%s} is not supported", p, e, name)
					}
					in = `\` + string(e) + `{` + name + `}`
					out = in
					i = j + end
				} else {
					return nil, fmt.Errorf("pattern %q: \\%c without {name}", p, e)
				}
			case 'n', 'r', 't', 's', 'S', '\\', '|', '.', '-', '^', '?', '*', '+', '{', '}', '(', ')', '[', ']', '$':
				in = `\` + string(e)
				out = in
			default:
				return nil, fmt.Errorf("pattern %q: unknown escape \\%c", p, e)
			}
			if inClass {
				b.WriteString(in)
			} else {
				b.WriteString(out)
			}
		case inClass:
			switch c {
			case ']':
				inClass = false
				b.WriteRune(c)
			case '[':
				return nil, fmt.Errorf("pattern %q: character class subtraction is not supported", p)
			default:
				b.WriteRune(c)
			}
		case c == '[':
			inClass = true
			b.WriteRune(c)
			if i+1 < len(rs) && rs[i+1] == '^' {
				b.WriteRune('^')
				i++
			}
		case c == '^' || c == '$':
			b.WriteString(`\` + string(c))
		case c == '.':
			b.WriteString(`[^\n\r]`)
		default:
			b.WriteRune(c)
		}
	}
	if inClass {
		return nil, fmt.Errorf("pattern %q: unterminated character class", p)
	}
	b.WriteString(`)$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", p, err)
	}
	return re, nil
}
