package contracttest

import (
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/gen"
	"github.com/ncsoap/ncsoap/internal/nsxml"
	"github.com/ncsoap/ncsoap/internal/peertest"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

const baseNS = "urn:ietf:params:xml:ns:netconf:base:1.0"

func ptr[T any](v T) *T { return &v }

var empty = &gen.EmptyType{}

func rpc(id string, build func(r *gen.RPC)) *gen.RPC {
	r := &gen.RPC{MessageID: ptr(gen.MessageIDType(id))}
	build(r)
	return r
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := xml.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// requests holds one message per operation of the contract, built only
// from generated types.
func requests(t *testing.T) map[string]any {
	subscription := mustMarshal(t, &gen.CreateSubscription{
		Stream: ptr(gen.StreamNameType("NETCONF")),
		Filter: &gen.FilterType{InnerXML: `<event xmlns="urn:example:events"/>`},
	})
	schema := mustMarshal(t, &gen.GetSchema{Identifier: "ietf-interfaces", Version: "2018-02-20", Format: "yang"})
	config := `<top xmlns="http://example.com/schema/1.2/config"><interface xmlns:nc="` + baseNS +
		`" nc:operation="replace"><name>Ethernet0/0</name><mtu>1500</mtu></interface></top>`
	return map[string]any{
		"hello": &gen.Hello{Capabilities: &gen.CapabilitiesType{Capability: []gen.AnyURI{
			"urn:ietf:params:netconf:base:1.0", "urn:ietf:params:netconf:base:1.1"}}},
		"get-config-subtree": rpc("101", func(r *gen.RPC) {
			r.GetConfig = &gen.GetConfig{Source: &gen.DatastoreType{Running: empty},
				Filter: &gen.FilterType{Type: ptr(gen.FilterKindTypeSubtree),
					InnerXML: `<top xmlns="http://example.com/schema/1.2/config"><users/></top>`}}
		}),
		"get-config-xpath": rpc("102", func(r *gen.RPC) {
			r.GetConfig = &gen.GetConfig{Source: &gen.DatastoreType{Candidate: empty},
				Filter: &gen.FilterType{Type: ptr(gen.FilterKindTypeXpath), Select: "/t:top/t:users"}}
		}),
		"get-config-with-defaults": rpc("103", func(r *gen.RPC) {
			r.GetConfig = &gen.GetConfig{Source: &gen.DatastoreType{Startup: empty},
				InnerXML: `<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">report-all</with-defaults>`}
		}),
		"edit-config": rpc("104", func(r *gen.RPC) {
			r.EditConfig = &gen.EditConfig{Target: &gen.EditTargetType{Candidate: empty},
				DefaultOperation: ptr(gen.DefaultOperationTypeNone),
				TestOption:       ptr(gen.TestOptionTypeTestThenSet),
				ErrorOption:      ptr(gen.ErrorOptionTypeRollbackOnError),
				Config:           &gen.ConfigInlineType{InnerXML: config}}
		}),
		"edit-config-url": rpc("105", func(r *gen.RPC) {
			r.EditConfig = &gen.EditConfig{Target: &gen.EditTargetType{Running: empty}, URL: "file:///tmp/config.xml"}
		}),
		"copy-config-inline": rpc("106", func(r *gen.RPC) {
			r.CopyConfig = &gen.CopyConfig{Target: &gen.CopyTargetType{Startup: empty},
				Source: &gen.SourceType{Config: &gen.ConfigInlineType{InnerXML: config}}}
		}),
		"copy-config-datastores": rpc("107", func(r *gen.RPC) {
			r.CopyConfig = &gen.CopyConfig{Target: &gen.CopyTargetType{Startup: empty},
				Source: &gen.SourceType{Running: empty}}
		}),
		"delete-config": rpc("108", func(r *gen.RPC) {
			r.DeleteConfig = &gen.DeleteConfig{Target: &gen.DeleteTargetType{Startup: empty}}
		}),
		"lock": rpc("109", func(r *gen.RPC) {
			r.Lock = &gen.Lock{Target: &gen.DatastoreType{Candidate: empty}}
		}),
		"unlock": rpc("110", func(r *gen.RPC) {
			r.Unlock = &gen.Unlock{Target: &gen.DatastoreType{Running: empty}}
		}),
		"get": rpc("111", func(r *gen.RPC) {
			r.Get = &gen.Get{Filter: &gen.FilterType{InnerXML: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>`}}
		}),
		"close-session": rpc("112", func(r *gen.RPC) { r.CloseSession = &gen.CloseSession{} }),
		"kill-session": rpc("113", func(r *gen.RPC) {
			r.KillSession = &gen.KillSession{SessionID: ptr(gen.SessionIDType(4))}
		}),
		"commit": rpc("114", func(r *gen.RPC) { r.Commit = &gen.Commit{} }),
		"commit-confirmed": rpc("115", func(r *gen.RPC) {
			r.Commit = &gen.Commit{Confirmed: empty, ConfirmTimeout: ptr(gen.ConfirmTimeoutType(120)), Persist: "token-1"}
		}),
		"commit-confirming": rpc("116", func(r *gen.RPC) { r.Commit = &gen.Commit{PersistID: "token-1"} }),
		"cancel-commit":     rpc("117", func(r *gen.RPC) { r.CancelCommit = &gen.CancelCommit{PersistID: "token-1"} }),
		"discard-changes":   rpc("118", func(r *gen.RPC) { r.DiscardChanges = &gen.DiscardChanges{} }),
		"validate": rpc("119", func(r *gen.RPC) {
			r.Validate = &gen.Validate{Source: &gen.SourceType{Candidate: empty}}
		}),
		"create-subscription": rpc("120", func(r *gen.RPC) { r.InnerXML = subscription }),
		"get-schema":          rpc("121", func(r *gen.RPC) { r.InnerXML = schema }),
	}
}

// TestRequestsValidate marshals every request type and validates the
// result against xsd/ with xmllint.
func TestRequestsValidate(t *testing.T) {
	xmllint := peertest.RequireCommand(t, "xmllint", "libxml2-utils")
	dir := t.TempDir()
	reqs := requests(t)
	names := make([]string, 0, len(reqs))
	for name := range reqs {
		names = append(names, name)
	}
	sort.Strings(names)
	var files []string
	for _, name := range names {
		f := filepath.Join(dir, name+".xml")
		require.NoError(t, os.WriteFile(f, []byte(mustMarshal(t, reqs[name])), 0o644))
		files = append(files, f)
	}
	args := append([]string{"--noout", "--schema", "testdata/all.xsd"}, files...)
	out, err := exec.Command(xmllint, args...).CombinedOutput()
	require.NoError(t, err, "xmllint:\n%s", out)
	for _, f := range files {
		require.Contains(t, string(out), f+" validates")
	}
}

// TestInvalidRequestRejected shows the schema is strict enough to matter:
// an rpc without message-id and a commit with an unknown child fail.
func TestInvalidRequestRejected(t *testing.T) {
	xmllint := peertest.RequireCommand(t, "xmllint", "libxml2-utils")
	for name, doc := range map[string]string{
		"no-message-id": `<rpc xmlns="` + baseNS + `"><get/></rpc>`,
		"bad-commit":    `<rpc xmlns="` + baseNS + `" message-id="1"><commit><confirm/></commit></rpc>`,
		"bad-target":    `<rpc xmlns="` + baseNS + `" message-id="1"><lock><target><url>x</url></target></lock></rpc>`,
	} {
		f := filepath.Join(t.TempDir(), name+".xml")
		require.NoError(t, os.WriteFile(f, []byte(doc), 0o644))
		out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/all.xsd", f).CombinedOutput()
		require.Error(t, err, "%s validated:\n%s", name, out)
	}
}

func TestMessageIDIsUnqualified(t *testing.T) {
	out := mustMarshal(t, requests(t)["lock"])
	require.Equal(t, `<rpc xmlns="`+baseNS+`" message-id="109"><lock><target><candidate></candidate></target></lock></rpc>`, out)
}

func TestCommitWithoutConfirmedSendsNoConfirmed(t *testing.T) {
	out := mustMarshal(t, &gen.Commit{})
	require.NotContains(t, out, "confirmed")
	require.Equal(t, `<commit xmlns="`+baseNS+`"></commit>`, out)
	out = mustMarshal(t, &gen.Commit{Confirmed: empty})
	require.Contains(t, out, "<confirmed></confirmed>")
}

func TestCreateSubscriptionWithoutStartTimeRequestsNoReplay(t *testing.T) {
	out := mustMarshal(t, &gen.CreateSubscription{})
	require.NotContains(t, out, "startTime")
	require.NotContains(t, out, "stopTime")
}

func TestFilterInSubscriptionTakesNotificationNamespace(t *testing.T) {
	out := mustMarshal(t, &gen.CreateSubscription{Filter: &gen.FilterType{InnerXML: `<a xmlns="urn:a"/>`}})
	require.Equal(t, `<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><filter><a xmlns="urn:a"/></filter></create-subscription>`, out)
}

func decodeReply(t *testing.T, doc string) *gen.RPCReply {
	t.Helper()
	var r gen.RPCReply
	require.NoError(t, xml.Unmarshal([]byte(doc), &r))
	return &r
}

func TestReplyOkPresence(t *testing.T) {
	r := decodeReply(t, `<rpc-reply xmlns="`+baseNS+`" message-id="7"><ok/></rpc-reply>`)
	require.NotNil(t, r.Ok)
	require.Equal(t, gen.MessageIDType("7"), *r.MessageID)
	r = decodeReply(t, `<rpc-reply xmlns="`+baseNS+`" message-id="8"><data/></rpc-reply>`)
	require.Nil(t, r.Ok)
	require.NotNil(t, r.Data)
}

func TestReplyDataKeptVerbatim(t *testing.T) {
	inner := `<top xmlns="http://example.com/schema/1.2/config"><users><user><name>root</name>` +
		`<type>superuser</type><!-- c --><x:ref xmlns:x="urn:x" a="&amp;1">t:v</x:ref></user></users></top>`
	doc := `<rpc-reply xmlns="` + baseNS + `" xmlns:t="urn:t" message-id="101"><data>` + inner + `</data></rpc-reply>`
	r := decodeReply(t, doc)
	require.Equal(t, inner, r.Data.InnerXML)

	// With etree, the data's children carry the declarations in scope on
	// rpc-reply, here the t prefix used in a QName value.
	d := etree.NewDocument()
	require.NoError(t, d.ReadFromString(doc))
	data := d.FindElement("//data")
	detached := nsxml.String(data.ChildElements()[0])
	require.Contains(t, detached, `xmlns:t="urn:t"`)
	re := etree.NewDocument()
	require.NoError(t, re.ReadFromString(detached))
	ref := re.FindElement("//ref")
	require.Equal(t, "urn:x", ref.NamespaceURI())
	require.Equal(t, "urn:t", ref.Parent().Parent().Parent().SelectAttrValue("xmlns:t", ""))
}

func TestReplyRPCErrorDecodes(t *testing.T) {
	doc := `<rpc-reply xmlns="` + baseNS + `" xmlns:ex="urn:ex" message-id="5"><rpc-error>` +
		`<error-type>protocol</error-type><error-tag>lock-denied</error-tag><error-severity>error</error-severity>` +
		`<error-path>/ex:top/ex:a</error-path><error-message xml:lang="de">gesperrt</error-message>` +
		`<error-info><session-id>4</session-id><vendor xmlns="urn:vendor">v</vendor></error-info></rpc-error>` +
		`<rpc-error><error-type>application</error-type><error-tag>unknown-element</error-tag>` +
		`<error-severity>error</error-severity><error-info><bad-element>ex:b</bad-element></error-info></rpc-error></rpc-reply>`
	r := decodeReply(t, doc)
	require.Len(t, r.RPCError, 2)
	e := r.RPCError[0]
	require.Equal(t, gen.ErrorTagTypeLockDenied, *e.ErrorTag)
	require.Equal(t, "gesperrt", e.ErrorMessage.Value)
	require.Equal(t, "de", e.ErrorMessage.Lang)
	require.Equal(t, gen.SessionIDOrZeroType(4), *e.ErrorInfo.SessionID)
	require.Contains(t, e.ErrorInfo.InnerXML, `<vendor xmlns="urn:vendor">v</vendor>`)
	require.Equal(t, []string{"ex:b"}, r.RPCError[1].ErrorInfo.BadElement)

	// The same reply through the engine's error type keeps the prefix
	// binding of error-path and the foreign error-info content.
	d := etree.NewDocument()
	require.NoError(t, d.ReadFromString(doc))
	re := rpcerror.FromElement(d.FindElement("//rpc-error"))
	require.Equal(t, rpcerror.LockDenied, re.Tag)
	require.Equal(t, "urn:ex", re.PathNamespaces["ex"])
	require.Equal(t, uint32(4), *re.Info.SessionID)
	require.Equal(t, "de", re.Lang)
	require.Equal(t, `<vendor xmlns="urn:vendor" xmlns:ex="urn:ex">v</vendor>`, re.Info.Extra)
}

func TestPrefixedMessagesDecode(t *testing.T) {
	r := decodeReply(t, `<nc:rpc-reply xmlns:nc="`+baseNS+`" message-id="9"><nc:ok/></nc:rpc-reply>`)
	require.NotNil(t, r.Ok)
	var req gen.RPC
	require.NoError(t, xml.Unmarshal([]byte(`<nc:rpc xmlns:nc="`+baseNS+`" message-id="10"><nc:get-config>`+
		`<nc:source><nc:running/></nc:source><nc:filter type="subtree"><t:top xmlns:t="urn:t"/></nc:filter>`+
		`</nc:get-config></nc:rpc>`), &req))
	require.Equal(t, gen.MessageIDType("10"), *req.MessageID)
	require.NotNil(t, req.GetConfig.Source.Running)
	require.Equal(t, gen.FilterKindTypeSubtree, *req.GetConfig.Filter.Type)
	require.Equal(t, `<t:top xmlns:t="urn:t"/>`, req.GetConfig.Filter.InnerXML)
}

func TestHelloRoundTrip(t *testing.T) {
	in := &gen.Hello{Capabilities: &gen.CapabilitiesType{Capability: []gen.AnyURI{"urn:ietf:params:netconf:base:1.1"}},
		SessionID: ptr(gen.SessionIDType(4))}
	var out gen.Hello
	require.NoError(t, xml.Unmarshal([]byte(mustMarshal(t, in)), &out))
	require.Equal(t, in.Capabilities.Capability, out.Capabilities.Capability)
	require.Equal(t, gen.SessionIDType(4), *out.SessionID)
}

// TestNoFieldDropped fails when regeneration loses a part of the schema:
// every element, attribute and wildcard of each named complex type in xsd/
// must have a field in the generated struct of the same name.
func TestNoFieldDropped(t *testing.T) {
	generated := generatedFields(t, "../../gen/netconf.go")
	files, err := filepath.Glob("../../xsd/*.xsd")
	require.NoError(t, err)
	checked := 0
	for _, file := range files {
		doc := etree.NewDocument()
		require.NoError(t, doc.ReadFromFile(file))
		for _, ct := range doc.FindElements("//complexType[@name]") {
			name := ct.SelectAttrValue("name", "")
			goType := strings.ToUpper(name[:1]) + name[1:]
			for _, want := range schemaParts(ct) {
				got, ok := generated[goTypeName(goType)]
				require.True(t, ok, "no generated type for complexType %s", name)
				require.Contains(t, got, want, "complexType %s: generated %s has no field for %s", name, goTypeName(goType), want)
				checked++
			}
		}
	}
	require.Greater(t, checked, 60)
}

// goTypeName applies the generator's initialisms to a schema type name.
func goTypeName(s string) string {
	for _, r := range [][2]string{{"Rpc", "RPC"}, {"Id", "ID"}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}

// schemaParts lists the XML names a complex type's content declares:
// element names, attribute names, and ",innerxml" for a wildcard.
func schemaParts(ct *etree.Element) []string {
	var parts []string
	for _, el := range ct.FindElements(".//element") {
		n := el.SelectAttrValue("name", el.SelectAttrValue("ref", ""))
		parts = append(parts, n[strings.Index(n, ":")+1:])
	}
	for _, a := range ct.FindElements(".//attribute") {
		n := a.SelectAttrValue("name", a.SelectAttrValue("ref", ""))
		parts = append(parts, n[strings.Index(n, ":")+1:])
	}
	if len(ct.FindElements(".//any")) > 0 && ct.SelectAttrValue("mixed", "") == "" {
		parts = append(parts, ",innerxml")
	}
	return parts
}

// generatedFields maps each struct type of the generated file to the XML
// names of its fields.
func generatedFields(t *testing.T, path string) map[string][]string {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	require.NoError(t, err)
	out := map[string][]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return true
		}
		fields := []string{}
		for _, fl := range st.Fields.List {
			if fl.Tag == nil {
				continue
			}
			raw, _ := strconv.Unquote(fl.Tag.Value)
			tag := reflect.StructTag(raw).Get("xml")
			if tag == ",innerxml" {
				fields = append(fields, tag)
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if i := strings.LastIndex(name, " "); i >= 0 {
				name = name[i+1:]
			}
			fields = append(fields, name)
		}
		out[ts.Name.Name] = fields
		return true
	})
	require.NotEmpty(t, out, fmt.Sprintf("no structs in %s", path))
	return out
}
