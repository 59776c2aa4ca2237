package client_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/memtransport"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// exampleSession returns a session on an in-memory server; real programs
// get theirs from sshclient.Dial or soapclient.
func exampleSession() *client.Session {
	ctx := context.Background()
	set, _ := schema.Load(schema.Options{})
	store, _ := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig()})
	srv, _ := netconfcore.NewServer(ctx, netconfcore.Config{Store: store})
	conn, _ := memtransport.Dial(srv, netconfcore.SessionInfo{Username: "admin"})
	s, _ := client.NewSession(&memTransport{conn: conn})
	return s
}

func ExampleSession_EditConfig() {
	ctx := context.Background()
	s := exampleSession()
	defer s.Close(ctx)

	const ifNS = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
	edit := `<interfaces xmlns="` + ifNS + `"><interface><name>eth0</name><mtu>1400</mtu></interface></interfaces>`
	if err := s.EditConfig(ctx, client.Candidate, []byte(edit)); err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Commit(ctx); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := s.GetConfig(ctx, client.Running, client.WithFilter(client.XPath(
		"/if:interfaces/if:interface[if:name='eth0']/if:mtu", map[string]string{"if": ifNS})))
	fmt.Println(strings.Contains(string(data), "<mtu>1400</mtu>"))
	// Output: true
}

func ExampleSession_GetConfigTo() {
	ctx := context.Background()
	s := exampleSession()
	defer s.Close(ctx)
	// The <data> element is copied to the writer as it arrives.
	if err := s.GetConfigTo(ctx, os.Stdout, client.Running,
		client.WithFilter(client.Subtree([]byte(`<system xmlns="http://ncsoap.dev/ns/example-users"><hostname/></system>`)))); err != nil {
		fmt.Println(err)
	}
	// Output: <data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><system xmlns="http://ncsoap.dev/ns/example-users"><hostname>router1</hostname></system></data>
}

// Errors the server reports are rpcerror values, inspected with
// errors.As and errors.Is.
func Example_rpcErrors() {
	ctx := context.Background()
	s := exampleSession()
	defer s.Close(ctx)
	edit := `<interfaces xmlns="urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"><interface><name>eth0</name><mtu>huge</mtu></interface></interfaces>`
	err := s.EditConfig(ctx, client.Running, []byte(edit))
	var list rpcerror.List
	if errors.As(err, &list) {
		fmt.Println(list[0].Type, list[0].Tag)
	}
	fmt.Println(errors.Is(err, &rpcerror.Error{Tag: rpcerror.InvalidValue}))
	// Output:
	// application invalid-value
	// true
}
