"""Indentation-structured configuration text: read into a tree, merge blocks, and compare as sets of paths."""

from __future__ import annotations

import re
from functools import lru_cache

Node = tuple[str, list]  # (line, children)

_SKIP = re.compile(r"^\s*(!|#|$|end\s*$|exit\s*$|exit-address-family\s*$|exit-vrf\s*$)")
SEQUENCE = re.compile(r"^\d+\s+")  # an ACL entry's sequence number


def read(text: str) -> list[Node]:
    """Parse indented config text into a tree; comments, blank lines and `end`/`exit` are dropped."""
    root: list[Node] = []
    stack: list[tuple[int, list]] = [(-1, root)]
    for raw in text.splitlines():
        if _SKIP.match(raw):
            continue
        line = raw.rstrip()
        indent = len(line) - len(line.lstrip())
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
