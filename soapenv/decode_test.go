package soapenv

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadRequest(t *testing.T) {
	rpc := `<rpc xmlns="` + ncNS + `" message-id="1"><get-config><source><running/></source></get-config></rpc>`
	deep := strings.Repeat("<a>", 20) + strings.Repeat("</a>", 20)
	tests := []struct {
		name     string
		in       string
		opts     *Options
		version  Version
		local    string
		space    string
		body     string // exact Body bytes
		contains string // alternatively, a substring of Body
	}{
		{name: "SOAP 1.2 prefixed", in: env(V12, "env", "", "", rpc), version: V12, local: "rpc", space: ncNS,
			body: `<rpc xmlns="` + ncNS + `" message-id="1"><get-config><source><running/></source></get-config></rpc>`},
		{name: "SOAP 1.1 prefixed", in: env(V11, "soap", "", "", rpc), version: V11, local: "rpc", space: ncNS,
			body: `<rpc xmlns="` + ncNS + `" message-id="1"><get-config><source><running/></source></get-config></rpc>`},
		{name: "default-namespace envelope, child redeclares default", in: env(V12, "", "", "", rpc), version: V12, local: "rpc", space: ncNS,
			body: rpc},
		{name: "default-namespace envelope, child inherits default", in: env(V11, "", "", "", `<x/>`), version: V11, local: "x", space: s11,
			body: `<x xmlns="` + s11 + `"/>`},
		{name: "prefix declared on Envelope used by child",
			in:      env(V12, "s", ` xmlns:nc="`+ncNS+`"`, "", `<nc:rpc message-id="7"><nc:get/></nc:rpc>`),
			version: V12, local: "rpc", space: ncNS,
			body: `<nc:rpc xmlns:nc="` + ncNS + `" message-id="7"><nc:get/></nc:rpc>`},
		{name: "prefixes in attribute values stay bound",
			in: `<e:Envelope xmlns:e="` + s12 + `" xmlns:t="urn:t"><e:Body xmlns:if="urn:if">` +
				`<rpc xmlns="` + ncNS + `" message-id="2"><get><filter type="xpath" select="/t:top/if:interfaces"/></get></rpc></e:Body></e:Envelope>`,
			version: V12, local: "rpc", space: ncNS,
			body: `<rpc xmlns:if="urn:if" xmlns:t="urn:t" xmlns="` + ncNS + `" message-id="2"><get><filter type="xpath" select="/t:top/if:interfaces"/></get></rpc>`},
		{name: "child redeclares an inherited prefix",
			in:      env(V12, "env", ` xmlns:a="urn:old"`, "", `<a:x xmlns:a="urn:new"/>`),
			version: V12, local: "x", space: "urn:new",
			body: `<a:x xmlns:a="urn:new"/>`},
		{name: "envelope namespace URI escaped when copied",
			in:      env(V12, "env", ` xmlns:q="urn:a&amp;b&quot;c"`, "", `<q:x/>`),
			version: V12, local: "x", space: `urn:a&b"c`,
			body: `<q:x xmlns:q="urn:a&amp;b&quot;c"/>`},
		{name: "CDATA, comments, PIs and ]]> kept verbatim",
			in: env(V12, "env", "", "", `<!-- before --><?pi before?>`+
				`<data xmlns="urn:d"><![CDATA[a <b> ]] ]]]]><![CDATA[> &amp;]]><!-- c ]]> --><?app x ]]> y?>t&lt;&#x41;</data>`+
				`<!-- after --><?pi after?>`),
			version: V12, local: "data", space: "urn:d",
			body: `<data xmlns="urn:d"><![CDATA[a <b> ]] ]]]]><![CDATA[> &amp;]]><!-- c ]]> --><?app x ]]> y?>t&lt;&#x41;</data>`},
		{name: "XML declaration utf-8 and whitespace everywhere",
			in: `<?xml version="1.0" encoding="utf-8"?>` + "\n<!-- c -->\n" +
				`<env:Envelope xmlns:env="` + s12 + "\">\n <env:Header/>\n <env:Body>\n  <hello xmlns=\"" + ncNS + "\"/>\n </env:Body>\n</env:Envelope>\n<!-- end -->\n",
			version: V12, local: "hello", space: ncNS, body: `<hello xmlns="` + ncNS + `"/>`},
		{name: "UTF-8 byte order mark", in: "\xEF\xBB\xBF" + env(V12, "env", "", "", rpc), version: V12, local: "rpc", space: ncNS, contains: `message-id="1"`},
		{name: "non-ASCII content", in: env(V12, "env", "", "", `<x xmlns="urn:x">grüße ✓</x>`), version: V12, local: "x", space: "urn:x", contains: "grüße ✓"},
		{name: "depth at the limit", in: env(V12, "env", "", "", deep), opts: &Options{MaxDepth: 22}, version: V12, local: "a", contains: "<a><a>"},
		{name: "mustUnderstand false in SOAP 1.2",
			in:      env(V12, "env", "", `<h:a xmlns:h="urn:h" env:mustUnderstand="false"/><h:b xmlns:h="urn:h" env:mustUnderstand=" 0 "/>`, rpc),
			version: V12, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "mustUnderstand 0 in SOAP 1.1",
			in:      env(V11, "soap", "", `<h:a xmlns:h="urn:h" soap:mustUnderstand="0"/><h:b xmlns:h="urn:h" soap:mustUnderstand="false"/>`, rpc),
			version: V11, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "mustUnderstand in a foreign namespace is not SOAP's",
			in:      env(V12, "env", "", `<h:a xmlns:h="urn:h" xmlns:o="urn:other" o:mustUnderstand="true"/>`, rpc),
			version: V12, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "SOAP 1.1 mustUnderstand attribute in the SOAP 1.2 envelope is foreign",
			in:      env(V12, "env", ` xmlns:soap="`+s11+`"`, `<h:a xmlns:h="urn:h" soap:mustUnderstand="1"/>`, rpc),
			version: V12, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "mustUnderstand block for another SOAP 1.2 role",
			in:      env(V12, "env", "", `<h:a xmlns:h="urn:h" env:mustUnderstand="true" env:role="http://example.com/other"/><h:b xmlns:h="urn:h" env:mustUnderstand="1" env:role="`+s12+`/role/none"/>`, rpc),
			version: V12, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "mustUnderstand block for another SOAP 1.1 actor",
			in:      env(V11, "soap", "", `<h:a xmlns:h="urn:h" soap:mustUnderstand="1" soap:actor="http://example.com/other"/>`, rpc),
			version: V11, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "header blocks with content are skipped",
			in:      env(V12, "env", "", `<h:a xmlns:h="urn:h"><h:b><h:c>text</h:c></h:b></h:a><h:d xmlns:h="urn:h"/>`, rpc),
			version: V12, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "SOAP 1.1 allows qualified elements after Body",
			in:      `<soap:Envelope xmlns:soap="` + s11 + `"><soap:Body>` + rpc + `</soap:Body><x:extra xmlns:x="urn:x"><x:y/></x:extra></soap:Envelope>`,
			version: V11, local: "rpc", space: ncNS, contains: "get-config"},
		{name: "encodingStyle none is literal",
			in:      env(V12, "env", "", "", `<x xmlns="urn:x" env:encodingStyle="`+s12+`/encoding/none"/>`),
			version: V12, local: "x", space: "urn:x", contains: "encodingStyle"},
		{name: "trailing comments, PIs and white space", in: env(V12, "env", "", "", rpc) + "\n<!-- x --><?pi?>\r\n\t ",
			version: V12, local: "rpc", space: ncNS, contains: "get-config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ReadRequest(strings.NewReader(tt.in), tt.opts)
			require.NoError(t, err)
			require.Equal(t, tt.version, req.Version)
			require.Equal(t, tt.local, req.Name.Local)
			require.Equal(t, tt.space, req.Name.Space)
			if tt.body != "" {
				require.Equal(t, tt.body, string(req.Body))
			} else {
				require.Contains(t, string(req.Body), tt.contains)
			}
			requireDocument(t, req.Body)
		})
	}
}

func TestReadRequestFaults(t *testing.T) {
	var manyAttrs string
	for i := range 40 {
		manyAttrs += fmt.Sprintf(` a%d="%d"`, i, i)
	}
	rpc := `<rpc xmlns="` + ncNS + `" message-id="1"><get/></rpc>`
	tests := []struct {
		name    string
		in      string
		opts    *Options
		code    Code
		reason  string // substring of Reason
		version Version
		notUnd  []string // clark names
	}{
		{name: "empty input", in: "", code: Sender, reason: "empty document", version: V12},
		{name: "only white space", in: " \n", code: Sender, reason: "empty document", version: V12},
		{name: "not XML", in: "hello", code: Sender, reason: "text before the root", version: V12},
		{name: "unknown envelope namespace", in: `<e:Envelope xmlns:e="urn:soap:2.0"><e:Body/></e:Envelope>`, code: VersionMismatch, reason: "{urn:soap:2.0}Envelope", version: V12},
		{name: "version mismatch uses the fault version hint", in: `<Envelope><Body/></Envelope>`, opts: &Options{FaultVersion: V11}, code: VersionMismatch, reason: "Envelope is not", version: V11},
		{name: "bare NETCONF rpc", in: rpc, code: VersionMismatch, reason: "{" + ncNS + "}rpc", version: V12},
		{name: "DOCTYPE", in: `<!DOCTYPE x [<!ENTITY a "b">]>` + env(V12, "env", "", "", rpc), code: Sender, reason: "document type declarations are not allowed", version: V12},
		{name: "entity reference", in: env(V12, "env", "", "", `<x>&a;</x>`), code: Sender, reason: "malformed XML", version: V12},
		{name: "ISO-8859-1 declared", in: `<?xml version="1.0" encoding="ISO-8859-1"?>` + env(V12, "env", "", "", rpc), code: Sender, reason: `"ISO-8859-1" is not supported`, version: V12},
		{name: "UTF-16 byte order mark", in: "\xFF\xFE<\x00", code: Sender, reason: "UTF-16 is not supported", version: V12},
		{name: "XML declaration not first", in: " " + `<?xml version="1.0"?>` + env(V12, "env", "", "", rpc), code: Sender, reason: "XML declaration not at the start", version: V12},
		{name: "XML version 1.1", in: `<?xml version="1.1"?>` + env(V11, "soap", "", "", rpc), code: Sender, reason: "version", version: V12},
		{name: "depth limit", in: env(V11, "soap", "", "", strings.Repeat("<a>", 30)+strings.Repeat("</a>", 30)), opts: &Options{MaxDepth: 20}, code: Sender, reason: "nesting exceeds the limit of 20", version: V11},
		{name: "size limit", in: env(V12, "env", "", "", rpc), opts: &Options{MaxSize: 50}, code: Sender, reason: "exceeds the limit of 50 bytes", version: V12},
		{name: "empty Body", in: env(V12, "env", "", "", ""), code: Sender, reason: "Body is empty", version: V12},
		{name: "Body with only white space and a comment", in: env(V11, "soap", "", "", " <!-- x --> "), code: Sender, reason: "Body is empty", version: V11},
		{name: "two Body children", in: env(V12, "env", "", "", rpc+rpc), code: Sender, reason: "more than one child", version: V12},
		{name: "text in Body", in: env(V12, "env", "", "", rpc+"x"), code: Sender, reason: "text content in Body", version: V12},
		{name: "text before Body child", in: env(V12, "env", "", "", "x"+rpc), code: Sender, reason: "text content in Body", version: V12},
		{name: "no Body", in: `<env:Envelope xmlns:env="` + s12 + `"><env:Header/></env:Envelope>`, code: Sender, reason: "no Body", version: V12},
		{name: "Body not in the envelope namespace", in: `<env:Envelope xmlns:env="` + s12 + `"><Body>` + rpc + `</Body></env:Envelope>`, code: Sender, reason: "unexpected element Body in Envelope", version: V12},
		{name: "Header after Body", in: `<env:Envelope xmlns:env="` + s12 + `"><env:Body>` + rpc + `</env:Body><env:Header/></env:Envelope>`, code: Sender, reason: "after Body", version: V12},
		{name: "two Headers", in: `<env:Envelope xmlns:env="` + s12 + `"><env:Header/><env:Header/><env:Body>` + rpc + `</env:Body></env:Envelope>`, code: Sender, reason: "unexpected element", version: V12},
		{name: "SOAP 1.2 forbids elements after Body", in: `<env:Envelope xmlns:env="` + s12 + `"><env:Body>` + rpc + `</env:Body><x:e xmlns:x="urn:x"/></env:Envelope>`, code: Sender, reason: "after Body", version: V12},
		{name: "trailing garbage", in: env(V12, "env", "", "", rpc) + "garbage", code: Sender, reason: "text content after the end of the Envelope", version: V12},
		{name: "CDATA after the Envelope", in: env(V12, "env", "", "", rpc) + "<![CDATA[ ]]>", code: Sender, reason: "after the end of the Envelope", version: V12},
		{name: "character reference before the Envelope", in: "&#32;" + env(V12, "env", "", "", rpc), code: Sender, reason: "text before the root", version: V12},
		{name: "second root element", in: env(V12, "env", "", "", rpc) + "<x/>", code: Sender, reason: "content after the end of the Envelope", version: V12},
		{name: "truncated", in: strings.TrimSuffix(env(V12, "env", "", "", rpc), ">"), code: Sender, reason: "unexpected EOF", version: V12},
		{name: "mismatched end tag", in: env(V12, "env", "", "", `<a xmlns="urn:a"><b></a></b>`), code: Sender, reason: "closed by", version: V12},
		{name: "unbound element prefix", in: env(V12, "env", "", "", `<x:a/>`), code: Sender, reason: `element prefix "x" is not declared`, version: V12},
		{name: "unbound attribute prefix", in: env(V12, "env", "", "", `<a y:b="1"/>`), code: Sender, reason: `attribute prefix "y" is not declared`, version: V12},
		{name: "duplicate attribute", in: env(V12, "env", "", "", `<a b="1" b="2"/>`), code: Sender, reason: "duplicate attribute", version: V12},
		{name: "duplicate attribute after namespace resolution", in: env(V12, "env", "", "", `<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>`), code: Sender, reason: "duplicate attribute {urn:x}b", version: V12},
		{name: "duplicate among many attributes", in: env(V12, "env", "", "", `<a `+manyAttrs+` a5="x"/>`), code: Sender, reason: `duplicate attribute "a5"`, version: V12},
		{name: "undeclaring a prefix", in: env(V12, "env", "", "", `<a xmlns:p=""/>`), code: Sender, reason: "empty namespace", version: V12},
		{name: "invalid character in comment", in: env(V12, "env", "", "", "<a><!-- \x01 --></a>"), code: Sender, reason: "invalid character in comment", version: V12},
		{name: "invalid UTF-8", in: env(V12, "env", "", "", "<a>\xff</a>"), code: Sender, reason: "malformed XML", version: V12},
		{name: "mustUnderstand true in SOAP 1.2",
			in:   env(V12, "env", "", `<h:a xmlns:h="urn:h" env:mustUnderstand="true"/><h:b xmlns:h="urn:h"/><h:c xmlns:h="urn:h" env:mustUnderstand="1" env:role="`+s12+`/role/next"/>`, rpc),
			code: MustUnderstand, reason: "{urn:h}a, {urn:h}c", version: V12, notUnd: []string{"{urn:h}a", "{urn:h}c"}},
		{name: "mustUnderstand 1 in SOAP 1.1",
			in:   env(V11, "soap", "", `<h:a xmlns:h="urn:h" soap:mustUnderstand="1"/>`, rpc),
			code: MustUnderstand, reason: "{urn:h}a", version: V11, notUnd: []string{"{urn:h}a"}},
		{name: "mustUnderstand true in SOAP 1.1, actor next",
			in:   env(V11, "soap", "", `<h:a xmlns:h="urn:h" soap:mustUnderstand="true" soap:actor="http://schemas.xmlsoap.org/soap/actor/next"/>`, rpc),
			code: MustUnderstand, reason: "{urn:h}a", version: V11, notUnd: []string{"{urn:h}a"}},
		{name: "mustUnderstand on an unqualified block", in: env(V12, "env", "", `<a env:mustUnderstand="true"/>`, rpc),
			code: MustUnderstand, reason: "not understood: a", version: V12, notUnd: []string{"a"}},
		{name: "invalid mustUnderstand value", in: env(V12, "env", "", `<h:a xmlns:h="urn:h" env:mustUnderstand="yes"/>`, rpc),
			code: Sender, reason: `invalid mustUnderstand value "yes"`, version: V12},
		{name: "SOAP 1.1 mustUnderstand does not trim", in: env(V11, "soap", "", `<h:a xmlns:h="urn:h" soap:mustUnderstand=" 1"/>`, rpc),
			code: Sender, reason: "invalid mustUnderstand", version: V11},
		{name: "SOAP encoding on the Body child", in: env(V12, "env", "", "", `<x xmlns="urn:x" env:encodingStyle="`+s12+`/encoding"/>`),
			code: DataEncodingUnknown, reason: "encodingStyle", version: V12},
		{name: "SOAP 1.1 encoding on the Body child", in: env(V11, "soap", "", "", `<x xmlns="urn:x" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/>`),
			code: DataEncodingUnknown, reason: "encodingStyle", version: V11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ReadRequest(strings.NewReader(tt.in), tt.opts)
			require.Nil(t, req)
			var f *Fault
			require.ErrorAs(t, err, &f)
			require.Equal(t, tt.code, f.Code)
			require.Contains(t, f.Reason, tt.reason)
			require.Equal(t, tt.version, f.Version)
			var names []string
			for _, n := range f.NotUnderstood {
				names = append(names, clark(n))
			}
			require.Equal(t, tt.notUnd, names)
		})
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadRequestIOError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := ReadRequest(failingReader{boom}, nil)
	require.ErrorIs(t, err, boom)
	var f *Fault
	require.False(t, errors.As(err, &f), "an I/O error is not a fault")
}

func TestReadRequestExactSizeLimit(t *testing.T) {
	in := env(V12, "env", "", "", `<x/>`)
	_, err := ReadRequest(strings.NewReader(in), &Options{MaxSize: math.MaxInt64})
	require.NoError(t, err)
	_, err = ReadRequest(strings.NewReader(in), &Options{MaxSize: int64(len(in))})
	require.NoError(t, err)
	_, err = ReadRequest(strings.NewReader(in), &Options{MaxSize: int64(len(in)) - 1})
	var f *Fault
	require.ErrorAs(t, err, &f)
}

func TestMustUnderstandReasonIsBounded(t *testing.T) {
	blocks := strings.Repeat(`<h:a xmlns:h="urn:h" env:mustUnderstand="true"/>`, 10)
	_, err := ReadRequest(strings.NewReader(env(V12, "env", "", blocks, `<x/>`)), nil)
	var f *Fault
	require.ErrorAs(t, err, &f)
	require.Equal(t, MustUnderstand, f.Code)
	require.Len(t, f.NotUnderstood, 10)
	require.Equal(t, 8, strings.Count(f.Reason, "{urn:h}a"))
	require.True(t, strings.HasSuffix(f.Reason, ", and 2 more"), f.Reason)
}
