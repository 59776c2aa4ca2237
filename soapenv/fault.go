package soapenv

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// Code is a SOAP fault code, named as in SOAP 1.2. When a fault is written
// as SOAP 1.1, Sender becomes Client, Receiver becomes Server and
// DataEncodingUnknown (which SOAP 1.1 lacks) becomes Client.
type Code string

// The SOAP fault codes.
const (
	// VersionMismatch: the root element is not a SOAP 1.1 or 1.2 Envelope.
	VersionMismatch Code = "VersionMismatch"
	// MustUnderstand: a header block targeted at this node has
	// mustUnderstand set and is not understood.
	MustUnderstand Code = "MustUnderstand"
	// DataEncodingUnknown: a block uses an encodingStyle this node does
	// not support.
	DataEncodingUnknown Code = "DataEncodingUnknown"
	// Sender: the message is malformed or otherwise the sender's fault
	// (SOAP 1.1 Client).
	Sender Code = "Sender"
	// Receiver: the message could not be processed for reasons not
	// attributable to its contents, and every NETCONF rpc-error
	// (SOAP 1.1 Server).
	Receiver Code = "Receiver"
)

// code11 returns the SOAP 1.1 local name of c.
func (c Code) code11() string {
	switch c {
	case VersionMismatch, MustUnderstand:
		return string(c)
	case Receiver:
		return "Server"
	}
	return "Client"
}

// code12 returns the SOAP 1.2 local name of c.
func (c Code) code12() string {
	switch c {
	case VersionMismatch, MustUnderstand, DataEncodingUnknown, Sender:
		return string(c)
	}
	return "Receiver"
}

// codeFromLocal maps a fault code local name of either version to a Code.
// SOAP 1.1 dotted refinements such as "Client.Authentication" map to their
// first part; an unknown code maps to Receiver.
func codeFromLocal(local string) Code {
	if i := strings.IndexByte(local, '.'); i >= 0 {
		local = local[:i]
	}
	switch local {
	case "VersionMismatch":
		return VersionMismatch
	case "MustUnderstand":
		return MustUnderstand
	case "DataEncodingUnknown":
		return DataEncodingUnknown
	case "Sender", "Client":
		return Sender
	}
	return Receiver
}

// Fault is a SOAP fault. It is the error ReadRequest returns for an
// envelope it rejects, the error ReadResponse returns when the peer sent a
// fault, and what WriteFault writes.
//
// NETCONF rpc-errors travel in the fault detail (RFC 4743 §2.7.3): see
// FaultFromErrors.
type Fault struct {
	// Version is the SOAP version the fault is written in. Zero means
	// SOAP 1.2.
	Version Version
	// Code is the fault code.
	Code Code
	// Reason is the human-readable fault reason (SOAP 1.1 faultstring).
	Reason string
	// Lang is the language of Reason; empty means "en".
	Lang string
	// NotUnderstood names the header blocks of a MustUnderstand fault. In
	// SOAP 1.2 each is written as an env:NotUnderstood header block.
	NotUnderstood []xml.Name
	// Detail holds the rpc-errors carried in the fault detail.
	Detail rpcerror.List
}

// FaultFromErrors returns the fault that carries a NETCONF rpc-error reply
// (RFC 4743 §2.7.3): code Receiver, reason the error-tag of the first
// error, and every error in the detail. The RFC leaves several errors
// unspecified; all of them go into the detail, in order. A reply with
// warnings only is not a failure and should be a normal rpc-reply.
func FaultFromErrors(errs rpcerror.List) *Fault {
	reason := string(rpcerror.OperationFailed)
	if len(errs) > 0 && errs[0].Tag != "" {
		reason = string(errs[0].Tag)
	}
	return &Fault{Code: Receiver, Reason: reason, Detail: errs}
}

// newFault returns a fault with code and reason; decoding failures are
// reported with it.
func newFault(code Code, reason string) *Fault {
	return &Fault{Code: code, Reason: reason}
}

// Error returns "soap fault <code>: <reason>", followed by the rpc-errors
// of the detail.
func (f *Fault) Error() string {
	var b strings.Builder
	b.WriteString("soap fault ")
	b.WriteString(string(f.Code))
	b.WriteString(": ")
	b.WriteString(f.Reason)
	for _, e := range f.Detail {
		b.WriteString("; ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the rpc-errors of the detail, so that errors.As finds a
// *rpcerror.Error in a fault.
func (f *Fault) Unwrap() []error {
	return f.Detail.Unwrap()
}

// HTTPStatus returns the HTTP status code of a response carrying f, per the
// HTTP binding of its SOAP version: SOAP 1.1 uses 500 for every fault;
// SOAP 1.2 uses 400 for Sender faults and 500 for all others.
func (f *Fault) HTTPStatus() int {
	if f.Version.orDefault() == V12 && f.Code == Sender {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// WriteFault writes a complete envelope of version f.Version whose Body
// holds f. In SOAP 1.2 a MustUnderstand fault carries an env:NotUnderstood
// header block per entry of NotUnderstood, and a VersionMismatch fault an
// env:Upgrade header listing both supported envelopes.
func WriteFault(w io.Writer, f *Fault) error {
	var b strings.Builder
	v := f.Version.orDefault()
	p := prefix(v)
	writeEnvelopeStart(&b, v)
	if v == V12 {
		writeFaultHeader12(&b, f)
	}
	b.WriteString("<" + p + ":Body><" + p + ":Fault>")
	if v == V11 {
		b.WriteString("<faultcode>" + p + ":" + f.Code.code11() + "</faultcode><faultstring>")
		escapeText(&b, f.Reason)
		b.WriteString("</faultstring>")
	} else {
		b.WriteString("<env:Code><env:Value>env:" + f.Code.code12() + "</env:Value></env:Code>")
		b.WriteString(`<env:Reason><env:Text xml:lang="`)
		lang := f.Lang
		if lang == "" {
			lang = "en"
		}
		escapeText(&b, lang)
		b.WriteString(`">`)
		escapeText(&b, f.Reason)
		b.WriteString("</env:Text></env:Reason>")
	}
	if len(f.Detail) > 0 {
		detail := "detail"
		if v == V12 {
			detail = "env:Detail"
		}
		b.WriteString("<" + detail + ">")
		for _, e := range f.Detail {
			if _, err := e.WriteTo(&b); err != nil {
				return err
			}
		}
		b.WriteString("</" + detail + ">")
	}
	b.WriteString("</" + p + ":Fault></" + p + ":Body>")
	writeEnvelopeEnd(&b, v)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFaultHeader12(b *strings.Builder, f *Fault) {
	switch {
	case f.Code == MustUnderstand && len(f.NotUnderstood) > 0:
		b.WriteString("<env:Header>")
		for _, n := range f.NotUnderstood {
			b.WriteString(`<env:NotUnderstood qname="`)
			if n.Space != "" {
				b.WriteString(`nu:`)
			}
			escapeText(b, n.Local)
			b.WriteByte('"')
			if n.Space != "" {
				b.WriteString(` xmlns:nu="`)
				escapeText(b, n.Space)
				b.WriteByte('"')
			}
			b.WriteString("/>")
		}
		b.WriteString("</env:Header>")
	case f.Code == VersionMismatch:
		b.WriteString(`<env:Header><env:Upgrade>` +
			`<env:SupportedEnvelope qname="env:Envelope"/>` +
			`<env:SupportedEnvelope qname="s11:Envelope" xmlns:s11="` + Namespace11 + `"/>` +
			`</env:Upgrade></env:Header>`)
	}
}

// faultFromElement decodes a Fault element of version v. The element must
// carry every namespace declaration it depends on. Unknown or missing
// codes read as Receiver; detail children other than rpc-error are
// ignored. SOAP 1.2 faults with an unqualified lower-case detail element,
// as in RFC 4743's example, are accepted.
func faultFromElement(el *etree.Element, v Version) *Fault {
	f := &Fault{Version: v, Code: Receiver}
	for _, c := range el.ChildElements() {
		switch c.Tag {
		case "faultcode":
			f.Code = faultCode(c, strings.TrimSpace(c.Text()), v)
		case "faultstring":
			f.Reason = c.Text()
			if a := c.SelectAttr("xml:lang"); a != nil {
				f.Lang = a.Value
			}
		case "Code":
			if val := c.SelectElement("Value"); val != nil {
				f.Code = faultCode(val, strings.TrimSpace(val.Text()), v)
			}
		case "Reason":
			f.Reason, f.Lang = reasonText(c)
		case "detail", "Detail":
			for _, d := range c.ChildElements() {
				if d.Tag == "rpc-error" && d.NamespaceURI() == rpcerror.BaseNamespace {
					f.Detail = append(f.Detail, rpcerror.FromElement(d))
				}
			}
		}
	}
	return f
}

// faultCode resolves the QName text of a fault code element. A code in a
// namespace other than the envelope's reads as Receiver.
func faultCode(el *etree.Element, qname string, v Version) Code {
	pfx, local, ok := strings.Cut(qname, ":")
	if !ok {
		pfx, local = "", qname
	}
	if lookupPrefix(el, pfx) != v.Namespace() {
		return Receiver
	}
	return codeFromLocal(local)
}

// lookupPrefix returns the namespace bound to prefix pfx ("" for the
// default namespace) at el.
func lookupPrefix(el *etree.Element, pfx string) string {
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if (pfx == "" && a.Space == "" && a.Key == "xmlns") || (pfx != "" && a.Space == "xmlns" && a.Key == pfx) {
				return a.Value
			}
		}
	}
	return ""
}

// reasonText picks the English Text of a SOAP 1.2 Reason, or else its
// first Text.
func reasonText(reason *etree.Element) (text, lang string) {
	texts := reason.SelectElements("Text")
	if len(texts) == 0 {
		return "", ""
	}
	pick := texts[0]
	for _, t := range texts {
		if a := t.SelectAttr("xml:lang"); a != nil && strings.HasPrefix(strings.ToLower(a.Value), "en") {
			pick = t
			break
		}
	}
	if a := pick.SelectAttr("xml:lang"); a != nil {
		lang = a.Value
	}
	return pick.Text(), lang
}

// escapeText writes s escaped for XML character data and attribute values.
// Bytes that are not valid UTF-8 and characters XML forbids are written as
// U+FFFD so that the output stays well-formed whatever s holds.
func escapeText(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == '\n':
			b.WriteString("&#xA;")
		case r == '\t':
			b.WriteString("&#x9;")
		case isXMLChar(r):
			b.WriteRune(r)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
}

// isXMLChar reports whether r is a Char of XML 1.0 (§2.2). utf8.RuneError
// stands for invalid input and is rejected.
func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return r != utf8.RuneError
	}
	return r >= 0x10000 && r <= 0x10FFFF
}
