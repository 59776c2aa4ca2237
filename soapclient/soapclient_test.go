package soapclient_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/ncsoaptest"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/soapclient"
	"github.com/ncsoap/ncsoap/soapenv"
)

const (
	user     = ncsoaptest.User
	password = ncsoaptest.Password
	usersNS  = "http://ncsoap.dev/ns/example-users"
)

// server is a test server; url is its SOAP over HTTP endpoint.
type server struct {
	*ncsoaptest.Server
	url string
}

func startServer(t testing.TB) *server {
	t.Helper()
	srv := ncsoaptest.NewServer(t)
	return &server{Server: srv, url: srv.HTTPURL}
}

func dial(t testing.TB, s *server, opts ...soapclient.Option) *client.Session {
	t.Helper()
	opts = append([]soapclient.Option{soapclient.WithBasicAuth(user, password)}, opts...)
	sess, err := soapclient.Dial(context.Background(), s.url, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { sess.Transport().Close() })
	return sess
}

func TestOperations(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []soapclient.Option
	}{
		{"soap11", nil},
		{"soap12", []soapclient.Option{soapclient.WithSOAP12()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := startServer(t)
			sess := dial(t, s, tc.opts...)
			require.NotZero(t, sess.ID())
			require.True(t, sess.HasCapability(client.CapBase10))
			require.False(t, sess.HasCapability(netconfcore.CapNotification))

			data, err := sess.GetConfig(ctx, client.Running)
			require.NoError(t, err)
			require.Contains(t, string(data), "router1")

			require.NoError(t, sess.Lock(ctx, client.Candidate))
			edit := `<system xmlns="` + usersNS + `"><hostname>edge7</hostname></system>`
			require.NoError(t, sess.EditConfig(ctx, client.Candidate, []byte(edit)))
			require.NoError(t, sess.Commit(ctx))
			require.NoError(t, sess.Unlock(ctx, client.Candidate))

			var buf bytes.Buffer
			require.NoError(t, sess.GetConfigTo(ctx, &buf, client.Running))
			require.Contains(t, buf.String(), "edge7")

			require.NoError(t, sess.Close(ctx))
			_, err = sess.GetConfig(ctx, client.Running)
			require.ErrorIs(t, err, client.ErrSessionClosed)
			require.EqualValues(t, 1, s.SOAPConnections())
			require.Empty(t, s.Engine.Sessions())
		})
	}
}

func TestFaultIsRPCError(t *testing.T) {
	ctx := context.Background()
	s := startServer(t)
	a, b := dial(t, s), dial(t, s, soapclient.WithSOAP12())
	require.NoError(t, a.Lock(ctx, client.Running))
	err := b.Lock(ctx, client.Running)
	var rerr *rpcerror.Error
	require.ErrorAs(t, err, &rerr)
	require.Equal(t, rpcerror.LockDenied, rerr.Tag)
	require.Equal(t, a.ID(), *rerr.Info.SessionID)

	// The session survives an rpc-error.
	_, err = b.GetConfig(ctx, client.Running)
	require.NoError(t, err)
}

func TestLostConnectionIsNotRedialed(t *testing.T) {
	ctx := context.Background()
	s := startServer(t)
	victim, killer := dial(t, s), dial(t, s)
	require.NoError(t, killer.KillSession(ctx, victim.ID()))
	for range 2 {
		_, err := victim.GetConfig(ctx, client.Running)
		require.ErrorIs(t, err, client.ErrSessionClosed)
	}
	require.EqualValues(t, 2, s.SOAPConnections())
}

func TestTransportClose(t *testing.T) {
	ctx := context.Background()
	s := startServer(t)
	sess := dial(t, s)
	require.NoError(t, sess.Transport().Close())
	_, err := sess.GetConfig(ctx, client.Running)
	require.ErrorIs(t, err, client.ErrSessionClosed)
	require.Eventually(t, func() bool { return len(s.Engine.Sessions()) == 0 }, 10*time.Second, 5*time.Millisecond)
}

func TestAuthFailure(t *testing.T) {
	s := startServer(t)
	_, err := soapclient.Dial(context.Background(), s.url, soapclient.WithBasicAuth(user, "wrong"))
	var se *soapclient.StatusError
	require.ErrorAs(t, err, &se)
	require.Equal(t, http.StatusUnauthorized, se.StatusCode)
	var f *soapenv.Fault
	require.ErrorAs(t, err, &f)
}

func TestDialErrors(t *testing.T) {
	_, err := soapclient.Dial(context.Background(), "ftp://example.net/netconf")
	require.ErrorContains(t, err, "not http or https")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	_, err = soapclient.Dial(context.Background(), "http://"+addr+"/netconf", soapclient.WithTimeout(time.Second))
	var oe *net.OpError
	require.ErrorAs(t, err, &oe, "a refused connection is a network error")
}

func TestTLS(t *testing.T) {
	s := startServer(t)
	pem, err := os.ReadFile(s.CAFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem))
	s.url = s.HTTPSURL
	sess := dial(t, s, soapclient.WithTLSConfig(&tls.Config{RootCAs: pool}))
	_, err = sess.GetConfig(context.Background(), client.Running)
	require.NoError(t, err)
}

func TestRawRoundTrip(t *testing.T) {
	s := startServer(t)
	tr, err := soapclient.Connect(context.Background(), s.url, soapclient.WithBasicAuth(user, password))
	require.NoError(t, err)
	defer tr.Close()
	require.Contains(t, string(tr.Hello()), "<session-id>")
	body, err := tr.RoundTrip(context.Background(), func(w io.Writer) error {
		_, err := io.WriteString(w, `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="x" xmlns:ex="urn:example"><get-config><source><running/></source></get-config></rpc>`)
		return err
	})
	require.NoError(t, err)
	// Close drains an unread reply and keeps the connection in step.
	require.NoError(t, body.Close())
	body, err = tr.RoundTrip(context.Background(), func(w io.Writer) error {
		_, err := io.WriteString(w, `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="y"><get-config><source><running/></source></get-config></rpc>`)
		return err
	})
	require.NoError(t, err)
	b, err := io.ReadAll(body)
	require.NoError(t, err)
	require.NoError(t, body.Close())
	require.True(t, strings.HasPrefix(string(b), "<rpc-reply"), string(b))
	require.Contains(t, string(b), `message-id="y"`)
	require.EqualValues(t, 1, s.SOAPConnections())

	_, err = tr.RoundTrip(context.Background(), func(w io.Writer) error { return errors.New("boom") })
	require.ErrorContains(t, err, "boom")
}

func TestCanceledCall(t *testing.T) {
	s := startServer(t)
	sess := dial(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sess.GetConfig(ctx, client.Running)
	require.ErrorIs(t, err, context.Canceled)
	_, err = sess.GetConfig(context.Background(), client.Running)
	require.NoError(t, err, "a call canceled before it started leaves the session usable")
}
