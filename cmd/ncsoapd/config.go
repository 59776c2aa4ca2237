package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything ncsoapd can be told. The JSON config file holds
// the same fields; flags override it.
type Config struct {
	// StateDir holds the datastores, users, TLS certificate and SSH host
	// key. Default: $XDG_STATE_HOME/ncsoap or ~/.local/state/ncsoap.
	StateDir string `json:"state_dir"`
	// HTTPListen is the address of SOAP over plain HTTP; "" disables it.
	HTTPListen string `json:"http_listen"`
	// HTTPSListen is the address of SOAP over HTTPS; "" disables it.
	HTTPSListen string `json:"https_listen"`
	// SSHListen is the address of NETCONF over SSH; "" disables it.
	SSHListen string `json:"ssh_listen"`
	// Path is the URL path of the SOAP service.
	Path string `json:"path"`
	// PublicURL is the service address the WSDL announces, when clients
	// reach the server under another name.
	PublicURL string `json:"public_url"`
	// YANGDirs are searched for YANG modules besides the embedded ones.
	YANGDirs []string `json:"yang_dirs"`
	// YANGModules names the modules to load from YANGDirs; empty loads
	// every module found there.
	YANGModules []string `json:"yang_modules"`
	// TLSCert and TLSKey are PEM files of the HTTPS certificate; empty
	// uses a self-signed certificate generated in the state directory.
	TLSCert string `json:"tls_cert"`
	TLSKey  string `json:"tls_key"`
	// ClientCA is a PEM file of CAs whose client certificates are
	// accepted; ClientCerts maps certificate files to usernames.
	ClientCA    string            `json:"client_ca"`
	ClientCerts map[string]string `json:"client_certs"`
	// AllowInsecureBasic allows Basic authentication over plain HTTP on
	// a non-loopback address.
	AllowInsecureBasic bool `json:"allow_insecure_basic"`
	// Limits.
	MaxSessions    int      `json:"max_sessions"`
	MaxRequestSize int64    `json:"max_request_size"`
	MaxMessageSize int64    `json:"max_message_size"`
	IdleTimeout    Duration `json:"idle_timeout"`
	// LogFormat is "text" or "json"; LogLevel is debug, info, warn or
	// error.
	LogFormat string `json:"log_format"`
	LogLevel  string `json:"log_level"`
	// AuditLog is a file audit records are appended to as JSON lines;
	// empty writes them to the main log.
	AuditLog string `json:"audit_log"`
}

// Duration is a time.Duration written as "90s" in JSON.
type Duration time.Duration

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string such as \"10m\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// defaults returns the zero-configuration setup: SOAP over HTTP on the
// RFC 4743 sample address, HTTPS and SSH on unprivileged loopback ports.
func defaults() Config {
	return Config{
		StateDir:    defaultStateDir(),
		HTTPListen:  "127.0.0.1:8080",
		HTTPSListen: "127.0.0.1:8832",
		SSHListen:   "127.0.0.1:8830",
		Path:        "/netconf",
		LogFormat:   "text",
		LogLevel:    "info",
	}
}

func defaultStateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "ncsoap")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "ncsoap")
	}
	return "ncsoap-state"
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// parseConfig reads the defaults, then the config file, then the flags.
func parseConfig(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("ncsoapd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: ncsoapd [flags]\n\nRuns a NETCONF server (SOAP over HTTP and HTTPS, SSH) with no configuration needed.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	d := defaults()
	configFile := fs.String("config", "", "JSON configuration `file`; flags override it")
	stateDir := fs.String("state-dir", d.StateDir, "state `directory`: datastores, users, keys")
	httpListen := fs.String("http-listen", d.HTTPListen, "SOAP over HTTP `address` (empty disables)")
	httpsListen := fs.String("https-listen", d.HTTPSListen, "SOAP over HTTPS `address` (empty disables)")
	sshListen := fs.String("ssh-listen", d.SSHListen, "NETCONF over SSH `address` (empty disables)")
	var yangDirs stringList
	fs.Var(&yangDirs, "yang-dir", "`directory` of YANG modules to load (repeatable)")
	logFormat := fs.String("log-format", d.LogFormat, "log format: text or json")
	logLevel := fs.String("log-level", d.LogLevel, "log level: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := d
	if *configFile != "" {
		b, err := os.ReadFile(*configFile)
		if err != nil {
			return Config{}, err
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return Config{}, fmt.Errorf("%s: %w", *configFile, err)
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	override := func(name string, dst *string, v string) {
		if set[name] {
			*dst = v
		}
	}
	override("state-dir", &cfg.StateDir, *stateDir)
	override("http-listen", &cfg.HTTPListen, *httpListen)
	override("https-listen", &cfg.HTTPSListen, *httpsListen)
	override("ssh-listen", &cfg.SSHListen, *sshListen)
	override("log-format", &cfg.LogFormat, *logFormat)
	override("log-level", &cfg.LogLevel, *logLevel)
	if set["yang-dir"] {
		cfg.YANGDirs = yangDirs
	}
	if cfg.HTTPListen == "" && cfg.HTTPSListen == "" && cfg.SSHListen == "" {
		return Config{}, errors.New("every listener is disabled")
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return Config{}, errors.New("tls_cert and tls_key go together")
	}
	return cfg, nil
}
