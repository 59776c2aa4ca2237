// Package rpcerror defines the NETCONF <rpc-error> as a Go error value.
//
// Every layer of ncsoap reports protocol failures with *Error: the data
// layer for edit-config and validation failures, the engine for protocol
// failures, and the client SDKs for errors received from a server, so that
// callers inspect one type whatever the transport. The tags, types and
// mandatory error-info follow RFC 6241 Appendix A.
package rpcerror

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// BaseNamespace is the NETCONF base:1.0 XML namespace in which <rpc-error>
// and its children are written.
const BaseNamespace = "urn:ietf:params:xml:ns:netconf:base:1.0"

// Type is the NETCONF error-type: the conceptual layer the error occurred in.
type Type string

// The error-type values of RFC 6241 §4.3.
const (
	TypeTransport   Type = "transport"
	TypeRPC         Type = "rpc"
	TypeProtocol    Type = "protocol"
	TypeApplication Type = "application"
)

// Tag is the NETCONF error-tag of RFC 6241 Appendix A.
type Tag string

// The error-tag values of RFC 6241 Appendix A.
const (
	InUse                 Tag = "in-use"
	InvalidValue          Tag = "invalid-value"
	TooBig                Tag = "too-big"
	MissingAttribute      Tag = "missing-attribute"
	BadAttribute          Tag = "bad-attribute"
	UnknownAttribute      Tag = "unknown-attribute"
	MissingElement        Tag = "missing-element"
	BadElement            Tag = "bad-element"
	UnknownElement        Tag = "unknown-element"
	UnknownNamespace      Tag = "unknown-namespace"
	AccessDenied          Tag = "access-denied"
	LockDenied            Tag = "lock-denied"
	ResourceDenied        Tag = "resource-denied"
	RollbackFailed        Tag = "rollback-failed"
	DataExists            Tag = "data-exists"
	DataMissing           Tag = "data-missing"
	OperationNotSupported Tag = "operation-not-supported"
	OperationFailed       Tag = "operation-failed"
	PartialOperation      Tag = "partial-operation"
	MalformedMessage      Tag = "malformed-message"
)

// Tags lists every error-tag of RFC 6241 Appendix A in the order of that
// appendix.
var Tags = []Tag{
	InUse, InvalidValue, TooBig, MissingAttribute, BadAttribute,
	UnknownAttribute, MissingElement, BadElement, UnknownElement,
	UnknownNamespace, AccessDenied, LockDenied, ResourceDenied,
	RollbackFailed, DataExists, DataMissing, OperationNotSupported,
	OperationFailed, PartialOperation, MalformedMessage,
}

// Severity is the NETCONF error-severity.
type Severity string

// The error-severity values.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Info is the content of <error-info>. The fields named by RFC 6241 come
// first; Extra holds further elements, as well-formed XML, written after them.
type Info struct {
	// SessionID is the lock holder's session-id for lock-denied (0 when a
	// non-NETCONF entity holds the lock). Nil means absent.
	SessionID *uint32
	// BadAttribute is the QName of the offending or missing attribute.
	BadAttribute string
	// BadElement is the QName of the offending element.
	BadElement string
	// BadNamespace is the namespace URI that was not recognised.
	BadNamespace string
	// OkElement, ErrElement and NoopElement belong to the obsolete
	// partial-operation tag; they are kept so that replies from old servers
	// decode completely.
	OkElement, ErrElement, NoopElement []string
	// Extra is additional error-info content as XML elements, each carrying
	// its own namespace declarations.
	Extra string
}

func (i Info) empty() bool {
	return i.SessionID == nil && i.BadAttribute == "" && i.BadElement == "" &&
		i.BadNamespace == "" && len(i.OkElement) == 0 && len(i.ErrElement) == 0 &&
		len(i.NoopElement) == 0 && i.Extra == ""
}

// Error is one NETCONF <rpc-error>.
type Error struct {
	Type     Type
	Tag      Tag
	Severity Severity
	// AppTag is the optional error-app-tag.
	AppTag string
	// Path is the optional error-path, an absolute XPath expression whose
	// prefixes are bound by PathNamespaces.
	Path string
	// PathNamespaces maps each prefix used in Path (and in the QNames of
	// Info) to its namespace URI; they are declared on <rpc-error>.
	PathNamespaces map[string]string
	// Message is the optional human-readable error-message.
	Message string
	// Lang is the xml:lang of Message; empty means "en" when Message is set.
	Lang string
	Info Info
}

// New returns an error-severity Error with the given type and tag and a
// message formatted with fmt.Sprintf.
func New(typ Type, tag Tag, format string, args ...any) *Error {
	return &Error{Type: typ, Tag: tag, Severity: SeverityError, Message: fmt.Sprintf(format, args...)}
}

// Error returns a one-line description: type, tag, path and message.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("netconf ")
	if e.Severity == SeverityWarning {
		b.WriteString("warning ")
	}
	b.WriteString(string(e.Type))
	b.WriteString(" error: ")
	b.WriteString(string(e.Tag))
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// WithPath sets the error-path and the namespaces its prefixes use, and
// returns e.
func (e *Error) WithPath(path string, namespaces map[string]string) *Error {
	e.Path = path
	e.PathNamespaces = namespaces
	return e
}

// WithAppTag sets error-app-tag and returns e.
func (e *Error) WithAppTag(tag string) *Error {
	e.AppTag = tag
	return e
}

// WithMessage sets error-message and returns e.
func (e *Error) WithMessage(message string) *Error {
	e.Message = message
	return e
}

// WithInfo sets error-info and returns e.
func (e *Error) WithInfo(info Info) *Error {
	e.Info = info
	return e
}

// Is reports whether target is an *Error with the same tag, so that
// errors.Is(err, &rpcerror.Error{Tag: rpcerror.LockDenied}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Tag == e.Tag && (t.Type == "" || t.Type == e.Type)
}

// List is several <rpc-error>s reported together in one reply.
type List []*Error

// Error joins the messages of every error in the list.
func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the errors of the list so that errors.As and errors.Is see
// each of them.
func (l List) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// HasErrors reports whether the list holds at least one error-severity
// entry; a list of warnings only does not make an operation fail.
func (l List) HasErrors() bool {
	for _, e := range l {
		if e.Severity != SeverityWarning {
			return true
		}
	}
	return false
}

// Errors flattens err into the rpc-errors it carries. A *Error or List is
// returned as is; any other non-nil error becomes one operation-failed
// error of type application whose message is err's text.
func Errors(err error) List {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return List{New(TypeApplication, OperationFailed, "%s", err.Error())}
}

// MissingAttributeError reports that element elem lacks attribute attr.
func MissingAttributeError(typ Type, attr, elem string) *Error {
	return New(typ, MissingAttribute, "missing attribute %q on element %q", attr, elem).
		WithInfo(Info{BadAttribute: attr, BadElement: elem})
}

// BadAttributeError reports that attribute attr of element elem has a bad value.
func BadAttributeError(typ Type, attr, elem, message string) *Error {
	return New(typ, BadAttribute, "%s", message).WithInfo(Info{BadAttribute: attr, BadElement: elem})
}

// UnknownAttributeError reports an unexpected attribute attr on element elem.
func UnknownAttributeError(typ Type, attr, elem string) *Error {
	return New(typ, UnknownAttribute, "unexpected attribute %q on element %q", attr, elem).
		WithInfo(Info{BadAttribute: attr, BadElement: elem})
}

// MissingElementError reports that the mandatory element elem is absent.
func MissingElementError(typ Type, elem string) *Error {
	return New(typ, MissingElement, "missing element %q", elem).WithInfo(Info{BadElement: elem})
}

// BadElementError reports that element elem has a bad value or form.
func BadElementError(typ Type, elem, message string) *Error {
	return New(typ, BadElement, "%s", message).WithInfo(Info{BadElement: elem})
}

// UnknownElementError reports an unexpected element elem.
func UnknownElementError(typ Type, elem string) *Error {
	return New(typ, UnknownElement, "unexpected element %q", elem).WithInfo(Info{BadElement: elem})
}

// UnknownNamespaceError reports that element elem is in namespace ns, which
// the server does not know.
func UnknownNamespaceError(typ Type, elem, ns string) *Error {
	return New(typ, UnknownNamespace, "unknown namespace %q on element %q", ns, elem).
		WithInfo(Info{BadElement: elem, BadNamespace: ns})
}

// LockDeniedError reports that the lock is held by session holder (0 for a
// non-NETCONF entity).
func LockDeniedError(holder uint32) *Error {
	return New(TypeProtocol, LockDenied, "lock held by session %d", holder).
		WithInfo(Info{SessionID: &holder})
}

// WriteTo writes e as an <rpc-error> element in the base:1.0 namespace. The
// element declares the default namespace and every prefix of
// PathNamespaces, so that it is self-contained wherever it is placed.
func (e *Error) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	b.WriteString(`<rpc-error xmlns="`)
	b.WriteString(BaseNamespace)
	b.WriteByte('"')
	prefixes := make([]string, 0, len(e.PathNamespaces))
	for p := range e.PathNamespaces {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		b.WriteString(" xmlns:")
		b.WriteString(p)
		b.WriteString(`="`)
		escape(&b, e.PathNamespaces[p])
		b.WriteByte('"')
	}
	b.WriteByte('>')
	leaf(&b, "error-type", string(e.Type))
	leaf(&b, "error-tag", string(e.Tag))
	sev := e.Severity
	if sev == "" {
		sev = SeverityError
	}
	leaf(&b, "error-severity", string(sev))
	if e.AppTag != "" {
		leaf(&b, "error-app-tag", e.AppTag)
	}
	if e.Path != "" {
		leaf(&b, "error-path", e.Path)
	}
	if e.Message != "" {
		lang := e.Lang
		if lang == "" {
			lang = "en"
		}
		b.WriteString(`<error-message xml:lang="`)
		escape(&b, lang)
		b.WriteString(`">`)
		escape(&b, e.Message)
		b.WriteString("</error-message>")
	}
	if !e.Info.empty() {
		b.WriteString("<error-info>")
		if e.Info.SessionID != nil {
			leaf(&b, "session-id", strconv.FormatUint(uint64(*e.Info.SessionID), 10))
		}
		if e.Info.BadAttribute != "" {
			leaf(&b, "bad-attribute", e.Info.BadAttribute)
		}
		if e.Info.BadElement != "" {
			leaf(&b, "bad-element", e.Info.BadElement)
		}
		for _, v := range e.Info.OkElement {
			leaf(&b, "ok-element", v)
		}
		for _, v := range e.Info.ErrElement {
			leaf(&b, "err-element", v)
		}
		for _, v := range e.Info.NoopElement {
			leaf(&b, "noop-element", v)
		}
		if e.Info.BadNamespace != "" {
			leaf(&b, "bad-namespace", e.Info.BadNamespace)
		}
		b.WriteString(e.Info.Extra)
		b.WriteString("</error-info>")
	}
	b.WriteString("</rpc-error>")
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func leaf(b *strings.Builder, name, value string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	escape(b, value)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

// escape writes s as XML character data safe in both text and attribute
// values.
func escape(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(r)
		}
	}
}
