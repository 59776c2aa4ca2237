// Package xmlparse parses XML documents into github.com/beevik/etree trees,
// several times faster than etree's own ReadFrom and more strictly.
//
// For any document etree accepts with its default ReadSettings and that
// this package accepts too, the tree is the one etree builds, token for
// token: raw prefixes in Element.Space and Attr.Space (namespaces are
// resolved lazily by etree, as usual), attribute values and character data
// with references replaced and "\r\n" and "\r" turned into "\n" as
// encoding/xml does, CDATA sections as plain CharData tokens, comments and
// processing instructions (the XML declaration among them) verbatim,
// whitespace flags, parents and indices. Switching a caller is one line:
//
//	doc, err := xmlparse.ParseReader(r, xmlparse.Options{MaxDepth: 64})
//
// To save allocations, strings in the tree share one private copy of the
// input and tokens are allocated in chunks, so keeping any part of the tree
// keeps that whole copy and some neighbouring tokens in memory. Detach what
// must outlive the document with Element.Copy.
//
// # Strictness
//
// The input must be a well-formed XML 1.0 document in UTF-8. Besides
// everything etree and encoding/xml reject in strict mode, and on purpose,
// Parse rejects:
//
//   - any <!DOCTYPE or other <! declaration: no DTDs, no entity expansion;
//   - two attributes with the same name on one element (etree keeps the
//     last one);
//   - an empty document, text or CDATA outside the root element, a second
//     root element;
//   - an XML declaration anywhere but at the start, without a version, with
//     a version other than 1.0 or an encoding other than UTF-8 or US-ASCII
//     (compared without regard to case), with malformed or out-of-order
//     fields, or a processing instruction whose target is "xml" in any case;
//   - attributes not separated by whitespace, and a processing instruction
//     target not followed by whitespace or "?>";
//   - character references to surrogates (encoding/xml turns them into
//     U+FFFD) and characters outside XML's Char production in comments and
//     processing instructions (encoding/xml checks only text and attribute
//     values);
//   - bytes above 0x7F in a document declared US-ASCII.
//
// A UTF-8 byte order mark at the start of the input is skipped; etree keeps
// it as a text token before the root element.
//
// Names are checked by the rules encoding/xml applies (XML 1.0 fourth
// edition letters and digits); as there, a name may hold at most one colon
// and prefixes are not checked against namespace declarations.
package xmlparse
