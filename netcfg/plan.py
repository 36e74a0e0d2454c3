"""`netcfg plan`: what exactly would change on the device: intended config, remediation, rollback, diff.

The candidate (what the intent asks for, with negations) is applied to the running config by the
vendor's `plan` rules to predict the intended config. Remediation and rollback come from hier_config
for indentation-style vendors and from a set difference for set-style vendors (Junos).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field

from . import configtree
from .configtree import Node
from .errors import ConfigError
from .vendors import PlanRules, Vendor

_SEQ = re.compile(r"^(\d+)\s+")


@dataclass
class Plan:
    """The dry run of a change; its JSON form is a stable contract."""

    intents: list[str]
    vendor: str
    device: str | None
    changes: list[dict] = field(default_factory=list)
    candidate: str = ""
    remediation: str = ""
    rollback: str = ""
    diff: str = ""
    intended: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # what was understood, one line per change

    @property
    def changed(self) -> bool:
        return bool(self.remediation.strip())

    def redacted(self) -> "Plan":
        """A copy to show: every secret (vendor_schemas/<vendor>.yaml `secrets`) replaced by <redacted>."""
        from .redact import redacted_copy

        return redacted_copy(self, self.vendor)

    def to_dict(self, redact: bool = True) -> dict:
        """The JSON form, secrets redacted unless `redact=False`."""
        d = asdict(self.redacted() if redact else self)
        d["changed"] = self.changed
        return d


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
            siblings[:] = [n for n in siblings if n[0] != line[len(rules.reset_interface) + 1:]]
            continue
        if rules.is_negation(line):
            target = line[len(rules.negation):].strip()
            target = target if acl and target.isdigit() else _strip_seq(target, acl)
            before = len(siblings)
            siblings[:] = [n for n in siblings if not _removes(target, n[0], acl)]
            if len(siblings) == before:
                warnings.append(f"{path}{target!r} is not configured; nothing to remove")
            elif rules.cascades(target):
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
        if not replaced and not kids and rules.hidden_default(line):
            continue  # the device is already at this default and does not show it
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
        raise ConfigError(f"{path.rstrip('> ')}: a new entry must go before {siblings[last[1]][0]!r}, which "
                          f"catches everything, but no sequence number is free before it; resequence the ACL first")
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
    current = set(vlan_list(siblings[holder][0][len(keyword) + 1:]))
    change = set(vlan_list(items))
    if op == "add" and change <= current or op == "remove" and not change & current:
        warnings.append(f"{path}{keyword} already {'includes' if op == 'add' else 'excludes'} {items}")
    new = current | change if op == "add" else current - change
    siblings[holder] = (f"{keyword} {vlan_ranges(sorted(new)) or 'none'}", siblings[holder][1])


def _list_holder(nodes: list[Node], keyword: str) -> int | None:
    """Where the line holding a list is (`switchport trunk allowed vlan 10,20`), not an add/remove edit."""
    return next((i for i, n in enumerate(nodes) if n[0].startswith(keyword + " ")
                 and not re.match(rf"{re.escape(keyword)} (add|remove) ", n[0])), None)


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
                    items = set(vlan_list(joined[i][0][len(m.group(1)) + 1:])) | set(vlan_list(m.group(3)))
                    joined[i] = (f"{m.group(1)} {vlan_ranges(sorted(items))}", joined[i][1])
                    continue
                except IntentError:
                    pass  # not a VLAN list netcfg can read: kept as the device printed it
            joined.append((kl, kk))
        kids[:] = joined
        _join_list_lines(kids, rules)


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


def intended_config(running: str, candidate: str, vendor: Vendor) -> tuple[str, list[str]]:
    """Predict the running config after the candidate is applied, with warnings for no-op removals."""
    warnings: list[str] = []
    if vendor.style == "set":
        return _intended_set(running, candidate, vendor, warnings), warnings
    rules = vendor.plan
    tree = configtree.parse(running)
    _number_acls(tree, rules)
    _join_list_lines(tree, rules)
    _apply(tree, configtree.parse(candidate), rules, False, "", warnings)
    _drop_empty_interfaces(tree, rules)
    return configtree.dump(tree, vendor.rendering.indent), warnings


def _drop_empty_interfaces(tree: list[Node], rules: PlanRules) -> None:
    """An interface the device cannot delete (see `removable_interfaces`) with no lines left is just
    an interface at its defaults: FRR stops showing it; an IOS port shows an empty block. Either way
    it is no configuration, so it is not compared."""
    tree[:] = [n for n in tree if n[1] or not n[0].startswith("interface ") or rules.removable_interface(n[0])]


def _intended_set(running: str, candidate: str, vendor: Vendor, warnings: list[str]) -> str:
    rules = vendor.plan
    lines = [ln.strip() for ln in running.splitlines() if ln.strip().startswith("set ")]
    for c in (ln.strip() for ln in candidate.splitlines() if ln.strip()):
        if c.startswith("delete "):
            target = "set " + c[len("delete "):]
            kept = [ln for ln in lines if not (ln == target or ln.startswith(target + " "))]
            if len(kept) == len(lines):
                warnings.append(f"{target[4:]!r} is not configured; nothing to delete")
            lines = kept
        elif c not in lines and not any(ln.startswith(c + " ") for ln in lines):
            lines = [ln for ln in lines if not rules.same_setting(ln, c)] + [c]
    return "\n".join(lines) + ("\n" if lines else "")


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
        for key in {m.group("key") for ln in target_lines if (m := rx.search(ln))}:
            rules.append(re.sub(r"\(\?P<key>[^)]*\)", lambda _: re.escape(key), r))
    options["idempotent_commands"] = [{"match_leaf": True, "lineage": [{"re_search": r}]} for r in rules]
    host = Host("netcfg", os_name, options)
    a, b = HConfig(host), HConfig(host)
    try:
        a.load_from_string(running)
        b.load_from_string(intended)
    except (AssertionError, ValueError, IndexError) as e:  # e.g. a banner that never ends
        said = "a banner never ends" if "banner" in str(e) else " ".join(str(e).split())[:120]
        raise ConfigError(f"the config cannot be read as a {vendor.title} configuration"
                          + (f": {said}" if said else "")) from None
    rem = a.config_to_get_to(b)

    def walk(children) -> list[Node]:
        return [(c.text, walk(c.children)) for c in children]

    return configtree.dump(walk(rem.children), vendor.rendering.indent)


def _set_diff(src: str, dst: str) -> str:
    a = [ln for ln in src.splitlines() if ln.strip()]
    b = [ln for ln in dst.splitlines() if ln.strip()]
    bs, as_ = set(b), set(a)
    out = ["delete " + ln[4:] for ln in a if ln not in bs] + [ln for ln in b if ln not in as_]
    return "\n".join(out) + ("\n" if out else "")


def remediation(src: str, dst: str, vendor: Vendor) -> str:
    """Commands that turn config `src` into config `dst`, with the vendor's negations and ordering.

    An object removed whole (a `cascade` rule, e.g. a BGP neighbor) is negated once (`no neighbor X`),
    not line by line, and its lines inside sub-blocks (address families) go with it.
    """
    if vendor.style == "set":
        return _set_diff(src, dst)
    text = _hier_text(src, dst, vendor)
    rules = vendor.plan
    tree = configtree.parse(text)
    if rules.cascade:
        _collapse(tree, configtree.parse(dst), rules)
    if rules.acl_negate_sequence_only:
        _seq_only_negations(tree, rules)
    _keep_interfaces(tree, configtree.parse(src), rules)
    if rules.negate_with:
        _negate_with(tree, rules)
    return configtree.dump(tree, vendor.rendering.indent)


def _negate_with(nodes: list[Node], rules: PlanRules) -> None:
    """Negations the vendor spells its own way (`no description`, not `no description TEXT`)."""
    for i, (line, kids) in enumerate(nodes):
        if line.startswith(rules.negation) and not kids:
            nodes[i] = (rules.negate(line[len(rules.negation):]), kids)
        _negate_with(kids, rules)


def _keep_interfaces(rem: list[Node], src: list[Node], rules: PlanRules) -> None:
    """`no interface X` for an interface the device cannot delete (a physical or kernel one) becomes
    the vendor's reset (`default interface X`) or, without one, the negation of each of its lines:
    the interface goes back to its defaults, it is not removed."""
    blocks = {line: kids for line, kids in src}
    for i, (line, kids) in enumerate(rem):
        target = line[len(rules.negation):] if line.startswith(rules.negation) else ""
        if not target.startswith("interface ") or rules.removable_interface(target):
            continue
        if rules.reset_interface:
            rem[i] = (f"{rules.reset_interface} {target}", [])
        else:
            rem[i] = (target, [(rules.negate(k), []) for k, _ in blocks.get(target, [])])


def _collapse(rem: list[Node], dst: list[Node], rules: PlanRules) -> None:
    gone: list[str] = []
    for line, _ in rem:
        if line.startswith(rules.negation):
            for r in rules.cascade:
                m = r.search(line[len(rules.negation):])
                if m and m.group("object") not in gone and not any(
                        _removes(m.group("object"), d[0], False) for d in dst):
                    gone.append(m.group("object"))
    for obj in gone:
        hits = [i for i, n in enumerate(rem) if _removes(rules.negation + obj, n[0], False)]
        rem[hits[0]] = (rules.negation + obj, [])
        for i in reversed(hits[1:]):
            del rem[i]
        keep = []
        for n in rem:
            had = bool(n[1])
            _drop_nested(n[1], rules.negation + obj)
            if not had or n[1]:
                keep.append(n)
        rem[:] = keep
    for line, kids in rem:
        sub = next((d[1] for d in dst if d[0] == line), [])
        if kids:
            _collapse(kids, sub, rules)


def _seq_only_negations(nodes: list[Node], rules: PlanRules) -> None:
    """`no 20 permit tcp any any eq 443` -> `no 20` inside ACLs, for vendors that take only that."""
    for line, kids in nodes:
        if rules.acl_parent and rules.acl_parent.search(line):
            for i, (kl, kk) in enumerate(kids):
                m = re.match(rf"^{re.escape(rules.negation)}(\d+)\s", kl)
                if m:
                    kids[i] = (f"{rules.negation}{m.group(1)}", kk)
        _seq_only_negations(kids, rules)


def normalized_running(running: str, vendor: Vendor) -> str:
    """The running config re-indented and de-commented, as the diff's left side."""
    if vendor.style == "set":
        return "\n".join(ln.strip() for ln in running.splitlines() if ln.strip().startswith("set ")) + "\n"
    tree = configtree.parse(running)
    rules = vendor.plan
    _number_acls(tree, rules)
    _join_list_lines(tree, rules)
    _drop_empty_interfaces(tree, rules)
    return configtree.dump(tree, vendor.rendering.indent)


def make_plan(intents: list[str], changes: list[dict], candidate: str, running: str, vendor: Vendor,
              device: str | None = None, mgmt_interface: str | None = None, force: bool = False,
              mgmt=None) -> Plan:
    """Plan a candidate against a running config. A change that would cut off the management session
    (`mgmt`, a lockout.Mgmt, or the interface `mgmt_interface`) is an error unless `force`."""
    running = vendor.clean_running(running)
    if not configtree.parse(running):
        raise ConfigError("the running config is empty or not a text configuration")
    before = normalized_running(running, vendor)
    intended, warnings = intended_config(running, candidate, vendor)
    plan = Plan(intents, vendor.name, device, changes, candidate, intended=intended, warnings=warnings)
    plan.remediation = remediation(before, intended, vendor)
    plan.rollback = remediation(intended, before, vendor)
    plan.diff = "".join(difflib.unified_diff(
        before.splitlines(True), intended.splitlines(True), "running", "intended"))
    _check_lockout(plan, before, intended, vendor, mgmt, mgmt_interface, force)
    return plan


def _check_lockout(plan: Plan, before: str, after: str, vendor: Vendor, mgmt, mgmt_interface: str | None,
                   force: bool) -> None:
    from .lockout import Mgmt, problems

    if force or not plan.changed or not (mgmt or mgmt_interface):
        return
    mgmt = mgmt or Mgmt()
    if mgmt_interface:
        mgmt = Mgmt(mgmt.addresses, mgmt.client, mgmt_interface)
    for problem in problems(before, after, vendor, mgmt):
        plan.errors.append(f"lock-out: {problem}; use --force if you really mean it")


def plan_to_target(running: str, target: str, vendor: Vendor, label: str, device: str | None = None,
                   mgmt=None, force: bool = False) -> Plan:
    """Plan that turns the running config into a whole target config (e.g. `netcfg restore` of a backup),
    with the same lock-out check as make_plan."""
    before = normalized_running(vendor.clean_running(running), vendor)
    after = normalized_running(vendor.clean_running(target), vendor)
    if not configtree.parse(after):
        raise ConfigError(f"{label}: the target config is empty")
    rem = remediation(before, after, vendor)
    plan = Plan([label], vendor.name, device, [], candidate=rem, remediation=rem,
                rollback=remediation(after, before, vendor), intended=after,
                diff="".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), "running", "target")))
    _check_lockout(plan, before, after, vendor, mgmt, None, force)
    return plan


def render_markdown(plan: Plan) -> str:
    """What a reviewer reads in a change ticket (secrets redacted)."""
    plan = plan.redacted()
    fence = "```"
    parts = [f"## netcfg plan: {plan.device or 'running config file'} ({plan.vendor})", "", "**Intent**", ""]
    parts += [f"- {i}" for i in plan.intents] + [""]
    if plan.summary:
        parts += ["**Understood as**", ""] + [f"- {s}" for s in plan.summary] + [""]
    if not plan.changed:
        parts += ["**No changes**: the running config already satisfies the intent.", ""]
    else:
        parts += ["**Remediation** (commands to push)", "", fence, plan.remediation.rstrip(), fence, ""]
        parts += ["**Rollback**", "", fence, plan.rollback.rstrip(), fence, ""]
        parts += ["**Diff** (running → intended)", "", f"{fence}diff", plan.diff.rstrip(), fence, ""]
    for label, items in (("Warnings", plan.warnings), ("Errors", plan.errors)):
        if items:
            parts += [f"**{label}**", ""] + [f"- {w}" for w in items] + [""]
    return "\n".join(parts)
