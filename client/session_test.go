package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/client"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

func TestParseHello(t *testing.T) {
	tests := []struct {
		name  string
		hello string
		id    uint32
		caps  []string
		err   string
	}{
		{
			name:  "ok",
			hello: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability> urn:ietf:params:netconf:base:1.1 </capability></capabilities><session-id>7</session-id></hello>`,
			id:    7,
			caps:  []string{client.CapBase11},
		},
		{
			name:  "prefixed",
			hello: `<nc:hello xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><nc:capabilities><nc:capability>urn:ietf:params:netconf:base:1.0</nc:capability></nc:capabilities><nc:session-id>1</nc:session-id></nc:hello>`,
			id:    1,
			caps:  []string{client.CapBase10},
		},
		{name: "no session-id", hello: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities/></hello>`, err: "no session-id"},
		{name: "zero session-id", hello: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><session-id>0</session-id></hello>`, err: "session-id"},
		{name: "huge session-id", hello: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><session-id>4294967296</session-id></hello>`, err: "session-id"},
		{name: "wrong namespace", hello: `<hello><session-id>1</session-id></hello>`, err: "not a base:1.0"},
		{name: "not xml", hello: `<hello`, err: "bad server hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, caps, err := client.ParseHello([]byte(tt.hello))
			if tt.err != "" {
				require.ErrorIs(t, err, client.ErrBadHello)
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.id, id)
			require.Equal(t, tt.caps, caps)
		})
	}
}

func TestNewSessionClosesOnBadHello(t *testing.T) {
	ft := &fakeTransport{hello: `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities/></hello>`}
	_, err := client.NewSession(ft)
	require.ErrorIs(t, err, client.ErrBadHello)
	require.True(t, ft.closed, "a session without session-id is ended at once")
	require.Zero(t, ft.sent.Len(), "and without close-session")
}

func TestNewSession(t *testing.T) {
	srv := newServer(t)
	s := dial(t, srv)
	require.NotZero(t, s.ID())
	require.True(t, s.HasCapability(client.CapBase11))
	require.True(t, s.HasCapability("urn:ietf:params:netconf:capability:with-defaults:1.0"))
	require.False(t, s.HasCapability("urn:example:nothing"))
	require.NoError(t, s.Close(context.Background()))
	require.NoError(t, s.Close(context.Background()))
	_, err := s.RPC(context.Background(), []byte(`<get xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`))
	require.ErrorIs(t, err, client.ErrSessionClosed)
}

func TestRPC(t *testing.T) {
	srv := newServer(t)
	s := dial(t, srv)
	ctx := context.Background()

	reply, err := s.RPC(ctx, []byte(`<lock xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><target><running/></target></lock>`))
	require.NoError(t, err)
	require.Contains(t, string(reply), "<ok/>")
	require.Contains(t, string(reply), `message-id="1"`)

	other := dial(t, srv)
	reply, err = other.RPC(ctx, []byte(`<lock xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><target><running/></target></lock>`))
	var list rpcerror.List
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 1)
	require.Equal(t, rpcerror.LockDenied, list[0].Tag)
	require.NotNil(t, list[0].Info.SessionID)
	require.Equal(t, s.ID(), *list[0].Info.SessionID)
	require.True(t, errors.Is(err, &rpcerror.Error{Tag: rpcerror.LockDenied}))
	require.Contains(t, string(reply), "lock-denied")
}

// fakeTransport answers every request with a fixed reply.
type fakeTransport struct {
	hello  string
	reply  string
	sent   bytes.Buffer
	closed bool
}

func (f *fakeTransport) RoundTrip(ctx context.Context, write func(io.Writer) error) (io.ReadCloser, error) {
	f.sent.Reset()
	if err := write(&f.sent); err != nil {
		return nil, err
	}
	return io.NopCloser(strings.NewReader(f.reply)), nil
}

func (f *fakeTransport) Hello() []byte { return []byte(f.hello) }

func (f *fakeTransport) Close() error {
	f.closed = true
	return nil
}

const fakeHello = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>3</session-id></hello>`

func TestReplyParsing(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		err   error  // errors.Is target
		msg   string // substring of the error
		data  string // expected <data> output of GetConfigTo
		warn  int
	}{
		{
			name:  "data with prefixes from the reply",
			reply: `<?xml version="1.0"?><nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:x="urn:x" message-id="1"><nc:data><x:a>1 &amp; 2<![CDATA[<]]></x:a><b xmlns="urn:b"/></nc:data></nc:rpc-reply>`,
			data:  `<nc:data xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:x="urn:x"><x:a>1 &amp; 2<![CDATA[<]]></x:a><b xmlns="urn:b"/></nc:data>`,
		},
		{
			name:  "markup that hides tag ends",
			reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><a x='/>' y="</data>"><!-- </data> ---><a/><?pi </data> ??></a ><![CDATA[</data>]]]]><b>]]]></b>` + "\n</data></rpc-reply>",
			data:  `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><a x='/>' y="</data>"><!-- </data> ---><a/><?pi </data> ??></a ><![CDATA[</data>]]]]><b>]]]></b>` + "\n</data>",
		},
		{
			name:  "empty-element data",
			reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data a="b" /></rpc-reply>`,
			data:  `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"></data>`,
		},
		{name: "doctype in data", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><!DOCTYPE x></data></rpc-reply>`, err: client.ErrBadReply, msg: "neither"},
		{name: "tag without name", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data>< ></data></rpc-reply>`, err: client.ErrBadReply, msg: "without a name"},
		{name: "unclosed child", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><a></data></rpc-reply>`, err: client.ErrBadReply, msg: "</data> where </a>"},
		{name: "ends in comment", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><!-- x`, err: client.ErrBadReply, msg: "ends inside"},
		{
			name:  "empty data",
			reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data/></rpc-reply>`,
			data:  `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"></data>`,
		},
		{
			name:  "warning and data",
			reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><rpc-error><error-type>application</error-type><error-tag>operation-failed</error-tag><error-severity>warning</error-severity></rpc-error><data>x</data></rpc-reply>`,
			data:  `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">x</data>`,
			warn:  1,
		},
		{
			name:  "error",
			reply: "<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" message-id=\"1\">\n <rpc-error>\n<error-type>protocol</error-type><error-tag>in-use</error-tag><error-severity>error</error-severity></rpc-error></rpc-reply>",
			err:   &rpcerror.Error{Tag: rpcerror.InUse},
		},
		{
			name:  "error without message-id",
			reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><rpc-error><error-type>rpc</error-type><error-tag>missing-attribute</error-tag><error-severity>error</error-severity></rpc-error></rpc-reply>`,
			err:   &rpcerror.Error{Tag: rpcerror.MissingAttribute},
		},
		{name: "wrong message-id", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="2"><data/></rpc-reply>`, err: client.ErrBadReply, msg: "message-id"},
		{name: "no message-id", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data/></rpc-reply>`, err: client.ErrBadReply, msg: "no message-id"},
		{name: "not a reply", reply: `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"/>`, err: client.ErrBadReply},
		{name: "no namespace", reply: `<rpc-reply message-id="1"><data/></rpc-reply>`, err: client.ErrBadReply},
		{name: "truncated", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><a>`, err: client.ErrBadReply},
		{name: "mismatched", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><a></b></data></rpc-reply>`, err: client.ErrBadReply},
		{name: "ok instead of data", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><ok/></rpc-reply>`, err: client.ErrBadReply, msg: "no <data>"},
		{name: "empty", reply: ``, err: client.ErrBadReply},
		{name: "two roots", reply: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data/></rpc-reply><x/>`, err: client.ErrBadReply},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeTransport{hello: fakeHello, reply: tt.reply}
			s, err := client.NewSession(ft)
			require.NoError(t, err)
			var out strings.Builder
			err = s.GetConfigTo(context.Background(), &out, client.Running)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				if tt.msg != "" {
					require.ErrorContains(t, err, tt.msg)
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.data, out.String())
			require.Len(t, s.Warnings(), tt.warn)
		})
	}
}

func TestLargeDataStreams(t *testing.T) {
	var big strings.Builder
	for i := 0; i < 20000; i++ {
		big.WriteString(`<entry xmlns="urn:x"><name>n</name><value>ü</value></entry>`)
	}
	reply := `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data>` + big.String() + `</data></rpc-reply>`
	s, err := client.NewSession(&fakeTransport{hello: fakeHello, reply: reply})
	require.NoError(t, err)
	var out strings.Builder
	require.NoError(t, s.GetConfigTo(context.Background(), &out, client.Running))
	require.Equal(t, `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+big.String()+`</data>`, out.String())
}
