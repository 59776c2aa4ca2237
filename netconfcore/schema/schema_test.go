package schema

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

func loadExample(t testing.TB) *Set {
	t.Helper()
	s, err := Load(Options{})
	require.NoError(t, err)
	return s
}

const (
	nsIf  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	nsExt = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types"
	nsUsr = "http://ncsoap.dev/ns/example-users"
	nsRt  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-routing"
)

func TestLoadEmbedded(t *testing.T) {
	s := loadExample(t)
	var caps []string
	for _, m := range s.Modules() {
		caps = append(caps, m.Capability())
	}
	require.Equal(t, []string{
		nsIf + "?module=ncsoap-example-interfaces&revision=2024-01-15",
		nsRt + "?module=ncsoap-example-routing&revision=2024-01-15",
		nsExt + "?module=ncsoap-example-types&revision=2024-01-15",
		nsUsr + "?module=ncsoap-example-users&revision=2024-01-15",
	}, caps)

	ifs := s.Top(nsIf, "interfaces")
	require.NotNil(t, ifs)
	require.Equal(t, Container, ifs.Kind)
	list := ifs.Child(nsIf, "interface")
	require.Equal(t, List, list.Kind)
	require.Len(t, list.Keys, 1)
	require.Equal(t, "name", list.Keys[0].Name)
	require.Equal(t, list.Keys[0], list.DataChildren()[0])
	require.True(t, list.Keys[0].IsKey())
	require.Equal(t, uint64(200000), list.MaxElements)
	require.Len(t, list.Unique, 1)
	require.Equal(t, "ifindex", list.Unique[0][0].Name)

	mtu := list.Child(nsIf, "mtu")
	require.Equal(t, []string{"1500"}, mtu.Default)
	require.Equal(t, Uint16, mtu.Type.Kind)
	require.True(t, list.Child(nsIf, "type").Mandatory)
	require.True(t, list.Child(nsIf, "ipv4").Presence)
	require.False(t, list.Child(nsIf, "statistics").Config)
	require.False(t, list.Child(nsIf, "statistics").Child(nsIf, "in-octets").Config)
	require.True(t, list.Child(nsIf, "tag").Kind == LeafList)
	require.True(t, list.Child(nsIf, "dns-search").OrderedByUser)

	vlan := list.Child(nsIf, "vlan-id")
	require.NotNil(t, vlan, "choice looked through")
	require.Equal(t, Case, vlan.Parent.Kind)
	require.Equal(t, "dot1q", vlan.Case().Name)
	choice := vlan.Parent.Parent
	require.Equal(t, Choice, choice.Kind)
	require.Equal(t, "dot1q-none", choice.DefaultCase.Name)
	tp := list.Child(nsIf, "tunnel-peer")
	require.Equal(t, "tunnel-peer", tp.Case().Name, "shorthand case")
	require.NotNil(t, tp.When)
	require.Equal(t, "derived-from-or-self(../type, 'ext:tunnel')", tp.When.XPath)
	require.Equal(t, nsExt, tp.When.Namespaces()["ext"])

	pi := list.Child(nsIf, "parent-interface")
	require.Equal(t, LeafRef, pi.Type.Kind)
	require.Equal(t, list.Keys[0], pi.Type.Target)
	require.Len(t, pi.Must, 1)
	require.Equal(t, "self-parent", pi.Must[0].ErrorAppTag)

	nh := s.Top(nsRt, "routing").Child(nsRt, "route").Child(nsRt, "next-hop")
	require.Equal(t, uint64(1), nh.MinElements)
	require.Equal(t, list.Keys[0], nh.Child(nsRt, "interface").Type.Target)
	route := s.Top(nsRt, "routing").Child(nsRt, "route")
	require.Equal(t, []string{"destination", "prefix-length"}, []string{route.Keys[0].Name, route.Keys[1].Name})
	require.Equal(t, "/exrt:routing/exrt:route/exrt:next-hop", nh.Path())
	require.Equal(t, Anydata, s.Top(nsRt, "vendor-extensions").Kind)

	users := s.Top(nsUsr, "system").Child(nsUsr, "authentication").Child(nsUsr, "user")
	require.True(t, users.OrderedByUser)
	require.True(t, s.Top(nsUsr, "system").Child(nsUsr, "authentication").Child(nsUsr, "user-authentication-order").OrderedByUser)
}

// ietfModules returns the directory of the IETF modules shipped by Debian's
// netconfd (package libyuma-base), installing it when missing.
func ietfModules(t *testing.T) string {
	const dir = "/usr/share/yuma/modules/ietf"
	if _, err := os.Stat(dir); err != nil {
		out, err := exec.Command("apt-get", "install", "-y", "netconfd").CombinedOutput()
		require.NoError(t, err, "installing netconfd for the IETF modules: %s", out)
	}
	return dir
}

func TestLoadIETF(t *testing.T) {
	dir := ietfModules(t)
	s, err := Load(Options{Dirs: []string{dir}, Modules: []string{
		"ietf-interfaces", "ietf-ip", "iana-if-type", "ietf-system", "ietf-netconf-acm",
		"ietf-netconf-with-defaults", "ietf-yang-types", "ietf-inet-types",
	}})
	require.NoError(t, err)
	ifm := s.Module("ietf-interfaces")
	require.NotNil(t, ifm)
	require.Equal(t, "urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&revision=2014-05-08", ifm.Capability())
	ifs := s.Top("urn:ietf:params:xml:ns:yang:ietf-interfaces", "interfaces")
	require.NotNil(t, ifs)
	ip := ifs.Child(ifm.Namespace, "interface").Child("urn:ietf:params:xml:ns:yang:ietf-ip", "ipv4")
	require.NotNil(t, ip, "augmented node in the augmenting namespace")
	require.Equal(t, "ietf-ip", ip.Module.Name)
	require.NotNil(t, s.Top("urn:ietf:params:xml:ns:yang:ietf-netconf-acm", "nacm"))
	require.NotEqual(t, s.Module("ietf-interfaces").Prefix, s.Module("ncsoap-example-interfaces").Prefix)
}
