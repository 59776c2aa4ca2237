package main

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// maxIndentDepth bounds the element nesting the indenter accepts.
const maxIndentDepth = 1024

// output is where a command writes its result.
type output struct {
	stdout, stderr io.Writer
	raw            bool
}

// xml prints one XML message, indented unless raw.
func (o *output) xml(b []byte) error {
	if o.raw {
		if _, err := o.stdout.Write(b); err != nil {
			return err
		}
		_, err := io.WriteString(o.stdout, "\n")
		return err
	}
	return indentXML(o.stdout, bytes.NewReader(b))
}

// stream prints the XML that produce writes, indenting it as it arrives
// unless raw.
func (o *output) stream(produce func(io.Writer) error) error {
	if o.raw {
		if err := produce(o.stdout); err != nil {
			return err
		}
		_, err := io.WriteString(o.stdout, "\n")
		return err
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := indentXML(o.stdout, pr)
		pr.CloseWithError(errOutputStopped)
		done <- err
	}()
	err := produce(pw)
	pw.CloseWithError(err)
	ierr := <-done
	if err == nil || errors.Is(err, errOutputStopped) {
		return ierr
	}
	return err
}

// errOutputStopped fails the writes of a reply whose printing failed.
var errOutputStopped = errors.New("output stopped")

// done reports the outcome of an operation without data.
func (o *output) done(err error) error {
	if err != nil {
		return err
	}
	_, err = io.WriteString(o.stdout, "ok\n")
	return err
}

// warnings prints rpc-errors of severity warning.
func (o *output) warnings(list rpcerror.List) {
	if len(list) > 0 {
		printErrors(o.stderr, "warning", list)
	}
}

// printErrors prints every field of every rpc-error in list.
func printErrors(w io.Writer, label string, list rpcerror.List) {
	for _, e := range list {
		fmt.Fprintf(w, "%s: %s\n", label, e.Tag)
		field := func(name, value string) {
			if value != "" {
				fmt.Fprintf(w, "  %-15s %s\n", name+":", value)
			}
		}
		field("error-type", string(e.Type))
		field("error-tag", string(e.Tag))
		field("error-severity", string(e.Severity))
		field("error-app-tag", e.AppTag)
		field("error-path", pathWithNamespaces(e))
		msg := e.Message
		if e.Lang != "" && e.Lang != "en" {
			msg += " (xml:lang " + e.Lang + ")"
		}
		field("error-message", msg)
		if e.Info.SessionID != nil {
			field("session-id", fmt.Sprint(*e.Info.SessionID))
		}
		field("bad-attribute", e.Info.BadAttribute)
		field("bad-element", e.Info.BadElement)
		field("bad-namespace", e.Info.BadNamespace)
		for _, v := range e.Info.OkElement {
			field("ok-element", v)
		}
		for _, v := range e.Info.ErrElement {
			field("err-element", v)
		}
		for _, v := range e.Info.NoopElement {
			field("noop-element", v)
		}
		field("error-info", e.Info.Extra)
	}
}

// pathWithNamespaces returns the error-path of e followed by the
// declarations of the prefixes it uses.
func pathWithNamespaces(e *rpcerror.Error) string {
	if e.Path == "" {
		return ""
	}
	var decls []string
	for _, p := range slices.Sorted(maps.Keys(e.PathNamespaces)) {
		if strings.Contains(e.Path, p+":") {
			decls = append(decls, fmt.Sprintf("xmlns:%s=%q", p, e.PathNamespaces[p]))
		}
	}
	if len(decls) == 0 {
		return e.Path
	}
	return e.Path + " (" + strings.Join(decls, " ") + ")"
}

// indentXML copies the XML document or fragment from r to w, putting
// every element that holds only elements on lines of its own, indented by
// two spaces a level. Text content, including whitespace inside elements
// without child elements, is kept as it is.
func indentXML(w io.Writer, r io.Reader) error {
	bw := bufio.NewWriter(w)
	in := indenter{w: bw}
	d := xml.NewDecoder(r)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			bw.Flush()
			return fmt.Errorf("reply is not well-formed XML: %w", err)
		}
		if err := in.token(tok); err != nil {
			bw.Flush()
			return err
		}
	}
	if len(in.stack) > 0 {
		bw.Flush()
		return fmt.Errorf("reply is not well-formed XML: <%s> not closed", qname(in.stack[len(in.stack)-1].name))
	}
	if in.wrote {
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// maxPendingSpace bounds the whitespace held back while it is unknown
// whether it is an element's value or indentation to drop.
const maxPendingSpace = 64 << 10

type indenter struct {
	w     *bufio.Writer
	stack []openElement
	open  bool   // the start tag of the top of stack lacks its '>'
	space []byte // whitespace seen since the last token written
	wrote bool
}

type openElement struct {
	name     xml.Name
	children bool // has child elements, comments or PIs
	text     bool // has non-whitespace text
}

func (in *indenter) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		if len(in.stack) >= maxIndentDepth {
			return fmt.Errorf("reply nests elements deeper than %d", maxIndentDepth)
		}
		in.child()
		in.w.WriteByte('<')
		writeName(in.w, t.Name)
		for _, a := range t.Attr {
			in.w.WriteByte(' ')
			writeName(in.w, a.Name)
			in.w.WriteString(`="`)
			escape(in.w, a.Value, true)
			in.w.WriteByte('"')
		}
		in.stack = append(in.stack, openElement{name: t.Name})
		in.open = true
	case xml.EndElement:
		if len(in.stack) == 0 {
			return fmt.Errorf("reply is not well-formed XML: unexpected </%s>", qname(t.Name))
		}
		top := in.stack[len(in.stack)-1]
		if t.Name != top.name {
			return fmt.Errorf("reply is not well-formed XML: <%s> closed by </%s>", qname(top.name), qname(t.Name))
		}
		in.stack = in.stack[:len(in.stack)-1]
		switch {
		case in.open && len(in.space) == 0:
			in.w.WriteString("/>")
		case in.open:
			in.w.WriteByte('>')
			in.w.Write(in.space)
			writeEnd(in.w, top.name)
		case top.children && !top.text:
			in.newline()
			writeEnd(in.w, top.name)
		default:
			in.w.Write(in.space)
			writeEnd(in.w, top.name)
		}
		in.open, in.space = false, in.space[:0]
	case xml.CharData:
		if len(in.stack) == 0 {
			if len(strings.TrimSpace(string(t))) > 0 {
				return errors.New("reply is not well-formed XML: text outside an element")
			}
			return nil
		}
		if isSpace(t) && len(in.space)+len(t) <= maxPendingSpace {
			in.space = append(in.space, t...)
			return nil
		}
		in.closeStart()
		in.w.Write(in.space)
		in.space = in.space[:0]
		escape(in.w, string(t), false)
		in.stack[len(in.stack)-1].text = true
	case xml.Comment:
		in.child()
		in.w.WriteString("<!--" + string(t) + "-->")
	case xml.ProcInst:
		in.child()
		in.w.WriteString("<?" + t.Target)
		if len(t.Inst) > 0 {
			in.w.WriteString(" " + string(t.Inst))
		}
		in.w.WriteString("?>")
	case xml.Directive:
		in.child()
		in.w.WriteString("<!" + string(t) + ">")
	}
	in.wrote = true
	return nil
}

// child starts a new child of the current element, or a new top-level
// node, on a line of its own unless the parent has text (mixed content).
func (in *indenter) child() {
	in.closeStart()
	if len(in.stack) == 0 {
		if in.wrote {
			in.w.WriteByte('\n')
		}
		in.space = in.space[:0]
		return
	}
	parent := &in.stack[len(in.stack)-1]
	parent.children = true
	if parent.text {
		in.w.Write(in.space)
	} else {
		in.newline()
	}
	in.space = in.space[:0]
}

func (in *indenter) closeStart() {
	if in.open {
		in.w.WriteByte('>')
		in.open = false
	}
}

func (in *indenter) newline() {
	in.w.WriteByte('\n')
	for range in.stack {
		in.w.WriteString("  ")
	}
}

func writeName(w *bufio.Writer, n xml.Name) {
	if n.Space != "" {
		w.WriteString(n.Space)
		w.WriteByte(':')
	}
	w.WriteString(n.Local)
}

func writeEnd(w *bufio.Writer, n xml.Name) {
	w.WriteString("</")
	writeName(w, n)
	w.WriteByte('>')
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// escape writes s as XML character data, or as an attribute value, which
// also escapes quotes and whitespace other than spaces.
func escape(w *bufio.Writer, s string, attr bool) {
	for _, r := range s {
		switch {
		case r == '&':
			w.WriteString("&amp;")
		case r == '<':
			w.WriteString("&lt;")
		case r == '>':
			w.WriteString("&gt;")
		case r == '\r':
			w.WriteString("&#xD;")
		case attr && r == '"':
			w.WriteString("&quot;")
		case attr && r == '\n':
			w.WriteString("&#xA;")
		case attr && r == '\t':
			w.WriteString("&#x9;")
		default:
			w.WriteRune(r)
		}
	}
}
