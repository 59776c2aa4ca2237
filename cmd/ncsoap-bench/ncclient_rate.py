"""Measure ncclient's sequential get-config rate against a NETCONF server.

Run by ncsoap-bench with NC_HOST, NC_PORT, NC_USER, NC_PASS, NC_TICK (the
poll interval of ncclient's session thread, in seconds; stock is 0.1) and
NC_SECONDS (the measuring window). Prints one JSON object: the number of
replies received and the seconds they took. Connecting is not timed.
"""
import json
import os
import time

import ncclient.transport.ssh
from ncclient import manager

ncclient.transport.ssh.TICK = float(os.environ["NC_TICK"])

m = manager.connect(
    host=os.environ["NC_HOST"], port=int(os.environ["NC_PORT"]),
    username=os.environ["NC_USER"], password=os.environ["NC_PASS"],
    hostkey_verify=False, look_for_keys=False, allow_agent=False, timeout=60)
window = float(os.environ["NC_SECONDS"])
n = 0
start = time.monotonic()
while n < 3 or time.monotonic() - start < window:
    m.get_config(source="running")
    n += 1
elapsed = time.monotonic() - start
m.close_session()
print(json.dumps({"replies": n, "seconds": elapsed}))
