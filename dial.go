package ncsoap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/soapclient"
	"github.com/ncsoap/ncsoap/sshclient"
)

// ErrUnsupportedScheme is wrapped by the error Dial returns for a URL whose
// scheme is not http, https or ssh.
var ErrUnsupportedScheme = errors.New("ncsoap: unsupported URL scheme")

// OptionError reports a DialOption that the URL's transport cannot honour,
// such as an SSH key file for an http URL, or an option whose argument is
// unusable, such as an unreadable CA file.
type OptionError struct {
	Option string // the option's name, "WithKeyFile"
	Scheme string // the URL scheme, "http"
	Err    error  // why the option failed; nil when it does not apply to Scheme
}

// Error describes the option and the failure.
func (e *OptionError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("ncsoap: %s does not apply to %s URLs", e.Option, e.Scheme)
	}
	return fmt.Sprintf("ncsoap: %s: %v", e.Option, e.Err)
}

// Unwrap returns the underlying failure.
func (e *OptionError) Unwrap() error { return e.Err }

// DialOption configures Dial.
type DialOption func(*dialConfig)

// dialConfig collects the options of one Dial. Options that only one
// transport understands record their name in sshOnly or tlsOnly so that
// Dial can reject them for the other.
type dialConfig struct {
	user, password string
	hasPassword    bool
	sshOnly        []string
	tlsOnly        []string
	insecure       bool
	soap12         bool

	keyFiles    []string
	agent       bool
	knownHosts  []string
	fingerprint string

	tls               *tls.Config
	caFile            string
	certFile, certKey string
	soapOpts          []soapclient.Option
	sshOpts           []sshclient.Option
	soapOptsGiven     bool
	sshOptsGiven      bool
}

// WithUser sets the username, overriding one given in the URL.
func WithUser(name string) DialOption {
	return func(c *dialConfig) { c.user = name }
}

// WithPassword authenticates with password: HTTP Basic over SOAP, the
// "password" and "keyboard-interactive" methods over SSH.
func WithPassword(password string) DialOption {
	return func(c *dialConfig) { c.password, c.hasPassword = password, true }
}

// WithKeyFile authenticates over SSH with the unencrypted private key in
// the file at path. It may be given several times.
func WithKeyFile(path string) DialOption {
	return func(c *dialConfig) {
		c.keyFiles = append(c.keyFiles, path)
		c.sshOnly = append(c.sshOnly, "WithKeyFile")
	}
}

// WithAgent authenticates over SSH with the keys of the ssh-agent at
// $SSH_AUTH_SOCK.
func WithAgent() DialOption {
	return func(c *dialConfig) {
		c.agent = true
		c.sshOnly = append(c.sshOnly, "WithAgent")
	}
}

// WithKnownHosts checks the SSH server's host key against the known_hosts
// files at paths instead of ~/.ssh/known_hosts.
func WithKnownHosts(paths ...string) DialOption {
	return func(c *dialConfig) {
		c.knownHosts = append(c.knownHosts, paths...)
		c.sshOnly = append(c.sshOnly, "WithKnownHosts")
	}
}

// WithHostKeyFingerprint accepts only the SSH host key whose SHA256
// fingerprint, as ssh-keygen -l prints it ("SHA256:..."), is fp.
func WithHostKeyFingerprint(fp string) DialOption {
	return func(c *dialConfig) {
		c.fingerprint = fp
		c.sshOnly = append(c.sshOnly, "WithHostKeyFingerprint")
	}
}

// InsecureSkipVerify accepts any server identity: any SSH host key and any
// TLS certificate. Anyone on the path can then impersonate the server and
// read the password; use it for tests only.
func InsecureSkipVerify() DialOption {
	return func(c *dialConfig) { c.insecure = true }
}

// WithTLSConfig is the base TLS configuration for https URLs; the other
// TLS options are applied to a copy of it.
func WithTLSConfig(cfg *tls.Config) DialOption {
	return func(c *dialConfig) {
		c.tls = cfg
		c.tlsOnly = append(c.tlsOnly, "WithTLSConfig")
	}
}

// WithCAFile trusts the PEM certificates in the file at path, instead of
// the system roots, to verify an https server.
func WithCAFile(path string) DialOption {
	return func(c *dialConfig) {
		c.caFile = path
		c.tlsOnly = append(c.tlsOnly, "WithCAFile")
	}
}

// WithClientCert presents the TLS client certificate in the PEM file
// certFile, with its private key in keyFile, to an https server, which may
// map it to a user who then needs no password.
func WithClientCert(certFile, keyFile string) DialOption {
	return func(c *dialConfig) {
		c.certFile, c.certKey = certFile, keyFile
		c.tlsOnly = append(c.tlsOnly, "WithClientCert")
	}
}

// WithSOAP12 sends SOAP 1.2 envelopes instead of SOAP 1.1 (http and https
// URLs only).
func WithSOAP12() DialOption {
	return func(c *dialConfig) { c.soap12 = true }
}

// WithSOAPOptions passes further options to soapclient.Dial for http and
// https URLs; they are applied after those Dial derives from its own
// options.
func WithSOAPOptions(opts ...soapclient.Option) DialOption {
	return func(c *dialConfig) {
		c.soapOpts = append(c.soapOpts, opts...)
		c.soapOptsGiven = true
	}
}

// WithSSHOptions passes further options to sshclient.Dial for ssh URLs;
// they are applied after those Dial derives from its own options.
func WithSSHOptions(opts ...sshclient.Option) DialOption {
	return func(c *dialConfig) {
		c.sshOpts = append(c.sshOpts, opts...)
		c.sshOptsGiven = true
	}
}

// Dial opens a NETCONF session at rawURL and returns it once hellos are
// exchanged: NETCONF over SOAP (RFC 4743) for "http://host:port/path" and
// "https://host:port/path", NETCONF over SSH (RFC 6242) for
// "ssh://user@host:port" (port 830 by default). Whatever the transport,
// the session has the same typed operations and reports rpc-errors as
// *rpcerror.Error and rpcerror.List.
//
// The username comes from WithUser or the URL's userinfo, and so may a
// password. An option that the URL's transport cannot honour gives an
// *OptionError; ctx bounds connecting, authentication and the hello
// exchange.
func Dial(ctx context.Context, rawURL string, opts ...DialOption) (*client.Session, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("ncsoap: %w", err)
	}
	var c dialConfig
	if u.User != nil {
		c.user = u.User.Username()
		if pw, ok := u.User.Password(); ok {
			c.password, c.hasPassword = pw, true
		}
		u.User = nil
	}
	for _, o := range opts {
		o(&c)
	}
	switch u.Scheme {
	case "http", "https":
		sopts, err := c.soapOptions(u.Scheme)
		if err != nil {
			return nil, err
		}
		return soapclient.Dial(ctx, u.String(), sopts...)
	case "ssh":
		sopts, err := c.sshOptions()
		if err != nil {
			return nil, err
		}
		return sshclient.Dial(ctx, u.String(), sopts...)
	}
	return nil, fmt.Errorf("%w %q in %q: want http, https or ssh", ErrUnsupportedScheme, u.Scheme, rawURL)
}

// soapOptions translates the configuration for soapclient.
func (c *dialConfig) soapOptions(scheme string) ([]soapclient.Option, error) {
	if len(c.sshOnly) > 0 {
		return nil, &OptionError{Option: c.sshOnly[0], Scheme: scheme}
	}
	if c.sshOptsGiven {
		return nil, &OptionError{Option: "WithSSHOptions", Scheme: scheme}
	}
	if scheme == "http" && len(c.tlsOnly) > 0 {
		return nil, &OptionError{Option: c.tlsOnly[0], Scheme: scheme}
	}
	var opts []soapclient.Option
	if c.hasPassword {
		opts = append(opts, soapclient.WithBasicAuth(c.user, c.password))
	}
	if c.soap12 {
		opts = append(opts, soapclient.WithSOAP12())
	}
	if scheme == "https" {
		cfg, err := c.tlsConfig()
		if err != nil {
			return nil, err
		}
		opts = append(opts, soapclient.WithTLSConfig(cfg))
	}
	return append(opts, c.soapOpts...), nil
}

// tlsConfig builds the client TLS configuration.
func (c *dialConfig) tlsConfig() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.tls != nil {
		cfg = c.tls.Clone()
	}
	if c.insecure {
		cfg.InsecureSkipVerify = true
	}
	if c.caFile != "" {
		pem, err := os.ReadFile(c.caFile)
		if err != nil {
			return nil, &OptionError{Option: "WithCAFile", Scheme: "https", Err: err}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &OptionError{Option: "WithCAFile", Scheme: "https",
				Err: fmt.Errorf("no PEM certificate in %s", c.caFile)}
		}
		cfg.RootCAs = pool
	}
	if c.certFile != "" || c.certKey != "" {
		cert, err := tls.LoadX509KeyPair(c.certFile, c.certKey)
		if err != nil {
			return nil, &OptionError{Option: "WithClientCert", Scheme: "https", Err: err}
		}
		cfg.Certificates = append(cfg.Certificates, cert)
	}
	return cfg, nil
}

// sshOptions translates the configuration for sshclient.
func (c *dialConfig) sshOptions() ([]sshclient.Option, error) {
	if len(c.tlsOnly) > 0 {
		return nil, &OptionError{Option: c.tlsOnly[0], Scheme: "ssh"}
	}
	if c.soap12 {
		return nil, &OptionError{Option: "WithSOAP12", Scheme: "ssh"}
	}
	if c.soapOptsGiven {
		return nil, &OptionError{Option: "WithSOAPOptions", Scheme: "ssh"}
	}
	var opts []sshclient.Option
	if c.user != "" {
		opts = append(opts, sshclient.WithUser(c.user))
	}
	if c.hasPassword {
		opts = append(opts, sshclient.WithPassword(c.password))
	}
	for _, f := range c.keyFiles {
		opts = append(opts, sshclient.WithKeyFile(f))
	}
	if c.agent {
		opts = append(opts, sshclient.WithAgent())
	}
	if len(c.knownHosts) > 0 {
		opts = append(opts, sshclient.WithKnownHosts(c.knownHosts...))
	}
	if c.fingerprint != "" {
		opts = append(opts, sshclient.WithHostKeyFingerprint(strings.TrimSpace(c.fingerprint)))
	}
	if c.insecure {
		opts = append(opts, sshclient.InsecureIgnoreHostKey())
	}
	return append(opts, c.sshOpts...), nil
}
