// Package peertest has the helpers of tests that drive real third-party
// programs (SOAP toolkits, NETCONF clients and servers from Debian). A
// missing peer is installed with apt-get; a test never skips because a
// peer is absent: interoperability nobody checked is not checked.
package peertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Python is Debian's python3, which sees the Debian python packages
// (python3-zeep, python3-ncclient) whatever other python3 comes first on
// PATH.
const Python = "/usr/bin/python3"

// RequirePackage installs Debian package pkg with apt-get when present
// reports false, and fails the test when that is impossible (not root)
// or does not help.
func RequirePackage(t testing.TB, pkg string, present func() bool) {
	t.Helper()
	if present() {
		return
	}
	if os.Geteuid() != 0 {
		t.Fatalf("Debian package %s is missing; run scripts/test.sh as root, which installs it", pkg)
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

// RequireCommand returns the path of command, installing Debian package
// pkg when the command is missing.
func RequireCommand(t testing.TB, command, pkg string) string {
	t.Helper()
	RequirePackage(t, pkg, func() bool { _, err := exec.LookPath(command); return err == nil })
	p, _ := exec.LookPath(command)
	return p
}

// RequireFile installs Debian package pkg when path does not exist.
func RequireFile(t testing.TB, path, pkg string) {
	t.Helper()
	RequirePackage(t, pkg, func() bool { _, err := os.Stat(path); return err == nil })
}

// RequirePythonModule installs Debian package pkg when Python cannot
// import module.
func RequirePythonModule(t testing.TB, module, pkg string) {
	t.Helper()
	RequirePackage(t, pkg, func() bool { return exec.Command(Python, "-c", "import "+module).Run() == nil })
}

// Run runs name with args in dir and returns its combined output,
// failing the test when it fails.
func Run(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Abs returns the absolute form of path.
func Abs(t testing.TB, path string) string {
	t.Helper()
	p, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
