package framing

import (
	"bytes"
	"io"
	"testing"
)

// cycleReader returns its data over and over.
type cycleReader struct {
	data []byte
	off  int
}

func (c *cycleReader) Read(p []byte) (int, error) {
	n := copy(p, c.data[c.off:])
	c.off = (c.off + n) % len(c.data)
	return n, nil
}

// copySink copies what it is given, as a transport would, and drops it.
type copySink struct{ buf [64 << 10]byte }

func (c *copySink) Write(p []byte) (int, error) {
	for q := p; len(q) > 0; {
		q = q[copy(c.buf[:], q):]
	}
	return len(p), nil
}

var benchSizes = []struct {
	name string
	size int
}{
	{"1KiB", 1 << 10},
	{"1MiB", 1 << 20},
}

// benchMessage returns an XML-like message of n bytes.
func benchMessage(n int) []byte {
	line := []byte("<interface><name>ge-0/0/1</name><mtu>1500</mtu></interface>\n")
	return bytes.Repeat(line, n/len(line)+1)[:n]
}

// encode frames msg once in the given mode.
func encode(b *testing.B, mode Mode, msg []byte) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if mode == Chunked {
		w.Upgrade()
	}
	if err := w.WriteMessage(msg); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkReader(b *testing.B) {
	for _, mode := range []Mode{EndOfMessage, Chunked} {
		for _, s := range benchSizes {
			stream := encode(b, mode, benchMessage(s.size))
			newReader := func() *Reader {
				r := NewReader(&cycleReader{data: stream})
				if mode == Chunked {
					r.Upgrade()
				}
				return r
			}
			b.Run(mode.String()+"/"+s.name+"/Next+Copy", func(b *testing.B) {
				r := newReader()
				b.SetBytes(int64(s.size))
				b.ReportAllocs()
				for b.Loop() {
					m, err := r.Next()
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.Copy(io.Discard, m); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(mode.String()+"/"+s.name+"/Next+Read", func(b *testing.B) {
				r := newReader()
				buf := make([]byte, 32<<10)
				b.SetBytes(int64(s.size))
				b.ReportAllocs()
				for b.Loop() {
					m, err := r.Next()
					if err != nil {
						b.Fatal(err)
					}
					for {
						if _, err := m.Read(buf); err == io.EOF {
							break
						} else if err != nil {
							b.Fatal(err)
						}
					}
				}
			})
			b.Run(mode.String()+"/"+s.name+"/ReadMessage", func(b *testing.B) {
				r := newReader()
				b.SetBytes(int64(s.size))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := r.ReadMessage(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkWriter(b *testing.B) {
	for _, mode := range []Mode{EndOfMessage, Chunked} {
		for _, s := range benchSizes {
			msg := benchMessage(s.size)
			newWriter := func() *Writer {
				w := NewWriter(new(copySink))
				if mode == Chunked {
					w.Upgrade()
				}
				return w
			}
			b.Run(mode.String()+"/"+s.name+"/WriteMessage", func(b *testing.B) {
				w := newWriter()
				b.SetBytes(int64(s.size))
				b.ReportAllocs()
				for b.Loop() {
					if err := w.WriteMessage(msg); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(mode.String()+"/"+s.name+"/Message+Write4KiB", func(b *testing.B) {
				w := newWriter()
				b.SetBytes(int64(s.size))
				b.ReportAllocs()
				for b.Loop() {
					m := w.Message()
					for p := msg; len(p) > 0; {
						k := min(len(p), 4<<10)
						if _, err := m.Write(p[:k]); err != nil {
							b.Fatal(err)
						}
						p = p[k:]
					}
					if err := m.Close(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
