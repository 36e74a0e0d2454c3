"""Backups: private (0600 in 0700), safe names inside the folder, atomic writes, and the sanity check
`netcfg restore` runs before it plans hundreds of deletions from a truncated file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcfg import cli, vendors, workflow
from netcfg.apply import write_backup
from netcfg.backup import backup_problem, safe_name
from netcfg.errors import ConfigError
from netcfg.inventory import Host

SECRETS = Path(__file__).parent / "secrets"
runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_is_complete_and_private(tmp_path):
    running = (SECRETS / "cisco_ios.cfg").read_text()
    folder = tmp_path / "backups"
    path = write_backup("sw1", running, folder)
    assert path.parent == folder and path.name.startswith("sw1-") and path.suffix == ".cfg"
    assert path.read_text() == running  # unredacted: a restore needs every secret back
    assert mode(path) == 0o600 and mode(folder) == 0o700
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temp file left


def test_an_existing_open_backup_folder_is_made_private(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    path = write_backup("sw1", "hostname sw1\n", folder)
    assert mode(folder) == 0o700 and mode(path) == 0o600


def test_backup_dir_default_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_BACKUP_DIR", str(tmp_path / "env-backups"))
    path = write_backup("sw1", "hostname sw1\n")
    assert path.parent == tmp_path / "env-backups" and mode(path.parent) == 0o700


@pytest.mark.parametrize(
    "device,expect",
    [
        ("../x", "__x"),
        ("a/b", "a_b"),
        ("/etc/passwd", "_etc_passwd"),
        (".hidden", "hidden"),
        ("sw3[/b]", "sw3__b_"),
        ("..", "_"),
        ("...", "_"),
        ("", "device"),
        ("core-1.dc1_a", "core-1.dc1_a"),
        ("sw..1", "sw_1"),
        ("é\n\x00", "___"),
    ],
)
def test_device_names_become_safe_file_names(device, expect):
    assert safe_name(device) == expect


@pytest.mark.parametrize("device", ["../x", "../../etc/x", "a/b/../../..", "/abs/path", "..", ".", "sw3[/b]"])
def test_backup_never_escapes_its_folder(tmp_path, device):
    folder = tmp_path / "deep" / "backups"
    path = write_backup(device, "hostname x\n", folder)
    assert path.resolve().parent == folder.resolve()
    assert not path.name.startswith(".") and ".." not in path.name
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [path.name]


def test_a_failed_write_leaves_no_backup_that_looks_whole(tmp_path, monkeypatch):
    folder = tmp_path / "backups"

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ConfigError, match="No space left on device"):
        write_backup("sw1", "hostname sw1\n" * 1000, folder)
    assert list(folder.iterdir()) == []  # neither a truncated .cfg nor a temp file


def test_an_unwritable_folder_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot write the backup"):
        write_backup("sw1", "hostname sw1\n", blocker / "backups")


# ---------------------------------------------------------------------------- restore sanity check

IOS = vendors.get("cisco_ios")
IOS_RUNNING = (SECRETS / "cisco_ios.cfg").read_text()


def test_a_real_backup_passes_for_every_vendor():
    for name in vendors.names():
        text = (SECRETS / f"{name}.cfg").read_text()
        assert backup_problem(text, vendors.get(name), text) is None, name


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", "the backup is empty"),
        ("\n\n!\n", "the backup is empty"),
        ("hostname sw1\nend\n", "only 1 configuration line"),
        (IOS_RUNNING.replace("hostname acc-sw1\n", ""), "no hostname line"),
        (IOS_RUNNING.replace("\nend\n", "\n"), "no end marker"),
        (IOS_RUNNING[: len(IOS_RUNNING) // 2], "no end marker"),  # truncated by a full disk
    ],
    ids=["empty", "blank", "tiny", "no-hostname", "no-end", "truncated"],
)
def test_bad_ios_backups_are_refused(text, reason):
    assert reason in backup_problem(text, IOS, IOS_RUNNING)


def test_a_backup_far_smaller_than_the_running_config_is_refused():
    lines = IOS_RUNNING.splitlines()
    small = "\n".join(lines[:12] + ["end"]) + "\n"  # hostname, enable secret, users... and an end
    problem = backup_problem(small, IOS, IOS_RUNNING)
    assert "under 50%" in problem and "truncated" in problem
    assert backup_problem(small, IOS) is None  # without a running config there is nothing to compare


def test_vendor_markers_are_data():
    junos = vendors.get("juniper_junos")
    text = (SECRETS / "juniper_junos.cfg").read_text()
    assert "no hostname line" in backup_problem(text.replace("set system host-name ex1\n", ""), junos)
    frr = vendors.get("frr")
    text = (SECRETS / "frr.cfg").read_text()
    assert backup_problem(text.replace("hostname edge-r1\n", ""), frr) is None  # FRR needs only `end`
    assert "no end marker" in backup_problem(text.replace("\nend\n", "\n"), frr)


class FakeSession:
    """Logic only: what `restore` reads before it would push (real pushes are in test_apply.py)."""

    def __init__(self, running: str):
        self.running, self.closed = running, False

    def running_config(self) -> str:
        return self.running

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_device(monkeypatch):
    sessions = []

    def open_device(name, inventory, timeout):
        s = FakeSession(IOS_RUNNING)
        sessions.append(s)
        return Host(name, "10.0.0.1", platform="cisco_ios"), IOS, s, IOS_RUNNING

    monkeypatch.setattr(workflow, "open_device", open_device)
    return sessions


@pytest.mark.parametrize(
    "content,reason",
    [
        ("", "empty"),
        ("hostname sw1\nend\n", "only 1 configuration line"),
        (IOS_RUNNING.replace("\nend\n", "\n"), "no end marker"),
        (IOS_RUNNING.replace("hostname acc-sw1\n", ""), "no hostname line"),
        ("hostname acc-sw1\nvlan 10\nvlan 20\nvlan 30\nend\n", "under 50%"),
    ],
    ids=["empty", "tiny", "no-end", "no-hostname", "far-smaller"],
)
def test_restore_refuses_a_bad_backup_unless_forced(tmp_path, fake_device, content, reason):
    bad = tmp_path / "sw1-bad.cfg"
    bad.write_text(content)
    res = runner.invoke(cli.app, ["restore", str(bad), "--device", "sw1"])
    assert res.exit_code == 1
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and reason in err and "--force" in err and str(bad) in err
    assert "Traceback" not in err and fake_device[-1].closed
    if content:  # --force skips the check: restore goes on to plan and asks (no terminal: refuses)
        res = runner.invoke(cli.app, ["restore", str(bad), "--device", "sw1", "--force"])
        assert "not restoring" not in res.stderr
        if reason == "no end marker":  # the same lines as the device: nothing to do
            assert res.exit_code == 0 and "No changes" in res.stdout, res.stderr
        else:
            assert res.exit_code == 1 and "pass --yes" in res.stderr, res.stderr
        assert fake_device[-1].closed
