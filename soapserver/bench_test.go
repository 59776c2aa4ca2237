package soapserver_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/soapenv"
	"github.com/ncsoap/ncsoap/soapserver"
)

// benchRequest is the small get-config every RPC benchmark sends.
var benchRequest = []byte(env(ns11, rpc("1", getConfig)))

// poster sends one prepared request over a keep-alive connection.
type poster struct {
	hc  *http.Client
	url string
	buf []byte
}

func newPoster(url string) *poster {
	tr := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, DisableCompression: true}
	return &poster{hc: &http.Client{Transport: tr}, url: url, buf: make([]byte, 32<<10)}
}

// post sends body and reads the whole response, returning its size.
func (p *poster) post(tb testing.TB, body []byte) int64 {
	req, err := http.NewRequest(http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", ct11)
	req.SetBasicAuth(user, password)
	resp, err := p.hc.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	n, err := io.CopyBuffer(io.Discard, resp.Body, p.buf)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	return n
}

func (p *poster) hello(tb testing.TB) { p.post(tb, []byte(env(ns11, hello))) }

// BenchmarkGetConfig runs small get-configs one after the other over one
// persistent connection, through the engine.
func BenchmarkGetConfig(b *testing.B) {
	f := start(b, nil, soapserver.Options{})
	p := newPoster(f.url)
	p.hello(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p.post(b, benchRequest)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rpc/s")
}

// BenchmarkBareHandler is the baseline for BenchmarkGetConfig: a plain
// net/http handler that only parses the same envelope with
// soapenv.ReadRequest and answers a fixed reply.
func BenchmarkBareHandler(b *testing.B) {
	reply := []byte(env(ns11, `<rpc-reply xmlns="`+baseNS+`" message-id="1"><ok/></rpc-reply>`))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := soapenv.ReadRequest(r.Body, nil); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", ct11)
		w.Write(reply)
	})}
	go hs.Serve(l)
	defer hs.Close()
	p := newPoster("http://" + l.Addr().String() + "/netconf")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p.post(b, benchRequest)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rpc/s")
}

// BenchmarkConcurrentSessions runs small get-configs on 64 sessions at
// once, each on its own connection, and reports the aggregate rate.
func BenchmarkConcurrentSessions(b *testing.B) {
	const sessions = 64
	f := start(b, nil, soapserver.Options{})
	posters := make([]*poster, sessions)
	for i := range posters {
		posters[i] = newPoster(f.url)
		posters[i].hello(b)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, p := range posters {
		n := b.N / sessions
		if i < b.N%sessions {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				p.post(b, benchRequest)
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rpc/s")
}

// BenchmarkLargeGetConfig streams a 50 MB get-config and reports the
// throughput and the largest heap in use seen while it streams.
func BenchmarkLargeGetConfig(b *testing.B) {
	engine := newEngine(b, bigConfig(50<<20), netconfcore.Config{})
	f := start(b, engine, soapserver.Options{})
	p := newPoster(f.url)
	p.hello(b)
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	var peak uint64
	b.ReportAllocs()
	b.ResetTimer()
	var size int64
	for b.Loop() {
		req, err := http.NewRequest(http.MethodPost, f.url, bytes.NewReader(benchRequest))
		require.NoError(b, err)
		req.Header.Set("Content-Type", ct11)
		req.SetBasicAuth(user, password)
		resp, err := p.hc.Do(req)
		require.NoError(b, err)
		size = 0
		next := int64(0)
		for {
			n, err := resp.Body.Read(p.buf)
			size += int64(n)
			if size >= next {
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
				next += 8 << 20
			}
			if err == io.EOF {
				break
			}
			require.NoError(b, err)
		}
		resp.Body.Close()
	}
	b.SetBytes(size)
	b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "heap-growth-MB")
}
