package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ncsoapd.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"http_listen": "127.0.0.1:9000", "ssh_listen": "", "idle_timeout": "90s", "yang_dirs": ["/a"]}`), 0o600))
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"http_listn": "x"}`), 0o600))

	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, c Config)
		err   string
	}{
		{"defaults", nil, func(t *testing.T, c Config) {
			require.Equal(t, "127.0.0.1:8080", c.HTTPListen)
			require.Equal(t, "127.0.0.1:8830", c.SSHListen)
			require.Equal(t, "/netconf", c.Path)
			require.Contains(t, c.StateDir, "ncsoap")
		}, ""},
		{"file", []string{"--config", file}, func(t *testing.T, c Config) {
			require.Equal(t, "127.0.0.1:9000", c.HTTPListen)
			require.Empty(t, c.SSHListen)
			require.Equal(t, Duration(90*time.Second), c.IdleTimeout)
			require.Equal(t, []string{"/a"}, c.YANGDirs)
		}, ""},
		{"flags override the file", []string{"--config", file, "--http-listen", ":1", "--yang-dir", "/b", "--yang-dir", "/c"}, func(t *testing.T, c Config) {
			require.Equal(t, ":1", c.HTTPListen)
			require.Equal(t, []string{"/b", "/c"}, c.YANGDirs)
		}, ""},
		{"unknown field", []string{"--config", bad}, nil, "unknown field"},
		{"nothing to serve", []string{"--http-listen", "", "--https-listen", "", "--ssh-listen", ""}, nil, "every listener is disabled"},
		{"stray argument", []string{"serve"}, nil, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, io.Discard)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

// TestREADMEConfig keeps the configuration example of the README valid.
func TestREADMEConfig(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	text := string(readme)
	start := strings.Index(text, "```json\n")
	require.GreaterOrEqual(t, start, 0, "README has no JSON configuration example")
	text = text[start+len("```json\n"):]
	file := filepath.Join(t.TempDir(), "ncsoapd.json")
	require.NoError(t, os.WriteFile(file, []byte(text[:strings.Index(text, "```")]), 0o600))
	c, err := parseConfig([]string{"--config", file}, io.Discard)
	require.NoError(t, err)
	require.Equal(t, "nms", c.ClientCerts["/etc/ncsoap/nms.pem"])
	require.Equal(t, Duration(10*time.Minute), c.IdleTimeout)
}
