package soapserver_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/soapserver"
)

// bigConfig returns a <config> of about size bytes: users whose full-name
// is 8 KiB long.
func bigConfig(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<config xmlns="` + baseNS + `"><system xmlns="http://ncsoap.dev/ns/example-users"><authentication>`)
	name := strings.Repeat("x", 8<<10)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<user><name>u%d</name><full-name>%s</full-name><uid>%d</uid></user>", i, name, i)
	}
	b.WriteString(`</authentication></system></config>`)
	return b.Bytes()
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLargeReplyStreams reads a 50 MB get-config slowly and checks that
// the server never holds the reply: the live heap grows by less than
// 16 MB while it streams, and the response is chunked.
func TestLargeReplyStreams(t *testing.T) {
	const size = 50 << 20
	engine := newEngine(t, bigConfig(size), netconfcore.Config{})
	f := start(t, engine, soapserver.Options{})
	c := f.client(t)
	c.hello()

	before := liveHeap()
	req, err := http.NewRequest(http.MethodPost, f.url, strings.NewReader(env(ns11, rpc("1", getConfig))))
	require.NoError(t, err)
	req.Header.Set("Content-Type", ct11)
	req.SetBasicAuth(user, password)
	resp, err := c.hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, []string{"chunked"}, resp.TransferEncoding)

	var total int64
	var peak uint64
	buf := make([]byte, 16<<10)
	next := int64(0)
	for {
		n, err := resp.Body.Read(buf)
		total += int64(n)
		if total >= next {
			peak = max(peak, liveHeap())
			next += 4 << 20
		}
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	require.Greater(t, total, int64(size))
	growth := int64(peak) - int64(before)
	t.Logf("reply %d MB, live heap growth while streaming %.1f MB", total>>20, float64(growth)/(1<<20))
	require.Less(t, growth, int64(16<<20))
}
