package filter_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/filter"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

var keyNS = map[string]string{"if": nsIf, "x": nsIf, "usr": nsUsr, "rt": nsRt}

// sameAsGeneral fails unless filter.XPath gives for expr on tr what the
// general evaluator gives, and reports whether the fast path took expr.
func sameAsGeneral(t *testing.T, tr *tree.Tree, expr string, ns map[string]string) bool {
	ctx := context.Background()
	want, wantErr := filter.GeneralXPath(ctx, tr, expr, ns)
	got, err := filter.XPath(ctx, tr, expr, ns)
	if wantErr != nil {
		require.EqualError(t, err, wantErr.Error())
	} else {
		require.NoError(t, err)
		require.Equal(t, xmlOf(t, want), xmlOf(t, got))
	}
	_, fast := filter.KeySelect(tr, expr, ns)
	return fast
}

func TestXPathKeyLookup(t *testing.T) {
	ifDefault := map[string]string{"": nsIf, "usr": nsUsr}
	tests := []struct {
		name  string
		expr  string
		ns    map[string]string // keyNS when nil
		fast  bool
		empty bool
	}{
		{name: "entry", expr: "/if:interfaces/if:interface[if:name='eth0']", fast: true},
		{name: "leaf of entry", expr: `/if:interfaces/if:interface[if:name="eth1"]/if:type`, fast: true},
		{name: "missing entry", expr: "/if:interfaces/if:interface[if:name='eth9']", fast: true, empty: true},
		{name: "missing leaf", expr: "/if:interfaces/if:interface[if:name='eth1']/if:mtu", fast: true, empty: true},
		{name: "missing container", expr: "/rt:vendor-extensions", fast: true, empty: true},
		{name: "nested list", expr: "/if:interfaces/if:interface[if:name='eth0']/if:ipv4/if:address[if:ip='192.0.2.1']/if:prefix-length", fast: true},
		{name: "state leaf", expr: "/if:interfaces/if:interface[if:name='eth0']/if:statistics/if:in-octets", fast: true},
		{name: "container", expr: "/usr:system/usr:hostname", fast: true},
		{name: "two keys", expr: "/rt:routing/rt:route[rt:destination='198.51.100.0'][rt:prefix-length=24]", fast: true},
		{name: "keys in other order", expr: "/rt:routing/rt:route[rt:prefix-length='24'][rt:destination='198.51.100.0']/rt:metric", fast: true},
		{name: "number with leading zero", expr: "/rt:routing/rt:route[rt:destination='198.51.100.0'][rt:prefix-length=024]", fast: true},
		{name: "number with fraction zero", expr: "/rt:routing/rt:route[rt:destination='198.51.100.0'][rt:prefix-length=24.0]", fast: true},
		{name: "negative zero", expr: "/rt:routing/rt:route[rt:destination='0.0.0.0'][rt:prefix-length=-0]", fast: true},
		{name: "number out of range", expr: "/rt:routing/rt:route[rt:destination='0.0.0.0'][rt:prefix-length=300]", fast: true, empty: true},
		{name: "string not canonical", expr: "/rt:routing/rt:route[rt:destination='198.51.100.0'][rt:prefix-length='024']", fast: true, empty: true},
		{name: "string with sign", expr: "/rt:routing/rt:route[rt:destination='198.51.100.0'][rt:prefix-length='+24']", fast: true, empty: true},
		{name: "list under list", expr: "/rt:routing/rt:route[rt:destination='0.0.0.0'][rt:prefix-length=0]/rt:next-hop[rt:index=1]/rt:interface", fast: true},
		{name: "leaf-list entry", expr: "/if:interfaces/if:interface[if:name='eth0']/if:tag[.='core']", fast: true},
		{name: "user-ordered leaf-list entry", expr: `/if:interfaces/if:interface[if:name='eth0']/if:dns-search[ . = "example.org" ]`, fast: true},
		{name: "missing leaf-list entry", expr: "/if:interfaces/if:interface[if:name='eth0']/if:tag[.='edge']", fast: true, empty: true},
		{name: "user-ordered union", expr: "/usr:system/usr:authentication/usr:user[usr:name='operator'] | /usr:system/usr:authentication/usr:user[usr:name='admin']/usr:uid", fast: true},
		{name: "user-ordered leaf-list union", expr: "/usr:system/usr:name-server[.='198.51.100.53']|/usr:system/usr:name-server[.='192.0.2.53']", fast: true},
		{name: "union with ancestor", expr: "/if:interfaces/if:interface[if:name='lo']/if:type | /if:interfaces", fast: true},
		{name: "default namespace", expr: "/interfaces/interface[name='eth1']/ifindex", ns: ifDefault, fast: true},
		{name: "aliased prefix", expr: "/x:interfaces/if:interface[x:name='lo']", fast: true},
		{name: "whitespace", expr: " / if:interfaces /if:interface [ if:name = 'lo' ] ", fast: true},

		{name: "non-key predicate", expr: "/if:interfaces/if:interface[if:mtu=9000]/if:name"},
		{name: "identityref predicate", expr: "/if:interfaces/if:interface[if:type='ext:ethernet']/if:name"},
		{name: "no predicate", expr: "/if:interfaces/if:interface/if:type"},
		{name: "some keys", expr: "/rt:routing/rt:route[rt:destination='0.0.0.0']"},
		{name: "key twice", expr: "/if:interfaces/if:interface[if:name='eth0'][if:name='lo']"},
		{name: "extra predicate", expr: "/if:interfaces/if:interface[if:name='eth0'][if:mtu=9000]"},
		{name: "descendant", expr: "//if:interface[if:name='eth0']"},
		{name: "position", expr: "/if:interfaces/if:interface[1]"},
		{name: "wildcard", expr: "/if:interfaces/*[if:name='eth0']"},
		{name: "or", expr: "/if:interfaces/if:interface[if:name='eth0' or if:name='lo']"},
		{name: "function", expr: "/if:interfaces/if:interface[if:name=concat('eth','0')]"},
		{name: "literal first", expr: "/if:interfaces/if:interface['eth0'=if:name]"},
		{name: "axis", expr: "/if:interfaces/if:interface[if:name='eth0']/child::if:mtu"},
		{name: "parent", expr: "/if:interfaces/if:interface[if:name='eth0']/.."},
		{name: "number on string key", expr: "/if:interfaces/if:interface[if:name=0]"},
		{name: "fraction on integer key", expr: "/rt:routing/rt:route[rt:destination='0.0.0.0'][rt:prefix-length=0.5]"},
		{name: "leaf-list without predicate", expr: "/if:interfaces/if:interface[if:name='eth0']/if:tag"},
		{name: "predicate on container", expr: "/if:interfaces[if:interface]"},
		{name: "unprefixed without default", expr: "/interfaces/interface[name='eth0']", ns: map[string]string{"if": nsIf}},
		{name: "unknown name", expr: "/if:nothing"},
		{name: "unknown prefix", expr: "/zz:interfaces/zz:interface[zz:name='eth0']"},
		{name: "unterminated", expr: "/if:interfaces/if:interface[if:name='eth0'"},
		{name: "union with number", expr: "/if:interfaces | count(/)"},
		{name: "relative", expr: "if:interfaces"},
		{name: "root", expr: "/"},
	}
	tr := operational(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := tt.ns
			if ns == nil {
				ns = keyNS
			}
			require.Equal(t, tt.fast, sameAsGeneral(t, tr, tt.expr, ns))
			if tt.fast {
				got, _ := filter.XPath(context.Background(), tr, tt.expr, ns)
				require.Equal(t, tt.empty, got.IsEmpty())
			}
		})
	}
}

// TestXPathKeyLookupLimits checks that an expression over the length
// limit is refused, fast path or not.
func TestXPathKeyLookupLimits(t *testing.T) {
	tr := operational(t)
	_, err := filter.Limits{Expr: xpath.Limits{MaxLength: 10}}.XPath(context.Background(), tr, "/if:interfaces/if:interface[if:name='eth0']", keyNS)
	require.ErrorContains(t, err, "longer than 10 bytes")
}

// TestXPathKeyLookupBig compares the fast path with the general one on a
// list of many entries.
func TestXPathKeyLookupBig(t *testing.T) {
	snap := bigStore(t, 2000).Snapshot(datastore.Running)
	for _, expr := range []string{
		"/if:interfaces/if:interface[if:name='eth1234']",
		"/if:interfaces/if:interface[if:name='eth0']/if:mtu | /if:interfaces/if:interface[if:name='eth1999']/if:ifindex",
		"/if:interfaces/if:interface[if:name='eth2000']",
	} {
		require.True(t, sameAsGeneral(t, snap, expr, keyNS), expr)
	}
}
