package datastore

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

const (
	nsIf  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	nsExt = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types"
	nsUsr = "http://ncsoap.dev/ns/example-users"
	nsRt  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-routing"
)

var exampleSet *schema.Set

func testSet(t testing.TB) *schema.Set {
	if exampleSet == nil {
		s, err := schema.Load(schema.Options{})
		require.NoError(t, err)
		exampleSet = s
	}
	return exampleSet
}

func newStore(t testing.TB, opts Options) *Store {
	s, err := Open(context.Background(), testSet(t), opts)
	require.NoError(t, err)
	return s
}

// config parses body wrapped in a <config> element that declares the
// prefixes tests use: nc (base), yang, wd, ext and the module namespaces
// as default-free prefixes.
func config(t testing.TB, body string) *etree.Element {
	doc := etree.NewDocument()
	src := `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"` +
		` xmlns:yang="urn:ietf:params:xml:ns:yang:1" xmlns:wd="urn:ietf:params:xml:ns:netconf:default:1.0"` +
		` xmlns:ext="` + nsExt + `">` + body + `</config>`
	require.NoError(t, doc.ReadFromString(src))
	return doc.Root()
}

func ifsXML(body string) string { return `<interfaces xmlns="` + nsIf + `">` + body + `</interfaces>` }

func usersXML(body string) string { return `<system xmlns="` + nsUsr + `">` + body + `</system>` }

func dump(t testing.TB, tr *tree.Tree, mode tree.WithDefaults) string {
	var b bytes.Buffer
	require.NoError(t, tr.WriteXML(&b, tree.WriteOptions{Defaults: mode, ConfigOnly: true}))
	return b.String()
}

const eth0 = `<interface><name>eth0</name><type>ext:ethernet</type></interface>`

func TestEditConfig(t *testing.T) {
	typeDecl := ` xmlns:ext="` + nsExt + `"`
	cases := []struct {
		name    string
		initial string
		edit    string
		opts    EditOptions
		tag     rpcerror.Tag
		appTag  string
		path    string
		info    rpcerror.Info
		want    string // exact running content after the edit (explicit mode)
	}{
		{name: "merge creates list entry and leaves", edit: ifsXML(eth0),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type></interface>`)},
		{name: "merge leaf into existing entry", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><mtu>9000</mtu></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type><mtu>9000</mtu></interface>`)},
		{name: "create existing entry", initial: ifsXML(eth0),
			edit: ifsXML(`<interface nc:operation="create"><name>eth0</name></interface>`),
			tag:  rpcerror.DataExists, path: "/exif:interfaces/exif:interface[exif:name='eth0']"},
		{name: "create existing leaf", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><type nc:operation="create">ext:loopback</type></interface>`),
			tag:  rpcerror.DataExists, path: "/exif:interfaces/exif:interface[exif:name='eth0']/exif:type"},
		{name: "create leaf", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="create">1400</mtu></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type><mtu>1400</mtu></interface>`)},
		{name: "delete missing leaf", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="delete"/></interface>`),
			tag:  rpcerror.DataMissing, path: "/exif:interfaces/exif:interface[exif:name='eth0']/exif:mtu"},
		{name: "remove missing leaf is fine", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="remove"/></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type></interface>`)},
		{name: "delete leaf", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><mtu>1000</mtu></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="delete"/></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type></interface>`)},
		{name: "delete entry", initial: ifsXML(eth0),
			edit: ifsXML(`<interface nc:operation="delete"><name>eth0</name></interface>`), want: ""},
		{name: "delete missing entry", initial: ifsXML(eth0),
			edit: ifsXML(`<interface nc:operation="delete"><name>eth1</name></interface>`),
			tag:  rpcerror.DataMissing, path: "/exif:interfaces/exif:interface[exif:name='eth1']"},
		{name: "delete missing container", edit: ifsXML(``), opts: EditOptions{DefaultOperation: None},
			tag: rpcerror.DataMissing, path: "/exif:interfaces"},
		{name: "delete whole container", initial: ifsXML(eth0),
			edit: `<interfaces xmlns="` + nsIf + `" nc:operation="delete"/>`, want: ""},
		{name: "replace entry drops other leaves",
			initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><mtu>1000</mtu></interface>`),
			edit:    ifsXML(`<interface nc:operation="replace"><name>eth0</name><type>ext:loopback</type></interface>`),
			want:    ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:loopback</type></interface>`)},
		{name: "default-operation replace", initial: ifsXML(eth0), opts: EditOptions{DefaultOperation: Replace},
			edit: usersXML(`<hostname>h</hostname>`), want: usersXML(`<hostname>h</hostname>`)},
		{name: "default-operation none with delete", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><mtu>1000</mtu></interface>`),
			opts: EditOptions{DefaultOperation: None},
			edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="delete"/><description>ignored</description></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type></interface>`)},
		{name: "default-operation none missing level", opts: EditOptions{DefaultOperation: None},
			edit: ifsXML(`<interface><name>eth0</name><mtu nc:operation="delete"/></interface>`),
			tag:  rpcerror.DataMissing, path: "/exif:interfaces"},
		{name: "unknown namespace", edit: `<foo xmlns="urn:nowhere"/>`,
			tag: rpcerror.UnknownNamespace, path: "/", info: rpcerror.Info{BadElement: "foo", BadNamespace: "urn:nowhere"}},
		{name: "unknown element", edit: ifsXML(`<interface><name>eth0</name><bogus>1</bogus></interface>`),
			tag: rpcerror.UnknownElement, path: "/exif:interfaces/exif:interface[exif:name='eth0']", info: rpcerror.Info{BadElement: "bogus"}},
		{name: "unqualified operation attribute", edit: ifsXML(`<interface operation="delete"><name>eth0</name></interface>`),
			tag: rpcerror.UnknownAttribute, path: "/exif:interfaces/exif:interface", info: rpcerror.Info{BadAttribute: "operation", BadElement: "interface"}},
		{name: "bad operation value", edit: ifsXML(`<interface nc:operation="zap"><name>eth0</name></interface>`),
			tag: rpcerror.BadAttribute, info: rpcerror.Info{BadAttribute: "nc:operation", BadElement: "interface"}, path: "/exif:interfaces/exif:interface"},
		{name: "value out of range", edit: ifsXML(`<interface><name>eth0</name><mtu>10</mtu></interface>`),
			tag: rpcerror.InvalidValue, path: "/exif:interfaces/exif:interface[exif:name='eth0']/exif:mtu", info: rpcerror.Info{BadElement: "mtu"}},
		{name: "pattern mismatch in key", edit: ifsXML(`<interface><name>0bad</name></interface>`),
			tag: rpcerror.InvalidValue, path: "/exif:interfaces/exif:interface/exif:name", info: rpcerror.Info{BadElement: "name"}},
		{name: "missing key", edit: ifsXML(`<interface><mtu>1000</mtu></interface>`),
			tag: rpcerror.MissingElement, path: "/exif:interfaces/exif:interface", info: rpcerror.Info{BadElement: "name"}},
		{name: "identity not derived", edit: ifsXML(`<interface><name>e</name><type>ext:interface-type</type></interface>`),
			tag: rpcerror.InvalidValue, path: "/exif:interfaces/exif:interface[exif:name='e']/exif:type", info: rpcerror.Info{BadElement: "type"}},
		{name: "config false rejected", edit: ifsXML(`<interface><name>e</name><oper-status>up</oper-status></interface>`),
			tag: rpcerror.InvalidValue, path: "/exif:interfaces/exif:interface[exif:name='e']/exif:oper-status", info: rpcerror.Info{BadElement: "oper-status"}},
		{name: "leaf with children", edit: ifsXML(`<interface><name>e</name><mtu><x/></mtu></interface>`),
			tag: rpcerror.BadElement, path: "/exif:interfaces/exif:interface[exif:name='e']/exif:mtu", info: rpcerror.Info{BadElement: "mtu"}},
		{name: "presence container create", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><ipv4 nc:operation="create"/></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type><ipv4></ipv4></interface>`)},
		{name: "presence container create twice", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><ipv4/></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><ipv4 nc:operation="create"/></interface>`),
			tag:  rpcerror.DataExists, path: "/exif:interfaces/exif:interface[exif:name='eth0']/exif:ipv4"},
		{name: "choice switches case", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><untagged>false</untagged></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><vlan-id>7</vlan-id></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type><vlan-id>7</vlan-id></interface>`)},
		{name: "leaf-list merge and delete", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><tag>a</tag><tag>b</tag></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><tag>c</tag><tag nc:operation="delete">a</tag></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type><tag>b</tag><tag>c</tag></interface>`)},
		{name: "leaf-list create existing", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><tag>a</tag></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><tag nc:operation="create">a</tag></interface>`),
			tag:  rpcerror.DataExists, path: "/exif:interfaces/exif:interface[exif:name='eth0']/exif:tag[.='a']"},
		{name: "ordered-by-user leaf-list insert", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><dns-search>a</dns-search><dns-search>c</dns-search></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><dns-search yang:insert="after" yang:value="a">b</dns-search><dns-search yang:insert="first">z</dns-search></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type><dns-search>z</dns-search><dns-search>a</dns-search><dns-search>b</dns-search><dns-search>c</dns-search></interface>`)},
		{name: "ordered-by-user list insert before", initial: usersXML(`<authentication><user><name>a</name><uid>1</uid></user><user><name>c</name><uid>3</uid></user></authentication>`),
			edit: usersXML(`<authentication><user yang:insert="before" yang:key="[usr:name='c']" xmlns:usr="` + nsUsr + `"><name>b</name><uid>2</uid></user></authentication>`),
			want: usersXML(`<authentication><user><name>a</name><uid>1</uid></user><user><name>b</name><uid>2</uid></user><user><name>c</name><uid>3</uid></user></authentication>`)},
		{name: "insert relative to missing entry", initial: usersXML(`<authentication><user><name>a</name><uid>1</uid></user></authentication>`),
			edit: usersXML(`<authentication><user yang:insert="after" yang:key="[name='x']"><name>b</name><uid>2</uid></user></authentication>`),
			tag:  rpcerror.BadAttribute, appTag: "missing-instance", path: "/usr:system/usr:authentication/usr:user[usr:name='b']"},
		{name: "insert before without key", edit: usersXML(`<authentication><user yang:insert="before"><name>b</name><uid>2</uid></user></authentication>`),
			tag: rpcerror.MissingAttribute, info: rpcerror.Info{BadAttribute: "key", BadElement: "user"}, path: "/usr:system/usr:authentication/usr:user"},
		{name: "insert on system-ordered list", edit: ifsXML(`<interface yang:insert="first"><name>e</name></interface>`),
			tag: rpcerror.UnknownAttribute, path: "/exif:interfaces/exif:interface"},
		{name: "with-defaults tag resets leaf", initial: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><mtu>1000</mtu></interface>`),
			edit: ifsXML(`<interface><name>eth0</name><mtu wd:default="true">1500</mtu></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type></interface>`)},
		{name: "with-defaults tag on non-default value", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><mtu wd:default="true">1000</mtu></interface>`),
			tag:  rpcerror.BadAttribute},
		{name: "anydata stored", edit: `<vendor-extensions xmlns="` + nsRt + `"><acme xmlns="urn:acme"><x>1</x></acme></vendor-extensions>`,
			want: `<vendor-extensions xmlns="` + nsRt + `"><acme xmlns="urn:acme"><x>1</x></acme></vendor-extensions>`},
		{name: "test-only leaves running unchanged", initial: ifsXML(eth0), opts: EditOptions{TestOption: TestOnly},
			edit: ifsXML(`<interface><name>eth0</name><mtu>2000</mtu></interface>`),
			want: ifsXML(`<interface><name>eth0</name><type` + typeDecl + `>ext:ethernet</type></interface>`)},
		{name: "test-then-set validates running", edit: ifsXML(`<interface><name>eth0</name></interface>`),
			tag: rpcerror.DataMissing, path: "/exif:interfaces/exif:interface[exif:name='eth0']/exif:type"},
		{name: "set skips validation", opts: EditOptions{TestOption: Set}, edit: ifsXML(`<interface><name>eth0</name></interface>`),
			want: ifsXML(`<interface><name>eth0</name></interface>`)},
		{name: "stop-on-error is atomic", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name>eth0</name><mtu>1400</mtu><speed>abc</speed></interface>`),
			tag:  rpcerror.InvalidValue},
		{name: "key leaf cannot be deleted", initial: ifsXML(eth0),
			edit: ifsXML(`<interface><name nc:operation="delete">eth0</name></interface>`),
			tag:  rpcerror.BadAttribute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, Options{})
			if tc.initial != "" {
				require.NoError(t, s.Edit(ctx, Running, config(t, tc.initial), EditOptions{TestOption: Set}))
			}
			before := s.Snapshot(Running)
			err := s.Edit(ctx, Running, config(t, tc.edit), tc.opts)
			if tc.tag != "" {
				require.Error(t, err)
				var re *rpcerror.Error
				require.True(t, errors.As(err, &re), "%T %v", err, err)
				require.Equal(t, tc.tag, re.Tag, re.Error())
				require.Equal(t, rpcerror.TypeApplication, re.Type)
				require.Equal(t, tc.appTag, re.AppTag)
				if tc.path != "" {
					require.Equal(t, tc.path, re.Path)
					for p := range re.PathNamespaces {
						require.NotNil(t, s.Schema().ModuleByPrefix(p))
					}
				}
				if tc.info.BadElement != "" || tc.info.BadAttribute != "" {
					require.Equal(t, tc.info, re.Info)
				}
				require.Same(t, before, s.Snapshot(Running), "failed edit must not change running")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, dump(t, s.Snapshot(Running), tree.Explicit))
		})
	}
}

func TestContinueOnError(t *testing.T) {
	s := newStore(t, Options{})
	err := s.Edit(context.Background(), Running, config(t, ifsXML(
		`<interface><name>a</name><type>ext:ethernet</type><mtu>1</mtu></interface>`+
			`<interface><name>b</name><type>ext:ethernet</type></interface>`+
			`<interface><name>c</name><type>ext:ethernet</type><bogus/></interface>`)),
		EditOptions{ErrorOption: ContinueOnError, TestOption: Set})
	var l rpcerror.List
	require.True(t, errors.As(err, &l), "%v", err)
	require.Len(t, l, 2)
	require.Equal(t, rpcerror.InvalidValue, l[0].Tag)
	require.Equal(t, rpcerror.UnknownElement, l[1].Tag)
	out := dump(t, s.Snapshot(Running), tree.Explicit)
	require.Contains(t, out, "<name>b</name>")
	require.Contains(t, out, "<name>a</name>", "the entry is kept, only its bad leaf skipped")
	require.NotContains(t, out, "<mtu>")
}

func TestRollbackOnError(t *testing.T) {
	s := newStore(t, Options{})
	before := s.Snapshot(Running)
	err := s.Edit(context.Background(), Running, config(t, ifsXML(
		`<interface><name>a</name><type>ext:ethernet</type></interface><interface><name>b</name><mtu>1</mtu></interface>`)),
		EditOptions{ErrorOption: RollbackOnError})
	require.Error(t, err)
	require.Same(t, before, s.Snapshot(Running))
}

func TestCandidateDiffers(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Initial: schema.SampleConfig()})
	require.False(t, Differs(s.Snapshot(Running), s.Snapshot(Candidate)))
	require.NoError(t, s.Edit(ctx, Candidate, config(t, ifsXML(`<interface><name>eth0</name><mtu>1400</mtu></interface>`)), EditOptions{}))
	require.True(t, Differs(s.Snapshot(Running), s.Snapshot(Candidate)))
	require.NoError(t, s.Edit(ctx, Candidate, config(t, ifsXML(`<interface><name>eth0</name><mtu>9000</mtu></interface>`)), EditOptions{}))
	require.False(t, Differs(s.Snapshot(Running), s.Snapshot(Candidate)), "same content after reverting")
	require.NoError(t, s.Validate(ctx, s.Snapshot(Candidate)))
	require.NoError(t, s.Replace(ctx, Running, s.Snapshot(Candidate)))
	require.NoError(t, s.Reset(ctx, Startup))
	require.True(t, s.Snapshot(Startup).IsEmpty())
}

func TestSampleConfigRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Initial: schema.SampleConfig()})
	run := s.Snapshot(Running)
	require.NoError(t, s.Validate(ctx, run))
	var b bytes.Buffer
	require.NoError(t, WriteConfig(&b, run))
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(b.Bytes()))
	again, err := s.ParseConfig(doc.Root())
	require.NoError(t, err)
	require.False(t, Differs(run, again), "%s", b.String())
	out := dump(t, run, tree.Explicit)
	require.Contains(t, out, `<watched-node xmlns:exif="`+nsIf+`">/exif:interfaces/exif:interface[exif:name='eth0']/exif:mtu</watched-node>`)
	require.Contains(t, out, `<flags>up broadcast</flags>`)
	require.Contains(t, out, `<speed>10.0</speed>`)
}

func TestOperational(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Initial: schema.SampleConfig()})
	unregister := s.RegisterState(func(ctx context.Context) (*etree.Element, error) {
		doc := etree.NewDocument()
		err := doc.ReadFromString(`<data>` + ifsXML(`<interface><name>eth0</name><oper-status>up</oper-status><statistics><in-octets>42</in-octets></statistics></interface>`) + `</data>`)
		return doc.Root(), err
	})
	op, err := s.Operational(ctx)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, op.WriteXML(&b, tree.WriteOptions{}))
	require.Contains(t, b.String(), `<statistics><in-octets>42</in-octets></statistics><oper-status>up</oper-status>`)
	unregister()
	op, err = s.Operational(ctx)
	require.NoError(t, err)
	require.Same(t, s.Snapshot(Running), op)

	s.RegisterState(func(context.Context) (*etree.Element, error) { return nil, errors.New("sensor offline") })
	s.RegisterState(func(context.Context) (*etree.Element, error) {
		doc := etree.NewDocument()
		err := doc.ReadFromString(`<data>` + ifsXML(`<interface><name>eth0</name><bogus/></interface>`) + `</data>`)
		return doc.Root(), err
	})
	op, err = s.Operational(ctx)
	require.Same(t, s.Snapshot(Running), op, "the configuration is still reported")
	warnings := rpcerror.Errors(err)
	require.Len(t, warnings, 2)
	require.False(t, warnings.HasErrors())
	require.Contains(t, warnings[0].Message, "sensor offline")
}

func TestOptionNames(t *testing.T) {
	for _, name := range []string{"merge", "replace", "create", "delete", "remove", "none"} {
		op, ok := ParseOperation(name)
		require.True(t, ok)
		require.Equal(t, name, op.String())
	}
	for _, name := range []string{"test-then-set", "set", "test-only"} {
		o, ok := ParseTestOption(name)
		require.True(t, ok)
		require.Equal(t, name, o.String())
	}
	for _, name := range []string{"stop-on-error", "continue-on-error", "rollback-on-error"} {
		o, ok := ParseErrorOption(name)
		require.True(t, ok)
		require.Equal(t, name, o.String())
	}
	_, ok := ParseTestOption("maybe")
	require.False(t, ok)
	require.Equal(t, "unknown", ErrorOption(9).String())
}
