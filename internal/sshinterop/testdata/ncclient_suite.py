"""ncclient drives an ncsoap NETCONF-over-SSH server through RFC 6241.

Run by ncclient_test.go with NC_HOST, NC_PORT, NC_USER and NC_PASS set.
Every step prints "ok <name>"; the first failure prints its traceback and
exits 1.
"""
import os
import sys
import time
import traceback

from lxml import etree
from ncclient import manager
from ncclient.devices.default import DefaultDeviceHandler
from ncclient.operations import RPCError
from ncclient.transport.session import NetconfBase

BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
IF = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces"
TYPES = "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types"
BASE11 = "urn:ietf:params:netconf:base:1.1"


class Base10Handler(DefaultDeviceHandler):
    """A client whose hello lists base:1.0 only."""

    def get_capabilities(self):
        return [c for c in super().get_capabilities() if c != BASE11]


def connect(**kw):
    return manager.connect(
        host=os.environ["NC_HOST"], port=int(os.environ["NC_PORT"]),
        username=os.environ["NC_USER"], password=os.environ["NC_PASS"],
        hostkey_verify=False, look_for_keys=False, allow_agent=False,
        timeout=120, **kw)


def config(inner):
    return '<config xmlns="%s">%s</config>' % (BASE, inner)


def interface(name, extra="", op=""):
    attr = ' xmlns:nc="%s" nc:operation="%s"' % (BASE, op) if op else ""
    return ('<interfaces xmlns="%s" xmlns:ext="%s"><interface%s><name>%s</name>%s</interface></interfaces>'
            % (IF, TYPES, attr, name, extra))


def mtu_edit(mtu):
    return config(interface("eth0", "<mtu>%d</mtu>" % mtu))


def mtu_of(m, source="running"):
    reply = m.get_config(source, filter=("subtree",
        '<interfaces xmlns="%s"><interface><name>eth0</name><mtu/></interface></interfaces>' % IF))
    found = reply.data_ele.xpath("//i:interface[i:name='eth0']/i:mtu/text()", namespaces={"i": IF})
    return int(found[0]) if found else None


def names(m, source="running"):
    reply = m.get_config(source)
    return set(reply.data_ele.xpath("//i:interface/i:name/text()", namespaces={"i": IF}))


def expect_error(tag, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except RPCError as e:
        assert e.tag == tag, "want %s, got %s: %s" % (tag, e.tag, e)
        return e
    raise AssertionError("want rpc-error %s, got none" % tag)


def wait_closed(m):
    for _ in range(100):
        if not m.connected:
            return
        time.sleep(0.05)
    raise AssertionError("session still connected")


STEPS = []


def step(fn):
    STEPS.append(fn)
    return fn


state = {}


@step
def hello_base11():
    m = connect()
    assert m._session._base == NetconfBase.BASE_11, "base:1.1 not negotiated"
    assert BASE11 in m.server_capabilities
    assert m.session_id and int(m.session_id) > 0
    state["m"] = m


@step
def hello_base10():
    m = connect(device_params={"handler": Base10Handler})
    assert m._session._base == NetconfBase.BASE_10, "base:1.0 not kept"
    assert mtu_of(m) == 9000
    m.close_session()


@step
def get():
    m = state["m"]
    reply = m.get()
    assert "router1" in reply.data_xml


@step
def get_config_subtree():
    m = state["m"]
    reply = m.get_config("running", filter=("subtree",
        '<interfaces xmlns="%s"><interface><name>lo</name></interface></interfaces>' % IF))
    assert "<name>lo</name>" in reply.data_xml.replace("if:", "")
    assert "eth0" not in reply.data_xml
    assert "router1" not in reply.data_xml


@step
def get_config_xpath():
    m = state["m"]
    reply = m.get_config("running", filter=("xpath", ({"if": IF}, "/if:interfaces/if:interface[if:name='lo']")))
    assert "lo" in reply.data_xml
    assert "eth0" not in reply.data_xml


@step
def edit_config_operations():
    m = state["m"]
    m.edit_config(target="running", config=mtu_edit(1400))  # merge
    assert mtu_of(m) == 1400
    eth = "<type>ext:ethernet</type>"
    m.edit_config(target="running", config=config(interface("eth9", eth, "create")))
    assert "eth9" in names(m)
    expect_error("data-exists", m.edit_config, target="running", config=config(interface("eth9", eth, "create")))
    m.edit_config(target="running", config=config(interface("eth9", eth + "<description>replaced</description>", "replace")))
    assert "replaced" in m.get_config("running").data_xml
    m.edit_config(target="running", config=config(interface("eth9", "", "delete")))
    assert "eth9" not in names(m)
    expect_error("data-missing", m.edit_config, target="running", config=config(interface("eth9", "", "delete")))
    m.edit_config(target="running", config=config(interface("eth9", "", "remove")))
    m.edit_config(target="running", default_operation="none",
                  config=config(interface("eth0", "<mtu>1300</mtu>", "merge")))
    assert mtu_of(m) == 1300
    whole = m.get_config("running").data_ele
    whole.tag = "{%s}config" % BASE
    m.edit_config(target="running", default_operation="replace", config=etree.tostring(whole).decode())
    assert mtu_of(m) == 1300
    expect_error("invalid-value", m.edit_config, target="running", config=mtu_edit(5))


@step
def candidate_validate_commit():
    m = state["m"]
    m.edit_config(target="candidate", config=mtu_edit(1200))
    assert mtu_of(m, "candidate") == 1200
    assert mtu_of(m) == 1300
    m.validate(source="candidate")
    m.commit()
    assert mtu_of(m) == 1200


@step
def confirmed_commit_timeout():
    m = state["m"]
    m.edit_config(target="candidate", config=mtu_edit(1100))
    m.commit(confirmed=True, timeout="1")
    assert mtu_of(m) == 1100
    time.sleep(2.5)
    assert mtu_of(m) == 1200, "confirmed commit was not rolled back"


@step
def cancel_commit():
    m = state["m"]
    m.edit_config(target="candidate", config=mtu_edit(1000))
    m.commit(confirmed=True, timeout="60")
    assert mtu_of(m) == 1000
    m.cancel_commit()
    assert mtu_of(m) == 1200


@step
def discard_changes():
    m = state["m"]
    m.edit_config(target="candidate", config=mtu_edit(900))
    m.discard_changes()
    assert mtu_of(m, "candidate") == 1200


@step
def lock_denied():
    m = state["m"]
    other = connect()
    m.lock("running")
    e = expect_error("lock-denied", other.lock, "running")
    assert str(m.session_id) in etree.tostring(e.xml).decode(), "lock-denied without the holder's session-id"
    expect_error("in-use", other.edit_config, target="running", config=mtu_edit(1500))
    m.unlock("running")
    other.lock("running")
    other.unlock("running")
    state["other"] = other


@step
def kill_session():
    m, other = state["m"], state["other"]
    other.lock("candidate")
    m.kill_session(other.session_id)
    wait_closed(other)
    m.lock("candidate")
    m.unlock("candidate")


@step
def five_megabyte_config():
    m = state["m"]
    desc = "d" * 200
    entries = "".join(
        "<interface><name>big%d</name><description>%s</description><type>ext:ethernet</type>"
        "<ifindex>%d</ifindex><mtu>1500</mtu></interface>" % (i, desc, 1000 + i)
        for i in range(16000))
    cfg = config('<interfaces xmlns="%s" xmlns:ext="%s">%s</interfaces>' % (IF, TYPES, entries))
    assert len(cfg) > 5 * 1024 * 1024, len(cfg)
    m.edit_config(target="running", config=cfg)
    reply = m.get_config("running")
    got = reply.data_ele.xpath("//i:interface[starts-with(i:name, 'big')]", namespaces={"i": IF})
    assert len(got) == 16000, len(got)
    assert len(reply.data_xml) > 5 * 1024 * 1024
    m.edit_config(target="running", config=config(
        '<interfaces xmlns="%s" xmlns:nc="%s">%s</interfaces>' % (IF, BASE, "".join(
            '<interface nc:operation="delete"><name>big%d</name></interface>' % i for i in range(16000)))))
    assert not any(n.startswith("big") for n in names(m))


@step
def close_session():
    m = state["m"]
    m.close_session()
    wait_closed(m)


def main():
    for fn in STEPS:
        try:
            fn()
        except Exception:
            print("FAIL %s" % fn.__name__)
            traceback.print_exc(file=sys.stdout)
            sys.stdout.flush()
            return 1
        print("ok %s" % fn.__name__)
        sys.stdout.flush()
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
