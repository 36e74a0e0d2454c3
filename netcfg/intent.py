"""The typed, vendor-neutral intent: its schema (for the model's grammar), field types, validation and
normalisation. Whether an answer's values come from the request is netcfg/grounding.py.

A change is a dict such as {"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"}. Kinds and
their fields are data, in vendor_schemas/intent.yaml.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

import yaml

from . import values
from .errors import IntentError
from .paths import data_path

UNSUPPORTED = "unsupported"
IP_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d|\.\d)")  # "... 10.0.0.5." ends a sentence


@lru_cache(maxsize=4096)
def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled once per process. The spec holds more patterns than `re`'s own cache (512), so
    `re.search(pattern, ...)` would compile most of them again on every request (8,034 compiles over 21
    IOS requests; 1,045 with this, most of them each pattern's first).
    Only for patterns the spec fixes, never ones built from a request's values."""
    return re.compile(pattern, flags)


@lru_cache(maxsize=None)
def spec() -> dict:
    """The intent specification: kinds, cues, ports."""
    with open(data_path("vendor_schemas") / "intent.yaml") as f:
        return yaml.safe_load(f)


def kinds() -> dict:
    return spec()["kinds"]


_IP = r"[0-9]{1,3}([.][0-9]{1,3}){3}"
_MASK = rf"(/[0-9]{{1,2}}| {_IP}| mask {_IP})"
_IP6 = r"[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}"


def _grammar_field(fdef: dict, patterns: bool = True) -> dict:
    if isinstance(fdef["type"], list):
        return {"enum": fdef["type"]}
    ftype = FIELD_TYPES[fdef["type"]]
    if patterns and ftype.pattern:
        return {"type": "string", "pattern": ftype.pattern}
    return dict(ftype.schema)


def _kind_schema(name: str, kdef: dict, *, ranges: bool) -> dict:
    props: dict = {"kind": {"const": name}, "op": {"enum": kdef["ops"]}}
    required = ["kind", "op"]
    for fname, fdef in kdef["fields"].items():
        p = _grammar_field(fdef, patterns=not ranges)
        if ranges:
            bounds = field_type(fdef).bounds
            if bounds:
                p["minimum"], p["maximum"] = bounds
            if "min" in fdef:
                p["minimum"] = fdef["min"]
            if "max" in fdef:
                p["maximum"] = fdef["max"]
            if "step" in fdef:
                p["multipleOf"] = fdef["step"]
        props[fname] = p
        if not fdef.get("optional"):
            required.append(fname)
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def grammar_schema(
    allow_unsupported: bool = True, text: str | None = None, cues: str | None = None, unasked: tuple = ()
) -> dict:
    """JSON schema the model's output is decoded against: {"changes": [change, ...]}.

    Without `allow_unsupported` the model must pick one of the kinds (grounding then decides). With the
    request's `text`, an IPv4 kind that has an `ipv6_kind` is not offered where the request writes IPv6
    addresses and no IPv4 one: a small model writes "2001:db8:51::/44" as "200.1.0.0/44" otherwise; nor is
    a kind marked `cued_only` whose cue words the request lacks ("logging: drop 10.6.6.6" is no severity);
    `cues`, where given, is the text those words are looked for in (a clause's whole request). Nor are the
    `unasked` kinds, which grounding would refuse.
    """
    if text is None:
        return _grammar_schema(allow_unsupported, False, ())
    v6_only = bool(values.ipv6_found(text)) and not IP_RE.search(text)
    return _grammar_schema(allow_unsupported, v6_only, tuple(sorted({*uncued_kinds(cues or text), *unasked})))


@lru_cache(maxsize=None)
def cued_only_kinds() -> tuple[str, ...]:
    """The kinds marked `cued_only`, in schema order."""
    return tuple(n for n, k in kinds().items() if k.get("cued_only"))


def uncued_kinds(text: str) -> tuple[str, ...]:
    """The `cued_only` kinds whose cue words `text` lacks: neither offered nor described to the model."""
    t = norm_text(text)
    return tuple(n for n in cued_only_kinds() if not any(rx(c).search(t) for c in spec()["cues"].get(n, [])))


@lru_cache(maxsize=None)
def _grammar_schema(allow_unsupported: bool, v6_only: bool, uncued: tuple) -> dict:
    items = [
        _kind_schema(n, k, ranges=False)
        for n, k in kinds().items()
        if not (v6_only and k.get("ipv6_kind")) and n not in uncued
    ]
    if allow_unsupported:
        items.append(
            {
                "type": "object",
                "properties": {"kind": {"const": UNSUPPORTED}, "request": {"type": "string"}},
                "required": ["kind", "request"],
            }
        )
    return {
        "type": "object",
        "properties": {"changes": {"type": "array", "items": {"anyOf": items}, "minItems": 1, "maxItems": 8}},
        "required": ["changes"],
    }


_KIND_END = re.compile(r'"kind":"([a-z_]+)"')
_OP_END = re.compile(r'"kind":"([a-z_]+)","op":"([a-z]+)')
_CHANGE_END = re.compile(r"\},")


def forced_next(answer: str) -> str:
    """The text grammar_schema leaves as the only way on from `answer` (compact JSON, white space
    aside), for a decoder to evaluate without choosing it: `,"op":"` after a kind, the first
    required field's name after the op, `{"kind":"` after "},". It stops where the model's own
    tokens would run on into a value (`":"`, `":1`), so they stay the ones it knows."""
    for anchor in (_CHANGE_END, _OP_END, _KIND_END):
        found = list(anchor.finditer(answer))
        m = found[-1] if found else None  # the last one
        if m is None:
            continue
        if anchor is _CHANGE_END:
            whole = '{"kind":"'
        elif m.group(1) not in kinds():
            continue
        elif anchor is _KIND_END:
            whole = ',"op":"'
        else:
            fields = kinds()[m.group(1)]["fields"]
            first = next((f for f, d in fields.items() if not d.get("optional")), None)
            if m.group(2) not in kinds()[m.group(1)]["ops"] or first is None:
                continue
            whole = f'","{first}'
        tail = answer[m.end() :]
        if whole.startswith(tail) and len(whole) > len(tail):
            return whole[len(tail) :]
    return ""


def kinds_doc(cued: bool = True) -> str:
    """One line per kind for the model's instructions: name(fields): what it does. Without `cued`, the
    `cued_only` kinds are left out (a longer kind list must not cost, or confuse, every request)."""
    lines = []
    for name, k in kinds().items():
        if k.get("cued_only") and not cued:
            continue
        fields = ", ".join(f + ("?" if d.get("optional") else "") for f, d in k["fields"].items())
        lines.append(f"{name}({fields}) ops={'/'.join(k['ops'])}: {k['doc']}")
    return "\n".join(lines)


def kinds_hints() -> str:
    """The `cued_only` kinds' hints (their `hint`), for the instructions' hint line."""
    return "".join(" " + kinds()[n]["hint"] for n in cued_only_kinds() if kinds()[n].get("hint"))


_OPTIONAL_PART = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"\{([a-z_]+)\}")


def describe(change: dict, normalized: dict | None = None) -> str:
    """One plain-English line for a change (its kind's `say`), in the request's own values; the
    interface names the vendor expands them to, and the fields filled from the running config,
    come from `normalized`."""
    kdef = kinds().get(change.get("kind"), {})
    template = kdef.get("say", {}).get(change.get("op"))
    if not template:
        return f"{change.get('op')} {change.get('kind')}"
    shown = {}
    for fname, fdef in kdef["fields"].items():
        v = change.get(fname)
        n = (normalized or {}).get(fname)
        if fdef["type"] in ("interface", "interfaces") and n:
            v = ", ".join(n) if isinstance(n, list) else n
        elif v is None and isinstance(n, (str, int)):
            v = n
        shown[fname] = None if v is None else str(v)

    def part(m: re.Match) -> str:
        inner = m.group(1)
        return inner if all(shown.get(f) is not None for f in _FIELD.findall(inner)) else ""

    return _FIELD.sub(lambda m: shown.get(m.group(1)) or "", _OPTIONAL_PART.sub(part, template))


def supported_summary() -> str:
    return ", ".join(kinds())


# --- validation -----------------------------------------------------------------------------


def validate(change: dict, rules: Mapping) -> None:
    """Check one change against its kind's schema, value ranges and the vendor's name rules."""
    import jsonschema

    kind = change.get("kind")
    if not isinstance(kind, str) or kind not in kinds():
        raise IntentError(f"unknown kind of change {kind!r}; netcfg supports: {supported_summary()}")
    kdef = kinds()[kind]
    schema = _kind_schema(kind, kdef, ranges=True)
    for fname, fdef in kdef["fields"].items():
        rule = rules.get(fdef.get("rule", ""))
        if rule:
            schema["properties"][fname].update({k: v for k, v in rule.items() if k != "hint"})
    for fname, fdef in kdef["fields"].items():
        if change.get("op") in fdef.get("required_for", []) and change.get(fname) is None:
            raise IntentError(f"{kind} {change['op']} needs a {fname.replace('_', ' ')}")
    one_of = kdef.get("add_needs_one_of")
    if change.get("op") == "add" and one_of and all(change.get(f) is None for f in one_of):
        raise IntentError(f"{kind} needs {' or '.join(f.replace('_', ' ') for f in one_of)}")
    err = next(iter(jsonschema.Draft202012Validator(schema).iter_errors(change)), None)
    if err is None:
        return
    field = err.path[0] if err.path else ""
    label = (kind if field in ("", kind) or kind.endswith(f"_{field}") else f"{kind} {field}").replace("_", " ")
    if err.validator in ("minimum", "maximum"):
        lo = schema["properties"][field].get("minimum")
        hi = schema["properties"][field].get("maximum")
        raise IntentError(f"{label} {err.instance} is out of range ({lo}-{hi})")
    if err.validator == "multipleOf":
        raise IntentError(f"{label} {err.instance} is not a multiple of {err.validator_value}")
    if err.validator in ("pattern", "maxLength", "minLength"):
        rule = rules.get(kdef["fields"][field].get("rule", ""), {})
        raise IntentError(f"{label} {err.instance!r} is not valid: {rule.get('hint', err.message)}")
    if err.validator == "required":
        raise IntentError(f"{kind} needs {err.message.split()[0]}")
    raise IntentError(f"{label}: {err.message}")


@lru_cache(maxsize=None)
def _strict_validator(kind: str):
    """A kind's grammar schema as a validator where 30.0 and True are not integers."""
    import jsonschema

    checker = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, v: isinstance(v, int) and not isinstance(v, bool)
    )
    strict = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=checker)
    return strict(_kind_schema(kind, kinds()[kind], ranges=False))


def shape_problems(changes) -> list[str]:
    """What in an answer the decoding grammar could not have produced, for answers that did not come
    through it (the parse cache): each change checked against its kind's grammar schema strictly (an
    integer is a JSON integer, 30.0 is not; patterns are ASCII and whole-string), no control characters."""
    if not isinstance(changes, list) or not 1 <= len(changes) <= 8:
        return ["an answer is a list of 1 to 8 changes"]
    problems = []
    for c in changes:
        kind = c.get("kind") if isinstance(c, dict) else None
        if kind not in kinds():
            problems.append(f"unknown kind of change {kind!r}")
            continue
        for e in _strict_validator(kind).iter_errors(c):
            problems.append(f"{kind} {'.'.join(map(str, e.absolute_path))}: {' '.join(e.message.split())[:200]}")
        for k, v in c.items():
            if isinstance(v, str) and (v != v.strip() or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in v)):
                problems.append(f"{kind} {k} {v!r} has control characters or surrounding space")
    return problems


# --- field types: how a value is found in the request (the `grounded` rule of FIELD_TYPES) ---------


def norm_text(text: str) -> str:
    """The request as grounding reads it: lower case, quotes and runs of space made one space."""
    return re.sub(r"\s+", " ", text.lower().replace('"', " ").replace("'", " ")).strip()


def _has_number(text: str, n, joiners: str = "") -> bool:
    """n in the text, not part of a longer number nor joined by one of `joiners` to more digits:
    with "/." the 1 of "et49/1" or "10.0.0.1" is no VLAN, cost or AS."""
    j = re.escape(joiners)
    after = rf"(?!\d|[{j}]\d)" if joiners else r"(?!\d)"
    return re.search(rf"(?<![\d{j}]){re.escape(str(n))}{after}", text) is not None


def addresses(text: str) -> set[str]:
    """The IPv4 addresses written in the text."""
    return set(IP_RE.findall(text))


def _prefixlen_mentioned(text: str, plen: int) -> bool:
    if re.search(rf"/\s*{plen}(?!\d)", text):
        return True
    mask = values.prefix(f"0.0.0.0/{plen}")["netmask"]
    return mask in text


def _port_grounded(text: str, port) -> bool:
    names = spec()["ports"]
    want = str(port).lower()
    num = names.get(want, want)
    same = {want, str(num)} | {n for n, v in names.items() if str(v) == str(num)}
    return any(re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text) for s in same)


def _interfaces_grounded(text: str, value: str) -> bool:
    # A whole slot/port path: "et49" is not in "et49/2", nor "gi0/1" in "gi0/1/2", nor "et5" in "gi0/5".
    # The end of a range ("gi1/0/1-3" from "gi1/0/1 through gi1/0/3") may be the last number of a path.
    nums = re.findall(r"(-?)(\d+(?:/\d+)*)", str(value))
    if not nums:  # a name without a number: FRR's "lo"
        return (
            re.fullmatch(r"[a-z]+", str(value).lower()) is not None
            and re.search(rf"\b{value.lower()}\b", text) is not None
        )
    return all(_has_number(text, n, "" if dash else "/") for dash, n in nums)


def _address_grounded(text: str, value: str) -> bool:
    v = str(value).strip().lower()
    if v in ("any", "anything", "all"):
        return True
    if v in ("default", "0.0.0.0/0", "0.0.0.0 0.0.0.0"):
        return "default" in text or "0.0.0.0" in text
    ips = IP_RE.findall(v)
    if not ips or not set(ips) <= addresses(text):
        return False
    plen = re.search(r"/\s*(\d+)", v)
    if plen and int(plen.group(1)) != 32 and not _prefixlen_mentioned(text, int(plen.group(1))):
        return False
    return True


def _prefix_grounded(t: str, v) -> bool:
    if re.search(r"/\s*32$|\s255\.255\.255\.255$", str(v).strip()):  # a host route must say so
        return _address_grounded(t, v) and bool(re.search(r"/\s*32|255\.255\.255\.255|\bhost\b", t))
    return _address_grounded(t, v)


def _written_alone(t: str, ip: str, network: str) -> bool:
    """Whether the request writes the address somewhere not followed by a `network` mask."""
    return re.search(rf"(?<![\d.]){re.escape(ip)}(?!\d|\.\d|{network})", t) is not None


def _host_grounded(t: str, v) -> bool:
    """A host: not the 10.0.0.1 of "10.0.0.1/24", an interface's address."""
    return _address_grounded(t, v) and _written_alone(t, str(v).strip(), r"\s*/\s*\d|\s+255\.")


def _ace_grounded(t: str, v) -> bool:
    """An ACL source or destination; a host is not the network of "10.7.0.0/24" or "10.7.0.0 0.0.0.255"
    (a /32, 255.255.255.255 or 0.0.0.0 wildcard is one host)."""
    host = str(v).strip().lower().removeprefix("host ")
    if not IP_RE.fullmatch(host):
        return _address_grounded(t, v)
    network = r"\s*/\s*(?!32\b)\d|\s+(?!255\.255\.255\.255)255\.|\s+0\.(?!0\.0\.0\b)"
    return _address_grounded(t, v) and _written_alone(t, host, network)


def _v6_grounded(t: str, v) -> bool:
    """An IPv6 value is written in the request, however it is spelled there (2001:DB8:0:0::1 is 2001:db8::1),
    with the same prefix length if the value has one; "default" or ::/0 is the default route."""
    v = str(v).strip().lower()
    if v in ("default", "::/0", "::0/0"):
        return "default" in t or "::/0" in t.replace(" ", "")
    want = values.ipv6_found(v)
    return len(want) == 1 and want[0] in values.ipv6_found(t)


def _speed_grounded(t: str, v) -> bool:
    """A speed the request writes in any unit ("1g", "1000", "gigabit"); an interface name is none."""
    try:
        want = values.speed(v)
    except IntentError:
        return False
    said = set()
    for m in values.SPEED_RE.finditer(t):
        try:
            said.add(values.speed(m.group(0)))
        except IntentError:
            pass
    if re.search(r"\b(?:gig(?:abit|e)?)\b(?![\d/-])", t) and not re.search(
        r"\b(?:10|ten|2[.]5|five|5|25|40|100)\s?gig", t
    ):
        said.add(1000)
    return want in said


def _severity_grounded(t: str, v) -> bool:
    """A severity the request names by its word ("warnings", "warn") or by its number after a word for it ("level 4")."""
    try:
        sev = values.severity(v)
    except IntentError:
        return False
    words = "|".join(w for w, n in values.SEVERITY_WORDS.items() if n == sev["number"])
    return bool(
        re.search(rf"\b(?:{words})", t)
        or re.search(
            rf"\b(?:level|severity|sev|trap|syslog|logging)\W+(?:(?:level|severity|to|at|of|is)\W+){{0,2}}{sev['number']}(?!\d)",
            t,
        )
    )


def _offset_grounded(t: str, v) -> bool:
    """A UTC offset the request writes with its sign ("-5", "UTC-5", "minus 5"; "+1" or "1" east)."""
    try:
        off = values.utc_offset(v)
    except IntentError:
        return False
    h, mins = abs(off["hours"]), off["minutes"]
    tail = rf"(?::?0?{mins:02d}|\s?(?:h\w*\s)?{mins}\s?min)" if mins else r"(?!:?[1-5]\d)"
    if off["hours"] < 0:
        return re.search(rf"(?:[-−]\s?|\bminus\s)0?{h}(?!\d){tail}", t) is not None
    return re.search(rf"(?<![-−\w.:/])(?<!minus )(?:\+\s?|\bplus\s)?0?{h}(?![\d./]){tail}", t) is not None


def _name_grounded(t: str, v) -> bool:
    """A name the request writes, not one read out of a ${VAR} reference (user jlopez, not JLOPEZ of ${JLOPEZ_PW}),
    and no word that points or joins (`not_names`: "instead", "it") or address."""
    if str(v).strip().lower() in spec().get("not_names", []) or re.fullmatch(
        r"\d{1,3}(?:\.\d{1,3}){3}(?:/\d+)?", str(v).strip()
    ):
        return False  # (an address is never a name: "community 10.214.5.99" is the model's mistake)
    return norm_text(str(v)) in values.SECRET_REF.sub(" ", t)


def _secret_grounded(t: str, v) -> bool:
    """A ${VAR} reference the request writes as ${VAR} or $VAR."""
    name = str(v).strip("${} ").lower()
    return re.search(rf"\$\{{?{re.escape(name)}\b", t) is not None


def field_type(fdef: dict) -> FieldType:
    """The FieldType of a field of intent.yaml (a list of words is an enum)."""
    return _ENUM if isinstance(fdef["type"], list) else FIELD_TYPES[fdef["type"]]


# --- normalisation --------------------------------------------------------------------------


def port_number(value) -> int:
    v = str(value).strip().lower()
    if v.isdigit():
        n = int(v)
    elif v in spec()["ports"]:
        n = spec()["ports"][v]
    else:
        raise IntentError(f"unknown port {value!r} (use a number or one of: {', '.join(spec()['ports'])})")
    if not 1 <= n <= 65535:
        raise IntentError(f"port {n} is out of range (1-65535)")
    return n


def normalize(change: dict, naming: values.InterfaceNaming, defaults: Mapping) -> dict:
    """Turn the model's strings into computed values the templates use directly."""
    kdef = kinds()[change["kind"]]
    out: dict = {"kind": change["kind"], "op": change["op"]}
    for fname, fdef in kdef["fields"].items():
        v = change.get(fname)
        if v is None:
            v = defaults.get(fname)
        if v is None:
            out[fname] = None
            continue
        v = field_type(fdef).normal(v, naming, f"{change['kind']} {fname}")
        out[fname] = v
    if out["kind"] == "acl_rule" and out.get("port") and out["protocol"] not in ("tcp", "udp"):
        raise IntentError(f"a port needs protocol tcp or udp, not {out['protocol']}")
    if out["kind"] == "speed" and out.get("duplex") == "half" and (out.get("speed") or 0) > 100:
        raise IntentError(f"half duplex is only for 10 or 100 Mb/s, not {values.speed_name(out['speed'])}")
    if out["kind"] == "prefix_list":
        _check_prefix_lengths(out)
    if out["kind"] == "dhcp_pool":
        if len(out.get("dns") or []) > 8:
            raise IntentError(f"a DHCP pool takes at most 8 DNS servers, not {len(out['dns'])}")
        if out.get("network") and out.get("gateway"):
            check_pool_gateway(out["network"], out["gateway"])
    return out


def check_pool_gateway(network: dict, gateway: str) -> None:
    """A DHCP pool's default router is one of the pool's own hosts: another is a value bound to the wrong thing."""
    net = ipaddress.IPv4Network(network["cidr"])
    gw = ipaddress.IPv4Address(gateway)
    if gw not in net or (net.prefixlen < 31 and gw in (net.network_address, net.broadcast_address)):
        raise IntentError(f"the default router {gateway} is not a host of the pool's network {network['cidr']}")


def _check_prefix_lengths(c: dict) -> None:
    """A prefix-list entry's lengths: prefix length < ge <= le <= 32 (what IOS, EOS, NX-OS and FRR accept)."""
    plen, ge, le = c["prefix"]["prefixlen"], c.get("ge"), c.get("le")
    for word, n in (("ge", ge), ("le", le)):
        if n is not None and not plen < n <= 32:
            raise IntentError(f"{word} {n} must be longer than the prefix's /{plen} and at most 32")
    if ge is not None and le is not None and ge > le:
        raise IntentError(f"ge {ge} must not be greater than le {le}")


def _same(v, naming, label):
    return v


def _hop(host: Callable[[str], str], is_address: Callable[[str], object]):
    """A next hop's normaliser: an address (`host` parses it) or else an interface."""

    def normal(v, naming, label) -> dict:
        return {"ip": host(v), "interface": None} if is_address(str(v)) else {"ip": None, "interface": naming.one(v)}

    return normal


_next_hop = _hop(values.ipv4, IP_RE.search)
_v6_next_hop = _hop(values.ipv6_host, lambda v: ":" in v)


@dataclass(frozen=True)
class FieldType:
    """One field type of intent.yaml: its JSON schema while decoding (`pattern`: the shape a string must
    have), how its value is found in the request, and what the templates get for it."""

    schema: dict
    grounded: Callable[[str, Any], bool]
    normal: Callable[[Any, values.InterfaceNaming, str], Any] = _same
    pattern: str | None = None
    bounds: tuple[int, int] | None = None


def _number(t: str, v) -> bool:
    return _has_number(t, v, "/.")


def _text(v, naming, label) -> str:
    return values.safe_text(v, label)


def _parsed(parse: Callable[[Any], Any]) -> Callable[[Any, values.InterfaceNaming, str], Any]:
    return lambda v, naming, label: parse(v)


_STRING = {"type": "string"}
_ENUM = FieldType({"type": "string"}, lambda t, v: True)
# One row per field type: adding one is a row here (and its values.* parser). A string's `pattern` is the
# shape enforced while decoding, so the model cannot write a sentence there (llama.cpp grammars take no
# backslash escapes outside [...]: write [.] for a dot).
FIELD_TYPES: dict[str, FieldType] = {
    "int": FieldType({"type": "integer"}, _number),
    "vlan": FieldType({"type": "integer"}, _number, bounds=(1, 4094)),
    # a prefix length: "le 24", or "/24" said alone ("up to /24"), never the /12 of 172.16.0.0/12
    "length": FieldType(
        {"type": "integer"}, lambda t, v: re.search(rf"(?:^|[^\d./])/?{int(v)}(?!\d|[./]\d)", t) is not None
    ),
    "bool": FieldType({"type": "boolean"}, lambda t, v: True),
    "vlans": FieldType(
        _STRING,
        lambda t, v: all(_number(t, n) for n in re.findall(r"\d+", str(v))),
        _parsed(values.vlan_list),
        r"^[0-9]+([,-][0-9]+)*$",
    ),
    "ipv4": FieldType(_STRING, _host_grounded, _parsed(values.ipv4), rf"^{_IP}$"),
    # one or more hosts ("10.0.0.53, 10.0.0.54"): each written in the request
    "ipv4s": FieldType(
        _STRING,
        lambda t, v: all(_host_grounded(t, h) for h in values.host_items(v)),
        _parsed(values.ipv4_list),
        rf"^{_IP}([,] ?{_IP})*$",
    ),
    "address": FieldType(_STRING, _address_grounded, _parsed(values.interface_address), rf"^{_IP}{_MASK}$"),
    "prefix": FieldType(_STRING, _prefix_grounded, _parsed(values.prefix), rf"^{_IP}{_MASK}$"),
    "ace": FieldType(_STRING, _ace_grounded, _parsed(values.ace_address), rf"^(any|host {_IP}|{_IP}{_MASK}?)$"),
    "area": FieldType(
        _STRING,
        lambda t, v: _has_number(t, v) or _address_grounded(t, v),
        _parsed(values.area),
        r"^[0-9]+([.][0-9]+){0,3}$",
    ),
    "port": FieldType(_STRING, _port_grounded, _parsed(port_number), r"^[a-z0-9][a-z0-9-]*$"),
    "interface": FieldType(
        _STRING,
        _interfaces_grounded,
        lambda v, naming, label: naming.one(v),
        r"^[A-Za-z][A-Za-z0-9/.:-]*( ?[0-9][0-9/.:]*)?$",
    ),
    "interfaces": FieldType(
        _STRING, _interfaces_grounded, lambda v, naming, label: naming.expand(v), r"^[A-Za-z][A-Za-z0-9/.:, -]*$"
    ),
    "next_hop": FieldType(
        _STRING, lambda t, v: _address_grounded(t, v) if IP_RE.search(str(v)) else _interfaces_grounded(t, v), _next_hop
    ),
    "ipv6_address": FieldType(_STRING, _v6_grounded, _parsed(values.ipv6_interface_address), rf"^{_IP6}/[0-9]{{1,3}}$"),
    "ipv6_prefix": FieldType(_STRING, _v6_grounded, _parsed(values.ipv6_prefix), rf"^({_IP6}/[0-9]{{1,3}}|default)$"),
    "ipv6_next_hop": FieldType(
        _STRING, lambda t, v: _v6_grounded(t, v) if ":" in str(v) else _interfaces_grounded(t, v), _v6_next_hop
    ),
    "speed": FieldType(_STRING, _speed_grounded, _parsed(values.speed), r"^[0-9]+([.]5)?( ?[A-Za-z/]{1,7})?$"),
    "utc_offset": FieldType(
        _STRING, _offset_grounded, _parsed(values.utc_offset), r"^((UTC|GMT|utc|gmt) ?)?[+-]?[0-9]{1,2}(:[0-9]{2})?$"
    ),
    "severity": FieldType(_STRING, _severity_grounded, _parsed(values.severity), r"^([a-z]+|[0-7])$"),
    "community": FieldType(
        _STRING,
        lambda t, v: re.search(rf"(?<![\d:]){re.escape(str(v))}(?![\d:])", t) is not None,
        _parsed(values.community),
        r"^[0-9]{1,5}:[0-9]{1,5}$",
    ),
    "rd": FieldType(
        _STRING,
        lambda t, v: re.search(rf"(?<![\d:.]){re.escape(str(v))}(?![\d:])", t) is not None,
        _parsed(values.rd),
        rf"^([0-9]{{1,10}}|{_IP}):[0-9]{{1,10}}$",
    ),
    "name": FieldType(_STRING, _name_grounded, _text),
    # a ${VAR} reference, written in the request as it is (no secret is ever typed in one)
    "secret": FieldType(_STRING, _secret_grounded, _parsed(values.secret), r"^[$][{]?[A-Za-z_][A-Za-z0-9_]*[}]?$"),
    "text": FieldType(_STRING, lambda t, v: norm_text(str(v)) in t, _text),
}
