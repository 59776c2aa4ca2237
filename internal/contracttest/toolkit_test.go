package contracttest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/ncsoap/ncsoap/internal/peertest"
	"github.com/stretchr/testify/require"
)

const wsdlPath = "../../wsdl/netconf-soap.wsdl"

// requireValid validates XML files against xsd/ with xmllint.
func requireValid(t *testing.T, files ...string) {
	t.Helper()
	xmllint := peertest.RequireCommand(t, "xmllint", "libxml2-utils")
	args := append([]string{"--noout", "--schema", peertest.Abs(t, "testdata/all.xsd")}, files...)
	out, err := exec.Command(xmllint, args...).CombinedOutput()
	require.NoError(t, err, "xmllint:\n%s", out)
}

// TestZeep loads the WSDL with python zeep and builds typed hello and
// rpc/get-config requests for both SOAP bindings.
func TestZeep(t *testing.T) {
	peertest.RequirePythonModule(t, "zeep", "python3-zeep")
	out := t.TempDir()
	peertest.Run(t, ".", peertest.Python, "testdata/zeep/smoke.py", peertest.Abs(t, wsdlPath), out)

	files, err := filepath.Glob(filepath.Join(out, "*.xml"))
	require.NoError(t, err)
	require.Len(t, files, 3)
	requireValid(t, files...)

	gc := readXML(t, filepath.Join(out, "get-config.xml"))
	require.Equal(t, "101", gc.SelectAttrValue("message-id", ""))
	require.NotNil(t, gc.FindElement("get-config/source/running"))
	require.Equal(t, "urn:example:top", gc.FindElement("get-config/filter/top").NamespaceURI())
	require.Equal(t, "urn:ietf:params:netconf:base:1.0",
		readXML(t, filepath.Join(out, "hello.xml")).FindElement("capabilities/capability").Text())
	require.Nil(t, readXML(t, filepath.Join(out, "commit-soap12.xml")).FindElement("commit/confirmed"))
	env, err := os.ReadFile(filepath.Join(out, "commit-soap12.env"))
	require.NoError(t, err)
	require.Equal(t, "http://www.w3.org/2003/05/soap-envelope", string(env))
}

// TestGSOAP runs wsdl2h and soapcpp2 on the WSDL, compiles the generated
// C++ proxy with a program that builds a typed get-config, runs it and
// validates its output.
func TestGSOAP(t *testing.T) {
	peertest.RequireCommand(t, "wsdl2h", "gsoap")
	peertest.RequireCommand(t, "soapcpp2", "gsoap")
	peertest.RequireCommand(t, "g++", "g++")
	peertest.RequireFile(t, "/usr/include/stdsoap2.h", "libgsoap-dev")
	dir := t.TempDir()
	peertest.Run(t, dir, "wsdl2h", "-t", peertest.Abs(t, "testdata/gsoap/typemap.dat"), "-o", "netconf.h", peertest.Abs(t, wsdlPath))
	peertest.Run(t, dir, "soapcpp2", "-j", "-C", "-x", "-L", "-I/usr/share/gsoap/import", "netconf.h")
	peertest.Run(t, dir, "g++", "-o", "smoke", "-I.", "soapC.cpp", "soapnetconfBindingProxy.cpp",
		peertest.Abs(t, "testdata/gsoap/smoke.cpp"), "-lgsoap++")
	out := peertest.Run(t, dir, "./smoke")
	f := filepath.Join(dir, "rpc.xml")
	require.NoError(t, os.WriteFile(f, []byte(out), 0o644))
	requireValid(t, f)
	require.NotNil(t, readXML(t, f).FindElement("get-config/source/running"))
}

// TestJAXWS runs wsimport on the WSDL (which also compiles the generated
// classes), then compiles and runs a program that marshals typed hello and
// get-config messages with JAXB.
func TestJAXWS(t *testing.T) {
	peertest.RequireCommand(t, "wsimport", "jaxws")
	peertest.RequireCommand(t, "javac", "default-jdk-headless")
	dir := t.TempDir()
	for _, d := range []string{"classes", "src", "smoke"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	peertest.Run(t, dir, "wsimport", "-quiet", "-d", "classes", "-s", "src", peertest.Abs(t, wsdlPath))
	jar := func(names ...string) string {
		var p []string
		for _, n := range names {
			p = append(p, "/usr/share/java/"+n+".jar")
		}
		return strings.Join(p, ":")
	}
	compile := "classes:" + jar("jaxb-api", "jaxws-api", "jws-api", "javax.activation")
	peertest.Run(t, dir, "javac", "-d", "smoke", "-cp", compile, peertest.Abs(t, "testdata/jaxws/Smoke.java"))
	out := peertest.Run(t, dir, "java", "-cp", "smoke:"+compile+":"+jar("jaxb-runtime", "jaxb-core", "istack-commons-runtime", "jaxws-rt"), "Smoke")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	var files []string
	for i, name := range []string{"hello", "rpc"} {
		f := filepath.Join(dir, name+".xml")
		require.NoError(t, os.WriteFile(f, []byte(lines[i]), 0o644))
		files = append(files, f)
	}
	requireValid(t, files...)
	require.NotNil(t, readXML(t, files[1]).FindElement("get-config/source/running"))
	require.Equal(t, []string{"RpcReplyType", "Netconf"}, lines[2:])
}

func readXML(t *testing.T, path string) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromFile(path))
	return doc.Root()
}
