"""Devices from a Nornir SimpleInventory (hosts.yaml, groups.yaml, defaults.yaml)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .paths import read_yaml

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
FIELDS = ("hostname", "port", "username", "password", "platform")  # a host's settings, as Nornir names them
_MAX_GROUP_DEPTH = 32

# The settings of a host, a group or the defaults, as in Nornir's SimpleInventory. `groups` must be a
# list: `groups: access` is refused rather than read letter by letter or guessed.
_SETTINGS = {
    "type": ["object", "null"],
    "properties": {
        "hostname": {"type": ["string", "null"]},
        "port": {"type": ["integer", "string", "null"]},
        "username": {"type": ["string", "integer", "null"]},
        "password": {"type": ["string", "integer", "null"]},
        "platform": {"type": ["string", "null"]},
        "groups": {
            "type": ["array", "null"],
            "items": {"type": "string"},
            "description": "must be a list of group names, e.g. groups: [access]",
        },
        "data": {"type": ["object", "null"]},
        "connection_options": {"type": ["object", "null"]},
    },
    "additionalProperties": False,
}
_NAMED = {
    "type": ["object", "null"],
    "additionalProperties": _SETTINGS,
    "propertyNames": {"type": "string", "description": "names must be text (quote a number)"},
}


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
        return {
            "name": self.name,
            "hostname": self.hostname,
            "port": self.port,
            "username": self.username,
            "platform": self.platform,
            "groups": self.groups,
            "data": self.data,
        }


def expand(value, where: str):
    """${VAR} in text (and in the texts of dicts and lists) from the environment; an unset one is a
    ConfigError naming `where`."""
    if isinstance(value, str):

        def sub(m: re.Match) -> str:
            if m.group(1) not in os.environ:
                raise ConfigError(f"environment variable {m.group(1)} is not set (needed by {where})")
            return os.environ[m.group(1)]

        return _VAR.sub(sub, value)
    if isinstance(value, dict):
        return {k: expand(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v, where) for v in value]
    return value


def make_host(name: str, settings: dict, groups: list[str], data: dict) -> Host:
    """A Host from resolved settings (hostname, port, username, password, platform), checked: a platform is
    required, the port is 1-65535, and a password still holding ${VAR} was never expanded."""
    hostname = settings.get("hostname") or name
    if not settings.get("platform"):
        raise ConfigError(f"device {name!r} has no platform (the netcfg vendor, e.g. cisco_ios)")
    port = 22 if settings.get("port") is None else settings["port"]
    if not re.fullmatch(r"[0-9]{1,5}", str(port)) or not 1 <= int(port) <= 65535:  # text: from ${VAR}
        raise ConfigError(f"device {name!r} has an invalid port {port!r} (1-65535)")
    text = {k: None if settings.get(k) is None else str(settings[k]) for k in ("username", "password")}
    for k, v in text.items():
        left = _VAR.search(v or "")
        if left:
            raise ConfigError(
                f"device {name!r}: the {k} {left.group(0)} was not expanded (in a Nornir config, add "
                "`transform_function: netcfg.expand_env` to its inventory section)"
            )
    return Host(
        name=name,
        hostname=str(hostname),
        platform=str(settings["platform"]),
        port=int(port),
        username=text["username"],
        password=text["password"],
        groups=groups,
        data=data,
    )


def matches(host: Host, where: dict) -> bool:
    """Whether each `where` key (a data key, else a setting) has the given value, compared as text."""
    return all(str(host.data.get(k, getattr(host, k, None))) == str(v) for k, v in where.items())


def load(path: str | Path):
    """The inventory at `path`: a SimpleInventory folder or hosts.yaml (Inventory), or a Nornir config file
    naming any inventory plugin (netcfg.nornir.NornirInventory)."""
    from .nornir import NornirInventory, is_nornir_config

    return NornirInventory(path) if is_nornir_config(Path(path)) else Inventory(path)


def _load(path: Path, schema: dict) -> dict:
    if not path.is_file():
        return {}
    return read_yaml(path, "inventory file", schema) or {}


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
        self.raw_hosts = _load(hosts_file, _NAMED)
        self.groups = _load(folder / "groups.yaml", _NAMED)
        self.defaults = _load(folder / "defaults.yaml", _SETTINGS)

    def names(self) -> list[str]:
        return list(self.raw_hosts)

    def _chain(self, settings: dict, seen: tuple[str, ...] = (), done: set | None = None) -> list[dict]:
        """Settings in precedence order: these, then each group's (depth first, each group once)."""
        done = set() if done is None else done
        chain = [settings]
        for g in settings.get("groups") or []:
            if g in seen:
                raise ConfigError(f"inventory group {g!r} includes itself")
            if g not in self.groups:
                raise ConfigError(f"inventory group {g!r} is not defined in groups.yaml")
            if len(seen) >= _MAX_GROUP_DEPTH:
                raise ConfigError(f"inventory groups are nested more than {_MAX_GROUP_DEPTH} deep (at {g!r})")
            if g not in done:
                done.add(g)
                chain += self._chain(self.groups[g] or {}, seen + (g,), done)
        return chain

    def host(self, name: str) -> Host:
        """Resolve one host; unknown names and missing fields are clear errors."""
        if name not in self.raw_hosts:
            known = ", ".join(self.names()[:10]) or "none"
            raise ConfigError(f"unknown device {name!r} (inventory has: {known})")
        chain = self._chain(self.raw_hosts[name] or {}) + [self.defaults]
        merged: dict = {}
        for f in FIELDS:
            merged[f] = next((c[f] for c in chain if c.get(f) is not None), None)
        data: dict = {}
        for c in reversed(chain):
            data.update(c.get("data") or {})
        groups = list((self.raw_hosts[name] or {}).get("groups") or [])
        return make_host(name, expand(merged, f"device {name}"), groups, expand(data, f"device {name}"))

    def select(self, names: list[str] | None = None, group: str | None = None, where: dict | None = None) -> list[Host]:
        """Hosts by name, by group membership (direct or inherited) and by simple field equality."""
        out = []
        for n in names or self.names():
            h = self.host(n)
            if group and group not in {
                g for c in self._chain(self.raw_hosts[n] or {}) for g in (c.get("groups") or [])
            }:
                continue
            if where and not matches(h, where):
                continue
            out.append(h)
        return out
