package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const adminPassword = "e2e-secret"

// binaries builds ncsoapd and ncsoap once per test run.
func binaries(t *testing.T) (daemon, cli string) {
	t.Helper()
	dir := t.TempDir()
	daemon, cli = filepath.Join(dir, "ncsoapd"), filepath.Join(dir, "ncsoap")
	for _, b := range [][2]string{{daemon, "."}, {cli, "../ncsoap"}} {
		out, err := exec.Command("go", "build", "-o", b[0], b[1]).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	return daemon, cli
}

// server is a running ncsoapd.
type server struct {
	cmd         *exec.Cmd
	stderr      *bytes.Buffer
	http, https string
	ssh         string
	fingerprint string
}

var (
	httpLine  = regexp.MustCompile(`SOAP over HTTP +(\S+)`)
	httpsLine = regexp.MustCompile(`SOAP over HTTPS +(\S+)`)
	sshLine   = regexp.MustCompile(`NETCONF over SSH +ssh://admin@(\S+) +\(host key (\S+)\)`)
)

// startServer runs ncsoapd on free loopback ports with state in dir and
// waits for its banner.
func startServer(t *testing.T, daemon, dir string) *server {
	t.Helper()
	cmd := exec.Command(daemon, "--state-dir", dir, "--http-listen", "127.0.0.1:0",
		"--https-listen", "127.0.0.1:0", "--ssh-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "NCSOAP_ADMIN_PASSWORD="+adminPassword)
	s := &server{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	sc := bufio.NewScanner(out)
	var banner strings.Builder
	for sc.Scan() {
		line := sc.Text()
		banner.WriteString(line + "\n")
		if m := httpLine.FindStringSubmatch(line); m != nil {
			s.http = m[1]
		}
		if m := httpsLine.FindStringSubmatch(line); m != nil {
			s.https = m[1]
		}
		if m := sshLine.FindStringSubmatch(line); m != nil {
			s.ssh, s.fingerprint = "ssh://admin@"+m[1], m[2]
		}
		if strings.HasPrefix(line, "Try:") {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	require.NotEmpty(t, s.http, "banner:\n%s\nstderr:\n%s", banner.String(), s.stderr)
	require.NotEmpty(t, s.https)
	require.NotEmpty(t, s.ssh)
	return s
}

// stop sends SIGTERM and requires a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "ncsoapd did not exit 0:\n%s", s.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("ncsoapd did not stop:\n%s", s.stderr)
	}
}

// ncsoap runs the client and returns its stdout; it requires exit code
// want.
func ncsoap(t *testing.T, cli string, want int, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, args...)
	cmd.Env = append(os.Environ(), "NCSOAP_PASSWORD="+adminPassword, "NCSOAP_URL=", "NCSOAP_USER=")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	require.Equal(t, want, code, "ncsoap %v\nstdout:\n%s\nstderr:\n%s", args, stdout.String(), stderr.String())
	return stdout.String() + stderr.String()
}

func mtuConfig(mtu string) string {
	return `<interfaces xmlns="urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"><interface><name>eth0</name><mtu>` + mtu + `</mtu></interface></interfaces>`
}

// TestEndToEnd starts ncsoapd, drives it with ncsoap over SOAP, HTTPS
// and SSH through the operator workflow, restarts it and finds the
// committed configuration intact.
func TestEndToEnd(t *testing.T) {
	daemon, cli := binaries(t)
	state := t.TempDir()
	s := startServer(t, daemon, state)
	sshArgs := []string{"--url", s.ssh, "--host-key-fingerprint", s.fingerprint}

	out := ncsoap(t, cli, 0, "", "--url", s.http, "hello")
	require.Contains(t, out, "urn:ietf:params:netconf:capability:candidate:1.0")
	require.NotContains(t, out, "notification:1.0", "SOAP cannot carry notifications")
	out = ncsoap(t, cli, 0, "", append(sshArgs, "hello")...)
	require.Contains(t, out, "urn:ietf:params:netconf:base:1.1")
	out = ncsoap(t, cli, 0, "", "--url", s.https, "--ca-file", filepath.Join(state, certFile), "get-config", "--source", "running")
	require.Contains(t, out, "router1")

	// The operator workflow on one SOAP session.
	script := strings.Join([]string{
		"lock candidate",
		"edit-config --target candidate '" + mtuConfig("1400") + "'",
		"validate candidate",
		"commit --confirmed --timeout 120",
		"commit",
		"unlock candidate",
		"close-session",
	}, "\n")
	ncsoap(t, cli, 0, script, "--url", s.http, "session", "-")

	// The same over SSH, and an rpc-error with its exit code.
	script = strings.Join([]string{
		"lock running",
		"edit-config --target running '" + mtuConfig("1300") + "'",
		"unlock running",
	}, "\n")
	ncsoap(t, cli, 0, script, append(sshArgs, "session", "-")...)
	out = ncsoap(t, cli, 1, "", append(sshArgs, "delete-config", "running")...)
	require.Contains(t, out, "invalid-value")
	out = ncsoap(t, cli, 0, "", "--url", s.http, "get-config", "--source", "running")
	require.Contains(t, out, "<mtu>1300</mtu>")

	// A confirmed commit still pending at shutdown is rolled back
	// (RFC 6241 §8.4.1), even a persistent one.
	script = strings.Join([]string{
		"edit-config --target candidate '" + mtuConfig("1200") + "'",
		"commit --confirmed --persist keep-me",
	}, "\n")
	ncsoap(t, cli, 0, script, "--url", s.http, "session", "-")
	require.Contains(t, ncsoap(t, cli, 0, "", "--url", s.http, "get-config", "--source", "running"), "<mtu>1200</mtu>")
	s.stop(t)
	log := s.stderr.String()
	for _, want := range []string{
		"msg=audit", "user=admin", "transport=netconf-soap-over-http", "transport=netconf-ssh",
		"operation=edit-config target=candidate outcome=ok", "operation=delete-config target=running outcome=invalid-value",
	} {
		require.Contains(t, log, want, "server log:\n%s", log)
	}

	s = startServer(t, daemon, state)
	out = ncsoap(t, cli, 0, "", "--url", s.http, "get-config", "--source", "running")
	require.Contains(t, out, "<mtu>1300</mtu>", "committed configuration survives the restart")
	require.Contains(t, out, "router1")
	out = ncsoap(t, cli, 0, "", "--url", s.ssh, "--host-key-fingerprint", s.fingerprint, "hello")
	require.Contains(t, out, "session-id")
	s.stop(t)
	require.Contains(t, s.stderr.String(), "restored the configuration from before an unconfirmed confirmed commit")
}
