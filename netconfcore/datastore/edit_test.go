package datastore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// editOutcome applies cfg to base with a fresh editor and returns the new
// root, the errors and whether the editor ended up in exact mode.
func editOutcome(set *schema.Set, base *tree.Tree, cfg *etree.Element, opts EditOptions, exact bool) (*tree.Node, rpcerror.List, bool) {
	ed := &editor{set: set, opt: opts.ErrorOption, exact: exact}
	root := ed.apply(base.Root(), cfg, opts.DefaultOperation)
	return root, ed.errs, ed.exact
}

// requireExactAgrees checks that the editor gives the same tree and errors
// whether it looks new list entries up as it goes (exact) or only checks
// them for duplicates at the end.
func requireExactAgrees(t testing.TB, set *schema.Set, base *tree.Tree, cfg *etree.Element, opts EditOptions) bool {
	got, gotErrs, redone := editOutcome(set, base, cfg, opts, false)
	want, wantErrs, _ := editOutcome(set, base, cfg, opts, true)
	require.Equal(t, wantErrs, gotErrs)
	require.True(t, tree.Equal(want, got), "trees differ:\n%s\n%s", dumpRoot(t, base, want), dumpRoot(t, base, got))
	return redone
}

func dumpRoot(t testing.TB, base *tree.Tree, root *tree.Node) string {
	return dump(t, base.WithRoot(root), tree.Explicit)
}

// dupEdit writes a <config> body that names a few entries of two lists
// and a leaf-list, often the same ones twice, with assorted operations and
// insert positions.
func dupEdit(r *rand.Rand) string {
	ops := []string{"", "", ` nc:operation="merge"`, ` nc:operation="create"`, ` nc:operation="replace"`,
		` nc:operation="delete"`, ` nc:operation="remove"`}
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	var b strings.Builder
	b.WriteString(`<interfaces xmlns="` + nsIf + `">`)
	for range r.IntN(8) {
		name := fmt.Sprintf("eth%d", r.IntN(4))
		fmt.Fprintf(&b, `<interface%s><name>%s</name>`, pick(ops), name)
		if r.IntN(2) == 0 {
			b.WriteString(`<type>ext:ethernet</type>`)
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, `<mtu>%d</mtu>`, 1000+r.IntN(3))
		}
		for range r.IntN(3) {
			fmt.Fprintf(&b, `<tag%s>t%d</tag>`, pick(ops), r.IntN(3))
		}
		b.WriteString(`</interface>`)
	}
	b.WriteString(`</interfaces><system xmlns="` + nsUsr + `"><authentication>`)
	inserts := []string{"", "", ` yang:insert="first"`, ` yang:insert="last"`,
		` yang:insert="before" yang:key="[name='u1']"`, ` yang:insert="after" yang:key="[name='u0']"`}
	for range r.IntN(6) {
		fmt.Fprintf(&b, `<user%s%s><name>u%d</name><uid>%d</uid></user>`, pick(ops), pick(inserts), r.IntN(3), r.IntN(3))
	}
	b.WriteString(`</authentication></system>`)
	return b.String()
}

func TestEditExactAgrees(t *testing.T) {
	set := testSet(t)
	s := newStore(t, Options{})
	require.NoError(t, s.Edit(context.Background(), Running, config(t, ifsXML(eth0+
		`<interface><name>eth1</name><type>ext:ethernet</type><tag>t0</tag></interface>`)+
		usersXML(`<authentication><user><name>u0</name><uid>1</uid></user></authentication>`)), EditOptions{TestOption: Set}))
	base := s.Snapshot(Running)
	r := rand.New(rand.NewPCG(1, 2))
	redone := 0
	for range 3000 {
		cfg := config(t, dupEdit(r))
		for _, opts := range []EditOptions{{}, {ErrorOption: ContinueOnError}, {DefaultOperation: None}, {DefaultOperation: Replace}} {
			if requireExactAgrees(t, set, base, cfg, opts) {
				redone++
			}
		}
	}
	require.NotZero(t, redone, "no edit named an entry twice")
}

func TestEditDuplicateEntries(t *testing.T) {
	cases := []struct {
		name, edit string
		tag        rpcerror.Tag
		want       string
		absent     string
	}{
		{name: "merge twice combines",
			edit: ifsXML(eth0 + `<interface><name>eth0</name><mtu>1400</mtu></interface>`),
			want: `<mtu>1400</mtu>`},
		{name: "create twice fails",
			edit: ifsXML(eth0 + `<interface nc:operation="create"><name>eth0</name><type>ext:ethernet</type></interface>`),
			tag:  rpcerror.DataExists},
		{name: "create then delete leaves nothing",
			edit:   ifsXML(eth0 + `<interface nc:operation="delete"><name>eth0</name></interface>`),
			absent: `eth0`},
		{name: "leaf-list value twice",
			edit: ifsXML(`<interface><name>eth0</name><type>ext:ethernet</type><tag>a</tag><tag>a</tag></interface>`),
			want: `<tag>a</tag></interface>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t, Options{})
			err := s.Edit(context.Background(), Running, config(t, tc.edit), EditOptions{TestOption: Set})
			if tc.tag != "" {
				var e *rpcerror.Error
				require.ErrorAs(t, err, &e)
				require.Equal(t, tc.tag, e.Tag)
				require.Equal(t, "/exif:interfaces/exif:interface[exif:name='eth0']", e.Path)
				return
			}
			require.NoError(t, err)
			got := dump(t, s.Snapshot(Running), tree.Explicit)
			require.Contains(t, got, tc.want)
			if tc.absent != "" {
				require.NotContains(t, got, tc.absent)
			}
		})
	}
}

func TestEditOneChildTwice(t *testing.T) {
	eth0Mtu := eth0Base + `<mtu>1000</mtu></interface>`
	cases := []struct {
		name, initial, edit string
		want, absent        string
	}{
		{name: "leaf twice, last wins", initial: ifsXML(eth0Mtu),
			edit: ifsXML(`<interface><name>eth0</name><mtu>1200</mtu><mtu>1400</mtu></interface>`),
			want: `<mtu>1400</mtu>`, absent: `1200`},
		{name: "leaf twice in a new entry", initial: ifsXML(eth0Mtu),
			edit: ifsXML(`<interface><name>eth5</name><type>ext:ethernet</type><mtu>1200</mtu><mtu>1400</mtu></interface>`),
			want: `<name>eth5</name><type xmlns:ext="` + nsExt + `">ext:ethernet</type><mtu>1400</mtu>`},
		{name: "leaf set then deleted", initial: ifsXML(eth0Mtu),
			edit:   ifsXML(`<interface><name>eth0</name><mtu>1400</mtu><mtu nc:operation="delete"/></interface>`),
			absent: `<mtu>`},
		{name: "case member twice", initial: ifsXML(eth0Mtu),
			edit: ifsXML(`<interface><name>eth0</name><vlan-id>5</vlan-id><vlan-id>6</vlan-id></interface>`),
			want: `<vlan-id>6</vlan-id>`},
		{name: "insert among pending entries of two lists",
			initial: usersXML(`<authentication><user><name>a</name><uid>1</uid></user></authentication>`),
			edit: usersXML(`<authentication><user-authentication-order>radius</user-authentication-order>` +
				`<user><name>b</name><uid>2</uid></user><user yang:insert="first"><name>c</name><uid>3</uid></user></authentication>`),
			want: `<user-authentication-order>radius</user-authentication-order><user><name>c</name>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t, Options{})
			require.NoError(t, s.Edit(context.Background(), Running, config(t, tc.initial), EditOptions{TestOption: Set}))
			require.NoError(t, s.Edit(context.Background(), Running, config(t, tc.edit), EditOptions{TestOption: Set}))
			got := dump(t, s.Snapshot(Running), tree.Explicit)
			require.Contains(t, got, tc.want)
			if tc.absent != "" {
				require.NotContains(t, got, tc.absent)
			}
		})
	}
}

// FuzzEditExact checks that arbitrary edits give the same outcome with and
// without exact bookkeeping of new list entries.
func FuzzEditExact(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 8 {
		f.Add(dupEdit(r))
	}
	s := fuzzStore(f)
	set, base := s.Schema(), s.Snapshot(Running)
	f.Fuzz(func(t *testing.T, body string) {
		doc, ok := fuzzConfig(body)
		if !ok {
			return
		}
		for _, opts := range []EditOptions{{}, {ErrorOption: ContinueOnError}} {
			requireExactAgrees(t, set, base, doc.Root(), opts)
		}
	})
}

// BenchmarkEditSmall merges one leaf into an entry of a small datastore.
func BenchmarkEditSmall(b *testing.B) {
	s := newStore(b, Options{})
	require.NoError(b, s.Edit(context.Background(), Running, config(b, ifsXML(eth0)), EditOptions{TestOption: Set}))
	el := config(b, ifsXML(`<interface><name>eth0</name><mtu>1400</mtu></interface>`))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Edit(ctx, Running, el, EditOptions{TestOption: Set}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchMerge100k changes one leaf in each of 100k existing
// entries.
func BenchmarkBatchMerge100k(b *testing.B) {
	s := loadedStore(b, benchEntries)
	base := s.Snapshot(Running)
	var src strings.Builder
	src.WriteString(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="` + nsIf + `">`)
	for i := range benchEntries {
		fmt.Fprintf(&src, `<interface><name>eth%d</name><mtu>1300</mtu></interface>`, i)
	}
	src.WriteString(`</interfaces></config>`)
	el := parse(b, src.String())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Edit(ctx, Running, el, EditOptions{TestOption: Set}); err != nil {
			b.Fatal(err)
		}
		s.snaps[Running].Store(base)
	}
}

// TestEditCopiesValues checks that the values an edit stores are copies,
// not substrings of the parsed message, which would keep the whole
// message in memory as long as the value lives.
func TestEditCopiesValues(t *testing.T) {
	doc, err := xmlparse.Parse([]byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+
		ifsXML(`<interface><name>eth0</name><description>uplink</description></interface>`)+`</config>`), xmlparse.Options{})
	require.NoError(t, err)
	s := newStore(t, Options{})
	snap, err := s.ParseConfig(doc.Root())
	require.NoError(t, err)
	sc := testSet(t).Top(nsIf, "interfaces")
	e := snap.Root().Child(sc).Entry(sc.Child(nsIf, "interface"), "eth0")
	require.NotNil(t, e)
	parsed := doc.Root().FindElement(".//description").Text()
	stored := e.Child(sc.Child(nsIf, "interface").Child(nsIf, "description")).Value()
	require.Equal(t, parsed, stored)
	p, q := uintptr(unsafe.Pointer(unsafe.StringData(parsed))), uintptr(unsafe.Pointer(unsafe.StringData(stored)))
	require.NotEqual(t, p, q, "the stored value is the parsed text itself")
}
