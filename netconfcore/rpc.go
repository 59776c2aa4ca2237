package netconfcore

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// maxMessageIDLen is the longest message-id messageIdType allows.
const maxMessageIDLen = 4095

// Namespaces of operations the server knows but does not run.
const (
	notificationNamespace = "urn:ietf:params:xml:ns:netconf:notification:1.0"
	monitoringNamespace   = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"
)

// call is one rpc being run.
type call struct {
	sess   *Session
	ctx    context.Context
	op     *etree.Element
	reply  *Reply
	target string // datastore named by the operation, for the audit record
}

// opFunc runs an operation and fills c.reply.
type opFunc func(c *call) error

var operations map[string]opFunc

func init() {
	operations = map[string]opFunc{
		"get":             opGet,
		"get-config":      opGetConfig,
		"edit-config":     opEditConfig,
		"copy-config":     opCopyConfig,
		"delete-config":   opDeleteConfig,
		"lock":            opLock,
		"unlock":          opUnlock,
		"close-session":   opCloseSession,
		"kill-session":    opKillSession,
		"commit":          opCommit,
		"cancel-commit":   opCancelCommit,
		"discard-changes": opDiscardChanges,
		"validate":        opValidate,
	}
}

// run parses and runs one rpc message.
func (s *Session) run(ctx context.Context, msg io.Reader) *Reply {
	start := time.Now()
	c := &call{sess: s, ctx: ctx, reply: &Reply{sess: s}}
	if err := c.parse(msg); err != nil {
		c.reply.errs = append(c.reply.errs, rpcerror.Errors(err)...)
	} else if err := c.dispatch(); err != nil {
		c.reply.errs = append(c.reply.errs, s.rpcErrors(ctx, err)...)
	}
	if s.srv.cfg.Audit != nil {
		rec := AuditRecord{
			Time: start, Duration: time.Since(start), SessionID: s.id,
			Username: s.info.Username, Transport: s.info.Transport, RemoteAddr: s.info.RemoteAddr,
			Target: c.target, Errors: c.reply.errs,
		}
		if c.op != nil {
			rec.Operation = c.op.Tag
		}
		s.srv.cfg.Audit(rec)
	}
	return c.reply
}

// rpcErrors converts an operation's error into rpc-errors; a canceled
// operation of a killed session says so.
func (s *Session) rpcErrors(ctx context.Context, err error) RPCErrors {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if s.ended() {
			return RPCErrors{rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
				"session %d ended (%s) during the operation", s.id, s.EndReason())}
		}
		return RPCErrors{rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed,
			"operation canceled: %v", ctx.Err())}
	}
	return rpcerror.Errors(err)
}

// errorReply returns a reply carrying e and the attributes of rpc (nil
// when there is none).
func (s *Session) errorReply(rpc *etree.Element, e *RPCError) *Reply {
	r := &Reply{sess: s, errs: RPCErrors{e}}
	if rpc != nil {
		r.attrs = rpc.Attr
	}
	return r
}

// parse reads the message, checks the <rpc> envelope and finds the
// operation element.
func (c *call) parse(msg io.Reader) error {
	maxDepth := c.sess.srv.cfg.MaxDepth
	doc, err := xmlparse.ParseReader(msg, xmlparse.Options{MaxDepth: maxDepth})
	if errors.Is(err, xmlparse.ErrMaxDepth) {
		return rpcerror.New(rpcerror.TypeRPC, rpcerror.TooBig,
			"the message nests elements deeper than %d levels", maxDepth)
	} else if err != nil {
		return c.sess.malformed("the message is not well-formed XML: %v", err)
	}
	rpc := doc.Root()
	if rpc == nil {
		return c.sess.malformed("the message holds no element")
	}
	if rpc.NamespaceURI() != rpcerror.BaseNamespace {
		return rpcerror.UnknownNamespaceError(rpcerror.TypeRPC, rpc.Tag, rpc.NamespaceURI())
	}
	if rpc.Tag != "rpc" {
		if rpc.Tag == "hello" {
			return rpcerror.New(rpcerror.TypeRPC, rpcerror.OperationFailed, "unexpected <hello>: the session has exchanged hellos")
		}
		return c.sess.malformed("expected <rpc>, found <%s>", rpc.Tag)
	}
	c.reply.attrs = rpc.Attr
	c.reply.prefix = rpc.Space
	id := rpc.SelectAttr("message-id")
	if id == nil || id.Space != "" {
		return rpcerror.MissingAttributeError(rpcerror.TypeRPC, "message-id", "rpc")
	}
	if len(id.Value) > maxMessageIDLen {
		return rpcerror.BadAttributeError(rpcerror.TypeRPC, "message-id", "rpc", "message-id is longer than 4095 characters")
	}
	kids := rpc.ChildElements()
	if len(kids) == 0 {
		return rpcerror.MissingElementError(rpcerror.TypeProtocol, "rpc").
			WithInfo(rpcerror.Info{BadElement: "rpc"})
	}
	if len(kids) > 1 {
		return rpcerror.UnknownElementError(rpcerror.TypeProtocol, kids[1].Tag)
	}
	c.op = kids[0]
	return nil
}

// malformed returns malformed-message on base:1.1 sessions and the base:1.0
// equivalent, operation-failed, otherwise (RFC 6241 Appendix A).
func (s *Session) malformed(format string, args ...any) *RPCError {
	if s.version == Base11 {
		return rpcerror.New(rpcerror.TypeRPC, rpcerror.MalformedMessage, format, args...)
	}
	return rpcerror.New(rpcerror.TypeRPC, rpcerror.OperationFailed, format, args...)
}

// dispatch runs the operation element.
func (c *call) dispatch() error {
	ns := c.op.NamespaceURI()
	s := c.sess
	if auth := s.srv.cfg.Authorize; auth != nil && !(ns == rpcerror.BaseNamespace && c.op.Tag == "close-session") &&
		!auth(c.ctx, s.info.Username, c.op.Tag) {
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.AccessDenied,
			"user %q may not run %s", s.info.Username, c.op.Tag)
	}
	switch {
	case ns == rpcerror.BaseNamespace:
		if f := operations[c.op.Tag]; f != nil {
			return f(c)
		}
	case ns == notificationNamespace || ns == monitoringNamespace ||
		s.srv.store.Schema().ModuleByNamespace(ns) != nil:
	default:
		return rpcerror.UnknownNamespaceError(rpcerror.TypeProtocol, c.op.Tag, ns)
	}
	return rpcerror.New(rpcerror.TypeProtocol, rpcerror.OperationNotSupported,
		"operation %q is not supported", c.op.Tag).WithInfo(rpcerror.Info{BadElement: c.op.Tag})
}
