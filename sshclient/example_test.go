package sshclient_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/sshclient"
)

func ExampleDial() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := sshclient.Dial(ctx, "ssh://admin@router1.example.net:830",
		sshclient.WithKnownHosts("/home/admin/.ssh/known_hosts"),
		sshclient.WithAgent(),
		sshclient.WithKeyFile("/home/admin/.ssh/id_ed25519"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close(ctx)
	data, err := s.GetConfig(ctx, client.Running)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", data)
}
