package xmlparse

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		offset   int64
		line     int
		msg      string
	}{
		{"empty", "", 0, 1, "no root element"},
		{"only space", " \n", 2, 2, "no root element"},
		{"only comment", "<!-- x -->", 10, 1, "no root element"},
		{"unclosed", "<a>", 3, 1, `unexpected end of input: element "a" not closed`},
		{"mismatch", "<a>\n<b>\n</a>", 8, 3, `end tag "a" does not match start tag "b"`},
		{"prefix mismatch", "<p:a></q:a>", 5, 1, `end tag "q:a" does not match start tag "p:a"`},
		{"end without start", "</a>", 0, 1, "end tag without start tag"},
		{"second root", "<a/><b/>", 4, 1, "second root element"},
		{"text after root", "<a/>x", 4, 1, "character data outside the root element"},
		{"text before root", " x<a/>", 1, 1, "character data outside the root element"},
		{"cdata outside root", "<![CDATA[x]]><a/>", 0, 1, "CDATA section outside the root element"},
		{"doctype", "<!DOCTYPE a><a/>", 0, 1, "DOCTYPE and other <! declarations are not allowed"},
		{"entity declaration", "<a><!ENTITY x 'y'></a>", 3, 1, "DOCTYPE and other <! declarations are not allowed"},
		{"bad comment start", "<a><!-x--></a>", 3, 1, "malformed comment or CDATA section"},
		{"bad cdata start", "<a><![CDAT[x]]></a>", 3, 1, "malformed comment or CDATA section"},
		{"duplicate attribute", `<a x="1" x="2"/>`, 9, 1, `duplicate attribute "x"`},
		{"duplicate prefixed attribute", `<a p:x="1" y="" p:x="2"/>`, 16, 1, `duplicate attribute "p:x"`},
		{"unquoted value", `<a b=1/>`, 5, 1, "attribute value must be quoted"},
		{"attribute without value", `<a b/>`, 4, 1, `expected '=' after attribute name "b"`},
		{"lt in value", `<a b="<"/>`, 6, 1, "'<' in attribute value"},
		{"lt in unterminated value", `<a b="x<`, 7, 1, "'<' in attribute value"},
		{"unterminated value", `<a b="x`, 7, 1, "unexpected end of input"},
		{"no space between attributes", `<a b="1"c="2"/>`, 8, 1, "expected whitespace, '>' or '/>' in tag"},
		{"slash without gt", "<a/ >", 2, 1, "expected '>' after '/' in tag"},
		{"junk in end tag", "<a></a x>", 7, 1, "expected '>' in end tag"},
		{"lone lt", "<", 1, 1, "unexpected end of input"},
		{"name cut short", "<a", 2, 1, "unexpected end of input"},
		{"digit name", "<1a/>", 1, 1, "expected a name"},
		{"space before name", "< a/>", 1, 1, "expected a name"},
		{"two colons", "<a:b:c/>", 1, 1, `name "a:b:c" has more than one colon`},
		{"attribute two colons", `<a x:y:z=""/>`, 3, 1, `name "x:y:z" has more than one colon`},
		{"non-letter in name", "<a\u00d7/>", 1, 1, `invalid name "a×"`},
		{"invalid UTF-8 in name", "<a\xff/>", 1, 1, `invalid name "a\xff"`},
		{"undefined entity", "<a>&nbsp;</a>", 3, 1, `undefined entity "&nbsp;"`},
		{"entity without semicolon", "<a>&amp</a>", 3, 1, "'&' without ';' ending a reference"},
		{"entity in attribute", `<a b="&x;"/>`, 6, 1, `undefined entity "&x;"`},
		{"surrogate reference", "<a>&#xD800;</a>", 3, 1, `invalid character reference "&#xD800;"`},
		{"NUL reference", "<a>&#0;</a>", 3, 1, `invalid character reference "&#0;"`},
		{"reference beyond Unicode", "<a>&#x110000;</a>", 3, 1, `invalid character reference "&#x110000;"`},
		{"huge reference", "<a>&#99999999999999999999;</a>", 3, 1, `invalid character reference "&#99999999999999999999;"`},
		{"empty reference", "<a>&#;</a>", 3, 1, `invalid character reference "&#;"`},
		{"upper-case X reference", "<a>&#X41;</a>", 3, 1, `invalid character reference "&#X41;"`},
		{"cdata end in text", "<a>x]]></a>", 4, 1, `"]]>" in text`},
		{"control character", "<a>\x01</a>", 3, 1, "illegal character U+0001"},
		{"control in attribute", "<a b=\"\x1f\"/>", 6, 1, "illegal character U+001F"},
		{"invalid UTF-8", "<a>\xff</a>", 3, 1, "invalid UTF-8"},
		{"truncated UTF-8", "<a>\xc3</a>", 3, 1, "invalid UTF-8"},
		{"U+FFFE", "<a>\uFFFE</a>", 3, 1, "illegal character U+FFFE"},
		{"control in CDATA", "<a><![CDATA[\x02]]></a>", 12, 1, "illegal character U+0002"},
		{"unterminated CDATA", "<a><![CDATA[x</a>", 17, 1, "unexpected end of input"},
		{"double hyphen in comment", "<a><!-- a -- b --></a>", 10, 1, `"--" inside a comment`},
		{"comment ending in hyphen", "<a><!-- a ---></a>", 10, 1, `"--" inside a comment`},
		{"control in comment", "<a><!-- \x01 --></a>", 8, 1, "illegal character U+0001"},
		{"unterminated comment", "<a><!-- x", 9, 1, "unexpected end of input"},
		{"pi without space", `<?pi"x"?><a/>`, 4, 1, `expected whitespace or "?>" after processing instruction target`},
		{"pi without target", `<? x?><a/>`, 2, 1, "expected a name"},
		{"invalid UTF-8 in pi", "<?pi \xff?><a/>", 5, 1, "invalid UTF-8"},
		{"unterminated pi", "<a><?pi x", 9, 1, "unexpected end of input"},
		{"reserved pi target", `<?XML version="1.0"?><a/>`, 0, 1, `processing instruction target "XML" is reserved`},
		{"late declaration", `<a/><?xml version="1.0"?>`, 4, 1, "XML declaration not at the start of the document"},
		{"declaration after space", ` <?xml version="1.0"?><a/>`, 1, 1, "XML declaration not at the start of the document"},
		{"version 1.1", `<?xml version="1.1"?><a/>`, 15, 1, `unsupported XML version "1.1"`},
		{"no version", `<?xml?><a/>`, 5, 1, "XML declaration without version"},
		{"encoding first", `<?xml encoding="UTF-8"?><a/>`, 6, 1, "malformed XML declaration"},
		{"fields out of order", `<?xml version="1.0" standalone="yes" encoding="UTF-8"?><a/>`, 37, 1, "malformed XML declaration"},
		{"unknown field", `<?xml version="1.0" foo="x"?><a/>`, 20, 1, "malformed XML declaration"},
		{"declaration without space", `<?xml version="1.0"encoding="UTF-8"?><a/>`, 19, 1, "expected whitespace in XML declaration"},
		{"declaration without equals", `<?xml version "1.0"?><a/>`, 14, 1, "expected '=' in XML declaration"},
		{"declaration unquoted", `<?xml version=1.0?><a/>`, 14, 1, "expected quoted value in XML declaration"},
		{"declaration unterminated", `<?xml version="1.0?><a/>`, 14, 1, "unterminated value in XML declaration"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, 30, 1, `unsupported encoding "ISO-8859-1": only UTF-8 and US-ASCII`},
		{"bad standalone", `<?xml version="1.0" standalone="maybe"?><a/>`, 32, 1, "standalone must be yes or no"},
		{"non-ASCII in US-ASCII", `<?xml version="1.0" encoding="US-ASCII"?><a>é</a>`, 44, 1, "byte 0xC3 in a document declared US-ASCII"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse([]byte(tc.in), Options{})
			require.Nil(t, doc)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			require.Equal(t, SyntaxError{Offset: tc.offset, Line: tc.line, Msg: tc.msg}, *se)
			checkDifferential(t, []byte(tc.in))
		})
	}
}

func TestParseBuildsEtreeTree(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"declaration and spacing", "<?xml version='1.0' encoding='utf-8' standalone='no' ?>\r\n<a/>\n"},
		{"US-ASCII", `<?xml version="1.0" encoding="us-ascii"?><a>x</a>`},
		{"namespaces", `<rpc xmlns="urn:b" xmlns:nc="urn:b" message-id="1"><nc:get/><x xmlns=""/></rpc>`},
		{"colons at the ends", `<:a b:="1" :c="2"></:a>`},
		{"references", `<a b="&lt;&#x9;&#10;&quot;">&amp;&#x1F600;&#65;&#0065;&gt;</a>`},
		{"references to space", "<a>&#32;&#x20;</a>"},
		{"line ends", "<a b='1\r\n2\r3'>x\r\ny\rz\r\n\r\n</a>\r\n"},
		{"whitespace text", "<a> <b>\n\t</b>\r\n</a>"},
		{"cdata", "<a>x<![CDATA[<y> & ]] ]]>z<![CDATA[]]><![CDATA[ ]]></a>"},
		{"comments and pis", "<!--c1--><?p1?><a><!----><?p2  x ?y?></a><!--c2-->\n<?p3 ?>"},
		{"markup kept verbatim", "<a><!-- \r\n --><?p x\r\ny?></a>"},
		{"non-ASCII names", "<données clé='värde'><ß·1/></données>"},
		{"many attributes", `<a a1="" a2="" a3="" a4="" a5="" a6="" a7="" a8="" a9="" a10="" a11="" a12="" a13="" a14="" a15="" a16="" a17="" a18=""/>`},
		{"gt and brackets", "<a>]>]]&gt;]</a>"},
		{"tabs in tags", "<a\tb\t=\t'1'\t/>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse([]byte(tc.in), Options{})
			require.NoError(t, err)
			require.NotNil(t, doc.Root())
			checkDifferential(t, []byte(tc.in))
		})
	}
}

func TestParseTree(t *testing.T) {
	doc, err := Parse([]byte("\uFEFF<?xml version=\"1.0\"?>\n"+
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="7">`+
		`<edit-config><config><top xmlns="urn:t" nc:operation="replace">a &amp; b<![CDATA[ <c> ]]></top></config></edit-config>`+
		"</rpc>"), Options{})
	require.NoError(t, err)
	require.Len(t, doc.Child, 3) // the byte order mark is dropped
	require.Equal(t, `version="1.0"`, doc.Child[0].(*etree.ProcInst).Inst)
	require.True(t, doc.Child[1].(*etree.CharData).IsWhitespace())

	top := doc.FindElement("//top")
	require.Equal(t, "urn:t", top.NamespaceURI())
	op := top.SelectAttr("nc:operation")
	require.Equal(t, "urn:ietf:params:xml:ns:netconf:base:1.0", op.NamespaceURI())
	require.Equal(t, "replace", op.Value)
	require.Equal(t, top, op.Element())
	require.Equal(t, "a & b", top.Child[0].(*etree.CharData).Data)
	require.Equal(t, " <c> ", top.Child[1].(*etree.CharData).Data)
	require.Equal(t, "7", doc.Root().SelectAttrValue("message-id", ""))
}

func TestParseTreeCanBeEdited(t *testing.T) {
	doc, err := Parse([]byte(`<r><a><x/></a><b><y/></b><c/></r>`), Options{})
	require.NoError(t, err)
	r := doc.Root()
	a, b, c := r.SelectElement("a"), r.SelectElement("b"), r.SelectElement("c")
	a.CreateElement("x2")
	a.CreateAttr("k", "v")
	c.CreateText("t")
	r.CreateElement("d")
	require.Equal(t, "y", b.ChildElements()[0].Tag)
	s, err := doc.WriteToString()
	require.NoError(t, err)
	require.Equal(t, `<r><a k="v"><x/><x2/></a><b><y/></b><c>t</c><d/></r>`, s)
}

func TestParseMaxDepth(t *testing.T) {
	nested := func(depth int) []byte {
		return []byte(strings.Repeat("<a>", depth) + strings.Repeat("</a>", depth))
	}
	for _, tc := range []struct {
		max, depth int
		ok         bool
	}{
		{1, 1, true},
		{1, 2, false},
		{3, 3, true},
		{3, 4, false},
		{0, DefaultMaxDepth, true},
		{0, DefaultMaxDepth + 1, false},
		{-1, DefaultMaxDepth + 1, false},
	} {
		_, err := Parse(nested(tc.depth), Options{MaxDepth: tc.max})
		if tc.ok {
			require.NoError(t, err, "max %d depth %d", tc.max, tc.depth)
			continue
		}
		require.ErrorIs(t, err, ErrMaxDepth, "max %d depth %d", tc.max, tc.depth)
		require.ErrorIs(t, err, etree.ErrMaxDepth)
	}
	_, err := Parse([]byte("<a>\n<b><c/></b></a>"), Options{MaxDepth: 2})
	require.EqualError(t, err, "xmlparse: line 2, offset 7: elements nested deeper than 2: "+etree.ErrMaxDepth.Error())
	checkDifferential(t, nested(DefaultMaxDepth))
	checkDifferential(t, nested(DefaultMaxDepth+1))
}

func TestParseMaxSize(t *testing.T) {
	doc := []byte("<a/>")
	_, err := Parse(doc, Options{MaxSize: 4})
	require.NoError(t, err)
	_, err = Parse(doc, Options{MaxSize: 3})
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	require.Equal(t, int64(3), tl.Limit)
	require.EqualError(t, err, "xmlparse: document exceeds 3 bytes")

	_, err = ParseReader(bytes.NewReader(doc), Options{MaxSize: 4})
	require.NoError(t, err)
	_, err = ParseReader(bytes.NewReader(doc), Options{MaxSize: 3})
	require.ErrorAs(t, err, &tl)
}

// endless yields "<a>" forever and counts the bytes it yielded.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "<a>"[(e.n+int64(i))%3]
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestParseReaderStopsAtMaxSize(t *testing.T) {
	r := &endless{}
	_, err := ParseReader(r, Options{MaxSize: 1 << 20})
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	require.LessOrEqual(t, r.n, int64(1<<20+32<<10))
}

func TestParseReader(t *testing.T) {
	doc, err := ParseReader(iotest.OneByteReader(strings.NewReader(getConfig)), Options{})
	require.NoError(t, err)
	require.Equal(t, "rpc", doc.Root().Tag)

	boom := errors.New("boom")
	_, err = ParseReader(io.MultiReader(strings.NewReader("<a>"), iotest.ErrReader(boom)), Options{})
	require.ErrorIs(t, err, boom)
}

func TestParseDoesNotRetainInput(t *testing.T) {
	in := []byte(`<a b="c">d</a>`)
	doc, err := Parse(in, Options{})
	require.NoError(t, err)
	for i := range in {
		in[i] = 'x'
	}
	s, err := doc.WriteToString()
	require.NoError(t, err)
	require.Equal(t, `<a b="c">d</a>`, s)
}
