package client_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/memtransport"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

const ifNS = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"

// memTransport is a client.Transport over an in-memory engine session.
type memTransport struct {
	conn *memtransport.Conn
}

func (m *memTransport) RoundTrip(ctx context.Context, write func(io.Writer) error) (io.ReadCloser, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return nil, err
	}
	out, err := m.conn.Exchange(ctx, b.String())
	if err != nil {
		return nil, client.ErrSessionClosed
	}
	return io.NopCloser(strings.NewReader(out)), nil
}

func (m *memTransport) Hello() []byte { return []byte(m.conn.ServerHello()) }

func (m *memTransport) Close() error { return m.conn.Close() }

// newServer starts an engine over the example modules and sample
// configuration.
func newServer(t testing.TB) *netconfcore.Server {
	t.Helper()
	ctx := context.Background()
	set, err := schema.Load(schema.Options{})
	require.NoError(t, err)
	store, err := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig()})
	require.NoError(t, err)
	srv, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv
}

// dial opens a client session on srv in memory.
func dial(t testing.TB, srv *netconfcore.Server) *client.Session {
	t.Helper()
	conn, err := memtransport.Dial(srv, netconfcore.SessionInfo{Username: "tester"})
	require.NoError(t, err)
	s, err := client.NewSession(&memTransport{conn: conn})
	require.NoError(t, err)
	return s
}
