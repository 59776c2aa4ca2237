package soapclient_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/soapclient"
	"github.com/ncsoap/ncsoap/soapserver"
)

// heapWatcher records the largest heap in use seen by its writes.
type heapWatcher struct {
	n, next int64
	peak    uint64
}

func (h *heapWatcher) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	if h.n >= h.next {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapInuse)
		h.next += 8 << 20
	}
	return len(p), nil
}

// BenchmarkGetConfigTo streams a 50 MB get-config through the client SDK
// to a writer and reports the throughput and the heap growth of the
// process (server and client together).
func BenchmarkGetConfigTo(b *testing.B) {
	ctx := context.Background()
	var cfg bytes.Buffer
	cfg.WriteString(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><system xmlns="` + usersNS + `"><authentication>`)
	name := strings.Repeat("x", 8<<10)
	for i := 0; cfg.Len() < 50<<20; i++ {
		fmt.Fprintf(&cfg, "<user><name>u%d</name><full-name>%s</full-name><uid>%d</uid></user>", i, name, i)
	}
	cfg.WriteString(`</authentication></system></config>`)
	set, err := schema.Load(schema.Options{})
	require.NoError(b, err)
	store, err := datastore.Open(ctx, set, datastore.Options{Initial: cfg.Bytes()})
	require.NoError(b, err)
	quiet := slog.New(slog.DiscardHandler)
	engine, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store, Logger: quiet})
	require.NoError(b, err)
	users := auth.NewMemory()
	require.NoError(b, users.SetPassword(user, password))
	srv := soapserver.New(engine, users, soapserver.Options{Logger: quiet})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	go srv.Serve(l)
	defer srv.Close()
	sess, err := soapclient.Dial(ctx, "http://"+l.Addr().String()+"/netconf", soapclient.WithBasicAuth(user, password))
	require.NoError(b, err)
	defer sess.Close(ctx)

	cfg.Reset()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	w := &heapWatcher{}
	b.ReportAllocs()
	b.ResetTimer()
	var size int64
	for b.Loop() {
		w.n, w.next = 0, 0
		require.NoError(b, sess.GetConfigTo(ctx, w, client.Running))
		size = w.n
	}
	b.SetBytes(size)
	b.ReportMetric(float64(w.peak-min(w.peak, base))/(1<<20), "heap-growth-MB")
}
