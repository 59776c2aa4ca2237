package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/internal/peers"
)

// pythonPath is Debian's python3, which has python3-ncclient.
const pythonPath = "/usr/bin/python3"

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
	return b.sshTarget(n.User, n.Addr, n.HostKeyFingerprint, proc{pid: n.PID}), nil
}

// seed commits the small configuration, the same the ncsoap child starts
// with. netconfd sometimes leaves the first session after its start
// without a hello, so the session is dialled up to three times.
func (b *bench) seed(ctx context.Context, n *peers.NetconfdServer) error {
	t := b.sshTarget(n.User, n.Addr, n.HostKeyFingerprint, proc{})
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

func (b *bench) startNetconfd(ctx context.Context, mode string) (*peers.NetconfdServer, error) {
	n, err := peers.StartNetconfd(ctx, peers.NetconfdConfig{
		Module: benchYANG, ModuleFile: "ncsoap-bench.yang", Target: mode,
		AuthorizedKey: b.signer.PublicKey(), LogLevel: "error",
	})
	if errors.Is(err, peers.ErrNotInstalled) {
		return nil, fmt.Errorf("%w: %w", errSkip, err)
	}
	if err != nil {
		return nil, err
	}
	b.onClose(func() { n.Close() })
	return n, nil
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
