package sshinterop

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/framing"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/sshclient"
)

const interopNS = "urn:ncsoap:interop"

// netconfd is yuma123 netconfd behind a private sshd on a loopback port.
type netconfd struct {
	url    string
	pin    sshclient.Option
	key    ssh.Signer
	logDir string
}

// startNetconfd starts netconfd with its own socket and a private sshd
// whose netconf subsystem relays to it, as peer-notes.md describes. The
// subsystem takes the socket as --ncxserver-sockname=PORT@PATH, PORT
// being the sshd port the connection came in on; a plain PATH is
// ignored.
func startNetconfd(t *testing.T) *netconfd {
	t.Helper()
	for _, bin := range []string{"/usr/sbin/sshd", "/usr/sbin/netconfd", "/usr/sbin/netconf-subsystem"} {
		_, err := os.Stat(bin)
		require.NoError(t, err, "%s is required (apt-get install netconfd openssh-server)", bin)
	}
	me, err := user.Current()
	require.NoError(t, err)
	dir, err := os.MkdirTemp("", "ncd")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := func(name string) string { return filepath.Join(dir, name) }

	// netconfd's ietf-interfaces support shells out to a helper the
	// package does not ship; a stub on its PATH keeps it running.
	require.NoError(t, os.WriteFile(path("get-interface-ipv4"), []byte("#!/bin/sh\n"), 0o755))
	yang, err := os.ReadFile(filepath.Join("testdata", "ncsoap-interop.yang"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path("ncsoap-interop.yang"), yang, 0o644))

	// netconfd accepts relayed sessions only from the ports it is told
	// of.
	port := freePort(t)
	sock := path("ncx.sock")
	ncd := exec.Command("/usr/sbin/netconfd",
		"--ncxserver-sockname="+sock, fmt.Sprintf("--port=%d", port), "--superuser="+me.Username,
		"--module="+path("ncsoap-interop.yang"), "--no-startup",
		"--log="+path("netconfd.log"), "--log-level=info")
	ncd.Env = append(os.Environ(), "HOME="+dir, "PATH="+dir+":"+os.Getenv("PATH"))
	ncd.Dir = dir
	require.NoError(t, ncd.Start())
	t.Cleanup(func() {
		ncd.Process.Kill()
		ncd.Wait()
	})
	waitFor(t, func() bool { _, err := os.Stat(sock); return err == nil }, "netconfd socket", path("netconfd.log"))

	hostKey := writeKey(t, path("host_key"))
	clientKey := writeKey(t, path("client_key"))
	require.NoError(t, os.WriteFile(path("authorized_keys"), ssh.MarshalAuthorizedKey(clientKey.PublicKey()), 0o600))
	conf := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
PidFile %s
AuthorizedKeysFile %s
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
Subsystem netconf /usr/sbin/netconf-subsystem --ncxserver-sockname=%d@%s
`, port, path("host_key"), path("sshd.pid"), path("authorized_keys"), port, sock)
	require.NoError(t, os.WriteFile(path("sshd_config"), []byte(conf), 0o600))
	if os.Geteuid() == 0 {
		require.NoError(t, os.MkdirAll("/run/sshd", 0o755))
	}
	var sshdLog bytes.Buffer
	sshd := exec.Command("/usr/sbin/sshd", "-D", "-e", "-f", path("sshd_config"))
	sshd.Stdout, sshd.Stderr = &sshdLog, &sshdLog
	require.NoError(t, sshd.Start())
	t.Cleanup(func() {
		sshd.Process.Kill()
		sshd.Wait()
		if t.Failed() {
			t.Logf("sshd log:\n%s", sshdLog.String())
			b, _ := os.ReadFile(path("netconfd.log"))
			t.Logf("netconfd log:\n%s", b)
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	waitFor(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, "sshd port", "")
	return &netconfd{
		url:    "ssh://" + me.Username + "@" + addr,
		pin:    sshclient.WithHostKeyFingerprint(ssh.FingerprintSHA256(hostKey.PublicKey())),
		key:    clientKey,
		logDir: dir,
	}
}

// writeKey generates an Ed25519 key and writes it in OpenSSH form.
func writeKey(t *testing.T, path string) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	block, err := ssh.MarshalPrivateKey(priv, "")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(block), 0o600))
	s, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	return s
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitFor polls ready for up to 20 s.
func waitFor(t *testing.T, ready func() bool, what, logFile string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ready() {
			return
		}
	}
	b, _ := os.ReadFile(logFile)
	t.Fatalf("%s not ready after 20 s\n%s", what, b)
}

func (n *netconfd) dial(t *testing.T, opts ...sshclient.Option) *client.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := sshclient.Dial(ctx, n.url, append([]sshclient.Option{sshclient.WithSigner(n.key), n.pin}, opts...)...)
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
