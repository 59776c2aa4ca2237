package sshserver_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/sshclient"
	"github.com/ncsoap/ncsoap/sshserver"
)

const (
	ifNS     = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	user     = "admin"
	password = "secret"
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
	users, userKey, userPrivateKey = func() (*auth.Users, ssh.Signer, ed25519.PrivateKey) {
		u := auth.NewMemory()
		if err := u.SetPassword(user, password); err != nil {
			panic(err)
		}
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		signer, err := ssh.NewSignerFromKey(priv)
		if err != nil {
			panic(err)
		}
		if err := u.AddKey(user, ssh.MarshalAuthorizedKey(signer.PublicKey())); err != nil {
			panic(err)
		}
		return u, signer, priv
	}()
)

// fixture is an engine and an SSH server on a loopback port.
type fixture struct {
	engine *netconfcore.Server
	srv    *sshserver.Server
	addr   string
	url    string
	key    ssh.PublicKey
	served chan error
}

func newEngine(t testing.TB, initial []byte) *netconfcore.Server {
	t.Helper()
	ctx := context.Background()
	store, err := datastore.Open(ctx, schemaSet, datastore.Options{Initial: initial})
	require.NoError(t, err)
	engine, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store, Logger: quietLogger()})
	require.NoError(t, err)
	t.Cleanup(func() { engine.Shutdown(context.Background()) })
	return engine
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t testing.TB, opts sshserver.Options) *fixture {
	t.Helper()
	return startOn(t, newEngine(t, schema.SampleConfig()), opts)
}

func startOn(t testing.TB, engine *netconfcore.Server, opts sshserver.Options) *fixture {
	t.Helper()
	if len(opts.HostKeys) == 0 {
		hk, err := sshserver.LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host_key"))
		require.NoError(t, err)
		opts.HostKeys = []ssh.Signer{hk}
	}
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	srv, err := sshserver.New(engine, users, opts)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &fixture{
		engine: engine, srv: srv, addr: l.Addr().String(),
		url: "ssh://" + user + "@" + l.Addr().String(), key: opts.HostKeys[0].PublicKey(),
		served: make(chan error, 1),
	}
	go func() { f.served <- srv.Serve(l) }()
	t.Cleanup(func() {
		require.NoError(t, srv.Shutdown(context.Background()))
		require.True(t, errors.Is(<-f.served, sshserver.ErrServerClosed))
	})
	return f
}

// dial opens a session with the user's key and the pinned host key.
func (f *fixture) dial(t testing.TB, opts ...sshclient.Option) *client.Session {
	t.Helper()
	opts = append([]sshclient.Option{
		sshclient.WithSigner(userKey),
		sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(f.key)),
	}, opts...)
	s, err := sshclient.Dial(context.Background(), f.url, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Transport().Close() })
	return s
}

// rawConn is an SSH connection for tests that speak below the client.
func (f *fixture) rawConn(t testing.TB) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", f.addr, &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(userKey)},
		HostKeyCallback: ssh.FixedHostKey(f.key),
	})
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// rawSession opens the netconf subsystem on c and returns the channel.
func rawSession(t testing.TB, c *ssh.Client) ssh.Channel {
	t.Helper()
	ch, reqs, err := c.OpenChannel("session", nil)
	require.NoError(t, err)
	go ssh.DiscardRequests(reqs)
	ok, err := ch.SendRequest("subsystem", true, ssh.Marshal(struct{ Name string }{"netconf"}))
	require.NoError(t, err)
	require.True(t, ok)
	return ch
}

func mtuEdit(mtu string) []byte {
	return []byte(`<interfaces xmlns="` + ifNS + `"><interface><name>eth0</name><mtu>` + mtu + `</mtu></interface></interfaces>`)
}

func mustKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return k
}
