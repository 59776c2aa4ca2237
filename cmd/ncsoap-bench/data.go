package main

import (
	"context"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// The published sysrepo anchors of issue #3 (JSON file store), in
// milliseconds, for a 100,000-item list.
const (
	anchorCreate    = 658 // batch create of every item
	anchorGet       = 258 // get of the whole tree
	anchorCreateOne = 263 // one item created into the full list
)

// dataSize is the list size of the data-layer workloads.
func (b *bench) dataSize() int {
	if b.opts.quick {
		return 1000
	}
	return 100000
}

// dataState is the in-process datastore the data-layer workloads share.
type dataState struct {
	doc   string
	store *datastore.Store
}

func configElement(inner []byte) (*etree.Element, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<config xmlns="` + baseNS + `">` + string(inner) + `</config>`); err != nil {
		return nil, err
	}
	return doc.Root(), nil
}

// create parses the whole list and applies it to a new store with
// test-then-set, that is with full validation.
func (d *dataState) create(ctx context.Context) error {
	set, err := loadSchema()
	if err != nil {
		return err
	}
	el, err := configElement([]byte(d.doc))
	if err != nil {
		return err
	}
	s, err := datastore.Open(ctx, set, datastore.Options{})
	if err != nil {
		return err
	}
	if err := s.Edit(ctx, datastore.Running, el, datastore.EditOptions{}); err != nil {
		return err
	}
	d.store = s
	return nil
}

func (d *dataState) ensure(ctx context.Context) error {
	if d.store != nil {
		return nil
	}
	return d.create(ctx)
}

// dataWorkloads measure the data layer in this process, without
// transport or parsing of the request envelope, in the shapes of the
// sysrepo anchors.
func (b *bench) dataWorkloads() []*Workload {
	n := b.dataSize()
	d := &dataState{}
	setup := func(context.Context) error {
		if d.doc == "" {
			d.doc = string(interfacesShape(n).load)
		}
		return nil
	}
	name := "data/" + sizeLabel(n) + "-"
	createOne := func(opts datastore.EditOptions) func(ctx context.Context) (Sample, error) {
		return func(ctx context.Context) (Sample, error) {
			if err := d.ensure(ctx); err != nil {
				return Sample{}, err
			}
			base := d.store.Snapshot(datastore.Running)
			el, err := configElement([]byte(`<interfaces xmlns="` + ifNS + `" xmlns:ext="` + typesNS + `"><interface><name>new0</name><type>ext:ethernet</type><mtu>1400</mtu></interface></interfaces>`))
			if err != nil {
				return Sample{}, err
			}
			return b.measure(ctx, unitMS, proc{}, 3, func() error {
				if err := d.store.Edit(ctx, datastore.Running, el, opts); err != nil {
					return err
				}
				return d.store.Replace(ctx, datastore.Running, base)
			})
		}
	}
	return []*Workload{
		{
			Name: name + "create", Unit: unitMS, Setup: setup,
			What: "parse and apply one edit creating every entry, validated (test-then-set), in process",
			Run: func(ctx context.Context) (Sample, error) {
				d.store = nil
				return once(proc{}, func() error { return d.create(ctx) })
			},
		},
		{
			Name: name + "create-one", Unit: unitMS, Setup: setup,
			What: "create one entry in the full list, test-option set (no full validation), in process",
			Run:  createOne(datastore.EditOptions{TestOption: datastore.Set}),
		},
		{
			Name: name + "create-one-valid", Unit: unitMS, Setup: setup,
			What: "the same with test-then-set: the whole datastore validated",
			Run:  createOne(datastore.EditOptions{}),
		},
		{
			Name: name + "get", Unit: unitMS, Setup: setup,
			What: "serialize the whole datastore to io.Discard, in process",
			Run: func(ctx context.Context) (Sample, error) {
				if err := d.ensure(ctx); err != nil {
					return Sample{}, err
				}
				snap := d.store.Snapshot(datastore.Running)
				var size countWriter
				smp, err := once(proc{}, func() error {
					return snap.WriteXML(&size, tree.WriteOptions{ConfigOnly: true})
				})
				smp.MBps = mbps(int64(size), smp.Value)
				// The rounds of the other workloads run without the store.
				d.store = nil
				return smp, err
			},
		},
	}
}

// dataCompares compares the data layer with the sysrepo anchors; issue
// #3 asks for 3× on each.
func (b *bench) dataCompares(add func(string, ...Compare)) {
	if b.dataSize() != 100000 {
		return
	}
	t := Target{MinRatio: 3, Issue: "#3"}
	add("data/100k-create", Compare{Anchor: anchorCreate, AnchorName: "sysrepo", Target: t})
	add("data/100k-create-one", Compare{Anchor: anchorCreateOne, AnchorName: "sysrepo", Target: t})
	add("data/100k-create-one-valid", Compare{Anchor: anchorCreateOne, AnchorName: "sysrepo"})
	add("data/100k-get", Compare{Anchor: anchorGet, AnchorName: "sysrepo", Target: t})
}
