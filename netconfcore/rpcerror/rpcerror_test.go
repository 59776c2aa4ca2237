package rpcerror_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

func roundTrip(t *testing.T, e *rpcerror.Error) *rpcerror.Error {
	t.Helper()
	var b strings.Builder
	_, err := e.WriteTo(&b)
	require.NoError(t, err)
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(b.String()), b.String())
	return rpcerror.FromElement(doc.Root())
}

func TestWriteAndDecode(t *testing.T) {
	holder := uint32(0)
	for name, e := range map[string]*rpcerror.Error{
		"missing-attribute": rpcerror.MissingAttributeError(rpcerror.TypeRPC, "message-id", "rpc"),
		"lock-denied-zero":  rpcerror.LockDeniedError(holder),
		"unknown-namespace": rpcerror.UnknownNamespaceError(rpcerror.TypeProtocol, "ex:top", "urn:nope").
			WithPath("/ex:top", map[string]string{"ex": "urn:ex"}),
		"escaping": rpcerror.New(rpcerror.TypeApplication, rpcerror.InvalidValue, `a<b & "c" > 'd'`).
			WithAppTag("must-violation").WithInfo(rpcerror.Info{Extra: `<v xmlns="urn:v">1</v>`}),
		"warning": {Type: rpcerror.TypeApplication, Tag: rpcerror.OperationFailed,
			Severity: rpcerror.SeverityWarning, Message: "careful", Lang: "en-GB"},
	} {
		t.Run(name, func(t *testing.T) {
			got := roundTrip(t, e)
			if e.Severity == "" {
				e.Severity = rpcerror.SeverityError
			}
			if e.Message != "" && e.Lang == "" {
				e.Lang = "en"
			}
			require.Equal(t, e, got)
		})
	}
}

func TestEveryTagWrites(t *testing.T) {
	require.Len(t, rpcerror.Tags, 20)
	for _, tag := range rpcerror.Tags {
		got := roundTrip(t, rpcerror.New(rpcerror.TypeProtocol, tag, "x"))
		require.Equal(t, tag, got.Tag)
	}
}

func TestErrorsFlattensAndMatches(t *testing.T) {
	denied := rpcerror.LockDeniedError(7)
	list := rpcerror.List{rpcerror.New(rpcerror.TypeApplication, rpcerror.DataMissing, "gone"), denied}
	wrapped := fmt.Errorf("edit: %w", list)
	require.Equal(t, list, rpcerror.Errors(wrapped))
	require.True(t, errors.Is(wrapped, &rpcerror.Error{Tag: rpcerror.LockDenied}))
	var e *rpcerror.Error
	require.True(t, errors.As(wrapped, &e))
	require.Equal(t, rpcerror.DataMissing, e.Tag)
	require.True(t, list.HasErrors())
	require.False(t, rpcerror.List{{Severity: rpcerror.SeverityWarning}}.HasErrors())

	plain := rpcerror.Errors(errors.New("disk full"))
	require.Equal(t, rpcerror.OperationFailed, plain[0].Tag)
	require.Nil(t, rpcerror.Errors(nil))
	require.Equal(t, "netconf protocol error: lock-denied: lock held by session 7", denied.Error())
}
