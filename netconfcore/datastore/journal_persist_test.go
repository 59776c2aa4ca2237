package datastore

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/storage/storagetest"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// countingDir counts the full saves and journal appends of a Dir.
type countingDir struct {
	*storage.Dir
	saves, appends int
}

func (c *countingDir) Save(ctx context.Context, name string, write func(io.Writer) error) error {
	c.saves++
	return c.Dir.Save(ctx, name, write)
}

func (c *countingDir) Append(ctx context.Context, name string, rec []byte) error {
	c.appends++
	return c.Dir.Append(ctx, name, rec)
}

func openDirStore(t testing.TB, path string) (*Store, *countingDir) {
	d, err := storage.OpenDir(path)
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	cd := &countingDir{Dir: d}
	return newStore(t, Options{Backend: cd}), cd
}

func lowerCompaction(t testing.TB, n int64) {
	old := minCompact
	minCompact = n
	t.Cleanup(func() { minCompact = old })
}

// TestJournalPersists runs random edits of running and copies to startup
// through a Dir, reopening the store now and then, and checks that what
// reopens is what was there, and that small changes went to the journal.
func TestJournalPersists(t *testing.T) {
	for _, compactAt := range []int64{minCompact, 2 << 10} {
		t.Run(fmt.Sprintf("compact at %d", compactAt), func(t *testing.T) {
			lowerCompaction(t, compactAt)
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, 3))
			ctx := context.Background()
			path := t.TempDir()
			s, d := openDirStore(t, path)
			saves, appends, reopens := 0, 0, 0
			for i := range 600 {
				s.Edit(ctx, Running, config(t, randomEdit(rng)), EditOptions{TestOption: Set})
				if i%50 == 49 {
					require.NoError(t, s.Replace(ctx, Startup, s.Snapshot(Running)))
				}
				if rng.IntN(40) == 0 || i == 599 {
					running, startup := s.Snapshot(Running), s.Snapshot(Startup)
					saves, appends, reopens = saves+d.saves, appends+d.appends, reopens+1
					require.NoError(t, d.Close())
					s, d = openDirStore(t, path)
					require.Equal(t, dump(t, running, tree.Explicit), dump(t, s.Snapshot(Running), tree.Explicit), "edit %d", i)
					require.Equal(t, dump(t, startup, tree.Explicit), dump(t, s.Snapshot(Startup), tree.Explicit), "edit %d", i)
				}
			}
			t.Logf("%d reopens, %d snapshot saves, %d journal appends", reopens, saves, appends)
			require.Greater(t, appends, 4*saves, "small changes go to the journal")
		})
	}
}

// TestJournalStale checks that a journal left behind by a crash between
// saving a new snapshot and restarting the journal is ignored, and then
// replaced.
func TestJournalStale(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir()
	s, d := openDirStore(t, path)
	for i := range 5 {
		require.NoError(t, s.Edit(ctx, Running, config(t, ifsXML(fmt.Sprintf(
			`<interface><name>eth%d</name><type>ext:ethernet</type></interface>`, i))), EditOptions{}))
	}
	require.Greater(t, d.appends, 3)

	// The snapshot a compaction would write, without its new journal.
	other, err := s.ParseConfig(config(t, ifsXML(`<interface><name>lo9</name><type>ext:ethernet</type></interface>`)))
	require.NoError(t, err)
	require.NoError(t, d.Dir.Save(ctx, "running", func(w io.Writer) error { return WriteConfig(w, other) }))
	require.NoError(t, d.Close())

	s, d = openDirStore(t, path)
	require.Equal(t, dump(t, other, tree.Explicit), dump(t, s.Snapshot(Running), tree.Explicit))
	require.NoError(t, s.Edit(ctx, Running, config(t, ifsXML(`<interface><name>eth7</name><type>ext:ethernet</type></interface>`)), EditOptions{}))
	require.Equal(t, 1, d.saves, "the first change after a stale journal saves a snapshot")
	want := dump(t, s.Snapshot(Running), tree.Explicit)
	require.NoError(t, d.Close())

	s, _ = openDirStore(t, path)
	require.Equal(t, want, dump(t, s.Snapshot(Running), tree.Explicit))
}

// TestJournalBadRecord checks that a journal record that does not apply
// stops Open with an error naming the journal and the record.
func TestJournalBadRecord(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir()
	s, d := openDirStore(t, path)
	require.NoError(t, s.Edit(ctx, Running, config(t, twentyInterfaces()), EditOptions{}))
	require.NoError(t, s.Edit(ctx, Running, config(t, ifsXML(`<interface><name>eth0</name><mtu>1400</mtu></interface>`)), EditOptions{}))
	require.Equal(t, 1, d.saves)
	require.Equal(t, 2, d.appends, "the base record, then the change")
	require.NoError(t, d.Append(ctx, "running.journal", []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><bogus/></config>`)))
	require.NoError(t, d.Close())

	d2, err := storage.OpenDir(path)
	require.NoError(t, err)
	defer d2.Close()
	_, err = Open(ctx, testSet(t), Options{Backend: d2})
	require.ErrorContains(t, err, "replaying the journal of running: record 3")
}

// The journal crash test runs this test binary again as a writer process,
// selected by these environment variables.
const (
	crashChildEnv = "NCSOAP_DATASTORE_CRASH_CHILD"
	crashDirEnv   = "NCSOAP_DATASTORE_CRASH_DIR"
)

// generationEdit is the edit of generation g: it records g in the
// hostname and changes, adds or removes interfaces with it, so that
// generations differ in running and in what the journal must replay.
func generationEdit(g int) string {
	body := fmt.Sprintf(`<interface><name>eth%d</name><type>ext:ethernet</type><mtu>%d</mtu><description>g%d</description></interface>`,
		g%20, 68+g%9000, g)
	if g%7 == 0 {
		body += fmt.Sprintf(`<interface nc:operation="remove"><name>eth%d</name></interface>`, (g/7)%20)
	}
	return ifsXML(body) + usersXML(fmt.Sprintf(`<hostname>gen-%d</hostname>`, g))
}

// generationOf returns the generation a snapshot holds.
func generationOf(t testing.TB, tr *tree.Tree) int {
	s := tr.Schema()
	sys := tr.Root().Child(s.Top(nsUsr, "system"))
	if sys == nil {
		return 0
	}
	h := sys.Child(s.Top(nsUsr, "system").Child(nsUsr, "hostname"))
	require.NotNil(t, h)
	g, err := strconv.Atoi(strings.TrimPrefix(h.Value(), "gen-"))
	require.NoError(t, err)
	return g
}

// TestJournalCrashChild is the body of the writer process. It does nothing
// in a normal test run.
func TestJournalCrashChild(t *testing.T) {
	if os.Getenv(crashChildEnv) == "" {
		t.Skip("run as a child process by TestJournalCrash")
	}
	minCompact = 4 << 10 // compact often
	ctx := context.Background()
	d, err := storage.OpenDir(os.Getenv(crashDirEnv))
	require.NoError(t, err)
	s := newStore(t, Options{Backend: d})
	g := generationOf(t, s.Snapshot(Running))
	fmt.Println("ready")
	for {
		g++
		require.NoError(t, s.Edit(ctx, Running, config(t, generationEdit(g)), EditOptions{}))
		fmt.Println(g)
	}
}

// TestJournalCrash kills a writer process at random points of its edits
// (journal appends and compactions) and checks that running always reopens
// as exactly the content of the last edit the writer reported done, or of
// the one after it.
func TestJournalCrash(t *testing.T) {
	kills := 100
	if testing.Short() {
		kills = 10
	}
	path := t.TempDir()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 4))

	// expected replays the generations into a memory store as needed.
	ref := newStore(t, Options{})
	refGen := 0
	expected := func(g int) string {
		for ; refGen < g; refGen++ {
			require.NoError(t, ref.Edit(context.Background(), Running, config(t, generationEdit(refGen+1)), EditOptions{}))
		}
		return dump(t, ref.Snapshot(Running), tree.Explicit)
	}

	want := 0 // the last generation the writer reported
	for kill := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestJournalCrashChild$")
		cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashDirEnv+"="+path)
		want = int(storagetest.KillRun(t, cmd, rng, 80*time.Millisecond, uint64(want)))

		d, err := storage.OpenDir(path)
		require.NoError(t, err, "kill %d", kill)
		s, err := Open(context.Background(), testSet(t), Options{Backend: d})
		require.NoError(t, err, "kill %d", kill)
		g := generationOf(t, s.Snapshot(Running))
		require.Contains(t, []int{want, want + 1}, g, "kill %d: the writer reported generation %d", kill, want)
		require.Equal(t, expected(g), dump(t, s.Snapshot(Running), tree.Explicit), "kill %d, generation %d", kill, g)
		want = g
		require.NoError(t, d.Close())
	}
	t.Logf("%d kills, %d generations", kills, want)
}

// TestJournalTornBase checks a crash that cut the first record of a new
// journal off: the changes made after reopening must not go into a
// journal that names no snapshot.
func TestJournalTornBase(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir()
	s, d := openDirStore(t, path)
	require.NoError(t, s.Edit(ctx, Running, config(t, twentyInterfaces()), EditOptions{}))
	require.NoError(t, d.Close())
	require.NoError(t, os.Truncate(filepath.Join(path, "running.journal"), 8)) // the log's magic only

	s, d = openDirStore(t, path)
	require.NoError(t, s.Edit(ctx, Running, config(t, ifsXML(`<interface><name>eth3</name><mtu>1400</mtu></interface>`)), EditOptions{}))
	want := dump(t, s.Snapshot(Running), tree.Explicit)
	require.NoError(t, d.Close())

	s, _ = openDirStore(t, path)
	require.Equal(t, want, dump(t, s.Snapshot(Running), tree.Explicit))
}

// twentyInterfaces is an edit making running large enough that a one-leaf
// change goes to the journal rather than into a new snapshot.
func twentyInterfaces() string {
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, `<interface><name>eth%d</name><type>ext:ethernet</type></interface>`, i)
	}
	return ifsXML(b.String())
}
