"""Shared set-up for the dyn 1.8.6 scripts: where the simulator is and how to log in."""
import os
import sys

from dyn.tm.session import DynectSession

HOST = os.environ.get("DYN_SIM_HOST", "127.0.0.1")
PORT = int(os.environ["DYN_SIM_PORT"])
CUSTOMER = os.environ.get("DYN_SIM_CUSTOMER", "acme")
USER = os.environ.get("DYN_SIM_USER", "alice")
PASSWORD = os.environ.get("DYN_SIM_PASSWORD", "s3cret")
APIKEY = os.environ.get("DYN_SIM_APIKEY", "mm-test-apikey")
# HTTPS when the simulator serves TLS; the CA comes from SSL_CERT_FILE.
SSL = os.environ.get("DYN_SIM_SSL") == "1"


def login(**kwargs):
    """Log in through the unmodified SDK, plain HTTP to the simulator."""
    return DynectSession(CUSTOMER, USER, PASSWORD, host=HOST, port=PORT, ssl=SSL, **kwargs)


def check(condition, message):
    """Fail the script with a readable message."""
    if not condition:
        print("CHECK FAILED: " + message, file=sys.stderr)
        sys.exit(1)


def step(name):
    """Print progress so a failure shows how far the script got."""
    print("step: " + name, flush=True)
