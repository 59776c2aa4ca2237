package main

import (
	"bytes"
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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/soapserver"
	"github.com/ncsoap/ncsoap/sshserver"
)

const (
	user     = "admin"
	password = "s3cret"
	usersNS  = "http://ncsoap.dev/ns/example-users"
	ifNS     = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
)

// users is shared by every test: hashing a password costs ~15 ms.
var users = sync.OnceValue(func() *auth.Users {
	u := auth.NewMemory()
	if err := u.SetPassword(user, password); err != nil {
		panic(err)
	}
	return u
})

// servers is one engine served over SOAP/HTTP, SOAP/HTTPS and SSH on
// loopback ports.
type servers struct {
	engine      *netconfcore.Server
	urls        map[string]string   // by transport: http, https, ssh
	flags       map[string][]string // global options each transport needs
	caFile      string
	certFile    string // a client certificate mapped to user
	keyFile     string // its private key
	fingerprint string
}

func startServers(t *testing.T) *servers {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	set, err := schema.Load(schema.Options{})
	require.NoError(t, err)
	store, err := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig()})
	require.NoError(t, err)
	engine, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store, Logger: quiet})
	require.NoError(t, err)
	t.Cleanup(func() { engine.Shutdown(context.Background()) })
	dir := t.TempDir()
	s := &servers{engine: engine, urls: map[string]string{}, flags: map[string][]string{}}

	clientCert, clientPEM := selfSigned(t, x509.ExtKeyUsageClientAuth)
	s.certFile, s.keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	require.NoError(t, os.WriteFile(s.certFile, clientPEM, 0o600))
	keyDER, err := x509.MarshalPKCS8PrivateKey(clientCert.PrivateKey)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(s.keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	certUsers := auth.NewCertUsers()
	certUsers.Add(clientCert.Certificate[0], user)
	clientCAs := x509.NewCertPool()
	clientCAs.AppendCertsFromPEM(clientPEM)

	soap := soapserver.New(engine, users(), soapserver.Options{Logger: quiet, CertUsers: certUsers})
	t.Cleanup(func() { soap.Close() })
	l := listen(t)
	go soap.Serve(l)
	s.urls["http"] = "http://" + l.Addr().String() + "/netconf"

	cert, certPEM := selfSigned(t, x509.ExtKeyUsageServerAuth)
	s.caFile = filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(s.caFile, certPEM, 0o600))
	l = listen(t)
	go soap.ServeTLS(l, soapserver.TLSConfig([]tls.Certificate{cert}, clientCAs))
	s.urls["https"] = "https://" + l.Addr().String() + "/netconf"
	s.flags["https"] = []string{"--ca-file", s.caFile}

	hostKey, err := sshserver.LoadOrCreateHostKey(filepath.Join(dir, "host_key"))
	require.NoError(t, err)
	sshSrv, err := sshserver.New(engine, users(), sshserver.Options{HostKeys: []ssh.Signer{hostKey}, Logger: quiet})
	require.NoError(t, err)
	t.Cleanup(func() { sshSrv.Close() })
	l = listen(t)
	go sshSrv.Serve(l)
	s.urls["ssh"] = "ssh://" + l.Addr().String()
	s.fingerprint = ssh.FingerprintSHA256(hostKey.PublicKey())
	s.flags["ssh"] = []string{"--host-key-fingerprint", s.fingerprint}
	return s
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return l
}

// selfSigned returns a certificate for 127.0.0.1 and its PEM encoding.
func selfSigned(t *testing.T, usage x509.ExtKeyUsage) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "ncsoap test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{usage},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// result is what one run of ncsoap printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// ncsoap runs the CLI with args and stdin.
func runCLI(stdin string, args ...string) result {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// on runs the CLI against the server over transport.
func (s *servers) on(transport, stdin string, args ...string) result {
	global := append([]string{"--url", s.urls[transport]}, s.flags[transport]...)
	return runCLI(stdin, append(global, args...)...)
}

// writeFile writes content to a new file in dir and returns its path.
func writeFile(t *testing.T, name, content string, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), perm))
	return p
}
