package netconfcore_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
)

// A transport opens a session for an authenticated user, exchanges
// hellos, then hands the engine one <rpc> at a time and writes each reply.
func Example() {
	ctx := context.Background()
	set, _ := schema.Load(schema.Options{})
	store, _ := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig()})
	srv, _ := netconfcore.NewServer(ctx, netconfcore.Config{Store: store})

	sess, _ := srv.NewSession(netconfcore.SessionInfo{Username: "admin", Transport: "netconf-ssh"})
	var hello strings.Builder
	_ = sess.WriteHello(&hello) // the transport sends the server hello...
	fmt.Println(strings.Contains(hello.String(), "<session-id>1</session-id>"))
	err := sess.ReceiveHello(strings.NewReader( // ...and reads the client's.
		`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>` +
			`<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	fmt.Println("hello:", err, "version:", sess.Version())

	reply := sess.Do(ctx, strings.NewReader(
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101"><lock><target><candidate/></target></lock></rpc>`))
	_, _ = reply.WriteTo(os.Stdout)
	fmt.Println()

	_ = sess.Close() // the connection is gone: the lock is released
	<-sess.Done()
	fmt.Println("ended:", sess.EndReason())
	// Output:
	// true
	// hello: <nil> version: 1.1
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101"><ok/></rpc-reply>
	// ended: transport closed
}

// Errors are typed: a reply's Err is an RPCErrors list of *RPCError.
func ExampleReply_Err() {
	ctx := context.Background()
	set, _ := schema.Load(schema.Options{})
	store, _ := datastore.Open(ctx, set, datastore.Options{})
	srv, _ := netconfcore.NewServer(ctx, netconfcore.Config{Store: store})
	sess, _ := srv.NewSession(netconfcore.SessionInfo{Username: "admin"})
	_ = sess.ReceiveHello(strings.NewReader(
		`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>` +
			`<capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`))

	reply := sess.Do(ctx, strings.NewReader(
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><delete-config><target><running/></target></delete-config></rpc>`))
	if errs, ok := reply.Err().(netconfcore.RPCErrors); ok {
		e := errs[0]
		fmt.Println(e.Type, e.Tag, e.Info.BadElement)
	}
	// Output:
	// protocol invalid-value running
}
