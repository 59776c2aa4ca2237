package tree

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/stretchr/testify/require"
)

const (
	nsIf  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	nsUsr = "http://ncsoap.dev/ns/example-users"
)

var exampleSet *schema.Set

func set(t testing.TB) *schema.Set {
	if exampleSet == nil {
		s, err := schema.Load(schema.Options{})
		require.NoError(t, err)
		exampleSet = s
	}
	return exampleSet
}

type ifSchema struct {
	ifs, list, name, mtu, typ, tag, dns, enabled, vlan, prio, stats, inOctets *schema.Node
}

func ifs(t testing.TB) ifSchema {
	s := set(t)
	top := s.Top(nsIf, "interfaces")
	l := top.Child(nsIf, "interface")
	st := l.Child(nsIf, "statistics")
	return ifSchema{top, l, l.Child(nsIf, "name"), l.Child(nsIf, "mtu"), l.Child(nsIf, "type"),
		l.Child(nsIf, "tag"), l.Child(nsIf, "dns-search"), l.Child(nsIf, "enabled"),
		l.Child(nsIf, "vlan-id"), l.Child(nsIf, "priority"), st, st.Child(nsIf, "in-octets")}
}

func entry(sc ifSchema, name string, kids ...*Node) *Node {
	e := NewInner(sc.list).With(NewLeaf(sc.name, name))
	for _, k := range kids {
		e = e.With(k)
	}
	return e
}

func mustEntry(t testing.TB, n *Node, e *Node, pos Position) *Node {
	out, ok := n.WithEntry(e, pos)
	require.True(t, ok)
	return out
}

func xmlOf(t testing.TB, tr *Tree, opts WriteOptions) string {
	var b bytes.Buffer
	require.NoError(t, tr.WriteXML(&b, opts))
	return b.String()
}

func TestBuildAndWrite(t *testing.T) {
	sc := ifs(t)
	c := NewInner(sc.ifs)
	c = mustEntry(t, c, entry(sc, "eth1", NewLeaf(sc.mtu, "1500"), NewLeaf(sc.typ, "ext:ethernet")), Position{})
	c = mustEntry(t, c, entry(sc, "eth0", NewLeaf(sc.mtu, "9000")), Position{})
	tr := New(set(t))
	tr = tr.WithRoot(tr.Root().With(c))

	require.Equal(t, `<interfaces xmlns="`+nsIf+`"><interface><name>eth0</name><mtu>9000</mtu></interface>`+
		`<interface><name>eth1</name><type xmlns:ext="urn:ncsoap:params:xml:ns:yang:ncsoap-example-types">ext:ethernet</type><mtu>1500</mtu></interface></interfaces>`,
		xmlOf(t, tr, WriteOptions{}))
	require.Equal(t, `<interfaces xmlns="`+nsIf+`"><interface><name>eth0</name><mtu>9000</mtu></interface>`+
		`<interface><name>eth1</name><type xmlns:ext="urn:ncsoap:params:xml:ns:yang:ncsoap-example-types">ext:ethernet</type></interface></interfaces>`,
		xmlOf(t, tr, WriteOptions{Defaults: Trim}))

	got := tr.Root().Child(sc.ifs).Entry(sc.list, "eth1")
	require.NotNil(t, got)
	require.Equal(t, []string{"eth1"}, got.Keys())
	require.Equal(t, "1500", got.Child(sc.mtu).Value())
	require.Nil(t, tr.Root().Child(sc.ifs).Entry(sc.list, "eth9"))
	require.Equal(t, 2, tr.Root().Child(sc.ifs).Len(sc.list))
}

func TestWithDefaultsModes(t *testing.T) {
	sc := ifs(t)
	e := entry(sc, "eth0", NewLeaf(sc.mtu, "1500"), NewLeaf(sc.vlan, "5"))
	c := mustEntry(t, NewInner(sc.ifs), e, Position{})
	tr := New(set(t))
	tr = tr.WithRoot(tr.Root().With(c))
	all := xmlOf(t, tr, WriteOptions{Defaults: ReportAll, ConfigOnly: true})
	// Active case dot1q: priority default reported, untagged (other case) not.
	require.Contains(t, all, `<mtu>1500</mtu>`)
	require.Contains(t, all, `<enabled>true</enabled>`)
	require.Contains(t, all, `<priority>0</priority>`)
	require.NotContains(t, all, `untagged`)
	require.NotContains(t, all, `statistics`)
	// Top-level non-presence containers with defaults appear.
	require.Contains(t, all, `<system xmlns="`+nsUsr+`"><hostname>ncsoap</hostname>`)
	require.Contains(t, all, `<clock><timezone>UTC</timezone></clock>`)
	require.NotContains(t, all, `monitor`)

	tagged := xmlOf(t, tr, WriteOptions{Defaults: ReportAllTagged, ConfigOnly: true})
	require.Contains(t, tagged, `<interfaces xmlns="`+nsIf+`" xmlns:wd="`+DefaultsNamespace+`">`)
	require.Contains(t, tagged, `<mtu wd:default="true">1500</mtu>`)
	require.Contains(t, tagged, `<enabled wd:default="true">true</enabled>`)
	require.Contains(t, tagged, `<vlan-id>5</vlan-id>`)

	require.NotContains(t, xmlOf(t, tr, WriteOptions{Defaults: Trim}), `mtu`)
	require.Contains(t, xmlOf(t, tr, WriteOptions{Defaults: Explicit}), `<mtu>1500</mtu>`)

	// Without any case active, the default case's defaults appear.
	tr2 := New(set(t))
	tr2 = tr2.WithRoot(tr2.Root().With(mustEntry(t, NewInner(sc.ifs), entry(sc, "eth0"), Position{})))
	out := xmlOf(t, tr2, WriteOptions{Defaults: ReportAll})
	require.Contains(t, out, `<untagged>true</untagged>`)
	require.NotContains(t, out, `priority`)
}

func TestConfigOnly(t *testing.T) {
	sc := ifs(t)
	e := entry(sc, "eth0", NewInner(sc.stats).With(NewLeaf(sc.inOctets, "42")))
	tr := New(set(t))
	tr = tr.WithRoot(tr.Root().With(mustEntry(t, NewInner(sc.ifs), e, Position{})))
	require.NotContains(t, xmlOf(t, tr, WriteOptions{ConfigOnly: true}), "in-octets")
	require.Contains(t, xmlOf(t, tr, WriteOptions{}), "<statistics><in-octets>42</in-octets></statistics>")
}

func names(n *Node, s *schema.Node) []string {
	var out []string
	for e := range n.Entries(s) {
		if e.Schema().Kind == schema.List {
			out = append(out, e.Keys()[0])
		} else {
			out = append(out, e.Value())
		}
	}
	return out
}

func TestOrderedByUser(t *testing.T) {
	sc := ifs(t)
	e := NewInner(sc.list)
	add := func(v string, pos Position) {
		var ok bool
		e, ok = e.WithEntry(NewLeaf(sc.dns, v), pos)
		require.True(t, ok)
	}
	add("c", Position{})
	add("a", Position{Where: First})
	add("d", Position{Where: Last})
	add("b", Position{Where: Before, Keys: []string{"c"}})
	add("e", Position{Where: After, Keys: []string{"d"}})
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, names(e, sc.dns))
	add("a", Position{Where: After, Keys: []string{"e"}}) // move
	require.Equal(t, []string{"b", "c", "d", "e", "a"}, names(e, sc.dns))
	add("c", Position{}) // merge keeps position
	require.Equal(t, []string{"b", "c", "d", "e", "a"}, names(e, sc.dns))
	_, ok := e.WithEntry(NewLeaf(sc.dns, "x"), Position{Where: Before, Keys: []string{"nope"}})
	require.False(t, ok)
	require.Equal(t, 2, e.EntryIndex(sc.dns, "d"))
	e = e.WithoutEntry(sc.dns, "d")
	require.Equal(t, []string{"b", "c", "e", "a"}, names(e, sc.dns))

	// Many inserts at the same spot force relabelling.
	e = NewInner(sc.list)
	add("z", Position{})
	var want []string
	for i := 0; i < 200; i++ {
		v := fmt.Sprintf("v%03d", i)
		add(v, Position{Where: Before, Keys: []string{"z"}})
		want = append(want, v)
	}
	require.Equal(t, append(want, "z"), names(e, sc.dns))
	for i := 0; i < 100; i++ {
		add(fmt.Sprintf("f%03d", i), Position{Where: First})
	}
	require.Equal(t, "f099", e.EntryAt(sc.dns, 0).Value())
	require.Equal(t, 301, e.Len(sc.dns))
}

func TestSystemOrderNumericKeys(t *testing.T) {
	s := set(t)
	nsRt := "urn:ncsoap:params:xml:ns:yang:ncsoap-example-routing"
	route := s.Top(nsRt, "routing").Child(nsRt, "route")
	nh := route.Child(nsRt, "next-hop")
	idx := nh.Child(nsRt, "index")
	r := NewInner(route)
	for _, v := range []string{"10", "2", "1", "255"} {
		var ok bool
		r, ok = r.WithEntry(NewInner(nh).With(NewLeaf(idx, v)), Position{})
		require.True(t, ok)
	}
	require.Equal(t, []string{"1", "2", "10", "255"}, names(r, nh))
}

func TestSnapshotsShareAndCompare(t *testing.T) {
	sc := ifs(t)
	var entries []*Node
	for i := 0; i < 1000; i++ {
		entries = append(entries, entry(sc, fmt.Sprintf("eth%d", i), NewLeaf(sc.mtu, "1500")))
	}
	c := NewInner(sc.ifs).WithEntries(sc.list, entries)
	base := New(set(t))
	base = base.WithRoot(base.Root().With(c))
	require.Equal(t, 1000, c.Len(sc.list))

	old := c.Entry(sc.list, "eth500")
	changed := mustEntry(t, c, old.With(NewLeaf(sc.mtu, "9000")), Position{})
	next := base.WithRoot(base.Root().With(changed))
	require.False(t, base.Equal(next))
	require.True(t, base.Equal(base.WithRoot(base.Root().With(c))))
	require.Equal(t, "1500", base.Root().Child(sc.ifs).Entry(sc.list, "eth500").Child(sc.mtu).Value(), "old snapshot unchanged")
	require.Equal(t, "9000", next.Root().Child(sc.ifs).Entry(sc.list, "eth500").Child(sc.mtu).Value())
	back := mustEntry(t, changed, old, Position{})
	require.True(t, base.Equal(base.WithRoot(base.Root().With(back))))
	require.Same(t, base.Root().Child(sc.ifs).Entry(sc.list, "eth499"), next.Root().Child(sc.ifs).Entry(sc.list, "eth499"))

	gone := changed.WithoutEntry(sc.list, "eth7")
	require.Equal(t, 999, gone.Len(sc.list))
	require.Nil(t, gone.Entry(sc.list, "eth7"))
}

func TestCursor(t *testing.T) {
	sc := ifs(t)
	c := NewInner(sc.ifs)
	for _, n := range []string{"a", "b", "c"} {
		c = mustEntry(t, c, entry(sc, n, NewLeaf(sc.mtu, "1000")), Position{})
	}
	tr := New(set(t))
	tr = tr.WithRoot(tr.Root().With(c))
	cur := tr.Cursor()
	require.True(t, cur.Node().IsRoot())
	require.True(t, cur.ToFirstChild())
	require.Equal(t, "interfaces", cur.Node().Schema().Name)
	require.False(t, cur.ToNextSibling())
	require.True(t, cur.ToFirstChild())
	require.Equal(t, []string{"a"}, cur.Node().Keys())
	mark := cur.Clone()
	require.True(t, cur.ToNextSibling())
	require.True(t, cur.ToNextSibling())
	require.Equal(t, []string{"c"}, cur.Node().Keys())
	require.False(t, cur.ToNextSibling())
	require.True(t, cur.ToPrevSibling())
	require.Equal(t, []string{"b"}, cur.Node().Keys())
	require.True(t, cur.ToFirstChild())
	require.Equal(t, "b", cur.Node().Value())
	require.True(t, cur.ToNextSibling())
	require.Equal(t, "1000", cur.Node().Value())
	require.Len(t, cur.Path(), 3)
	require.True(t, cur.ToParent())
	require.True(t, cur.ToFirstSibling())
	require.True(t, cur.Same(mark))
	require.True(t, mark.ToNextSibling())
	require.True(t, mark.ToPrevSibling())
	require.Equal(t, []string{"a"}, mark.Node().Keys())
	require.True(t, cur.ToParent())
	require.True(t, cur.ToLastChild())
	require.Equal(t, []string{"c"}, cur.Node().Keys())
	require.Equal(t, 2, cur.Depth())
	cur.ToRoot()
	require.Equal(t, 0, cur.Depth())
}

func TestSubset(t *testing.T) {
	sc := ifs(t)
	c := NewInner(sc.ifs)
	for _, n := range []string{"a", "b", "c"} {
		c = mustEntry(t, c, entry(sc, n, NewLeaf(sc.mtu, "1000"), NewLeaf(sc.typ, "ext:ethernet")), Position{})
	}
	tr := New(set(t))
	tr = tr.WithRoot(tr.Root().With(c))
	cur := tr.Cursor()
	cur.ToFirstChild()
	cur.ToFirstChild()
	cur.ToNextSibling() // b
	cur.ToFirstChild()
	cur.ToNextSibling() // b/type
	sub := NewSubset(tr)
	sub.Add(cur.Path())
	cur.ToParent()
	cur.ToNextSibling() // c
	sub.Add(cur.Path())
	out := xmlOf(t, sub.Tree(), WriteOptions{})
	require.Equal(t, `<interfaces xmlns="`+nsIf+`"><interface><name>b</name><type xmlns:ext="urn:ncsoap:params:xml:ns:yang:ncsoap-example-types">ext:ethernet</type></interface>`+
		`<interface><name>c</name><type xmlns:ext="urn:ncsoap:params:xml:ns:yang:ncsoap-example-types">ext:ethernet</type><mtu>1000</mtu></interface></interfaces>`, out)
	require.True(t, strings.Count(out, "<interface>") == 2)
}
