package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// Exit codes.
const (
	exitOK         = 0
	exitFailed     = 1 // rpc-errors, or a reply the client could not use
	exitUsage      = 2 // bad command line, script line or input file
	exitConnection = 3 // connecting, authenticating, or the session was lost
)

const (
	defaultURL  = "http://127.0.0.1:8080/netconf"
	defaultUser = "admin"
)

// Environment variables read by ncsoap.
const (
	envURL      = "NCSOAP_URL"
	envUser     = "NCSOAP_USER"
	envPassword = "NCSOAP_PASSWORD"
)

// usageError is a mistake in the command line, a script line or an input
// file, found before anything was sent.
type usageError struct {
	cmd string // the command whose usage it violates; "" for global options
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// connError is a failure to open the session.
type connError struct{ err error }

func (e *connError) Error() string { return e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// globals are the options given before the command.
type globals struct {
	url            string
	user           string
	credentials    string
	sshKeys        listFlag
	agent          bool
	knownHosts     listFlag
	fingerprint    string
	insecure       bool
	caFile         string
	cert, certKey  string
	soap12         bool
	raw            bool
	connectTimeout time.Duration
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.url, "url", "", "server `URL`: http://, https:// (NETCONF over SOAP) or ssh:// (NETCONF over SSH)\n(default $"+envURL+" or "+defaultURL+")")
	fs.StringVar(&g.user, "user", "", "`NAME` to log in as (default: the URL's user, $"+envUser+", or "+defaultUser+")")
	fs.StringVar(&g.credentials, "credentials", "", "read the password from `FILE`, lines of user:password, which only its owner may read")
	fs.Var(&g.sshKeys, "ssh-key", "log in over SSH with the private key in `FILE` (repeatable)")
	fs.BoolVar(&g.agent, "agent", false, "log in over SSH with the keys of the ssh-agent at $SSH_AUTH_SOCK")
	fs.Var(&g.knownHosts, "known-hosts", "check the SSH host key against `FILE` (repeatable; default ~/.ssh/known_hosts)")
	fs.StringVar(&g.fingerprint, "host-key-fingerprint", "", "accept only the SSH host key with this SHA256 `FINGERPRINT`")
	fs.BoolVar(&g.insecure, "insecure", false, "accept any SSH host key or TLS certificate (tests only)")
	fs.StringVar(&g.caFile, "ca-file", "", "trust the PEM certificates in `FILE` to verify an https server")
	fs.StringVar(&g.cert, "cert", "", "present the TLS client certificate in PEM `FILE`")
	fs.StringVar(&g.certKey, "cert-key", "", "private key of --cert, PEM `FILE`")
	fs.BoolVar(&g.soap12, "soap12", false, "send SOAP 1.2 envelopes instead of SOAP 1.1")
	fs.BoolVar(&g.raw, "raw", false, "print XML as received instead of indented")
	fs.DurationVar(&g.connectTimeout, "connect-timeout", 30*time.Second, "bound connecting, logging in and the hello exchange by `D`")
}

// listFlag is a repeatable string option.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// app is one invocation of ncsoap.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	g              globals
}

// run runs ncsoap with the command-line arguments args (without the
// program name) and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("ncsoap", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a.g.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.mainHelp(stdout, fs)
			return exitOK
		}
		return a.report(usagef("", "%v", err), stderr)
	}
	if fs.NArg() == 0 {
		a.mainHelp(stderr, fs)
		return exitUsage
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	switch name {
	case "help":
		return a.help(stdout, stderr, fs, rest)
	case "session":
		return a.session(ctx, rest)
	}
	cmd := lookup(name)
	if cmd == nil {
		return a.report(usagef("", "unknown command %q", name), stderr)
	}
	act, err := parseCommand(cmd, rest, stdin)
	if errors.Is(err, flag.ErrHelp) {
		cmd.help(stdout)
		return exitOK
	}
	if err != nil {
		return a.report(err, stderr)
	}
	sess, err := a.dial(ctx)
	if err != nil {
		return a.report(err, stderr)
	}
	o := &output{stdout: stdout, stderr: stderr, raw: a.g.raw}
	err = act(ctx, sess, o)
	if err == nil {
		o.warnings(sess.Warnings())
	}
	sess.Close(ctx)
	if err != nil {
		return a.report(err, stderr)
	}
	return exitOK
}

// help runs "ncsoap help [COMMAND]".
func (a *app) help(stdout, stderr io.Writer, fs *flag.FlagSet, args []string) int {
	switch {
	case len(args) == 0:
		a.mainHelp(stdout, fs)
	case args[0] == "session":
		sessionHelp(stdout)
	case lookup(args[0]) != nil:
		lookup(args[0]).help(stdout)
	default:
		return a.report(usagef("", "unknown command %q", args[0]), stderr)
	}
	return exitOK
}

// dial opens the session the global options describe.
func (a *app) dial(ctx context.Context) (*client.Session, error) {
	rawURL := a.g.url
	if rawURL == "" {
		rawURL = os.Getenv(envURL)
	}
	if rawURL == "" {
		rawURL = defaultURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, usagef("", "bad URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ssh" {
		return nil, usagef("", "URL %q: the scheme must be http, https or ssh", u.Redacted())
	}
	user := a.g.user
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			return nil, usagef("", "URL %q holds a password: give it with $%s, --credentials or at the prompt, never on the command line",
				u.Redacted(), envPassword)
		}
		if user == "" {
			user = u.User.Username()
		}
		u.User = nil
	}
	if user == "" {
		user = os.Getenv(envUser)
	}
	if user == "" {
		user = defaultUser
	}

	opts := []ncsoap.DialOption{ncsoap.WithUser(user)}
	keyLogin := u.Scheme == "ssh" && (len(a.g.sshKeys) > 0 || a.g.agent)
	certLogin := u.Scheme == "https" && a.g.cert != ""
	pw, ok, err := a.password(user, u.Host, !keyLogin && !certLogin)
	if err != nil {
		return nil, err
	}
	if ok {
		opts = append(opts, ncsoap.WithPassword(pw))
	}
	for _, k := range a.g.sshKeys {
		opts = append(opts, ncsoap.WithKeyFile(k))
	}
	if a.g.agent {
		opts = append(opts, ncsoap.WithAgent())
	}
	if len(a.g.knownHosts) > 0 {
		opts = append(opts, ncsoap.WithKnownHosts(a.g.knownHosts...))
	}
	if a.g.fingerprint != "" {
		opts = append(opts, ncsoap.WithHostKeyFingerprint(a.g.fingerprint))
	}
	if a.g.insecure {
		opts = append(opts, ncsoap.InsecureSkipVerify())
	}
	if a.g.caFile != "" {
		opts = append(opts, ncsoap.WithCAFile(a.g.caFile))
	}
	if a.g.cert != "" || a.g.certKey != "" {
		key := a.g.certKey
		if key == "" {
			key = a.g.cert
		}
		opts = append(opts, ncsoap.WithClientCert(a.g.cert, key))
	}
	if a.g.soap12 {
		opts = append(opts, ncsoap.WithSOAP12())
	}

	dctx := ctx
	if a.g.connectTimeout > 0 {
		var cancel context.CancelFunc
		dctx, cancel = context.WithTimeout(ctx, a.g.connectTimeout)
		defer cancel()
	}
	sess, err := ncsoap.Dial(dctx, u.String(), opts...)
	if err != nil {
		var oerr *ncsoap.OptionError
		if errors.As(err, &oerr) {
			return nil, usagef("", "%s: %v", u.Scheme, oerr)
		}
		return nil, &connError{fmt.Errorf("%s: %w", u.Redacted(), err)}
	}
	return sess, nil
}

// password finds the password of user: in the --credentials file, in
// $NCSOAP_PASSWORD, or, when needed is true, at a prompt on the terminal.
func (a *app) password(user, host string, needed bool) (string, bool, error) {
	if a.g.credentials != "" {
		pw, err := lookupCredentials(a.g.credentials, user)
		if err != nil {
			return "", false, usagef("", "%v", err)
		}
		return pw, true, nil
	}
	if pw, ok := os.LookupEnv(envPassword); ok {
		return pw, true, nil
	}
	if !needed {
		return "", false, nil
	}
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", false, usagef("", "no password for %s: set $%s, use --credentials FILE, or run on a terminal to be prompted",
			user, envPassword)
	}
	fmt.Fprintf(a.stderr, "%s@%s's password: ", user, host)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", false, fmt.Errorf("reading the password: %w", err)
	}
	return string(b), true, nil
}

// report prints err to w and returns its exit code.
func (a *app) report(err error, w io.Writer) int {
	var uerr *usageError
	var cerr *connError
	var list rpcerror.List
	var one *rpcerror.Error
	switch {
	case errors.As(err, &uerr):
		fmt.Fprintf(w, "ncsoap: %v\n", uerr)
		if uerr.cmd != "" {
			fmt.Fprintf(w, "Run 'ncsoap help %s' for usage.\n", uerr.cmd)
		} else {
			fmt.Fprintln(w, "Run 'ncsoap --help' for usage.")
		}
		return exitUsage
	case errors.As(err, &cerr):
		fmt.Fprintf(w, "ncsoap: cannot connect to %v\n", cerr)
		return exitConnection
	case errors.As(err, &list):
		printErrors(w, "rpc-error", list)
		return exitFailed
	case errors.As(err, &one):
		printErrors(w, "rpc-error", rpcerror.List{one})
		return exitFailed
	case errors.Is(err, client.ErrSessionClosed):
		fmt.Fprintf(w, "ncsoap: session lost: %v\n", err)
		return exitConnection
	}
	fmt.Fprintf(w, "ncsoap: %v\n", err)
	return exitFailed
}

// mainHelp prints the usage of ncsoap, its commands and its global
// options (those of fs).
func (a *app) mainHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `Usage: ncsoap [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]

ncsoap runs NETCONF operations on a server over SOAP (http://, https://,
RFC 4743) or SSH (ssh://, RFC 6242), one session per invocation, or several
operations over one session with "ncsoap session".

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-16s %s\n", "session [SCRIPT]", "run several commands over one session, from SCRIPT or a prompt")
	fmt.Fprintf(w, "  %-16s %s\n", "help [COMMAND]", "describe a command")
	printOptions(w, "Global options (before the command)", fs)
	fmt.Fprintf(w, `
Passwords are never taken from the command line: they come from the
--credentials file, $%s, or a prompt on the terminal.

Environment:
  %-16s the default --url
  %-16s the default --user
  %-16s the password

Output is the XML of the reply, indented (or as received with --raw), or
"ok". rpc-errors are printed to standard error with all their fields.

Exit status: 0 success, 1 rpc-error or unusable reply, 2 usage error,
3 connection or authentication failure, or session lost.
`, envPassword, envURL, envUser, envPassword)
}
