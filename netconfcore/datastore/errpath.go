package datastore

import (
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// step is one level of an instance path: a data node and, for list
// entries, its key values (for leaf-list entries, the value).
type step struct {
	s    *schema.Node
	keys []string
}

// instancePath renders steps as an instance-identifier with the Set-unique
// module prefixes, e.g. /exif:interfaces/exif:interface[exif:name='eth0'],
// and returns the prefix bindings it uses.
func instancePath(steps []step) (string, map[string]string) {
	var b strings.Builder
	ns := map[string]string{}
	for _, st := range steps {
		m := st.s.Module
		ns[m.Prefix] = m.Namespace
		b.WriteByte('/')
		b.WriteString(m.Prefix)
		b.WriteByte(':')
		b.WriteString(st.s.Name)
		switch st.s.Kind {
		case schema.List:
			for i, k := range st.keys {
				if i >= len(st.s.Keys) {
					break
				}
				kn := st.s.Keys[i]
				b.WriteByte('[')
				b.WriteString(kn.Module.Prefix)
				b.WriteByte(':')
				b.WriteString(kn.Name)
				b.WriteByte('=')
				b.WriteString(xpath.Literal(k))
				b.WriteByte(']')
			}
		case schema.LeafList:
			if len(st.keys) == 1 {
				b.WriteString("[.=")
				b.WriteString(xpath.Literal(st.keys[0]))
				b.WriteByte(']')
			}
		}
	}
	if b.Len() == 0 {
		b.WriteByte('/')
	}
	return b.String(), ns
}

// atPath sets the error-path of e to steps.
func atPath(e *rpcerror.Error, steps []step) *rpcerror.Error {
	p, ns := instancePath(steps)
	return e.WithPath(p, ns)
}
