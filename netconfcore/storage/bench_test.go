package storage_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/storage/storagetest"
)

var benchSizes = []int{1 << 10, 1 << 20, 10 << 20}

func sizeName(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
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

// BenchmarkAppend measures Append to a log, which a datastore does for a
// small change instead of a Save of the whole value. For Dir, the one
// fdatasync of each Append dominates. The log is deleted every 1024 records,
// as a datastore compacts it, so that it does not grow without bound.
func BenchmarkAppend(b *testing.B) {
	for _, size := range []int{256, 16 << 10} {
		record := bytes.Repeat([]byte{'x'}, size)
		for _, bb := range benchBackends {
			b.Run(bb.name+"/"+sizeName(size), func(b *testing.B) {
				j := bb.open(b).(storage.Journal)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					if err := j.Append(b.Context(), "journal", record); err != nil {
						b.Fatal(err)
					}
					if n++; n%1024 == 0 {
						b.StopTimer()
						if err := j.Delete(b.Context(), "journal"); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
				}
			})
		}
	}
}

// BenchmarkReplay measures Replay of a log of 1000 records of 256 bytes
// right after OpenDir, which reads the log twice (once to check it and cut
// off a torn record, once to call fn), and later, which reads it once.
func BenchmarkReplay(b *testing.B) {
	record := bytes.Repeat([]byte{'x'}, 256)
	const records = 1000
	b.Run("Dir/first", func(b *testing.B) {
		path := b.TempDir()
		d := openDir(b, path)
		for range records {
			if err := d.Append(b.Context(), "journal", record); err != nil {
				b.Fatal(err)
			}
		}
		if err := d.Close(); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(records * int64(len(record)))
		b.ReportAllocs()
		for b.Loop() {
			d, err := storage.OpenDir(path)
			if err != nil {
				b.Fatal(err)
			}
			if err := d.Replay(b.Context(), "journal", func([]byte) error { return nil }); err != nil {
				b.Fatal(err)
			}
			d.Close()
		}
	})
	for _, bb := range benchBackends {
		b.Run(bb.name+"/again", func(b *testing.B) {
			j := bb.open(b).(storage.Journal)
			for range records {
				if err := j.Append(b.Context(), "journal", record); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(records * int64(len(record)))
			b.ReportAllocs()
			for b.Loop() {
				if err := j.Replay(b.Context(), "journal", func([]byte) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
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
