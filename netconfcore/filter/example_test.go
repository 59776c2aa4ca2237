package filter_test

import (
	"context"
	"fmt"
	"os"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/filter"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

func exampleRunning() *tree.Tree {
	set, err := schema.Load(schema.Options{})
	if err != nil {
		panic(err)
	}
	s, err := datastore.Open(context.Background(), set, datastore.Options{Initial: schema.SampleConfig()})
	if err != nil {
		panic(err)
	}
	return s.Snapshot(datastore.Running)
}

// A subtree filter selecting the uid of one user, as <get-config> uses it.
func ExampleSubtree() {
	doc := etree.NewDocument()
	err := doc.ReadFromString(`<filter type="subtree">
	  <system xmlns="http://ncsoap.dev/ns/example-users">
	    <authentication><user><name>admin</name><uid/></user></authentication>
	  </system>
	</filter>`)
	if err != nil {
		panic(err)
	}
	got, err := filter.Subtree(context.Background(), exampleRunning(), doc.Root())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := got.WriteXML(os.Stdout, tree.WriteOptions{}); err != nil {
		panic(err)
	}
	// Output:
	// <system xmlns="http://ncsoap.dev/ns/example-users"><authentication><user><name>admin</name><uid>1000</uid></user></authentication></system>
}

// An XPath filter: the prefixes are those declared on <filter>. The keys
// of the list entry on the way to the selected leaf are included.
func ExampleXPath() {
	ns := map[string]string{"if": "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"}
	got, err := filter.XPath(context.Background(), exampleRunning(), "/if:interfaces/if:interface[if:ifindex=2]/if:parent-interface", ns)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := got.WriteXML(os.Stdout, tree.WriteOptions{}); err != nil {
		panic(err)
	}
	_, err = filter.XPath(context.Background(), exampleRunning(), "count(/if:interfaces)", ns)
	fmt.Println()
	fmt.Println(err)
	// Output:
	// <interfaces xmlns="urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"><interface><name>eth1</name><parent-interface>eth0</parent-interface></interface></interfaces>
	// netconf protocol error: invalid-value: XPath filter: result is a number, not a node-set
}
