package soapserver_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/soapserver"
)

// FuzzServe posts arbitrary bodies, with an arbitrary Content-Type, on a
// connection whose session is open, and checks that the server answers
// every one that reaches the handler with a SOAP response of an expected
// status, and keeps serving. The connection is reused across inputs while
// the server keeps it open, since authenticating a new one costs an
// Argon2id hash.
func FuzzServe(f *testing.F) {
	fx := start(f, nil, soapserver.Options{MaxRequestSize: 64 << 10, MaxDepth: 64})
	var nc net.Conn
	var br *bufio.Reader
	f.Cleanup(func() {
		if nc != nil {
			nc.Close()
		}
	})
	exchange := func(t *testing.T, ct string, body []byte) *http.Response {
		req, err := http.NewRequest(http.MethodPost, fx.url, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", ct)
		req.SetBasicAuth(user, password)
		require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
		require.NoError(t, req.Write(nc))
		resp, err := http.ReadResponse(br, req)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, resp.Body)
		require.NoError(t, err)
		if resp.Close {
			nc.Close()
			nc = nil
		}
		return resp
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		if nc == nil {
			var err error
			nc, err = net.Dial("tcp", fx.ln.Addr().String())
			require.NoError(t, err)
			br = bufio.NewReader(nc)
			require.Equal(t, http.StatusOK, exchange(t, ct11, []byte(env(ns11, hello))).StatusCode)
		}
		resp := exchange(t, contentType, body)
		if resp.Header.Get("Cache-Control") == "" {
			// net/http itself refused a malformed request, such as a
			// header value with control characters, before the handler.
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
			require.True(t, resp.Close)
			return
		}
		switch resp.StatusCode {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge,
			http.StatusUnsupportedMediaType, http.StatusInternalServerError:
		default:
			t.Fatalf("unexpected status %s", resp.Status)
		}
		ct := resp.Header.Get("Content-Type")
		require.True(t, ct == ct11 || ct == ct12, "Content-Type %q", ct)
	})
}
