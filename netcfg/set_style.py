"""The set/delete config style (Junos): a config is a flat list of `set` lines; a change adds `set` lines
and removes them with `delete`; remediation is a set difference."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .vendors import Vendor


# A quoted word that needs no quotes: `"noc@example.net"` and `noc@example.net` are the same value.
_NEEDLESS_QUOTES = re.compile(r'"([A-Za-z0-9@._:/+-]+)"')


def _line(text: str) -> str:
    return _NEEDLESS_QUOTES.sub(r"\1", text.strip())


class SetStyle:
    """The set/delete driver of one vendor (see vendors.ConfigStyle)."""

    def __init__(self, vendor: Vendor):
        self.vendor = vendor

    def merge(self, text: str) -> str:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        return "\n".join(dict.fromkeys(lines)) + "\n"

    def normalized(self, running: str) -> str:
        return "\n".join(_line(ln) for ln in running.splitlines() if ln.strip().startswith("set ")) + "\n"

    def intended(self, running: str, candidate: str) -> tuple[str, list[str]]:
        warnings: list[str] = []
        lines = [_line(ln) for ln in running.splitlines() if ln.strip().startswith("set ")]
        for c in (_line(ln) for ln in candidate.splitlines() if ln.strip()):
            if c.startswith("delete "):
                target = "set " + c[len("delete ") :]
                kept = [ln for ln in lines if not (ln == target or ln.startswith(target + " "))]
                if len(kept) == len(lines):
                    warnings.append(f"{target[4:]!r} is not configured; nothing to delete")
                lines = kept
            elif c not in lines and not any(ln.startswith(c + " ") for ln in lines):
                lines = [ln for ln in lines if not self.vendor.plan.same_setting(ln, c)] + [c]
        return "\n".join(lines) + ("\n" if lines else ""), warnings

    def remediation(self, src: str, dst: str) -> str:
        a = [ln for ln in src.splitlines() if ln.strip()]
        b = [ln for ln in dst.splitlines() if ln.strip()]
        bs, as_ = set(b), set(a)
        out = ["delete " + ln[4:] for ln in a if ln not in bs] + [ln for ln in b if ln not in as_]
        return "\n".join(out) + ("\n" if out else "")

    def push_lines(self, config: str) -> list[str]:
        return [ln.strip() for ln in config.splitlines() if ln.strip()]

    def check_structure(self, config: str) -> None:
        """Set lines have no structure to get wrong."""
