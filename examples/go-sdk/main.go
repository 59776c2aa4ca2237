// Command go-sdk shows the ncsoap Go SDK: one ncsoap.Dial for NETCONF over
// SOAP and over SSH, then the same typed operations on either session.
//
// For each URL given it prints the session-id and capabilities from the
// server's hello, reads the hostname with a subtree filter, changes it on
// the candidate datastore under a lock, commits, and reads it back.
//
//	NCSOAP_PASSWORD=... go run ./examples/go-sdk \
//	    -soap-url http://127.0.0.1:8080/netconf \
//	    -ssh-url ssh://admin@127.0.0.1:8830 -host-key-fingerprint SHA256:...
package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/client"
)

const usersNS = "http://ncsoap.dev/ns/example-users"

func main() {
	soapURL := flag.String("soap-url", "http://127.0.0.1:8080/netconf", "NETCONF over SOAP endpoint (empty: skip)")
	sshURL := flag.String("ssh-url", "", "NETCONF over SSH endpoint, ssh://user@host:port (empty: skip)")
	user := flag.String("user", "admin", "user name")
	fingerprint := flag.String("host-key-fingerprint", "", "the SSH server's host key fingerprint (default: check ~/.ssh/known_hosts)")
	caFile := flag.String("ca-file", "", "CA certificates for an https endpoint")
	flag.Parse()
	log.SetFlags(0)

	password, ok := os.LookupEnv("NCSOAP_PASSWORD")
	if !ok {
		log.Fatal("set NCSOAP_PASSWORD")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if *soapURL != "" {
		opts := []ncsoap.DialOption{ncsoap.WithUser(*user), ncsoap.WithPassword(password)}
		if *caFile != "" {
			opts = append(opts, ncsoap.WithCAFile(*caFile))
		}
		if err := demo(ctx, "soap", *soapURL, opts...); err != nil {
			log.Fatalf("soap: %v", err)
		}
	}
	if *sshURL != "" {
		opts := []ncsoap.DialOption{ncsoap.WithUser(*user), ncsoap.WithPassword(password)}
		if *fingerprint != "" {
			opts = append(opts, ncsoap.WithHostKeyFingerprint(*fingerprint))
		}
		if err := demo(ctx, "ssh", *sshURL, opts...); err != nil {
			log.Fatalf("ssh: %v", err)
		}
	}
}

// demo runs the same operations whatever the transport of rawURL.
func demo(ctx context.Context, name, rawURL string, opts ...ncsoap.DialOption) error {
	sess, err := ncsoap.Dial(ctx, rawURL, opts...)
	if err != nil {
		return err
	}
	defer sess.Close(ctx)
	fmt.Printf("%s: session %d, %d capabilities, candidate: %v\n", name, sess.ID(),
		len(sess.Capabilities()), sess.HasCapability("urn:ietf:params:netconf:capability:candidate:1.0"))

	before, err := hostname(ctx, sess, client.Running)
	if err != nil {
		return err
	}
	fmt.Printf("%s: hostname %s\n", name, before)

	if err := sess.Lock(ctx, client.Candidate); err != nil {
		return err
	}
	defer sess.Unlock(ctx, client.Candidate)
	newName := "go-sdk-" + name
	change := `<system xmlns="` + usersNS + `"><hostname>` + newName + `</hostname></system>`
	if err := sess.EditConfig(ctx, client.Candidate, []byte(change)); err != nil {
		return err
	}
	if err := sess.Commit(ctx); err != nil {
		return err
	}
	after, err := hostname(ctx, sess, client.Running)
	if err != nil {
		return err
	}
	fmt.Printf("%s: committed hostname %s\n", name, after)
	return nil
}

// hostname reads the hostname from ds with a subtree filter.
func hostname(ctx context.Context, sess *client.Session, ds client.Datastore) (string, error) {
	filter := client.Subtree([]byte(`<system xmlns="` + usersNS + `"><hostname/></system>`))
	data, err := sess.GetConfig(ctx, ds, client.WithFilter(filter))
	if err != nil {
		return "", err
	}
	var reply struct {
		Hostname string `xml:"system>hostname"`
	}
	if err := xml.NewDecoder(bytes.NewReader(data)).Decode(&reply); err != nil {
		return "", err
	}
	return reply.Hostname, nil
}
