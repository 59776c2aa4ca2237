// Package soapenv encodes and decodes SOAP 1.1 and SOAP 1.2 envelopes for
// NETCONF over SOAP (RFC 4743).
//
// The package knows SOAP and XML only: it reads an envelope, checks its
// structure and header blocks, and hands over the single Body child as
// self-contained XML; it writes envelopes and faults for either SOAP
// version. Sessions and HTTP handling live elsewhere.
//
// Both versions are accepted because RFC 4743 mixes them: its prose and
// envelopes are SOAP 1.2, its WSDL binding and request media type are SOAP
// 1.1. The namespace of the Envelope element decides the version of a
// message; the HTTP media type only gives a hint (see
// VersionFromContentType), and a reply is written in the version of the
// request it answers.
//
// # Decoding
//
// ReadRequest (server side) buffers the envelope, bounded by
// Options.MaxSize, and returns the Body child as a byte slice together with
// its qualified name for dispatch. ReadResponse (client side) streams: it
// stops at the start tag of the Body child, and the returned Response
// reads the child out as it arrives, so that a large <data> can be copied
// to a file without being held in memory. A SOAP Fault in a response is
// read whole and returned as a *Fault.
//
// In both cases the Body child is handed over as the exact input bytes,
// never re-encoded, with one change: its start tag gains a declaration for
// every namespace binding inherited from Envelope or Body that it does not
// redeclare itself, so that the bytes parse on their own and prefixes used
// in attribute values (XPath select, error-path) stay bound.
//
// Input is checked to be well-formed and namespace-well-formed UTF-8 XML
// without DTD, and is limited in size and nesting depth.
//
// # Encoding
//
// WriteEnvelope streams a Body child produced by a callback between the
// envelope start and end; WriteFault writes a fault envelope, carrying
// NETCONF rpc-errors in its detail as RFC 4743 §2.7.3 describes.
package soapenv
