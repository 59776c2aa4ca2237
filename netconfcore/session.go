package netconfcore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// Version is the NETCONF base protocol version a session runs.
type Version uint8

// The base protocol versions.
const (
	Base10 Version = 10
	Base11 Version = 11
)

// String returns the version as "1.0" or "1.1".
func (v Version) String() string { return fmt.Sprintf("%d.%d", v/10, v%10) }

// EndReason tells why a session ended.
type EndReason uint8

// The reasons a session ends.
const (
	// EndTransport: the transport closed the session (connection lost,
	// idle timeout, framing error).
	EndTransport EndReason = iota + 1
	// EndClosed: the client sent close-session.
	EndClosed
	// EndKilled: another session sent kill-session.
	EndKilled
	// EndShutdown: the server shut down.
	EndShutdown
	// EndHello: the client's hello was unacceptable.
	EndHello
)

var endNames = [...]string{"", "transport closed", "close-session", "killed", "server shutdown", "bad hello"}

// String describes the reason.
func (r EndReason) String() string {
	if int(r) < len(endNames) {
		return endNames[r]
	}
	return "unknown"
}

// ErrSessionEnded is returned by a session's methods once it has ended.
var ErrSessionEnded = errors.New("netconfcore: session ended")

// Session is one NETCONF session. A transport calls its methods from one
// goroutine at a time, in protocol order: WriteHello and ReceiveHello (in
// the order the transport's binding requires), then Do for each rpc, each
// reply written before the next Do. Close may be called at any time from
// any goroutine.
type Session struct {
	srv  *Server
	id   uint32
	info SessionInfo
	caps []string

	ctx    context.Context // canceled when the session ends
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex // serializes Do
	hello   bool       // client hello received
	version Version

	endOnce   sync.Once
	endMu     sync.Mutex
	endReason EndReason
	closing   bool // close-session accepted; ends after the reply is written
}

func newSession(srv *Server, id uint32, info SessionInfo) *Session {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Session{srv: srv, id: id, info: info, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	for _, c := range srv.caps {
		if !hasCap(info.Without, c) {
			s.caps = append(s.caps, c)
		}
	}
	return s
}

// ID returns the session-id, unique among open sessions and ≥ 1.
func (s *Session) ID() uint32 { return s.id }

// Info returns what the transport said about the peer.
func (s *Session) Info() SessionInfo { return s.info }

// Capabilities returns the capabilities advertised to this session.
func (s *Session) Capabilities() []string { return append([]string(nil), s.caps...) }

// Version returns the negotiated base version; valid after ReceiveHello.
func (s *Session) Version() Version { return s.version }

// Done returns a channel that is closed when the session has ended,
// whoever ended it. After close-session it closes once the reply was
// written. A transport watches it to close its connection when the engine
// ends the session (kill-session, shutdown).
func (s *Session) Done() <-chan struct{} { return s.done }

// EndReason tells why the session ended; 0 while it is open.
func (s *Session) EndReason() EndReason {
	s.endMu.Lock()
	defer s.endMu.Unlock()
	return s.endReason
}

// Close ends the session because its transport is gone. Locks are
// released and a confirmed commit it issued without persist is rolled
// back. Close is idempotent and safe to call concurrently with Do.
func (s *Session) Close() error {
	s.end(context.Background(), EndTransport)
	return nil
}

// WriteHello writes the server's <hello> with this session's capabilities
// and session-id.
func (s *Session) WriteHello(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`<hello xmlns="` + rpcerror.BaseNamespace + `"><capabilities>`)
	for _, c := range s.caps {
		bw.WriteString("<capability>")
		xmlEscape(bw, c)
		bw.WriteString("</capability>")
	}
	fmt.Fprintf(bw, "</capabilities><session-id>%d</session-id></hello>", s.id)
	return bw.Flush()
}

// HelloError reports an unacceptable client <hello>. The session has ended
// when it is returned.
type HelloError struct{ Reason string }

func (e *HelloError) Error() string { return "netconfcore: bad client hello: " + e.Reason }

// ReceiveHello reads the client's <hello> and negotiates the base version:
// the highest version both sides list, compared without URI parameters
// (RFC 6241 §8.1). A hello that is not well-formed, carries a session-id,
// or shares no base version with the server ends the session with a
// *HelloError.
func (s *Session) ReceiveHello(r io.Reader) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended() {
		return ErrSessionEnded
	}
	if s.hello {
		return &HelloError{Reason: "second hello"}
	}
	v, err := s.negotiate(r)
	if err != nil {
		s.srv.log.Warn("bad client hello", "session", s.id, "err", err)
		s.end(context.Background(), EndHello)
		return err
	}
	s.hello, s.version = true, v
	return nil
}

func (s *Session) negotiate(r io.Reader) (Version, error) {
	doc, err := xmlparse.ParseReader(r, xmlparse.Options{MaxDepth: s.srv.cfg.MaxDepth})
	if err != nil {
		return 0, &HelloError{Reason: "not well-formed XML: " + err.Error()}
	}
	root := doc.Root()
	if root == nil || root.Tag != "hello" || root.NamespaceURI() != rpcerror.BaseNamespace {
		return 0, &HelloError{Reason: "the message is not a base:1.0 <hello>"}
	}
	if root.FindElement("session-id") != nil {
		return 0, &HelloError{Reason: "a client hello must not carry a session-id"}
	}
	var peer []string
	if caps := root.SelectElement("capabilities"); caps != nil {
		for _, c := range caps.SelectElements("capability") {
			peer = append(peer, strings.TrimSpace(c.Text()))
		}
	}
	switch {
	case hasCap(peer, CapBase11) && hasCap(s.caps, CapBase11):
		return Base11, nil
	case hasCap(peer, CapBase10) && hasCap(s.caps, CapBase10):
		return Base10, nil
	}
	return 0, &HelloError{Reason: "no common base protocol version"}
}

// hasCap reports whether list holds uri, comparing without parameters.
func hasCap(list []string, uri string) bool {
	base := capBase(uri)
	for _, c := range list {
		if capBase(c) == base {
			return true
		}
	}
	return false
}

func capBase(uri string) string {
	uri = strings.TrimSpace(uri)
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return uri
}

// Do runs one <rpc> message read from msg and returns its reply, which the
// transport writes with Reply.WriteTo before it calls Do again. ctx bounds
// the operation; kill-session and shutdown cancel it too. Do never
// returns nil: protocol failures are rpc-errors in the reply.
func (s *Session) Do(ctx context.Context, msg io.Reader) *Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended() || s.closing {
		return s.errorReply(nil, rpcerror.New(rpcerror.TypeRPC, rpcerror.OperationFailed, "session %d has ended", s.id))
	}
	if !s.hello {
		return s.errorReply(nil, rpcerror.New(rpcerror.TypeRPC, rpcerror.OperationFailed, "no <hello> received yet"))
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	defer func() {
		stop()
		cancel()
	}()
	return s.run(ctx, msg)
}

// ended reports whether the session has ended.
func (s *Session) ended() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// end ends the session once: it cancels work in progress, releases the
// session's locks (discarding the candidate when it held its lock), rolls
// back a confirmed commit it issued without persist, and closes Done.
func (s *Session) end(ctx context.Context, why EndReason) {
	ctx = context.WithoutCancel(ctx)
	s.endOnce.Do(func() {
		s.endMu.Lock()
		s.endReason = why
		s.endMu.Unlock()
		s.cancel()
		srv := s.srv
		srv.mu.Lock()
		delete(srv.sessions, s.id)
		for name, holder := range srv.locks {
			if holder != s.id {
				continue
			}
			delete(srv.locks, name)
			if name == datastore.Candidate {
				srv.discardCandidate(ctx)
			}
		}
		if c := srv.confirm; c != nil && c.owner == s.id && c.persist == "" {
			srv.rollbackLocked(ctx, fmt.Sprintf("session %d ended (%s)", s.id, why))
		}
		srv.mu.Unlock()
		srv.log.Info("session ended", "session", s.id, "user", s.info.Username, "reason", why.String())
		close(s.done)
	})
}

// xmlEscape writes s with the XML special characters escaped.
func xmlEscape(w *bufio.Writer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			w.WriteString("&amp;")
		case '<':
			w.WriteString("&lt;")
		case '>':
			w.WriteString("&gt;")
		case '"':
			w.WriteString("&quot;")
		default:
			w.WriteByte(c)
		}
	}
}
