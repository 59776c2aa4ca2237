package soapserver

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/soapenv"
)

// The Body children the service dispatches on.
var (
	helloName = xml.Name{Space: rpcerror.BaseNamespace, Local: "hello"}
	rpcName   = xml.Name{Space: rpcerror.BaseNamespace, Local: "rpc"}
)

// without lists the capabilities SOAP/HTTP cannot carry: the server
// cannot push notifications over request/response HTTP.
var without = []string{netconfcore.CapNotification, netconfcore.CapInterleave}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Pragma", "no-cache")
	if r.URL.Path != s.opts.Path {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodPost:
		s.servePost(w, r)
	case http.MethodGet, http.MethodHead:
		s.wsdl.serve(w, r, s.serviceURL(r))
	default:
		h.Set("Allow", "GET, HEAD, POST")
		http.Error(w, "soapserver: method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Server) servePost(w http.ResponseWriter, r *http.Request) {
	c := connFrom(r.Context())
	if c == nil {
		http.Error(w, "soapserver: the handler must be served by soapserver.Server, which binds sessions to connections", http.StatusInternalServerError)
		return
	}
	hint, ctErr := soapenv.VersionFromContentType(r.Header.Get("Content-Type"))
	user, ok := s.authenticate(w, r, c, hint)
	if !ok {
		return
	}
	if ctErr != nil {
		writeFault(w, &soapenv.Fault{Version: hint, Code: soapenv.Sender, Reason: ctErr.Error()}, http.StatusUnsupportedMediaType)
		return
	}
	req, ok := s.readRequest(w, r, hint)
	if !ok {
		return
	}
	switch req.Name {
	case helloName:
		s.hello(w, r, c, user, req)
	case rpcName:
		s.rpc(w, r, c, req)
	default:
		writeFault(w, senderFault(req.Version, fmt.Sprintf("Body child {%s}%s is neither a NETCONF hello nor rpc", req.Name.Space, req.Name.Local)), 0)
	}
}

// readRequest reads and checks the request envelope. On failure it has
// answered with a fault.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request, hint soapenv.Version) (*soapenv.Request, bool) {
	limit := s.opts.MaxRequestSize
	if r.ContentLength > limit {
		s.tooBig(w, hint, r.ContentLength)
		return nil, false
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	req, err := soapenv.ReadRequest(body, &soapenv.Options{MaxSize: limit + 1, MaxDepth: s.opts.MaxDepth, FaultVersion: hint})
	if err == nil {
		return req, true
	}
	var tooLarge *http.MaxBytesError
	var f *soapenv.Fault
	switch {
	case errors.As(err, &tooLarge):
		s.tooBig(w, hint, -1)
	case errors.As(err, &f):
		writeFault(w, f, 0)
	default:
		s.log.Debug("soapserver: reading request", "remote", r.RemoteAddr, "err", err)
		w.Header().Set("Connection", "close")
		http.Error(w, "soapserver: reading request: "+err.Error(), http.StatusBadRequest)
	}
	return nil, false
}

// tooBig answers a request over MaxRequestSize (size -1: unknown) with 413
// and a too-big rpc-error, and closes the connection.
func (s *Server) tooBig(w http.ResponseWriter, v soapenv.Version, size int64) {
	msg := fmt.Sprintf("request exceeds the limit of %d bytes", s.opts.MaxRequestSize)
	if size >= 0 {
		msg = fmt.Sprintf("request of %d bytes exceeds the limit of %d bytes", size, s.opts.MaxRequestSize)
	}
	w.Header().Set("Connection", "close")
	writeFault(w, &soapenv.Fault{
		Version: v,
		Code:    soapenv.Sender,
		Reason:  string(rpcerror.TooBig),
		Detail:  rpcerror.List{rpcerror.New(rpcerror.TypeTransport, rpcerror.TooBig, "%s", msg)},
	}, http.StatusRequestEntityTooLarge)
}

// hello opens the connection's session.
func (s *Server) hello(w http.ResponseWriter, r *http.Request, c *conn, user string, req *soapenv.Request) {
	if sess := c.session(); sess != nil {
		writeFault(w, senderFault(req.Version, fmt.Sprintf("second <hello> on this connection: session %d is already open", sess.ID())), 0)
		return
	}
	transport := TransportHTTP
	if r.TLS != nil {
		transport = TransportHTTPS
	}
	sess, err := s.engine.NewSession(netconfcore.SessionInfo{
		Username:   user,
		Transport:  transport,
		RemoteAddr: r.RemoteAddr,
		Without:    without,
	})
	if err != nil {
		f := &soapenv.Fault{Version: req.Version, Code: soapenv.Receiver, Reason: err.Error()}
		if !errors.Is(err, netconfcore.ErrServerClosed) {
			f = soapenv.FaultFromErrors(rpcerror.Errors(err))
			f.Version = req.Version
		}
		writeFault(w, f, http.StatusServiceUnavailable)
		return
	}
	if err := sess.ReceiveHello(bytes.NewReader(req.Body)); err != nil {
		writeFault(w, senderFault(req.Version, err.Error()), 0)
		return
	}
	c.bind(sess)
	writeEnvelope(w, req.Version, sess.WriteHello)
	s.log.Debug("soapserver: session opened", "session", sess.ID(), "user", user, "remote", r.RemoteAddr)
}

// rpc runs one rpc on the connection's session.
func (s *Server) rpc(w http.ResponseWriter, r *http.Request, c *conn, req *soapenv.Request) {
	sess := c.session()
	if sess == nil {
		writeFault(w, senderFault(req.Version, "no session: POST a <hello> first on this connection"), 0)
		return
	}
	select {
	case <-sess.Done():
		w.Header().Set("Connection", "close")
		writeFault(w, &soapenv.Fault{Version: req.Version, Code: soapenv.Receiver,
			Reason: fmt.Sprintf("session %d has ended (%s)", sess.ID(), sess.EndReason())}, 0)
		return
	default:
	}
	rep := sess.Do(r.Context(), bytes.NewReader(req.Body))
	if rep.EndsSession() {
		w.Header().Set("Connection", "close")
	}
	if rep.Err() != nil {
		f := soapenv.FaultFromErrors(rep.Errors())
		f.Version = req.Version
		writeFault(w, f, 0)
		return
	}
	err := writeEnvelope(w, req.Version, func(w io.Writer) error {
		_, err := rep.WriteTo(w)
		return err
	})
	if err != nil {
		s.log.Debug("soapserver: writing reply", "session", sess.ID(), "err", err)
	}
}

// senderFault returns a Sender fault of version v: the request was wrong.
func senderFault(v soapenv.Version, reason string) *soapenv.Fault {
	return &soapenv.Fault{Version: v, Code: soapenv.Sender, Reason: reason}
}

// writeFault answers with f and status, or f.HTTPStatus() when status is
// 0.
func writeFault(w http.ResponseWriter, f *soapenv.Fault, status int) {
	if status == 0 {
		status = f.HTTPStatus()
	}
	w.Header().Set("Content-Type", soapenv.ContentType(f.Version))
	w.WriteHeader(status)
	soapenv.WriteFault(w, f)
}

// writeEnvelope answers 200 with an envelope of version v whose Body child
// body streams; the response uses chunked transfer coding once it
// outgrows the server's buffer.
func writeEnvelope(w http.ResponseWriter, v soapenv.Version, body func(io.Writer) error) error {
	w.Header().Set("Content-Type", soapenv.ContentType(v))
	w.WriteHeader(http.StatusOK)
	return soapenv.WriteEnvelope(w, v, body)
}
