package sshserver_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/framing"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/memtransport"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/sshclient"
	"github.com/ncsoap/ncsoap/sshserver"
)

const getConfigRPC = `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get-config><source><running/></source></get-config></rpc>`

// roundTrip sends msg and reads the whole reply.
func roundTrip(b *testing.B, tr *sshclient.Transport, msg []byte) int64 {
	body, err := tr.RoundTrip(context.Background(), func(w io.Writer) error {
		_, err := w.Write(msg)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, body)
	if err != nil {
		b.Fatal(err)
	}
	body.Close()
	return n
}

func dialTransport(b *testing.B, addr string, key ssh.PublicKey) *sshclient.Transport {
	tr, err := sshclient.DialTransport(context.Background(), "ssh://"+user+"@"+addr,
		sshclient.WithSigner(userKey), sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(key)))
	require.NoError(b, err)
	b.Cleanup(func() { tr.Close() })
	return tr
}

// BenchmarkGetConfigSmall measures sequential get-config of the sample
// configuration (~3 KB reply) on one session, bytes only, no client-side
// XML parsing; compare with BenchmarkBareEcho.
func BenchmarkGetConfigSmall(b *testing.B) {
	f := start(b, sshserver.Options{})
	tr := dialTransport(b, f.addr, f.key)
	msg := []byte(getConfigRPC)
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		n = roundTrip(b, tr, msg)
	}
	b.SetBytes(n)
}

// BenchmarkGetConfigSmallTyped is BenchmarkGetConfigSmall through
// client.Session.GetConfig, reply parsing included.
func BenchmarkGetConfigSmallTyped(b *testing.B) {
	f := start(b, sshserver.Options{})
	s, err := client.NewSession(dialTransport(b, f.addr, f.key))
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GetConfig(ctx, client.Running); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareEcho is the bound for BenchmarkGetConfigSmall: a Go SSH
// server that answers every framed request with a canned framed reply of
// the same size as the engine's, doing no NETCONF work.
func BenchmarkBareEcho(b *testing.B) {
	// The reply the engine gives, to echo the same number of bytes.
	f := start(b, sshserver.Options{})
	reply := captureReply(b, dialTransport(b, f.addr, f.key), []byte(getConfigRPC))

	addr, key := startBare(b, reply)
	tr := dialTransport(b, addr, key)
	msg := []byte(getConfigRPC)
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		n = roundTrip(b, tr, msg)
	}
	b.SetBytes(n)
}

func captureReply(b *testing.B, tr *sshclient.Transport, msg []byte) []byte {
	body, err := tr.RoundTrip(context.Background(), func(w io.Writer) error {
		_, err := w.Write(msg)
		return err
	})
	require.NoError(b, err)
	var buf bytes.Buffer
	_, err = io.Copy(&buf, body)
	require.NoError(b, err)
	body.Close()
	return buf.Bytes()
}

// startBare starts the echo server and returns its address and host key.
func startBare(b *testing.B, reply []byte) (string, ssh.PublicKey) {
	hk, err := ssh.NewSignerFromKey(mustKey(b))
	require.NoError(b, err)
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if !bytes.Equal(k.Marshal(), userKey.PublicKey().Marshal()) {
				return nil, fmt.Errorf("unknown key")
			}
			return &ssh.Permissions{}, nil
		},
	}
	cfg.AddHostKey(hk)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	b.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go bareConn(conn, cfg, reply)
		}
	}()
	return l.Addr().String(), hk.PublicKey()
}

func bareConn(conn net.Conn, cfg *ssh.ServerConfig, reply []byte) {
	defer conn.Close()
	_, chans, reqs, err := ssh.NewServerConn(conn, cfg)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		ch, chReqs, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			for req := range chReqs {
				req.Reply(req.Type == "subsystem", nil)
			}
		}()
		go bareSession(ch, reply)
	}
}

func bareSession(ch ssh.Channel, reply []byte) {
	defer ch.Close()
	r, w := framing.NewReader(ch), framing.NewWriter(ch)
	hello := `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>1</session-id></hello>`
	if w.WriteMessage([]byte(hello)) != nil {
		return
	}
	if _, err := r.ReadMessage(); err != nil {
		return
	}
	r.Upgrade()
	w.Upgrade()
	for {
		msg, err := r.Next()
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, msg); err != nil {
			return
		}
		if w.WriteMessage(reply) != nil {
			return
		}
	}
}

// BenchmarkSessionSetup measures connect, public-key authentication,
// subsystem and hello exchange, and close.
func BenchmarkSessionSetup(b *testing.B) { benchSetup(b, sshclient.WithSigner(userKey)) }

// BenchmarkSessionSetupPassword is BenchmarkSessionSetup with password
// authentication, which costs an Argon2id hash on the server.
func BenchmarkSessionSetupPassword(b *testing.B) { benchSetup(b, sshclient.WithPassword(password)) }

func benchSetup(b *testing.B, login sshclient.Option) {
	f := start(b, sshserver.Options{})
	b.ReportAllocs()
	for b.Loop() {
		tr, err := sshclient.DialTransport(context.Background(), f.url,
			login, sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(f.key)))
		if err != nil {
			b.Fatal(err)
		}
		tr.Close()
	}
}

// BenchmarkEditConfigSmall measures sequential one-leaf edit-config of
// running on one session.
func BenchmarkEditConfigSmall(b *testing.B) {
	f := start(b, sshserver.Options{})
	tr := dialTransport(b, f.addr, f.key)
	msgs := [2][]byte{}
	for i, mtu := range []string{"1400", "1500"} {
		msgs[i] = []byte(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><edit-config><target><running/></target><config>` +
			string(mtuEdit(mtu)) + `</config></edit-config></rpc>`)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		roundTrip(b, tr, msgs[i%2])
		i++
	}
}

// BenchmarkEngineGetConfigSmall is the engine's share of
// BenchmarkGetConfigSmall: the same rpc run in memory, without SSH.
func BenchmarkEngineGetConfigSmall(b *testing.B) {
	engine := newEngine(b, schema.SampleConfig())
	conn, err := memtransport.Dial(engine, netconfcore.SessionInfo{Username: user})
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := conn.Exchange(ctx, getConfigRPC); err != nil {
			b.Fatal(err)
		}
	}
}
