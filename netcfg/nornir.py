"""netcfg in Nornir: hosts from any Nornir inventory plugin (NetBox, Nautobot, your own), ${VAR}
expansion as a transform function, and the tasks a Nornir script runs:

    from nornir import InitNornir
    from netcfg.nornir import netcfg_plan

    nr = InitNornir(config_file="config.yaml")
    result = nr.run(task=netcfg_plan, intents=["ntp server 10.0.0.123"])

Each task plans (or applies, with backup, verify and rollback) one host with every check `netcfg plan`
and `netcfg apply` run, and returns a Nornir Result: `changed`, `failed`, the remediation as `diff` and
the device's netcfg result (secrets redacted) as `result`. A failure is that host's result, never an
exception. The model is loaded once per process and each distinct intent is asked once."""

from __future__ import annotations

import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import defaults
from .errors import ConfigError, NetcfgError
from .inventory import Host, expand, make_host
from .paths import read_yaml

_CONFIG_KEYS = {"inventory", "runner", "logging", "core", "ssh", "user_defined"}


def expand_env(host) -> None:
    """Nornir transform function (`transform_function: netcfg.expand_env` in a config's inventory section):
    ${VAR} in a host's hostname, username, password and data taken from the environment; an unset one
    is an error naming the host."""
    where = f"device {host.name}"
    for attr in ("hostname", "username", "password"):
        setattr(host, attr, expand(getattr(host, attr), where))
    host.data = expand(dict(host.data), where)


def is_nornir_config(path: Path) -> bool:
    """Whether `path` is a Nornir config file (`inventory: {plugin: ...}`) rather than a hosts.yaml."""
    if not path.is_file() or path.suffix not in (".yaml", ".yml"):
        return False
    try:
        data = read_yaml(path, "inventory file")
    except ConfigError:
        return False
    return (
        isinstance(data, dict)
        and set(data) <= _CONFIG_KEYS
        and isinstance(data.get("inventory"), dict)
        and "plugin" in data["inventory"]
    )


def netcfg_host(host) -> Host:
    """netcfg's Host for a Nornir host: its settings resolved through its groups and defaults."""
    settings = {f: getattr(host, f) for f in ("hostname", "port", "username", "password", "platform")}
    return make_host(host.name, settings, [g.name for g in host.groups], dict(host.extended_data()))


class NornirInventory:
    """The hosts of a Nornir config file's inventory plugin, with the interface of inventory.Inventory."""

    def __init__(self, config_file: str | Path):
        from nornir import InitNornir

        self.path = Path(config_file)
        try:
            nr = InitNornir(config_file=str(self.path), logging={"enabled": False})
        except ConfigError:
            raise
        except Exception as e:  # noqa: BLE001 - a plugin's own error, whatever it is, as one line
            text = " ".join(str(e).split())[:300] or e.__class__.__name__
            raise ConfigError(f"Nornir config {self.path}: {text}") from None
        self.nornir = nr

    def names(self) -> list[str]:
        return list(self.nornir.inventory.hosts)

    def host(self, name: str) -> Host:
        hosts = self.nornir.inventory.hosts
        if name not in hosts:
            known = ", ".join(self.names()[:10]) or "none"
            raise ConfigError(f"unknown device {name!r} (inventory has: {known})")
        return netcfg_host(hosts[name])

    def select(self, names: list[str] | None = None, group: str | None = None, where: dict | None = None) -> list[Host]:
        """Hosts by name, by group membership (direct or inherited) and by simple field equality."""
        out = []
        for n in names or self.names():
            h = self.host(n)
            if group and not self.nornir.inventory.hosts[n].has_parent_group(group):
                continue
            if where and any(str(h.data.get(k, getattr(h, k, None))) != str(v) for k, v in where.items()):
                continue
            out.append(h)
        return out


# --- tasks ---------------------------------------------------------------------------------------------

_PARSERS: dict[tuple, Any] = {}
_PARSERS_LOCK = threading.Lock()


def _parser(model: str | None, model_workers: int):
    """One CachedParser per model per process: shared by every host of a run, and by later runs."""
    from .batch import CachedParser
    from .cache import ParseCache
    from .model import get_backend, get_fallback, identity
    from .model_server import ServerBackend

    with _PARSERS_LOCK:
        key = (model, model_workers)
        if key not in _PARSERS:
            backend = get_backend(model)
            workers = model_workers if isinstance(backend, ServerBackend) else 1
            try:
                cache = ParseCache()
            except NetcfgError:
                cache = None  # it only saves time
            _PARSERS[key] = CachedParser(
                backend, cache, identity(backend), fallback=get_fallback(model), model_workers=workers
            )
        return _PARSERS[key]


def _run(
    task,
    intents: list[str] | str,
    *,
    apply: bool,
    model: str | None,
    model_workers: int,
    timeout: float,
    backups: Path | None = None,
    inventory_dir: str | Path = ".",
):
    from nornir.core.task import Result

    from .batch import HostResult, run_host
    from .redact import redacted_copy

    try:
        res = run_host(
            netcfg_host(task.host),
            [intents] if isinstance(intents, str) else list(intents),
            _parser(model, model_workers),
            apply=apply,
            inventory_dir=Path(inventory_dir),
            timeout=timeout,
            backups=backups,
            stage=lambda _: None,
        )
    except ConfigError as e:  # the host itself is unusable (no platform, a ${VAR} unset)
        res = HostResult(task.host.name, str(task.host.platform or ""), status="failed", reason=str(e))
    shown = redacted_copy(res, res.vendor)
    return Result(
        host=task.host,
        result=asdict(shown),
        changed=res.status in ("planned", "applied"),
        diff=shown.remediation,
        failed=not res.ok,
    )


def netcfg_plan(
    task,
    intents: list[str] | str,
    model: str | None = None,
    timeout: float = defaults.TIMEOUT_S,
    inventory_dir: str | Path = ".",
    model_workers: int = 4,
):
    """Plan `intents` on the task's host (a dry run): `changed` when the device would change, the
    remediation as `diff`. `model`: a GGUF file or a model server's URL (default as the CLI)."""
    return _run(
        task,
        intents,
        apply=False,
        model=model,
        model_workers=model_workers,
        timeout=timeout,
        inventory_dir=inventory_dir,
    )


def netcfg_apply(
    task,
    intents: list[str] | str,
    model: str | None = None,
    timeout: float = defaults.TIMEOUT_S,
    backups: str | Path | None = None,
    model_workers: int = 4,
):
    """Plan and push `intents` to the task's host with apply's backup, verify, save and rollback:
    `changed` when it was applied, `failed` (with the reason in `result`) when it was not."""
    return _run(
        task,
        intents,
        apply=True,
        model=model,
        model_workers=model_workers,
        timeout=timeout,
        backups=Path(backups) if backups else None,
    )
