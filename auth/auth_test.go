package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

func TestPasswords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users")
	u, err := Open(path)
	require.NoError(t, err)
	require.NoError(t, u.SetPassword("admin", "s3cret"))
	require.True(t, u.CheckPassword("admin", "s3cret"))
	require.False(t, u.CheckPassword("admin", "wrong"))
	require.False(t, u.CheckPassword("nobody", "s3cret"))
	require.Error(t, u.SetPassword("bad:name", "x"))

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NotContains(t, string(b), "s3cret")
	require.Contains(t, string(b), "admin:$argon2id$")

	again, err := Open(path)
	require.NoError(t, err)
	require.True(t, again.CheckPassword("admin", "s3cret"))
	require.Equal(t, []string{"admin"}, again.Names())
}

func TestKeys(t *testing.T) {
	u := NewMemory()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	key, err := ssh.NewPublicKey(pub)
	require.NoError(t, err)
	require.ErrorIs(t, u.AddKey("op", ssh.MarshalAuthorizedKey(key)), ErrNoUser)
	require.NoError(t, u.SetPassword("op", "pw"))
	require.NoError(t, u.AddKey("op", ssh.MarshalAuthorizedKey(key)))
	require.True(t, u.CheckKey("op", key))
	other, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	okey, err := ssh.NewPublicKey(other)
	require.NoError(t, err)
	require.False(t, u.CheckKey("op", okey))
	require.False(t, u.CheckKey("nobody", key))
}

func TestOpenRejectsBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users")
	require.NoError(t, os.WriteFile(path, []byte("admin:plaintext\n"), 0o600))
	_, err := Open(path)
	require.ErrorContains(t, err, "users:1")
}

func TestLimiter(t *testing.T) {
	l := NewLimiter()
	now := time.Unix(1000, 0)
	l.now = func() time.Time { return now }
	addr := "192.0.2.1:5000"
	for range FreeFailures {
		require.Zero(t, l.Delay(addr))
		l.Failure(addr)
	}
	require.Equal(t, firstDelay, l.Delay("192.0.2.1:6000"))
	l.Failure(addr)
	require.Equal(t, 2*firstDelay, l.Delay(addr))
	for range 10 {
		l.Failure(addr)
	}
	require.Equal(t, maxDelay, l.Delay(addr))
	require.Zero(t, l.Delay("192.0.2.2:1"))
	now = now.Add(forgetTime + time.Second)
	require.Zero(t, l.Delay(addr))
	l.Failure(addr)
	l.Success(addr)
	require.Zero(t, l.Delay(addr))
}

func TestCertUsers(t *testing.T) {
	c := NewCertUsers()
	c.Add([]byte("der1"), "alice")
	n, ok := c.Lookup([]byte("der1"))
	require.True(t, ok)
	require.Equal(t, "alice", n)
	_, ok = c.Lookup([]byte("der2"))
	require.False(t, ok)
}
