package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/client"
)

// netconfd is yuma123 netconfd behind a private OpenSSH sshd on a
// loopback port: sshd runs netconf-subsystem, which relays to netconfd
// over a UNIX socket.
type netconfd struct {
	user, addr, hostKey string
	pid                 int
}

// Peer programs, from the Debian packages netconfd, openssh-server and
// python3-ncclient.
const (
	sshdPath      = "/usr/sbin/sshd"
	netconfdPath  = "/usr/sbin/netconfd"
	subsystemPath = "/usr/sbin/netconf-subsystem"
	pythonPath    = "/usr/bin/python3"
)

// netconfdTarget returns a target on a netconfd whose writable datastore
// is mode ("candidate" or "running"), starting it on first use.
func (b *bench) netconfdTarget(ctx context.Context, mode string) (*target, error) {
	n := b.peers[mode]
	if n == nil {
		var err error
		if n, err = b.startNetconfd(ctx, mode); err != nil {
			return nil, err
		}
		b.peers[mode] = n
		if mode == "candidate" {
			if err := b.seed(ctx, n); err != nil {
				return nil, err
			}
		}
	}
	return b.sshTarget(n.user, n.addr, n.hostKey, proc{pid: n.pid}), nil
}

// seed commits the small configuration, the same the ncsoap child starts
// with. netconfd sometimes leaves the first session after its start
// without a hello, so the session is dialled up to three times.
func (b *bench) seed(ctx context.Context, n *netconfd) error {
	t := b.sshTarget(n.user, n.addr, n.hostKey, proc{})
	var (
		s   *client.Session
		err error
	)
	for range 3 {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		s, err = t.dial(dctx)
		cancel()
		if err == nil {
			break
		}
	}
	if err != nil {
		return must("netconfd seed", err)
	}
	defer closeSession(s)
	if err := s.EditConfig(ctx, client.Candidate, []byte(smallConfig)); err != nil {
		return must("netconfd seed", err)
	}
	return must("netconfd seed", s.Commit(ctx))
}

func (b *bench) startNetconfd(ctx context.Context, mode string) (*netconfd, error) {
	for _, p := range []string{sshdPath, netconfdPath, subsystemPath} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%w: %s not installed (apt-get install netconfd openssh-server)", errSkip, p)
		}
	}
	me, err := user.Current()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ncsoap-bench-netconfd")
	if err != nil {
		return nil, err
	}
	b.onClose(func() { os.RemoveAll(dir) })
	path := func(name string) string { return filepath.Join(dir, name) }
	// The ietf-interfaces instrumentation of netconfd shells out to a
	// helper the package lacks; a stub keeps it from aborting.
	if err := os.WriteFile(path("get-interface-ipv4"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path("ncsoap-bench.yang"), benchYANG, 0o644); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	sock := path("ncx.sock")
	var ncdLog bytes.Buffer
	ncd := exec.Command(netconfdPath,
		"--ncxserver-sockname="+sock, "--port="+strconv.Itoa(port), "--superuser="+me.Username,
		"--target="+mode, "--module="+path("ncsoap-bench.yang"), "--no-startup",
		"--log="+path("netconfd.log"), "--log-level=error")
	ncd.Env = append(os.Environ(), "HOME="+dir, "PATH="+dir+":"+os.Getenv("PATH"))
	ncd.Dir = dir
	ncd.Stdout, ncd.Stderr = &ncdLog, &ncdLog
	ncd.SysProcAttr = dieWithParent()
	if err := ncd.Start(); err != nil {
		return nil, err
	}
	b.onClose(func() { ncd.Process.Kill(); ncd.Wait() })
	if err := waitFor(ctx, func() bool { _, err := os.Stat(sock); return err == nil }); err != nil {
		return nil, fmt.Errorf("netconfd did not start: %w\n%s", err, ncdLog.String())
	}

	hostKey, err := writeKey(path("host_key"))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path("authorized_keys"), ssh.MarshalAuthorizedKey(b.signer.PublicKey()), 0o600); err != nil {
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
`, port, path("host_key"), path("sshd.pid"), path("authorized_keys"), subsystemPath, port, sock)
	if err := os.WriteFile(path("sshd_config"), []byte(conf), 0o600); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			return nil, err
		}
	}
	var sshdLog bytes.Buffer
	sshd := exec.Command(sshdPath, "-D", "-e", "-f", path("sshd_config"))
	sshd.Stdout, sshd.Stderr = &sshdLog, &sshdLog
	sshd.SysProcAttr = dieWithParent()
	if err := sshd.Start(); err != nil {
		return nil, err
	}
	b.onClose(func() { sshd.Process.Kill(); sshd.Wait() })
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := waitFor(ctx, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}); err != nil {
		return nil, fmt.Errorf("sshd did not start: %w\n%s", err, sshdLog.String())
	}
	return &netconfd{user: me.Username, addr: addr, hostKey: ssh.FingerprintSHA256(hostKey.PublicKey()), pid: ncd.Process.Pid}, nil
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

//go:embed ncclient_rate.py
var ncclientScript []byte

// ncclientWorkloads run ncclient's get-config against ncsoap over SSH:
// stock, whose session thread wakes every 100 ms, and with that poll
// interval patched to 1 ms.
func (b *bench) ncclientWorkloads() []*Workload {
	mk := func(name, tick, what string) *Workload {
		var (
			script string
			c      *child
		)
		return &Workload{
			Name: name, Unit: unitRate, What: what,
			Setup: func(ctx context.Context) error {
				if out, err := exec.Command(pythonPath, "-c", "import ncclient").CombinedOutput(); err != nil {
					return fmt.Errorf("%w: python3-ncclient not installed: %s", errSkip, bytes.TrimSpace(out))
				}
				var err error
				if c, err = b.server(ctx, "small"); err != nil {
					return err
				}
				f, err := os.CreateTemp("", "ncsoap-bench-*.py")
				if err != nil {
					return err
				}
				b.onClose(func() { os.Remove(f.Name()) })
				script = f.Name()
				_, err = f.Write(ncclientScript)
				return errors.Join(err, f.Close())
			},
			Run: func(ctx context.Context) (Sample, error) {
				host, port, err := net.SplitHostPort(c.eps.SSH)
				if err != nil {
					return Sample{}, err
				}
				window := max(b.opts.window, time.Second)
				cmd := exec.CommandContext(ctx, pythonPath, script)
				cmd.Env = append(os.Environ(), "NC_HOST="+host, "NC_PORT="+port, "NC_USER="+b.user,
					"NC_PASS="+b.password, "NC_TICK="+tick, "NC_SECONDS="+strconv.FormatFloat(window.Seconds(), 'f', 3, 64))
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					return Sample{}, fmt.Errorf("ncclient: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
				}
				var res struct {
					Replies int     `json:"replies"`
					Seconds float64 `json:"seconds"`
				}
				if err := json.Unmarshal(out, &res); err != nil || res.Seconds <= 0 {
					return Sample{}, fmt.Errorf("ncclient: bad output %q", out)
				}
				return Sample{Value: float64(res.Replies) / res.Seconds}, nil
			},
		}
	}
	return []*Workload{
		mk("ncclient/get-config", "0.1", "ncclient 0.6 (stock: polls every 100 ms) small get-config against ncsoap over SSH"),
		mk("ncclient-1ms/get-config", "0.001", "ncclient with its poll interval patched to 1 ms"),
	}
}
