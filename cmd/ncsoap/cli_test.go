package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/client"
)

const hostnameFilter = `<system xmlns="` + usersNS + `"><hostname/></system>`

func hostnameConfig(name string) string {
	return `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><system xmlns="` + usersNS +
		`"><hostname>` + name + `</hostname></system></config>`
}

// TestCommands runs every command, in order, on a fresh server over each
// transport.
func TestCommands(t *testing.T) {
	t.Setenv(envPassword, password)
	filterFile := writeFile(t, "filter.xml", `<filter xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+hostnameFilter+`</filter>`, 0o600)
	configFile := writeFile(t, "config.xml", hostnameConfig("from-file"), 0o600)
	rpcFile := writeFile(t, "rpc.xml", `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="7">`+
		`<get-config><source><candidate/></source><filter>`+hostnameFilter+`</filter></get-config></rpc>`, 0o600)
	badMTU := `<interfaces xmlns="` + ifNS + `"><interface><name>eth0</name><mtu>5</mtu></interface></interfaces>`

	steps := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout []string // substrings of standard output
		stderr []string // substrings of standard error
	}{
		{"hello", "", []string{"hello"}, 0, []string{"<hello", "<session-id>", client.CapBase10, "\n    <capability>"}, nil},
		{"get subtree", "", []string{"get", "--filter", hostnameFilter}, 0,
			[]string{"<data", "\n  <system", "\n    <hostname>router1</hostname>"}, nil},
		{"get-config xpath", "", []string{"get-config", "--source", "running", "--xpath", "/u:system/u:hostname", "--ns", "u=" + usersNS}, 0,
			[]string{"<hostname>router1</hostname>"}, nil},
		{"get-config with-defaults", "", []string{"get-config", "--with-defaults", "report-all",
			"--filter", `<interfaces xmlns="` + ifNS + `"><interface><name>eth1</name><mtu/></interface></interfaces>`}, 0,
			[]string{"<mtu>1500</mtu>"}, nil},
		{"edit-config from stdin", hostnameConfig("cli-edited"), []string{"edit-config", "--target", "candidate",
			"--default-operation", "merge", "--test-option", "test-then-set", "--error-option", "rollback-on-error"}, 0, []string{"ok\n"}, nil},
		{"get-config filter file", "", []string{"get-config", "--source", "candidate", "--filter", filterFile}, 0,
			[]string{"<hostname>cli-edited</hostname>"}, nil},
		{"validate candidate", "", []string{"validate", "candidate"}, 0, []string{"ok\n"}, nil},
		{"validate inline", "", []string{"validate", "--config", hostnameConfig("inline")}, 0, []string{"ok\n"}, nil},
		{"commit confirmed", "", []string{"commit", "--confirmed", "--timeout", "60", "--persist", "p1"}, 0, []string{"ok\n"}, nil},
		{"commit persist-id", "", []string{"commit", "--persist-id", "p1"}, 0, []string{"ok\n"}, nil},
		{"committed", "", []string{"--raw", "get-config", "--filter", hostnameFilter}, 0,
			[]string{"<hostname>cli-edited</hostname>"}, nil},
		{"cancel-commit without one", "", []string{"cancel-commit"}, 1, nil, []string{"rpc-error:", "error-type:"}},
		{"edit-config from file", "", []string{"edit-config", "--target", "candidate", configFile}, 0, []string{"ok\n"}, nil},
		{"rpc file", "", []string{"rpc", rpcFile}, 0, []string{"<rpc-reply", `message-id="`, "<hostname>from-file</hostname>"}, nil},
		{"discard-changes", "", []string{"discard-changes"}, 0, []string{"ok\n"}, nil},
		{"rpc inline", "", []string{"rpc", `<get-config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><source><candidate/></source>` +
			`<filter>` + hostnameFilter + `</filter></get-config>`}, 0, []string{"<hostname>cli-edited</hostname>"}, nil},
		{"lock", "", []string{"lock", "--target", "candidate"}, 0, []string{"ok\n"}, nil},
		{"unlock not held", "", []string{"unlock", "candidate"}, 1, nil, []string{"rpc-error:", "error-severity: error"}},
		{"copy-config", "", []string{"copy-config", "--target", "startup", "--source", "running"}, 0, []string{"ok\n"}, nil},
		{"get-config startup", "", []string{"get-config", "--source", "startup", "--filter", hostnameFilter}, 0,
			[]string{"<hostname>cli-edited</hostname>"}, nil},
		{"copy-config inline", "", []string{"copy-config", "--target", "candidate", "--config", configFile}, 0, []string{"ok\n"}, nil},
		{"delete-config", "", []string{"delete-config", "startup"}, 0, []string{"ok\n"}, nil},
		{"kill-session unknown", "", []string{"kill-session", "4000000"}, 1, nil, []string{"rpc-error:"}},
		{"close-session", "", []string{"close-session"}, 0, []string{"ok\n"}, nil},
		{"invalid edit", "", []string{"edit-config", badMTU}, 1, nil, []string{
			"rpc-error: ", "error-type:     application", "error-severity: error",
			"error-path:     /", "error-message:  ", "bad-element:    mtu",
		}},
	}
	for _, transport := range []string{"http", "https", "ssh"} {
		t.Run(transport, func(t *testing.T) {
			s := startServers(t)
			for _, st := range steps {
				r := s.on(transport, st.stdin, st.args...)
				require.Equal(t, st.code, r.code, "%s: %+v", st.name, r)
				for _, want := range st.stdout {
					require.Contains(t, r.stdout, want, "%s: %+v", st.name, r)
				}
				for _, want := range st.stderr {
					require.Contains(t, r.stderr, want, "%s: %+v", st.name, r)
				}
				if st.code == 0 {
					require.Empty(t, r.stderr, st.name)
				}
			}
			require.Empty(t, s.engine.Sessions(), "every invocation closes its session")
		})
	}
}

// TestLockDeniedOutput checks that every field of an rpc-error is printed.
func TestLockDeniedOutput(t *testing.T) {
	t.Setenv(envPassword, password)
	s := startServers(t)
	ctx := context.Background()
	for _, transport := range []string{"http", "ssh"} {
		t.Run(transport, func(t *testing.T) {
			holder, err := ncsoap.Dial(ctx, s.urls["http"], ncsoap.WithUser(user), ncsoap.WithPassword(password))
			require.NoError(t, err)
			defer holder.Close(ctx)
			require.NoError(t, holder.Lock(ctx, client.Running))

			r := s.on(transport, "", "lock")
			require.Equal(t, exitFailed, r.code, "%+v", r)
			require.Empty(t, r.stdout)
			want := fmt.Sprintf("rpc-error: lock-denied\n"+
				"  error-type:     protocol\n"+
				"  error-tag:      lock-denied\n"+
				"  error-severity: error\n"+
				"  error-message:  %s"+
				"  session-id:     %d\n", messageOf(r.stderr), holder.ID())
			require.Equal(t, want, r.stderr)
		})
	}
}

// messageOf returns the error-message line's value, with its newline.
func messageOf(out string) string {
	_, after, ok := strings.Cut(out, "error-message:  ")
	if !ok {
		return ""
	}
	line, _, _ := strings.Cut(after, "\n")
	return line + "\n"
}

func TestUsageErrors(t *testing.T) {
	t.Setenv(envPassword, password)
	s := startServers(t)
	missing := filepath.Join(t.TempDir(), "missing.xml")
	cases := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no command", nil, "Usage: ncsoap"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown global option", []string{"--frob", "hello"}, "flag provided but not defined: -frob"},
		{"unknown option", []string{"get", "--frob"}, "Run 'ncsoap help get' for usage."},
		{"stray argument", []string{"hello", "extra"}, `hello: unexpected argument "extra"`},
		{"missing file", []string{"edit-config", missing}, "no such file"},
		{"not XML", []string{"edit-config", "<a><b></a>"}, "not well-formed XML"},
		{"no element", []string{"rpc", "-"}, "no XML element"},
		{"two operations", []string{"rpc", "<a/><b/>"}, "want one operation element"},
		{"filter and xpath", []string{"get", "--filter", "<a/>", "--xpath", "/a"}, "exclude each other"},
		{"ns without xpath", []string{"get", "--ns", "a=urn:a"}, "--ns needs --xpath"},
		{"bad ns", []string{"get", "--xpath", "/a:b", "--ns", "a"}, "want prefix=uri"},
		{"xpath filter element", []string{"get", "--filter", `<filter xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" type="xpath" select="/a"/>`}, "use --xpath"},
		{"bad with-defaults", []string{"get", "--with-defaults", "all"}, "--with-defaults"},
		{"bad datastore", []string{"lock", "disk"}, `datastore "disk"`},
		{"datastore twice", []string{"lock", "--target", "running", "candidate"}, "give the datastore once"},
		{"delete-config without target", []string{"delete-config"}, "required"},
		{"copy-config without source", []string{"copy-config", "--target", "startup"}, "--source or --config is required"},
		{"copy-config both", []string{"copy-config", "--target", "startup", "--source", "running", "--config", "<a/>"}, "exclude each other"},
		{"bad default-operation", []string{"edit-config", "--default-operation", "delete", "<a/>"}, "--default-operation"},
		{"bad test-option", []string{"edit-config", "--test-option", "maybe", "<a/>"}, "--test-option"},
		{"bad error-option", []string{"edit-config", "--error-option", "ignore", "<a/>"}, "--error-option"},
		{"timeout without confirmed", []string{"commit", "--timeout", "60"}, "need --confirmed"},
		{"bad timeout", []string{"commit", "--confirmed", "--timeout", "soon"}, "want seconds"},
		{"bad session-id", []string{"kill-session", "zero"}, "session-id"},
		{"password in URL", []string{"--url", "http://admin:pw@127.0.0.1:1/netconf", "hello"}, "never on the command line"},
		{"bad scheme", []string{"--url", "ftp://127.0.0.1/", "hello"}, "must be http, https or ssh"},
		{"ssh key over http", []string{"--url", s.urls["http"], "--ssh-key", "id", "hello"}, "WithKeyFile does not apply to http URLs"},
		{"help unknown", []string{"help", "frobnicate"}, "unknown command"},
		{"session stray argument", []string{"session", "a", "b"}, "unexpected argument"},
		{"session missing script", []string{"session", missing}, "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI("", tc.args...)
			require.Equal(t, exitUsage, r.code, "%+v", r)
			require.Contains(t, r.stderr, tc.stderr)
			require.Empty(t, s.engine.Sessions(), "nothing is sent after a usage error")
		})
	}
}

func TestConnectionErrors(t *testing.T) {
	s := startServers(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String() + "/netconf"
	require.NoError(t, l.Close())
	cases := []struct {
		name     string
		password string
		args     []string
		stderr   string
	}{
		{"refused", password, []string{"--url", closed, "hello"}, "connection refused"},
		{"wrong password over http", "wrong", []string{"--url", s.urls["http"], "hello"}, "401"},
		{"wrong password over ssh", "wrong", []string{"--url", s.urls["ssh"], "--insecure", "hello"}, "unable to authenticate"},
		{"untrusted certificate", password, []string{"--url", s.urls["https"], "hello"}, "certificate"},
		{"wrong host key", password, []string{"--url", s.urls["ssh"], "--host-key-fingerprint", "SHA256:x", "hello"}, "does not match"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envPassword, tc.password)
			r := runCLI("", tc.args...)
			require.Equal(t, exitConnection, r.code, "%+v", r)
			require.Contains(t, r.stderr, "ncsoap: cannot connect to ")
			require.Contains(t, r.stderr, tc.stderr)
		})
	}
}

// TestSessionLost kills a session from another one while a script runs
// on it: the next command reports the lost session with exit code 3.
func TestSessionLost(t *testing.T) {
	t.Setenv(envPassword, password)
	s := startServers(t)
	ctx := context.Background()
	for _, transport := range []string{"http", "ssh"} {
		t.Run(transport, func(t *testing.T) {
			other, err := ncsoap.Dial(ctx, s.urls["http"], ncsoap.WithUser(user), ncsoap.WithPassword(password))
			require.NoError(t, err)
			defer other.Close(ctx)
			pr, pw, err := os.Pipe()
			require.NoError(t, err)
			defer pr.Close()
			done := make(chan result, 1)
			go func() {
				var out, errOut strings.Builder
				args := append(append([]string{"--url", s.urls[transport]}, s.flags[transport]...), "session")
				code := run(ctx, args, pr, &out, &errOut)
				done <- result{out.String(), errOut.String(), code}
			}()
			_, err = pw.WriteString("hello\n")
			require.NoError(t, err)
			var victim uint32
			require.Eventually(t, func() bool {
				for _, id := range s.engine.Sessions() {
					if id != other.ID() {
						victim = id
						return true
					}
				}
				return false
			}, 10*time.Second, time.Millisecond)
			require.NoError(t, other.KillSession(ctx, victim))
			_, err = pw.WriteString("get-config\n")
			require.NoError(t, err)
			require.NoError(t, pw.Close())
			r := <-done
			require.Equal(t, exitConnection, r.code, "%+v", r)
			require.Contains(t, r.stderr, "session lost")
		})
	}
}

func TestPasswordSources(t *testing.T) {
	s := startServers(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "creds")
	require.NoError(t, os.WriteFile(creds, []byte("# lab\noperator:x\n"+user+":"+password+"\n"), 0o600))
	open := filepath.Join(dir, "open")
	require.NoError(t, os.WriteFile(open, []byte(user+":"+password+"\n"), 0o600))
	require.NoError(t, os.Chmod(open, 0o644))
	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"env", map[string]string{envPassword: password}, []string{"hello"}, 0, ""},
		{"credentials file", nil, []string{"--credentials", creds, "hello"}, 0, ""},
		{"credentials file wins over env", map[string]string{envPassword: "wrong"}, []string{"--credentials", creds, "hello"}, 0, ""},
		{"user from env", map[string]string{envUser: "operator"}, []string{"--credentials", creds, "hello"}, exitConnection, "401"},
		{"user option wins", map[string]string{envUser: "operator"}, []string{"--user", user, "--credentials", creds, "hello"}, 0, ""},
		{"user missing from file", nil, []string{"--user", "nobody", "--credentials", creds, "hello"}, exitUsage, `no line for user "nobody"`},
		{"file readable by others", nil, []string{"--credentials", open, "hello"}, exitUsage, "chmod 600"},
		{"missing file", nil, []string{"--credentials", filepath.Join(dir, "none"), "hello"}, exitUsage, "no such file"},
		{"no password", nil, []string{"hello"}, exitUsage, "no password for admin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unsetenv(t, envPassword)
			unsetenv(t, envUser)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			for _, transport := range []string{"http", "ssh"} {
				r := s.on(transport, "", tc.args...)
				if transport == "ssh" && tc.msg == "401" {
					tc.msg = "unable to authenticate"
				}
				require.Equal(t, tc.code, r.code, "%s: %+v", transport, r)
				require.Contains(t, r.stderr, tc.msg, transport)
			}
		})
	}
}

// TestClientCertificate logs in over https with a TLS client certificate
// and no password.
func TestClientCertificate(t *testing.T) {
	s := startServers(t)
	unsetenv(t, envPassword)
	r := s.on("https", "", "--cert", s.certFile, "--cert-key", s.keyFile, "get-config", "--filter", hostnameFilter)
	require.Equal(t, exitOK, r.code, "%+v", r)
	require.Contains(t, r.stdout, "<hostname>router1</hostname>")
}

// TestURLAndUser checks where the URL and the user come from.
func TestURLAndUser(t *testing.T) {
	s := startServers(t)
	creds := writeFile(t, "creds", user+":"+password+"\noperator:x\n", 0o600)
	t.Setenv(envPassword, password)
	t.Setenv(envURL, s.urls["http"])
	unsetenv(t, envUser)

	r := runCLI("", "hello")
	require.Equal(t, exitOK, r.code, "$NCSOAP_URL is the default: %+v", r)

	withUser := strings.Replace(s.urls["http"], "http://", "http://operator@", 1)
	r = runCLI("", "--url", withUser, "--credentials", creds, "hello")
	require.Equal(t, exitConnection, r.code, "the URL's user logs in: %+v", r)
	require.Contains(t, r.stderr, "401")
	require.NotContains(t, r.stderr, password)

	r = runCLI("", "--url", withUser, "--user", user, "--credentials", creds, "hello")
	require.Equal(t, exitOK, r.code, "--user wins over the URL: %+v", r)

	sshWithUser := strings.Replace(s.urls["ssh"], "ssh://", "ssh://operator@", 1)
	r = runCLI("", "--url", sshWithUser, "--insecure", "--credentials", creds, "hello")
	require.Equal(t, exitConnection, r.code, "%+v", r)
}

// unsetenv unsets key for the duration of the test.
func unsetenv(t *testing.T, key string) {
	t.Setenv(key, "")
	require.NoError(t, os.Unsetenv(key))
}

func TestHelp(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "Exit status: 0 success"},
		{[]string{"-h"}, "Global options (before the command):\n  --agent"},
		{[]string{"help"}, "session [SCRIPT]"},
		{[]string{"help", "edit-config"}, "--default-operation OP"},
		{[]string{"help", "session"}, "tab"},
		{[]string{"commit", "--help"}, "--persist-id ID"},
		{[]string{"session", "--help"}, "Example script:"},
		{[]string{"help", "lock"}, "the DS (default running)"},
		{[]string{"help", "get-config"}, "--source DS\n        the DS to read (default running)"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runCLI("", tc.args...)
			require.Equal(t, exitOK, r.code, "%+v", r)
			require.Contains(t, r.stdout, tc.want)
			require.Empty(t, r.stderr)
		})
	}
	for _, c := range commands {
		r := runCLI("", "help", c.name)
		require.Equal(t, exitOK, r.code)
		require.Contains(t, r.stdout, "Usage: ncsoap [GLOBAL OPTIONS] "+c.name)
	}
}
