// Package soapclient is the NETCONF over SOAP/HTTP/1.1 (RFC 4743) client
// transport: Dial opens one dedicated TCP connection, exchanges hellos and
// returns a client.Session whose typed methods run over it.
//
// The connection is the session. The transport never opens a second
// one: when the connection drops, or the server closes it (close-session,
// kill-session, idle timeout), every later call fails with an error
// wrapping client.ErrSessionClosed, since a new connection would be a new
// session without the old one's locks.
//
// A SOAP Fault carrying rpc-errors comes back as the rpcerror.List the
// server's engine produced; replies stream from the HTTP body, so a large
// <data> can be copied to an io.Writer without being held in memory.
package soapclient

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/soapenv"
)

// Defaults of the options.
const (
	// DefaultMaxReplySize bounds a reply envelope. Replies stream, so the
	// limit guards against a runaway server rather than memory use.
	DefaultMaxReplySize = 4 << 30
	// maxHelloSize bounds the server's hello, which is held in memory.
	maxHelloSize = 1 << 20
)

// Option configures Dial and Connect.
type Option func(*config)

type config struct {
	tls          *tls.Config
	user, pass   string
	basic        bool
	version      soapenv.Version
	timeout      time.Duration
	caps         []string
	maxReplySize int64
}

// WithTLSConfig sets the TLS configuration for https URLs. Its NextProtos
// are replaced by http/1.1 only.
func WithTLSConfig(cfg *tls.Config) Option { return func(c *config) { c.tls = cfg } }

// WithBasicAuth authenticates every request with HTTP Basic. The server
// checks the password once per connection.
func WithBasicAuth(username, password string) Option {
	return func(c *config) { c.user, c.pass, c.basic = username, password, true }
}

// WithSOAP12 sends SOAP 1.2 envelopes (application/soap+xml) instead of
// the default SOAP 1.1 (text/xml), which is what the RFC 4743 WSDL
// binding and most toolkits use.
func WithSOAP12() Option { return func(c *config) { c.version = soapenv.V12 } }

// WithTimeout bounds connecting and, for every request, the wait for the
// response headers. Reading a reply body is bounded only by the context
// of the call, so that large replies can stream. Zero means no limit.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithCapabilities sets the capabilities of the client's hello. The
// default is base:1.0 and base:1.1.
func WithCapabilities(uris ...string) Option {
	return func(c *config) { c.caps = append([]string(nil), uris...) }
}

// WithMaxReplySize bounds the size of a reply envelope. Default
// DefaultMaxReplySize.
func WithMaxReplySize(n int64) Option { return func(c *config) { c.maxReplySize = n } }

// Dial connects to the NETCONF over SOAP service at url (http or https),
// exchanges hellos and returns the session.
func Dial(ctx context.Context, url string, opts ...Option) (*client.Session, error) {
	t, err := Connect(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	return client.NewSession(t)
}

// Transport is a client.Transport over one HTTP/1.1 connection. It
// speaks HTTP/1.1 on that connection itself, with net/http's request
// writer and response reader, rather than through an http.Transport,
// whose connection pool may close a connection it judges not reusable and
// dial another: a new connection would be a new session. Its methods are
// used by one goroutine at a time, as client.Session does.
type Transport struct {
	url   string
	cfg   config
	conn  net.Conn
	br    *bufio.Reader
	hello []byte

	mu     sync.Mutex
	closed error // why the session is over; nil while it is open
}

// Connect opens the connection to url and exchanges hellos, returning the
// transport for client.NewSession. Dial does both.
func Connect(ctx context.Context, rawURL string, opts ...Option) (*Transport, error) {
	cfg := config{version: soapenv.V11, caps: []string{client.CapBase10, client.CapBase11}, maxReplySize: DefaultMaxReplySize}
	for _, o := range opts {
		o(&cfg)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("soapclient: URL %q is not http or https", rawURL)
	}
	addr := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	dialer := &net.Dialer{KeepAlive: 30 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("soapclient: %w", err)
	}
	if u.Scheme == "https" {
		tlsCfg := &tls.Config{}
		if cfg.tls != nil {
			tlsCfg = cfg.tls.Clone()
		}
		tlsCfg.NextProtos = []string{"http/1.1"}
		if tlsCfg.ServerName == "" {
			tlsCfg.ServerName = u.Hostname()
		}
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("soapclient: %w", err)
		}
		conn = tc
	}
	t := &Transport{url: rawURL, cfg: cfg, conn: conn, br: bufio.NewReaderSize(conn, 32<<10)}
	if err := t.exchangeHello(ctx); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

func (t *Transport) exchangeHello(ctx context.Context) error {
	body, err := t.RoundTrip(ctx, func(w io.Writer) error {
		var b strings.Builder
		b.WriteString(`<hello xmlns="` + rpcerror.BaseNamespace + `"><capabilities>`)
		for _, c := range t.cfg.caps {
			b.WriteString("<capability>")
			xml.EscapeText(&b, []byte(c))
			b.WriteString("</capability>")
		}
		b.WriteString("</capabilities></hello>")
		_, err := io.WriteString(w, b.String())
		return err
	})
	if err != nil {
		return err
	}
	defer body.Close()
	hello, err := io.ReadAll(io.LimitReader(body, maxHelloSize+1))
	if err != nil {
		return err
	}
	if len(hello) > maxHelloSize {
		return fmt.Errorf("soapclient: server hello exceeds %d bytes", maxHelloSize)
	}
	if name := body.(*replyBody).resp.Name; name != (xml.Name{Space: rpcerror.BaseNamespace, Local: "hello"}) {
		return fmt.Errorf("%w: the server answered hello with {%s}%s", client.ErrBadHello, name.Space, name.Local)
	}
	t.hello = hello
	return nil
}

// Hello returns the server's <hello> message.
func (t *Transport) Hello() []byte { return bytes.Clone(t.hello) }

// Close closes the connection, which ends the session on the server. Later
// calls fail with an error wrapping client.ErrSessionClosed.
func (t *Transport) Close() error {
	t.end(fmt.Errorf("soapclient: transport closed: %w", client.ErrSessionClosed))
	return nil
}

// end marks the session over with err and closes the connection.
func (t *Transport) end(err error) {
	t.mark(err)
	t.conn.Close()
}

// mark records why the session is over, keeping the first reason.
func (t *Transport) mark(err error) {
	t.mu.Lock()
	if t.closed == nil {
		t.closed = err
	}
	t.mu.Unlock()
}

func (t *Transport) ended() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}

// StatusError reports an HTTP response that is neither a reply nor a SOAP
// Fault carrying rpc-errors: authentication failures (401, 403) and other
// HTTP-level refusals. Fault holds the server's SOAP Fault when the body
// was one.
type StatusError struct {
	StatusCode int
	Status     string
	Fault      *soapenv.Fault
}

// Error returns the HTTP status and the fault reason, if any.
func (e *StatusError) Error() string {
	if e.Fault != nil {
		return fmt.Sprintf("soapclient: HTTP %s: %s", e.Status, e.Fault.Reason)
	}
	return "soapclient: HTTP " + e.Status
}

// Unwrap returns the fault.
func (e *StatusError) Unwrap() error {
	if e.Fault == nil {
		return nil
	}
	return e.Fault
}

// RoundTrip posts one message, whose XML write produces, in a SOAP
// envelope and returns the Body child of the reply, streamed from the
// connection. A SOAP Fault carrying rpc-errors is returned as an
// rpcerror.List; another fault as a *soapenv.Fault; an HTTP refusal
// without a fault body as a *StatusError. Once the connection is lost the
// error wraps client.ErrSessionClosed.
func (t *Transport) RoundTrip(ctx context.Context, write func(io.Writer) error) (io.ReadCloser, error) {
	if err := t.ended(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := soapenv.WriteEnvelope(&buf, t.cfg.version, write); err != nil {
		return nil, fmt.Errorf("soapclient: writing request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, &buf)
	if err != nil {
		return nil, fmt.Errorf("soapclient: %w", err)
	}
	h := req.Header
	h.Set("Content-Type", soapenv.ContentType(t.cfg.version))
	h.Set("Accept", "application/soap+xml, text/xml")
	h.Set("Cache-Control", "no-cache")
	h.Set("Pragma", "no-cache")
	if t.cfg.version == soapenv.V11 {
		h.Set("SOAPAction", `""`)
	}
	if t.cfg.basic {
		req.SetBasicAuth(t.cfg.user, t.cfg.pass)
	}
	// Canceling ctx aborts the exchange by failing the connection's reads
	// and writes; the session is lost then, since the connection is out
	// of step.
	var abortMu sync.Mutex
	aborted := false
	stop := context.AfterFunc(ctx, func() {
		abortMu.Lock()
		defer abortMu.Unlock()
		aborted = true
		t.conn.SetDeadline(time.Unix(1, 0))
	})
	if t.cfg.timeout > 0 {
		t.conn.SetReadDeadline(time.Now().Add(t.cfg.timeout))
	}
	if err := req.Write(t.conn); err != nil {
		stop()
		return nil, t.lost(err)
	}
	resp, err := http.ReadResponse(t.br, req)
	if err != nil {
		stop()
		return nil, t.lost(err)
	}
	if t.cfg.timeout > 0 {
		// The timeout covers the response headers only; an abort stays.
		abortMu.Lock()
		if !aborted {
			t.conn.SetReadDeadline(time.Time{})
		}
		abortMu.Unlock()
	}
	resp.Body = &httpBody{ReadCloser: resp.Body, t: t, stop: stop}
	if resp.Close {
		// The server ends the session with this response (close-session,
		// kill, too-big): nothing may follow it on a new connection. The
		// connection closes once the body is read.
		t.mark(fmt.Errorf("soapclient: the server closed the session's connection: %w", client.ErrSessionClosed))
	}
	ok := resp.StatusCode == http.StatusOK
	if !isSOAP(resp.Header.Get("Content-Type")) {
		drain(resp.Body)
		return nil, t.refused(&StatusError{StatusCode: resp.StatusCode, Status: resp.Status})
	}
	r, err := soapenv.ReadResponse(resp.Body, &soapenv.Options{MaxSize: t.cfg.maxReplySize})
	if err != nil {
		drain(resp.Body)
		var f *soapenv.Fault
		switch {
		case errors.As(err, &f) && f.Detail.HasErrors() && resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden:
			return nil, f.Detail
		case errors.As(err, &f):
			return nil, t.refused(&StatusError{StatusCode: resp.StatusCode, Status: resp.Status, Fault: f})
		}
		return nil, t.lost(err)
	}
	if !ok {
		drain(resp.Body)
		return nil, t.refused(&StatusError{StatusCode: resp.StatusCode, Status: resp.Status})
	}
	return &replyBody{t: t, resp: r, body: resp.Body}, nil
}

// refused returns the error of a refused request; when the server also
// closed the connection (for example because the engine had already
// ended the session) it wraps client.ErrSessionClosed too.
func (t *Transport) refused(e *StatusError) error {
	if over := t.ended(); over != nil {
		return fmt.Errorf("%w: %w", over, e)
	}
	return e
}

// lost ends the session after a failure of the connection: the HTTP
// transport has closed it, and the server has ended the session.
func (t *Transport) lost(err error) error {
	if errors.Is(err, client.ErrSessionClosed) {
		t.end(err)
		return err
	}
	var re *soapenv.ResponseError
	if errors.As(err, &re) {
		t.end(fmt.Errorf("soapclient: %w after a malformed response", client.ErrSessionClosed))
		return err
	}
	err = fmt.Errorf("soapclient: %w: %w", client.ErrSessionClosed, err)
	t.end(err)
	return err
}

// isSOAP reports whether a response Content-Type can carry an envelope.
func isSOAP(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "text/xml" || mt == "application/soap+xml")
}

// drain reads what is left of an HTTP body so that the connection stays
// usable, and closes it.
func drain(body io.ReadCloser) {
	io.Copy(io.Discard, body)
	body.Close()
}

// httpBody is an HTTP response body on the session's connection. Closing
// it ends the cancellation watch of its request, and closes the
// connection when the session is over.
type httpBody struct {
	io.ReadCloser
	t    *Transport
	stop func() bool
	done bool
}

func (b *httpBody) Close() error {
	if b.done {
		return nil
	}
	b.done = true
	err := b.ReadCloser.Close()
	if !b.stop() {
		b.t.end(fmt.Errorf("soapclient: request canceled: %w", client.ErrSessionClosed))
	}
	if b.t.ended() != nil {
		b.t.conn.Close()
	}
	return err
}

// replyBody streams the Body child of a reply.
type replyBody struct {
	t    *Transport
	resp *soapenv.Response
	body io.ReadCloser
	done bool
}

func (r *replyBody) Read(p []byte) (int, error) {
	n, err := r.resp.Read(p)
	if err != nil && err != io.EOF {
		err = r.t.lost(err)
	}
	return n, err
}

// Close reads the rest of the reply, checking the envelope, so that the
// connection stays in step for the next request.
func (r *replyBody) Close() error {
	if r.done {
		return nil
	}
	r.done = true
	_, err := io.Copy(io.Discard, r)
	drain(r.body)
	return err
}
