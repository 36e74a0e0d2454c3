"""Every part of a request accounted for: the things it names, and which of them no change uses.

Grounding (intent.ungrounded) checks the other way round: that every value in a change comes from the
request. A dropped part ("... and a helper 10.0.0.9" with no dhcp_relay change) or a value bound to
the wrong object ("10.44.0.1/24 to vlan 44 and disable Gi0/2" with the address on Gi0/2, leaving
vlan 44 unused) passes grounding; it shows here as a named thing that no change uses.

What counts as a named thing, and which words mark one as context only ("from vlan 20", "instead
of 10.0.0.4"), is data: the `coverage` section of vendor_schemas/intent.yaml.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import grounding, intent, values
from .errors import NetcfgError

_IP = r"\d{1,3}(?:\.\d{1,3}){3}"
_ADDRESS = re.compile(
    rf"(?<![\w.]){_IP}(?:\s*/\s*\d{{1,2}})?(?:\s+(?:mask\s+|netmask\s+|wildcard\s+)?(?:255|0)(?:\.\d{{1,3}}){{3}})?(?!\w|\.\w)",
    re.I,
)
QUOTED = re.compile(r"(?<!\w)'([^'\n]+)'(?!\w)|\"([^\"\n]+)\"|`([^`\n]+)`")  # not the ' of "po4's"
_WORD = re.compile(r"[A-Za-z0-9][\w.:/-]*[\w]|[A-Za-z0-9]")
_ADDRESS_TYPES = ("address", "prefix", "ipv6_address", "ipv6_prefix")  # field types of an address with a length
_INTERFACE_TYPES = ("interface", "interfaces", "next_hop", "ipv6_next_hop")  # field types that may name an interface
_NUMBER = re.compile(r"(?<![\w./:-])\d+(?![\w/:]|\.\d)")


@dataclass(frozen=True)
class Thing:
    """A value the request names: an address, interface, number or name, as written, and where."""

    kind: str
    text: str
    start: int
    kinds: tuple = ()  # for an action word: the kinds of change that answer it

    def __str__(self) -> str:
        return self.text


def _spec() -> dict:
    return intent.spec().get("coverage", {})


def _ignored(word: str) -> bool:
    return any(intent.rx(p, re.I).fullmatch(word) for p in _spec().get("ignore", []))


def _interface_words(naming: values.InterfaceNaming) -> set[str]:
    words = set()
    for ty in naming.types:
        words.add(ty["name"].lower())
        words.update(a.lower() for a in ty.get("aliases", []))
    return words


def things(text: str, naming: values.InterfaceNaming) -> list[Thing]:
    """The addresses, interfaces, numbers and names a request states, in order."""
    found: list[Thing] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    def take(kind: str, m: re.Match, group: int = 0) -> None:
        if free(m.start(group), m.end(group)):
            found.append(Thing(kind, m.group(group), m.start(group)))
            taken.append((m.start(group), m.end(group)))

    for m in re.finditer("|".join(_spec().get("noise", []) + [_spec().get("tickets", "(?!)")]), text, re.I):
        taken.append((m.start(), m.end()))  # "layer 3", "CHG-4471": no value
    taken += devices(text, naming)
    for m in QUOTED.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        take("name", m, g)
        taken.append((m.start(), m.end()))
    for m in _ADDRESS.finditer(text):
        take("address", m)
    for m in values.IPV6_RE.finditer(text):
        if values.ipv6_found(m.group(0)):
            take("address", m)
    for m in _interfaces(naming).finditer(text):
        if re.fullmatch(r"(?i)ge\s+\d{1,2}", m.group(0)) and re.search(r"/\d{1,2}\s+$", text[: m.start()]):
            continue  # "192.168.0.0/16 ge 24": a prefix-list length, no port
        take("interface", m)
    # ("back to default", "reset it to the default mtu", "to the EOS default", "leave it at the default": a
    # setting's default, no default route)
    setting = re.compile(r"\b(?:to|at)(?:\s+(?:the|its|their|our|a))?(?:\s+[\w-]+)?\s+$", re.I)
    for m in re.finditer(
        r"(?i)(?<![\w-])default(?:[\s-]+(?:route|router|gateway|gw))?(?![\w-])|\bgateway of last resort\b", text
    ):
        if m.group(0).lower() != "default" or not setting.search(text[max(0, m.start() - 40) : m.start()]):
            take("default", m)
    cued = grounding.cued_kinds(text)
    if "acl_rule" in cued:
        # ("allow telnet logins again", "ssh only": the device's own logins, no ACL port)
        logins = {"telnet", "ssh"} if "ssh_only" in cued else set()
        names = "|".join(map(re.escape, [p for p in _spec().get("port_names", []) if p not in logins]))
        for m in re.finditer(rf"(?i)(?<![\w-])(?:{names})(?![\w-])", text):
            take("port", m)
    if "speed" in cued:  # "1g", "10G", "100mb": a speed, whatever its unit
        for m in values.SPEED_RE.finditer(text):
            if m.group(2):
                take("speed", m)
    for m in _USER.finditer(text):  # a login's name, however plain or like a word: "read-only user noc"
        take("name", m, 1)
    for m in _COMMUNITY.finditer(text):  # "replace community public with ...": a community's name, however plain
        take("name", m, 1)
    for m in values.SECRET_REF.finditer(text):  # a ${VAR} reference: the secret some change sets
        take("secret", m)
    for m in _NUMBER.finditer(text):
        take("number", m)
    for m in _WORD.finditer(text):
        w = m.group(0)
        if free(m.start(), m.end()) and _name_like(w, text[: m.start()]) and not _ignored(w):
            take("name", m)
    return sorted(found, key=lambda t: t.start)


_COMMUNITY = re.compile(
    r"\bcommunity\s+(?:string\s+)?(?!(?:strings?|with|for|named|called|and|or|the|an?|to|on|of|is|in|that|which|"
    r"access|ro|rw|read|write|by|from|as|at|names?|list|lists|members?|values?|tags?|based|instead|new|old|same|it|"
    r"has|have|had|is|are|was|were|be|will|would|should|must|can|needs?|goes|go|gets?|used|uses|stays?|remains?)\b)"
    r"([a-z_][\w.-]*[\w]|[a-z])(?![\w.-])",
    re.I,
)
_USER = re.compile(
    r"\b(?:user(?:name)?|login|account)\s+(?!(?:with|for|named|called|accounts?|logins?|users?|password|passwd|and|or|"
    r"the|an?|to|on|of|is|in|who|that|which|access|privilege|priv|level|role|secret|key|name|names|by|from|as|at|"
    r"banners?|messages?|motd|prompt|page|screen|sessions?|attempts?|timeouts?|local|authentication|auth|methods?|"
    r"vlans?|svis?|ports?|interfaces?|traffic|networks?|subnets?|segments?|devices?|side|data|facing|space|ranges?)\b)"
    r"([a-z_][\w.-]*[\w]|[a-z])(?![\w.-])"
    r"(?=\s*(?:[,;:(]|\.(?!\w)|$|\s+(?:with|and|password|passwd|secret|privilege|priv|role|level|read|admin|as|who|that)\b))",
    re.I,
)


@lru_cache(maxsize=8)
def _interfaces(naming: values.InterfaceNaming) -> re.Pattern:
    """Interfaces and ranges as a request writes them: "gi1/0/5", "Et17-20", "ge-0/0/10 through ge-0/0/13",
    "ge-0/0/12 to ge-0/0/15"."""
    alias = "|".join(sorted(map(re.escape, _interface_words(naming)), key=len, reverse=True))
    one = rf"(?:{alias})(?:\s*-?\s*|[.])\d+(?:[/.:]\d+)*"
    bare = [  # an interface with no number: FRR's "lo"
        re.escape(w)
        for ty in naming.types
        if re.fullmatch(ty.get("number", r"\d+"), "")
        for w in {ty["name"].lower(), *ty.get("aliases", [])}
    ]
    if bare:
        one = rf"(?:\b(?:{'|'.join(sorted(bare, key=len, reverse=True))})\b(?![.-])|{one})"
    num = r"(?:\s*-?\s*|[.])\d+(?:[/.:]\d+)*"
    ranged = rf"(?<!from )(?P<ty>{alias}){num}\s+to\s+(?P=ty){num}"  # "ge-0/0/12 to ge-0/0/15"; not "from X to Y"
    return re.compile(
        rf"(?<![\w./-])(?:{ranged}|{one}(?:\s*-\s*\d+(?![./]\d)|\s+(?:through|thru)\s+(?:{one}|\d+))?)(?![\w/])", re.I
    )


def devices(text: str, naming: values.InterfaceNaming) -> list[tuple[int, int]]:
    """Where the request names a device as context (`coverage.devices`: "leaf3-dc1: ...", "on rtr-edge-01",
    "the uplink to dist-sw-07"), as (start, end) spans of the words to leave out."""
    spec = _spec()
    host, tickets, peer = spec.get("host", "(?!)"), spec.get("tickets", "(?!)"), spec.get("peer", "(?!)")
    platform = spec.get("platform", "(?!)")
    cues, interface = spec.get("name_cues", []), _interfaces(naming)
    quotes = [m.span() for m in QUOTED.finditer(text)]
    spans = []
    for pattern in spec.get("devices", []):
        rx = pattern.replace("{tickets}", tickets).replace("{host}", f"(?P<host>{host})").replace("{peer}", peer)
        rx = rx.replace("{platform}", platform)
        rx = rx.replace("{interface}", f"(?:{interface.pattern})")
        for m in intent.rx(rx, re.I).finditer(text):
            name = m.group("host") or m.group("drop").split()[0]  # or a peer's name: "ISP-B at 192.0.2.50"
            words = (m.groupdict().get("words") or "").lower().split()
            if (
                not interface.fullmatch(name)
                and not _ignored(name)
                and not any(re.fullmatch(c, w) for c in cues for w in words)  # "hostname dc1-leaf-04, ..."
                and not any(x <= m.start("host") < y for x, y in quotes)  # a description "to spine1 e1/12"
            ):
                spans.append(m.span("drop"))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):  # "CHG1 on core-sw-01: ..." opens the request and says "on" a device
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def spelled_ports(text: str, naming: values.InterfaceNaming) -> str:
    """The request with its bare port numbers typed: "Ethernet1/9 and 1/10", "leave 1/19 as is" name ports of the
    one type (with as many numbers) that all the request's slotted ports have: "Ethernet1/10", "Eth1/19"."""
    ports = [t for t in things(text, naming) if t.kind == "interface" and not is_vlan(t) and "/" in t.text]
    shapes = {(kind.lower(), depth) for kind, depth in (_shape(t.text) for t in ports)}
    if len(shapes) != 1:
        return text
    prefix, depth = _shape(ports[0].text)
    quotes = [m.span() for m in QUOTED.finditer(text)]
    bare = re.compile(
        rf"(?<![\w./:$-])(?<!vlan )(?<!vlans )(?<!speed )(?<!duplex )\d+(?:/\d+){{{depth}}}(?:-\d+)?"
        r"(?![\w/%-]|[.:]\w|\s*(?:mb|mbps|gb|full|half|auto)\b)",  # (a port before "." or ":" ends a sentence or a head)
        re.I,
    )
    out, pos = [], 0
    for m in bare.finditer(text):
        if not any(a <= m.start() < b for a, b in quotes):
            out += [text[pos : m.start()], prefix]
            pos = m.start()
    return "".join(out) + text[pos:]


def compact_ranges(text: str, naming: values.InterfaceNaming) -> str:
    """The request with its port ranges said in words written as one range: "ge-0/0/12 to ge-0/0/14" and
    "Gi1/0/1 through Gi1/0/4" are "ge-0/0/12-14" and "Gi1/0/1-4" (a small model reads the words as two ports)."""
    for t in reversed([t for t in things(text, naming) if t.kind == "interface"]):
        m = re.fullmatch(r"(?i)(?P<head>.*?)(?P<a>\d+)\s+(?:to|through|thru)\s+(?P<again>.*?)(?P<b>\d+)", t.text)
        if m and m["again"].lower() in ("", m["head"].lower()) and int(m["a"]) < int(m["b"]):
            text = text[: t.start] + f"{m['head']}{m['a']}-{m['b']}" + text[t.start + len(t.text) :]
    return text


_CORRECTION = re.compile(
    r"\s*(?:[-–—,(]\s*)*(?:(?:sorry|oops|my bad|no wait|wait|correction|scratch that)\b[\s,:-]*"
    r"(?:i\s+mean(?:t)?\b|make\s+(?:that|it)\b|should be\b|rather\b)?|(?:i\s+mean(?:t)?|make\s+that)\b)[\s,:]*",
    re.I,
)


def corrected(text: str, naming: values.InterfaceNaming) -> str:
    """The request with its corrections made: "vlan 30 - sorry, 31" is vlan 31, "ge-0/0/17 - no wait, ge-0/0/18" is
    ge-0/0/18 (the value said first goes, with the words that take it back)."""
    found = things(text, naming)
    for x, y in reversed(list(zip(found, found[1:]))):
        m = _CORRECTION.match(text, x.start + len(x.text))
        alike = x.kind == y.kind or {x.kind, y.kind} == {"interface", "number"} and (is_vlan(x) or is_vlan(y))
        if m and m.end() == y.start and m.group(0).strip() and alike:
            keep = re.match(r"(?i)(?:vlans?|vl)\s*", x.text) if y.kind == "number" else None
            rest = text[y.start :]
            if "(" in m.group(0):  # "via 10.1.1.1 (oops, make that 10.1.1.2)"
                rest = re.sub(r"^(\S+?)\s*\)", r"\1", rest, count=1)
            text = text[: x.start] + (keep.group(0) if keep else "") + rest
    return text


def _shape(port: str) -> tuple[str, int]:
    """The type a port is written with and how many slashes its number has: ("Eth", 1) for "Eth1/20-22"."""
    number = re.search(r"\d+(?:/\d+)*", port)
    return re.sub(r"\d.*", "", port, flags=re.S), number.group(0).count("/") if number else 0


def _name_like(word: str, before: str) -> bool:
    """An identifier someone chose (STAFF-WIFI, EDGE_IN, dc3-leaf-07, AP-LOBBY), not an English word;
    a lower-case hyphenated word only right after a naming word ("desc uplink-to-isp")."""
    if re.search(r"[A-Z]{2}|_|[A-Za-z]\d|\d[A-Za-z]", word) or (re.search(r"\d", word) and "-" in word):
        return not re.fullmatch(r"[\d./:-]+", word)
    if "-" in word or "." in word.strip("."):
        cue = _spec().get("name_cues", [])
        last = re.findall(r"[\w-]+", before.lower())[-2:]
        return any(re.fullmatch(c, w) for c in cue for w in last)
    return False


def _context(text: str, thing: Thing, found: list[Thing], changes: list[dict], naming) -> bool:
    """Whether the request names `thing` only as context: the old value of a single-valued setting
    ("hostname from A to B", "vlan 20 to vlan 30": the new one replaces it), the state now
    ("currently vlan 20", "in vlan 1301 right now")."""
    if thing.kind == "name" and _NOT_A_HOST.fullmatch(thing.text) and not _could_be_a_value(text, thing, changes):
        return True
    if _pattern(thing, text):  # "set them up like Et8"
        return True
    y = _from_to(text, thing, found)
    if y is not None and any(
        (_single_valued(c) or _int_of(c, y)) and _Usage([c], naming).uses(y, text) for c in changes
    ):  # (an HSRP priority "from 120 to 90" is one value of its group, as a hostname is one of the device)
        return True
    return any(
        _said_as_context(text, thing, rule)
        and (
            not rule.get("by")
            or any(_answers(c, k) for c in changes for k in rule["by"])
            and not re.search(rule.get("unless", "(?!)"), text, re.I)
        )
        for rule in _spec().get("context", [])
    )


# A case or ticket key ("CS-88213", "NETENG-774") or a word without digits ("DCI", "iSCSI"), never a host name such as
# RTR-EDGE-02 (a request may rename the device in words netcfg has no cue for).
_NOT_A_HOST = re.compile(r"[A-Za-z]{1,12}-?\d+|[A-Za-z][A-Za-z/&+]*")


def _could_be_a_value(text: str, thing: Thing, changes: list[dict]) -> bool:
    """Whether a name could be the value of a name or text field of a kind the request asks for (its cues) or the
    answer has. A name none could hold ("their case CS-88213" in a BGP password request: the neighbor's description
    would need a word such as "description" before it) is no part to place: no change could ever use it."""
    t = intent.norm_text(text)
    for kind in set(grounding.cued_kinds(text)) | {c.get("kind") for c in changes}:
        for fdef in intent.kinds().get(kind, {}).get("fields", {}).values():
            if fdef["type"] in ("name", "text") and ("near" not in fdef or grounding.grounded(t, fdef, thing.text)):
                return True
    return False


def _said_as_context(text: str, thing: Thing, rule: dict) -> bool:
    """Whether `thing` is right after the rule's `before` words (within two words) or right before its `after` words,
    or opens the request (after a ticket number) right before its `lead` words."""
    if "lead" in rule:
        opening = re.sub(_spec()["tickets"], " ", text[: thing.start], flags=re.I)
        return (
            not re.search(r"\w", opening)
            and re.fullmatch(rule.get("name", ".*"), thing.text) is not None
            and re.match(rule["lead"], text[thing.start + len(thing.text) :]) is not None
        )
    digit = re.search(r"\d", thing.text)
    at = thing.start + (digit.start() if digit else 0)  # "vlan 20": before 20
    if "before" in rule:  # (never across a clause break: "disabled right now - enable it")
        window = text[max(0, at - 40) : at].lower()
        word = r"[\w/.:-]+" if rule.get("kept") else r"[\w-]+"  # ("don't touch Gi1/0/3 and Gi1/0/4")
        m = re.search(rf"(?:{rule['before']})\W*(?:{word}\W+){{0,2}}[\w-]*$", window)
        return m is not None and not re.search(r"\s[-–]+\s|;|\),", window[m.start() :])  # "(currently 400), desc X"
    end = thing.start + len(thing.text)
    # (after the rest of a list: "VOICE and Mgmt-intf stay"; never "X (currently Y)")
    rest = r"(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:the\s+|interface\s+|vlan\s+|vrf\s+|acl\s+)?[\w/.:-]+){0,4}"
    if rule.get("kept"):  # ("on Gi1/0/8, Gi1/0/7 stays as it is": a comma ends the clause about Gi1/0/8)
        rest = r"(?:\s+(?:and|&)\s+(?:the\s+)?[\w/.:-]+){0,4}"
    return re.match(rf"{rest}[^\w(]*(?:[\w-]+[^\w(]+)?(?:{rule['after']})\b", text[end : end + 90].lower()) is not None


def _state_added(text: str, thing: Thing, changes: list[dict], naming) -> bool:
    """A value said as the state now (`old` context: "currently 10.0.0.1/31", "(was 100)") or as what ports leave
    (`left`: "out of DATA") that an add sets again: the request replaces it, never asks for it. Interfaces are
    subjects, not values."""
    if thing.kind == "interface" and not is_vlan(thing) or thing.kind == "action":
        return False
    rules = [
        rule
        for rule in _spec().get("context", [])
        if (rule.get("old") or rule.get("left")) and _said_as_context(text, thing, rule)
    ]

    def barred(c: dict) -> bool:  # (a `left` value only for an add of its rule's kinds: "out of area 0" is no VLAN)
        return any(rule.get("old") or c.get("kind") in {k.split(":")[0] for k in rule["by"]} for rule in rules)

    return any(c.get("op") == "add" and barred(c) and _Usage([c], naming).uses(thing, text) for c in changes)


def _kept(text: str, thing: Thing, usage: "_Usage") -> bool:
    """A port the request says to leave alone ("don't touch Gi1/0/3 and Gi1/0/4") or names as the pattern to copy
    ("set them up like Et8") that a change is about, or an address it says to keep ("add syslog server A (keep B)")
    that a change adds."""
    rules = [
        r for r in _spec().get("context", []) if r.get("kept") or thing.kind == "address" and r.get("kept_address")
    ]
    kept = any(_said_as_context(text, thing, rule) for rule in rules)
    if thing.kind == "address":  # (what is kept is there already: adding it again is no change asked for)
        return kept and _address_used(thing, _used_strings([c for c in usage.changes if c.get("op") == "add"]))
    return (
        thing.kind == "interface"
        and (not is_vlan(thing) or _pattern(thing, text))  # ("helper X same as Vlan10": an SVI to copy)
        and expand_ports(usage.naming, thing.text) <= usage.ifaces
        and (_pattern(thing, text) or kept)
    )


def _used_strings(changes: list[dict]) -> list[str]:
    return [str(v) for c in changes for k, v in c.items() if k not in ("kind", "op") and v is not None]


def expand_ports(naming: values.InterfaceNaming, text: str) -> set[str]:
    """The ports `text` names, lower-cased ("Gi1/0/5-6" -> {"gigabitethernet1/0/5", ...}); unreadable text as itself."""
    try:
        return {n.lower() for n in naming.expand(text)}
    except NetcfgError:
        return {re.sub(r"\s+", "", text.lower())}


def subsumed(changes: list[dict], naming: values.InterfaceNaming) -> list[dict]:
    """Changes another of the answer already makes on more ports, all else equal: portfast on "ge-0/0/15 through
    ge-0/0/15" beside portfast on ge-0/0/10 through ge-0/0/15."""

    def rest(c: dict) -> dict:
        return {k: v for k, v in c.items() if k != "interfaces" and v is not None}

    ports = [expand_ports(naming, str(c["interfaces"])) if c.get("interfaces") else set() for c in changes]
    return [
        c
        for i, c in enumerate(changes)
        if ports[i] and any(j != i and ports[i] < ports[j] and rest(o) == rest(c) for j, o in enumerate(changes))
    ]


def _numbers(changes: list[dict], types: tuple = ()) -> set[int]:
    """Every number a change uses as a value (only of fields of `types`, if given): ints, VLAN lists
    expanded, single-number interfaces (Vlan44, Po14, lo0), OSPF areas (0.0.0.1 is 1), ports (https is 443)."""
    out: set[int] = set()
    for c in changes:
        fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
        for k, v in c.items():
            t = fields.get(k, {}).get("type")
            if v is None or t is None or types and t not in types:
                continue
            try:
                if isinstance(v, int) and not isinstance(v, bool):
                    out.add(v)
                elif t == "vlans":
                    out.update(values.vlan_list(v))
                elif t == "area":
                    out.add(values.area(v)["id"])
                elif t == "port":
                    out.add(intent.port_number(v))
                elif t == "severity":  # the 4 of "logging trap 4"
                    out.add(values.severity(v)["number"])
                elif t == "utc_offset":  # the 1 of "+1", the 5 and 30 of "+5:30"
                    off = values.utc_offset(v)
                    out.update({abs(off["hours"]), off["minutes"]})
                elif t == "speed":  # in Mb/s, and as written: "100" is the 100 of the request
                    out.add(values.speed(v))
                    out.update(int(n) for n in re.findall(r"^\d+$", str(v).strip()))
                elif isinstance(t, list) and str(v).isdigit():  # a choice that is a number: SNMP version 1
                    out.add(int(v))
                elif t in _INTERFACE_TYPES:
                    out.update(
                        int(n)
                        for part in re.split(r"[,\s]+", str(v))
                        if "/" not in part and not re.search(_IP, part) and not values.ipv6_found(part)
                        for n in re.findall(r"\d+", part)
                    )
            except NetcfgError:
                pass
    return out


def _speed(text: str) -> int | None:
    try:
        return values.speed(text)
    except NetcfgError:
        return None


def _ip_of(text: str) -> str:
    """The address an address thing starts with (an IPv6 one as ipaddress writes it)."""
    m = re.match(_IP, text)
    v6 = values.ipv6_found(text) if not m else []
    return m.group(0) if m else v6[0][0] if v6 else text


def _last(things: list) -> "Thing | None":
    return things[-1] if things else None


_V6_DEFAULT = re.compile(r"(?i)\b(?:ipv6|v6)\W+(?:[\w-]+\W+)?default\b(?:\s+(?:route|gateway|gw))?$")


def _address_used(thing: Thing, used: list[str]) -> bool:
    """The address is in a used value; a prefix length, where both give one, must be the same
    (10.214.40.0/22 is not 10.214.40.0/21)."""
    v6 = values.ipv6_found(thing.text)
    if v6 and not re.match(_IP, thing.text):  # written in any spelling: 2001:DB8:0::1 is 2001:db8::1
        ip6, plen = v6[0]
        default = ip6 == "::" and plen == 0 and "default" in used  # "::/0" answered as the default route
        return default or any(
            ip == ip6 and (plen is None or n is None or n == plen) for u in used for ip, n in values.ipv6_found(u)
        )
    ip = _ip_of(thing.text)
    length = re.search(r"/\s*(\d+)", thing.text)
    other = rf"(?!\s*/\s*(?!{length.group(1)}(?!\d))\d)" if length else ""
    # an interface's address (10.20.150.1/24) is not placed by the same host said alone elsewhere (a pool's
    # default router 10.20.150.1): the value that places it has a length or mask too
    masked = (length and length.group(1) != "32") or re.search(r"\s(?:mask\s+|netmask\s+)?255\.", thing.text)
    bare = r"(?:\s*/|\s+(?:mask\s+)?\d)" if masked else ""
    return any(re.search(rf"(?<![\d.]){re.escape(ip)}(?![\d.]){other}{bare}", u) for u in used)


def _answers(change: dict, kind: str) -> bool:
    """Whether a change is of `kind` (`*`: any), of `kind.field` with that field set ("allowed" is a
    trunk's VLANs, not its native VLAN), or of `kind:op` with that op."""
    kind, _, op = kind.partition(":")
    kind, _, field = kind.partition(".")
    return (
        kind in ("*", change.get("kind"))
        and (not field or change.get(field) is not None)
        and (not op or change.get("op") == op)
    )


class _Usage:
    """What a set of changes uses: value strings, interfaces (expanded), numbers."""

    def __init__(self, changes: list[dict], naming: values.InterfaceNaming):
        self.changes = changes
        self.used = _used_strings(changes)
        self.ifaces: set[str] = set()
        for c in changes:
            fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
            for k, v in c.items():
                if fields.get(k, {}).get("type") in _INTERFACE_TYPES and v is not None:
                    self.ifaces |= expand_ports(naming, str(v))
                elif fields.get(k, {}).get("names") and v is not None:  # channel 4 names po4 (ae4 on Junos)
                    self.ifaces |= expand_ports(naming, fields[k]["names"].format(v))
        self.numbers = _numbers(changes)
        self.vlans = _numbers(changes, ("vlan", "vlans"))  # Vlan30 is VLAN 30, not area 30
        self.speeds = _numbers(changes, ("speed",))
        self.areas = _numbers(changes, ("area",))
        self.naming = naming

    def uses(self, t: Thing, text: str) -> bool:
        if t.kind == "secret":
            return values.secret(t.text) in self.used
        if t.kind == "address":
            return _address_used(t, self.used) or (
                re.search(r"area\W*$", text[: t.start].lower()) is not None
                and values.area(t.text.split()[0])["id"] in self.numbers
            )
        if t.kind == "interface":
            vlan = re.fullmatch(r"(?i)(?:vlan|vl|svi)s?\s*-?\s*(\d+(?:\s*-\s*\d+)?)", t.text.strip())
            if vlan:
                try:
                    wanted = set(values.vlan_list(vlan.group(1)))
                except NetcfgError:  # out of range: the check that follows says so
                    wanted = {int(n) for n in re.findall(r"\d+", vlan.group(1))}
                if wanted <= self.vlans:
                    return True
            return expand_ports(self.naming, t.text) <= self.ifaces or self._in_text(t)
        if t.kind == "number":
            n = int(t.text)
            if re.search(r"\barea\W*$", text[: t.start], re.I):  # "lo0 in area 0": an area, not lo0's 0
                return n in self.areas
            return n in self.numbers or any(i.endswith(f"/{n}") for i in self.ifaces)  # "gi0/5 to 8"
        if t.kind == "default":  # a default route: one routed, or one originated into OSPF
            if re.search(r"(?i)router|gateway|gw", t.text) and any(
                c.get("kind") == "dhcp_pool" and c.get("gateway") for c in self.changes
            ):
                return True  # the default router a DHCP pool hands out
            # "replace the default route via A with one via B and add an ipv6 default via C": the IPv6
            # route is the default said with ipv6, where there is one; the IPv4 routes are the others
            v6 = _V6_DEFAULT.search(text[: t.start + len(t.text)])
            v6_elsewhere = not v6 and any(
                _V6_DEFAULT.search(text[: m.end()]) for m in re.finditer(r"(?i)\bdefault\b", text)
            )
            return any(
                c.get("kind") == "ospf_default_originate"
                or c.get("kind") == "static_route"
                and not v6
                and re.fullmatch(r"0\.0\.0\.0\s*/\s*0|0\.0\.0\.0 0\.0\.0\.0|default", str(c.get("prefix", "")))
                or c.get("kind") == "ipv6_route"
                and not v6_elsewhere
                and re.fullmatch(r"::(?:0)?\s*/\s*0|default", str(c.get("prefix", "")))
                for c in self.changes
            )
        if t.kind == "action":
            return any(_answers(c, k) for c in self.changes for k in t.kinds)
        if t.kind == "speed":
            return _speed(t.text) in self.speeds
        if t.kind == "port":
            return intent.port_number(t.text.lower()) in self.numbers
        if t.kind == "said":
            kind, field, choice = _choice(t)
            return any(c.get("kind") == kind and str(c.get(field)) == choice for c in self.changes)
        # the request's spelling (a name's case is part of it), as a whole word: EDGE is not OLD-EDGE;
        # or written inside a description ("the link to dist-sw-9 ..., describe it as to-dist-sw-9")
        return any(re.search(rf"(?<![\w-]){re.escape(t.text)}(?![\w-])", u) for u in self.used) or self._in_text(
            t, ("text",)
        )

    def _in_text(self, t: Thing, types: tuple = ("text", "name")) -> bool:
        """Written inside a description or name ("desc DC-SPINE-2 E1/50")."""
        return any(
            t.text in str(v)
            for c in self.changes
            for k, v in c.items()
            if intent.kinds().get(c.get("kind"), {}).get("fields", {}).get(k, {}).get("type") in types
        )


_KEEP = re.compile(r"\b(?:keep|keeps|keeping|leave|leaves|leaving|don'?t touch|do not touch)\W+(?:[\w'-]+\W+){0,4}$")


def _kind_words(text: str, naming: values.InterfaceNaming) -> list[Thing]:
    """Words that ask for a kind of change with no value of their own ("portfast", "bring it up",
    "default route"): some change of those kinds must answer each (`coverage.actions`)."""
    bare = _bare(text, naming).lower()
    out = []
    for rule in _spec().get("actions", []):
        # ("delete hsrp group 30, keep the SVI and its address": what is kept is asked for by no one)
        m = next((m for m in intent.rx(rule["words"]).finditer(bare) if not _KEEP.search(bare[: m.start()])), None)
        if m:
            out.append(Thing("action", m.group(0), m.start(), tuple(rule["kinds"])))
    return out


_LIKEWISE = re.compile(r"\b(likewise|ditto|(?:and\s+)?(?:the\s+)?same\s+(?:for|on|with))\s+(?:the\s+)?$", re.I)


def _not_likewise(text: str, found: list[Thing], changes: list[dict], naming) -> list[Thing]:
    """ "likewise po22", "same for Et8": the port takes every kind of change the port named before it takes; the
    word, where an answer leaves one out (po22 described but not made a trunk)."""
    out = []
    ports = [t for t in found if t.kind == "interface" and not is_vlan(t)]
    for i, t in enumerate(ports[1:], 1):
        at = max(0, t.start - 30)
        m = _LIKEWISE.search(text[at : t.start])
        kinds = [{c.get("kind") for c in changes if _Usage([c], naming).uses(p, text)} for p in (ports[i - 1], t)]
        if m and not kinds[0] <= kinds[1]:
            out.append(Thing("action", m.group(1), at + m.start(1)))
    return out


def _split_list(text: str, found: list[Thing], changes: list[dict], naming) -> list[Thing]:
    """ "put xe-0/0/48 and xe-0/0/49 into area 36": ports listed together take the same kinds of change, with the
    same ops, unless one is named again on its own ("..., eth1/54 also gets cost 30", "make the loopback
    passive"); the port an answer treats otherwise."""
    out = []
    for x, y in lists(text, found, ("interface",)):
        if is_vlan(x) or is_vlan(y) or any(_context(text, p, found, changes, naming) for p in (x, y)):
            continue  # ("on Gi1/0/8, Gi1/0/7 stays as it is": no list)
        done = [{(c.get("kind"), c.get("op")) for c in changes if _Usage([c], naming).uses(p, text)} for p in (x, y)]
        for p, own, other in ((x, done[0], done[1]), (y, done[1], done[0])):
            if own - other and not _named_again(text, p, found, naming):
                out.append(x if p is y else y)
                break
    return out


def _vrf_left_out(text: str, found: list[Thing], changes: list[dict], naming) -> list[Thing]:
    """ "create routing instance GUEST, ..., and give GUEST a default route via X": a change that can sit in a VRF,
    said in a clause that names a VRF of the answer, sits in it; the VRF's name where an answer leaves it out."""
    vrfs = {str(v) for c in changes for k, v in c.items() if v and _field(c, k).get("rule") == "vrf_name"}
    slots = {c.get("kind"): _vrf_slot(c) for c in changes}
    if not vrfs or not any(slots.values()):
        return []
    out: list[Thing] = []
    pieces = clauses(text, naming, orphans=True)
    for c in changes:
        slot = slots[c.get("kind")]
        if slot is None or c.get(slot):
            continue
        own = _own(c, found, text, naming)
        for p in pieces:
            if any(p.start <= t.start < p.end for t in own):
                out += [t for t in found if t.kind == "name" and p.start <= t.start < p.end and t.text in vrfs]
    return list(dict.fromkeys(out))


def _fields(change: dict) -> dict:
    """The schema's fields of the change's kind."""
    return intent.kinds().get(change.get("kind"), {}).get("fields", {})


def _field(change: dict, name: str) -> dict:
    return _fields(change).get(name, {})


def _vrf_slot(change: dict) -> str | None:
    """The optional field that puts a change in a VRF (a static route's `vrf`), if its kind has one."""
    return next((k for k, f in _fields(change).items() if f.get("rule") == "vrf_name" and f.get("optional")), None)


def _named_again(text: str, port: Thing, found: list[Thing], naming) -> bool:
    """Whether the request names a port again: by itself, in a range, or as "the loopback"."""
    names = expand_ports(naming, port.text)
    kind = re.match(r"[a-z-]+", next(iter(names), ""))
    return any(
        t.kind == "interface" and t.start != port.start and names <= expand_ports(naming, t.text) for t in found
    ) or (kind is not None and re.search(rf"\bthe {kind.group(0)}\b", text[port.start :], re.I) is not None)


def unplaced(text: str, changes: list[dict], naming: values.InterfaceNaming) -> list[Thing]:
    """The things the request names that no change uses (and are not context), and the old value of a
    "from X to Y", or a value said as the state now, that an add uses."""
    usage = _Usage(changes, naming)
    found = things(text, naming)
    out = []
    answered = {c.get("kind") for c in changes}
    for t in _listed_choices(text):  # "broadcast and multicast storm control": a change of the kind for each
        kind, field, choice = t.kinds
        if kind in answered and not any(c.get("kind") == kind and str(c.get(field)) == choice for c in changes):
            out.append(t)
    choices = _choice_words(text)
    for t in choices:  # "port-security max 1 mac, shut the port on violation": the violation was said
        kind, field, _ = t.kinds
        adds = [c for c in changes if c.get("kind") == kind and c.get("op") == "add"]
        if adds and all(c.get(field) is None for c in adds) and not _word_of_another(t, choices, text, changes):
            out.append(t)
        elif (  # "ACL X: permit A, permit icmp any any, deny ip from B to any" answered without the deny line
            f"{kind}.{field}" in _spec().get("each_choice_said", [])
            and adds
            and not any(_takes(c, t.kinds) for c in adds)
            and not _word_of_another(t, choices, text, changes)
        ):
            out.append(t)
    for old, new in replaced_choices(text, choices):  # "redistribute connected instead of static": both are changes
        kind, field, _ = old.kinds
        # (an optional choice is a setting the new one replaces in place: "stp mode from pvst to rapid pvst"; one the
        # kind needs names what it acts on, and the old one goes by a change of its own: "connected instead of static")
        both = (new,) if intent.kinds()[kind]["fields"][field].get("optional") else (old, new)
        if kind in answered:
            out += [t for t in both if not any(_takes(c, t.kinds) for c in changes)]
    out += _not_likewise(text, found, changes, naming) + _split_list(text, found, changes, naming)
    out += _vrf_left_out(text, found, changes, naming)
    for t in found + _kind_words(text, naming):
        if usage.uses(t, text):
            if t.kind != "action" and (
                _old_value_added(text, t, found, changes, naming)
                or _state_added(text, t, changes, naming)
                or _kept(text, t, usage)
            ):
                out.append(t)
        elif not _context(text, t, found, changes, naming):
            out.append(t)
    return sorted(out, key=lambda t: t.start)


_SWAP = r"\b(?:swap|swapping|replace|replacing|exchange)\b"
_REPLACED_BY = (
    r"\s+(?:is|are|gets?|will be)\s+(?:being\s+|to be\s+)?(?:replaced|swapped(?:\s+out)?)\s+(?:by|with|for)\W+"
)
# "peer X is being retired, peer with Y instead": X goes (a clause of its own: "remove peer X")
_RETIRED = r"(?:the\s+)?(.+?)\s+(?:is|are)\s+(?:being\s+|to be\s+)?(?:decommissioned|retired|removed|torn down)(?:\s+(?:today|tonight|now))?"


# the words right before an old value X: "... from X to Y", "move the logging host X to Y"
_FROM_WORDS = r"(?:(?:the\s+)?next[ -]?hop\W+|\w+\W+)?"  # "from vlan X", "from next hop X"
_FROM_BEFORE = rf"\bfrom\W+{_FROM_WORDS}$"
_MOVE_BEFORE = r"\bmove\W+(?:[\w-]+\W+){0,3}$"


def _from_to(text: str, t: Thing, found: list[Thing], swapping: bool = False) -> Thing | None:
    """The new value Y when `t` is the old value X: "from X to Y", "Y instead of X", "swap X for Y",
    "replace X with Y" (and "..., and ntp X for Y" after a swap, or when `swapping`)."""
    before = text[max(0, t.start - 30) : t.start].lower()
    adjacent = swapping or re.search(rf"{_SWAP}\W+(?:[\w-]+\W+){{0,5}}$", before)
    if adjacent or re.search(_SWAP, text[: t.start], re.I):
        m = re.match(r"\W*(?:\([^)]*\)\W*)?(?:for|with|by)\W+(?:[\w-]+\W+){0,2}?", text[t.start + len(t.text) :], re.I)
        if m:
            at = t.start + len(t.text) + m.end()
            return next(
                (
                    y
                    for y in found
                    if at - 1 <= y.start <= at + 12
                    and (y.kind == t.kind or {y.kind, t.kind} == {"interface", "number"} and is_vlan(t))
                ),
                None,
            )
        if adjacent and not re.search(f"{_FROM_BEFORE}|{_MOVE_BEFORE}", before):
            return None  # (after a swap, "move the syslog host from X to Y" is a pair of its own)
    after = text[t.start + len(t.text) :]  # ("swap A for B, move the syslog host from X to Y": X's own words)
    passive = re.match(_REPLACED_BY, after, re.I)  # "the NMS at X is being replaced by Y"
    moved = t.kind in ("address", "name") and re.search(_MOVE_BEFORE, before)
    arrow = re.match(r"\s*(?:->|→|=>)\s*", after) if t.kind in ("address", "name") else None  # "dns X -> Y"
    m = passive or arrow or (re.match(r"\s+to\W+", after, re.I) if moved else None)  # "move logging host X to Y"
    if m:
        at = t.start + len(t.text) + m.end()
        return next((y for y in found if at - 1 <= y.start <= at + 12 and y.kind == t.kind), None)
    m = re.search(r"\b(?:instead of|rather than|in place of)\W+(?:\w+\W+){0,1}$", before)
    if m:
        cut = t.start - len(before) + m.start()
        earlier = [y for y in found if y.start + len(y.text) <= cut and cut - (y.start + len(y.text)) <= 12]
        return next(
            (y for y in reversed(earlier) if y.kind == t.kind or {y.kind, t.kind} <= {"interface", "number"}), None
        )
    if not re.search(_FROM_BEFORE, before):
        return None
    m = re.match(r"\W*(?:\([^)]*\)\W*)?(?:[\w/.-]+\W+){0,2}?to\W+", text[t.start + len(t.text) :].lower())
    if not m:
        return None
    at = t.start + len(t.text) + m.end()
    near = [y for y in found if at - 1 <= y.start <= at + 12]
    if not near and _PRONOUN.match(text, at):
        # "from vlan 20 to it": what "it" stands for, the last thing of the kind before (a port is none of a VLAN's)
        near = [y for y in reversed(found) if y.start + len(y.text) < t.start and (y.kind != "interface" or is_vlan(y))]
    return next((y for y in near if y.kind == t.kind or {y.kind, t.kind} <= {"interface", "number"}), None)


def replacements(text: str, old: list[Thing], naming: values.InterfaceNaming) -> list[Thing]:
    """The new values the request says replace the `old` ones ("swap 40 for 45", "vlan 40 is being replaced by
    vlan 45"), where it says one."""
    found = things(text, naming)
    return [y for y in (_from_to(text, t, found) for t in old) if y is not None]


def old_values(text: str, changes: list[dict], naming: values.InterfaceNaming) -> list[Thing]:
    """The values the request says go: the X of "from X to Y", "Y instead of X", "swap X for Y" (not
    both ends of one ACL line), a value said as the state now ("currently 10.0.0.1/31"), and the value a
    removal names ("prune 1405", "remove 10.0.0.9"). Interfaces are subjects, not values."""
    found = things(text, naming)
    usages = [_Usage([c], naming) for c in changes]
    old_context = [rule for rule in _spec().get("context", []) if rule.get("old")]
    # (what follows "take X off" is the place X leaves: "take the md5 off neighbor 10.0.0.2" keeps the neighbor)
    removal = (
        rf"(?!take\s+(?!off\b|out\b)[^.;]{{1,30}}?\b(?:off|out)\b)(?:{_spec().get('removes', '(?!)')}|"
        rf"{_spec().get('removes_vlans', '(?!)')})"
        r"[^\w.;!?]+(?:(?!(?:of|from|off|on|in)\b)[\w-]+[^\w.;!?]+){0,2}$"  # (never across a sentence or ";")
    )
    out = []
    for t in found:
        vid = re.search(r"\d+$", t.text) if t.kind == "interface" and is_vlan(t) else None
        if vid and re.fullmatch(r"(?i)vlans?\s*-?\s*\d+", t.text):  # "drop vlan 730": the VLAN id goes
            t = Thing("number", vid.group(0), t.start + vid.start())
        if t.kind not in ("address", "number", "name"):
            continue
        if re.match(r"\W*instead\b(?!\s+of)", text[t.start + len(t.text) :], re.I):
            # "the line that allows X should allow Y instead": X, the last value of Y's kind before it
            x = next((x for x in reversed(found) if x.start < t.start and x.kind == t.kind), None)
            if x is not None and not _together(usages, t, x, text):
                out.append(x)
        y = _from_to(text, t, found)
        if y is not None and not _together(usages, t, y, text):
            out.append(t)
        elif any(_said_as_context(text, t, rule) for rule in old_context):
            out.append(t)
        elif (re.search(removal, text[max(0, t.start - 60) : t.start], re.I) or _taken_off(text, t)) and not all(
            any(c.get("op") == op and u.uses(t, text) for c, u in zip(changes, usages)) for op in ("add", "remove")
        ):  # "delete route X via A and add it via B" removes and adds X: the route moves
            out.append(t)
    return out + list(dict.fromkeys(Thing("name", old.kinds[2], old.start) for old, _ in replaced_choices(text)))


def left_place(text: str, t: Thing) -> bool:
    """Whether the request says a name goes from a place, not from the device: "take the old ACL-X off Gi0/1",
    "remove ACL-X from Vlan20" (its definition stays)."""
    return t.kind == "name" and re.match(r"\W*(?:off|from|out\s+of)\b", text[t.start + len(t.text) :], re.I) is not None


def _taken_off(text: str, t: Thing) -> bool:
    """Whether a value is what "take X off" or "pull X out" takes away: "pull voice vlan 110 off them"."""
    return bool(
        re.search(r"\b(?:take|pull)\W+(?:[\w-]+\W+){0,2}$", text[max(0, t.start - 40) : t.start], re.I)
        and re.match(r"\W*(?:off|out)\b", text[t.start + len(t.text) :], re.I)
    )


def _int_of(change: dict, t: Thing) -> bool:
    """Whether a number is the value of one of the change's int fields (a priority, a cost), which holds one value."""
    return t.kind == "number" and any(
        _field(change, k).get("type") == "int" and str(v) == t.text for k, v in change.items()
    )


def _single_valued(c: dict) -> bool:
    return c.get("kind") in _spec().get("single_valued", [])


def _old_value_added(text: str, t: Thing, found, changes, naming) -> bool:
    """ "ospf cost from 20 to 45" answered with cost 20 too, "swap community A for B" with A added: the
    old value X of "from X to Y" is used by an add that does not use Y (an ACL line "from X to Y" and a
    range "vlans from 10 to 20" use both)."""
    y = _from_to(text, t, found)
    if y is None:
        return False
    usages = [_Usage([c], naming) for c in changes]
    if t.kind == "interface" and not is_vlan(t):  # a port may take other changes: only the moved one must leave it
        return any(
            c.get("op") == "add" and u.uses(y, text) and _moved_port(text, t, c, naming)
            for c, u in zip(changes, usages)
        )
    if _together(usages, t, y, text):
        return False  # an ACL line from X to Y: a source and a destination, not an old and a new value
    # ("move the default route from X to Y, but add a host route via X": X said again, for an add of its own)
    return sum(c.get("op") == "add" and u.uses(t, text) for c, u in zip(changes, usages)) > len(_again(text, t, found))


def _again(text: str, t: Thing, found: list[Thing]) -> list[Thing]:
    """The other places the request says the value of `t`, not as an old value ("... but add a host route via X")."""
    return [
        o
        for o in found
        if o.kind == t.kind and o.text == t.text and o.start != t.start and not _from_to(text, o, found)
    ]


def said_again(text: str, t: Thing, naming: values.InterfaceNaming) -> bool:
    """Whether the request says an old value again for something else: "move the default route from X to Y, but add
    a host route via X", "helper H on the new SVI; on Vlan210 replace the helper H with J"."""
    return bool(_again(text, t, things(text, naming)))


def _together(usages: list["_Usage"], a: Thing, b: Thing, text: str) -> bool:
    """Whether one change uses both things: an ACL line "from X to Y" (a source and a destination)."""
    return any(u.uses(a, text) and u.uses(b, text) for u in usages)


def _moved_port(text: str, t: Thing, change: dict, naming) -> bool:
    """Whether port `t` is the one a thing is moved away from ("move the member from Gi1/0/48 to
    Gi1/0/46") and the change lists it among its ports again."""
    if not re.search(
        r"\b(?:mov|migrat|shift|relocat)\w*\b[^.;]{0,40}\bfrom\W+$", text[max(0, t.start - 60) : t.start], re.I
    ):
        return False
    listed = any(_field(change, f).get("type") == "interfaces" for f in change)
    return listed and expand_ports(naming, t.text) <= _Usage([change], naming).ifaces


class _Locality:
    """Which clauses of a request each change's values come from (shared by scattered and unserved)."""

    def __init__(self, text: str, changes: list[dict], naming: values.InterfaceNaming):
        self.text, self.changes, self.naming = text, changes, naming
        self.pieces = [p for p in clauses(text, naming, orphans=True, fine=True) if not p.orphan]
        if len(self.pieces) < 2:
            return  # one clause: every change is local
        self.found = found = things(text, naming) + _said(text)
        own = [_own(c, found, text, naming) for c in changes]
        ports = [_Usage([c], naming).ifaces for c in changes]
        self.own = [_others_port(ts, ports[i], ports[:i] + ports[i + 1 :], naming) for i, ts in enumerate(own)]
        # a value said in no clause (", and the remaining one, 10.255.1.2, should ...") binds to none: not judged here
        loose = {_key(t, naming) for t in found if not any(p.start <= t.start < p.end for p in self.pieces)}
        self.keys = [{_key(t, naming) for t in ts} - loose for ts in self.own]
        usage = _Usage(changes, naming)
        self.container = {t for t in found if not any(t in ts for ts in self.own) and usage.uses(t, text)}

    def held(self, p: Clause, refs: bool = True) -> set:
        inside = [t for t in self.found if p.start <= t.start < p.end] + (list(p.refs) if refs else [])
        return {k for t in inside for k in _keys(t, self.naming)}

    def serves(self, p: Clause, i: int, alone: bool = True) -> bool:
        """Whether a piece about a subject serves change i, of all of it (`alone`: and no other change)."""
        found, own, naming = self.found, self.own, self.naming
        if not {_key(t, naming) for t in p.group} <= self.keys[i] or _contradicts(found, p, self.changes[i], self.text):
            return False
        inside = [
            t
            for t in found
            if p.start <= t.start < p.end
            and t not in self.container
            and (t.kind != "said" or any(t in ts for ts in own))
        ]
        mine = [t in own[i] and not (alone and any(t in ts for j, ts in enumerate(own) if j != i)) for t in inside]
        # ", lacp passive" of its ports; ", disable preemption": only a choice of the one change of its kind
        kind = self.changes[i].get("kind")
        sole = sum(c.get("kind") == kind for c in self.changes) == 1 and bool(inside)
        sole = sole and all(t.kind == "said" and _choice(t)[0] == kind for t in inside)
        return (bool(p.group) or sole or any(t.kind != "said" for t in inside)) and all(mine)

    def homes(self, i: int) -> list[int]:
        """The clauses (their indexes) that state all of change i's values, with the later ones that serve it
        alone."""
        serve = [q for q in self.pieces if self.serves(q, i)]
        return [
            j
            for j, p in enumerate(self.pieces)
            if self.keys[i] <= self.held(p).union(*(self.held(q, refs=False) for q in serve if q.start > p.start))
        ]


def unserved(text: str, changes: list[dict], naming: values.InterfaceNaming) -> list[Thing]:
    """A value said again in another clause that no change of that clause uses: "run it on Et1/49 and Et1/50
    in area 0, and on loopback0 in area 0" answered with no area for loopback0. Each time a number or an
    address is said (but as context), a change local to that clause uses it, where any change does; or the
    clause says only values of the change the clause before is about ("...; on Vlan20 group 20, priority 110")."""
    at = _Locality(text, changes, naming)
    if len(at.pieces) < 2:
        return []
    found = things(text, naming)
    said: dict[tuple, list[tuple[int, Thing]]] = {}
    for t in found:
        where = [j for j, p in enumerate(at.pieces) if p.start <= t.start < p.end]
        if t.kind in ("number", "address") and where and not _context(text, t, found, changes, naming):
            said.setdefault((t.kind, t.text.lower()), []).append((where[0], t))
    homes = [set(at.homes(i)) for i in range(len(changes))]

    def uses(i: int, j: int) -> bool:
        if j in homes[i]:
            return True
        before = [k for k in range(j) if any(k in h for h in homes)]
        return bool(before) and before[-1] in homes[i] and at.serves(at.pieces[j], i, alone=False)

    out = []
    for mentions in said.values():
        if len({j for j, _ in mentions}) < 2:
            continue
        users = [i for i, k in enumerate(at.keys) if any(_key(t, naming) in k for _, t in mentions)]
        out += [t for j, t in mentions if users and not any(uses(i, j) for i in users)]
    return out


def scattered(text: str, changes: list[dict], naming: values.InterfaceNaming) -> list[dict]:
    """The changes whose values the request states in different clauses: "10.44.0.1/24 for vlan 44
    and shut Gi0/2" answered with the address on Gi0/2, or "add X (read-only) and Y read-write"
    answered with Y read-only. A change is local when one clause (with what its pronoun or subject
    brings in) states all its values, but for those in later clauses that serve it alone and say no
    other choice for its fields ("..., desc PEER-A" after a BGP peer) and those that name its
    container (`scope` fields: "ospf 27: ..."). A change done on part of what a pronoun stands for
    ("prune it off them") is not local either."""
    at = _Locality(text, changes, naming)
    if len(at.pieces) < 2:
        return []
    pieces, found, own, keys, held = at.pieces, at.found, at.own, at.keys, at.held

    def part_of(p: Clause, i: int) -> bool:  # "prune it off them" (po21 and po22) done on po21 only
        items = {_key(t, naming) for t in p.group if t.kind == "interface"}
        done = set().union(*(keys[j] for j, c in enumerate(changes) if _but_ports(c) == _but_ports(changes[i])))
        return len(items) > 1 and 0 < len(items & keys[i]) and not items <= done

    def others_choice(p: Clause, i: int) -> bool:  # "HSRP on Vlan310: ..., preempt. On Vlan311: group 32, ..."
        """Whether all a clause gives change i, of a kind with `instance`s, is a choice said after another
        instance's own values there (an ACL's lines share their verbs: "allow ssh from A and snmp from B")."""
        kind = changes[i].get("kind")
        if not intent.kinds().get(kind, {}).get("instance"):
            return False
        inside = [t for t in found if p.start <= t.start < p.end]
        mine = [t for t in inside if _key(t, naming) in keys[i]]
        theirs = [
            t.start
            for j, o in enumerate(changes)
            if j != i and o.get("kind") == kind
            for t in inside
            if _key(t, naming) in keys[j] - keys[i]
        ]
        return bool(mine and theirs) and all(t.kind == "said" and t.start > min(theirs) for t in mine)

    asked = [set(grounding.cued_kinds(_bare(p.text, naming))) for p in pieces]
    out = []
    for i, c in enumerate(changes):
        if _part_of_range(c, own[i], found, naming):
            out.append(c)
            continue
        if len(keys[i]) < 2:
            continue
        if not any(not part_of(pieces[j], i) and not others_choice(pieces[j], i) for j in at.homes(i)):
            out.append(c)

    sets = re.compile(_spec().get("sets", r"(?!)"), re.I)
    for i, c in enumerate(changes):  # "rename vlan 305 to CCTV-B" answered as a removal of vlan 305
        said = [t for t in own[i] if t.kind != "secret"]
        if c in out or c.get("op") != "remove" or not said or c.get("kind") in intent.spec().get("toggles", []):
            continue
        holding = [p for p in pieces if keys[i] and keys[i] <= held(p)]
        if holding and all(
            sets.match(p.text) and not grounding.asks_removal(c.get("kind"), intent.norm_text(p.text)) for p in holding
        ):
            out.append(c)

    def said_for(j: int) -> set:  # "portfast and bpduguard on gi1/0/25-28": portfast is said for gi1/0/25-28
        p = pieces[j]
        bare = not p.refs and not any(p.start <= t.start < p.end for t in found)
        return held(p) | (held(pieces[j + 1]) if bare and j + 1 < len(pieces) else set())

    for i, c in enumerate(changes):  # an action word's change is on what that word's clause is about
        cued = [j for j, kinds in enumerate(asked) if c.get("kind") in kinds]
        objects = {_key(t, naming) for t in own[i] if t.kind == "interface"}
        if c in out or c.get("kind") not in _spec().get("said_of", []) or not cued or not objects:
            continue
        if not any(objects <= said_for(j) and not part_of(pieces[j], i) for j in cued):
            out.append(c)  # "shut them and clear their descriptions" with one description

    # "add peer B ... with next-hop-self, same as A; then shut A": what a clause asks for is not done on the
    # address it names as the pattern to copy
    copied = [t for t in found if t.kind == "address" and _LIKE.search(text[max(0, t.start - 30) : t.start])]
    for t in copied:
        mine = {j for j, p in enumerate(pieces) if p.start <= t.start < p.end}
        # (", same as A" split off as a clause of its own is said of the clause before it)
        mine |= {j - 1 for j in mine if j and _LIKE.fullmatch(text[pieces[j].start : t.start].lstrip(" ,;"))}
        elsewhere = {j for j, p in enumerate(pieces) if j not in mine and _key(t, naming) in held(p, refs=False)}
        for i, c in enumerate(changes):
            asks = {j for j, kinds in enumerate(asked) if c.get("kind") in kinds}
            if c not in out and _key(t, naming) in keys[i] and asks & mine and not asks & elsewhere:
                out.append(c)
    return out


def conflicting(changes: list[dict], naming: values.InterfaceNaming) -> list[dict]:
    """Adds that set one single-valued setting of one object to two values (two descriptions of
    gi2/0/19, two hostnames), or a setting of one object both added and removed (shut and no shut of
    gi1/0/12): the device keeps one, so either would be a guess."""

    def ports(c: dict) -> set:
        return _Usage([c], naming).ifaces

    adds = [c for c in changes if c.get("op") == "add" and _single_valued(c)]
    out = []
    for i, a in enumerate(adds):
        for b in adds[i + 1 :]:
            if a.get("kind") != b.get("kind") or (ports(a) or ports(b)) and not ports(a) & ports(b):
                continue
            fields = intent.kinds()[a["kind"]]["fields"]
            values = [
                f
                for f, d in fields.items()
                if d["type"] not in ("interface", "interfaces") and a.get(f) is not None and b.get(f) is not None
            ]
            if any(_value(fields[f], a[f]) != _value(fields[f], b[f]) for f in values):
                out += [c for c in (a, b) if c not in out]
    # "no shut it" and "shut it" of one port: a setting with no value but its object both added and removed
    bare = [c for c in changes if set(c) - {"kind", "op"} <= {"interfaces", "interface", "neighbor"}]
    for a in [c for c in bare if c.get("op") == "add"]:
        for b in [c for c in bare if c.get("op") == "remove" and c.get("kind") == a.get("kind")]:
            if ports(a) & ports(b) or not (ports(a) or ports(b)) and grounding.object_of(a) == grounding.object_of(b):
                out += [c for c in (a, b) if c not in out]
    return out


def _value(fdef: dict, v):
    """A value as the device would see it: area 0 is 0.0.0.0, vlans 10-12 are 10,11,12."""
    try:
        if fdef["type"] == "area":
            return values.area(v)["id"]
        if fdef["type"] == "vlans":
            return tuple(values.vlan_list(v))
    except NetcfgError:
        pass
    return str(v).lower()


def _own(change: dict, found: list[Thing], text: str, naming) -> list[Thing]:
    """The things a change uses as its own values: not its container (`scope` fields), and a number
    only where the change states it (lo5 does not state 5)."""
    usage, numbers = _scoped(change, naming), _numbers([_direct(change)])
    mine = [t for t in found if usage.uses(t, text) and (t.kind != "number" or int(t.text) in numbers)]
    # a channel the request writes as its port ("port-channel 20") is not also every other 20 of the request
    named = {f for f, v in change.items() if v is not None and _field(change, f).get("names")}
    ports = [expand_ports(naming, t.text) for t in mine if t.kind == "interface"]
    written = {change[f] for f in named if expand_ports(naming, _field(change, f)["names"].format(change[f])) in ports}
    rest = _numbers([{k: v for k, v in _direct(change).items() if k not in named}])
    return [t for t in mine if not (t.kind == "number" and int(t.text) in written - rest)]


def _others_port(own: list[Thing], ports: set, elsewhere: list[set], naming) -> list[Thing]:
    """A change's own things less a port of its range that another change is on alone: "storm control on
    Et20-24 ..., shut Et24" (Et24 is the shutdown's, not a value of the storm control)."""
    sets = [expand_ports(naming, t.text) if t.kind == "interface" else set() for t in own]
    return [t for t, p in zip(own, sets) if not (p and p < ports and p in elsewhere and any(p < q for q in sets))]


def _part_of_range(change: dict, own: list[Thing], found: list[Thing], naming) -> bool:
    """Whether a change is done on some ports of a range or list the request states as one ("shut
    gi1/0/44 through gi1/0/46, describe them ..." described on gi1/0/46 only)."""
    ports = _Usage([change], naming).ifaces
    stated = set().union(*(expand_ports(naming, t.text) for t in own if t.kind == "interface"))
    loose = ports - stated
    return bool(loose) and any(loose & expand_ports(naming, t.text) for t in found if t.kind == "interface")


def _contradicts(found: list[Thing], p: Clause, change: dict, text: str) -> bool:
    """Whether a clause says another choice for one of the change's fields ("add Y read-write" for a
    read-only change), or a removal for an add ("..., and prune vlan 1178" answered in an add)."""
    if change.get("op") == "add" and re.search(_spec().get("removes", "(?!)"), text[p.start : p.end], re.I):
        return True
    for t in found:
        if t.kind == "said" and p.start <= t.start < p.end:
            kind, field, choice = _choice(t)
            if kind == change.get("kind") and change.get(field) is not None and str(change.get(field)) != choice:
                return True
    return False


def _scoped(change: dict, naming) -> "_Usage":
    """What a change uses but for the container it sits in (its `scope` fields)."""
    fields = intent.kinds().get(change.get("kind"), {}).get("fields", {})
    own = {k: v for k, v in change.items() if not fields.get(k, {}).get("scope")}
    return _Usage([own], naming)


def _but_ports(change: dict) -> dict:
    """A change without its interfaces: the same change done on other ports compares equal."""
    return {k: v for k, v in change.items() if k not in ("interfaces", "interface")}


def _direct(change: dict) -> dict:
    """A change without its interfaces: the numbers it states itself (lo5 does not state 5)."""
    fields = intent.kinds().get(change.get("kind"), {}).get("fields", {})
    return {k: v for k, v in change.items() if fields.get(k, {}).get("type") not in _INTERFACE_TYPES}


def _said(text: str) -> list[Thing]:
    """Where the request says a choice some field has `words` (or `says`, or `word_values`) for: Thing("said",
    "acl_rule.action=deny") at each such word."""
    out = []
    for kind, kdef in intent.kinds().items():
        for fname, fdef in kdef["fields"].items():
            values_said = {str(n): rx for n, rx in (fdef.get("word_values") or {}).items()}  # a local "admin": 15
            for choice, words in {**fdef.get("says", {}), **fdef.get("words", {}), **values_said}.items():
                out += [
                    Thing("said", f"{kind}.{fname}={choice}", m.start()) for m in intent.rx(words, re.I).finditer(text)
                ]
    return out


def _choice(t: Thing) -> tuple[str, str, str]:
    """The kind, field and choice a "said" thing stands for."""
    kind, _, rest = t.text.partition(".")
    field, _, choice = rest.partition("=")
    return kind, field, choice


def _keys(t: Thing, naming) -> set[tuple]:
    """The thing's key, and a VLAN's as a number or a number's as a VLAN: the 2301 of "Et5 access in 2301" is
    the "vlan 2301" created before it."""
    out = {_key(t, naming)}
    if t.kind == "number":
        out.add(_key(Thing("interface", f"vlan {t.text}", t.start), naming))
    elif t.kind == "interface" and is_vlan(t) and re.fullmatch(r"\D*\d+", t.text):
        out.add(("number", re.sub(r"\D", "", t.text)))
    return out


def _key(t: Thing, naming) -> tuple:
    """The same thing, however it is written: an interface by its vendor names, a default route by any of its
    words, a name by its text."""
    if t.kind == "interface":
        return ("interface", frozenset(expand_ports(naming, t.text)))
    if t.kind == "default" and "router" not in t.text.lower() or re.fullmatch(r"(?:0\.0\.0\.0|::)\s*/\s*0", t.text):
        return ("default", "route")  # "the default route", "a backup default", "gateway of last resort", "::/0"
    if t.kind == "address":
        return ("address", _ip_of(t.text))
    return (t.kind, t.text.lower())


def lists(text: str, found: list[Thing], kinds: tuple = ("address", "name", "number")) -> list[tuple[Thing, Thing]]:
    """Pairs of neighbouring items of one list in the request: "10.0.0.1 and 10.0.0.2", "A, B"."""
    pairs = []
    for a, b in zip(found, found[1:]):
        gap = text[a.start + len(a.text) : b.start]
        if a.kind == b.kind and a.kind in kinds and re.fullmatch(r"\s*(?:,|and|&|\+|,\s*and)\s*", gap, re.I):
            pairs.append((a, b))
    return pairs


def fill_lists(text: str, changes: list[dict], naming: values.InterfaceNaming) -> list[dict]:
    """An item of a list the answer left out, where it made a change for its neighbour ("ntp
    10.0.0.1 and 10.0.0.2" answered with one ntp_server, "clear swp3 and swp4's descriptions" with
    swp3's): the same change for the missing item. No port gets another port's address."""
    found = things(text, naming)
    usage = _Usage(changes, naming)
    out = list(changes)
    pieces: list[Clause] | None = None
    for a, b in lists(text, found, ("address", "name", "number", "interface")):
        for missing, there in ((a, b), (b, a)):
            if usage.uses(missing, text) or not usage.uses(there, text):
                continue
            for c in changes:
                fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
                if there.kind == "interface":  # only a change the list's own clause asks for
                    pieces = clauses(text, naming) if pieces is None else pieces
                    said = [p.text for p in pieces if p.start <= a.start < p.end]
                    hits = [
                        k
                        for k, v in c.items()
                        if fields.get(k, {}).get("type") in ("interface", "interfaces")
                        and expand_ports(naming, str(v)) == expand_ports(naming, there.text)
                    ]
                    if any(f["type"] in _ADDRESS_TYPES for f in fields.values()) or not any(
                        c.get("kind") in grounding.cued_kinds(p) for p in said
                    ):
                        continue
                else:
                    hits = [
                        k
                        for k, v in c.items()
                        if k in fields
                        and str(v) == there.text
                        and fields[k]["type"]
                        in _ADDRESS_TYPES + ("ipv4", "next_hop", "ipv6_next_hop", "int", "length", "name", "vlan")
                    ]
                if len(hits) == 1:
                    value = (
                        int(missing.text) if isinstance(c[hits[0]], int) and missing.text.isdigit() else missing.text
                    )
                    clone = dict(c, **{hits[0]: value})
                    if clone not in out:
                        out.append(clone)
    return out


# --- clauses --------------------------------------------------------------------------------

_SPLIT = re.compile(
    r"\s*(?:;|\.\s+|,\s+(?:and\s+|then\s+|also\s+|plus\s+)?|\s+(?:and|then|also|plus|&)\s+|\s+-+\s+|\n)\s*", re.I
)
_PRONOUN = re.compile(
    r"(?<!you're at )(?<!you are at )(?<!while at )(?<!youre at )"  # "while you're at it": no pronoun
    r"\b(it|them|there|its|their|both|these|those|this one|that one|(?:the|that) (?:vlan|svi|acl|peer|neighbou?r|loopback|tunnel)(?!\s*[\d'\"]|(?-i:\s+[A-Z]))|(?:that|the) same (?:subnet|prefix|network|range|source|host)|that (?:subnet|prefix|network|range|host|address))\b",
    re.I,
)
# "the second one", "the former": one of the two ports said together before
_ORDINAL = re.compile(r"(?i)\bthe\s+(first|second|former|latter)(?:\s+(?:one|port|interface|link))?\b")
_ATTACH = re.compile(r"\b(apply|applied|bind|bound|attach|attached|put|set|use)\s+(?:it|them)\b", re.I)


def pronoun(text: str) -> bool:
    """Whether a piece of a request points back with a pronoun ("bring both up", "delete them")."""
    return _PRONOUN.search(text) is not None


@dataclass(frozen=True)
class Clause:
    """A part of a request that asks for one thing, with its pronouns replaced by what they name."""

    text: str
    start: int
    end: int
    orphan: bool = False  # asks for nothing by itself and belongs to no list: its things go unplaced
    refs: tuple = ()  # the things of earlier clauses its pronoun or its subject brought in
    group: tuple = ()  # of those, the ones the pronoun or subject stands for ("them": gi0/1 and gi0/2)


def _bare(text: str, naming: values.InterfaceNaming) -> str:
    """The text without its addresses, numbers and names: the words that say what to do."""
    context = devices(text, naming)  # "mx-edge-1: ..." asks for no edge port
    for t in sorted(things(text, naming), key=lambda t: -t.start):
        if t.kind != "interface":
            text = text[: t.start] + " " * len(t.text) + text[t.start + len(t.text) :]  # positions kept
    for a, b in context:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _cue_words(text: str, naming: values.InterfaceNaming) -> str:
    """The words of a piece that say what kind of change it asks for: its bare words and its default routes."""
    routes = " ".join(t.text for t in things(text, naming) if t.kind == "default" and t.text.lower() != "default")
    return _bare(text, naming) + " " + routes


def _cued(text: str, naming: values.InterfaceNaming) -> bool:
    """Whether a piece asks for some kind of change ("move the default route from X to Y" does)."""
    return grounding.has_cues(_cue_words(text, naming))


def _subject(piece: str, before: list[Thing], naming: values.InterfaceNaming, text: str) -> tuple[str, list[Thing]]:
    """The interface(s) a piece that names none is about, by vendor name, and the things naming them:
    the last port (or list of ports: "po21 and po22") named before it for port settings ("desc ...",
    "portfast"), the last interface or VLAN for L3 ones ("a helper 10.0.0.9" after "vlan 44"); none
    when its words ask for anything else too."""
    if re.search(_spec().get("not_headed", "(?!)"), piece, re.I):
        return "", []  # "..., then delete vlan 2230 itself"
    # ("the IPv6 default route at X": no address) ("helper X same as Vlan10": no VLAN, no AS)
    kinds = set(grounding.cued_kinds(_cue_words(_without_patterns(piece, naming), naming)))
    areas = r"(?i)\barea\W*$"  # "ospf area 0.0.0.0" names no address
    if not any(t.kind == "address" and not re.search(areas, piece[: t.start]) for t in things(piece, naming)):
        for kind, rule in _spec().get("subjects", {}).items():  # "remote-as 65442" of "peer with 10.0.0.2"
            weak = {k for k, words in rule.get("weak", {}).items() if not re.search(words, piece, re.I)}
            said = [
                t
                for t in before
                if t.kind == "address"
                and (
                    re.search(rf"(?:{rule['after']})\W*$", text[max(0, t.start - 25) : t.start], re.I)
                    or rule.get("before")
                    and re.match(
                        rf"\W*(?:{rule['before']})", text[t.start + len(t.text) : t.start + len(t.text) + 40], re.I
                    )
                )
            ]
            strong = kinds - weak
            if (
                said
                and strong
                and strong <= set(rule["kinds"])
                and (kind in strong or strong <= set(rule.get("also", [])))
            ):
                new = _from_to(text, said[-1], before)  # "swap neighbor X for Y, remote-as N": Y's
                group = [new] if new else _counted_list(said[-1], before, piece, text)
                return rule["say"].format(" and ".join(t.text for t in group)), group
        kinds -= _needs_address()  # "goes into area 0" is no OSPF network statement
    for kind, named in _spec().get("containers", {}).items():  # "ospf cost 30" is about a port, not a process
        if kind in kinds and len(kinds) > 1 and not re.search(named, piece, re.I):
            kinds.discard(kind)
    ifaces = [t for t in before if t.kind == "interface"]
    only = [o for words, o in _spec().get("subject_words", {}).items() if re.search(words, piece, re.I)]
    for o in only:  # "mtu 9214 on the port-channel": the channel
        ifaces = [t for t in ifaces if re.fullmatch(o, t.text, re.I)]
    for kind in kinds & set(_spec().get("not_subjects", {})) if not only else ():  # ", lacp active": the members
        ifaces = [t for t in ifaces if not re.fullmatch(_spec()["not_subjects"][kind], t.text, re.I)]
    if not kinds or not ifaces:
        return "", []
    ports, l3 = _kinds_with("interfaces"), _kinds_with("interface")
    if kinds <= ports | {"vlan", "acl_rule"} and kinds & ports:
        ifaces = [t for t in ifaces if not is_vlan(t)]
    elif not kinds <= l3 | {"vlan", "acl_rule"}:
        return "", []
    if not ifaces:
        return "", []
    group = _counted(ifaces, piece, naming) or _last_list(ifaces, text)
    names = []
    for t in group:
        try:
            ranged = re.search(r"\d\s*(?:-|\bthrough\b|\bthru\b)\s*\w", t.text)
            names += [t.text] if ranged else naming.expand(t.text)  # a range as typed
        except NetcfgError:
            names.append(t.text)
    role = re.match(rf"(?i)\s*({_spec()['port_roles']})\b", text[group[-1].start + len(group[-1].text) :])
    role = role or re.search(rf"(?i)\b({_spec()['port_roles']})\s+$", text[: group[0].start])  # "on trunks Po1 and Po2"
    return ", ".join(names) + (f" {role.group(1)}" if role else ""), group  # "ae2 and xe-0/0/47 trunks: ..., remove X"


def _port_words(piece: str, naming: values.InterfaceNaming) -> bool:
    """Whether a piece asks for a port setting ("voice vlan 30": its VLAN is no SVI)."""
    return bool(_kinds_with("interfaces") & set(grounding.cued_kinds(_bare(piece, naming))))


@lru_cache(maxsize=None)
def _needs_address() -> frozenset:
    """The kinds of change that cannot be meant without an address or prefix."""
    return frozenset(
        k
        for k, d in intent.kinds().items()
        if any(f["type"] in _ADDRESS_TYPES + ("ipv4",) and not f.get("optional") for f in d["fields"].values())
    )


@lru_cache(maxsize=None)
def _kinds_with(field_type: str) -> frozenset:
    """The kinds of change with a field of this type: "interfaces" (port settings), "interface" (L3)."""
    return frozenset(k for k, d in intent.kinds().items() if any(f["type"] == field_type for f in d["fields"].values()))


def _one_list(text: str, sep: re.Match, found: list[Thing]) -> bool:
    """Whether a separator joins two items of one list ("neighbors 10.0.0.1 and 10.0.0.5 remote-as 1"):
    a thing right before it and one of the same sort right after it."""
    if not re.fullmatch(r"\s*(?:,|and|&|or)?\s*(?:and\s*)?", sep.group(0), re.I):
        return False
    left = next(
        (
            t
            for t in found
            if t.start + len(t.text) == sep.start()  # "2801-2804 and 2810": to the range's end
            or t.kind == "number"
            and re.fullmatch(r"\s*-\s*\d+", text[t.start + len(t.text) : sep.start()])
        ),
        None,
    )
    right = next((t for t in found if t.start == sep.end()), None)
    if right and right.kind == "interface" and re.search(r"\b(?:it|them)$", text[: sep.start()], re.I):
        return True  # "put it and vl2760 into ospf 15"
    return bool(left and right and left.kind == right.kind and is_vlan(left) == is_vlan(right)) or _choices(text, sep)


def _listed_choices(text: str) -> list[Thing]:
    """Choices of one field the request lists ("broadcast, multicast and unknown unicast storm control"), each
    as Thing("choice", the word as written, where, (kind, field, choice))."""
    said = _said(text)
    out: dict[int, Thing] = {}
    for a in said:
        word = re.match(r"[\w-]+", text[a.start :])
        for b in said:
            gap = text[a.start + len(word.group(0)) : b.start] if word else "-"
            if (
                _choice(a)[:2] == _choice(b)[:2]
                and _choice(a)[2] != _choice(b)[2]
                and re.fullmatch(r"\s*(?:,|and|&|or|/)\s*(?:and\s+|or\s+)?(?:[a-z]+\s+)?", gap, re.I)
            ):
                for t in (a, b):
                    w = re.match(r"[\w-]+", text[t.start :])
                    out[t.start] = Thing("choice", w.group(0) if w else t.text, t.start, _choice(t))
    return [out[k] for k in sorted(out)]


def _choice_words(text: str) -> list[Thing]:
    """Where the request says a choice of some field, as Thing("choice", the word as written, where, (kind, field,
    choice))."""
    out = []
    for t in _said(text):
        w = re.match(r"[\w-]+", text[t.start :])
        word = w.group(0) if w else t.text
        if not grounding.kept_word(text, t.start, t.start + len(word)):  # "leave preempt as it is"
            out.append(Thing("choice", word, t.start, _choice(t)))
    return out


def _takes(change: dict, choice: tuple) -> bool:
    kind, field, value = choice
    return change.get("kind") == kind and str(change.get(field)) == value


def _word_of_another(t: Thing, choices: list[Thing], text: str, changes: list[dict]) -> bool:
    """Whether a choice word belongs to another change of the answer: a choice of it another change takes ("community
    A ro" beside a user), or it or the word after it cues another kind the answer has ("make lo0 passive", "a
    static route") where the words around it do not cue its own kind ("shut the port on violation" is port security's)."""
    if any(o.start == t.start and any(_takes(c, o.kinds) for c in changes) for o in choices):
        return True
    others = {c.get("kind") for c in changes} - {t.kinds[0]}
    word = re.match(r"\S+(?:\W+\w+)?", text[t.start :])
    starts = [m.end() for m in re.finditer(r"[,;.!?](?=\s)|\b(?:and|then)\b", text[: t.start])]
    ends = [m.start() for m in re.finditer(r"[,;.!?](?=\s|$)|\b(?:and|then)\b", text[t.start :])]
    piece = text[starts[-1] if starts else 0 : t.start + ends[0] if ends else len(text)]
    return (
        word is not None
        and any(k in others for k in grounding.cued_kinds(word.group(0)))
        and t.kinds[0] not in grounding.cued_kinds(piece)
        and not re.search(rf"\b{t.kinds[1][:6]}", piece, re.I)  # "shut the port on violation": the field's own name
    )


def replaced_choices(text: str, words: list[Thing] | None = None) -> list[tuple[Thing, Thing]]:
    """(old, new) choices of one field the request replaces, each as Thing("choice", the word as written, where,
    (kind, field, choice)): "redistribute connected instead of static", "violation from restrict to shutdown".
    `words`: the request's `_choice_words`, where already read."""
    words = _choice_words(text) if words is None else words
    out = []
    for t in words:
        others = [y for y in words if y.kinds[:2] == t.kinds[:2] and y.kinds[2] != t.kinds[2]]
        y = _from_to(text, t, others)
        if y is not None:
            out.append((t, y))
    return out


def _choices(text: str, sep: re.Match) -> bool:
    """Whether a separator joins two choices of one field ("broadcast and unknown unicast storm control at 6%"):
    a listed choice ends right before it, and another starts after it (or one word after it)."""
    listed = _listed_choices(text)
    return any(t.start + len(t.text) == sep.start() for t in listed) and any(
        t.start >= sep.end() and re.fullmatch(r"(?:[a-z]+\s+)?", text[sep.end() : t.start], re.I) for t in listed
    )


def clauses(text: str, naming: values.InterfaceNaming, orphans: bool = False, fine: bool = False) -> list[Clause]:
    """The request split at ';', ', ', ' and ', ' then ' ...; a piece that asks for nothing by itself
    ("gi0/1" of "gi0/1, gi0/3 in vlan 30") stays with its neighbour, and so do the items of one list
    ("ntp 10.0.0.1 and 10.0.0.2"). Pronouns become what they point to: "give it 10.44.0.1/24" after
    "create vlan 44" is "give vlan 44 10.44.0.1/24"; a piece about an interface that names none is
    headed by the one it is about ("GigabitEthernet0/5: portfast"). With `orphans`, a piece that asks
    for nothing and follows one that does ("and 10.9.9.9") is a clause of its own, marked orphan.
    A piece that gives an interface an address ("lo2 gets 10.0.0.2/32") asks for something; `fine` also
    splits off a piece that starts with a verb and names a thing ("..., and add FacOps-RW77 read-write"),
    which may then lack the words of its kind."""
    found = things(text, naming)
    verb = _verbs()
    spans, pos = [], 0
    colons = [
        m
        for m in re.finditer(r":\s+", text)  # "ospf 12 rid 10.255.12.9: eth1/49 in area 0" is two
        if any(t.kind == "address" and t.start < m.start() for t in found)
    ]
    labels = [
        m
        for m in re.finditer(rf"\s+(?=(?:{_spec()['split_before']})\b)", text, re.I)
        if ([t.kind for t in found if t.start < m.start()] or [""])[-1] == "interface"
        or re.search(r"\b(?:on|to)\s+(?:it|them|both)$", text[: m.start()], re.I)
    ]  # "eth1/41-44 access in it labelled 'X'", "run ospf 10 area 0 on it as point-to-point"
    # "(remote-as 64834, desc EAST-PE)" is one, and so is a quoted text ("Authorized access only - all is logged")
    whole = [m.span() for m in re.finditer(r"\([^()]*\)", text)] + [m.span() for m in QUOTED.finditer(text)]
    for m in sorted([*_SPLIT.finditer(text), *colons, *labels], key=lambda m: m.start()):
        if m.start() > pos and not _one_list(text, m, found) and not any(a < m.start() < b for a, b in whole):
            spans.append([pos, m.start()])
            pos = m.end()
    if pos < len(text):
        spans.append([pos, len(text)])
    merged: list[list] = []  # [start, end] and "orphan" for a piece of values alone
    carry = None
    for a, b in spans:
        own_words = text[a:b]  # (a pronoun of a sentence carried along is no pronoun of this piece)
        if carry is not None:
            a, carry = carry, None
        piece = text[a:b]
        inner = things(piece, naming)
        sorts = {
            "address" if t.kind == "address" else "port" if t.kind == "interface" and not is_vlan(t) else ""
            for t in inner
        }
        if (
            _only_where(piece, naming)
            and merged
            and _more_where(text[merged[-1][0] : merged[-1][1]], text[merged[-1][1] : a])
        ):
            merged[-1][1] = b  # "run ospf 7 area 0 on it and on Gi0/0/1": one list of where the change goes
        elif _only_where(piece, naming):
            carry = a  # "On trunks Po3 and Po4, prune vlan 2230": what it is about comes next
        elif merged and _continues(piece, text[merged[-1][0] : a], naming):
            merged[-1][1] = b  # "VRRP group 34 with virtual address X, priority 150": the VRRP group's priority
        elif (
            _cued(piece, naming)
            or (_PRONOUN.search(own_words) and inner)
            or _bare_removal(piece, [t for t in found if t.start < a], text)
            or {"address", "port"} <= sorts
            or (fine and inner and re.match(rf"(?:{verb})\b", piece, re.I))
        ):
            merged.append([a, b])
        elif (
            merged
            and orphans
            and not re.search(
                r"[a-z]{2,}",
                re.sub(r"(?i)\b(?:and|or|also|plus|then|the|an?|too|as well)\b", " ", _bare(piece, naming)),
                re.I,
            )
        ):
            merged.append([a, b, "orphan"])  # nothing but values: "and 10.9.9.9"
        elif merged and re.match(r"(?i)(?:on|for|at)\b", piece) and any(t.kind == "interface" for t in inner):
            carry = a  # "..., and on eth1/1-2 where the APs hang, turn cdp off": what it is about comes next
        elif merged and not re.search(r";|\.\s|\n", text[merged[-1][1] : a]):
            merged[-1][1] = b
        else:  # what opens the request, or a sentence, and asks nothing yet says what comes next
            carry = a  # "; Et45 comes back into service, no shut"
    quoted = [m.span() for m in QUOTED.finditer(text)]
    if (
        carry is not None
        and merged
        and not (  # (a last sentence that keeps something: "... Don't touch Gi1/0/7.")
            re.search(r";|\.\s|\n", text[merged[-1][1] : carry])
            and not any(x < carry < y for x, y in quoted)
            and state_only(text[carry:])
        )
    ):
        merged[-1][1] = len(text)
    elif carry is not None:
        merged.append([carry, len(text)])
    out = []
    last = (0, 0)
    for a, b, *orphan in merged:
        own = _own_address(text, a, b, found)
        if orphan and not own:
            out.append(Clause(text[a:b], a, b, orphan=True))
            continue
        inside = [t for t in found if a <= t.start < b]
        before = [t for t in found if t.start < a and not _pattern(t, text)]
        piece, refs = _resolve(own or text[a:b], inside, before, text, naming)
        removed = _bare_removal(text[a:b], before, text)
        if removed:  # "..., then delete both": both of the list before, with the word that says what they are
            piece, refs = re.sub(_PLURAL, removed[0], text[a:b], count=1, flags=re.I), removed[1]
        if (
            re.fullmatch(r"\s+and\s+", text[last[1] : a], re.I)
            and not re.search(rf"(?<![\w-])(?:{verb})(?![\w-])", piece, re.I)  # ("bpdu-block" holds no verb)
            and not re.search(r"\binstead\b", piece, re.I)  # "remove it and peer with Y instead": Y is new
            and re.search(_spec().get("removes", "(?!)"), text[last[0] : last[1]], re.I)
        ):
            piece = f"remove {piece}"  # "remove its address A and helper B": the helper goes too
        last = (a, b)
        group = list(refs)
        if refs and not _subject_words(text[a:b]):  # ("the loopback" of a list is itself only)
            # "give it 10.44.0.1/24": it is vlan 44, and what its own clause says of it
            at = next(((x, y) for x, y, *_ in merged if x <= refs[-1].start < y), None)
            # (a port "both" or "them" does not stand for is none of it: "bundle A and B into Po2, desc X on both")
            ports = sum(r.kind == "interface" and not is_vlan(r) for r in refs) > 1
            refs += [
                t
                for t in found
                if at
                and at[0] <= t.start < at[1]
                and t not in refs  # None: between clauses
                and not (ports and t.kind == "interface" and not is_vlan(t))
            ]
        # "CHG-4471 Et17-20: ...", "leaf3: ..."; "rtr-br12: move X from A to B" (remove X via A, not "rtr-br12:")
        piece = without_tickets(piece, naming)
        gone, piece = _retired(piece, text[b:])
        if not piece:
            out.append(Clause(gone[0], a, b, refs=tuple(refs), group=tuple(group)))
            continue
        piece = _one(piece, out, naming)
        subject, named = _subject(piece, before, naming, text)
        if subject and not removed and _heads(piece, named, before, naming):
            piece = f"{subject}: {piece}"  # "a helper 10.0.0.9" after "vlan 44", "native 99" of a ticket
            refs += named
            group += named
        said_as = _respectively(piece, naming) or replacing(piece, naming, bool(re.search(_SWAP, text[:a], re.I)))
        for said in gone + (said_as or [piece]):  # "swap X for Y"
            out.append(Clause(said, a, b, refs=tuple(refs), group=tuple(group)))
    return _headed(text, out, naming)


def _headed(text: str, out: list[Clause], naming: values.InterfaceNaming) -> list[Clause]:
    """ "snmp: add community A read-only, drop 'public'; dns ...": a heading that names a kind of change heads each
    clause of its sentence ("snmp: drop 'public'")."""
    head = re.match(r"([A-Za-z][\w.-]*(?:\s+[\w.-]+)?):\s+", text)
    if (
        not head
        or not grounding.cued_kinds(head.group(1))
        or things(head.group(1), naming)
        or re.search(
            r"(?i)\b(?:maint\w*|tonight|today|tomorrow|now|asap|change|ticket|fyi|note|update|request)\b", head.group(1)
        )
    ):
        return out
    end = re.compile(r";|\.\s|\n").search(text, head.end())
    stop = end.start() if end else len(text)
    return [
        replace(c, text=f"{head.group(1)}: {c.text}")
        if head.end() < c.start < stop and not c.orphan and not c.text.lower().startswith(head.group(1).lower())
        else c
        for c in out
    ]


_PLURAL = r"\b(?:both(?: of them)?|them(?: both| all)?|all of them|these|those)\b"
_LIKE = re.compile(
    r"\b(?:like|same as|as on|similar to|matching|mirroring|copy of|copied from)\s+(?:the\s+|port\s+|interface\s+)*$",
    re.I,
)


def _pattern(t: Thing, text: str) -> bool:
    """Whether an interface is named as the pattern to copy ("set them up like Et8", "a trunk like eth1/50"): what
    the request changes is never it, so no pronoun or subject stands for it."""
    return _like_at(t, text) is not None


def _like_at(t: Thing, text: str) -> int | None:
    """Where the words that name an interface as the pattern to copy ("same as", "like") start, if they do."""
    m = _LIKE.search(text[max(0, t.start - 30) : t.start]) if t.kind == "interface" else None
    return max(0, t.start - 30) + m.start() if m else None


def _only_where(piece: str, naming: values.InterfaceNaming) -> bool:
    """Whether a piece only says which ports the next one is about: "On trunks Po3 and Po4"."""
    ports = [t for t in things(piece, naming) if t.kind == "interface" and not is_vlan(t)]
    bare = piece
    for t in ports:
        bare = bare[: t.start] + " " * len(t.text) + bare[t.start + len(t.text) :]
    bare = re.sub(rf"(?i)\b(?:{_spec()['port_roles']}|ports?|interfaces?|trunk|uplinks?|the|both|and|all)\b", " ", bare)
    return bool(ports) and re.fullmatch(r"(?i)\W*(?:on|for|at|across)\W*", bare) is not None


def _more_where(last: str, gap: str) -> bool:
    """Whether a piece that only says where ("on Gi0/0/1") goes on with the list the piece before ends with: "run
    ospf 7 area 0 on it and on Gi0/0/1"."""
    return (
        re.fullmatch(r"(?i)\s+and\s+", gap) is not None
        and re.search(r"(?i)\b(?:on|to|in|into)\s+\S+$", last) is not None
    )


def _continues(piece: str, last: str, naming: values.InterfaceNaming) -> bool:
    """Whether a piece only says more of the change the piece before it asks for, in words of that kind's own
    (intent.yaml `continued_by`: "HSRP group 27 on it: virtual IP X, priority 110, preempt"), in one sentence."""
    words = [w for k, w in _spec().get("continued_by", {}).items() if k in grounding.cued_kinds(_bare(last, naming))]
    rest = _bare(piece, naming)
    for w in words:
        rest = re.sub(w, " ", rest, flags=re.I)
    return (
        bool(words)
        and not re.search(r"[.;!?]\s", last)
        and not any(t.kind == "interface" for t in things(piece, naming))
        and re.fullmatch(r"(?i)\W*(?:(?:and|with|a|an|the|on|of|at|to|set|its)\W+)*", rest + " ") is not None
    )


def _bare_removal(piece: str, before: list[Thing], text: str) -> tuple[str, list[Thing]] | None:
    """A piece that only removes what it points to ("then delete both", "and remove them") and the list it points
    to: the last list of two or more things of one kind before it, said with the word in front of the list ("vlans
    50 and 60"), and those things; else None. Such a piece asks for a change of its own, of the kind of the list."""
    negations = "|".join(map(re.escape, intent.spec()["negations"]))
    if not before or not re.fullmatch(
        rf"\W*(?:(?:and|then|also|finally)\W+)*(?:{negations})\s+{_PLURAL}\W*", piece, re.I
    ):
        return None
    group = next((g for g in _lists_back(before, text) if len(g) > 1 and len({t.kind for t in g}) == 1), None)
    if group is None:
        return None
    noun = re.search(r"([A-Za-z][\w-]*)\s+$", text[: group[0].start])
    said = text[group[0].start : group[-1].start + len(group[-1].text)]
    return (f"{noun.group(1)} {said}" if noun and _noun(noun.group(1)) else said), group


def _noun(word: str) -> bool:
    """Whether a word names a kind of thing ("vlans", "ntp"), not what to do with it ("shut")."""
    return grounding.has_cues(word) and not re.fullmatch(rf"(?:{_verbs()})\w*", word, re.I)


def _own_address(text: str, a: int, b: int, found: list[Thing]) -> str:
    """A piece of one host address alone after a port it is about ("Et49/1: no switchport, 10.31.0.5/31, ..."):
    that port's address, said so; else ""."""
    piece = text[a:b].strip()
    head = re.match(r"(?i)\s*(?:[\w./-]+\s+){0,3}?([\w./-]*\d)\s*:\s", text)
    if not head or head.end() > a or not any(t.kind == "interface" and t.text == head.group(1) for t in found):
        return ""
    try:
        net = ipaddress.ip_interface(re.sub(r"\s+", "/", piece))
    except ValueError:
        return ""
    host = net.ip != net.network.network_address or net.network.prefixlen >= net.max_prefixlen - 1
    return f"ip address {piece}" if "/" in str(net) and host and ("/" in piece or " 255." in piece) else ""


def without_tickets(text: str, naming: values.InterfaceNaming | None = None) -> str:
    """The request as the model sees it: a ticket number outside quotes ("INC-20931 eth1/21-24: ...")
    or a device named as context ("leaf3-dc1: ...", "on rtr-edge-01") is no value, and a small model
    takes it for one."""

    def drop(m: re.Match) -> str:
        return m.group(0) if text[: m.start()].count('"') % 2 or text[: m.start()].count("'") % 2 else " "

    if naming is not None:
        for a, b in reversed(devices(text, naming)):
            text = text[:a] + " " + text[b:]

    said = re.sub(
        rf"(?i)\s*[/:-]*\s*(?:\b(?:per|under|for|ref|re)\W+)?{_spec().get('tickets', '(?!)')}\s*[/:-]*\s*", drop, text
    )
    return re.sub(r"\s+", " ", said).strip(" ,;:/-") or text


def _retired(piece: str, later: str) -> tuple[list[str], str]:
    """A piece that opens by retiring what the request replaces ("peer X is being retired, peer with Y instead"):
    (["remove neighbor X"], the rest of the piece); else ([], the piece)."""
    retired = re.match(rf"{_RETIRED}(?:\W*$|\s*[,;]\s+(?=\S))", piece, re.I)
    rest = piece[retired.end() :] if retired else ""
    if not retired or not re.search(r"\binstead\b|\breplacement\b", rest + later, re.I):
        return [], piece
    return [f"remove {_retired_said(retired.group(1), rest + later)}"], rest


def _without_patterns(piece: str, naming: values.InterfaceNaming) -> str:
    """The piece without the ports it names as the pattern to copy, and the words that say so ("same as Vlan10")."""
    for t in reversed(things(piece, naming)):
        at = _like_at(t, piece)
        if at is not None:
            piece = piece[:at] + " " + piece[t.start + len(t.text) :]
    return piece


def _heads(piece: str, named: list[Thing], before: list[Thing], naming: values.InterfaceNaming) -> bool:
    """Whether the subject `_subject` found for a piece goes in front of it: where the piece names no interface
    of its own (the pattern to copy is none), or it is a peer whose piece names only a loopback ("source it from
    Loopback0": a value) and no address came after the peer ("..., and the remaining one, 10.0.0.2, ...")."""
    ports = [t for t in things(piece, naming) if t.kind == "interface" and not _pattern(t, piece)]  # ("like eth1")
    if not any(not (is_vlan(t) and _port_words(piece, naming)) for t in ports):
        return True
    return (
        named[0].kind == "address"
        and all(re.fullmatch(r"(?i)lo(?:opback)?\s*\d*", t.text) for t in ports)
        and not any(t.kind == "address" and t.start > named[-1].start for t in before)
    )


def _retired_said(what: str, rest: str) -> str:
    """What a request retires, said as the object its replacement is: "203.0.113.5 is being decommissioned, peer
    with 203.0.113.13 instead" retires neighbor 203.0.113.5 (`subjects` words before the new address)."""
    if re.search(r"[A-Za-z]", what) or not re.fullmatch(r"[\d.:/]+", what.strip()):
        return what
    for rule in _spec().get("subjects", {}).values():
        if re.search(rf"(?:{rule['after']})\W*\d", rest, re.I):
            return rule["say"].format(what.strip())
    return what


def _one(piece: str, earlier: list, naming: values.InterfaceNaming) -> str:
    """ "a read-write one called X" after "snmp community A read-only": one is an snmp community."""
    m = re.search(r"(?i)\b(?:a|an|another)\s+(?:[\w-]+\s+){0,2}?(one)\b", piece)
    if not m or not earlier:
        return piece
    head = earlier[-1].text
    first = things(head, naming)
    head = head[: first[0].start] if first else ""
    head = re.sub(rf"(?i)^\W*(?:(?:{_verbs()}|new|an?|the)\b\s*)*", "", head).strip(" :,")
    return piece[: m.start(1)] + head + piece[m.end(1) :] if head and grounding.has_cues(head) else piece


def state_only(piece: str) -> bool:
    """Whether a clause only says how things were (`coverage.state_only`): it asks for no change."""
    rule = _spec().get("state_only", {})
    kept = re.sub(rule.get("states", "(?!)"), " ", piece, flags=re.I) if rule else piece  # ("stays shut")
    return bool(
        rule
        and re.search(rule["words"], piece, re.I)
        and not re.search(rule["unless"], piece, re.I)
        and not re.search(rf"\b(?:{_verbs()})\b", kept, re.I)
    )


def asks_nothing(piece: str, naming: values.InterfaceNaming) -> bool:
    """Whether a clause asks for no change: it only says how things were (`state_only`), or it names no value
    but interfaces, with no words of a kind of change and no verb ("It's now plugged into Gi3/0/8", "we're done
    with the tunnel"). Its things are still checked with the whole request's."""
    return state_only(piece) or (
        all(t.kind == "interface" for t in things(piece, naming))
        and not _cued(piece, naming)
        and not _kind_words(piece, naming)
        and not re.search(rf"\b(?:{_verbs()})\b|{_spec().get('removes', '(?!)')}", piece, re.I)
    )


def _verbs() -> str:
    """The verbs that start a change of their own (`coverage.verbs`), as one regex alternation."""
    return "|".join(_spec().get("verbs", [])) or "(?!)"


_COUNTS = {
    "both": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def _counted(ifaces: list[Thing], piece: str, naming: values.InterfaceNaming) -> list[Thing]:
    """The ports a piece counts ("portfast on all three" after "Et5-6 ..., Et7 ..."): the last ones named
    before it that make exactly that many; none when the piece gives no count or no run of them makes it."""
    m = re.search(_spec().get("subject_count", "(?!)"), piece, re.I)
    if not m:
        return []
    word = next(g for g in m.groups() if g).lower()
    want = _COUNTS.get(word) or int(word)
    group: list[Thing] = []
    names: set[str] = set()
    for t in reversed(ifaces):
        names |= expand_ports(naming, t.text)
        group.insert(0, t)
        if len(names) >= want:
            break
    return group if len(names) == want else []


def _subject_words(piece: str) -> str | None:
    """The names a piece's words pick among the interfaces before it ("the loopback": lo0), as a regex."""
    return next((o for w, o in _spec().get("subject_words", {}).items() if re.search(w, piece, re.I)), None)


_LIST_GAP = re.compile(r"\s*(?:,|and|&|\+|,\s*and)\s*", re.I)


def _counted_list(first: Thing, before: list[Thing], piece: str, text: str) -> list[Thing]:
    """`first`, with the things of its kind listed right after it when the piece counts them ("neighbors
    A and B, both remote-as 65000": A and B); else `first` alone."""
    group = [first]
    if not re.search(_spec().get("subject_count", "(?!)"), piece, re.I):
        return group
    for t in before[before.index(first) + 1 :]:
        gap = text[group[-1].start + len(group[-1].text) : t.start]
        if t.kind != first.kind or not _LIST_GAP.fullmatch(gap):
            break
        group.append(t)
    return group


def _last_list(items: list[Thing], text: str) -> list[Thing]:
    """The last item, with the items before it that make one list with it ("po21 and po22")."""
    group = [items[-1]]
    for t in reversed(items[:-1]):
        if not _LIST_GAP.fullmatch(text[t.start + len(t.text) : group[0].start]):
            break
        group.insert(0, t)
    return group


def _lists_back(items: list[Thing], text: str):
    """The lists `items` make (_last_list), the last one first, then each one ending before it."""
    return (_last_list(items[:i], text) for i in range(len(items), 0, -1))


_REPLACE_VERB = r"(?:swap|replace|exchange|change|move|use|point|switch|update|renumber|re-?address)"


def replacing(piece: str, naming: values.InterfaceNaming, swapping: bool = False) -> list[str] | None:
    """A piece that replaces an old value X by a new one Y, said as plain changes: "swap ntp X for Y"
    is "remove ntp X" and "add ntp Y"; of a single-valued setting only the new value is said: "ospf
    cost from 20 to 45" is "ospf cost to 45". `swapping`: a swap was said before the piece. None when
    the piece replaces nothing (an ACL's "from X to Y" is a source and a destination; "vlans from 10
    to 20" a range)."""
    lead = re.match(r"(?s)^(.*[.;!?]\s+)(?=[A-Za-z])", piece)  # a sentence of context before ("X is retired tonight.")
    if lead:
        said = replacing(piece[lead.end() :], naming, swapping)
        return None if said is None else [lead.group(1) + s for s in said]
    found = things(piece, naming)
    kinds = set(grounding.cued_kinds(_bare(piece, naming) + " ".join(t.text for t in found if t.kind == "default")))
    if "acl_rule" in kinds:
        return _narrowed(piece, found)
    if not kinds:
        return None
    ports = _kinds_with("interfaces") | _kinds_with("interface")
    named = any(t.kind == "interface" for t in found)  # a port's setting is one only of a port named
    single = bool({k for k in kinds & set(_spec().get("single_valued", [])) if named or k not in ports}) and not any(
        k in kinds and not re.search(words, piece, re.I) for k, words in _spec().get("multi_valued", {}).items()
    )
    old = re.search(
        rf"(?i)\b{_SWAP}\s+(?:out\s+)?the\s+(?:old|current|existing|present)\s+(.+?)\s+(?:for|with|by)\s+(?=\S)", piece
    )
    if old and single:  # "swap the old voice vlan for voice vlan 2616": set voice vlan 2616
        rest = piece[old.end() :]
        noun = "" if old.group(1).lower() in rest.lower() else old.group(1)
        return [re.sub(r"\s+", " ", f"{piece[: old.start()]} set {noun} {rest}").strip()]
    for x in found:
        y = _from_to(piece, x, found, swapping)
        if y is None or x.kind == "number" and re.search(r"(?i)\bvlans\b|allowed|range|through", piece):
            continue
        before = piece[: x.start]
        old = re.search(rf"(?i)\s*\b(?:instead of|rather than|in place of|from)\W+{_FROM_WORDS}$", before)
        cut = (old.start(), x.start + len(x.text)) if old else (x.start, y.start)  # "swap X for Y": X for
        if old and old.group(0).strip().lower().startswith("from") and not single:
            cut = (old.start(), y.start)  # "the syslog host from X to Y": add the syslog host Y
        word = re.match(r"[A-Za-z]+\s*", x.text) or re.search(r"(?i)\bfrom\W+([A-Za-z]+\s*)$", before)
        tail = piece[cut[1] :]
        if word and y.text[:1].isdigit():  # "from vlan 1522 to 1539": to vlan 1539; "from area 0 to area 5"
            at = y.start - cut[1]
            noun = word.group(word.lastindex or 0)
            if not re.search(rf"(?i)\b{re.escape(noun.strip())}\W*$", tail[:at]):
                tail = tail[:at] + noun + tail[at:]
        new = re.sub(r"\s+", " ", piece[: cut[0]] + " " + tail).strip()
        if (
            single and x.kind != "address"
        ):  # no single-valued setting holds an address: "replace helper X with Y on vlan 30"
            return [new]
        if re.search(_SWAP, new, re.I):
            new = "add " + re.sub(rf"(?i){_SWAP}\s*", "", new, count=1).strip()
        elif re.search(r"(?i)(?:^|:\s*)(?:move|renumber|re-?address)\b", new):  # "move X from area 0 to area 5": X
            new = re.sub(r"(?i)((?:^|:\s*))(?:move|renumber|re-?address)\b", r"\1add", new, count=1)  # to area 5
        elif not re.search(rf"(?i)\b(?:{_verbs()})\b", new):
            new = "add " + new  # "the syslog host to 10.77.12.40"
        at = new.find(y.text)
        gone = re.sub(rf"(?i)\b(?:add|{_REPLACE_VERB})\b\s*", "", new[:at]).strip()
        gone = re.sub(r"(?i)\s*\bto$", "", gone)
        items = "|".join(re.escape(t.text) for t in found if t.kind == y.kind and t is not x)
        if items:  # "use ntp A and B instead of C": remove ntp C, not A
            gone = re.sub(rf"(?i)(?:\s*(?:,|\band\b|&)?\s*(?:{items}))+\s*(?:,|\band\b|&)$", "", gone).strip()
        if word and re.search(rf"(?i)\b{re.escape(word.group(0).strip())}$", gone):
            gone = gone[: -len(word.group(0).strip())]  # "swap vlan X for Y": remove vlan X
        after = new[at + len(y.text) :]
        if items:  # "replace name-server X with Y and Z": remove name-server X, not Z
            after = re.sub(rf"(?i)^(?:\s*(?:,|\band\b|&)\s*(?:{items}))+", "", after)
        said = [re.sub(r"\s+", " ", f"remove {gone} {x.text}{after}").strip(), new]
        if "/" not in x.text + y.text and x.kind == "address":  # "the default route from A to B": via A, via B
            hop = rf"(?i)(\bdefault(?: route| gateway)?|\broute|\bgateway|/\d+)\s+(?=(?:{re.escape(x.text)}|{re.escape(y.text)})\b)"
            said = [re.sub(hop, r"\1 via ", p) for p in said]
        return said
    return None


def _respectively(piece: str, naming: values.InterfaceNaming) -> list[str] | None:
    """ "e8 and e9: A and B respectively" said as "e8: A" and "e9: B": the first list of things
    paired with the last one, in order, when both have the same length."""
    m = re.search(r"(?i)[\s,]*\brespectively\b", piece)
    if not m:
        return None
    runs: list[list[Thing]] = []
    for t in things(piece[: m.start()], naming):
        if runs and re.fullmatch(
            r"\s*(?:,|\band\b|&)?\s*(?:and\s+)?", piece[runs[-1][-1].start + len(runs[-1][-1].text) : t.start], re.I
        ):
            runs[-1].append(t)
        else:
            runs.append([t])
    if len(runs) < 2 or len(runs[0]) != len(runs[-1]) or len(runs[0]) < 2:
        return None
    first, last = runs[0], runs[-1]
    word = re.match(r"[A-Za-z]+\s*", last[0].text)
    out = []
    for a, b in zip(first, last):
        value = (word.group(0) if word and b.text[:1].isdigit() else "") + b.text  # "vlan 10 and 20": vlan 20
        said = (
            piece[: first[0].start]
            + a.text
            + piece[first[-1].start + len(first[-1].text) : last[0].start]
            + value
            + piece[last[-1].start + len(last[-1].text) : m.start()]
            + piece[m.end() :]
        )
        out.append(re.sub(r"\s+", " ", said).strip(" ,"))
    return out


def _narrowed(piece: str, found: list[Thing]) -> list[str] | None:
    """An ACL line whose source is replaced: "change the ssh permit from 10.170.0.0/16 to just
    10.170.12.0/24" is "remove the ssh permit from 10.170.0.0/16" and "add the ssh permit from
    10.170.12.0/24" ("permit from X to Y" alone is a source and a destination)."""
    m = re.search(rf"(?i)\b{_REPLACE_VERB}\b(.*?)\bfrom\s+(\S+)\s+to\s+(?:just|only)\s+(\S+)", piece)
    if not m or not all(any(t.text == v and t.kind == "address" for t in found) for v in m.group(2, 3)):
        return None
    head, what, tail = piece[: m.start()], m.group(1).strip(), piece[m.end() :]
    return [
        re.sub(r"\s+", " ", f"{head} {verb} {what} from {v}{tail}").strip()
        for verb, v in (("remove", m.group(2)), ("add", m.group(3)))
    ]


def is_vlan(t: Thing) -> bool:
    """Whether an interface the request names is a VLAN (or its SVI), not a port."""
    return re.match(r"(?i)(?:vlan|vl|svi)(?:\b|(?=\d))", t.text) is not None  # vlan 30, Vlan30, vl30


def _resolve(
    piece: str, inside: list[Thing], before: list[Thing], text: str, naming: values.InterfaceNaming
) -> tuple[str, list[Thing]]:
    """Replace the first pronoun in a piece by the thing(s) it most likely names, from earlier pieces
    ("them" after "gi0/1 and gi0/2" is both); the piece, and those things."""
    o = _ORDINAL.search(piece)
    ports = [t for t in before if t.kind == "interface" and not is_vlan(t)]
    pair = _last_list(ports, text) if o and ports else []
    if o and len(pair) == 2:  # "Et11 and Et12 are in vlan 50; the second one gets shut": Et12
        one = pair[0] if o.group(1).lower() in ("first", "former") else pair[1]
        return piece[: o.start()] + one.text + piece[o.end() :], [one]
    m = _PRONOUN.search(piece)
    if not m or not before:
        return piece, []
    if m.group(1).lower() == "both" and re.search(r"\b(?:are|were|stay|remain)\s+$", piece[: m.start()], re.I):
        return piece, []  # "Et11 and Et12 are both in vlan 50": the ports before, no pronoun
    if re.search(r"\(\s*$", piece[: m.start()]) and re.match(r"(?:'s|\s+(?:is|was|are|were)\b)", piece[m.end() :]):
        return piece, []  # "remove vlan 90 (it was the old voice vlan)": a remark on what it follows
    names = [t for t in before if t.kind == "name"]
    unquoted = [t for t in names if text[t.start - 1 : t.start] not in ("'", '"')]
    vlans = [t for t in before if (t.kind == "interface" and is_vlan(t))]
    ifaces = [t for t in before if t.kind == "interface"]
    word = m.group(1).lower()
    after_place = re.search(r"(?i)\b(?:in|into|to|onto|on|of|from|for|with|off)\s+$", piece[: m.start()])
    if (word == "there" or word in ("it", "its") and not after_place) and any(
        t.kind == "interface" and not is_vlan(t) or word == "it" and t.kind == "address" and "/" in t.text
        for t in things(piece[: m.start()], naming)
    ):
        return piece, []  # "shut Gi2/0/5, nothing is patched there now": the piece's own port (or route)
    if word.startswith(("the ", "that ")):  # "delete the vlan", "from that same subnet": the one named before
        addresses = [t for t in before if t.kind == "address"]
        if re.search(r"subnet|prefix|network|range", word):
            addresses = [t for t in addresses if re.search(r"/|\s", t.text)]
        named = _subject_words(word)
        if named:  # "make the loopback passive" after "lo0 and gi0/1": lo0
            addresses = [t for t in ifaces if re.fullmatch(named, t.text, re.I)]
        pick = {"vlan": vlans, "svi": vlans, "acl": names}.get(word.split()[1], addresses)
        target = _last(pick)
    elif _ATTACH.search(piece) and unquoted and any(t.kind == "interface" for t in inside):
        target = unquoted[-1]  # "apply it inbound on vlan 5": the ACL, never a quoted description
    elif ifaces and re.search(r"\b(?:on|onto|at|off|of)\s+$", piece[: m.start()], re.I):
        ports = [t for t in ifaces if not is_vlan(t)] if not any(t.kind == "address" for t in inside) else []
        target = (ports or ifaces)[-1]  # "run ospf on it and on lo0", "allow 2622 on it" after po14's native vlan
    elif any(t.kind == "interface" and not is_vlan(t) and not _pattern(t, text) for t in inside):
        target = _last(vlans or names)  # "allow it on po12": the VLAN (never "... like Ethernet4 has")
        channel = _spec().get("not_subjects", {}).get("port_channel", "(?!)")
        if target is None and any(re.fullmatch(channel, t.text, re.I) for t in inside):
            target = _last([t for t in ifaces if not is_vlan(t)])  # "add it to port-channel 10": the member port
    else:  # "label it 'guest kiosk'" after "move gi1/0/22 to vlan 853": the port
        ports = [t for t in ifaces if not is_vlan(t)] if _port_words(piece, naming) else []
        routes = [t for t in before if t.kind == "address" and re.search(r"/|\s", t.text)] if word == "it" else []
        target = _last(ports or ifaces or routes)  # "add it via 10.9.1.2": the route
    if target is None:
        return piece, []
    vid = re.match(
        r"(?i)\s*\(?,?\s*(?:with\s+)?(?:the\s+)?(?:vlan[- ]?)?id\s+(\d+)\b", text[target.start + len(target.text) :]
    )
    number = [t for t in before if vid and t.kind == "number" and t.text == vid.group(1) and t.start > target.start]
    if target.kind == "name" and number:  # "create vlan SENSORS with id 1460, make X access ports in it": vlan 1460
        return piece[: m.start()] + f"vlan {number[0].text}" + piece[m.end() :], [number[0]]
    same = [t for t in before if t.kind == target.kind and is_vlan(t) == is_vlan(target) and t.start <= target.start]
    group = _last_list(same, text) if target.kind == "interface" else [target]
    if word == "both" and len(group) < 2 and len(same) >= 2:
        # "bundle te1/0/1 and te1/0/2 into po10, desc on both": the pair said as one; else the last two
        # ("label te1/1/3 'A' and te1/1/4 'B', then bring both up")
        group = next((g for g in _lists_back(same, text) if len(g) == 2), same[-2:])
    said = " and ".join(t.text for t in group)
    said = {"its": f"{said}'s", "their": f"{said}'s", "there": f"on {said}"}.get(word, said)
    return piece[: m.start()] + said + piece[m.end() :], group
