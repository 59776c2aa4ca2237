package netconfcore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
)

func confirmed(extra string) string { return "<commit><confirmed/>" + extra + "</commit>" }

func TestCommit(t *testing.T) {
	f := newFixture(t)
	p := f.dial(t)
	p.ok(setMTU("candidate", 1400))
	require.Equal(t, "9000", p.mtu("running"))
	p.ok(`<commit/>`)
	require.Equal(t, "1400", p.mtu("running"))

	// An invalid candidate is not committed.
	p.ok(`<edit-config><target><candidate/></target><config><interfaces xmlns="` + ifNS + `"><interface><name>new0</name></interface></interfaces></config></edit-config>`)
	e := p.fail(`<commit/>`, rpcerror.DataMissing, rpcerror.TypeApplication)
	require.Contains(t, e.Path, "new0")
	require.NotContains(t, p.data(getConfig("running")), "new0")

	p.fail(`<commit><confirm-timeout>5</confirm-timeout></commit>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	p.fail(`<commit><persist>x</persist></commit>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	p.fail(confirmed(`<confirm-timeout>0</confirm-timeout>`), rpcerror.InvalidValue, rpcerror.TypeProtocol)
	p.fail(`<commit><confirmed>yes</confirmed></commit>`, rpcerror.BadElement, rpcerror.TypeProtocol)
	p.fail(`<commit><persist-id>nothing</persist-id></commit>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	p.fail(`<cancel-commit/>`, rpcerror.OperationFailed, rpcerror.TypeProtocol)
}

func TestConfirmedCommitTimeout(t *testing.T) {
	f := newFixture(t)
	p := f.dial(t)
	p.ok(setMTU("candidate", 1400))
	p.ok(confirmed(`<confirm-timeout>1</confirm-timeout>`))
	require.Equal(t, "1400", p.mtu("running"))
	require.Eventually(t, func() bool { return p.mtu("running") == "9000" }, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, "9000", p.mtu("candidate"))
	p.fail(`<cancel-commit/>`, rpcerror.OperationFailed, rpcerror.TypeProtocol)
}

func TestConfirmedCommitSameSession(t *testing.T) {
	f := newFixture(t)
	a, b := f.dial(t), f.dial(t)
	a.ok(setMTU("candidate", 1400))
	a.ok(confirmed(""))

	// Only the issuing session may confirm, extend or cancel, or lock
	// running meanwhile.
	b.fail(`<commit/>`, rpcerror.InUse, rpcerror.TypeProtocol)
	b.fail(confirmed(""), rpcerror.InUse, rpcerror.TypeProtocol)
	b.fail(`<cancel-commit/>`, rpcerror.InUse, rpcerror.TypeProtocol)
	b.fail(`<cancel-commit><persist-id>x</persist-id></cancel-commit>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	e := b.fail(`<lock><target><running/></target></lock>`, rpcerror.LockDenied, rpcerror.TypeProtocol)
	require.Equal(t, a.id(), *e.Info.SessionID)

	// A follow-up confirmed commit may add changes; the confirming commit
	// makes them permanent.
	a.ok(setMTU("candidate", 1300))
	a.ok(confirmed(`<confirm-timeout>60</confirm-timeout>`))
	require.Equal(t, "1300", a.mtu("running"))
	a.ok(`<commit/>`)
	require.NoError(t, a.conn.Close())
	require.Equal(t, "1300", b.mtu("running"))
	b.ok(`<lock><target><running/></target></lock>`)
}

func TestConfirmedCommitEndsWithSession(t *testing.T) {
	ends := map[string]func(f *fixture, owner, other *peer){
		"transport lost": func(_ *fixture, owner, _ *peer) { owner.conn.Close() },
		"close-session":  func(_ *fixture, owner, _ *peer) { owner.ok(`<close-session/>`) },
		"kill-session": func(_ *fixture, owner, other *peer) {
			other.ok(fmt.Sprintf(`<kill-session><session-id>%d</session-id></kill-session>`, owner.id()))
		},
		"cancel-commit": func(_ *fixture, owner, _ *peer) { owner.ok(`<cancel-commit/>`) },
	}
	for name, end := range ends {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			a, b := f.dial(t), f.dial(t)
			a.ok(setMTU("candidate", 1400))
			a.ok(confirmed(""))
			require.Equal(t, "1400", b.mtu("running"))
			end(f, a, b)
			if name != "cancel-commit" {
				<-a.conn.Done()
			}
			require.Equal(t, "9000", b.mtu("running"))
			b.fail(`<cancel-commit/>`, rpcerror.OperationFailed, rpcerror.TypeProtocol)
		})
	}
}

func TestPersistentConfirmedCommit(t *testing.T) {
	f := newFixture(t)
	a, b := f.dial(t), f.dial(t)
	a.ok(setMTU("candidate", 1400))
	a.ok(confirmed(`<persist>token-1</persist>`))
	require.NoError(t, a.conn.Close())
	require.Equal(t, "1400", b.mtu("running"), "a persistent confirmed commit survives its session")

	b.fail(`<commit/>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	b.fail(`<commit><persist-id>wrong</persist-id></commit>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	b.fail(`<cancel-commit/>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)
	b.ok(setMTU("candidate", 1300))
	b.ok(confirmed(`<persist>token-2</persist><persist-id>token-1</persist-id>`))
	require.Equal(t, "1300", b.mtu("running"))
	b.fail(`<commit><persist-id>token-1</persist-id></commit>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)

	c := f.dial(t)
	c.ok(`<cancel-commit><persist-id>token-2</persist-id></cancel-commit>`)
	require.Equal(t, "9000", c.mtu("running"), "cancel restores the configuration from before the first confirmed commit")

	c.ok(setMTU("candidate", 1200))
	c.ok(confirmed(`<persist>p</persist>`))
	b.ok(`<commit><persist-id>p</persist-id></commit>`)
	require.NoError(t, c.conn.Close())
	require.Equal(t, "1200", b.mtu("running"))
}

func TestConfirmedCommitRestart(t *testing.T) {
	backend := storage.NewMemory()
	f := openFixture(t, backend)
	p := f.dial(t)
	p.ok(setMTU("candidate", 1400))
	p.ok(`<commit/>`)
	p.ok(setMTU("candidate", 1300))
	p.ok(confirmed(`<persist>keep</persist>`))
	require.NoError(t, f.srv.Shutdown(context.Background()))

	again := openFixture(t, backend)
	q := again.dial(t)
	require.Equal(t, "1400", q.mtu("running"), "a restart before confirmation restores the configuration before the confirmed commit")
	require.Equal(t, "1400", q.mtu("candidate"))
	q.fail(`<commit><persist-id>keep</persist-id></commit>`, rpcerror.InvalidValue, rpcerror.TypeProtocol)

	// A confirmed commit that was confirmed survives a restart.
	q.ok(setMTU("candidate", 1100))
	q.ok(confirmed(""))
	q.ok(`<commit/>`)
	require.NoError(t, again.srv.Shutdown(context.Background()))
	third := openFixture(t, backend)
	require.Equal(t, "1100", third.dial(t).mtu("running"))
}

// flakyBackend fails every Save while broken is set.
type flakyBackend struct {
	storage.Backend
	broken atomic.Bool
}

func (b *flakyBackend) Save(ctx context.Context, name string, write func(io.Writer) error) error {
	if b.broken.Load() {
		return errors.New("disk on fire")
	}
	return b.Backend.Save(ctx, name, write)
}

func TestRollbackFailed(t *testing.T) {
	backend := &flakyBackend{Backend: storage.NewMemory()}
	f := openFixture(t, backend)
	p := f.dial(t)
	p.ok(setMTU("candidate", 1400))
	p.ok(confirmed(""))
	backend.broken.Store(true)
	p.fail(`<cancel-commit/>`, rpcerror.RollbackFailed, rpcerror.TypeApplication)
	p.fail(setMTU("running", 1500), rpcerror.OperationFailed, rpcerror.TypeApplication)
	backend.broken.Store(false)
}

func TestConfirmedCommitShutdownKeepsRecord(t *testing.T) {
	backend := storage.NewMemory()
	f := openFixture(t, backend)
	p := f.dial(t)
	p.ok(setMTU("candidate", 1400))
	p.ok(confirmed(""))
	require.NoError(t, f.srv.Shutdown(context.Background()))
	stored, err := datastore.Open(context.Background(), set, datastore.Options{Backend: backend})
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, datastore.WriteConfig(&b, stored.Snapshot(datastore.Running)))
	require.Contains(t, b.String(), "<mtu>9000</mtu>", "ending the issuing session at shutdown rolled back")
	require.NotContains(t, b.String(), "<mtu>1400</mtu>")
}
