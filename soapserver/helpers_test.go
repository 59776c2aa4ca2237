package soapserver_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/soapserver"
)

const (
	baseNS   = "urn:ietf:params:xml:ns:netconf:base:1.0"
	ns11     = "http://schemas.xmlsoap.org/soap/envelope/"
	ns12     = "http://www.w3.org/2003/05/soap-envelope"
	ct11     = "text/xml; charset=utf-8"
	ct12     = "application/soap+xml; charset=utf-8"
	user     = "admin"
	password = "s3cret"
	hello    = `<hello xmlns="` + baseNS + `"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`
)

var (
	schemaSet = func() *schema.Set {
		s, err := schema.Load(schema.Options{})
		if err != nil {
			panic(err)
		}
		return s
	}()
	// users is shared: hashing a password costs ~15 ms.
	users = func() *auth.Users {
		u := auth.NewMemory()
		if err := u.SetPassword(user, password); err != nil {
			panic(err)
		}
		if err := u.SetPassword("other", password); err != nil {
			panic(err)
		}
		return u
	}()
	quiet = slog.New(slog.DiscardHandler)
)

// newEngine returns an engine over the example modules with initial
// configuration initial (nil: the sample configuration).
func newEngine(t testing.TB, initial []byte, cfg netconfcore.Config) *netconfcore.Server {
	t.Helper()
	if initial == nil {
		initial = schema.SampleConfig()
	}
	ctx := context.Background()
	store, err := datastore.Open(ctx, schemaSet, datastore.Options{Initial: initial})
	require.NoError(t, err)
	cfg.Store = store
	cfg.Logger = quiet
	srv, err := netconfcore.NewServer(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv
}

// countingListener counts the connections it accepts and can make them
// report another local address.
type countingListener struct {
	net.Listener
	accepted atomic.Int32
	local    net.Addr
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	if l.local != nil {
		return &addrConn{Conn: c, local: l.local}, nil
	}
	return c, nil
}

type addrConn struct {
	net.Conn
	local net.Addr
}

func (c *addrConn) LocalAddr() net.Addr { return c.local }

// fixture is a running soapserver on a loopback port.
type fixture struct {
	engine *netconfcore.Server
	srv    *soapserver.Server
	ln     *countingListener
	url    string
}

func start(t testing.TB, engine *netconfcore.Server, opts soapserver.Options) *fixture {
	t.Helper()
	if engine == nil {
		engine = newEngine(t, nil, netconfcore.Config{})
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return serve(t, engine, opts, &countingListener{Listener: l})
}

func serve(t testing.TB, engine *netconfcore.Server, opts soapserver.Options, ln *countingListener) *fixture {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	srv := soapserver.New(engine, users, opts)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		wg.Wait()
	})
	path := opts.Path
	if path == "" {
		path = soapserver.DefaultPath
	}
	return &fixture{engine: engine, srv: srv, ln: ln, url: "http://" + ln.Addr().String() + path}
}

// client posts raw envelopes over one keep-alive connection at a time.
type client struct {
	t    testing.TB
	hc   *http.Client
	url  string
	user string
	pw   string
}

func (f *fixture) client(t testing.TB) *client {
	tr := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, hc: &http.Client{Transport: tr}, url: f.url, user: user, pw: password}
}

// post sends body with content type ct and returns the response, whose
// body has been read into the returned string.
func (c *client) post(ct, body string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.url, strings.NewReader(body))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", ct)
	if c.user != "" {
		req.SetBasicAuth(c.user, c.pw)
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, string(b)
}

// env wraps a Body child in an envelope of namespace ns.
func env(ns, child string) string {
	return `<e:Envelope xmlns:e="` + ns + `"><e:Body>` + child + `</e:Body></e:Envelope>`
}

func rpc(id, op string) string {
	return `<rpc xmlns="` + baseNS + `" message-id="` + id + `">` + op + `</rpc>`
}

// call posts child in a SOAP 1.1 envelope and returns the response and
// the Body child.
func (c *client) call(child string) (*http.Response, *etree.Element) {
	c.t.Helper()
	return c.callV(ns11, ct11, child)
}

func (c *client) callV(ns, ct, child string) (*http.Response, *etree.Element) {
	c.t.Helper()
	resp, body := c.post(ct, env(ns, child))
	return resp, bodyChild(c.t, body)
}

// hello opens the session and returns the server hello.
func (c *client) hello() *etree.Element {
	c.t.Helper()
	resp, h := c.call(hello)
	require.Equal(c.t, http.StatusOK, resp.StatusCode)
	require.Equal(c.t, "hello", h.Tag)
	return h
}

func bodyChild(t testing.TB, body string) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(body), body)
	b := doc.Root().SelectElement("Body")
	require.NotNil(t, b, body)
	kids := b.ChildElements()
	require.Len(t, kids, 1, body)
	return kids[0]
}

// rawConn is one TCP connection driven by hand, to observe the server
// closing it.
type rawConn struct {
	t   testing.TB
	nc  net.Conn
	br  *bufio.Reader
	url string
}

func (f *fixture) dial(t testing.TB) *rawConn {
	t.Helper()
	nc, err := net.Dial("tcp", f.ln.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	return &rawConn{t: t, nc: nc, br: bufio.NewReader(nc), url: f.url}
}

func (c *rawConn) call(child string) (*http.Response, *etree.Element) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.url, strings.NewReader(env(ns11, child)))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", ct11)
	req.SetBasicAuth(user, password)
	require.NoError(c.t, req.Write(c.nc))
	resp, err := http.ReadResponse(c.br, req)
	require.NoError(c.t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, bodyChild(c.t, string(b))
}

func (c *rawConn) hello() *etree.Element {
	c.t.Helper()
	resp, h := c.call(hello)
	require.Equal(c.t, http.StatusOK, resp.StatusCode)
	return h
}

// requireClosed waits for the server to close the connection.
func (c *rawConn) requireClosed() {
	c.t.Helper()
	require.NoError(c.t, c.nc.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, err := c.br.ReadByte()
	require.ErrorIs(c.t, err, io.EOF)
}
