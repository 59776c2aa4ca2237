// Package examples_test runs every example against servers started in
// process on loopback ports, so that the examples cannot rot.
package examples_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/ncsoaptest"
	"github.com/ncsoap/ncsoap/netconfcore"
)

const (
	user     = ncsoaptest.User
	password = ncsoaptest.Password
)

// servers is one engine over the example modules, served over SOAP/HTTP
// and SSH.
type servers struct {
	*ncsoaptest.Server
	engine      *netconfcore.Server
	soapURL     string
	sshURL      string
	fingerprint string
}

func startServers(t *testing.T) *servers {
	t.Helper()
	srv := ncsoaptest.NewServer(t)
	return &servers{
		Server: srv, engine: srv.Engine, soapURL: srv.HTTPURL,
		sshURL:      "ssh://" + user + "@" + strings.TrimPrefix(srv.SSHURL, "ssh://"),
		fingerprint: srv.HostKeyFingerprint,
	}
}

// run runs an example program with the password in its environment and
// returns its standard output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "NCSOAP_USER="+user, "NCSOAP_PASSWORD="+password)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s %s:\n%s%s", name, strings.Join(args, " "), out, stderr.String())
	return string(out)
}

// requireSessionsEnded waits until the server has no session left.
func (s *servers) requireSessionsEnded(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool { return len(s.engine.Sessions()) == 0 }, 10*time.Second, 10*time.Millisecond,
		"sessions left: %v", s.engine.Sessions())
}

func goCommand(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to run the Go example")
	return p
}

func TestGoSDK(t *testing.T) {
	s := startServers(t)
	out := run(t, goCommand(t), "run", "./go-sdk",
		"-soap-url", s.soapURL, "-ssh-url", s.sshURL, "-host-key-fingerprint", s.fingerprint)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 6, out)
	require.Regexp(t, `^soap: session \d+, \d+ capabilities, candidate: true$`, lines[0])
	require.Equal(t, "soap: hostname router1", lines[1])
	require.Equal(t, "soap: committed hostname go-sdk-soap", lines[2])
	require.Regexp(t, `^ssh: session \d+, \d+ capabilities, candidate: true$`, lines[3])
	require.Equal(t, "ssh: hostname go-sdk-soap", lines[4], "both transports reach the same datastores")
	require.Equal(t, "ssh: committed hostname go-sdk-ssh", lines[5])
	s.requireSessionsEnded(t)
}

func TestZeep(t *testing.T) {
	requirePythonModule(t, "zeep", "python3-zeep")
	s := startServers(t)
	out := run(t, "/usr/bin/python3", "zeep/netconf.py", s.soapURL+"?wsdl")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 7, out)
	require.Regexp(t, `^hello: session-id (\d+), \d+ capabilities$`, lines[0])
	id := strings.Fields(lines[0])[2]
	require.Equal(t, "get-config: http://ncsoap.dev/ns/example-users hostname router1", lines[1])
	require.Equal(t, []string{"edit-config: ok", "commit: ok", "running: zeep-example"}, lines[2:5])
	require.Equal(t, "fault: lock-denied: error-tag lock-denied, error-type protocol, held by session "+strings.TrimSuffix(id, ","), lines[5])
	require.Equal(t, "close-session: ok", lines[6])
	require.EqualValues(t, 1, s.SOAPConnections(), "one connection for the WSDL and the whole session")
	s.requireSessionsEnded(t)
}

func TestCurl(t *testing.T) {
	requireCommand(t, "curl", "curl")
	s := startServers(t)
	out := run(t, "sh", "curl/hello-get-config.sh", s.soapURL)
	require.Equal(t, 2, strings.Count(out, "<soap:Envelope "), out)
	hello, reply, _ := strings.Cut(out, "</soap:Envelope>")
	require.Contains(t, hello, "<session-id>")
	require.Contains(t, hello, "<capability>urn:ietf:params:netconf:base:1.0</capability>")
	require.Contains(t, reply, `message-id="101"`)
	require.Contains(t, reply, "<hostname>router1</hostname>")
	require.EqualValues(t, 1, s.SOAPConnections(), "hello and get-config on one connection")
	s.requireSessionsEnded(t)
}

// requirePackage installs Debian package pkg with apt-get when present
// reports false, and fails the test, never skips it, when that is not
// possible.
func requirePackage(t *testing.T, pkg string, present func() bool) {
	t.Helper()
	if present() {
		return
	}
	if os.Geteuid() != 0 {
		t.Fatalf("Debian package %s is missing: install it (apt-get install %s)", pkg, pkg)
	}
	cmd := exec.Command("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get install %s: %v\n%s", pkg, err, out)
	}
	require.True(t, present(), "Debian package %s installed but still not usable", pkg)
}

func requireCommand(t *testing.T, command, pkg string) {
	t.Helper()
	requirePackage(t, pkg, func() bool { _, err := exec.LookPath(command); return err == nil })
}

func requirePythonModule(t *testing.T, module, pkg string) {
	t.Helper()
	requirePackage(t, pkg, func() bool { return exec.Command("/usr/bin/python3", "-c", "import "+module).Run() == nil })
}
