package netconfcore_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/memtransport"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
)

const (
	baseNS = rpcerror.BaseNamespace
	ifNS   = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	typNS  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types"
)

// fixture is a server over the example modules and sample configuration.
type fixture struct {
	srv     *netconfcore.Server
	store   *datastore.Store
	backend storage.Backend
}

type fixtureOption func(*netconfcore.Config)

var set = func() *schema.Set {
	s, err := schema.Load(schema.Options{})
	if err != nil {
		panic(err)
	}
	return s
}()

func newFixture(t testing.TB, opts ...fixtureOption) *fixture {
	t.Helper()
	return openFixture(t, storage.NewMemory(), opts...)
}

// openFixture starts a server whose datastores and confirmed-commit state
// live in backend, as a restarted server would find them.
func openFixture(t testing.TB, backend storage.Backend, opts ...fixtureOption) *fixture {
	t.Helper()
	ctx := context.Background()
	store, err := datastore.Open(ctx, set, datastore.Options{Backend: backend, Initial: schema.SampleConfig()})
	require.NoError(t, err)
	cfg := netconfcore.Config{Store: store, Backend: backend}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := netconfcore.NewServer(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return &fixture{srv: srv, store: store, backend: backend}
}

// peer is a test client on one session.
type peer struct {
	t    testing.TB
	conn *memtransport.Conn
	next atomic.Int64
}

func (f *fixture) dial(t testing.TB, caps ...string) *peer {
	t.Helper()
	conn, err := memtransport.Dial(f.srv, netconfcore.SessionInfo{Username: "tester"}, caps...)
	require.NoError(t, err)
	return &peer{t: t, conn: conn}
}

func (p *peer) id() uint32 { return p.conn.ID() }

// rpc sends op inside an <rpc> with the next message-id and returns the
// parsed <rpc-reply>.
func (p *peer) rpc(op string) *etree.Element {
	p.t.Helper()
	id := p.next.Add(1)
	return p.raw(fmt.Sprintf(`<rpc xmlns=%q message-id="%d">%s</rpc>`, baseNS, id, op))
}

// raw sends msg as it is and returns the parsed reply.
func (p *peer) raw(msg string) *etree.Element {
	p.t.Helper()
	out, err := p.conn.Exchange(context.Background(), msg)
	require.NoError(p.t, err)
	doc := etree.NewDocument()
	require.NoError(p.t, doc.ReadFromString(out), "reply is not well-formed: %s", out)
	root := doc.Root()
	require.Equal(p.t, "rpc-reply", root.Tag)
	require.Equal(p.t, baseNS, root.NamespaceURI())
	return root
}

// ok sends op and requires <ok/>.
func (p *peer) ok(op string) {
	p.t.Helper()
	requireOK(p.t, p.rpc(op))
}

func requireOK(t testing.TB, reply *etree.Element) {
	t.Helper()
	require.Empty(t, errorsOf(reply), "unexpected rpc-error: %s", show(reply))
	require.NotNil(t, reply.SelectElement("ok"), show(reply))
}

// fail sends op and requires exactly one rpc-error with tag and type.
func (p *peer) fail(op string, tag rpcerror.Tag, typ rpcerror.Type) *rpcerror.Error {
	p.t.Helper()
	return requireError(p.t, p.rpc(op), tag, typ)
}

func requireError(t testing.TB, reply *etree.Element, tag rpcerror.Tag, typ rpcerror.Type) *rpcerror.Error {
	t.Helper()
	errs := errorsOf(reply)
	require.NotEmpty(t, errs, "expected %s, got %s", tag, show(reply))
	require.Equal(t, tag, errs[0].Tag, show(reply))
	require.Equal(t, typ, errs[0].Type, show(reply))
	require.Nil(t, reply.SelectElement("ok"))
	require.Nil(t, reply.SelectElement("data"))
	return errs[0]
}

func errorsOf(reply *etree.Element) rpcerror.List {
	var l rpcerror.List
	for _, e := range reply.SelectElements("rpc-error") {
		l = append(l, rpcerror.FromElement(e))
	}
	return l
}

func show(el *etree.Element) string {
	doc := etree.NewDocument()
	doc.SetRoot(el.Copy())
	s, _ := doc.WriteToString()
	return s
}

// data sends op and returns the reply's <data> as a string.
func (p *peer) data(op string) string {
	p.t.Helper()
	reply := p.rpc(op)
	require.Empty(p.t, errorsOf(reply), show(reply))
	d := reply.SelectElement("data")
	require.NotNil(p.t, d, show(reply))
	return show(d)
}

func getConfig(source string) string {
	return fmt.Sprintf("<get-config><source><%s/></source></get-config>", source)
}

// setMTU returns an edit-config setting eth0's mtu in target.
func setMTU(target string, mtu int) string {
	return fmt.Sprintf(`<edit-config><target><%s/></target><config><interfaces xmlns=%q><interface><name>eth0</name><mtu>%d</mtu></interface></interfaces></config></edit-config>`,
		target, ifNS, mtu)
}

// mtu returns eth0's mtu in source.
func (p *peer) mtu(source string) string {
	p.t.Helper()
	d := p.data(getConfig(source))
	i := strings.Index(d, "<name>eth0</name>")
	require.GreaterOrEqual(p.t, i, 0, d)
	rest := d[i:]
	j := strings.Index(rest, "<mtu>")
	require.GreaterOrEqual(p.t, j, 0, d)
	rest = rest[j+len("<mtu>"):]
	return rest[:strings.Index(rest, "<")]
}
