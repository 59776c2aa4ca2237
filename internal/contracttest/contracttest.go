// Package contracttest checks the service contract (wsdl/, xsd/) and the
// types generated from it (gen/) against the schemas with xmllint and
// against the SOAP toolkits users build clients with: python zeep, gSOAP
// and JAX-WS. It has tests only.
package contracttest
