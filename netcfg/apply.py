"""`netcfg apply`: backup, push, verify, save — or roll back to the backup and say exactly what happened."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import configtree
from .device import Session, connect
from .errors import DeviceError, NetcfgError
from .inventory import Host
from .plan import Plan, intended_config, normalized_running, remediation
from .vendors import Vendor


@dataclass
class ApplyReport:
    """What happened on one device; a failure is data here, not an exception."""

    device: str
    vendor: str
    status: str  # applied | unchanged | failed | rolled_back | rollback_failed
    message: str = ""
    backup: str | None = None
    pushed: list[str] = field(default_factory=list)
    failed_line: str | None = None
    rolled_back: bool = False
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("applied", "unchanged")

    def to_dict(self) -> dict:
        return asdict(self)


def config_lines(config: str, vendor: Vendor) -> list[str]:
    """Remediation text -> the lines to type, leaving each block with the vendor's exit command."""
    if vendor.style == "set":
        return [ln.strip() for ln in config.splitlines() if ln.strip()]
    exit_cmd = vendor.data.get("exit_command", "exit")
    out: list[str] = []

    def walk(nodes, depth: int) -> None:
        for line, kids in nodes:
            out.append(" " * depth + line)
            if kids:
                walk(kids, depth + 1)
                out.append(" " * depth + exit_cmd)

    walk(configtree.parse(config), 0)
    return out


def backup_dir() -> Path:
    return Path(os.environ.get("NETCFG_BACKUP_DIR") or "netcfg-backups")


def write_backup(device: str, running: str, folder: Path | None = None) -> Path:
    """Save a running config to <folder>/<device>-<UTC timestamp>.cfg and return the path."""
    folder = Path(folder or backup_dir())
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{device}-{stamp}.cfg"
    path.write_text(running)
    return path


def left_to_change(running: str, candidate: str, vendor: Vendor) -> str:
    """The remediation still needed for `candidate` on `running` (empty when the device has it all)."""
    before = normalized_running(vendor.clean_running(running), vendor)
    intended, _ = intended_config(vendor.clean_running(running), candidate, vendor)
    return remediation(before, intended, vendor)


def diff_to(running: str, target: str, vendor: Vendor) -> str:
    """Remediation from the device's running config to a target config (e.g. a backup)."""
    return remediation(normalized_running(vendor.clean_running(running), vendor),
                       normalized_running(vendor.clean_running(target), vendor), vendor)


def _restore(host: Host, vendor: Vendor, backup_text: str, session: Session | None,
             session_factory: Callable[[], Session]) -> tuple[bool, str, Session | None]:
    """Push what brings the device back to the backup, and verify it is back. Returns (ok, message, session)."""
    try:
        if session is None or not _alive(session):
            session = session_factory()
        now = session.running_config()
        undo = diff_to(now, backup_text, vendor)
        if undo.strip():
            session.push(config_lines(undo, vendor))
        if diff_to(session.running_config(), backup_text, vendor).strip():
            return False, "rollback pushed but the device still differs from the backup", session
        return True, "device restored to the backup", session
    except NetcfgError as e:
        return False, f"rollback failed: {e}", session


def _alive(session: Session) -> bool:
    check = getattr(session, "is_alive", None)
    return bool(check()) if check else True


def execute(plan: Plan, host: Host, vendor: Vendor, running: str, *, session: Session | None = None,
            rollback: bool = True, backups: Path | None = None, timeout: float = 20.0,
            session_factory: Callable[[], Session] | None = None) -> ApplyReport:
    """Back up, push the plan's remediation, verify nothing is left to change, save; roll back on failure."""
    factory = session_factory or (lambda: connect(host, vendor, timeout))
    report = ApplyReport(device=host.name, vendor=vendor.name, status="failed")
    if plan.errors:
        report.message = "plan has errors: " + "; ".join(plan.errors)
        return report
    if not plan.changed:
        report.status, report.message = "unchanged", "nothing to change: the device already has this config"
        return report
    t0 = time.perf_counter()
    report.backup = str(write_backup(host.name, running, backups))
    lines = config_lines(plan.remediation, vendor)
    stage = "push"
    try:
        session = session or factory()
        t = time.perf_counter()
        session.push(lines)
        report.pushed = lines
        report.timings["push_s"] = round(time.perf_counter() - t, 3)
        stage = "verify"
        t = time.perf_counter()
        left = left_to_change(session.running_config(), plan.candidate, vendor)
        report.timings["verify_s"] = round(time.perf_counter() - t, 3)
        if left.strip():
            raise DeviceError(f"{host.name}: after the push the device still needs: "
                              + "; ".join(" > ".join(p) for p in configtree.flatten(left))[:300])
        stage = "save"
        t = time.perf_counter()
        out = session.save()
        ok_pattern = vendor.data.get("save_ok")
        if ok_pattern and ok_pattern not in out:
            raise DeviceError(f"{host.name}: saving the config did not confirm ({out.strip().splitlines()[-1:]})")
        report.timings["save_s"] = round(time.perf_counter() - t, 3)
        report.status, report.message = "applied", f"applied {len(lines)} lines, verified and saved"
    except NetcfgError as e:
        report.message = f"{stage} failed: {e}"
        report.failed_line = getattr(e, "line", None)
        if rollback:
            ok, msg, session = _restore(host, vendor, running, session, factory)
            report.rolled_back = ok
            report.status = "rolled_back" if ok else "rollback_failed"
            report.message += f"; {msg}" + ("" if ok else f"; the device is in an unknown state, backup at {report.backup}")
        else:
            report.message += f"; no rollback (--no-rollback): the device may be partly changed, backup at {report.backup}"
    finally:
        if session is not None:
            session.close()
    report.timings["total_s"] = round(time.perf_counter() - t0, 3)
    return report
