"""Message Management through dyn 1.8.6: only MMSession.execute(..., 'GET', ...) works in that
release (every POST raises before sending, dyn.mm.accounts and dyn.mm.reports do not import),
so this script checks the GET side against data the Rust test put in the simulator."""
from common import APIKEY, HOST, PORT, check, step

from dyn.mm.errors import EmailInvalidArgumentError, EmailKeyError
from dyn.mm.session import MMSession

RANGE = {"starttime": "2000-01-01T00:00:00+00:00", "endtime": "2100-01-01T00:00:00+00:00"}

step("session")
mm = MMSession(APIKEY, host=HOST, port=PORT, ssl=False)

step("reports")
sent = mm.execute("/reports/sent", "GET", dict(RANGE))
check(len(sent["sent"]) == 3, "three sent rows: %r" % sent)
check(mm.execute("/reports/sent/count/", "GET", dict(RANGE))["count"] == 3, "sent count")
delivered = mm.execute("/reports/delivered", "GET", dict(RANGE, emailaddress="rcpt1@example.org"))
check([r["emailaddress"] for r in delivered["delivered"]] == ["rcpt1@example.org"], "filtered by recipient")
bounces = mm.execute("/reports/bounces", "GET", dict(RANGE))["bounces"]
check(bounces[0]["bouncetype"] == "hard", "bounce row: %r" % bounces)
check(mm.execute("/reports/opens/count/unique", "GET", dict(RANGE))["count"] == 1, "unique opens")
check(mm.execute("/reports/opens/count", "GET", dict(RANGE))["count"] == 2, "all opens")
tagged = mm.execute("/reports/sent", "GET", dict(RANGE, **{"X-Campaign": "spring"}))
check(len(tagged["sent"]) == 1, "X- header filter: %r" % tagged)

step("senders, recipients and suppressions")
senders = [s["emailaddress"] for s in mm.execute("/senders", "GET", {})["senders"]]
check(senders == ["sender@example.com"], "approved senders %r" % senders)
check(mm.execute("/senders/status", "GET", {"emailaddress": "sender@example.com"})["ready"] == 1, "ready")
status = mm.execute("/recipients/status", "GET", {"emailaddress": "bounced@example.org"})
check(status["recipients"][0]["status"] == "inactive", "bounced recipient is suppressed: %r" % status)
check(mm.execute("/suppressions/count", "GET", {})["count"] == 1, "one suppression")
rows = mm.execute("/suppressions", "GET", {})["suppressions"]
check(rows[0]["emailaddress"] == "bounced@example.org" and rows[0]["reasontype"] == "bounce", repr(rows))

step("accounts and x-headers")
accounts = mm.execute("/accounts", "GET", {})
check(accounts["accounts"][0]["username"] == "owner@example.com", repr(accounts))
check("xheader1" in mm.execute("/accounts/xheaders", "GET", {}), "x-header slots")

step("errors")
try:
    mm.execute("/reports/sent", "GET", {"starttime": "yesterday"})
    check(False, "a bad starttime must fail")
except EmailInvalidArgumentError as err:
    check("starttime" in str(err), str(err))
MMSession.close_session()
bad = MMSession("not-a-key", host=HOST, port=PORT, ssl=False)
try:
    bad.execute("/senders", "GET", {})
    check(False, "an unknown API key must fail")
except EmailKeyError as err:
    check("Invalid API Key" in str(err), str(err))

step("POST is broken in dyn 1.8.6 before anything is sent")
try:
    bad.execute("/send", "POST", {"from": "a@b.example"})
    check(False, "dyn 1.8.6 was expected to fail on POST")
except ValueError:
    pass
print("OK")
