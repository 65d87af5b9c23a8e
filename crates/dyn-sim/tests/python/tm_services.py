"""TSIG keys, secondary zones, HTTP redirect, contacts, tasks, users and reports via dyn 1.8.6."""
from common import check, login, step

from dyn.tm.accounts import Contact, User, get_contacts, get_users
from dyn.tm.errors import DynectCreateError
from dyn.tm.reports import get_check_permission, get_zone_notes
from dyn.tm.services import HTTPRedirect
from dyn.tm.services.ddns import DynamicDNS
from dyn.tm.task import get_tasks
from dyn.tm.zones import TSIG, SecondaryZone, Zone, get_all_secondary_zones

step("login")
session = login()
check("ZoneGet" in session.permissions, "permissions of the session user")

step("TSIG key")
key = TSIG("k1", secret="c2VjcmV0", algorithm="hmac-sha256")
check(TSIG("k1").algorithm == "hmac-sha256", "TSIG reads back")
key.secret = "bmV3c2VjcmV0"
check(TSIG("k1").secret == "bmV3c2VjcmV0", "TSIG secret updated")

step("contact")
Contact("owner", "owner@example.com", "Olive", "Owner", "Acme")
check([c.nickname for c in get_contacts()] == ["owner"], "contact listed")

step("secondary zone")
sec = SecondaryZone("sec.example", ["198.51.100.1"], contact_nickname="owner", tsig_key_name="k1")
check(sec.masters == ["198.51.100.1"], "masters read back")
sec.masters = ["198.51.100.2", "198.51.100.3"]
check(SecondaryZone("sec.example").masters == ["198.51.100.2", "198.51.100.3"], "masters updated")
sec.deactivate()
check(sec.active == "N", "deactivated: %r" % sec.active)
sec.activate()
sec.retransfer()
check([z.zone for z in get_all_secondary_zones()] == ["sec.example"], "secondary listed")
try:
    SecondaryZone("bad.example", ["not-an-ip"])
    check(False, "bad master must fail")
except DynectCreateError as err:
    check("masters" in str(err), str(err))

step("HTTP redirect")
zone = Zone("redirect.example", "hostmaster@redirect.example")
zone.publish()
redirect = HTTPRedirect("redirect.example", "go.redirect.example.", 301, "Y", "https://www.example.com/")
# dyn 1.8.6 loads an existing redirect only when given exactly one extra argument.
loaded = HTTPRedirect("redirect.example", "go.redirect.example.", None)
check((loaded.code, loaded.keep_uri, loaded.url) == (301, "Y", "https://www.example.com/"), "redirect reads back")
loaded.url = "https://www.example.org/"
check(HTTPRedirect("redirect.example", "go.redirect.example.", None).url == "https://www.example.org/", "url updated")
check(len(zone.get_all_httpredirect()) == 1, "redirect listed on the zone")
try:
    HTTPRedirect("redirect.example", "bad.redirect.example.", 307, "Y", "https://x.example/")
    check(False, "code 307 must fail")
except DynectCreateError as err:
    check("code" in str(err), str(err))
redirect.delete()
check(zone.get_all_httpredirect() == [], "redirect deleted")

step("dynamic DNS")
ddns = DynamicDNS("redirect.example", "home.redirect.example.", "A", "192.0.2.44")
check(ddns.address == "192.0.2.44", "ddns address")
ddns.deactivate()
check(len(zone.get_all_ddns()) == 1, "ddns listed")
ddns.delete()

step("tasks")
tasks = get_tasks()
check(any(t.name == "Publish" and t.zone_name == "redirect.example" for t in tasks), "publish task listed")

step("users")
User("bob", "b0bpass", "bob@example.com", "Bob", "Builder", "bob", "Acme", "+1 555 0101")
names = sorted(u.user_name for u in get_users())
check(names == ["alice", "bob"], "users %r" % names)
bob = User("bob")
check(bob.email == "bob@example.com", "user reads back")
bob.block()
check(User("bob").status == "blocked", "user blocked")
bob.delete()

step("reports")
perms = get_check_permission(["ZoneGet", "NotAThing"])
check([p["name"] for p in perms["allowed"]] == ["ZoneGet"], "allowed %r" % perms)
check([p["name"] for p in perms["forbidden"]] == ["NotAThing"], "forbidden %r" % perms)
zone.add_record("www", "A", "192.0.2.1")
zone.publish(notes="second")
notes = get_zone_notes("redirect.example")
check(notes[0]["note"] == "second", "latest note first: %r" % notes)

step("cleanup")
zone.delete()
sec.delete()
key.delete()
session.log_out()
print("OK")
