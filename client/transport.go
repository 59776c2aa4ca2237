package client

import (
	"context"
	"errors"
	"io"
)

// Transport carries the messages of one NETCONF session whose hellos
// have been exchanged. soapclient and sshclient implement it; Session
// builds the typed operations on it. A Transport is used by one
// goroutine at a time.
type Transport interface {
	// RoundTrip sends one <rpc> message, whose bytes write produces, and
	// returns the reply message for reading. The caller reads the reply
	// to its end and closes it before the next RoundTrip; Close must
	// drain what was not read.
	//
	// When the transport itself carries the reply's rpc-errors out of
	// band (a SOAP Fault), RoundTrip returns them as an rpcerror.List or
	// *rpcerror.Error and no reply. A broken or ended session gives an
	// error wrapping ErrSessionClosed; a transport never reconnects on
	// its own, since a new connection would be a new session.
	RoundTrip(ctx context.Context, write func(io.Writer) error) (io.ReadCloser, error)

	// Hello returns the server's <hello> message received at connect.
	Hello() []byte

	// Close ends the session's transport without close-session.
	Close() error
}

// ErrSessionClosed is wrapped by errors of a session whose transport has
// ended: the connection dropped, the server closed it, or Close was
// called.
var ErrSessionClosed = errors.New("netconf: session closed")
