package filter_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/filter"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

func ifs(body string) string { return `<interfaces xmlns="` + nsIf + `">` + body + `</interfaces>` }
func sys(body string) string { return `<system xmlns="` + nsUsr + `">` + body + `</system>` }
func users(body string) string {
	return sys(`<authentication>` + body + `</authentication>`)
}
func rt(body string) string { return `<routing xmlns="` + nsRt + `">` + body + `</routing>` }

const (
	adminFull = `<user><name>admin</name><full-name>Administrator</full-name><uid>1000</uid><group>wheel</group></user>`
	operFull  = `<user><name>operator</name><uid>1001</uid><shell>/bin/bash</shell></user>`
	loFull    = `<interface><name>lo</name><type xmlns:ext="` + nsExt + `">ext:loopback</type><ifindex>3</ifindex><loopback-mode/><utilisation-alarm>80</utilisation-alarm></interface>`
	eth1Full  = `<interface><name>eth1</name><type xmlns:ext="` + nsExt + `">ext:fast-ethernet</type><ifindex>2</ifindex><parent-interface>eth0</parent-interface></interface>`
)

func TestSubtree(t *testing.T) {
	tr := operational(t)
	cases := []struct {
		name   string
		filter string
		want   string
	}{
		// RFC 6241 §6.4.2: an empty filter selects nothing.
		{name: "empty filter", filter: ``, want: ``},
		{name: "whitespace-only filter", filter: "\n  ", want: ``},
		// §6.4.3: select the entire users subtree.
		{name: "entire subtree", filter: users(`<user/>`), want: users(adminFull + operFull)},
		{name: "top-level selection node", filter: `<routing xmlns="` + nsRt + `"/>`,
			want: rt(`<router-id>192.0.2.1</router-id><route><destination>0.0.0.0</destination><prefix-length>0</prefix-length><next-hop><index>1</index><interface>eth0</interface><address>192.0.2.254</address></next-hop></route>` +
				`<route><destination>198.51.100.0</destination><prefix-length>24</prefix-length><metric>10</metric><tag>7</tag><next-hop><index>1</index><interface>eth1</interface></next-hop></route>`)},
		// §6.4.4: select all name elements within the users subtree.
		{name: "all names", filter: users(`<user><name/></user>`),
			want: users(`<user><name>admin</name></user><user><name>operator</name></user>`)},
		// §6.4.5: one specific user entry.
		{name: "one entry by key", filter: users(`<user><name>admin</name></user>`), want: users(adminFull)},
		{name: "content match with surrounding whitespace", filter: users("<user><name>\n  admin\t</name></user>"), want: users(adminFull)},
		// §6.4.6: specific elements from a specific entry.
		{name: "elements of one entry", filter: users(`<user><name>operator</name><uid/><shell/></user>`),
			want: users(`<user><name>operator</name><uid>1001</uid><shell>/bin/bash</shell></user>`)},
		// §6.4.7: multiple subtrees with different selections.
		{name: "multiple subtrees", filter: users(`<user><name>admin</name><uid/></user><user><name>operator</name><shell/></user>`),
			want: users(`<user><name>admin</name><uid>1000</uid></user><user><name>operator</name><shell>/bin/bash</shell></user>`)},
		// §6.4.8: attribute match expressions; YANG data has no attributes,
		// so nothing carries them.
		{name: "attribute match", filter: ifs(`<interface ifName="eth0"/>`), want: ``},
		{name: "attribute match on content node", filter: ifs(`<interface><name if:x="1">eth0</name></interface>`), want: ``},
		{name: "content match on non-key leaf", filter: ifs(`<interface><type>t:loopback</type></interface>`), want: ifs(loFull)},
		{name: "identityref content match with another prefix", filter: ifs(`<interface xmlns:foo="` + nsExt + `"><type>foo:fast-ethernet</type><name/></interface>`),
			want: ifs(`<interface><name>eth1</name><type xmlns:ext="` + nsExt + `">ext:fast-ethernet</type></interface>`)},
		{name: "canonical content match", filter: ifs(`<interface><ifindex>+03</ifindex><name/></interface>`),
			want: ifs(`<interface><name>lo</name><ifindex>3</ifindex></interface>`)},
		{name: "ANDed content matches", filter: ifs(`<interface><name>eth0</name><mtu>9000</mtu><speed/></interface>`),
			want: ifs(`<interface><name>eth0</name><mtu>9000</mtu><speed>10.0</speed></interface>`)},
		{name: "false content match selects nothing of the set", filter: ifs(`<interface><name>eth0</name><mtu>1500</mtu><speed/></interface>`), want: ``},
		{name: "content match on missing leaf is false", filter: ifs(`<interface><description>x</description></interface>`), want: ``},
		{name: "leaf-list selection", filter: ifs(`<interface><name>eth0</name><tag/></interface>`),
			want: ifs(`<interface><name>eth0</name><tag>core</tag><tag>uplink</tag></interface>`)},
		{name: "leaf-list content match", filter: ifs(`<interface><tag>uplink</tag><name/></interface>`),
			want: ifs(`<interface><name>eth0</name><tag>uplink</tag></interface>`)},
		{name: "ordered-by-user leaf-list selection", filter: sys(`<name-server/>`),
			want: sys(`<name-server>192.0.2.53</name-server><name-server>198.51.100.53</name-server>`)},
		{name: "nested list by key", filter: ifs(`<interface><name>eth0</name><ipv4><address><ip>192.0.2.1</ip></address></ipv4></interface>`),
			want: ifs(`<interface><name>eth0</name><ipv4><address><ip>192.0.2.1</ip><prefix-length>24</prefix-length></address></ipv4></interface>`)},
		{name: "multi-key list", filter: rt(`<route><destination>198.51.100.0</destination><prefix-length>24</prefix-length><metric/></route>`),
			want: rt(`<route><destination>198.51.100.0</destination><prefix-length>24</prefix-length><metric>10</metric></route>`)},
		{name: "partial keys scan", filter: rt(`<route><prefix-length>0</prefix-length><next-hop><address/></next-hop></route>`),
			want: rt(`<route><destination>0.0.0.0</destination><prefix-length>0</prefix-length><next-hop><index>1</index><address>192.0.2.254</address></next-hop></route>`)},
		{name: "state nodes", filter: ifs(`<interface><statistics/><oper-status/></interface>`),
			want: ifs(`<interface><name>eth0</name><statistics><in-octets>42</in-octets></statistics><oper-status>up</oper-status></interface>`)},
		{name: "state leaf in config container", filter: sys(`<clock><uptime/></clock>`), want: sys(`<clock><uptime>99</uptime></clock>`)},
		{name: "choice member", filter: ifs(`<interface><vlan-id/></interface>`),
			want: ifs(`<interface><name>eth0</name><vlan-id>10</vlan-id></interface>`)},
		{name: "containment matching nothing", filter: ifs(`<interface><ipv4><forwarding/></ipv4></interface>`), want: ``},
		{name: "unknown element", filter: `<nope xmlns="` + nsIf + `"/>`, want: ``},
		{name: "unknown child element", filter: ifs(`<interface><nope/></interface>`), want: ``},
		{name: "unknown namespace", filter: `<interfaces xmlns="urn:nope"/>`, want: ``},
		{name: "base namespace is not a wildcard", filter: `<interfaces/>`, want: ``},
		{name: "wildcard namespace", filter: `<system xmlns=""><hostname/></system>`, want: sys(`<hostname>router1</hostname>`)},
		{name: "wildcard namespace on child", filter: sys(`<hostname xmlns=""/>`), want: sys(`<hostname>router1</hostname>`)},
		{name: "prefixed filter elements", filter: `<usr:system><usr:hostname/></usr:system>`, want: sys(`<hostname>router1</hostname>`)},
		{name: "top-level elements of one namespace are one sibling set",
			filter: sys(`<hostname/>`) + ifs(`<interface><name>lo</name></interface>`) + sys(`<clock/>`),
			want:   ifs(loFull) + sys(`<hostname>router1</hostname><clock><uptime>99</uptime></clock>`)},
		{name: "no duplicates", filter: users(`<user><name>admin</name></user><user/><user><name>admin</name><uid/></user>`),
			want: users(adminFull + operFull)},
		{name: "only content matches select the whole level", filter: sys(`<hostname>router1</hostname>`),
			want: sys(`<hostname>router1</hostname><name-server>192.0.2.53</name-server><name-server>198.51.100.53</name-server>` +
				`<authentication><user-authentication-order>local-users</user-authentication-order><user-authentication-order>radius</user-authentication-order>` +
				adminFull + operFull + `</authentication><monitor><watched-node xmlns:exif="` + nsIf + `">/exif:interfaces/exif:interface[exif:name='eth0']/exif:mtu</watched-node></monitor>` +
				`<clock><uptime>99</uptime></clock>`)},
		{name: "top-level content match false", filter: sys(`<hostname>other</hostname>`), want: ``},
		{name: "key of a selected entry is returned", filter: ifs(`<interface><ifindex>2</ifindex></interface>`), want: ifs(eth1Full)},
		{name: "anydata absent", filter: `<vendor-extensions xmlns="` + nsRt + `"/>`, want: ``},
		{name: "comments ignored", filter: users(`<!-- c --><user><name>admin<!-- c --></name></user>`), want: users(adminFull)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := filter.Subtree(context.Background(), tr, filterEl(t, c.filter))
			require.NoError(t, err)
			require.Equal(t, c.want, xmlOf(t, got))
		})
	}
}

func TestSubtreeErrors(t *testing.T) {
	tr := operational(t)
	deep := strings.Repeat(`<a>`, 70) + strings.Repeat(`</a>`, 70)
	cases := []struct {
		name   string
		filter string
		lim    filter.Limits
		elem   string
		msg    string
	}{
		{name: "mixed content", filter: ifs(`<interface>eth0<name/></interface>`), elem: "interface", msg: "mixed content"},
		{name: "undeclared prefix", filter: `<zz:interfaces/>`, elem: "interfaces", msg: "undeclared prefix"},
		{name: "too deep", filter: deep, elem: "a", msg: "deeper than 64"},
		{name: "too many nodes", filter: ifs(`<interface/><interface/>`), lim: filter.Limits{MaxNodes: 2}, elem: "interface", msg: "more than 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.lim.Subtree(context.Background(), tr, filterEl(t, c.filter))
			var re *rpcerror.Error
			require.ErrorAs(t, err, &re)
			require.Equal(t, rpcerror.InvalidValue, re.Tag)
			require.Equal(t, rpcerror.TypeProtocol, re.Type)
			require.Equal(t, c.elem, re.Info.BadElement)
			require.Contains(t, re.Message, c.msg)
		})
	}
}

func TestSubtreeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := bigStore(t, 5000)
	_, err := filter.Subtree(ctx, s.Snapshot("running"), filterEl(t, ifs(`<interface><mtu/></interface>`)))
	var re *rpcerror.Error
	require.ErrorAs(t, err, &re)
	require.Contains(t, re.Message, "canceled")
}
