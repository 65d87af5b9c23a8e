"""Python anchor for `cargo xtask bench session`: the dyn 1.8.6 SDK against dyn-sim.

Usage: session_py.py HOST PORT CUSTOMER USER PASSWORD ITERATIONS
Prints one JSON line: {"seconds": <wall time of ITERATIONS session-verify GETs>}.
"""

import json
import sys
import time

from dyn.tm.session import DynectSession


def main() -> None:
    host, port, customer, user, password, iterations = sys.argv[1:7]
    session = DynectSession(customer, user, password, host=host, port=int(port), ssl=False)
    session.execute("/Session/", "GET", {})  # warm-up, like the Rust side
    started = time.perf_counter()
    for _ in range(int(iterations)):
        session.execute("/Session/", "GET", {})
    elapsed = time.perf_counter() - started
    session.log_out()
    print(json.dumps({"seconds": elapsed}))


if __name__ == "__main__":
    main()
