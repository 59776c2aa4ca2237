package soapenv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// errTooLarge is the recorder's error once the input passes its limit.
var errTooLarge = errors.New("soapenv: envelope too large")

// encodingError is returned to xml.Decoder for a declared encoding other
// than UTF-8.
type encodingError struct{ encoding string }

func (e *encodingError) Error() string { return "unsupported encoding " + e.encoding }

// ioError wraps a failure to read the input, as opposed to bad input.
type ioError struct{ err error }

func (e *ioError) Error() string { return "soapenv: reading envelope: " + e.err.Error() }
func (e *ioError) Unwrap() error { return e.err }

// recorder is the io.ByteReader an xml.Decoder reads from. It keeps every
// byte from stream offset keep on, so that the exact input bytes of tokens
// can be copied out, and it refuses to read past max bytes.
type recorder struct {
	src  io.Reader
	buf  []byte // buf[0] is the byte at stream offset base
	base int64
	pos  int   // next byte to hand out is buf[pos]
	keep int64 // bytes before this stream offset may be discarded
	max  int64
	err  error // sticky
}

const minRead = 4096

// Read implements io.Reader for xml.NewDecoder; the decoder itself uses
// ReadByte.
func (r *recorder) Read(p []byte) (int, error) {
	if r.pos == len(r.buf) {
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf[r.pos:])
	r.pos += n
	return n, nil
}

// ReadByte implements io.ByteReader.
func (r *recorder) ReadByte() (byte, error) {
	if r.pos == len(r.buf) {
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	b := r.buf[r.pos]
	r.pos++
	return b, nil
}

// fill reads at least one more byte into buf or returns an error.
func (r *recorder) fill() error {
	if r.err != nil {
		return r.err
	}
	// Discard what is no longer needed once it is at least half the
	// buffer, so that compaction costs amortised constant time per byte.
	if d := int(min(r.keep-r.base, int64(r.pos))); d > 0 && 2*d >= len(r.buf) {
		n := copy(r.buf, r.buf[d:])
		r.buf = r.buf[:n]
		r.pos -= d
		r.base += int64(d)
	}
	if cap(r.buf)-len(r.buf) < minRead/8 {
		nb := make([]byte, len(r.buf), max(2*cap(r.buf), minRead))
		copy(nb, r.buf)
		r.buf = nb
	}
	room := r.buf[len(r.buf):cap(r.buf)]
	// Read at most one byte past max, enough to detect an oversized input.
	if left := r.max - r.base - int64(len(r.buf)); left < int64(len(room))-1 {
		room = room[:left+1]
	}
	for tries := 0; ; tries++ {
		n, err := r.src.Read(room)
		if n > 0 {
			r.buf = r.buf[:len(r.buf)+n]
			if r.base+int64(len(r.buf)) > r.max {
				r.buf = r.buf[:len(r.buf)-1]
				r.err = errTooLarge
			}
		}
		if err != nil && r.err == nil {
			r.err = err
		}
		if r.pos < len(r.buf) {
			return nil
		}
		if r.err != nil {
			return r.err
		}
		if tries == 100 {
			r.err = io.ErrNoProgress
			return r.err
		}
	}
}

// bytes returns the input between stream offsets from and to, which must
// not have been discarded.
func (r *recorder) bytes(from, to int64) []byte {
	return r.buf[from-r.base : to-r.base]
}

// binding saves the previous value of a namespace prefix.
type binding struct {
	prefix, uri string
	had         bool
}

// frame is an open element.
type frame struct {
	raw  xml.Name // prefix and local name as written
	undo int      // len(scanner.undo) before the element's declarations
}

// scanner tokenizes an XML document, checking well-formedness (matching
// tags, bound prefixes, unique attributes, no DTD) and limits, and tracking
// the namespace scope and the input offset of each token.
type scanner struct {
	rec      *recorder
	dec      *xml.Decoder
	origin   int64 // stream offset of decoder offset 0 (after a BOM)
	maxDepth int
	ns       map[string]string // prefix ("" for default) to namespace in scope
	undo     []binding
	stack    []frame
	first    bool // no token read yet

	// Initial storage for undo and stack, enough for typical messages.
	undoBuf  [8]binding
	stackBuf [16]frame

	// Set by next for each token:
	start, end int64    // stream offsets of the token
	name       xml.Name // resolved name of a StartElement
}

// newScanner returns a scanner over src that reads at most maxSize bytes.
// A UTF-8 byte order mark is skipped; a UTF-16 one is rejected.
func newScanner(src io.Reader, maxSize int64, maxDepth int) (*scanner, error) {
	rec := &recorder{src: src, max: maxSize}
	for len(rec.buf) < 3 {
		if err := rec.fill(); err != nil {
			break
		}
	}
	s := &scanner{rec: rec, maxDepth: maxDepth, ns: make(map[string]string, 4), first: true}
	s.undo, s.stack = s.undoBuf[:0], s.stackBuf[:0]
	switch {
	case bytes.HasPrefix(rec.buf, []byte{0xEF, 0xBB, 0xBF}):
		rec.pos, s.origin = 3, 3
	case bytes.HasPrefix(rec.buf, []byte{0xFE, 0xFF}), bytes.HasPrefix(rec.buf, []byte{0xFF, 0xFE}):
		return nil, newFault(Sender, "UTF-16 is not supported: NETCONF messages must be UTF-8")
	}
	s.dec = xml.NewDecoder(rec)
	s.dec.CharsetReader = func(enc string, _ io.Reader) (io.Reader, error) {
		return nil, &encodingError{enc}
	}
	return s, nil
}

func (s *scanner) depth() int { return len(s.stack) }

// offset is the stream offset of the end of the last token.
func (s *scanner) offset() int64 { return s.origin + s.dec.InputOffset() }

// next reads and checks one token. At the end of the input it returns
// io.EOF if no element is open. Other errors are a *Fault (bad input) or an
// *ioError.
func (s *scanner) next() (xml.Token, error) {
	s.start = s.offset()
	tok, err := s.dec.RawToken()
	if err != nil {
		return nil, s.decodeError(err)
	}
	s.end = s.offset()
	first := s.first
	s.first = false
	switch t := tok.(type) {
	case xml.StartElement:
		return t, s.startElement(t)
	case xml.EndElement:
		return t, s.endElement(t)
	case xml.ProcInst:
		if strings.EqualFold(t.Target, "xml") && (!first || t.Target != "xml") {
			return nil, newFault(Sender, "malformed XML: XML declaration not at the start of the document")
		}
		if !validChars(t.Inst) {
			return nil, newFault(Sender, "malformed XML: invalid character in processing instruction")
		}
	case xml.Comment:
		if !validChars(t) {
			return nil, newFault(Sender, "malformed XML: invalid character in comment")
		}
	case xml.Directive:
		if bytes.HasPrefix(t, []byte("DOCTYPE")) {
			return nil, newFault(Sender, "document type declarations are not allowed")
		}
		return nil, newFault(Sender, "malformed XML: markup declaration outside a DTD")
	}
	return tok, nil
}

func (s *scanner) decodeError(err error) error {
	var enc *encodingError
	var syn *xml.SyntaxError
	switch {
	case err == io.EOF && len(s.stack) == 0:
		return io.EOF
	case err == io.EOF:
		return newFault(Sender, "malformed XML: unexpected end of input")
	case errors.Is(err, errTooLarge):
		return newFault(Sender, fmt.Sprintf("envelope exceeds the limit of %d bytes", s.rec.max))
	case errors.As(err, &enc):
		return newFault(Sender, fmt.Sprintf("character encoding %q is not supported: NETCONF messages must be UTF-8", enc.encoding))
	case errors.As(err, &syn):
		return newFault(Sender, fmt.Sprintf("malformed XML at line %d: %s", syn.Line, syn.Msg))
	case s.rec.err == err:
		return &ioError{err}
	}
	// The decoder's own errors that are not SyntaxErrors (unsupported XML
	// version, for instance).
	return newFault(Sender, "malformed XML: "+strings.TrimPrefix(err.Error(), "xml: "))
}

func (s *scanner) startElement(t xml.StartElement) error {
	if len(s.stack) >= s.maxDepth {
		return newFault(Sender, fmt.Sprintf("element nesting exceeds the limit of %d", s.maxDepth))
	}
	if err := checkName(t.Name); err != nil {
		return err
	}
	if n, dup := duplicate(t.Attr, func(a xml.Attr) xml.Name { return a.Name }); dup {
		return newFault(Sender, fmt.Sprintf("malformed XML: duplicate attribute %q", qname(n)))
	}
	f := frame{raw: t.Name, undo: len(s.undo)}
	for _, a := range t.Attr {
		if err := checkName(a.Name); err != nil {
			return err
		}
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			s.bind("", a.Value)
		case a.Name.Space == "xmlns":
			if err := checkDeclaration(a.Name.Local, a.Value); err != nil {
				return err
			}
			s.bind(a.Name.Local, a.Value)
		}
	}
	s.stack = append(s.stack, f)
	var qualified []xml.Name
	for _, a := range t.Attr {
		if a.Name.Space == "" || a.Name.Space == "xmlns" {
			continue
		}
		uri, ok := xmlNamespace, true
		if a.Name.Space != "xml" {
			uri, ok = s.ns[a.Name.Space]
		}
		if !ok {
			return newFault(Sender, fmt.Sprintf("malformed XML: attribute prefix %q is not declared", a.Name.Space))
		}
		qualified = append(qualified, xml.Name{Space: uri, Local: a.Name.Local})
	}
	if n, dup := duplicate(qualified, func(n xml.Name) xml.Name { return n }); dup {
		return newFault(Sender, fmt.Sprintf("malformed XML: duplicate attribute %s", clark(n)))
	}
	space, err := s.resolve(t.Name.Space)
	if err != nil {
		return err
	}
	s.name = xml.Name{Space: space, Local: t.Name.Local}
	return nil
}

// duplicate returns a name that two items share, if any.
func duplicate[T any](items []T, name func(T) xml.Name) (xml.Name, bool) {
	if len(items) <= 16 {
		for i := 1; i < len(items); i++ {
			for _, b := range items[:i] {
				if n := name(b); n == name(items[i]) {
					return n, true
				}
			}
		}
		return xml.Name{}, false
	}
	seen := make(map[xml.Name]bool, len(items))
	for _, it := range items {
		n := name(it)
		if seen[n] {
			return n, true
		}
		seen[n] = true
	}
	return xml.Name{}, false
}

// checkName rejects names that are not namespace-well-formed, which the
// decoder leaves with a colon in Local.
func checkName(n xml.Name) error {
	if strings.IndexByte(n.Local, ':') >= 0 {
		return newFault(Sender, fmt.Sprintf("malformed XML: name %q is not a valid qualified name", n.Local))
	}
	return nil
}

func checkDeclaration(pfx, uri string) error {
	switch {
	case uri == "":
		return newFault(Sender, fmt.Sprintf("malformed XML: prefix %q is bound to an empty namespace", pfx))
	case pfx == "xmlns", uri == xmlnsNamespace:
		return newFault(Sender, "malformed XML: the xmlns prefix and namespace cannot be declared")
	case (pfx == "xml") != (uri == xmlNamespace):
		return newFault(Sender, "malformed XML: the xml prefix is bound only to the XML namespace")
	}
	return nil
}

// The namespaces bound to the reserved prefixes xml and xmlns.
const (
	xmlNamespace   = "http://www.w3.org/XML/1998/namespace"
	xmlnsNamespace = "http://www.w3.org/2000/xmlns/"
)

func (s *scanner) bind(pfx, uri string) {
	old, had := s.ns[pfx]
	s.undo = append(s.undo, binding{prefix: pfx, uri: old, had: had})
	s.ns[pfx] = uri
}

func (s *scanner) resolve(pfx string) (string, error) {
	if pfx == "xml" {
		return xmlNamespace, nil
	}
	uri, ok := s.ns[pfx]
	if !ok && pfx != "" {
		return "", newFault(Sender, fmt.Sprintf("malformed XML: element prefix %q is not declared", pfx))
	}
	return uri, nil
}

func (s *scanner) endElement(t xml.EndElement) error {
	if len(s.stack) == 0 {
		return newFault(Sender, fmt.Sprintf("malformed XML: unexpected end tag </%s>", qname(t.Name)))
	}
	f := s.stack[len(s.stack)-1]
	if f.raw != t.Name {
		return newFault(Sender, fmt.Sprintf("malformed XML: element <%s> closed by </%s>", qname(f.raw), qname(t.Name)))
	}
	for i := len(s.undo) - 1; i >= f.undo; i-- {
		b := s.undo[i]
		if b.had {
			s.ns[b.prefix] = b.uri
		} else {
			delete(s.ns, b.prefix)
		}
	}
	s.undo = s.undo[:f.undo]
	s.stack = s.stack[:len(s.stack)-1]
	return nil
}

// skip reads tokens until the element just started is closed.
func (s *scanner) skip() error {
	d := len(s.stack)
	for len(s.stack) >= d {
		if _, err := s.next(); err != nil {
			return err
		}
	}
	return nil
}

// attr returns the value of the attribute {space}local of t, which the
// scanner has just returned.
func (s *scanner) attr(t xml.StartElement, space, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" && a.Name.Space != "" {
			if uri := s.ns[a.Name.Space]; uri == space {
				return a.Value, true
			}
		}
	}
	return "", false
}

// startTag returns the start tag t, read from the input between offsets
// start and tagEnd, with the in-scope declarations it lacks, except
// those of the SOAP envelope namespaces, which belong to the envelope,
// not to the payload (a NETCONF server echoes every declaration of
// <rpc> on its reply).
func (s *scanner) startTag(t xml.StartElement, start, tagEnd int64) []byte {
	raw := s.rec.bytes(start, tagEnd)
	var missing []string
	for pfx, uri := range s.ns {
		if (pfx == "" && uri == "") || ((uri == Namespace11 || uri == Namespace12) && !uses(t, pfx)) {
			continue
		}
		if !declares(t, pfx) {
			missing = append(missing, pfx)
		}
	}
	if len(missing) == 0 {
		return raw
	}
	sort.Strings(missing)
	var b strings.Builder
	nameEnd := 1 + len(qname(t.Name))
	b.Grow(len(raw) + 64*len(missing))
	b.Write(raw[:nameEnd])
	for _, pfx := range missing {
		b.WriteString(" xmlns")
		if pfx != "" {
			b.WriteByte(':')
			b.WriteString(pfx)
		}
		b.WriteString(`="`)
		escapeText(&b, s.ns[pfx])
		b.WriteByte('"')
	}
	b.Write(raw[nameEnd:])
	return []byte(b.String())
}

// uses reports whether the name of start tag t or of one of its
// attributes has prefix pfx.
func uses(t xml.StartElement, pfx string) bool {
	if t.Name.Space == pfx {
		return true
	}
	for _, a := range t.Attr {
		if pfx != "" && a.Name.Space == pfx {
			return true
		}
	}
	return false
}

// declares reports whether start tag t declares prefix pfx ("" for the
// default namespace).
func declares(t xml.StartElement, pfx string) bool {
	for _, a := range t.Attr {
		if (pfx == "" && a.Name.Space == "" && a.Name.Local == "xmlns") || (pfx != "" && a.Name.Space == "xmlns" && a.Name.Local == pfx) {
			return true
		}
	}
	return false
}

// qname returns the prefixed name as written.
func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// rawSpace reports whether the character data just read is white space
// written as such: outside the root element XML allows neither CDATA
// sections nor character references.
func (s *scanner) rawSpace() bool {
	return isSpace(s.rec.bytes(s.start, s.end))
}

// isSpace reports whether b is XML white space only.
func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// validChars reports whether b is UTF-8 made of XML characters.
func validChars(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if !isXMLChar(r) {
			return false
		}
		b = b[n:]
	}
	return true
}
