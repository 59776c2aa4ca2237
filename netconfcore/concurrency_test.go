package netconfcore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/memtransport"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// worker is one client of the concurrency test; it re-dials when another
// worker kills its session.
type worker struct {
	n    int
	srv  *netconfcore.Server
	conn *memtransport.Conn
	msg  int
	rng  *rand.Rand

	lastOwn  int // last value of its own interface's description acknowledged
	counted  int // shared-counter increments acknowledged
	killed   int
	liveIDs  *sync.Map
	sessions *atomic.Int64
}

var errKilled = errors.New("session killed")

func (w *worker) dial() error {
	conn, err := memtransport.Dial(w.srv, netconfcore.SessionInfo{Username: fmt.Sprint("w", w.n)})
	if err != nil {
		return err
	}
	w.conn = conn
	w.liveIDs.Store(conn.ID(), true)
	w.sessions.Add(1)
	return nil
}

// do runs op and returns the reply, errKilled when the session was ended
// by another worker.
func (w *worker) do(op string) (*etree.Element, error) {
	w.msg++
	out, err := w.conn.Exchange(context.Background(), fmt.Sprintf(`<rpc xmlns="%s" message-id="%d">%s</rpc>`, baseNS, w.msg, op))
	if errors.Is(err, memtransport.ErrClosed) {
		return nil, errKilled
	}
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(out); err != nil {
		return nil, fmt.Errorf("bad reply %q: %w", out, err)
	}
	if e := doc.Root().SelectElement("rpc-error"); e != nil {
		if w.conn.Session().EndReason() == netconfcore.EndKilled {
			return nil, errKilled
		}
		return nil, rpcerror.FromElement(e)
	}
	return doc.Root(), nil
}

func (w *worker) descEdit(target, name, value string) string {
	return fmt.Sprintf(`<edit-config><target><%s/></target><config><interfaces xmlns="%s" xmlns:t="%s"><interface><name>%s</name><type>t:ethernet</type><description>%s</description></interface></interfaces></config></edit-config>`,
		target, ifNS, typNS, name, value)
}

// step runs one random action.
func (w *worker) step() error {
	switch r := w.rng.IntN(100); {
	case r < 40:
		_, err := w.do(getConfig("running"))
		return err
	case r < 70:
		next := w.lastOwn + 1
		_, err := w.do(w.descEdit("running", fmt.Sprint("w", w.n), strconv.Itoa(next)))
		if err == nil {
			w.lastOwn = next
		}
		return inUseOK(err)
	case r < 95:
		return w.increment()
	default:
		var victim uint32
		w.liveIDs.Range(func(k, _ any) bool {
			if id := k.(uint32); id != w.conn.ID() && w.rng.IntN(4) == 0 {
				victim = id
				return false
			}
			return true
		})
		if victim == 0 {
			return nil
		}
		_, err := w.do(fmt.Sprintf(`<kill-session><session-id>%d</session-id></kill-session>`, victim))
		var re *rpcerror.Error
		if errors.As(err, &re) && re.Tag == rpcerror.InvalidValue {
			return nil // already gone
		}
		return err
	}
}

// increment adds one to the shared counter under the running lock.
func (w *worker) increment() error {
	if _, err := w.do(`<lock><target><running/></target></lock>`); err != nil {
		var re *rpcerror.Error
		if errors.As(err, &re) && re.Tag == rpcerror.LockDenied {
			return nil
		}
		return err
	}
	reply, err := w.do(`<get-config><source><running/></source><filter type="xpath" select="/*"/></get-config>`)
	if err != nil {
		var re *rpcerror.Error
		if !errors.As(err, &re) || re.Tag != rpcerror.OperationNotSupported {
			return err
		}
		if reply, err = w.do(getConfig("running")); err != nil {
			return err
		}
	}
	cur := 0
	for _, itf := range reply.FindElements("data/interfaces/interface") {
		if itf.SelectElement("name").Text() == "counter" {
			cur, _ = strconv.Atoi(itf.SelectElement("description").Text())
		}
	}
	if _, err := w.do(w.descEdit("running", "counter", strconv.Itoa(cur+1))); err != nil {
		return err
	}
	w.counted++
	_, err = w.do(`<unlock><target><running/></target></unlock>`)
	return err
}

func inUseOK(err error) error {
	var re *rpcerror.Error
	if errors.As(err, &re) && re.Tag == rpcerror.InUse {
		return nil
	}
	return err
}

func TestConcurrentSessions(t *testing.T) {
	const workers, steps = 200, 25
	f := newFixture(t)
	setup := f.dial(t)
	setup.ok((&worker{}).descEdit("running", "counter", "0"))

	var live sync.Map
	var sessions atomic.Int64
	ws := make([]*worker, workers)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := range ws {
		w := &worker{n: i, srv: f.srv, rng: rand.New(rand.NewPCG(uint64(i), 7)), liveIDs: &live, sessions: &sessions}
		require.NoError(t, w.dial())
		ws[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range steps {
				err := w.step()
				if errors.Is(err, errKilled) {
					w.killed++
					live.Delete(w.conn.ID())
					err = w.dial()
				}
				if err != nil {
					errs <- fmt.Errorf("worker %d: %w", w.n, err)
					return
				}
			}
			w.conn.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(setup.data(getConfig("running"))))
	desc := map[string]string{}
	for _, itf := range doc.FindElements("data/interfaces/interface") {
		if d := itf.SelectElement("description"); d != nil {
			desc[itf.SelectElement("name").Text()] = d.Text()
		}
	}
	total, killed := 0, 0
	for _, w := range ws {
		total += w.counted
		killed += w.killed
		if w.lastOwn > 0 {
			require.Equal(t, strconv.Itoa(w.lastOwn), desc[fmt.Sprint("w", w.n)], "worker %d lost an edit", w.n)
		}
	}
	require.Equal(t, strconv.Itoa(total), desc["counter"], "no increment made under the running lock was lost")
	require.Positive(t, total)
	t.Logf("%d sessions, %d increments, %d kills", sessions.Load(), total, killed)
	require.Eventually(t, func() bool { return len(f.srv.Sessions()) == 1 }, 5*time.Second, 10*time.Millisecond)
}
