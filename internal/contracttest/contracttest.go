// Package contracttest checks the service contract (wsdl/, xsd/) and the
// types generated from it (gen/) against the schemas with xmllint and
// against the SOAP toolkits users build clients with: python zeep, gSOAP
// and JAX-WS. It has tests only, and the helpers they share.
package contracttest

import (
	"os"
	"os/exec"
	"testing"
)

// requirePackage installs Debian package pkg with apt-get when present
// reports false. It fails the test, never skips it, when the package cannot
// be installed: a contract that no toolkit has checked is not checked.
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

// requireCommand returns the path of command, installing Debian package
// pkg when the command is missing.
func requireCommand(t testing.TB, command, pkg string) string {
	t.Helper()
	requirePackage(t, pkg, func() bool { _, err := exec.LookPath(command); return err == nil })
	p, _ := exec.LookPath(command)
	return p
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

func requireXmllint(t testing.TB) string { return requireCommand(t, "xmllint", "libxml2-utils") }
