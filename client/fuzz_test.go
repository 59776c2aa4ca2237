package client_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// FuzzParseHello checks that any server hello gives a session-id or
// ErrBadHello, never a panic.
func FuzzParseHello(f *testing.F) {
	f.Add([]byte(fakeHello))
	f.Add([]byte(`<nc:hello xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><nc:session-id>4294967295</nc:session-id></nc:hello>`))
	f.Add([]byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><session-id>-1</session-id></hello>`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		id, _, err := client.ParseHello(msg)
		if err != nil {
			if !errors.Is(err, client.ErrBadHello) {
				t.Fatalf("error %v does not wrap ErrBadHello", err)
			}
			return
		}
		if id == 0 {
			t.Fatal("session-id 0 accepted")
		}
	})
}

// FuzzReply checks that any reply message gives data, rpc-errors or
// ErrBadReply, never a panic, and that the data written is the data
// element.
func FuzzReply(f *testing.F) {
	for _, s := range []string{
		`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><a xmlns="urn:a">x</a></data></rpc-reply>`,
		`<nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><nc:rpc-error><nc:error-type>rpc</nc:error-type><nc:error-tag>in-use</nc:error-tag><nc:error-severity>error</nc:error-severity><nc:error-info><nc:session-id>3</nc:session-id></nc:error-info></nc:rpc-error></nc:rpc-reply>`,
		`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><ok/></rpc-reply>`,
		`<?xml version="1.0"?><rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"> <data><![CDATA[]]]]><!-- c --></data> </rpc-reply>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, reply []byte) {
		s, err := client.NewSession(&fakeTransport{hello: fakeHello, reply: string(reply)})
		if err != nil {
			t.Fatal(err)
		}
		var out limitedWriter
		err = s.GetConfigTo(context.Background(), &out, client.Running)
		var list rpcerror.List
		switch {
		case err == nil, errors.Is(err, client.ErrBadReply), errors.As(err, &list):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// limitedWriter discards what it is given.
type limitedWriter struct{ n int }

func (w *limitedWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

var _ io.Writer = (*limitedWriter)(nil)
