"""Secrets never leave netcfg: redact them from plans and reports, keeping each line's shape.

Which lines carry secrets is vendor data: `secrets:` in vendor_schemas/<vendor>.yaml, a list of
regexes over one configuration line; every capturing group of a match is a secret token and becomes
`<redacted>`. Backups are not redacted (a restore needs them whole); they are private files instead.

A secret a change sets is never in netcfg's text at all: the config holds its ${VAR} reference, and only the lines
sent to the device read the variable (`resolve`). Verifying such a line compares its shape (`masked`): the device
shows its own hash of the secret, never the secret.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from functools import lru_cache

from .values import SECRET_REF

REDACTED = "<redacted>"
# Where a configuration statement may start in text we show: a line's start, a "parent > child" path
# step, a quote or a colon (a line quoted in a warning or an error message)...
_START = re.compile(r" > |: |['\"]")
# ...and what may precede it there: a diff marker, indentation and a negation.
_LEAD = re.compile(r"^[-+ ]?\s*(?:no\s+)?")
_MIN_SCRUB = 4  # shorter or all-digit secrets are redacted in their lines only, not as words everywhere


@lru_cache(maxsize=None)
def _patterns(vendor_name: str) -> tuple[re.Pattern, ...]:
    """The vendor's secret patterns; every vendor's for an unknown or empty name (fail closed)."""
    from . import vendors
    from .errors import NetcfgError

    try:
        names = [vendors.get(vendor_name).name]
    except NetcfgError:
        names = list(vendors.names())
    return tuple(re.compile(p) for n in names for p in vendors.get(n).secrets)


def _redact_statement(text: str, patterns, found: set[str]) -> str:
    m = _LEAD.match(text)
    lead = m.end() if m else 0
    body = text[lead:]
    spans = []  # found on the original text by every pattern, so the order of patterns does not matter
    for rx in patterns:
        m = rx.search(body)
        if m:
            spans += [m.span(i) for i in range(1, rx.groups + 1) if m.group(i) is not None]
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        elif a < b:
            merged.append([a, b])
    for a, b in reversed(merged):
        if SECRET_REF.fullmatch(body[a:b].strip('"')):  # a ${VAR} reference names a secret, it is none
            continue
        if body[a:b] != REDACTED:
            found.add(body[a:b])
        body = body[:a] + REDACTED + body[b:]
    return text[:lead] + body


def redact_text(text: str, vendor_name: str, found: set[str] | None = None) -> str:
    """Replace the secret tokens of every line of `text` (config, diff, remediation, message) by <redacted>."""
    patterns = _patterns(vendor_name)
    found = set() if found is None else found
    out = []
    for line in text.split("\n"):
        for start in reversed([0] + [m.end() for m in _START.finditer(line)]):
            line = line[:start] + _redact_statement(line[start:], patterns, found)
        out.append(line)
    return "\n".join(out)


def _map_strings(x, fn):
    if isinstance(x, str):
        return fn(x)
    if isinstance(x, dict):
        return {k: _map_strings(v, fn) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_map_strings(v, fn) for v in x]
    return x


def redact_data(data, vendor_name: str):
    """A copy of a JSON-like structure (dicts, lists, strings) with every secret redacted.

    Secrets are first found line by line with the vendor's patterns; a secret so found is then also
    replaced wherever it stands as a word elsewhere (an intent, a typed change, a warning).
    """
    found: set[str] = set()
    first = _map_strings(data, lambda s: redact_text(s, vendor_name, found))
    words = {w.strip("\"'") for w in found} | found
    secrets = sorted((w for w in words if len(w) >= _MIN_SCRUB and not w.isdigit()), key=len, reverse=True)
    if not secrets:
        return first
    word = re.compile(rf"(?<![^\s'\"(\[{{=,])(?:{'|'.join(map(re.escape, secrets))})(?![^\s'\"()\[\]{{}},;:.])")
    return _map_strings(first, lambda s: word.sub(REDACTED, s))


def redacted_copy(obj, vendor_name: str):
    """A shallow copy of a dataclass (a Plan, a batch HostResult) with every field redacted."""
    clean = redact_data({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, vendor_name)
    new = copy.copy(obj)
    for name, value in clean.items():
        original = getattr(obj, name)
        setattr(new, name, tuple(value) if isinstance(original, tuple) else value)
    return new


# The word a device may put before a secret it shows in another form than it was given (type 0 given, 9 shown; Junos
# plain-text-password-value given, encrypted-password shown).
_FORM = re.compile(r"\s(?:\d|sha512|encrypted-password|plain-text-password-value)$")
MASK = "<secret>"


def _spans(line: str, patterns) -> list[tuple[int, int]]:
    m = _LEAD.match(line)
    lead = m.end() if m else 0
    found = []
    for rx in patterns:
        hit = rx.search(line[lead:])
        if hit:
            found += [(lead + a, lead + b) for a, b in (hit.span(i) for i in range(1, rx.groups + 1)) if a < b]
    return sorted(set(found), reverse=True)


def masked(text: str, vendor_name: str) -> str:
    """Config text with every secret and the form word before it replaced by one mask, for comparing lines the
    device shows hashed ("username a secret 9 $9$..") with the lines that set them ("username a secret 0 ${A_PW}")."""
    patterns = _patterns(vendor_name)
    out = []
    for line in text.split("\n"):
        for a, b in _spans(line, patterns):
            form = _FORM.search(line[:a].rstrip(" "))
            start = form.start() + 1 if form else a
            line = line[:start] + MASK + line[b:]
        out.append(line)
    return "\n".join(out)


def resolve(lines: list[str], vendor_name: str, environ=None) -> list[str]:
    """The lines to send to the device, each ${VAR} reference in a secret's place read from the environment.
    ConfigError (naming the variable, never a value) where one is unset or could not be typed safely."""
    from .errors import ConfigError

    env = os.environ if environ is None else environ
    patterns = _patterns(vendor_name)
    out = []
    for line in lines:
        for a, b in _spans(line, patterns):
            ref = SECRET_REF.fullmatch(line[a:b].strip('"'))
            if not ref:
                continue
            name = ref.group(1) or ref.group(2)
            value = env.get(name)
            if not value:
                raise ConfigError(
                    f"${{{name}}} is not set: export {name} with the secret before netcfg applies the change"
                )
            if not re.fullmatch(r"[!#-~]{1,128}", value) or "?" in value or "\\" in value:
                raise ConfigError(
                    f"${{{name}}} holds characters a device CLI cannot take in a secret (spaces, quotes, ?, control "
                    "characters) or more than 128: use printable characters only"
                )
            quote = '"' if line[a:b].startswith('"') else ""
            line = line[:a] + quote + value + quote + line[b:]
        out.append(line)
    return out
