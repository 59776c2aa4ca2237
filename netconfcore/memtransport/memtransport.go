// Package memtransport connects a client to a netconfcore.Server in
// memory, with no network and no framing: each rpc is handed to the
// engine as a complete message and its reply comes back as a string. It
// is the transport of the engine's own tests and a fake for programs that
// want to test NETCONF code without a device.
package memtransport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore"
)

// Conn is a client's end of one in-memory NETCONF session.
type Conn struct {
	sess  *netconfcore.Session
	hello string
}

// DefaultCapabilities is what Dial advertises when given none: both base
// versions.
var DefaultCapabilities = []string{netconfcore.CapBase10, netconfcore.CapBase11}

// Dial opens a session on srv for the peer described by info and
// exchanges hellos, the client advertising capabilities (or
// DefaultCapabilities).
func Dial(srv *netconfcore.Server, info netconfcore.SessionInfo, capabilities ...string) (*Conn, error) {
	if info.Transport == "" {
		info.Transport = "memory"
	}
	sess, err := srv.NewSession(info)
	if err != nil {
		return nil, err
	}
	var hello bytes.Buffer
	if err := sess.WriteHello(&hello); err != nil {
		sess.Close()
		return nil, err
	}
	if len(capabilities) == 0 {
		capabilities = DefaultCapabilities
	}
	if err := sess.ReceiveHello(strings.NewReader(ClientHello(capabilities...))); err != nil {
		return nil, err
	}
	return &Conn{sess: sess, hello: hello.String()}, nil
}

// ClientHello returns a client <hello> listing capabilities.
func ClientHello(capabilities ...string) string {
	var b strings.Builder
	b.WriteString(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>`)
	for _, c := range capabilities {
		fmt.Fprintf(&b, "<capability>%s</capability>", strings.ReplaceAll(c, "&", "&amp;"))
	}
	b.WriteString("</capabilities></hello>")
	return b.String()
}

// Session returns the engine session behind c.
func (c *Conn) Session() *netconfcore.Session { return c.sess }

// ID returns the session-id.
func (c *Conn) ID() uint32 { return c.sess.ID() }

// ServerHello returns the <hello> the server sent.
func (c *Conn) ServerHello() string { return c.hello }

// ErrClosed is returned by Exchange once the session has ended.
var ErrClosed = errors.New("memtransport: session ended")

// Exchange sends one message (normally an <rpc>) and returns the reply
// the engine wrote. Protocol failures are rpc-errors inside the reply; the
// error is ErrClosed once the session has ended.
func (c *Conn) Exchange(ctx context.Context, msg string) (string, error) {
	select {
	case <-c.sess.Done():
		return "", ErrClosed
	default:
	}
	rep := c.sess.Do(ctx, strings.NewReader(msg))
	var b strings.Builder
	if _, err := rep.WriteTo(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Done is closed when the session has ended, for whatever reason.
func (c *Conn) Done() <-chan struct{} { return c.sess.Done() }

// Close ends the session as a lost transport would.
func (c *Conn) Close() error { return c.sess.Close() }
