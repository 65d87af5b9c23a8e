"""A zone listing answered with 200 "incomplete": dyn 1.8.6 waits 10 s, polls the job through
its normal execute path, and returns the job's result."""
from common import check, login, step

from dyn.tm.zones import Zone, get_all_zones

step("login")
session = login(history=True)
Zone("slow.example", "hostmaster@slow.example")

step("list zones through an incomplete job")
zones = get_all_zones()
check([z.name for z in zones] == ["slow.example"], "listed %r" % zones)
check([h[1] for h in session.history if h[1].startswith("/REST/Job/")] != [], "the job poll is in history")
Zone("slow.example").delete()
session.log_out()
print("OK")
