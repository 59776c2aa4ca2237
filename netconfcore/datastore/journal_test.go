package datastore

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// randomEdit returns the body of a random edit-config <config> touching
// every kind of node of the example modules: list entries and their
// leaves, leaf-lists and ordered-by-user lists and leaf-lists (with
// insert), a presence container and its nested list, a choice, anydata,
// and removals of each.
func randomEdit(rng *rand.Rand) string {
	ifName := fmt.Sprintf("eth%d", rng.IntN(12))
	op := []string{"merge", "replace", "create", "delete", "remove"}[rng.IntN(5)]
	where := []string{"first", "last"}[rng.IntN(2)]
	switch rng.IntN(12) {
	case 0, 1:
		return ifsXML(fmt.Sprintf(`<interface nc:operation="%s"><name>%s</name><type>ext:ethernet</type><mtu>%d</mtu></interface>`,
			op, ifName, 68+rng.IntN(9000)))
	case 2:
		return ifsXML(fmt.Sprintf(`<interface><name>%s</name><type>ext:ethernet</type><mtu nc:operation="%s">%d</mtu><description>d%d</description></interface>`,
			ifName, op, 68+rng.IntN(9000), rng.IntN(3)))
	case 3:
		return ifsXML(fmt.Sprintf(`<interface><name>%s</name><type>ext:ethernet</type><tag nc:operation="%s">t%d</tag></interface>`,
			ifName, op, rng.IntN(4)))
	case 4:
		return ifsXML(fmt.Sprintf(`<interface><name>%s</name><type>ext:ethernet</type><dns-search yang:insert="%s">d%d.example</dns-search></interface>`,
			ifName, where, rng.IntN(4)))
	case 5:
		return ifsXML(fmt.Sprintf(`<interface><name>%s</name><type>ext:ethernet</type><ipv4 nc:operation="%s"><address><ip>10.0.0.%d</ip><prefix-length>24</prefix-length></address></ipv4></interface>`,
			ifName, op, rng.IntN(4)))
	case 6:
		if rng.IntN(2) == 0 {
			return ifsXML(fmt.Sprintf(`<interface><name>%s</name><type>ext:ethernet</type><vlan-id>%d</vlan-id></interface>`, ifName, 1+rng.IntN(4000)))
		}
		return ifsXML(fmt.Sprintf(`<interface><name>%s</name><type>ext:ethernet</type><untagged>%t</untagged></interface>`, ifName, rng.IntN(2) == 0))
	case 7:
		return usersXML(fmt.Sprintf(`<authentication><user nc:operation="%s" yang:insert="%s"><name>u%d</name><uid>%d</uid><group>g%d</group></user></authentication>`,
			op, where, rng.IntN(5), rng.IntN(100), rng.IntN(3)))
	case 8:
		return usersXML(fmt.Sprintf(`<name-server nc:operation="%s" yang:insert="%s">192.0.2.%d</name-server>`, op, where, rng.IntN(5)))
	case 9:
		return usersXML(fmt.Sprintf(`<authentication><user-authentication-order yang:insert="%s">%s</user-authentication-order></authentication>`,
			where, []string{"local-users", "radius", "tacacs"}[rng.IntN(3)]))
	case 10:
		return fmt.Sprintf(`<routing xmlns="%s"><route nc:operation="%s"><destination>10.%d.0.0</destination><prefix-length>16</prefix-length><next-hop><index>%d</index></next-hop></route></routing>`,
			nsRt, op, rng.IntN(4), rng.IntN(3))
	}
	return fmt.Sprintf(`<vendor-extensions xmlns="%s" nc:operation="%s"><x xmlns="urn:example:x">v%d</x></vendor-extensions>`, nsRt, op, rng.IntN(3))
}

// applyDiff applies a WriteDiff record to t as replay does.
func applyDiff(t testing.TB, s *Store, base *tree.Tree, rec []byte) *tree.Tree {
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(rec), "%s", rec)
	ed := &editor{set: s.set}
	root := ed.apply(base.Root(), doc.Root(), Merge)
	require.Empty(t, ed.errs, "%s", rec)
	return base.WithRoot(root)
}

// TestWriteDiffReplays checks that the record WriteDiff writes for any
// change turns the old snapshot into the new one exactly, list order
// included.
func TestWriteDiffReplays(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	s := newStore(t, Options{})
	ctx := context.Background()
	changes := 0
	for i := range 3000 {
		old := s.Snapshot(Running)
		body := randomEdit(rng)
		if s.Edit(ctx, Running, config(t, body), EditOptions{TestOption: Set}) != nil {
			continue
		}
		next := s.Snapshot(Running)
		var rec bytes.Buffer
		changed, err := tree.WriteDiff(&rec, old, next)
		require.NoError(t, err)
		require.Equal(t, !old.Equal(next), changed, "edit %d: %s", i, body)
		if !changed {
			require.Zero(t, rec.Len())
			continue
		}
		changes++
		got := applyDiff(t, s, old, rec.Bytes())
		require.True(t, got.Equal(next), "edit %d: %s\nrecord: %s\nwant: %s\ngot:  %s",
			i, body, rec.String(), dump(t, next, tree.Explicit), dump(t, got, tree.Explicit))
	}
	require.Greater(t, changes, 1000)
}

// TestWriteDiffAcrossSnapshots checks records between snapshots several
// edits apart, where many changes meet under shared ancestors.
func TestWriteDiffAcrossSnapshots(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	s := newStore(t, Options{})
	ctx := context.Background()
	for range 200 {
		old := s.Snapshot(Running)
		for range 1 + rng.IntN(20) {
			s.Edit(ctx, Running, config(t, randomEdit(rng)), EditOptions{TestOption: Set})
		}
		next := s.Snapshot(Running)
		var rec bytes.Buffer
		_, err := tree.WriteDiff(&rec, old, next)
		require.NoError(t, err)
		if rec.Len() > 0 {
			require.True(t, applyDiff(t, s, old, rec.Bytes()).Equal(next), "record: %s", rec.String())
		}
		back := new(bytes.Buffer)
		_, err = tree.WriteDiff(back, next, old)
		require.NoError(t, err)
		if back.Len() > 0 {
			require.True(t, applyDiff(t, s, next, back.Bytes()).Equal(old), "reverse record: %s", back.String())
		}
	}
}
