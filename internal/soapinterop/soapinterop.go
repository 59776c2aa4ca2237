// Package soapinterop runs real SOAP toolkits against a running
// soapserver: python zeep, gSOAP (wsdl2h, soapcpp2, g++) and JAX-WS
// (wsimport, javac, java), each building its client from the WSDL the
// server serves at <path>?wsdl and driving one NETCONF session over one
// keep-alive connection. It has tests only.
package soapinterop
