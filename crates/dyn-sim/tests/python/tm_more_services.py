"""The other dyn 1.8.6 services and account objects: Active Failover, GSLB, RTTM, Reverse DNS,
DNSSEC, Advanced Redirect, external nameservers, update users, permission groups, notifiers."""
from common import check, login, step

from dyn.tm.accounts import Notifier, PermissionsGroup, UpdateUser, get_notifiers, get_updateusers
from dyn.tm.services.active_failover import ActiveFailover, HealthMonitor
from dyn.tm.services.dnssec import DNSSEC, DNSSECKey
from dyn.tm.services.gslb import GSLB, GSLBRegion, GSLBRegionPoolEntry
from dyn.tm.services.gslb import Monitor as GSLBMonitor
from dyn.tm.services.reversedns import ReverseDNS
from dyn.tm.zones import ExternalNameserver, ExternalNameserverEntry, Zone

step("login")
session = login()
zone = Zone("svc.example", "hostmaster@svc.example")
zone.publish()

step("active failover")
monitor = HealthMonitor("HTTP", 5, retries=2, timeout=10, port=80, path="/health")
afo = ActiveFailover("svc.example", "web.svc.example.", "192.0.2.10", "ip", "192.0.2.11",
                     monitor, "owner")
check(afo.address == "192.0.2.10", "failover address")
check(afo.monitor.protocol == "HTTP", "monitor read back")
afo.deactivate()
check(len(zone.get_all_active_failovers()) == 1, "failover listed")
afo.delete()

step("GSLB")
entry = GSLBRegionPoolEntry("svc.example", "lb.svc.example.", "global", "192.0.2.20", api=False,
                            label="one", weight=1, serve_mode="obey")
region = GSLBRegion("svc.example", "lb.svc.example.", "global", api=False,
                    pool=[{"address": "192.0.2.20", "label": "one", "weight": 1, "serve_mode": "obey"}])
gslb = GSLB("svc.example", "lb.svc.example.", "owner", [region],
            monitor=GSLBMonitor("HTTP", 5))
check(gslb.contact_nickname == "owner", "gslb contact")
check(len(zone.get_all_gslb()) == 1, "gslb listed")
gslb.delete()

step("reverse DNS")
rdns = ReverseDNS("svc.example", "svc.example.", ["svc.example"], "192.0.2.0/24")
check(rdns.netmask == "192.0.2.0/24", "rdns netmask")
check(len(zone.get_all_rdns()) == 1, "rdns listed")
rdns.delete()

step("DNSSEC")
ksk = DNSSECKey("KSK", "RSA/SHA-256", 2048)
dnssec = DNSSEC("svc.example", [ksk], "owner")
check(dnssec.contact_nickname == "owner", "dnssec contact")
dnssec.delete()

step("external nameservers")
ext = ExternalNameserver("svc.example", hosts=[ExternalNameserverEntry("192.0.2.53", notifies="Y")])
check(len(ext.hosts) == 1, "external nameserver hosts: %r" % ext.hosts)
ext.delete()

step("update users, groups, notifiers")
uu = UpdateUser("ddnsclient", "s3cretpw")
check(uu.user_name is not None, "update user name generated")
check(len(get_updateusers()) == 1, "update users listed")
uu.delete()
group = PermissionsGroup("ops", "Operators", permission=["ZoneGet"])
check(group.description == "Operators", "group description")
group.delete()
notifier = Notifier(label="ops")
check(len(get_notifiers()) == 1, "notifier listed")
notifier.delete()

zone.delete()
session.log_out()
print("OK")
