"""The SDK's own retry paths against faults set by the Rust test: a publish promoted to a job
(307 polling), a blocked task (1 s retry) and a rate limit (5 s retry)."""
import time

from common import check, login, step

from dyn.tm.zones import Zone

step("login")
session = login(history=True)
zone = Zone("jobs.example", "hostmaster@jobs.example")

step("blocked by a task, retried after 1 s")
started = time.time()
zone.add_record("www", "A", "192.0.2.1")
check(time.time() - started >= 0.9, "the SDK waited for the blocking task")

step("rate limited, retried after 5 s")
zone.add_record("txt", "TXT", "throttled", ttl=0)

step("publish answered through 307 job polling")
zone.publish()
check(zone.serial == 1, "published through the job: serial %r" % zone.serial)
check(zone.task is not None, "the job's final answer carries the publish task")

statuses = [entry[4] for entry in session.history]
check(statuses.count("failure") == 2, "one blocked and one throttled attempt in history: %r" % statuses)
records = zone.get_all_records()
check(records["a_records"][0].address == "192.0.2.1", "the retried A record exists")
check(records["txt_records"][0].txtdata == "throttled", "the retried TXT record exists")
zone.delete()
session.log_out()
print("OK")
