package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxCredentialsSize bounds a credentials file.
const maxCredentialsSize = 1 << 20

// lookupCredentials returns the password of user in the credentials file
// at path. The file must be accessible by its owner only, as ssh requires
// of private keys, since it holds passwords in the clear.
func lookupCredentials(path, user string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("credentials: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("credentials: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("credentials: %s is accessible by others (mode %04o): run chmod 600 %s", path, perm, path)
	}
	creds, err := parseCredentials(io.LimitReader(f, maxCredentialsSize+1))
	if err != nil {
		return "", fmt.Errorf("credentials: %s: %w", path, err)
	}
	pw, ok := creds[user]
	if !ok {
		return "", fmt.Errorf("credentials: %s has no line for user %q", path, user)
	}
	return pw, nil
}

// parseCredentials reads lines of "user:password". Blank lines and lines
// starting with # are skipped; the password is everything after the first
// colon, spaces included. A user may appear once.
func parseCredentials(r io.Reader) (map[string]string, error) {
	creds := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), maxCredentialsSize)
	read := 0
	for n := 1; sc.Scan(); n++ {
		read += len(sc.Bytes()) + 1
		if read > maxCredentialsSize {
			return nil, fmt.Errorf("larger than %d bytes", maxCredentialsSize)
		}
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		user, pw, ok := strings.Cut(line, ":")
		switch {
		case !ok:
			return nil, fmt.Errorf("line %d: want user:password", n)
		case user == "" || strings.TrimSpace(user) != user:
			return nil, fmt.Errorf("line %d: empty user name or spaces around it", n)
		}
		if _, dup := creds[user]; dup {
			return nil, fmt.Errorf("line %d: user %q appears twice", n, user)
		}
		creds[user] = pw
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return creds, nil
}
