// Package netconfcore is the NETCONF protocol engine that every ncsoap
// transport shares: sessions, the capability exchange, the RFC 6241
// operations, locks, the candidate datastore with confirmed commit, and
// rpc-error semantics.
//
// The engine knows no transport. A transport authenticates a peer, opens a
// Session for it with Server.NewSession, feeds it complete messages (the
// client <hello>, then one <rpc> at a time) and writes back what the
// session produces. Whatever ends a session — close-session,
// kill-session, Server.Shutdown or the transport calling Session.Close —
// goes through one code path that releases its locks and handles its
// pending confirmed commit as RFC 6241 §8.4 requires.
//
// Failures are reported as *RPCError values (an alias of rpcerror.Error)
// or RPCErrors lists, the same types the client SDKs return.
package netconfcore

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// RPCError is one NETCONF <rpc-error>. Every error the engine reports to a
// client is an *RPCError or an RPCErrors list.
type RPCError = rpcerror.Error

// RPCErrors is a list of rpc-errors reported together.
type RPCErrors = rpcerror.List

// Defaults of Config.
const (
	DefaultConfirmTimeout = 600 * time.Second
	DefaultMaxSessions    = 1024
	DefaultMaxDepth       = 512
)

// Config configures a Server.
type Config struct {
	// Store holds the datastores. Required.
	Store *datastore.Store
	// Backend keeps the state of a pending confirmed commit, so that a
	// restart restores the configuration from before it (RFC 6241 §8.4.1).
	// Nil keeps it in memory only.
	Backend storage.Backend
	// Capabilities are advertised in addition to the engine's own.
	Capabilities []string
	// MaxSessions bounds the number of open sessions; 0 means
	// DefaultMaxSessions.
	MaxSessions int
	// MaxDepth bounds the element nesting of an rpc; 0 means
	// DefaultMaxDepth.
	MaxDepth int
	// Logger receives session and commit events; nil discards them.
	Logger *slog.Logger
	// Audit, if set, is called after every rpc with its outcome.
	Audit func(AuditRecord)
	// Authorize, if set, decides whether user may run operation (the
	// local name of the operation element); a refusal is access-denied.
	// close-session is always allowed.
	Authorize func(ctx context.Context, user, operation string) bool
}

// AuditRecord describes one rpc a session ran.
type AuditRecord struct {
	Time       time.Time
	Duration   time.Duration
	SessionID  uint32
	Username   string
	Transport  string
	RemoteAddr string
	// Operation is the local name of the operation element ("get-config").
	Operation string
	// Target is the datastore the operation addressed, if any.
	Target string
	// Errors are the rpc-errors of the reply; empty means success.
	Errors RPCErrors
}

// Server is a NETCONF server engine. It is safe for concurrent use.
type Server struct {
	cfg   Config
	store *datastore.Store
	log   *slog.Logger
	caps  []string

	// mu guards sessions, locks and the pending confirmed commit, and is
	// held across every change of a datastore so that lock checks and the
	// change are atomic.
	mu       sync.Mutex
	nextID   uint32
	sessions map[uint32]*Session
	locks    map[datastore.Name]uint32
	confirm  *pendingCommit
	closed   bool
}

// Capability URIs the engine advertises.
const (
	CapBase10          = "urn:ietf:params:netconf:base:1.0"
	CapBase11          = "urn:ietf:params:netconf:base:1.1"
	CapWritableRunning = "urn:ietf:params:netconf:capability:writable-running:1.0"
	CapCandidate       = "urn:ietf:params:netconf:capability:candidate:1.0"
	CapConfirmed10     = "urn:ietf:params:netconf:capability:confirmed-commit:1.0"
	CapConfirmed11     = "urn:ietf:params:netconf:capability:confirmed-commit:1.1"
	CapRollbackOnError = "urn:ietf:params:netconf:capability:rollback-on-error:1.0"
	CapValidate10      = "urn:ietf:params:netconf:capability:validate:1.0"
	CapValidate11      = "urn:ietf:params:netconf:capability:validate:1.1"
	CapStartup         = "urn:ietf:params:netconf:capability:startup:1.0"
	CapXPath           = "urn:ietf:params:netconf:capability:xpath:1.0"
	CapWithDefaults    = "urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim"
	CapNotification    = "urn:ietf:params:netconf:capability:notification:1.0"
	CapInterleave      = "urn:ietf:params:netconf:capability:interleave:1.0"
)

// WithDefaultsNamespace is the namespace of the with-defaults parameter of
// get and get-config (RFC 6243).
const WithDefaultsNamespace = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults"

// confirmRecord names the stored state of a pending confirmed commit.
const confirmRecord = "confirmed-commit"

// NewServer returns a server over cfg.Store. If the backend holds the state
// of a confirmed commit that was pending when the previous server stopped,
// running is restored to the configuration from before that commit.
func NewServer(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("netconfcore: Config.Store is nil")
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = DefaultMaxDepth
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:      cfg,
		store:    cfg.Store,
		log:      log,
		sessions: map[uint32]*Session{},
		locks:    map[datastore.Name]uint32{},
	}
	s.caps = []string{
		CapBase10, CapBase11, CapWritableRunning, CapCandidate, CapConfirmed10,
		CapConfirmed11, CapRollbackOnError, CapValidate10, CapValidate11, CapStartup,
		CapXPath, CapWithDefaults,
	}
	for _, m := range cfg.Store.Schema().Modules() {
		s.caps = append(s.caps, m.Capability())
	}
	s.caps = append(s.caps, cfg.Capabilities...)
	if err := s.restoreConfirmed(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Capabilities returns the capabilities the server advertises to a session
// that removes none.
func (s *Server) Capabilities() []string { return append([]string(nil), s.caps...) }

// Store returns the datastores the server serves.
func (s *Server) Store() *datastore.Store { return s.store }

// SessionInfo describes the peer of a new session, as its transport
// authenticated it.
type SessionInfo struct {
	// Username is the authenticated user (RFC 6241 §2.2).
	Username string
	// Transport names the transport, as ietf-netconf-monitoring does:
	// "netconf-ssh", "netconf-soap-over-https", ...
	Transport string
	// RemoteAddr is the peer's network address.
	RemoteAddr string
	// Without lists capabilities the transport cannot carry; they are not
	// advertised on this session. URIs are compared without parameters.
	Without []string
}

// ErrServerClosed is returned by NewSession after Shutdown.
var ErrServerClosed = errors.New("netconfcore: server closed")

// NewSession opens a session for an authenticated peer. The session has an
// id at once; it runs rpcs after the client's hello was received. When
// the server is at Config.MaxSessions the error is a resource-denied
// *RPCError.
func (s *Server) NewSession(info SessionInfo) (*Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrServerClosed
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		return nil, rpcerror.New(rpcerror.TypeTransport, rpcerror.ResourceDenied,
			"too many sessions (limit %d)", s.cfg.MaxSessions)
	}
	s.nextID++
	if s.nextID == 0 {
		s.nextID = 1
	}
	for s.sessions[s.nextID] != nil {
		s.nextID++
	}
	sess := newSession(s, s.nextID, info)
	s.sessions[sess.id] = sess
	s.log.Info("session opened", "session", sess.id, "user", info.Username,
		"transport", info.Transport, "remote", info.RemoteAddr)
	return sess, nil
}

// Sessions returns the ids of the open sessions in increasing order.
func (s *Server) Sessions() []uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]uint32, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Shutdown stops accepting sessions and ends every open one as if its
// transport had been lost: locks are released and a confirmed commit that
// is not persisted is rolled back. A persisted confirmed commit stays
// pending in the backend, to be rolled back at the next start. Shutdown
// returns once every session has ended or ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	list := make([]*Session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		list = append(list, sess)
	}
	s.mu.Unlock()
	for _, sess := range list {
		sess.end(ctx, EndShutdown)
	}
	s.mu.Lock()
	if s.confirm != nil {
		s.confirm.timer.Stop()
	}
	s.mu.Unlock()
	for _, sess := range list {
		select {
		case <-sess.Done():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// lockHolder returns the session holding a lock on name, 0 when none.
// The caller holds s.mu.
func (s *Server) lockHolder(name datastore.Name) uint32 { return s.locks[name] }

// checkWritable reports in-use when another session than id holds a lock
// on name. The caller holds s.mu.
func (s *Server) checkWritable(id uint32, name datastore.Name) error {
	if h := s.locks[name]; h != 0 && h != id {
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InUse,
			"the %s datastore is locked by session %d", name, h)
	}
	return nil
}

// snapshot returns the current content of name.
func (s *Server) snapshot(name datastore.Name) *tree.Tree { return s.store.Snapshot(name) }
