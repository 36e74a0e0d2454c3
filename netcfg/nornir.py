"""netcfg in Nornir: hosts from any Nornir inventory plugin (NetBox, Nautobot, your own), ${VAR}
expansion as a transform function, and the tasks a Nornir script runs:

    from nornir import InitNornir
    from netcfg.nornir import netcfg_plan

    nr = InitNornir(config_file="config.yaml")
    result = nr.run(task=netcfg_plan, intents=["ntp server 10.0.0.123"])

Each task plans (or applies, with backup, verify and rollback) one host with every check `netcfg plan`
and `netcfg apply` run, and returns a Nornir Result: `changed`, `failed`, the remediation as `diff` and
the device's netcfg result (secrets redacted) as `result`. A failure is that host's result, never an
exception. The model is loaded once per process and each distinct intent is asked once.

`NetcfgRunner` (`runner: {plugin: netcfg}` in a config) is Nornir's threaded runner with a clean stop:
Ctrl-C starts no further host, and the hosts under way finish (a push in flight completes or rolls
back). `netcfg batch` runs the same tasks on it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Mapping

from . import defaults
from .errors import ConfigError, NetcfgError
from .inventory import FIELDS, Host, expand, make_host, matches
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
    settings = {f: getattr(host, f) for f in FIELDS}
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
            if where and not matches(h, where):
                continue
            out.append(h)
        return out


def nornir_of(inventory, names: list[str]):
    """A Nornir over the hosts `names` of a netcfg inventory: a Nornir config's own, or for a SimpleInventory
    folder one of its resolved hosts (each name must resolve: batch.assign has resolved them)."""
    from nornir.core import Nornir
    from nornir.core.inventory import Defaults, Group, Groups, Hosts, ParentGroups
    from nornir.core.inventory import Host as NornirHost
    from nornir.core.inventory import Inventory as NornirHosts

    if isinstance(inventory, NornirInventory):
        wanted = set(names)
        return inventory.nornir.filter(filter_func=lambda h: h.name in wanted)
    hosts, groups = Hosts(), Groups()
    for h in map(inventory.host, names):
        parents = ParentGroups([groups.setdefault(g, Group(g)) for g in h.groups])
        hosts[h.name] = NornirHost(h.name, groups=parents, data=h.data, **{f: getattr(h, f) for f in FIELDS})
    return Nornir(inventory=NornirHosts(hosts=hosts, groups=groups, defaults=Defaults()))


class NetcfgRunner:
    """Nornir runner plugin: `num_workers` hosts at a time in threads. Ctrl-C (or `stop` set) starts no
    further host; the hosts under way finish and are in the result, the others are left out of it.
    `on_done(host name, MultiResult)` is called as each host finishes."""

    def __init__(
        self,
        num_workers: int = 20,
        stop: threading.Event | None = None,
        on_done: Callable[[str, Any], None] | None = None,
    ) -> None:
        self.num_workers = max(1, num_workers)
        self.stop = stop or threading.Event()
        self.on_done = on_done

    def run(self, task, hosts) -> Any:
        from nornir.core.task import AggregatedResult

        result = AggregatedResult(task.name)

        def one(host):
            return None if self.stop.is_set() else task.copy().start(host)

        def record(fut, host) -> None:
            multi = fut.result()
            if multi is None:
                return
            result[host.name] = multi
            if self.on_done is not None:
                try:
                    self.on_done(host.name, multi)
                except Exception:  # noqa: BLE001 - a progress display must not lose the results
                    pass

        with ThreadPoolExecutor(self.num_workers) as pool:
            futures = {pool.submit(one, h): h for h in hosts}
            try:
                for fut in as_completed(futures):
                    record(fut, futures[fut])
            except KeyboardInterrupt:
                self.stop.set()
                for fut, host in futures.items():  # those under way finish (or roll back) first
                    if not fut.cancel() and host.name not in result:
                        record(fut, host)
        return result


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


Intents = list[str] | str | Mapping[str, list[str]]


def _run(
    task,
    intents: Intents,
    *,
    apply: bool,
    model: str | None,
    model_workers: int,
    timeout: float,
    backups: Path | None = None,
    inventory_dir: str | Path = ".",
    parser=None,
    on_stage: Callable[[str, str], None] | None = None,
):
    from nornir.core.task import Result

    from .batch import HostResult, one_line, run_host
    from .redact import redacted_copy

    name = task.host.name
    if isinstance(intents, Mapping):
        intents = intents.get(name, [])
    try:
        res = run_host(
            netcfg_host(task.host),
            [intents] if isinstance(intents, str) else list(intents),
            parser or _parser(model, model_workers),
            apply=apply,
            inventory_dir=Path(inventory_dir),
            timeout=timeout,
            backups=backups,
            stage=(lambda s: on_stage(name, s)) if on_stage else (lambda _: None),
        )
    except Exception as e:  # noqa: BLE001 - the host itself is unusable (no platform, a ${VAR} unset), or worse
        res = HostResult(name, str(task.host.platform or ""), status="failed", reason=one_line(e))
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
    intents: Intents,
    model: str | None = None,
    timeout: float = defaults.TIMEOUT_S,
    inventory_dir: str | Path = ".",
    model_workers: int = 4,
    parser=None,
    on_stage: Callable[[str, str], None] | None = None,
):
    """Plan `intents` on the task's host (a dry run): `changed` when the device would change, the
    remediation as `diff`. `intents`: a list for every host, or a mapping of host name to its own list.
    `model`: a GGUF file or a model server's URL (default as the CLI). `parser` (a netcfg.batch.CachedParser)
    and `on_stage(host, stage)` are how `netcfg batch` shares its parse cache and shows progress."""
    return _run(
        task,
        intents,
        apply=False,
        model=model,
        model_workers=model_workers,
        timeout=timeout,
        inventory_dir=inventory_dir,
        parser=parser,
        on_stage=on_stage,
    )


def netcfg_apply(
    task,
    intents: Intents,
    model: str | None = None,
    timeout: float = defaults.TIMEOUT_S,
    backups: str | Path | None = None,
    model_workers: int = 4,
    parser=None,
    on_stage: Callable[[str, str], None] | None = None,
):
    """Plan and push `intents` to the task's host with apply's backup, verify, save and rollback:
    `changed` when it was applied, `failed` (with the reason in `result`) when it was not. The other
    arguments are netcfg_plan's."""
    return _run(
        task,
        intents,
        apply=True,
        model=model,
        model_workers=model_workers,
        timeout=timeout,
        backups=Path(backups) if backups else None,
        parser=parser,
        on_stage=on_stage,
    )
