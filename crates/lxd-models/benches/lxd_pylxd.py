"""pylxd 2.4.2 side of `cargo xtask bench lxd`: same work as the Rust bench, prints JSON medians (ms).

usage: python lxd_pylxd.py SOCKET CONTAINER PREFIX REPS IO_REPS
"""
import json
import statistics
import sys
import time

import pylxd


def timed(fn):
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def main():
    socket, container, prefix, reps, io_reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    client = pylxd.Client(endpoint=socket)
    rows = {}

    def add(row, value):
        rows.setdefault(row, []).append(value)

    names = [f"{prefix}py{i}" for i in range(50)]
    for _ in range(reps):
        add("create 50 profiles", timed(lambda: [client.profiles.create(n, config={}, devices={}) for n in names]))
        add("list profiles, full objects", timed(lambda: [p.config for p in client.profiles.all()]))
        fetched = []
        add("fetch 50 profiles one by one", timed(lambda: fetched.extend(client.profiles.get(n) for n in names)))

        def update():
            for p in fetched:
                p.config = {"user.bench": "1"}
                p.save()

        add("update + save 50 profiles", timed(update))
        add("delete 50 profiles", timed(lambda: [p.delete() for p in fetched]))

    instance = client.instances.get(container)
    payload = bytes(range(256)) * 4096
    for _ in range(io_reps):
        add("list instances, full objects", timed(lambda: [i.status for i in client.instances.all()]))
        add("get instance", timed(lambda: client.instances.get(container)))
        add("exec `echo hi`", timed(lambda: instance.execute(["echo", "hi"])))
        add("push 1 MiB", timed(lambda: instance.files.put("/tmp/bench.bin", payload)))
        add("pull 1 MiB", timed(lambda: instance.files.get("/tmp/bench.bin")))

    print(json.dumps({row: statistics.median(values) for row, values in rows.items()}))


if __name__ == "__main__":
    main()
