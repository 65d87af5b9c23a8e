"""Zones and records through dyn 1.8.6: create, add the common types, publish, list, delete."""
from common import check, login, step

from dyn.tm.errors import DynectCreateError, DynectGetError
from dyn.tm.session import DynectSession
from dyn.tm.zones import Zone, get_all_zones

step("login")
session = login(history=True)
check(session._token is not None, "logged in with a token")

step("create zone")
zone = Zone("example.com", "hostmaster@example.com", ttl=3600, serial_style="increment")
check(zone.serial == 0, "a new zone has serial 0, got %r" % zone.serial)

step("add records")
a = zone.add_record("www", "A", "192.0.2.10", ttl=300)
check(a.address == "192.0.2.10", "A address reads back (id 0 resolves to the pending record)")
check(a.record_id == 0, "pending records have id 0")
aaaa = zone.add_record("www", "AAAA", "2001:db8::10")
cname = zone.add_record("alias", "CNAME", "www.example.com.")
mx = zone.add_record(None, "MX", "mail.example.com.", 10)
# dyn 1.8.6 posts a TXT record only when ttl is given (or two positional arguments).
txt = zone.add_record("txt", "TXT", "hello world", ttl=0)
srv = zone.add_record("_sip._tcp", "SRV", 5060, 10, "sip.example.com.", 5, ttl=600)
caa = zone.add_record(None, "CAA", 0, "issue", "letsencrypt.org")

step("duplicate record is refused")
try:
    zone.add_record("www", "A", "192.0.2.10", ttl=300)
    check(False, "duplicate A must fail")
except DynectCreateError as err:
    check("Cannot duplicate existing record data" in str(err), str(err))

step("publish")
zone.publish(notes="first publish")
check(zone.serial == 1, "increment serial after publish, got %r" % zone.serial)
check(zone.task is not None, "publish returns a task")

step("list records")
records = zone.get_all_records()
for key in ("a_records", "aaaa_records", "cname_records", "mx_records", "txt_records",
            "srv_records", "caa_records", "ns_records", "soa_records"):
    check(key in records, "group %s present in %s" % (key, sorted(records)))
www_a = records["a_records"][0]
check(www_a.address == "192.0.2.10" and www_a.record_id > 0, "published A has a real id")
check(records["mx_records"][0].exchange == "mail.example.com.", "MX exchange reads back")
check(records["mx_records"][0].preference == 10, "MX preference reads back")
check(records["txt_records"][0].txtdata == "hello world", "TXT reads back")
srv_rec = records["srv_records"][0]
check((srv_rec.port, srv_rec.priority, srv_rec.target, srv_rec.weight) ==
      (5060, 10, "sip.example.com.", 5), "SRV reads back")
check(len(records["ns_records"]) == 4, "four Dyn NS records at the apex")

by_type = zone.get_node("www").get_all_records_by_type("AAAA")
check([r.address for r in by_type] == ["2001:db8::10"], "AAAA by type")
nodes = sorted(n.fqdn for n in zone.get_all_nodes())
check("www.example.com" in nodes and "_sip._tcp.example.com" in nodes, "node list %r" % nodes)
any_www = zone.get_node("www").get_any_records()
check(sorted(any_www) == ["a_records", "aaaa_records"], "ANY at www: %r" % sorted(any_www))

step("update a published record")
www_a.ttl = 120
www_a.address = "192.0.2.20"
zone.publish()
again = zone.get_node("www").get_all_records_by_type("A")
check([(r.address, r.ttl) for r in again] == [("192.0.2.20", 120)], "updated A after publish")

step("zone properties through the SOA")
check(zone.contact == "hostmaster.example.com.", "contact reads the SOA rname: %r" % zone.contact)
check(zone.ttl == 3600, "zone ttl from SOA")

step("get_all_zones")
zone2 = Zone("example.org", "admin@example.org", serial_style="day")
zone2.publish()
names = sorted(z.name for z in get_all_zones())
check(names == ["example.com", "example.org"], "zones listed: %r" % names)
check(len(str(zone2.serial)) == 10 and str(zone2.serial).endswith("00"), "day serial %r" % zone2.serial)
loaded = Zone("example.com")
check(loaded.serial == 2, "loaded zone serial %r" % loaded.serial)

step("freeze and thaw")
zone.freeze()
try:
    zone.add_record("frozen", "A", "192.0.2.99")
    check(False, "adding to a frozen zone must fail")
except DynectCreateError as err:
    check("frozen" in str(err), str(err))
zone.thaw()

step("delete a node and a record")
zone.get_node("txt").delete()
mx_rec = zone.get_all_records_by_type("MX")[0]
mx_rec.delete()
zone.publish()
after = zone.get_all_records()
check("txt_records" not in after and "mx_records" not in after, "node and MX removed: %r" % sorted(after))

step("missing zone")
try:
    Zone("nope.example")
    check(False, "missing zone must fail")
except DynectGetError as err:
    check("zone: No such zone" in str(err), str(err))

step("delete zones")
zone.delete()
zone2.delete()
check(get_all_zones() == [], "no zones left")

step("history masks the password")
history = session.history
check(history[0][3]["password"] == "*****", "password masked in history")

step("logout")
session.log_out()
check(DynectSession.get_session() is None, "session closed")
print("OK")
