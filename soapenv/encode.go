package soapenv

import (
	"io"
	"strings"
)

// prefix returns the envelope prefix this package writes for v.
func prefix(v Version) string {
	if v == V11 {
		return "soap"
	}
	return "env"
}

func writeEnvelopeStart(b *strings.Builder, v Version) {
	p := prefix(v)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<" + p + ":Envelope xmlns:" + p + `="` + v.Namespace() + `">`)
}

func writeEnvelopeEnd(b *strings.Builder, v Version) {
	b.WriteString("</" + prefix(v) + ":Envelope>\n")
}

// envelopeParts returns the bytes written before and after a Body child.
func envelopeParts(v Version) (head, tail string) {
	var b strings.Builder
	writeEnvelopeStart(&b, v)
	b.WriteString("<" + prefix(v) + ":Body>")
	head = b.String()
	b.Reset()
	b.WriteString("</" + prefix(v) + ":Body>")
	writeEnvelopeEnd(&b, v)
	return head, b.String()
}

var (
	head11, tail11 = envelopeParts(V11)
	head12, tail12 = envelopeParts(V12)
)

// WriteEnvelope writes an envelope of version v (SOAP 1.2 when v is
// unknown) whose Body child is produced by body, which writes straight to
// w so that large replies stream. body must write exactly one
// self-contained element: the envelope declares only its own prefix
// ("soap" for 1.1, "env" for 1.2) and no default namespace. An error from
// body is returned as is and the envelope is left unterminated, so that
// the peer sees a malformed message rather than a truncated reply that
// parses.
func WriteEnvelope(w io.Writer, v Version, body func(io.Writer) error) error {
	head, tail := head12, tail12
	if v == V11 {
		head, tail = head11, tail11
	}
	if _, err := io.WriteString(w, head); err != nil {
		return err
	}
	if err := body(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, tail)
	return err
}
