// Package sshclient connects to NETCONF servers over SSH (RFC 6242): it
// opens the "netconf" subsystem, exchanges hellos, switches to chunked
// framing when both sides speak base:1.1, and returns a client.Session.
//
// The server's host key is always checked: against a known_hosts file, a
// pinned SHA256 fingerprint, or, only when InsecureIgnoreHostKey is given,
// not at all. Without any of these, ~/.ssh/known_hosts is used.
package sshclient

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/framing"
)

// DefaultPort is the NETCONF over SSH port (RFC 6242 §7).
const DefaultPort = "830"

// Option configures Dial.
type Option func(*config) error

type config struct {
	user        string
	password    string
	hasPassword bool
	signers     []ssh.Signer
	agent       bool
	knownHosts  []string
	fingerprint string
	insecure    bool
	caps        []string
	maxMessage  int64
}

// WithUser sets the username, overriding the one in the URL.
func WithUser(name string) Option {
	return func(c *config) error { c.user = name; return nil }
}

// WithPassword authenticates with password (the SSH "password" and
// "keyboard-interactive" methods).
func WithPassword(password string) Option {
	return func(c *config) error { c.password, c.hasPassword = password, true; return nil }
}

// WithKeyFile authenticates with the unencrypted private key in the file
// at path (PEM or OpenSSH format).
func WithKeyFile(path string) Option {
	return func(c *config) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("sshclient: key file: %w", err)
		}
		s, err := ssh.ParsePrivateKey(b)
		if err != nil {
			return fmt.Errorf("sshclient: key file %s: %w", path, err)
		}
		c.signers = append(c.signers, s)
		return nil
	}
}

// WithSigner authenticates with the key of s.
func WithSigner(s ssh.Signer) Option {
	return func(c *config) error { c.signers = append(c.signers, s); return nil }
}

// WithAgent authenticates with the keys of the ssh-agent at
// $SSH_AUTH_SOCK.
func WithAgent() Option {
	return func(c *config) error { c.agent = true; return nil }
}

// WithKnownHosts checks the server's host key against the known_hosts
// files at paths.
func WithKnownHosts(paths ...string) Option {
	return func(c *config) error { c.knownHosts = append(c.knownHosts, paths...); return nil }
}

// WithHostKeyFingerprint accepts only the host key whose SHA256
// fingerprint, as ssh-keygen -l prints it ("SHA256:..."), is fp.
func WithHostKeyFingerprint(fp string) Option {
	return func(c *config) error {
		if !strings.HasPrefix(fp, "SHA256:") {
			return fmt.Errorf("sshclient: fingerprint %q is not of the form SHA256:<base64>", fp)
		}
		c.fingerprint = fp
		return nil
	}
}

// InsecureIgnoreHostKey accepts any host key, which lets anyone on the
// path impersonate the server. For tests only.
func InsecureIgnoreHostKey() Option {
	return func(c *config) error { c.insecure = true; return nil }
}

// WithCapabilities sets the capabilities of the client's hello (default
// base:1.0 and base:1.1).
func WithCapabilities(caps ...string) Option {
	return func(c *config) error { c.caps = caps; return nil }
}

// WithMaxMessageSize bounds one reply from the server, in bytes
// (default framing.DefaultMaxMessageSize).
func WithMaxMessageSize(n int64) Option {
	return func(c *config) error { c.maxMessage = n; return nil }
}

// ErrNoAuth is returned when no authentication method was given.
var ErrNoAuth = errors.New("sshclient: no password, key or agent given")

// Dial connects to the NETCONF server at rawURL, "ssh://user@host:port"
// (port 830 by default), and returns a session on it. ctx bounds the
// connection, authentication and hello exchange.
func Dial(ctx context.Context, rawURL string, opts ...Option) (*client.Session, error) {
	t, err := DialTransport(ctx, rawURL, opts...)
	if err != nil {
		return nil, err
	}
	return client.NewSession(t)
}

// DialTransport is Dial returning the transport, for use with
// client.NewSession or on its own.
func DialTransport(ctx context.Context, rawURL string, opts ...Option) (*Transport, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("sshclient: %w", err)
	}
	if u.Scheme != "ssh" || u.Host == "" {
		return nil, fmt.Errorf("sshclient: %q is not an ssh://user@host:port URL", rawURL)
	}
	c := &config{caps: []string{client.CapBase10, client.CapBase11}}
	if u.User != nil {
		c.user = u.User.Username()
		if pw, ok := u.User.Password(); ok {
			c.password, c.hasPassword = pw, true
		}
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), DefaultPort)
	}
	cc, closeAgent, err := c.clientConfig(addr)
	if err != nil {
		return nil, err
	}
	defer closeAgent()

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sshclient: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	t, err := handshake(conn, addr, cc, c)
	if !stop() {
		err = errors.Join(err, ctx.Err())
	}
	if err != nil {
		if t != nil {
			t.Close()
		}
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return t, nil
}

// clientConfig builds the SSH configuration; the returned function
// releases the agent connection.
func (c *config) clientConfig(addr string) (*ssh.ClientConfig, func(), error) {
	if c.user == "" {
		return nil, nil, errors.New("sshclient: no username")
	}
	cc := &ssh.ClientConfig{User: c.user, ClientVersion: "SSH-2.0-ncsoap"}
	release := func() {}
	signers := c.signers
	if c.agent {
		sock := os.Getenv("SSH_AUTH_SOCK")
		if sock == "" {
			return nil, nil, errors.New("sshclient: SSH_AUTH_SOCK is not set")
		}
		ac, err := net.Dial("unix", sock)
		if err != nil {
			return nil, nil, fmt.Errorf("sshclient: agent: %w", err)
		}
		release = func() { ac.Close() }
		as, err := agent.NewClient(ac).Signers()
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("sshclient: agent: %w", err)
		}
		signers = append(signers, as...)
	}
	if len(signers) > 0 {
		cc.Auth = append(cc.Auth, ssh.PublicKeys(signers...))
	}
	if c.hasPassword {
		pw := c.password
		cc.Auth = append(cc.Auth, ssh.Password(pw),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range answers {
					answers[i] = pw
				}
				return answers, nil
			}))
	}
	if len(cc.Auth) == 0 {
		release()
		return nil, nil, ErrNoAuth
	}
	if err := c.hostKeyCheck(cc, addr); err != nil {
		release()
		return nil, nil, err
	}
	return cc, release, nil
}

// hostKeyCheck sets how the server's host key is verified.
func (c *config) hostKeyCheck(cc *ssh.ClientConfig, addr string) error {
	switch {
	case c.insecure:
		cc.HostKeyCallback = ssh.InsecureIgnoreHostKey()
		return nil
	case c.fingerprint != "":
		want := c.fingerprint
		cc.HostKeyCallback = func(_ string, _ net.Addr, key ssh.PublicKey) error {
			if got := ssh.FingerprintSHA256(key); got != want {
				return fmt.Errorf("sshclient: host key %s does not match the pinned %s", got, want)
			}
			return nil
		}
		return nil
	}
	files := c.knownHosts
	if len(files) == 0 {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("sshclient: no host key check given and no home directory: %w", err)
		}
		files = []string{filepath.Join(home, ".ssh", "known_hosts")}
	}
	cb, err := knownhosts.New(files...)
	if err != nil {
		return fmt.Errorf("sshclient: known hosts: %w", err)
	}
	cc.HostKeyCallback = cb
	cc.HostKeyAlgorithms = knownAlgorithms(cb, addr)
	return nil
}

// knownAlgorithms returns the host key algorithms of the keys known for
// addr, so that the server is asked for a key that can be checked.
func knownAlgorithms(cb ssh.HostKeyCallback, addr string) []string {
	probe, err := ssh.NewPublicKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize)))
	if err != nil {
		return nil
	}
	tcp, _ := net.ResolveTCPAddr("tcp", addr)
	var ke *knownhosts.KeyError
	if !errors.As(cb(addr, tcp, probe), &ke) {
		return nil
	}
	var algs []string
	for _, k := range ke.Want {
		switch t := k.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			algs = append(algs, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA)
		default:
			algs = append(algs, t)
		}
	}
	return algs
}

// handshake runs SSH, the subsystem request and the hello exchange on
// conn.
func handshake(conn net.Conn, addr string, cc *ssh.ClientConfig, c *config) (*Transport, error) {
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, cc)
	if err != nil {
		return nil, fmt.Errorf("sshclient: %w", err)
	}
	sshc := ssh.NewClient(sc, chans, reqs)
	t := &Transport{client: sshc}
	ch, chReqs, err := sshc.OpenChannel("session", nil)
	if err != nil {
		return t, fmt.Errorf("sshclient: open session channel: %w", err)
	}
	go ssh.DiscardRequests(chReqs)
	// Whatever the subsystem writes to stderr is not part of the
	// session; reading it returns its share of the channel window.
	go io.Copy(io.Discard, ch.Stderr())
	t.ch = ch
	ok, err := ch.SendRequest("subsystem", true, ssh.Marshal(struct{ Name string }{"netconf"}))
	if err != nil {
		return t, fmt.Errorf("sshclient: netconf subsystem: %w", err)
	}
	if !ok {
		return t, errors.New("sshclient: the server refused the netconf subsystem")
	}
	t.r = framing.NewReader(ch)
	t.r.SetMaxMessageSize(c.maxMessage)
	t.w = framing.NewWriter(ch)
	if err := t.w.WriteMessage(clientHello(c.caps)); err != nil {
		return t, fmt.Errorf("sshclient: send hello: %w", err)
	}
	hello, err := t.r.ReadMessage()
	if err != nil {
		return t, fmt.Errorf("sshclient: read hello: %w", err)
	}
	_, caps, err := client.ParseHello(hello)
	if err != nil {
		return t, err
	}
	t.hello = hello
	if has(caps, client.CapBase11) && has(c.caps, client.CapBase11) {
		t.r.Upgrade()
		t.w.Upgrade()
	}
	return t, nil
}

// clientHello returns the client's <hello> listing caps.
func clientHello(caps []string) []byte {
	var b strings.Builder
	b.WriteString(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>`)
	for _, c := range caps {
		b.WriteString("<capability>")
		b.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(c))
		b.WriteString("</capability>")
	}
	b.WriteString("</capabilities></hello>")
	return []byte(b.String())
}

// has reports whether caps lists uri, ignoring parameters.
func has(caps []string, uri string) bool {
	for _, c := range caps {
		if i := strings.IndexByte(c, '?'); i >= 0 {
			c = c[:i]
		}
		if strings.TrimSpace(c) == uri {
			return true
		}
	}
	return false
}
