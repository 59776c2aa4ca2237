package auth

import (
	"testing"
)

// FuzzParseUsers feeds arbitrary users files to the parser: it must
// return users or an error, never panic, and every user it returns must
// have a valid name.
func FuzzParseUsers(f *testing.F) {
	h, err := HashPassword("pw")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"",
		"# comment\n\nadmin:" + h + "\n",
		"op:\n",
		"op::ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x@y\n",
		"bad name:x\n",
		"admin:$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA\n",
		"admin:$argon2id$v=19$m=1,t=1$x$y\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		users, err := parseUsers("fuzz", []byte(content))
		if err != nil {
			return
		}
		for name, u := range users {
			if !validName(name) || u.Name != name {
				t.Fatalf("user %q parsed with an invalid name", name)
			}
		}
	})
}
