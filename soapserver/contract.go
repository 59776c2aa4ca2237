package soapserver

import (
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap"
)

// Namespaces of the WSDL elements the contract rewrites.
const (
	nsWSDLSOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
	nsWSDLSOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
	nsXSD        = "http://www.w3.org/2001/XMLSchema"
)

// contract is the WSDL and the schemas it imports, parsed once from
// ncsoap.Contract and rewritten per request with the URL the client used.
type contract struct {
	wsdl    *etree.Document
	schemas map[string]*etree.Document // by file name: netconf.xsd, ...
}

func newContract() *contract {
	c := &contract{wsdl: mustParse("wsdl/netconf-soap.wsdl"), schemas: map[string]*etree.Document{}}
	names, err := fs.Glob(ncsoap.Contract, "xsd/*.xsd")
	if err != nil {
		panic("soapserver: embedded contract: " + err.Error())
	}
	for _, n := range names {
		c.schemas[path.Base(n)] = mustParse(n)
	}
	return c
}

func mustParse(name string) *etree.Document {
	b, err := ncsoap.Contract.ReadFile(name)
	if err != nil {
		panic("soapserver: embedded contract: " + err.Error())
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil {
		panic("soapserver: embedded contract " + name + ": " + err.Error())
	}
	return doc
}

// serve answers GET <path>?wsdl and GET <path>?xsd=NAME. base is the
// service URL that the WSDL advertises and that schema locations are made
// absolute against.
func (c *contract) serve(w http.ResponseWriter, r *http.Request, base string) {
	q := r.URL.Query()
	var doc *etree.Document
	switch {
	case hasKeyFold(q, "wsdl"):
		doc = c.wsdl.Copy()
		for _, el := range doc.FindElements("//address") {
			if ns := el.NamespaceURI(); ns == nsWSDLSOAP11 || ns == nsWSDLSOAP12 {
				el.CreateAttr("location", base)
			}
		}
	case q.Has("xsd"):
		src, ok := c.schemas[q.Get("xsd")]
		if !ok {
			http.Error(w, "soapserver: no schema named "+q.Get("xsd"), http.StatusNotFound)
			return
		}
		doc = src.Copy()
	default:
		http.Error(w, "soapserver: GET serves only ?wsdl and ?xsd=NAME; NETCONF requests are POSTed", http.StatusBadRequest)
		return
	}
	for _, el := range doc.FindElements("//*[@schemaLocation]") {
		if el.NamespaceURI() != nsXSD {
			continue
		}
		a := el.SelectAttr("schemaLocation")
		a.Value = base + "?xsd=" + url.QueryEscape(path.Base(a.Value))
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	doc.WriteTo(w)
}

// hasKeyFold reports whether q has key, compared case-insensitively, as
// toolkits ask for ?wsdl and ?WSDL alike.
func hasKeyFold(q url.Values, key string) bool {
	for k := range q {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// serviceURL returns the URL of the service as the client addressed it,
// or Options.PublicURL.
func (s *Server) serviceURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host, Path: s.opts.Path}).String()
}
