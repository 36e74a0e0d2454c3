"""The set/delete config style (Junos): a config is a flat list of `set` lines; a change adds `set` lines
and removes them with `delete`; remediation is a set difference."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .vendors import Vendor


# A quoted word that needs no quotes: `"noc@example.net"` and `noc@example.net` are the same value.
_NEEDLESS_QUOTES = re.compile(r'"([A-Za-z0-9@._:/+-]+)"')


# The lines a config keeps: statements, and the marks that make one inactive (`deactivate X`).
_KEPT = ("set ", "deactivate ")


def _under(path: str, top: str) -> bool:
    """Whether the statement at `path` is `top` or inside it."""
    return path == top or path.startswith(top + " ")


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
        return "\n".join(_line(ln) for ln in running.splitlines() if ln.strip().startswith(_KEPT)) + "\n"

    def intended(self, running: str, candidate: str) -> tuple[str, list[str]]:
        warnings: list[str] = []
        lines = [_line(ln) for ln in running.splitlines() if ln.strip().startswith(_KEPT)]
        for c in (_line(ln) for ln in candidate.splitlines() if ln.strip()):
            verb, _, path = c.partition(" ")
            if verb == "delete":  # the statement goes, and with it a deactivate line of it or below it
                kept = [ln for ln in lines if not _under(ln.partition(" ")[2], path)]
                if not any(ln.startswith("set ") for ln in lines if ln not in kept):
                    warnings.append(f"{path!r} is not configured; nothing to delete")
                lines = kept
            elif verb == "activate":
                if "deactivate " + path not in lines:
                    warnings.append(f"{path!r} is not deactivated; nothing to activate")
                lines = [ln for ln in lines if ln != "deactivate " + path]
            elif verb == "deactivate":
                if not any(_under(ln.partition(" ")[2], path) for ln in lines if ln.startswith("set ")):
                    warnings.append(f"{path!r} is not configured; nothing to deactivate")
                elif c not in lines:
                    lines.append(c)
            elif c not in lines and not any(ln.startswith(c + " ") for ln in lines):
                lines = [ln for ln in lines if not self.vendor.plan.same_setting(ln, c)] + [c]
        return "\n".join(lines) + ("\n" if lines else ""), warnings

    def remediation(self, src: str, dst: str) -> str:
        """Set lines that go are deleted and deactivate lines that go are activated (first, while the statement is
        still there); new set lines follow, then new deactivate lines (once what they mark exists)."""
        a = [ln for ln in src.splitlines() if ln.strip()]
        b = [ln for ln in dst.splitlines() if ln.strip()]
        bs, as_ = set(b), set(a)
        gone = [ln for ln in a if ln not in bs]
        new = [ln for ln in b if ln not in as_]
        out = (
            ["activate " + ln[len("deactivate ") :] for ln in gone if ln.startswith("deactivate ")]
            + list(dict.fromkeys(self._delete(ln, b) for ln in gone if ln.startswith("set ")))
            + [ln for ln in new if ln.startswith("set ")]
            + [ln for ln in new if ln.startswith("deactivate ")]
        )
        return "\n".join(out) + ("\n" if out else "")

    def _delete(self, line: str, dst: list[str]) -> str:
        """The delete that undoes a set line: the same path, or what the vendor's `negate_with` says (a
        qualified next hop goes whole: deleting only its preference would leave it routing); a line of an
        object (`cascade`) that the intended config no longer has at all deletes the object (a VRRP group)."""
        for r in self.vendor.plan.cascade:
            m = r.search(line)
            if m and not any(d.startswith(f"set {m.group('object')} ") for d in dst):
                return f"delete {m.group('object')}"
        rules = self.vendor.plan.negate_with
        return next((m.expand(v) for r, v in rules if (m := r.search(line))), "delete " + line[4:])

    def push_lines(self, config: str) -> list[str]:
        return [ln.strip() for ln in config.splitlines() if ln.strip()]

    def check_structure(self, config: str) -> None:
        """Set lines have no structure to get wrong."""
