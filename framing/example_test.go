package framing_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/ncsoap/ncsoap/framing"
)

// A client sends its <hello> in end-of-message framing. Both hellos list
// base:1.1, so each side upgrades its Reader and Writer, and the <rpc>
// that follows is chunked.
func Example() {
	const hello = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>` +
		`<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`
	const rpc = `<rpc message-id="101" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>`

	// The client side.
	var wire bytes.Buffer
	w := framing.NewWriter(&wire)
	if err := w.WriteMessage([]byte(hello)); err != nil {
		log.Fatal(err)
	}
	// ... the client reads the server's hello, which lists base:1.1 too.
	w.Upgrade()
	m := w.Message()
	if _, err := io.WriteString(m, rpc); err != nil {
		log.Fatal(err)
	}
	if err := m.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("on the wire: %q\n", wire.String()[len(hello):])

	// The server side.
	r := framing.NewReader(&wire)
	got, err := r.ReadMessage()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("hello intact:", string(got) == hello)
	// ... the server has sent its own hello, listing base:1.1.
	r.Upgrade()
	msg, err := r.Next()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(os.Stdout, msg); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	_, err = r.Next()
	fmt.Println("then:", err)
	// Output:
	// on the wire: "]]>]]>\n#82\n<rpc message-id=\"101\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><get/></rpc>\n##\n"
	// hello intact: true
	// <rpc message-id="101" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>
	// then: EOF
}
