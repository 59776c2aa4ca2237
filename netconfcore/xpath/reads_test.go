package xpath_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// TestReads checks what Reads finds in expressions of
// the interfaces module: the nodes read (deep ones marked with *), the
// lowest level reached, or that the expression may read anything.
func TestReads(t *testing.T) {
	set, err := schema.Load(schema.Options{})
	require.NoError(t, err)
	ifEntry := set.Top(nsIf, "interfaces").Child(nsIf, "interface")
	pi, ipv4 := ifEntry.Child(nsIf, "parent-interface"), ifEntry.Child(nsIf, "ipv4")
	require.NotNil(t, pi)
	require.NotNil(t, ipv4)
	mod := pi.Module
	cases := []struct {
		owner *schema.Node
		expr  string
		reads string // sorted, space-separated; deep reads end in *
		low   int
		all   bool
	}{
		{owner: pi, expr: ". != ../name", reads: "interface name name* parent-interface parent-interface*", low: 2},
		{owner: ipv4, expr: "count(address) <= 16", reads: "address address*", low: 3},
		{owner: pi, expr: "../../interface/name", reads: "interface interface interfaces name name*", low: 1},
		{owner: pi, expr: "/exif:interfaces/exif:interface[exif:name = current()/../exif:parent-interface]/exif:mtu > 100",
			reads: "interface interface interfaces mtu mtu* name name* parent-interface parent-interface*", low: 0},
		{owner: pi, expr: "derived-from-or-self(../type, 'ext:tunnel')", reads: "interface type type*", low: 2},
		{owner: pi, expr: "true() and not(false())", reads: "", low: 3},
		{owner: pi, expr: "string-length()", reads: "parent-interface*", low: 3},
		{owner: pi, expr: "1 + 2 * 3 div 4 mod 5 - -6 = 7 or 8 and 9 | 10", reads: "", low: 3},
		{owner: pi, expr: "self::exif:parent-interface = parent::node()/child::exif:name", reads: "interface name name* parent-interface parent-interface*", low: 2},
		{owner: pi, expr: "../nothing-here", reads: "interface", low: 2},
		{owner: ipv4, expr: "address[1]/ip", reads: "address ip ip*", low: 3},
		{owner: pi, expr: "//exif:name", all: true},
		{owner: pi, expr: "ancestor::exif:interfaces", all: true},
		{owner: pi, expr: "following-sibling::*", all: true},
		{owner: pi, expr: "$x = 1", all: true},
		{owner: pi, expr: "deref(.)/../exif:mtu", all: true},
		{owner: pi, expr: "(../exif:name)[1]", all: true},
		{owner: pi, expr: "count(/) > 0", all: true},
		{owner: pi, expr: "nope:x", all: true},
		{owner: pi, expr: "'unterminated", all: true},
		{owner: pi, expr: "a !", all: true},
		{owner: pi, expr: "count(", all: true},
		{owner: pi, expr: "current()[1]", all: true},
		{owner: pi, expr: "../..", reads: "interface interfaces interfaces*", low: 1},
		{owner: pi, expr: "../../..", all: true},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			reads, low, ok := xpath.Reads(set, tc.owner, &schema.Expr{XPath: tc.expr, Module: mod})
			require.Equal(t, tc.all, !ok)
			if tc.all {
				return
			}
			var names []string
			for _, r := range reads {
				name := r.Node.Name
				if r.Deep {
					name += "*"
				}
				names = append(names, name)
			}
			slices.Sort(names)
			require.Equal(t, tc.reads, strings.Join(names, " "))
			require.Equal(t, tc.low, low)
		})
	}
}
