package soapserver_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/soapserver"
)

func ExampleNew() {
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
	accounts := auth.NewMemory()
	if err := accounts.SetPassword("admin", "s3cret"); err != nil {
		log.Fatal(err)
	}

	srv := soapserver.New(engine, accounts, soapserver.Options{Logger: slog.New(slog.DiscardHandler)})
	// Plain HTTP with Basic authentication is accepted on loopback only;
	// use ServeTLS with soapserver.TLSConfig elsewhere.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Shutdown(ctx)

	// A client opens its session by POSTing <hello>.
	req, _ := http.NewRequest(http.MethodPost, "http://"+l.Addr().String()+"/netconf", strings.NewReader(
		`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>`+
			`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>`+
			`<capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`+
			`</s:Body></s:Envelope>`))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.SetBasicAuth("admin", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"), engine.Sessions())
	// Output:
	// 200 OK text/xml; charset=utf-8 [1]
}
