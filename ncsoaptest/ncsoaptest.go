// Package ncsoaptest runs a complete ncsoap NETCONF server inside a test:
// the engine over the bundled example YANG modules and sample
// configuration, served over SOAP on HTTP and HTTPS and over SSH on
// loopback ports, with one user. Code that talks NETCONF — through the
// ncsoap SDK, a SOAP toolkit or any other client — can be tested against
// it without a device.
//
//	srv := ncsoaptest.NewServer(t)
//	sess, err := ncsoap.Dial(ctx, srv.HTTPURL, ncsoap.WithUser(srv.User), ncsoap.WithPassword(srv.Password))
package ncsoaptest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
	"github.com/ncsoap/ncsoap/soapserver"
	"github.com/ncsoap/ncsoap/sshserver"
)

// The account every Server has.
const (
	User     = "admin"
	Password = "ncsoaptest-secret"
)

// Server is a running test server. Its fields are set by NewServer.
type Server struct {
	Engine *netconfcore.Server
	Store  *datastore.Store
	Users  *auth.Users

	// User and Password log in over every transport.
	User, Password string

	// HTTPURL, HTTPSURL and SSHURL are the service addresses, without
	// credentials: http://127.0.0.1:PORT/netconf, https://..., and
	// ssh://127.0.0.1:PORT.
	HTTPURL, HTTPSURL, SSHURL string

	// CAFile is a PEM file of the HTTPS server certificate, to trust it.
	CAFile string
	// ClientCertFile and ClientKeyFile are a TLS client certificate,
	// mapped to User, and its key.
	ClientCertFile, ClientKeyFile string
	// HostKeyFingerprint is the SHA256 fingerprint of the SSH host key;
	// KnownHostsFile lists that key for the SSH address.
	HostKeyFingerprint, KnownHostsFile string

	soap      *soapserver.Server
	ssh       *sshserver.Server
	soapConns atomic.Int64
}

// SOAPConnections returns how many TCP connections the SOAP listeners
// (HTTP and HTTPS) have accepted: a client that keeps its NETCONF session
// opens exactly one.
func (s *Server) SOAPConnections() int { return int(s.soapConns.Load()) }

// countingListener counts accepted connections.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// Option adjusts a Server before it starts.
type Option func(*options)

type options struct {
	engine func(*netconfcore.Config)
	soap   func(*soapserver.Options)
	ssh    func(*sshserver.Options)
}

// WithEngineConfig lets f change the engine's configuration.
func WithEngineConfig(f func(*netconfcore.Config)) Option {
	return func(o *options) { o.engine = f }
}

// WithSOAPOptions lets f change the SOAP server's options.
func WithSOAPOptions(f func(*soapserver.Options)) Option {
	return func(o *options) { o.soap = f }
}

// WithSSHOptions lets f change the SSH server's options.
func WithSSHOptions(f func(*sshserver.Options)) Option {
	return func(o *options) { o.ssh = f }
}

// users is shared by all servers of a test binary: hashing a password
// costs milliseconds.
var users = sync.OnceValues(func() (*auth.Users, error) {
	u := auth.NewMemory()
	return u, u.SetPassword(User, Password)
})

var exampleSchema = sync.OnceValues(func() (*schema.Set, error) { return schema.Load(schema.Options{}) })

// NewServer starts a server with fresh datastores holding the sample
// configuration. It is stopped when tb's test ends; a failure to start
// fails the test.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	set, err := exampleSchema()
	check(tb, err)
	store, err := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig(), Exprs: xpath.NewEvaluator()})
	check(tb, err)
	cfg := netconfcore.Config{Store: store, Logger: quiet}
	if o.engine != nil {
		o.engine(&cfg)
	}
	engine, err := netconfcore.NewServer(ctx, cfg)
	check(tb, err)
	u, err := users()
	check(tb, err)
	s := &Server{Engine: engine, Store: store, Users: u, User: User, Password: Password}
	dir := tb.TempDir()

	clientCert, clientPEM := selfSigned(tb, x509.ExtKeyUsageClientAuth)
	s.ClientCertFile, s.ClientKeyFile = writeCert(tb, dir, "client", clientCert, clientPEM)
	certUsers := auth.NewCertUsers()
	certUsers.Add(clientCert.Certificate[0], User)
	clientCAs := x509.NewCertPool()
	clientCAs.AppendCertsFromPEM(clientPEM)
	serverCert, serverPEM := selfSigned(tb, x509.ExtKeyUsageServerAuth)
	s.CAFile, _ = writeCert(tb, dir, "server", serverCert, serverPEM)

	soapOpts := soapserver.Options{Logger: quiet, CertUsers: certUsers}
	if o.soap != nil {
		o.soap(&soapOpts)
	}
	s.soap = soapserver.New(engine, u, soapOpts)
	l := listen(tb)
	go s.soap.Serve(countingListener{l, &s.soapConns})
	s.HTTPURL = "http://" + l.Addr().String() + soapPath(soapOpts)
	l = listen(tb)
	go s.soap.ServeTLS(countingListener{l, &s.soapConns}, soapserver.TLSConfig([]tls.Certificate{serverCert}, clientCAs))
	s.HTTPSURL = "https://" + l.Addr().String() + soapPath(soapOpts)

	hostKey, err := sshserver.LoadOrCreateHostKey(filepath.Join(dir, "ssh_host_key"))
	check(tb, err)
	sshOpts := sshserver.Options{HostKeys: []ssh.Signer{hostKey}, Logger: quiet}
	if o.ssh != nil {
		o.ssh(&sshOpts)
	}
	s.ssh, err = sshserver.New(engine, u, sshOpts)
	check(tb, err)
	l = listen(tb)
	go s.ssh.Serve(l)
	s.SSHURL = "ssh://" + l.Addr().String()
	s.HostKeyFingerprint = ssh.FingerprintSHA256(hostKey.PublicKey())
	s.KnownHostsFile = filepath.Join(dir, "known_hosts")
	line := ssh.MarshalAuthorizedKey(hostKey.PublicKey())
	check(tb, os.WriteFile(s.KnownHostsFile, append([]byte("["+l.Addr().(*net.TCPAddr).IP.String()+"]:"+portOf(l)+" "), line...), 0o600))

	tb.Cleanup(s.Close)
	return s
}

// Close stops the listeners and ends every session.
func (s *Server) Close() {
	s.soap.Close()
	s.ssh.Close()
	s.Engine.Shutdown(context.Background())
}

func soapPath(o soapserver.Options) string {
	if o.Path != "" {
		return o.Path
	}
	return soapserver.DefaultPath
}

func check(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("ncsoaptest: %v", err)
	}
}

func listen(tb testing.TB) net.Listener {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(tb, err)
	return l
}

func portOf(l net.Listener) string {
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// selfSigned returns a certificate for 127.0.0.1 and localhost, and its
// PEM encoding.
func selfSigned(tb testing.TB, usage x509.ExtKeyUsage) (tls.Certificate, []byte) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(tb, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "ncsoaptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{usage},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	check(tb, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// writeCert writes a certificate and its key as PEM files in dir.
func writeCert(tb testing.TB, dir, name string, c tls.Certificate, certPEM []byte) (certFile, keyFile string) {
	tb.Helper()
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	check(tb, os.WriteFile(certFile, certPEM, 0o600))
	der, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	check(tb, err)
	check(tb, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	return certFile, keyFile
}
