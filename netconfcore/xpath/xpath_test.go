package xpath_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

const (
	nsIf  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	nsExt = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types"
	nsUsr = "http://ncsoap.dev/ns/example-users"
	nsRt  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-routing"
)

var sample = sync.OnceValues(func() (*tree.Tree, error) {
	set, err := schema.Load(schema.Options{})
	if err != nil {
		return nil, err
	}
	s, err := datastore.Open(context.Background(), set, datastore.Options{Initial: schema.SampleConfig()})
	if err != nil {
		return nil, err
	}
	return s.Snapshot(datastore.Running), nil
})

func sampleTree(t testing.TB) *tree.Tree {
	tr, err := sample()
	require.NoError(t, err)
	return tr
}

// names renders selected nodes as local-name paths, keys in brackets.
func names(cs [][]*tree.Node) []string {
	var out []string
	for _, c := range cs {
		var b strings.Builder
		for _, n := range c {
			b.WriteString("/" + n.Schema().Name)
			if ks := n.Keys(); ks != nil {
				b.WriteString("[" + strings.Join(ks, ",") + "]")
			} else if n.Schema().Kind == schema.LeafList {
				b.WriteString("[" + n.Value() + "]")
			}
		}
		if b.Len() == 0 {
			b.WriteString("/")
		}
		out = append(out, b.String())
	}
	return out
}

func TestSelect(t *testing.T) {
	tr := sampleTree(t)
	ifs := map[string]string{"if": nsIf}
	cases := []struct {
		name string
		expr string
		ns   map[string]string
		want []string
		err  string
	}{
		{name: "prefixed path", expr: "/if:interfaces/if:interface/if:name", ns: ifs,
			want: []string{"/interfaces/interface[eth0]/name", "/interfaces/interface[eth1]/name", "/interfaces/interface[lo]/name"}},
		{name: "key predicate", expr: "/if:interfaces/if:interface[if:name='eth1']", ns: ifs,
			want: []string{"/interfaces/interface[eth1]"}},
		{name: "default namespace", expr: "/interfaces/interface[name='lo']/mtu | /interfaces/interface[name='lo']", ns: map[string]string{"": nsIf},
			want: []string{"/interfaces/interface[lo]"}},
		{name: "default namespace excludes others", expr: "/system", ns: map[string]string{"": nsIf}},
		{name: "unprefixed without default matches any namespace", expr: "/system/hostname",
			want: []string{"/system/hostname"}},
		{name: "union", expr: "/if:interfaces/if:interface[if:name='eth0']/if:mtu | /u:system/u:hostname",
			ns:   map[string]string{"if": nsIf, "u": nsUsr},
			want: []string{"/interfaces/interface[eth0]/mtu", "/system/hostname"}},
		{name: "leaf-list value", expr: "//if:tag[.='uplink']", ns: ifs, want: []string{"/interfaces/interface[eth0]/tag[uplink]"}},
		{name: "numeric compare", expr: "/if:interfaces/if:interface[if:mtu > 1500]/if:name", ns: ifs,
			want: []string{"/interfaces/interface[eth0]/name"}},
		{name: "derived-from", expr: "/if:interfaces/if:interface[derived-from(if:type, 't:ethernet')]/if:name",
			ns: map[string]string{"if": nsIf, "t": nsExt}, want: []string{"/interfaces/interface[eth1]/name"}},
		{name: "derived-from-or-self", expr: "/if:interfaces/if:interface[derived-from-or-self(if:type, 't:ethernet')]/if:name",
			ns: map[string]string{"if": nsIf, "t": nsExt}, want: []string{"/interfaces/interface[eth0]/name", "/interfaces/interface[eth1]/name"}},
		{name: "root", expr: "/", want: []string{"/"}},
		{name: "prefix wildcard", expr: "/u:*/u:hostname | /if:*/if:interface[if:name='lo']/if:*[1]", ns: map[string]string{"if": nsIf, "u": nsUsr},
			want: []string{"/system/hostname", "/interfaces/interface[lo]/name"}},
		{name: "namespace-uri and local-name", expr: "/*[namespace-uri() = 'http://ncsoap.dev/ns/example-users']/*[local-name() = 'hostname']",
			want: []string{"/system/hostname"}},
		{name: "axes", expr: "//if:ip/ancestor::if:interface/child::if:name | //if:ip/parent::*/following-sibling::node()", ns: ifs,
			want: []string{"/interfaces/interface[eth0]/name"}},
		{name: "attribute axis finds nothing", expr: "//@*", ns: ifs},
		{name: "filters see no defaults", expr: "/if:interfaces/if:interface[if:name='eth1']/if:mtu | /if:interfaces/if:interface/if:ipv4/if:forwarding", ns: ifs},
		{name: "not a node-set", expr: "count(/*)", err: "not a node-set"},
		{name: "boolean result", expr: "1 = 1", err: "not a node-set"},
		{name: "unknown prefix", expr: "/x:interfaces", err: `unknown prefix "x"`},
		{name: "syntax error", expr: "/interfaces[", err: "xpath:"},
		{name: "unterminated literal", expr: "/a[b='x]", err: "unterminated"},
		{name: "current not in filters", expr: "current()", err: "only available"},
		{name: "deref unsupported", expr: "deref(/a)", err: "not supported"},
		{name: "unknown function", expr: "/a[frob(1)]", err: "frob"},
		{name: "variable", expr: "$x", err: "variable"},
		{name: "empty", expr: "", err: "empty"},
		{name: "unknown identity", expr: "//*[derived-from(., 'nope')]", err: "unknown identity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := xpath.Select(context.Background(), tr, c.expr, c.ns, xpath.Limits{})
			if c.err != "" {
				require.Error(t, err)
				var xe *xpath.Error
				require.ErrorAs(t, err, &xe)
				require.Contains(t, err.Error(), c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, names(got))
		})
	}
}

func TestSelectLimits(t *testing.T) {
	tr := sampleTree(t)
	_, err := xpath.Select(context.Background(), tr, "//*[count(//*) > 0]", nil, xpath.Limits{MaxSteps: 1000})
	require.ErrorIs(t, err, xpath.ErrStepLimit)
	_, err = xpath.Select(context.Background(), tr, "/aaaa", nil, xpath.Limits{MaxLength: 3})
	require.ErrorContains(t, err, "longer than 3")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = xpath.Select(ctx, tr, "//*[count(//*) > 0]", nil, xpath.Limits{})
	require.ErrorIs(t, err, context.Canceled)
}
