package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/client"
)

// workflow is the whole NMS workflow on one session: the lock, the
// candidate change and the confirmed commit all belong to it.
const workflow = `# change the hostname safely
lock candidate
lock running
edit-config --target candidate '<system xmlns="` + usersNS + `"><hostname>scripted</hostname></system>'
validate candidate
commit --confirmed --timeout 120
get-config --filter "<system xmlns=\"` + usersNS + `\"><hostname/></system>"
commit
unlock candidate
unlock running

close-session
get-config
`

func TestSessionScript(t *testing.T) {
	t.Setenv(envPassword, password)
	for _, transport := range []string{"http", "https", "ssh"} {
		t.Run(transport, func(t *testing.T) {
			s := startServers(t)
			script := writeFile(t, "workflow.txt", workflow, 0o600)
			r := s.on(transport, "", "session", script)
			require.Equal(t, exitOK, r.code, "%+v", r)
			require.Empty(t, r.stderr)
			before, after, ok := strings.Cut(r.stdout, "<data ")
			require.True(t, ok, r.stdout)
			require.Equal(t, strings.Repeat("ok\n", 5), before)
			require.Contains(t, after, `>
  <system xmlns="`+usersNS+`">
    <hostname>scripted</hostname>
  </system>
</data>
`+strings.Repeat("ok\n", 4))
			require.True(t, strings.HasSuffix(r.stdout, "</data>\n"+strings.Repeat("ok\n", 4)), "close-session ends the script")
			require.Empty(t, s.engine.Sessions())

			r = s.on(transport, "", "get-config", "--filter", hostnameFilter)
			require.Contains(t, r.stdout, "<hostname>scripted</hostname>", "the commit was confirmed")
		})
	}
}

// TestSessionScriptFromStdin reads the script from standard input and
// checks that the lock belongs to the script's session.
func TestSessionScriptFromStdin(t *testing.T) {
	t.Setenv(envPassword, password)
	s := startServers(t)
	ctx := context.Background()
	other, err := ncsoap.Dial(ctx, s.urls["http"], ncsoap.WithUser(user), ncsoap.WithPassword(password))
	require.NoError(t, err)
	defer other.Close(ctx)

	r := s.on("ssh", "lock candidate\nhello\n", "session")
	require.Equal(t, exitOK, r.code, "%+v", r)
	require.Contains(t, r.stdout, "<session-id>")
	require.NoError(t, other.Lock(ctx, client.Candidate), "the lock ended with the script's session")

	r = s.on("http", "hello\n", "session", "-")
	require.Equal(t, exitOK, r.code, "%+v", r)
}

func TestSessionScriptErrors(t *testing.T) {
	t.Setenv(envPassword, password)
	s := startServers(t)
	cases := []struct {
		name   string
		script string
		code   int
		stdout string
		stderr string
	}{
		{"rpc-error stops", "lock\nunlock candidate\nlock\n", exitFailed, "ok\n", "script.txt:2: rpc-error: "},
		{"usage error stops", "lock\nget --frob\nunlock\n", exitUsage, "ok\n", "script.txt:2: ncsoap: get: flag provided but not defined: -frob"},
		{"unknown command", "\n\nfrob\n", exitUsage, "", `script.txt:3: ncsoap: unknown command "frob"`},
		{"bad quoting", "get --filter '<a/>\n", exitUsage, "", "script.txt:1: ncsoap: unterminated ' quote"},
		{"no stdin in a session", "edit-config\n", exitUsage, "", "standard input is not available here"},
		{"help", "help\nhelp lock\ncommit --help\n", exitOK, "Usage: ncsoap [GLOBAL OPTIONS] commit", ""},
		{"unknown help", "help frob\n", exitUsage, "", `script.txt:1: ncsoap: unknown command "frob"`},
		{"exit", "lock\nexit\nfrob\n", exitOK, "ok\n", ""},
		{"quit", "quit\nfrob\n", exitOK, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			script := writeFile(t, "script.txt", tc.script, 0o600)
			r := s.on("http", "", "session", script)
			require.Equal(t, tc.code, r.code, "%+v", r)
			require.Contains(t, r.stdout, tc.stdout)
			require.Contains(t, r.stderr, tc.stderr)
			if tc.stderr == "" {
				require.Empty(t, r.stderr)
			}
		})
	}
}

// terminal is the far side of a terminal: what the user types and what
// the screen shows.
type terminal struct {
	in  io.Reader
	out bytes.Buffer
}

func (t *terminal) Read(p []byte) (int, error)  { return t.in.Read(p) }
func (t *terminal) Write(p []byte) (int, error) { return t.out.Write(p) }

func TestInteractive(t *testing.T) {
	t.Setenv(envPassword, password)
	s := startServers(t)
	ctx := context.Background()
	sess, err := ncsoap.Dial(ctx, s.urls["http"], ncsoap.WithUser(user), ncsoap.WithPassword(password))
	require.NoError(t, err)
	defer sess.Close(ctx)

	typed := "lock candidate\r" +
		"unlock running\r" + // fails; the prompt returns
		"get-con\t--filter '" + hostnameFilter + "'\r" +
		"disc\t\r" + // completes to discard-changes
		"frob\r" +
		"\x1b[A\x1b[A\r" + // up twice, past frob: discard-changes again
		"'unterminated\r" +
		"\r" +
		"exit\r" +
		"hello\r"
	term := &terminal{in: strings.NewReader(typed)}
	a := &app{}
	require.Equal(t, exitOK, a.interactive(ctx, sess, term))
	screen := strings.ReplaceAll(term.out.String(), "\r\n", "\n")
	require.Contains(t, screen, "netconf[")
	require.Contains(t, screen, "rpc-error: ")
	require.Contains(t, screen, "<hostname>router1</hostname>")
	require.Equal(t, 3, strings.Count(screen, "ok\n"), screen)
	require.Contains(t, screen, `unknown command "frob"`)
	require.Contains(t, screen, "unterminated ' quote")
	require.NotContains(t, screen, "<session-id>", "exit ends the loop")
}

func TestComplete(t *testing.T) {
	cases := []struct {
		line       string
		pos        int
		wantLine   string
		wantPos    int
		candidates []string
	}{
		{"disc", 4, "discard-changes ", 16, []string{"discard-changes"}},
		{"get", 3, "get", 3, []string{"get", "get-config"}},
		{"c", 1, "c", 1, []string{"cancel-commit", "close-session", "commit", "copy-config"}},
		{"co", 2, "co", 2, []string{"commit", "copy-config"}},
		{"ed", 2, "edit-config ", 12, []string{"edit-config"}},
		{"ed --target x", 2, "edit-config --target x", 12, []string{"edit-config"}},
		{"ki", 2, "kill-session ", 13, []string{"kill-session"}},
		{"ex", 2, "exit ", 5, []string{"exit"}},
		{"lock can", 8, "lock can", 8, nil},
		{"zz", 2, "zz", 2, nil},
		{"un", 2, "unlock ", 7, []string{"unlock"}},
		{"val", 1, "validate al", 9, []string{"validate"}},
	}
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			line, pos, candidates := complete(tc.line, tc.pos)
			require.Equal(t, tc.wantLine, line)
			require.Equal(t, tc.wantPos, pos)
			require.Equal(t, tc.candidates, candidates)
		})
	}
}

func TestSplitLine(t *testing.T) {
	cases := []struct {
		line string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"   ", nil, ""},
		{"# comment", nil, ""},
		{"  # indented comment", nil, ""},
		{"lock candidate", []string{"lock", "candidate"}, ""},
		{"  lock\t candidate  \r", []string{"lock", "candidate"}, ""},
		{`get --filter '<a x="1"/>'`, []string{"get", "--filter", `<a x="1"/>`}, ""},
		{`get --filter "<a x=\"1\"/>"`, []string{"get", "--filter", `<a x="1"/>`}, ""},
		{`a'b c'd`, []string{"ab cd"}, ""},
		{`a\ b`, []string{"a b"}, ""},
		{`''`, []string{""}, ""},
		{`'a\b'`, []string{`a\b`}, ""},
		{"lock # not a comment", []string{"lock", "#", "not", "a", "comment"}, ""},
		{"a#b", []string{"a#b"}, ""},
		{"'open", nil, "unterminated ' quote"},
		{`"open`, nil, `unterminated " quote`},
		{`end\`, nil, "a backslash ends the line"},
	}
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			got, err := splitLine(tc.line)
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
