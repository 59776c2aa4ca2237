package soapenv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// fuzzOptions keeps the limits small so that the fuzzer reaches them.
var fuzzOptions = &Options{MaxSize: 1 << 16, MaxDepth: 32}

func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(env(V12, "env", ` xmlns:nc="`+ncNS+`"`, "", `<nc:rpc message-id="1"><nc:get/></nc:rpc>`)))
	f.Fuzz(func(t *testing.T, in []byte) {
		req, err := ReadRequest(iotest.HalfReader(bytes.NewReader(in)), fuzzOptions)
		if err != nil {
			var fault *Fault
			if !errors.As(err, &fault) {
				t.Fatalf("error is not a fault: %v", err)
			}
			requireFaultWellFormed(t, fault)
			return
		}
		requireDocument(t, req.Body)
		if got := rootName(t, req.Body); got != req.Name {
			t.Fatalf("Name %v, Body root %v", req.Name, got)
		}
	})
}

func FuzzDecodeResponse(f *testing.F) {
	f.Add([]byte(env(V11, "soap", "", "", `<rpc-reply xmlns="`+ncNS+`"><ok/></rpc-reply>`)))
	f.Fuzz(func(t *testing.T, in []byte) {
		resp, err := ReadResponse(iotest.HalfReader(bytes.NewReader(in)), fuzzOptions)
		if err == nil {
			var body []byte
			body, err = io.ReadAll(iotest.OneByteReader(resp))
			if err == nil {
				requireDocument(t, body)
				if got := rootName(t, body); got != resp.Name {
					t.Fatalf("Name %v, body root %v", resp.Name, got)
				}
				return
			}
		}
		var fault *Fault
		var re *ResponseError
		switch {
		case errors.As(err, &fault):
			requireFaultWellFormed(t, fault)
			var buf bytes.Buffer
			if err := WriteFault(&buf, fault); err != nil {
				t.Fatal(err)
			}
			_, err := ReadResponse(&buf, nil)
			var again *Fault
			if !errors.As(err, &again) || again.Code != fault.Code || len(again.Detail) != len(fault.Detail) {
				t.Fatalf("fault %v does not round-trip: %v", fault, err)
			}
		case !errors.As(err, &re):
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
	})
}

func requireFaultWellFormed(t *testing.T, f *Fault) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteFault(&buf, f); err != nil {
		t.Fatal(err)
	}
	if err := checkDocument(buf.Bytes()); err != nil {
		t.Fatalf("written fault is malformed: %v\n%s", err, buf.Bytes())
	}
}

// rootName returns the resolved name of the root element of doc.
func rootName(t *testing.T, doc []byte) xml.Name {
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s.Name
		}
	}
}
