package sshserver

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"
)

// LoadOrCreateHostKey returns the host key kept in PEM form at path. When
// there is no file yet it generates an Ed25519 key and writes it there,
// readable by the owner only. A key file that others may read is
// refused, as OpenSSH refuses it.
func LoadOrCreateHostKey(path string) (ssh.Signer, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createHostKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("sshserver: host key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("sshserver: host key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("sshserver: host key %s: permissions %v are too open; want 0600", path, fi.Mode().Perm())
	}
	signer, err := ssh.ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("sshserver: host key %s: %w", path, err)
	}
	return signer, nil
}

// createHostKey generates an Ed25519 key and writes it to path
// atomically, so that a crash never leaves half a key behind.
func createHostKey(path string) (ssh.Signer, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sshserver: generate host key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(key, "ncsoap host key")
	if err != nil {
		return nil, fmt.Errorf("sshserver: encode host key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hostkey-*")
	if err != nil {
		return nil, fmt.Errorf("sshserver: write host key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("sshserver: write host key: %w", err)
	}
	if err := pem.Encode(tmp, block); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("sshserver: write host key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("sshserver: write host key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("sshserver: write host key: %w", err)
	}
	// Link rather than rename: a key another process created meanwhile
	// wins and is used.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateHostKey(path)
		}
		return nil, fmt.Errorf("sshserver: write host key: %w", err)
	}
	return ssh.NewSignerFromKey(key)
}
