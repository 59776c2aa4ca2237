package sshinterop

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/auth"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/sshserver"
)

// python is Debian's interpreter, which sees python3-ncclient whatever
// other python3 comes first on PATH.
const python = "/usr/bin/python3"

// TestNcclient runs testdata/ncclient_suite.py against our server.
func TestNcclient(t *testing.T) {
	out, err := exec.Command(python, "-c", "import ncclient").CombinedOutput()
	require.NoError(t, err, "python3-ncclient is required (apt-get install python3-ncclient): %s", out)

	ctx := context.Background()
	set, err := schema.Load(schema.Options{})
	require.NoError(t, err)
	store, err := datastore.Open(ctx, set, datastore.Options{Initial: schema.SampleConfig()})
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := netconfcore.NewServer(ctx, netconfcore.Config{Store: store, Logger: logger})
	require.NoError(t, err)
	defer engine.Shutdown(ctx)

	users := auth.NewMemory()
	require.NoError(t, users.SetPassword("admin", "interop-secret"))
	hk, err := sshserver.LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host_key"))
	require.NoError(t, err)
	srv, err := sshserver.New(engine, users, sshserver.Options{HostKeys: []ssh.Signer{hk}, Logger: logger})
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.Serve(l)
	defer srv.Shutdown(ctx)

	_, port, err := net.SplitHostPort(l.Addr().String())
	require.NoError(t, err)
	runCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(runCtx, python, filepath.Join("testdata", "ncclient_suite.py"))
	cmd.Env = append(os.Environ(), "NC_HOST=127.0.0.1", "NC_PORT="+port, "NC_USER=admin", "NC_PASS=interop-secret")
	out, err = cmd.CombinedOutput()
	t.Logf("ncclient suite:\n%s", out)
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(strings.TrimSpace(string(out)), "PASS"))
}
