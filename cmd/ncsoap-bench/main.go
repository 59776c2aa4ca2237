// Command ncsoap-bench measures ncsoap side by side with its bounds and
// its peers, on loopback, and prints a table of medians, ranges and
// ratios.
//
// Every workload runs once per round and the rounds interleave them
// (A, B, C, A, B, C, ...), so that a machine that slows down or speeds
// up during the run affects every workload alike; each figure is the
// median over the rounds, and each claim is a ratio between two figures
// of the same run. ncsoap and the bounds run in a child process (this
// binary re-executed in a hidden serve mode), so that the server's CPU
// time and peak RSS are read from /proc apart from the client's. That
// child sets the engine up as ncsoapd does: must and when evaluated, and
// every change of running written to a state directory before it is
// acknowledged (-memory turns that off).
//
// The workloads:
//
//   - bounds: a bare net/http handler that parses the SOAP envelope and
//     returns a fixed reply, over one kept-alive connection and over 64;
//     a bare x/crypto/ssh server answering framed NETCONF messages;
//   - ncsoap over SOAP and SSH with the client SDK (soapclient,
//     sshclient, client.Session): session setup, small get-config, small
//     edit-config, lock/unlock, commit on candidate, 64 sessions at once;
//   - large data over SSH: a 10,000- and a 100,000-entry interfaces list
//     (load, one-entry edit, full and filtered get-config), with server
//     CPU per operation and peak RSS of server and client;
//   - the data layer in process, against the published sysrepo anchors;
//   - peers when installed: yuma123 netconfd behind a private sshd (the
//     SSH workloads with our client) and ncclient against ncsoap.
//
// Usage:
//
//	ncsoap-bench [-only GLOB[,GLOB...]] [-rounds N] [-window D] [-quick] [-memory] [-json] [-list]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(serveMain(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line settings of a run.
type options struct {
	only   string
	rounds int
	quick  bool
	json   bool
	list   bool
	memory bool
	window time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("ncsoap-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.only, "only", "", "run only the workloads matching these comma-separated globs (e.g. 'ssh/*,bare/ssh')")
	fs.IntVar(&o.rounds, "rounds", 0, "interleaved rounds (default 7, or 2 with -quick)")
	fs.BoolVar(&o.quick, "quick", false, "short windows, 2 rounds, 1,000-entry lists instead of 10,000 and 100,000 (for tests and CI)")
	fs.BoolVar(&o.json, "json", false, "print the results as JSON instead of a table")
	fs.BoolVar(&o.list, "list", false, "list the workloads and exit")
	fs.BoolVar(&o.memory, "memory", false, "run ncsoap without persistence (by default it writes every change of running to disk, as ncsoapd does)")
	fs.DurationVar(&o.window, "window", 0, "measuring window of one workload in one round (default 1s, or 150ms with -quick)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.rounds == 0 {
		o.rounds = 7
		if o.quick {
			o.rounds = 2
		}
	}
	if o.rounds < 1 {
		return nil, errors.New("-rounds must be at least 1")
	}
	if o.window == 0 {
		o.window = time.Second
		if o.quick {
			o.window = 150 * time.Millisecond
		}
	}
	return o, nil
}

// run runs the bench and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "ncsoap-bench:", err)
		return 2
	}
	b, err := newBench(o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "ncsoap-bench:", err)
		return 1
	}
	defer b.close()
	all := b.workloads()
	if o.list {
		for _, w := range all {
			fmt.Fprintf(stdout, "%-28s %-6s %s\n", w.Name, w.Unit, w.What)
		}
		return 0
	}
	ws, err := selectWorkloads(all, o.only)
	if err != nil {
		fmt.Fprintln(stderr, "ncsoap-bench:", err)
		return 2
	}
	rep := &Report{Machine: machine(), Rounds: o.rounds, Started: time.Now()}
	fmt.Fprintf(stderr, "ncsoap-bench: %d workloads, %d rounds, %v windows on %s\n", len(ws), o.rounds, o.window, rep.Machine)
	rep.Results = runRounds(ctx, ws, o.rounds, stderr)
	rep.Elapsed = time.Since(rep.Started).Round(time.Second).String()
	if o.json {
		err = writeJSON(stdout, rep)
	} else {
		fmt.Fprintf(stdout, "# %s; %d rounds of %v; %s\n", rep.Machine, o.rounds, o.window, rep.Elapsed)
		err = writeTable(stdout, rep.Results)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ncsoap-bench:", err)
		return 1
	}
	if ctx.Err() != nil {
		return 1
	}
	for _, r := range rep.Results {
		if r.Err != "" {
			return 1
		}
	}
	return 0
}
