"""Vendors are data: a schema file in vendor_schemas/ and a template per kind in templates/<vendor>/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import yaml

from . import configtree, intent, values
from .errors import ConfigError, IntentError, UnsupportedError
from .paths import data_path


@dataclass(frozen=True)
class Vendor:
    """One vendor's rules, read from vendor_schemas/<name>.yaml."""

    name: str
    title: str
    netmiko: str
    style: str
    features: tuple[str, ...]
    data: dict = field(repr=False, compare=False, hash=False)

    @cached_property
    def naming(self) -> values.InterfaceNaming:
        return values.InterfaceNaming(self.data["interfaces"], self.name)

    @property
    def rules(self) -> dict:
        return self.data.get("rules", {})

    @property
    def defaults(self) -> dict:
        return self.data.get("defaults", {})

    @cached_property
    def fill(self) -> dict:
        """The running-config fill rules: intent.yaml `fill`, with the vendor's own `fill` on top."""
        rules = {**intent.spec().get("fill", {}), **self.data.get("fill", {})}
        return {name: rule for name, rule in rules.items() if rule is not None}

    def supports(self, kind: str) -> bool:
        return kind in self.features

    def check_supported(self, kind: str, change: dict | None = None) -> None:
        """Refuse a feature (or a field of one) this vendor does not have, naming the vendors that do."""
        for fname, wording in self.data.get("unsupported_fields", {}).get(kind, {}).items():
            if change and change.get(fname) is not None:
                raise UnsupportedError(f"{self.name} has {wording}")
        if self.supports(kind):
            return
        others = [v for v in names() if v != self.name and get(v).supports(kind)]
        what = self.data.get("unsupported_wording", {}).get(kind) or f"no {kind.replace('_', ' ')}"
        alt = f"; use {', '.join(others[:-1])} or {others[-1]}" if len(others) > 1 else (f"; use {others[0]}" if others else "")
        raise UnsupportedError(f"{self.name} has {what}{alt}")

    def clean_running(self, running: str) -> str:
        """Drop the lines a device prints around its config (banners, version headers): `ignore_lines`."""
        pats = [re.compile(p) for p in self.data.get("ignore_lines", [])]
        if not pats:
            return running
        return "\n".join(ln for ln in running.splitlines() if not any(p.search(ln) for p in pats)) + "\n"

    def running_facts(self, running: str | None) -> dict:
        """Values read from a running config with the vendor's `running` patterns (lists of matches)."""
        flat = "\n".join(configtree.flat_lines(running or ""))
        facts: dict = {}
        for key, pattern in self.data.get("running", {}).items():
            rx = re.compile(pattern, re.M)
            facts[key] = [m.groupdict() if rx.groupindex else m.group(1) for m in rx.finditer(flat)]
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

        Templates see `c` (the change), `vendor` (this schema) and `facts` (from the running config).
        """
        import jinja2

        env = _env(self.name)
        parts = []
        for c in changes:
            self.check_supported(c["kind"], c)
            try:
                parts.append(env.get_template(f"{c['kind']}.j2").render(c=c, vendor=self.data, facts=facts or {}))
            except jinja2.TemplateError as e:
                raise ConfigError(f"internal error in template {self.name}/{c['kind']}.j2: {e}") from None
        text = "".join(p if p.endswith("\n") else p + "\n" for p in parts)
        if self.style == "set":
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            return "\n".join(dict.fromkeys(lines)) + "\n"
        tree = configtree.merge(configtree.parse(text))
        hoist = [re.compile(h) for h in self.data.get("hoist", [])]
        if hoist:  # lines the device needs before anything else (e.g. NX-OS `feature ...`)
            first = [n for n in tree if any(h.search(n[0]) for h in hoist)]
            tree = first + [n for n in tree if n not in first]
        return configtree.dump(tree, indent=self.data.get("indent", 1))


def _port_name(port: int | None, protocol: str, vendor: dict) -> str:
    names = vendor.get("port_names", {}).get(protocol, {})
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
    env.globals["neg"] = jinja2.pass_context(_neg)
    return env


def _neg(ctx, change: dict) -> str:
    """Templates write `{{ neg(c) }}line`: nothing for an added change, the vendor's negation
    (`plan.negation`, `no `) for a removal."""
    return "" if change["op"] == "add" else ctx["vendor"].get("plan", {}).get("negation", "no ")


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
    feats = data.get("features", "all")
    all_kinds = list(intent.kinds())
    features = tuple(all_kinds if feats == "all" else [k for k in all_kinds if k in feats])
    return Vendor(data["name"], data["title"], data["netmiko"], data.get("style", "indent"), features, data)


@lru_cache(maxsize=None)
def names() -> tuple[str, ...]:
    """All vendor names, in a stable order."""
    return tuple(sorted(p.stem for p in data_path("vendor_schemas").glob("*.yaml") if p.stem != "intent"))
