package datastore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// editXML wraps body in a <config> with the prefixes the incremental tests
// use: nc (base, for operation attributes) and ext.
func editXML(body string) string {
	return `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:ext="` +
		nsExt + `">` + body + `</config>`
}

// gen builds valid configurations of the validate test schema and random
// edits of them, some of which break a constraint.
type gen struct {
	r *rand.Rand
	n int // entries per list in the base
}

func (g *gen) pct(p int) bool { return g.r.IntN(100) < p }

func (g *gen) ifName() string { return fmt.Sprintf("e%d", g.r.IntN(g.n+2)) }

func (g *gen) itemKey() (string, int) { return fmt.Sprintf("i%d", g.r.IntN(g.n/2+2)), g.r.IntN(2) - 1 }

// base returns a valid configuration with n interfaces, n/2 routes and
// min(n, 50) items.
func (g *gen) base() string {
	var b strings.Builder
	n := g.n
	b.WriteString(`<interfaces xmlns="` + nsIf + `">`)
	for i := range n {
		typ := "ext:ethernet"
		if i%7 == 3 {
			typ = "ext:tunnel"
		}
		fmt.Fprintf(&b, `<interface><name>e%d</name><type>%s</type>`, i, typ)
		if g.pct(70) {
			fmt.Fprintf(&b, `<ifindex>%d</ifindex>`, i+1)
		}
		for t := range g.r.IntN(3) {
			fmt.Fprintf(&b, `<tag>t%d</tag>`, t)
		}
		if g.pct(30) {
			b.WriteString(`<ipv4>` + addresses(g.r.IntN(3)) + `</ipv4>`)
		}
		switch {
		case typ == "ext:tunnel" && g.pct(60):
			b.WriteString(`<tunnel-peer>192.0.2.1</tunnel-peer>`)
		case g.pct(30):
			b.WriteString(`<vlan-id>10</vlan-id>`)
		}
		if i > 0 && g.pct(40) {
			fmt.Fprintf(&b, `<parent-interface>e%d</parent-interface>`, g.r.IntN(i))
		}
		b.WriteString(`</interface>`)
	}
	b.WriteString(`</interfaces><routing xmlns="` + nsRt + `">`)
	for i := range n / 2 {
		fmt.Fprintf(&b, `<route><destination>10.%d.0.0</destination><prefix-length>16</prefix-length><metric>%d</metric>`, i, i)
		for h := range 1 + g.r.IntN(3) {
			fmt.Fprintf(&b, `<next-hop><index>%d</index>`, h)
			if g.pct(60) {
				fmt.Fprintf(&b, `<interface>e%d</interface>`, g.r.IntN(n))
			}
			b.WriteString(`</next-hop>`)
		}
		b.WriteString(`</route>`)
	}
	b.WriteString(`</routing><system xmlns="` + nsUsr + `">`)
	for i := range g.r.IntN(4) {
		fmt.Fprintf(&b, `<name-server>ns%d</name-server>`, i)
	}
	b.WriteString(`<authentication>`)
	for i := range g.r.IntN(4) {
		fmt.Fprintf(&b, `<user><name>u%d</name><uid>%d</uid></user>`, i, i)
	}
	b.WriteString(`</authentication></system>`)
	if g.pct(50) {
		b.WriteString(`<top-mandatory xmlns="` + nsTv + `">x</top-mandatory>`)
	}
	b.WriteString(`<holder xmlns="` + nsTv + `"><inner><need>x</need><must-have><id>1</id></must-have><must-have><id>2</id></must-have>` +
		`<deeper><a>x</a></deeper></inner>`)
	for i := range 1 + g.r.IntN(3) {
		fmt.Fprintf(&b, `<few>%d</few>`, i)
	}
	b.WriteString(`</holder>`)
	items := min(n, 50)
	for i := range items {
		fmt.Fprintf(&b, `<item xmlns="`+nsTv+`"><k1>i%d</k1><k2>%d</k2>`, i/2, i%2-1)
		if g.pct(60) {
			fmt.Fprintf(&b, `<u1>%d</u1>`, i)
		}
		// sub is a non-presence container with a mandatory leaf.
		if g.pct(50) {
			fmt.Fprintf(&b, `<sub><u2>%d</u2><need>x</need></sub>`, g.r.IntN(3))
		} else {
			b.WriteString(`<sub><need>x</need></sub>`)
		}
		if i > 1 && g.pct(40) {
			fmt.Fprintf(&b, `<ref>i%d</ref>`, g.r.IntN(i/2))
		}
		if g.pct(30) {
			b.WriteString(`<abs-ref>0</abs-ref>`)
		}
		if i > 1 {
			for range g.r.IntN(3) {
				fmt.Fprintf(&b, `<refs>i%d</refs>`, g.r.IntN(i/2))
			}
		}
		b.WriteString(g.mode())
		for c := range 1 + g.r.IntN(2) {
			fmt.Fprintf(&b, `<child><n>%d</n>`, c*4)
			if c > 0 && g.pct(50) {
				b.WriteString(`<gated>g</gated>`)
			}
			if g.pct(30) {
				b.WriteString(`<blob><x xmlns="urn:x">1</x></blob>`)
			}
			b.WriteString(`</child>`)
		}
		b.WriteString(`</item>`)
	}
	return b.String()
}

// mode returns a valid case of the mandatory choice of an item.
func (g *gen) mode() string {
	switch g.r.IntN(5) {
	case 0:
		return `<plain>p</plain>`
	case 1:
		return `<complex-id>1</complex-id><scoops>1</scoops>`
	case 2:
		return fmt.Sprintf(`<scoops>%d</scoops>`, g.r.IntN(9))
	case 3:
		return `<cocoa><percent>70</percent></cocoa>`
	}
	return `<shorthand/>`
}

// edit returns a random edit: most keep the configuration valid, many
// break one constraint of some kind.
func (g *gen) edit() string {
	ifs := func(s string) string { return `<interfaces xmlns="` + nsIf + `">` + s + `</interfaces>` }
	rt := func(s string) string { return `<routing xmlns="` + nsRt + `">` + s + `</routing>` }
	hold := func(s string) string { return `<holder xmlns="` + nsTv + `">` + s + `</holder>` }
	item := func(s string) string {
		k1, k2 := g.itemKey()
		return fmt.Sprintf(`<item xmlns="`+nsTv+`"><k1>%s</k1><k2>%d</k2>%s</item>`, k1, k2, s)
	}
	route := func(s string) string {
		return fmt.Sprintf(`<route><destination>10.%d.0.0</destination><prefix-length>16</prefix-length>%s</route>`, g.r.IntN(g.n/2+2), s)
	}
	op := func() string {
		return []string{"merge", "replace", "create", "delete", "remove"}[g.r.IntN(5)]
	}
	switch g.r.IntN(32) {
	case 0:
		s := fmt.Sprintf(`<interface><name>%s</name>`, g.ifName())
		if g.pct(85) {
			s += `<type>ext:ethernet</type>`
		}
		if g.pct(50) {
			s += fmt.Sprintf(`<ifindex>%d</ifindex>`, 1+g.r.IntN(g.n+4))
		}
		if g.pct(30) {
			s += `<parent-interface>` + g.ifName() + `</parent-interface>`
		}
		return ifs(s + `</interface>`)
	case 1:
		return ifs(fmt.Sprintf(`<interface nc:operation="%s"><name>%s</name><type>ext:loopback</type></interface>`, op(), g.ifName()))
	case 2:
		return ifs(fmt.Sprintf(`<interface><name>%s</name><ifindex>%d</ifindex></interface>`, g.ifName(), 1+g.r.IntN(g.n+4)))
	case 3:
		return ifs(fmt.Sprintf(`<interface><name>%s</name><type nc:operation="remove"/></interface>`, g.ifName()))
	case 4:
		t := []string{"ext:tunnel", "ext:ethernet", "ext:loopback"}[g.r.IntN(3)]
		return ifs(fmt.Sprintf(`<interface><name>%s</name><type>%s</type></interface>`, g.ifName(), t))
	case 5:
		return ifs(fmt.Sprintf(`<interface><name>%s</name><tunnel-peer>192.0.2.7</tunnel-peer></interface>`, g.ifName()))
	case 6:
		return ifs(fmt.Sprintf(`<interface><name>%s</name><parent-interface>%s</parent-interface></interface>`, g.ifName(), g.ifName()))
	case 7:
		return ifs(fmt.Sprintf(`<interface><name>%s</name><ipv4>%s</ipv4></interface>`, g.ifName(), addresses(g.r.IntN(18))))
	case 8:
		return ifs(fmt.Sprintf(`<interface><name>%s</name><ipv4><address><ip>10.9.9.9</ip></address></ipv4></interface>`, g.ifName()))
	case 9:
		var s strings.Builder
		for t := range g.r.IntN(10) {
			fmt.Fprintf(&s, `<tag>x%d</tag>`, t)
		}
		return ifs(fmt.Sprintf(`<interface><name>%s</name>%s</interface>`, g.ifName(), s.String()))
	case 10:
		return ifs(fmt.Sprintf(`<interface><name>%s</name><mtu>%d</mtu><description>d</description></interface>`, g.ifName(), 1000+g.r.IntN(100)))
	case 11:
		return rt(route(fmt.Sprintf(`<next-hop nc:operation="%s"><index>%d</index></next-hop>`, op(), g.r.IntN(4))))
	case 12:
		var s strings.Builder
		for h := range g.r.IntN(6) {
			fmt.Fprintf(&s, `<next-hop><index>%d</index><interface>%s</interface></next-hop>`, h, g.ifName())
		}
		return rt(route(s.String()))
	case 13:
		return rt(route(fmt.Sprintf(`<metric>%d</metric><tag>%d</tag>`, g.r.IntN(3), g.r.IntN(2))))
	case 14:
		return rt(fmt.Sprintf(`<route nc:operation="%s"><destination>10.%d.0.0</destination><prefix-length>16</prefix-length><next-hop><index>0</index></next-hop></route>`,
			op(), g.r.IntN(g.n/2+2)))
	case 15:
		return hold(fmt.Sprintf(`<few nc:operation="%s">%d</few>`, op(), g.r.IntN(4)))
	case 16:
		return hold(fmt.Sprintf(`<inner><need nc:operation="%s">y</need></inner>`, op()))
	case 17:
		return hold(fmt.Sprintf(`<inner><deeper><a nc:operation="%s">x</a></deeper></inner>`, op()))
	case 18:
		return hold(fmt.Sprintf(`<inner><must-have nc:operation="%s"><id>%d</id></must-have></inner>`, op(), g.r.IntN(4)))
	case 19:
		return hold(`<optional>` + []string{"", "<need>n</need>"}[g.r.IntN(2)] + `</optional>`)
	case 20:
		return hold(fmt.Sprintf(`<inner nc:operation="%s"><need>x</need><must-have><id>1</id></must-have><must-have><id>2</id></must-have><deeper><b>y</b></deeper></inner>`, op()))
	case 21:
		s := g.mode()
		if g.pct(50) {
			s += `<child><n>0</n></child>`
		}
		return item(s)
	case 22:
		return item(fmt.Sprintf(`<u1>%d</u1>`, g.r.IntN(g.n+2)))
	case 23:
		return item(fmt.Sprintf(`<sub><u2>%d</u2><need>x</need></sub>`, g.r.IntN(3)))
	case 24:
		return item(fmt.Sprintf(`<sub><need nc:operation="%s">x</need></sub>`, op()))
	case 25:
		k1, _ := g.itemKey()
		return item(fmt.Sprintf(`<ref>%s</ref><refs>%s</refs>`, k1, k1))
	case 26:
		return item(fmt.Sprintf(`<abs-ref>%d</abs-ref>`, g.r.IntN(4)))
	case 27:
		return item(fmt.Sprintf(`<child nc:operation="%s"><n>%d</n><gated>g</gated></child>`, op(), g.r.IntN(3)*2))
	case 28:
		k1, k2 := g.itemKey()
		return fmt.Sprintf(`<item xmlns="`+nsTv+`" nc:operation="%s"><k1>%s</k1><k2>%d</k2>%s<child><n>0</n></child></item>`, op(), k1, k2, g.mode())
	case 29:
		return `<top-mandatory xmlns="` + nsTv + `" nc:operation="` + op() + `">y</top-mandatory>`
	case 30:
		return `<system xmlns="` + nsUsr + `">` + fmt.Sprintf(`<name-server>ns%d</name-server>`, g.r.IntN(5)) +
			fmt.Sprintf(`<authentication><user nc:operation="%s"><name>u%d</name></user></authentication>`, op(), g.r.IntN(5)) + `</system>`
	}
	return item(fmt.Sprintf(`<scoops nc:operation="%s">%d</scoops>`, op(), g.r.IntN(9)))
}

// incrementalSays runs the incremental check alone: whether it finds next
// valid without falling back.
func incrementalSays(s *Store, old, next *tree.Tree) bool {
	v := newValidator(context.Background(), next, s.opts.Exprs)
	v.maxErrs = 1
	v.deps = s.depIndex()
	return v.changes(old)
}

// TestValidateChangeDifferential applies random edits to valid bases and
// requires validateChange to return exactly what Validate returns, and the
// incremental check never to call an invalid tree valid.
func TestValidateChangeDifferential(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	set := validateSet(t)
	ctx := context.Background()
	for _, ev := range []struct {
		name  string
		exprs ExprEvaluator
	}{{"plain", nil}, {"xpath", xpath.NewEvaluator()}} {
		t.Run(ev.name, func(t *testing.T) {
			var edits, invalid, fast int
			for _, n := range []int{0, 1, 2, 3, 5, 8, 20, 60, 200} {
				g := &gen{r: r, n: n}
				s, err := Open(ctx, set, Options{Exprs: ev.exprs})
				require.NoError(t, err)
				require.NoError(t, s.Edit(ctx, Running, parse(t, editXML(g.base())), EditOptions{TestOption: Set}))
				require.NoError(t, s.validateFull(ctx, s.Snapshot(Running)), "base n=%d", n)
				e, i, f := differential(t, s, g, r, 150, false)
				edits, invalid, fast = edits+e, invalid+i, fast+f
			}
			t.Logf("%d edits, %d invalid, %d of the valid ones decided incrementally", edits, invalid, fast)
			require.Greater(t, fast, (edits-invalid)/2)
		})
	}
}

// schemaNode finds a data node by its path of names from the top.
func schemaNode(tb testing.TB, set *schema.Set, ns string, names ...string) *schema.Node {
	n := set.Top(ns, names[0])
	for _, name := range names[1:] {
		require.NotNil(tb, n, "%v", names)
		n = n.Child(ns, name)
	}
	require.NotNil(tb, n, "%v", names)
	return n
}

// TestAffected checks which constraints of the example schema a change of
// an instance of each node can affect, with the anchor they are checked
// under.
func TestAffected(t *testing.T) {
	set := testSet(t)
	x := newDepIndex(set)
	cases := []struct {
		path []string
		ns   string
		want string // owner@anchor, sorted
	}{
		{ns: nsIf, path: []string{"interfaces", "interface"},
			want: "ipv4@3 next-hop/interface@0 parent-interface@1 parent-interface@2 tunnel-peer@2"},
		{ns: nsIf, path: []string{"interfaces", "interface", "name"},
			want: "next-hop/interface@0 parent-interface@1 parent-interface@2"},
		{ns: nsIf, path: []string{"interfaces", "interface", "mtu"}, want: ""},
		{ns: nsIf, path: []string{"interfaces", "interface", "type"}, want: "tunnel-peer@2"},
		// The when of tunnel-peer, in the same choice, reads only ../type.
		{ns: nsIf, path: []string{"interfaces", "interface", "vlan-id"}, want: ""},
		{ns: nsIf, path: []string{"interfaces", "interface", "ipv4", "address"}, want: "ipv4@3"},
		{ns: nsIf, path: []string{"interfaces", "interface", "ipv4", "address", "ip"}, want: "ipv4@3"},
		{ns: nsRt, path: []string{"routing", "route", "next-hop", "interface"}, want: ""},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.path, "/"), func(t *testing.T) {
			var got []string
			for _, d := range x.affected(schemaNode(t, set, tc.ns, tc.path...)) {
				name := d.owner.Name
				if d.owner.Name == "interface" && d.owner.Kind == schema.Leaf {
					name = "next-hop/interface"
				}
				got = append(got, fmt.Sprintf("%s@%d", name, d.anchor))
			}
			slices.Sort(got)
			require.Equal(t, tc.want, strings.Join(got, " "))
		})
	}
}

// FuzzValidateChange drives the differential comparison from fuzz bytes:
// they choose the base size and seed the random edits.
func FuzzValidateChange(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3})
	f.Add([]byte{7, 42, 0, 0, 0, 0, 0, 9})
	f.Add([]byte("\x14incremental"))
	set := validateSet(f)
	exprs := xpath.NewEvaluator()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		var seed uint64
		for _, b := range data[1:] {
			seed = seed*131 + uint64(b)
		}
		g := &gen{r: rand.New(rand.NewPCG(seed, uint64(len(data)))), n: int(data[0] % 24)}
		ctx := context.Background()
		s, err := Open(ctx, set, Options{Exprs: exprs})
		require.NoError(t, err)
		require.NoError(t, s.Edit(ctx, Running, parse(t, editXML(g.base())), EditOptions{TestOption: Set}))
		base := s.Snapshot(Running)
		require.NoError(t, s.validateFull(ctx, base))
		for range 1 + int(data[0]/24)%4 {
			if err := s.Edit(ctx, Running, parse(t, editXML(g.edit())), EditOptions{TestOption: Set}); err != nil {
				continue
			}
		}
		next := s.Snapshot(Running)
		require.Equal(t, s.validateFull(ctx, next), s.validateChange(ctx, base, next))
	})
}

const nsTi = "urn:ncsoap:test:incremental"

// incGen builds random configurations and edits of the incremental test
// module.
type incGen struct {
	r *rand.Rand
	n int
}

func (g *incGen) name() string { return fmt.Sprintf("t%d", g.r.IntN(g.n+2)) }

func (g *incGen) thing(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<thing><name>%s</name><enabled>%v</enabled>`, name, g.r.IntN(4) > 0)
	opt := func(s string) {
		if g.r.IntN(3) == 0 {
			b.WriteString(s)
		}
	}
	opt(`<peer>` + g.name() + `</peer>`)
	opt(`<needs-auto/>`)
	opt(`<first/>`)
	opt(`<boxed/>`)
	opt(`<wild>w</wild>`)
	opt(`<tag>` + g.name() + `</tag>`)
	opt(`<tagref>` + g.name() + `</tagref>`)
	opt(`<local><item>x</item></local>`)
	b.WriteString(`</thing>`)
	return b.String()
}

func (g *incGen) base() string {
	var b strings.Builder
	b.WriteString(`<settings xmlns="` + nsTi + `">`)
	switch g.r.IntN(3) {
	case 0:
		fmt.Fprintf(&b, `<level>%d</level>`, g.r.IntN(4))
	case 1:
		b.WriteString(`<fixed>1</fixed>`)
	}
	for _, o := range []string{"a", "b", "c"}[:g.r.IntN(4)] {
		b.WriteString(`<order>` + o + `</order>`)
	}
	b.WriteString(`<box><a>x</a></box></settings>`)
	for i := range g.n {
		b.WriteString(`<thing xmlns="` + nsTi + `">` + strings.TrimPrefix(g.thing(fmt.Sprintf("t%d", i)), `<thing>`))
	}
	return b.String()
}

func (g *incGen) edit() string {
	set := func(s string) string { return `<settings xmlns="` + nsTi + `">` + s + `</settings>` }
	th := func(s string) string {
		return `<thing xmlns="` + nsTi + `"><name>` + g.name() + `</name>` + s + `</thing>`
	}
	switch g.r.IntN(14) {
	case 0:
		return set(`<fixed>2</fixed>`)
	case 1:
		return set(fmt.Sprintf(`<level>%d</level>`, g.r.IntN(4)))
	case 2:
		return set(`<level nc:operation="remove"/><fixed nc:operation="remove"/>`)
	case 3:
		o := []string{"a", "b", "c", "d"}[g.r.IntN(4)]
		return set(`<order xmlns:yang="urn:ietf:params:xml:ns:yang:1" yang:insert="first">` + o + `</order>`)
	case 4:
		return set(`<order nc:operation="remove">` + []string{"a", "b", "c"}[g.r.IntN(3)] + `</order>`)
	case 5:
		return set(`<box><b>` + []string{"y", "z"}[g.r.IntN(2)] + `</b></box>`)
	case 6:
		return set(`<box nc:operation="remove"/>`)
	case 7:
		return th(`<enabled>` + []string{"true", "false"}[g.r.IntN(2)] + `</enabled>`)
	case 8:
		return th(`<tag>` + g.name() + `</tag>`)
	case 9:
		return th(`<tag nc:operation="remove">` + g.name() + `</tag>`)
	case 10:
		return `<thing xmlns="` + nsTi + `" nc:operation="remove"><name>` + g.name() + `</name></thing>`
	case 11:
		return th(`<local><item>` + g.name() + `</item></local>`)
	case 12:
		return `<thing xmlns="` + nsTi + `">` + strings.TrimPrefix(g.thing(g.name()), `<thing>`)
	}
	return th(`<peer>` + g.name() + `</peer>`)
}

// TestValidateChangeDependencies runs the differential comparison on the
// incremental test module, whose constraints read across entries, through
// choice defaults, user order and string-values.
func TestValidateChangeDependencies(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	set, err := schema.Load(schema.Options{Dirs: []string{"testdata/incremental"}})
	require.NoError(t, err)
	ctx := context.Background()
	var edits, invalid, fast int
	for _, n := range []int{0, 1, 2, 4, 8, 30} {
		for range 20 {
			g := &incGen{r: r, n: n}
			s, err := Open(ctx, set, Options{Exprs: xpath.NewEvaluator()})
			require.NoError(t, err)
			require.NoError(t, s.Edit(ctx, Running, parse(t, editXML(g.base())), EditOptions{TestOption: Set}))
			e, i, f := differential(t, s, g, r, 30, false)
			edits, invalid, fast = edits+e, invalid+i, fast+f
		}
	}
	t.Logf("%d edits, %d invalid, %d of the valid ones decided incrementally", edits, invalid, fast)
	require.Greater(t, invalid, edits/20)
}

// TestOpenValidatesRunning checks that a valid running loaded by Open is
// known valid, so that the first edit is validated incrementally, and
// that an invalid one is not.
func TestOpenValidatesRunning(t *testing.T) {
	s := newStore(t, Options{Initial: schema.SampleConfig()})
	require.Same(t, s.Snapshot(Running), s.valid[Running])

	invalid := newStore(t, Options{Initial: []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` +
		ifsXML(`<interface><name>eth0</name></interface>`) + `</config>`)}) // no mandatory type
	require.Nil(t, invalid.valid[Running])
}

// TestValidateFromKnownValid checks that Validate, which starts from the
// last snapshot known valid, answers exactly like a full validation for
// candidates derived from a valid running, valid or not.
func TestValidateFromKnownValid(t *testing.T) {
	ctx := context.Background()
	for _, body := range []string{
		ifsXML(`<interface><name>eth9</name><type>ext:ethernet</type><ifindex>9</ifindex></interface>`),
		ifsXML(`<interface><name>eth9</name><type>ext:ethernet</type><ifindex>1</ifindex></interface>`), // unique ifindex
		ifsXML(`<interface><name>eth9</name></interface>`),                                              // no mandatory type
		ifsXML(`<interface nc:operation="delete"><name>eth0</name></interface>`),                        // a leafref target
	} {
		s := newStore(t, Options{Initial: schema.SampleConfig(), Exprs: xpath.NewEvaluator()})
		require.NoError(t, s.Edit(ctx, Candidate, config(t, body), EditOptions{}))
		cand := s.Snapshot(Candidate)
		require.Equal(t, s.validateFull(ctx, cand), s.Validate(ctx, cand), "%s", body)
	}
}

// BenchmarkValidateCandidate100k validates a candidate that differs from
// a valid 100,000-entry running in one leaf, as commit does.
func BenchmarkValidateCandidate100k(b *testing.B) {
	ctx := context.Background()
	s := loadedStore(b, benchEntries)
	require.NoError(b, s.validateFull(ctx, s.Snapshot(Running)))
	require.NoError(b, s.Replace(ctx, Candidate, s.Snapshot(Running)))
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		body := ifsXML(fmt.Sprintf(`<interface><name>eth500</name><mtu>%d</mtu></interface>`, 1400+i%2))
		require.NoError(b, s.Edit(ctx, Candidate, config(b, body), EditOptions{}))
		require.NoError(b, s.Validate(ctx, s.Snapshot(Candidate)))
	}
}

const nsTu = "urn:ncsoap:test:unique"

// uniqueModule has unique statements over several leaves, in a container,
// in a list nested in another list and in an ordered-by-user list.
const uniqueModule = `module ncsoap-test-unique {
  yang-version 1.1;
  namespace "` + nsTu + `";
  prefix tu;
  list outer {
    key "id";
    leaf id { type string; }
    leaf label { type string; }
    list inner {
      key "k";
      unique "a b/c";
      unique "d";
      leaf k { type int32; }
      leaf a { type string; }
      container b { leaf c { type string; } }
      leaf d { type string; }
    }
  }
  container flat {
    leaf note { type string; }
    list e {
      key "k";
      ordered-by user;
      unique "v";
      leaf k { type string; }
      leaf v { type string; }
    }
  }
}
`

// uniqueGen builds configurations and edits of uniqueModule whose values
// come from small sets, so that entries often share them or lack some.
type uniqueGen struct {
	r *rand.Rand
	n int
}

func (g *uniqueGen) val() string { return []string{"x", "y", "z"}[g.r.IntN(3)] }

func (g *uniqueGen) opt(s string) string {
	if g.r.IntN(3) == 0 {
		return ""
	}
	return s
}

func (g *uniqueGen) inner(k int) string {
	return fmt.Sprintf(`<inner><k>%d</k>%s%s%s</inner>`, k, g.opt(`<a>`+g.val()+`</a>`),
		g.opt(`<b><c>`+g.val()+`</c></b>`), g.opt(fmt.Sprintf(`<d>%d</d>`, g.r.IntN(2*g.n+2))))
}

func (g *uniqueGen) outerID() string { return fmt.Sprintf("o%d", g.r.IntN(3)) }

func (g *uniqueGen) base() string {
	var b strings.Builder
	for o := range 3 {
		fmt.Fprintf(&b, `<outer xmlns="`+nsTu+`"><id>o%d</id>`, o)
		for k := range g.n {
			b.WriteString(g.inner(k))
		}
		b.WriteString(`</outer>`)
	}
	b.WriteString(`<flat xmlns="` + nsTu + `">`)
	for k := range g.n {
		fmt.Fprintf(&b, `<e><k>e%d</k>%s</e>`, k, g.opt(fmt.Sprintf(`<v>%d</v>`, k)))
	}
	b.WriteString(`</flat>`)
	return b.String()
}

// edit changes one or several entries at once: several changed entries
// can collide with each other, swap values, or lose a unique leaf.
func (g *uniqueGen) edit() string {
	outer := func(s string) string {
		return `<outer xmlns="` + nsTu + `"><id>` + g.outerID() + `</id>` + s + `</outer>`
	}
	k := func() int { return g.r.IntN(g.n + 2) }
	op := func() string { return []string{"merge", "replace", "create", "delete", "remove"}[g.r.IntN(5)] }
	var b strings.Builder
	switch g.r.IntN(10) {
	case 0, 1:
		for range 1 + g.r.IntN(3) {
			b.WriteString(g.inner(k()))
		}
		return outer(b.String())
	case 2:
		for range 1 + g.r.IntN(3) {
			fmt.Fprintf(&b, `<inner><k>%d</k><a>%s</a></inner>`, k(), g.val())
		}
		return outer(b.String())
	case 3:
		fmt.Fprintf(&b, `<inner><k>%d</k><b><c nc:operation="%s">%s</c></b></inner>`, k(), op(), g.val())
		fmt.Fprintf(&b, `<inner><k>%d</k><d nc:operation="%s">%d</d></inner>`, k(), op(), g.r.IntN(2*g.n+2))
		return outer(b.String())
	case 4:
		fmt.Fprintf(&b, `<inner nc:operation="%s"><k>%d</k></inner>`, op(), k())
		return outer(b.String())
	case 5:
		return outer(`<label>` + g.val() + `</label>`)
	case 6:
		var in strings.Builder
		for i := range g.r.IntN(g.n + 1) {
			in.WriteString(g.inner(i))
		}
		return fmt.Sprintf(`<outer xmlns="`+nsTu+`" nc:operation="%s"><id>%s</id>%s</outer>`, op(), g.outerID(), in.String())
	case 7:
		for range 1 + g.r.IntN(3) {
			fmt.Fprintf(&b, `<e><k>e%d</k><v>%d</v></e>`, k(), g.r.IntN(g.n+2))
		}
		return `<flat xmlns="` + nsTu + `">` + b.String() + `</flat>`
	case 8:
		return fmt.Sprintf(`<flat xmlns="`+nsTu+`"><note>n</note><e xmlns:yang="urn:ietf:params:xml:ns:yang:1" yang:insert="first" nc:operation="%s"><k>e%d</k></e></flat>`,
			op(), k())
	}
	return fmt.Sprintf(`<flat xmlns="`+nsTu+`"><e><k>e%d</k><v nc:operation="%s">%d</v></e></flat>`, k(), op(), g.r.IntN(g.n+2))
}

// TestValidateChangeUnique runs the differential comparison on unique
// statements, validating each edit against the base it was made from and
// against an older valid base, so that the unique cache follows
// differences forwards and backwards over several edits.
func TestValidateChangeUnique(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 3))
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ncsoap-test-unique.yang"), []byte(uniqueModule), 0o644))
	set, err := schema.Load(schema.Options{Dirs: []string{dir}})
	require.NoError(t, err)
	ctx := context.Background()
	var edits, invalid, fast int
	for _, n := range []int{1, 2, 4, 8, 30} {
		for range 10 {
			g := &uniqueGen{r: r, n: n}
			s, err := Open(ctx, set, Options{})
			require.NoError(t, err)
			if s.Edit(ctx, Running, parse(t, editXML(g.base())), EditOptions{TestOption: Set}) != nil {
				continue
			}
			e, i, f := differential(t, s, g, r, 40, true)
			edits, invalid, fast = edits+e, invalid+i, fast+f
		}
	}
	t.Logf("%d edits, %d invalid, %d of the valid ones decided incrementally", edits, invalid, fast)
	require.Greater(t, invalid, edits/10)
	require.Greater(t, fast, (edits-invalid)/2)
}

// editGen generates edit bodies for the differential tests.
type editGen interface{ edit() string }

// differential applies rounds edits from g to running of s, whose content
// is the base, and requires validateChange from the last valid snapshot
// (and, with older, from a random earlier valid one) to equal
// validateFull. It returns the edits compared, how many gave an invalid
// tree, and how many valid ones were decided incrementally.
func differential(t *testing.T, s *Store, g editGen, r *rand.Rand, rounds int, older bool) (edits, invalid, fast int) {
	ctx := context.Background()
	base := s.Snapshot(Running)
	if s.validateFull(ctx, base) != nil {
		return 0, 0, 0
	}
	bases := []*tree.Tree{base}
	for range rounds {
		src := editXML(g.edit())
		if err := s.Edit(ctx, Running, parse(t, src), EditOptions{TestOption: Set}); err != nil {
			continue
		}
		next := s.Snapshot(Running)
		want := s.validateFull(ctx, next)
		require.Equal(t, want, s.validateChange(ctx, base, next), "edit %s", src)
		if older {
			from := bases[r.IntN(len(bases))]
			require.Equal(t, want, s.validateChange(ctx, from, next), "edit %s from an older base", src)
		}
		ok := incrementalSays(s, base, next)
		require.False(t, ok && want != nil, "incremental check calls an invalid tree valid: edit %s: %v", src, want)
		edits++
		switch {
		case want != nil:
			invalid++
			require.NoError(t, s.Replace(ctx, Running, base))
		case ok:
			fast++
			fallthrough
		default:
			base = next
			bases = append(bases, next)
		}
	}
	return edits, invalid, fast
}
