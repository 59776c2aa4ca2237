package client

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/gen"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// Base protocol capabilities (RFC 6241 §8.1).
const (
	CapBase10 = "urn:ietf:params:netconf:base:1.0"
	CapBase11 = "urn:ietf:params:netconf:base:1.1"
)

// ErrBadHello is wrapped by the error NewSession returns when the
// server's <hello> is unusable: not well-formed, not a base:1.0 <hello>,
// or without a valid session-id (RFC 6241 §8.1).
var ErrBadHello = errors.New("netconf: bad server hello")

// ErrBadReply is wrapped by errors for a reply that is not a well-formed
// <rpc-reply> answering the request: wrong element, message-id not the
// one sent, bad XML, or no <data> where data was expected.
var ErrBadReply = errors.New("netconf: bad reply")

// Session is one NETCONF session over a Transport whose hellos have been
// exchanged. Its methods send one <rpc> each and wait for the reply; they
// are safe for concurrent use, and calls are sent one at a time in the
// order they acquire the session.
//
// A method returns an rpcerror.List when the reply holds rpc-errors of
// severity error, and an error wrapping ErrSessionClosed once the
// transport has ended. Warnings of the latest reply are kept and read
// with Warnings.
type Session struct {
	t    Transport
	id   uint32
	caps []string

	mu       sync.Mutex // serializes requests
	nextID   uint64
	warnings rpcerror.List
	closed   bool
}

// NewSession returns a Session on t, reading the session-id and
// capabilities from the server's hello, t.Hello(). When the hello is
// unusable (no session-id, say) it closes t without sending close-session,
// as RFC 6241 §8.1 requires, and fails with an error wrapping
// ErrBadHello.
func NewSession(t Transport) (*Session, error) {
	id, caps, err := ParseHello(t.Hello())
	if err != nil {
		t.Close()
		return nil, err
	}
	return &Session{t: t, id: id, caps: caps}, nil
}

// ParseHello reads a server <hello>: its session-id and capabilities, the
// latter with surrounding whitespace removed. Transports use it to choose
// the framing before a Session exists.
func ParseHello(msg []byte) (sessionID uint32, capabilities []string, err error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(msg); err != nil {
		return 0, nil, fmt.Errorf("%w: %v", ErrBadHello, err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "hello" || root.NamespaceURI() != rpcerror.BaseNamespace {
		return 0, nil, fmt.Errorf("%w: the message is not a base:1.0 <hello>", ErrBadHello)
	}
	if cs := root.SelectElement("capabilities"); cs != nil {
		for _, c := range cs.SelectElements("capability") {
			capabilities = append(capabilities, strings.TrimSpace(c.Text()))
		}
	}
	sid := root.SelectElement("session-id")
	if sid == nil {
		return 0, nil, fmt.Errorf("%w: no session-id", ErrBadHello)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(sid.Text()), 10, 32)
	if err != nil || n == 0 {
		return 0, nil, fmt.Errorf("%w: session-id %q is not a number from 1 to 4294967295", ErrBadHello, sid.Text())
	}
	return uint32(n), capabilities, nil
}

// ID returns the session-id the server assigned.
func (s *Session) ID() uint32 { return s.id }

// Capabilities returns the capabilities the server advertised.
func (s *Session) Capabilities() []string { return append([]string(nil), s.caps...) }

// HasCapability reports whether the server advertised uri, comparing
// without the parameters after '?' as RFC 6241 §8.1 does.
func (s *Session) HasCapability(uri string) bool {
	base := capBase(uri)
	for _, c := range s.caps {
		if capBase(c) == base {
			return true
		}
	}
	return false
}

func capBase(uri string) string {
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return strings.TrimSpace(uri)
}

// Transport returns the transport the session runs on.
func (s *Session) Transport() Transport { return s.t }

// Warnings returns the rpc-errors of severity warning in the latest reply.
func (s *Session) Warnings() rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.warnings
}

// RPC sends opXML, one operation element with its namespace declared, as
// an <rpc> and returns the whole <rpc-reply> message. When the reply holds
// rpc-errors of severity error, RPC returns the reply and an
// rpcerror.List.
func (s *Session) RPC(ctx context.Context, opXML []byte) ([]byte, error) {
	var reply bytes.Buffer
	err := s.do(ctx, &gen.RPC{InnerXML: string(opXML)}, &reply, nil)
	return reply.Bytes(), err
}

// call sends op as an <rpc> and parses its reply; the content of <data>,
// when data is not nil, is streamed to it.
func (s *Session) call(ctx context.Context, op *gen.RPC, data io.Writer) error {
	return s.do(ctx, op, nil, data)
}

// do sends rpc with the next message-id. The whole reply is copied to raw
// when raw is not nil; the <data> element goes to data when that is not
// nil.
func (s *Session) do(ctx context.Context, rpc *gen.RPC, raw *bytes.Buffer, data io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("netconf: session %d: %w", s.id, ErrSessionClosed)
	}
	s.nextID++
	id := gen.MessageIDType(strconv.FormatUint(s.nextID, 10))
	rpc.MessageID = &id
	body, err := s.t.RoundTrip(ctx, func(w io.Writer) error {
		return xml.NewEncoder(w).Encode(rpc)
	})
	if err != nil {
		return err
	}
	defer body.Close()
	var r io.Reader = body
	if raw != nil {
		r = io.TeeReader(body, raw)
	}
	res, err := parseReply(r, string(id), data)
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.warnings = res.warnings()
	if res.errs.HasErrors() {
		return res.errs
	}
	if data != nil && !res.data {
		return fmt.Errorf("%w: no <data> in the reply", ErrBadReply)
	}
	return nil
}

// Close sends <close-session> and then closes the transport, whatever
// the answer. Calls after the first return nil.
func (s *Session) Close(ctx context.Context) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil
	}
	err := s.call(ctx, &gen.RPC{InnerXML: `<close-session xmlns="` + rpcerror.BaseNamespace + `"/>`}, nil)
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	if cerr := s.t.Close(); err == nil && cerr != nil && !errors.Is(cerr, ErrSessionClosed) {
		err = cerr
	}
	return err
}
