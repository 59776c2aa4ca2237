package contracttest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

const wsdlPath = "../../wsdl/netconf-soap.wsdl"

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
	return string(out)
}

func abs(t *testing.T, path string) string {
	p, err := filepath.Abs(path)
	require.NoError(t, err)
	return p
}

// requireValid validates XML files against xsd/ with xmllint.
func requireValid(t *testing.T, files ...string) {
	t.Helper()
	xmllint := requireXmllint(t)
	args := append([]string{"--noout", "--schema", abs(t, "testdata/all.xsd")}, files...)
	out, err := exec.Command(xmllint, args...).CombinedOutput()
	require.NoError(t, err, "xmllint:\n%s", out)
}

// TestZeep loads the WSDL with python zeep and builds typed hello and
// rpc/get-config requests for both SOAP bindings.
func TestZeep(t *testing.T) {
	requirePythonModule(t, "zeep", "python3-zeep")
	out := t.TempDir()
	run(t, ".", "/usr/bin/python3", "testdata/zeep/smoke.py", abs(t, wsdlPath), out)

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
	requireCommand(t, "wsdl2h", "gsoap")
	requireCommand(t, "soapcpp2", "gsoap")
	requireCommand(t, "g++", "g++")
	requireFile(t, "/usr/include/stdsoap2.h", "libgsoap-dev")
	dir := t.TempDir()
	run(t, dir, "wsdl2h", "-t", abs(t, "testdata/gsoap/typemap.dat"), "-o", "netconf.h", abs(t, wsdlPath))
	run(t, dir, "soapcpp2", "-j", "-C", "-x", "-L", "-I/usr/share/gsoap/import", "netconf.h")
	run(t, dir, "g++", "-o", "smoke", "-I.", "soapC.cpp", "soapnetconfBindingProxy.cpp",
		abs(t, "testdata/gsoap/smoke.cpp"), "-lgsoap++")
	out := run(t, dir, "./smoke")
	f := filepath.Join(dir, "rpc.xml")
	require.NoError(t, os.WriteFile(f, []byte(out), 0o644))
	requireValid(t, f)
	require.NotNil(t, readXML(t, f).FindElement("get-config/source/running"))
}

// TestJAXWS runs wsimport on the WSDL (which also compiles the generated
// classes), then compiles and runs a program that marshals typed hello and
// get-config messages with JAXB.
func TestJAXWS(t *testing.T) {
	requireCommand(t, "wsimport", "jaxws")
	requireCommand(t, "javac", "default-jdk-headless")
	dir := t.TempDir()
	for _, d := range []string{"classes", "src", "smoke"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	run(t, dir, "wsimport", "-quiet", "-d", "classes", "-s", "src", abs(t, wsdlPath))
	jar := func(names ...string) string {
		var p []string
		for _, n := range names {
			p = append(p, "/usr/share/java/"+n+".jar")
		}
		return strings.Join(p, ":")
	}
	compile := "classes:" + jar("jaxb-api", "jaxws-api", "jws-api", "javax.activation")
	run(t, dir, "javac", "-d", "smoke", "-cp", compile, abs(t, "testdata/jaxws/Smoke.java"))
	out := run(t, dir, "java", "-cp", "smoke:"+compile+":"+jar("jaxb-runtime", "jaxb-core", "istack-commons-runtime", "jaxws-rt"), "Smoke")
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
