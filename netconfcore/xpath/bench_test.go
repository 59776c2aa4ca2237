package xpath_test

import (
	"context"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// BenchmarkEvalBoolMust evaluates the parent-interface must of the sample
// configuration (a cached, pooled expression).
func BenchmarkEvalBoolMust(b *testing.B) {
	tr := sampleTree(b)
	at := cursorAt(b, tr, "interfaces", "interface=eth1", "parent-interface")
	x := &schema.Expr{XPath: ". != ../name", Module: tr.Schema().Module("ncsoap-example-interfaces")}
	ev := xpath.NewEvaluator()
	ctx := context.Background()
	for b.Loop() {
		if ok, err := ev.EvalBool(ctx, tr, at, x); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkEvalBoolCurrent evaluates an expression using current(), which
// is compiled per evaluation.
func BenchmarkEvalBoolCurrent(b *testing.B) {
	tr := sampleTree(b)
	at := cursorAt(b, tr, "interfaces", "interface=eth1", "parent-interface")
	x := &schema.Expr{XPath: "../../interface[name = current()]/mtu = 9000", Module: tr.Schema().Module("ncsoap-example-interfaces")}
	ev := xpath.NewEvaluator()
	ctx := context.Background()
	for b.Loop() {
		if ok, err := ev.EvalBool(ctx, tr, at, x); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkEvalBoolWhen evaluates the derived-from-or-self when condition.
func BenchmarkEvalBoolWhen(b *testing.B) {
	tr := sampleTree(b)
	at := cursorAt(b, tr, "interfaces", "interface=eth0")
	x := &schema.Expr{XPath: "derived-from-or-self(type, 'ext:ethernet')", Module: tr.Schema().Module("ncsoap-example-interfaces")}
	ev := xpath.NewEvaluator()
	ctx := context.Background()
	for b.Loop() {
		if ok, err := ev.EvalBool(ctx, tr, at, x); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
