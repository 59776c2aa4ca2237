package ncsoap_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// Dial picks the transport from the URL; the session's operations are the
// same over SOAP and SSH.
func ExampleDial() {
	ctx := context.Background()
	sess, err := ncsoap.Dial(ctx, "https://router1.example.net:8443/netconf",
		ncsoap.WithUser("admin"),
		ncsoap.WithPassword(os.Getenv("NCSOAP_PASSWORD")),
		ncsoap.WithCAFile("/etc/ncsoap/ca.pem"))
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close(ctx)

	data, err := sess.GetConfig(ctx, client.Running, client.WithFilter(client.Subtree(
		[]byte(`<system xmlns="http://ncsoap.dev/ns/example-users"><hostname/></system>`))))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("session %d: %s\n", sess.ID(), data)
}

// Over SSH the server's host key is checked against known_hosts, or a
// pinned fingerprint; keys, an agent or a password authenticate.
func ExampleDial_ssh() {
	ctx := context.Background()
	sess, err := ncsoap.Dial(ctx, "ssh://admin@router1.example.net:830",
		ncsoap.WithKeyFile("/home/admin/.ssh/id_ed25519"),
		ncsoap.WithKnownHosts("/home/admin/.ssh/known_hosts"))
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close(ctx)

	if err := sess.Lock(ctx, client.Candidate); err != nil {
		var list rpcerror.List
		if errors.As(err, &list) && list[0].Tag == rpcerror.LockDenied && list[0].Info.SessionID != nil {
			fmt.Println("candidate is locked by session", *list[0].Info.SessionID)
			return
		}
		log.Fatal(err)
	}
	defer sess.Unlock(ctx, client.Candidate)
	fmt.Println("candidate locked")
}
