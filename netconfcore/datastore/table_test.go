package datastore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// nodeKind describes one kind of data node for the edit-config
// conformance table: how to write it with an operation, what the
// datastore holds before, and how to tell the outcome.
type nodeKind struct {
	name string
	// present and absent are initial configurations with and without the
	// node; both hold its parent.
	present, absent string
	// edit is the node with an operation attribute at %s, carrying new
	// content; del is the node for delete and remove.
	edit, del string
	// path is the error-path of the node.
	path string
	// updated is in the dump once edit is applied; gone is in the dump
	// only while the node exists.
	updated, gone string
}

const eth0Base = `<interface><name>eth0</name><type>ext:ethernet</type>`

var tableKinds = []nodeKind{
	{name: "container",
		present: usersXML(`<hostname>h</hostname><clock><timezone>CET</timezone></clock>`),
		absent:  usersXML(`<hostname>h</hostname>`),
		edit:    usersXML(`<clock%s><timezone>EST</timezone></clock>`),
		del:     usersXML(`<clock%s/>`),
		path:    "/usr:system/usr:clock", updated: "<timezone>EST</timezone>", gone: "<clock>"},
	{name: "presence container",
		present: ifsXML(eth0Base + `<ipv4><forwarding>true</forwarding></ipv4></interface>`),
		absent:  ifsXML(eth0Base + `</interface>`),
		edit:    ifsXML(`<interface><name>eth0</name><ipv4%s><forwarding>false</forwarding></ipv4></interface>`),
		del:     ifsXML(`<interface><name>eth0</name><ipv4%s/></interface>`),
		path:    "/exif:interfaces/exif:interface[exif:name='eth0']/exif:ipv4", updated: "<forwarding>false</forwarding>", gone: "<ipv4>"},
	{name: "list entry",
		present: ifsXML(eth0Base + `</interface><interface><name>eth1</name><type>ext:ethernet</type><mtu>1000</mtu></interface>`),
		absent:  ifsXML(eth0Base + `</interface>`),
		edit:    ifsXML(`<interface%s><name>eth1</name><type>ext:loopback</type></interface>`),
		del:     ifsXML(`<interface%s><name>eth1</name></interface>`),
		path:    "/exif:interfaces/exif:interface[exif:name='eth1']", updated: "ext:loopback", gone: "<name>eth1</name>"},
	{name: "leaf",
		present: ifsXML(eth0Base + `<mtu>1000</mtu></interface>`),
		absent:  ifsXML(eth0Base + `</interface>`),
		edit:    ifsXML(`<interface><name>eth0</name><mtu%s>1400</mtu></interface>`),
		del:     ifsXML(`<interface><name>eth0</name><mtu%s/></interface>`),
		path:    "/exif:interfaces/exif:interface[exif:name='eth0']/exif:mtu", updated: "<mtu>1400</mtu>", gone: "<mtu>"},
	{name: "leaf-list entry",
		present: ifsXML(eth0Base + `<tag>a</tag><tag>b</tag></interface>`),
		absent:  ifsXML(eth0Base + `<tag>b</tag></interface>`),
		edit:    ifsXML(`<interface><name>eth0</name><tag%s>a</tag></interface>`),
		del:     ifsXML(`<interface><name>eth0</name><tag%s>a</tag></interface>`),
		path:    "/exif:interfaces/exif:interface[exif:name='eth0']/exif:tag[.='a']", updated: "<tag>a</tag>", gone: "<tag>a</tag>"},
	{name: "case member",
		present: ifsXML(eth0Base + `<vlan-id>7</vlan-id></interface>`),
		absent:  ifsXML(eth0Base + `<untagged>false</untagged></interface>`),
		edit:    ifsXML(`<interface><name>eth0</name><vlan-id%s>8</vlan-id></interface>`),
		del:     ifsXML(`<interface><name>eth0</name><vlan-id%s/></interface>`),
		path:    "/exif:interfaces/exif:interface[exif:name='eth0']/exif:vlan-id", updated: "<vlan-id>8</vlan-id>", gone: "<vlan-id>"},
	{name: "anydata",
		present: routeXML(`<router-id>192.0.2.1</router-id>`) + `<vendor-extensions xmlns="` + nsRt + `"><a xmlns="urn:acme">1</a></vendor-extensions>`,
		absent:  routeXML(`<router-id>192.0.2.1</router-id>`),
		edit:    `<vendor-extensions xmlns="` + nsRt + `"%s><b xmlns="urn:acme">2</b></vendor-extensions>`,
		del:     `<vendor-extensions xmlns="` + nsRt + `"%s/>`,
		path:    "/exrt:vendor-extensions", updated: `<b xmlns="urn:acme">2</b>`, gone: "<vendor-extensions"},
}

// TestEditConfigTable runs every edit-config operation on every node kind,
// with the node present and absent (RFC 6241 §7.2).
func TestEditConfigTable(t *testing.T) {
	type outcome uint8
	const (
		updated outcome = iota // the node holds the edit's content
		removed                // the node is gone
		same                   // the datastore is unchanged
		exists                 // data-exists
		missing                // data-missing
	)
	table := map[string][2]outcome{ // operation -> {present, absent}
		"merge":   {updated, updated},
		"replace": {updated, updated},
		"create":  {exists, updated},
		"delete":  {removed, missing},
		"remove":  {removed, same},
	}
	for _, k := range tableKinds {
		for _, op := range []string{"merge", "replace", "create", "delete", "remove"} {
			for i, state := range []string{"present", "absent"} {
				want := table[op][i]
				t.Run(fmt.Sprintf("%s/%s/%s", k.name, op, state), func(t *testing.T) {
					ctx := context.Background()
					s := newStore(t, Options{})
					initial := k.present
					if state == "absent" {
						initial = k.absent
					}
					require.NoError(t, s.Edit(ctx, Running, config(t, initial), EditOptions{TestOption: Set}))
					before := s.Snapshot(Running)
					tmpl := k.edit
					if op == "delete" || op == "remove" {
						tmpl = k.del
					}
					edit := fmt.Sprintf(tmpl, ` nc:operation="`+op+`"`)
					err := s.Edit(ctx, Running, config(t, edit), EditOptions{TestOption: Set})
					out := dump(t, s.Snapshot(Running), tree.Explicit)
					switch want {
					case exists, missing:
						var re *rpcerror.Error
						require.True(t, errors.As(err, &re), "%v", err)
						tag := rpcerror.DataExists
						if want == missing {
							tag = rpcerror.DataMissing
						}
						require.Equal(t, tag, re.Tag, re.Error())
						require.Equal(t, rpcerror.TypeApplication, re.Type)
						require.Equal(t, k.path, re.Path)
						for p, ns := range re.PathNamespaces {
							require.Equal(t, ns, s.Schema().ModuleByPrefix(p).Namespace)
						}
						require.Equal(t, rpcerror.Info{}, re.Info, "RFC 6241 App. A: no error-info for %s", tag)
						require.Same(t, before, s.Snapshot(Running))
					case updated:
						require.NoError(t, err)
						require.Contains(t, out, k.updated)
					case removed:
						require.NoError(t, err)
						require.NotContains(t, out, k.gone)
					case same:
						require.NoError(t, err)
						require.True(t, before.Equal(s.Snapshot(Running)), out)
					}
				})
			}
		}
	}
}

// TestEditConfigTableReplace checks that replace drops what the edit
// does not mention while merge keeps it.
func TestEditConfigTableReplace(t *testing.T) {
	cases := []struct {
		name, initial, edit string
		kept                string
		replaceKeeps        bool
	}{
		{name: "list entry", initial: ifsXML(eth0Base + `<mtu>1000</mtu></interface>`),
			edit: ifsXML(`<interface%s><name>eth0</name><type>ext:loopback</type></interface>`), kept: "<mtu>1000</mtu>"},
		{name: "container", initial: usersXML(`<clock><timezone>CET</timezone></clock><hostname>h</hostname>`),
			edit: usersXML(`<clock%s/>`), kept: "<timezone>CET</timezone>"},
		{name: "presence container", initial: ifsXML(eth0Base + `<ipv4><forwarding>true</forwarding><address><ip>10.0.0.1</ip><prefix-length>8</prefix-length></address></ipv4></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><ipv4%s><forwarding>false</forwarding></ipv4></interface>`), kept: "<ip>10.0.0.1</ip>"},
		{name: "leaf-list entry keeps siblings", initial: ifsXML(eth0Base + `<tag>a</tag><tag>b</tag></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><tag%s>a</tag></interface>`), kept: "<tag>b</tag>", replaceKeeps: true},
		{name: "anydata content", initial: `<vendor-extensions xmlns="` + nsRt + `"><a xmlns="urn:acme">1</a></vendor-extensions>`,
			edit: `<vendor-extensions xmlns="` + nsRt + `"%s><b xmlns="urn:acme">2</b></vendor-extensions>`, kept: `<a xmlns="urn:acme">1</a>`},
	}
	for _, tc := range cases {
		for _, op := range []string{"merge", "replace"} {
			t.Run(tc.name+"/"+op, func(t *testing.T) {
				ctx := context.Background()
				s := newStore(t, Options{})
				require.NoError(t, s.Edit(ctx, Running, config(t, tc.initial), EditOptions{TestOption: Set}))
				require.NoError(t, s.Edit(ctx, Running, config(t, fmt.Sprintf(tc.edit, ` nc:operation="`+op+`"`)), EditOptions{TestOption: Set}))
				out := dump(t, s.Snapshot(Running), tree.Explicit)
				keeps := op == "merge" && !strings.HasPrefix(tc.name, "anydata") || tc.replaceKeeps
				if keeps {
					require.Contains(t, out, tc.kept)
				} else {
					require.NotContains(t, out, tc.kept)
				}
			})
		}
	}
}

// TestEditConfigTableDefaultNone checks default-operation none: nothing
// is created implicitly, and an operation below a missing level fails with
// data-missing.
func TestEditConfigTableDefaultNone(t *testing.T) {
	cases := []struct {
		name, edit string
		path       string // error-path of the data-missing error; "" for success
		want       string // in the dump after a successful edit
		wantNot    string
	}{
		{name: "merge below missing entry", edit: ifsXML(`<interface><name>eth9</name><mtu nc:operation="merge">1400</mtu></interface>`),
			path: "/exif:interfaces/exif:interface[exif:name='eth9']"},
		{name: "delete below missing container", edit: usersXML(`<clock><timezone nc:operation="delete"/></clock>`),
			path: "/usr:system/usr:clock"},
		{name: "plain content is ignored", edit: ifsXML(`<interface><name>eth0</name><mtu>1400</mtu></interface>`),
			want: "<mtu>1000</mtu>"},
		{name: "explicit merge under existing entry", edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="merge">1400</mtu></interface>`),
			want: "<mtu>1400</mtu>"},
		{name: "delete under existing entry", edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="delete"/></interface>`),
			wantNot: "<mtu>"},
		{name: "create entry", edit: ifsXML(`<interface nc:operation="create"><name>eth5</name><type>ext:ethernet</type></interface>`),
			want: "<name>eth5</name>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, Options{})
			require.NoError(t, s.Edit(ctx, Running, config(t, ifsXML(eth0Base+`<mtu>1000</mtu></interface>`)+usersXML(`<hostname>h</hostname>`)), EditOptions{TestOption: Set}))
			before := s.Snapshot(Running)
			err := s.Edit(ctx, Running, config(t, tc.edit), EditOptions{DefaultOperation: None, TestOption: Set})
			if tc.path != "" {
				var re *rpcerror.Error
				require.True(t, errors.As(err, &re), "%v", err)
				require.Equal(t, rpcerror.DataMissing, re.Tag)
				require.Equal(t, tc.path, re.Path)
				require.Same(t, before, s.Snapshot(Running))
				return
			}
			require.NoError(t, err)
			out := dump(t, s.Snapshot(Running), tree.Explicit)
			if tc.want != "" {
				require.Contains(t, out, tc.want)
			}
			if tc.wantNot != "" {
				require.NotContains(t, out, tc.wantNot)
			}
		})
	}
}

// TestEditConfigTableErrorOption checks the three error-options on one
// edit that has two failing and two succeeding parts.
func TestEditConfigTableErrorOption(t *testing.T) {
	initial := ifsXML(eth0Base+`<mtu>1000</mtu></interface>`) + usersXML(`<hostname>h</hostname>`)
	edit := ifsXML(`<interface nc:operation="create"><name>eth0</name><type>ext:ethernet</type></interface>`+
		`<interface><name>eth1</name><type>ext:ethernet</type></interface>`+
		`<interface><name>eth0</name><description nc:operation="delete"/></interface>`) +
		usersXML(`<hostname>new</hostname>`)
	cases := []struct {
		opt     ErrorOption
		errs    []rpcerror.Tag
		applied bool
	}{
		{opt: StopOnError, errs: []rpcerror.Tag{rpcerror.DataExists}},
		{opt: RollbackOnError, errs: []rpcerror.Tag{rpcerror.DataExists}},
		{opt: ContinueOnError, errs: []rpcerror.Tag{rpcerror.DataExists, rpcerror.DataMissing}, applied: true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.opt), func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, Options{})
			require.NoError(t, s.Edit(ctx, Running, config(t, initial), EditOptions{TestOption: Set}))
			before := s.Snapshot(Running)
			err := s.Edit(ctx, Running, config(t, edit), EditOptions{ErrorOption: tc.opt, TestOption: Set})
			list := rpcerror.Errors(err)
			var tags []rpcerror.Tag
			for _, e := range list {
				tags = append(tags, e.Tag)
			}
			require.Equal(t, tc.errs, tags)
			out := dump(t, s.Snapshot(Running), tree.Explicit)
			if !tc.applied {
				require.Same(t, before, s.Snapshot(Running))
				return
			}
			require.Contains(t, out, "<name>eth1</name>")
			require.Contains(t, out, "<hostname>new</hostname>")
			require.Contains(t, out, "<mtu>1000</mtu>", "the failed create did not replace eth0")
		})
	}
}
