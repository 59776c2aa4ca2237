package soapinterop

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/soapserver"
)

const (
	user     = "admin"
	password = "s3cret"
)

var users = sync.OnceValue(func() *auth.Users {
	u := auth.NewMemory()
	if err := u.SetPassword(user, password); err != nil {
		panic(err)
	}
	return u
})

// server is a running soapserver over the example modules that counts
// the connections it accepts.
type server struct {
	engine   *netconfcore.Server
	url      string // the service URL; the WSDL is at url + "?wsdl"
	accepted atomic.Int32
}

type countingListener struct {
	net.Listener
	n *atomic.Int32
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

func startServer(t *testing.T) *server {
	t.Helper()
	ctx := context.Background()
	set, err := schema.Load(schema.Options{})
	require.NoError(t, err)
	store, err := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig()})
	require.NoError(t, err)
	quiet := slog.New(slog.DiscardHandler)
	engine, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store, Logger: quiet})
	require.NoError(t, err)
	t.Cleanup(func() { engine.Shutdown(context.Background()) })

	s := &server{engine: engine}
	soap := soapserver.New(engine, users(), soapserver.Options{Logger: quiet})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go soap.Serve(countingListener{Listener: l, n: &s.accepted})
	t.Cleanup(func() { soap.Close() })
	s.url = "http://" + l.Addr().String() + "/netconf"
	return s
}

// session runs a toolkit client, which must open exactly one connection
// for its whole session, and returns its output.
func (s *server) session(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	before := s.accepted.Load()
	out := run(t, dir, name, args...)
	require.EqualValues(t, 1, s.accepted.Load()-before, "the client must use one TCP connection for its session:\n%s", out)
	require.Empty(t, s.engine.Sessions(), "the session must have ended")
	return out
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
	return string(out)
}

func abs(t *testing.T, path string) string {
	t.Helper()
	p, err := filepath.Abs(path)
	require.NoError(t, err)
	return p
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
	requirePythonModule(t, "zeep", "python3-zeep")
	s := startServer(t)
	out := s.session(t, ".", "/usr/bin/python3", "testdata/zeep/client.py", s.url+"?wsdl", user, password)
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
	requireCommand(t, "wsdl2h", "gsoap")
	requireCommand(t, "soapcpp2", "gsoap")
	requireCommand(t, "g++", "g++")
	requireFile(t, "/usr/include/stdsoap2.h", "libgsoap-dev")
	s := startServer(t)
	dir := t.TempDir()
	run(t, dir, "wsdl2h", "-t", abs(t, "testdata/gsoap/typemap.dat"), "-o", "netconf.h", s.url+"?wsdl")
	run(t, dir, "soapcpp2", "-j", "-C", "-x", "-L", "-I/usr/share/gsoap/import", "netconf.h")
	run(t, dir, "g++", "-o", "client", "-I.", "soapC.cpp", "soapnetconfBindingProxy.cpp",
		abs(t, "testdata/gsoap/client.cpp"), "-lgsoap++")

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
	requireCommand(t, "wsimport", "jaxws")
	requireCommand(t, "javac", "default-jdk-headless")
	s := startServer(t)
	dir := t.TempDir()
	for _, d := range []string{"classes", "src", "client"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	run(t, dir, "wsimport", "-quiet", "-d", "classes", "-s", "src", s.url+"?wsdl")
	jar := func(names ...string) string {
		var p []string
		for _, n := range names {
			p = append(p, "/usr/share/java/"+n+".jar")
		}
		return strings.Join(p, ":")
	}
	compile := "classes:" + jar("jaxb-api", "jaxws-api", "jws-api", "javax.activation")
	run(t, dir, "javac", "-d", "client", "-cp", compile, abs(t, "testdata/jaxws/Client.java"))
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
