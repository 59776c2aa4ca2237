// Package client is the NETCONF client API shared by every ncsoap
// transport: a Session with one typed method per operation over a
// Transport, which soapclient (SOAP over HTTP/1.1) and sshclient
// (RFC 6242) provide. Errors the server reports come back as
// *rpcerror.Error or rpcerror.List, the same types the engine uses.
package client
