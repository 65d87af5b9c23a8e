"""Python anchor for `cargo xtask bench dyn-tm`: the dyn 1.8.6 SDK against dyn-sim.

Usage: dyn_tm_py.py HOST PORT CUSTOMER USER PASSWORD ZONE RECORDS
Runs the workflow once: create ZONE, add RECORDS records over the common types, publish, list
all records, delete the zone. Prints one JSON line: {"seconds": <wall time>, "cpu": <client CPU seconds>, "listed": <n>}.
"""

import json
import sys
import time

from dyn.tm.session import DynectSession
from dyn.tm.zones import Zone


def record(zone_name, index):
    """The same mix as the Rust side: node, type and constructor arguments."""
    kind = index % 6
    if kind == 0:
        return "h%d" % index, "A", ("10.%d.%d.%d" % (index // 65536, index // 256 % 256, index % 256),)
    if kind == 1:
        return "h%d" % index, "AAAA", ("2001:db8::%x" % index,)
    if kind == 2:
        return "t%d" % index, "TXT", ("text record %d" % index,)
    if kind == 3:
        return "m%d" % index, "MX", ("mail%d.%s." % (index, zone_name), 10)
    if kind == 4:
        return "c%d" % index, "CNAME", ("h0.%s." % zone_name,)
    return "_s%d._tcp" % index, "SRV", (5060, 10, "sip%d.%s." % (index, zone_name), 5)


def main() -> None:
    host, port, customer, user, password, zone_name, records = sys.argv[1:8]
    session = DynectSession(customer, user, password, host=host, port=int(port), ssl=False)
    started = time.perf_counter()
    cpu_started = time.process_time()
    zone = Zone(zone_name, "hostmaster@" + zone_name, ttl=3600, serial_style="increment")
    for index in range(int(records)):
        node, rtype, args = record(zone_name, index)
        zone.add_record(node, rtype, *args)
    zone.publish()
    listed = sum(len(group) for group in zone.get_all_records().values())
    zone.delete()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    session.log_out()
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "listed": listed}))


if __name__ == "__main__":
    main()
