package soapserver

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"time"

	"github.com/ncsoap/ncsoap/soapenv"
)

// authenticate returns the user a request is authenticated as. A verified
// TLS client certificate known to Options.CertUsers wins; otherwise the
// HTTP Basic credentials are checked against the user store once per
// connection, and later requests only compare their Authorization header
// with the one that succeeded. On failure it has answered the request
// (401 with a challenge, or 403) and reports false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, c *conn, v soapenv.Version) (string, bool) {
	if name, ok := s.certUser(r); ok {
		return s.accept(w, c, v, name, "")
	}
	hdr := r.Header.Get("Authorization")
	c.mu.Lock()
	cred, user := c.cred, c.user
	c.mu.Unlock()
	if cred != "" && subtle.ConstantTimeCompare([]byte(hdr), []byte(cred)) == 1 {
		return user, true
	}
	if r.TLS == nil && !c.loopback && !s.opts.AllowInsecureBasic {
		writeFault(w, senderFault(v, "HTTP Basic authentication over plaintext HTTP is refused: use HTTPS"), http.StatusForbidden)
		return "", false
	}
	name, password, ok := r.BasicAuth()
	if !ok {
		s.challenge(w, v, "authentication required")
		return "", false
	}
	if d := s.opts.Limiter.Delay(r.RemoteAddr); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return "", false
		}
	}
	if s.users == nil || !s.users.CheckPassword(name, password) {
		s.opts.Limiter.Failure(r.RemoteAddr)
		s.log.Warn("soapserver: authentication failed", "user", name, "remote", r.RemoteAddr)
		s.challenge(w, v, "authentication failed")
		return "", false
	}
	s.opts.Limiter.Success(r.RemoteAddr)
	return s.accept(w, c, v, name, hdr)
}

// certUser returns the user the request's TLS client certificate maps to.
// The TLS handshake proved that the client holds the certificate's key, so
// an exact match of the certificate is enough.
func (s *Server) certUser(r *http.Request) (string, bool) {
	if s.opts.CertUsers == nil || r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return "", false
	}
	return s.opts.CertUsers.Lookup(r.TLS.PeerCertificates[0].Raw)
}

// accept records name as the user of connection c, authenticated by the
// Authorization header cred ("" for a certificate). Once a session is
// open on c it keeps the user it was opened by: other credentials are
// refused with 403.
func (s *Server) accept(w http.ResponseWriter, c *conn, v soapenv.Version, name, cred string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess != nil && c.user != name {
		writeFault(w, senderFault(v, fmt.Sprintf("this connection's session belongs to user %q", c.user)), http.StatusForbidden)
		return "", false
	}
	c.user, c.cred = name, cred
	return name, true
}

// challenge answers 401 with a Basic challenge and a Sender fault.
func (s *Server) challenge(w http.ResponseWriter, v soapenv.Version, reason string) {
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm=%q, charset="UTF-8"`, s.opts.Realm))
	writeFault(w, senderFault(v, reason), http.StatusUnauthorized)
}
