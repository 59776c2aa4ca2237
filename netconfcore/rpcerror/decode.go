package rpcerror

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/internal/nsxml"
)

// FromElement decodes an <rpc-error> element received from a peer. The
// prefixes declared in scope of el are kept in PathNamespaces so that
// error-path stays resolvable; unknown children of error-info are kept, as
// self-contained XML, in Info.Extra.
func FromElement(el *etree.Element) *Error {
	e := &Error{PathNamespaces: map[string]string{}}
	for p := el; p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if a.Space == "xmlns" {
				if _, seen := e.PathNamespaces[a.Key]; !seen {
					e.PathNamespaces[a.Key] = a.Value
				}
			}
		}
	}
	for _, c := range el.ChildElements() {
		text := strings.TrimSpace(c.Text())
		switch c.Tag {
		case "error-type":
			e.Type = Type(text)
		case "error-tag":
			e.Tag = Tag(text)
		case "error-severity":
			e.Severity = Severity(text)
		case "error-app-tag":
			e.AppTag = text
		case "error-path":
			e.Path = text
		case "error-message":
			e.Message = c.Text()
			if a := c.SelectAttr("xml:lang"); a != nil {
				e.Lang = a.Value
			}
		case "error-info":
			decodeInfo(c, &e.Info)
		}
	}
	if len(e.PathNamespaces) == 0 {
		e.PathNamespaces = nil
	}
	return e
}

func decodeInfo(el *etree.Element, info *Info) {
	var extra strings.Builder
	for _, c := range el.ChildElements() {
		text := strings.TrimSpace(c.Text())
		if c.NamespaceURI() != BaseNamespace {
			extra.WriteString(nsxml.String(c))
			continue
		}
		switch c.Tag {
		case "session-id":
			if v, err := strconv.ParseUint(text, 10, 32); err == nil {
				id := uint32(v)
				info.SessionID = &id
			}
		case "bad-attribute":
			info.BadAttribute = text
		case "bad-element":
			info.BadElement = text
		case "bad-namespace":
			info.BadNamespace = text
		case "ok-element":
			info.OkElement = append(info.OkElement, text)
		case "err-element":
			info.ErrElement = append(info.ErrElement, text)
		case "noop-element":
			info.NoopElement = append(info.NoopElement, text)
		}
	}
	info.Extra = extra.String()
}
