package datastore

import (
	"context"
	"testing"

	"github.com/beevik/etree"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// FuzzEdit applies arbitrary <config> content to a store holding the sample
// configuration: it must never panic or hang, and a failed stop-on-error
// edit must leave running unchanged.
func FuzzEdit(f *testing.F) {
	f.Add(`<interfaces xmlns="` + nsIf + `"><interface><name>eth9</name><type>ext:ethernet</type></interface></interfaces>`)
	f.Add(`<interfaces xmlns="` + nsIf + `"><interface nc:operation="delete"><name>eth0</name></interface></interfaces>`)
	f.Add(`<system xmlns="` + nsUsr + `"><authentication><user yang:insert="before" yang:key="[name='admin']"><name>x</name><uid>5</uid></user></authentication></system>`)
	f.Add(`<system xmlns="` + nsUsr + `"><name-server yang:insert="first">1.1.1.1</name-server></system>`)
	f.Add(`<routing xmlns="` + nsRt + `"><route><destination>10.0.0.0</destination><prefix-length>8</prefix-length><next-hop><index>1</index></next-hop></route></routing>`)
	f.Add(`<vendor-extensions xmlns="` + nsRt + `"><a xmlns="urn:x"><b/></a></vendor-extensions>`)
	s := fuzzStore(f)
	base := s.Snapshot(Running)
	f.Fuzz(func(t *testing.T, body string) {
		doc, ok := fuzzConfig(body)
		if !ok {
			return
		}
		s.snaps[Running].Store(base)
		for _, opts := range []EditOptions{{}, {ErrorOption: ContinueOnError, TestOption: Set}, {DefaultOperation: None}} {
			before := s.Snapshot(Running)
			err := s.Edit(context.Background(), Running, doc.Root(), opts)
			if err != nil && opts.ErrorOption != ContinueOnError && s.Snapshot(Running) != before {
				t.Fatalf("failed edit changed running: %v", err)
			}
			_ = s.Validate(context.Background(), s.Snapshot(Running))
		}
	})
}

// fuzzStore returns a store of the example modules holding the sample
// configuration, for the fuzzers.
func fuzzStore(f *testing.F) *Store {
	set, err := schema.Load(schema.Options{})
	if err != nil {
		f.Fatal(err)
	}
	s, err := Open(context.Background(), set, Options{Initial: schema.SampleConfig()})
	if err != nil {
		f.Fatal(err)
	}
	return s
}

// fuzzConfig parses body inside a <config> declaring the prefixes the
// seeds use; false when it is not XML.
func fuzzConfig(body string) (*etree.Document, bool) {
	doc := etree.NewDocument()
	src := `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"` +
		` xmlns:yang="urn:ietf:params:xml:ns:yang:1" xmlns:ext="` + nsExt + `">` + body + `</config>`
	if doc.ReadFromString(src) != nil || doc.Root() == nil {
		return nil, false
	}
	return doc, true
}
