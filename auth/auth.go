// Package auth is the user store every ncsoap transport authenticates
// against: SOAP over HTTP(S) with Basic authentication, SSH with passwords
// or public keys, and TLS client certificates mapped to usernames.
//
// Passwords are kept only as salted Argon2id hashes. A Users backed by a
// file rewrites it atomically on every change.
package auth

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/ssh"
)

// Argon2id parameters for new hashes (RFC 9106 second recommendation,
// scaled down to keep a login under ~20 ms on a small machine).
const (
	hashTime    = 2
	hashMemory  = 19 * 1024 // KiB
	hashThreads = 1
	hashLen     = 32
	saltLen     = 16
)

// User is one account.
type User struct {
	Name string
	// PasswordHash is "$argon2id$v=19$m=...,t=...,p=...$salt$hash", or ""
	// when the user cannot log in with a password.
	PasswordHash string
	// Keys are the SSH public keys the user may log in with.
	Keys []ssh.PublicKey
}

// Users is a set of accounts, safe for concurrent use.
type Users struct {
	path string // "" keeps the users in memory

	mu    sync.RWMutex
	users map[string]*User
}

// ErrNoUser is returned for operations on an unknown user.
var ErrNoUser = errors.New("auth: no such user")

// NewMemory returns an empty store kept in memory.
func NewMemory() *Users { return &Users{users: map[string]*User{}} }

// Open returns the store kept in the file at path, creating an empty one
// if the file does not exist. The file has one line per user:
//
//	name:password-hash[:authorized-key[:authorized-key...]]
//
// with keys in authorized_keys format.
func Open(path string) (*Users, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Users{path: path, users: map[string]*User{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	users, err := parseUsers(path, b)
	if err != nil {
		return nil, err
	}
	return &Users{path: path, users: users}, nil
}

// parseUsers reads the content of a users file; name is used in errors.
func parseUsers(name string, b []byte) (map[string]*User, error) {
	users := map[string]*User{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, ":")
		if len(fields) < 2 || !validName(fields[0]) {
			return nil, fmt.Errorf("auth: %s:%d: want name:password-hash[:key...]", name, line)
		}
		usr := &User{Name: fields[0], PasswordHash: fields[1]}
		if usr.PasswordHash != "" {
			if _, _, err := parseHash(usr.PasswordHash); err != nil {
				return nil, fmt.Errorf("auth: %s:%d: %w", name, line, err)
			}
		}
		for _, k := range fields[2:] {
			key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k))
			if err != nil {
				return nil, fmt.Errorf("auth: %s:%d: public key: %w", name, line, err)
			}
			usr.Keys = append(usr.Keys, key)
		}
		users[usr.Name] = usr
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("auth: %s: %w", name, err)
	}
	return users, nil
}

// validName reports whether name can be a username: non-empty, no colon,
// no control characters or spaces.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r <= ' ' || r == ':' || r == 0x7f {
			return false
		}
	}
	return true
}

// Names returns the usernames in order.
func (u *Users) Names() []string {
	u.mu.RLock()
	defer u.mu.RUnlock()
	names := make([]string, 0, len(u.users))
	for n := range u.users {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Exists reports whether name is a user.
func (u *Users) Exists(name string) bool {
	u.mu.RLock()
	defer u.mu.RUnlock()
	return u.users[name] != nil
}

// SetPassword creates user name if needed and sets its password.
func (u *Users) SetPassword(name, password string) error {
	if !validName(name) {
		return fmt.Errorf("auth: invalid username %q", name)
	}
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	usr := u.users[name]
	if usr == nil {
		usr = &User{Name: name}
		u.users[name] = usr
	}
	usr.PasswordHash = h
	return u.saveLocked()
}

// AddKey lets user name log in with an SSH public key, given in
// authorized_keys format.
func (u *Users) AddKey(name string, authorizedKey []byte) error {
	key, _, _, _, err := ssh.ParseAuthorizedKey(authorizedKey)
	if err != nil {
		return fmt.Errorf("auth: public key: %w", err)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	usr := u.users[name]
	if usr == nil {
		return ErrNoUser
	}
	usr.Keys = append(usr.Keys, key)
	return u.saveLocked()
}

// CheckPassword reports whether password is user name's password. It
// spends the same time on unknown users as on known ones.
func (u *Users) CheckPassword(name, password string) bool {
	u.mu.RLock()
	usr := u.users[name]
	h := ""
	if usr != nil {
		h = usr.PasswordHash
	}
	u.mu.RUnlock()
	if h == "" {
		h = dummyHash
	}
	ok := VerifyPassword(h, password)
	return ok && usr != nil && usr.PasswordHash != ""
}

// CheckKey reports whether key is one of user name's SSH public keys.
func (u *Users) CheckKey(name string, key ssh.PublicKey) bool {
	u.mu.RLock()
	defer u.mu.RUnlock()
	usr := u.users[name]
	if usr == nil {
		return false
	}
	want := key.Marshal()
	for _, k := range usr.Keys {
		if subtle.ConstantTimeCompare(k.Marshal(), want) == 1 {
			return true
		}
	}
	return false
}

// saveLocked writes the store to its file atomically. The caller holds
// u.mu.
func (u *Users) saveLocked() error {
	if u.path == "" {
		return nil
	}
	var b bytes.Buffer
	for _, n := range sortedKeys(u.users) {
		usr := u.users[n]
		b.WriteString(usr.Name + ":" + usr.PasswordHash)
		for _, k := range usr.Keys {
			b.WriteString(":" + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))))
		}
		b.WriteByte('\n')
	}
	return writeFileAtomic(u.path, b.Bytes())
}

func sortedKeys(m map[string]*User) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// writeFileAtomic replaces path with data: temporary file, fsync, rename,
// directory fsync. The file is readable by its owner only.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".users-*")
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("auth: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("auth: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// dummyHash is verified against for unknown users, so that they cost as
// much as known ones.
var dummyHash = func() string {
	h, err := HashPassword("no such user")
	if err != nil {
		panic(err)
	}
	return h
}()

// HashPassword returns a salted Argon2id hash of password in the PHC
// string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	sum := argon2.IDKey([]byte(password), salt, hashTime, hashMemory, hashThreads, hashLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, hashMemory, hashTime, hashThreads,
		enc.EncodeToString(salt), enc.EncodeToString(sum)), nil
}

type hashParams struct {
	time, memory uint32
	threads      uint8
	salt, sum    []byte
}

func parseHash(h string) (hashParams, int, error) {
	var p hashParams
	parts := strings.Split(h, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, 0, errors.New("password hash is not in $argon2id$ format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil {
		return p, 0, errors.New("password hash: bad version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, 0, errors.New("password hash: bad parameters")
	}
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return p, 0, errors.New("password hash: bad salt")
	}
	if p.sum, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.sum) == 0 {
		return p, 0, errors.New("password hash: bad hash")
	}
	return p, version, nil
}

// VerifyPassword reports whether password matches hash, in constant time.
func VerifyPassword(hash, password string) bool {
	p, _, err := parseHash(hash)
	if err != nil || p.memory > 1<<21 || p.time > 16 || p.threads == 0 {
		return false
	}
	sum := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.sum)))
	return subtle.ConstantTimeCompare(sum, p.sum) == 1
}

// CertUsers maps TLS client certificates to usernames by the SHA-256
// fingerprint of the certificate, as RFC 7589 §7 cert-to-name entries of
// type "specified" do.
type CertUsers struct {
	mu sync.RWMutex
	m  map[[32]byte]string
}

// NewCertUsers returns an empty mapping.
func NewCertUsers() *CertUsers { return &CertUsers{m: map[[32]byte]string{}} }

// Add maps the DER certificate cert to user name.
func (c *CertUsers) Add(cert []byte, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[sha256.Sum256(cert)] = name
}

// Lookup returns the user of the DER certificate cert.
func (c *CertUsers) Lookup(cert []byte) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n, ok := c.m[sha256.Sum256(cert)]
	return n, ok
}
