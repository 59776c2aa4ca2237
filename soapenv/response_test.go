package soapenv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/stretchr/testify/require"
)

func TestReadResponse(t *testing.T) {
	reply := `<rpc-reply xmlns="` + ncNS + `" message-id="101"><data><top xmlns="urn:t"><![CDATA[]]]]><![CDATA[>]]><!-- ]]> --></top></data></rpc-reply>`
	tests := []struct {
		name    string
		in      string
		version Version
		body    string
	}{
		{name: "SOAP 1.2", in: env(V12, "env", "", "", reply), version: V12,
			body: `<rpc-reply xmlns="` + ncNS + `" message-id="101"><data><top xmlns="urn:t"><![CDATA[]]]]><![CDATA[>]]><!-- ]]> --></top></data></rpc-reply>`},
		{name: "SOAP 1.1 with inherited prefix", in: env(V11, "soap", ` xmlns:nc="`+ncNS+`"`, `<h:x xmlns:h="urn:h"/>`, `<nc:rpc-reply message-id="1"><nc:ok/></nc:rpc-reply>`), version: V11,
			body: `<nc:rpc-reply xmlns:nc="` + ncNS + `" message-id="1"><nc:ok/></nc:rpc-reply>`},
		{name: "default-namespace envelope", in: env(V12, "", "", "", reply), version: V12, body: reply},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, oneByte := range []bool{false, true} {
				var src io.Reader = strings.NewReader(tt.in)
				if oneByte {
					src = iotest.OneByteReader(src)
				}
				resp, err := ReadResponse(src, nil)
				require.NoError(t, err)
				require.Equal(t, tt.version, resp.Version)
				var got []byte
				if oneByte {
					got, err = io.ReadAll(iotest.OneByteReader(resp))
				} else {
					got, err = io.ReadAll(resp)
				}
				require.NoError(t, err)
				require.Equal(t, tt.body, string(got))
				requireDocument(t, got)
				n, err := resp.Read(make([]byte, 8))
				require.Equal(t, 0, n)
				require.Equal(t, io.EOF, err)
			}
		})
	}
}

func TestReadResponseErrors(t *testing.T) {
	reply := `<rpc-reply xmlns="` + ncNS + `" message-id="1"><ok/></rpc-reply>`
	tests := []struct {
		name   string
		in     string
		reason string
		late   bool // reported by Read rather than ReadResponse
	}{
		{name: "not an envelope", in: reply, reason: "not a SOAP 1.1 or SOAP 1.2 Envelope"},
		{name: "empty Body", in: env(V12, "env", "", "", ""), reason: "Body is empty"},
		{name: "mustUnderstand header", in: env(V12, "env", "", `<h:a xmlns:h="urn:h" env:mustUnderstand="1"/>`, reply), reason: "not understood: {urn:h}a"},
		{name: "second Body child", in: env(V12, "env", "", "", reply+reply), reason: "more than one child", late: true},
		{name: "broken inside the child", in: env(V12, "env", "", "", `<rpc-reply><data></rpc-reply>`), reason: "closed by", late: true},
		{name: "trailing garbage", in: env(V11, "soap", "", "", reply) + "x", reason: "after the end of the Envelope", late: true},
		{name: "truncated", in: strings.TrimSuffix(env(V11, "soap", "", "", reply), "</soap:Body></soap:Envelope>"), reason: "unexpected", late: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := ReadResponse(strings.NewReader(tt.in), nil)
			if tt.late {
				require.NoError(t, err)
				_, err = io.ReadAll(resp)
			}
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			require.Contains(t, re.Reason, tt.reason)
			var f *Fault
			require.False(t, errors.As(err, &f), "a malformed response is not a fault")
		})
	}
}

func TestReadResponseIOError(t *testing.T) {
	boom := errors.New("connection reset")
	in := `<env:Envelope xmlns:env="` + s12 + `"><env:Body><rpc-reply xmlns="` + ncNS + `"><data>` + strings.Repeat("<x/>", 5000)
	resp, err := ReadResponse(io.MultiReader(strings.NewReader(in), failingReader{boom}), nil)
	require.NoError(t, err)
	_, err = io.ReadAll(resp)
	require.ErrorIs(t, err, boom)
}

// twoErrors is a detail with two rpc-errors, one with a prefixed
// error-path and extra error-info.
func twoErrors() rpcerror.List {
	sid := uint32(0)
	return rpcerror.List{
		rpcerror.New(rpcerror.TypeApplication, rpcerror.InvalidValue, "bad MTU <9000> & more").
			WithPath("/t:top/t:mtu", map[string]string{"t": "urn:t"}).WithAppTag("mtu-range"),
		rpcerror.LockDeniedError(sid),
	}
}

func TestFaultRoundTrip(t *testing.T) {
	for _, v := range []Version{V11, V12} {
		t.Run(v.String(), func(t *testing.T) {
			want := FaultFromErrors(twoErrors())
			want.Version = v
			var buf bytes.Buffer
			require.NoError(t, WriteFault(&buf, want))
			requireDocument(t, buf.Bytes())

			resp, err := ReadResponse(&buf, nil)
			require.Nil(t, resp)
			var got *Fault
			require.ErrorAs(t, err, &got)
			require.Equal(t, v, got.Version)
			require.Equal(t, Receiver, got.Code)
			require.Equal(t, "invalid-value", got.Reason)
			require.Len(t, got.Detail, 2)
			e0, e1 := got.Detail[0], got.Detail[1]
			require.Equal(t, rpcerror.InvalidValue, e0.Tag)
			require.Equal(t, rpcerror.TypeApplication, e0.Type)
			require.Equal(t, "bad MTU <9000> & more", e0.Message)
			require.Equal(t, "/t:top/t:mtu", e0.Path)
			require.Equal(t, "urn:t", e0.PathNamespaces["t"])
			require.Equal(t, "mtu-range", e0.AppTag)
			require.Equal(t, rpcerror.LockDenied, e1.Tag)
			require.NotNil(t, e1.Info.SessionID)
			require.Equal(t, uint32(0), *e1.Info.SessionID)

			var rpcErr *rpcerror.Error
			require.ErrorAs(t, err, &rpcErr)
			require.ErrorIs(t, err, &rpcerror.Error{Tag: rpcerror.LockDenied})
		})
	}
}

func TestFaultRoundTripCodes(t *testing.T) {
	codes := []Code{VersionMismatch, MustUnderstand, DataEncodingUnknown, Sender, Receiver}
	for _, v := range []Version{V11, V12} {
		for _, c := range codes {
			t.Run(fmt.Sprint(v, " ", c), func(t *testing.T) {
				in := &Fault{Version: v, Code: c, Reason: "why\nnot <x> & \"y\"\x00", Lang: "de",
					NotUnderstood: []xml.Name{{Space: "urn:h", Local: "a"}, {Local: "b"}}}
				var buf bytes.Buffer
				require.NoError(t, WriteFault(&buf, in))
				requireDocument(t, buf.Bytes())
				_, err := ReadResponse(&buf, nil)
				var got *Fault
				require.ErrorAs(t, err, &got)
				want := c
				if v == V11 && c == DataEncodingUnknown {
					want = Sender
				}
				require.Equal(t, want, got.Code)
				require.Equal(t, "why\nnot <x> & \"y\"\uFFFD", got.Reason)
				if v == V12 {
					require.Equal(t, "de", got.Lang)
				}
				if v == V12 && c == MustUnderstand {
					require.Equal(t, in.NotUnderstood, got.NotUnderstood)
				} else {
					require.Empty(t, got.NotUnderstood)
				}
			})
		}
	}
}

func TestReadResponseForeignFaults(t *testing.T) {
	rpcErr := `<rpc-error xmlns="` + ncNS + `"><error-type>rpc</error-type><error-tag>missing-attribute</error-tag><error-severity>error</error-severity></rpc-error>`
	tests := []struct {
		name   string
		in     string
		code   Code
		reason string
		errs   int
	}{
		{name: "RFC 4743 style lowercase detail in SOAP 1.2",
			in: env(V12, "soapenv", "", "", `<soapenv:Fault><soapenv:Code><soapenv:Value>soapenv:Receiver</soapenv:Value></soapenv:Code>`+
				`<soapenv:Reason><soapenv:Text xml:lang="en">missing-attribute</soapenv:Text></soapenv:Reason><detail>`+rpcErr+`</detail></soapenv:Fault>`),
			code: Receiver, reason: "missing-attribute", errs: 1},
		{name: "SOAP 1.1 dotted Client code and foreign detail",
			in:   env(V11, "S", "", "", `<S:Fault><faultcode>S:Client.Authentication</faultcode><faultstring>denied</faultstring><detail><x xmlns="urn:x"/></detail></S:Fault>`),
			code: Sender, reason: "denied"},
		{name: "SOAP 1.1 code in an unknown namespace", in: env(V11, "S", "", "", `<S:Fault><faultcode xmlns:q="urn:q">q:Client</faultcode><faultstring>x</faultstring></S:Fault>`),
			code: Receiver, reason: "x"},
		{name: "SOAP 1.2 reason picks English text",
			in: env(V12, "e", "", "", `<e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value xmlns:v="urn:v">v:x</e:Value></e:Subcode></e:Code>`+
				`<e:Reason><e:Text xml:lang="fr">non</e:Text><e:Text xml:lang="en-US">no</e:Text></e:Reason></e:Fault>`),
			code: Sender, reason: "no"},
		{name: "SOAP 1.2 empty fault", in: env(V12, "e", "", "", `<e:Fault/>`), code: Receiver},
		{name: "prefix of rpc-error declared on Envelope",
			in: env(V12, "e", ` xmlns:nc="`+ncNS+`"`, "", `<e:Fault><e:Code><e:Value>e:Receiver</e:Value></e:Code><e:Reason><e:Text xml:lang="en">in-use</e:Text></e:Reason>`+
				`<e:Detail><nc:rpc-error><nc:error-type>protocol</nc:error-type><nc:error-tag>in-use</nc:error-tag></nc:rpc-error></e:Detail></e:Fault>`),
			code: Receiver, reason: "in-use", errs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadResponse(strings.NewReader(tt.in), nil)
			var f *Fault
			require.ErrorAs(t, err, &f)
			require.Equal(t, tt.code, f.Code)
			require.Equal(t, tt.reason, f.Reason)
			require.Len(t, f.Detail, tt.errs)
		})
	}
}

// TestReadResponseStreamsInBoundedMemory streams a body much larger than
// the recorder's buffer may grow to.
func TestReadResponseStreamsInBoundedMemory(t *testing.T) {
	const items = 200000
	item := `<interface><name>eth0</name><mtu>1500</mtu></interface>`
	src := io.MultiReader(
		strings.NewReader(`<env:Envelope xmlns:env="`+s12+`"><env:Body><rpc-reply xmlns="`+ncNS+`"><data>`),
		&repeatReader{s: item, n: items},
		strings.NewReader(`</data></rpc-reply></env:Body></env:Envelope>`))
	resp, err := ReadResponse(src, &Options{MaxSize: 1 << 30})
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, resp)
	require.NoError(t, err)
	require.Greater(t, n, int64(items*len(item)))
	require.Less(t, cap(resp.e.rec.buf), 256<<10)
}

// repeatReader reads s n times.
type repeatReader struct {
	s   string
	n   int
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	w := 0
	for w < len(p) && r.n > 0 {
		c := copy(p[w:], r.s[r.off:])
		w += c
		r.off += c
		if r.off == len(r.s) {
			r.off = 0
			r.n--
		}
	}
	if w == 0 {
		return 0, io.EOF
	}
	return w, nil
}
