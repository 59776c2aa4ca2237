package datastore

import (
	"context"
	"testing"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
)

// BenchmarkBatchCreateDurable100k is the batch create end to end: parse
// the 100k-entry edit, apply it to an empty store, validate, and save it
// to a state directory (fsync).
func BenchmarkBatchCreateDurable100k(b *testing.B) {
	src := []byte(bigConfig(benchEntries))
	b.SetBytes(int64(len(src)))
	ctx := context.Background()
	for b.Loop() {
		d, err := storage.OpenDir(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		doc, err := xmlparse.Parse(src, xmlparse.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s := newStore(b, Options{Backend: d})
		if err := s.Edit(ctx, Running, doc.Root(), EditOptions{}); err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}
