package sshclient_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/sshclient"
)

func TestDialErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	require.NoError(t, os.WriteFile(garbage, []byte("not a key"), 0o600))
	tests := []struct {
		name string
		url  string
		opts []sshclient.Option
		err  string
	}{
		{"bad url", "ssh://[::1", nil, "sshclient"},
		{"wrong scheme", "https://admin@host", nil, "not an ssh://"},
		{"no host", "ssh://", nil, "not an ssh://"},
		{"no user", "ssh://127.0.0.1:1", []sshclient.Option{sshclient.WithPassword("x"), sshclient.InsecureIgnoreHostKey()}, "no username"},
		{"no auth", "ssh://admin@127.0.0.1:1", []sshclient.Option{sshclient.InsecureIgnoreHostKey()}, "no password, key or agent"},
		{"bad fingerprint", "ssh://admin@127.0.0.1:1", []sshclient.Option{sshclient.WithHostKeyFingerprint("abc")}, "SHA256:"},
		{"missing key file", "ssh://admin@127.0.0.1:1", []sshclient.Option{sshclient.WithKeyFile(filepath.Join(dir, "none"))}, "key file"},
		{"garbage key file", "ssh://admin@127.0.0.1:1", []sshclient.Option{sshclient.WithKeyFile(garbage)}, "key file"},
		{"missing known_hosts", "ssh://admin@127.0.0.1:1", []sshclient.Option{sshclient.WithPassword("x"), sshclient.WithKnownHosts(filepath.Join(dir, "none"))}, "known hosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sshclient.Dial(ctx, tt.url, tt.opts...)
			require.ErrorContains(t, err, tt.err)
		})
	}
}

func TestDialAgentWithoutSocket(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	_, err := sshclient.Dial(context.Background(), "ssh://admin@127.0.0.1:1", sshclient.WithAgent(), sshclient.InsecureIgnoreHostKey())
	require.ErrorContains(t, err, "SSH_AUTH_SOCK")
}

func TestDialCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sshclient.Dial(ctx, "ssh://admin@127.0.0.1:1", sshclient.WithPassword("x"), sshclient.InsecureIgnoreHostKey())
	require.Error(t, err)
}
