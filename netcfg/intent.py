"""The typed, vendor-neutral intent: its schema (for the model's grammar), grounding and normalisation.

A change is a dict such as {"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"}. Kinds and
their fields are data, in vendor_schemas/intent.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

import yaml

from . import values
from .errors import IntentError
from .paths import data_path

UNSUPPORTED = "unsupported"
_IP_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")


@lru_cache(maxsize=None)
def spec() -> dict:
    """The intent specification: kinds, cues, ports."""
    with open(data_path("vendor_schemas") / "intent.yaml") as f:
        return yaml.safe_load(f)


def kinds() -> dict:
    return spec()["kinds"]


_IP = r"[0-9]{1,3}([.][0-9]{1,3}){3}"
_MASK = rf"(/[0-9]{{1,2}}| {_IP}| mask {_IP})"


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
        props[fname] = p
        if not fdef.get("optional"):
            required.append(fname)
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


@lru_cache(maxsize=None)
def grammar_schema(allow_unsupported: bool = True) -> dict:
    """JSON schema the model's output is decoded against: {"changes": [change, ...]}.

    Without `allow_unsupported` the model must pick one of the kinds (grounding then decides).
    """
    items = [_kind_schema(n, k, ranges=False) for n, k in kinds().items()]
    if allow_unsupported:
        items.append({
            "type": "object",
            "properties": {"kind": {"const": UNSUPPORTED}, "request": {"type": "string"}},
            "required": ["kind", "request"],
        })
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
        tail = answer[m.end():]
        if whole.startswith(tail) and len(whole) > len(tail):
            return whole[len(tail):]
    return ""


def kinds_doc() -> str:
    """One line per kind for the model's instructions: name(fields): what it does."""
    lines = []
    for name, k in kinds().items():
        fields = ", ".join(f + ("?" if d.get("optional") else "") for f, d in k["fields"].items())
        lines.append(f"{name}({fields}) ops={'/'.join(k['ops'])}: {k['doc']}")
    return "\n".join(lines)


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
    label = (kind if field in ("", kind) else f"{kind} {field}").replace("_", " ")
    if err.validator in ("minimum", "maximum"):
        lo = schema["properties"][field].get("minimum")
        hi = schema["properties"][field].get("maximum")
        raise IntentError(f"{label} {err.instance} is out of range ({lo}-{hi})")
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
        "integer", lambda _, v: isinstance(v, int) and not isinstance(v, bool))
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


# --- grounding ------------------------------------------------------------------------------

def _norm_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace('"', " ").replace("'", " ")).strip()


def _has_number(text: str, n, joiners: str = "") -> bool:
    """n in the text, not part of a longer number nor joined by one of `joiners` to more digits:
    with "/." the 1 of "et49/1" or "10.0.0.1" is no VLAN, cost or AS."""
    j = re.escape(joiners)
    after = rf"(?!\d|[{j}]\d)" if joiners else r"(?!\d)"
    return re.search(rf"(?<![\d{j}]){re.escape(str(n))}{after}", text) is not None


def addresses(text: str) -> set[str]:
    """The IPv4 addresses written in the text."""
    return set(_IP_RE.findall(text))


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
        return re.fullmatch(r"[a-z]+", str(value).lower()) is not None and re.search(rf"\b{value.lower()}\b", text) is not None
    return all(
        _has_number(text, n, "" if dash else "/")
        for dash, n in nums)


def _address_grounded(text: str, value: str) -> bool:
    v = str(value).strip().lower()
    if v in ("any", "anything", "all"):
        return True
    if v in ("default", "0.0.0.0/0", "0.0.0.0 0.0.0.0"):
        return "default" in text or "0.0.0.0" in text
    ips = _IP_RE.findall(v)
    if not ips or not set(ips) <= addresses(text):
        return False
    plen = re.search(r"/\s*(\d+)", v)
    if plen and int(plen.group(1)) != 32 and not _prefixlen_mentioned(text, int(plen.group(1))):
        return False
    return True


def cued_kinds(text: str) -> list[str]:
    """The kinds whose cue words the text has."""
    t = _norm_text(text)
    return [k for k, cues in spec()["cues"].items() if any(re.search(c, t) for c in cues)]


def has_cues(text: str) -> bool:
    """Whether the text mentions anything netcfg supports (a cue of any kind)."""
    return bool(cued_kinds(text))


def _prefix_grounded(t: str, v) -> bool:
    if re.search(r"/\s*32$|\s255\.255\.255\.255$", str(v).strip()):  # a host route must say so
        return _address_grounded(t, v) and bool(re.search(r"/\s*32|255\.255\.255\.255|\bhost\b", t))
    return _address_grounded(t, v)


def _host_grounded(t: str, v) -> bool:
    """A host: not the 10.0.0.1 of "10.0.0.1/24", an interface's address."""
    ip = re.escape(str(v).strip())
    return _address_grounded(t, v) and re.search(rf"(?<![\d.]){ip}(?![\d.]|\s*/\s*\d|\s+255\.)", t) is not None


def field_type(fdef: dict) -> FieldType:
    """The FieldType of a field of intent.yaml (a list of words is an enum)."""
    return _ENUM if isinstance(fdef["type"], list) else FIELD_TYPES[fdef["type"]]


def _grounded(t: str, fdef: dict, v) -> bool:
    if not field_type(fdef).grounded(t, v):
        return False
    near, far = fdef.get("near"), fdef.get("far")
    value = re.escape(_norm_text(str(v)))
    if far:  # the value must be stated somewhere other than right after a `far` word
        rest = re.sub(rf"(?:{far})\W*{value}(?![\w.])", " ", t)
        if not re.search(rf"(?<![\w.]){value}(?![\w.])", rest):
            return False
    return not near or re.search(rf"(?:{near})\W*(?:\w+\W+){{0,2}}?{value}(?![\w.])", t) is not None


def _snap(text: str, fdef: dict, v):
    """The request's own spelling of a name or interface the model changed a little: EDGE_IN for
    EDGE-IN, et49 for et49/2. Only when exactly one word of the request fits."""
    if fdef["type"] not in ("name", "interface", "interfaces") or not isinstance(v, str) or re.search(r"[\s,]", v):
        return v
    words = set(re.findall(r"[\w./-]+", text))
    key = v.lower().replace("_", "-")
    if fdef["type"] == "name":
        fits = {w for w in words if w.lower().replace("_", "-") == key}
    else:
        fits = {w.rstrip("./-") for w in words if w.lower().startswith(v.lower() + "/")}
    return fits.pop() if len(fits) == 1 else v


def _quoted(text: str, fdef: dict, v):
    """The quoted text of a free-text value that took words around the quotes too ("labelled 'SCADA
    PLC'" for the request's 'SCADA PLC')."""
    if fdef["type"] != "text" or not isinstance(v, str):
        return v
    m = re.search(r"""(['"`])([^'"`]+)\1""", v)
    whole = re.search(rf"""['"`]{re.escape(v)}['"`]""", text)  # 'to "core" sw' quoted as a whole is kept
    return m.group(2) if m and m.group(0) in text and m.group(0) != v and not whole else v


def _request_case(text: str, fdef: dict, v):
    """A name or text in the request's own case: "uplink-to-ISP" for "uplink-to-isp" is not what was typed."""
    if fdef["type"] not in ("name", "text") or not isinstance(v, str) or v in text:
        return v
    found = {m.group(0) for m in re.finditer(re.escape(v), text, re.I)}
    return found.pop() if len(found) == 1 else v


def _asks_removal(kind: str | None, t: str) -> bool:
    rcues = spec()["remove_cues"].get(kind, spec()["remove_cues"]["any"])
    return any(re.search(c, t) for c in rcues)


def _echo(fname: str, fdef: dict, v, change: dict, t: str) -> bool:
    """A name or text that only repeats another value of the change (vlan 3100 "named" 3100), unasked."""
    others = {str(x) for k, x in change.items() if k not in ("kind", "op", fname)}
    return (fdef["type"] in ("name", "text") and str(v) in others
            and not re.search(rf"(name|call|desc|label)\w*\s+{re.escape(_norm_text(str(v)))}", t))


def _placeholder(fname: str, fdef: dict, v, t: str) -> bool:
    """0 where 0 is not a valid value, and the request does not say "<field> 0", or port "any": the
    model's way of saying 'none'."""
    if fdef["type"] == "port" and str(v).lower() == "any":
        return True
    lo = fdef.get("min", (field_type(fdef).bounds or (None,))[0])
    return (v == 0 and lo is not None and lo > 0
            and not re.search(rf"{fname.split('_')[-1]}\s*0(?!\d)", t))


def repair(change: dict, text: str) -> dict:
    """Undo the model's safe-to-undo slips without asking it again: a name or interface it respelled
    takes the request's spelling; an optional value it copied from an example (not in the request),
    a 0 meaning 'none' or a name echoing another value is dropped; one it left out that the request
    states plainly (`from_text`) is filled in; any x/0 prefix becomes the default route 0.0.0.0/0;
    and a removal the request never asks for becomes an add."""
    kdef = kinds().get(change.get("kind"))
    if not kdef:
        return change
    t = _norm_text(text)
    change = {k: v if k not in kdef["fields"] or v is None or _grounded(t, kdef["fields"][k], v)
              else _snap(text, kdef["fields"][k], v) for k, v in change.items()}

    def keep(k, v) -> bool:
        fdef = kdef["fields"].get(k)
        if fdef is None or not fdef.get("optional") or v is None:
            return True
        return _grounded(t, fdef, v) and not _placeholder(k, fdef, v, t) and not _echo(k, fdef, v, change, t)

    out = {k: _request_case(text, kdef["fields"][k], _quoted(text, kdef["fields"][k], v)) if k in kdef["fields"] else v
           for k, v in change.items() if keep(k, v)}
    for fname, fdef in kdef["fields"].items():
        found = set(re.findall(fdef["from_text"], t)) if out.get(fname) is None and fdef.get("from_text") else ()
        if len(found) == 1:
            v = found.pop()
            out[fname] = int(v) if field_type(fdef).schema == {"type": "integer"} else v
        elif fdef["type"] == "prefix" and re.fullmatch(rf"{_IP_RE.pattern}\s*(/\s*0|0\.0\.0\.0)", str(out.get(fname, ""))):
            out[fname] = "0.0.0.0/0"
    if out.get("op") == "remove" and "add" in kdef["ops"] and not _asks_removal(out["kind"], t):
        out["op"] = "add"
    out = _same_as(out, text)
    rule = spec().get("removal_words", {}).get(out["kind"])
    if rule and out.get("op") == "remove" and not _says_removal_of(out["kind"], t):
        other = kinds()[rule["else"]]["fields"]
        if all(out.get(f) is not None for f, d in other.items() if not d.get("optional")):
            out = {"kind": rule["else"], "op": "remove", **{f: v for f, v in out.items() if f in other}}
    return out


def _same_as(change: dict, text: str) -> dict:
    """A change of a kind the request has no word for, said as the kind it does ask for (`same_as`)."""
    rule = spec().get("same_as", {}).get(change.get("kind"))
    if not rule or asks_for(change["kind"], text) or not asks_for(rule["kind"], text):
        return change
    moved = {k: v for k, v in change.items() if k not in ("kind", "op") and v is not None}
    fields = kinds()[rule["kind"]]["fields"]
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
    rule = spec().get("removal_words", {}).get(kind)
    return not rule or any(re.search(w, t) for w in rule["words"])


def negated(kind: str, text: str) -> bool:
    """Whether the request negates a kind that can be removed ("no bpdu guard", "remove its
    description"). Kinds whose removal has its own words (no shutdown, no switchport) never are."""
    kdef = kinds().get(kind, {})
    if "remove" not in kdef.get("ops", []) or kind in spec()["remove_cues"]:
        return False
    t = _norm_text(text)
    neg = "|".join(spec()["negations"])
    return any(re.search(rf"\b(?:{neg})\s+(?:(?!and\b|then\b|or\b)[\w-]+\s+)?(?:{c})", t)
               for c in spec()["cues"].get(kind, []))


def asks_to_create(kind: str | None, text: str) -> bool:
    """Whether the text has a word that creates a kind listed in `add_cues` (others always pass)."""
    cues = spec().get("add_cues", {}).get(kind)
    t = _norm_text(text)
    return not cues or any(re.search(c, t) for c in cues)


def asks_for(kind: str | None, text: str) -> bool:
    """Whether the text has a cue word of this kind of change (kinds without cues always pass)."""
    return kind not in spec()["cues"] or kind in cued_kinds(text)


def ungrounded(change: dict, text: str) -> list[str]:
    """Values in a change that do not come from the intent text (hallucinations), as messages."""
    t = _norm_text(text)
    kind = change.get("kind")
    problems = []
    if not asks_for(kind, text):
        problems.append(f"the request does not ask for {kind}")
    if change.get("op") == "remove" and not (_asks_removal(kind, t) and _says_removal_of(kind, t)):
        problems.append(f"the request does not ask to remove {kind}")
    if change.get("op") == "add" and not asks_to_create(kind, text):
        problems.append(f"the request does not ask to add {kind}{spec().get('add_cue_hints', {}).get(kind, '')}")
    for fname, fdef in kinds().get(kind, {}).get("fields", {}).items():
        v = change.get(fname)
        says = fdef.get("says", {}).get(v) if isinstance(v, str) else None
        if v is not None and not _grounded(t, fdef, v):
            problems.append(f"{fname} {v!r} does not appear in the request")
        elif says and not re.search(says, t):
            problems.append(f"the request does not say to {v} ({kind} {fname})")
        elif fdef["type"] == "text" and v is not None:
            problems += _swallowed(kind, str(v))
    return problems


def _swallowed(kind: str | None, value: str) -> list[str]:
    """Other requested changes copied into a free-text field: "desc AP-2, access vlan 60, bpduguard"."""
    parts = [p.strip() for p in value.split(",")[1:]]
    other = [p for p in parts if set(cued_kinds(p)) - {kind}]
    if not other:
        return []
    return [f"{kind} text {value!r} includes other changes ({', '.join(other)}); keep only the {kind} "
            f"text and make each of those a change of its own kind"]


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
    return out


def _same(v, naming, label):
    return v


def _next_hop(v, naming, label) -> dict:
    return {"ip": values.ipv4(v), "interface": None} if _IP_RE.search(str(v)) else {"ip": None, "interface": naming.one(v)}


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
    "bool": FieldType({"type": "boolean"}, lambda t, v: True),
    "vlans": FieldType(_STRING, lambda t, v: all(_number(t, n) for n in re.findall(r"\d+", str(v))),
                       _parsed(values.vlan_list), r"^[0-9]+([,-][0-9]+)*$"),
    "ipv4": FieldType(_STRING, _host_grounded, _parsed(values.ipv4), rf"^{_IP}$"),
    "address": FieldType(_STRING, _address_grounded, _parsed(values.interface_address), rf"^{_IP}{_MASK}$"),
    "prefix": FieldType(_STRING, _prefix_grounded, _parsed(values.prefix), rf"^{_IP}{_MASK}$"),
    "ace": FieldType(_STRING, _address_grounded, _parsed(values.ace_address), rf"^(any|host {_IP}|{_IP}{_MASK}?)$"),
    "area": FieldType(_STRING, lambda t, v: _has_number(t, v) or _address_grounded(t, v), _parsed(values.area),
                      r"^[0-9]+([.][0-9]+){0,3}$"),
    "port": FieldType(_STRING, _port_grounded, _parsed(port_number), r"^[a-z0-9][a-z0-9-]*$"),
    "interface": FieldType(_STRING, _interfaces_grounded, lambda v, naming, label: naming.one(v),
                           r"^[A-Za-z][A-Za-z0-9/.:-]*( ?[0-9][0-9/.:]*)?$"),
    "interfaces": FieldType(_STRING, _interfaces_grounded, lambda v, naming, label: naming.expand(v),
                            r"^[A-Za-z][A-Za-z0-9/.:, -]*$"),
    "next_hop": FieldType(_STRING, lambda t, v: _address_grounded(t, v) if _IP_RE.search(str(v))
                          else _interfaces_grounded(t, v), _next_hop),
    "name": FieldType(_STRING, lambda t, v: _norm_text(str(v)) in t, _text),
    "text": FieldType(_STRING, lambda t, v: _norm_text(str(v)) in t, _text),
}
