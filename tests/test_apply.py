"""netcfg apply / backup / restore / plan --device against real FRR routers over real SSH."""

import json
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from frrlab import FrrLab, module_lab  # noqa: E402

from netcfg import cli, generate, vendors, workflow  # noqa: E402
from netcfg.apply import config_lines, diff_to  # noqa: E402

pytestmark = [
    pytest.mark.frr,
    pytest.mark.skipif(FrrLab.unavailable() is not None, reason=f"no FRR lab: {FrrLab.unavailable()}"),
]

runner = CliRunner()
FRR = vendors.get("frr")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with module_lab(tmp_path_factory, 2, "applylab") as lab:
        yield lab


@pytest.fixture
def env(lab, lab_inventory, tmp_path):
    r1 = lab.routers[0]
    folder = lab_inventory(
        lab.routers,
        groups=["lab"],
        extra_hosts={
            "badpw": {
                "hostname": r1.host,
                "port": r1.port,
                "username": r1.username,
                "password": "not-the-password",
                "groups": ["lab"],
            },
            "closed": {"hostname": "127.0.0.1", "port": 1, "username": "x", "password": "y", "groups": ["lab"]},
        },
    )
    (folder / "groups.yaml").write_text("lab:\n  platform: frr\n")
    (folder / "defaults.yaml").write_text("data: {}\n")
    for r in lab.routers:  # every test starts from the router's initial config
        undo = diff_to(r.running_config(), "\n".join(r.initial_config), FRR)
        if undo.strip():
            r.vtysh("configure terminal", *config_lines(undo, FRR))
    return tmp_path


def use_model_answers(monkeypatch, fake, *answers):
    backend = fake(*answers)
    monkeypatch.setattr(workflow, "get_backend", lambda m=None: backend)


def test_apply_end_to_end_with_the_real_model(lab, env):
    r = lab.routers[0]
    t0 = time.perf_counter()
    res = runner.invoke(cli.app, ["apply", "static route 10.77.0.0/16 via 10.0.0.2", "--device", "r1", "--yes"])
    elapsed = time.perf_counter() - t0
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "ip route 10.77.0.0/16 10.0.0.2" in r.running_config()
    assert "applied" in res.stderr and "backup:" in res.stderr
    assert r.password not in res.stdout + res.stderr
    backups = list((env / "backups").glob("r1-*.cfg"))
    assert len(backups) == 1 and "10.77.0.0" not in backups[0].read_text()
    again = runner.invoke(
        cli.app, ["plan", "static route 10.77.0.0/16 via 10.0.0.2", "--device", "r1", "--detailed-exitcode"]
    )
    assert again.exit_code == 0 and "No changes" in again.stdout
    print(f"apply wall time incl. model: {elapsed:.2f}s")


def test_a_bgp_password_from_the_environment_is_pushed_verified_and_never_shown(lab, env, monkeypatch):
    """The real model reads the request, the plan holds ${VAR}, only the lines sent read the variable; FRR shows the
    password in clear and it still reaches no output; then the real model removes it again."""
    r = lab.routers[0]
    r.vtysh("configure terminal", "router bgp 65001", "neighbor 10.0.0.9 remote-as 65009", "exit")
    secret = "Lab-Md5-7q2Xw"
    monkeypatch.setenv("LAB_PEER_MD5", secret)
    res = runner.invoke(
        cli.app, ["apply", "md5 password ${LAB_PEER_MD5} on bgp neighbor 10.0.0.9", "--device", "r1", "--yes"]
    )
    assert res.exit_code == 0, res.stdout + res.stderr
    assert f"neighbor 10.0.0.9 password {secret}" in r.running_config()
    assert "${LAB_PEER_MD5}" in res.stdout + res.stderr and secret not in res.stdout + res.stderr
    res = runner.invoke(
        cli.app,
        ["apply", "remove the bgp password from neighbor 10.0.0.9", "--device", "r1", "--yes", "--format", "json"],
    )
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "password" not in r.running_config() and "neighbor 10.0.0.9 remote-as 65009" in r.running_config()
    assert secret not in res.stdout + res.stderr  # the rollback held it: redacted
    backups = list((env / "backups").glob("r1-*.cfg"))  # a backup is the device's whole config, a private file
    assert len(backups) == 2 and all(b.stat().st_mode & 0o077 == 0 for b in backups)


def test_rejected_line_rolls_back_to_the_backup(lab, env, monkeypatch, fake):
    r = lab.routers[1]
    r.vtysh("configure terminal", "router bgp 65001", "exit")
    before = r.running_config()
    # netcfg itself refuses a change in another AS than the running config's; here the device is to refuse it
    monkeypatch.setattr(generate, "_check_local_as", lambda *args: None)
    use_model_answers(
        monkeypatch,
        fake,
        [
            {"kind": "static_route", "op": "add", "prefix": "10.88.0.0/16", "next_hop": "10.0.0.9"},
            {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.0.0.9", "remote_as": 65009, "asn": 65002},
        ],
    )
    res = runner.invoke(
        cli.app,
        ["apply", "route 10.88.0.0/16 via 10.0.0.9 and in bgp 65002 peer 10.0.0.9 as 65009", "--device", "r2", "--yes"],
    )
    assert res.exit_code == 1
    assert "rolled_back" in res.stderr and "restored" in res.stderr
    assert "the device rejected 'router bgp 65002'" in res.stderr  # the line the router refused is named
    assert r.running_config() == before  # byte for byte


def test_killed_session_is_reported_and_restore_brings_the_backup_back(lab, env, monkeypatch, fake):
    from netcfg import device

    r = lab.routers[0]
    before = r.running_config()
    changes = [
        {"kind": "static_route", "op": "add", "prefix": f"10.{n}.0.0/16", "next_hop": "10.0.0.5"}
        for n in (91, 92, 93, 94)
    ]
    use_model_answers(monkeypatch, fake, changes)
    real_push = device.NetmikoSession.push

    def push_then_die(self, lines):
        real_push(self, lines[:2])
        lab.kill_sessions(r)
        return real_push(self, lines[2:])

    monkeypatch.setattr(device.NetmikoSession, "push", push_then_die)
    res = runner.invoke(
        cli.app,
        [
            "apply",
            "routes 10.91.0.0/16 10.92.0.0/16 10.93.0.0/16 10.94.0.0/16 via 10.0.0.5",
            "--device",
            "r1",
            "--yes",
            "--no-rollback",
        ],
    )
    assert res.exit_code == 1 and "push failed" in res.stderr and "no rollback" in res.stderr
    monkeypatch.setattr(device.NetmikoSession, "push", real_push)
    partial = r.running_config()
    assert "10.91.0.0/16" in partial and "10.94.0.0/16" not in partial

    use_model_answers(monkeypatch, fake, changes)
    replan = runner.invoke(
        cli.app,
        [
            "plan",
            "routes 10.91.0.0/16 10.92.0.0/16 10.93.0.0/16 10.94.0.0/16 via 10.0.0.5",
            "--device",
            "r1",
            "--format",
            "json",
        ],
    )
    remaining = json.loads(replan.stdout)["remediation"]
    assert "10.94.0.0/16" in remaining and "10.91.0.0/16" not in remaining

    backup = sorted((env / "backups").glob("r1-*.cfg"))[-1]
    res = runner.invoke(cli.app, ["restore", str(backup), "--device", "r1", "--yes"])
    assert res.exit_code == 0, res.stderr
    assert r.running_config() == before  # byte for byte


@pytest.mark.parametrize(
    "device,message", [("badpw", "authentication failed"), ("closed", "unreachable"), ("nosuch", "unknown device")]
)
def test_connection_problems_are_one_line_errors(env, device, message):
    res = runner.invoke(cli.app, ["backup", "--device", device])
    assert res.exit_code == 1
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "not-the-password" not in res.stderr and "Traceback" not in res.stderr


def test_apply_without_yes_and_without_terminal_refuses(lab, env, monkeypatch, fake):
    use_model_answers(
        monkeypatch, fake, [{"kind": "static_route", "op": "add", "prefix": "10.66.0.0/16", "next_hop": "10.0.0.6"}]
    )
    res = runner.invoke(cli.app, ["apply", "route 10.66.0.0/16 via 10.0.0.6", "--device", "r2"])
    assert res.exit_code == 1 and "pass --yes" in res.stderr
    assert "10.66.0.0" not in lab.routers[1].running_config()


def test_backup_writes_the_running_config(lab, env):
    res = runner.invoke(cli.app, ["backup", "--device", "r2"])
    assert res.exit_code == 0
    path = Path(res.stdout.strip())
    assert path.name.startswith("r2-") and "interface lo" in path.read_text()
