// Command ncsoap is a NETCONF client for the command line. It runs one
// operation per invocation, or a whole workflow over one session with
// "ncsoap session", over SOAP (http://, https://) or SSH (ssh://):
//
//	ncsoap hello
//	ncsoap get-config --filter '<system xmlns="http://ncsoap.dev/ns/example-users"/>'
//	ncsoap --url ssh://admin@router1:830 edit-config --target candidate change.xml
//	ncsoap session workflow.txt
//
// Passwords come from a prompt on the terminal, NCSOAP_PASSWORD or a
// credentials file, never from the command line. Run "ncsoap --help" and
// "ncsoap help COMMAND" for the details.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
