package netconfcore_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/memtransport"
)

// benchRPC runs op on one session b.N times, writing each reply to
// io.Discard as a transport would.
func benchRPC(b *testing.B, ops ...string) {
	f := newFixture(b)
	p := f.dial(b)
	sess := p.conn.Session()
	msgs := make([]string, len(ops))
	for i, op := range ops {
		msgs[i] = fmt.Sprintf(`<rpc xmlns="%s" message-id="%d">%s</rpc>`, baseNS, i+1, op)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, m := range msgs {
			rep := sess.Do(ctx, strings.NewReader(m))
			if err := rep.Err(); err != nil {
				b.Fatal(err)
			}
			if _, err := rep.WriteTo(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkGetConfigSmall(b *testing.B) { benchRPC(b, getConfig("running")) }

func BenchmarkEditConfigSmall(b *testing.B) { benchRPC(b, setMTU("running", 1400)) }

func BenchmarkLockUnlock(b *testing.B) {
	benchRPC(b, `<lock><target><running/></target></lock>`, `<unlock><target><running/></target></unlock>`)
}

func BenchmarkHello(b *testing.B) {
	f := newFixture(b)
	hello := memtransport.ClientHello(netconfcore.CapBase10, netconfcore.CapBase11)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sess, err := f.srv.NewSession(netconfcore.SessionInfo{Username: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if err := sess.WriteHello(io.Discard); err != nil {
			b.Fatal(err)
		}
		if err := sess.ReceiveHello(strings.NewReader(hello)); err != nil {
			b.Fatal(err)
		}
		sess.Close()
	}
}
