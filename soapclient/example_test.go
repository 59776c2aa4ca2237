package soapclient_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"os"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/soapclient"
	"github.com/ncsoap/ncsoap/soapserver"
)

// exampleServer starts a NETCONF over SOAP server with the example
// modules on a loopback port and returns its URL.
func exampleServer() string {
	ctx := context.Background()
	set, err := schema.Load(schema.Options{})
	if err != nil {
		log.Fatal(err)
	}
	store, err := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig()})
	if err != nil {
		log.Fatal(err)
	}
	engine, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	users := auth.NewMemory()
	if err := users.SetPassword("admin", "s3cret"); err != nil {
		log.Fatal(err)
	}
	go soapserver.New(engine, users, soapserver.Options{Logger: slog.New(slog.DiscardHandler)}).Serve(l)
	return "http://" + l.Addr().String() + "/netconf"
}

func ExampleDial() {
	url := exampleServer()
	ctx := context.Background()

	sess, err := soapclient.Dial(ctx, url, soapclient.WithBasicAuth("admin", "s3cret"))
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close(ctx)

	filter := client.Subtree([]byte(`<system xmlns="http://ncsoap.dev/ns/example-users"><hostname/></system>`))
	if err := sess.GetConfigTo(ctx, os.Stdout, client.Running, client.WithFilter(filter)); err != nil {
		log.Fatal(err)
	}
	fmt.Println()

	// rpc-errors arrive as SOAP Faults and come back as the engine's
	// typed errors.
	err = sess.DeleteConfig(ctx, client.Running)
	var rerr *rpcerror.Error
	if errors.As(err, &rerr) {
		fmt.Println(rerr.Tag)
	}
	// Output:
	// <data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><system xmlns="http://ncsoap.dev/ns/example-users"><hostname>router1</hostname></system></data>
	// invalid-value
}
