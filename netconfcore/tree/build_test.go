package tree

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// withEach is the reference for NewInnerWith and WithAll: With for each
// kid in turn.
func withEach(n *Node, kids ...*Node) *Node {
	for _, k := range kids {
		n = n.With(k)
	}
	return n
}

func TestNewInnerWithAndWithAll(t *testing.T) {
	sc := ifs(t)
	name, mtu, mtu2, typ := NewLeaf(sc.name, "eth0"), NewLeaf(sc.mtu, "1500"), NewLeaf(sc.mtu, "9000"), NewLeaf(sc.typ, "ext:ethernet")
	en := NewLeaf(sc.enabled, "false")
	tests := []struct {
		name string
		base []*Node
		kids []*Node
	}{
		{name: "none"},
		{name: "in order", kids: []*Node{name, typ, mtu}},
		{name: "out of order", kids: []*Node{mtu, name, typ}},
		{name: "last of one schema node wins", kids: []*Node{mtu, name, mtu2}},
		{name: "twice in order", kids: []*Node{name, mtu2, mtu}},
		{name: "into existing", base: []*Node{name, mtu}, kids: []*Node{typ, mtu2}},
		{name: "interleaved", base: []*Node{name, en}, kids: []*Node{mtu, typ}},
		{name: "unchanged", base: []*Node{name, mtu}, kids: []*Node{mtu}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := withEach(NewInner(sc.list), tt.kids...)
			if tt.base == nil {
				got := NewInnerWith(sc.list, tt.kids...)
				require.True(t, Equal(want, got))
				require.Equal(t, len(want.kids), len(got.kids))
			}
			base := withEach(NewInner(sc.list), tt.base...)
			want = withEach(base, tt.kids...)
			got := base.WithAll(tt.kids...)
			require.True(t, Equal(want, got))
			require.Equal(t, len(want.kids), cap(got.kids))
			if want == base {
				require.Same(t, base, got)
			}
		})
	}
}

func TestNewInnerWithCopiesKids(t *testing.T) {
	sc := ifs(t)
	kids := []*Node{NewLeaf(sc.name, "eth0"), NewLeaf(sc.mtu, "1500")}
	n := NewInnerWith(sc.list, kids...)
	kids[1] = NewLeaf(sc.mtu, "9000")
	require.Equal(t, "1500", n.Child(sc.mtu).Value())
}

func TestWithEntriesAddedToEmpty(t *testing.T) {
	sc := ifs(t)
	usr := set(t).Top(nsUsr, "system").Child(nsUsr, "authentication").Child(nsUsr, "user")
	user := func(name string) *Node { return NewInnerWith(usr, NewLeaf(usr.Keys[0], name)) }
	for _, tt := range []struct {
		name    string
		entries []*Node
		ok      bool
	}{
		{name: "distinct", entries: []*Node{entry(sc, "b"), entry(sc, "a"), entry(sc, "c")}, ok: true},
		{name: "duplicate", entries: []*Node{entry(sc, "b"), entry(sc, "a"), entry(sc, "b")}},
		{name: "user ordered", entries: []*Node{user("b"), user("a")}, ok: true},
		{name: "user ordered duplicate", entries: []*Node{user("b"), user("b")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.entries[0].Schema()
			base := NewInner(s.Parent)
			got, ok := base.WithEntriesAdded(s, tt.entries)
			require.Equal(t, tt.ok, ok)
			if !ok {
				require.Same(t, base, got)
				return
			}
			require.True(t, Equal(base.WithEntries(s, tt.entries), got))
			for i := range tt.entries {
				// User order keeps the given order; system order sorts.
				require.Equal(t, tt.entries[i].Keys(), got.Entry(s, tt.entries[i].Keys()...).Keys())
			}
		})
	}
}

func BenchmarkNewInnerWith(b *testing.B) {
	sc := ifs(b)
	kids := []*Node{NewLeaf(sc.name, "eth0"), NewLeaf(sc.typ, "ext:ethernet"), NewLeaf(sc.enabled, "true"), NewLeaf(sc.mtu, "1500")}
	b.ReportAllocs()
	for b.Loop() {
		NewInnerWith(sc.list, kids...)
	}
}

func BenchmarkWithEntries100k(b *testing.B) {
	sc := ifs(b)
	entries := make([]*Node, 100000)
	for i := range entries {
		entries[i] = NewInnerWith(sc.list, NewLeaf(sc.name, fmt.Sprintf("eth%d", i)))
	}
	base := NewInner(sc.ifs)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := base.WithEntriesAdded(sc.list, entries); !ok {
			b.Fatal("duplicate keys")
		}
	}
}

func TestBatch(t *testing.T) {
	sc := ifs(t)
	values := make([]string, 1000)
	for i := range values {
		values[i] = fmt.Sprint(i)
	}
	var b Batch
	leaves := make([]*Node, len(values))
	entries := make([]*Node, len(values))
	allocs := testing.AllocsPerRun(1, func() {
		for i, v := range values {
			leaves[i] = b.NewLeaf(sc.mtu, v)
			entries[i] = b.NewInnerWith(sc.list, NewLeaf(sc.name, v), leaves[i])
		}
	})
	for i, v := range values {
		require.True(t, Equal(NewLeaf(sc.mtu, v), leaves[i]))
		require.True(t, Equal(withEach(NewInner(sc.list), NewLeaf(sc.name, v), NewLeaf(sc.mtu, v)), entries[i]))
		require.Equal(t, 2, cap(entries[i].kids))
	}
	// 1000 name leaves, then blocks of up to 256 nodes and 1024 kids.
	require.LessOrEqual(t, allocs, float64(1000+16))

	out := b.NewInnerWith(sc.list, NewLeaf(sc.mtu, "1"), NewLeaf(sc.name, "x"))
	require.True(t, Equal(withEach(NewInner(sc.list), NewLeaf(sc.name, "x"), NewLeaf(sc.mtu, "1")), out), "unsorted kids")
}

func TestSortKeys(t *testing.T) {
	sc := ifs(t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 63, 64, 65, 1000} {
		for _, gen := range []func() string{
			func() string { return fmt.Sprintf("eth%d", r.IntN(n)) },
			func() string { return fmt.Sprintf("prefix-shared-by-all-%d", r.IntN(3*n)) },
			func() string { return strings.Repeat("a", r.IntN(12)) + string(rune('a'+r.IntN(3))) },
			func() string { return string([]byte{byte(r.IntN(3)), 0, byte(r.IntN(2))}[:1+r.IntN(3)]) },
		} {
			entries := make([]*Node, n)
			for i := range entries {
				entries[i] = NewInnerWith(sc.list, NewLeaf(sc.name, gen()))
			}
			keys, order := sortKeys(entries)
			want := make([]int, n)
			for i := range want {
				want[i] = i
			}
			slices.SortStableFunc(want, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
			got := make([]int, n)
			for i, o := range order {
				got[i] = int(o.at)
			}
			require.Equal(t, want, got)
		}
	}
}

func TestWBTBlock(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100} {
		ks := make([]int, n)
		vs := make([]string, n)
		for i := range ks {
			ks[i], vs[i] = 2*i, fmt.Sprint(i)
		}
		got, want := wbtBlock(ks, vs), wbtFromSorted(ks, vs)
		require.Equal(t, want.len(), got.len())
		for i := range n {
			require.Equal(t, *want.at(i), *got.at(i)) // same shape: l and r compare equal as trees
		}
	}
}

func TestWithEntriesAdded(t *testing.T) {
	sc := ifs(t)
	usr := set(t).Top(nsUsr, "system").Child(nsUsr, "authentication").Child(nsUsr, "user")
	uid := usr.Child(nsUsr, "uid")
	r := rand.New(rand.NewPCG(7, 8))
	for _, list := range []*schema.Node{sc.list, usr} {
		val := sc.mtu
		if list == usr {
			val = uid
		}
		mk := func(name string, v int) *Node {
			return NewInnerWith(list, NewLeaf(list.Keys[0], name), NewLeaf(val, fmt.Sprint(v)))
		}
		for _, size := range []int{0, 1, 10, 200} {
			for _, added := range []int{0, 1, 5, 30, 400} {
				base := NewInner(list.Parent)
				for i := range size {
					base = mustEntry(t, base, mk(fmt.Sprintf("e%d", r.IntN(2*size)), i), Position{})
				}
				var entries []*Node
				seen := map[string]bool{}
				for i := range added {
					name := fmt.Sprintf("e%d", r.IntN(2*size+added))
					if !seen[name] {
						seen[name] = true
						entries = append(entries, mk(name, 1000+i))
					}
				}
				want := base
				for _, e := range entries {
					want = mustEntry(t, want, e, Position{})
				}
				got, ok := base.WithEntriesAdded(list, entries)
				require.True(t, ok)
				require.True(t, Equal(want, got), "list %s size %d added %d", list.Name, size, added)
				if len(entries) > 0 {
					_, ok = base.WithEntriesAdded(list, append(entries, entries[0]))
					require.False(t, ok, "duplicate keys")
				}
			}
		}
	}
}

func TestNewInnerWithSizes(t *testing.T) {
	sc := ifs(t)
	var leaves []*Node
	for _, c := range sc.list.DataChildren() {
		if c.Kind == schema.Leaf {
			leaves = append(leaves, NewLeaf(c, "x"))
		}
	}
	require.Greater(t, len(leaves), 9)
	for n := range len(leaves) + 1 {
		kids := leaves[:n]
		got := NewInnerWith(sc.list, kids...)
		require.True(t, Equal(withEach(NewInner(sc.list), kids...), got), "%d kids", n)
		require.Equal(t, n, cap(got.kids))
		base := NewInnerWith(sc.list, leaves[0])
		require.True(t, Equal(withEach(base, kids...), base.WithAll(kids...)), "%d kids", n)
	}
}
