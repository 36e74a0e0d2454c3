"""`netcfg batch`: many intents across many devices, concurrently, with one report at the end.

A failure on one device is data in its HostResult, never an exception that stops the others.
Each distinct (intent, vendor) goes to the model once per run; a persistent cache skips it next time.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from . import vendors
from .errors import ConfigError, NetcfgError
from .inventory import Host, Inventory
from .paths import read_yaml


@dataclass
class Job:
    intents: list[str]
    devices: list[str] | None = None
    group: str | None = None
    where: dict | None = None


@dataclass
class HostResult:
    """One device's outcome: planned | unchanged | applied | failed | skipped."""

    device: str
    vendor: str = ""
    status: str = "skipped"
    reason: str = ""
    intents: list[str] = field(default_factory=list)
    remediation: str = ""
    warnings: list[str] = field(default_factory=list)
    backup: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("planned", "unchanged", "applied")


def load_jobs(path: Path) -> list[Job]:
    """A YAML file: `jobs:` (or a top-level list) of {intents | intent, devices | group | where}."""
    data = read_yaml(path, "batch file")
    items = data.get("jobs") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ConfigError(f"batch file {path} needs a non-empty list of jobs")
    jobs = []
    for i, j in enumerate(items, 1):
        if not isinstance(j, dict):
            raise ConfigError(f"batch file {path}: job {i} must be a mapping")
        intents = j.get("intents", [j["intent"]] if "intent" in j else None)
        if isinstance(intents, str):
            intents = [intents]
        if not intents or not all(isinstance(x, str) for x in intents):
            raise ConfigError(f"batch file {path}: job {i} needs `intent` or a list of `intents`")
        if not any(k in j for k in ("devices", "group", "where")):
            raise ConfigError(f"batch file {path}: job {i} needs `devices`, `group` or `where`")
        devices = j.get("devices")
        jobs.append(Job(intents, [devices] if isinstance(devices, str) else devices, j.get("group"), j.get("where")))
    return jobs


def render_intent(text: str, host: Host) -> str:
    """Fill {{ host.name }} / {{ host.data.x }} references in an intent, in a sandbox."""
    if "{" not in text:
        return text
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    try:
        return env.from_string(text).render(host=host.public())
    except jinja2.UndefinedError as e:
        raise ConfigError(f"intent {text!r}: {e.message} for {host.name}") from None
    except jinja2.TemplateError as e:
        raise ConfigError(f"intent {text!r} is not a valid template: {e}") from None


def assign(jobs: list[Job], inventory: Inventory) -> dict[str, list[str]]:
    """Device name -> its intents (raw, in job order)."""
    out: dict[str, list[str]] = {}
    for job in jobs:
        for name in job.devices or []:
            if name not in inventory.raw_hosts:
                raise ConfigError(f"unknown device {name!r} in batch file")
        hosts = inventory.select(job.devices, job.group, job.where) if (job.group or job.where) else \
            [inventory.host(n) for n in job.devices or []]
        for h in hosts:
            out.setdefault(h.name, []).extend(job.intents)
    if not out:
        raise ConfigError("the batch file selects no device of the inventory")
    return out


class CachedParser:
    """Model calls serialised behind a lock, remembered per run and in the persistent cache."""

    def __init__(self, backend, cache=None, model_id: str = ""):
        self.backend, self.cache, self.model_id = backend, cache, model_id
        self.lock = threading.Lock()
        self.memory: dict[tuple[str, str], list[dict]] = {}
        self.model_calls = 0

    def changes(self, text: str, vendor: vendors.Vendor, running: str | None) -> list[dict]:
        from .generate import build
        from .parse import parse

        key = (vendor.name, text)
        with self.lock:
            if key in self.memory:
                return self.memory[key]
            ckey = self.cache.key(self.model_id, vendor.name, text) if self.cache else None
            found = self.cache.get(ckey) if self.cache else None
            if found is None:
                self.model_calls += 1
                found = parse(text, self.backend, check=lambda ch: build(ch, vendor, running)).changes
                if self.cache:
                    self.cache.put(ckey, found)
            self.memory[key] = found
            return found


def run_host(host: Host, intents: list[str], parser: CachedParser, *, apply: bool, inventory_dir: Path,
             timeout: float, backups: Path | None, stage: Callable[[str], None]) -> HostResult:
    """Plan (and apply) one device; every error ends up in the result."""
    from .apply import execute
    from .generate import build
    from .plan import make_plan

    res = HostResult(host.name, host.platform)
    t0 = time.perf_counter()
    session = None
    try:
        vendor = vendors.get(host.platform)
        texts = [render_intent(t, host) for t in intents]
        res.intents = texts
        stage("connect")
        running_file = host.data.get("running_file")
        if running_file:
            if apply:
                raise ConfigError(f"{host.name} has a running_file: it can be planned, not applied")
            running = (inventory_dir / running_file).read_text()
        else:
            from .device import connect

            session = connect(host, vendor, timeout)
            running = session.running_config()
        stage("plan")
        changes = [c for t in texts for c in parser.changes(t, vendor, running)]
        _, candidate, warnings, errors = build(changes, vendor, running)
        p = make_plan(texts, changes, candidate, running, vendor, device=host.name)
        res.remediation, res.warnings = p.remediation, warnings + p.warnings
        if errors or p.errors:
            raise ConfigError("; ".join(errors + p.errors))
        if not p.changed:
            res.status = "unchanged"
        elif not apply:
            res.status = "planned"
        else:
            stage("apply")
            report = execute(p, host, vendor, running, session=session, backups=backups, timeout=timeout)
            session = None
            res.backup = report.backup
            res.status = "applied" if report.ok else "failed"
            res.reason = report.message
    except NetcfgError as e:
        res.status, res.reason = "failed", str(e)
    except OSError as e:
        res.status, res.reason = "failed", f"{e.__class__.__name__}: {e}"
    finally:
        if session is not None:
            session.close()
        res.seconds = round(time.perf_counter() - t0, 3)
    return res


def run_batch(assignments: dict[str, list[str]], inventory: Inventory, parser: CachedParser, *, apply: bool,
              workers: int, inventory_dir: Path, timeout: float = 20.0, backups: Path | None = None,
              on_stage: Callable[[str, str], None] = lambda d, s: None,
              on_done: Callable[[HostResult], None] = lambda r: None,
              stop: threading.Event | None = None) -> list[HostResult]:
    """Run every device concurrently; `stop` set (Ctrl-C) skips devices not yet started."""
    stop = stop or threading.Event()
    results: dict[str, HostResult] = {}

    def one(name: str) -> HostResult:
        if stop.is_set():
            return HostResult(name, status="skipped", reason="interrupted before it started")
        try:
            host = inventory.host(name)
        except NetcfgError as e:
            return HostResult(name, status="failed", reason=str(e))
        return run_host(host, assignments[name], parser, apply=apply, inventory_dir=inventory_dir,
                        timeout=timeout, backups=backups, stage=lambda s: on_stage(name, s))

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(one, n): n for n in assignments}
        try:
            for fut in as_completed(futures):
                r = fut.result()
                results[r.device] = r
                on_done(r)
        except KeyboardInterrupt:
            stop.set()
            for fut, name in futures.items():
                if fut.cancel():
                    results[name] = HostResult(name, status="skipped", reason="interrupted before it started")
            for fut in futures:  # pushes under way finish (or roll back) before we report
                if not fut.cancelled():
                    r = fut.result()
                    results[r.device] = r
    return [results[n] for n in assignments if n in results]


def report_json(results: list[HostResult], summary: dict) -> str:
    import json

    return json.dumps({"summary": summary, "devices": [asdict(r) for r in results]}, indent=2) + "\n"


def report_markdown(results: list[HostResult], summary: dict) -> str:
    lines = ["## netcfg batch report", "",
             ", ".join(f"{k}: {v}" for k, v in summary.items()), "",
             "| device | vendor | status | seconds | detail |", "|---|---|---|---|---|"]
    for r in results:
        detail = (r.reason or f"{len(r.remediation.splitlines())} lines").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {r.device} | {r.vendor} | {r.status} | {r.seconds:.2f} | {detail} |")
    for r in results:
        if r.remediation:
            lines += ["", f"### {r.device}", "", "```", r.remediation.rstrip(), "```"]
    return "\n".join(lines) + "\n"


def summarize(results: list[HostResult], parser: CachedParser, seconds: float) -> dict:
    counts: dict = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return {"devices": len(results), **counts, "model_calls": parser.model_calls, "seconds": round(seconds, 2)}
