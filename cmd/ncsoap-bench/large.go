package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ncsoap/ncsoap/client"
)

// Namespaces of the example interfaces module (the large list) and of its
// types.
const (
	ifNS    = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	typesNS = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types"
)

// listShape is a large list in one data model: how to fill it, empty it,
// change one entry of it and select one entry of it.
type listShape struct {
	load    []byte
	remove  []byte
	editOne func(i int) []byte
	filter  []byte
}

// interfacesShape is the interfaces list of the example modules with n
// entries: name, identityref type, mtu with a range, unique ifindex.
func interfacesShape(n int) listShape {
	var b strings.Builder
	b.WriteString(`<interfaces xmlns="` + ifNS + `" xmlns:ext="` + typesNS + `">`)
	for i := range n {
		fmt.Fprintf(&b, `<interface><name>eth%d</name><type>ext:ethernet</type><mtu>%d</mtu><ifindex>%d</ifindex></interface>`, i, 1000+i%8000, i+1)
	}
	b.WriteString(`</interfaces>`)
	return listShape{
		load:   []byte(b.String()),
		remove: []byte(`<interfaces xmlns="` + ifNS + `" xmlns:nc="` + baseNS + `" nc:operation="remove"/>`),
		editOne: func(i int) []byte {
			return fmt.Appendf(nil, `<interfaces xmlns="%s"><interface><name>eth%d</name><mtu>%d</mtu></interface></interfaces>`, ifNS, n/2, 1400+i%2)
		},
		filter: fmt.Appendf(nil, `<interfaces xmlns="%s"><interface><name>eth%d</name></interface></interfaces>`, ifNS, n/3),
	}
}

// benchShape is the list of the bench module with n entries, which every
// peer loads.
func benchShape(n int) listShape {
	var b strings.Builder
	b.WriteString(`<settings xmlns="` + benchNS + `">`)
	for i := range n {
		fmt.Fprintf(&b, `<entry><name>e%d</name><value>%d</value></entry>`, i, i)
	}
	b.WriteString(`</settings>`)
	return listShape{
		load:   []byte(b.String()),
		remove: []byte(`<settings xmlns="` + benchNS + `" xmlns:nc="` + baseNS + `" nc:operation="remove"/>`),
		editOne: func(i int) []byte {
			return fmt.Appendf(nil, `<settings xmlns="%s"><entry><name>e%d</name><value>%d</value></entry></settings>`, benchNS, n/2, 1000000+i)
		},
		filter: fmt.Appendf(nil, `<settings xmlns="%s"><entry><name>e%d</name></entry></settings>`, benchNS, n/3),
	}
}

// sizes returns the large list sizes of the run and their labels.
func (b *bench) sizes() []int {
	if b.opts.quick {
		return []int{1000}
	}
	return []int{10000, 100000}
}

func sizeLabel(n int) string {
	if n%1000 == 0 {
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// listWorkloads are the large-list workloads of one server, all on one
// session of running: prefix/Nk-load, -edit-one, -edit-one-set,
// -get-config and -filter.
// When soap is not nil, soap/Nk-get-config reads the same list over
// SOAP.
func (b *bench) listWorkloads(prefix string, n int, get, soap targetFunc, shape func(int) listShape) []*Workload {
	var (
		s       *session
		sh      listShape
		ready   bool
		counter int
	)
	setup := func(ctx context.Context) error {
		if ready {
			return nil
		}
		t, err := get(ctx)
		if err != nil {
			return err
		}
		if s, err = b.open(ctx, t); err != nil {
			return err
		}
		sh = shape(n)
		if err := s.s.EditConfig(ctx, client.Running, sh.remove); err != nil {
			return must("empty the list", err)
		}
		if err := s.s.EditConfig(ctx, client.Running, sh.load); err != nil {
			return must("load the list", err)
		}
		ready = true
		return nil
	}
	name := fmt.Sprintf("%s/%s-", prefix, sizeLabel(n))
	getConfig := func(s *session) func(ctx context.Context) (Sample, error) {
		return func(ctx context.Context) (Sample, error) {
			var size countWriter
			smp, err := once(s.proc, func() error { return s.s.GetConfigTo(ctx, &size, client.Running) })
			smp.MBps = mbps(int64(size), smp.Value)
			return smp, err
		}
	}
	ws := []*Workload{
		{
			Name: name + "load", Unit: unitMS, Setup: setup,
			What: fmt.Sprintf("edit-config of running creating %d entries (the list emptied first, untimed)", n),
			Run: func(ctx context.Context) (Sample, error) {
				if err := s.s.EditConfig(ctx, client.Running, sh.remove); err != nil {
					return Sample{}, must("empty the list", err)
				}
				return once(s.proc, func() error { return s.s.EditConfig(ctx, client.Running, sh.load) })
			},
		},
		{
			Name: name + "edit-one", Unit: unitMS, Setup: setup,
			What: fmt.Sprintf("edit-config of running changing one leaf of one of %d entries", n),
			Run: func(ctx context.Context) (Sample, error) {
				return b.measure(ctx, unitMS, s.proc, 3, func() error {
					counter++
					return s.s.EditConfig(ctx, client.Running, sh.editOne(counter))
				})
			},
		},
		{
			Name: name + "edit-one-set", Unit: unitMS, Setup: setup,
			What: "the same with test-option set: no validation of the whole datastore",
			Run: func(ctx context.Context) (Sample, error) {
				return b.measure(ctx, unitMS, s.proc, 3, func() error {
					counter++
					return s.s.EditConfig(ctx, client.Running, sh.editOne(counter), client.WithTestOption(client.Set))
				})
			},
		},
		{
			Name: name + "get-config", Unit: unitMS, Setup: setup,
			What: fmt.Sprintf("get-config of running with %d entries, streamed to io.Discard", n),
			Run:  func(ctx context.Context) (Sample, error) { return getConfig(s)(ctx) },
		},
		{
			Name: name + "filter", Unit: unitMS, Setup: setup,
			What: fmt.Sprintf("get-config with a subtree filter selecting one of %d entries by key", n),
			Run: func(ctx context.Context) (Sample, error) {
				f := client.WithFilter(client.Subtree(sh.filter))
				return b.measure(ctx, unitMS, s.proc, 3, func() error {
					return s.s.GetConfigTo(ctx, io.Discard, client.Running, f)
				})
			},
		},
	}
	if soap == nil {
		return ws
	}
	var ss *session
	return append(ws, &Workload{
		Name: fmt.Sprintf("soap/%s-get-config", sizeLabel(n)), Unit: unitMS,
		What: fmt.Sprintf("get-config of running with %d entries over SOAP, streamed to io.Discard", n),
		Setup: func(ctx context.Context) error {
			if err := setup(ctx); err != nil {
				return err
			}
			t, err := soap(ctx)
			if err == nil {
				ss, err = b.open(ctx, t)
			}
			return err
		},
		Run: func(ctx context.Context) (Sample, error) { return getConfig(ss)(ctx) },
	})
}

// largeWorkloads are the large lists on ncsoap over SSH, and their full
// get-config over SOAP too (the interfaces list, at every size, each size
// on a server process of its own), and on netconfd (the bench list, at
// the smaller size only: netconfd needs seconds per 10,000 entries).
func (b *bench) largeWorkloads() []*Workload {
	ours := func(n int) targetFunc {
		return func(ctx context.Context) (*target, error) {
			c, err := b.server(ctx, sizeLabel(n))
			if err != nil {
				return nil, err
			}
			return b.sshTarget(b.user, c.eps.SSH, c.eps.HostKey, c.proc), nil
		}
	}
	oursSOAP := func(n int) targetFunc {
		return func(ctx context.Context) (*target, error) {
			c, err := b.server(ctx, sizeLabel(n))
			if err != nil {
				return nil, err
			}
			return b.soapTarget(c.eps.SOAP, c.proc), nil
		}
	}
	peer := func(ctx context.Context) (*target, error) { return b.netconfdTarget(ctx, "running") }
	var ws []*Workload
	sizes := b.sizes()
	for _, n := range sizes {
		ws = append(ws, b.listWorkloads("ssh", n, ours(n), oursSOAP(n), interfacesShape)...)
	}
	ws = append(ws, b.listWorkloads("netconfd", sizes[0], peer, nil, benchShape)...)
	return ws
}

// largeCompares adds the comparisons and targets of the large lists.
func (b *bench) largeCompares(add func(string, ...Compare)) {
	n := sizeLabel(b.sizes()[0])
	for _, op := range []string{"load", "edit-one", "edit-one-set", "get-config", "filter"} {
		var t Target
		if n == "10k" {
			switch op {
			case "load":
				t = Target{MaxValue: 500, Issue: "#6"}
			case "edit-one":
				t = Target{MaxServerCPU: 1e6, Issue: "#6"}
			}
		}
		if t != (Target{}) {
			add("ssh/"+n+"-"+op, Compare{Target: t})
		}
		add("ssh/"+n+"-"+op, Compare{Ref: "netconfd/" + n + "-" + op})
	}
	for _, size := range b.sizes() {
		l := sizeLabel(size)
		add("soap/"+l+"-get-config", Compare{Ref: "ssh/" + l + "-get-config"})
	}
}
