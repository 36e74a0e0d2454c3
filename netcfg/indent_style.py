"""The indented config style (IOS, EOS, NX-OS, FRR): lines in blocks under their parents, removed with
the vendor's negation (`no `). The candidate is applied to the running config by the vendor's plan rules
to predict the intended config; remediation comes from hier_config, then the vendor's own rules (objects
removed whole, ACL entries by number, interfaces reset rather than removed)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import configtree, values
from .configtree import Node
from .errors import ConfigError

if TYPE_CHECKING:
    from .vendors import PlanRules, Vendor

_SEQ = re.compile(r"^(\d+)\s+")


class IndentStyle:
    """The indented driver of one vendor (see vendors.ConfigStyle)."""

    def __init__(self, vendor: Vendor):
        self.vendor = vendor

    def merge(self, text: str) -> str:
        """Rendered blocks merged under shared parents: the vendor's `hoist` lines first, then the objects others
        use by name (`referenced`), removals of those last."""
        tree = configtree.merge(configtree.read(text))
        hoist = [re.compile(h) for h in self.vendor.rendering.hoist]
        if self.vendor.plan.referenced:
            _referenced_first(tree, self.vendor.plan)
        if hoist:  # lines the device needs before anything else (e.g. NX-OS `feature ...`)
            first = [n for h in hoist for n in tree if h.search(n[0])]  # in the order of `hoist`
            first = list({id(n): n for n in first}.values())
            tree = first + [n for n in tree if n not in first]
        return configtree.dump(tree, indent=self.vendor.rendering.indent)

    def _running_tree(self, running: str) -> list[Node]:
        """The running config as the planner reads it: ACL entries numbered, list lines joined, item lines split."""
        tree = configtree.read(_ipv6_lower(running))
        _number_acls(tree, self.vendor.plan)
        _join_list_lines(tree, self.vendor.plan)
        _split_item_lines(tree, self.vendor.plan)
        return tree

    def normalized(self, running: str) -> str:
        tree = self._running_tree(running)
        _drop_empty_interfaces(tree, self.vendor.plan)
        return configtree.dump(tree, self.vendor.rendering.indent)

    def intended(self, running: str, candidate: str) -> tuple[str, list[str]]:
        warnings: list[str] = []
        rules = self.vendor.plan
        tree = self._running_tree(running)
        _apply(tree, configtree.read(_ipv6_lower(candidate)), rules, False, "", warnings)
        _drop_empty_interfaces(tree, rules)
        return configtree.dump(tree, self.vendor.rendering.indent), warnings

    def remediation(self, src: str, dst: str) -> str:
        """hier_config's commands, then: an object removed whole (a `cascade` rule, e.g. a BGP neighbor) is
        negated once (`no neighbor X`), not line by line, and its lines inside sub-blocks (address
        families) go with it; ACL entries removed by number where the vendor wants that; interfaces the
        device cannot delete reset; negations the vendor spells its own way."""
        rules = self.vendor.plan
        tree = configtree.read(_hier_text(src, dst, self.vendor))
        if rules.cascade:
            _collapse(tree, configtree.read(dst), rules)
        if rules.acl_negate_sequence_only:
            _seq_only_negations(tree, rules)
        _keep_interfaces(tree, configtree.read(src), rules)
        if rules.negate_with:
            _negate_with(tree, rules)
        if rules.resets:
            _put_back_dropped(tree, configtree.read(dst), rules)
        if rules.referenced:
            _referenced_first(tree, rules)
        return configtree.dump(tree, self.vendor.rendering.indent)

    def push_lines(self, config: str) -> list[str]:
        """The lines to type, leaving each block with the vendor's exit command: one with lines under it, or one
        that enters a mode with none (`opens_mode`: a neighbor's bare `address-family ipv4 unicast` would
        otherwise take the neighbor's next line)."""
        exit_cmd = self.vendor.device.exit_command or ""  # an indent-style vendor file must give it
        modes = [re.compile(m) for m in self.vendor.device.opens_mode]
        out: list[str] = []

        def walk(nodes, depth: int) -> None:
            for line, kids in nodes:
                if not depth and configtree.is_banner(line):
                    out.extend(self._typed_banner(line))
                    continue
                out.append(" " * depth + line)
                if kids or any(m.search(line) for m in modes):
                    walk(kids, depth + 1)
                    out.append(" " * depth + exit_cmd)

        walk(configtree.read(config), 0)
        return out

    def _typed_banner(self, line: str) -> list[str]:
        """A banner as it is typed: its lines, with a delimiter the device shows but no one can type (`^C`)
        replaced by one its text lacks."""
        rule = self.vendor.device.banner_delimiter
        shown = rule.get("shown")
        if shown and shown in line:
            body = line.split(None, 2)[2].replace(shown, "")
            typed = next((c for c in rule["typed"] if c not in body), None)
            if typed is None:
                raise ConfigError(f"the banner uses every delimiter netcfg can type ({rule['typed']}): set it by hand")
            line = line.replace(shown, typed)
        return line.split("\n")

    def check_structure(self, config: str) -> None:
        """Parse the candidate back with ciscoconfparse and check every line sits under the intended parent
        (banners aside: their text is no config line)."""
        config = configtree.dump([n for n in configtree.read(config) if not configtree.is_banner(n[0])])
        from ciscoconfparse import CiscoConfParse
        from loguru import logger

        logger.disable("ciscoconfparse")  # it logs INFO chatter to stderr on every parse
        parsed = CiscoConfParse(
            config.splitlines(), syntax=self.vendor.rendering.ciscoconfparse, ignore_blank_lines=False
        )
        got = {tuple(p.text.strip() for p in obj.all_parents) + (obj.text.strip(),) for obj in parsed.objs}
        want = set(configtree.flatten(config))
        if got != want:
            raise ConfigError(f"internal error: candidate structure is inconsistent: {sorted(want ^ got)[:2]}")


_IPV6_LINE = re.compile(r"(?im)^([ \t]*(?:no[ \t]+)?ipv6[ \t].*)$")


def _ipv6_lower(text: str) -> str:
    """IPv6 addresses of `ipv6 ...` lines in lower case: IOS shows 2001:DB8::1, the others and netcfg 2001:db8::1."""
    return _IPV6_LINE.sub(lambda m: values.IPV6_RE.sub(lambda a: a.group(0).lower(), m.group(1)), text)


def _strip_seq(line: str, acl: bool) -> str:
    """The line as compared: runs of spaces collapsed (IOS pads ACL entries), ACL sequence dropped."""
    line = " ".join(line.split())
    return _SEQ.sub("", line) if acl else line


def _removes(target: str, line: str, acl: bool) -> bool:
    if acl and target.isdigit():  # `no 20` inside an ACL removes entry 20
        return line.split()[0] == target
    line = _strip_seq(line, acl)
    return line == target or line.startswith(target + " ")


def _apply(siblings: list[Node], cand: list[Node], rules: PlanRules, acl: bool, path: str, warnings: list[str]) -> None:
    for line, kids in cand:
        if rules.reset_interface and line.startswith(rules.reset_interface + " interface "):
            siblings[:] = [n for n in siblings if n[0] != line[len(rules.reset_interface) + 1 :]]
            continue
        if rules.is_negation(line, path):
            target = line[len(rules.negation) :].strip()
            target = target if acl and target.isdigit() else _strip_seq(target, acl)
            before = len(siblings)
            # an object removed whole takes its shown negations too (`no vrrp 5 preempt`)
            whole = rules.cascades(target)
            siblings[:] = [
                n
                for n in siblings
                if not _removes(target, n[0], acl) and not (whole and _removes(rules.negation + target, n[0], acl))
            ]
            if len(siblings) == before:
                warnings.append(f"{path}{target!r} is not configured; nothing to remove")
            elif whole:
                for n in siblings:
                    _drop_nested(n[1], target)
            continue
        m = rules.list_edit.match(line) if rules.list_edit else None
        if m:
            _edit_list(siblings, m, path, warnings)
            continue
        same = next((n for n in siblings if _strip_seq(n[0], acl) == _strip_seq(line, acl)), None)
        if same is not None:
            child_acl = bool(rules.acl_parent and rules.acl_parent.search(same[0]))
            _apply(same[1], kids, rules, child_acl, f"{path}{same[0]} > ", warnings)
            continue
        replaced = [i for i, n in enumerate(siblings) if rules.same_setting(n[0], line)]
        if not kids and (
            rules.default_value(line)
            or rules.hidden_default(line)
            and all(rules.literal(siblings[i][0]) for i in replaced)
        ):
            for i in reversed(replaced):  # `cdp enable` for a shown `no cdp enable`: the device shows neither
                del siblings[i]
            continue  # the device is (now) at this default and does not show it
        at = replaced[0] if replaced else len(siblings)
        for i in reversed(replaced):
            del siblings[i]
        if acl and rules.acl_sequence_step and not _SEQ.match(line):
            place, seq = _acl_place(siblings, line, rules, path)
            at, line = at if replaced else place, f"{seq} {line}"
        node: Node = (line, [])
        child_acl = bool(rules.acl_parent and rules.acl_parent.search(line))
        _apply(node[1], kids, rules, child_acl, f"{path}{line} > ", warnings)
        siblings.insert(at, node)


def _acl_place(siblings: list[Node], line: str, rules: PlanRules, path: str) -> tuple[int, int]:
    """Where a new ACL entry goes and its sequence number: after the last entry (last + step), as the
    device puts an entry without one, except behind a final catch-all (`deny ip any any`), where it
    would never match: there it takes a free number before the catch-all."""
    seqs = [(int(m.group(1)), i) for i, n in enumerate(siblings) if (m := _SEQ.match(n[0]))]
    last = max(seqs, default=(0, len(siblings)))
    catch = rules.acl_catch_all
    if not seqs or not catch or not catch.search(_strip_seq(siblings[last[1]][0], True)) or catch.search(line):
        return len(siblings), last[0] + rules.acl_sequence_step
    before = max((s for s, _ in seqs if s < last[0]), default=0)
    if last[0] - before < 2:
        raise ConfigError(
            f"{path.rstrip('> ')}: a new entry must go before {siblings[last[1]][0]!r}, which "
            f"catches everything, but no sequence number is free before it; resequence the ACL first"
        )
    return last[1], before + (last[0] - before) // 2


def _drop_nested(nodes: list[Node], target: str) -> None:
    """A removal that also clears the same object's lines inside sub-blocks (neighbor X in address families)."""
    nodes[:] = [n for n in nodes if not _removes(target, n[0], False)]
    for n in nodes:
        _drop_nested(n[1], target)


def _edit_list(siblings: list[Node], m: re.Match, path: str, warnings: list[str]) -> None:
    from .values import vlan_list, vlan_ranges

    keyword, op, items = m.groups()
    holder = _list_holder(siblings, keyword)
    if holder is None:
        if op == "remove":
            siblings.append((f"{keyword} {vlan_ranges([v for v in range(1, 4095) if v not in vlan_list(items)])}", []))
        return  # adding to an unrestricted list changes nothing
    current = set(vlan_list(siblings[holder][0][len(keyword) + 1 :]))
    change = set(vlan_list(items))
    if op == "add" and change <= current or op == "remove" and not change & current:
        warnings.append(f"{path}{keyword} already {'includes' if op == 'add' else 'excludes'} {items}")
    new = current | change if op == "add" else current - change
    siblings[holder] = (f"{keyword} {vlan_ranges(sorted(new)) or 'none'}", siblings[holder][1])


def _list_holder(nodes: list[Node], keyword: str) -> int | None:
    """Where the line holding a list is (`switchport trunk allowed vlan 10,20`), not an add/remove edit."""
    return next(
        (
            i
            for i, n in enumerate(nodes)
            if n[0].startswith(keyword + " ") and not re.match(rf"{re.escape(keyword)} (add|remove) ", n[0])
        ),
        None,
    )


def _join_list_lines(nodes: list[Node], rules: PlanRules) -> None:
    """A device's long list continued on `... add ITEMS` lines (IOS prints `switchport trunk allowed
    vlan 10,20` then `switchport trunk allowed vlan add 30,40`) read as the one list it is."""
    if not rules.list_edit:
        return
    from .errors import IntentError
    from .values import vlan_list, vlan_ranges

    for _, kids in nodes:
        joined: list[Node] = []
        for kl, kk in kids:
            m = rules.list_edit.match(kl)
            i = _list_holder(joined, m.group(1)) if m and m.group(2) == "add" else None
            if i is not None:
                try:
                    items = set(vlan_list(joined[i][0][len(m.group(1)) + 1 :])) | set(vlan_list(m.group(3)))
                    joined[i] = (f"{m.group(1)} {vlan_ranges(sorted(items))}", joined[i][1])
                    continue
                except IntentError:
                    pass  # not a VLAN list netcfg can read: kept as the device printed it
            joined.append((kl, kk))
        kids[:] = joined
        _join_list_lines(kids, rules)


def _split_item_lines(nodes: list[Node], rules: PlanRules) -> None:
    """A line the device prints with several items (IOS `ip name-server A B`, after `ip name-server A` and
    `ip name-server B`) read as one line per item, as the candidate sets and removes them."""
    if not rules.split_items:
        return
    split: list[Node] = []
    for line, kids in nodes:
        m = rules.split_items.match(line)
        split += [(f"{m.group(1)} {item}", []) for item in m.group(2).split()] if m and not kids else [(line, kids)]
    nodes[:] = split


def _number_acls(nodes: list[Node], rules: PlanRules) -> None:
    """Give ACL entries without sequence numbers the device's implicit ones (10, 20, ...)."""
    if not (rules.acl_parent and rules.acl_sequence_step):
        return
    for line, kids in nodes:
        if rules.acl_parent.search(line) and kids and not all(_SEQ.match(k[0]) for k in kids):
            seq = 0
            for i, (kl, kk) in enumerate(kids):
                m = _SEQ.match(kl)
                seq = int(m.group(1)) if m else seq + rules.acl_sequence_step
                kids[i] = (kl if m else f"{seq} {kl}", kk)


def _drop_empty_interfaces(tree: list[Node], rules: PlanRules) -> None:
    """An interface the device cannot delete (see `removable_interfaces`) with no lines left is just
    an interface at its defaults: FRR stops showing it; an IOS port shows an empty block. Either way
    it is no configuration, so it is not compared."""
    tree[:] = [n for n in tree if n[1] or not n[0].startswith("interface ") or rules.removable_interface(n[0])]


def _hier_text(running: str, intended: str, vendor: Vendor) -> str:
    import copy

    from hier_config import Host
    from hier_config.options import options_for
    from hier_config.root import HConfig

    os_name = vendor.plan.hier_config
    options = copy.deepcopy(options_for(os_name))
    # Settings replaced in place need no negation first. Only the vendor's own `replaces` rules count
    # (hier_config's built-in ones are too broad: they swallow real removals); a keyed rule becomes
    # one concrete rule per key present in the target, since hier_config rules hold no key group.
    rules = []
    target_lines = [p[-1] for p in configtree.flatten(intended)]
    for rx in vendor.plan.replaces:
        r = rx.pattern
        if r in vendor.plan.negate_first:
            continue
        if "(?P<key>" not in r:
            rules.append(r)
            continue
        group = re.search(r"\(\?P<key>[^)]*\)", r)
        for key in {m.group("key") for ln in target_lines if (m := rx.search(ln))}:
            rules.append(r.replace(group.group(0), re.escape(key)) if group else r)
    options["idempotent_commands"] = [{"match_leaf": True, "lineage": [{"re_search": r}]} for r in rules]
    host = Host("netcfg", os_name, options)
    a, b = HConfig(host), HConfig(host)
    try:
        a.load_from_string(_banners_closed(running))
        b.load_from_string(_banners_closed(intended))
    except (AssertionError, ValueError, IndexError) as e:  # e.g. a banner that never ends
        said = "a banner never ends" if "banner" in str(e) else " ".join(str(e).split())[:120]
        raise ConfigError(
            f"the config cannot be read as a {vendor.title} configuration" + (f": {said}" if said else "")
        ) from None
    rem = a.config_to_get_to(b)

    def walk(children) -> list[Node]:
        # (a banner's removal is its first line: the text after it would be typed as commands)
        return [(c.text.split("\n")[0] if c.text.startswith("no ") else c.text, walk(c.children)) for c in children]

    return configtree.dump(walk(rem.children), vendor.rendering.indent)


def _banners_closed(text: str) -> str:
    """hier_config reads a banner up to a closing line: a one-line banner (`banner motd ^CKeep out^C`) gets a `!`."""
    return "\n".join(ln + ("\n!" if configtree.one_line_banner(ln.rstrip()) else "") for ln in text.splitlines())


def _referenced_first(tree: list[Node], rules: PlanRules) -> None:
    """Objects other lines use by name (a route-map a BGP neighbor applies) are made or changed before the rest of
    the plan and removed after it, so nothing refers to one that is missing (a deny-all on a neighbor meanwhile)."""

    def weight(node: Node) -> int:
        target = _unnegated(node[0], rules)
        gone = target != node[0]
        return (2 if gone else 0) if any(r.search(target) for r in rules.referenced) else 1

    tree.sort(key=weight)


def _put_back_dropped(rem: list[Node], dst: list[Node], rules: PlanRules) -> None:
    """An interface whose VRF changes loses its addresses on the device (`resets`): the change goes first in the
    interface's commands, the addresses the target config gives the interface are put back right after it, and
    their own negations go (the device dropped them already)."""
    target = {line: kids for line, kids in dst}
    for i, (line, kids) in enumerate(rem):
        if not line.startswith("interface "):
            continue
        for trigger, dropped in rules.resets:
            hits = [k for k in kids if trigger.search(_unnegated(k[0], rules))]
            if not hits:
                continue
            back: list[Node] = [(k, []) for k, _ in target.get(line, []) if dropped.search(k) and not trigger.search(k)]
            rest = [k for k in kids if k not in hits and not dropped.search(_unnegated(k[0], rules))]
            kids = hits + back + rest
        rem[i] = (line, kids)


def _unnegated(line: str, rules: PlanRules) -> str:
    return line[len(rules.negation) :] if rules.negation and line.startswith(rules.negation) else line


def _negate_with(nodes: list[Node], rules: PlanRules) -> None:
    """Negations the vendor spells its own way (`no description`, not `no description TEXT`)."""
    for i, (line, kids) in enumerate(nodes):
        if line.startswith(rules.negation) and not kids:
            nodes[i] = (rules.negate(line[len(rules.negation) :]), kids)
        _negate_with(kids, rules)


def _keep_interfaces(rem: list[Node], src: list[Node], rules: PlanRules) -> None:
    """`no interface X` for an interface the device cannot delete (a physical or kernel one) becomes
    the vendor's reset (`default interface X`) or, without one, the negation of each of its lines:
    the interface goes back to its defaults, it is not removed."""
    blocks = {line: kids for line, kids in src}
    for i, (line, _) in enumerate(rem):
        target = line[len(rules.negation) :] if line.startswith(rules.negation) else ""
        if not target.startswith("interface ") or rules.removable_interface(target):
            continue
        if rules.reset_interface:
            rem[i] = (f"{rules.reset_interface} {target}", [])
        else:
            kids: list[Node] = [(rules.negate(k), []) for k, _ in blocks.get(target, [])]
            if rules.cascade:  # a whole object in it (`vrrp 5`) goes with one negation
                _collapse(kids, [], rules)
            rem[i] = (target, kids)


def _collapse(rem: list[Node], dst: list[Node], rules: PlanRules, kept: frozenset = frozenset()) -> None:
    """Negations of every line of an object the intended config no longer has become one `no neighbor X`.
    In a sub-block (an address family) only when the object is gone above it too (`kept`): `no neighbor X
    next-hop-self` in an address family of a neighbor that stays is not the neighbor removed."""
    gone: list[str] = []
    for line, _ in rem:
        if line.startswith(rules.negation):
            for r in rules.cascade:
                m = r.search(line[len(rules.negation) :])
                if (
                    m
                    and m.group("object") not in gone
                    and m.group("object") not in kept
                    and not any(_removes(m.group("object"), d[0], False) for d in dst)
                ):
                    gone.append(m.group("object"))
    for obj in gone:
        hits = [i for i, n in enumerate(rem) if _removes(rules.negation + obj, n[0], False)]
        rem[hits[0]] = (rules.negation + obj, [])
        for i in reversed(hits[1:]):
            del rem[i]
        rem[:] = [n for n in rem if not _removes(obj, n[0], False)]  # a shown negation of it, undone: gone with it
        keep = []
        for n in rem:
            had = bool(n[1])
            _drop_nested(n[1], rules.negation + obj)
            if not had or n[1]:
                keep.append(n)
        rem[:] = keep
    here = {m.group("object") for d in dst for r in rules.cascade if (m := r.search(d[0]))}
    for line, kids in rem:
        sub = next((d[1] for d in dst if d[0] == line), [])
        if kids:
            _collapse(kids, sub, rules, kept | here)


def _seq_only_negations(nodes: list[Node], rules: PlanRules) -> None:
    """`no 20 permit tcp any any eq 443` -> `no 20` inside ACLs, for vendors that take only that."""
    for line, kids in nodes:
        if rules.acl_parent and rules.acl_parent.search(line):
            for i, (kl, kk) in enumerate(kids):
                m = re.match(rf"^{re.escape(rules.negation)}(\d+)\s", kl)
                if m:
                    kids[i] = (f"{rules.negation}{m.group(1)}", kk)
        _seq_only_negations(kids, rules)
