package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/storage/storagetest"
)

// The tests below run this test binary again as a child process, selected by
// these environment variables, to act as a second server on a directory.
const (
	childEnv     = "NCSOAP_STORAGE_CHILD" // the child's role: writer, appender or holder
	childDirEnv  = "NCSOAP_STORAGE_DIR"   // the directory it opens
	childSeedEnv = "NCSOAP_STORAGE_SEED"  // the seed of the appender's choices
)

// generationSize is the size of a value saved by the writer child.
const generationSize = 2 << 20

// generation returns the value of generation g: g followed by a repeated
// block of pseudo-random bytes derived from g.
func generation(g uint64) []byte {
	var block [4096]byte
	rng := rand.NewPCG(g, ^g)
	for i := 0; i < len(block); i += 8 {
		binary.LittleEndian.PutUint64(block[i:], rng.Uint64())
	}
	v := binary.BigEndian.AppendUint64(make([]byte, 0, generationSize), g)
	for len(v) < generationSize {
		v = append(v, block[:min(len(block), generationSize-len(v))]...)
	}
	return v
}

// checkGeneration returns the generation v holds, or an error if v is not
// exactly one generation.
func checkGeneration(v []byte) (uint64, error) {
	if len(v) != generationSize {
		return 0, fmt.Errorf("value has %d bytes, want %d", len(v), generationSize)
	}
	g := binary.BigEndian.Uint64(v)
	if !bytes.Equal(v, generation(g)) {
		return 0, fmt.Errorf("value starts like generation %d but differs from it", g)
	}
	return g, nil
}

// TestChild is the body of the child process. It does nothing in a normal
// test run.
func TestChild(t *testing.T) {
	role := os.Getenv(childEnv)
	if role == "" {
		t.Skip("run as a child process by other tests")
	}
	d, err := storage.OpenDir(os.Getenv(childDirEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx := context.Background()
	switch role {
	case "holder":
		// Hold the lock until the parent closes stdin.
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin)
		d.Close()
	case "writer":
		// Save generation after generation until killed, reporting each
		// one as it is saved.
		v, err := storagetest.Load(ctx, d, "running")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		g := binary.BigEndian.Uint64(v)
		fmt.Println("ready")
		for {
			g++
			next := generation(g)
			err := d.Save(ctx, "running", func(w io.Writer) error {
				for chunk := range pieces(next, 64<<10) {
					if _, err := w.Write(chunk); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			fmt.Println(g)
		}
	case "appender":
		appender(ctx, d)
	}
	os.Exit(0)
}

// appender appends record after record to the journal until killed,
// reporting each one as it is appended, and compacts the journal now and
// then.
func appender(ctx context.Context, d *storage.Dir) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	seed, err := strconv.ParseUint(os.Getenv(childSeedEnv), 10, 64)
	if err != nil {
		fail(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	s, err := readJournal(ctx, d)
	if err != nil {
		fail(err)
	}
	if s.noMarker {
		// Killed while compacting: finish it.
		if err := d.Append(ctx, "journal", marker(s.last)); err != nil {
			fail(err)
		}
	}
	fmt.Println("ready")
	for i := s.last + 1; ; i++ {
		if err := d.Append(ctx, "journal", journalRecord(i)); err != nil {
			fail(err)
		}
		fmt.Println(i)
		if rng.IntN(16) == 0 {
			// Compact, as a datastore does: save the state, then start a
			// new journal.
			if err := storagetest.Save(ctx, d, "base", binary.BigEndian.AppendUint64(nil, i)); err != nil {
				fail(err)
			}
			if err := d.Delete(ctx, "journal"); err != nil {
				fail(err)
			}
			if err := d.Append(ctx, "journal", marker(i)); err != nil {
				fail(err)
			}
		}
	}
}

// journalRecord returns record i of the journal: 1 byte to 64 KiB, mostly
// small, derived from i.
func journalRecord(i uint64) []byte {
	rng := rand.New(rand.NewPCG(i, ^i))
	n := 1 + rng.IntN(1<<rng.IntN(17))
	r := make([]byte, n)
	for k := range r {
		r[k] = byte(rng.Uint32())
	}
	return r
}

// marker returns the first record of a journal that follows the state saved
// under "base" at record i.
func marker(i uint64) []byte { return binary.BigEndian.AppendUint64([]byte("marker"), i) }

// A journalState is what readJournal finds.
type journalState struct {
	last     uint64 // the last record saved under "base" or in the journal
	noMarker bool   // the journal is missing or empty: a compaction was cut short
	stale    bool   // the journal precedes "base": a compaction was cut short
}

// readJournal checks the state in d, the value "base" and the log
// "journal", and returns the number of the last record it holds.
func readJournal(ctx context.Context, d *storage.Dir) (journalState, error) {
	v, err := storagetest.Load(ctx, d, "base")
	if err != nil {
		return journalState{}, err
	}
	base := binary.BigEndian.Uint64(v)
	s := journalState{last: base}
	var first uint64
	n := 0
	err = d.Replay(ctx, "journal", func(r []byte) error {
		defer func() { n++ }()
		if n == 0 {
			if len(r) != 14 || string(r[:6]) != "marker" {
				return fmt.Errorf("journal starts with %.20q, not a marker", r)
			}
			first = binary.BigEndian.Uint64(r[6:])
			if first > base {
				return fmt.Errorf("journal starts at record %d, after the base %d", first, base)
			}
			s.stale = first < base
			s.last = first
			return nil
		}
		if want := journalRecord(first + uint64(n)); !bytes.Equal(r, want) {
			return fmt.Errorf("journal record %d (%d bytes) is not record %d (%d bytes)", n, len(r), first+uint64(n), len(want))
		}
		s.last = first + uint64(n)
		return nil
	})
	switch {
	case errors.Is(err, storage.ErrNotExist) || err == nil && n == 0:
		s.noMarker = true
		s.last = base
	case err != nil:
		return journalState{}, err
	case s.last < base:
		return journalState{}, fmt.Errorf("journal ends at record %d, before the base %d", s.last, base)
	}
	return s, nil
}

// TestJournalCrash kills an appender process at random points of its
// Appends and compactions, and checks that the journal always holds every
// record the appender reported appended, and at most one more, intact and
// in order, and that the next appender continues after them.
func TestJournalCrash(t *testing.T) {
	kills := 100
	if testing.Short() {
		kills = 10
	}
	path := t.TempDir()
	d := openDir(t, path)
	require.NoError(t, storagetest.Save(t.Context(), d, "base", binary.BigEndian.AppendUint64(nil, 0)))
	require.NoError(t, d.Append(t.Context(), "journal", marker(0)))
	require.NoError(t, d.Close())

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	journal := filepath.Join(path, "journal")
	var want uint64 // the last record the appender reported appended
	var appended, unreported, cut, compacting int
	for kill := range kills {
		t.Setenv(childSeedEnv, strconv.FormatUint(seed+uint64(kill), 10))
		reported := storagetest.KillRun(t, childCommand("appender", path), rng, 60*time.Millisecond, want)
		appended += int(reported - want)
		want = reported

		before, _ := os.Stat(journal)
		d := openDir(t, path)
		s, err := readJournal(t.Context(), d)
		require.NoError(t, err, "kill %d", kill)
		require.Contains(t, []uint64{want, want + 1}, s.last,
			"kill %d: appender reported record %d appended", kill, want)
		if s.last == want+1 {
			unreported++ // killed after the fdatasync, before reporting it
		}
		if after, _ := os.Stat(journal); before != nil && after != nil && after.Size() < before.Size() {
			cut++
		}
		if s.noMarker || s.stale {
			compacting++
		}
		want = s.last
		require.NoError(t, d.Close())
	}
	t.Logf("%d kills (%d during a compaction), %d records appended, %d of them unreported, %d torn records cut off",
		kills, compacting, appended, unreported, cut)
}

func isTemp(name string) bool { return strings.HasPrefix(name, ".tmp-") }

// pieces yields b in pieces of n bytes.
func pieces(b []byte, n int) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(b) > 0 {
			k := min(n, len(b))
			if !yield(b[:k]) {
				return
			}
			b = b[k:]
		}
	}
}

// childCommand returns a command running this test binary as a child in
// role on the directory at path.
func childCommand(role, path string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, childDirEnv+"="+path)
	return cmd
}

// startChild starts this test binary as a child in role on the directory at
// path, and returns it with its stdin and a scanner of its stdout.
func startChild(t *testing.T, role, path string) (*exec.Cmd, io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := childCommand(role, path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("child stderr: %s", stderr.String())
		}
	})
	return cmd, stdin, bufio.NewScanner(stdout)
}

// TestDirCrash kills a writer process at random points of its Saves and
// checks that the directory always holds one complete generation, never an
// older one than the writer last reported saved.
func TestDirCrash(t *testing.T) {
	kills := 100
	if testing.Short() {
		kills = 10
	}
	path := t.TempDir()
	d := openDir(t, path)
	require.NoError(t, storagetest.Save(t.Context(), d, "running", generation(0)))
	require.NoError(t, d.Close())

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	var want uint64 // the last generation the writer reported saved
	saves, unreported, midSave := 0, 0, 0
	for kill := range kills {
		reported := storagetest.KillRun(t, childCommand("writer", path), rng, 60*time.Millisecond, want)
		saves += int(reported - want)
		want = reported

		if slices.ContainsFunc(names(t, path), isTemp) {
			midSave++
		}
		d := openDir(t, path)
		require.False(t, slices.ContainsFunc(names(t, path), isTemp), "OpenDir left a temporary file")
		v, err := storagetest.Load(t.Context(), d, "running")
		require.NoError(t, err, "kill %d", kill)
		g, err := checkGeneration(v)
		require.NoError(t, err, "kill %d", kill)
		require.Contains(t, []uint64{want, want + 1}, g,
			"kill %d: writer reported generation %d saved", kill, want)
		if g == want+1 {
			unreported++ // killed after the rename, before reporting it
		}
		want = g
		require.NoError(t, d.Close())
	}
	t.Logf("%d kills (%d during a Save), %d generations saved, %d of them unreported", kills, midSave, saves, unreported)
}

// TestDirLockedByProcess checks that a directory held by another process
// cannot be opened, and can once that process ends.
func TestDirLockedByProcess(t *testing.T) {
	path := t.TempDir()
	if d := openDir(t, path); d.Close() != nil {
		t.Fatal("Close failed")
	}
	cmd, stdin, out := startChild(t, "holder", path)
	require.True(t, out.Scan(), "holder did not start")
	require.Equal(t, "locked", out.Text())

	_, err := storage.OpenDir(path)
	var le *storage.LockedError
	require.ErrorAs(t, err, &le)
	lock := filepath.Join(path, ".lock")
	require.Equal(t, storage.LockedError{Path: lock, PID: cmd.Process.Pid}, *le)
	require.ErrorContains(t, err, lock)
	require.ErrorContains(t, err, strconv.Itoa(cmd.Process.Pid))

	require.NoError(t, stdin.Close())
	require.NoError(t, cmd.Wait())
	openDir(t, path)
}
