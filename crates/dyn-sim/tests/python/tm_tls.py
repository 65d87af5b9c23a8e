"""The SDK's default transport, HTTPS, against the simulator serving TLS."""
from common import SSL, check, login, step

from dyn.tm.zones import Zone, get_all_zones

check(SSL, "this script runs with DYN_SIM_SSL=1")
step("login over TLS")
session = login()
Zone("tls.example", "hostmaster@tls.example")
check([z.name for z in get_all_zones()] == ["tls.example"], "zone listed over TLS")
Zone("tls.example").delete()
session.log_out()
print("OK")
