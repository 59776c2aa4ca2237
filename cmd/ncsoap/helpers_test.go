package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/ncsoaptest"
	"github.com/ncsoap/ncsoap/netconfcore"
)

const (
	user     = ncsoaptest.User
	password = ncsoaptest.Password
	usersNS  = "http://ncsoap.dev/ns/example-users"
	ifNS     = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
)

// servers is one engine served over SOAP/HTTP, SOAP/HTTPS and SSH on
// loopback ports.
type servers struct {
	*ncsoaptest.Server
	engine      *netconfcore.Server
	urls        map[string]string   // by transport: http, https, ssh
	flags       map[string][]string // global options each transport needs
	caFile      string
	certFile    string // a client certificate mapped to user
	keyFile     string // its private key
	fingerprint string
}

func startServers(t *testing.T) *servers {
	t.Helper()
	srv := ncsoaptest.NewServer(t)
	return &servers{
		Server: srv,
		engine: srv.Engine,
		urls:   map[string]string{"http": srv.HTTPURL, "https": srv.HTTPSURL, "ssh": srv.SSHURL},
		flags: map[string][]string{
			"https": {"--ca-file", srv.CAFile},
			"ssh":   {"--host-key-fingerprint", srv.HostKeyFingerprint},
		},
		caFile: srv.CAFile, certFile: srv.ClientCertFile, keyFile: srv.ClientKeyFile,
		fingerprint: srv.HostKeyFingerprint,
	}
}

// result is what one run of ncsoap printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// ncsoap runs the CLI with args and stdin.
func runCLI(stdin string, args ...string) result {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// on runs the CLI against the server over transport.
func (s *servers) on(transport, stdin string, args ...string) result {
	global := append([]string{"--url", s.urls[transport]}, s.flags[transport]...)
	return runCLI(stdin, append(global, args...)...)
}

// writeFile writes content to a new file in dir and returns its path.
func writeFile(t *testing.T, name, content string, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), perm))
	return p
}
