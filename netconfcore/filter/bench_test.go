package filter_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/filter"
)

const benchEntries = 100000

// bigStore returns a store whose running datastore holds n interfaces,
// built as netconfcore/datastore/bench_test.go does.
func bigStore(tb testing.TB, n int) *datastore.Store {
	var b strings.Builder
	b.WriteString(`<config xmlns="` + nsNC + `"><interfaces xmlns="` + nsIf + `" xmlns:ext="` + nsExt + `">`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<interface><name>eth%d</name><type>ext:ethernet</type><mtu>%d</mtu><ifindex>%d</ifindex></interface>`, i, 1000+i%8000, i+1)
	}
	b.WriteString(`</interfaces></config>`)
	doc := etree.NewDocument()
	require.NoError(tb, doc.ReadFromString(b.String()))
	s, err := datastore.Open(context.Background(), testSet(tb), datastore.Options{})
	require.NoError(tb, err)
	require.NoError(tb, s.Edit(context.Background(), datastore.Running, doc.Root(), datastore.EditOptions{TestOption: datastore.Set}))
	return s
}

// BenchmarkSubtreeByKey100k selects one entry by key in a 100k-entry list.
func BenchmarkSubtreeByKey100k(b *testing.B) {
	snap := bigStore(b, benchEntries).Snapshot(datastore.Running)
	f := filterEl(b, ifs(`<interface><name>eth77777</name></interface>`))
	ctx := context.Background()
	for b.Loop() {
		got, err := filter.Subtree(ctx, snap, f)
		if err != nil || got.IsEmpty() {
			b.Fatal(err)
		}
	}
}

// BenchmarkSubtreeScan100k selects one leaf of every entry of a 100k list.
func BenchmarkSubtreeScan100k(b *testing.B) {
	snap := bigStore(b, benchEntries).Snapshot(datastore.Running)
	f := filterEl(b, ifs(`<interface><mtu/></interface>`))
	ctx := context.Background()
	for b.Loop() {
		if _, err := filter.Subtree(ctx, snap, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkXPathByKey100k selects one entry by key in a 100k-entry list.
func BenchmarkXPathByKey100k(b *testing.B) {
	snap := bigStore(b, benchEntries).Snapshot(datastore.Running)
	ns := map[string]string{"if": nsIf}
	ctx := context.Background()
	for b.Loop() {
		got, err := filter.XPath(ctx, snap, "/if:interfaces/if:interface[if:name='eth77777']", ns)
		if err != nil || got.IsEmpty() {
			b.Fatal(err)
		}
	}
}
