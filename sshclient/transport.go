package sshclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/framing"
)

// Transport is a client.Transport over the netconf subsystem of one SSH
// connection. It is used by one goroutine at a time; Close may be called
// from any goroutine.
type Transport struct {
	client *ssh.Client
	ch     ssh.Channel
	r      *framing.Reader
	w      *framing.Writer
	hello  []byte

	mu     sync.Mutex
	err    error // why the transport ended; sticky
	closed bool
}

var _ client.Transport = (*Transport)(nil)

// Hello returns the server's <hello> message.
func (t *Transport) Hello() []byte { return t.hello }

// Framing reports the framing of the session's messages: chunked when
// both hellos listed base:1.1.
func (t *Transport) Framing() framing.Mode { return t.w.Mode() }

// RoundTrip sends the message write produces and returns the next
// message from the server. When ctx ends first the transport is closed,
// since the session can no longer tell replies apart.
func (t *Transport) RoundTrip(ctx context.Context, write func(io.Writer) error) (io.ReadCloser, error) {
	if err := t.failed(); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { t.fail(ctx.Err()) })
	mw := t.w.Message()
	err := write(mw)
	if cerr := mw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		stop()
		return nil, t.fail(err)
	}
	msg, err := t.r.Next()
	if err != nil {
		stop()
		return nil, t.fail(err)
	}
	return &replyBody{t: t, r: msg, stop: stop}, nil
}

// failed returns the error that ended the transport, if it has ended.
func (t *Transport) failed() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// fail ends the transport because of cause and returns the error every
// later call gets, which wraps client.ErrSessionClosed.
func (t *Transport) fail(cause error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err == nil {
		if t.closed || errors.Is(cause, io.EOF) {
			t.err = fmt.Errorf("sshclient: %w", client.ErrSessionClosed)
		} else {
			t.err = fmt.Errorf("sshclient: %w: %w", client.ErrSessionClosed, cause)
		}
		t.closed = true
		t.ch.Close()
		t.client.Close()
	}
	return t.err
}

// Close closes the channel and the connection.
func (t *Transport) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	if t.err == nil {
		t.err = fmt.Errorf("sshclient: %w", client.ErrSessionClosed)
	}
	t.mu.Unlock()
	if t.ch != nil {
		t.ch.Close()
	}
	if err := t.client.Close(); err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// replyBody is one reply message.
type replyBody struct {
	t    *Transport
	r    io.Reader
	stop func() bool
	done bool
}

func (b *replyBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = b.t.fail(err)
	}
	return n, err
}

// Close reads what is left of the reply, so that the next message can be
// read.
func (b *replyBody) Close() error {
	if b.done {
		return nil
	}
	b.done = true
	defer b.stop()
	if _, err := io.Copy(io.Discard, b); err != nil {
		return err
	}
	return nil
}
