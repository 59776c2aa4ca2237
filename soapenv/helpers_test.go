package soapenv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Namespaces used by the tests.
const (
	ncNS = "urn:ietf:params:xml:ns:netconf:base:1.0"
	s11  = Namespace11
	s12  = Namespace12
)

// env wraps body in an envelope of version v with prefix p, extra
// attributes on Envelope, and an optional header.
func env(v Version, p, envAttrs, header, body string) string {
	ns := v.Namespace()
	decl := ` xmlns:` + p + `="` + ns + `"`
	tag := func(local string) string { return p + ":" + local }
	if p == "" {
		decl = ` xmlns="` + ns + `"`
		tag = func(local string) string { return local }
	}
	var b strings.Builder
	b.WriteString("<" + tag("Envelope") + decl + envAttrs + ">")
	if header != "" {
		b.WriteString("<" + tag("Header") + ">" + header + "</" + tag("Header") + ">")
	}
	b.WriteString("<" + tag("Body") + ">" + body + "</" + tag("Body") + "></" + tag("Envelope") + ">")
	return b.String()
}

// requireDocument checks that b is one well-formed, namespace-well-formed
// XML element standing on its own: with encoding/xml in strict mode, and
// with this package's scanner, which also rejects unbound prefixes.
func requireDocument(t testing.TB, b []byte) {
	t.Helper()
	require.NoError(t, checkDocument(b), "%q", b)
}

func checkDocument(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && !isSpace(t) {
				return errors.New("text outside the root element")
			}
		case xml.Directive:
			return errors.New("directive")
		}
	}
	if roots != 1 {
		return errors.New("not exactly one root element")
	}
	s, err := newScanner(bytes.NewReader(b), int64(len(b))+1, 1<<20)
	if err != nil {
		return err
	}
	for {
		if _, err := s.next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
