package soapserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
)

// Server serves one netconfcore engine over SOAP/HTTP/1.1. Create it with
// New; it is safe for concurrent use.
type Server struct {
	engine *netconfcore.Server
	users  *auth.Users
	opts   Options
	log    *slog.Logger
	http   *http.Server
	wsdl   *contract

	conns sync.Map // net.Conn -> *conn
}

// New returns a Server for engine that authenticates HTTP Basic
// credentials against users (nil: only certificate login, see
// Options.CertUsers).
func New(engine *netconfcore.Server, users *auth.Users, opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{engine: engine, users: users, opts: opts, log: opts.Logger}
	s.wsdl = newContract()
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		ReadTimeout:       opts.ReadTimeout,
		IdleTimeout:       opts.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		Protocols:         protocols,
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ConnContext:       s.connContext,
		ConnState:         s.connState,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

// Handler returns the HTTP handler of the service: POST on Options.Path
// runs NETCONF, GET on Options.Path with ?wsdl or ?xsd=NAME serves the
// contract, and every other path is 404.
//
// Sessions are bound to connections, which only the server started by
// Serve or ServeTLS tracks: the handler answers 500 to a request that
// reached it through another http.Server.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Serve accepts plaintext HTTP connections on l until Shutdown or Close.
// HTTP Basic authentication is refused on it unless l's address is a
// loopback address or Options.AllowInsecureBasic is set. It returns
// http.ErrServerClosed after Shutdown or Close.
func (s *Server) Serve(l net.Listener) error { return s.http.Serve(l) }

// ServeTLS accepts HTTPS connections on l with cfg, which must hold a
// certificate (see TLSConfig). Versions below TLS 1.2 are never
// negotiated and ALPN offers only http/1.1. It returns
// http.ErrServerClosed after Shutdown or Close.
func (s *Server) ServeTLS(l net.Listener, cfg *tls.Config) error {
	if cfg == nil || (len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil) {
		return errors.New("soapserver: ServeTLS needs a tls.Config with a certificate")
	}
	cfg = cfg.Clone()
	if cfg.MinVersion < tls.VersionTLS12 {
		cfg.MinVersion = tls.VersionTLS12
	}
	cfg.NextProtos = []string{"http/1.1"}
	return s.http.Serve(tls.NewListener(l, cfg))
}

// TLSConfig returns a server TLS configuration for ServeTLS: TLS 1.2 or
// later, HTTP/1.1 only, the given certificates, and, when clientCAs is not
// nil, client certificates requested and verified against clientCAs (a
// client may still connect without one and use a password).
func TLSConfig(certs []tls.Certificate, clientCAs *x509.CertPool) *tls.Config {
	cfg := &tls.Config{
		Certificates: certs,
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
	if clientCAs != nil {
		cfg.ClientCAs = clientCAs
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	}
	return cfg
}

// Shutdown stops accepting connections, closes idle ones (ending their
// sessions) and waits for the requests in progress to finish, or for ctx
// to be done. It does not shut the engine down.
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }

// Close closes every listener and connection at once, ending their
// sessions.
func (s *Server) Close() error { return s.http.Close() }

// conn is the state of one client connection, and so of one NETCONF
// session.
type conn struct {
	nc       net.Conn
	loopback bool // the local address is a loopback address

	mu     sync.Mutex
	sess   *netconfcore.Session // nil before a successful hello
	busy   bool                 // a request is being served
	ended  bool                 // the engine ended the session
	closed bool                 // the connection has closed
	cred   string               // the Authorization header that authenticated
	user   string               // the authenticated user, "" before
}

type connKey struct{}

func (s *Server) connContext(ctx context.Context, nc net.Conn) context.Context {
	c := &conn{nc: nc}
	if a, ok := nc.LocalAddr().(*net.TCPAddr); ok {
		c.loopback = a.IP.IsLoopback()
	}
	s.conns.Store(nc, c)
	return context.WithValue(ctx, connKey{}, c)
}

func connFrom(ctx context.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// connState ends a connection's session when the connection closes, and
// closes a connection whose session the engine ended once its last
// response has been written.
func (s *Server) connState(nc net.Conn, state http.ConnState) {
	v, ok := s.conns.Load(nc)
	if !ok {
		return
	}
	c := v.(*conn)
	switch state {
	case http.StateActive:
		c.mu.Lock()
		c.busy = true
		c.mu.Unlock()
	case http.StateIdle:
		c.mu.Lock()
		c.busy = false
		ended := c.ended
		c.mu.Unlock()
		if ended {
			nc.Close()
		}
	case http.StateClosed, http.StateHijacked:
		s.conns.Delete(nc)
		c.mu.Lock()
		c.closed = true
		sess := c.sess
		c.mu.Unlock()
		if sess != nil {
			sess.Close()
		}
	}
}

// bind makes sess the session of c and closes the connection when the
// engine ends the session: at once when no request is in progress,
// otherwise after its response.
func (c *conn) bind(sess *netconfcore.Session) {
	c.mu.Lock()
	c.sess = sess
	closed := c.closed
	c.mu.Unlock()
	if closed {
		sess.Close()
		return
	}
	go func() {
		<-sess.Done()
		c.mu.Lock()
		c.ended = true
		busy := c.busy
		c.mu.Unlock()
		if !busy {
			c.nc.Close()
		}
	}()
}

// session returns the session of c, nil before hello.
func (c *conn) session() *netconfcore.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess
}
