package client_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/ncsoap/ncsoap/client"
)

// BenchmarkGetConfigReply measures the client's share of a small
// get-config: marshalling the request and parsing a 2 KB reply, with no
// transport.
func BenchmarkGetConfigReply(b *testing.B) {
	var data strings.Builder
	for range 20 {
		data.WriteString(`<interface><name>eth0</name><mtu>1500</mtu><description>uplink to core</description></interface>`)
	}
	reply := `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><interfaces xmlns="urn:x">` +
		data.String() + `</interfaces></data></rpc-reply>`
	ft := &fakeTransport{hello: fakeHello, reply: reply}
	ctx := context.Background()
	b.SetBytes(int64(len(reply)))
	b.ReportAllocs()
	for b.Loop() {
		// The fake answers message-id 1 only; a fresh session per
		// round keeps the ids matching.
		s, err := client.NewSession(ft)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.GetConfigTo(ctx, io.Discard, client.Running); err != nil {
			b.Fatal(err)
		}
	}
}
