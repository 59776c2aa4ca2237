package xpath_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// FuzzEvalBool evaluates random YANG expressions (current(), module
// prefixes, derived-from) on a leaf of the sample configuration: never a
// panic or hang, and failures are *xpath.Error or the step limit.
func FuzzEvalBool(f *testing.F) {
	f.Add("../../interface[name = current()]/mtu > 1000")
	f.Add("derived-from-or-self(../type, 'ext:ethernet') and . != ../name")
	f.Add("count(/exif:interfaces/exif:interface[exif:ipv4]) = 1")
	tr := sampleTree(f)
	at := cursorAt(f, tr, "interfaces", "interface=eth1", "parent-interface")
	mod := tr.Schema().Module("ncsoap-example-interfaces")
	ev := &xpath.Evaluator{Limits: xpath.Limits{MaxSteps: 100_000}}
	f.Fuzz(func(t *testing.T, expr string) {
		_, err := ev.EvalBool(context.Background(), tr, at, &schema.Expr{XPath: expr, Module: mod})
		var xe *xpath.Error
		if err != nil && !errors.As(err, &xe) && !errors.Is(err, xpath.ErrStepLimit) {
			t.Fatalf("unexpected error %T: %v", err, err)
		}
	})
}
