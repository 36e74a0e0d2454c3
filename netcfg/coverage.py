"""Every part of a request accounted for: the things it names, and which of them no change uses.

Grounding (intent.ungrounded) checks the other way round: that every value in a change comes from the
request. A dropped part ("... and a helper 10.0.0.9" with no dhcp_relay change) or a value bound to
the wrong object ("10.44.0.1/24 to vlan 44 and disable Gi0/2" with the address on Gi0/2, leaving
vlan 44 unused) passes grounding; it shows here as a named thing that no change uses.

What counts as a named thing, and which words mark one as context only ("from vlan 20", "instead
of 10.0.0.4"), is data: the `coverage` section of vendor_schemas/intent.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import intent, values
from .errors import NetcfgError

_IP = r"\d{1,3}(?:\.\d{1,3}){3}"
_ADDRESS = re.compile(rf"(?<![\w.]){_IP}(?:\s*/\s*\d{{1,2}})?(?:\s+(?:mask\s+|netmask\s+|wildcard\s+)?(?:255|0)(?:\.\d{{1,3}}){{3}})?(?![\w.])", re.I)
_QUOTED = re.compile(r"'([^'\n]+)'|\"([^\"\n]+)\"|`([^`\n]+)`")
_WORD = re.compile(r"[A-Za-z0-9][\w.:/-]*[\w]|[A-Za-z0-9]")
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
    return any(re.fullmatch(p, word, re.I) for p in _spec().get("ignore", []))


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

    for m in _QUOTED.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        take("name", m, g)
        taken.append((m.start(), m.end()))
    for m in _ADDRESS.finditer(text):
        take("address", m)
    alias = "|".join(sorted(map(re.escape, _interface_words(naming)), key=len, reverse=True))
    iface = re.compile(rf"(?<![\w./-])(?:{alias})(?:\s*-?\s*|[.])\d+(?:[/.:]\d+)*(?:\s*-\s*\d+(?![./]\d))?(?![\w/])", re.I)
    for m in iface.finditer(text):
        take("interface", m)
    for m in re.finditer(r"(?i)\bdefault(?:\s+(?:route|gateway|gw))?\b|\bgateway of last resort\b", text):
        take("default", m)
    if "acl_rule" in intent.cued_kinds(text):
        names = "|".join(map(re.escape, _spec().get("port_names", [])))
        for m in re.finditer(rf"(?i)(?<![\w-])(?:{names})(?![\w-])", text):
            take("port", m)
    for m in _NUMBER.finditer(text):
        take("number", m)
    for m in _WORD.finditer(text):
        w = m.group(0)
        if free(m.start(), m.end()) and _name_like(w, text[:m.start()]) and not _ignored(w):
            take("name", m)
    return sorted(found, key=lambda t: t.start)


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
    ("currently vlan 20")."""
    y = _from_to(text, thing, found)
    if y is not None and any(_single_valued(c) and _Usage([c], naming).uses(y, text) for c in changes):
        return True
    at = thing.start + (re.search(r"\d", thing.text) or re.match("", thing.text)).start()  # "vlan 20": before 20
    before = text[max(0, at - 40):at].lower()
    return any(re.search(rf"(?:{rule['before']})\W*(?:[\w-]+\W+){{0,2}}$", before) for rule in _spec().get("context", []))


def _used_strings(changes: list[dict]) -> list[str]:
    return [str(v) for c in changes for k, v in c.items() if k not in ("kind", "op") and v is not None]


def _expand(naming: values.InterfaceNaming, text: str) -> set[str]:
    try:
        return {n.lower() for n in naming.expand(text)}
    except NetcfgError:
        return {re.sub(r"\s+", "", text.lower())}


def _numbers(changes: list[dict]) -> set[int]:
    """Every number a change uses as a value: ints, VLAN lists expanded, single-number interfaces
    (Vlan44, Po14, lo0), OSPF areas (0.0.0.1 is 1), ports (https is 443)."""
    out: set[int] = set()
    for c in changes:
        fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
        for k, v in c.items():
            t = fields.get(k, {}).get("type")
            if v is None or t is None:
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
                elif t in ("interface", "interfaces", "next_hop"):
                    out.update(int(n) for part in re.split(r"[,\s]+", str(v))
                               if "/" not in part and not re.search(_IP, part) for n in re.findall(r"\d+", part))
            except NetcfgError:
                pass
    return out


def _address_used(thing: Thing, used: list[str]) -> bool:
    ip = re.match(_IP, thing.text).group(0)
    return any(re.search(rf"(?<![\d.]){re.escape(ip)}(?![\d.])", u) for u in used)


class _Usage:
    """What a set of changes uses: value strings, interfaces (expanded), numbers."""

    def __init__(self, changes: list[dict], naming: values.InterfaceNaming):
        self.changes = changes
        self.used = _used_strings(changes)
        self.ifaces: set[str] = set()
        for c in changes:
            fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
            for k, v in c.items():
                if fields.get(k, {}).get("type") in ("interface", "interfaces", "next_hop") and v is not None:
                    self.ifaces |= _expand(naming, str(v))
        self.numbers = _numbers(changes)
        self.naming = naming

    def uses(self, t: Thing, text: str) -> bool:
        if t.kind == "address":
            return _address_used(t, self.used) or (re.search(r"area\W*$", text[:t.start].lower()) is not None
                                                   and values.area(t.text.split()[0])["id"] in self.numbers)
        if t.kind == "interface":
            vlan = re.fullmatch(r"(?i)(?:vlan|vl|svi)s?\s*-?\s*(\d+(?:\s*-\s*\d+)?)", t.text.strip())
            if vlan:
                try:
                    wanted = set(values.vlan_list(vlan.group(1)))
                except NetcfgError:  # out of range: the check that follows says so
                    wanted = {int(n) for n in re.findall(r"\d+", vlan.group(1))}
                if wanted <= self.numbers:
                    return True
            return _expand(self.naming, t.text) <= self.ifaces or self._in_text(t)
        if t.kind == "number":
            n = int(t.text)
            return n in self.numbers or any(i.endswith(f"/{n}") for i in self.ifaces)  # "gi0/5 to 8"
        if t.kind == "default":
            return any(c.get("kind") == "static_route" and re.fullmatch(r"0\.0\.0\.0\s*/\s*0|0\.0\.0\.0 0\.0\.0\.0|default",
                                                                        str(c.get("prefix", ""))) for c in self.changes)
        if t.kind == "action":
            return any(c.get("kind") in t.kinds for c in self.changes)
        if t.kind == "port":
            return intent.port_number(t.text.lower()) in self.numbers
        return any(t.text in u for u in self.used)  # the request's spelling: a name's case is part of it

    def _in_text(self, t: Thing) -> bool:
        """Written inside a description or name ("desc DC-SPINE-2 E1/50")."""
        return any(t.text in str(v) for c in self.changes for k, v in c.items()
                   if intent.kinds().get(c.get("kind"), {}).get("fields", {}).get(k, {}).get("type") in ("text", "name"))


def _kind_words(text: str, naming: values.InterfaceNaming) -> list[Thing]:
    """Words that ask for a kind of change with no value of their own ("portfast", "bring it up",
    "default route"): some change of those kinds must answer each (`coverage.actions`)."""
    bare = _bare(text, naming).lower()
    out = []
    for rule in _spec().get("actions", []):
        m = re.search(rule["words"], bare)
        if m:
            out.append(Thing("action", m.group(0), m.start(), tuple(rule["kinds"])))
    return out


def unplaced(text: str, changes: list[dict], naming: values.InterfaceNaming) -> list[Thing]:
    """The things the request names that no change uses (and are not context), and the old value of a
    "from X to Y" that an add uses."""
    usage = _Usage(changes, naming)
    found = things(text, naming)
    out = []
    for t in found + _kind_words(text, naming):
        if usage.uses(t, text):
            if t.kind != "action" and _old_value_added(text, t, found, changes, naming):
                out.append(t)
        elif not _context(text, t, found, changes, naming):
            out.append(t)
    return sorted(out, key=lambda t: t.start)


def _from_to(text: str, t: Thing, found: list[Thing]) -> Thing | None:
    """The new value Y when `t` is the old value X: "from X to Y", "Y instead of X"."""
    before = text[max(0, t.start - 30):t.start].lower()
    m = re.search(r"\b(?:instead of|rather than|in place of)\W+(?:\w+\W+){0,1}$", before)
    if m:
        cut = t.start - len(before) + m.start()
        earlier = [y for y in found if y.start + len(y.text) <= cut and cut - (y.start + len(y.text)) <= 12]
        return next((y for y in reversed(earlier) if y.kind == t.kind or {y.kind, t.kind} <= {"interface", "number"}),
                    None)
    if not re.search(r"\bfrom\W+(?:\w+\W+){0,1}$", before):
        return None
    m = re.match(r"\W*(?:[\w/.-]+\W+){0,2}?to\W+", text[t.start + len(t.text):].lower())
    if not m:
        return None
    at = t.start + len(t.text) + m.end()
    near = [y for y in found if at - 1 <= y.start <= at + 12]
    return next((y for y in near if y.kind == t.kind or {y.kind, t.kind} <= {"interface", "number"}), None)


def _single_valued(c: dict) -> bool:
    return c.get("kind") in _spec().get("single_valued", [])


def _old_value_added(text: str, t: Thing, found, changes, naming) -> bool:
    """ "ospf cost from 20 to 45" answered with cost 20 too: the old value X of "from X to Y" is used
    by an add of a single-valued setting, beside Y."""
    y = _from_to(text, t, found)
    if y is None:
        return False
    return any(c.get("op") == "add" and _single_valued(c) and _Usage([c], naming).uses(t, text)
               and not _Usage([c], naming).uses(y, text) for c in changes)


def lists(text: str, found: list[Thing]) -> list[tuple[Thing, Thing]]:
    """Pairs of neighbouring items of one list in the request: "10.0.0.1 and 10.0.0.2", "A, B"."""
    pairs = []
    for a, b in zip(found, found[1:]):
        gap = text[a.start + len(a.text):b.start]
        if a.kind == b.kind and a.kind in ("address", "name", "number") and re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", gap, re.I):
            pairs.append((a, b))
    return pairs


def fill_lists(text: str, changes: list[dict], naming: values.InterfaceNaming) -> list[dict]:
    """An item of a list the answer left out, where it made a change for its neighbour ("ntp
    10.0.0.1 and 10.0.0.2" answered with one ntp_server): the same change for the missing item."""
    found = things(text, naming)
    usage = _Usage(changes, naming)
    out = list(changes)
    for a, b in lists(text, found):
        for missing, there in ((a, b), (b, a)):
            if usage.uses(missing, text) or not usage.uses(there, text):
                continue
            for c in changes:
                fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
                hits = [k for k, v in c.items() if k in fields and str(v) == there.text
                        and fields[k]["type"] in ("ipv4", "address", "prefix", "next_hop", "int", "name", "vlan")]
                if len(hits) == 1:
                    value = int(missing.text) if isinstance(c[hits[0]], int) and missing.text.isdigit() else missing.text
                    clone = dict(c, **{hits[0]: value})
                    if clone not in out:
                        out.append(clone)
    return out


# --- clauses --------------------------------------------------------------------------------

_SPLIT = re.compile(r"\s*(?:;|\.\s+|,\s+(?:and\s+|then\s+|also\s+|plus\s+)?|\s+(?:and|then|also|plus|&)\s+|\s+-+\s+|\n)\s*",
                    re.I)
_PRONOUN = re.compile(r"\b(it|them|there|its|their|both|these|those|this one|that one)\b", re.I)
_ATTACH = re.compile(r"\b(apply|applied|bind|bound|attach|attached|put|set|use)\s+(?:it|them)\b", re.I)


@dataclass(frozen=True)
class Clause:
    """A part of a request that asks for one thing, with its pronouns replaced by what they name."""

    text: str
    start: int
    end: int
    orphan: bool = False  # asks for nothing by itself and belongs to no list: its things go unplaced


def _bare(text: str, naming: values.InterfaceNaming) -> str:
    """The text without its addresses, numbers and names: the words that say what to do."""
    for t in sorted(things(text, naming), key=lambda t: -t.start):
        if t.kind != "interface":
            text = text[:t.start] + " " * len(t.text) + text[t.start + len(t.text):]  # positions kept
    return text


def _cued(text: str, naming: values.InterfaceNaming) -> bool:
    return intent.has_cues(_bare(text, naming))


def _subject(piece: str, before: list[Thing], naming: values.InterfaceNaming) -> str | None:
    """The interface a piece that names none is about, by its vendor name: the last port named before
    it for port settings ("desc ...", "portfast"), the last interface or VLAN for L3 ones ("a helper
    10.0.0.9" after "vlan 44"); None when its words ask for anything else too."""
    kinds = set(intent.cued_kinds(_bare(piece, naming)))
    ifaces = [t for t in before if t.kind == "interface"]
    if not kinds or not ifaces:
        return None
    ports, l3 = _kinds_with("interfaces"), _kinds_with("interface")
    if kinds <= ports | {"vlan", "acl_rule"} and kinds & ports:
        ifaces = [t for t in ifaces if not _vlan(t)]
    elif not kinds <= l3 | {"vlan", "acl_rule"}:
        return None
    if not ifaces:
        return None
    last = ifaces[-1].text
    if re.search(r"\d\s*-\s*\d", last):
        return last  # a range stays as typed
    try:
        return ", ".join(naming.expand(last))
    except NetcfgError:
        return last


def _port_words(piece: str, naming: values.InterfaceNaming) -> bool:
    """Whether a piece asks for a port setting ("voice vlan 30": its VLAN is no SVI)."""
    return bool(_kinds_with("interfaces") & set(intent.cued_kinds(_bare(piece, naming))))


@lru_cache(maxsize=None)
def _kinds_with(field_type: str) -> frozenset:
    """The kinds of change with a field of this type: "interfaces" (port settings), "interface" (L3)."""
    return frozenset(k for k, d in intent.kinds().items() if any(f["type"] == field_type for f in d["fields"].values()))


def _one_list(text: str, sep: re.Match, found: list[Thing]) -> bool:
    """Whether a separator joins two items of one list ("neighbors 10.0.0.1 and 10.0.0.5 remote-as 1"):
    a thing right before it and one of the same sort right after it."""
    if not re.fullmatch(r"\s*(?:,|and|&|or)?\s*(?:and\s*)?", sep.group(0), re.I):
        return False
    left = next((t for t in found if t.start + len(t.text) == sep.start()), None)
    right = next((t for t in found if t.start == sep.end()), None)
    return bool(left and right and left.kind == right.kind and _vlan(left) == _vlan(right))


def clauses(text: str, naming: values.InterfaceNaming, orphans: bool = False) -> list[Clause]:
    """The request split at ';', ', ', ' and ', ' then ' ...; a piece that asks for nothing by itself
    ("gi0/1" of "gi0/1, gi0/3 in vlan 30") stays with its neighbour, and so do the items of one list
    ("ntp 10.0.0.1 and 10.0.0.2"). Pronouns become what they point to: "give it 10.44.0.1/24" after
    "create vlan 44" is "give vlan 44 10.44.0.1/24"; a piece about an interface that names none is
    headed by the one it is about ("GigabitEthernet0/5: portfast"). With `orphans`, a piece that asks
    for nothing and follows one that does ("and 10.9.9.9") is a clause of its own, marked orphan."""
    found = things(text, naming)
    spans, pos = [], 0
    for m in _SPLIT.finditer(text):
        if m.start() > pos and not _one_list(text, m, found):
            spans.append([pos, m.start()])
            pos = m.end()
    if pos < len(text):
        spans.append([pos, len(text)])
    merged: list[list[int]] = []
    carry = None
    for a, b in spans:
        if carry is not None:
            a, carry = carry, None
        piece = text[a:b]
        if _cued(piece, naming) or (_PRONOUN.search(piece) and things(piece, naming)):
            merged.append([a, b])
        elif merged and orphans and not re.search(r"[a-z]{2,}", re.sub(
                r"(?i)\b(?:and|or|also|plus|then|the|an?|too|as well)\b", " ", _bare(piece, naming)), re.I):
            merged.append([a, b, "orphan"])  # nothing but values: "and 10.9.9.9"
        elif merged:
            merged[-1][1] = b
        else:
            carry = a
    if carry is not None:
        merged.append([carry, len(text)])
    out = []
    for a, b, *orphan in merged:
        if orphan:
            out.append(Clause(text[a:b], a, b, orphan=True))
            continue
        inside = [t for t in found if a <= t.start < b]
        before = [t for t in found if t.start < a]
        piece = _resolve(text[a:b], inside, before)
        subject = _subject(piece, before, naming)
        if subject and not any(t.kind == "interface" and not (_vlan(t) and _port_words(piece, naming))
                               for t in things(piece, naming)):
            piece = f"{subject}: {piece}"  # "a helper 10.0.0.9" after "vlan 44", "native 99" of a ticket
        out.append(Clause(piece, a, b))
    return out


def _vlan(t: Thing) -> bool:
    return re.match(r"(?i)(vlan|vl|svi)\b", t.text) is not None


def _resolve(piece: str, inside: list[Thing], before: list[Thing]) -> str:
    """Replace the first pronoun in a piece by the thing it most likely names, from earlier pieces."""
    m = _PRONOUN.search(piece)
    if not m or not before:
        return piece
    names = [t for t in before if t.kind == "name"]
    vlans = [t for t in before if (t.kind == "interface" and _vlan(t))]
    ifaces = [t for t in before if t.kind == "interface"]
    if _ATTACH.search(piece) and names and any(t.kind == "interface" for t in inside):
        target = names[-1]  # "apply it inbound on vlan 5": the ACL
    elif any(t.kind == "interface" and not _vlan(t) for t in inside):
        target = (vlans or names or [None])[-1]  # "allow it on po12": the VLAN
    else:
        target = (ifaces or [None])[-1]
    if target is None:
        return piece
    word = m.group(1).lower()
    text = {"its": f"{target.text}'s", "their": f"{target.text}'s", "there": f"on {target.text}"}.get(word, target.text)
    return piece[:m.start()] + text + piece[m.end():]
