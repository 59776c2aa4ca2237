// Command ncsoapd is the ncsoap NETCONF server: NETCONF over SOAP on
// HTTP and HTTPS (RFC 4743) and over SSH (RFC 6242), on one engine.
//
// With no flags it keeps its state under the user's state directory,
// creates user admin, loads the bundled example YANG modules with sample
// configuration, and listens on 127.0.0.1:8080 (SOAP over HTTP, path
// /netconf), 127.0.0.1:8832 (SOAP over HTTPS) and 127.0.0.1:8830 (SSH).
// Run "ncsoapd -help" for the flags; a JSON file given with -config sets
// everything else (see Config).
//
// SIGINT or SIGTERM stops the server: listeners close, every session ends
// through the engine (locks released, unconfirmed commits rolled back)
// and the process exits 0. Committed configuration is on disk before
// each commit is acknowledged.
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the server until ctx is done and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "ncsoapd:", err)
		return 2
	}
	d, err := start(ctx, cfg, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "ncsoapd:", err)
		return 1
	}
	if err := d.wait(ctx); err != nil {
		fmt.Fprintln(stderr, "ncsoapd:", err)
		return 1
	}
	return 0
}
