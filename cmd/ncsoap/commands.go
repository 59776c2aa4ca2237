package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/internal/nsxml"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// maxInput bounds an XML input: a configuration, filter or rpc file.
const maxInput = 64 << 20

// action runs one parsed command on a session.
type action func(ctx context.Context, s *client.Session, o *output) error

// command is one NETCONF operation of the command line.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	detail  string
	// setup registers the command's options on fs and returns the
	// function that builds the action from the arguments left after
	// them. stdin is nil where standard input is not available (in a
	// session).
	setup func(fs *flag.FlagSet) func(args []string, stdin io.Reader) (action, error)
}

// commands lists the operations in the order help shows them.
var commands = []*command{
	{name: "hello", summary: "print the server's hello: session-id and capabilities", setup: helloCmd},
	{name: "get", args: "[FILTER OPTIONS]", summary: "retrieve the running configuration and state data", setup: getCmd},
	{name: "get-config", args: "[--source DS] [FILTER OPTIONS]", summary: "retrieve a configuration datastore", setup: getConfigCmd},
	{name: "edit-config", args: "[--target DS] [OPTIONS] [CONFIG]", summary: "change a configuration datastore",
		detail: "CONFIG is the new configuration: a <config> element or its content, the\n" +
			"top-level data nodes with their namespaces. CONFIG defaults to standard input.\n" + xmlArgHelp, setup: editConfigCmd},
	{name: "copy-config", args: "--target DS (--source DS | --config CONFIG)", summary: "replace a datastore with another or with a configuration",
		detail: xmlArgHelp, setup: copyConfigCmd},
	{name: "delete-config", args: "--target DS | DS", summary: "delete a datastore (not running)", setup: targetCmd(func(ctx context.Context, s *client.Session, ds client.Datastore) error {
		return s.DeleteConfig(ctx, ds)
	}, "")},
	{name: "lock", args: "[--target DS | DS]", summary: "lock a datastore for this session (default running)", setup: targetCmd(func(ctx context.Context, s *client.Session, ds client.Datastore) error {
		return s.Lock(ctx, ds)
	}, "running")},
	{name: "unlock", args: "[--target DS | DS]", summary: "release this session's lock (default running)", setup: targetCmd(func(ctx context.Context, s *client.Session, ds client.Datastore) error {
		return s.Unlock(ctx, ds)
	}, "running")},
	{name: "commit", args: "[--confirmed [--timeout T] [--persist ID]] [--persist-id ID]", summary: "commit the candidate configuration to running",
		detail: "A confirmed commit is rolled back unless a later commit confirms it within the\n" +
			"timeout. With --persist it outlives this session and is confirmed, from any\n" +
			"session, by commit --persist-id ID.", setup: commitCmd},
	{name: "cancel-commit", args: "[--persist-id ID]", summary: "roll back an ongoing confirmed commit", setup: cancelCommitCmd},
	{name: "discard-changes", summary: "revert the candidate configuration to running", setup: noArgs(func(ctx context.Context, s *client.Session) error {
		return s.DiscardChanges(ctx)
	})},
	{name: "validate", args: "[--source DS | DS | --config CONFIG]", summary: "validate a datastore (default candidate) or a configuration",
		detail: xmlArgHelp, setup: validateCmd},
	{name: "kill-session", args: "SESSION-ID", summary: "end another session, releasing its locks", setup: killSessionCmd},
	{name: "close-session", summary: "end this session", setup: noArgs(func(ctx context.Context, s *client.Session) error {
		return s.Close(ctx)
	})},
	{name: "rpc", args: "RPC", summary: "send any operation and print the whole <rpc-reply>",
		detail: "RPC is one operation element, with its namespace declared, or an <rpc>\n" +
			"element holding one.\n" + xmlArgHelp, setup: rpcCmd},
}

const xmlArgHelp = "An XML argument beginning with '<' is the XML itself; otherwise it names a\n" +
	"file, or '-' for standard input (not in a session)."

const datastoreHelp = "DS is running, candidate, startup, or a URL (the :url capability)."

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// help prints the command's usage and options.
func (c *command) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: ncsoap [GLOBAL OPTIONS] %s %s\n\n%s.\n", c.name, c.args, upperFirst(c.summary))
	if c.detail != "" {
		fmt.Fprintf(w, "\n%s\n", c.detail)
	}
	if strings.Contains(c.args, "DS") {
		fmt.Fprintf(w, "\n%s\n", datastoreHelp)
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.setup(fs)
	printOptions(w, "Options", fs)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// printOptions lists the options of fs with their usage and defaults
// under heading.
func printOptions(w io.Writer, heading string, fs *flag.FlagSet) {
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintf(w, "\n%s:\n", heading)
			first = false
		}
		name, usage := flag.UnquoteUsage(f)
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
			name = ""
		}
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		if name != "" && f.DefValue != "" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "%s\n        %s\n", line, strings.ReplaceAll(usage, "\n", "\n        "))
	})
}

// parseCommand parses the options and arguments of cmd into its action.
func parseCommand(cmd *command, args []string, stdin io.Reader) (action, error) {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	build := cmd.setup(fs)
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, err
	}
	if err != nil {
		return nil, usagef(cmd.name, "%s: %v", cmd.name, err)
	}
	act, err := build(rest, stdin)
	var uerr *usageError
	if errors.As(err, &uerr) && uerr.cmd == "" {
		uerr.cmd = cmd.name
		uerr.msg = cmd.name + ": " + uerr.msg
	}
	return act, err
}

// parseInterleaved parses options that may come before, between and after
// the arguments, which it returns. After "--" everything is an argument.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if consumed := args[:len(args)-len(left)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

func helloCmd(*flag.FlagSet) func([]string, io.Reader) (action, error) {
	return func(args []string, _ io.Reader) (action, error) {
		if len(args) > 0 {
			return nil, usagef("", "unexpected argument %q", args[0])
		}
		return func(_ context.Context, s *client.Session, o *output) error {
			return o.xml(s.Transport().Hello())
		}, nil
	}
}

// filterFlags are the options of get and get-config.
type filterFlags struct {
	filter       string
	xpath        string
	ns           listFlag
	withDefaults string
}

func (f *filterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.filter, "filter", "", "subtree filter: the `XML` of what to select, or a file holding it or a <filter> element")
	fs.StringVar(&f.xpath, "xpath", "", "XPath filter selecting `EXPR` (the :xpath capability)")
	fs.Var(&f.ns, "ns", "bind `prefix=uri` for the prefixes of --xpath (repeatable)")
	fs.StringVar(&f.withDefaults, "with-defaults", "", "report default values as `MODE`: report-all, report-all-tagged, trim or explicit")
}

func (f *filterFlags) options(stdin io.Reader) ([]client.GetOption, error) {
	var opts []client.GetOption
	switch {
	case f.filter != "" && f.xpath != "":
		return nil, usagef("", "--filter and --xpath exclude each other")
	case f.filter != "":
		content, err := subtreeFilter(f.filter, stdin)
		if err != nil {
			return nil, err
		}
		opts = append(opts, client.WithFilter(client.Subtree(content)))
	case f.xpath != "":
		ns := map[string]string{}
		for _, b := range f.ns {
			prefix, uri, ok := strings.Cut(b, "=")
			if !ok || prefix == "" || uri == "" {
				return nil, usagef("", "--ns %q: want prefix=uri", b)
			}
			ns[prefix] = uri
		}
		opts = append(opts, client.WithFilter(client.XPath(f.xpath, ns)))
	case len(f.ns) > 0:
		return nil, usagef("", "--ns needs --xpath")
	}
	switch m := client.WithDefaultsMode(f.withDefaults); m {
	case "":
	case client.ReportAll, client.ReportAllTagged, client.Trim, client.Explicit:
		opts = append(opts, client.WithDefaults(m))
	default:
		return nil, usagef("", "--with-defaults %q: want report-all, report-all-tagged, trim or explicit", f.withDefaults)
	}
	return opts, nil
}

func getCmd(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
	var f filterFlags
	f.register(fs)
	return func(args []string, stdin io.Reader) (action, error) {
		if len(args) > 0 {
			return nil, usagef("", "unexpected argument %q", args[0])
		}
		opts, err := f.options(stdin)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.stream(func(w io.Writer) error { return s.GetTo(ctx, w, opts...) })
		}, nil
	}
}

func getConfigCmd(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
	var f filterFlags
	source := fs.String("source", "running", "the `DS` to read")
	f.register(fs)
	return func(args []string, stdin io.Reader) (action, error) {
		if len(args) > 0 {
			return nil, usagef("", "unexpected argument %q", args[0])
		}
		ds, err := parseDatastore(*source)
		if err != nil {
			return nil, err
		}
		opts, err := f.options(stdin)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.stream(func(w io.Writer) error { return s.GetConfigTo(ctx, w, ds, opts...) })
		}, nil
	}
}

func editConfigCmd(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
	target := fs.String("target", "running", "the `DS` to change")
	defOp := fs.String("default-operation", "", "`OP` for nodes without an operation attribute: merge (the server's default), replace or none")
	testOpt := fs.String("test-option", "", "`OPT`: test-then-set, set or test-only (the :validate capability)")
	errOpt := fs.String("error-option", "", "`OPT`: stop-on-error, continue-on-error or rollback-on-error")
	return func(args []string, stdin io.Reader) (action, error) {
		if len(args) > 1 {
			return nil, usagef("", "unexpected argument %q", args[1])
		}
		arg := "-"
		if len(args) == 1 {
			arg = args[0]
		}
		ds, err := parseDatastore(*target)
		if err != nil {
			return nil, err
		}
		var opts []client.EditOption
		switch op := client.DefaultOperation(*defOp); op {
		case "":
		case client.Merge, client.Replace, client.None:
			opts = append(opts, client.WithDefaultOperation(op))
		default:
			return nil, usagef("", "--default-operation %q: want merge, replace or none", *defOp)
		}
		switch opt := client.TestOption(*testOpt); opt {
		case "":
		case client.TestThenSet, client.Set, client.TestOnly:
			opts = append(opts, client.WithTestOption(opt))
		default:
			return nil, usagef("", "--test-option %q: want test-then-set, set or test-only", *testOpt)
		}
		switch opt := client.ErrorOption(*errOpt); opt {
		case "":
		case client.StopOnError, client.ContinueOnError, client.RollbackOnError:
			opts = append(opts, client.WithErrorOption(opt))
		default:
			return nil, usagef("", "--error-option %q: want stop-on-error, continue-on-error or rollback-on-error", *errOpt)
		}
		config, err := configContent(arg, stdin)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.done(s.EditConfig(ctx, ds, config, opts...))
		}, nil
	}
}

func copyConfigCmd(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
	target := fs.String("target", "", "the `DS` to replace")
	source := fs.String("source", "", "the `DS` to copy")
	config := fs.String("config", "", "the configuration to copy, `CONFIG` as for edit-config")
	return func(args []string, stdin io.Reader) (action, error) {
		if len(args) > 0 {
			return nil, usagef("", "unexpected argument %q", args[0])
		}
		if *target == "" {
			return nil, usagef("", "--target is required")
		}
		to, err := parseDatastore(*target)
		if err != nil {
			return nil, err
		}
		from, err := sourceOrConfig(*source, *config, "", stdin)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.done(s.CopyConfig(ctx, to, from))
		}, nil
	}
}

func validateCmd(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
	source := fs.String("source", "", "the `DS` to validate (default candidate)")
	config := fs.String("config", "", "validate `CONFIG` instead, as for edit-config")
	return func(args []string, stdin io.Reader) (action, error) {
		src, err := oneDatastore(*source, args)
		if err != nil {
			return nil, err
		}
		from, err := sourceOrConfig(src, *config, "candidate", stdin)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.done(s.Validate(ctx, from))
		}, nil
	}
}

// sourceOrConfig returns the datastore named source or the inline
// configuration config, exactly one of which may be given; def is the
// datastore when neither is ("" when one is required).
func sourceOrConfig(source, config, def string, stdin io.Reader) (client.Datastore, error) {
	switch {
	case source != "" && config != "":
		return client.Datastore{}, usagef("", "--source and --config exclude each other")
	case config != "":
		content, err := configContent(config, stdin)
		if err != nil {
			return client.Datastore{}, err
		}
		return client.Inline(content), nil
	case source == "" && def == "":
		return client.Datastore{}, usagef("", "--source or --config is required")
	case source == "":
		source = def
	}
	return parseDatastore(source)
}

// oneDatastore returns the datastore given as option value or as the
// only argument.
func oneDatastore(flagValue string, args []string) (string, error) {
	switch {
	case len(args) > 1:
		return "", usagef("", "unexpected argument %q", args[1])
	case len(args) == 1 && flagValue != "":
		return "", usagef("", "give the datastore once, as an argument or with its option")
	case len(args) == 1:
		return args[0], nil
	}
	return flagValue, nil
}

// targetCmd is a command whose only parameter is a target datastore, def
// when not given ("" when required).
func targetCmd(op func(context.Context, *client.Session, client.Datastore) error, def string) func(*flag.FlagSet) func([]string, io.Reader) (action, error) {
	return func(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
		usage := "the `DS`"
		if def != "" {
			usage += " (default " + def + ")"
		}
		target := fs.String("target", "", usage)
		return func(args []string, _ io.Reader) (action, error) {
			name, err := oneDatastore(*target, args)
			if err != nil {
				return nil, err
			}
			if name == "" {
				name = def
			}
			if name == "" {
				return nil, usagef("", "the target datastore is required")
			}
			ds, err := parseDatastore(name)
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, s *client.Session, o *output) error {
				return o.done(op(ctx, s, ds))
			}, nil
		}
	}
}

// noArgs is a command without options or arguments.
func noArgs(op func(context.Context, *client.Session) error) func(*flag.FlagSet) func([]string, io.Reader) (action, error) {
	return func(*flag.FlagSet) func([]string, io.Reader) (action, error) {
		return func(args []string, _ io.Reader) (action, error) {
			if len(args) > 0 {
				return nil, usagef("", "unexpected argument %q", args[0])
			}
			return func(ctx context.Context, s *client.Session, o *output) error {
				return o.done(op(ctx, s))
			}, nil
		}
	}
}

// seconds is a timeout given as whole seconds ("60") or a Go duration
// ("10m").
type seconds struct {
	d   time.Duration
	set bool
}

func (s *seconds) String() string {
	if s == nil || !s.set {
		return ""
	}
	return s.d.String()
}

func (s *seconds) Set(v string) error {
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		s.d, s.set = time.Duration(n)*time.Second, true
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("want seconds or a duration such as 90s or 10m")
	}
	s.d, s.set = d, true
	return nil
}

func commitCmd(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
	confirmed := fs.Bool("confirmed", false, "confirmed commit: rolled back unless confirmed in time (the :confirmed-commit capability)")
	var timeout seconds
	fs.Var(&timeout, "timeout", "confirm within `T`, seconds or a duration like 10m (default: the server's, 600 s)")
	persist := fs.String("persist", "", "make the confirmed commit outlive this session, confirmed later with --persist-id `ID`")
	persistID := fs.String("persist-id", "", "confirm the persistent confirmed commit `ID`")
	return func(args []string, _ io.Reader) (action, error) {
		if len(args) > 0 {
			return nil, usagef("", "unexpected argument %q", args[0])
		}
		if !*confirmed && (timeout.set || *persist != "") {
			return nil, usagef("", "--timeout and --persist need --confirmed")
		}
		var opts []client.CommitOption
		if *confirmed {
			opts = append(opts, client.Confirmed(timeout.d))
		}
		if *persist != "" {
			opts = append(opts, client.Persist(*persist))
		}
		if *persistID != "" {
			opts = append(opts, client.PersistID(*persistID))
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.done(s.Commit(ctx, opts...))
		}, nil
	}
}

func cancelCommitCmd(fs *flag.FlagSet) func([]string, io.Reader) (action, error) {
	persistID := fs.String("persist-id", "", "cancel the persistent confirmed commit `ID`")
	return func(args []string, _ io.Reader) (action, error) {
		if len(args) > 0 {
			return nil, usagef("", "unexpected argument %q", args[0])
		}
		var opts []client.CancelOption
		if *persistID != "" {
			opts = append(opts, client.PersistID(*persistID))
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.done(s.CancelCommit(ctx, opts...))
		}, nil
	}
}

func killSessionCmd(*flag.FlagSet) func([]string, io.Reader) (action, error) {
	return func(args []string, _ io.Reader) (action, error) {
		if len(args) != 1 {
			return nil, usagef("", "want one SESSION-ID")
		}
		id, err := strconv.ParseUint(args[0], 10, 32)
		if err != nil || id == 0 {
			return nil, usagef("", "session-id %q: want a number from 1 to 4294967295", args[0])
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			return o.done(s.KillSession(ctx, uint32(id)))
		}, nil
	}
}

func rpcCmd(*flag.FlagSet) func([]string, io.Reader) (action, error) {
	return func(args []string, stdin io.Reader) (action, error) {
		if len(args) != 1 {
			return nil, usagef("", "want one RPC argument")
		}
		op, err := operation(args[0], stdin)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, s *client.Session, o *output) error {
			reply, err := s.RPC(ctx, op)
			if err != nil {
				return err
			}
			return o.xml(reply)
		}, nil
	}
}

// parseDatastore parses a datastore name or URL.
func parseDatastore(name string) (client.Datastore, error) {
	switch name {
	case "running":
		return client.Running, nil
	case "candidate":
		return client.Candidate, nil
	case "startup":
		return client.Startup, nil
	}
	if strings.Contains(name, "://") {
		return client.URL(name), nil
	}
	return client.Datastore{}, usagef("", "datastore %q: want running, candidate, startup or a URL", name)
}

// readXMLArg returns the XML an argument gives: itself when it begins
// with '<', else the content of the file it names, or of stdin for "-".
func readXMLArg(arg string, stdin io.Reader) ([]byte, string, error) {
	if strings.HasPrefix(strings.TrimSpace(arg), "<") {
		return []byte(arg), "argument", nil
	}
	var r io.Reader
	name := arg
	switch {
	case arg == "-" && stdin == nil:
		return nil, "", usagef("", "standard input is not available here: give the XML or a file")
	case arg == "-":
		r, name = stdin, "standard input"
	case arg == "":
		return nil, "", usagef("", "empty XML argument")
	default:
		f, err := os.Open(arg)
		if err != nil {
			return nil, "", usagef("", "%v", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, "", usagef("", "reading %s: %v", name, err)
	}
	if len(b) > maxInput {
		return nil, "", usagef("", "%s is larger than %d bytes", name, maxInput)
	}
	return b, name, nil
}

// parseElements reads the top-level elements of an XML argument.
func parseElements(arg string, stdin io.Reader) ([]*etree.Element, string, error) {
	b, name, err := readXMLArg(arg, stdin)
	if err != nil {
		return nil, "", err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil {
		return nil, "", usagef("", "%s: not well-formed XML: %v", name, err)
	}
	for _, t := range doc.Child {
		if cd, ok := t.(*etree.CharData); ok && strings.TrimSpace(cd.Data) != "" {
			return nil, "", usagef("", "%s: text outside an element", name)
		}
	}
	els := doc.ChildElements()
	if len(els) == 0 {
		return nil, "", usagef("", "%s: no XML element", name)
	}
	return els, name, nil
}

// isBase reports whether el is the base:1.0 element local.
func isBase(el *etree.Element, local string) bool {
	return el.Tag == local && el.NamespaceURI() == rpcerror.BaseNamespace
}

// configContent returns the content of a configuration argument: the
// children of a <config> element, or the top-level elements as they are.
func configContent(arg string, stdin io.Reader) ([]byte, error) {
	els, _, err := parseElements(arg, stdin)
	if err != nil {
		return nil, err
	}
	if len(els) == 1 && isBase(els[0], "config") {
		return []byte(nsxml.Children(els[0])), nil
	}
	var b bytes.Buffer
	for _, el := range els {
		b.WriteString(nsxml.String(el))
	}
	return b.Bytes(), nil
}

// subtreeFilter returns the content of a subtree filter argument: the
// children of a <filter> element, or the top-level elements as they are.
func subtreeFilter(arg string, stdin io.Reader) ([]byte, error) {
	els, name, err := parseElements(arg, stdin)
	if err != nil {
		return nil, err
	}
	if len(els) == 1 && isBase(els[0], "filter") {
		if t := els[0].SelectAttrValue("type", "subtree"); t != "subtree" {
			return nil, usagef("", "%s: a <filter> of type %q; use --xpath for XPath filters", name, t)
		}
		return []byte(nsxml.Children(els[0])), nil
	}
	var b bytes.Buffer
	for _, el := range els {
		b.WriteString(nsxml.String(el))
	}
	return b.Bytes(), nil
}

// operation returns the operation element of an rpc argument: the child
// of an <rpc> element, or the one top-level element.
func operation(arg string, stdin io.Reader) ([]byte, error) {
	els, name, err := parseElements(arg, stdin)
	if err != nil {
		return nil, err
	}
	if len(els) != 1 {
		return nil, usagef("", "%s: want one operation element, found %d elements", name, len(els))
	}
	op := els[0]
	if isBase(op, "rpc") {
		children := op.ChildElements()
		if len(children) != 1 {
			return nil, usagef("", "%s: want one operation in <rpc>, found %d", name, len(children))
		}
		op = children[0]
	}
	return []byte(nsxml.String(op)), nil
}
