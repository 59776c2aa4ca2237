package datastore

import (
	"context"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// BenchmarkValidateSample validates the small sample configuration, with
// and without the XPath evaluator for must and when.
func BenchmarkValidateSample(b *testing.B) {
	for _, bc := range []struct {
		name  string
		exprs ExprEvaluator
	}{{"plain", nil}, {"xpath", xpath.NewEvaluator()}} {
		b.Run(bc.name, func(b *testing.B) {
			s := newStore(b, Options{Initial: schema.SampleConfig(), Exprs: bc.exprs})
			snap := s.Snapshot(Running)
			ctx := context.Background()
			for b.Loop() {
				if err := s.validateFull(ctx, snap); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
