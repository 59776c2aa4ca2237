package filter_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

const (
	nsIf  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	nsExt = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types"
	nsUsr = "http://ncsoap.dev/ns/example-users"
	nsRt  = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-routing"
	nsNC  = "urn:ietf:params:xml:ns:netconf:base:1.0"
)

var exampleSet = sync.OnceValues(func() (*schema.Set, error) { return schema.Load(schema.Options{}) })

func testSet(t testing.TB) *schema.Set {
	s, err := exampleSet()
	require.NoError(t, err)
	return s
}

// sampleStore returns a store holding the embedded sample configuration
// and a state provider reporting statistics and oper-status of eth0.
func sampleStore(t testing.TB) *datastore.Store {
	s, err := datastore.Open(context.Background(), testSet(t), datastore.Options{Initial: schema.SampleConfig()})
	require.NoError(t, err)
	s.RegisterState(func(context.Context) (*etree.Element, error) {
		doc := etree.NewDocument()
		if err := doc.ReadFromString(`<data xmlns="` + nsNC + `"><interfaces xmlns="` + nsIf + `"><interface><name>eth0</name>` +
			`<oper-status>up</oper-status><statistics><in-octets>42</in-octets></statistics></interface></interfaces>` +
			`<system xmlns="` + nsUsr + `"><clock><uptime>99</uptime></clock></system></data>`); err != nil {
			return nil, err
		}
		return doc.Root(), nil
	})
	return s
}

func operational(t testing.TB) *tree.Tree {
	tr, err := sampleStore(t).Operational(context.Background())
	require.NoError(t, err)
	return tr
}

func xmlOf(t testing.TB, tr *tree.Tree) string {
	var b bytes.Buffer
	require.NoError(t, tr.WriteXML(&b, tree.WriteOptions{}))
	return b.String()
}

// filterEl parses body as the content of a <filter> element in the base
// namespace that declares the prefixes if, usr and ext.
func filterEl(t testing.TB, body string) *etree.Element {
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(`<filter xmlns="`+nsNC+`" type="subtree" xmlns:if="`+nsIf+`" xmlns:usr="`+nsUsr+`" xmlns:t="`+nsExt+`">`+body+`</filter>`))
	return doc.Root()
}
