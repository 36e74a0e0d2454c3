"""`netcfg batch`: many intents across many devices, concurrently, with one report at the end.

A failure on one device is data in its HostResult, never an exception that stops the others.
Each distinct (intent, vendor) goes to the model once per run; a persistent cache skips it next time.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from . import defaults, vendors
from .errors import ConfigError, NetcfgError
from .inventory import Host, Inventory
from .paths import check_schema, read_yaml


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


_TEXTS = {"type": ["string", "array"], "items": {"type": "string"}}
_JOB = {
    "type": "object",
    "properties": {
        "intent": {"type": "string"},
        "intents": _TEXTS,
        "devices": _TEXTS,
        "group": {"type": "string"},
        "where": {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
            "propertyNames": {"type": "string"},
        },
    },
    "additionalProperties": False,
}
# The only template syntax an intent may use: {{ host.name }}, {{ host.data.x }}, {{ host.data['x-y'] }}.
_HOST_REF = re.compile(r"\{\{\s*host(?:\.[A-Za-z_]\w*|\[\s*(?:'[^'{}]*'|\"[^\"{}]*\")\s*\])+\s*\}\}")
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


def load_jobs(path: Path) -> list[Job]:
    """A YAML file: `jobs:` (or a top-level list) of {intents | intent, devices | group | where}.

    An intent may only hold {{ host.* }} references; any other template syntax ({% %}, {# #},
    filters) is refused here, before any device is touched."""
    data = read_yaml(path, "batch file")
    items = data.get("jobs") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ConfigError(f"batch file {path} needs a non-empty list of jobs")
    jobs = []
    for i, j in enumerate(items, 1):
        where = f"batch file {path}: job {i}"
        check_schema(j, _JOB, where)
        intents = j.get("intents", [j["intent"]] if "intent" in j else None)
        if isinstance(intents, str):
            intents = [intents]
        if not intents:
            raise ConfigError(f"{where} needs `intent` or a list of `intents`")
        for text in intents:
            if _TEMPLATE_SYNTAX.search(_HOST_REF.sub("", text)):
                raise ConfigError(
                    f"{where}: intent {text[:80]!r} uses template syntax other than "
                    "{{ host.name }} / {{ host.data.KEY }}"
                )
        if not any(k in j for k in ("devices", "group", "where")):
            raise ConfigError(f"{where} needs `devices`, `group` or `where`")
        devices = j.get("devices")
        jobs.append(Job(intents, [devices] if isinstance(devices, str) else devices, j.get("group"), j.get("where")))
    return jobs


_PLAIN = re.compile(r"[^\s;{}#]{1,200}")


def _plain(value, host: Host, what: str):
    """A value substituted into an intent: one token (text or number), never a second request."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ConfigError(
            f"host {host.name}: {what} must be a single value (text or number) to go into an intent, "
            f"not {type(value).__name__}"
        )
    s = str(value)
    if not _PLAIN.fullmatch(s) or any(unicodedata.category(ch).startswith("C") for ch in s):
        raise ConfigError(
            f"host {host.name}: {what} = {s[:60]!r} is not a single plain value (no spaces, ';', "
            "'{', '}', '#' or control characters) and cannot go into an intent"
        )
    return value


class _HostData:
    """host.data for an intent template: each key read is checked by _plain, naming the host and key."""

    def __init__(self, host: Host):
        self.host = host

    def __getitem__(self, key):
        if key not in self.host.data:
            raise ConfigError(f"host {self.host.name} has no data key {key!r}")
        return _plain(self.host.data[key], self.host, f"data key {key!r}")


def render_intent(text: str, host: Host) -> str:
    """Fill {{ host.name }} / {{ host.data.x }} references in an intent, in a sandbox. Each value put in
    must be one plain token (an address, a name, a number): "10.30.0.11/24 and remove vlan 1" is refused."""
    if "{" not in text:
        return text
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, finalize=lambda v: _plain(v, host, "a value in the intent")
    )
    public = {k: v for k, v in host.public().items() if k != "data"}
    try:
        return env.from_string(text).render(host={**public, "data": _HostData(host)})
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
        hosts = (
            inventory.select(job.devices, job.group, job.where)
            if (job.group or job.where)
            else [inventory.host(n) for n in job.devices or []]
        )
        for h in hosts:
            out.setdefault(h.name, []).extend(job.intents)
    if not out:
        raise ConfigError("the batch file selects no device of the inventory")
    return out


class CachedParser:
    """Model calls remembered per run and in the persistent cache; the same intent is parsed once at a time.

    A remembered answer is used only if it passes the checks a fresh one passes, against this
    device's running config (parse.answer_problems); a cached row that fails them is deleted and the
    model asked again. `rejected` counts those. Distinct intents go to the model `model_workers` at a
    time: 1 for the in-process model, more for a model server that answers requests concurrently.
    """

    def __init__(self, backend, cache=None, model_id: str = "", fallback=None, model_workers: int = 1):
        self.backend, self.cache, self.model_id, self.fallback = backend, cache, model_id, fallback
        self.lock = threading.Lock()  # memory, counters, per-intent locks
        self._intent_locks: dict[tuple[str, str], threading.Lock] = {}
        self._model = threading.Semaphore(model_workers)
        self.memory: dict[tuple[str, str], list[dict]] = {}
        self.model_calls = 0
        self.rejected = 0

    def changes(self, text: str, vendor: vendors.Vendor, running: str | None) -> list[dict]:
        from .generate import checker, request_text
        from .parse import answer_problems, parse

        text = request_text(text, vendor, vendor.running_facts(running) if running else {})
        check = checker(text, vendor, running)

        key = (vendor.name, text)
        with self.lock:
            one_at_a_time = self._intent_locks.setdefault(key, threading.Lock())
        with one_at_a_time:
            with self.lock:
                found = self.memory.get(key)
            ckey = self.cache.key(self.model_id, vendor.name, text) if self.cache else None
            if found is None and self.cache:
                found = self.cache.get(ckey)
                if found is not None and answer_problems(found, text, check, vendor.naming):
                    with self.lock:
                        self.rejected += 1
                    self.cache.delete(ckey)
                    found = None
            elif found is not None and answer_problems(found, text, check, vendor.naming):
                found = None
            if found is None:
                with self.lock:
                    self.model_calls += 1
                with self._model:
                    found = parse(text, self.backend, check=check, naming=vendor.naming, fallback=self.fallback).changes
                if self.cache:
                    self.cache.put(ckey, found)
            with self.lock:
                self.memory[key] = found
            return found


def one_line(e: BaseException) -> str:
    """An exception as one short line for a report (a traceback never reaches one)."""
    text = " ".join(str(e).split())
    if not isinstance(e, NetcfgError):
        text = f"{e.__class__.__name__}: {text}" if text else e.__class__.__name__
    return text[:500]


def read_running_file(path: Path, device: str) -> str:
    """A host's `running_file`, as text; unreadable or non-UTF-8 files are ConfigErrors."""
    from .generate import check_running

    try:
        return check_running(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read the running_file of {device} ({path}): {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"the running_file of {device} ({path}) is not UTF-8 text (byte {e.start})") from None


def run_host(
    host: Host,
    intents: list[str],
    parser: CachedParser,
    *,
    apply: bool,
    inventory_dir: Path,
    timeout: float,
    backups: Path | None,
    stage: Callable[[str], None],
) -> HostResult:
    """Plan (and apply) one device with the checks `plan` and `apply` run; every error ends up in the result."""
    from .apply import execute
    from .generate import build, check_running
    from .workflow import client_address, device_plan

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
            if not isinstance(running_file, str):
                raise ConfigError(f"{host.name}: running_file must be a file name")
            running = read_running_file(inventory_dir / running_file, host.name)
        else:
            from .device import connect

            session = connect(host, vendor, timeout)
            running = check_running(session.running_config())
        stage("plan")
        changes = [c for t in texts for c in parser.changes(t, vendor, running)]
        _, candidate, warnings, errors = build(changes, vendor, running)
        p = device_plan(
            texts,
            changes,
            candidate,
            running,
            vendor,
            host=host,
            warnings=warnings,
            errors=errors,
            client=client_address(session) if session is not None else None,
        )
        res.remediation, res.warnings = p.remediation, p.warnings
        if p.errors:
            raise ConfigError("; ".join(p.errors))
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
    except Exception as e:  # noqa: BLE001 - any error on one device is that device's result
        res.status, res.reason = "failed", one_line(e)
    finally:
        if session is not None:
            try:
                session.close()
            except Exception:  # noqa: BLE001 - closing a broken session must not hide the result
                pass
        res.seconds = round(time.perf_counter() - t0, 3)
    return res


def run_batch(
    assignments: dict[str, list[str]],
    inventory: Inventory,
    parser: CachedParser,
    *,
    apply: bool,
    workers: int,
    inventory_dir: Path,
    timeout: float = defaults.TIMEOUT_S,
    backups: Path | None = None,
    on_stage: Callable[[str, str], None] = lambda d, s: None,
    on_done: Callable[[HostResult], None] = lambda r: None,
    stop: threading.Event | None = None,
) -> list[HostResult]:
    """Every device through Nornir: the netcfg_plan or netcfg_apply task on netcfg's runner, `workers` at
    a time. `stop` set (Ctrl-C) skips the devices not yet started; those under way finish."""
    from .nornir import NetcfgRunner, netcfg_apply, netcfg_plan, nornir_of

    results: dict[str, HostResult] = {}

    def finished(name: str, multi) -> None:  # the runner keeps an error of on_done from losing results
        outcome = multi[0]
        if isinstance(outcome.result, dict):
            results[name] = HostResult(**outcome.result)
        else:  # the task itself raised: Nornir kept the exception
            results[name] = HostResult(name, status="failed", reason=one_line(outcome.exception or RuntimeError()))
        on_done(results[name])

    nr = nornir_of(inventory, list(assignments))
    runner = NetcfgRunner(workers, stop=stop, on_done=finished)
    options = {"backups": backups} if apply else {"inventory_dir": inventory_dir}
    nr.with_runner(runner).run(
        task=netcfg_apply if apply else netcfg_plan,
        on_failed=True,  # a host that failed in an earlier run of this Nornir is run again
        intents=assignments,
        parser=parser,
        on_stage=on_stage,
        timeout=timeout,
        **options,
    )
    return [
        results.get(n) or HostResult(n, status="skipped", reason="interrupted before it started") for n in assignments
    ]


def report_json(results: list[HostResult], summary: dict) -> str:
    import json

    from .redact import redacted_copy

    return (
        json.dumps({"summary": summary, "devices": [asdict(redacted_copy(r, r.vendor)) for r in results]}, indent=2)
        + "\n"
    )


def report_markdown(results: list[HostResult], summary: dict) -> str:
    from .redact import redacted_copy

    results = [redacted_copy(r, r.vendor) for r in results]
    lines = [
        "## netcfg batch report",
        "",
        ", ".join(f"{k}: {v}" for k, v in summary.items()),
        "",
        "| device | vendor | status | seconds | detail |",
        "|---|---|---|---|---|",
    ]
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
