package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/internal/peers"
	"github.com/ncsoap/ncsoap/soapclient"
	"github.com/ncsoap/ncsoap/sshclient"
)

// bench holds what the workloads share: settings, credentials, and the
// servers, started on first use and stopped by close.
type bench struct {
	opts     *options
	log      io.Writer
	user     string
	password string
	signer   ssh.Signer

	servers map[string]*child // ncsoap servers by name
	peers   map[string]*peers.NetconfdServer
	closers []func()
}

func newBench(o *options, log io.Writer) (*bench, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, err
	}
	pw := make([]byte, 12)
	rand.Read(pw)
	return &bench{opts: o, log: log, user: "bench", password: hex.EncodeToString(pw), signer: signer, servers: map[string]*child{}, peers: map[string]*peers.NetconfdServer{}}, nil
}

// close stops everything the workloads started, last first.
func (b *bench) close() {
	for i := len(b.closers) - 1; i >= 0; i-- {
		b.closers[i]()
	}
	b.closers = nil
}

func (b *bench) onClose(f func()) { b.closers = append(b.closers, f) }

// server returns the ncsoap child called name, starting it on first use:
// "small" for the small workloads and the bounds, one per large list
// size, so that each list's memory is measured alone.
func (b *bench) server(ctx context.Context, name string) (*child, error) {
	if c := b.servers[name]; c != nil {
		return c, nil
	}
	var state string
	if !b.opts.memory {
		dir, err := os.MkdirTemp("", "ncsoap-bench-state")
		if err != nil {
			return nil, err
		}
		b.onClose(func() { os.RemoveAll(dir) })
		state = dir
	}
	c, err := startChild(ctx, b.user, b.password, string(ssh.MarshalAuthorizedKey(b.signer.PublicKey())), state)
	if err != nil {
		return nil, err
	}
	b.onClose(c.stop)
	b.servers[name] = c
	return c, nil
}

// target is a server the session workloads run against.
type target struct {
	dial func(ctx context.Context) (*client.Session, error)
	proc proc // the server process, for CPU and RSS; pid 0 when unknown
}

func (b *bench) soapTarget(url string, p proc) *target {
	return &target{proc: p, dial: func(ctx context.Context) (*client.Session, error) {
		return soapclient.Dial(ctx, url, soapclient.WithBasicAuth(b.user, b.password))
	}}
}

func (b *bench) sshTarget(user, addr, fingerprint string, p proc) *target {
	return &target{proc: p, dial: func(ctx context.Context) (*client.Session, error) {
		return sshclient.Dial(ctx, "ssh://"+user+"@"+addr, sshclient.WithSigner(b.signer), sshclient.WithHostKeyFingerprint(fingerprint))
	}}
}

// session is a target with one open session, for workloads that reuse
// it across rounds.
type session struct {
	*target
	s *client.Session
}

// open dials t once and keeps the session until the bench closes.
func (b *bench) open(ctx context.Context, t *target) (*session, error) {
	s, err := t.dial(ctx)
	if err != nil {
		return nil, err
	}
	b.onClose(func() { closeSession(s) })
	return &session{target: t, s: s}, nil
}

// closeSession ends s politely, without waiting long.
func closeSession(s *client.Session) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Close(ctx)
}

// measure runs op repeatedly for the bench window (and at least minOps
// times) and returns the rate or the mean time per operation, with the
// server's CPU time per operation when p names a process.
func (b *bench) measure(ctx context.Context, unit string, p proc, minOps int, op func() error) (Sample, error) {
	cpu0 := cpuOf(p)
	start := time.Now()
	n := 0
	for n < minOps || time.Since(start) < b.opts.window {
		if err := ctx.Err(); err != nil {
			return Sample{}, err
		}
		if err := op(); err != nil {
			return Sample{}, err
		}
		n++
	}
	el := time.Since(start)
	s := Sample{}
	if unit == unitRate {
		s.Value = float64(n) / el.Seconds()
	} else {
		s.Value = float64(el) / float64(n) / float64(time.Millisecond)
	}
	if p.pid != 0 {
		s.ServerCPU = (cpuOf(p) - cpu0) / time.Duration(n)
	}
	return s, nil
}

func cpuOf(p proc) time.Duration {
	if p.pid == 0 {
		return 0
	}
	d, _ := p.cpu()
	return d
}

// concurrent runs op on every session at once for the bench window and
// returns the aggregate rate.
func (b *bench) concurrent(ctx context.Context, p proc, sessions []*client.Session, op func(*client.Session) error) (Sample, error) {
	cpu0 := cpuOf(p)
	start := time.Now()
	deadline := start.Add(b.opts.window)
	var (
		mu    sync.Mutex
		total int
		first error
		wg    sync.WaitGroup
	)
	for _, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			var err error
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if err = op(s); err != nil {
					break
				}
				n++
			}
			mu.Lock()
			total += n
			if first == nil {
				first = err
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if first != nil {
		return Sample{}, first
	}
	el := time.Since(start)
	s := Sample{Value: float64(total) / el.Seconds()}
	if p.pid != 0 && total > 0 {
		s.ServerCPU = (cpuOf(p) - cpu0) / time.Duration(total)
	}
	return s, nil
}

// once measures one heavy operation: its time in milliseconds, the CPU
// time of the server and of this process, and the peak RSS of both while
// it ran.
func once(p proc, op func() error) (Sample, error) {
	runtime.GC()
	debug.FreeOSMemory()
	self := proc{}
	self.resetPeakRSS()
	if p.pid != 0 {
		p.resetPeakRSS()
	}
	cpu0 := cpuOf(p)
	self0, _ := self.cpu()
	start := time.Now()
	if err := op(); err != nil {
		return Sample{}, err
	}
	s := Sample{Value: float64(time.Since(start)) / float64(time.Millisecond)}
	if self1, err := self.cpu(); err == nil {
		s.ClientCPU = self1 - self0
	}
	if p.pid != 0 {
		s.ServerCPU = cpuOf(p) - cpu0
		s.ServerRSS, _ = p.peakRSS()
	}
	s.ClientRSS, _ = self.peakRSS()
	return s, nil
}

// countWriter counts what is written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

func mbps(bytes int64, ms float64) float64 {
	if ms <= 0 {
		return 0
	}
	return float64(bytes) / (1 << 20) / (ms / 1000)
}

// must wraps a setup step's error with the step's name.
func must(what string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
