"""Devices from a Nornir SimpleInventory (hosts.yaml, groups.yaml, defaults.yaml)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .paths import read_yaml

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_FIELDS = ("hostname", "port", "username", "password", "platform")


@dataclass
class Host:
    """One device. The password never appears in repr, logs or reports."""

    name: str
    hostname: str
    platform: str
    port: int = 22
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    groups: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def public(self) -> dict:
        """Everything but the password, for reports."""
        return {"name": self.name, "hostname": self.hostname, "port": self.port, "username": self.username,
                "platform": self.platform, "groups": self.groups, "data": self.data}


def _expand(value, where: str):
    if isinstance(value, str):
        def sub(m: re.Match) -> str:
            if m.group(1) not in os.environ:
                raise ConfigError(f"environment variable {m.group(1)} is not set (needed by {where})")
            return os.environ[m.group(1)]
        return _VAR.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, where) for v in value]
    return value


def _load(path: Path) -> dict:
    if not path.is_file():
        return {}
    data = read_yaml(path, "inventory file") or {}
    if not isinstance(data, dict):
        raise ConfigError(f"inventory file {path} must be a mapping of names to settings")
    return data


class Inventory:
    """Hosts resolved with their groups and defaults (host > groups in order > defaults)."""

    def __init__(self, path: str | Path):
        p = Path(path)
        if not p.exists():
            raise ConfigError(f"inventory {path} does not exist (it has no hosts.yaml)")
        folder = p if p.is_dir() else p.parent
        hosts_file = p if p.is_file() else folder / "hosts.yaml"
        if not hosts_file.is_file():
            raise ConfigError(f"inventory {path} has no hosts.yaml")
        self.raw_hosts = _load(hosts_file)
        self.groups = _load(folder / "groups.yaml")
        self.defaults = _load(folder / "defaults.yaml")
        for name, h in self.raw_hosts.items():
            if not isinstance(h, dict):
                raise ConfigError(f"inventory host {name!r} must be a mapping")

    def names(self) -> list[str]:
        return list(self.raw_hosts)

    def _chain(self, settings: dict, seen: tuple[str, ...] = ()) -> list[dict]:
        chain = [settings]
        for g in settings.get("groups", []) or []:
            if g in seen:
                raise ConfigError(f"inventory group {g!r} includes itself")
            if g not in self.groups:
                raise ConfigError(f"inventory group {g!r} is not defined in groups.yaml")
            chain += self._chain(self.groups[g] or {}, seen + (g,))
        return chain

    def host(self, name: str) -> Host:
        """Resolve one host; unknown names and missing fields are clear errors."""
        if name not in self.raw_hosts:
            known = ", ".join(self.names()[:10]) or "none"
            raise ConfigError(f"unknown device {name!r} (inventory has: {known})")
        chain = self._chain(self.raw_hosts[name] or {}) + [self.defaults]
        merged: dict = {}
        for f in _FIELDS:
            merged[f] = next((c[f] for c in chain if c.get(f) is not None), None)
        data: dict = {}
        for c in reversed(chain):
            data.update(c.get("data") or {})
        merged = _expand(merged, f"device {name}")
        if not merged["hostname"]:
            merged["hostname"] = name
        if not merged["platform"]:
            raise ConfigError(f"device {name!r} has no platform (the netcfg vendor, e.g. cisco_ios)")
        try:
            port = int(merged["port"] or 22)
        except ValueError:
            raise ConfigError(f"device {name!r} has an invalid port {merged['port']!r}") from None
        return Host(name=name, hostname=str(merged["hostname"]), platform=str(merged["platform"]), port=port,
                    username=merged["username"], password=merged["password"],
                    groups=list(self.raw_hosts[name].get("groups") or []), data=_expand(data, f"device {name}"))

    def select(self, names: list[str] | None = None, group: str | None = None,
               where: dict | None = None) -> list[Host]:
        """Hosts by name, by group membership (direct or inherited) and by simple field equality."""
        out = []
        for n in names or self.names():
            h = self.host(n)
            if group and group not in {g for c in self._chain(self.raw_hosts[n] or {}) for g in (c.get("groups") or [])}:
                continue
            if where and any(str(h.data.get(k, getattr(h, k, None))) != str(v) for k, v in where.items()):
                continue
            out.append(h)
        return out
