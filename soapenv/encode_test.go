package soapenv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/stretchr/testify/require"
)

func TestWriteEnvelope(t *testing.T) {
	reply := `<rpc-reply xmlns="` + ncNS + `" message-id="101"><ok/></rpc-reply>`
	tests := []struct {
		version Version
		want    string
	}{
		{V11, `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<soap:Envelope xmlns:soap="` + s11 + `"><soap:Body>` + reply + "</soap:Body></soap:Envelope>\n"},
		{V12, `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<env:Envelope xmlns:env="` + s12 + `"><env:Body>` + reply + "</env:Body></env:Envelope>\n"},
		{0, `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<env:Envelope xmlns:env="` + s12 + `"><env:Body>` + reply + "</env:Body></env:Envelope>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.version.String(), func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteEnvelope(&buf, tt.version, func(w io.Writer) error {
				_, err := io.WriteString(w, reply)
				return err
			})
			require.NoError(t, err)
			require.Equal(t, tt.want, buf.String())
			requireDocument(t, buf.Bytes())

			req, err := ReadRequest(bytes.NewReader(buf.Bytes()), nil)
			require.NoError(t, err)
			require.Equal(t, tt.version.orDefault(), req.Version)
			require.Equal(t, reply, string(req.Body), "the envelope's namespace stays on the envelope")
		})
	}
}

func TestWriteEnvelopeBodyError(t *testing.T) {
	boom := errors.New("datastore read failed")
	var buf bytes.Buffer
	err := WriteEnvelope(&buf, V12, func(w io.Writer) error {
		_, _ = io.WriteString(w, "<rpc-reply><data>")
		return boom
	})
	require.ErrorIs(t, err, boom)
	_, err = ReadRequest(&buf, nil)
	var f *Fault
	require.ErrorAs(t, err, &f, "a failed body leaves an envelope that does not parse")
}

type shortWriter struct{ n int }

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, io.ErrShortWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	body := func(w io.Writer) error { _, err := io.WriteString(w, "<x/>"); return err }
	for _, n := range []int{0, len(head11) + 2, len(head11) + 4} {
		require.ErrorIs(t, WriteEnvelope(&shortWriter{n}, V11, body), io.ErrShortWrite)
	}
	require.ErrorIs(t, WriteFault(&shortWriter{10}, FaultFromErrors(twoErrors())), io.ErrShortWrite)
}

func TestWriteFault(t *testing.T) {
	detail := rpcerror.List{rpcerror.New(rpcerror.TypeRPC, rpcerror.MissingAttribute, "no message-id")}
	var rpcErr strings.Builder
	_, err := detail[0].WriteTo(&rpcErr)
	require.NoError(t, err)
	decl := `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	tests := []struct {
		name  string
		fault *Fault
		want  string
	}{
		{name: "SOAP 1.1 with detail", fault: &Fault{Version: V11, Code: Receiver, Reason: "missing-attribute", Detail: detail},
			want: decl + `<soap:Envelope xmlns:soap="` + s11 + `"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode>` +
				`<faultstring>missing-attribute</faultstring><detail>` + rpcErr.String() + `</detail></soap:Fault></soap:Body></soap:Envelope>` + "\n"},
		{name: "SOAP 1.1 Sender is Client", fault: &Fault{Version: V11, Code: Sender, Reason: "bad"},
			want: decl + `<soap:Envelope xmlns:soap="` + s11 + `"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode>` +
				`<faultstring>bad</faultstring></soap:Fault></soap:Body></soap:Envelope>` + "\n"},
		{name: "SOAP 1.2 with detail", fault: &Fault{Version: V12, Code: Receiver, Reason: "missing-attribute", Detail: detail},
			want: decl + `<env:Envelope xmlns:env="` + s12 + `"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code>` +
				`<env:Reason><env:Text xml:lang="en">missing-attribute</env:Text></env:Reason><env:Detail>` + rpcErr.String() +
				`</env:Detail></env:Fault></env:Body></env:Envelope>` + "\n"},
		{name: "SOAP 1.2 MustUnderstand", fault: &Fault{Code: MustUnderstand, Reason: "not understood", NotUnderstood: []xml.Name{{Space: "urn:h", Local: "a"}}},
			want: decl + `<env:Envelope xmlns:env="` + s12 + `"><env:Header><env:NotUnderstood qname="nu:a" xmlns:nu="urn:h"/></env:Header>` +
				`<env:Body><env:Fault><env:Code><env:Value>env:MustUnderstand</env:Value></env:Code>` +
				`<env:Reason><env:Text xml:lang="en">not understood</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>` + "\n"},
		{name: "SOAP 1.2 VersionMismatch", fault: &Fault{Version: V12, Code: VersionMismatch, Reason: "wrong"},
			want: decl + `<env:Envelope xmlns:env="` + s12 + `"><env:Header><env:Upgrade><env:SupportedEnvelope qname="env:Envelope"/>` +
				`<env:SupportedEnvelope qname="s11:Envelope" xmlns:s11="` + s11 + `"/></env:Upgrade></env:Header>` +
				`<env:Body><env:Fault><env:Code><env:Value>env:VersionMismatch</env:Value></env:Code>` +
				`<env:Reason><env:Text xml:lang="en">wrong</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteFault(&buf, tt.fault))
			require.Equal(t, tt.want, buf.String())
			requireDocument(t, buf.Bytes())
		})
	}
}

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		version Version
		code    Code
		want    int
	}{
		{V11, VersionMismatch, http.StatusInternalServerError},
		{V11, MustUnderstand, http.StatusInternalServerError},
		{V11, Sender, http.StatusInternalServerError},
		{V11, Receiver, http.StatusInternalServerError},
		{V11, DataEncodingUnknown, http.StatusInternalServerError},
		{V12, VersionMismatch, http.StatusInternalServerError},
		{V12, MustUnderstand, http.StatusInternalServerError},
		{V12, Sender, http.StatusBadRequest},
		{V12, Receiver, http.StatusInternalServerError},
		{V12, DataEncodingUnknown, http.StatusInternalServerError},
		{0, Sender, http.StatusBadRequest},
	}
	for _, tt := range tests {
		f := &Fault{Version: tt.version, Code: tt.code}
		require.Equal(t, tt.want, f.HTTPStatus(), "%v %v", tt.version, tt.code)
	}
}

func TestFaultFromErrors(t *testing.T) {
	f := FaultFromErrors(twoErrors())
	require.Equal(t, Receiver, f.Code)
	require.Equal(t, "invalid-value", f.Reason)
	require.Len(t, f.Detail, 2)
	require.Contains(t, f.Error(), "soap fault Receiver: invalid-value; netconf application error: invalid-value")
	var e *rpcerror.Error
	require.ErrorAs(t, f, &e)
	require.Equal(t, rpcerror.InvalidValue, e.Tag)

	empty := FaultFromErrors(nil)
	require.Equal(t, "operation-failed", empty.Reason)
	require.Equal(t, "soap fault Receiver: operation-failed", empty.Error())
}

func TestContentType(t *testing.T) {
	require.Equal(t, "text/xml; charset=utf-8", ContentType(V11))
	require.Equal(t, "application/soap+xml; charset=utf-8", ContentType(V12))
	require.Equal(t, "application/soap+xml; charset=utf-8", ContentType(0))

	tests := []struct {
		in   string
		want Version
	}{
		{"text/xml", V11},
		{"text/xml; charset=utf-8", V11},
		{`Text/XML; charset="UTF-8"`, V11},
		{"application/soap+xml", V12},
		{`application/soap+xml; charset=utf-8; action="urn:ietf:params:xml:ns:netconf:soap:1.0:rpc"`, V12},
		{"", 0},
		{"application/json", 0},
		{"application/xml", 0},
		{"text/xml; charset=iso-8859-1", 0},
		{"text/xml; charset", 0},
	}
	for _, tt := range tests {
		got, err := VersionFromContentType(tt.in)
		require.Equal(t, tt.want, got, tt.in)
		if tt.want == 0 {
			require.ErrorIs(t, err, ErrMediaType, tt.in)
		} else {
			require.NoError(t, err, tt.in)
		}
	}
}

func TestVersion(t *testing.T) {
	require.Equal(t, "SOAP 1.1", V11.String())
	require.Equal(t, "SOAP 1.2", V12.String())
	require.Equal(t, "SOAP (unknown version)", Version(0).String())
	require.Equal(t, s11, V11.Namespace())
	require.Equal(t, s12, V12.Namespace())
	require.Equal(t, "", Version(7).Namespace())
}
