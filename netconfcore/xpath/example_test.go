package xpath_test

import (
	"context"
	"fmt"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// An Evaluator checks must and when expressions when a datastore
// validates; here a must statement's error-app-tag comes back.
func ExampleNewEvaluator() {
	ctx := context.Background()
	set, err := schema.Load(schema.Options{})
	if err != nil {
		panic(err)
	}
	s, err := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig(), Exprs: xpath.NewEvaluator()})
	if err != nil {
		panic(err)
	}
	candidate := s.Snapshot(datastore.Candidate)
	fmt.Println(s.Validate(ctx, candidate))
	// Output:
	// <nil>
}
