package xmlparse

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Parse parses data as one XML document. It does not retain data.
func Parse(data []byte, opts Options) (*etree.Document, error) {
	if opts.MaxSize > 0 && int64(len(data)) > opts.MaxSize {
		return nil, &TooLargeError{Limit: opts.MaxSize}
	}
	return parse(string(data), opts)
}

// ParseReader reads r to its end and parses what it read as one XML
// document. With a positive Options.MaxSize it stops reading as soon as the
// input exceeds that size. Read errors are returned as they are.
func ParseReader(r io.Reader, opts Options) (*etree.Document, error) {
	if opts.MaxSize > 0 && opts.MaxSize < math.MaxInt64 {
		r = io.LimitReader(r, opts.MaxSize+1)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		return nil, err
	}
	if opts.MaxSize > 0 && int64(b.Len()) > opts.MaxSize {
		return nil, &TooLargeError{Limit: opts.MaxSize}
	}
	return parse(b.String(), opts)
}

const byteOrderMark = "\uFEFF"

// A parser scans src once, left to right. It creates each token as soon as
// it is complete but keeps it in pending until its parent's end tag, so that
// every Child slice is allocated once, at its final length.
type parser struct {
	src      string
	maxDepth int
	declAt   int // where an XML declaration may start
	rootDone bool
	open     []openElement
	pending  []etree.Token
	attrs    []attribute
	seen     map[string]struct{} // attribute names, for elements with many
	buf      []byte
	names    *xml.Encoder // checks non-ASCII names; created on first use

	elements pool[etree.Element]
	texts    pool[etree.CharData]
	tokens   pool[etree.Token]
}

// A pool hands out the items of slices allocated in chunks, a few
// allocations instead of one per token. The chunk size is guessed from the
// size of the input.
type pool[T any] struct {
	free  []T
	chunk int
}

const maxChunk = 1024

// take returns n zero items, which share no memory with any other call's.
func (p *pool[T]) take(n int) []T {
	if n > maxChunk/8 {
		return make([]T, n)
	}
	if len(p.free) < n {
		p.free = make([]T, max(p.chunk, n))
	}
	items := p.free[:n:n]
	p.free = p.free[n:]
	return items
}

type openElement struct {
	el    *etree.Element
	name  string // as written, to match the end tag
	first int    // index in pending of its first child
}

type attribute struct {
	name, value string
}

// manyAttrs is the attribute count from which duplicates are found with a
// map rather than by comparing with every earlier attribute.
const manyAttrs = 16

// parsers keeps the scratch space of finished parses for the next ones.
var parsers = sync.Pool{New: func() any { return new(parser) }}

// maxScratch is the largest scratch slice kept for the next parse.
const maxScratch = 1 << 12

func parse(src string, opts Options) (*etree.Document, error) {
	p := parsers.Get().(*parser)
	defer p.release()
	p.src, p.maxDepth = src, opts.maxDepth()
	// Indented NETCONF has about an element every 48 bytes and a text
	// token every 24; every token but the root is a child.
	p.elements.chunk = min(len(src)/48+1, maxChunk)
	p.texts.chunk = min(len(src)/24+1, maxChunk)
	p.tokens.chunk = min(len(src)/16+1, maxChunk)
	return p.document()
}

// release forgets the parse, keeping the parser's scratch slices if small,
// and returns the parser to the pool.
func (p *parser) release() {
	clear(p.open[:cap(p.open)])
	clear(p.pending[:cap(p.pending)])
	clear(p.attrs[:cap(p.attrs)])
	*p = parser{
		open:    trim(p.open),
		pending: trim(p.pending),
		attrs:   trim(p.attrs),
		buf:     trim(p.buf),
		names:   p.names,
	}
	parsers.Put(p)
}

func trim[T any](s []T) []T {
	if cap(s) > maxScratch {
		return nil
	}
	return s[:0]
}

func (p *parser) document() (*etree.Document, error) {
	s := p.src
	i := 0
	if strings.HasPrefix(s, byteOrderMark) {
		i = len(byteOrderMark)
	}
	p.declAt = i
	for i < len(s) {
		var err error
		switch {
		case s[i] != '<':
			i, err = p.charData(i)
		case i+1 == len(s):
			err = p.eof()
		case s[i+1] == '/':
			i, err = p.endTag(i)
		case s[i+1] == '?':
			i, err = p.procInst(i)
		case s[i+1] == '!':
			i, err = p.declaration(i)
		default:
			i, err = p.startTag(i)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(p.open) > 0 {
		return nil, p.errorf(len(s), "unexpected end of input: element %s not closed",
			clip(p.open[len(p.open)-1].name))
	}
	if !p.rootDone {
		return nil, p.errorf(len(s), "no root element")
	}
	doc := etree.NewDocument()
	p.adopt(&doc.Element, p.pending)
	return doc, nil
}

// adopt makes kids the children of parent, in order.
func (p *parser) adopt(parent *etree.Element, kids []etree.Token) {
	if len(kids) == 0 {
		return
	}
	parent.Child = p.tokens.take(len(kids))[:0]
	for _, k := range kids {
		parent.AddChild(k)
	}
}

// charData handles the text that starts at s[i] and runs to the next '<'.
func (p *parser) charData(i int) (int, error) {
	s := p.src
	end := strings.IndexByte(s[i:], '<')
	if end < 0 {
		end = len(s)
	} else {
		end += i
	}
	if len(p.open) == 0 {
		for j := i; j < end; j++ {
			if !isSpace(s[j]) {
				return 0, p.errorf(j, "character data outside the root element")
			}
		}
	}
	text, err := p.text(i, end, inText)
	if err != nil {
		return 0, err
	}
	p.addText(text)
	return end, nil
}

// addText adds a text token as etree.NewText would create it, with the
// whitespace flag set, as etree's parser does, by SetData.
func (p *parser) addText(text string) {
	c := &p.texts.take(1)[0]
	c.SetData(text)
	p.pending = append(p.pending, c)
}

// startTag handles the start tag or empty-element tag at s[i] == '<'.
func (p *parser) startTag(i int) (int, error) {
	s := p.src
	if len(p.open) == 0 && p.rootDone {
		return 0, p.errorf(i, "second root element")
	}
	if len(p.open) >= p.maxDepth {
		return 0, fmt.Errorf("xmlparse: line %d, offset %d: elements nested deeper than %d: %w",
			p.line(i), i, p.maxDepth, ErrMaxDepth)
	}
	nameEnd, err := p.qname(i + 1)
	if err != nil {
		return 0, err
	}
	name := s[i+1 : nameEnd]
	attrs := p.attrs[:0]
	if len(p.seen) > 0 {
		clear(p.seen)
	}
	j := nameEnd
	empty := false
	for {
		k := skipSpace(s, j)
		if k == len(s) {
			return 0, p.eof()
		}
		if s[k] == '>' {
			j = k + 1
			break
		}
		if s[k] == '/' {
			if k+1 == len(s) {
				return 0, p.eof()
			}
			if s[k+1] != '>' {
				return 0, p.errorf(k, "expected '>' after '/' in tag")
			}
			j, empty = k+2, true
			break
		}
		if k == j {
			return 0, p.errorf(k, "expected whitespace, '>' or '/>' in tag")
		}
		a, next, err := p.attribute(k, attrs)
		if err != nil {
			return 0, err
		}
		attrs = append(attrs, a)
		j = next
	}
	el := p.element(name, attrs)
	p.attrs = attrs[:0]
	if empty {
		p.pending = append(p.pending, el)
		p.rootDone = len(p.open) == 0
	} else {
		p.open = append(p.open, openElement{el: el, name: name, first: len(p.pending)})
	}
	return j, nil
}

// attribute reads the attribute at s[i], which must not repeat a name in
// attrs, and returns it and the index after its closing quote.
func (p *parser) attribute(i int, attrs []attribute) (attribute, int, error) {
	s := p.src
	nameEnd, err := p.qname(i)
	if err != nil {
		return attribute{}, 0, err
	}
	name := s[i:nameEnd]
	if p.repeated(name, attrs) {
		return attribute{}, 0, p.errorf(i, "duplicate attribute %s", clip(name))
	}
	k := skipSpace(s, nameEnd)
	if k == len(s) {
		return attribute{}, 0, p.eof()
	}
	if s[k] != '=' {
		return attribute{}, 0, p.errorf(k, "expected '=' after attribute name %s", clip(name))
	}
	k = skipSpace(s, k+1)
	if k == len(s) {
		return attribute{}, 0, p.eof()
	}
	quote := s[k]
	if quote != '"' && quote != '\'' {
		return attribute{}, 0, p.errorf(k, "attribute value must be quoted")
	}
	end := strings.IndexByte(s[k+1:], quote)
	if end < 0 {
		// Report a '<' before the missing quote as encoding/xml does.
		if _, err := p.text(k+1, len(s), inAttr); err != nil {
			return attribute{}, 0, err
		}
		return attribute{}, 0, p.eof()
	}
	end += k + 1
	value, err := p.text(k+1, end, inAttr)
	if err != nil {
		return attribute{}, 0, err
	}
	return attribute{name: name, value: value}, end + 1, nil
}

// repeated reports whether attrs holds name already, and remembers name.
func (p *parser) repeated(name string, attrs []attribute) bool {
	if len(attrs) < manyAttrs {
		return slices.ContainsFunc(attrs, func(a attribute) bool { return a.name == name })
	}
	if p.seen == nil {
		p.seen = make(map[string]struct{})
	}
	if len(p.seen) == 0 {
		for _, a := range attrs {
			p.seen[a.name] = struct{}{}
		}
	}
	if _, ok := p.seen[name]; ok {
		return true
	}
	p.seen[name] = struct{}{}
	return false
}

// element creates an unparented element as etree.NewElement would, with
// the names split at their colon as encoding/xml splits them.
func (p *parser) element(name string, attrs []attribute) *etree.Element {
	el := &p.elements.take(1)[0]
	el.Space, el.Tag = splitName(name)
	el.Child = []etree.Token{}
	if len(attrs) == 0 {
		el.Attr = []etree.Attr{}
		return el
	}
	el.Attr = make([]etree.Attr, 0, len(attrs))
	// CreateAttr is the only way to tie an attribute to its element; copies
	// of the attribute it returns carry the tie.
	bound := *el.CreateAttr("", "")
	el.Attr = el.Attr[:0]
	for _, a := range attrs {
		bound.Space, bound.Key = splitName(a.name)
		bound.Value = a.value
		el.Attr = append(el.Attr, bound)
	}
	return el
}

// endTag handles the end tag at s[i] == '<', s[i+1] == '/'.
func (p *parser) endTag(i int) (int, error) {
	s := p.src
	if len(p.open) == 0 {
		return 0, p.errorf(i, "end tag without start tag")
	}
	nameEnd, err := p.qname(i + 2)
	if err != nil {
		return 0, err
	}
	k := skipSpace(s, nameEnd)
	if k == len(s) {
		return 0, p.eof()
	}
	if s[k] != '>' {
		return 0, p.errorf(k, "expected '>' in end tag")
	}
	top := p.open[len(p.open)-1]
	if name := s[i+2 : nameEnd]; name != top.name {
		return 0, p.errorf(i, "end tag %s does not match start tag %s", clip(name), clip(top.name))
	}
	p.adopt(top.el, p.pending[top.first:])
	p.pending = append(p.pending[:top.first], top.el)
	p.open = p.open[:len(p.open)-1]
	p.rootDone = len(p.open) == 0
	return k + 1, nil
}

// declaration handles markup that starts with "<!" at s[i].
func (p *parser) declaration(i int) (int, error) {
	s := p.src
	switch rest := s[i:]; {
	case strings.HasPrefix(rest, "<!--"):
		return p.comment(i)
	case strings.HasPrefix(rest, "<![CDATA["):
		if len(p.open) == 0 {
			return 0, p.errorf(i, "CDATA section outside the root element")
		}
		return p.cdata(i)
	case strings.HasPrefix("<!--", rest) || strings.HasPrefix("<![CDATA[", rest):
		return 0, p.eof()
	case strings.HasPrefix(rest, "<!-") || strings.HasPrefix(rest, "<!["):
		return 0, p.errorf(i, "malformed comment or CDATA section")
	default:
		return 0, p.errorf(i, "DOCTYPE and other <! declarations are not allowed")
	}
}

// comment handles the comment at s[i], which starts with "<!--".
func (p *parser) comment(i int) (int, error) {
	s := p.src
	start := i + len("<!--")
	end := strings.Index(s[start:], "--")
	if end < 0 {
		return 0, p.eof()
	}
	end += start
	if end+2 == len(s) {
		return 0, p.eof()
	}
	if s[end+2] != '>' {
		return 0, p.errorf(end, `"--" inside a comment`)
	}
	if _, err := p.text(start, end, inMarkup); err != nil {
		return 0, err
	}
	p.pending = append(p.pending, etree.NewComment(s[start:end]))
	return end + len("-->"), nil
}

// cdata handles the CDATA section at s[i], which starts with "<![CDATA[".
func (p *parser) cdata(i int) (int, error) {
	s := p.src
	start := i + len("<![CDATA[")
	end := strings.Index(s[start:], "]]>")
	if end < 0 {
		return 0, p.eof()
	}
	end += start
	text, err := p.text(start, end, inCDATA)
	if err != nil {
		return 0, err
	}
	p.addText(text)
	return end + len("]]>"), nil
}

// procInst handles the processing instruction at s[i] == '<', s[i+1] == '?'.
func (p *parser) procInst(i int) (int, error) {
	s := p.src
	targetEnd, err := p.name(i + 2)
	if err != nil {
		return 0, err
	}
	target := s[i+2 : targetEnd]
	if strings.EqualFold(target, "xml") {
		if target == "xml" && i == p.declAt {
			return p.xmlDecl(targetEnd)
		}
		if target == "xml" {
			return 0, p.errorf(i, "XML declaration not at the start of the document")
		}
		return 0, p.errorf(i, "processing instruction target %s is reserved", clip(target))
	}
	if strings.HasPrefix(s[targetEnd:], "?>") {
		p.pending = append(p.pending, etree.NewProcInst(target, ""))
		return targetEnd + 2, nil
	}
	start := skipSpace(s, targetEnd)
	if start == len(s) {
		return 0, p.eof()
	}
	if start == targetEnd {
		return 0, p.errorf(start, "expected whitespace or \"?>\" after processing instruction target")
	}
	end := strings.Index(s[start:], "?>")
	if end < 0 {
		return 0, p.eof()
	}
	end += start
	if _, err := p.text(start, end, inMarkup); err != nil {
		return 0, err
	}
	p.pending = append(p.pending, etree.NewProcInst(target, s[start:end]))
	return end + 2, nil
}

// xmlDecl handles the XML declaration whose "xml" target ends at s[i].
func (p *parser) xmlDecl(i int) (int, error) {
	s := p.src
	end := strings.Index(s[i:], "?>")
	if end < 0 {
		return 0, p.eof()
	}
	end += i
	ascii, err := p.declFields(i, end)
	if err != nil {
		return 0, err
	}
	if ascii {
		for j := end; j < len(s); j++ {
			if s[j] >= utf8.RuneSelf {
				return 0, p.errorf(j, "byte 0x%02X in a document declared US-ASCII", s[j])
			}
		}
	}
	// encoding/xml keeps what follows the whitespace after the target.
	p.pending = append(p.pending, etree.NewProcInst("xml", s[skipSpace(s[:end], i):end]))
	return end + 2, nil
}

// declFields checks the fields of the XML declaration in s[i:end] and
// reports whether it declares the US-ASCII encoding.
func (p *parser) declFields(i, end int) (ascii bool, err error) {
	s := p.src[:end]
	fields := []string{"version", "encoding", "standalone"}
	next := 0 // index in fields of the first field still allowed
	for {
		k := skipSpace(s, i)
		if k == end {
			break
		}
		if k == i {
			return false, p.errorf(k, "expected whitespace in XML declaration")
		}
		nameEnd := k
		for nameEnd < end && 'a' <= s[nameEnd] && s[nameEnd] <= 'z' {
			nameEnd++
		}
		f := slices.Index(fields[next:], s[k:nameEnd])
		if f < 0 || next == 0 && f != 0 {
			return false, p.errorf(k, "malformed XML declaration")
		}
		next += f + 1
		j := skipSpace(s, nameEnd)
		if j == end || s[j] != '=' {
			return false, p.errorf(j, "expected '=' in XML declaration")
		}
		j = skipSpace(s, j+1)
		if j == end || s[j] != '"' && s[j] != '\'' {
			return false, p.errorf(j, "expected quoted value in XML declaration")
		}
		valueEnd := strings.IndexByte(s[j+1:], s[j])
		if valueEnd < 0 {
			return false, p.errorf(j, "unterminated value in XML declaration")
		}
		value := s[j+1 : j+1+valueEnd]
		switch fields[next-1] {
		case "version":
			if value != "1.0" {
				return false, p.errorf(j+1, "unsupported XML version %s", clip(value))
			}
		case "encoding":
			ascii = strings.EqualFold(value, "US-ASCII")
			if !ascii && !strings.EqualFold(value, "UTF-8") {
				return false, p.errorf(j+1, "unsupported encoding %s: only UTF-8 and US-ASCII", clip(value))
			}
		case "standalone":
			if value != "yes" && value != "no" {
				return false, p.errorf(j+1, "standalone must be yes or no")
			}
		}
		i = j + 1 + valueEnd + 1
	}
	if next == 0 {
		return false, p.errorf(i, "XML declaration without version")
	}
	return ascii, nil
}

// Character classes of bytes in text, attribute values, comments and
// processing instructions.
const (
	plain   = iota // stands for itself
	control        // not an XML character
	high           // starts a multi-byte UTF-8 sequence, or is invalid
	amp            // starts a reference
	cr             // a line end to normalize
	bracket        // may start "]]>"
	less           // not allowed in attribute values
)

var textClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = high
		case c < ' ' && c != '\t' && c != '\n' && c != '\r':
			t[c] = control
		}
	}
	t['&'], t['\r'], t[']'], t['<'] = amp, cr, bracket, less
	return t
}()

// A textMode says what may appear in a piece of content.
type textMode uint8

const (
	inText   textMode = iota // character data: references, no "]]>"
	inAttr                   // attribute value: references, no '<'
	inCDATA                  // CDATA section: no markup
	inMarkup                 // comment or processing instruction: kept verbatim
)

// text checks s[start:end] as content of the given kind and returns it as
// encoding/xml delivers it: outside comments and processing instructions
// with "\r\n" and "\r" turned into "\n", outside CDATA sections also with
// references replaced. It allocates only for content that changes.
func (p *parser) text(start, end int, mode textMode) (string, error) {
	s := p.src
	decoded := false
	mark := start // start of the input not yet copied to p.buf
	i := start
	for {
		for i < end && textClass[s[i]] == plain {
			i++
		}
		if i == end {
			break
		}
		switch c := s[i]; textClass[c] {
		case control:
			return "", p.errorf(i, "illegal character %U", rune(c))
		case high:
			r, n := utf8.DecodeRuneInString(s[i:end])
			if r == utf8.RuneError && n == 1 {
				return "", p.errorf(i, "invalid UTF-8")
			}
			if r == 0xFFFE || r == 0xFFFF {
				return "", p.errorf(i, "illegal character %U", r)
			}
			i += n
		case bracket:
			if mode == inText && i+2 < end && s[i+1] == ']' && s[i+2] == '>' {
				return "", p.errorf(i, `"]]>" in text`)
			}
			i++
		case less:
			if mode == inAttr {
				return "", p.errorf(i, "'<' in attribute value")
			}
			i++
		case cr:
			if mode == inMarkup {
				i++
				continue
			}
			if !decoded {
				p.buf, decoded = p.buf[:0], true
			}
			p.buf = append(append(p.buf, s[mark:i]...), '\n')
			i++
			if i < end && s[i] == '\n' {
				i++
			}
			mark = i
		case amp:
			if mode >= inCDATA {
				i++
				continue
			}
			if !decoded {
				p.buf, decoded = p.buf[:0], true
			}
			p.buf = append(p.buf, s[mark:i]...)
			next, err := p.reference(i, end)
			if err != nil {
				return "", err
			}
			i, mark = next, next
		}
	}
	if !decoded {
		return s[start:end], nil
	}
	p.buf = append(p.buf, s[mark:end]...)
	return string(p.buf), nil
}

// reference appends the text of the reference at s[i] == '&', which must
// end before end, to p.buf and returns the index after it.
func (p *parser) reference(i, end int) (int, error) {
	s := p.src
	semi := strings.IndexByte(s[i+1:end], ';')
	if semi < 0 {
		return 0, p.errorf(i, "'&' without ';' ending a reference")
	}
	semi += i + 1
	ref := s[i+1 : semi]
	if digits, ok := strings.CutPrefix(ref, "#"); ok {
		r, ok := charRef(digits)
		if !ok {
			return 0, p.errorf(i, "invalid character reference %s", clip("&"+ref+";"))
		}
		p.buf = utf8.AppendRune(p.buf, r)
		return semi + 1, nil
	}
	var c byte
	switch ref {
	case "lt":
		c = '<'
	case "gt":
		c = '>'
	case "amp":
		c = '&'
	case "apos":
		c = '\''
	case "quot":
		c = '"'
	default:
		return 0, p.errorf(i, "undefined entity %s", clip("&"+ref+";"))
	}
	p.buf = append(p.buf, c)
	return semi + 1, nil
}

// charRef decodes the digits of a character reference, "x" and hex digits
// or decimal digits, and reports whether they name an XML character.
func charRef(digits string) (rune, bool) {
	base := rune(10)
	if hex, ok := strings.CutPrefix(digits, "x"); ok {
		base, digits = 16, hex
	}
	if digits == "" {
		return 0, false
	}
	var r rune
	for i := 0; i < len(digits); i++ {
		var d rune
		switch c := rune(digits[i]); {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*base + d
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	return r, isChar(r)
}

// isChar reports whether r is in XML 1.0's Char production.
func isChar(r rune) bool {
	switch {
	case r < 0x20:
		return r == '\t' || r == '\n' || r == '\r'
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	default:
		return r <= 0xFFFD || r >= 0x10000 && r <= utf8.MaxRune
	}
}

// Name byte classes; every byte above 0x7F may belong to a name and is
// checked with the whole name.
const (
	nameStart = 1 << iota
	nameChar
)

var nameClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf, 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_', c == ':':
			t[c] = nameStart | nameChar
		case '0' <= c && c <= '9', c == '.', c == '-':
			t[c] = nameChar
		}
	}
	return t
}()

// name returns the end of the name that starts at s[i].
func (p *parser) name(i int) (int, error) {
	s := p.src
	if i == len(s) {
		return 0, p.eof()
	}
	if nameClass[s[i]]&nameStart == 0 {
		return 0, p.errorf(i, "expected a name")
	}
	ascii := s[i] < utf8.RuneSelf
	j := i + 1
	for j < len(s) && nameClass[s[j]]&nameChar != 0 {
		if s[j] >= utf8.RuneSelf {
			ascii = false
		}
		j++
	}
	if !ascii && !p.isName(s[i:j]) {
		return 0, p.errorf(i, "invalid name %s", clip(s[i:j]))
	}
	return j, nil
}

// isName reports whether name, which holds non-ASCII bytes, is a name by
// encoding/xml's rules. encoding/xml does not export its check but applies
// it to the targets of the processing instructions it encodes.
func (p *parser) isName(name string) bool {
	if p.names == nil {
		p.names = xml.NewEncoder(io.Discard)
	}
	return p.names.EncodeToken(xml.ProcInst{Target: name}) == nil
}

// qname returns the end of the element or attribute name that starts at
// s[i]; such a name holds at most one colon.
func (p *parser) qname(i int) (int, error) {
	end, err := p.name(i)
	if err != nil {
		return 0, err
	}
	name := p.src[i:end]
	if c := strings.IndexByte(name, ':'); c >= 0 && strings.IndexByte(name[c+1:], ':') >= 0 {
		return 0, p.errorf(i, "name %s has more than one colon", clip(name))
	}
	return end, nil
}

// splitName splits a name at its colon as encoding/xml does: a colon at
// either end belongs to the local name.
func splitName(name string) (space, local string) {
	if c := strings.IndexByte(name, ':'); c > 0 && c < len(name)-1 {
		return name[:c], name[c+1:]
	}
	return "", name
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r'
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func (p *parser) errorf(offset int, format string, args ...any) error {
	return &SyntaxError{Offset: int64(offset), Line: p.line(offset), Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) eof() error {
	return p.errorf(len(p.src), "unexpected end of input")
}

func (p *parser) line(offset int) int {
	return 1 + strings.Count(p.src[:offset], "\n")
}

// clip quotes s for an error message, shortened if long.
func clip(s string) string {
	const max = 40
	if len(s) > max {
		return fmt.Sprintf("%q...", s[:max])
	}
	return fmt.Sprintf("%q", s)
}
