// Package ncsoap is NETCONF for Go with NETCONF over SOAP (RFC 4743) as
// its headline: one engine (netconfcore) served over SOAP/HTTP (soapserver)
// and SSH, with client SDKs for both.
//
// This package holds the service contract, the WSDL and the XML schemas it
// imports, so that servers can publish them and tools can read them.
package ncsoap

import "embed"

// Contract holds wsdl/netconf-soap.wsdl and the schemas of xsd/ at those
// paths. The WSDL imports the schemas by relative location
// (../xsd/netconf.xsd), so serving the tree as is keeps every reference
// resolvable.
//
//go:embed wsdl/netconf-soap.wsdl xsd/*.xsd
var Contract embed.FS
