package xmlparse

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// getConfig is a small NETCONF request, about 300 bytes.
const getConfig = `<?xml version="1.0" encoding="UTF-8"?>
<rpc message-id="101" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <get-config>
    <source>
      <running/>
    </source>
    <filter type="subtree">
      <interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>
    </filter>
  </get-config>
</rpc>
`

// replyDoc returns an rpc-reply of about 3 KB.
func replyDoc() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rpc-reply message-id="101" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data>` + "\n")
	b.WriteString(`  <interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">` + "\n")
	for i := range 12 {
		fmt.Fprintf(&b, "    <interface>\n      <name>eth%d</name>\n"+
			"      <description>uplink &amp; mgmt %d</description>\n"+
			"      <type>ianaift:ethernetCsmacd</type>\n      <enabled>true</enabled>\n"+
			"    </interface>\n", i, i)
	}
	b.WriteString("  </interfaces>\n</data></rpc-reply>\n")
	return b.Bytes()
}

// largeDoc is a document of about 10 MB holding 100,000 list entries.
var largeDoc = sync.OnceValue(func() []byte { return listDoc(100000) })

// listDoc returns a configuration of n list entries, about 100 bytes each.
func listDoc(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` + "\n")
	b.WriteString(`<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "  <interface>\n    <name>eth%d</name>\n    <mtu>1500</mtu>\n"+
			"    <enabled>true</enabled>\n    <description>x</description>\n  </interface>\n", i)
	}
	b.WriteString("</interfaces>\n</config>\n")
	return b.Bytes()
}

func benchmarkBoth(b *testing.B, data []byte) {
	b.Run("xmlparse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(data, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("etree", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := etreeParse(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkParseSmall(b *testing.B) { benchmarkBoth(b, []byte(getConfig)) }

func BenchmarkParseReply(b *testing.B) { benchmarkBoth(b, replyDoc()) }

func BenchmarkParseLarge(b *testing.B) { benchmarkBoth(b, largeDoc()) }

func TestBenchmarkDocumentsMatchEtree(t *testing.T) {
	for _, data := range [][]byte{[]byte(getConfig), replyDoc(), listDoc(3000)} {
		checkDifferential(t, data)
	}
}

func BenchmarkParseReaderSmall(b *testing.B) {
	data := []byte(getConfig)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseReader(bytes.NewReader(data), Options{MaxSize: 1 << 20}); err != nil {
			b.Fatal(err)
		}
	}
}
