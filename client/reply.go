package client

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// flushSize is how much <data> content is gathered before it is written
// on.
const flushSize = 8 << 10

// reply is what parseReply found in an <rpc-reply>.
type reply struct {
	errs rpcerror.List // every rpc-error, warnings included
	data bool
}

func (r *reply) warnings() rpcerror.List {
	var w rpcerror.List
	for _, e := range r.errs {
		if e.Severity == rpcerror.SeverityWarning {
			w = append(w, e)
		}
	}
	return w
}

// recorder is the byte source of the XML decoder. Given an
// io.ByteReader the decoder reads at most one byte ahead of the token it
// returned, so the bytes recorded from a decoder offset on are the exact
// text of the tokens read from there.
type recorder struct {
	br   *bufio.Reader
	rec  bool
	buf  []byte // bytes from offset base on, while rec
	base int64
	n    int64 // bytes read
	last byte  // the latest byte read
	err  error // the latest error from br
}

func (r *recorder) ReadByte() (byte, error) {
	c, err := r.br.ReadByte()
	if err != nil {
		r.err = err
	}
	if err == nil {
		r.n++
		r.last = c
		if r.rec {
			r.buf = append(r.buf, c)
		}
	}
	return c, err
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.br.Read(p)
	if err != nil {
		r.err = err
	}
	if n > 0 {
		r.n += int64(n)
		r.last = p[n-1]
		if r.rec {
			r.buf = append(r.buf, p[:n]...)
		}
	}
	return n, err
}

// record starts recording from stream offset off, which is at most one
// byte behind what was read.
func (r *recorder) record(off int64) {
	r.rec, r.base, r.buf = true, off, r.buf[:0]
	if off < r.n {
		r.buf = append(r.buf, r.last)
	}
}

// text returns the recorded bytes between stream offsets from and to.
func (r *recorder) text(from, to int64) []byte { return r.buf[from-r.base : to-r.base] }

// replyParser walks an <rpc-reply> with raw tokens, resolving only the
// namespaces of the reply element and its children, and copying the
// text of <rpc-error> and <data> elements verbatim.
type replyParser struct {
	src     *recorder
	dec     *xml.Decoder
	names   []xml.Name          // open elements, as written
	decls   []map[string]string // namespace declarations of the open elements
	skipped int64               // bytes read by a skimmer, not the decoder
}

// parseReply reads one <rpc-reply> from r, checks that its message-id is
// id, decodes its rpc-errors and, when data is not nil, writes the <data>
// element to it, self-contained: its start tag declares every namespace
// in scope.
func parseReply(r io.Reader, id string, data io.Writer) (*reply, error) {
	src := &recorder{br: bufio.NewReader(r)}
	p := &replyParser{src: src, dec: xml.NewDecoder(src)}
	res, err := p.parse(id, data)
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, ErrBadReply):
		return nil, err
	case src.err != nil && src.err != io.EOF && errors.Is(err, src.err):
		return nil, err // the transport failed
	}
	return nil, fmt.Errorf("%w: %v", ErrBadReply, err)
}

// next returns the next token, checking that end tags match.
func (p *replyParser) next() (xml.Token, error) {
	tok, err := p.dec.RawToken()
	if err == io.EOF {
		if len(p.names) > 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		p.names = append(p.names, t.Name)
		var d map[string]string
		for _, a := range t.Attr {
			switch {
			case a.Name.Space == "xmlns":
				d = set(d, a.Name.Local, a.Value)
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				d = set(d, "", a.Value)
			}
		}
		p.decls = append(p.decls, d)
	case xml.EndElement:
		n := len(p.names)
		if n == 0 || p.names[n-1] != t.Name {
			return nil, fmt.Errorf("%w: unexpected end tag </%s>", ErrBadReply, qname(t.Name))
		}
		p.names, p.decls = p.names[:n-1], p.decls[:n-1]
	}
	return tok, nil
}

func set(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// inScope returns the namespace declarations in scope of the innermost
// open element.
func (p *replyParser) inScope() map[string]string {
	m := map[string]string{}
	for _, d := range p.decls {
		for k, v := range d {
			m[k] = v
		}
	}
	return m
}

// namespace resolves the prefix of the innermost open element.
func (p *replyParser) namespace(prefix string) string {
	for i := len(p.decls) - 1; i >= 0; i-- {
		if v, ok := p.decls[i][prefix]; ok {
			return v
		}
	}
	return ""
}

func (p *replyParser) parse(id string, data io.Writer) (*reply, error) {
	var root xml.StartElement
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil, fmt.Errorf("%w: empty message", ErrBadReply)
		}
		if err != nil {
			return nil, err
		}
		if t, ok := tok.(xml.StartElement); ok {
			root = t
			break
		}
	}
	if root.Name.Local != "rpc-reply" || p.namespace(root.Name.Space) != rpcerror.BaseNamespace {
		return nil, fmt.Errorf("%w: <%s> is not a base:1.0 <rpc-reply>", ErrBadReply, qname(root.Name))
	}
	res := &reply{}
	gotID, hasID := "", false
	for _, a := range root.Attr {
		if a.Name.Space == "" && a.Name.Local == "message-id" {
			gotID, hasID = a.Value, true
		}
	}
	for {
		start := p.off()
		p.src.record(start)
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.EndElement); ok {
			break
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if el.Name.Local != "rpc-error" && el.Name.Local != "data" {
			p.src.rec = false
		}
		if p.namespace(el.Name.Space) != rpcerror.BaseNamespace {
			if err := p.skip(); err != nil {
				return nil, err
			}
			continue
		}
		switch el.Name.Local {
		case "rpc-error":
			e, err := p.rpcError(start)
			if err != nil {
				return nil, err
			}
			res.errs = append(res.errs, e)
		case "data":
			res.data = true
			if data == nil {
				err = p.skip()
			} else {
				err = p.copyData(el, start, data)
			}
		default:
			err = p.skip()
		}
		if err != nil {
			return nil, err
		}
	}
	p.src.rec = false
	if !hasID && len(res.errs) == 0 {
		return nil, fmt.Errorf("%w: no message-id", ErrBadReply)
	}
	if hasID && gotID != id {
		return nil, fmt.Errorf("%w: message-id %q answers no request (sent %q)", ErrBadReply, gotID, id)
	}
	for {
		tok, err := p.next()
		if err == io.EOF {
			return res, nil
		}
		if err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.StartElement); ok {
			return nil, fmt.Errorf("%w: content after </rpc-reply>", ErrBadReply)
		}
	}
}

// skip consumes the rest of the element just started.
func (p *replyParser) skip() error {
	depth := len(p.names)
	for len(p.names) >= depth {
		if _, err := p.next(); err != nil {
			return err
		}
	}
	return nil
}

// rpcError reads the rest of the <rpc-error> just started, whose text
// begins at offset start, and decodes it in the namespace context of the
// reply.
func (p *replyParser) rpcError(start int64) (*rpcerror.Error, error) {
	scope := p.inScope()
	if err := p.skip(); err != nil {
		return nil, err
	}
	text := p.src.text(start, p.off())
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(append(append(wrapStart(scope), text...), "</reply>"...)); err != nil {
		return nil, fmt.Errorf("%w: rpc-error: %v", ErrBadReply, err)
	}
	return rpcerror.FromElement(doc.Root().ChildElements()[0]), nil
}

// wrapStart is the start tag of an element declaring the namespaces in
// scope.
func wrapStart(scope map[string]string) []byte {
	b := []byte("<reply")
	for _, k := range slices.Sorted(maps.Keys(scope)) {
		v := scope[k]
		b = append(b, " xmlns"...)
		if k != "" {
			b = append(b, ':')
			b = append(b, k...)
		}
		b = append(b, `="`...)
		b = appendEscaped(b, v)
		b = append(b, '"')
	}
	return append(b, '>')
}

func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '"':
			b = append(b, "&quot;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// copyData writes the <data> element just started, whose start tag
// began at offset start, to w: its name as written with every namespace
// declaration in scope, then its content verbatim.
func (p *replyParser) copyData(el xml.StartElement, start int64, w io.Writer) error {
	bw := bufio.NewWriterSize(w, flushSize)
	decls := wrapStart(p.inScope())
	name := qname(el.Name)
	bw.WriteString("<" + name)
	bw.Write(decls[len("<reply") : len(decls)-1])
	bw.WriteByte('>')
	p.src.rec = false
	if bytes.HasSuffix(p.src.text(start, p.off()), []byte("/>")) {
		// An empty-element tag: the decoder reports its end next.
		if _, err := p.next(); err != nil {
			return err
		}
	} else {
		// The decoder has read nothing past the start tag, so the
		// skimmer reads on from there.
		sk := &skimmer{r: p.src.br, w: bw}
		err := sk.skim(name)
		p.src.n += sk.n
		p.skipped += sk.n
		if sk.err != nil {
			p.src.err = sk.err
		}
		if err != nil {
			return err
		}
		p.names, p.decls = p.names[:len(p.names)-1], p.decls[:len(p.decls)-1]
	}
	bw.WriteString("</" + name + ">")
	return bw.Flush()
}

// off is the offset in the reply of the decoder's position.
func (p *replyParser) off() int64 { return p.dec.InputOffset() + p.skipped }
