package storagetest

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// KillRun runs cmd, a writer process for a crash test, and kills it
// (SIGKILL) after a random time of up to maxRun once it has printed
// "ready". The writer prints the number of each write it has made durable
// on a line of its own. KillRun returns the last number printed, or last
// if there was none. The writer's stderr is logged if the test fails.
func KillRun(t testing.TB, cmd *exec.Cmd, rng *rand.Rand, maxRun time.Duration, last uint64) uint64 {
	t.Helper()
	cmd.Env = append(cmd.Env, "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0") // exit at once under -race
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() {
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("writer stderr: %s", stderr.String())
		}
	}()
	out := bufio.NewScanner(stdout)
	require.True(t, out.Scan(), "writer did not start: %s", stderr.String())
	require.Equal(t, "ready", out.Text())

	var reported atomic.Uint64
	reported.Store(last)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for out.Scan() {
			if n, err := strconv.ParseUint(out.Text(), 10, 64); err == nil {
				reported.Store(n)
			}
		}
	}()
	time.Sleep(time.Duration(rng.Int64N(int64(maxRun))))
	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()
	<-done
	return reported.Load()
}
