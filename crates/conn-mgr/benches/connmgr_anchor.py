"""Python anchors for the `connmgr` bench: netmiko and scrapli driving the same fake router.

Usage: python connmgr_anchor.py <netmiko|scrapli> <host> <port> <user> <key> <known_hosts> <n>
Prints one JSON object: {"connect_s": float, "per_command_s": [float, ...]}.
"""

import json
import sys
import time


def run_netmiko(host, port, user, key, known_hosts, n):
    from netmiko import ConnectHandler

    start = time.perf_counter()
    conn = ConnectHandler(
        device_type="cisco_ios",
        host=host,
        port=port,
        username=user,
        use_keys=True,
        key_file=key,
        allow_agent=False,
        secret="enablepw",
        ssh_strict=False,
        system_host_keys=False,
    )
    conn.enable()
    connect_s = time.perf_counter() - start
    times = []
    for i in range(n):
        t = time.perf_counter()
        out = conn.send_command(f"echo {i}")
        times.append(time.perf_counter() - t)
        assert out.strip() == str(i), out
    conn.disconnect()
    return connect_s, times


def run_scrapli(host, port, user, key, known_hosts, n):
    from scrapli import AuthOptions, Cli, LookupKeyValue, TransportSsh2Options

    start = time.perf_counter()
    cli = Cli(
        host,
        port=port,
        definition_file_or_name="cisco_iosxe",
        auth_options=AuthOptions(
            username=user,
            private_key_path=key,
            lookups=[LookupKeyValue(key="enable", value="enablepw")],
        ),
        transport_options=TransportSsh2Options(known_hosts_path=known_hosts),
    )
    cli.open()
    connect_s = time.perf_counter() - start
    times = []
    for i in range(n):
        t = time.perf_counter()
        out = cli.send_input(f"echo {i}").result
        times.append(time.perf_counter() - t)
        assert out.strip() == str(i), out
    cli.close()
    return connect_s, times


def main():
    tool, host, port, user, key, known_hosts, n = sys.argv[1:8]
    runner = {"netmiko": run_netmiko, "scrapli": run_scrapli}[tool]
    connect_s, times = runner(host, int(port), user, key, known_hosts, int(n))
    print(json.dumps({"connect_s": connect_s, "per_command_s": times}))


if __name__ == "__main__":
    main()
