"""Secrets never leave netcfg: redact them from plans and reports, keeping each line's shape.

Which lines carry secrets is vendor data: `secrets:` in vendor_schemas/<vendor>.yaml, a list of
regexes over one configuration line; every capturing group of a match is a secret token and becomes
`<redacted>`. Backups are not redacted (a restore needs them whole); they are private files instead.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from functools import lru_cache

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
