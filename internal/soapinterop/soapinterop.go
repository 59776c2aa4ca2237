// Package soapinterop runs real SOAP toolkits against a running
// soapserver: python zeep, gSOAP (wsdl2h, soapcpp2, g++) and JAX-WS
// (wsimport, javac, java), each building its client from the WSDL the
// server serves at <path>?wsdl and driving one NETCONF session over one
// keep-alive connection. It has tests only, and the helpers they share.
package soapinterop

import (
	"os"
	"os/exec"
	"testing"
)

// requirePackage installs Debian package pkg with apt-get when present
// reports false. It fails the test, never skips it, when the package
// cannot be installed: interoperability that no toolkit has checked is
// not checked.
func requirePackage(t testing.TB, pkg string, present func() bool) {
	t.Helper()
	if present() {
		return
	}
	if os.Geteuid() != 0 {
		t.Fatalf("Debian package %s is missing; run make test-deps as root", pkg)
	}
	cmd := exec.Command("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get install %s: %v\n%s", pkg, err, out)
	}
	if !present() {
		t.Fatalf("Debian package %s installed but still not usable", pkg)
	}
}

// requireCommand installs Debian package pkg when command is missing.
func requireCommand(t testing.TB, command, pkg string) {
	t.Helper()
	requirePackage(t, pkg, func() bool { _, err := exec.LookPath(command); return err == nil })
}

// requireFile installs Debian package pkg when path does not exist.
func requireFile(t testing.TB, path, pkg string) {
	t.Helper()
	requirePackage(t, pkg, func() bool { _, err := os.Stat(path); return err == nil })
}

// requirePythonModule installs Debian package pkg when the system python3
// cannot import module.
func requirePythonModule(t testing.TB, module, pkg string) {
	t.Helper()
	requirePackage(t, pkg, func() bool { return exec.Command("/usr/bin/python3", "-c", "import "+module).Run() == nil })
}
