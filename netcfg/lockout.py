"""Would this change cut netcfg off from the device? Judged on the intended config, not on the text of
the change: the management address stays configured on an interface that stays up, its VLAN exists
and the trunks that carried it still do, the route back to the client survives, and the ACLs that
guard SSH still let the client in. What each vendor spells how is data (`lockout:` in its schema).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from . import configtree
from .errors import IntentError
from .vendors import Vendor

_SSH_PORTS = {"22", "ssh"}


@dataclass(frozen=True)
class Mgmt:
    """How netcfg reaches the device: its management address(es), netcfg's own address as the device
    sees it (None when unknown, e.g. a plan against a file), or an interface the user named; and the local
    user it logs in as (from the inventory)."""

    addresses: tuple[str, ...] = ()
    client: str | None = None
    interface: str | None = None
    user: str | None = None


def _ip(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def management_addresses(hostname: str, port: int = 22) -> tuple[str, ...]:
    """The addresses an inventory hostname stands for: itself when it is an address, else what the
    resolver says (the addresses SSH connects to); none when it does not resolve."""
    if _ip(hostname):
        return (hostname,)
    import socket

    try:
        infos = socket.getaddrinfo(hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(dict.fromkeys(str(i[4][0]) for i in infos))


class _State:
    """The lock-out relevant facts of one config."""

    def __init__(self, text: str, vendor: Vendor):
        rules = vendor.lockout
        flat = configtree.flat_lines(text or "")
        facts = vendor.running_facts(text)

        def matches(key: str):
            pats = rules.get(key) or []
            for pat in [pats] if isinstance(pats, str) else pats:
                rx = re.compile(pat)
                for line in flat:
                    if m := rx.search(line):
                        yield m.groupdict()

        self.addresses = []
        for a in facts.get("addresses", []) + facts.get("addresses6", []):
            try:
                self.addresses.append((a["interface"], ipaddress.ip_interface(a["address"].replace(" ", "/"))))
            except ValueError:
                pass
        self.users = {u["user"] for u in facts.get("users", [])}  # local accounts (the one netcfg logs in as)
        self.shut = {m["interface"] for m in matches("shutdown")}
        self.vrf = {m["interface"]: m["vrf"] for m in matches("interface_vrf")}
        self.vlans = set(facts.get("vlans", []))
        self.trunks = {m["interface"] for m in matches("trunk")}
        self.allowed: dict[str, set[int]] = {}
        from .values import vlan_list

        for m in matches("trunk_allowed"):  # IOS continues a long list on `... allowed vlan add` lines
            got = self.allowed.setdefault(m["interface"], set())
            try:
                got |= set() if m["vlans"] == "none" else set(vlan_list(m["vlans"]))
            except IntentError:
                pass
        self.routes = []  # (network, next hop, VRF or None for the global table)
        for m in matches("static_route"):
            try:
                net = ipaddress.ip_network(m["prefix"].replace(" ", "/"), strict=False)
            except ValueError:
                continue
            self.routes.append((net, m["via"], m.get("vrf")))
        self.acl_applied = [(m.get("interface"), m["acl"]) for m in matches("acl_applied")]
        self.acl: dict[str, list[tuple[str, str]]] = {}
        entries: dict[str, list[tuple[int, str, str]]] = {}
        for m in matches("acl_entry"):
            listed = entries.setdefault(m["acl"], [])
            listed.append((int(m["seq"]) if m.get("seq") else len(listed), m["action"], m["rest"]))
        for name, listed in entries.items():  # the device evaluates entries in sequence order
            self.acl[name] = [(action, rest) for _, action, rest in sorted(listed, key=lambda e: e[0])]
        self.svi = re.compile(rules["svi"]) if rules.get("svi") else None

    def up(self, interface: str) -> bool:
        return interface not in self.shut

    def holders(self, address) -> list[str]:
        return [i for i, a in self.addresses if a.ip == address]

    def carries(self, trunk: str, vlan: int) -> bool:
        return trunk in self.trunks and self.up(trunk) and (trunk not in self.allowed or vlan in self.allowed[trunk])

    def connected(self, client, vrf) -> list[str]:
        return [i for i, a in self.addresses if self.up(i) and self.vrf.get(i) == vrf and client in a.network]

    def route(self, client, vrf):
        hits = [r for r in self.routes if r[2] == vrf and client in r[0]]
        return max(hits, key=lambda r: r[0].prefixlen) if hits else None


def problems(before: str, after: str, vendor: Vendor, mgmt: Mgmt) -> list[str]:
    """What in the intended config (`after`) would cut the management session off, given `before`."""
    if not vendor.lockout:
        return []
    old, new = _State(before, vendor), _State(after, vendor)
    out: list[str] = []
    if mgmt.user and mgmt.user in old.users and mgmt.user not in new.users:
        out.append(f"user {mgmt.user}, the account netcfg logs in as, would be removed")
    addrs = [a for a in map(_ip, mgmt.addresses) if a is not None]
    if mgmt.interface:
        addrs += [a.ip for i, a in old.addresses if i == mgmt.interface]
    client = _ip(mgmt.client) if mgmt.client else None
    mgmt_ifaces: list[str] = []
    for addr in dict.fromkeys(addrs):
        held = old.holders(addr)
        if not held:
            continue
        mgmt_ifaces += held
        now = new.holders(addr)
        if not now:
            out.append(f"the management address {addr} would no longer be configured (it is on {held[0]})")
            continue
        for iface in now:
            if not new.up(iface) and old.up(iface):
                out.append(f"{iface} holds the management address {addr} and would be shut down")
    for iface in dict.fromkeys(mgmt_ifaces):
        m = old.svi.search(iface) if old.svi else None
        if not m:
            continue
        vlan = int(m.group("vlan"))
        if vlan in old.vlans and vlan not in new.vlans:
            out.append(f"VLAN {vlan}, the management VLAN of {iface}, would be removed")
        for trunk in sorted(old.trunks):
            if old.carries(trunk, vlan) and not new.carries(trunk, vlan):
                out.append(
                    f"{trunk} would no longer carry VLAN {vlan}, the management VLAN of {iface} "
                    "(it may be the path to this session)"
                )
    # the session lives in the routing table (VRF) of the interface holding the management address
    vrf = old.vrf.get(mgmt_ifaces[0]) if mgmt_ifaces else None
    out += _path_back(old, new, client, vrf)
    out += _acl_problems(old, new, client, addrs, mgmt_ifaces)
    return list(dict.fromkeys(out))


def _path_back(old: _State, new: _State, client, vrf: str | None) -> list[str]:
    where = f" in VRF {vrf}" if vrf else ""
    if client is None:
        had = [r for r in old.routes if r[2] == vrf and r[0].prefixlen == 0]
        if had and not any(r[2] == vrf and r[0].prefixlen == 0 for r in new.routes):
            return [
                f"the default route{where} (via {had[0][1]}) would be removed; it may be the path back to "
                "the management session"
            ]
        return []
    if client.is_loopback:
        return []
    if old.connected(client, vrf):
        if not new.connected(client, vrf):
            return [
                f"the subnet of the management client {client} (on {old.connected(client, vrf)[0]}) would "
                "no longer be connected"
            ]
        return []
    route = old.route(client, vrf)
    if route and not new.route(client, vrf):
        return [f"the route{where} to the management client {client} ({route[0]} via {route[1]}) would be removed"]
    return []


def _acl_problems(old: _State, new: _State, client, addrs: list, mgmt_ifaces: list[str]) -> list[str]:
    out = []
    for iface, name in dict.fromkeys(new.acl_applied):
        if iface is not None and iface not in mgmt_ifaces:
            continue  # an interface ACL matters only on the interface the session comes in on
        if name not in new.acl or _ssh_allowed(new.acl[name], client, addrs):
            continue  # an undefined ACL filters nothing
        was = (iface, name) in old.acl_applied and name in old.acl
        if was and not _ssh_allowed(old.acl[name], client, addrs):
            continue  # it did not let the session in before either: not this change's doing
        who = f"the management client {client}" if client else "any management client"
        out.append(f"ACL {name} would {'no longer let' if was else 'not let'} {who} reach SSH on the device")
    return out


def _ssh_allowed(entries: list[tuple[str, str]], client, addrs: list) -> bool:
    """Does the ACL's first matching entry permit SSH from `client` (any source when None) to one of
    `addrs` (any destination when empty)? Unknown syntax counts as no match."""
    for action, rest in entries:
        if _matches(rest.split(), client, addrs):
            return action == "permit"
    return False


def _spec(words: list[str], i: int):
    """An address spec at words[i] -> (network or None for any, next index); (False, i) if none."""
    if i >= len(words):
        return False, i
    w = words[i]
    if w == "any":
        return None, i + 1
    if w == "host" and i + 1 < len(words):
        return _net(words[i + 1]), i + 2
    if "/" in w:
        return _net(w), i + 1
    if _ip(w) and i + 1 < len(words) and _ip(words[i + 1]):
        wild = int(ipaddress.ip_address(words[i + 1]))
        mask = ipaddress.ip_address((~wild) & 0xFFFFFFFF) if wild <= 0xFFFFFFFF else None
        return _net(f"{w}/{mask}"), i + 2
    if _ip(w):
        return _net(w), i + 1
    return False, i


def _net(text: str):
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False


def _hit(net, addr) -> bool:
    return net is None or addr is None or addr in net


def _matches(words: list[str], client, addrs: list) -> bool:
    if words and words[0] in ("ip", "tcp"):  # extended: proto src [port] dst [eq port]
        src, i = _spec(words, 1)
        if src is False or not _hit(src, client):
            return False
        if i < len(words) and words[i] in ("eq", "range", "gt", "lt", "neq"):
            return False  # a source port: not how an SSH client connects
        dst, i = _spec(words, i)
        if dst is False or not (not addrs or any(_hit(dst, a) for a in addrs)):
            return False
        if words[0] == "tcp" and i < len(words):
            if words[i] == "eq":
                return bool(set(words[i + 1 :]) & _SSH_PORTS)
            if words[i] == "range" and i + 2 < len(words) and words[i + 1].isdigit() and words[i + 2].isdigit():
                return int(words[i + 1]) <= 22 <= int(words[i + 2])
            if words[i] in ("gt", "lt", "neq"):
                return False
        return True
    if words and words[0] in ("udp", "icmp", "remark"):
        return False
    src, i = _spec(words, 0)  # standard: a source only
    return src is not False and _hit(src, client)
