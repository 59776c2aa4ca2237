package soapenv

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

var smallRequest = []byte(`<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="` + s12 + `">
  <env:Body>
    <rpc xmlns="` + ncNS + `" message-id="101">
      <get-config><source><running/></source><filter type="subtree"><top xmlns="urn:t"><users/></top></filter></get-config>
    </rpc>
  </env:Body>
</env:Envelope>`)

// largeEnvelope returns an envelope whose rpc-reply holds about size bytes
// of data.
func largeEnvelope(size int) []byte {
	item := `<interface><name>ge-0/0/1</name><description>uplink &amp; core</description><mtu>9000</mtu></interface>` + "\n"
	var b strings.Builder
	b.WriteString(`<env:Envelope xmlns:env="` + s12 + `"><env:Body><rpc-reply xmlns="` + ncNS + `" message-id="1"><data><interfaces xmlns="urn:if">`)
	for b.Len() < size {
		b.WriteString(item)
	}
	b.WriteString(`</interfaces></data></rpc-reply></env:Body></env:Envelope>`)
	return []byte(b.String())
}

func BenchmarkReadRequestSmall(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(smallRequest)))
	for b.Loop() {
		if _, err := ReadRequest(bytes.NewReader(smallRequest), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteEnvelopeSmall(b *testing.B) {
	reply := `<rpc-reply xmlns="` + ncNS + `" message-id="101"><ok/></rpc-reply>`
	body := func(w io.Writer) error {
		_, err := io.WriteString(w, reply)
		return err
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteEnvelope(&buf, V12, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteFault(b *testing.B) {
	f := FaultFromErrors(twoErrors())
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteFault(&buf, f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadRequest1MB(b *testing.B) {
	in := largeEnvelope(1 << 20)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := ReadRequest(bytes.NewReader(in), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadResponse1MB(b *testing.B) {
	in := largeEnvelope(1 << 20)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		resp, err := ReadResponse(bytes.NewReader(in), nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp); err != nil {
			b.Fatal(err)
		}
	}
}
