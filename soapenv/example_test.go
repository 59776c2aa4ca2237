package soapenv_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/soapenv"
)

func ExampleReadRequest() {
	// The nc prefix is declared on Envelope, as some SOAP toolkits do.
	body := strings.NewReader(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
	  xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">
	  <s:Body><nc:rpc message-id="101"><nc:get/></nc:rpc></s:Body>
	</s:Envelope>`)
	v, _ := soapenv.VersionFromContentType("text/xml; charset=utf-8")
	req, err := soapenv.ReadRequest(body, &soapenv.Options{FaultVersion: v})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Version, req.Name.Local)
	fmt.Println(string(req.Body))
	// Output:
	// SOAP 1.2 rpc
	// <nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101"><nc:get/></nc:rpc>
}

func ExampleWriteEnvelope() {
	err := soapenv.WriteEnvelope(os.Stdout, soapenv.V11, func(w io.Writer) error {
		_, err := io.WriteString(w, `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101"><ok/></rpc-reply>`)
		return err
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101"><ok/></rpc-reply></soap:Body></soap:Envelope>
}

func ExampleWriteFault() {
	f := soapenv.FaultFromErrors(rpcerror.List{rpcerror.LockDeniedError(7)})
	f.Version = soapenv.V12
	fmt.Println(f.HTTPStatus(), soapenv.ContentType(f.Version))
	if err := soapenv.WriteFault(os.Stdout, f); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 500 application/soap+xml; charset=utf-8
	// <?xml version="1.0" encoding="UTF-8"?>
	// <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text xml:lang="en">lock-denied</env:Text></env:Reason><env:Detail><rpc-error xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><error-type>protocol</error-type><error-tag>lock-denied</error-tag><error-severity>error</error-severity><error-message xml:lang="en">lock held by session 7</error-message><error-info><session-id>7</session-id></error-info></rpc-error></env:Detail></env:Fault></env:Body></env:Envelope>
}

func ExampleReadResponse() {
	httpBody := strings.NewReader(`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>` +
		`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101"><data/></rpc-reply>` +
		`</env:Body></env:Envelope>`)
	resp, err := soapenv.ReadResponse(httpBody, nil)
	if err != nil {
		// A *soapenv.Fault carries the server's rpc-errors.
		fmt.Println(err)
		return
	}
	// The Body child streams: copy it wherever it is needed.
	if _, err := io.Copy(os.Stdout, resp); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101"><data/></rpc-reply>
}
