package netconfcore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/memtransport"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

func TestHelloCapabilities(t *testing.T) {
	f := newFixture(t)
	a, b := f.dial(t), f.dial(t)
	require.GreaterOrEqual(t, a.id(), uint32(1))
	require.NotEqual(t, a.id(), b.id())

	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(a.conn.ServerHello()))
	var caps []string
	for _, c := range doc.FindElements("/hello/capabilities/capability") {
		caps = append(caps, c.Text())
	}
	for _, want := range []string{
		netconfcore.CapBase10, netconfcore.CapBase11, netconfcore.CapWritableRunning,
		netconfcore.CapCandidate, netconfcore.CapConfirmed11, netconfcore.CapRollbackOnError,
		netconfcore.CapValidate11, netconfcore.CapStartup, netconfcore.CapXPath, netconfcore.CapWithDefaults,
		ifNS + "?module=ncsoap-example-interfaces&revision=",
	} {
		found := false
		for _, c := range caps {
			found = found || strings.HasPrefix(c, want)
		}
		require.True(t, found, "capability %s missing from %v", want, caps)
	}
	require.Equal(t, fmt.Sprint(a.id()), doc.FindElement("/hello/session-id").Text())
	require.Contains(t, a.conn.ServerHello(), "basic-mode=explicit&amp;also-supported")
}

func TestHelloNegotiation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		hello   string
		version netconfcore.Version
		fail    string
	}{
		{"both versions", memtransport.ClientHello(netconfcore.CapBase10, netconfcore.CapBase11), netconfcore.Base11, ""},
		{"1.0 only", memtransport.ClientHello(netconfcore.CapBase10), netconfcore.Base10, ""},
		{"parameters and whitespace ignored", memtransport.ClientHello("\n  urn:ietf:params:netconf:base:1.1?x=y  \n"), netconfcore.Base11, ""},
		{"no common version", memtransport.ClientHello("urn:ietf:params:netconf:base:2.0"), 0, "no common base"},
		{"session-id from client", `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>4</session-id></hello>`, 0, "session-id"},
		{"not a hello", `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/></rpc>`, 0, "not a base:1.0 <hello>"},
		{"not XML", `<hello`, 0, "well-formed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, err := f.srv.NewSession(netconfcore.SessionInfo{Username: "u"})
			require.NoError(t, err)
			err = sess.ReceiveHello(strings.NewReader(tt.hello))
			if tt.fail == "" {
				require.NoError(t, err)
				require.Equal(t, tt.version, sess.Version())
				require.NoError(t, sess.Close())
				return
			}
			var he *netconfcore.HelloError
			require.ErrorAs(t, err, &he)
			require.Contains(t, he.Reason, tt.fail)
			<-sess.Done()
			require.Equal(t, netconfcore.EndHello, sess.EndReason())
			require.NotContains(t, f.srv.Sessions(), sess.ID())
		})
	}
}

func TestTransportRemovesCapabilities(t *testing.T) {
	f := newFixture(t)
	conn, err := memtransport.Dial(f.srv, netconfcore.SessionInfo{Without: []string{netconfcore.CapXPath + "?ignored"}})
	require.NoError(t, err)
	require.NotContains(t, conn.ServerHello(), netconfcore.CapXPath)
	require.Contains(t, conn.ServerHello(), netconfcore.CapCandidate)
}

func TestRPCBeforeHello(t *testing.T) {
	f := newFixture(t)
	sess, err := f.srv.NewSession(netconfcore.SessionInfo{})
	require.NoError(t, err)
	rep := sess.Do(context.Background(), strings.NewReader(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/></rpc>`))
	require.Error(t, rep.Err())
	require.Contains(t, rep.Err().Error(), "hello")
}

func TestReplyEchoesRPCAttributes(t *testing.T) {
	f := newFixture(t)
	p := f.dial(t)
	reply := p.raw(`<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:ex="urn:example:extra" message-id="a&amp;b" ex:user-id="fred" nc:other="x"><nc:get-config><nc:source><nc:running/></nc:source></nc:get-config></nc:rpc>`)
	require.Equal(t, "nc", reply.Space)
	require.Equal(t, "a&b", reply.SelectAttrValue("message-id", ""))
	require.Equal(t, "fred", reply.SelectAttrValue("ex:user-id", ""))
	require.Equal(t, "x", reply.SelectAttrValue("nc:other", ""))
	require.Equal(t, "urn:example:extra", reply.SelectAttrValue("xmlns:ex", ""))
	require.NotNil(t, reply.SelectElement("data"))
	require.Equal(t, baseNS, reply.SelectElement("data").NamespaceURI())

	reply = p.raw(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="7"><close-session/></rpc>`)
	require.Equal(t, "7", reply.SelectAttrValue("message-id", ""))
	require.NotNil(t, reply.SelectElement("ok"))
}

func TestRPCLayerErrors(t *testing.T) {
	deep := strings.Repeat("<a>", 600) + strings.Repeat("</a>", 600)
	tests := []struct {
		name    string
		msg     string
		base10  bool
		tag     rpcerror.Tag
		typ     rpcerror.Type
		info    rpcerror.Info
		replyID string
	}{
		{name: "missing message-id", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>`,
			tag: rpcerror.MissingAttribute, typ: rpcerror.TypeRPC, info: rpcerror.Info{BadAttribute: "message-id", BadElement: "rpc"}},
		{name: "message-id too long", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="` + strings.Repeat("9", 4096) + `"><get/></rpc>`,
			tag: rpcerror.BadAttribute, typ: rpcerror.TypeRPC, info: rpcerror.Info{BadAttribute: "message-id", BadElement: "rpc"}, replyID: strings.Repeat("9", 4096)},
		{name: "malformed on 1.1", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get>`,
			tag: rpcerror.MalformedMessage, typ: rpcerror.TypeRPC},
		{name: "malformed on 1.0", msg: `<rpc message-id="1"`, base10: true,
			tag: rpcerror.OperationFailed, typ: rpcerror.TypeRPC},
		{name: "doctype", msg: `<!DOCTYPE rpc [<!ENTITY x "y">]><rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/></rpc>`,
			tag: rpcerror.MalformedMessage, typ: rpcerror.TypeRPC},
		{name: "too deep", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get>` + deep + `</get></rpc>`,
			tag: rpcerror.TooBig, typ: rpcerror.TypeRPC},
		{name: "rpc in wrong namespace", msg: `<rpc xmlns="urn:example" message-id="1"><get/></rpc>`,
			tag: rpcerror.UnknownNamespace, typ: rpcerror.TypeRPC, info: rpcerror.Info{BadElement: "rpc", BadNamespace: "urn:example"}},
		{name: "not an rpc", msg: `<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`,
			tag: rpcerror.MalformedMessage, typ: rpcerror.TypeRPC},
		{name: "no operation", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="3"/>`,
			tag: rpcerror.MissingElement, typ: rpcerror.TypeProtocol, info: rpcerror.Info{BadElement: "rpc"}, replyID: "3"},
		{name: "two operations", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="3"><get/><get/></rpc>`,
			tag: rpcerror.UnknownElement, typ: rpcerror.TypeProtocol, info: rpcerror.Info{BadElement: "get"}, replyID: "3"},
		{name: "unknown operation", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="4"><reboot/></rpc>`,
			tag: rpcerror.OperationNotSupported, typ: rpcerror.TypeProtocol, info: rpcerror.Info{BadElement: "reboot"}, replyID: "4"},
		{name: "module operation", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="4"><reset xmlns="` + ifNS + `"/></rpc>`,
			tag: rpcerror.OperationNotSupported, typ: rpcerror.TypeProtocol, replyID: "4"},
		{name: "unknown namespace", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="5"><get xmlns="urn:example:ops"/></rpc>`,
			tag: rpcerror.UnknownNamespace, typ: rpcerror.TypeProtocol, info: rpcerror.Info{BadElement: "get", BadNamespace: "urn:example:ops"}, replyID: "5"},
		{name: "unknown parameter", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="6"><get><depth>3</depth></get></rpc>`,
			tag: rpcerror.UnknownElement, typ: rpcerror.TypeProtocol, info: rpcerror.Info{BadElement: "depth"}, replyID: "6"},
		{name: "parameter in another namespace", msg: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="6"><get><filter xmlns="urn:x"/></get></rpc>`,
			tag: rpcerror.UnknownNamespace, typ: rpcerror.TypeProtocol, info: rpcerror.Info{BadElement: "filter", BadNamespace: "urn:x"}, replyID: "6"},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := f.dial(t)
			if tt.base10 {
				p = f.dial(t, netconfcore.CapBase10)
			}
			reply := p.raw(tt.msg)
			e := requireError(t, reply, tt.tag, tt.typ)
			if tt.info.BadElement != "" || tt.info.BadAttribute != "" {
				require.Equal(t, tt.info, e.Info)
			}
			require.Equal(t, tt.replyID, reply.SelectAttrValue("message-id", ""))
		})
	}
}

func TestGetAndGetConfig(t *testing.T) {
	f := newFixture(t)
	unregister := f.store.RegisterState(func(context.Context) (*etree.Element, error) {
		doc := etree.NewDocument()
		err := doc.ReadFromString(`<data><interfaces xmlns="` + ifNS + `"><interface><name>eth0</name><oper-status>up</oper-status></interface></interfaces></data>`)
		return doc.Root(), err
	})
	defer unregister()
	p := f.dial(t)

	running := p.data(getConfig("running"))
	require.Contains(t, running, "<hostname>router1</hostname>")
	require.NotContains(t, running, "oper-status")
	require.NotContains(t, running, "<mtu>1500</mtu>", "explicit mode leaves defaults out")
	require.Equal(t, running, p.data(getConfig("candidate")))
	require.Equal(t, running, p.data(getConfig("startup")))

	all := p.data(`<get/>`)
	require.Contains(t, all, "<oper-status>up</oper-status>")

	wd := `<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">%s</with-defaults>`
	require.Contains(t, p.data(`<get-config><source><running/></source>`+fmt.Sprintf(wd, "report-all")+`</get-config>`), "<mtu>1500</mtu>")
	tagged := p.data(`<get-config><source><running/></source>` + fmt.Sprintf(wd, "report-all-tagged") + `</get-config>`)
	require.Contains(t, tagged, `default="true"`)

	tests := []struct {
		name string
		op   string
		tag  rpcerror.Tag
		info rpcerror.Info
	}{
		{"no source", `<get-config/>`, rpcerror.MissingElement, rpcerror.Info{BadElement: "source"}},
		{"empty source", `<get-config><source/></get-config>`, rpcerror.BadElement, rpcerror.Info{BadElement: "source"}},
		{"unknown datastore", `<get-config><source><backup/></source></get-config>`, rpcerror.BadElement, rpcerror.Info{BadElement: "backup"}},
		{"url", `<get-config><source><url>file:///x</url></source></get-config>`, rpcerror.OperationNotSupported, rpcerror.Info{BadElement: "url"}},
		{"inline config as source", `<get-config><source><config/></source></get-config>`, rpcerror.BadElement, rpcerror.Info{BadElement: "config"}},
		{"bad with-defaults", `<get-config><source><running/></source>` + fmt.Sprintf(wd, "everything") + `</get-config>`, rpcerror.InvalidValue, rpcerror.Info{BadElement: "with-defaults"}},
		{"bad filter type", `<get><filter type="regex"/></get>`, rpcerror.BadAttribute, rpcerror.Info{BadAttribute: "type", BadElement: "filter"}},
		{"xpath without select", `<get><filter type="xpath"/></get>`, rpcerror.MissingAttribute, rpcerror.Info{BadAttribute: "select", BadElement: "filter"}},
		{"unknown filter attribute", `<get><filter kind="x"/></get>`, rpcerror.UnknownAttribute, rpcerror.Info{BadAttribute: "kind", BadElement: "filter"}},
		{"duplicate parameter", `<get-config><source><running/></source><source><running/></source></get-config>`, rpcerror.BadElement, rpcerror.Info{BadElement: "source"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := p.fail(tt.op, tt.tag, rpcerror.TypeProtocol)
			require.Equal(t, tt.info, e.Info)
		})
	}
}

func TestEditConfig(t *testing.T) {
	f := newFixture(t)
	p := f.dial(t)
	p.ok(setMTU("running", 1400))
	require.Equal(t, "1400", p.mtu("running"))
	require.Equal(t, "9000", p.mtu("candidate"), "running edits do not touch the candidate")

	create := `<edit-config><target><running/></target><config><interfaces xmlns="` + ifNS + `"><interface xmlns:nc="` + baseNS + `" nc:operation="create"><name>eth0</name></interface></interfaces></config></edit-config>`
	e := p.fail(create, rpcerror.DataExists, rpcerror.TypeApplication)
	require.Contains(t, e.Path, "interface[")

	tests := []struct {
		name string
		op   string
		tag  rpcerror.Tag
		typ  rpcerror.Type
	}{
		{"startup is no edit target", strings.Replace(setMTU("running", 1), "<running/>", "<startup/>", 1), rpcerror.InvalidValue, rpcerror.TypeProtocol},
		{"no config", `<edit-config><target><running/></target></edit-config>`, rpcerror.MissingElement, rpcerror.TypeProtocol},
		{"url", `<edit-config><target><running/></target><url>file:///c.xml</url></edit-config>`, rpcerror.OperationNotSupported, rpcerror.TypeProtocol},
		{"bad default-operation", `<edit-config><target><running/></target><default-operation>delete</default-operation><config/></edit-config>`, rpcerror.InvalidValue, rpcerror.TypeProtocol},
		{"bad test-option", `<edit-config><target><running/></target><test-option>maybe</test-option><config/></edit-config>`, rpcerror.InvalidValue, rpcerror.TypeProtocol},
		{"bad error-option", `<edit-config><target><running/></target><error-option>ignore</error-option><config/></edit-config>`, rpcerror.InvalidValue, rpcerror.TypeProtocol},
		{"invalid value", setMTU("running", 10), rpcerror.InvalidValue, rpcerror.TypeApplication},
		{"unknown element", `<edit-config><target><running/></target><config><interfaces xmlns="` + ifNS + `"><bogus/></interfaces></config></edit-config>`, rpcerror.UnknownElement, rpcerror.TypeApplication},
		{"unknown namespace", `<edit-config><target><running/></target><config><x xmlns="urn:nowhere"/></config></edit-config>`, rpcerror.UnknownNamespace, rpcerror.TypeApplication},
		{"unqualified operation", `<edit-config><target><running/></target><config><interfaces xmlns="` + ifNS + `"><interface operation="delete"><name>eth0</name></interface></interfaces></config></edit-config>`, rpcerror.UnknownAttribute, rpcerror.TypeApplication},
		{"delete missing", `<edit-config><target><running/></target><config><interfaces xmlns="` + ifNS + `"><interface xmlns:nc="` + baseNS + `" nc:operation="delete"><name>nope</name></interface></interfaces></config></edit-config>`, rpcerror.DataMissing, rpcerror.TypeApplication},
		{"validation on running", `<edit-config><target><running/></target><config><interfaces xmlns="` + ifNS + `"><interface><name>new0</name></interface></interfaces></config></edit-config>`, rpcerror.DataMissing, rpcerror.TypeApplication},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { p.fail(tt.op, tt.tag, tt.typ) })
	}
	require.Equal(t, "1400", p.mtu("running"), "failed edits change nothing")

	// test-only validates and discards; continue-on-error applies the rest.
	p.ok(strings.Replace(setMTU("running", 1300), "<config>", "<test-option>test-only</test-option><config>", 1))
	require.Equal(t, "1400", p.mtu("running"))
	reply := p.rpc(`<edit-config><target><running/></target><error-option>continue-on-error</error-option><config><interfaces xmlns="` + ifNS + `"><interface><name>eth0</name><mtu>1200</mtu></interface><interface><name>eth1</name><mtu>5</mtu></interface></interfaces></config></edit-config>`)
	requireError(t, reply, rpcerror.InvalidValue, rpcerror.TypeApplication)
	require.Equal(t, "1200", p.mtu("running"))
}

func TestCopyDeleteValidate(t *testing.T) {
	f := newFixture(t)
	p := f.dial(t)
	p.ok(setMTU("running", 1400))
	p.ok(`<copy-config><target><startup/></target><source><running/></source></copy-config>`)
	require.Equal(t, "1400", p.mtu("startup"))

	inline := `<copy-config><target><candidate/></target><source><config><interfaces xmlns="` + ifNS + `" xmlns:t="` + typNS + `"><interface><name>eth9</name><type>t:ethernet</type></interface></interfaces></config></source></copy-config>`
	p.ok(inline)
	cand := p.data(getConfig("candidate"))
	require.Contains(t, cand, "eth9")
	require.NotContains(t, cand, "router1", "copy-config replaces the whole target")
	p.ok(`<validate><source><candidate/></source></validate>`)
	p.ok(`<discard-changes/>`)
	require.NotContains(t, p.data(getConfig("candidate")), "eth9")

	p.fail(`<copy-config><target><running/></target><source><running/></source></copy-config>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	p.fail(strings.Replace(strings.Replace(inline, "<candidate/>", "<running/>", 1), "<type>t:ethernet</type>", "", 1), rpcerror.DataMissing, rpcerror.TypeApplication)
	p.fail(`<validate><source><config><interfaces xmlns="`+ifNS+`"><interface><name>x</name></interface></interfaces></config></source></validate>`, rpcerror.DataMissing, rpcerror.TypeApplication)
	p.fail(`<validate><source><config><interfaces xmlns="`+ifNS+`"><interface><name>x</name><mtu>1</mtu></interface></interfaces></config></source></validate>`, rpcerror.InvalidValue, rpcerror.TypeApplication)
	p.ok(`<validate><source><config><interfaces xmlns="` + ifNS + `" xmlns:t="` + typNS + `"><interface><name>eth9</name><type>t:ethernet</type></interface></interfaces></config></source></validate>`)

	p.fail(`<delete-config><target><running/></target></delete-config>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	p.ok(`<delete-config><target><startup/></target></delete-config>`)
	require.Equal(t, `<data/>`, p.data(getConfig("startup")))
	require.Equal(t, "1400", p.mtu("running"))
}

func TestLocks(t *testing.T) {
	f := newFixture(t)
	a, b := f.dial(t), f.dial(t)
	lock := func(ds string) string { return "<lock><target><" + ds + "/></target></lock>" }
	unlock := func(ds string) string { return "<unlock><target><" + ds + "/></target></unlock>" }

	a.ok(lock("running"))
	e := b.fail(lock("running"), rpcerror.LockDenied, rpcerror.TypeProtocol)
	require.Equal(t, a.id(), *e.Info.SessionID)
	e = a.fail(lock("running"), rpcerror.LockDenied, rpcerror.TypeProtocol)
	require.Equal(t, a.id(), *e.Info.SessionID)
	b.fail(setMTU("running", 1000), rpcerror.InUse, rpcerror.TypeProtocol)
	b.fail(`<copy-config><target><running/></target><source><startup/></source></copy-config>`, rpcerror.InUse, rpcerror.TypeProtocol)
	b.fail(`<commit/>`, rpcerror.InUse, rpcerror.TypeProtocol)
	a.ok(setMTU("running", 1000))
	b.fail(unlock("running"), rpcerror.OperationFailed, rpcerror.TypeProtocol)
	a.ok(unlock("running"))
	a.fail(unlock("running"), rpcerror.OperationFailed, rpcerror.TypeProtocol)
	b.ok(setMTU("running", 1001))

	// A modified candidate cannot be locked; releasing the candidate
	// lock discards the lock holder's changes.
	a.ok(setMTU("candidate", 2000))
	e = b.fail(lock("candidate"), rpcerror.LockDenied, rpcerror.TypeProtocol)
	require.Equal(t, uint32(0), *e.Info.SessionID)
	a.ok(`<discard-changes/>`)
	a.ok(lock("candidate"))
	b.fail(setMTU("candidate", 2001), rpcerror.InUse, rpcerror.TypeProtocol)
	b.fail(`<discard-changes/>`, rpcerror.InUse, rpcerror.TypeProtocol)
	a.ok(setMTU("candidate", 2002))
	a.ok(unlock("candidate"))
	require.Equal(t, "1001", b.mtu("candidate"))

	a.ok(lock("startup"))
	b.fail(`<delete-config><target><startup/></target></delete-config>`, rpcerror.InUse, rpcerror.TypeProtocol)
	require.NoError(t, a.conn.Close())
	b.ok(lock("startup"))
}

func TestKillSession(t *testing.T) {
	f := newFixture(t)
	a, b := f.dial(t), f.dial(t)
	a.ok(`<lock><target><candidate/></target></lock>`)
	a.ok(setMTU("candidate", 3000))
	b.fail(`<kill-session><session-id>`+fmt.Sprint(b.id())+`</session-id></kill-session>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	b.fail(`<kill-session><session-id>99999</session-id></kill-session>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	b.fail(`<kill-session><session-id>zero</session-id></kill-session>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	b.fail(`<kill-session/>`, rpcerror.MissingElement, rpcerror.TypeProtocol)
	b.ok(`<kill-session><session-id>` + fmt.Sprint(a.id()) + `</session-id></kill-session>`)
	<-a.conn.Done()
	require.Equal(t, netconfcore.EndKilled, a.conn.Session().EndReason())
	_, err := a.conn.Exchange(context.Background(), `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><get/></rpc>`)
	require.ErrorIs(t, err, memtransport.ErrClosed)
	b.ok(`<lock><target><candidate/></target></lock>`)
	require.Equal(t, "9000", b.mtu("candidate"), "the victim's candidate changes were discarded with its lock")
}

func TestCloseSession(t *testing.T) {
	f := newFixture(t)
	p := f.dial(t)
	p.ok(`<lock><target><running/></target></lock>`)
	rep := p.conn.Session().Do(context.Background(), strings.NewReader(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="9"><close-session/></rpc>`))
	require.True(t, rep.EndsSession())
	select {
	case <-p.conn.Done():
		t.Fatal("session ended before its close-session reply was written")
	default:
	}
	var out bytes.Buffer
	_, err := rep.WriteTo(&out)
	require.NoError(t, err)
	require.Contains(t, out.String(), "<ok/>")
	<-p.conn.Done()
	require.Equal(t, netconfcore.EndClosed, p.conn.Session().EndReason())
	f.dial(t).ok(`<lock><target><running/></target></lock>`)
	f.dial(t).fail(`<close-session><now/></close-session>`, rpcerror.UnknownElement, rpcerror.TypeProtocol)
}

func TestSessionLimitAndShutdown(t *testing.T) {
	f := newFixture(t, func(c *netconfcore.Config) { c.MaxSessions = 2 })
	a, _ := f.dial(t), f.dial(t)
	_, err := f.srv.NewSession(netconfcore.SessionInfo{})
	require.ErrorIs(t, err, &rpcerror.Error{Tag: rpcerror.ResourceDenied})
	a.ok(`<lock><target><running/></target></lock>`)
	require.NoError(t, f.srv.Shutdown(context.Background()))
	<-a.conn.Done()
	require.Equal(t, netconfcore.EndShutdown, a.conn.Session().EndReason())
	_, err = f.srv.NewSession(netconfcore.SessionInfo{})
	require.ErrorIs(t, err, netconfcore.ErrServerClosed)
}

func TestAuditAndAuthorize(t *testing.T) {
	var recs []netconfcore.AuditRecord
	f := newFixture(t, func(c *netconfcore.Config) {
		c.Audit = func(r netconfcore.AuditRecord) { recs = append(recs, r) }
		c.Authorize = func(_ context.Context, user, op string) bool { return op != "kill-session" }
	})
	p := f.dial(t)
	p.ok(setMTU("candidate", 1500))
	p.fail(`<kill-session><session-id>1</session-id></kill-session>`, rpcerror.AccessDenied, rpcerror.TypeProtocol)
	require.Len(t, recs, 2)
	require.Equal(t, "edit-config", recs[0].Operation)
	require.Equal(t, "candidate", recs[0].Target)
	require.Equal(t, "tester", recs[0].Username)
	require.Empty(t, recs[0].Errors)
	require.Equal(t, rpcerror.AccessDenied, recs[1].Errors[0].Tag)
}

func TestCanceledOperation(t *testing.T) {
	f := newFixture(t)
	p := f.dial(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := p.conn.Session().Do(ctx, strings.NewReader(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1">`+setMTU("running", 1600)+`</rpc>`))
	require.ErrorIs(t, rep.Err(), &rpcerror.Error{Tag: rpcerror.OperationFailed})
	require.Equal(t, "9000", p.mtu("running"))
}

func TestWarningsAndSeveralErrors(t *testing.T) {
	f := newFixture(t)
	f.store.RegisterState(func(context.Context) (*etree.Element, error) { return nil, errors.New("sensor offline") })
	p := f.dial(t)

	// Warnings only: the reply still carries its data.
	reply := p.rpc(`<get/>`)
	errs := errorsOf(reply)
	require.Len(t, errs, 1)
	require.Equal(t, rpcerror.SeverityWarning, errs[0].Severity)
	require.Contains(t, errs[0].Message, "sensor offline")
	require.NotNil(t, reply.SelectElement("data"))
	require.Contains(t, show(reply.SelectElement("data")), "router1")

	// Every error of a validation comes back in one reply.
	reply = p.rpc(`<validate><source><config><interfaces xmlns="` + ifNS + `"><interface><name>a</name></interface><interface><name>b</name></interface></interfaces></config></source></validate>`)
	errs = errorsOf(reply)
	require.Len(t, errs, 2, show(reply))
	for _, e := range errs {
		require.Equal(t, rpcerror.DataMissing, e.Tag)
	}
	require.Nil(t, reply.SelectElement("ok"))
}

func TestMaxDepthBoundary(t *testing.T) {
	f := newFixture(t, func(c *netconfcore.Config) { c.MaxDepth = 8 })
	p := f.dial(t)
	nest := func(n int) string { // rpc, get and filter are 3 levels
		return `<get><filter>` + strings.Repeat(`<a xmlns="urn:x">`, n-3) + strings.Repeat(`</a>`, n-3) + `</filter></get>`
	}
	require.NotNil(t, p.rpc(nest(8)).SelectElement("data"), "nesting of exactly MaxDepth is accepted")
	p.fail(nest(9), rpcerror.TooBig, rpcerror.TypeRPC)
}
