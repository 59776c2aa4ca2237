package ncsoaptest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap"
	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/ncsoaptest"
)

func TestEveryTransport(t *testing.T) {
	srv := ncsoaptest.NewServer(t)
	login := []ncsoap.DialOption{ncsoap.WithUser(srv.User), ncsoap.WithPassword(srv.Password)}
	tests := []struct {
		name string
		url  string
		opts []ncsoap.DialOption
	}{
		{"http", srv.HTTPURL, login},
		{"https", srv.HTTPSURL, append([]ncsoap.DialOption{ncsoap.WithCAFile(srv.CAFile)}, login...)},
		{"https client certificate", srv.HTTPSURL, []ncsoap.DialOption{ncsoap.WithCAFile(srv.CAFile), ncsoap.WithClientCert(srv.ClientCertFile, srv.ClientKeyFile)}},
		{"ssh fingerprint", srv.SSHURL, append([]ncsoap.DialOption{ncsoap.WithHostKeyFingerprint(srv.HostKeyFingerprint)}, login...)},
		{"ssh known_hosts", srv.SSHURL, append([]ncsoap.DialOption{ncsoap.WithKnownHosts(srv.KnownHostsFile)}, login...)},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, err := ncsoap.Dial(ctx, tt.url, tt.opts...)
			require.NoError(t, err)
			data, err := sess.GetConfig(ctx, client.Running)
			require.NoError(t, err)
			require.Contains(t, string(data), "router1")
			require.NoError(t, sess.Close(ctx))
		})
	}
}
