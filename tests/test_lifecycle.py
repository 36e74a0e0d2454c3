"""The candidate lifecycle of `netcfg apply` for Junos (configure exclusive, commit check, commit confirmed,
verify over a new connection, commit) and EOS (configure session, commit timer, verify, session commit),
driven through the real NetmikoSession and apply.execute against a fake device (logic only: the exact
command transcript is asserted). Real transport is proven against FRR over SSH in test_apply.py."""

import pytest
from fakes import FakeConnection, execute, fake_host, use_fake_devices

from netcfg import device, vendors

JUNOS, EOS = vendors.get("juniper_junos"), vendors.get("arista_eos")
JUNOS_RUNNING = "set system host-name sw1\nset vlans USERS vlan-id 10\n"
EOS_RUNNING = "hostname sw1\nntp server 10.0.0.1\n"


class FakeDevice:
    """A device with a committed config and a candidate; just enough Junos or EOS CLI for the lifecycle."""

    def __init__(self, vendor, running: str, reject: str | None = None, mangle: dict | None = None):
        self.junos = vendor.name == "juniper_junos"
        self.committed = running.splitlines()
        self.previous: list[str] | None = None
        self.candidate: list[str] | None = None
        self.reject, self.mangle = reject, mangle or {}
        self.transcript: list[str] = []
        self.reachable = True

    def type_line(self, line: str) -> None:
        self.candidate.append(self.mangle.get(line, line))

    def run(self, conn, cmd: str) -> str:
        self.transcript.append(cmd)
        if cmd in ("show configuration | display set", "show running-config"):
            return "\n".join(self.committed) + "\n"
        if cmd == "commit check":
            return "configuration check succeeds"
        if cmd in ("commit confirmed 5", "commit timer 00:05:00"):
            self.previous, self.committed = self.committed, list(self.candidate)
            if not self.junos:  # EOS commits the session and returns to exec mode
                conn.in_config, self.candidate = False, None
            return "commit confirmed will be automatically rolled back in 5 minutes unless confirmed\ncommit complete"
        if cmd == "commit":
            self.committed = list(self.candidate)
            return "commit complete"
        if cmd in ("rollback 0", "rollback 1"):
            self.candidate = list(self.committed if cmd == "rollback 0" else self.previous)
            return "load complete"
        if cmd in ("exit configuration-mode", "end"):
            if self.candidate != self.committed and self.junos:
                return "The configuration has been changed but not committed\nExit with uncommitted changes? [yes,no] (yes)"
            conn.in_config, self.candidate = False, None
            return ""
        if cmd == "abort":
            conn.in_config, self.candidate = False, None
            return ""
        if cmd.startswith("configure session ") and cmd.endswith((" commit", " abort")):
            if cmd.endswith(" abort") and self.previous is not None:
                self.committed = self.previous
            self.previous = None
            return ""
        if cmd == "write memory":
            return "Copy completed successfully."
        if cmd == "no":
            return ""
        return f"% Invalid input (fake device does not know {cmd!r})"


class FakeConn(FakeConnection):
    """One SSH connection to a FakeDevice: config mode opens (or keeps) the candidate."""

    matched_error = "syntax error"

    def config_mode(self, config_command=""):
        self.dev.transcript.append(config_command)
        self.in_config = True
        if self.dev.candidate is None:
            self.dev.candidate = list(self.dev.committed)

    def send_config_set(self, lines, enter_config_mode=True, exit_config_mode=True, **kw):
        assert not enter_config_mode and not exit_config_mode and self.in_config
        self.type_lines(lines)
        return ""


@pytest.fixture
def env(monkeypatch, tmp_path):
    return use_fake_devices(monkeypatch, tmp_path, FakeConn)


run = execute  # run(vendor, running, extra, tmp_path, **options): apply `extra` on top of `running`


def test_junos_success_commits_confirmed_then_confirms_after_verifying_over_a_new_connection(env, tmp_path):
    dev = env(FakeDevice(JUNOS, JUNOS_RUNNING))
    report = run(JUNOS, JUNOS_RUNNING, "set vlans GUESTS vlan-id 30\n", tmp_path)
    assert report.status == "applied", report.message
    assert dev.transcript == [
        "<connect>",
        "configure exclusive",
        "set vlans GUESTS vlan-id 30",
        "commit check",
        "commit confirmed 5",
        "exit configuration-mode",
        "<disconnect>",
        "<connect>",
        "show configuration | display set",
        "configure exclusive",
        "commit",
        "exit configuration-mode",
        "<disconnect>",
    ]
    assert "set vlans GUESTS vlan-id 30" in dev.committed


def test_junos_rejected_line_discards_the_candidate_and_never_commits(env, tmp_path):
    dev = env(FakeDevice(JUNOS, JUNOS_RUNNING, reject="set bogus thing"))
    report = run(JUNOS, JUNOS_RUNNING, "set vlans GUESTS vlan-id 30\nset bogus thing\n", tmp_path)
    assert report.status == "rolled_back" and report.failed_line == "set bogus thing"
    assert "candidate was discarded" in report.message and "s3cret" not in report.message
    assert dev.transcript == [
        "<connect>",
        "configure exclusive",
        "set vlans GUESTS vlan-id 30",
        "set bogus thing",
        "rollback 0",
        "exit configuration-mode",
        "show configuration | display set",
        "<disconnect>",
    ]
    assert dev.committed == JUNOS_RUNNING.splitlines() and dev.candidate is None


def test_junos_failed_verification_reverts_the_commit_at_once(env, tmp_path):
    dev = env(FakeDevice(JUNOS, JUNOS_RUNNING, mangle={"set vlans GUESTS vlan-id 30": "set vlans GUESTS vlan-id 31"}))
    report = run(JUNOS, JUNOS_RUNNING, "set vlans GUESTS vlan-id 30\n", tmp_path)
    assert report.status == "rolled_back", report.message
    assert report.message.startswith("verify failed") and "commit was reverted" in report.message
    assert dev.transcript == [
        "<connect>",
        "configure exclusive",
        "set vlans GUESTS vlan-id 30",
        "commit check",
        "commit confirmed 5",
        "exit configuration-mode",
        "<disconnect>",
        "<connect>",
        "show configuration | display set",
        "configure exclusive",
        "rollback 1",
        "commit",
        "exit configuration-mode",
        "show configuration | display set",
        "<disconnect>",
    ]
    assert dev.committed == JUNOS_RUNNING.splitlines()


def test_junos_unreachable_after_commit_leaves_it_to_the_timer(env, tmp_path, monkeypatch):
    dev = env(FakeDevice(JUNOS, JUNOS_RUNNING))
    real = FakeDevice.run

    def lose_device(self, conn, cmd):
        out = real(self, conn, cmd)
        if cmd == "commit confirmed 5":
            self.reachable = False
        return out

    monkeypatch.setattr(FakeDevice, "run", lose_device)
    report = run(JUNOS, JUNOS_RUNNING, "set vlans GUESTS vlan-id 30\n", tmp_path)
    assert report.status == "rollback_failed" and not report.rolled_back
    assert "reverts the commit itself within 5 minutes" in report.message
    assert dev.transcript.count("commit") == 0  # never confirmed


def test_junos_no_rollback_after_the_commit_does_not_confirm(env, tmp_path):
    dev = env(FakeDevice(JUNOS, JUNOS_RUNNING, mangle={"set vlans GUESTS vlan-id 30": "set vlans GUESTS vlan-id 31"}))
    report = run(JUNOS, JUNOS_RUNNING, "set vlans GUESTS vlan-id 30\n", tmp_path, rollback=False)
    assert report.status == "failed" and "not confirmed (--no-rollback)" in report.message
    assert dev.transcript[-2:] == ["show configuration | display set", "<disconnect>"]
    assert "commit" not in dev.transcript and "rollback 1" not in dev.transcript


def test_closing_a_junos_session_with_a_candidate_discards_it_and_never_answers_yes(env, tmp_path):
    dev = env(FakeDevice(JUNOS, JUNOS_RUNNING))
    s = device.connect(fake_host("juniper_junos"), JUNOS)
    s.load(["set vlans GUESTS vlan-id 30"], "netcfg-test")
    s.close()
    assert dev.transcript[-3:] == ["rollback 0", "exit configuration-mode", "<disconnect>"]
    assert "yes" not in dev.transcript and dev.committed == JUNOS_RUNNING.splitlines()


def test_leaving_junos_config_mode_with_uncommitted_changes_answers_no(env):
    dev = env(FakeDevice(JUNOS, JUNOS_RUNNING))
    s = device.connect(fake_host("juniper_junos"), JUNOS)
    s.load(["set vlans GUESTS vlan-id 30"], "netcfg-test")
    with pytest.raises(device.DeviceError, match="uncommitted changes"):
        s._leave_candidate()
    assert dev.transcript[-2:] == ["exit configuration-mode", "no"]


def test_eos_success_uses_a_configure_session_with_a_commit_timer(env, tmp_path):
    dev = env(FakeDevice(EOS, EOS_RUNNING))
    report = run(EOS, EOS_RUNNING, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "applied", report.message
    assert dev.transcript == [
        "<connect>",
        "configure session netcfg-test",
        "ntp server 10.0.0.123",
        "commit timer 00:05:00",
        "<disconnect>",
        "<connect>",
        "show running-config",
        "configure session netcfg-test commit",
        "write memory",
        "<disconnect>",
    ]
    assert "ntp server 10.0.0.123" in dev.committed


def test_eos_rejected_line_aborts_the_session(env, tmp_path):
    dev = env(FakeDevice(EOS, EOS_RUNNING, reject="ntp server 10.0.0.124"))
    report = run(EOS, EOS_RUNNING, "ntp server 10.0.0.123\nntp server 10.0.0.124\n", tmp_path)
    assert report.status == "rolled_back" and report.failed_line == "ntp server 10.0.0.124"
    assert dev.transcript == [
        "<connect>",
        "configure session netcfg-test",
        "ntp server 10.0.0.123",
        "ntp server 10.0.0.124",
        "abort",
        "show running-config",
        "<disconnect>",
    ]
    assert dev.committed == EOS_RUNNING.splitlines()


def test_eos_failed_verification_aborts_the_timed_commit(env, tmp_path):
    dev = env(FakeDevice(EOS, EOS_RUNNING, mangle={"ntp server 10.0.0.123": "ntp server 10.0.0.99"}))
    report = run(EOS, EOS_RUNNING, "ntp server 10.0.0.123\n", tmp_path)
    assert report.status == "rolled_back", report.message
    assert dev.transcript[5:] == [
        "<connect>",
        "show running-config",
        "configure session netcfg-test abort",
        "show running-config",
        "<disconnect>",
    ]
    assert dev.committed == EOS_RUNNING.splitlines()
