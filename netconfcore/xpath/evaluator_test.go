package xpath_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// cursorAt returns a cursor on the node reached from the root by
// following children with the given local names; a name followed by
// "=value" picks the list entry whose first key (or leaf-list value) is
// value.
func cursorAt(t testing.TB, tr *tree.Tree, steps ...string) *tree.Cursor {
	c := tr.Cursor()
	for _, st := range steps {
		name, want, keyed := cut(st)
		require.True(t, c.ToFirstChild(), "no children for %s", st)
		for {
			n := c.Node()
			if n.Schema().Name == name && (!keyed || keyOf(n) == want) {
				break
			}
			require.True(t, c.ToNextSibling(), "no node %s", st)
		}
	}
	return c
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func keyOf(n *tree.Node) string {
	if ks := n.Keys(); len(ks) > 0 {
		return ks[0]
	}
	return n.Value()
}

func TestEvalBool(t *testing.T) {
	tr := sampleTree(t)
	set := tr.Schema()
	ifm := set.Module("ncsoap-example-interfaces")
	rtm := set.Module("ncsoap-example-routing")
	eth0 := []string{"interfaces", "interface=eth0"}
	eth1 := []string{"interfaces", "interface=eth1"}
	cases := []struct {
		name string
		at   []string
		expr string
		mod  *schema.Module
		want bool
		err  string
	}{
		{name: "relative leaf", at: eth0, expr: "mtu = 9000", want: true},
		{name: "unprefixed names are the module's", at: eth0, expr: "count(ipv4/address) = 1", want: true},
		{name: "module prefix", at: eth0, expr: "exif:name = 'eth0'", want: true},
		{name: "parent axis", at: append(eth1, "parent-interface"), expr: ". != ../name", want: true},
		{name: "absolute path", at: eth0, expr: "/exif:interfaces/exif:interface[exif:name = 'lo']/exif:ifindex = 3", want: true},
		{name: "current in predicate", at: append(eth1, "parent-interface"),
			expr: "../../interface[name = current()]/mtu = 9000", want: true},
		{name: "current path step", at: append(eth1, "parent-interface"), expr: "current()/../ifindex = 2", want: true},
		{name: "current in leaf-list", at: append(eth0, "tag=uplink"), expr: "current() = 'uplink' and count(../tag[. = current()]) = 1", want: true},
		{name: "current with both quotes", at: eth0, expr: "current()/name = 'eth0'", want: true},
		{name: "derived-from strict", at: eth1, expr: "derived-from(type, 'ext:ethernet')", want: true},
		{name: "derived-from not self", at: eth0, expr: "derived-from(type, 'ext:ethernet')", want: false},
		{name: "derived-from-or-self", at: eth0, expr: "derived-from-or-self(type, 'ext:ethernet')", want: true},
		{name: "derived-from other branch", at: eth0, expr: "derived-from-or-self(../interface[name='lo']/type, 'ext:tunnel')", want: false},
		{name: "derived-from on a non-identity", at: eth0, expr: "derived-from(name, 'ext:ethernet')", want: false},
		{name: "cross-module prefix", at: []string{"routing"}, mod: rtm,
			expr: "count(route/next-hop[interface = /exif:interfaces/exif:interface/exif:name]) = 2", want: true},
		{name: "number result", at: eth0, expr: "count(tag)", want: true},
		{name: "string result", at: eth0, expr: "description", want: true},
		{name: "empty node-set", at: eth0, expr: "nothing-here", want: false},
		{name: "unknown prefix", at: eth0, expr: "zz:name", err: `unknown prefix "zz"`},
		{name: "syntax error", at: eth0, expr: "name = = 1", err: "xpath:"},
		{name: "unknown identity", at: eth0, expr: "derived-from(type, 'ext:nope')", err: "unknown identity"},
		{name: "derived-from arity", at: eth0, expr: "derived-from(type)", err: "two arguments"},
		{name: "derived-from non-literal", at: eth0, expr: "derived-from(type, name)", err: "string literal"},
		{name: "current with argument", at: eth0, expr: "current(1)", err: "no arguments"},
		// RFC 7950 §6.4.1: defaults in use and non-presence containers are in
		// the accessible tree.
		{name: "default leaf", at: eth1, expr: "mtu = 1500 and enabled = 'true' and duplex = 'auto'", want: true},
		{name: "stored value wins over default", at: eth0, expr: "mtu = 9000 and count(mtu) = 1", want: true},
		{name: "default of the default case", at: eth1, expr: "untagged = 'true'", want: true},
		{name: "default of the active case", at: eth0, expr: "priority = 0 and count(untagged) = 0", want: true},
		{name: "presence container stays absent", at: eth1, expr: "count(ipv4) = 0", want: true},
		{name: "defaults inside a present presence container", at: eth0, expr: "ipv4/forwarding = 'false'", want: true},
		{name: "non-presence container and its default", at: []string{"system"}, mod: set.Module("ncsoap-example-users"),
			expr: "clock/timezone = 'UTC' and count(/system/clock) = 1", want: true},
		{name: "union default", at: eth0, expr: "utilisation-alarm = 'disabled'", want: true},
		{name: "defaults are visible to descendant axes", at: eth1, expr: "count(//mtu) = 3", want: true},
	}
	ev := xpath.NewEvaluator()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mod := c.mod
			if mod == nil {
				mod = ifm
			}
			x := &schema.Expr{XPath: c.expr, Module: mod}
			got, err := ev.EvalBool(context.Background(), tr, cursorAt(t, tr, c.at...), x)
			if c.err != "" {
				require.ErrorContains(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got)
			again, err := ev.EvalBool(context.Background(), tr, cursorAt(t, tr, c.at...), x)
			require.NoError(t, err)
			require.Equal(t, got, again, "cached evaluation differs")
		})
	}
}

func TestEvalBoolConcurrent(t *testing.T) {
	tr := sampleTree(t)
	ev := xpath.NewEvaluator()
	x := &schema.Expr{XPath: "count(../interface[ifindex > 0]) = 3 and derived-from-or-self(type, 'ext:ethernet')", Module: tr.Schema().Module("ncsoap-example-interfaces")}
	at := cursorAt(t, tr, "interfaces", "interface=eth0")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				ok, err := ev.EvalBool(context.Background(), tr, at, x)
				if err != nil || !ok {
					t.Errorf("EvalBool = %v, %v", ok, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestEvalBoolStepLimit(t *testing.T) {
	tr := sampleTree(t)
	ev := &xpath.Evaluator{Limits: xpath.Limits{MaxSteps: 50}}
	x := &schema.Expr{XPath: "count(//*) > 0", Module: tr.Schema().Module("ncsoap-example-interfaces")}
	_, err := ev.EvalBool(context.Background(), tr, tr.Cursor(), x)
	require.ErrorIs(t, err, xpath.ErrStepLimit)
}
