package sshserver_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/framing"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/sshclient"
	"github.com/ncsoap/ncsoap/sshserver"
)

func TestVersions(t *testing.T) {
	f := start(t, sshserver.Options{})
	ctx := context.Background()
	tests := []struct {
		name string
		caps []string
		mode framing.Mode
	}{
		{"base 1.1", []string{client.CapBase10, client.CapBase11}, framing.Chunked},
		{"base 1.0", []string{client.CapBase10}, framing.EndOfMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := sshclient.DialTransport(ctx, f.url, sshclient.WithSigner(userKey),
				sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(f.key)), sshclient.WithCapabilities(tt.caps...))
			require.NoError(t, err)
			require.Equal(t, tt.mode, tr.Framing())
			s, err := client.NewSession(tr)
			require.NoError(t, err)
			require.NoError(t, s.EditConfig(ctx, client.Running, mtuEdit("1500")))
			data, err := s.GetConfig(ctx, client.Running)
			require.NoError(t, err)
			require.Contains(t, string(data), "<mtu>1500</mtu>")
			require.NoError(t, s.Close(ctx))
		})
	}
}

func TestAuthentication(t *testing.T) {
	f := start(t, sshserver.Options{})
	ctx := context.Background()
	pin := sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(f.key))

	s, err := sshclient.Dial(ctx, f.url, sshclient.WithPassword(password), pin)
	require.NoError(t, err)
	require.NoError(t, s.Close(ctx))

	_, err = sshclient.Dial(ctx, "ssh://"+user+":"+password+"@"+f.addr, pin)
	require.NoError(t, err)

	_, err = sshclient.Dial(ctx, f.url, sshclient.WithPassword("wrong"), pin)
	require.ErrorContains(t, err, "unable to authenticate")

	other, err := ssh.NewSignerFromKey(mustKey(t))
	require.NoError(t, err)
	_, err = sshclient.Dial(ctx, f.url, sshclient.WithSigner(other), pin)
	require.ErrorContains(t, err, "unable to authenticate")

	_, err = sshclient.Dial(ctx, "ssh://nobody@"+f.addr, sshclient.WithPassword(password), pin)
	require.ErrorContains(t, err, "unable to authenticate")

	_, err = sshclient.Dial(ctx, f.url, pin)
	require.ErrorIs(t, err, sshclient.ErrNoAuth)
}

func TestHostKeyChecks(t *testing.T) {
	f := start(t, sshserver.Options{})
	ctx := context.Background()
	key := sshclient.WithSigner(userKey)

	_, err := sshclient.Dial(ctx, f.url, key, sshclient.WithHostKeyFingerprint("SHA256:AAAA"))
	require.ErrorContains(t, err, "does not match")
	_, err = sshclient.Dial(ctx, f.url, key, sshclient.WithHostKeyFingerprint("MD5:aa"))
	require.ErrorContains(t, err, "SHA256")

	known := filepath.Join(t.TempDir(), "known_hosts")
	require.NoError(t, os.WriteFile(known, []byte(knownhosts.Line([]string{f.addr}, f.key)+"\n"), 0o600))
	s, err := sshclient.Dial(ctx, f.url, key, sshclient.WithKnownHosts(known))
	require.NoError(t, err)
	require.NoError(t, s.Close(ctx))

	other, err := ssh.NewSignerFromKey(mustKey(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(known, []byte(knownhosts.Line([]string{f.addr}, other.PublicKey())+"\n"), 0o600))
	_, err = sshclient.Dial(ctx, f.url, key, sshclient.WithKnownHosts(known))
	require.ErrorContains(t, err, "knownhosts")

	s, err = sshclient.Dial(ctx, f.url, key, sshclient.InsecureIgnoreHostKey())
	require.NoError(t, err)
	require.NoError(t, s.Close(ctx))

	_, err = sshclient.Dial(ctx, "http://"+f.addr, key)
	require.ErrorContains(t, err, "not an ssh://")
}

func TestRefusedRequests(t *testing.T) {
	f := start(t, sshserver.Options{})
	c := f.rawConn(t)

	_, _, err := c.OpenChannel("direct-tcpip", nil)
	require.ErrorContains(t, err, "unknown channel type")

	for _, req := range []struct {
		typ     string
		payload []byte
	}{
		{"exec", ssh.Marshal(struct{ Cmd string }{"id"})},
		{"shell", nil},
		{"subsystem", ssh.Marshal(struct{ Name string }{"sftp"})},
		{"pty-req", nil},
	} {
		ch, reqs, err := c.OpenChannel("session", nil)
		require.NoError(t, err)
		go ssh.DiscardRequests(reqs)
		ok, err := ch.SendRequest(req.typ, true, req.payload)
		require.NoError(t, err)
		require.False(t, ok, req.typ)
		ch.Close()
	}

	// After the subsystem started, a second one is refused.
	ch := rawSession(t, c)
	ok, err := ch.SendRequest("subsystem", true, ssh.Marshal(struct{ Name string }{"netconf"}))
	require.NoError(t, err)
	require.False(t, ok)
}

// readAll reads ch to its end, with the framing of a new session.
func serverHello(t *testing.T, ch ssh.Channel) *framing.Reader {
	t.Helper()
	r := framing.NewReader(ch)
	hello, err := r.ReadMessage()
	require.NoError(t, err)
	require.Contains(t, string(hello), "<session-id>")
	return r
}

const hello11 = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>`

func TestFramingErrorEndsSession(t *testing.T) {
	tests := []struct {
		name  string
		input string
	}{
		{"zero chunk", hello11 + "\n#0\n"},
		{"leading zero", hello11 + "\n#01\n<"},
		{"too large chunk", hello11 + "\n#4294967296\n"},
		{"not a header", hello11 + "<rpc/>"},
		{"truncated after header", hello11 + "\n#100\n<rpc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := start(t, sshserver.Options{})
			ch := rawSession(t, f.rawConn(t))
			r := serverHello(t, ch)
			_, err := io.WriteString(ch, tt.input)
			require.NoError(t, err)
			if tt.name == "truncated after header" {
				ch.CloseWrite()
			}
			r.Upgrade()
			_, err = r.ReadMessage()
			require.ErrorIs(t, err, io.EOF, "the server must close the channel without a reply")
			require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 0 }, 5*time.Second, 5*time.Millisecond)
		})
	}
}

func TestBadHelloEndsSession(t *testing.T) {
	f := start(t, sshserver.Options{})
	ch := rawSession(t, f.rawConn(t))
	r := serverHello(t, ch)
	_, err := io.WriteString(ch, `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>4</session-id></hello>]]>]]>`)
	require.NoError(t, err)
	_, err = r.ReadMessage()
	require.ErrorIs(t, err, io.EOF)
}

func TestMaxMessageSize(t *testing.T) {
	f := start(t, sshserver.Options{MaxMessageSize: 1000})
	ch := rawSession(t, f.rawConn(t))
	r := serverHello(t, ch)
	big := fmt.Sprintf(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/><!--%s--></rpc>`, strings.Repeat("x", 2000))
	go func() {
		io.WriteString(ch, hello11)
		w := framing.NewWriter(ch)
		w.Upgrade()
		w.WriteMessage([]byte(big))
	}()
	r.Upgrade()
	reply, err := r.ReadMessage()
	require.NoError(t, err)
	require.Contains(t, string(reply), "too-big")
	_, err = r.ReadMessage()
	require.ErrorIs(t, err, io.EOF)
}

func TestKillSessionClosesChannel(t *testing.T) {
	f := start(t, sshserver.Options{})
	ctx := context.Background()
	a, b := f.dial(t), f.dial(t)
	require.NoError(t, a.Lock(ctx, client.Running))
	err := b.Lock(ctx, client.Running)
	var list rpcerror.List
	require.ErrorAs(t, err, &list)
	require.Equal(t, rpcerror.LockDenied, list[0].Tag)
	require.NoError(t, b.KillSession(ctx, a.ID()))
	_, err = a.Get(ctx)
	require.ErrorIs(t, err, client.ErrSessionClosed)
	require.NoError(t, b.Lock(ctx, client.Running))
	require.NoError(t, b.Close(ctx))
	require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 0 }, 5*time.Second, 5*time.Millisecond)
}

func TestCloseSession(t *testing.T) {
	f := start(t, sshserver.Options{})
	ch := rawSession(t, f.rawConn(t))
	r := serverHello(t, ch)
	_, err := io.WriteString(ch, hello11)
	require.NoError(t, err)
	w := framing.NewWriter(ch)
	w.Upgrade()
	r.Upgrade()
	// Messages after close-session are not processed.
	var b bytes.Buffer
	b.WriteString(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><close-session/></rpc>`)
	require.NoError(t, w.WriteMessage(b.Bytes()))
	require.NoError(t, w.WriteMessage([]byte(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="2"><get/></rpc>`)))
	reply, err := r.ReadMessage()
	require.NoError(t, err)
	require.Contains(t, string(reply), "<ok/>")
	_, err = r.ReadMessage()
	require.ErrorIs(t, err, io.EOF)
}

func TestIdleTimeout(t *testing.T) {
	f := start(t, sshserver.Options{IdleTimeout: 50 * time.Millisecond})
	s := f.dial(t)
	require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 0 }, 5*time.Second, 5*time.Millisecond)
	_, err := s.Get(context.Background())
	require.ErrorIs(t, err, client.ErrSessionClosed)
}

func TestEngineShutdownClosesSessions(t *testing.T) {
	f := start(t, sshserver.Options{})
	s := f.dial(t)
	require.NoError(t, f.engine.Shutdown(context.Background()))
	_, err := s.Get(context.Background())
	require.ErrorIs(t, err, client.ErrSessionClosed)
}

func TestShutdown(t *testing.T) {
	f := start(t, sshserver.Options{})
	s := f.dial(t)
	require.NoError(t, f.srv.Shutdown(context.Background()))
	_, err := s.Get(context.Background())
	require.ErrorIs(t, err, client.ErrSessionClosed)
	require.Empty(t, f.engine.Sessions())
}

func TestSlowReaderDoesNotStallOthers(t *testing.T) {
	f := start(t, sshserver.Options{})
	// A client that sends requests and never reads a reply fills its
	// channel window; the server then blocks writing to it.
	ch := rawSession(t, f.rawConn(t))
	serverHello(t, ch)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.WriteString(ch, hello11)
		w := framing.NewWriter(ch)
		w.Upgrade()
		for i := range 4000 {
			msg := fmt.Sprintf(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="%d"><get-config><source><running/></source></get-config></rpc>`, i)
			if w.WriteMessage([]byte(msg)) != nil {
				return
			}
		}
	}()
	ctx := context.Background()
	s := f.dial(t)
	for range 50 {
		require.NoError(t, s.EditConfig(ctx, client.Running, mtuEdit("1400")))
		_, err := s.GetConfig(ctx, client.Running)
		require.NoError(t, err)
	}
	ch.Close()
	wg.Wait()
}

func TestConcurrentSessions(t *testing.T) {
	f := start(t, sshserver.Options{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := sshclient.Dial(ctx, f.url, sshclient.WithSigner(userKey),
				sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(f.key)))
			if !assertNoError(t, err) {
				return
			}
			defer s.Close(ctx)
			for j := range 10 {
				if !assertNoError(t, s.EditConfig(ctx, client.Candidate, mtuEdit(fmt.Sprint(1000+i*10+j)))) {
					return
				}
				_, err := s.Get(ctx)
				if !assertNoError(t, err) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

func assertNoError(t *testing.T, err error) bool {
	t.Helper()
	if err != nil {
		t.Error(err)
		return false
	}
	return true
}

func TestHostKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "host_key")
	k1, err := sshserver.LoadOrCreateHostKey(path)
	require.NoError(t, err)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("-----BEGIN OPENSSH PRIVATE KEY-----")))

	k2, err := sshserver.LoadOrCreateHostKey(path)
	require.NoError(t, err)
	require.Equal(t, k1.PublicKey().Marshal(), k2.PublicKey().Marshal())

	require.NoError(t, os.Chmod(path, 0o644))
	_, err = sshserver.LoadOrCreateHostKey(path)
	require.ErrorContains(t, err, "too open")

	bad := filepath.Join(dir, "bad")
	require.NoError(t, os.WriteFile(bad, []byte("not a key"), 0o600))
	_, err = sshserver.LoadOrCreateHostKey(bad)
	require.Error(t, err)

	_, err = sshserver.LoadOrCreateHostKey(filepath.Join(dir, "missing", "key"))
	require.Error(t, err)
}

func TestNewRequiresHostKey(t *testing.T) {
	_, err := sshserver.New(newEngine(t, nil), users, sshserver.Options{})
	require.ErrorContains(t, err, "host key")
}

func TestAgentAndKeyFile(t *testing.T) {
	f := start(t, sshserver.Options{})
	ctx := context.Background()
	pin := sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(f.key))

	keyring := agent.NewKeyring()
	require.NoError(t, keyring.Add(agent.AddedKey{PrivateKey: userPrivateKey}))
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				agent.ServeAgent(keyring, c)
			}()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)
	s, err := sshclient.Dial(ctx, f.url, sshclient.WithAgent(), pin)
	require.NoError(t, err)
	require.NoError(t, s.Close(ctx))

	block, err := ssh.MarshalPrivateKey(userPrivateKey, "")
	require.NoError(t, err)
	keyFile := filepath.Join(t.TempDir(), "id_ed25519")
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600))
	s, err = sshclient.Dial(ctx, f.url, sshclient.WithKeyFile(keyFile), pin)
	require.NoError(t, err)
	require.NoError(t, s.Close(ctx))
}

func TestPasswordFailuresAreLimited(t *testing.T) {
	lim := auth.NewLimiter()
	f := start(t, sshserver.Options{Limiter: lim})
	pin := sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(f.key))
	for range auth.FreeFailures {
		_, err := sshclient.Dial(context.Background(), f.url, sshclient.WithPassword("wrong"), pin)
		require.Error(t, err)
	}
	require.Positive(t, lim.Delay("127.0.0.1:1"))
}

func TestMaxChannels(t *testing.T) {
	f := start(t, sshserver.Options{MaxChannels: 2})
	c := f.rawConn(t)
	rawSession(t, c)
	rawSession(t, c)
	_, _, err := c.OpenChannel("session", nil)
	require.ErrorContains(t, err, "too many sessions")
}

func TestDeadConnectionEndsSession(t *testing.T) {
	f := start(t, sshserver.Options{})
	c := f.rawConn(t)
	ch := rawSession(t, c)
	serverHello(t, ch)
	_, err := io.WriteString(ch, hello11)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 1 }, 5*time.Second, 5*time.Millisecond)
	c.Close()
	require.Eventually(t, func() bool { return len(f.engine.Sessions()) == 0 }, 5*time.Second, 5*time.Millisecond)
}

func TestSilentConnectionsAreClosed(t *testing.T) {
	f := start(t, sshserver.Options{HandshakeTimeout: 50 * time.Millisecond})
	// No SSH at all.
	conn, err := net.Dial("tcp", f.addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.Copy(io.Discard, conn)
	require.NoError(t, err, "the server closes the connection")
	// Authenticated, but no netconf subsystem.
	c := f.rawConn(t)
	require.Error(t, c.Wait())
}
