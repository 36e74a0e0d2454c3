"""Indentation-structured configuration text: read into a tree, merge blocks, and compare as sets of paths."""

from __future__ import annotations

import re
from functools import lru_cache

Node = tuple[str, list]  # (line, children)

_SKIP = re.compile(r"^\s*(!|#|$|end\s*$|exit\s*$|exit-address-family\s*$|exit-vrf\s*$)")
SEQUENCE = re.compile(r"^\d+\s+")  # an ACL entry's sequence number
# A banner's first line: its text runs to the delimiter after it (IOS shows ^C, NX-OS the character typed), or
# with none (EOS) to a line `EOF`.
_BANNER = re.compile(r"^banner\s+\S+(?:\s+(?P<delim>\^C|\S))?")


def is_banner(line: str) -> bool:
    """Whether a tree line is a banner (its text, newlines and all, is no config line)."""
    return bool(_BANNER.match(line))


def one_line_banner(line: str) -> bool:
    """Whether a tree line is a banner whose text ends on its first line (`banner motd ^CKeep out^C`)."""
    m = _BANNER.match(line)
    return m is not None and "\n" not in line and _closed(m, line)


def _closed(m: re.Match, line: str) -> bool:
    return bool(m.group("delim")) and m.group("delim") in line[m.end() :]


def _banner_end(lines: list[str], i: int, m: re.Match) -> int:
    """The index of the last line of the banner `m` opens at lines[i] (i itself for a one-line banner, or for
    one that never ends: the tree keeps the line alone and the planner's parser reports it)."""
    delim = m.group("delim")
    if _closed(m, lines[i]):
        return i
    for j in range(i + 1, len(lines)):
        if (delim is None and lines[j].strip() == "EOF") or (delim is not None and delim in lines[j]):
            return j
    return i


def read(text: str) -> list[Node]:
    """Parse indented config text into a tree; comments, blank lines and `end`/`exit` are dropped. A banner is one
    node whose line holds its whole text, newlines and all."""
    root: list[Node] = []
    stack: list[tuple[int, list]] = [(-1, root)]
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        raw, i = lines[i], i + 1
        if _SKIP.match(raw):
            continue
        line = raw.rstrip()
        indent = len(line) - len(line.lstrip())
        if not indent and (m := _BANNER.match(line)):
            end = _banner_end(lines, i - 1, m)
            line, i = "\n".join(ln.rstrip() for ln in lines[i - 1 : end + 1]), end + 1
        while stack[-1][0] >= indent:
            stack.pop()
        node: Node = (line.strip(), [])
        stack[-1][1].append(node)
        stack.append((indent, node[1]))
    return root


def merge(nodes: list[Node]) -> list[Node]:
    """Merge sibling blocks with the same parent line (two `interface Gi0/1` blocks become one)."""
    out: list[Node] = []
    index: dict[str, Node] = {}
    for line, children in nodes:
        if line in index:
            index[line][1].extend(children)
        else:
            node: Node = (line, list(children))
            index[line] = node
            out.append(node)
    return [(line, merge(children)) for line, children in out]


def dump(nodes: list[Node], indent: int = 1, depth: int = 0) -> str:
    """Tree -> text, children indented by `indent` spaces per level."""
    lines: list[str] = []
    for line, children in nodes:
        lines.append(" " * (indent * depth) + line)
        if children:
            lines.append(dump(children, indent, depth + 1).rstrip("\n"))
    return "\n".join(lines) + ("\n" if lines else "")


def flatten(text: str) -> list[tuple[str, ...]]:
    """Every line as (parents..., line) in config order, whitespace collapsed."""
    out: list[tuple[str, ...]] = []

    def walk(nodes: list[Node], parents: tuple[str, ...]) -> None:
        for line, children in nodes:
            p = parents + (re.sub(r"\s+", " ", line),)
            out.append(p)
            walk(children, p)

    walk(read(text), ())
    return out


@lru_cache(maxsize=16)
def flat_lines(text: str) -> tuple[str, ...]:
    """Every line as one `parent > child` string, the view the vendors' fact patterns read. Kept for the
    last few configs: a device's running config is read this way for every intent planned on it."""
    return tuple(" > ".join(p) for p in flatten(text))


def paths(text: str, numbered: re.Pattern | None = None) -> set[tuple[str, ...]]:
    """The set of (parents..., line) paths, for order-free comparison; the sequence numbers of the entries
    of blocks `numbered` matches (a vendor's `plan.acl_parent`) are dropped."""
    out: set[tuple[str, ...]] = set()
    for p in flatten(text):
        if numbered is not None and len(p) > 1 and numbered.search(p[-2]):
            p = p[:-1] + (SEQUENCE.sub("", p[-1]),)
        out.add(p)
    return out
