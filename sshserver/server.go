// Package sshserver serves NETCONF over SSH (RFC 6242) on a
// netconfcore.Server: the "netconf" subsystem of SSH session channels,
// with password and public-key authentication against an auth.Users
// store.
//
// Each session channel that requests the netconf subsystem is one
// NETCONF session. Hellos and base:1.0 sessions use end-of-message
// framing; once both hellos list base:1.1 the session switches to chunked
// framing. Exec, shell and every other channel type or request are
// refused. A framing violation ends the session with a logged reason, as
// RFC 6242 §4.2 requires; so does an idle timeout. When the engine ends a
// session (kill-session, shutdown, close-session after its reply) the
// channel is closed, and the connection with it once no session is left.
package sshserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/framing"
	"github.com/ncsoap/ncsoap/netconfcore"
)

// Transport is the transport name sessions report to the engine.
const Transport = "netconf-ssh"

// Subsystem is the SSH subsystem name of NETCONF (RFC 6242 §3).
const Subsystem = "netconf"

// Defaults for zero Options fields.
const (
	DefaultIdleTimeout      = time.Hour
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxMessageSize   = framing.DefaultMaxMessageSize
	DefaultMaxChannels      = 4
)

// Options configure a Server. Zero fields take the defaults.
type Options struct {
	// HostKeys are the server's host keys; at least one is required.
	// LoadOrCreateHostKey provides a persistent one.
	HostKeys []ssh.Signer

	// MaxMessageSize bounds one incoming NETCONF message, in bytes
	// excluding framing (default DefaultMaxMessageSize). A message is
	// read whole before the engine parses it; a longer one is answered
	// with a too-big rpc-error and ends the session.
	MaxMessageSize int64

	// IdleTimeout ends a session that neither sends a byte nor waits for
	// a reply for this long (default DefaultIdleTimeout; negative
	// disables it).
	IdleTimeout time.Duration

	// HandshakeTimeout bounds the SSH handshake and authentication of a
	// new connection, and again the time it then takes to start the
	// netconf subsystem (default DefaultHandshakeTimeout).
	HandshakeTimeout time.Duration

	// MaxChannels bounds the NETCONF sessions one connection may open at
	// once (default DefaultMaxChannels).
	MaxChannels int

	// Limiter slows down repeated password failures from one address.
	// Nil uses a Limiter of the Server's own.
	Limiter *auth.Limiter

	// Logger receives connection and framing events. Nil uses
	// slog.Default().
	Logger *slog.Logger
}

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("sshserver: server closed")

// Server accepts SSH connections and runs a NETCONF session on every
// netconf subsystem channel.
type Server struct {
	engine *netconfcore.Server
	users  *auth.Users
	opts   Options
	config *ssh.ServerConfig
	log    *slog.Logger

	ctx    context.Context // canceled by Close and Shutdown
	cancel context.CancelFunc

	mu        sync.Mutex
	closed    bool
	listeners map[net.Listener]struct{}
	conns     map[net.Conn]struct{}
	wg        sync.WaitGroup // connection goroutines
}

// New returns a Server running sessions on engine and authenticating
// users against users.
func New(engine *netconfcore.Server, users *auth.Users, opts Options) (*Server, error) {
	if engine == nil || users == nil {
		return nil, errors.New("sshserver: engine and users are required")
	}
	if len(opts.HostKeys) == 0 {
		return nil, errors.New("sshserver: no host key")
	}
	if opts.MaxMessageSize <= 0 {
		opts.MaxMessageSize = DefaultMaxMessageSize
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.HandshakeTimeout <= 0 {
		opts.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if opts.MaxChannels <= 0 {
		opts.MaxChannels = DefaultMaxChannels
	}
	if opts.Limiter == nil {
		opts.Limiter = auth.NewLimiter()
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		engine:    engine,
		users:     users,
		opts:      opts,
		log:       opts.Logger,
		ctx:       ctx,
		cancel:    cancel,
		listeners: map[net.Listener]struct{}{},
		conns:     map[net.Conn]struct{}{},
	}
	s.config = &ssh.ServerConfig{
		PasswordCallback:  s.checkPassword,
		PublicKeyCallback: s.checkKey,
		ServerVersion:     "SSH-2.0-ncsoap",
	}
	for _, k := range opts.HostKeys {
		s.config.AddHostKey(k)
	}
	return s, nil
}

// wait sleeps for the limiter's delay for addr, or until the server
// closes.
func (s *Server) wait(addr net.Addr) {
	d := s.opts.Limiter.Delay(addr.String())
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.ctx.Done():
	}
}

// errAuth is what a failed authentication reports to x/crypto/ssh.
var errAuth = errors.New("sshserver: authentication failed")

func (s *Server) checkPassword(c ssh.ConnMetadata, password []byte) (*ssh.Permissions, error) {
	s.wait(c.RemoteAddr())
	if !s.users.CheckPassword(c.User(), string(password)) {
		s.opts.Limiter.Failure(c.RemoteAddr().String())
		s.log.Info("ssh password rejected", "user", c.User(), "remote", c.RemoteAddr().String())
		return nil, errAuth
	}
	s.opts.Limiter.Success(c.RemoteAddr().String())
	return &ssh.Permissions{}, nil
}

// checkKey accepts the user's authorized keys. A key that is not
// accepted is not counted as a failure: clients offer every key they
// hold, one after the other.
func (s *Server) checkKey(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
	s.wait(c.RemoteAddr())
	if !s.users.CheckKey(c.User(), key) {
		return nil, errAuth
	}
	s.opts.Limiter.Success(c.RemoteAddr().String())
	return &ssh.Permissions{}, nil
}

// ListenAndServe listens on the TCP address addr and serves it.
func (s *Server) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sshserver: %w", err)
	}
	return s.Serve(l)
}

// Serve accepts connections on l until Shutdown or Close, and then
// returns ErrServerClosed. It closes l when it returns.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		l.Close()
	}()
	var backoff time.Duration
	for {
		conn, err := l.Accept()
		if err != nil {
			if s.ctx.Err() != nil {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return fmt.Errorf("sshserver: accept: %w", err)
		}
		backoff = 0
		if !s.track(conn) {
			conn.Close()
			return ErrServerClosed
		}
		go s.serveConn(conn)
	}
}

// track registers conn; it reports false once the server is closed.
func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[conn] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(conn net.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	s.wg.Done()
}

// Shutdown stops accepting connections, closes every connection, which
// ends its sessions as a lost transport does (locks released,
// unconfirmed commits rolled back), and waits until they are gone or ctx
// is done. The engine itself is left running.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Close()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting connections and closes every connection without
// waiting.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.cancel()
	for l := range s.listeners {
		l.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	return nil
}
