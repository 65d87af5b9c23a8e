"""A live Python durabledict 0.9.4 peer for the Rust interop tests.

Usage: peer.py REDIS_URL KEYSPACE json|pickle

Reads one JSON command per line on stdin and answers one JSON line on stdout:
  {"op": "set", "key": k, "value": v}   d[k] = v
  {"op": "delete", "key": k}            del d[k]
  {"op": "items"}                       dict(d.items()) (autosync: checks the counter first)
  {"op": "quit"}
Values that JSON cannot carry are reported as {"$repr": repr(v)}.

durabledict's PickleEncoding calls base64.encodestring/decodestring, which Python 3.9
removed; the same functions under their new names (encodebytes/decodebytes) are put
back here, so this peer writes exactly what Python 3.8 durabledict wrote.
"""
import base64
import json
import sys

base64.encodestring = base64.encodebytes
base64.decodestring = lambda s: base64.decodebytes(s.encode() if isinstance(s, str) else s)

import redis  # noqa: E402
from durabledict.encoding import JSONEncoding, PickleEncoding  # noqa: E402
from durabledict.redis import RedisDict  # noqa: E402


def plain(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return {"$repr": repr(value)}


def main():
    url, keyspace, encoding = sys.argv[1], sys.argv[2], sys.argv[3]
    enc = {"json": JSONEncoding, "pickle": PickleEncoding}[encoding]
    connection = redis.Redis.from_url(url, decode_responses=True)
    d = RedisDict(keyspace, connection, autosync=True, encoding=enc)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        try:
            if op == "set":
                d[command["key"]] = command["value"]
                reply = {"ok": True}
            elif op == "delete":
                del d[command["key"]]
                reply = {"ok": True}
            elif op == "items":
                reply = {"items": {k: plain(v) for k, v in d.items()}}
            elif op == "quit":
                print(json.dumps({"ok": True}), flush=True)
                return
            else:
                reply = {"error": "unknown op " + op}
        except Exception as e:  # reported to the Rust test, which fails with it
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
