// Package soapserver serves a netconfcore engine as NETCONF over SOAP over
// HTTP/1.1 (RFC 4743).
//
// One TCP connection is one NETCONF session. The client's first POST
// carries <hello> and the response carries the server's hello with the
// session-id; every later POST on the same connection carries one <rpc>
// and gets its <rpc-reply>, or a SOAP Fault holding the rpc-errors. When
// the connection closes, for whatever reason, the session ends: its locks
// are released and a confirmed commit it did not persist is rolled back.
// When the engine ends the session (close-session, kill-session,
// shutdown) the connection is closed. HTTP/2, which would multiplex
// sessions over one connection, is never negotiated.
//
// SOAP 1.1 and SOAP 1.2 envelopes are both accepted and each is answered
// in its own version; SOAPAction is ignored. Replies stream with chunked
// transfer coding as the engine produces them, so a large <data> is never
// held in memory.
//
// GET <path>?wsdl serves the service WSDL with its address set to the URL
// the client used (or Options.PublicURL), and GET <path>?xsd=NAME the
// schemas it imports, so that a SOAP toolkit pointed at that one URL can
// generate a client.
//
// Clients authenticate with HTTP Basic against an auth.Users store, or
// with a TLS client certificate mapped by auth.CertUsers. Credentials are
// verified once per connection.
package soapserver
