"""Drives a running ncsoap server with python zeep, built from the WSDL the
server serves.

Usage: client.py WSDL-URL USER PASSWORD. All calls, the WSDL download
included, go through one requests.Session, so one keep-alive connection.
Prints one JSON object per step on standard output.
"""
import json
import sys

import requests
import zeep
from lxml import etree
from zeep.plugins import HistoryPlugin

BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
USERS = "http://ncsoap.dev/ns/example-users"


def emit(**kw):
    print(json.dumps(kw), flush=True)


def replied_ok(history):
    """Reports whether the last reply was <ok/>, which zeep's typed value
    cannot tell from an absent element."""
    return history.last_received["envelope"].find(".//{%s}ok" % BASE) is not None


def main(url, user, password):
    session = requests.Session()
    session.auth = requests.auth.HTTPBasicAuth(user, password)
    history = HistoryPlugin()
    client = zeep.Client(url, transport=zeep.Transport(session=session), plugins=[history])
    service = client.bind("netconf", "netconfPort")
    base = client.type_factory(BASE)
    # An empty marker element (running, ok...) inside a choice renders
    # only with SkipValue: zeep treats an empty value as absent.
    mark = zeep.xsd.SkipValue

    hello = service.hello(capabilities={"capability": ["urn:ietf:params:netconf:base:1.0"]})
    emit(step="hello", session_id=hello["session-id"], capabilities=list(hello.capabilities.capability))

    filt = base.filterType(type="subtree", _value_1=[etree.fromstring(
        '<system xmlns="%s"><hostname/></system>' % USERS)])
    reply = service.rpc(**{"message-id": "101",
                           "get-config": {"source": base.datastoreType(running=mark), "filter": filt}})
    emit(step="get-config", message_id=reply["message-id"],
         data=[etree.tostring(e).decode() for e in reply.data._value_1])

    config = base.configInlineType(_value_1=[etree.fromstring(
        '<system xmlns="%s"><hostname>zeep-edited</hostname></system>' % USERS)])
    service.rpc(**{"message-id": "102",
                           "edit-config": {"target": base.editTargetType(candidate=mark), "config": config}})
    emit(step="edit-config", ok=replied_ok(history))

    service.rpc(**{"message-id": "103", "commit": base.commitType()})
    emit(step="commit", ok=replied_ok(history))

    reply = service.rpc(**{"message-id": "104",
                           "get-config": {"source": base.datastoreType(running=mark), "filter": filt}})
    emit(step="verify", data=[etree.tostring(e).decode() for e in reply.data._value_1])

    lock = {"target": base.datastoreType(running=mark)}
    service.rpc(**{"message-id": "105", "lock": lock})
    emit(step="lock", ok=replied_ok(history))
    try:
        service.rpc(**{"message-id": "106", "lock": lock})
        emit(step="fault", raised=False)
    except zeep.exceptions.Fault as f:
        errors = f.detail.findall("{%s}rpc-error" % BASE) if f.detail is not None else []
        emit(step="fault", raised=True, message=f.message, code=f.code,
             tags=[e.findtext("{%s}error-tag" % BASE) for e in errors],
             session_ids=[e.findtext("{%s}error-info/{%s}session-id" % (BASE, BASE)) for e in errors])

    service.rpc(**{"message-id": "107", "close-session": mark})
    emit(step="close-session", ok=replied_ok(history))


if __name__ == "__main__":
    main(*sys.argv[1:4])
