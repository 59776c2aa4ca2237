package sshinterop

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/framing"
	"github.com/ncsoap/ncsoap/internal/peers"
	"github.com/ncsoap/ncsoap/internal/peertest"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/sshclient"
)

const interopNS = "urn:ncsoap:interop"

// netconfd is yuma123 netconfd behind a private sshd on a loopback port,
// with the key our client logs in with.
type netconfd struct {
	*peers.NetconfdServer
	key ssh.Signer
}

// startNetconfd installs the Debian packages netconfd and
// openssh-server when they are missing and starts netconfd with the
// interop module.
func startNetconfd(t *testing.T) *netconfd {
	t.Helper()
	peertest.RequireFile(t, peers.Netconfd, "netconfd")
	peertest.RequireFile(t, peers.Subsystem, "netconfd")
	peertest.RequireFile(t, peers.SSHD, "openssh-server")
	yang, err := os.ReadFile(filepath.Join("testdata", "ncsoap-interop.yang"))
	require.NoError(t, err)
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	key, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	srv, err := peers.StartNetconfd(context.Background(), peers.NetconfdConfig{
		Module: yang, ModuleFile: "ncsoap-interop.yang", AuthorizedKey: key.PublicKey(),
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		srv.Close()
		if t.Failed() {
			t.Logf("peer logs:\n%s", srv.Logs())
		}
	})
	return &netconfd{NetconfdServer: srv, key: key}
}

func (n *netconfd) dial(t *testing.T, opts ...sshclient.Option) *client.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pin := sshclient.WithHostKeyFingerprint(n.HostKeyFingerprint)
	s, err := sshclient.Dial(ctx, n.URL(), append([]sshclient.Option{sshclient.WithSigner(n.key), pin}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Transport().Close() })
	// netconfd 2.13 breaks a base:1.1 session when it reads the
	// client's hello and the first rpc in one read: it answers the rpc
	// and then fails on the session ("IO failed"), leaving the channel
	// open and the client waiting. Both hellos are sent at once, as RFC
	// 6241 §8.1 requires, so only a pause before the first rpc keeps
	// them apart.
	time.Sleep(300 * time.Millisecond)
	return s
}

func entry(name, body, op string) []byte {
	attr := ""
	if op != "" {
		attr = ` xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="` + op + `"`
	}
	return []byte(`<settings xmlns="` + interopNS + `"><entry` + attr + `><name>` + name + `</name>` + body + `</entry></settings>`)
}

func requireTag(t *testing.T, err error, tag rpcerror.Tag) *rpcerror.Error {
	t.Helper()
	var list rpcerror.List
	require.ErrorAs(t, err, &list, "want rpc-error %s", tag)
	require.Equal(t, tag, list[0].Tag, list.Error())
	return list[0]
}

// TestNetconfd drives netconfd with our client through the ncclient
// sequence, where netconfd supports it.
func TestNetconfd(t *testing.T) {
	n := startNetconfd(t)
	// A peer that stops answering fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("hello", func(t *testing.T) {
		for _, tt := range []struct {
			caps []string
			mode framing.Mode
		}{
			{[]string{client.CapBase10, client.CapBase11}, framing.Chunked},
			{[]string{client.CapBase10}, framing.EndOfMessage},
		} {
			s := n.dial(t, sshclient.WithCapabilities(tt.caps...))
			require.Equal(t, tt.mode, s.Transport().(*sshclient.Transport).Framing())
			require.NotZero(t, s.ID())
			_, err := s.GetConfig(ctx, client.Running)
			require.NoError(t, err)
			require.NoError(t, s.Close(ctx))
		}
	})

	s := n.dial(t)
	require.True(t, s.HasCapability("urn:ietf:params:netconf:capability:candidate:1.0"))

	t.Run("edit-config operations", func(t *testing.T) {
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("a", "<value>1</value>", "")))
		requireTag(t, s.EditConfig(ctx, client.Candidate, entry("a", "", "create")), rpcerror.DataExists)
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("b", "<value>2</value>", "create")))
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("b", "<note>replaced</note>", "replace")))
		data, err := s.GetConfig(ctx, client.Candidate)
		require.NoError(t, err)
		require.Contains(t, string(data), "replaced")
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("b", "", "delete")))
		requireTag(t, s.EditConfig(ctx, client.Candidate, entry("b", "", "delete")), rpcerror.DataMissing)
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("b", "", "remove")))
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("a", "<value>3</value>", "merge"),
			client.WithDefaultOperation(client.None)))
		// RFC 6241 allows bad-element (netconfd's choice) as well as
		// invalid-value for a value of the wrong type.
		var list rpcerror.List
		require.ErrorAs(t, s.EditConfig(ctx, client.Candidate, entry("a", "<value>x</value>", "")), &list)
		require.Contains(t, []rpcerror.Tag{rpcerror.InvalidValue, rpcerror.BadElement}, list[0].Tag)
	})

	t.Run("commit", func(t *testing.T) {
		require.NoError(t, s.Commit(ctx))
		data, err := s.GetConfig(ctx, client.Running)
		require.NoError(t, err)
		require.Contains(t, string(data), "<value>3</value>")
		require.NoError(t, s.Validate(ctx, client.Candidate))
	})

	t.Run("get and filters", func(t *testing.T) {
		data, err := s.Get(ctx)
		require.NoError(t, err)
		require.Contains(t, string(data), "<value>3</value>")
		sub := client.Subtree([]byte(`<settings xmlns="` + interopNS + `"><entry><name>a</name></entry></settings>`))
		data, err = s.GetConfig(ctx, client.Running, client.WithFilter(sub))
		require.NoError(t, err)
		require.Contains(t, string(data), "<value>3</value>")
		// The prefix is the module's own, so that netconfd, which
		// resolves XPath prefixes by module prefix, agrees.
		xp := client.XPath("/nci:settings/nci:entry[nci:name='a']/nci:value", map[string]string{"nci": interopNS})
		data, err = s.GetConfig(ctx, client.Running, client.WithFilter(xp))
		require.NoError(t, err)
		require.Contains(t, string(data), "3</")
	})

	t.Run("confirmed commit rolls back", func(t *testing.T) {
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("a", "<value>4</value>", "")))
		require.NoError(t, s.Commit(ctx, client.Confirmed(time.Second)))
		data, err := s.GetConfig(ctx, client.Running)
		require.NoError(t, err)
		require.Contains(t, string(data), "<value>4</value>")
		// netconfd runs its timers only when idle for about a second.
		time.Sleep(4 * time.Second)
		data, err = s.GetConfig(ctx, client.Running)
		require.NoError(t, err)
		require.Contains(t, string(data), "<value>3</value>")
	})

	t.Run("cancel-commit", func(t *testing.T) {
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("a", "<value>5</value>", "")))
		require.NoError(t, s.Commit(ctx, client.Confirmed(time.Minute)))
		require.NoError(t, s.CancelCommit(ctx))
		data, err := s.GetConfig(ctx, client.Running)
		require.NoError(t, err)
		require.Contains(t, string(data), "<value>3</value>")
	})

	t.Run("discard-changes", func(t *testing.T) {
		require.NoError(t, s.EditConfig(ctx, client.Candidate, entry("a", "<value>6</value>", "")))
		require.NoError(t, s.DiscardChanges(ctx))
		data, err := s.GetConfig(ctx, client.Candidate)
		require.NoError(t, err)
		require.Contains(t, string(data), "<value>3</value>")
	})

	t.Run("locks and kill-session", func(t *testing.T) {
		other := n.dial(t)
		require.NoError(t, s.Lock(ctx, client.Running))
		e := requireTag(t, other.Lock(ctx, client.Running), rpcerror.LockDenied)
		require.NotNil(t, e.Info.SessionID)
		require.Equal(t, s.ID(), *e.Info.SessionID)
		require.NoError(t, s.Unlock(ctx, client.Running))
		require.NoError(t, other.Lock(ctx, client.Candidate))
		require.NoError(t, s.KillSession(ctx, other.ID()))
		_, err := other.Get(ctx)
		require.ErrorIs(t, err, client.ErrSessionClosed)
		require.NoError(t, s.Lock(ctx, client.Candidate))
		require.NoError(t, s.Unlock(ctx, client.Candidate))
	})

	t.Run("larger configuration", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`<settings xmlns="` + interopNS + `">`)
		for i := range 500 {
			fmt.Fprintf(&b, "<entry><name>bulk%d</name><value>%d</value><note>%s</note></entry>", i, i, strings.Repeat("n", 200))
		}
		b.WriteString(`</settings>`)
		require.NoError(t, s.EditConfig(ctx, client.Candidate, []byte(b.String())))
		var out bytes.Buffer
		require.NoError(t, s.GetConfigTo(ctx, &out, client.Candidate))
		require.Equal(t, 500, strings.Count(out.String(), "<name>bulk"))
		require.NoError(t, s.DiscardChanges(ctx))
	})

	t.Run("close-session", func(t *testing.T) {
		require.NoError(t, s.Close(ctx))
		_, err := s.Get(ctx)
		require.ErrorIs(t, err, client.ErrSessionClosed)
	})
}
