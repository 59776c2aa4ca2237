package datastore

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

const benchEntries = 100000

func bigConfig(n int) string {
	var b strings.Builder
	b.WriteString(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="` + nsIf + `" xmlns:ext="` + nsExt + `">`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<interface><name>eth%d</name><type>ext:ethernet</type><mtu>%d</mtu><ifindex>%d</ifindex></interface>`, i, 1000+i%8000, i+1)
	}
	b.WriteString(`</interfaces></config>`)
	return b.String()
}

func parse(tb testing.TB, s string) *etree.Element {
	doc := etree.NewDocument()
	require.NoError(tb, doc.ReadFromString(s))
	return doc.Root()
}

func loadedStore(tb testing.TB, n int) *Store {
	s := newStore(tb, Options{})
	require.NoError(tb, s.Edit(context.Background(), Running, parse(tb, bigConfig(n)), EditOptions{TestOption: Set}))
	return s
}

// BenchmarkParseXML100k measures etree parsing of the 100k-entry edit alone.
func BenchmarkParseXML100k(b *testing.B) {
	src := bigConfig(benchEntries)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		parse(b, src)
	}
}

// BenchmarkBatchCreate100k applies (without parsing) one edit-config that
// creates 100k list entries, without validation.
func BenchmarkBatchCreate100k(b *testing.B) {
	el := parse(b, bigConfig(benchEntries))
	for b.Loop() {
		s := newStore(b, Options{})
		if err := s.Edit(context.Background(), Running, el, EditOptions{TestOption: Set}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchCreateValidated100k is the same edit with test-then-set.
func BenchmarkBatchCreateValidated100k(b *testing.B) {
	el := parse(b, bigConfig(benchEntries))
	for b.Loop() {
		s := newStore(b, Options{})
		if err := s.Edit(context.Background(), Running, el, EditOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMergeOneInto100k merges one new entry into the full list.
func BenchmarkMergeOneInto100k(b *testing.B) {
	s := loadedStore(b, benchEntries)
	base := s.Snapshot(Running)
	el := parse(b, `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="`+nsIf+`" xmlns:ext="`+nsExt+`"><interface><name>new0</name><type>ext:ethernet</type><mtu>1400</mtu></interface></interfaces></config>`)
	ctx := context.Background()
	for b.Loop() {
		if err := s.Edit(ctx, Running, el, EditOptions{TestOption: Set}); err != nil {
			b.Fatal(err)
		}
		s.snaps[Running].Store(base)
	}
}

// BenchmarkGetConfig100k serializes the whole 100k-entry datastore.
func BenchmarkGetConfig100k(b *testing.B) {
	s := loadedStore(b, benchEntries)
	snap := s.Snapshot(Running)
	var n countWriter
	require.NoError(b, snap.WriteXML(&n, tree.WriteOptions{ConfigOnly: true}))
	b.SetBytes(int64(n))
	for b.Loop() {
		if err := snap.WriteXML(io.Discard, tree.WriteOptions{ConfigOnly: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate100k validates the whole 100k-entry datastore.
func BenchmarkValidate100k(b *testing.B) {
	s := loadedStore(b, benchEntries)
	snap := s.Snapshot(Running)
	ctx := context.Background()
	for b.Loop() {
		if err := s.validateFull(ctx, snap); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHeapPerEntry reports the live heap bytes per list entry of a
// 100k-entry datastore (four leaves per entry).
func BenchmarkHeapPerEntry(b *testing.B) {
	el := parse(b, bigConfig(benchEntries))
	var perEntry float64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := newStore(b, Options{})
		if err := s.Edit(context.Background(), Running, el, EditOptions{TestOption: Set}); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perEntry = float64(after.HeapAlloc-before.HeapAlloc) / benchEntries
		runtime.KeepAlive(s)
	}
	b.ReportMetric(perEntry, "heapB/entry")
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
