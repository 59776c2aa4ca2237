package datastore

import (
	"context"
	"fmt"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// BenchmarkEditOneValidated merges one entry into a list of 10k and 100k
// interfaces (or changes one in the middle) with test-then-set, validating incrementally from the valid
// base ("incremental") or in full ("full"), with the XPath evaluator for
// must and when.
func BenchmarkEditOneValidated(b *testing.B) {
	edits := []struct{ name, body string }{
		{"new-entry", `<interface><name>new0</name><type>ext:ethernet</type><mtu>1400</mtu></interface>`},
		{"new-entry-unique", `<interface><name>new0</name><type>ext:ethernet</type><ifindex>999999</ifindex></interface>`},
		{"new-entry-must-leafref", `<interface><name>new0</name><type>ext:ethernet</type><parent-interface>eth7</parent-interface></interface>`},
		{"change-leaf", `<interface><name>eth4321</name><mtu>1400</mtu></interface>`},
		{"change-unique-leaf", `<interface><name>eth4321</name><ifindex>999999</ifindex></interface>`},
		{"change-must-leaf", `<interface><name>eth4321</name><parent-interface>eth7</parent-interface></interface>`},
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
					known := base
					if mode == "full" {
						known = nil
					}
					b.ReportAllocs()
					for b.Loop() {
						// Every edit starts again from the base: a
						// validation that succeeds remembers its result
						// as the last valid snapshot.
						s.valid = nil
						s.lastValid.Store(known)
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

// BenchmarkUniqueCacheBuild measures the first incremental validation of
// a unique leaf changed in a list of 100k entries, which builds the
// index of the unique values (once per store and list instance).
func BenchmarkUniqueCacheBuild(b *testing.B) {
	s := newStore(b, Options{})
	ctx := context.Background()
	if err := s.Edit(ctx, Running, parse(b, bigConfig(100_000)), EditOptions{TestOption: Set}); err != nil {
		b.Fatal(err)
	}
	base := s.Snapshot(Running)
	el := parse(b, `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="`+nsIf+`">`+
		`<interface><name>eth4321</name><ifindex>999999</ifindex></interface></interfaces></config>`)
	b.ReportAllocs()
	for b.Loop() {
		s.depIndex().putUniques(nil)
		s.valid = nil
		s.lastValid.Store(base)
		if err := s.Edit(ctx, Running, el, EditOptions{}); err != nil {
			b.Fatal(err)
		}
		s.snaps[Running].Store(base)
	}
}
