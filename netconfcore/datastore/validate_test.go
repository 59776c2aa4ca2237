package datastore

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

func routeXML(body string) string { return `<routing xmlns="` + nsRt + `">` + body + `</routing>` }

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		data   string
		tag    rpcerror.Tag
		appTag string
		path   string
	}{
		{name: "sample is valid", data: ""},
		{name: "mandatory leaf", data: ifsXML(`<interface><name>x</name></interface>`),
			tag: rpcerror.DataMissing, path: "/exif:interfaces/exif:interface[exif:name='x']/exif:type"},
		{name: "mandatory leaf in presence container", data: usersXML(`<monitor nc:operation="replace"/>`),
			tag: rpcerror.DataMissing, path: "/usr:system/usr:monitor/usr:watched-node"},
		{name: "unique", data: ifsXML(`<interface><name>x</name><type>ext:ethernet</type><ifindex>1</ifindex></interface>`),
			tag: rpcerror.OperationFailed, appTag: "data-not-unique", path: "/exif:interfaces/exif:interface[exif:name='x']"},
		{name: "too few elements", data: routeXML(`<route><destination>10.0.0.0</destination><prefix-length>8</prefix-length></route>`),
			tag: rpcerror.OperationFailed, appTag: "too-few-elements", path: "/exrt:routing/exrt:route[exrt:destination='10.0.0.0'][exrt:prefix-length='8']/exrt:next-hop"},
		{name: "too many elements", data: usersXML(`<name-server>a</name-server><name-server>b</name-server>`),
			tag: rpcerror.OperationFailed, appTag: "too-many-elements", path: "/usr:system/usr:name-server"},
		{name: "leafref target missing", data: routeXML(`<route><destination>10.0.0.0</destination><prefix-length>8</prefix-length><next-hop><index>1</index><interface>nope</interface></next-hop></route>`),
			tag: rpcerror.DataMissing, appTag: "instance-required", path: "/exrt:routing/exrt:route[exrt:destination='10.0.0.0'][exrt:prefix-length='8']/exrt:next-hop[exrt:index='1']/exrt:interface"},
		{name: "relative leafref", data: ifsXML(`<interface><name>x</name><type>ext:ethernet</type><parent-interface>nope</parent-interface></interface>`),
			tag: rpcerror.DataMissing, appTag: "instance-required", path: "/exif:interfaces/exif:interface[exif:name='x']/exif:parent-interface"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, Options{Initial: schema.SampleConfig()})
			if tc.data != "" {
				require.NoError(t, s.Edit(ctx, Candidate, config(t, tc.data), EditOptions{}))
			}
			err := s.Validate(ctx, s.Snapshot(Candidate))
			if tc.tag == "" {
				require.NoError(t, err)
				return
			}
			var re *rpcerror.Error
			require.True(t, errors.As(err, &re), "%v", err)
			require.Equal(t, tc.tag, re.Tag, re.Error())
			require.Equal(t, tc.appTag, re.AppTag)
			require.Equal(t, tc.path, re.Path)
		})
	}
}

type fakeExprs struct{ calls int }

func (f *fakeExprs) EvalBool(_ context.Context, _ *tree.Tree, at *tree.Cursor, x *schema.Expr) (bool, error) {
	f.calls++
	// Reject the parent-interface self-reference check for "lo".
	if x.ErrorAppTag == "self-parent" {
		return at.Node().Value() != "lo", nil
	}
	return true, nil
}

func TestMustThroughEvaluator(t *testing.T) {
	ctx := context.Background()
	ev := &fakeExprs{}
	s := newStore(t, Options{Initial: schema.SampleConfig(), Exprs: ev})
	require.NoError(t, s.Validate(ctx, s.Snapshot(Running)))
	require.Positive(t, ev.calls)
	require.NoError(t, s.Edit(ctx, Candidate, config(t, ifsXML(`<interface><name>lo</name><parent-interface>lo</parent-interface></interface>`)), EditOptions{}))
	err := s.Validate(ctx, s.Snapshot(Candidate))
	var re *rpcerror.Error
	require.True(t, errors.As(err, &re), "%v", err)
	require.Equal(t, "self-parent", re.AppTag)
	require.Equal(t, "An interface cannot be its own parent.", re.Message)
	require.Equal(t, "/exif:interfaces/exif:interface[exif:name='lo']/exif:parent-interface", re.Path)
}

// TestConcurrentReaders checks with -race that readers see whole snapshots
// while a writer edits.
func TestConcurrentReaders(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Initial: schema.SampleConfig()})
	ifsNode := s.Schema().Top(nsIf, "interfaces")
	list := ifsNode.Child(nsIf, "interface")
	mtu := list.Child(nsIf, "mtu")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				snap := s.Snapshot(Running)
				c := snap.Root().Child(ifsNode)
				a := c.Entry(list, "eth0").Child(mtu).Value()
				b := c.Entry(list, "eth1").Child(mtu)
				// The writer always sets both MTUs together.
				if b != nil && a != b.Value() {
					t.Errorf("half-applied edit seen: %s vs %s", a, b.Value())
					return
				}
				_ = dump(t, snap, tree.ReportAll)
			}
		}()
	}
	for i := 0; i < 50; i++ {
		v := []string{"1400", "1500", "9000"}[i%3]
		err := s.Edit(ctx, Running, config(t, ifsXML(
			`<interface><name>eth0</name><mtu>`+v+`</mtu></interface><interface><name>eth1</name><mtu>`+v+`</mtu></interface>`)), EditOptions{})
		require.NoError(t, err)
	}
	close(stop)
	wg.Wait()
}
