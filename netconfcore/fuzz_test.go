package netconfcore_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// FuzzDo sends arbitrary messages to a session: every one must get a
// well-formed <rpc-reply>, never a panic or a hang.
func FuzzDo(f *testing.F) {
	for _, s := range []string{
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/></rpc>`,
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="2">` + getConfig("candidate") + `</rpc>`,
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="3">` + setMTU("candidate", 1400) + `</rpc>`,
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="4"><lock><target><candidate/></target></lock></rpc>`,
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="5"><commit><confirmed/><confirm-timeout>600</confirm-timeout><persist>a</persist></commit></rpc>`,
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="6"><get><filter type="xpath" select="/*[1]"/></get></rpc>`,
		`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="7"><get-config><source><running/></source><filter><interfaces xmlns="urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"><interface><name>eth0</name></interface></interfaces></filter></get-config></rpc>`,
		`<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns="urn:x" message-id="8"><nc:validate><nc:source><nc:config/></nc:source></nc:validate></nc:rpc>`,
		`<rpc message-id="9"`,
		``,
	} {
		f.Add(s)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, msg string) {
		p := fx.dial(t)
		defer p.conn.Close()
		rep := p.conn.Session().Do(context.Background(), strings.NewReader(msg))
		var out bytes.Buffer
		if _, err := rep.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(out.Bytes()); err != nil {
			t.Fatalf("reply to %q is not well-formed: %v\n%s", msg, err, out.String())
		}
		if doc.Root() == nil || doc.Root().Tag != "rpc-reply" {
			t.Fatalf("reply to %q is not an rpc-reply: %s", msg, out.String())
		}
	})
}
