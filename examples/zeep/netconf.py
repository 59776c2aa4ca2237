"""NETCONF over SOAP from python zeep, with the client built from the WSDL
the server publishes.

Usage: NCSOAP_PASSWORD=... python3 netconf.py [WSDL-URL]

WSDL-URL defaults to http://127.0.0.1:8080/netconf?wsdl; the user is
$NCSOAP_USER or admin. One requests.Session carries every call, the WSDL
download included, over one kept-alive connection: on NETCONF over SOAP
the connection is the session, so a new connection would be a new session.
"""
import os
import sys

import requests
import zeep
from lxml import etree

BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
USERS = "http://ncsoap.dev/ns/example-users"


def main():
    wsdl = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080/netconf?wsdl"
    http = requests.Session()
    http.auth = (os.environ.get("NCSOAP_USER", "admin"), os.environ["NCSOAP_PASSWORD"])
    client = zeep.Client(wsdl, transport=zeep.Transport(session=http))
    netconf = client.bind("netconf", "netconfPort")
    nc = client.type_factory(BASE)
    # Empty elements such as <running/> are chosen with SkipValue: zeep
    # leaves out an element whose value is None.
    present = zeep.xsd.SkipValue

    # The client speaks first; the server's hello carries the session-id.
    hello = netconf.hello(capabilities={"capability": ["urn:ietf:params:netconf:base:1.0"]})
    print("hello: session-id %s, %d capabilities" % (hello["session-id"], len(hello.capabilities.capability)))

    # get-config of running with a subtree filter: the filter and the data
    # are open content (xs:any), passed as lxml elements in _value_1.
    hostname_only = nc.filterType(type="subtree", _value_1=[
        etree.fromstring('<system xmlns="%s"><hostname/></system>' % USERS)])
    reply = netconf.rpc(**{"message-id": "1", "get-config": {
        "source": nc.datastoreType(running=present), "filter": hostname_only}})
    system = reply.data._value_1[0]
    print("get-config: %s hostname %s" % (etree.QName(system).namespace, system.findtext("{%s}hostname" % USERS)))

    # edit-config on the candidate, then commit it to running.
    change = nc.configInlineType(_value_1=[
        etree.fromstring('<system xmlns="%s"><hostname>zeep-example</hostname></system>' % USERS)])
    netconf.rpc(**{"message-id": "2", "edit-config": {
        "target": nc.editTargetType(candidate=present), "config": change}})
    print("edit-config: ok")
    netconf.rpc(**{"message-id": "3", "commit": nc.commitType()})
    print("commit: ok")
    reply = netconf.rpc(**{"message-id": "4", "get-config": {
        "source": nc.datastoreType(running=present), "filter": hostname_only}})
    print("running:", reply.data._value_1[0].findtext("{%s}hostname" % USERS))

    # An rpc-error arrives as a SOAP Fault, which zeep raises; its detail
    # holds the <rpc-error> elements. Locking running twice gives one.
    running = {"target": nc.datastoreType(running=present)}
    netconf.rpc(**{"message-id": "5", "lock": running})
    try:
        netconf.rpc(**{"message-id": "6", "lock": running})
    except zeep.exceptions.Fault as fault:
        for error in fault.detail.iter("{%s}rpc-error" % BASE):
            print("fault: %s: error-tag %s, error-type %s, held by session %s" % (
                fault.message,
                error.findtext("{%s}error-tag" % BASE),
                error.findtext("{%s}error-type" % BASE),
                error.findtext("{%s}error-info/{%s}session-id" % (BASE, BASE))))
    netconf.rpc(**{"message-id": "7", "unlock": running})

    netconf.rpc(**{"message-id": "8", "close-session": present})
    print("close-session: ok")


if __name__ == "__main__":
    main()
