package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/ncsoap/ncsoap/client"
)

// maxScriptLine bounds one line of a session script.
const maxScriptLine = 1 << 20

// Commands of a session besides the operations.
var sessionBuiltins = []string{"help", "exit", "quit"}

func sessionHelp(w io.Writer) {
	fmt.Fprint(w, `Usage: ncsoap [GLOBAL OPTIONS] session [SCRIPT]

Run several commands over one NETCONF session: its locks, candidate changes
and confirmed commits last until the session ends.

With SCRIPT, or with standard input that is not a terminal, the commands are
read one a line, in the syntax of the command line without "ncsoap": words
separated by spaces, 'single' or "double" quotes around words with spaces,
a backslash before a character to take it literally, and # starting a
comment line. The script stops at the first failing command, with its exit
code. SCRIPT "-" is standard input.

On a terminal, commands are read at a prompt with line editing, history
(up and down arrows) and completion of command names (tab). A failing
command is reported and the prompt returns.

"close-session", "exit", "quit" and the end of input end the session;
"help [COMMAND]" describes the commands.

Example script:
  lock candidate
  edit-config --target candidate change.xml
  validate candidate
  commit --confirmed --timeout 120
  get-config --filter '<system xmlns="http://ncsoap.dev/ns/example-users"/>'
  commit
  unlock candidate
`)
}

// session runs "ncsoap session [SCRIPT]".
func (a *app) session(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("session", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rest, err := parseInterleaved(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		sessionHelp(a.stdout)
		return exitOK
	case err != nil:
		return a.report(usagef("session", "session: %v", err), a.stderr)
	case len(rest) > 1:
		return a.report(usagef("session", "session: unexpected argument %q", rest[1]), a.stderr)
	}

	var script io.Reader
	name := "standard input"
	if len(rest) == 1 && rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return a.report(usagef("session", "session: %v", err), a.stderr)
		}
		defer f.Close()
		script, name = f, rest[0]
	} else if f, ok := a.stdin.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) || len(rest) == 1 {
		script = a.stdin
	}

	sess, err := a.dial(ctx)
	if err != nil {
		return a.report(err, a.stderr)
	}
	defer sess.Close(ctx)
	if script != nil {
		return a.runScript(ctx, sess, script, name)
	}
	f := a.stdin.(*os.File)
	old, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return a.report(fmt.Errorf("terminal: %w", err), a.stderr)
	}
	defer term.Restore(int(f.Fd()), old)
	return a.interactive(ctx, sess, struct {
		io.Reader
		io.Writer
	}{f, a.stdout})
}

// runScript runs the commands of a script on sess and returns the exit
// code of the first that fails, or 0.
func (a *app) runScript(ctx context.Context, sess *client.Session, script io.Reader, name string) int {
	sc := bufio.NewScanner(script)
	sc.Buffer(make([]byte, 0, 4096), maxScriptLine)
	o := &output{stdout: a.stdout, stderr: a.stderr, raw: a.g.raw}
	for n := 1; sc.Scan(); n++ {
		words, err := splitLine(sc.Text())
		if err != nil {
			fmt.Fprintf(a.stderr, "%s:%d: ", name, n)
			return a.report(usagef("session", "%v", err), a.stderr)
		}
		if len(words) == 0 {
			continue
		}
		code, end := a.line(ctx, sess, words, o, fmt.Sprintf("%s:%d: ", name, n))
		if code != exitOK || end {
			return code
		}
	}
	if err := sc.Err(); err != nil {
		return a.report(usagef("session", "%s: %v", name, err), a.stderr)
	}
	return exitOK
}

// interactive reads commands at a prompt on the terminal rw until the
// session ends.
func (a *app) interactive(ctx context.Context, sess *client.Session, rw io.ReadWriter) int {
	t := term.NewTerminal(rw, fmt.Sprintf("netconf[%d]> ", sess.ID()))
	t.AutoCompleteCallback = func(line string, pos int, key rune) (string, int, bool) {
		if key != '\t' {
			return "", 0, false
		}
		newLine, newPos, candidates := complete(line, pos)
		if len(candidates) > 1 && newLine == line {
			fmt.Fprintln(t, strings.Join(candidates, "  "))
		}
		return newLine, newPos, true
	}
	o := &output{stdout: t, stderr: t, raw: a.g.raw}
	for {
		line, err := t.ReadLine()
		if err != nil {
			return exitOK
		}
		words, err := splitLine(line)
		if err != nil {
			fmt.Fprintf(t, "ncsoap: %v\n", err)
			continue
		}
		if len(words) == 0 {
			continue
		}
		if _, end := a.line(ctx, sess, words, o, ""); end {
			return exitOK
		}
	}
}

// line runs one session line. It reports the exit code and whether the
// session has ended; failures are printed after where.
func (a *app) line(ctx context.Context, sess *client.Session, words []string, o *output, where string) (code int, end bool) {
	name, args := words[0], words[1:]
	switch name {
	case "exit", "quit":
		return exitOK, true
	case "help":
		switch {
		case len(args) == 0:
			fmt.Fprintln(o.stdout, "Commands:")
			for _, c := range commands {
				fmt.Fprintf(o.stdout, "  %-16s %s\n", c.name, c.summary)
			}
			fmt.Fprintf(o.stdout, "  %-16s %s\n", "help [COMMAND]", "describe the commands")
			fmt.Fprintf(o.stdout, "  %-16s %s\n", "exit, quit", "end the session")
		case lookup(args[0]) != nil:
			lookup(args[0]).help(o.stdout)
		default:
			fmt.Fprint(o.stderr, where)
			return a.report(usagef("", "unknown command %q", args[0]), o.stderr), false
		}
		return exitOK, false
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprint(o.stderr, where)
		return a.report(usagef("session", "unknown command %q", name), o.stderr), false
	}
	act, err := parseCommand(cmd, args, nil)
	if errors.Is(err, flag.ErrHelp) {
		cmd.help(o.stdout)
		return exitOK, false
	}
	if err == nil {
		err = act(ctx, sess, o)
	}
	if err != nil {
		fmt.Fprint(o.stderr, where)
		code := a.report(err, o.stderr)
		return code, code == exitConnection
	}
	o.warnings(sess.Warnings())
	return exitOK, name == "close-session"
}

// complete completes the command name before pos in line. It returns the
// new line and cursor position, and the names that match.
func complete(line string, pos int) (string, int, []string) {
	head := line[:pos]
	if strings.ContainsAny(head, " \t") {
		return line, pos, nil
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	names = append(names, sessionBuiltins...)
	var matches []string
	for _, n := range names {
		if strings.HasPrefix(n, head) {
			matches = append(matches, n)
		}
	}
	slices.Sort(matches)
	switch len(matches) {
	case 0:
		return line, pos, nil
	case 1:
		rest := strings.TrimLeft(line[pos:], " ")
		return matches[0] + " " + rest, len(matches[0]) + 1, matches
	}
	common := matches[0]
	for _, m := range matches[1:] {
		for !strings.HasPrefix(m, common) {
			common = common[:len(common)-1]
		}
	}
	return common + line[pos:], len(common), matches
}

// splitLine splits a script line into words as a shell does: spaces
// separate words, quotes group them, a backslash outside single quotes
// takes the next character literally, and a line whose first word starts
// with # is a comment.
func splitLine(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case quote == '"':
			if r == '"' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord && len(words) == 0:
			return nil, nil
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	switch {
	case escaped:
		return nil, errors.New("a backslash ends the line")
	case quote != 0:
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
