// Package peers starts the third-party NETCONF servers ncsoap is tested
// and measured against, on loopback and with private state: yuma123
// netconfd behind its own OpenSSH sshd (Debian packages netconfd and
// openssh-server).
package peers

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// The programs StartNetconfd runs.
const (
	SSHD      = "/usr/sbin/sshd"
	Netconfd  = "/usr/sbin/netconfd"
	Subsystem = "/usr/sbin/netconf-subsystem"
)

// ErrNotInstalled is wrapped by StartNetconfd's error when a program is
// missing.
var ErrNotInstalled = errors.New("peers: not installed (Debian packages netconfd and openssh-server)")

// NetconfdConfig configures StartNetconfd.
type NetconfdConfig struct {
	// Module is the source of a YANG module netconfd loads, written to
	// the file ModuleFile in its private directory.
	Module     []byte
	ModuleFile string
	// Target is netconfd's writable datastore, "candidate" or
	// "running"; empty keeps netconfd's default.
	Target string
	// AuthorizedKey may log in to sshd as the current user.
	AuthorizedKey ssh.PublicKey
	// LogLevel is netconfd's --log-level; empty means "info".
	LogLevel string
}

// NetconfdServer is a running netconfd behind a private sshd, whose
// netconf subsystem relays to netconfd over a UNIX socket.
type NetconfdServer struct {
	// User is the account to log in as (the current user, netconfd's
	// superuser); Addr the sshd address.
	User, Addr string
	// HostKeyFingerprint is the SHA256 fingerprint of sshd's host key.
	HostKeyFingerprint string
	// PID is netconfd's process id, for CPU and memory figures.
	PID int

	dir       string
	ncd, sshd *exec.Cmd
	sshdLog   bytes.Buffer
	ncdLog    []byte // netconfd's log file, read by Close
}

// StartNetconfd starts netconfd and its sshd, as peer-notes.md
// describes, and waits until sshd accepts connections. Both processes
// die with the caller. Close stops them.
//
// The subsystem takes the socket as --ncxserver-sockname=PORT@PATH, PORT
// being the sshd port a connection came in on (a plain PATH is silently
// ignored), and netconfd accepts relayed sessions only from the port it
// was given with --port.
func StartNetconfd(ctx context.Context, cfg NetconfdConfig) (_ *NetconfdServer, err error) {
	for _, p := range []string{SSHD, Netconfd, Subsystem} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, ErrNotInstalled)
		}
	}
	me, err := user.Current()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ncsoap-netconfd")
	if err != nil {
		return nil, err
	}
	n := &NetconfdServer{User: me.Username, dir: dir}
	defer func() {
		if err != nil {
			n.Close()
			err = fmt.Errorf("%w\n%s", err, n.Logs())
		}
	}()
	path := func(name string) string { return filepath.Join(dir, name) }

	// netconfd's ietf-interfaces support shells out to a helper the
	// package does not ship; a stub on its PATH keeps it running.
	if err := os.WriteFile(path("get-interface-ipv4"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path(cfg.ModuleFile), cfg.Module, 0o644); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	level := cfg.LogLevel
	if level == "" {
		level = "info"
	}
	sock := path("ncx.sock")
	args := []string{"--ncxserver-sockname=" + sock, "--port=" + strconv.Itoa(port), "--superuser=" + me.Username,
		"--module=" + path(cfg.ModuleFile), "--no-startup", "--log=" + path("netconfd.log"), "--log-level=" + level}
	if cfg.Target != "" {
		args = append(args, "--target="+cfg.Target)
	}
	n.ncd = exec.Command(Netconfd, args...)
	n.ncd.Env = append(os.Environ(), "HOME="+dir, "PATH="+dir+":"+os.Getenv("PATH"))
	n.ncd.Dir = dir
	n.ncd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := n.ncd.Start(); err != nil {
		return nil, err
	}
	n.PID = n.ncd.Process.Pid
	if err := waitFor(ctx, func() bool { _, err := os.Stat(sock); return err == nil }); err != nil {
		return nil, fmt.Errorf("netconfd did not start: %w", err)
	}

	hostKey, err := writeKey(path("host_key"))
	if err != nil {
		return nil, err
	}
	n.HostKeyFingerprint = ssh.FingerprintSHA256(hostKey.PublicKey())
	if err := os.WriteFile(path("authorized_keys"), ssh.MarshalAuthorizedKey(cfg.AuthorizedKey), 0o600); err != nil {
		return nil, err
	}
	conf := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
PidFile %s
AuthorizedKeysFile %s
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
MaxStartups 200
Subsystem netconf %s --ncxserver-sockname=%d@%s
`, port, path("host_key"), path("sshd.pid"), path("authorized_keys"), Subsystem, port, sock)
	if err := os.WriteFile(path("sshd_config"), []byte(conf), 0o600); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			return nil, err
		}
	}
	n.sshd = exec.Command(SSHD, "-D", "-e", "-f", path("sshd_config"))
	n.sshd.Stdout, n.sshd.Stderr = &n.sshdLog, &n.sshdLog
	n.sshd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := n.sshd.Start(); err != nil {
		return nil, err
	}
	n.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := waitFor(ctx, func() bool {
		c, err := net.Dial("tcp", n.Addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}); err != nil {
		return nil, fmt.Errorf("sshd did not start: %w", err)
	}
	return n, nil
}

// URL returns the ssh:// URL of the server.
func (n *NetconfdServer) URL() string { return "ssh://" + n.User + "@" + n.Addr }

// Close stops sshd and netconfd and removes their directory.
func (n *NetconfdServer) Close() error {
	for _, c := range []*exec.Cmd{n.sshd, n.ncd} {
		if c != nil && c.Process != nil {
			c.Process.Kill()
			c.Wait()
		}
	}
	n.ncdLog, _ = os.ReadFile(filepath.Join(n.dir, "netconfd.log"))
	return os.RemoveAll(n.dir)
}

// Logs returns what sshd printed and netconfd's log file, for failure
// reports. Call it after Close.
func (n *NetconfdServer) Logs() string {
	return "sshd:\n" + n.sshdLog.String() + "netconfd:\n" + string(n.ncdLog)
}

// writeKey generates an Ed25519 key and writes it in OpenSSH form.
func writeKey(path string) (ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitFor polls ready for up to 20 s.
func waitFor(ctx context.Context, ready func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for !ready() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}
