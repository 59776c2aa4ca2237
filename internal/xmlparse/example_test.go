package xmlparse_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
)

func ExampleParseReader() {
	msg := `<rpc message-id="101" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">
  <edit-config><target><running/></target><config>
    <interface xmlns="urn:example:if" nc:operation="delete"><name>eth&#48;</name></interface>
  </config></edit-config>
</rpc>`
	doc, err := xmlparse.ParseReader(strings.NewReader(msg), xmlparse.Options{MaxDepth: 64, MaxSize: 1 << 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	intf := doc.FindElement("//interface")
	op := intf.SelectAttr("nc:operation")
	fmt.Println(doc.Root().SelectAttrValue("message-id", ""))
	fmt.Println(intf.NamespaceURI(), intf.SelectElement("name").Text())
	fmt.Println(op.NamespaceURI(), op.Value)
	// Output:
	// 101
	// urn:example:if eth0
	// urn:ietf:params:xml:ns:netconf:base:1.0 delete
}

func ExampleParse_errors() {
	_, err := xmlparse.Parse([]byte("<rpc>\n  <get></rpc>"), xmlparse.Options{})
	var syntax *xmlparse.SyntaxError
	if errors.As(err, &syntax) {
		fmt.Println(syntax.Line, syntax.Offset, syntax.Msg)
	}

	_, err = xmlparse.Parse([]byte("<a><b><c/></b></a>"), xmlparse.Options{MaxDepth: 2})
	fmt.Println(errors.Is(err, xmlparse.ErrMaxDepth))

	_, err = xmlparse.Parse([]byte(`<!DOCTYPE rpc [<!ENTITY x "y">]><rpc/>`), xmlparse.Options{})
	fmt.Println(err)
	// Output:
	// 2 13 end tag "rpc" does not match start tag "get"
	// true
	// xmlparse: line 1, offset 0: DOCTYPE and other <! declarations are not allowed
}
