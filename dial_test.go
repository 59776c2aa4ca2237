package ncsoap_test

import (
	"context"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/ncsoaptest"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/soapclient"
	"github.com/ncsoap/ncsoap/sshclient"
)

const (
	user     = ncsoaptest.User
	password = ncsoaptest.Password
	usersNS  = "http://ncsoap.dev/ns/example-users"
)

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
	srv := ncsoaptest.NewServer(t)
	return &servers{
		http: srv.HTTPURL, https: srv.HTTPSURL, ssh: srv.SSHURL,
		caFile: srv.CAFile, certFile: srv.ClientCertFile, keyFile: srv.ClientKeyFile,
		fingerprint: srv.HostKeyFingerprint, knownHosts: srv.KnownHostsFile,
	}
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
