package tree

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// walkTo returns a cursor moved onto the last node of path with
// ToFirstChild and ToNextSibling only.
func walkTo(t *testing.T, tr *Tree, path []*Node) *Cursor {
	cur := tr.Cursor()
	for _, n := range path {
		require.True(t, cur.ToFirstChild())
		for cur.Node() != n {
			require.True(t, cur.ToNextSibling())
		}
	}
	return cur
}

func TestCursorAt(t *testing.T) {
	sc := ifs(t)
	tr := bigList(t, 300)
	top := tr.Root().Child(sc.ifs)
	e := top.Entry(sc.list, "eth42")
	dns := e
	for _, v := range []string{"z", "a", "m"} {
		var ok bool
		dns, ok = dns.WithEntry(NewLeaf(sc.dns, v), Position{})
		require.True(t, ok)
	}
	for _, v := range []string{"t2", "t1"} {
		var ok bool
		dns, ok = dns.WithEntry(NewLeaf(sc.tag, v), Position{})
		require.True(t, ok)
	}
	top = mustEntry(t, top, dns, Position{})
	tr = tr.WithRoot(tr.Root().With(top))
	e = top.Entry(sc.list, "eth42")
	last := top.Entry(sc.list, "eth99")
	other := bigList(t, 300)

	cases := []struct {
		name string
		path []*Node
		ok   bool
	}{
		{"root", nil, true},
		{"top-level container", []*Node{top}, true},
		{"first entry", []*Node{top, top.EntryAt(sc.list, 0)}, true},
		{"middle entry", []*Node{top, e}, true},
		{"last entry", []*Node{top, last}, true},
		{"key leaf", []*Node{top, e, e.Child(sc.name)}, true},
		{"user-ordered leaf-list entry", []*Node{top, e, e.EntryAt(sc.dns, 1)}, true},
		{"system-ordered leaf-list entry", []*Node{top, e, e.Entry(sc.tag, "t2")}, true},
		{"leaf of the last entry", []*Node{top, last, last.Child(sc.mtu)}, true},
		{"entry of another tree", []*Node{top, other.Root().Child(sc.ifs).Entry(sc.list, "eth42")}, false},
		{"container of another tree", []*Node{other.Root().Child(sc.ifs)}, false},
		{"skipped level", []*Node{e}, false},
		{"child of the wrong entry", []*Node{top, last, e.Child(sc.name)}, false},
		{"absent child", []*Node{top, e, NewLeaf(sc.vlan, "7")}, false},
		{"nil node", []*Node{top, nil}, false},
		{"root in the path", []*Node{tr.Root()}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur, ok := tr.CursorAt(tc.path)
			require.Equal(t, tc.ok, ok)
			if !ok {
				require.Nil(t, cur)
				return
			}
			require.True(t, cur.Same(walkTo(t, tr, tc.path)))
			require.Equal(t, len(tc.path), cur.Depth())
			if len(tc.path) > 0 {
				require.Same(t, tc.path[len(tc.path)-1], cur.Node())
			}
			// The cursor moves on like any other.
			if cur.ToParent() && cur.ToFirstChild() {
				require.True(t, cur.Same(walkTo(t, tr, append(tc.path[:len(tc.path)-1:len(tc.path)-1], cur.Node()))))
			}
		})
	}
}

// TestCursorAtLargeList positions a cursor on every entry of a 10,000
// entry list and on a leaf of each, and compares it with one walked there
// sibling by sibling.
func TestCursorAtLargeList(t *testing.T) {
	sc := ifs(t)
	tr := bigList(t, 10_000)
	top := tr.Root().Child(sc.ifs)
	walk := tr.Cursor()
	require.True(t, walk.ToFirstChild())
	require.True(t, walk.ToFirstChild())
	for i := range 10_000 {
		e := walk.Node()
		cur, ok := tr.CursorAt([]*Node{top, e})
		require.True(t, ok, "entry %d", i)
		require.True(t, cur.Same(walk), "entry %d", i)
		leaf, ok := tr.CursorAt([]*Node{top, e, e.Child(sc.mtu)})
		require.True(t, ok)
		require.True(t, walk.ToFirstChild())
		require.True(t, walk.ToNextSibling())
		require.True(t, leaf.Same(walk), "mtu of entry %d", i)
		walk.ToParent()
		if i < 9_999 {
			require.True(t, walk.ToNextSibling())
		}
	}
	require.False(t, walk.ToNextSibling())
}

func BenchmarkCursorAt100k(b *testing.B) {
	sc := ifs(b)
	tr := bigList(b, 100_000)
	top := tr.Root().Child(sc.ifs)
	e := top.Entry(sc.list, fmt.Sprintf("eth%d", 54_321))
	path := []*Node{top, e, e.Child(sc.mtu)}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := tr.CursorAt(path); !ok {
			b.Fatal("not found")
		}
	}
}

func ExampleTree_CursorAt() {
	set, err := schema.Load(schema.Options{})
	if err != nil {
		panic(err)
	}
	ifsS := set.Top(nsIf, "interfaces")
	list := ifsS.Child(nsIf, "interface")
	name, mtu := list.Child(nsIf, "name"), list.Child(nsIf, "mtu")
	top := NewInner(ifsS)
	for _, n := range []string{"eth0", "eth1", "eth2"} {
		top, _ = top.WithEntry(NewInner(list).With(NewLeaf(name, n)).With(NewLeaf(mtu, "1500")), Position{})
	}
	tr := New(set)
	tr = tr.WithRoot(tr.Root().With(top))

	e := top.Entry(list, "eth2")
	cur, ok := tr.CursorAt([]*Node{top, e, e.Child(mtu)})
	fmt.Println(ok, cur.Depth(), cur.Node().Value())
	cur.ToParent()
	cur.ToPrevSibling()
	fmt.Println(cur.Node().Keys())
	// Output:
	// true 3 1500
	// [eth1]
}
