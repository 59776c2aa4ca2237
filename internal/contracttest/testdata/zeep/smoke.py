"""Loads the ncsoap WSDL with zeep and prints typed hello and rpc messages.

Usage: smoke.py WSDL OUTDIR. Each message's SOAP Body child is written to
OUTDIR/<name>.xml, and the envelope namespace to OUTDIR/<name>.env.
"""
import os
import sys

import zeep
from lxml import etree

BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"


def main(wsdl, out):
    client = zeep.Client(wsdl)
    base = client.type_factory(BASE)
    # An empty marker element (running, ok, confirmed...) inside a choice
    # renders only with SkipValue: zeep treats an empty value as absent.
    running = zeep.xsd.SkipValue
    get_config = client.get_element("{%s}get-config" % BASE)
    filt = base.filterType(type="subtree", _value_1=[etree.fromstring('<top xmlns="urn:example:top"><users/></top>')])
    messages = {
        "hello": (client.bind("netconf", "netconfPort"), "hello",
                  {"capabilities": {"capability": ["urn:ietf:params:netconf:base:1.0"]}}),
        "get-config": (client.bind("netconf", "netconfPort"), "rpc",
                       {"message-id": "101",
                        "get-config": get_config(source=base.datastoreType(running=running), filter=filt)}),
        "commit-soap12": (client.bind("netconf", "netconfPort12"), "rpc",
                          {"message-id": "102", "commit": base.commitType()}),
    }
    for name, (service, operation, args) in messages.items():
        envelope = client.create_message(service, operation, **args)
        body = envelope.find("{*}Body")
        with open(os.path.join(out, name + ".xml"), "wb") as f:
            f.write(etree.tostring(body[0]))
        with open(os.path.join(out, name + ".env"), "w") as f:
            f.write(etree.QName(envelope).namespace)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
