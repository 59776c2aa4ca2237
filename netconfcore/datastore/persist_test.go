package datastore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

func TestPersistence(t *testing.T) {
	ctx := context.Background()
	backend := storage.NewMemory()
	s := newStore(t, Options{Backend: backend, Initial: schema.SampleConfig()})
	require.NoError(t, s.Edit(ctx, Running, config(t, ifsXML(`<interface><name>eth0</name><mtu>1400</mtu></interface>`)), EditOptions{}))
	require.NoError(t, s.Reset(ctx, Startup))

	again := newStore(t, Options{Backend: backend, Initial: schema.SampleConfig()})
	require.Equal(t, dump(t, s.Snapshot(Running), tree.Explicit), dump(t, again.Snapshot(Running), tree.Explicit))
	require.Contains(t, dump(t, again.Snapshot(Running), tree.Explicit), "<mtu>1400</mtu>")
	require.True(t, again.Snapshot(Startup).IsEmpty())
	require.False(t, Differs(again.Snapshot(Running), again.Snapshot(Candidate)))
}
