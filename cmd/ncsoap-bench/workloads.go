package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/ncsoap/ncsoap/client"
)

// concurrentSessions is the session count of the concurrency workloads.
const concurrentSessions = 64

// targetFunc returns the server a workload runs against, starting it if
// needed.
type targetFunc func(ctx context.Context) (*target, error)

// smallEdit is the small edit-config: one leaf of one entry of the bench
// list, a new value each time.
func smallEdit(entry string, n int) []byte {
	return fmt.Appendf(nil, `<settings xmlns="%s"><entry><name>%s</name><value>%d</value></entry></settings>`, benchNS, entry, n)
}

// getConfigWorkload is the small get-config, sequential on one session.
func (b *bench) getConfigWorkload(name, what string, get targetFunc) *Workload {
	return b.sequentialWorkload(name, what, get, func(ctx context.Context, s *client.Session) error {
		return s.GetConfigTo(ctx, io.Discard, client.Running)
	})
}

// editConfigWorkload is the small edit-config of candidate, sequential on
// one session, each with a new value from next.
func (b *bench) editConfigWorkload(name, what string, get targetFunc, next func() int) *Workload {
	return b.sequentialWorkload(name, what, get, func(ctx context.Context, s *client.Session) error {
		return s.EditConfig(ctx, client.Candidate, smallEdit("alpha", next()))
	})
}

// sequentialWorkload measures the rate of rpc, sent one after the other
// on one session.
func (b *bench) sequentialWorkload(name, what string, get targetFunc, rpc func(context.Context, *client.Session) error) *Workload {
	var s *session
	return &Workload{
		Name: name, Unit: unitRate, What: what,
		Setup: func(ctx context.Context) error {
			t, err := get(ctx)
			if err == nil {
				s, err = b.open(ctx, t)
			}
			return err
		},
		Run: func(ctx context.Context) (Sample, error) {
			return b.measure(ctx, unitRate, s.proc, 1, func() error { return rpc(ctx, s.s) })
		},
	}
}

// concurrentWorkload runs the small get-config on 64 sessions at once.
func (b *bench) concurrentWorkload(name, what string, get targetFunc) *Workload {
	var (
		t        *target
		sessions []*client.Session
	)
	return &Workload{
		Name: name, Unit: unitRate, What: what,
		Setup: func(ctx context.Context) error {
			var err error
			if t, err = get(ctx); err != nil {
				return err
			}
			for range concurrentSessions {
				s, err := t.dial(ctx)
				if err != nil {
					return fmt.Errorf("session %d: %w", len(sessions)+1, err)
				}
				b.onClose(func() { closeSession(s) })
				sessions = append(sessions, s)
			}
			return nil
		},
		Run: func(ctx context.Context) (Sample, error) {
			return b.concurrent(ctx, t.proc, sessions, func(s *client.Session) error {
				return s.GetConfigTo(ctx, io.Discard, client.Running)
			})
		},
	}
}

// sessionWorkloads are the session workloads of one NETCONF server,
// named prefix/setup, prefix/get-config, and so on.
func (b *bench) sessionWorkloads(prefix string, get targetFunc) []*Workload {
	var (
		t       *target
		lock    *session
		commit  *session
		counter int
	)
	next := func() int { counter++; return counter }
	return []*Workload{
		{
			Name: prefix + "/setup", Unit: unitMS,
			What: "connect, authenticate, hello, close-session",
			Setup: func(ctx context.Context) (err error) {
				t, err = get(ctx)
				return err
			},
			Run: func(ctx context.Context) (Sample, error) {
				return b.measure(ctx, unitMS, t.proc, 3, func() error {
					s, err := t.dial(ctx)
					if err != nil {
						return err
					}
					return s.Close(ctx)
				})
			},
		},
		b.getConfigWorkload(prefix+"/get-config", "small get-config of running, one session", get),
		b.editConfigWorkload(prefix+"/edit-config", "small edit-config (merge one leaf) of candidate", get, next),
		{
			Name: prefix + "/lock-unlock", Unit: unitMS,
			What: "lock and unlock of running",
			Setup: func(ctx context.Context) error {
				t, err := get(ctx)
				if err == nil {
					lock, err = b.open(ctx, t)
				}
				return err
			},
			Run: func(ctx context.Context) (Sample, error) {
				return b.measure(ctx, unitMS, lock.proc, 3, func() error {
					if err := lock.s.Lock(ctx, client.Running); err != nil {
						return err
					}
					return lock.s.Unlock(ctx, client.Running)
				})
			},
		},
		{
			Name: prefix + "/commit", Unit: unitMS,
			What: "small edit-config of candidate, then commit",
			Setup: func(ctx context.Context) error {
				t, err := get(ctx)
				if err == nil {
					commit, err = b.open(ctx, t)
				}
				return err
			},
			Run: func(ctx context.Context) (Sample, error) {
				return b.measure(ctx, unitMS, commit.proc, 3, func() error {
					if err := commit.s.EditConfig(ctx, client.Candidate, smallEdit("beta", next())); err != nil {
						return err
					}
					return commit.s.Commit(ctx)
				})
			},
		},
		b.concurrentWorkload(prefix+"/64-sessions", "small get-config on 64 sessions at once, aggregate", get),
	}
}

// workloads returns every workload in round order, with their
// comparisons and targets.
func (b *bench) workloads() []*Workload {
	small := func(ctx context.Context) (*child, error) { return b.server(ctx, "small") }
	bareHTTP := func(ctx context.Context) (*target, error) {
		c, err := small(ctx)
		if err != nil {
			return nil, err
		}
		return b.soapTarget(c.eps.BareHTTP, c.proc), nil
	}
	bareSSH := func(ctx context.Context) (*target, error) {
		c, err := small(ctx)
		if err != nil {
			return nil, err
		}
		return b.sshTarget(b.user, c.eps.BareSSH, c.eps.HostKey, c.proc), nil
	}
	soap := func(ctx context.Context) (*target, error) {
		c, err := small(ctx)
		if err != nil {
			return nil, err
		}
		return b.soapTarget(c.eps.SOAP, c.proc), nil
	}
	sshT := func(ctx context.Context) (*target, error) {
		c, err := small(ctx)
		if err != nil {
			return nil, err
		}
		return b.sshTarget(b.user, c.eps.SSH, c.eps.HostKey, c.proc), nil
	}
	ncd := func(ctx context.Context) (*target, error) { return b.netconfdTarget(ctx, "candidate") }

	ws := []*Workload{
		b.getConfigWorkload("bare/http-1conn", "bare net/http handler: parse the envelope, fixed reply; one connection", bareHTTP),
		b.concurrentWorkload("bare/http-64conn", "the bare handler on 64 connections at once, aggregate", bareHTTP),
		b.getConfigWorkload("bare/ssh", "bare x/crypto/ssh server echoing a framed reply", bareSSH),
		b.editConfigWorkload("bare/ssh-edit", "the bare SSH server answering the small edit-config with <ok/>", bareSSH,
			func() int { return 0 }),
	}
	ws = append(ws, b.sessionWorkloads("soap", soap)...)
	ws = append(ws, b.sessionWorkloads("ssh", sshT)...)
	ws = append(ws, b.sessionWorkloads("netconfd", ncd)...)
	ws = append(ws, b.ncclientWorkloads()...)
	ws = append(ws, b.largeWorkloads()...)
	ws = append(ws, b.dataWorkloads()...)

	ws = b.inRoundOrder(ws)

	byName := map[string]*Workload{}
	for _, w := range ws {
		byName[w.Name] = w
	}
	add := func(name string, c ...Compare) {
		if w := byName[name]; w != nil {
			w.Compares = append(w.Compares, c...)
		}
	}
	add("soap/get-config", Compare{Ref: "bare/http-1conn", Target: Target{MinRatio: 0.5, Issue: "#5"}})
	add("soap/64-sessions", Compare{Ref: "bare/http-64conn"})
	for _, op := range []string{"setup", "edit-config", "lock-unlock", "commit"} {
		add("soap/"+op, Compare{Ref: "ssh/" + op})
	}
	add("ssh/setup", Compare{Target: Target{MaxValue: 5, Issue: "#6"}}, Compare{Ref: "netconfd/setup"})
	add("ssh/get-config",
		Compare{Ref: "bare/ssh", Target: Target{MinRatio: 0.8, Issue: "#6"}},
		Compare{Ref: "netconfd/get-config"},
		Compare{Ref: "ncclient-1ms/get-config", Target: Target{MinRatio: 5, Issue: "#6"}},
		Compare{Ref: "ncclient/get-config"})
	add("ssh/edit-config", Compare{Ref: "netconfd/edit-config", Target: Target{MinRatio: 5, Issue: "#6"}},
		Compare{Ref: "bare/ssh-edit"})
	add("netconfd/edit-config", Compare{Ref: "bare/ssh-edit"})
	for _, op := range []string{"lock-unlock", "commit", "64-sessions"} {
		add("ssh/"+op, Compare{Ref: "netconfd/" + op})
	}
	add("netconfd/get-config", Compare{Ref: "bare/ssh"})
	b.largeCompares(add)
	b.dataCompares(add)
	return ws
}

// inRoundOrder puts the workloads of each comparison next to each other
// in a round, so that a ratio compares figures taken seconds apart:
// operation by operation, bound first, then ncsoap, then the peers.
// Workloads it does not name keep their order, after the others.
func (b *bench) inRoundOrder(ws []*Workload) []*Workload {
	order := []string{
		"bare/http-1conn", "soap/get-config", "bare/ssh", "ssh/get-config", "netconfd/get-config",
		"ncclient-1ms/get-config", "ncclient/get-config",
		"bare/http-64conn", "soap/64-sessions", "ssh/64-sessions", "netconfd/64-sessions",
	}
	for _, op := range []string{"setup", "edit-config", "lock-unlock", "commit"} {
		if op == "edit-config" {
			order = append(order, "bare/ssh-edit")
		}
		order = append(order, "soap/"+op, "ssh/"+op, "netconfd/"+op)
	}
	for _, n := range b.sizes() {
		l := sizeLabel(n)
		for _, op := range []string{"load", "edit-one", "edit-one-set", "get-config", "filter"} {
			order = append(order, "ssh/"+l+"-"+op, "netconfd/"+l+"-"+op)
			if op == "get-config" {
				order = append(order, "soap/"+l+"-get-config")
			}
		}
	}
	rank := map[string]int{}
	for i, name := range order {
		rank[name] = i + 1
	}
	out := slices.Clone(ws)
	slices.SortStableFunc(out, func(a, b *Workload) int {
		ra, rb := rank[a.Name], rank[b.Name]
		if ra == 0 {
			ra = len(order) + 1
		}
		if rb == 0 {
			rb = len(order) + 1
		}
		return ra - rb
	})
	return out
}
