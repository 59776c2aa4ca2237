package soapserver_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/soapserver"
)

func TestBasicAuth(t *testing.T) {
	lim := auth.NewLimiter()
	f := start(t, nil, soapserver.Options{Limiter: lim, Realm: "lab"})
	for _, tc := range []struct {
		name, user, pw string
		status         int
	}{
		{"no credentials", "", "", http.StatusUnauthorized},
		{"wrong password", user, "nope", http.StatusUnauthorized},
		{"unknown user", "mallory", password, http.StatusUnauthorized},
		{"good", user, password, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.client(t)
			c.user, c.pw = tc.user, tc.pw
			resp, body := c.post(ct11, env(ns11, hello))
			require.Equal(t, tc.status, resp.StatusCode)
			if tc.status == http.StatusUnauthorized {
				require.Equal(t, `Basic realm="lab", charset="UTF-8"`, resp.Header.Get("WWW-Authenticate"))
				code, _, _ := faultOf(t, bodyChild(t, body))
				require.Equal(t, "Client", code)
				return
			}
			require.Len(t, f.engine.Sessions(), 1)
		})
	}
}

func TestFailuresAreSlowedDown(t *testing.T) {
	lim := auth.NewLimiter()
	f := start(t, nil, soapserver.Options{Limiter: lim})
	c := f.client(t)
	c.pw = "wrong"
	for range auth.FreeFailures {
		resp, _ := c.post(ct11, env(ns11, hello))
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	require.Positive(t, lim.Delay("127.0.0.1:1"))
}

func TestSessionKeepsItsUser(t *testing.T) {
	f := start(t, nil, soapserver.Options{})
	c := f.client(t)
	c.hello()
	c.user = "other"
	resp, _ := c.post(ct11, env(ns11, rpc("1", getConfig)))
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	c.user = user
	resp, reply := c.call(rpc("2", getConfig))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "rpc-reply", reply.Tag)
}

func TestPlaintextBasicRefusedOffLoopback(t *testing.T) {
	for _, allow := range []bool{false, true} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		remote := &countingListener{Listener: l, local: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 832}}
		f := serve(t, newEngine(t, nil, netconfcore.Config{}), soapserver.Options{AllowInsecureBasic: allow}, remote)
		resp, body := f.client(t).post(ct11, env(ns11, hello))
		if allow {
			require.Equal(t, http.StatusOK, resp.StatusCode)
			continue
		}
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		_, reason, _ := faultOf(t, bodyChild(t, body))
		require.Contains(t, reason, "use HTTPS")
	}
}

// pki is a CA with a server and a client certificate.
type pki struct {
	pool           *x509.CertPool
	server, client tls.Certificate
}

func newPKI(t testing.TB) *pki {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		return k
	}
	caKey := key()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	leaf := func(serial int64, usage x509.ExtKeyUsage) tls.Certificate {
		k := key()
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: "leaf"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		require.NoError(t, err)
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}
	}
	p := &pki{pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	p.server = leaf(2, x509.ExtKeyUsageServerAuth)
	p.client = leaf(3, x509.ExtKeyUsageClientAuth)
	return p
}

func TestTLS(t *testing.T) {
	p := newPKI(t)
	certs := auth.NewCertUsers()
	certs.Add(p.client.Certificate[0], user)
	engine := newEngine(t, nil, netconfcore.Config{})
	srv := soapserver.New(engine, users, soapserver.Options{CertUsers: certs, Logger: quiet})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.ServeTLS(l, soapserver.TLSConfig([]tls.Certificate{p.server}, p.pool))
	t.Cleanup(func() { srv.Close() })
	url := "https://" + l.Addr().String() + "/netconf"

	for _, tc := range []struct {
		name     string
		cfg      *tls.Config
		basic    bool
		status   int
		badShake bool
	}{
		{"client certificate", &tls.Config{Certificates: []tls.Certificate{p.client}}, false, http.StatusOK, false},
		{"password", &tls.Config{}, true, http.StatusOK, false},
		{"nothing", &tls.Config{}, false, http.StatusUnauthorized, false},
		{"TLS 1.1", &tls.Config{MaxVersion: tls.VersionTLS11}, true, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.RootCAs = p.pool
			tc.cfg.NextProtos = []string{"h2", "http/1.1"}
			tr := &http.Transport{TLSClientConfig: tc.cfg, ForceAttemptHTTP2: true}
			defer tr.CloseIdleConnections()
			c := &client{t: t, hc: &http.Client{Transport: tr}, url: url}
			if tc.basic {
				c.user, c.pw = user, password
			}
			if tc.badShake {
				req, err := http.NewRequest(http.MethodPost, url, nil)
				require.NoError(t, err)
				_, err = c.hc.Do(req)
				require.Error(t, err)
				return
			}
			resp, _ := c.post(ct12, env(ns12, hello))
			require.Equal(t, tc.status, resp.StatusCode)
			require.Equal(t, "HTTP/1.1", resp.Proto)
			require.Equal(t, "http/1.1", resp.TLS.NegotiatedProtocol)
		})
	}
}

func TestServeTLSNeedsCertificate(t *testing.T) {
	srv := soapserver.New(newEngine(t, nil, netconfcore.Config{}), users, soapserver.Options{Logger: quiet})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	require.Error(t, srv.ServeTLS(l, &tls.Config{}))
}
