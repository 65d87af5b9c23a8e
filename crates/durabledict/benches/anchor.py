"""Python durabledict 0.9.4 timings, the anchor for `cargo xtask bench durabledict`.

Usage: anchor.py REDIS_URL KEYSPACE_PREFIX
Prints one JSON object: microseconds per operation for each metric.
"""
import json
import sys
import time

import redis
from durabledict.encoding import JSONEncoding
from durabledict.redis import RedisDict


def per_op(fn, n):
    best = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best.append((time.perf_counter() - start) / n * 1e6)
    best.sort()
    return best[2]


def main():
    url, prefix = sys.argv[1], sys.argv[2]
    conn = redis.Redis.from_url(url, decode_responses=True)
    out = {}

    small = prefix + "-py-small"
    conn.delete(small, small + "last_updated")
    d = RedisDict(small, conn, autosync=True, encoding=JSONEncoding)
    for i in range(10):
        d["key%d" % i] = i
    out["get_every_read"] = per_op(lambda: d["key3"], 2000)
    manual = RedisDict(small, conn, autosync=False, encoding=JSONEncoding)
    out["get_cached"] = per_op(lambda: manual["key3"], 200000)
    counter = [0]

    def write():
        counter[0] += 1
        d["key3"] = counter[0]

    out["insert_10_keys"] = per_op(write, 500)

    big = prefix + "-py-big"
    conn.delete(big, big + "last_updated")
    writer = RedisDict(big, conn, autosync=False, encoding=JSONEncoding)
    conn.hset(big, mapping={"key%d" % i: json.dumps({"n": i, "name": "value %d" % i}) for i in range(1000)})
    conn.incr(big + "last_updated")
    reader = RedisDict(big, conn, autosync=False, encoding=JSONEncoding)
    samples = []
    for i in range(50):
        writer["key7"] = {"n": i}
        start = time.perf_counter()
        reader.sync()
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    out["sync_1000_after_one_change"] = samples[len(samples) // 2]
    conn.delete(small, small + "last_updated", big, big + "last_updated")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
