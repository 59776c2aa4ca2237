package datastore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/xpath"
)

// addresses returns n ipv4 address entries.
func addresses(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<address><ip>10.0.0.%d</ip><prefix-length>24</prefix-length></address>`, i+1)
	}
	return b.String()
}

// TestMustWhen checks must and when (RFC 7950 §7.5.3, §7.21.5, §8) with
// the XPath evaluator wired in, on edits of running with test-then-set.
func TestMustWhen(t *testing.T) {
	const eth0Path = "/exif:interfaces/exif:interface[exif:name='eth0']"
	cases := []struct {
		name    string
		edit    string
		appTag  string
		message string
		path    string
		when    bool // a when violation rather than a must violation
	}{
		{name: "sample configuration is valid"},
		{name: "must holds", edit: ifsXML(`<interface><name>eth0</name><ipv4>` + addresses(15) + `</ipv4></interface>`)},
		{name: "must violation with error-message", edit: ifsXML(`<interface><name>eth0</name><ipv4>` + addresses(16) + `</ipv4></interface>`),
			appTag: "must-violation", message: "At most 16 addresses per interface.", path: eth0Path + "/exif:ipv4"},
		{name: "must with error-app-tag", edit: ifsXML(`<interface><name>eth1</name><parent-interface>eth1</parent-interface></interface>`),
			appTag: "self-parent", message: "An interface cannot be its own parent.", path: "/exif:interfaces/exif:interface[exif:name='eth1']/exif:parent-interface"},
		{name: "must on leafref to another entry holds", edit: ifsXML(`<interface><name>lo</name><parent-interface>eth0</parent-interface></interface>`)},
		{name: "when true", edit: ifsXML(`<interface><name>tun0</name><type>ext:tunnel</type><ifindex>9</ifindex><tunnel-peer>192.0.2.9</tunnel-peer></interface>`)},
		{name: "when false", edit: ifsXML(`<interface><name>eth9</name><type>ext:ethernet</type><ifindex>9</ifindex><tunnel-peer>192.0.2.9</tunnel-peer></interface>`),
			when: true, path: "/exif:interfaces/exif:interface[exif:name='eth9']/exif:tunnel-peer"},
		{name: "when false after the type changes", edit: ifsXML(`<interface><name>tun0</name><type>ext:tunnel</type><ifindex>9</ifindex><tunnel-peer>192.0.2.9</tunnel-peer></interface>` +
			`<interface><name>tun0</name><type>ext:loopback</type></interface>`),
			when: true, path: "/exif:interfaces/exif:interface[exif:name='tun0']/exif:tunnel-peer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, Options{Initial: schema.SampleConfig(), Exprs: xpath.NewEvaluator()})
			before := s.Snapshot(Running)
			if tc.edit == "" {
				require.NoError(t, s.Validate(ctx, before))
				return
			}
			err := s.Edit(ctx, Running, config(t, tc.edit), EditOptions{})
			if tc.path == "" {
				require.NoError(t, err)
				return
			}
			var re *rpcerror.Error
			require.True(t, errors.As(err, &re), "%v", err)
			require.Equal(t, rpcerror.TypeApplication, re.Type)
			require.Equal(t, tc.path, re.Path)
			require.NotEmpty(t, re.PathNamespaces)
			if tc.when {
				// RFC 7950 §8.3.2 asks for unknown-element here; the data layer
				// reports operation-failed (see the H1 report).
				require.Equal(t, rpcerror.UnknownElement, re.Tag)
				require.Contains(t, re.Message, "when")
			} else {
				require.Equal(t, rpcerror.OperationFailed, re.Tag)
				require.Equal(t, tc.appTag, re.AppTag)
				require.Equal(t, tc.message, re.Message)
			}
			require.True(t, s.Snapshot(Running).Equal(before), "a rejected edit changed running")
		})
	}
}

// TestMustWhenCandidate checks that the candidate accepts a must
// violation and that validating it (as commit does) reports it, and that
// without an evaluator must and when are not checked.
func TestMustWhenCandidate(t *testing.T) {
	ctx := context.Background()
	bad := config(t, ifsXML(`<interface><name>eth1</name><parent-interface>eth1</parent-interface></interface>`))

	s := newStore(t, Options{Initial: schema.SampleConfig(), Exprs: xpath.NewEvaluator()})
	require.NoError(t, s.Edit(ctx, Candidate, bad, EditOptions{}))
	err := s.Validate(ctx, s.Snapshot(Candidate))
	var re *rpcerror.Error
	require.True(t, errors.As(err, &re), "%v", err)
	require.Equal(t, "self-parent", re.AppTag)

	err = s.Edit(ctx, Running, bad, EditOptions{TestOption: TestOnly})
	require.True(t, errors.As(err, &re), "%v", err)
	require.Equal(t, "self-parent", re.AppTag)

	plain := newStore(t, Options{Initial: schema.SampleConfig()})
	require.NoError(t, plain.Edit(ctx, Running, bad, EditOptions{}))
}

// TestMustWhenSeveral checks that every violation is reported together.
func TestMustWhenSeveral(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Initial: schema.SampleConfig(), Exprs: xpath.NewEvaluator()})
	err := s.Edit(ctx, Running, config(t, ifsXML(
		`<interface><name>eth1</name><parent-interface>eth1</parent-interface></interface>`+
			`<interface><name>lo</name><parent-interface>lo</parent-interface><tunnel-peer>192.0.2.1</tunnel-peer></interface>`)), EditOptions{})
	list := rpcerror.Errors(err)
	require.Len(t, list, 3, "%v", err)
}
