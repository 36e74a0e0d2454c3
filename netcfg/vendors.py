"""Vendors are data: a schema file in vendor_schemas/ and a template per kind in templates/<vendor>/."""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property, lru_cache
from typing import Any, Callable, Mapping, Protocol

import yaml

from . import configtree, intent, values
from .errors import ConfigError, IntentError, UnsupportedError
from .paths import data_path


def _rx(pattern: str | None):
    return re.compile(pattern) if pattern else None


def _rxs(patterns) -> tuple:
    return tuple(re.compile(p) for p in patterns or ())


@dataclass(frozen=True)
class Rendering:
    """How changes become this vendor's config text, and what its interface names mean."""

    style: str  # indent: hierarchical blocks; set: Junos set/delete lines
    comment: str  # how a comment line of its config starts
    interfaces: tuple  # interface naming (values.InterfaceNaming)
    virtual_interfaces: tuple[str, ...]  # names a change may create (need not exist in the running config)
    features: Any = "all"  # the kinds it has: all, or a list
    indent: int = 1  # spaces per level, as the device shows its config
    defaults: Mapping = field(default_factory=dict)  # field values a change leaves out
    rules: Mapping = field(default_factory=dict)  # what a name or text may be (values.check_rule)
    port_names: Mapping = field(default_factory=dict)  # well-known ports by name, per protocol
    fill: Mapping = field(default_factory=dict)  # more running-config fill rules (intent.yaml fill)
    hoist: tuple[str, ...] = ()  # lines the device needs before anything else
    not_switchports: tuple[str, ...] = ()  # interfaces that are never switchports
    unsupported_wording: Mapping = field(default_factory=dict)
    unsupported_fields: Mapping = field(default_factory=dict)
    ciscoconfparse: str = "ios"  # ciscoconfparse syntax for the structure check
    syntax_check: str | None = None  # a local command that checks the config (FRR: vtysh --dryrun)


@dataclass(frozen=True)
class PlanRules:
    """How remediation and rollback are computed for this vendor (plan.py): `hier_config` and `plan`."""

    hier_config: str | None = None  # hier_config's OS; None: set/delete lines
    negation: str = ""  # the prefix that removes a line ("no ")
    replaces: tuple = ()  # settings replaced in place (a (?P<key>...) names which)
    negate_first: tuple[str, ...] = ()  # of those, the ones to remove before setting again
    literal_negations: tuple = ()  # lines that start with the negation but are settings
    list_edit: Any = None  # a list line edited by add/remove (trunk allowed VLANs)
    split_items: Any = None  # a line that holds several items the device takes one per line (name servers)
    acl_parent: Any = None  # the block that holds ACL entries
    acl_sequence_step: int = 0  # ACL entries are numbered in steps of this (0: not numbered)
    acl_catch_all: Any = None  # an ACL's final catch-all entry
    acl_negate_sequence_only: bool = False  # an ACL entry is removed by its number alone
    cascade: tuple = ()  # objects removed whole with one negation (?P<object>...)
    hidden_defaults: tuple = ()  # defaults the device does not show
    default_values: tuple = ()  # values that put a setting back to a default the device does not show
    negate_with: tuple = ()  # (pattern, command) pairs: how a line that has no negation is undone
    reset_interface: str | None = None  # `default` interface X: back to the defaults
    removable_interfaces: Any = None  # interfaces that may be removed whole
    referenced: tuple = ()  # top-level objects other lines use by name: made first, removed last
    resets: tuple = ()  # (trigger, dropped) pairs: an interface line whose change makes the device drop those lines

    @classmethod
    def from_data(cls, hier_config, plan: dict) -> "PlanRules":
        plan = dict(plan)
        for key in ("replaces", "literal_negations", "cascade", "hidden_defaults", "default_values", "referenced"):
            plan[key] = _rxs(plan.get(key))
        for key in ("list_edit", "split_items", "acl_parent", "acl_catch_all", "removable_interfaces"):
            plan[key] = _rx(plan.get(key))
        plan["negate_first"] = tuple(plan.get("negate_first") or ())
        plan["negate_with"] = tuple((re.compile(k), v) for k, v in (plan.get("negate_with") or {}).items())
        plan["resets"] = tuple((re.compile(k), re.compile(v)) for k, v in (plan.get("resets") or {}).items())
        return cls(hier_config=hier_config, **plan)

    def removable_interface(self, block: str) -> bool:
        """Whether `interface X` may be removed whole (a virtual interface), not only reset."""
        return bool(self.removable_interfaces and self.removable_interfaces.search(block))

    def negate(self, line: str) -> str:
        """The command that removes `line` (`no shutdown` for `shutdown`; the vendor's `negate_with`)."""
        if line.startswith(self.negation):
            return line[len(self.negation) :]
        return next((m.expand(v) for r, v in self.negate_with if (m := r.search(line))), self.negation + line)

    def hidden_default(self, line: str) -> bool:
        """A default the device does not show: only a change away from another value is real."""
        return any(r.search(line) for r in self.hidden_defaults)

    def default_value(self, line: str) -> bool:
        """A value that puts its setting back to the default (`logging trap informational`): the device then
        shows neither it nor the value it replaced."""
        return any(r.search(line) for r in self.default_values)

    def cascades(self, target: str) -> bool:
        """A removal of a whole cascading object (`neighbor X`), not of one of its settings."""
        return any((m := r.search(target + " ")) and m.group("object") == target for r in self.cascade)

    def literal(self, line: str, path: str = "") -> bool:
        """A negated line the device shows as config (`no cdp enable`): see `literal_negations` (a rule with ` > `
        is matched against the line's parents too: `management telnet > no shutdown`)."""
        return any(r.search(line) or r.search(path + line) for r in self.literal_negations)

    def is_negation(self, line: str, path: str = "") -> bool:
        return bool(self.negation) and line.startswith(self.negation) and not self.literal(line, path)

    def same_setting(self, old: str, new: str) -> bool:
        for r in self.replaces:
            a, b = r.search(old), r.search(new)
            if a and b and a.groupdict().get("key") == b.groupdict().get("key"):
                return True
        return False


@dataclass(frozen=True)
class Dialogue:
    """How netcfg drives the device over SSH (device.py, apply.py)."""

    netmiko: str  # Netmiko device_type
    show_running: str  # the command that prints the running config
    error_pattern: str  # what in a reply means the device refused a line
    enable: bool = True  # enter enable mode after login
    save_command: str | None = None  # makes the change permanent (a device without a candidate)
    save_ok: str | None = None  # text the save's reply must contain
    exit_command: str | None = None  # leaves a config block
    opens_mode: tuple[str, ...] = ()  # lines that enter a mode with nothing under them too (left with exit_command)
    # A banner delimiter the device shows but no one can type (IOS shows ^C): a push types the first of
    # `typed` its text lacks instead.
    banner_delimiter: Mapping = field(default_factory=dict)  # {shown: '^C', typed: '#%@~&*|$'}
    lifecycle: Mapping = field(default_factory=dict)  # candidate steps: load, check, commit, confirm (Junos, EOS)
    safety_net: Mapping = field(default_factory=dict)  # a revert timer or checkpoint around a push (IOS, NX-OS)


@dataclass(frozen=True)
class RunningFacts:
    """What netcfg reads from a running config or a backup of this vendor."""

    running: Mapping = field(default_factory=dict)  # fact name: regex over "parent > child" lines
    ignore_lines: tuple[str, ...] = ()  # lines a device prints around its config
    backup_markers: Mapping = field(default_factory=dict)  # what a complete backup has (hostname, end marker)


def _part(cls, data: dict, source: str):
    """One typed part from the vendor file's keys that are its fields (lists become tuples)."""
    missing = [
        f.name for f in fields(cls) if f.name not in data and f.default is MISSING and f.default_factory is MISSING
    ]
    if missing:
        raise ConfigError(f"{source}: missing key {missing[0]!r}")
    return cls(
        **{
            f.name: tuple(data[f.name]) if isinstance(data[f.name], list) else data[f.name]
            for f in fields(cls)
            if f.name in data
        }
    )


class ConfigStyle(Protocol):
    """A config style (netcfg/indent_style.py, netcfg/set_style.py): how rendered changes, running configs,
    plans and pushes look for the vendors that share it."""

    def merge(self, text: str) -> str:
        """Rendered changes -> one candidate config (merged, de-duplicated)."""

    def normalized(self, running: str) -> str:
        """A running config in normal form, to compare and diff."""

    def intended(self, running: str, candidate: str) -> tuple[str, list[str]]:
        """The config after the candidate is applied, and warnings (a removal of what is not there)."""

    def remediation(self, src: str, dst: str) -> str:
        """The commands that turn config `src` into `dst` (rollback is remediation(dst, src))."""

    def push_lines(self, config: str) -> list[str]:
        """The lines to type on the device for a remediation."""

    def check_structure(self, config: str) -> None:
        """ConfigError where the candidate's structure is not what was rendered."""


_PARTS = {"rendering": Rendering, "device": Dialogue, "reading": RunningFacts}
_OWN = {"name", "title", "hier_config", "plan", "secrets", "lockout"}


@dataclass(frozen=True)
class Vendor:
    """One vendor's rules, read from vendor_schemas/<name>.yaml, in named, typed parts. A key the parts do
    not know is refused when the file is loaded: a misspelt key must not fall back to a default."""

    name: str
    title: str
    features: tuple[str, ...]
    rendering: Rendering = field(repr=False, compare=False, hash=False)
    plan: PlanRules = field(repr=False, compare=False, hash=False)
    device: Dialogue = field(repr=False, compare=False, hash=False)
    reading: RunningFacts = field(repr=False, compare=False, hash=False)
    secrets: tuple[str, ...] = field(default=(), repr=False, compare=False, hash=False)  # patterns of secret lines
    lockout: Mapping = field(default_factory=dict, repr=False, compare=False, hash=False)  # lockout.py's facts

    @classmethod
    def from_data(cls, data: dict, source: str) -> "Vendor":
        """The typed vendor from its YAML; ConfigError names an unknown or missing key."""
        known = _OWN | {f.name for part in _PARTS.values() for f in fields(part)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
        try:
            parts = {name: _part(part, data, source) for name, part in _PARTS.items()}
            plan = PlanRules.from_data(data.get("hier_config"), data.get("plan") or {})
        except TypeError as e:
            raise ConfigError(f"{source}: {e}") from None
        except re.error as e:
            raise ConfigError(f"{source}: a pattern does not compile: {e}") from None
        render = parts["rendering"]
        if render.style not in ("indent", "set"):
            raise ConfigError(f"{source}: style is indent or set, not {render.style!r}")
        if render.style == "indent" and not (plan.negation and parts["device"].exit_command):
            raise ConfigError(f"{source}: an indent-style vendor needs plan.negation and exit_command")
        all_kinds = list(intent.kinds())
        features = tuple(all_kinds if render.features == "all" else [k for k in all_kinds if k in render.features])
        return cls(
            data["name"],
            data["title"],
            features,
            render,
            plan,
            parts["device"],
            parts["reading"],
            tuple(data.get("secrets") or ()),
            data.get("lockout") or {},
        )

    @property
    def style(self) -> str:
        return self.rendering.style

    @cached_property
    def driver(self) -> ConfigStyle:
        """The driver of this vendor's config style: the one place that knows indent from set."""
        from .indent_style import IndentStyle
        from .set_style import SetStyle

        drivers: dict[str, Callable[[Vendor], ConfigStyle]] = {"indent": IndentStyle, "set": SetStyle}
        return drivers[self.style](self)

    @property
    def netmiko(self) -> str:
        return self.device.netmiko

    @cached_property
    def naming(self) -> values.InterfaceNaming:
        return values.InterfaceNaming(list(self.rendering.interfaces), self.name)

    @property
    def rules(self) -> Mapping:
        return self.rendering.rules

    @property
    def defaults(self) -> Mapping:
        return self.rendering.defaults

    @cached_property
    def fill(self) -> dict:
        """The running-config fill rules: intent.yaml `fill`, with the vendor's own `fill` on top."""
        rules = {**intent.spec().get("fill", {}), **self.rendering.fill}
        return {name: rule for name, rule in rules.items() if rule is not None}

    def supports(self, kind: str) -> bool:
        return kind in self.features

    def check_supported(self, kind: str, change: dict | None = None) -> None:
        """Refuse a feature (or a field of one) this vendor does not have, naming the vendors that do."""
        for key, wording in self.rendering.unsupported_fields.get(kind, {}).items():
            fname, _, value = key.partition("=")  # `field` (any value) or `field=value` (that choice)
            if change and change.get(fname) is not None and (not value or str(change[fname]) == value):
                raise UnsupportedError(f"{self.name} has {wording}")
        if self.supports(kind):
            return
        others = [v for v in names() if v != self.name and get(v).supports(kind)]
        what = self.rendering.unsupported_wording.get(kind) or f"no {kind.replace('_', ' ')}"
        alt = (
            f"; use {', '.join(others[:-1])} or {others[-1]}"
            if len(others) > 1
            else (f"; use {others[0]}" if others else "")
        )
        raise UnsupportedError(f"{self.name} has {what}{alt}")

    def clean_running(self, running: str) -> str:
        """Drop the lines a device prints around its config (banners, version headers): `ignore_lines`."""
        pats = [re.compile(p) for p in self.reading.ignore_lines]
        if not pats:
            return running
        return "\n".join(ln for ln in running.splitlines() if not any(p.search(ln) for p in pats)) + "\n"

    def running_facts(self, running: str | None) -> dict:
        """Values read from a running config with the vendor's `running` patterns (lists of matches)."""
        flat = "\n".join(configtree.flat_lines(running or ""))
        facts: dict = {}
        for key, pattern in self.reading.running.items():
            rx = re.compile(pattern, re.M)
            facts[key] = [_unit_named(m.groupdict()) if rx.groupindex else m.group(1) for m in rx.finditer(flat)]
        vlans: set[int] = set()
        for item in facts.get("vlans", []):
            try:
                vlans.update(values.vlan_list(item))
            except IntentError:
                pass
        facts["vlans"] = sorted(vlans)
        return facts

    def render(self, changes: list[dict], facts: dict | None = None) -> str:
        """Normalised changes -> candidate configuration text (blocks merged, lines de-duplicated).

        Templates see `c` (the change), `changes` (all of this candidate's), `vendor` (this schema) and
        `facts` (from the running config).
        """
        import jinja2

        env = _env(self.name)
        parts = []
        for c in changes:
            self.check_supported(c["kind"], c)
            try:
                parts.append(
                    env.get_template(f"{c['kind']}.j2").render(c=c, changes=changes, vendor=self, facts=facts or {})
                )
            except jinja2.TemplateError as e:
                raise ConfigError(f"internal error in template {self.name}/{c['kind']}.j2: {e}") from None
        return self.driver.merge("".join(p if p.endswith("\n") else p + "\n" for p in parts))


def _unit_named(found: dict) -> dict:
    """A Junos logical unit read as an interface ("irb unit 30", "ge-0/0/3 unit 0") named as netcfg names it
    (irb.30; unit 0 is the port itself)."""
    m = re.fullmatch(r"(\S+) unit (\d+)", found.get("interface") or "")
    if m:
        found = {**found, "interface": m[1] if m[2] == "0" else f"{m[1]}.{m[2]}"}
    return found


def _port_name(port: int | None, protocol: str, vendor: Vendor) -> str:
    names = vendor.rendering.port_names.get(protocol, {})
    return str(names.get(port, port))


@lru_cache(maxsize=None)
def _env(vendor: str):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_path("templates") / vendor)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["vlan_ranges"] = values.vlan_ranges
    env.globals["port_name"] = _port_name
    env.globals["fail"] = _fail
    env.globals["prefix_entry"] = _prefix_entry
    env.globals["route_map_entries"] = _route_map_entries
    env.globals["neg"] = jinja2.pass_context(_neg)
    return env


def _neg(ctx, change: dict) -> str:
    """Templates write `{{ neg(c) }}line`: nothing for an added change, the vendor's negation
    (`plan.negation`, `no `) for a removal."""
    return "" if change["op"] == "add" else ctx["vendor"].plan.negation


def _prefix_entry(c: dict, changes: list[dict], facts: dict, step: int) -> dict | None:
    """The prefix-list entry a change means, as the templates write it (seq, action, prefix, ge, le).

    The seq is the one asked for; else that of the same entry in the running config; else, for an addition,
    `step` past the list's last (running or earlier in `changes`); without a running config, None (the device
    numbers it). A removal takes what it leaves out (seq, action, ge/le) from the running config's one entry
    for its prefix; None when the running config has no such entry (nothing to remove)."""
    running = facts.get("prefix_lists")
    known = [_entry(e) for e in running or []]
    for d in changes:
        if d["kind"] != "prefix_list" or d["name"] != c["name"]:
            continue
        want = _entry({**d, "prefix": d["prefix"]["cidr"]})
        if d["op"] == "add":
            same = next((e for e in known if _same_entry(e, want, ("action", "ge", "le"))), None)
            seq = want["seq"] or (same or {}).get("seq")
            if seq is None and running is not None:
                seq = max((e["seq"] for e in known if e["name"] == d["name"]), default=0) + step
            entry = {**want, "seq": seq}
            known.append(entry)
        else:
            given = [f for f in ("seq", "action", "ge", "le") if want[f] is not None]
            found = [e for e in known if _same_entry(e, want, given)]
            if len(found) > 1:
                seqs = ", ".join(str(e["seq"]) for e in found)
                raise IntentError(
                    f"prefix-list {d['name']} has {len(found)} entries for {want['prefix']} (seq {seqs}): say which"
                )
            if running is not None and not found:
                entry = None
            elif found:
                entry = found[0]
            elif want["action"] is None:
                raise IntentError(
                    f"say whether the prefix-list {d['name']} entry for {want['prefix']} permits or denies it, or give the running config"
                )
            else:
                entry = want
        if d is c:
            return entry
    return None


def _route_map_entries(c: dict, changes: list[dict], facts: dict) -> list[dict]:
    """The route-map entries (action, seq) a change means, as the templates write them.

    An addition edits the entry with the seq asked for, else the entry that matches the same prefix-list, else the
    map's only entry when the change matches no prefix-list; a new entry gets seq 10, or 10 past the map's last
    (running or earlier in `changes`). Its action is the one asked for, else the entry's, else permit. A removal
    with a seq or a prefix-list removes that entry (nothing when the running config has none); without either it
    removes the whole map: each running entry, or, without a running config, the map by name (seq None)."""
    running = facts.get("route_maps")
    lines: dict[tuple, list[str]] = {}
    for m in facts.get("route_map_matches") or []:
        lines.setdefault((m["name"], int(m["seq"])), []).append(m["line"])

    def read(e: dict) -> dict:
        said = lines.get((e["name"], int(e["seq"])), [])
        pl = next((m.group(1) for x in said if (m := re.search(r"prefix-list (\S+)$", x))), None)
        action = {"accept": "permit", "reject": "deny"}.get(e["action"], e["action"])  # a Junos term's
        return {"name": e["name"], "seq": int(e["seq"]), "action": action, "match": pl, "any": not said}

    known = [read(e) for e in running or []]
    for d in changes:
        if d["kind"] != "route_map" or d["name"] != c["name"]:
            continue
        mine = [e for e in known if e["name"] == d["name"]]
        match = d.get("match_prefix_list")
        if d.get("seq"):
            found = [e for e in mine if e["seq"] == d["seq"]]
        elif match:
            found = [e for e in mine if e["match"] == match]
        else:
            found = mine if d["op"] == "remove" or len(mine) == 1 else []
        where = f"route-map {d['name']}"
        if d["op"] == "remove":
            if not found and running is None and (d.get("seq") or match):
                if not (d.get("seq") and d.get("action")):
                    raise IntentError(
                        f"say the seq and permit or deny of the {where} entry to remove, or give the running config"
                    )
                found = [{"name": d["name"], "seq": d["seq"], "action": d["action"]}]
            entries = found or ([] if running is not None else [{"name": d["name"], "seq": None, "action": None}])
            known = [e for e in known if e not in entries]
        else:
            if len(found) > 1:
                seqs = ", ".join(str(e["seq"]) for e in found)
                raise IntentError(
                    f"{where} has {len(found)} entries that match prefix-list {match} (seq {seqs}): say which seq"
                )
            if not found and not d.get("seq") and not match and mine:
                seqs = ", ".join(str(e["seq"]) for e in mine)
                raise IntentError(
                    f"{where} has entries {seqs}: say which seq to change, or the prefix-list the entry matches"
                )
            old = found[0] if found else None
            if old and d.get("action") and d["action"] != old["action"]:
                raise IntentError(
                    f"{where} seq {old['seq']} is a {old['action']} entry: remove it first to make it {d['action']}"
                )
            seq = d.get("seq") or (old or {}).get("seq") or max((e["seq"] for e in mine), default=0) + 10
            shadow = next((e for e in mine if e["any"] and e["seq"] < seq), None)
            if shadow:
                raise IntentError(
                    f"{where} seq {shadow['seq']} matches every route ({shadow['action']} with no match), so an entry at "
                    f"seq {seq} after it would never be used: say a seq below {shadow['seq']}"
                )
            entry = {"name": d["name"], "seq": seq, "action": d.get("action") or (old or {}).get("action") or "permit"}
            new = {**entry, "match": match or (old or {}).get("match")}
            known = [e for e in known if e is not old] + [
                {**new, "any": not (new["match"] or (old and not old["any"]))}
            ]
            entries = [entry]
        if d is c:
            return entries
    return []


def _number(v) -> int | None:
    return int(v) if v not in (None, "") else None


def _entry(e: dict) -> dict:
    """A prefix-list entry (a running config's match or a change) with comparable values."""
    return {
        "name": e["name"],
        "seq": _number(e.get("seq")),
        "action": e.get("action"),
        "prefix": str(e["prefix"]),
        "ge": _number(e.get("ge")),
        "le": _number(e.get("le")),
    }


def _same_entry(e: dict, want: dict, fields) -> bool:
    return e["name"] == want["name"] and e["prefix"] == want["prefix"] and all(e[f] == want[f] for f in fields)


def _fail(message: str):
    """Templates call fail("...") to refuse a change they cannot express."""
    raise IntentError(message)


@lru_cache(maxsize=None)
def get(name: str) -> Vendor:
    """Load a vendor by name; unknown names raise UnsupportedError listing the known ones."""
    path = data_path("vendor_schemas") / f"{name}.yaml"
    if name == "intent" or not path.is_file():
        raise UnsupportedError(f"unknown vendor {name!r}; choose one of: {', '.join(names())}")
    with open(path) as f:
        data = yaml.safe_load(f)
    return Vendor.from_data(data, f"vendor_schemas/{name}.yaml")


@lru_cache(maxsize=None)
def names() -> tuple[str, ...]:
    """All vendor names, in a stable order."""
    return tuple(sorted(p.stem for p in data_path("vendor_schemas").glob("*.yaml") if p.stem != "intent"))
