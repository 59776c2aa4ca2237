package soapserver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/soapserver"
)

const getConfig = `<get-config><source><running/></source></get-config>`

// faultOf returns the code (local name) and reason of a fault of either
// SOAP version, and its rpc-error children.
func faultOf(t testing.TB, f *etree.Element) (code, reason string, errs []*etree.Element) {
	t.Helper()
	require.Equal(t, "Fault", f.Tag)
	if fc := f.SelectElement("faultcode"); fc != nil {
		_, code, _ = strings.Cut(fc.Text(), ":")
		reason = f.SelectElement("faultstring").Text()
	} else {
		_, code, _ = strings.Cut(f.FindElement("Code/Value").Text(), ":")
		reason = f.FindElement("Reason/Text").Text()
	}
	for _, d := range f.ChildElements() {
		if d.Tag == "detail" || d.Tag == "Detail" {
			errs = d.SelectElements("rpc-error")
		}
	}
	return code, reason, errs
}

func TestHelloAndRPCBothVersions(t *testing.T) {
	for _, tc := range []struct {
		name, ns, ct string
	}{
		{"soap11", ns11, ct11},
		{"soap12", ns12, ct12},
		{"soap12 posted as text/xml like RFC 4743", ns12, ct11},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := start(t, nil, soapserver.Options{})
			c := f.client(t)
			resp, h := c.callV(tc.ns, tc.ct, hello)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			wantCT := ct11
			if tc.ns == ns12 {
				wantCT = ct12
			}
			require.Equal(t, wantCT, resp.Header.Get("Content-Type"))
			require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
			require.Equal(t, "no-cache", resp.Header.Get("Pragma"))
			require.Equal(t, "hello", h.Tag)
			require.NotEmpty(t, h.SelectElement("session-id").Text())
			for _, cap := range h.FindElements("capabilities/capability") {
				require.NotContains(t, cap.Text(), "notification")
				require.NotContains(t, cap.Text(), "interleave")
			}

			resp, reply := c.callV(tc.ns, tc.ct, rpc("7", getConfig))
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
			require.Equal(t, "rpc-reply", reply.Tag)
			require.Equal(t, "7", reply.SelectAttrValue("message-id", ""))
			require.NotNil(t, reply.FindElement("data/interfaces"))
			require.EqualValues(t, 1, f.ln.accepted.Load())
		})
	}
}

func TestHelloOrderFaults(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	c := f.client(t)

	resp, fault := c.call(rpc("1", getConfig))
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	code, reason, _ := faultOf(t, fault)
	require.Equal(t, "Client", code)
	require.Contains(t, reason, "POST a <hello> first")
	require.Empty(t, f.engine.Sessions())

	resp, fault = c.callV(ns12, ct12, rpc("1", getConfig))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	code, _, _ = faultOf(t, fault)
	require.Equal(t, "Sender", code)

	c.hello()
	resp, fault = c.call(hello)
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	_, reason, _ = faultOf(t, fault)
	require.Contains(t, reason, "second <hello>")
	require.Len(t, f.engine.Sessions(), 1)

	resp, reply := c.call(rpc("2", getConfig))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "rpc-reply", reply.Tag)
}

func TestBadHello(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	c := f.client(t)
	resp, fault := c.call(`<hello xmlns="` + baseNS + `"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>4</session-id></hello>`)
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	_, reason, _ := faultOf(t, fault)
	require.Contains(t, reason, "session-id")
	require.Empty(t, f.engine.Sessions())
	c.hello()
}

func TestEnvelopeFaults(t *testing.T) {
	for _, tc := range []struct {
		name, ct, body string
		status         int
		code, reason   string
	}{
		{"mustUnderstand 1.1", ct11, `<e:Envelope xmlns:e="` + ns11 + `"><e:Header><x:sec xmlns:x="urn:x" e:mustUnderstand="1"/></e:Header><e:Body>` + hello + `</e:Body></e:Envelope>`,
			http.StatusInternalServerError, "MustUnderstand", "{urn:x}sec"},
		{"mustUnderstand 1.2", ct12, `<e:Envelope xmlns:e="` + ns12 + `"><e:Header><x:sec xmlns:x="urn:x" e:mustUnderstand="true"/></e:Header><e:Body>` + hello + `</e:Body></e:Envelope>`,
			http.StatusInternalServerError, "MustUnderstand", "{urn:x}sec"},
		{"malformed", ct12, `<e:Envelope xmlns:e="` + ns12 + `"><e:Body><hello></e:Body></e:Envelope>`,
			http.StatusBadRequest, "Sender", "malformed XML"},
		{"not an envelope", ct11, hello, http.StatusInternalServerError, "VersionMismatch", "not a SOAP"},
		{"unknown body child", ct11, env(ns11, `<x xmlns="urn:x"/>`), http.StatusInternalServerError, "Client", "neither"},
		{"media type", "application/json", env(ns12, hello), http.StatusUnsupportedMediaType, "Sender", "media type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := start(t, nil, soapserver.Options{})
			resp, body := f.client(t).post(tc.ct, tc.body)
			require.Equal(t, tc.status, resp.StatusCode, body)
			code, reason, _ := faultOf(t, bodyChild(t, body))
			require.Equal(t, tc.code, code)
			require.Contains(t, reason, tc.reason)
			require.Empty(t, f.engine.Sessions())
		})
	}
}

func TestRPCErrorFault(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	a, b := f.client(t), f.client(t)
	idA := a.hello().SelectElement("session-id").Text()
	b.hello()
	lock := rpc("3", `<lock><target><running/></target></lock>`)
	resp, reply := a.call(lock)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotNil(t, reply.SelectElement("ok"))

	for _, v := range []struct{ ns, ct, code string }{{ns11, ct11, "Server"}, {ns12, ct12, "Receiver"}} {
		resp, fault := b.callV(v.ns, v.ct, lock)
		require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		code, reason, errs := faultOf(t, fault)
		require.Equal(t, v.code, code)
		require.Equal(t, "lock-denied", reason)
		require.Len(t, errs, 1)
		require.Equal(t, baseNS, errs[0].NamespaceURI())
		require.Equal(t, idA, errs[0].FindElement("error-info/session-id").Text())
	}

	// The lock dies with A's connection.
	a.hc.Transport.(*http.Transport).CloseIdleConnections()
	require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 1 }, 10*time.Second, 5*time.Millisecond)
	resp, reply = b.call(lock)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotNil(t, reply.SelectElement("ok"))
}

func TestCloseSession(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	c := f.client(t)
	c.hello()
	resp, reply := c.call(rpc("9", `<close-session/>`))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, resp.Close, "close-session reply must close the connection")
	require.NotNil(t, reply.SelectElement("ok"))
	require.Empty(t, f.engine.Sessions())

	// A new connection is a new session, which needs a hello.
	resp, fault := c.call(rpc("10", getConfig))
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	_, reason, _ := faultOf(t, fault)
	require.Contains(t, reason, "POST a <hello> first")
	require.EqualValues(t, 2, f.ln.accepted.Load())
}

func TestKillSessionClosesConnection(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	victim := f.dial(t)
	id := victim.hello().SelectElement("session-id").Text()
	killer := f.client(t)
	killer.hello()
	resp, reply := killer.call(rpc("1", `<kill-session><session-id>`+id+`</session-id></kill-session>`))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotNil(t, reply.SelectElement("ok"))
	require.Len(t, f.engine.Sessions(), 1)
	victim.requireClosed()
}

func TestEngineShutdownClosesConnections(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	c := f.dial(t)
	c.hello()
	require.NoError(t, f.engine.Shutdown(context.Background()))
	c.requireClosed()
	resp, fault := f.client(t).call(hello)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	_, reason, _ := faultOf(t, fault)
	require.Contains(t, reason, "closed")
}

func TestMaxSessions(t *testing.T) {
	f := start(t, newEngine(t, nil, netconfcore.Config{MaxSessions: 1}), soapserver.Options{})
	f.client(t).hello()
	resp, fault := f.client(t).call(hello)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	_, reason, errs := faultOf(t, fault)
	require.Equal(t, "resource-denied", reason)
	require.Len(t, errs, 1)
}

func TestMaxRequestSize(t *testing.T) {
	f := start(t, nil, soapserver.Options{MaxRequestSize: 1024})
	c := f.client(t)
	c.hello()
	big := rpc("1", `<get-config><source><running/></source><filter>`+strings.Repeat("<!-- padding -->", 100)+`</filter></get-config>`)
	for _, chunked := range []bool{false, true} {
		req, err := http.NewRequest(http.MethodPost, f.url, strings.NewReader(env(ns12, big)))
		require.NoError(t, err)
		if chunked {
			req.ContentLength = -1
		}
		req.Header.Set("Content-Type", ct12)
		req.SetBasicAuth(user, password)
		resp, err := c.hc.Do(req)
		require.NoError(t, err)
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		require.True(t, resp.Close)
		doc := etree.NewDocument()
		_, err = doc.ReadFrom(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		_, reason, errs := faultOf(t, doc.FindElement("//Fault"))
		require.Equal(t, "too-big", reason)
		require.Equal(t, "transport", errs[0].SelectElement("error-type").Text())
	}
}

func TestMaxDepth(t *testing.T) {
	f := start(t, nil, soapserver.Options{MaxDepth: 8})
	c := f.client(t)
	c.hello()
	resp, fault := c.call(rpc("1", strings.Repeat("<a>", 10)+strings.Repeat("</a>", 10)))
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	code, reason, _ := faultOf(t, fault)
	require.Equal(t, "Client", code)
	require.Contains(t, reason, "nesting exceeds")
}

func TestIdleTimeoutEndsSession(t *testing.T) {
	f := start(t, nil, soapserver.Options{IdleTimeout: 50 * time.Millisecond})
	f.client(t).hello()
	require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 0 }, 10*time.Second, 5*time.Millisecond)
}

func TestMethodsAndPaths(t *testing.T) {
	f := start(t, nil, soapserver.Options{Path: "/nc"})
	for _, tc := range []struct {
		method, url string
		status      int
	}{
		{http.MethodPut, f.url, http.StatusMethodNotAllowed},
		{http.MethodGet, f.url, http.StatusBadRequest},
		{http.MethodGet, strings.TrimSuffix(f.url, "/nc") + "/other", http.StatusNotFound},
		{http.MethodGet, f.url + "?xsd=nope.xsd", http.StatusNotFound},
	} {
		req, err := http.NewRequest(tc.method, tc.url, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, tc.status, resp.StatusCode, tc.method+" "+tc.url)
	}
}

func TestShutdownEndsSessions(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	c := f.dial(t)
	c.hello()
	require.Len(t, f.engine.Sessions(), 1)
	require.NoError(t, f.srv.Shutdown(context.Background()))
	c.requireClosed()
	require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 0 }, 10*time.Second, 5*time.Millisecond)
}

func TestReadHeaderTimeout(t *testing.T) {
	f := start(t, nil, soapserver.Options{ReadHeaderTimeout: 50 * time.Millisecond})
	c := f.dial(t)
	_, err := c.nc.Write([]byte("POST /netconf HTTP/1.1\r\nHost: x\r\n"))
	require.NoError(t, err)
	require.NoError(t, c.nc.SetReadDeadline(time.Now().Add(10*time.Second)))
	// The server gives up on the request: it answers 408 or just closes.
	resp, err := http.ReadResponse(c.br, nil)
	if err == nil {
		require.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
		resp.Body.Close()
	}
	c.requireClosed()
}
