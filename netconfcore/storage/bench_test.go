package storage_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/storage/storagetest"
)

var benchSizes = []int{1 << 10, 10 << 20}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// benchBackends are the backends to benchmark.
var benchBackends = []struct {
	name string
	open func(b *testing.B) storage.Backend
}{
	{"Dir", func(b *testing.B) storage.Backend { return openDir(b, b.TempDir()) }},
	{"Memory", func(*testing.B) storage.Backend { return storage.NewMemory() }},
}

// BenchmarkSave measures Save. For Dir, the two fsyncs of each Save (file
// and directory) dominate small values.
func BenchmarkSave(b *testing.B) {
	for _, size := range benchSizes {
		value := bytes.Repeat([]byte{'x'}, size)
		for _, bb := range benchBackends {
			b.Run(bb.name+"/"+sizeName(size), func(b *testing.B) {
				be := bb.open(b)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if err := storagetest.Save(b.Context(), be, "running", value); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLoad measures Load and reading the value to its end, which
// verifies the checksum.
func BenchmarkLoad(b *testing.B) {
	for _, size := range benchSizes {
		value := bytes.Repeat([]byte{'x'}, size)
		for _, bb := range benchBackends {
			b.Run(bb.name+"/"+sizeName(size), func(b *testing.B) {
				be := bb.open(b)
				if err := storagetest.Save(b.Context(), be, "running", value); err != nil {
					b.Fatal(err)
				}
				buf := make([]byte, 64<<10)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					r, err := be.Load(b.Context(), "running")
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil {
						b.Fatal(err)
					}
					if err := r.Close(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
