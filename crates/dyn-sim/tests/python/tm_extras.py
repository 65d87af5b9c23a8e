"""Less common dyn 1.8.6 calls: zone file upload, get_apex, QPS and zone-note reports,
tools.change_ip, a Traffic Director service with a nested ruleset, update_password and
DynectMultiSession."""
import datetime
import os
import tempfile

from common import CUSTOMER, HOST, PORT, USER, check, login, step

from dyn.tm.services.dsf import (DSFARecord, DSFFailoverChain, DSFRecordSet, DSFResponsePool,
                                 DSFRuleset, TrafficDirector, get_all_dsf_services)
from dyn.tm.session import DynectMultiSession
from dyn.tm.tools import change_ip
from dyn.tm.zones import Zone, get_apex

step("login")
session = login()

step("zone from a master file")
with tempfile.NamedTemporaryFile("w", suffix=".zone", delete=False) as handle:
    handle.write("$TTL 300\n@ IN SOA ns1.file.example. admin.file.example. 1 3600 600 604800 1800\n"
                 "www IN A 192.0.2.5\nmail IN MX 10 mx.file.example.\n")
zone = Zone("file.example", file_name=handle.name)
os.unlink(handle.name)
zone.publish(notes="from file")
www = zone.get_node("www").get_all_records_by_type("A")
check([r.address for r in www] == ["192.0.2.5"], "record from the file: %r" % www)

step("apex, QPS and notes")
check(get_apex("deep.www.file.example") == "file.example", "apex")
qps = zone.get_qps(datetime.datetime(2024, 1, 1), datetime.datetime(2024, 1, 1, 1))
check(qps["csv"].startswith("Timestamp,Queries"), repr(qps)[:80])
check(zone.get_notes()[0]["note"] == "from file", "zone notes")

step("tools.change_ip")
change_ip(zone, "192.0.2.5", "192.0.2.6", publish=True)
zone.publish()
www = zone.get_node("www").get_all_records_by_type("A")
check([r.address for r in www] == ["192.0.2.6"], "address changed: %r" % www)

step("Traffic Director with a nested ruleset")
record = DSFARecord("192.0.2.77", ttl=60, label="a")
record_set = DSFRecordSet("A", label="rs", records=[record])
chain = DSFFailoverChain(label="chain", record_sets=[record_set])
pool = DSFResponsePool("pool", rs_chains=[chain])
ruleset = DSFRuleset("rules", "always", response_pools=[pool])
director = TrafficDirector("td1", rulesets=[ruleset])
check(len(director.service_id) == 27, "service id %r" % director.service_id)
built = director.rulesets[0].response_pools[0].rs_chains[0].record_sets[0].records[0]
check(built.address == "192.0.2.77", "record rebuilt from the answer")
check([d.label for d in get_all_dsf_services()] == ["td1"], "services listed")
director.delete()

step("password change and multi-session")
session.update_password("n3wpass")
session.log_out()
multi = DynectMultiSession(CUSTOMER, USER, "n3wpass", host=HOST, port=PORT, ssl=False)
multi.log_out()
print("OK")
