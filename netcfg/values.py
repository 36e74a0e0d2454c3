"""Everything that can be computed is computed here: addresses, masks, VLAN lists, interface names.

Each parser takes the raw string the model copied from the intent and returns a plain dict or
value for the templates, or raises IntentError with a one-line message.
"""

from __future__ import annotations

import ipaddress
import re

from .errors import IntentError

_UNSAFE = re.compile(r"[\x00-\x1f\x7f;]|\{\{|\}\}|\{%|%\}|\{#|#\}")


def safe_text(value: str, what: str) -> str:
    """Reject values that could become a second command or a template expression."""
    value = str(value).strip()
    if not value:
        raise IntentError(f"{what} is empty")
    if _UNSAFE.search(value):
        raise IntentError(f"{what} {value!r} contains a newline, ';' or template braces, which are not allowed")
    return value


# --- IPv4 -------------------------------------------------------------------------------


def _mask_to_prefixlen(mask: str) -> int:
    """A dotted netmask (255.255.255.0) or wildcard mask (0.0.0.255) -> prefix length."""
    try:
        bits = int(ipaddress.IPv4Address(mask))
    except ValueError:
        raise IntentError(f"invalid netmask {mask!r}") from None
    inverted = (~bits) & 0xFFFFFFFF
    if not inverted & (inverted + 1):
        return 32 - inverted.bit_length()
    if bits and not bits & (bits + 1) and not bits >> 31:
        return 32 - bits.bit_length()  # a wildcard mask, as in ACLs and OSPF network statements
    raise IntentError(f"netmask {mask} is not contiguous")


def split_address(text: str) -> tuple[str, int | None]:
    """'10.0.0.1/24', '10.0.0.1 255.255.255.0', '10.0.0.1 mask 255.255.255.0' -> ('10.0.0.1', 24)."""
    t = re.sub(r"\s+", " ", str(text).strip().lower())
    t = t.replace(" mask ", " ").replace(" netmask ", " ")
    m = re.fullmatch(r"(\d+\.\d+\.\d+\.\d+)\s*/\s*(\d+)", t)
    if m:
        plen = int(m.group(2))
        if plen > 32:
            raise IntentError(f"prefix length /{plen} is out of range (0-32)")
        return m.group(1), plen
    m = re.fullmatch(r"(\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+)", t)
    if m:
        return m.group(1), _mask_to_prefixlen(m.group(2))
    m = re.fullmatch(r"\d+\.\d+\.\d+\.\d+", t)
    if m:
        return t, None
    raise IntentError(f"invalid IPv4 address {text!r}")


def ipv4(text: str) -> str:
    """A single IPv4 host address."""
    addr, plen = split_address(text)
    if plen is not None:
        raise IntentError(f"expected an address without a mask, got {text!r}")
    try:
        return str(ipaddress.IPv4Address(addr))
    except ValueError:
        raise IntentError(f"invalid IPv4 address {text!r}") from None


def host_items(text) -> list[str]:
    """The items of a list of hosts as written: "10.0.0.53, 10.0.0.54" -> ["10.0.0.53", "10.0.0.54"]."""
    return [h for h in re.split(r"[,\s]+", str(text).strip()) if h]


def ipv4_list(text) -> list[str]:
    """One or more host addresses, comma or space separated, each once, in the order given."""
    hosts = [ipv4(h) for h in host_items(text)]
    if not hosts:
        raise IntentError("expected one or more IPv4 addresses")
    return list(dict.fromkeys(hosts))


def _prefix_dict(net: ipaddress.IPv4Network) -> dict:
    return {
        "network": str(net.network_address),
        "prefixlen": net.prefixlen,
        "netmask": str(net.netmask),
        "wildcard": str(net.hostmask),
        "cidr": str(net),
    }


def prefix(text: str) -> dict:
    """A network: '10.0.0.0/8', '10.0.0.0 255.0.0.0', 'default' -> network, prefixlen, netmask, wildcard, cidr."""
    t = str(text).strip().lower()
    if t in ("default", "0/0", "default route"):
        t = "0.0.0.0/0"
    addr, plen = split_address(t)
    if plen is None:
        raise IntentError(f"{text!r} needs a prefix length or mask (e.g. {addr}/24)")
    try:
        net = ipaddress.IPv4Network(f"{addr}/{plen}", strict=False)
        ipaddress.IPv4Address(addr)
    except ValueError:
        raise IntentError(f"invalid IPv4 prefix {text!r}") from None
    if str(net.network_address) != addr:
        raise IntentError(f"{text} has host bits set; did you mean {net}?")
    return _prefix_dict(net)


def interface_address(text: str) -> dict:
    """An interface address with its mask: ip, prefixlen, netmask, cidr (10.0.0.1/24), network."""
    addr, plen = split_address(text)
    if plen is None:
        raise IntentError(f"address {text!r} needs a prefix length or mask (e.g. {addr}/24)")
    try:
        iface = ipaddress.IPv4Interface(f"{addr}/{plen}")
    except ValueError:
        raise IntentError(f"invalid IPv4 address {text!r}") from None
    if plen < 31 and iface.ip in (iface.network.network_address, iface.network.broadcast_address):
        raise IntentError(f"{iface} is the network or broadcast address of {iface.network}")
    return {
        "ip": str(iface.ip),
        "prefixlen": plen,
        "netmask": str(iface.netmask),
        "cidr": str(iface),
        "network": str(iface.network),
    }


def ace_address(text: str) -> dict:
    """An ACL source or destination: 'any', 'host 10.1.1.1', '10.1.1.1', '10.0.0.0/24'."""
    t = re.sub(r"\s+", " ", str(text).strip().lower())
    if t in ("any", "anything", "all", "0.0.0.0/0"):
        return {"any": True, "host": None, "prefix": None}
    t = t.removeprefix("host ")
    if "/" in t or " " in t:
        p = prefix(t)
        if p["prefixlen"] == 32:
            return {"any": False, "host": p["network"], "prefix": None}
        return {"any": False, "host": None, "prefix": p}
    return {"any": False, "host": ipv4(t), "prefix": None}


def area(text) -> dict:
    """An OSPF area given as '0', 0 or '0.0.0.0' -> {'id': 0, 'dotted': '0.0.0.0'}."""
    t = str(text).strip().lower().removeprefix("area").strip()
    if re.fullmatch(r"\d+", t):
        n = int(t)
        if n > 4294967295:
            raise IntentError(f"OSPF area {t} is out of range")
        return {"id": n, "dotted": str(ipaddress.IPv4Address(n)), "text": t}
    try:
        a = ipaddress.IPv4Address(t)
    except ValueError:
        raise IntentError(f"invalid OSPF area {text!r}") from None
    return {"id": int(a), "dotted": str(a), "text": t}


# --- IPv6 -------------------------------------------------------------------------------

IPV6_RE = re.compile(
    r"(?<![\w:.])((?:[0-9a-f]{1,4}:){1,7}:?(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?|::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)(?:\s*/\s*(\d{1,3}))?(?![\w:])",
    re.I,
)


def ipv6_found(text: str) -> list[tuple[str, int | None]]:
    """The IPv6 addresses and prefixes written in the text, canonical (compressed, lower case), with their
    prefix length if they have one: "2001:DB8:0::1/64" -> ("2001:db8::1", 64)."""
    out = []
    for m in IPV6_RE.finditer(str(text)):
        if m.group(1).count(":") < 2:
            continue  # "Gi0/5: ..." or "10:30" is no address
        try:
            ip = ipaddress.IPv6Address(m.group(1))
        except ValueError:
            continue
        out.append((str(ip), int(m.group(2)) if m.group(2) else None))
    return out


def _split_v6(text: str, what: str) -> tuple[ipaddress.IPv6Address, int | None]:
    t = re.sub(r"\s+", "", str(text).strip().lower())
    addr, _, plen = t.partition("/")
    try:
        ip = ipaddress.IPv6Address(addr)
    except ValueError:
        raise IntentError(f"invalid IPv6 {what} {text!r}") from None
    if plen and not (plen.isdigit() and int(plen) <= 128):
        raise IntentError(f"IPv6 prefix length /{plen} is out of range (0-128)")
    return ip, int(plen) if plen else None


def _not_special(ip: ipaddress.IPv6Address, text: str) -> None:
    if ip.is_link_local:
        raise IntentError(
            f"{text} is a link-local address (fe80::/10), which netcfg does not configure; give a global or unique-local one"
        )
    if ip.is_multicast or ip.is_unspecified or ip.is_loopback:
        raise IntentError(f"{text} is not a unicast address")


def ipv6_interface_address(text: str) -> dict:
    """An interface's IPv6 address with its prefix length: ip, prefixlen, cidr (2001:db8:1::1/64), network."""
    ip, plen = _split_v6(text, "address")
    if plen is None:
        raise IntentError(f"IPv6 address {text!r} needs a prefix length (e.g. {ip}/64)")
    _not_special(ip, str(text))
    iface = ipaddress.IPv6Interface(f"{ip}/{plen}")
    if plen < 127 and iface.ip == iface.network.network_address:
        raise IntentError(f"{iface} is the subnet-router anycast address of {iface.network}; give a host address")
    return {"ip": str(iface.ip), "prefixlen": plen, "cidr": str(iface), "network": str(iface.network)}


def ipv6_prefix(text: str) -> dict:
    """An IPv6 network: '2001:db8:20::/48', 'default' or '::/0' -> network, prefixlen, cidr."""
    t = str(text).strip().lower()
    if t in ("default", "default route", "::/0", "::0/0"):
        t = "::/0"
    ip, plen = _split_v6(t, "prefix")
    if plen is None:
        raise IntentError(f"{text!r} needs a prefix length (e.g. {ip}/64)")
    net = ipaddress.IPv6Network(f"{ip}/{plen}", strict=False)
    if net.network_address != ip:
        raise IntentError(f"{text} has host bits set; did you mean {net}?")
    return {"network": str(net.network_address), "prefixlen": plen, "cidr": str(net)}


def ipv6_host(text: str) -> str:
    """A single IPv6 unicast address (a next hop), canonical."""
    ip, plen = _split_v6(text, "address")
    if plen is not None:
        raise IntentError(f"expected an IPv6 address without a prefix length, got {text!r}")
    if ip.is_link_local:
        raise IntentError(
            f"{text} is a link-local next hop, which needs its exit interface: netcfg takes a global next hop or an interface"
        )
    _not_special(ip, str(text))
    return str(ip)


# --- interface speed and time zone offsets ------------------------------------------------

# Ethernet speeds in Mb/s, and how engineers write their units.
SPEEDS = (10, 100, 1000, 2500, 5000, 10000, 25000, 40000, 50000, 100000, 200000, 400000)
_SPEED_UNITS = {"m": 1, "mb": 1, "mbps": 1, "mbit": 1, "mbit/s": 1, "mb/s": 1, "meg": 1,
                "g": 1000, "gb": 1000, "gbps": 1000, "gbit": 1000, "gbit/s": 1000, "gb/s": 1000, "gig": 1000,
                "gige": 1000, "gigabit": 1000, "ge": 1000}  # fmt: skip
SPEED_RE = re.compile(
    r"(?<![\w/.:-])(\d+(?:\.5)?)\s?("
    + "|".join(sorted(map(re.escape, _SPEED_UNITS), key=len, reverse=True))
    + r")?(?![\w.:-]|/\d)",
    re.I,
)


def speed(text) -> int:
    """An Ethernet speed in Mb/s: '100', '100m', '1g', '2.5G', '10gig', '1000' -> 100, 100, 1000, 2500, 10000, 1000.
    A bare number is Mb/s when it is one (10, 100, 1000, ...), else Gb/s (25, 40). A duplex after it ('100/full',
    the way IOS engineers write both) is not part of the speed."""
    m = SPEED_RE.fullmatch(re.sub(r"(?i)\s*/\s*(?:full|half)(?:[\s-]?duplex)?$", "", str(text).strip()))
    if not m:
        raise IntentError(f"unknown speed {text!r} (e.g. 100, 1000, 1g, 10g)")
    n, unit = float(m.group(1)), (m.group(2) or "").lower()
    mbps = round(n * _SPEED_UNITS[unit]) if unit else (round(n) if n in SPEEDS else round(n * 1000))
    if mbps not in SPEEDS:
        raise IntentError(f"{text} is no Ethernet speed (netcfg knows {', '.join(speed_name(s) for s in SPEEDS)})")
    return mbps


def speed_name(mbps: int) -> str:
    """How a speed is said: 100M, 1G, 2.5G."""
    return f"{mbps}M" if mbps < 1000 else f"{mbps / 1000:g}G"


_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-−])?\s*(\d{1,2})(?:[:.h]?(\d{2}))?", re.I)


def utc_offset(text) -> dict:
    """An offset from UTC: '-5', '+05:30', 'UTC-3:30', '1' (east) -> hours (signed) and minutes (0-59)."""
    m = _OFFSET.fullmatch(str(text).strip())
    if not m:
        raise IntentError(f"unknown UTC offset {text!r} (write it as -5, +1 or +5:30)")
    sign = -1 if m.group(1) and m.group(1) in "-−" else 1
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if not (hours <= 12 if sign < 0 else hours <= 14) or minutes > 59:
        raise IntentError(f"UTC offset {text} is out of range (-12:00 to +14:00)")
    return {"hours": sign * hours, "minutes": minutes}


# Syslog severities (RFC 5424), by number, as IOS, EOS and FRR name them.
SEVERITIES = ("emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational", "debugging")
SEVERITY_WORDS = {
    "emerg": 0,
    "panic": 0,
    "alert": 1,
    "crit": 2,
    "err": 3,
    "warn": 4,
    "notice": 5,
    "notif": 5,
    "info": 6,
    "debug": 7,
}


def severity(text) -> dict:
    """A syslog severity: '4', 'warnings', 'warn', 'info' -> name (as IOS writes it) and number (0-7)."""
    t = str(text).strip().lower()
    n = int(t) if t.isdigit() else next((v for w, v in SEVERITY_WORDS.items() if t.startswith(w)), None)
    if n is None or not 0 <= n <= 7:
        raise IntentError(f"unknown syslog severity {text!r} (0-7 or {', '.join(SEVERITIES)})")
    return {"name": SEVERITIES[n], "number": n}


def community(text) -> str:
    """A BGP community in the new format, AS:value: '65000:100' (each part 0-65535)."""
    m = re.fullmatch(r"\s*(\d{1,5}):(\d{1,5})\s*", str(text))
    if not m or not all(int(x) <= 65535 for x in m.groups()):
        raise IntentError(f"invalid BGP community {text!r} (AS:value, each 0-65535, such as 65000:100)")
    return f"{int(m.group(1))}:{int(m.group(2))}"


def rd(text) -> str:
    """A route distinguisher: ASN:nn (a 2-byte AS with a 4-byte number, or a 4-byte AS with a 2-byte one) or IP:nn."""
    m = re.fullmatch(r"\s*(\d{1,10}|\d{1,3}(?:\.\d{1,3}){3}):(\d{1,10})\s*", str(text))
    bad = IntentError(f"invalid route distinguisher {text!r} (ASN:nn or IPv4:nn, such as 65000:10 or 10.0.0.1:10)")
    if not m:
        raise bad
    admin, number = m.group(1), int(m.group(2))
    if "." in admin:
        ipv4(admin)
        ok = number <= 65535
    else:
        ok = int(admin) <= 65535 and number <= 4294967295 or int(admin) <= 4294967295 and number <= 65535
    if not ok:
        raise bad
    return f"{admin if '.' in admin else int(admin)}:{number}"


# --- secrets ----------------------------------------------------------------------------

# A secret in a request is only a reference to an environment variable: ${NAME}.
SECRET_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]{0,63})\}|\$([A-Za-z_][A-Za-z0-9_]{0,63})\b")
SECRET_HOW = "give it as a ${VAR} reference (e.g. ${TACACS_KEY}) and export the variable before netcfg applies it"
# A password, secret or key the request types as a value of its own ("password Cisco123", "key: s3cr3t"); the
# words a secret's value is never (a reference's name, "the key from the vault") are left alone.
_LITERAL_SECRET = re.compile(
    r"(?i)\b(?:password|passwd|passphrase|pwd|secret|psk|(?:shared|pre-shared|preshared|tacacs|radius|server|auth|authentication)\W*key|key|md5)"
    r"(?P<said>\s+(?:is|of|to|=|:)|\s*[=:])?\s+['\"]?(?!\$)(?P<value>[^\s'\",;]+)"
)
# ... or one set further on: "the password of user ops to Hunter22"
_LATER_SECRET = re.compile(
    r"(?i)\b(?:password|passwd|passphrase|secret|key|md5)\b(?:\s+(?!\S*\$)(?!(?:on|with|from)\b)(?:\d{1,3}(?:\.\d{1,3}){3}|[^\s.;,:]+)){0,4}?"
    # ("... on the session to core-r2": the place a session goes to is no secret)
    r"(?:(?<!session)(?<!peer)(?<!peering)(?<!neighbor)(?<!neighbour)(?<!nbr)(?<!link)(?<!circuit)\s+to|\s+(?:as|is|=)|(?P<colon>\s*:))"
    r"\s+['\"]?(?!\$)(?P<value>[^\s'\",;]+)"
)
_NOT_A_SECRET = re.compile(
    r"(?i)(?:from|in|the|a|an|as|at|by|with|via|for|on|it|its|their|our|that|this|stored|kept|set|env\w*|var\w*|"
    r"reference\w*|and|or|is|are|be|must|should|will|only|never|chain|string|to|of|too|also|again|then|now|here|below|above|"
    r"each|both|all|please|pls|user\w*|accounts?|logins?|change\w*|rotat\w*|reset\w*|polic\w*|expir\w*|length|"
    r"complexity|encryption|recovery|prompt|authentication|auth|(?:new|old|current|existing|given|shared|same|used)\w*|"
    r"password|passwd|key|secret|md5|neighbou?rs?|peers?|sessions?|off|out|away|gone|removed|deleted|dropped|"
    r"no|not|none|needed|required|mandatory|optional|longer|disabled|enabled|missing|wrong|expired|unset|empty|blank|"
    r"\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)"
)


def literal_secret(text: str) -> None:
    """Refuse a request that types a secret (a password or key) as a value: it would reach the model, the
    parse cache and every report. The message never repeats the value."""
    # (tried at every position, so matches overlap: "md5 key abc123" is the key's value, after the md5's "key")
    hits = (rx.match(text, i) for i in range(len(text)) for rx in (_LITERAL_SECRET, _LATER_SECRET))
    for m in (h for h in hits if h):
        value = m.group("value").rstrip(":.)!?")
        # ("the key lives in ${TAC_KEY}", "the password bob uses is ${X}": words about the reference that follows)
        about_a_reference = re.match(r"['\"]?(?:\s+[^\s$]+){0,2}?\s+\$\{?[A-Za-z_]", text[m.end("value") :])
        word = value.isalpha() and value.islower()
        # (a lower-case word right after the keyword is prose, "the key loaded", "an md5 mismatch"; one said to be
        # the secret is one: "password is letmein")
        prose = word and _LITERAL_SECRET is m.re and not m.group("said")
        arrow = not re.search(r"[A-Za-z0-9]", value)  # ("md5 -> ${K}": no value at all)
        # (after a heading, "key rotation: core-r2 ...", a device's name is no secret)
        heading = (
            "colon" in m.re.groupindex and m.group("colon") and re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", value)
        )
        if (
            not _NOT_A_SECRET.fullmatch(value)
            and not (about_a_reference and word)
            and not prose
            and not arrow
            and not heading
        ):
            raise IntentError(
                f"the request types a password or key as plain text, which netcfg never takes: {SECRET_HOW}"
            )


def secret(text) -> str:
    """A secret field's value: a ${VAR} reference (kept as it is: the variable is read when the change is pushed)."""
    m = SECRET_REF.fullmatch(str(text).strip())
    if not m:
        raise IntentError(f"a password or key is taken only as a ${{VAR}} reference, never typed: {SECRET_HOW}")
    return f"${{{m.group(1) or m.group(2)}}}"


# --- VLAN lists -------------------------------------------------------------------------


def vlan_list(text) -> list[int]:
    """'10,20,30-32' or '10 and 20' -> [10, 20, 30, 31, 32]; each VLAN must be 1-4094."""
    t = str(text).strip().lower()
    t = re.sub(r"\s*(?:-|through|to)\s*", "-", t)
    parts = [p for p in re.split(r"[,\s]+|and", t) if p]
    if not parts:
        raise IntentError("empty VLAN list")
    out: set[int] = set()
    for p in parts:
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", p)
        if not m:
            raise IntentError(f"invalid VLAN list {text!r}")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if lo > hi:
            raise IntentError(f"invalid VLAN range {p!r}")
        for v in (lo, hi):
            if not 1 <= v <= 4094:
                raise IntentError(f"VLAN {v} is out of range (1-4094)")
        out.update(range(lo, hi + 1))
    return sorted(out)


def vlan_ranges(vlans: list[int], sep: str = ",", dash: str = "-") -> str:
    """[10, 20, 30, 31, 32] -> '10,20,30-32'."""
    runs: list[str] = []
    start = prev = None
    for v in sorted(vlans):
        if start is None or prev is None:
            start = prev = v
        elif v == prev + 1:
            prev = v
        else:
            runs.append(f"{start}{dash}{prev}" if prev != start else str(start))
            start = prev = v
    if start is not None:
        runs.append(f"{start}{dash}{prev}" if prev != start else str(start))
    return sep.join(runs)


# --- interface names --------------------------------------------------------------------

_RANGE_SEP = re.compile(r"\s*(?:\bthrough\b|\bthru\b|\bto\b|\s-\s|(?<=\d)-(?=[a-z]))\s*", re.I)
_IFACE = re.compile(r"([a-z][a-z-]*?)[\s.-]*(\d+(?:[/.:]\d+)*)?(?:\s*-\s*(\d+))?", re.I)


# Words before an interface name that are not part of it: "interface vlan 30", "int vlan 30" (even
# run together: "intvlan 30"), "fex port eth101/1/5", "ports gi0/1-4".
_FILLER = re.compile(r"^(?:(?:interfaces?|int|fex|ports?)\s+|int(?!e)(?=[a-z]))+", re.I)


class InterfaceNaming:
    """A vendor's interface types: canonical name, the abbreviations users type, and a format.

    Built from the `interfaces` list of a vendor schema, e.g.
    {name: GigabitEthernet, aliases: [gi, gig], format: "{name}{num}"}.
    """

    def __init__(self, types: list[dict], vendor: str):
        self.vendor = vendor
        self.types = types

    def _type_for(self, token: str) -> dict:
        t = token.lower().rstrip("-")
        exact = [ty for ty in self.types if t == ty["name"].lower() or t in ty.get("aliases", [])]
        if exact:
            return exact[0]
        starts = [ty for ty in self.types if ty["name"].lower().startswith(t)]
        if len(starts) == 1:
            return starts[0]
        known = ", ".join(ty["name"] for ty in self.types)
        raise IntentError(f"unknown {self.vendor} interface type {token!r} (known: {known})")

    def _one(self, token: str, num: str) -> str:
        ty = self._type_for(token)
        pattern = ty.get("number", r"\d+(/\d+)*")
        if not re.fullmatch(pattern, num):
            raise IntentError(f"{self.vendor} {ty['name']} numbers look like {ty.get('example', pattern)}, not {num!r}")
        return ty.get("format", "{name}{num}").format(name=ty["name"], num=num)

    def expand(self, text: str) -> list[str]:
        """'Gi0/5-8', 'gi1/0/1 through gi1/0/3', 'Fa0/1, Fa0/3', 'vlan 30' -> canonical names."""
        out: list[str] = []
        for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", str(text).strip()):
            part = _FILLER.sub("", part)
            if not part:
                continue
            ends = _RANGE_SEP.split(part)
            if len(ends) == 2:
                a, b = (_IFACE.fullmatch(e.strip()) for e in ends)
                if not a or not a.group(2):
                    raise IntentError(f"cannot read interface {part!r}")
                if b is None and re.fullmatch(r"\d+", ends[1].strip()):
                    last = ends[1].strip()
                elif b is not None and b.group(2):
                    last = b.group(2).split("/")[-1]
                else:
                    raise IntentError(f"cannot read interface range {part!r}")
                out.extend(self._range(a.group(1), a.group(2), last, part))
                continue
            m = _IFACE.fullmatch(part)
            if not m:
                raise IntentError(f"cannot read interface {part!r}")
            if m.group(3):
                out.extend(self._range(m.group(1), m.group(2), m.group(3), part))
            else:
                out.append(self._one(m.group(1), m.group(2) or ""))
        if not out:
            raise IntentError("no interface given")
        return list(dict.fromkeys(out))

    def _range(self, token: str, first: str, last: str, text: str) -> list[str]:
        head, _, lo = first.rpartition("/")
        lo_i, hi_i = int(lo), int(last)
        if hi_i < lo_i or hi_i - lo_i > 512:
            raise IntentError(f"invalid interface range {text!r}")
        prefix_ = f"{head}/" if head else ""
        return [self._one(token, f"{prefix_}{n}") for n in range(lo_i, hi_i + 1)]

    def one(self, text: str) -> str:
        """Exactly one interface."""
        names = self.expand(text)
        if len(names) != 1:
            raise IntentError(f"expected one interface, got {text!r}")
        return names[0]
