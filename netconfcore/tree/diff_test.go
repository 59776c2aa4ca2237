package tree

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// bigList returns a tree holding an interfaces list of n entries.
func bigList(t testing.TB, n int) *Tree {
	sc := ifs(t)
	entries := make([]*Node, n)
	for i := range entries {
		entries[i] = entry(sc, fmt.Sprintf("eth%d", i), NewLeaf(sc.mtu, "1500"))
	}
	tr := New(set(t))
	return tr.WithRoot(tr.Root().With(NewInner(sc.ifs).WithEntries(sc.list, entries)))
}

// describe renders changes as "+name", "-name", "~name/leaf" and
// "order(name)" for comparison.
func describe(old, new *Tree) []string {
	var out []string
	for c := range Diff(old, new) {
		var path string
		for _, p := range c.Path {
			path += p.Schema().Name + "/"
		}
		switch {
		case c.Order != nil:
			out = append(out, "order "+path+c.Order.Name)
		case c.Old == nil:
			out = append(out, "+"+path+label(c.New))
		case c.New == nil:
			out = append(out, "-"+path+label(c.Old))
		default:
			out = append(out, "~"+path+label(c.New))
		}
	}
	return out
}

func label(n *Node) string {
	if k := n.Keys(); k != nil {
		return n.Schema().Name + "[" + k[0] + "]"
	}
	return n.Schema().Name + "=" + n.Value()
}

func TestDiff(t *testing.T) {
	sc := ifs(t)
	base := bigList(t, 1000)
	ifsOf := func(tr *Tree) *Node { return tr.Root().Child(sc.ifs) }
	with := func(tr *Tree, c *Node) *Tree { return tr.WithRoot(tr.Root().With(c)) }
	e500 := ifsOf(base).Entry(sc.list, "eth500")

	changed := with(base, mustEntry(t, ifsOf(base), e500.With(NewLeaf(sc.mtu, "9000")), Position{}))
	added := with(base, mustEntry(t, ifsOf(base), entry(sc, "new0"), Position{}))
	removed := with(base, ifsOf(base).WithoutEntry(sc.list, "eth7"))
	tagged := with(base, mustEntry(t, ifsOf(base), e500.With(NewLeaf(sc.enabled, "false")), Position{}))

	for _, tc := range []struct {
		name     string
		old, new *Tree
		want     []string
	}{
		{"same", base, base, nil},
		{"leaf changed", base, changed, []string{"~interfaces/interface/mtu=9000"}},
		{"leaf added", base, tagged, []string{"+interfaces/interface/enabled=false"}},
		{"entry added", base, added, []string{"+interfaces/interface[new0]"}},
		{"entry removed", base, removed, []string{"-interfaces/interface[eth7]"}},
		{"container removed", base, New(set(t)), []string{"-interfaces="}},
		{"container added", New(set(t)), base, []string{"+interfaces="}},
		{"two changes, key order", removed, changed, []string{"~interfaces/interface/mtu=9000", "+interfaces/interface[eth7]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, describe(tc.old, tc.new))
		})
	}
}

func TestDiffUserOrder(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new []string
		want     []string
	}{
		{"appended", []string{"a", "b"}, []string{"a", "b", "c"}, []string{"+interfaces/interface/dns-search=c"}},
		{"removed", []string{"a", "b", "c"}, []string{"a", "c"}, []string{"-interfaces/interface/dns-search=b"}},
		{"moved", []string{"a", "b", "c"}, []string{"c", "a", "b"}, []string{"order interfaces/interface/dns-search"}},
		{"inserted first", []string{"a"}, []string{"z", "a"}, []string{"+interfaces/interface/dns-search=z", "order interfaces/interface/dns-search"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, describe(dnsTree(t, tc.old...), dnsTree(t, tc.new...)))
		})
	}
}

// TestDiffStopsEarly checks that breaking out of the loop stops the walk.
func TestDiffStopsEarly(t *testing.T) {
	n := 0
	for range Diff(New(set(t)), bigList(t, 10)) {
		n++
		break
	}
	require.Equal(t, 1, n)
	n = 0
	for range Diff(bigList(t, 10), bigList(t, 10)) { // equal data, no sharing
		n++
	}
	require.Zero(t, n)
}

// BenchmarkDiffOneOf100k diffs two 100,000-entry snapshots that differ in
// one leaf: the cost is the path to the change, not the list.
func BenchmarkDiffOneOf100k(b *testing.B) {
	sc := ifs(b)
	base := bigList(b, 100000)
	l := base.Root().Child(sc.ifs)
	next := base.WithRoot(base.Root().With(mustEntry(b, l, l.Entry(sc.list, "eth4242").With(NewLeaf(sc.mtu, "9000")), Position{})))
	b.ReportAllocs()
	for b.Loop() {
		var got []Change
		for c := range Diff(base, next) {
			got = append(got, Change{Old: c.Old, New: c.New, Path: slices.Clone(c.Path)})
		}
		if len(got) != 1 {
			b.Fatal(len(got))
		}
	}
}

func TestEqual(t *testing.T) {
	sc := ifs(t)
	base := bigList(t, 300)
	l := base.Root().Child(sc.ifs)
	changed := base.WithRoot(base.Root().With(mustEntry(t, l, l.Entry(sc.list, "eth42").With(NewLeaf(sc.mtu, "9000")), Position{})))
	same := base.WithRoot(base.Root().With(mustEntry(t, l, entry(sc, "eth42", NewLeaf(sc.mtu, "1500")), Position{})))
	for _, tc := range []struct {
		name string
		a, b *Tree
		want bool
	}{
		{"shared", base, base, true},
		{"rebuilt, no sharing", base, bigList(t, 300), true},
		{"one entry rebuilt with the same data", base, same, true},
		{"one leaf changed", base, changed, false},
		{"user order rebuilt", dnsTree(t, "a", "b", "c"), dnsTree(t, "a", "b", "c"), true},
		{"user order moved", dnsTree(t, "a", "b", "c"), dnsTree(t, "a", "c", "b"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.a.Equal(tc.b))
			require.Equal(t, tc.want, tc.b.Equal(tc.a))
		})
	}
}

// BenchmarkEqualOneOf100k compares two 100,000-entry snapshots that
// differ in one leaf: the cost is the path to the change.
func BenchmarkEqualOneOf100k(b *testing.B) {
	sc := ifs(b)
	base := bigList(b, 100000)
	l := base.Root().Child(sc.ifs)
	next := base.WithRoot(base.Root().With(mustEntry(b, l, l.Entry(sc.list, "eth4242").With(NewLeaf(sc.mtu, "9000")), Position{})))
	b.ReportAllocs()
	for b.Loop() {
		if base.Equal(next) {
			b.Fatal("equal")
		}
	}
}

// dnsTree returns a tree whose one interface has the ordered-by-user
// dns-search values given, in that order.
func dnsTree(t testing.TB, values ...string) *Tree {
	sc := ifs(t)
	e := entry(sc, "eth0")
	for _, v := range values {
		e = mustEntry(t, e, NewLeaf(sc.dns, v), Position{Where: Last})
	}
	tr := New(set(t))
	return tr.WithRoot(tr.Root().With(mustEntry(t, NewInner(sc.ifs), e, Position{})))
}
