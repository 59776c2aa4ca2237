package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

func TestIndentXML(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"nested", `<a xmlns="urn:a"><b><c>1</c><d/></b></a>`, "<a xmlns=\"urn:a\">\n  <b>\n    <c>1</c>\n    <d/>\n  </b>\n</a>\n"},
		{"reindents", "<a>\n\t\t<b>x</b>\n    </a>", "<a>\n  <b>x</b>\n</a>\n"},
		{"keeps leaf whitespace", "<a><b>  </b><c> x </c></a>", "<a>\n  <b>  </b>\n  <c> x </c>\n</a>\n"},
		{"empty element", "<a></a>", "<a/>\n"},
		{"prefixes and attributes", `<nc:a xmlns:nc="urn:nc" nc:x="1&amp;2" y='"q"'><nc:b/></nc:a>`,
			"<nc:a xmlns:nc=\"urn:nc\" nc:x=\"1&amp;2\" y=\"&quot;q&quot;\">\n  <nc:b/>\n</nc:a>\n"},
		{"escapes text", "<a>&lt;&amp;&gt;<![CDATA[<x>]]></a>", "<a>&lt;&amp;&gt;&lt;x&gt;</a>\n"},
		{"multi-line text", "<a>line 1\nline 2</a>", "<a>line 1\nline 2</a>\n"},
		{"mixed content", "<a>text <b>bold</b> more</a>", "<a>text <b>bold</b> more</a>\n"},
		{"comment and pi", "<?xml version=\"1.0\"?><a><!-- c --><?p d?></a>", "<?xml version=\"1.0\"?>\n<a>\n  <!-- c -->\n  <?p d?>\n</a>\n"},
		{"fragment", "<a/> <b/>", "<a/>\n<b/>\n"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, indentXML(&b, strings.NewReader(tc.in)))
			require.Equal(t, tc.want, b.String())
		})
	}
}

func TestIndentXMLErrors(t *testing.T) {
	cases := []struct {
		name, in, err string
	}{
		{"mismatched", "<a></b>", "<a> closed by </b>"},
		{"unclosed", "<a><b>", "not well-formed"},
		{"stray end", "</a>", "not well-formed"},
		{"text outside", "<a/>text", "text outside an element"},
		{"bad entity", "<a>&nope;</a>", "not well-formed"},
		{"too deep", strings.Repeat("<a>", maxIndentDepth+1), "deeper than 1024"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := indentXML(io.Discard, strings.NewReader(tc.in))
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func TestOutputStream(t *testing.T) {
	var out bytes.Buffer
	o := &output{stdout: &out}
	require.NoError(t, o.stream(func(w io.Writer) error {
		for _, part := range []string{"<a><", "b>1</b", "></a>"} {
			if _, err := io.WriteString(w, part); err != nil {
				return err
			}
		}
		return nil
	}))
	require.Equal(t, "<a>\n  <b>1</b>\n</a>\n", out.String())

	failed := errors.New("lost")
	require.ErrorIs(t, o.stream(func(io.Writer) error { return failed }), failed)
	err := o.stream(func(w io.Writer) error {
		_, err := io.WriteString(w, "<a></b>")
		return err
	})
	require.ErrorContains(t, err, "closed by")

	out.Reset()
	o.raw = true
	require.NoError(t, o.stream(func(w io.Writer) error { _, err := io.WriteString(w, "<a><b/></a>"); return err }))
	require.Equal(t, "<a><b/></a>\n", out.String())
}

func TestPrintErrors(t *testing.T) {
	sid := uint32(7)
	list := rpcerror.List{
		{
			Type: rpcerror.TypeApplication, Tag: rpcerror.InvalidValue, Severity: rpcerror.SeverityError,
			AppTag: "too-small", Path: "/x:a/x:b", PathNamespaces: map[string]string{"x": "urn:x", "soap": "urn:soap"},
			Message: "zu klein", Lang: "de",
			Info: rpcerror.Info{SessionID: &sid, BadAttribute: "op", BadElement: "b", BadNamespace: "urn:y",
				OkElement: []string{"ok1"}, ErrElement: []string{"err1"}, NoopElement: []string{"noop1"},
				Extra: `<detail xmlns="urn:z">more</detail>`},
		},
		{Type: rpcerror.TypeRPC, Tag: rpcerror.MissingAttribute, Severity: rpcerror.SeverityWarning},
	}
	var b bytes.Buffer
	printErrors(&b, "rpc-error", list)
	require.Equal(t, `rpc-error: invalid-value
  error-type:     application
  error-tag:      invalid-value
  error-severity: error
  error-app-tag:  too-small
  error-path:     /x:a/x:b (xmlns:x="urn:x")
  error-message:  zu klein (xml:lang de)
  session-id:     7
  bad-attribute:  op
  bad-element:    b
  bad-namespace:  urn:y
  ok-element:     ok1
  err-element:    err1
  noop-element:   noop1
  error-info:     <detail xmlns="urn:z">more</detail>
rpc-error: missing-attribute
  error-type:     rpc
  error-tag:      missing-attribute
  error-severity: warning
`, b.String())
}

func BenchmarkIndentXML(b *testing.B) {
	var in strings.Builder
	in.WriteString(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="urn:x">`)
	for range 1000 {
		in.WriteString("<interface><name>eth0</name><mtu>1500</mtu><description>uplink port</description></interface>")
	}
	in.WriteString("</interfaces></data>")
	doc := in.String()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if err := indentXML(io.Discard, strings.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
}
