"""The safety net of `netcfg apply` on vendors that push into the running config (issue 11 item 2): IOS
pushes under `configure terminal revert timer` and confirms only after verifying over a new connection;
NX-OS takes a checkpoint first and rolls back to it on a failure. Driven through the real NetmikoSession and
apply.execute against a fake device (logic only: the exact command transcript is asserted). FRR keeps the
plain flow, proven on real routers in test_apply.py and test_interrupt.py."""

import signal
import threading

import pytest
from fakes import FakeConnection, execute, use_fake_devices

from netcfg import vendors

IOS, NXOS = vendors.get("cisco_ios"), vendors.get("cisco_nxos")
RUNNING = "hostname sw1\nntp server 10.0.0.1\n"


class FakeCisco:
    """A device whose running config is a list of top-level lines; just enough IOS or NX-OS CLI for apply."""

    def __init__(self, vendor, reject: str | None = None, mangle: dict | None = None, refuse_net: str | None = None):
        self.vendor = vendor.name
        self.config = RUNNING.splitlines()
        self.reject, self.mangle, self.refuse_net = reject, mangle or {}, refuse_net
        self.archive: list[str] | None = None  # IOS: the config archived by `configure terminal revert timer`
        self.checkpoints: dict[str, list[str]] = {}  # NX-OS
        self.saved: list[str] | None = None
        self.transcript: list[str] = []
        self.reachable = True

    def type_line(self, line: str) -> None:
        line = self.mangle.get(line, line)
        if line.startswith("no "):
            self.config.remove(line[3:])
        else:
            self.config.append(line)

    def run(self, conn, cmd: str) -> str:
        self.transcript.append(cmd)
        if cmd == "show running-config":
            return "\n".join(self.config) + "\n"
        if cmd == "configure terminal revert timer 5" and self.vendor == "cisco_ios":
            if self.refuse_net:
                return self.refuse_net
            self.archive, conn.in_config = list(self.config), True
            return "Enter configuration commands, one per line.  End with CNTL/Z."
        if cmd == "configure confirm" and self.archive is not None:
            self.archive = None
            return ""
        if cmd == "configure revert now" and self.archive is not None:
            self.config, self.archive = self.archive, None
            return "Rollback Done"
        if cmd == "terminal dont-ask" and self.vendor == "cisco_nxos":
            return ""
        if cmd.startswith("checkpoint ") and self.vendor == "cisco_nxos":
            if self.refuse_net:
                return self.refuse_net
            self.checkpoints[cmd.split()[1]] = list(self.config)
            return "...........Done"
        if cmd.startswith("rollback running-config checkpoint ") and cmd.endswith(" atomic"):
            self.config = list(self.checkpoints[cmd.split()[3]])
            return "Rollback completed successfully."
        if cmd.startswith("no checkpoint "):
            del self.checkpoints[cmd.split()[2]]
            return ""
        if cmd in ("write memory", "copy running-config startup-config"):
            self.saved = list(self.config)
            return "[OK]" if cmd == "write memory" else "Copy complete."
        return "% Invalid input detected at '^' marker."


class FakeConn(FakeConnection):
    """One SSH connection to a FakeCisco: `configure terminal` ... `end` around the lines typed."""

    def config_mode(self, config_command="configure terminal"):
        if not self.in_config:
            self.dev.transcript.append(config_command)
            self.in_config = True
        return ""

    def exit_config_mode(self):
        if self.in_config:
            self.dev.transcript.append("end")
            self.in_config = False
        return ""

    def send_config_set(self, lines, enter_config_mode=True, exit_config_mode=True, **kw):
        if enter_config_mode:
            self.config_mode()
        self.type_lines(lines)
        if exit_config_mode:
            self.exit_config_mode()
        return ""


@pytest.fixture
def env(monkeypatch, tmp_path):
    return use_fake_devices(monkeypatch, tmp_path, FakeConn)


def run(vendor, extra, tmp_path, **options):
    return execute(vendor, RUNNING, extra, tmp_path, **options)


# --- IOS: Configuration Rollback Confirmed Change -----------------------------------------------------------


def test_ios_pushes_under_a_revert_timer_and_confirms_after_verifying_over_a_new_connection(env, tmp_path):
    dev = env(FakeCisco(IOS))
    report = run(IOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "applied", report.message
    assert report.message == "applied 1 lines with a revert timer, verified over a new connection and saved"
    assert dev.transcript == [
        "<connect>",
        "configure terminal revert timer 5",
        "ntp server 10.0.0.123",
        "end",
        "<disconnect>",
        "<connect>",
        "show running-config",
        "configure confirm",
        "write memory",
        "<disconnect>",
    ]
    assert dev.archive is None and "ntp server 10.0.0.123" in dev.saved and report.warnings == []


def test_ios_without_archive_is_pushed_plainly_with_a_warning(env, tmp_path):
    dev = env(FakeCisco(IOS, refuse_net="%Please turn config archive on"))
    report = run(IOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "applied", report.message
    assert report.warnings == ["no revert timer: archive is not configured"]
    assert report.message == "applied 1 lines, verified and saved; warning: no revert timer: archive is not configured"
    assert dev.transcript == [
        "<connect>",
        "configure terminal revert timer 5",
        "configure terminal",
        "ntp server 10.0.0.123",
        "end",
        "show running-config",
        "write memory",
        "<disconnect>",
    ]
    assert "configure confirm" not in dev.transcript


def test_ios_that_does_not_know_the_revert_timer_gets_its_own_answer_in_the_warning(env, tmp_path):
    env(
        FakeCisco(
            IOS,
            refuse_net="configure terminal revert timer 5\n                    ^\n"
            "% Invalid input detected at '^' marker.",
        )
    )
    report = run(IOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "applied", report.message
    assert report.warnings == [
        "no revert timer: 'configure terminal revert timer 5' failed: % Invalid input detected at '^' marker."
    ]


def test_ios_rejected_line_reverts_at_once_and_never_confirms(env, tmp_path):
    dev = env(FakeCisco(IOS, reject="ntp server 10.0.0.124"))
    report = run(IOS, "ntp server 10.0.0.123\nntp server 10.0.0.124\n", tmp_path)
    assert report.status == "rolled_back" and report.rolled_back and report.failed_line == "ntp server 10.0.0.124"
    assert "reverted with the revert timer; device restored to the backup" in report.message
    assert "s3cret" not in report.message
    assert dev.transcript == [
        "<connect>",
        "configure terminal revert timer 5",
        "ntp server 10.0.0.123",
        "ntp server 10.0.0.124",
        "end",
        "configure revert now",
        "show running-config",
        "show running-config",
        "<disconnect>",
    ]
    assert dev.config == RUNNING.splitlines() and dev.saved is None and dev.archive is None


def test_ios_failed_verification_reverts_on_the_new_connection(env, tmp_path):
    dev = env(FakeCisco(IOS, mangle={"ntp server 10.0.0.123": "ntp server 10.0.0.99"}))
    report = run(IOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "rolled_back" and report.message.startswith("verify failed"), report.message
    assert dev.transcript[5:] == [
        "<connect>",
        "show running-config",
        "configure revert now",
        "show running-config",
        "show running-config",
        "<disconnect>",
    ]
    assert dev.config == RUNNING.splitlines() and "configure confirm" not in dev.transcript


def test_ios_device_lost_after_the_push_is_left_to_its_timer(env, tmp_path, monkeypatch):
    dev = env(FakeCisco(IOS))
    typed = FakeCisco.type_line

    def cut_off(self, line):  # the change cuts netcfg off the device
        typed(self, line)
        self.reachable = False

    monkeypatch.setattr(FakeCisco, "type_line", cut_off)
    report = run(IOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "rollback_failed" and not report.rolled_back
    assert "goes back to its config from before the change within 5 minutes" in report.message
    assert "configure confirm" not in dev.transcript and "write memory" not in dev.transcript


def test_ios_no_rollback_leaves_the_change_unconfirmed(env, tmp_path):
    dev = env(FakeCisco(IOS, mangle={"ntp server 10.0.0.123": "ntp server 10.0.0.99"}))
    report = run(IOS, "ntp server 10.0.0.123\n", tmp_path, rollback=False)
    assert report.status == "failed" and "no rollback (--no-rollback): not confirmed" in report.message
    assert "configure revert now" not in dev.transcript and "configure confirm" not in dev.transcript
    assert dev.archive is not None  # the device's timer still runs


def test_first_ctrl_c_during_an_ios_push_reverts_at_once_and_names_the_backup(env, tmp_path, monkeypatch):
    dev = env(FakeCisco(IOS))
    typed = FakeCisco.type_line

    def press_ctrl_c(self, line):  # as a terminal's Ctrl-C arrives: SIGINT to the main thread, mid-push
        typed(self, line)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    monkeypatch.setattr(FakeCisco, "type_line", press_ctrl_c)
    report = run(IOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "rolled_back" and report.interrupted, report.message
    assert report.message.startswith("interrupted (Ctrl-C) during the push; reverted with the revert timer")
    assert report.message.endswith(f"backup at {report.backup}")
    assert dev.transcript == [
        "<connect>",
        "configure terminal revert timer 5",
        "ntp server 10.0.0.123",
        "end",
        "configure revert now",
        "show running-config",
        "show running-config",
        "<disconnect>",
    ]
    assert dev.config == RUNNING.splitlines()


# --- NX-OS: checkpoint and rollback -------------------------------------------------------------------------


def test_nxos_takes_a_checkpoint_first_and_deletes_it_after_the_save(env, tmp_path):
    dev = env(FakeCisco(NXOS))
    report = run(NXOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "applied", report.message
    assert report.message == "applied 1 lines with a checkpoint, verified over a new connection and saved"
    assert dev.transcript == [
        "<connect>",
        "terminal dont-ask",
        "checkpoint netcfg-test",
        "configure terminal",
        "ntp server 10.0.0.123",
        "end",
        "<disconnect>",
        "<connect>",
        "show running-config",
        "copy running-config startup-config",
        "no checkpoint netcfg-test",
        "<disconnect>",
    ]
    assert dev.checkpoints == {} and "ntp server 10.0.0.123" in dev.saved


def test_nxos_rejected_line_rolls_back_to_the_checkpoint_then_deletes_it(env, tmp_path):
    dev = env(FakeCisco(NXOS, reject="ntp server 10.0.0.124"))
    report = run(NXOS, "ntp server 10.0.0.123\nntp server 10.0.0.124\n", tmp_path)
    assert report.status == "rolled_back" and report.failed_line == "ntp server 10.0.0.124", report.message
    assert "reverted with the checkpoint; device restored to the backup" in report.message
    assert dev.transcript == [
        "<connect>",
        "terminal dont-ask",
        "checkpoint netcfg-test",
        "configure terminal",
        "ntp server 10.0.0.123",
        "ntp server 10.0.0.124",
        "end",
        "terminal dont-ask",
        "rollback running-config checkpoint netcfg-test atomic",
        "show running-config",
        "show running-config",
        "no checkpoint netcfg-test",
        "<disconnect>",
    ]
    assert dev.config == RUNNING.splitlines() and dev.checkpoints == {} and dev.saved is None


def test_nxos_refused_checkpoint_is_pushed_plainly_with_a_warning(env, tmp_path):
    dev = env(FakeCisco(NXOS, refuse_net="ERROR: Max number of checkpoints (10) reached"))
    report = run(NXOS, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "applied", report.message
    assert report.warnings == [
        "no checkpoint: 'checkpoint netcfg-test' failed: ERROR: Max number of checkpoints (10) reached"
    ]
    assert report.message.endswith("; warning: " + report.warnings[0])
    assert dev.transcript == [
        "<connect>",
        "terminal dont-ask",
        "checkpoint netcfg-test",
        "configure terminal",
        "ntp server 10.0.0.123",
        "end",
        "show running-config",
        "copy running-config startup-config",
        "<disconnect>",
    ]


def test_nxos_no_rollback_keeps_the_checkpoint_and_says_how_to_use_it(env, tmp_path):
    dev = env(FakeCisco(NXOS, reject="ntp server 10.0.0.124"))
    report = run(NXOS, "ntp server 10.0.0.123\nntp server 10.0.0.124\n", tmp_path, rollback=False)
    assert report.status == "failed"
    assert (
        "checkpoint netcfg-test kept on the device (`rollback running-config checkpoint netcfg-test`" in report.message
    )
    assert list(dev.checkpoints) == ["netcfg-test"] and "rollback" not in " ".join(dev.transcript)


def test_frr_has_no_safety_net():
    assert not vendors.get("frr").device.safety_net


def test_a_secret_is_read_from_the_environment_for_the_device_only_and_its_hash_verifies(env, tmp_path, monkeypatch):
    typed = "username alice privilege 15 secret 0 Str0ng!pw"
    dev = env(FakeCisco(IOS, mangle={typed: "username alice privilege 15 secret 9 $9$x1Yz$AbCdEf"}))
    monkeypatch.setenv("ALICE_PW", "Str0ng!pw")
    report = run(IOS, "username alice privilege 15 secret 0 ${ALICE_PW}\n", tmp_path)
    assert report.status == "applied", report.message
    assert typed in dev.transcript  # the device got the secret...
    assert report.pushed == ["username alice privilege 15 secret 0 ${ALICE_PW}"]  # ...the report only its name
    assert "Str0ng!pw" not in repr(report)


def test_an_unset_secret_stops_the_apply_before_the_device_is_touched(env, tmp_path, monkeypatch):
    dev = env(FakeCisco(IOS))
    monkeypatch.delenv("ALICE_PW", raising=False)
    report = run(IOS, "username alice privilege 15 secret 0 ${ALICE_PW}\n", tmp_path)
    assert report.status == "failed" and "${ALICE_PW} is not set" in report.message
    assert dev.transcript == [] and not report.backup and report.pushed == []
