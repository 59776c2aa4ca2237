package datastore

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

var updateGolden = flag.Bool("update", false, "rewrite the validation golden files")

const nsTv = "urn:ncsoap:test:validate"

// validateSet loads the example modules and the test module with the
// constraints the examples lack.
func validateSet(tb testing.TB) *schema.Set {
	set, err := schema.Load(schema.Options{Dirs: []string{"testdata/validate"}})
	require.NoError(tb, err)
	return set
}

// hashExprs is an ExprEvaluator whose answers depend only on the
// expression and the context node's path, and that logs every call.
type hashExprs struct{ log strings.Builder }

func (h *hashExprs) EvalBool(_ context.Context, _ *tree.Tree, at *tree.Cursor, x *schema.Expr) (bool, error) {
	var p strings.Builder
	for _, n := range at.Path() {
		fmt.Fprintf(&p, "/%s%q%q", n.Schema().Name, n.Keys(), n.Value())
	}
	fmt.Fprintf(&h.log, "eval %s at %s\n", x.XPath, p.String())
	f := fnv.New32a()
	f.Write([]byte(x.XPath + p.String()))
	switch f.Sum32() % 13 {
	case 0:
		return false, fmt.Errorf("hash error")
	case 1, 2, 3:
		return false, nil
	}
	return true, nil
}

// randomConfig returns a <config> with n entries per list and random
// violations of every kind of constraint Validate checks.
func randomConfig(r *rand.Rand, n int) string {
	var b strings.Builder
	pct := func(p int) bool { return r.IntN(100) < p }
	b.WriteString(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:ext="` + nsExt + `">`)
	b.WriteString(`<interfaces xmlns="` + nsIf + `">`)
	for i := range n {
		fmt.Fprintf(&b, `<interface><name>e%d</name>`, i)
		if !pct(10) {
			b.WriteString(`<type>ext:ethernet</type>`)
		}
		if pct(70) {
			fmt.Fprintf(&b, `<ifindex>%d</ifindex>`, 1+r.IntN(4*n))
		}
		for t := range r.IntN(10) * r.IntN(2) {
			fmt.Fprintf(&b, `<tag>t%d</tag>`, t)
		}
		if pct(30) {
			b.WriteString(`<ipv4>`)
			for a := range r.IntN(3) {
				fmt.Fprintf(&b, `<address><ip>10.0.0.%d</ip>`, a+1)
				if pct(80) {
					b.WriteString(`<prefix-length>24</prefix-length>`)
				}
				b.WriteString(`</address>`)
			}
			b.WriteString(`</ipv4>`)
		}
		switch r.IntN(4) {
		case 0:
			b.WriteString(`<vlan-id>10</vlan-id>`)
		case 1:
			b.WriteString(`<tunnel-peer>192.0.2.1</tunnel-peer>`)
		}
		if pct(40) {
			fmt.Fprintf(&b, `<parent-interface>e%d</parent-interface>`, r.IntN(n+2))
		}
		b.WriteString(`</interface>`)
	}
	b.WriteString(`</interfaces>`)
	if pct(80) {
		b.WriteString(`<routing xmlns="` + nsRt + `">`)
		for i := range n / 2 {
			fmt.Fprintf(&b, `<route><destination>10.%d.0.0</destination><prefix-length>16</prefix-length>`, i)
			if pct(50) {
				fmt.Fprintf(&b, `<metric>%d</metric>`, r.IntN(3))
			}
			if pct(50) {
				fmt.Fprintf(&b, `<tag>%d</tag>`, r.IntN(3))
			}
			for h := range r.IntN(6) {
				fmt.Fprintf(&b, `<next-hop><index>%d</index>`, h)
				if pct(60) {
					fmt.Fprintf(&b, `<interface>e%d</interface>`, r.IntN(n+2))
				}
				b.WriteString(`</next-hop>`)
			}
			b.WriteString(`</route>`)
		}
		b.WriteString(`</routing>`)
	}
	if pct(70) {
		b.WriteString(`<system xmlns="` + nsUsr + `">`)
		for i := range r.IntN(5) {
			fmt.Fprintf(&b, `<name-server>ns%d</name-server>`, i)
		}
		b.WriteString(`<authentication>`)
		for i := range r.IntN(4) {
			fmt.Fprintf(&b, `<user><name>u%d</name>`, i)
			if pct(70) {
				fmt.Fprintf(&b, `<uid>%d</uid>`, i)
			}
			b.WriteString(`</user>`)
		}
		b.WriteString(`</authentication>`)
		if pct(30) {
			b.WriteString(`<monitor><interval>5</interval></monitor>`)
		}
		b.WriteString(`</system>`)
	}
	if pct(50) {
		b.WriteString(`<top-mandatory xmlns="` + nsTv + `">x</top-mandatory>`)
	}
	if pct(70) {
		b.WriteString(`<holder xmlns="` + nsTv + `">`)
		if pct(60) {
			b.WriteString(`<inner>`)
			if pct(50) {
				b.WriteString(`<need>x</need>`)
			}
			for i := range r.IntN(4) {
				fmt.Fprintf(&b, `<must-have><id>%d</id></must-have>`, i)
			}
			if pct(50) {
				b.WriteString(`<deeper><a>x</a></deeper>`)
			}
			b.WriteString(`</inner>`)
		}
		if pct(30) {
			b.WriteString(`<optional/>`)
		}
		for i := range r.IntN(5) {
			fmt.Fprintf(&b, `<few>%d</few>`, i)
		}
		b.WriteString(`</holder>`)
	}
	for i := range n {
		fmt.Fprintf(&b, `<item xmlns="`+nsTv+`"><k1>i%d</k1><k2>%d</k2>`, i/2, i%2-1)
		if pct(60) {
			fmt.Fprintf(&b, `<u1>%d</u1>`, r.IntN(4))
		}
		if pct(60) {
			b.WriteString(`<sub>`)
			if pct(60) {
				fmt.Fprintf(&b, `<u2>%d</u2>`, r.IntN(4))
			}
			if pct(50) {
				b.WriteString(`<need>x</need>`)
			}
			b.WriteString(`</sub>`)
		}
		if pct(40) {
			fmt.Fprintf(&b, `<ref>i%d</ref>`, r.IntN(n))
		}
		if pct(30) {
			fmt.Fprintf(&b, `<abs-ref>%d</abs-ref>`, r.IntN(5))
		}
		for range r.IntN(3) {
			fmt.Fprintf(&b, `<refs>i%d</refs>`, r.IntN(n))
		}
		switch r.IntN(6) {
		case 0:
			b.WriteString(`<plain>p</plain>`)
		case 1:
			b.WriteString(`<complex-id>1</complex-id>`)
		case 2:
			fmt.Fprintf(&b, `<scoops>%d</scoops>`, r.IntN(9))
		case 3:
			b.WriteString(`<cocoa/>`)
		case 4:
			b.WriteString(`<shorthand/>`)
		}
		for c := range r.IntN(4) {
			fmt.Fprintf(&b, `<child><n>%d</n>`, c*2)
			if pct(50) {
				b.WriteString(`<gated>g</gated>`)
			}
			if pct(30) {
				b.WriteString(`<blob><x xmlns="urn:x">1</x></blob>`)
			}
			b.WriteString(`</child>`)
		}
		b.WriteString(`</item>`)
	}
	b.WriteString(`</config>`)
	return b.String()
}

// TestValidateGolden validates random trees full of violations, with and
// without an expression evaluator, and compares every error (in order,
// with its path, tags and info) and every expression evaluation (in order,
// with its context node) against golden files.
func TestValidateGolden(t *testing.T) {
	set := validateSet(t)
	sizes := []int{0, 1, 2, 3, 5, 8, 13, 21, 40, 60, 100, 300}
	for seed, n := range sizes {
		t.Run(fmt.Sprintf("seed%d-n%d", seed, n), func(t *testing.T) {
			ctx := context.Background()
			src := randomConfig(rand.New(rand.NewPCG(uint64(seed), 7)), n)
			var got strings.Builder
			for _, withExprs := range []bool{false, true} {
				ev := &hashExprs{}
				opts := Options{}
				if withExprs {
					opts.Exprs = ev
				}
				s, err := Open(ctx, set, opts)
				require.NoError(t, err)
				require.NoError(t, s.Edit(ctx, Running, parse(t, src), EditOptions{TestOption: Set}))
				err = s.Validate(ctx, s.Snapshot(Running))
				fmt.Fprintf(&got, "== exprs %v\n", withExprs)
				for _, e := range rpcerror.Errors(err) {
					_, werr := e.WriteTo(&got)
					require.NoError(t, werr)
					got.WriteByte('\n')
				}
				got.WriteString(ev.log.String())
			}
			file := filepath.Join("testdata", "validate", fmt.Sprintf("golden-%d.txt", seed))
			if *updateGolden {
				require.NoError(t, os.WriteFile(file, []byte(got.String()), 0o644))
			}
			want, err := os.ReadFile(file)
			require.NoError(t, err)
			require.Equal(t, string(want), got.String())
		})
	}
}
