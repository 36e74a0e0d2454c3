"""How much time `netcfg plan` adds on a large running config (not a test: run it by hand).

    python benchmarks/plan_speed.py [--runs 7] [--lines 5000]

Builds a ~5,000-line IOS-XE running config (a stack of access switches: examples/running/
cisco_ios_access.cfg repeated per stack member, plus VLANs, SVIs and numbered ACL entries until
the size is reached), then times make_plan() -- intended config, remediation and rollback through
hier_config, diff -- for a few typical candidates, median of several runs. The candidate is built
once beforehand (generate.build), so the figure is the time planning adds.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from netcfg import generate, vendors  # noqa: E402
from netcfg.plan import make_plan  # noqa: E402


def big_running(lines: int) -> str:
    """The example access switch grown into a stack until it has about `lines` lines."""
    base = (ROOT / "examples" / "running" / "cisco_ios_access.cfg").read_text()
    head, _, tail = base.partition("interface GigabitEthernet1/0/1\n")
    ports = "interface GigabitEthernet1/0/1\n" + tail[: tail.index("interface GigabitEthernet1/1/1\n")]
    rest = tail[tail.index("interface GigabitEthernet1/1/1\n") :]
    member, blocks = 2, []
    text = base
    while len(text.splitlines()) < lines * 0.75 and member <= 9:
        blocks.append(re.sub(r"GigabitEthernet1/0/", f"GigabitEthernet{member}/0/", ports))
        member += 1
        text = head + ports + "".join(blocks) + rest
    extra, vlan = [], 200
    while len((text + "".join(extra)).splitlines()) < lines:
        extra.append(
            f"vlan {vlan}\n name TENANT-{vlan}\n!\ninterface Vlan{vlan}\n description TENANT-{vlan}\n"
            f" ip address 10.{vlan // 250 + 100}.{vlan % 250}.1 255.255.255.0\n ip helper-address 10.10.1.10\n!\n"
        )
        acl = [f"ip access-list extended ACL-TENANT-{vlan}"]
        acl += [
            f" {10 * (i + 1)} permit tcp 10.{vlan // 250 + 100}.{vlan % 250}.0 0.0.0.255 host 10.10.{i}.20 eq {8000 + i}"
            for i in range(20)
        ]
        extra.append("\n".join(acl) + "\n 210 deny   ip any any log\n!\n")
        vlan += 1
    return text.replace("ip access-list standard SNMP-RO", "".join(extra) + "ip access-list standard SNMP-RO")


CANDIDATES = {
    "access vlan change, 1 port": [{"kind": "access_port", "op": "add", "interfaces": "gi3/0/12", "vlan": 20}],
    "new vlan + SVI + relay": [
        {"kind": "vlan", "op": "add", "vlan": 50, "name": "GUEST-WIFI"},
        {"kind": "ip_address", "op": "add", "interface": "vlan 50", "address": "10.20.50.1/24"},
        {"kind": "dhcp_relay", "op": "add", "interface": "vlan50", "server": "10.10.1.10"},
    ],
    "remove an ACL entry": [
        {
            "kind": "acl_rule",
            "op": "remove",
            "acl": "ACL-GUEST-WEB",
            "action": "permit",
            "protocol": "tcp",
            "source": "any",
            "destination": "any",
            "port": "443",
        }
    ],
    "multi: 24 ports + trunk + route": [
        {"kind": "vlan", "op": "add", "vlan": 60, "name": "LAB"},
        {"kind": "access_port", "op": "add", "interfaces": "gi4/0/1-24", "vlan": 60},
        {"kind": "trunk_vlans", "op": "add", "interfaces": "po1", "vlans": "60"},
        {"kind": "static_route", "op": "add", "prefix": "10.20.60.0/24", "next_hop": "10.20.10.250"},
    ],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--lines", type=int, default=5000)
    args = ap.parse_args()
    vendor = vendors.get("cisco_ios")
    running = big_running(args.lines)
    print(f"running config: {len(running.splitlines())} lines, {running.count(chr(10) + 'interface ')} interfaces")
    make_plan(["warm-up"], [], "hostname X\n", running, vendor)  # imports hier_config once
    for label, changes in CANDIDATES.items():
        norm, candidate, _, errors = generate.build(changes, vendor, running)
        assert not errors, errors
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            plan = make_plan([label], norm, candidate, running, vendor)
            times.append(time.perf_counter() - t0)
        print(
            f"{label:34s} median {statistics.median(times):.3f} s  (min {min(times):.3f}, max {max(times):.3f}; "
            f"{len(plan.remediation.splitlines())} remediation lines)"
        )


if __name__ == "__main__":
    main()
