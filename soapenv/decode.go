package soapenv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// Default limits applied when Options leaves them zero.
const (
	// DefaultMaxSize is the largest envelope read, in bytes.
	DefaultMaxSize = 64 << 20
	// DefaultMaxDepth is the deepest element nesting accepted, counting
	// Envelope as depth 1.
	DefaultMaxDepth = 256
)

// Options bounds and tunes the decoding of one envelope. A nil *Options
// and zero fields mean the defaults.
type Options struct {
	// MaxSize is the largest envelope accepted, in bytes, including
	// everything before and after it. ReadRequest holds the whole envelope
	// in memory; ReadResponse holds only the current token of the Body
	// child, so a client expecting large replies can raise the limit.
	MaxSize int64
	// MaxDepth is the deepest element nesting accepted, counting the
	// Envelope element as depth 1.
	MaxDepth int
	// FaultVersion is the SOAP version ReadRequest gives a fault raised
	// before the Envelope namespace is known, such as VersionMismatch or
	// a syntax error in the prolog. Set it from VersionFromContentType;
	// zero means SOAP 1.2.
	FaultVersion Version
}

func (o *Options) values() (maxSize int64, maxDepth int, faultVersion Version) {
	maxSize, maxDepth = DefaultMaxSize, DefaultMaxDepth
	if o == nil {
		return maxSize, maxDepth, V12
	}
	if o.MaxSize > 0 {
		maxSize = o.MaxSize
	}
	if o.MaxDepth > 0 {
		maxDepth = o.MaxDepth
	}
	return maxSize, maxDepth, o.FaultVersion.orDefault()
}

// Request is a decoded request envelope.
type Request struct {
	// Version is the SOAP version of the envelope.
	Version Version
	// Name is the namespace and local name of the Body child, for
	// dispatch: {urn:ietf:params:xml:ns:netconf:base:1.0}hello or rpc.
	Name xml.Name
	// Body is the Body child exactly as received, with a namespace
	// declaration added to its start tag for every binding it inherited
	// from Envelope or Body and does not redeclare, so that it parses on
	// its own and keeps every prefix used in names or in attribute values
	// (such as an XPath select) bound.
	Body []byte
}

// ReadRequest reads one envelope from r, which must hold the envelope and
// nothing else but white space, comments and processing instructions.
//
// It rejects DTDs, XML that is not namespace-well-formed, encodings other
// than UTF-8, envelopes over the size or depth limits, a root that is not a
// SOAP 1.1 or 1.2 Envelope (VersionMismatch), a header block targeted at
// this node with mustUnderstand true (MustUnderstand; every other header
// block is ignored), a Body child with a SOAP encodingStyle
// (DataEncodingUnknown), and a Body without exactly one child element.
// Such errors are a *Fault ready for WriteFault, with Version set to the
// request's version (or Options.FaultVersion when that is unknown) and
// code Sender unless stated otherwise. Failures to read r are returned
// wrapped and are not faults.
func ReadRequest(r io.Reader, opts *Options) (*Request, error) {
	maxSize, maxDepth, faultVersion := opts.values()
	e, err := openEnvelope(r, maxSize, maxDepth)
	if err == nil {
		err = e.skip()
	}
	var end int64
	if err == nil {
		end = e.end
		err = e.tail()
	}
	if err != nil {
		var f *Fault
		if errors.As(err, &f) {
			f.Version = faultVersion
			if e != nil && e.version != 0 {
				f.Version = e.version
			}
		}
		return nil, err
	}
	return &Request{Version: e.version, Name: e.childName, Body: e.child(end)}, nil
}

// child returns the self-contained bytes of the Body child, which ends at
// stream offset end. When the start tag needs no declaration the input
// bytes are returned without a copy.
func (e *envelope) child(end int64) []byte {
	if len(e.head) == int(e.tagEnd-e.childStart) {
		b := e.rec.bytes(e.childStart, end)
		return b[:len(b):len(b)]
	}
	rest := e.rec.bytes(e.tagEnd, end)
	return append(append(make([]byte, 0, len(e.head)+len(rest)), e.head...), rest...)
}

// ResponseError reports a response that is not a valid SOAP envelope: a
// protocol error of the peer, as opposed to a *Fault the peer sent.
type ResponseError struct {
	Reason string
}

// Error returns "soapenv: malformed response: " and the reason.
func (e *ResponseError) Error() string { return "soapenv: malformed response: " + e.Reason }

// responseError turns a decoding fault into a *ResponseError and leaves
// other errors alone.
func responseError(err error) error {
	var f *Fault
	if errors.As(err, &f) {
		return &ResponseError{Reason: f.Reason}
	}
	return err
}

// Response is a decoded response envelope whose Body child is streamed:
// Read returns the child's bytes as they arrive, with the namespace
// declarations it inherits added to its start tag as for Request.Body, and
// checks the rest of the envelope before returning io.EOF. Memory use is
// bounded by the largest single XML token, not by the size of the child.
type Response struct {
	// Version is the SOAP version of the envelope.
	Version Version
	// Name is the namespace and local name of the Body child, for example
	// {urn:ietf:params:xml:ns:netconf:base:1.0}rpc-reply.
	Name xml.Name

	e        *envelope
	head     []byte // rewritten start tag not yet returned
	from, to int64  // stream offsets of input bytes checked but not returned
	closed   bool   // the child's end tag has been read
	err      error
}

// ReadResponse reads the start of an envelope from r, up to the start tag
// of the Body child. If the child is a SOAP Fault of either version it
// reads the whole envelope and returns the fault as a *Fault whose Detail
// holds the rpc-errors found in the fault detail. Otherwise it returns a
// Response from which the child is read. An envelope that is not valid, or
// that has a header block targeted at the client with mustUnderstand
// true, gives a *ResponseError, at once or from Read; failures to read r
// are returned wrapped.
func ReadResponse(r io.Reader, opts *Options) (*Response, error) {
	maxSize, maxDepth, _ := opts.values()
	e, err := openEnvelope(r, maxSize, maxDepth)
	if err != nil {
		return nil, responseError(err)
	}
	if e.childName == (xml.Name{Space: e.version.Namespace(), Local: "Fault"}) {
		return nil, e.readFault()
	}
	head := bytes.Clone(e.head)
	e.rec.keep = e.tagEnd
	return &Response{Version: e.version, Name: e.childName, e: e, head: head, from: e.tagEnd, to: e.tagEnd}, nil
}

// Read reads the Body child's XML into p.
func (r *Response) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.head) > 0 {
			c := copy(p[n:], r.head)
			r.head = r.head[c:]
			n += c
			continue
		}
		if r.from < r.to {
			c := copy(p[n:], r.e.rec.bytes(r.from, r.to))
			r.from += int64(c)
			r.e.rec.keep = r.from
			n += c
			continue
		}
		if r.err != nil {
			break
		}
		if r.closed {
			r.err = responseError(r.e.tail())
			if r.err == nil {
				r.err = io.EOF
			}
			break
		}
		tok, err := r.e.next()
		if err != nil {
			r.err = responseError(err)
			break
		}
		r.to = r.e.end
		if _, ok := tok.(xml.EndElement); ok && r.e.depth() == 2 {
			r.closed = true
		}
	}
	if n > 0 {
		return n, nil
	}
	return 0, r.err
}

// readFault reads the Fault element the envelope is positioned on, and the
// rest of the envelope, and returns the fault.
func (e *envelope) readFault() error {
	e.rec.keep = e.childStart
	if err := e.skip(); err != nil {
		return responseError(err)
	}
	end := e.end
	if err := e.tail(); err != nil {
		return responseError(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(e.child(end)); err != nil || doc.Root() == nil {
		return &ResponseError{Reason: fmt.Sprintf("unreadable Fault: %v", err)}
	}
	f := faultFromElement(doc.Root(), e.version)
	f.NotUnderstood = e.notUnderstood
	return f
}

// envelope walks the SOAP structure of a message with a scanner.
type envelope struct {
	*scanner
	version       Version
	mustHandle    []xml.Name // targeted mustUnderstand header blocks
	notUnderstood []xml.Name // SOAP 1.2 NotUnderstood header blocks

	// The Body child, once found:
	childName          xml.Name
	childStart, tagEnd int64
	head               []byte // its start tag with inherited declarations
}

// openEnvelope reads from r up to and including the start tag of the Body
// child.
func openEnvelope(r io.Reader, maxSize int64, maxDepth int) (*envelope, error) {
	s, err := newScanner(r, maxSize, maxDepth)
	if err != nil {
		return nil, err
	}
	e := &envelope{scanner: s}
	if err := e.open(); err != nil {
		return e, err
	}
	return e, nil
}

func (e *envelope) open() error {
	for {
		tok, err := e.next()
		if err == io.EOF {
			return newFault(Sender, "empty document: no SOAP Envelope")
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.CharData:
			if !e.rawSpace() {
				return newFault(Sender, "malformed XML: text before the root element")
			}
		case xml.StartElement:
			e.version = versionOf(e.name.Space)
			if e.name.Local != "Envelope" || e.version == 0 {
				e.version = 0
				return newFault(VersionMismatch, fmt.Sprintf("root element %s is not a SOAP 1.1 or SOAP 1.2 Envelope", clark(e.name)))
			}
			return e.envelopeChildren()
		}
	}
}

// nextChild returns the next child element of the element being read,
// or ok false at its end tag. Text other than white space is a fault
// naming the element, in.
func (e *envelope) nextChild(in string) (start xml.StartElement, ok bool, err error) {
	for {
		tok, err := e.next()
		if err != nil {
			return xml.StartElement{}, false, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isSpace(t) {
				return xml.StartElement{}, false, newFault(Sender, "text content in "+in)
			}
		case xml.EndElement:
			return xml.StartElement{}, false, nil
		case xml.StartElement:
			return t, true, nil
		}
	}
}

func (e *envelope) envelopeChildren() error {
	ns := e.version.Namespace()
	seenHeader := false
	for {
		_, ok, err := e.nextChild("Envelope")
		switch {
		case err != nil:
			return err
		case !ok:
			return newFault(Sender, "Envelope has no Body")
		case e.name == xml.Name{Space: ns, Local: "Header"} && !seenHeader:
			seenHeader = true
			if err := e.header(); err != nil {
				return err
			}
		case e.name == xml.Name{Space: ns, Local: "Body"}:
			return e.body()
		default:
			return newFault(Sender, fmt.Sprintf("unexpected element %s in Envelope, want Header or Body", clark(e.name)))
		}
	}
}

func (e *envelope) header() error {
	for {
		t, ok, err := e.nextChild("Header")
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := e.headerBlock(t); err != nil {
			return err
		}
		if err := e.skip(); err != nil {
			return err
		}
	}
	if len(e.mustHandle) > 0 {
		var names []string
		for _, n := range e.mustHandle[:min(len(e.mustHandle), maxNamed)] {
			names = append(names, clark(n))
		}
		if more := len(e.mustHandle) - maxNamed; more > 0 {
			names = append(names, fmt.Sprintf("and %d more", more))
		}
		f := newFault(MustUnderstand, "header block not understood: "+strings.Join(names, ", "))
		f.NotUnderstood = e.mustHandle
		return f
	}
	return nil
}

// maxNamed is the number of header blocks a MustUnderstand fault reason
// names; NotUnderstood lists them all.
const maxNamed = 8

// Roles this node plays: SOAP 1.1 actor "next", SOAP 1.2 roles "next" and
// "ultimateReceiver" (an absent actor or role means the ultimate
// receiver).
const (
	actorNext11          = "http://schemas.xmlsoap.org/soap/actor/next"
	roleNext12           = Namespace12 + "/role/next"
	roleUltimateReceiver = Namespace12 + "/role/ultimateReceiver"
	encodingNone12       = Namespace12 + "/encoding/none"
)

// headerBlock records block t if it is targeted at this node and must be
// understood, and keeps the NotUnderstood blocks of a SOAP 1.2 fault.
func (e *envelope) headerBlock(t xml.StartElement) error {
	ns := e.version.Namespace()
	if e.version == V12 && e.name == (xml.Name{Space: ns, Local: "NotUnderstood"}) {
		if err := e.keepNotUnderstood(t); err != nil {
			return err
		}
	}
	mu, ok := e.attr(t, ns, "mustUnderstand")
	if !ok {
		return nil
	}
	must, valid := parseBool(mu, e.version)
	if !valid {
		return newFault(Sender, fmt.Sprintf("invalid mustUnderstand value %q on header block %s", mu, clark(e.name)))
	}
	if !must {
		return nil
	}
	targeted := true
	if e.version == V11 {
		if actor, ok := e.attr(t, ns, "actor"); ok {
			targeted = strings.TrimSpace(actor) == actorNext11
		}
	} else if role, ok := e.attr(t, ns, "role"); ok {
		switch strings.TrimSpace(role) {
		case "", roleNext12, roleUltimateReceiver:
		default:
			targeted = false
		}
	}
	if targeted {
		e.mustHandle = append(e.mustHandle, e.name)
	}
	return nil
}

func (e *envelope) keepNotUnderstood(t xml.StartElement) error {
	for _, a := range t.Attr {
		if a.Name.Space != "" || a.Name.Local != "qname" {
			continue
		}
		pfx, local, ok := strings.Cut(strings.TrimSpace(a.Value), ":")
		if !ok {
			pfx, local = "", pfx
		}
		space, err := e.resolve(pfx)
		if err != nil {
			return err
		}
		e.notUnderstood = append(e.notUnderstood, xml.Name{Space: space, Local: local})
	}
	return nil
}

// parseBool parses a mustUnderstand value. SOAP 1.1 defines "0" and "1";
// "true" and "false" are accepted too. SOAP 1.2 uses xs:boolean.
func parseBool(s string, v Version) (value, ok bool) {
	if v == V12 {
		s = strings.TrimSpace(s)
	}
	switch s {
	case "1", "true":
		return true, true
	case "0", "false":
		return false, true
	}
	return false, false
}

func (e *envelope) body() error {
	t, ok, err := e.nextChild("Body")
	if err != nil {
		return err
	}
	if !ok {
		return newFault(Sender, "Body is empty, want exactly one element")
	}
	if style, ok := e.attr(t, e.version.Namespace(), "encodingStyle"); ok {
		if s := strings.TrimSpace(style); s != "" && s != encodingNone12 {
			return newFault(DataEncodingUnknown, fmt.Sprintf("encodingStyle %q is not supported: NETCONF content is literal XML", s))
		}
	}
	e.childName = e.name
	e.childStart, e.tagEnd = e.start, e.end
	e.head = e.startTag(t, e.start, e.end)
	return nil
}

// tail checks the envelope after the Body child's end tag: no further
// Body child, no Envelope child after Body (except namespace-qualified
// ones in SOAP 1.1, which allows them), and nothing after the Envelope
// but white space, comments and processing instructions.
func (e *envelope) tail() error {
	for {
		tok, err := e.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isSpace(t) || (e.depth() == 0 && !e.rawSpace()) {
				return newFault(Sender, "text content "+e.where())
			}
		case xml.StartElement:
			switch e.depth() {
			case 3:
				return newFault(Sender, "Body has more than one child element")
			case 2:
				if e.version != V11 || e.name.Space == "" {
					return newFault(Sender, fmt.Sprintf("unexpected element %s after Body", clark(e.name)))
				}
				if err := e.skip(); err != nil {
					return err
				}
			default:
				return newFault(Sender, "content after the end of the Envelope")
			}
		}
	}
}

// where names the element the scanner is in, for messages about content
// around the Body child.
func (e *envelope) where() string {
	switch e.depth() {
	case 2:
		return "in Body"
	case 1:
		return "in Envelope"
	}
	return "after the end of the Envelope"
}

// clark writes a name as {namespace}local.
func clark(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}
