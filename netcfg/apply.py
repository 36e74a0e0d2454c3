"""`netcfg apply`: backup, push, verify, save — or roll back to the backup and say exactly what happened."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from . import configtree, defaults
from .device import Refused, Session, connect
from .errors import DeviceError, NetcfgError
from .inventory import Host
from .plan import Plan, intended_config, normalized_running, remediation
from .redact import resolve
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
    interrupted: bool = False  # Ctrl-C came during the change (it was finished or rolled back first)
    warnings: list[str] = field(default_factory=list)  # also at the end of `message`
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("applied", "unchanged")

    def to_dict(self) -> dict:
        return asdict(self)


def config_lines(config: str, vendor: Vendor) -> list[str]:
    """Remediation text -> the lines to type, leaving each block with the vendor's exit command."""
    return vendor.driver.push_lines(config)


def backup_dir() -> Path:
    """Where backups go: $NETCFG_BACKUP_DIR, else ./netcfg-backups (made private, 0700)."""
    return Path(os.environ.get("NETCFG_BACKUP_DIR") or "netcfg-backups")


def write_backup(device: str, running: str, folder: Path | None = None) -> Path:
    """Save a running config, complete, to <folder>/<device>-<UTC timestamp>.cfg (0600) and return the path.

    The device name is made a safe file name inside the folder; the write is atomic (temp file, fsync,
    rename), so a full disk never leaves a truncated backup that looks whole.
    """
    from .backup import safe_name, write_private

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return write_private(Path(folder or backup_dir()), f"{safe_name(device)}-{stamp}.cfg", running)


def left_to_change(running: str, candidate: str, vendor: Vendor) -> str:
    """The remediation still needed for `candidate` on `running` (empty when the device has it all). A secret
    the candidate sets counts as there when the device has its line: the device shows only its own hash."""
    from .redact import masked

    running, candidate = masked(running, vendor.name), masked(candidate, vendor.name)
    before = normalized_running(vendor.clean_running(running), vendor)
    intended, _ = intended_config(vendor.clean_running(running), candidate, vendor)
    return remediation(before, intended, vendor)


def same_config(a: str, b: str, vendor: Vendor) -> bool:
    """Whether two running configs are the same once normalized (device headers, comments, indentation aside)."""
    return normalized_running(vendor.clean_running(a), vendor) == normalized_running(vendor.clean_running(b), vendor)


class Interrupted(DeviceError):
    """A Ctrl-C noted during a change, raised at the next safe point (never inside device I/O)."""

    def __init__(self, stage: str):
        super().__init__(f"interrupted (Ctrl-C) during the {stage}")


class _DeferCtrlC:
    """Around a change, in the main thread only: the first Ctrl-C (SIGINT) is noted, not raised, so Netmiko I/O
    is never cut in the middle; the change checks `seen` at safe points and rolls back, or finishes the save.
    A second Ctrl-C stops at once (KeyboardInterrupt) with a message naming the backup. The previous
    handler is put back afterwards. In other threads (batch workers) it does nothing: there the main
    thread gets Ctrl-C and lets running pushes finish."""

    def __init__(self, report: ApplyReport):
        self.report, self.seen, self.installed = report, False, False
        self.old: Any = None  # the SIGINT handler before ours

    def __enter__(self) -> "_DeferCtrlC":
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
        ):  # ignored stays ignored
            self.old, self.installed = signal.signal(signal.SIGINT, self._handle), True
        return self

    def _handle(self, signum, frame) -> None:
        if self.seen:
            r = self.report
            raise KeyboardInterrupt(
                f"{r.device}: interrupted again, stopped at once: the device may be partly "
                f"changed and unsaved; backup at {r.backup}"
            )
        self.seen = True

    def check(self, stage: str) -> None:
        """Raise Interrupted if Ctrl-C was pressed: call it between device operations."""
        if self.seen:
            raise Interrupted(stage)

    def __exit__(self, *exc) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.old if self.old is not None else signal.default_int_handler)
        r = self.report
        if self.seen:
            r.interrupted = True
            if r.backup and r.backup not in r.message:
                r.message += f"; backup at {r.backup}"


def diff_to(running: str, target: str, vendor: Vendor) -> str:
    """Remediation from the device's running config to a target config (e.g. a backup)."""
    return remediation(
        normalized_running(vendor.clean_running(running), vendor),
        normalized_running(vendor.clean_running(target), vendor),
        vendor,
    )


def _restore(
    host: Host, vendor: Vendor, backup_text: str, session: Session | None, session_factory: Callable[[], Session]
) -> tuple[bool, str, Session | None]:
    """Push what brings the device back to the backup, and verify it is back. Returns (ok, message, session)."""
    try:
        session = _live(session, session_factory)
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


def _live(session: Session | None, factory: Callable[[], Session]) -> Session:
    """`session` if it still answers, else a new connection (to undo or check a change)."""
    return session if session is not None and _alive(session) else factory()


def _reconnect(session: Session, factory: Callable[[], Session]) -> Session:
    """Close `session` and open a new one: that the device still takes a connection after the change is
    part of the proof (a revert timer is only confirmed then)."""
    session.close()
    return factory()


def _failed(report: "ApplyReport", stage: str, e: NetcfgError) -> None:
    report.message = str(e) if isinstance(e, Interrupted) else f"{stage} failed: {e}"
    report.failed_line = getattr(e, "line", None)


def _still_needs(host: Host, left: str) -> str:
    return (
        f"{host.name}: after the push the device still needs: "
        + "; ".join(" > ".join(p) for p in configtree.flatten(left))[:300]
    )


def _change_id() -> str:
    """A name for one change on a device (the EOS configure session's name)."""
    return f"netcfg-{uuid.uuid4().hex[:8]}"


def _apply_candidate(
    plan: Plan,
    host: Host,
    vendor: Vendor,
    running: str,
    session,
    factory,
    report: ApplyReport,
    lines: list[str],
    rollback: bool,
    ctrl_c: _DeferCtrlC,
) -> None:
    """The vendor's candidate lifecycle (its schema's `lifecycle`), shaped like NAPALM: load the lines into a
    private candidate, check, commit with a revert timer, reconnect and verify nothing is left to change,
    then confirm. Before the commit any failure discards the candidate (always, even with --no-rollback:
    an uncommitted candidate must never be left behind). After it a failed verification reverts the commit
    at once; with --no-rollback, or when the device cannot be reached, the device's timer reverts it.
    A first Ctrl-C is handled like a failure at the next step, except during the confirmation, which finishes."""
    minutes = int(vendor.device.lifecycle.get("confirm_minutes", 5))
    change, stage, committed = _change_id(), "load", False
    try:
        try:
            session = session or factory()
            if ctrl_c.seen:
                report.message = "interrupted (Ctrl-C) before the change: nothing was changed"
                return
            t = time.perf_counter()
            session.load(lines, change)
            report.pushed = lines
            ctrl_c.check("load")
            stage = "check"
            session.check(change)
            ctrl_c.check("check")
            stage = "commit"
            session.commit(change)
            committed = True
            report.timings["push_s"] = round(time.perf_counter() - t, 3)
            ctrl_c.check("commit")
            stage = "verify"
            t = time.perf_counter()
            session, old = None, session
            session = _reconnect(old, factory)
            left = left_to_change(session.running_config(), plan.candidate, vendor)
            report.timings["verify_s"] = round(time.perf_counter() - t, 3)
            if left.strip():
                raise DeviceError(_still_needs(host, left))
            ctrl_c.check("verification")
            stage = "confirm"
            t = time.perf_counter()
            session.confirm(change)
            report.timings["save_s"] = round(time.perf_counter() - t, 3)
            report.status = "applied"
            report.message = (
                f"applied {len(lines)} lines: committed with a {minutes}-minute revert timer, "
                "verified over a new connection, confirmed"
                + ("; Ctrl-C came during the confirmation, which was finished" if ctrl_c.seen else "")
            )
        except NetcfgError as e:
            _failed(report, stage, e)
            session = _undo_candidate(
                vendor, running, session, factory, report, change, stage, committed, rollback, minutes
            )
    finally:
        if session is not None:
            session.close()


def _undo_candidate(
    vendor: Vendor,
    running: str,
    session,
    factory,
    report: ApplyReport,
    change: str,
    stage: str,
    committed: bool,
    rollback: bool,
    minutes: int,
):
    """Discard the candidate (not committed) or revert the commit (not confirmed), then check the device
    is back to the backup. Returns the session in use."""
    timer = f"the device reverts the commit itself within {minutes} minutes unless someone commits first"
    if committed and not rollback:
        report.message += f"; not confirmed (--no-rollback): {timer}; backup at {report.backup}"
        return session
    what = "the commit was reverted" if committed else "the candidate was discarded"
    try:
        session = _live(session, factory)
        (session.revert if committed else session.discard)(change)
        same = not diff_to(session.running_config(), running, vendor).strip()
    except NetcfgError as e:
        if committed:
            report.status = "rollback_failed"
            report.message += f"; revert failed: {e}; {timer}; backup at {report.backup}"
        else:
            report.message += f"; discarding the candidate failed: {e}; it was never committed" + (
                f" (if the commit did go through, {timer})" if stage == "commit" else ""
            )
        return session
    if same:
        report.status, report.rolled_back = "rolled_back", True
        report.message += f"; {what}: the device is as before"
    else:
        report.status = "rollback_failed"
        report.message += (
            f"; {what} but the device differs from the backup"
            + (f" (if the commit did go through, {timer})" if stage == "commit" else "")
            + f"; backup at {report.backup}"
        )
    return session


def execute(
    plan: Plan,
    host: Host,
    vendor: Vendor,
    running: str,
    *,
    session: Session | None = None,
    rollback: bool = True,
    backups: Path | None = None,
    timeout: float = defaults.TIMEOUT_S,
    session_factory: Callable[[], Session] | None = None,
) -> ApplyReport:
    """Back up, push the plan's remediation, verify nothing is left to change, save; roll back on failure.

    Vendors with a candidate configuration (Junos, EOS configure sessions) commit with a revert timer and
    confirm only after verifying over a new connection (`_apply_candidate`); IOS and NX-OS push under their
    safety net, a revert timer or a checkpoint (`_apply_running`).
    Ctrl-C (in the main thread) never cuts a device operation: the first one rolls the change back at the
    next step (or lets a save that already started finish) and the report says so (`interrupted`);
    a second one stops at once with a KeyboardInterrupt whose message names the backup."""
    factory = session_factory or (lambda: connect(host, vendor, timeout))
    report = ApplyReport(device=host.name, vendor=vendor.name, status="failed")
    if plan.errors:
        report.message = "plan has errors: " + "; ".join(plan.errors)
        return report
    if not plan.changed:
        report.status, report.message = "unchanged", "nothing to change: the device already has this config"
        return report
    t0 = time.perf_counter()
    shown = config_lines(plan.remediation, vendor)
    try:
        lines = resolve(shown, vendor.name)  # secrets read from the environment here, for the device only
    except NetcfgError as e:
        report.message = f"{e}: nothing was changed"
        return report
    report.backup = str(write_backup(host.name, running, backups))
    push = _apply_candidate if vendor.device.lifecycle else _apply_running
    with _DeferCtrlC(report) as ctrl_c:
        push(plan, host, vendor, running, session, factory, report, lines, rollback, ctrl_c)
    if report.pushed:
        report.pushed = shown  # as the plan showed them: ${VAR} references, never the secrets
    report.timings["total_s"] = round(time.perf_counter() - t0, 3)
    return report


def _apply_running(
    plan: Plan,
    host: Host,
    vendor: Vendor,
    running: str,
    session,
    factory,
    report: ApplyReport,
    lines: list[str],
    rollback: bool,
    ctrl_c: _DeferCtrlC,
) -> None:
    """Push the lines into the running config, verify nothing is left to change, save; on a failure, or a
    first Ctrl-C before the save, restore the backup. A Ctrl-C during the save lets the save finish.

    Where the vendor has a safety net (`safety_net` in its schema) it is armed before the push (IOS: configure
    mode with a revert timer; NX-OS: a checkpoint); the verification then runs over a new connection, which
    proves the device is still reachable, the net is confirmed before the save (IOS `configure confirm`) and
    released after it (NX-OS: the checkpoint is deleted). A failure goes back to the net first (`configure
    revert now`, `rollback running-config checkpoint`), then restores and verifies the backup as usual.
    A device that refuses the net is pushed without it, with a warning."""
    net = vendor.device.safety_net
    change, stage, armed = _change_id(), "push", False
    try:
        try:
            session = session or factory()
            if ctrl_c.seen:
                report.message = "interrupted (Ctrl-C) before the push: nothing was changed"
                return
            t = time.perf_counter()
            if net:
                armed = _arm(session, net, change, report)
            session.push(lines)
            report.pushed = lines
            report.timings["push_s"] = round(time.perf_counter() - t, 3)
            ctrl_c.check("push")
            stage = "verify"
            t = time.perf_counter()
            if armed:
                session, old = None, session
                session = _reconnect(old, factory)
            left = left_to_change(session.running_config(), plan.candidate, vendor)
            report.timings["verify_s"] = round(time.perf_counter() - t, 3)
            if left.strip():
                raise DeviceError(_still_needs(host, left))
            ctrl_c.check("verification")
            t = time.perf_counter()
            if armed:
                stage = "confirm"
                session.confirm(change)
            stage = "save"
            out = session.save()
            ok_pattern = vendor.device.save_ok
            if ok_pattern and ok_pattern not in out:
                raise DeviceError(f"{host.name}: saving the config did not confirm ({out.strip().splitlines()[-1:]})")
            report.timings["save_s"] = round(time.perf_counter() - t, 3)
            report.status, report.message = "applied", f"applied {len(lines)} lines, verified and saved"
            if armed:
                report.message = (
                    f"applied {len(lines)} lines with a {net['name']}, verified over a new connection and saved"
                )
                _release(session, net, change, report)
            if ctrl_c.seen:
                report.message += "; Ctrl-C came during the save, which was finished"
        except NetcfgError as e:
            _failed(report, stage, e)
            if rollback:
                reverted = True
                if armed:
                    reverted, session = _revert(session, factory, net, change, report)
                ok, msg, session = _restore(host, vendor, running, session, factory)
                report.rolled_back = ok
                report.status = "rolled_back" if ok else "rollback_failed"
                report.message += f"; {msg}" + (
                    "" if ok else f"; the device is in an unknown state, backup at {report.backup}"
                )
                if armed and ok and reverted:
                    _release(session, net, change, report)
                elif armed:
                    report.message += "; " + _net_text(net, "kept", change)
            elif armed:
                report.message += (
                    f"; no rollback (--no-rollback): {_net_text(net, 'kept', change)}; backup at {report.backup}"
                )
            else:
                report.message += (
                    f"; no rollback (--no-rollback): the device may be partly changed, backup at {report.backup}"
                )
    finally:
        if report.warnings:
            report.message += "; warning: " + "; ".join(report.warnings)
        if session is not None:
            session.close()


def _net_text(net: Mapping, key: str, change: str) -> str:
    minutes = int(net.get("confirm_minutes", 5))
    return net[key].format(session=change, minutes=minutes)


def _arm(session, net: Mapping, change: str, report: ApplyReport) -> bool:
    """Arm the vendor's safety net before a push. A device that refuses it is pushed without it: a warning,
    never a failed change. A transport failure fails the change as any other."""
    try:
        session.arm(change)
        return True
    except Refused as e:
        report.warnings.append(f"no {net['name']}: {e.reason}")
        return False


def _revert(session, factory, net: Mapping, change: str, report: ApplyReport):
    """Go back to the safety net at once (IOS `configure revert now`, NX-OS rollback to the checkpoint).
    Returns (whether it worked, the session in use); `_restore` then checks and finishes the job."""
    try:
        session = _live(session, factory)
        session.revert(change)
        report.message += f"; reverted with the {net['name']}"
        return True, session
    except NetcfgError as e:
        report.message += f"; reverting with the {net['name']} failed: {e}"
        return False, session


def _release(session, net: Mapping, change: str, report: ApplyReport) -> None:
    """Remove what arming left on the device (NX-OS: the checkpoint); a failure here is only a warning."""
    try:
        session.release(change)
    except NetcfgError as e:
        report.warnings.append(f"{_net_text(net, 'kept', change)} ({e})")
