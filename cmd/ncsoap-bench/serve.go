package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
	"github.com/ncsoap/ncsoap/soapserver"
	"github.com/ncsoap/ncsoap/sshserver"
)

// benchYANG is the module every compared server loads.
//
//go:embed ncsoap-bench.yang
var benchYANG []byte

// benchNS is the namespace of benchYANG.
const benchNS = "urn:ncsoap:bench"

// smallConfig is the configuration the small workloads read: three
// entries of the bench list, the same on every server.
const smallConfig = `<settings xmlns="` + benchNS + `">` +
	`<entry><name>alpha</name><value>1</value><note>first entry</note></entry>` +
	`<entry><name>beta</name><value>2</value><note>second entry</note></entry>` +
	`<entry><name>gamma</name><value>3</value><note>third entry</note></entry>` +
	`</settings>`

// Endpoints is what a serve child reports on its first line of output.
type Endpoints struct {
	SOAP     string `json:"soap"`      // ncsoap SOAP URL
	SSH      string `json:"ssh"`       // ncsoap SSH host:port
	BareHTTP string `json:"bare_http"` // bare net/http handler URL
	BareSSH  string `json:"bare_ssh"`  // bare SSH echo server host:port
	HostKey  string `json:"host_key"`  // SHA256 fingerprint of both SSH servers
}

// serveMain is the hidden "serve" subcommand: it runs ncsoap (SOAP and
// SSH) and the bare bounds on loopback ports in this process, prints
// their Endpoints as one JSON line, and exits when stdin closes, which
// happens when the parent bench process ends.
func serveMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.String("user", "bench", "username")
	password := fs.String("password", "", "password of user (SOAP Basic)")
	key := fs.String("key", "", "authorized key line of user (SSH)")
	state := fs.String("state", "", "persist the datastores in this directory, as ncsoapd does (default: memory only)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eps, err := serve(ctx, *user, *password, []byte(*key), *state)
	if err != nil {
		fmt.Fprintln(stderr, "ncsoap-bench serve:", err)
		return 1
	}
	if err := json.NewEncoder(stdout).Encode(eps); err != nil {
		return 1
	}
	io.Copy(io.Discard, stdin)
	return 0
}

// serve starts the servers; they stop when ctx ends. The engine is set
// up as ncsoapd sets it up: must and when evaluated, and, when state is
// not empty, every change of running and startup written to disk
// (fsync'd) before it is acknowledged.
func serve(ctx context.Context, user, password string, key []byte, state string) (*Endpoints, error) {
	set, err := loadSchema()
	if err != nil {
		return nil, err
	}
	initial := []byte(`<config xmlns="` + baseNS + `">` + smallConfig + `</config>`)
	opts := datastore.Options{Initial: initial, Exprs: xpath.NewEvaluator()}
	cfg := netconfcore.Config{Logger: slog.New(slog.DiscardHandler)}
	if state != "" {
		dir, err := storage.OpenDir(state)
		if err != nil {
			return nil, err
		}
		context.AfterFunc(ctx, func() { dir.Close() })
		opts.Backend, cfg.Backend = dir, dir
	}
	if cfg.Store, err = datastore.Open(ctx, set, opts); err != nil {
		return nil, err
	}
	store, quiet := cfg.Store, cfg.Logger
	engine, err := netconfcore.NewServer(ctx, cfg)
	if err != nil {
		return nil, err
	}
	users := auth.NewMemory()
	if err := users.SetPassword(user, password); err != nil {
		return nil, err
	}
	if err := users.AddKey(user, key); err != nil {
		return nil, err
	}
	allowed, _, _, _, err := ssh.ParseAuthorizedKey(key)
	if err != nil {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	hostKey, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, err
	}
	var data bytes.Buffer
	if err := store.Snapshot(datastore.Running).WriteXML(&data, tree.WriteOptions{ConfigOnly: true}); err != nil {
		return nil, err
	}

	listen := func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
	var ls [4]net.Listener
	for i := range ls {
		if ls[i], err = listen(); err != nil {
			return nil, err
		}
	}
	soap := soapserver.New(engine, users, soapserver.Options{Logger: quiet})
	go soap.Serve(ls[0])
	sshSrv, err := sshserver.New(engine, users, sshserver.Options{HostKeys: []ssh.Signer{hostKey}, Logger: quiet})
	if err != nil {
		return nil, err
	}
	go sshSrv.Serve(ls[1])
	bare := &http.Server{Handler: bareHTTP(data.Bytes())}
	go bare.Serve(ls[2])
	go bareSSH(ls[3], hostKey, allowed, data.Bytes())
	context.AfterFunc(ctx, func() {
		soap.Close()
		sshSrv.Close()
		bare.Close()
		ls[3].Close()
		engine.Shutdown(context.Background())
	})
	return &Endpoints{
		SOAP:     "http://" + ls[0].Addr().String() + soapserver.DefaultPath,
		SSH:      ls[1].Addr().String(),
		BareHTTP: "http://" + ls[2].Addr().String() + soapserver.DefaultPath,
		BareSSH:  ls[3].Addr().String(),
		HostKey:  ssh.FingerprintSHA256(hostKey.PublicKey()),
	}, nil
}

// loadSchema loads the embedded example modules and the bench module.
func loadSchema() (*schema.Set, error) {
	dir, err := os.MkdirTemp("", "ncsoap-bench-yang")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "ncsoap-bench.yang"), benchYANG, 0o644); err != nil {
		return nil, err
	}
	set, err := schema.Load(schema.Options{Dirs: []string{dir}})
	if err != nil {
		return nil, errors.Join(errors.New("loading the bench module"), err)
	}
	return set, nil
}
