"""Whether an answer comes from the request, and the repair of the model's safe-to-undo slips.

For one change: each value must be written in the request (its field type's rule in intent.FIELD_TYPES,
narrowed by the field's `near`/`far` words), its kind and op must be asked for (cue words), and a value
respelled, copied from an example or left out is put right (`repair`). For a whole answer: `problems`
lists what is not grounded, and `tidy` fixes what the answer as a whole got wrong (a change twice, an
add the request negates, a list set whole that the request adds to, "then deny everything else").
"""

from __future__ import annotations

import re
from typing import Callable

from . import intent, values
from .errors import NetcfgError

# --- one change ---------------------------------------------------------------------------


def cued_kinds(text: str, at_start: bool = False) -> list[str]:
    """The kinds whose cue words the text has (`at_start`: right at its start, "ntp server ..." but not "call x4400")."""
    t = intent.norm_text(text)
    uncued = intent.spec().get("uncued", {})
    find = re.Pattern.match if at_start else re.Pattern.search
    return [
        k
        for k, cues in intent.spec()["cues"].items()
        if any(find(intent.rx(c), t) for c in cues) and not (k in uncued and intent.rx(uncued[k]).search(t))
    ]


def has_cues(text: str) -> bool:
    """Whether the text mentions anything netcfg supports (a cue of any kind)."""
    return bool(cued_kinds(text))


def _word_value(fdef: dict, t: str) -> set:
    """The values a request says in words (`word_values`: a local "admin" is privilege 15)."""
    return {int(n) for n, rx in (fdef.get("word_values") or {}).items() if re.search(rx, t)}


_LISTED = r"[\d./:]+\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)"  # an address, and the word that goes on to the next


def grounded(t: str, fdef: dict, v) -> bool:
    """Whether value `v` of a field is written in the request `t` (norm_text), near its `near` words if any."""
    if str(v).isdigit() and int(v) in _word_value(fdef, t):
        return True
    if not intent.field_type(fdef).grounded(t, v):
        return False
    near, far = fdef.get("near"), fdef.get("far")
    items = values.host_items(v) if fdef["type"] == "ipv4s" else [str(v)]
    # a list follows its word ("dns 10.0.0.53 and 10.0.0.54"), or comes before it ("... and 10.0.0.54 as name servers")
    value = re.escape(intent.norm_text(items[0]))
    last = re.escape(intent.norm_text(items[-1]))
    word = rf"(?<![\w.]){value}(?!\w|\.\w)"
    if far and re.search(word, t):  # the value must be stated somewhere other than right after a `far` word
        # a list after the word counts as right after it ("from reaching 10.0.0.0/8 and 172.16.0.0/12")
        rest = re.sub(rf"(?:{far})\W*(?:{_LISTED})*{value}(?!\w|\.\w)", " ", t)
        if not re.search(word, rest):
            return False
    if not near:
        return True
    after = fdef.get("near_after")
    return bool(
        # "voice vlan from 1450 to 1452": the new value is as near its word as the old one
        re.search(rf"(?:{near})\W*(?:\w+\W+){{0,2}}?(?:from\W+[\w./:-]+\W+to\W+)?{value}(?!\w|\.\w)", t)
        or (after and re.search(rf"(?<![\w.]){last}\W*(?:{after})", t))
    )


def _snap(text: str, fdef: dict, v):
    """The request's own spelling of a name or interface the model changed a little: EDGE_IN for
    EDGE-IN, et49 for et49/2, lo for lo2 (an interface written with no number), CET for "CET +1"; of an address whose mask the model got wrong: "192.168.10.1 255.255.255.0"
    for 192.168.10.1/25. Only when exactly one word (or address) of the request fits."""
    ip = intent.IP_RE.search(v) if fdef["type"] in ("address", "prefix") and isinstance(v, str) else None
    if ip:
        written = (
            rf"(?<![\d.]){re.escape(ip.group(1))}(?:\s*/\s*\d{{1,2}}|\s+(?:mask\s+)?255(?:\.\d{{1,3}}){{3}})(?![\d.])"
        )
        fits = {re.sub(r"\s+", " ", m.group(0)) for m in re.finditer(written, text)}
        return fits.pop() if len(fits) == 1 else v
    if fdef["type"] not in ("name", "interface", "interfaces") or not isinstance(v, str) or re.search(r"[\s,]", v):
        return v
    words = set(re.findall(r"[\w./-]+", text))
    key = v.lower().replace("_", "-")
    if fdef["type"] == "name":
        fits = {w for w in words if w.lower().replace("_", "-") == key}
        if not fits:  # a name run into the signed number after it: "CET+1" for "CET +1"
            key = re.sub(r"\s*[+-]\d{1,2}(?::\d\d)?$", "", key)
            fits = {w for w in words if w.lower().replace("_", "-") == key}
    else:
        fits = {w.rstrip("./-") for w in words if w.lower().startswith(v.lower() + "/")}
        typed = re.match(r"[a-z-]+", v.lower())
        if not fits and typed:  # "lo2" for FRR's "lo", an interface with no number: the model's habit of numbering it
            fits = {w for w in words if w.lower() == typed.group(0)}
    return fits.pop() if len(fits) == 1 else v


def _without_choice_words(change: dict, kdef: dict) -> dict:
    """A name the model ran into the words of another field's choice after it: "Ops-RW rw" is the community
    Ops-RW, read-write (a name has no spaces); the choice is set where the model left it out, and a name whose
    words say another choice than the model's is left as it is."""
    for fname, fdef in kdef["fields"].items():
        v = change.get(fname)
        if fdef["type"] != "name" or not isinstance(v, str) or len(v.split()) < 2:
            continue
        head, *rest = v.split()
        said = [
            next(
                (
                    (f, choice)
                    for f, d in kdef["fields"].items()
                    if f != fname
                    for choice, rx in {**d.get("says", {}), **d.get("words", {})}.items()
                    if re.fullmatch(f"(?:{rx})", w, re.I)
                ),
                None,
            )
            for w in rest
        ]
        found = [s for s in said if s is not None]
        if len(found) == len(said) and all(change.get(f) in (None, choice) for f, choice in found):
            change = {**change, fname: head, **dict(found)}
    return change


def _without_object_noun(change: dict, kdef: dict) -> dict:
    """A name the model ran into the noun that says what it names: "the tempvendor account" names the user tempvendor
    (intent.yaml `object_nouns`; a name has no spaces)."""
    nouns = intent.spec().get("object_nouns", "(?!)")
    for fname, fdef in kdef["fields"].items():
        v = change.get(fname)
        words = v.split() if fdef["type"] == "name" and isinstance(v, str) else []
        if len(words) == 2 and re.fullmatch(nouns, words[1], re.I):
            change = {**change, fname: words[0]}
    return change


def _without_scope_echo(change: dict, kdef: dict, text: str) -> dict:
    """A container (a `scope` field: the local BGP AS) that repeats another value of the change the request says
    only once is no value of its own: "peer 10.0.2.5 as 65000" names the neighbor's AS, not the local one (which
    the running config, or the request elsewhere, then gives)."""
    for fname, fdef in kdef["fields"].items():
        v = change.get(fname)
        others = [x for k, x in change.items() if k not in ("kind", "op", fname) and k in kdef["fields"]]
        if (
            fdef.get("scope")
            and v is not None
            and v in others
            and len(re.findall(rf"(?<!\d){re.escape(str(v))}(?!\d)", text)) == 1
        ):
            change = {k: x for k, x in change.items() if k != fname}
    return change


def _quoted(text: str, fdef: dict, v):
    """The quoted text of a free-text value that took words around the quotes too ("labelled 'SCADA
    PLC'" for the request's 'SCADA PLC')."""
    if fdef["type"] != "text" or not isinstance(v, str):
        return v
    m = re.search(r"""(['"`])([^'"`]+)\1""", v)
    # 'to "core" sw' quoted as a whole is kept
    return m.group(2) if m and m.group(0) in text and m.group(0) != v and not _quoted_whole(v, text) else v


def _quoted_whole(value: str, text: str) -> bool:
    """Whether the request quotes exactly this text: one value, whatever quotes or commas it holds."""
    return bool(re.search(rf"""['"`]{re.escape(value)}['"`]""", text))


def _request_case(text: str, fdef: dict, v):
    """A name or text in the request's own case: "uplink-to-ISP" for "uplink-to-isp" is not what was typed."""
    if fdef["type"] == "secret" and isinstance(v, str):  # a variable's name is case-sensitive: as the request spells it
        said = {m.group(1) for m in re.finditer(rf"\$\{{?({re.escape(v.strip('${} '))})\b", text, re.I)}
        return f"${{{said.pop()}}}" if len(said) == 1 else v
    if fdef["type"] not in ("name", "text") or not isinstance(v, str) or v in text:
        return v
    found = {m.group(0) for m in re.finditer(re.escape(v), text, re.I)}
    return found.pop() if len(found) == 1 else v


def asks_removal(kind: str | None, t: str) -> bool:
    rcues = intent.spec()["remove_cues"].get(kind, intent.spec()["remove_cues"]["any"])
    return any(intent.rx(c).search(t) for c in rcues)


def _echo(fname: str, fdef: dict, v, change: dict, t: str) -> bool:
    """A name or text that only repeats another value of the change (vlan 3100 "named" 3100), unasked."""
    others = {str(x) for k, x in change.items() if k not in ("kind", "op", fname)}
    return (
        fdef["type"] in ("name", "text")
        and str(v) in others
        and not re.search(rf"(name|call|desc|label)\w*\s+{re.escape(intent.norm_text(str(v)))}", t)
    )


def _placeholder(fname: str, fdef: dict, v, t: str) -> bool:
    """0 where 0 is not a valid value, and the request does not say "<field> 0", or port "any": the
    model's way of saying 'none'."""
    if fdef["type"] == "port" and str(v).lower() == "any":
        return True
    lo = fdef.get("min", (intent.field_type(fdef).bounds or (None,))[0])
    return v == 0 and lo is not None and lo > 0 and not re.search(rf"{fname.split('_')[-1]}\s*0(?!\d)", t)


def repair(change: dict, text: str) -> dict:
    """Undo the model's safe-to-undo slips without asking it again: a value (not a text) ending in a
    sentence's full stop loses it; a name or interface it respelled
    takes the request's spelling; an optional value it copied from an example (not in the request) or an
    optional choice the request has no word for (a port-security violation action),
    a 0 meaning 'none' or a name echoing another value is dropped, as is an address of a list the request lacks;
    one it left out that the request states plainly (`from_text`; a container's, `scope`, also when the
    request states only another), or a choice it says in exactly one way
    (`from_says`), is filled in (and replaces a `from_says` choice the request does not say);
    any x/0 prefix becomes the default route 0.0.0.0/0, and a "default route to X" answered as a route to X
    via a next hop the request lacks, a route via X;
    a removal the request never asks for becomes an add, and an add without the value it needs, of a
    setting the request puts back to its default ("mtu back to default"), a removal, as does an add of a
    `toggles` kind the request only has removal words for ("enable it": no shutdown)."""
    kdef = intent.kinds().get(change.get("kind"))
    if not kdef:
        return change
    t = intent.norm_text(text)
    change = {  # "set the domain to dc1.corp.example.", "on vlan 250.", "via 203.0.113.1.", "route-map RM-A: ...":
        # no part of a value
        k: v.rstrip(".:,;" if kdef["fields"][k]["type"] in ("name", "interface", "interfaces") else ".")
        if isinstance(v, str) and k in kdef["fields"] and kdef["fields"][k]["type"] != "text"
        else v
        for k, v in change.items()
    }
    change = _without_object_noun(_without_choice_words(change, kdef), kdef)
    change = _without_scope_echo(change, kdef, text)
    change = {
        k: v
        if k not in kdef["fields"] or v is None or grounded(t, kdef["fields"][k], v)
        else _snap(text, kdef["fields"][k], v)
        for k, v in change.items()
    }
    for k, fdef in kdef["fields"].items():  # "DNS 10.61.0.10, 14 day lease": no 14.000.000.000 among the servers
        if fdef["type"] == "ipv4s" and isinstance(change.get(k), str):
            items = values.host_items(change[k])
            written = [h for h in items if intent.FIELD_TYPES["ipv4"].grounded(t, h)]
            if written and len(written) < len(items):
                change[k] = ", ".join(written)
    for k, fdef in kdef["fields"].items():  # "redistribute direct routes": connected, not the model's static
        if change.get(k) is not None and fdef.get("from_says") and not _said(fdef, change[k], t):
            change[k] = _choice_said(fdef, t) or change[k]

    def keep(k, v) -> bool:
        fdef = kdef["fields"].get(k)
        if fdef is None or not fdef.get("optional") or v is None:
            return True
        if not _said(fdef, v, t):  # an optional choice the request never states
            return False
        here = _after(fdef, change, t)
        return grounded(here, fdef, v) and not _placeholder(k, fdef, v, t) and not _echo(k, fdef, v, change, t)

    out = {
        k: _request_case(text, kdef["fields"][k], _quoted(text, kdef["fields"][k], v)) if k in kdef["fields"] else v
        for k, v in change.items()
        if keep(k, v)
    }
    own = kdef.get("instance")  # "group 100 ... priority 200; group 101 preempt off": which group's is the model's
    several = own is not None and len(set(re.findall(kdef.get("instances") or kdef["fields"][own]["from_text"], t))) > 1
    for fname, fdef in kdef["fields"].items():
        if several and fname != own and not fdef.get("scope"):
            continue
        # ("add user A at privilege 1, password ${X}, delete the old B account": B's removal takes neither)
        # (a removal the request never asks for becomes an add below, and takes them)
        removal = out.get("op") == "remove" and asks_removal(out.get("kind"), t)
        fill = not removal or not (fdef["type"] == "secret" or fdef.get("word_values"))
        if fdef.get("scope") and fdef.get("from_text") and out.get(fname) is not None:
            said = {v.lower() for v in re.findall(fdef["from_text"], t)}  # "router bgp 65310, remote-as 65300"
            if len(said) == 1 and str(out[fname]).lower() not in said:
                del out[fname]
        found: set = set()
        if not fill:
            continue
        if (
            out.get(fname) is None
            and fdef.get("from_text")
            and not _said_of_another_port(fdef, out, t)
            and not (out.get("op") == "add" and _said_going(fdef, t))
        ):
            found = set(re.findall(fdef["from_text"], _after(fdef, out, t)))
        elif out.get(fname) is None and fdef.get("from_says"):  # "static port-channel 40": mode on, not the default
            found = {c for c in [_choice_said(fdef, t) or _choice_before(fdef, out, t)] if c}
        if out.get(fname) is None and not found and fdef.get("word_values"):  # "a local admin": privilege 15
            found = _word_value(fdef, t)
        if len(found) == 1:
            v = found.pop()
            out[fname] = (
                int(v) if intent.field_type(fdef).schema == {"type": "integer"} else _request_case(text, fdef, v)
            )
        elif fdef["type"] == "prefix" and re.fullmatch(
            rf"{intent.IP_RE.pattern}\s*(/\s*0|0\.0\.0\.0)", str(out.get(fname, ""))
        ):
            out[fname] = "0.0.0.0/0"
    if out.get("op") == "remove" and "add" in kdef["ops"] and not asks_removal(out["kind"], t):
        out["op"] = "add"
    elif out.get("op") == "remove" and _sets_instead(out, kdef, t):
        out["op"] = "add"
    elif out.get("op") == "add" and _lacks_add_value(out, kdef) and _asks_default(out["kind"], text):
        out["op"] = "remove"
    elif (
        out.get("op") == "add"
        and out["kind"] in intent.spec().get("toggles", [])
        and not asks_to_create(out["kind"], text)
        and asks_removal(out["kind"], t)
    ):
        out["op"] = "remove"
    out = _same_as(_default_route(out, kdef, t), text)
    rule = intent.spec().get("removal_words", {}).get(out["kind"])
    if rule and rule.get("else") and out.get("op") == "remove" and not _says_removal_of(out["kind"], t):
        other = intent.kinds()[rule["else"]]["fields"]
        if all(out.get(f) is not None for f, d in other.items() if not d.get("optional")):
            out = {"kind": rule["else"], "op": "remove", **{f: v for f, v in out.items() if f in other}}
    return out


def _said(fdef: dict, v, t: str) -> bool:
    """A choice with `says` words stands only where the request has one of them ("stays protected" says
    neither permit nor deny); any other value passes."""
    says = fdef.get("says", {}).get(v) if isinstance(v, str) else None
    return not says or re.search(says, t) is not None


def _only_said(fdef: dict, v, t: str, before: str = r"(?!)", after: str = r"(?!)") -> bool:
    """Whether every place the request says choice `v` (its `says` words) comes right after `before` or right
    before `after`: a choice said only as kept, or only as left."""
    says = fdef.get("says", {}).get(v) if isinstance(v, str) else None
    found = list(re.finditer(says, t)) if says else []
    return bool(found) and all(
        re.search(rf"(?:{before})$", t[: m.start()]) or re.match(rf"(?:{after})", t[m.end() :]) for m in found
    )


# "remove the unicast limit, keep the broadcast one": broadcast is kept
_KEPT = {
    "before": r"\b(?:keep|keeping|leave|leaving)\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[\w-]+\s+)?",
    "after": r"\W*(?:[\w-]+\W+)?(?:stays?|remains?|untouched|as it is|alone)\b",
}


def _kept_only(t: str, v) -> bool:
    """Whether a thing a removal names is said only as kept ("delete pool A. Leave B alone.": B stays)."""
    if not isinstance(v, str) or not v.strip():
        return False
    value = re.escape(intent.norm_text(v))
    found = list(re.finditer(rf"(?<![\w.-]){value}(?![\w-]|\.\w)", t))
    return bool(found) and all(
        re.search(rf"(?:{_KEPT['before']})$", t[: m.start()]) or re.match(rf"(?:{_KEPT['after']})", t[m.end() :])
        for m in found
    )


# "move STP from RSTP to MSTP", "run RSTP instead of the default MSTP": RSTP, MSTP are left
_LEFT = {"before": r"\b(?:from|instead of|rather than|replacing)\s+(?:the\s+)?(?:default\s+|current\s+|old\s+)?"}


def kept_word(t: str, start: int, end: int) -> bool:
    """Whether the words at t[start:end] are said as what stays ("leave preempt as it is", "keep the mtu")."""
    return bool(re.search(rf"(?:{_KEPT['before']})$", t[:start], re.I) or re.match(_KEPT["after"], t[end:], re.I))


def _choice_said(fdef: dict, t: str) -> str | None:
    """The one choice of a `says` field whose words the request has, not as what stays ("leave preempt as it is");
    None when it has none or several."""
    said = [
        c
        for c, words in fdef.get("says", {}).items()
        if any(not kept_word(t, m.start(), m.end()) for m in re.finditer(words, t))
    ]
    return said[0] if len(said) == 1 else None


def _anchor(change: dict, field: str | None, t: str) -> tuple[int, str]:
    """Where the change's value of `field` is written in the request `t` (-1 where it is not), and that value."""
    value = str(change.get(field or "", "")).lower() if field and change.get(field) is not None else ""
    return (t.find(value) if value else -1), value


def _after(fdef: dict, change: dict, t: str) -> str:
    """The part of the request a field with `said_after` is said in: from the change's value of that field to
    the next address ("permit 10.255.0.0/16 ge 32, deny 0.0.0.0/0 le 32": le 32 is 0.0.0.0/0's); else all of it."""
    at, anchor = _anchor(change, fdef.get("said_after"), t)
    if at < 0:
        return t
    rest = t[at + len(anchor) :]
    nxt = intent.IP_RE.search(rest)
    return rest[: nxt.start()] if nxt else rest


_PORT_NUMBER = r"(?<![\d.])\d+(?:/\d+)+(?:-\d+)?"  # "2/0/7" of Gi2/0/7, "0/0/14" of ge-0/0/14


def _said_of_another_port(fdef: dict, change: dict, t: str) -> bool:
    """Whether the request says the field's value only in a part about other ports than the change's: "Gi2/0/7 ->
    vlan 221, and only Gi2/0/8 gets voice vlan 250" gives Gi2/0/7 no voice VLAN."""
    own = set(re.findall(_PORT_NUMBER, str(change.get("interfaces") or change.get("interface") or "")))
    parts = _parts_saying(fdef, t, r"[,;]|\.\s")
    return bool(own and parts) and all(
        re.search(_PORT_NUMBER, p) and not own & set(re.findall(_PORT_NUMBER, p)) for p in parts
    )


def _said_going(fdef: dict, t: str) -> bool:
    """Whether the request says the field's value only where it removes it: "pull voice vlan 110 off them and put
    those ports in vlan 20" gives the ports' new access VLAN no voice VLAN."""
    gone = rf"{intent.spec()['coverage']['removes']}|\bpull\b.{{0,30}}\b(?:off|out)\b|\b(?:no|remove|delete)\s"
    parts = _parts_saying(fdef, t, r"[,;]|\.\s|\band\b")
    return bool(parts) and all(re.search(gone, p) for p in parts)


def _parts_saying(fdef: dict, t: str, breaks: str) -> list[str]:
    """The parts of the request (split at `breaks`) that state a value of the field (its `from_text`)."""
    return [p for p in re.split(breaks, t) if re.search(fdef["from_text"], p)]


def _choice_before(fdef: dict, change: dict, t: str) -> str | None:
    """Where the request says several choices, the one said last before the change's `said_before` value:
    "deny 10.0.0.0/8 le 32 and permit 0.0.0.0/0" denies 10.0.0.0/8 and permits 0.0.0.0/0."""
    at, _ = _anchor(change, fdef.get("said_before"), t)
    if at < 0:
        return None
    said = [(m.end(), c) for c, words in fdef.get("says", {}).items() for m in re.finditer(words, t[:at])]
    return max(said)[1] if said else None


def _sets_instead(change: dict, kdef: dict, t: str) -> bool:
    """A removal of a kind whose `removal_words` (with `else_add`) the request lacks, that sets one of the values an
    add needs: "lower the hsrp priority to 80" and "disable preemption" change the group, they do not remove it."""
    rule = intent.spec().get("removal_words", {}).get(change["kind"]) or {}
    needs = kdef.get("add_needs_one_of", [])
    return (
        bool(rule.get("else_add"))
        and not _says_removal_of(change["kind"], t)
        and any(change.get(f) is not None for f in needs)
    )


def _lacks_add_value(change: dict, kdef: dict) -> bool:
    needed = [f for f, d in kdef["fields"].items() if "add" in d.get("required_for", [])]
    return bool(needed) and "remove" in kdef["ops"] and any(change.get(f) is None for f in needed)


def _asks_default(kind: str, text: str) -> bool:
    """The request puts the kind back to its default ("mtu back to default", "reset the mtu", "no mtu", "remove the
    hardcoded speed")."""
    t = intent.norm_text(text)
    cues = "|".join(intent.spec()["cues"].get(kind, [])) or re.escape(kind)
    return negated(kind, text) or bool(
        re.search(rf"(?:{cues})\W+(?:\S+\W+){{0,4}}?(?:back )?to (?:the |its )?default", t)
        or re.search(
            rf"\b(?:back to (?:the |its )?default|reset|default|remove|clear|delete|take off|get rid of)\s+(?:the |its |their )?(?:\S+\s+){{0,2}}?(?:{cues})",
            t,
        )
    )


def _v4s(text: str) -> list[str]:
    return intent.IP_RE.findall(text)


def _v6s(text: str) -> list[str]:
    return [ip for ip, _ in values.ipv6_found(text)]


# A route's field types -> how its addresses are found in text, and its default route.
_ROUTE_FAMILIES: dict[tuple, tuple[Callable[[str], list[str]], str]] = {
    ("prefix", "next_hop"): (_v4s, "0.0.0.0/0"),
    ("ipv6_prefix", "ipv6_next_hop"): (_v6s, "::/0"),  # "ipv6 default route via 2001:db8::1" as a route to ::1/128
}


def _default_route(change: dict, kdef: dict, t: str) -> dict:
    """A "default route to 192.168.0.254" answered as a route to that address via a next hop the request
    never gives (one copied from an example), or via itself: the address is the next hop of 0.0.0.0/0 (::/0)."""
    fields = kdef["fields"]
    family = _ROUTE_FAMILIES.get((fields.get("prefix", {}).get("type"), fields.get("next_hop", {}).get("type")))
    if family is None:
        return change
    ips, default = family
    said = list(dict.fromkeys(ips(t)))
    hop, prefix = change.get("next_hop"), str(change.get("prefix") or "")
    if (
        re.search(r"\bdefault (?:route|gateway)\b", t)
        and len(said) == 1
        and ips(prefix) == said[:1]
        and hop is not None
        and (not grounded(t, fields["next_hop"], hop) or ips(str(hop)) == said[:1])
        and not grounded(t, fields["prefix"], prefix)
    ):
        return {**change, "prefix": default, "next_hop": said[0]}
    return change


def _same_as(change: dict, text: str) -> dict:
    """A change of a kind the request has no word for, said as the kind it does ask for (`same_as`)."""
    rule = intent.spec().get("same_as", {}).get(change.get("kind"))
    if not rule or asks_for(change["kind"], text) or not asks_for(rule["kind"], text):
        return change
    moved = {k: v for k, v in change.items() if k not in ("kind", "op") and v is not None}
    fields = intent.kinds()[rule["kind"]]["fields"]
    if not set(moved) <= set(rule["fields"]):
        return change
    out = {"kind": rule["kind"], "op": change.get("op")}
    for k, v in moved.items():
        target = rule["fields"][k]
        if fields[target]["type"] == "vlan":
            if not re.fullmatch(r"\s*\d+\s*", str(v)):
                return change  # a list is no single VLAN
            v = int(v)
        out[target] = v
    return out


def _says_removal_of(kind: str | None, t: str) -> bool:
    rule = intent.spec().get("removal_words", {}).get(kind)
    return not rule or any(re.search(w, t) for w in rule["words"])


def negated(kind: str, text: str, besides: tuple = (), change: dict | None = None) -> bool:
    """Whether the request negates a kind that can be removed ("no bpdu guard", "remove its
    description"). Kinds whose removal has its own words (no shutdown, no switchport) never are. A cue
    the kinds `besides` share ("delete vlan 70" beside a VLAN removed) negates them, not this kind. With a
    `change`, a negation that names another object by number ("delete vlan 40" beside "rename vlan 30") is
    not of it."""
    kdef = intent.kinds().get(kind, {})
    if "remove" not in kdef.get("ops", []) or kind in intent.spec()["remove_cues"]:
        return False
    t = intent.norm_text(text)
    neg = "|".join(intent.spec()["negations"])
    cues = intent.spec()["cues"]
    numbers = {str(v) for v in (change or {}).values() if isinstance(v, int) and not isinstance(v, bool)}
    for c in cues.get(kind, []):
        if any(c in cues.get(other, []) for other in besides if other != kind):
            continue
        for m in re.finditer(rf"\b(?:{neg})\s+(?:(?!and\b|then\b|or\b)[\w-]+\s+)?(?:{c})", t):
            named = re.match(r"\w*\W{0,2}(\d+)\b", t[m.end() :])
            if not (numbers and named and named.group(1) not in numbers):
                return True
    return False


def asks_to_create(kind: str | None, text: str) -> bool:
    """Whether the text has a word that creates a kind listed in `add_cues` (others always pass)."""
    cues = intent.spec().get("add_cues", {}).get(kind)
    t = intent.norm_text(text)
    return not cues or any(intent.rx(c).search(t) for c in cues)


def asks_for(kind: str | None, text: str) -> bool:
    """Whether the text has a cue word of this kind of change (kinds without cues always pass)."""
    return kind not in intent.spec()["cues"] or kind in cued_kinds(text)


def unasked_kinds(text: str, context: str | None = None) -> tuple[str, ...]:
    """The kinds `ungrounded` refuses for `text` whatever their values (none where the text asks for no kind:
    an unsupported request is told so)."""
    asked = set(cued_kinds(text)) | set(cued_kinds(context) if context else ()) & set(intent.cued_only_kinds())
    if not intent.addresses(text):  # "enable ge-0/0/20" shuts no BGP peer down: it has no address to name one
        asked -= {k for k in asked if any(_needs_ipv4(f) for f in intent.kinds()[k]["fields"].values())}
    if not asked:
        return ()
    return tuple(k for k in intent.spec()["cues"] if k not in asked)


def _needs_ipv4(fdef: dict) -> bool:
    return fdef["type"] == "ipv4" and not fdef.get("optional") and not fdef.get("from_text")


def ungrounded(change: dict, text: str, context: str | None = None) -> list[str]:
    """Values in a change that do not come from the intent text (hallucinations), as messages. `context`: the
    whole request of a clause `text`, whose words may ask for a `cued_only` kind ("prefix-list PL: ..., deny B")."""
    t = intent.norm_text(text)
    kind = change.get("kind")
    problems = []
    if not asks_for(kind, text) and not (context and kind in intent.cued_only_kinds() and asks_for(kind, context)):
        problems.append(f"the request does not ask for {kind}")
    if change.get("op") == "remove" and not (asks_removal(kind, t) and _says_removal_of(kind, t)):
        problems.append(f"the request does not ask to remove {kind}")
    if change.get("op") == "add" and not asks_to_create(kind, text):
        problems.append(f"the request does not ask to add {kind}{intent.spec().get('add_cue_hints', {}).get(kind, '')}")
    for fname, fdef in intent.kinds().get(kind, {}).get("fields", {}).items():
        v = change.get(fname)
        if v is not None and not grounded(t, fdef, v):
            ipv6_kind = intent.kinds()[kind].get("ipv6_kind")
            v6 = ipv6_kind and values.ipv6_found(text)
            hint = f" (the request's address {v6[0][0]} is IPv6: that is {ipv6_kind})" if v6 else ""
            problems.append(f"{fname} {v!r} does not appear in the request{hint}")
        elif not _said(fdef, v, t):
            problems.append(f"the request does not say to {v} ({kind} {fname})")
        elif change.get("op") == "remove" and (_only_said(fdef, v, t, **_KEPT) or _kept_only(t, v)):
            problems.append(f"the request keeps {v}: remove only what it takes off ({kind} {fname})")
        elif change.get("op") == "add" and _only_said(fdef, v, t, **_LEFT):
            problems.append(f"the request moves away from {v}: set what it moves to ({kind} {fname})")
        elif fdef["type"] == "text" and v is not None and _names_its_kind(kind, str(v)):
            problems.append(f"{kind} {fname} {v!r} only names the setting: the request gives no {fname} for it")
        elif fdef["type"] == "text" and v is not None and not _quoted_whole(str(v), text):
            problems += _swallowed(kind, str(v), bool(fdef.get("prose")))
        elif (
            change.get("op") == "remove"
            and v is not None
            and not _said_after(t, fdef.get("removed_after"), v, fdef.get("kept_before"))
        ):
            problems.append(f"{fname} {v} is not said as one: the request does not ask to remove {kind} {v}")
    return problems


def _said_after(t: str, words: str | None, v, kept_before: str | None = None) -> bool:
    """Whether number `v` is in a list or range right after one of `words` ("delete vlans 30, 31-33"): the 90 of
    "po10 trunk: add vlans 500-502 and remove 90" is no VLAN to delete. Without words, any place will do. A list
    followed by `kept_before` is taken out of something else, not removed ("take vlan 3010 out of ospf")."""
    if not words:
        return True
    item = r"\d+(?:\s*(?:-|to|through)\s*\d+)?"
    for m in re.finditer(rf"(?:{words})\W*({item}(?:\s*(?:,|and)\s*{item})*)", t):
        if kept_before and re.match(kept_before, t[m.end() :]):
            continue
        try:
            if int(v) in values.vlan_list(m.group(1)):
                return True
        except NetcfgError:
            continue
    return False


def _names_its_kind(kind: str | None, value: str) -> bool:
    """A text made only of its kind's own words: "drop the MOTD banner" answered as a banner that reads "MOTD"."""
    cues = intent.spec()["cues"].get(kind) or []
    words = re.findall(r"[\w-]+", intent.norm_text(value))
    return bool(words) and all(any(re.search(c, w) for c in cues) for w in words)


def _swallowed(kind: str | None, value: str, prose: bool = False) -> list[str]:
    """Other requested changes copied into a free-text field: "desc AP-2, access vlan 60, bpduguard". In `prose`
    (a banner) a part counts only when it opens with a cue of another kind ("..., ntp server 10.0.0.1"), not
    when its words merely have one's letters ("..., unauthorized access prohibited")."""
    parts = [p.strip() for p in value.split(",")[1:]]
    other = [p for p in parts if set(cued_kinds(p, at_start=prose)) - {kind}]
    if not other:
        return []
    return [
        f"{kind} text {value!r} includes other changes ({', '.join(other)}); keep only the {kind} "
        f"text and make each of those a change of its own kind"
    ]


# --- a whole answer ------------------------------------------------------------------------


def problems(changes: list[dict], text: str, context: str | None = None) -> list[str]:
    """What is wrong with an answer for `text` (ungrounded, with `context`, and distinct rules), as messages."""
    out = []
    said_last = catch_all(changes, text)
    for c in changes:
        if c.get("kind") != intent.UNSUPPORTED and c != said_last:
            out += ungrounded(c, text, context)  # ("then deny everything else" says `deny ip any any` whole)
    for rule in intent.spec().get("distinct", []):  # lo3's own address is no OSPF network of the request
        if re.search(rule.get("unless", r"(?!)"), text, re.I):
            continue
        taken = {str(o.get(rule["other_field"])).replace(" ", "") for o in changes if o.get("kind") == rule["other"]}
        out += [
            f"{rule['kind']} {rule['field']} {c[rule['field']]} is the address of an interface in this answer; "
            f"{rule['hint']}"
            for c in changes
            if c.get("kind") == rule["kind"] and str(c.get(rule["field"])).replace(" ", "") in taken
        ]
    created = {str(c.get("vlan")) for c in changes if c.get("kind") == "vlan" and c.get("op") == "add"}
    for c in changes:  # "create vlan 71, move Gi1/0/10-12 from vlan 70 to it" answered as a removal from vlan 71
        if c.get("op") == "remove" and c.get("kind") != "vlan" and str(c.get("vlan")) in created:
            out.append(f"the request creates vlan {c['vlan']}, but the answer removes it from {object_of(c)}")
    rest = re.search(intent.spec().get("everything_else", r"(?!)"), text, re.I)
    acls = sorted({str(c.get("acl")) for c in changes if c.get("kind") == "acl_rule" and c.get("op") == "add"})
    if (
        rest and len(acls) > 1
    ):  # "filter F: allow ssh from A and snmp from B, drop the rest" is one ACL, not "ssh" and "snmp"
        out.append(f"'{rest.group(0)}' ends one ACL, but the answer adds lines to the ACLs {', '.join(acls)}")
    if any(p.startswith("the request does not ask for") for p in out):
        fits = cued_kinds(text)
        out.append(f"its words fit the kinds {', '.join(fits)}" if fits else "none of its words fit a kind")
    return out


def tidy(changes: list[dict], text: str) -> list[dict]:
    """Fix what the answer as a whole got wrong, without asking again: the same change twice, or
    once with less said, is kept once (the fuller); an add is a removal when the request negates its kind ("no bpdu guard on e1/8") and it is
    the only change of that kind (not by a word another removal of the answer answers: "delete vlan 70"); an extra change of a kind the request never mentions whose values
    all belong to the changes that answer it (routed_port eth2 beside "eth2 ip 10.1.2.1/24") is left
    out, as is an add that says nothing of its own beside another change on its object (`bare_adds`). Anything
    else wrong is sent back to the model."""
    changes = [c for i, c in enumerate(changes) if c not in changes[:i] and not any(within(c, o) for o in changes)]
    kinds = [c.get("kind") for c in changes]
    removed = tuple(c.get("kind") for c in changes if c.get("op") == "remove")
    changes = [
        dict(c, op="remove")
        if c.get("op") == "add" and kinds.count(c["kind"]) == 1 and negated(c["kind"], text, removed, c)
        else c
        for c in changes
    ]
    asked = [
        c
        for c in changes
        if c.get("kind") == intent.UNSUPPORTED
        or asks_for(c.get("kind"), text)
        and (c.get("op") != "add" or asks_to_create(c.get("kind"), text))
    ]
    seen = set().union(*(_values(c) for c in asked))
    # "vlan 30" of ospf_passive holds the 30 of a vlan, as the SVI "Vlan2460" does
    words = set(re.findall(r"[\w./-]+", " ".join(seen))) | set(re.findall(r"vlan(\d+)\b", " ".join(seen)))
    changes = [c for c in changes if c in asked or not _values(c) <= seen | words] if asked else changes
    changes = _added_to_lists(
        [
            c
            for c in changes
            if not _container(c, changes, text) and not _replaced(c, changes, text) and not _bare(c, changes, text)
        ],
        text,
    )
    return everything_else(without_repeats(changes), text)


def within(change: dict, other: dict) -> bool:
    """Whether `other` is the same change with more said (a route twice, once with its distance): read
    clause by clause the two would be joined into `other` (parse._join)."""
    said = {f: v for f, v in change.items() if v is not None}
    more = {f: v for f, v in other.items() if v is not None}
    return said != more and said.items() <= more.items()


def _bare(change: dict, changes: list[dict], text: str) -> bool:
    """An add that sets none of its kind's `add_needs_one_of` values beside another change on its object, where
    the request has no word that creates one (intent.yaml `bare_adds`)."""
    creates = intent.spec().get("bare_adds", {}).get(change.get("kind"))
    needs = intent.kinds().get(change.get("kind"), {}).get("add_needs_one_of", [])
    return (
        creates is not None
        and change.get("op") == "add"
        and all(change.get(f) is None for f in needs)
        and not re.search(creates, text, re.I)
        and any(o is not change and object_of(o) and object_of(o) == object_of(change) for o in changes)
    )


def _replaced(change: dict, changes: list[dict], text: str) -> bool:
    """A removal the request never words as one, beside an add of the same kind on the same object, of a kind
    whose add replaces the old value (`removal_words` `add_replaces`): "move STP from RSTP to MSTP" answered as
    remove rstp, add mst is the add alone. So is a bare removal beside an add that sets every field of the kind
    ("change the description to X" answered as remove the description, add X)."""
    kind = change.get("kind")
    rule = intent.spec().get("removal_words", {}).get(kind) or {}
    adds = [c for c in changes if c.get("kind") == kind and c.get("op") == "add" and object_of(c) == object_of(change)]
    # "change the description to X" answered as remove it, add X: an add that sets all its kind says the whole state
    fields = [f for f in intent.kinds().get(kind, {}).get("fields", {}) if f not in _OBJECT_FIELDS]
    said = [f for f in fields if change.get(f) is not None]
    whole = bool(fields) and not said and any(all(c.get(f) is not None for f in fields) for c in adds)
    return (
        change.get("op") == "remove"
        and bool(adds)
        and (whole or bool(rule.get("add_replaces")))
        and not (_says_removal_of(kind, intent.norm_text(text)) if rule else negated(str(kind), text))
    )


_OBJECT_FIELDS = ("interfaces", "interface", "neighbor")


def _added_to_lists(changes: list[dict], text: str) -> list[dict]:
    """A list set whole where the request adds to the list the object has (intent.yaml `added_to`: one of
    its words, then the list's first value with no `removal` word between) becomes an add of those
    values; the rest of the change, if it sets more, stays."""
    out = []
    for c in changes:
        rule = intent.spec().get("added_to", {}).get(c.get("kind"))
        if not (rule and c.get("op") == "add" and said_as_added(rule, c.get(rule["field"]), text)):
            out.append(c)
            continue
        into = intent.kinds()[rule["into"]]["fields"]
        out.append({"kind": rule["into"], "op": "add", **{f: c[f] for f in into if c.get(f) is not None}})
        rest = {f: v for f, v in c.items() if f != rule["field"] and v is not None}
        if set(rest) - {"kind", "op"} - set(into):
            out.append(rest)
    return out


def said_as_added(rule: dict, value, text: str) -> bool:
    """Whether one of the rule's words comes before the list's first value, with no removal word between."""
    first = re.match(r"\s*(\d+)", str(value or ""))
    if not first:
        return False
    for w in rule["words"]:
        for m in re.finditer(w, text, re.I):
            at = re.search(rf"(?<!\d){first.group(1)}(?!\d)", text[m.start() : m.end() + 60])
            if at and not re.search(rule["removal"], text[m.start() : m.start() + at.start()], re.I):
                return True
    after = rule.get("after_removal") or "(?!)"
    return any(re.match(rf"{first.group(1)}(?!\d)", text[m.end() :]) for m in re.finditer(after, text, re.I))


def without_repeats(changes: list[dict]) -> list[dict]:
    """Changes that only repeat what another of the same answer sets (intent.yaml `repeats`) left out."""

    def key(c: dict) -> str:
        return re.sub(r"\s+", "", str(object_of(c) or "")).lower()

    out = []
    for c in changes:
        rule = intent.spec().get("repeats", {}).get(c.get("kind"))
        if not (
            rule
            and c.get("op") == rule["op"]
            and c.get(rule["field"]) is not None
            and key(c)
            and any(
                o.get("kind") == rule["into"]
                and o.get("op") == "add"
                and key(o) == key(c)
                and str(o.get(rule["field"])) == str(c[rule["field"]])
                for o in changes
            )
        ):
            out.append(c)
    return out


def _container(change: dict, changes: list[dict], text: str) -> bool:
    """A removal of what the request only takes ports out of ("pull Et12 out of vlan 2777": intent.yaml
    `taken_out_of`), beside the change that takes them out."""
    rule = intent.spec().get("taken_out_of", {}).get(change.get("kind"))
    if (
        not rule
        or change.get("op") != "remove"
        or not any(c.get("op") == "remove" and c.get("kind") in rule["by"] for c in changes)
    ):
        return False
    said = [m.group(1) for m in re.finditer(rf"(\S+\s+){rule['named']}{change.get(rule['field'])}(?!\d)", text, re.I)]
    return bool(said) and all(re.fullmatch(rf"(?:{rule['after']})\s+", w, re.I) for w in said)


def object_of(change: dict):
    """What a change is set on: its interface(s), its BGP neighbor, or the device itself."""
    return next((change[f] for f in _OBJECT_FIELDS if change.get(f)), None)


def catch_all(changes: list[dict], text: str) -> dict | None:
    """The line a request's "then deny (let) everything else" stands for: `deny ip any any` (`permit ...`, by the
    permit words of acl_rule's action) in the one ACL the answer adds lines to; None without the phrase."""
    m = re.search(intent.spec().get("everything_else", r"(?!)"), text, re.I)
    acls = {c.get("acl") for c in changes if c.get("kind") == "acl_rule" and c.get("op") == "add"}
    if not m or len(acls) != 1:
        return None
    permit = intent.kinds()["acl_rule"]["fields"]["action"]["says"]["permit"]
    return {
        "kind": "acl_rule",
        "op": "add",
        "acl": acls.pop(),
        "action": "permit" if re.fullmatch(permit, m.group(1) or m.group(2), re.I) else "deny",
        "protocol": "ip",
        "source": "any",
        "destination": "any",
    }


def everything_else(changes: list[dict], text: str) -> list[dict]:
    """A request's "then deny everything else" is `deny ip any any` in the ACL it edits (`catch_all`): a catch-all
    line the model narrowed (deny tcp any any) is widened, one it left out is added."""
    last = catch_all(changes, text)
    if last is None:
        return changes
    action = last["action"]
    rest = [
        c
        for c in changes
        if not (
            c.get("kind") == "acl_rule"
            and c.get("op") == "add"
            and c.get("action") == action
            and c.get("source") == "any"
            and c.get("destination") == "any"
            and not re.search(rf"{action}\s+{c.get('protocol')}\s+(?:from\s+)?any", text, re.I)
        )
    ]
    rules = [i for i, c in enumerate(rest) if c.get("kind") == "acl_rule"]
    at = rules[-1] + 1 if rules else len(rest)
    return rest[:at] + [last] + rest[at:]


def _values(change: dict) -> set[str]:
    return {str(v).lower() for k, v in change.items() if k not in ("kind", "op")}


def leaves_out(changes: list[dict], text: str) -> bool:
    """Whether an address in the request is in none of the changes (an item dropped from a list)."""
    used = " ".join(set().union(*map(_values, changes)))
    return any(a not in used for a in intent.addresses(text) if not a.startswith("255."))
