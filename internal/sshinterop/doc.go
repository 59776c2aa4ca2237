// Package sshinterop tests NETCONF over SSH against real peers from
// Debian: python3-ncclient drives ncsoap's sshserver, and ncsoap's
// sshclient drives yuma123 netconfd behind OpenSSH's sshd. The package
// has no code of its own; its tests fail, never skip, when a peer is not
// installed (scripts/test.sh installs them).
package sshinterop
