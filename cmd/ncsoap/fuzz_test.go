package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// FuzzIndentXML checks that indenting never fails on what it accepted
// before: its output is accepted again and indenting it changes nothing.
func FuzzIndentXML(f *testing.F) {
	f.Add(`<a xmlns="urn:a"><b><c>1</c><d/></b></a>`)
	f.Add("<a>text <b>bold</b> more</a>")
	f.Add(`<?xml version="1.0"?><!-- c --><x:a xmlns:x="u" x:y="&quot;"><![CDATA[<]]></x:a>`)
	f.Fuzz(func(t *testing.T, in string) {
		var once bytes.Buffer
		if err := indentXML(&once, strings.NewReader(in)); err != nil {
			return
		}
		var twice bytes.Buffer
		if err := indentXML(&twice, bytes.NewReader(once.Bytes())); err != nil {
			t.Fatalf("indented output rejected: %v\n%q", err, once.String())
		}
		if twice.String() != once.String() {
			t.Fatalf("indenting is not idempotent:\n%q\n%q", once.String(), twice.String())
		}
	})
}

// FuzzSplitLine checks that splitting never panics and that words
// quoted back split to themselves.
func FuzzSplitLine(f *testing.F) {
	f.Add(`get --filter '<a x="1"/>'`)
	f.Add(`a\ b "c \"d\"" # e`)
	f.Add("'open")
	f.Fuzz(func(t *testing.T, line string) {
		words, err := splitLine(line)
		if err != nil {
			return
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+strings.ReplaceAll(w, "'", `'\''`)+"'")
		}
		again, err := splitLine(strings.Join(quoted, " "))
		if err != nil {
			t.Fatalf("quoted words rejected: %v", err)
		}
		if len(words) == 0 {
			return
		}
		if strings.Join(again, "\x00") != strings.Join(words, "\x00") {
			t.Fatalf("%q split to %q, quoted back to %q", line, words, again)
		}
	})
}

// FuzzParseCredentials checks that parsing never panics and that every
// user it returns is a non-empty name without surrounding spaces.
func FuzzParseCredentials(f *testing.F) {
	f.Add("admin:s3cret\n# comment\n\noperator:a:b\n")
	f.Add("a:1\na:2\n")
	f.Add(":x\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		creds, err := parseCredentials(strings.NewReader(in))
		if err != nil {
			return
		}
		for u := range creds {
			if u == "" || strings.TrimSpace(u) != u || strings.Contains(u, ":") {
				t.Fatalf("bad user %q from %q", u, in)
			}
		}
	})
}

// FuzzXMLArguments checks that the configuration, filter and rpc
// arguments never panic and that what they accept is well-formed XML.
func FuzzXMLArguments(f *testing.F) {
	f.Add(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><a xmlns="urn:a"/></config>`)
	f.Add(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:x="urn:x"><x:op/></rpc>`)
	f.Add(`<filter xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" type="xpath"/>`)
	f.Add(`<a/><b/>`)
	f.Fuzz(func(t *testing.T, in string) {
		in = "<" + in
		for name, parse := range map[string]func(string, io.Reader) ([]byte, error){
			"config": configContent, "filter": subtreeFilter, "rpc": operation,
		} {
			out, err := parse(in, nil)
			if err != nil {
				continue
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(out); err != nil && len(out) > 0 {
				t.Fatalf("%s: %q gave %q: %v", name, in, out, err)
			}
		}
	})
}
