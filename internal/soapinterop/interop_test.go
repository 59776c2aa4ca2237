package soapinterop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/internal/peertest"
	"github.com/ncsoap/ncsoap/ncsoaptest"
)

const (
	user     = ncsoaptest.User
	password = ncsoaptest.Password
)

// server is a running server over the example modules; toolkits use its
// SOAP over HTTP endpoint.
type server struct {
	*ncsoaptest.Server
	url string // the service URL; the WSDL is at url + "?wsdl"
}

func startServer(t *testing.T) *server {
	t.Helper()
	srv := ncsoaptest.NewServer(t)
	return &server{Server: srv, url: srv.HTTPURL}
}

// session runs a toolkit client, which must open exactly one connection
// for its whole session, and returns its output.
func (s *server) session(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	before := s.SOAPConnections()
	out := peertest.Run(t, dir, name, args...)
	require.Equal(t, 1, s.SOAPConnections()-before, "the client must use one TCP connection for its session:\n%s", out)
	require.Empty(t, s.Engine.Sessions(), "the session must have ended")
	return out
}

// steps parses the JSON lines a client printed, by their "step" field.
func steps(t *testing.T, out string) map[string]map[string]any {
	t.Helper()
	m := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &v), out)
		m[v["step"].(string)] = v
	}
	return m
}

func TestZeep(t *testing.T) {
	peertest.RequirePythonModule(t, "zeep", "python3-zeep")
	s := startServer(t)
	out := s.session(t, ".", peertest.Python, "testdata/zeep/client.py", s.url+"?wsdl", user, password)
	st := steps(t, out)

	require.NotZero(t, st["hello"]["session_id"], out)
	require.Contains(t, st["hello"]["capabilities"], "urn:ietf:params:netconf:base:1.0")
	require.Equal(t, "101", st["get-config"]["message_id"])
	require.Len(t, st["get-config"]["data"], 1, out)
	gc := st["get-config"]["data"].([]any)[0].(string)
	require.Contains(t, gc, "<hostname>router1</hostname>")
	require.NotContains(t, gc, "authentication", "the subtree filter selects the hostname only")
	require.Equal(t, true, st["edit-config"]["ok"], out)
	require.Equal(t, true, st["commit"]["ok"])
	require.Equal(t, true, st["lock"]["ok"])
	require.Contains(t, st["verify"]["data"].([]any)[0], "<hostname>zeep-edited</hostname>")

	fault := st["fault"]
	require.Equal(t, true, fault["raised"], out)
	require.Equal(t, "lock-denied", fault["message"])
	require.Equal(t, []any{"lock-denied"}, fault["tags"])
	require.Equal(t, []any{strings.TrimSpace(jsonString(st["hello"]["session_id"]))}, fault["session_ids"])
	require.Equal(t, true, st["close-session"]["ok"])
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// keyValues parses the key=value lines a client printed; repeated keys
// keep every value.
func keyValues(out string) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = append(m[k], v)
		}
	}
	return m
}

// TestGSOAP generates a C++ proxy from the served WSDL with wsdl2h and
// soapcpp2, compiles a client with it and runs it against the server at
// the address the WSDL gives.
func TestGSOAP(t *testing.T) {
	peertest.RequireCommand(t, "wsdl2h", "gsoap")
	peertest.RequireCommand(t, "soapcpp2", "gsoap")
	peertest.RequireCommand(t, "g++", "g++")
	peertest.RequireFile(t, "/usr/include/stdsoap2.h", "libgsoap-dev")
	s := startServer(t)
	dir := t.TempDir()
	peertest.Run(t, dir, "wsdl2h", "-t", peertest.Abs(t, "testdata/gsoap/typemap.dat"), "-o", "netconf.h", s.url+"?wsdl")
	peertest.Run(t, dir, "soapcpp2", "-j", "-C", "-x", "-L", "-I/usr/share/gsoap/import", "netconf.h")
	peertest.Run(t, dir, "g++", "-o", "client", "-I.", "soapC.cpp", "soapnetconfBindingProxy.cpp",
		peertest.Abs(t, "testdata/gsoap/client.cpp"), "-lgsoap++")

	out := keyValues(s.session(t, dir, "./client", user, password))
	require.Equal(t, []string{s.url}, out["endpoint"], "the WSDL carries the server's address")
	require.NotEqual(t, []string{"0"}, out["session-id"])
	require.Equal(t, []string{"101"}, out["message-id"])
	require.Len(t, out["data"], 3, "interfaces, system and routing")
	require.Contains(t, strings.Join(out["data"], ""), "<hostname>router1</hostname>")
	require.Equal(t, []string{"ok"}, out["close-session"])
}

// TestJAXWS runs wsimport on the served WSDL (which also compiles the
// generated classes), then compiles and runs a client with them against
// the server at the address the WSDL gives.
func TestJAXWS(t *testing.T) {
	peertest.RequireCommand(t, "wsimport", "jaxws")
	peertest.RequireCommand(t, "javac", "default-jdk-headless")
	s := startServer(t)
	dir := t.TempDir()
	for _, d := range []string{"classes", "src", "client"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	peertest.Run(t, dir, "wsimport", "-quiet", "-d", "classes", "-s", "src", s.url+"?wsdl")
	jar := func(names ...string) string {
		var p []string
		for _, n := range names {
			p = append(p, "/usr/share/java/"+n+".jar")
		}
		return strings.Join(p, ":")
	}
	compile := "classes:" + jar("jaxb-api", "jaxws-api", "jws-api", "javax.activation")
	peertest.Run(t, dir, "javac", "-d", "client", "-cp", compile, peertest.Abs(t, "testdata/jaxws/Client.java"))
	runtime := "client:" + compile + ":" + jar("jaxb-runtime", "jaxb-core", "istack-commons-runtime", "jaxws-rt")
	out := keyValues(s.session(t, dir, "java", "-cp", runtime, "Client", user, password))

	require.Equal(t, []string{s.url}, out["endpoint"], "the WSDL carries the server's address")
	require.NotEqual(t, []string{"null"}, out["session-id"])
	require.Equal(t, []string{"101"}, out["message-id"])
	require.Contains(t, out["data"][0], "<hostname>router1</hostname>")
	require.Equal(t, []string{"ok"}, out["edit-config"])
	require.Contains(t, out["verify"][0], "<hostname>jaxws-edited</hostname>")
	require.Equal(t, []string{"ok"}, out["close-session"])
}
