package netconfcore

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// params are the parameter elements of an operation, by local name.
type params map[string]*etree.Element

// paramsOf checks that every child of op is a known parameter in its
// namespace, at most once, and returns them by name. allowed maps a
// parameter name to its namespace.
func paramsOf(op *etree.Element, allowed map[string]string) (params, error) {
	p := params{}
	for _, k := range op.ChildElements() {
		ns, ok := allowed[k.Tag]
		if !ok {
			return nil, rpcerror.UnknownElementError(rpcerror.TypeProtocol, k.Tag)
		}
		if got := k.NamespaceURI(); got != ns {
			return nil, rpcerror.UnknownNamespaceError(rpcerror.TypeProtocol, k.Tag, got)
		}
		if p[k.Tag] != nil {
			return nil, rpcerror.BadElementError(rpcerror.TypeProtocol, k.Tag, "parameter "+k.Tag+" appears twice")
		}
		p[k.Tag] = k
	}
	return p, nil
}

// base maps names to the base namespace, for paramsOf.
func base(names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = rpcerror.BaseNamespace
	}
	return m
}

// require returns parameter name or missing-element.
func (p params) require(name string) (*etree.Element, error) {
	if el := p[name]; el != nil {
		return el, nil
	}
	return nil, rpcerror.MissingElementError(rpcerror.TypeProtocol, name)
}

// text returns the trimmed text of parameter name and whether it is
// present.
func (p params) text(name string) (string, bool) {
	el := p[name]
	if el == nil {
		return "", false
	}
	return strings.TrimSpace(el.Text()), true
}

// source is a datastore reference: a named datastore or inline config.
type source struct {
	name   datastore.Name
	config *etree.Element
}

// datastore parses the required <source> or <target> parameter name; see
// datastoreRef.
func (p params) datastore(name string, withConfig bool, names ...datastore.Name) (source, error) {
	el, err := p.require(name)
	if err != nil {
		return source{}, err
	}
	return datastoreRef(el, withConfig, names...)
}

// datastoreRef parses a <source> or <target> element. names lists the
// datastores the operation accepts there; withConfig allows inline
// <config>. A datastore the operation does not accept is reported with
// its name, for the audit record.
func datastoreRef(el *etree.Element, withConfig bool, names ...datastore.Name) (source, error) {
	kids := el.ChildElements()
	if len(kids) != 1 {
		return source{}, rpcerror.BadElementError(rpcerror.TypeProtocol, el.Tag,
			"<"+el.Tag+"> must hold exactly one datastore")
	}
	k := kids[0]
	if ns := k.NamespaceURI(); ns != rpcerror.BaseNamespace {
		return source{}, rpcerror.UnknownNamespaceError(rpcerror.TypeProtocol, k.Tag, ns)
	}
	switch {
	case k.Tag == "config" && withConfig:
		return source{config: k}, nil
	case k.Tag == "url":
		return source{}, rpcerror.New(rpcerror.TypeProtocol, rpcerror.OperationNotSupported,
			"the :url capability is not supported").WithInfo(rpcerror.Info{BadElement: "url"})
	}
	for _, n := range names {
		if k.Tag == string(n) {
			return source{name: n}, nil
		}
	}
	switch datastore.Name(k.Tag) {
	case datastore.Running, datastore.Candidate, datastore.Startup:
		return source{name: datastore.Name(k.Tag)}, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"datastore %s cannot be the %s of this operation", k.Tag, el.Tag).WithInfo(rpcerror.Info{BadElement: k.Tag})
	}
	return source{}, rpcerror.BadElementError(rpcerror.TypeProtocol, k.Tag, "unknown datastore <"+k.Tag+">")
}

// enumParam parses an enumeration parameter with the given values.
func enumParam[T any](p params, name string, parse func(string) (T, bool)) (T, error) {
	var zero T
	v, ok := p.text(name)
	if !ok {
		return zero, nil
	}
	t, ok := parse(v)
	if !ok {
		return zero, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"%q is not a valid %s", v, name).WithInfo(rpcerror.Info{BadElement: name})
	}
	return t, nil
}

// uintParam parses an unsigned integer parameter in [lo, hi].
func uintParam(p params, name string, lo, hi uint64) (uint64, bool, error) {
	v, ok := p.text(name)
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, false, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"%s must be an integer from %d to %d, not %q", name, lo, hi, v).WithInfo(rpcerror.Info{BadElement: name})
	}
	return n, true, nil
}

// emptyParam checks that a flag parameter such as <confirmed/> is empty.
func emptyParam(p params, name string) (bool, error) {
	el := p[name]
	if el == nil {
		return false, nil
	}
	if len(el.ChildElements()) > 0 || strings.TrimSpace(el.Text()) != "" {
		return false, rpcerror.BadElementError(rpcerror.TypeProtocol, name, "<"+name+"> must be empty")
	}
	return true, nil
}
