package sshserver_test

import (
	"context"
	"log"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/sshserver"
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
	engine, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store})
	if err != nil {
		log.Fatal(err)
	}
	users, err := auth.Open("/var/lib/ncsoap/users")
	if err != nil {
		log.Fatal(err)
	}
	hostKey, err := sshserver.LoadOrCreateHostKey("/var/lib/ncsoap/ssh_host_ed25519_key")
	if err != nil {
		log.Fatal(err)
	}
	srv, err := sshserver.New(engine, users, sshserver.Options{HostKeys: []ssh.Signer{hostKey}})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(srv.ListenAndServe(":830"))
}
