package netconfcore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
)

// TestEveryErrorTag produces every RFC 6241 Appendix A error-tag through
// the in-memory transport, with its mandatory error-info.
// partial-operation is obsolete and servers SHOULD NOT send it, so the
// engine never does; the rpcerror package still decodes it.
func TestEveryErrorTag(t *testing.T) {
	backend := &flakyBackend{Backend: storage.NewMemory()}
	f := openFixture(t, backend, func(c *netconfcore.Config) {
		c.Authorize = func(_ context.Context, _, op string) bool { return op != "delete-config" }
	})
	a, b := f.dial(t), f.dial(t)
	a.ok(`<lock><target><startup/></target></lock>`)
	op := func(body string) func() string { return func() string { return body } }
	edit := func(content string) func() string {
		return op(`<edit-config><target><running/></target><config>` + content + `</config></edit-config>`)
	}
	ifs := `<interfaces xmlns="` + ifNS + `" xmlns:nc="` + baseNS + `">`
	session := func(s string) *uint32 {
		var id uint32
		fmt.Sscan(s, &id)
		return &id
	}

	tests := []struct {
		tag  rpcerror.Tag
		typ  rpcerror.Type
		send func() string // the operation, sent by b
		raw  string        // or a whole message
		info rpcerror.Info
	}{
		{tag: rpcerror.InUse, typ: rpcerror.TypeProtocol, send: op(`<copy-config><target><startup/></target><source><running/></source></copy-config>`)},
		{tag: rpcerror.InvalidValue, typ: rpcerror.TypeApplication, send: edit(ifs + `<interface><name>eth0</name><mtu>1</mtu></interface></interfaces>`), info: rpcerror.Info{BadElement: "mtu"}},
		{tag: rpcerror.TooBig, typ: rpcerror.TypeRPC, raw: `<rpc xmlns="` + baseNS + `" message-id="1">` + strings.Repeat("<x>", 513) + strings.Repeat("</x>", 513) + `</rpc>`},
		{tag: rpcerror.MissingAttribute, typ: rpcerror.TypeRPC, raw: `<rpc xmlns="` + baseNS + `"><get/></rpc>`, info: rpcerror.Info{BadAttribute: "message-id", BadElement: "rpc"}},
		{tag: rpcerror.BadAttribute, typ: rpcerror.TypeProtocol, send: op(`<get><filter type="json"/></get>`), info: rpcerror.Info{BadAttribute: "type", BadElement: "filter"}},
		{tag: rpcerror.UnknownAttribute, typ: rpcerror.TypeApplication, send: edit(ifs + `<interface colour="red"><name>eth0</name></interface></interfaces>`), info: rpcerror.Info{BadAttribute: "colour", BadElement: "interface"}},
		{tag: rpcerror.MissingElement, typ: rpcerror.TypeProtocol, send: op(`<lock/>`), info: rpcerror.Info{BadElement: "target"}},
		{tag: rpcerror.BadElement, typ: rpcerror.TypeProtocol, send: op(`<lock><target><running/><startup/></target></lock>`), info: rpcerror.Info{BadElement: "target"}},
		{tag: rpcerror.UnknownElement, typ: rpcerror.TypeApplication, send: edit(ifs + `<interface><name>eth0</name><colour>red</colour></interface></interfaces>`), info: rpcerror.Info{BadElement: "colour"}},
		{tag: rpcerror.UnknownNamespace, typ: rpcerror.TypeProtocol, send: op(`<get xmlns="urn:example:elsewhere"/>`), info: rpcerror.Info{BadElement: "get", BadNamespace: "urn:example:elsewhere"}},
		{tag: rpcerror.AccessDenied, typ: rpcerror.TypeProtocol, send: op(`<delete-config><target><startup/></target></delete-config>`)},
		{tag: rpcerror.LockDenied, typ: rpcerror.TypeProtocol, send: op(`<lock><target><startup/></target></lock>`), info: rpcerror.Info{SessionID: session(fmt.Sprint(a.id()))}},
		{tag: rpcerror.DataExists, typ: rpcerror.TypeApplication, send: edit(ifs + `<interface nc:operation="create"><name>eth0</name></interface></interfaces>`)},
		{tag: rpcerror.DataMissing, typ: rpcerror.TypeApplication, send: edit(ifs + `<interface nc:operation="delete"><name>eth7</name></interface></interfaces>`)},
		{tag: rpcerror.OperationNotSupported, typ: rpcerror.TypeProtocol, send: op(`<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"/>`), info: rpcerror.Info{BadElement: "create-subscription"}},
		{tag: rpcerror.OperationFailed, typ: rpcerror.TypeProtocol, send: op(`<unlock><target><running/></target></unlock>`)},
		{tag: rpcerror.MalformedMessage, typ: rpcerror.TypeRPC, raw: `<rpc xmlns="` + baseNS + `" message-id="1"><get></rpc>`},
	}
	seen := map[rpcerror.Tag]bool{}
	for _, tt := range tests {
		t.Run(string(tt.tag), func(t *testing.T) {
			var e *rpcerror.Error
			if tt.raw != "" {
				e = requireError(t, b.raw(tt.raw), tt.tag, tt.typ)
			} else {
				e = b.fail(tt.send(), tt.tag, tt.typ)
			}
			require.Equal(t, rpcerror.SeverityError, e.Severity)
			require.NotEmpty(t, e.Message)
			if tt.info.BadElement != "" || tt.info.BadAttribute != "" || tt.info.SessionID != nil {
				require.Equal(t, tt.info, e.Info)
			}
			seen[tt.tag] = true
		})
	}

	// resource-denied: the session limit; rollback-failed: a rollback the
	// storage refuses.
	limited := newFixture(t, func(c *netconfcore.Config) { c.MaxSessions = 1 })
	limited.dial(t)
	_, err := limited.srv.NewSession(netconfcore.SessionInfo{})
	require.ErrorIs(t, err, &rpcerror.Error{Tag: rpcerror.ResourceDenied})
	seen[rpcerror.ResourceDenied] = true

	b.ok(setMTU("candidate", 1400))
	b.ok(confirmed(""))
	backend.broken.Store(true)
	b.fail(`<cancel-commit/>`, rpcerror.RollbackFailed, rpcerror.TypeApplication)
	backend.broken.Store(false)
	seen[rpcerror.RollbackFailed] = true

	for _, tag := range rpcerror.Tags {
		if tag != rpcerror.PartialOperation {
			require.True(t, seen[tag], "error-tag %s is never produced", tag)
		}
	}
}
