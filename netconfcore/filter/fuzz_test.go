package filter_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/filter"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// checkResult fails unless err is an rpc-error, or the result can be
// written.
func checkResult(t *testing.T, got *tree.Tree, err error) {
	if err != nil {
		var re *rpcerror.Error
		if !errors.As(err, &re) {
			t.Fatalf("error %T is not an rpc-error: %v", err, err)
		}
		return
	}
	if werr := got.WriteXML(io.Discard, tree.WriteOptions{Defaults: tree.ReportAll}); werr != nil {
		t.Fatal(werr)
	}
}

// FuzzSubtree applies random subtree filter content to the sample
// operational data: it must never panic or hang, and failures must be
// rpc-errors.
func FuzzSubtree(f *testing.F) {
	f.Add(users(`<user><name>admin</name><uid/></user>`))
	f.Add(ifs(`<interface><name>eth0</name><ipv4><address/></ipv4></interface>`))
	f.Add(`<system xmlns=""><hostname>router1</hostname></system>`)
	tr := operational(f)
	f.Fuzz(func(t *testing.T, body string) {
		doc := etree.NewDocument()
		if err := doc.ReadFromString(`<filter xmlns="` + nsNC + `" xmlns:if="` + nsIf + `" xmlns:usr="` + nsUsr + `">` + body + `</filter>`); err != nil {
			return
		}
		got, err := filter.Limits{MaxNodes: 1000}.Subtree(context.Background(), tr, doc.Root())
		checkResult(t, got, err)
	})
}

// FuzzXPath evaluates random XPath filter expressions on the sample
// operational data with a step limit.
func FuzzXPath(f *testing.F) {
	f.Add("/if:interfaces/if:interface[if:name='eth0']/if:mtu")
	f.Add("//usr:user[usr:uid > 1000] | /if:interfaces")
	f.Add("count(//*)")
	tr := operational(f)
	ns := map[string]string{"if": nsIf, "usr": nsUsr, "": nsRt}
	f.Fuzz(func(t *testing.T, expr string) {
		got, err := filter.Limits{}.XPath(context.Background(), tr, expr, ns)
		checkResult(t, got, err)
	})
}

// FuzzXPathKey checks the key-lookup fast path against the general
// evaluator: whenever it takes an expression, both must select the same
// nodes.
func FuzzXPathKey(f *testing.F) {
	f.Add("/if:interfaces/if:interface[if:name='eth0']/if:tag[.='core']")
	f.Add("/rt:routing/rt:route[rt:destination='0.0.0.0'][rt:prefix-length=-0]/rt:next-hop[rt:index=1]")
	f.Add("/usr:system/usr:authentication/usr:user[usr:name='admin'] | /interfaces/interface[name=\"lo\"]")
	tr := operational(f)
	ns := map[string]string{"if": nsIf, "usr": nsUsr, "rt": nsRt, "": nsIf}
	f.Fuzz(func(t *testing.T, expr string) {
		got, ok := filter.KeySelect(tr, expr, ns)
		if !ok {
			return
		}
		want, err := filter.GeneralXPath(context.Background(), tr, expr, ns)
		if err != nil {
			t.Fatalf("fast path took %q, which the general evaluator refuses: %v", expr, err)
		}
		var a, b strings.Builder
		if err := got.WriteXML(&a, tree.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := want.WriteXML(&b, tree.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Fatalf("%q: fast path gives %s, general evaluator %s", expr, a.String(), b.String())
		}
	})
}
