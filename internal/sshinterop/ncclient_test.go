package sshinterop

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/internal/peertest"
	"github.com/ncsoap/ncsoap/ncsoaptest"
)

// TestNcclient runs testdata/ncclient_suite.py against our server.
func TestNcclient(t *testing.T) {
	peertest.RequirePythonModule(t, "ncclient", "python3-ncclient")
	srv := ncsoaptest.NewServer(t)
	u, err := url.Parse(srv.SSHURL)
	require.NoError(t, err)
	runCtx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(runCtx, peertest.Python, filepath.Join("testdata", "ncclient_suite.py"))
	cmd.Env = append(os.Environ(), "NC_HOST="+u.Hostname(), "NC_PORT="+u.Port(), "NC_USER="+srv.User, "NC_PASS="+srv.Password)
	out, err := cmd.CombinedOutput()
	t.Logf("ncclient suite:\n%s", out)
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(strings.TrimSpace(string(out)), "PASS"))
}
