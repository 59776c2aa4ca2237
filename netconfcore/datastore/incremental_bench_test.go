package datastore

import (
	"context"
	"fmt"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// BenchmarkEditOneValidated merges one entry into a list of 10k and 100k
// interfaces with test-then-set, validating incrementally from the valid
// base ("incremental") or in full ("full"), with the XPath evaluator for
// must and when.
func BenchmarkEditOneValidated(b *testing.B) {
	edits := []struct{ name, body string }{
		{"new-entry", `<interface><name>new0</name><type>ext:ethernet</type><mtu>1400</mtu></interface>`},
		{"new-entry-unique", `<interface><name>new0</name><type>ext:ethernet</type><ifindex>999999</ifindex></interface>`},
		{"new-entry-must-leafref", `<interface><name>new0</name><type>ext:ethernet</type><parent-interface>eth7</parent-interface></interface>`},
		{"change-leaf", `<interface><name>eth4321</name><mtu>1400</mtu></interface>`},
		{"change-unique-leaf", `<interface><name>eth4321</name><ifindex>999999</ifindex></interface>`},
		{"delete-entry", `<interface xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete"><name>eth4321</name></interface>`},
	}
	for _, n := range []int{10_000, 100_000} {
		s := newStore(b, Options{Exprs: xpath.NewEvaluator()})
		ctx := context.Background()
		if err := s.Edit(ctx, Running, parse(b, bigConfig(n)), EditOptions{TestOption: Set}); err != nil {
			b.Fatal(err)
		}
		base := s.Snapshot(Running)
		if err := s.validateFull(ctx, base); err != nil {
			b.Fatal(err)
		}
		for _, e := range edits {
			el := parse(b, `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="`+nsIf+`" xmlns:ext="`+nsExt+`">`+e.body+`</interfaces></config>`)
			for _, mode := range []string{"incremental", "full"} {
				b.Run(fmt.Sprintf("%s/%dk/%s", e.name, n/1000, mode), func(b *testing.B) {
					if mode == "full" {
						s.lastValid.Store(nil)
					}
					for b.Loop() {
						s.valid = nil
						if err := s.Edit(ctx, Running, el, EditOptions{}); err != nil {
							b.Fatal(err)
						}
						s.snaps[Running].Store(base)
					}
					s.lastValid.Store(base)
				})
			}
		}
	}
}
