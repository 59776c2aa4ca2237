package ncsoap_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
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

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/soapclient"
	"github.com/ncsoap/ncsoap/soapserver"
	"github.com/ncsoap/ncsoap/sshclient"
	"github.com/ncsoap/ncsoap/sshserver"
)

const (
	user     = "admin"
	password = "s3cret"
	usersNS  = "http://ncsoap.dev/ns/example-users"
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
	http, https, ssh string // URLs without userinfo
	caFile           string // PEM of the HTTPS certificate
	certFile         string // PEM of a client certificate mapped to user
	keyFile          string // PEM of its private key
	fingerprint      string // SHA256 fingerprint of the SSH host key
	knownHosts       string // known_hosts file listing the SSH host key
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
	s := &servers{}

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
	s.http = "http://" + l.Addr().String() + "/netconf"

	cert, certPEM := selfSigned(t, x509.ExtKeyUsageServerAuth)
	s.caFile = filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(s.caFile, certPEM, 0o600))
	l = listen(t)
	go soap.ServeTLS(l, soapserver.TLSConfig([]tls.Certificate{cert}, clientCAs))
	s.https = "https://" + l.Addr().String() + "/netconf"

	hostKey, err := sshserver.LoadOrCreateHostKey(filepath.Join(dir, "host_key"))
	require.NoError(t, err)
	sshSrv, err := sshserver.New(engine, users(), sshserver.Options{HostKeys: []ssh.Signer{hostKey}, Logger: quiet})
	require.NoError(t, err)
	t.Cleanup(func() { sshSrv.Close() })
	l = listen(t)
	go sshSrv.Serve(l)
	s.ssh = "ssh://" + l.Addr().String()
	s.fingerprint = ssh.FingerprintSHA256(hostKey.PublicKey())
	s.knownHosts = filepath.Join(dir, "known_hosts")
	line := "[127.0.0.1]:" + portOf(l.Addr()) + " " + string(ssh.MarshalAuthorizedKey(hostKey.PublicKey()))
	require.NoError(t, os.WriteFile(s.knownHosts, []byte(line), 0o600))
	return s
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return l
}

func portOf(a net.Addr) string {
	_, p, _ := net.SplitHostPort(a.String())
	return p
}

// selfSigned returns a certificate for 127.0.0.1 and its PEM encoding.
func selfSigned(t *testing.T, usage x509.ExtKeyUsage) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "ncsoap test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func withUser(rawURL, userinfo string) string {
	scheme, rest, _ := strings.Cut(rawURL, "://")
	return scheme + "://" + userinfo + "@" + rest
}

func TestDial(t *testing.T) {
	s := startServers(t)
	cases := []struct {
		name string
		url  string
		opts []ncsoap.DialOption
	}{
		{"http", s.http, []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword(password)}},
		{"http userinfo", withUser(s.http, user+":"+password), nil},
		{"http user in URL", withUser(s.http, user), []ncsoap.DialOption{ncsoap.WithPassword(password)}},
		{"http soap12", s.http, []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword(password), ncsoap.WithSOAP12()}},
		{"http soap options", s.http, []ncsoap.DialOption{ncsoap.WithSOAPOptions(soapclient.WithBasicAuth(user, password))}},
		{"https ca file", s.https, []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword(password), ncsoap.WithCAFile(s.caFile)}},
		{"https client certificate", s.https, []ncsoap.DialOption{ncsoap.WithCAFile(s.caFile), ncsoap.WithClientCert(s.certFile, s.keyFile)}},
		{"https insecure", s.https, []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword(password), ncsoap.InsecureSkipVerify()}},
		{"ssh fingerprint", withUser(s.ssh, user), []ncsoap.DialOption{ncsoap.WithPassword(password), ncsoap.WithHostKeyFingerprint(s.fingerprint)}},
		{"ssh known hosts", s.ssh, []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword(password), ncsoap.WithKnownHosts(s.knownHosts)}},
		{"ssh insecure", withUser(s.ssh, user+":"+password), []ncsoap.DialOption{ncsoap.InsecureSkipVerify()}},
		{"ssh options", withUser(s.ssh, user), []ncsoap.DialOption{ncsoap.WithSSHOptions(sshclient.WithPassword(password), sshclient.InsecureIgnoreHostKey())}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			sess, err := ncsoap.Dial(ctx, tc.url, tc.opts...)
			require.NoError(t, err)
			defer sess.Close(ctx)
			require.NotZero(t, sess.ID())
			require.True(t, sess.HasCapability(client.CapBase10))
			data, err := sess.GetConfig(ctx, client.Running,
				client.WithFilter(client.Subtree([]byte(`<system xmlns="`+usersNS+`"><hostname/></system>`))))
			require.NoError(t, err)
			require.Contains(t, string(data), "<hostname>router1</hostname>")
		})
	}
}

func TestDialErrors(t *testing.T) {
	s := startServers(t)
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o600))
	creds := []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword(password)}
	cases := []struct {
		name  string
		url   string
		opts  []ncsoap.DialOption
		check func(t *testing.T, err error)
	}{
		{"scheme", "ftp://127.0.0.1/netconf", nil, func(t *testing.T, err error) {
			require.ErrorIs(t, err, ncsoap.ErrUnsupportedScheme)
		}},
		{"bad URL", "http://[::1", nil, func(t *testing.T, err error) {
			require.ErrorContains(t, err, "ncsoap:")
		}},
		{"key file over http", s.http, append(creds, ncsoap.WithKeyFile("id")), optionError("WithKeyFile", "http", false)},
		{"agent over https", s.https, append(creds, ncsoap.WithAgent()), optionError("WithAgent", "https", false)},
		{"CA file over http", s.http, append(creds, ncsoap.WithCAFile(s.caFile)), optionError("WithCAFile", "http", false)},
		{"client cert over ssh", s.ssh, append(creds, ncsoap.WithClientCert("c", "k")), optionError("WithClientCert", "ssh", false)},
		{"soap12 over ssh", s.ssh, append(creds, ncsoap.WithSOAP12()), optionError("WithSOAP12", "ssh", false)},
		{"ssh options over http", s.http, append(creds, ncsoap.WithSSHOptions()), optionError("WithSSHOptions", "http", false)},
		{"soap options over ssh", s.ssh, append(creds, ncsoap.WithSOAPOptions()), optionError("WithSOAPOptions", "ssh", false)},
		{"missing CA file", s.https, append(creds, ncsoap.WithCAFile(filepath.Join(dir, "none"))), optionError("WithCAFile", "https", true)},
		{"CA file without PEM", s.https, append(creds, ncsoap.WithCAFile(notPEM)), optionError("WithCAFile", "https", true)},
		{"missing client cert", s.https, append(creds, ncsoap.WithClientCert(notPEM, notPEM)), optionError("WithClientCert", "https", true)},
		{"untrusted certificate", s.https, creds, func(t *testing.T, err error) {
			var uerr x509.UnknownAuthorityError
			require.ErrorAs(t, err, &uerr)
		}},
		{"wrong password over http", s.http, []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword("wrong")}, func(t *testing.T, err error) {
			var serr *soapclient.StatusError
			require.ErrorAs(t, err, &serr)
			require.Equal(t, 401, serr.StatusCode)
		}},
		{"wrong host key", s.ssh, append(creds, ncsoap.WithHostKeyFingerprint("SHA256:nope")), func(t *testing.T, err error) {
			require.ErrorContains(t, err, "does not match")
		}},
		{"no ssh credentials", withUser(s.ssh, user), []ncsoap.DialOption{ncsoap.InsecureSkipVerify()}, func(t *testing.T, err error) {
			require.ErrorIs(t, err, sshclient.ErrNoAuth)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sess, err := ncsoap.Dial(context.Background(), tc.url, tc.opts...)
			require.Nil(t, sess)
			require.Error(t, err)
			tc.check(t, err)
		})
	}
}

func optionError(option, scheme string, hasCause bool) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var oerr *ncsoap.OptionError
		require.ErrorAs(t, err, &oerr)
		require.Equal(t, option, oerr.Option)
		require.Equal(t, scheme, oerr.Scheme)
		require.Equal(t, hasCause, oerr.Err != nil, "%v", err)
		require.Contains(t, err.Error(), option)
	}
}

// TestDialSameErrors checks that an rpc-error reaches the caller as the
// same rpcerror value over SOAP and SSH.
func TestDialSameErrors(t *testing.T) {
	s := startServers(t)
	ctx := context.Background()
	for _, rawURL := range []string{s.http, s.ssh} {
		t.Run(strings.Split(rawURL, ":")[0], func(t *testing.T) {
			opts := []ncsoap.DialOption{ncsoap.WithUser(user), ncsoap.WithPassword(password)}
			if strings.HasPrefix(rawURL, "ssh") {
				opts = append(opts, ncsoap.WithHostKeyFingerprint(s.fingerprint))
			}
			holder, err := ncsoap.Dial(ctx, rawURL, opts...)
			require.NoError(t, err)
			defer holder.Close(ctx)
			other, err := ncsoap.Dial(ctx, rawURL, opts...)
			require.NoError(t, err)
			defer other.Close(ctx)

			require.NoError(t, holder.Lock(ctx, client.Candidate))
			err = other.Lock(ctx, client.Candidate)
			var list rpcerror.List
			require.True(t, errors.As(err, &list), "%T %v", err, err)
			require.Len(t, list, 1)
			require.Equal(t, rpcerror.LockDenied, list[0].Tag)
			require.NotNil(t, list[0].Info.SessionID)
			require.Equal(t, holder.ID(), *list[0].Info.SessionID)
		})
	}
}
