package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/ncsoap/ncsoap/auth"
)

// Files in the state directory.
const (
	datastoreDir = "datastores"
	usersFile    = "users"
	certFile     = "tls-cert.pem"
	keyFile      = "tls-key.pem"
	hostKeyFile  = "ssh_host_ed25519_key"
)

// adminPasswordEnv names the variable that sets the first admin password.
const adminPasswordEnv = "NCSOAP_ADMIN_PASSWORD"

// openUsers opens the user store and, when it is empty, creates user
// admin with the password from NCSOAP_ADMIN_PASSWORD or a random one
// printed once to out.
func openUsers(dir string, out io.Writer) (*auth.Users, error) {
	users, err := auth.Open(filepath.Join(dir, usersFile))
	if err != nil {
		return nil, err
	}
	if len(users.Names()) > 0 {
		return users, nil
	}
	pw := os.Getenv(adminPasswordEnv)
	printed := pw == ""
	if printed {
		b := make([]byte, 15)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		pw = base64.RawURLEncoding.EncodeToString(b)
	}
	if err := users.SetPassword("admin", pw); err != nil {
		return nil, err
	}
	if printed {
		fmt.Fprintf(out, "Created user admin with password %s (shown only now; set %s to choose it)\n", pw, adminPasswordEnv)
	} else {
		fmt.Fprintf(out, "Created user admin with the password from %s\n", adminPasswordEnv)
	}
	return users, nil
}

// loadOrCreateCert returns the HTTPS certificate: the configured one, or a
// self-signed one generated once in the state directory for localhost and
// the loopback addresses.
func loadOrCreateCert(cfg Config) (tls.Certificate, error) {
	if cfg.TLSCert != "" {
		return tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	}
	cert, key := filepath.Join(cfg.StateDir, certFile), filepath.Join(cfg.StateDir, keyFile)
	c, err := tls.LoadX509KeyPair(cert, key)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return c, err
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return tls.Certificate{}, err
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "ncsoapd", Organization: []string{"ncsoap"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	if host != "" && host != "localhost" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := writeFileAtomic(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return tls.Certificate{}, err
	}
	if err := writeFileAtomic(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.LoadX509KeyPair(cert, key)
}

// writeFileAtomic writes data to path through a synced temporary file
// and a rename, then syncs the directory.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
