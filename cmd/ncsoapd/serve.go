package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
	"github.com/ncsoap/ncsoap/soapserver"
	"github.com/ncsoap/ncsoap/sshserver"
)

// shutdownGrace bounds how long a stop waits for requests in progress.
const shutdownGrace = 10 * time.Second

// daemon is a running server.
type daemon struct {
	log    *slog.Logger
	dir    *storage.Dir
	engine *netconfcore.Server
	soap   *soapserver.Server
	ssh    *sshserver.Server
	closer []io.Closer
	errc   chan error
}

// start sets up the state directory and starts every configured listener.
func start(ctx context.Context, cfg Config, stdout, stderr io.Writer) (_ *daemon, err error) {
	log, err := newLogger(cfg, stderr)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, err
	}
	d := &daemon{log: log, errc: make(chan error, 3)}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	set, err := schema.Load(schema.Options{Dirs: cfg.YANGDirs, Modules: cfg.YANGModules})
	if err != nil {
		return nil, err
	}
	if d.dir, err = storage.OpenDir(filepath.Join(cfg.StateDir, datastoreDir)); err != nil {
		return nil, err
	}
	d.closer = append(d.closer, d.dir)
	store, err := datastore.Open(ctx, set, datastore.Options{
		Backend: d.dir, Initial: schema.SampleConfig(), Exprs: xpath.NewEvaluator(),
	})
	if err != nil {
		return nil, err
	}
	audit, err := auditFunc(cfg, log)
	if err != nil {
		return nil, err
	}
	d.engine, err = netconfcore.NewServer(ctx, netconfcore.Config{
		Store: store, Backend: d.dir, Logger: log, Audit: audit, MaxSessions: cfg.MaxSessions,
	})
	if err != nil {
		return nil, err
	}
	users, err := openUsers(cfg.StateDir, stdout)
	if err != nil {
		return nil, err
	}
	var lines []string
	if cfg.HTTPListen != "" || cfg.HTTPSListen != "" {
		certUsers, err := loadCertUsers(cfg)
		if err != nil {
			return nil, err
		}
		d.soap = soapserver.New(d.engine, users, soapserver.Options{
			Path: cfg.Path, PublicURL: cfg.PublicURL, MaxRequestSize: cfg.MaxRequestSize,
			IdleTimeout: time.Duration(cfg.IdleTimeout), AllowInsecureBasic: cfg.AllowInsecureBasic,
			CertUsers: certUsers, Logger: log,
		})
	}
	if cfg.HTTPListen != "" {
		l, err := net.Listen("tcp", cfg.HTTPListen)
		if err != nil {
			return nil, err
		}
		url := "http://" + l.Addr().String() + cfg.Path
		lines = append(lines, "SOAP over HTTP    "+url, "WSDL              "+url+"?wsdl")
		go func() { d.errc <- serveErr(d.soap.Serve(l)) }()
	}
	if cfg.HTTPSListen != "" {
		tlsCfg, err := tlsConfig(cfg)
		if err != nil {
			return nil, err
		}
		l, err := net.Listen("tcp", cfg.HTTPSListen)
		if err != nil {
			return nil, err
		}
		lines = append(lines, "SOAP over HTTPS   https://"+l.Addr().String()+cfg.Path)
		go func() { d.errc <- serveErr(d.soap.ServeTLS(l, tlsCfg)) }()
	}
	if cfg.SSHListen != "" {
		key, err := sshserver.LoadOrCreateHostKey(filepath.Join(cfg.StateDir, hostKeyFile))
		if err != nil {
			return nil, err
		}
		d.ssh, err = sshserver.New(d.engine, users, sshserver.Options{
			HostKeys: []ssh.Signer{key}, MaxMessageSize: cfg.MaxMessageSize,
			IdleTimeout: time.Duration(cfg.IdleTimeout), Logger: log,
		})
		if err != nil {
			return nil, err
		}
		l, err := net.Listen("tcp", cfg.SSHListen)
		if err != nil {
			return nil, err
		}
		lines = append(lines, "NETCONF over SSH  ssh://admin@"+l.Addr().String()+
			"  (host key "+ssh.FingerprintSHA256(key.PublicKey())+")")
		go func() { d.errc <- serveErr(d.ssh.Serve(l)) }()
	}
	lines = append(lines, "State directory   "+cfg.StateDir)
	fmt.Fprintf(stdout, "ncsoapd is serving NETCONF\n  %s\n", strings.Join(lines, "\n  "))
	if cfg.HTTPListen != "" {
		fmt.Fprintf(stdout, "Try:  ncsoap --url %s get-config --source running\n", strings.Fields(lines[0])[3])
	}
	log.Info("started", "state_dir", cfg.StateDir, "modules", len(set.Modules()))
	return d, nil
}

// serveErr maps the errors that mean "stopped on request" to nil.
func serveErr(err error) error {
	if errors.Is(err, http.ErrServerClosed) || errors.Is(err, sshserver.ErrServerClosed) {
		return nil
	}
	return err
}

// wait serves until ctx is done or a listener fails, then shuts down:
// listeners stop, every session ends through the engine, the state
// directory is released.
func (d *daemon) wait(ctx context.Context) error {
	var err error
	select {
	case <-ctx.Done():
		d.log.Info("stopping")
	case err = <-d.errc:
		d.log.Error("listener failed", "err", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if d.soap != nil {
		if serr := d.soap.Shutdown(sctx); serr != nil {
			d.soap.Close()
		}
	}
	if d.ssh != nil {
		d.ssh.Shutdown(sctx)
	}
	if serr := d.engine.Shutdown(sctx); serr != nil && err == nil {
		err = serr
	}
	d.close()
	d.log.Info("stopped")
	return err
}

func (d *daemon) close() {
	for i := len(d.closer) - 1; i >= 0; i-- {
		d.closer[i].Close()
	}
	d.closer = nil
}

func newLogger(cfg Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", cfg.LogFormat)
}

// auditFunc returns the engine's audit hook: one record per rpc, to the
// audit file as JSON lines or to the main log.
func auditFunc(cfg Config, log *slog.Logger) (func(netconfcore.AuditRecord), error) {
	out := log
	if cfg.AuditLog != "" {
		f, err := os.OpenFile(cfg.AuditLog, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, err
		}
		out = slog.New(slog.NewJSONHandler(f, nil))
	}
	return func(r netconfcore.AuditRecord) {
		outcome := "ok"
		if len(r.Errors) > 0 {
			outcome = string(r.Errors[0].Tag)
		}
		out.LogAttrs(context.Background(), slog.LevelInfo, "audit",
			slog.Time("time", r.Time), slog.String("user", r.Username),
			slog.Uint64("session", uint64(r.SessionID)), slog.String("transport", r.Transport),
			slog.String("remote", r.RemoteAddr), slog.String("operation", r.Operation),
			slog.String("target", r.Target), slog.String("outcome", outcome),
			slog.Duration("duration", r.Duration))
	}, nil
}

func tlsConfig(cfg Config) (*tls.Config, error) {
	cert, err := loadOrCreateCert(cfg)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	var pool *x509.CertPool
	if cfg.ClientCA != "" {
		b, err := os.ReadFile(cfg.ClientCA)
		if err != nil {
			return nil, err
		}
		pool = x509.NewCertPool()
		if !pool.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("%s: no PEM certificate", cfg.ClientCA)
		}
	}
	return soapserver.TLSConfig([]tls.Certificate{cert}, pool), nil
}

// loadCertUsers reads the client certificates mapped to users.
func loadCertUsers(cfg Config) (*auth.CertUsers, error) {
	if len(cfg.ClientCerts) == 0 {
		return nil, nil
	}
	cu := auth.NewCertUsers()
	for file, user := range cfg.ClientCerts {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		block, _ := pem.Decode(b)
		if block == nil || block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("%s: no PEM certificate", file)
		}
		cu.Add(block.Bytes, user)
	}
	return cu, nil
}
