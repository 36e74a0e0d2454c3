"""Ctrl-C during a push (issue 11 item 6) and the re-check after the confirmation (item 14).

The proof for Ctrl-C is a real FRR router over SSH: SIGINT arrives inside Netmiko's I/O in the middle of a
push, and the router must end up byte for byte as before, with the backup named. Fake sessions only drive
the logic around it (the CLI's exit code and one line, a second Ctrl-C, the Junos/EOS lifecycle, batch,
and the re-read after the confirmation).
"""

import json
import signal
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from frrlab import FrrLab  # noqa: E402

from netcfg import apply, batch, cli, device, vendors, workflow  # noqa: E402
from netcfg.inventory import Host, Inventory  # noqa: E402
from netcfg.plan import plan_to_target  # noqa: E402

runner = CliRunner()
FRR = vendors.get("frr")
RUNNING = "frr defaults traditional\nhostname r1\n!\ninterface lo\n description netcfg-lab\nexit\n!\nend\n"
ROUTE = {"kind": "static_route", "op": "add", "prefix": "10.70.0.0/16", "next_hop": "10.0.0.7"}
no_lab = FrrLab.unavailable()


def ctrl_c() -> None:
    """SIGINT to the main thread, as a terminal's Ctrl-C arrives (os.kill from a worker would wake the worker)."""
    signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)


# --- item 6 on a real FRR router: SIGINT inside Netmiko's I/O, mid-push -----------------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if no_lab is not None:
        pytest.skip(f"no FRR lab: {no_lab}")
    FrrLab.cleanup_stale()
    lab = FrrLab(1, tmp_path_factory.mktemp("interruptlab"))
    yield lab
    assert lab.stop() == []


@pytest.mark.frr
@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_mid_push_on_a_real_router_rolls_back_and_names_the_backup(lab, tmp_path, presses):
    r = lab.routers[0]
    host = Host(r.name, r.host, "frr", r.port, r.username, r.password)
    before = r.running_config()
    session = device.connect(host, FRR)
    running = session.running_config()
    routes = "".join(f"ip route 10.{n}.0.0/16 10.0.0.9\n" for n in range(100, 140))
    plan = plan_to_target(running, running.replace("\nend", "\n" + routes + "end"), FRR, "40 routes", r.name)
    assert len(plan.remediation.splitlines()) == 40

    sent, write = [], session.conn.write_channel

    def write_then_ctrl_c(data):  # Ctrl-C while Netmiko is typing the 5th route (and the 6th, for presses=2)
        write(data)
        if "ip route" in data:
            sent.append(data)
            if 5 <= len(sent) < 5 + presses:
                ctrl_c()

    session.conn.write_channel = write_then_ctrl_c
    handler = signal.getsignal(signal.SIGINT)
    if presses == 1:
        report = apply.execute(plan, host, FRR, running, session=session, backups=tmp_path)
        assert report.status == "rolled_back" and report.rolled_back and report.interrupted, report.message
        assert report.message.startswith("interrupted (Ctrl-C) during the push")
        assert "restored to the backup" in report.message and f"backup at {report.backup}" in report.message
        # the push in flight was never cut (Netmiko typed all 40 lines), then the rollback undid each one
        assert [x.startswith("no ") for x in sent] == [False] * 40 + [True] * 40
    else:  # a second Ctrl-C stops at once, in the middle of the push, and still names the backup
        with pytest.raises(KeyboardInterrupt, match=r"interrupted again.*backup at .*\.cfg") as e:
            apply.execute(plan, host, FRR, running, session=session, backups=tmp_path)
        assert 6 <= len(sent) < 40
        undo = apply.diff_to(r.running_config(), before, FRR)
        assert "no ip route 10.100.0.0/16" in undo  # left partly changed: put it back for the next test
        r.vtysh("configure terminal", *apply.config_lines(undo, FRR))
        assert str(e.value).endswith(str(next(tmp_path.glob("*.cfg"))))
    assert signal.getsignal(signal.SIGINT) is handler  # the handler is only there around the push
    assert [p.read_text() for p in tmp_path.glob("*.cfg")] == [running]
    assert r.running_config() == before  # byte for byte


# --- the same logic with a fake session: the CLI's exit code and line, and batch -------------------------


class FakeFrr:
    """A session to an FRR-like device: top-level `ip route` lines only; `on_push(line)` runs per line typed."""

    def __init__(self, config: str = RUNNING, on_push=None):
        self.config, self.on_push = config, on_push or (lambda line: None)
        self.pushed: list[str] = []
        self.reads = 0
        self.closed = False

    def running_config(self) -> str:
        self.reads += 1
        return self.config

    def push(self, lines):
        for line in lines:
            self.pushed.append(line)
            self.on_push(line)
            lines_now = self.config.splitlines()
            if line.startswith("no "):
                lines_now.remove(line[3:])
            else:
                lines_now.insert(lines_now.index("end"), line)
            self.config = "\n".join(lines_now) + "\n"
        return ""

    def save(self) -> str:
        return "[OK]"

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def one_device(tmp_path, monkeypatch, fake):
    """`netcfg apply ... --device r1` against a FakeFrr session, the model answering ROUTE."""
    (tmp_path / "hosts.yaml").write_text(json.dumps({"r1": {"hostname": "192.0.2.1", "platform": "frr"}}))
    monkeypatch.setenv("NETCFG_INVENTORY", str(tmp_path))
    monkeypatch.setenv("NETCFG_BACKUP_DIR", str(tmp_path / "backups"))
    backend = fake([ROUTE])
    monkeypatch.setattr(workflow, "get_backend", lambda m=None: backend)

    def use(session):
        def open_device(name, inventory, timeout):
            host, vendor = workflow.load_device(name, inventory)
            return host, vendor, session, session.running_config()

        monkeypatch.setattr(workflow, "open_device", open_device)
        return session

    return use


def backups(tmp_path) -> list[str]:
    return [p.read_text() for p in sorted((tmp_path / "backups").glob("r1-*.cfg"))]


@pytest.mark.parametrize("presses", [1, 2])
def test_cli_ctrl_c_during_a_push_exits_130_with_one_line_naming_the_backup(one_device, tmp_path, presses):
    def press(line):
        if line.startswith("ip route"):
            for _ in range(presses):
                ctrl_c()

    dev = one_device(FakeFrr(on_push=press))
    res = runner.invoke(cli.app, ["apply", "route 10.70.0.0/16 via 10.0.0.7", "--device", "r1", "--yes"])
    assert res.exit_code == 130, res.stderr
    [line] = res.stderr.strip().splitlines()
    [backup] = sorted((tmp_path / "backups").glob("r1-*.cfg"))
    assert line.startswith("interrupted: ") and line.endswith(f"backup at {backup}")
    if presses == 1:
        assert "r1: rolled_back: interrupted (Ctrl-C) during the push" in line
        assert dev.config == RUNNING and dev.pushed == [
            "ip route 10.70.0.0/16 10.0.0.7",
            "no ip route 10.70.0.0/16 10.0.0.7",
        ]
    else:
        assert "interrupted again, stopped at once" in line and dev.pushed == ["ip route 10.70.0.0/16 10.0.0.7"]
    assert dev.closed and backup.read_text() == RUNNING


def test_ctrl_c_during_the_save_lets_it_finish(tmp_path):
    class SaveSlowly(FakeFrr):
        def save(self):
            ctrl_c()
            return super().save()

    host = Host("r1", "192.0.2.1", "frr")
    plan = plan_to_target(RUNNING, RUNNING.replace("end\n", "ip route 10.70.0.0/16 10.0.0.7\nend\n"), FRR, "x", "r1")
    dev = SaveSlowly()
    report = apply.execute(plan, host, FRR, RUNNING, session=dev, backups=tmp_path)
    assert report.status == "applied" and report.interrupted
    assert "Ctrl-C came during the save, which was finished" in report.message
    assert "ip route 10.70.0.0/16 10.0.0.7" in dev.config


def test_batch_lets_the_push_in_flight_finish_and_starts_no_other_device(tmp_path, monkeypatch, fake):
    """In batch the pushes run in worker threads: Ctrl-C reaches the main thread, which stops starting
    devices and waits; apply's handler is not installed there, so the push in flight finishes."""
    hosts = {"r1": {"hostname": "192.0.2.1", "platform": "frr"}, "r2": {"hostname": "192.0.2.2", "platform": "frr"}}
    (tmp_path / "hosts.yaml").write_text(json.dumps(hosts))
    pushed_in, stop = [], threading.Event()

    def press(line):  # Ctrl-C, then go on pushing only once the main thread has seen it
        pushed_in.append(threading.current_thread() is threading.main_thread())
        ctrl_c()
        assert stop.wait(10)

    sessions = {"192.0.2.1": FakeFrr(on_push=press), "192.0.2.2": FakeFrr()}
    monkeypatch.setattr(device, "connect", lambda host, vendor, timeout=20.0: sessions[host.hostname])
    parser = batch.CachedParser(fake([ROUTE]))
    results = batch.run_batch(
        {"r1": ["route 10.70.0.0/16 via 10.0.0.7"], "r2": ["route 10.70.0.0/16 via 10.0.0.7"]},
        Inventory(tmp_path),
        parser,
        apply=True,
        workers=1,
        inventory_dir=tmp_path,
        backups=tmp_path / "backups",
        stop=stop,
    )
    by = {r.device: r for r in results}
    assert pushed_in == [False]
    assert by["r1"].status == "applied", by["r1"].reason
    assert "ip route 10.70.0.0/16 10.0.0.7" in sessions["192.0.2.1"].config
    assert by["r2"].status == "skipped" and sessions["192.0.2.2"].pushed == []


# --- the candidate lifecycle (Junos, EOS): Ctrl-C discards the candidate or reverts the commit ------------


@pytest.mark.parametrize(
    "vendor_name, when", [("juniper_junos", "set vlans GUESTS vlan-id 30"), ("arista_eos", "commit timer 00:05:00")]
)
def test_ctrl_c_in_the_candidate_lifecycle_undoes_the_change(monkeypatch, tmp_path, vendor_name, when):
    import netmiko
    from test_lifecycle import EOS_RUNNING, JUNOS_RUNNING, FakeConn, FakeDevice

    vendor = vendors.get(vendor_name)
    running, extra = (
        (JUNOS_RUNNING, "set vlans GUESTS vlan-id 30\n")
        if vendor_name == "juniper_junos"
        else (EOS_RUNNING, "ntp server 10.0.0.123\n")
    )

    class Pressed(FakeDevice):
        def run(self, conn, cmd):
            out = super().run(conn, cmd)
            if cmd == when:
                ctrl_c()
            return out

    class PressedConn(FakeConn):
        def send_config_set(self, lines, **kw):
            out = super().send_config_set(lines, **kw)
            if when in lines:
                ctrl_c()
            return out

    dev = Pressed(vendor, running)
    monkeypatch.setattr(netmiko, "ConnectHandler", lambda **p: PressedConn(dev, **p))
    monkeypatch.setattr(apply, "_change_id", lambda: "netcfg-test")
    host = Host("sw1", "192.0.2.10", vendor_name, 22, "admin", "s3cret")
    plan = plan_to_target(running, running + extra, vendor, "test", "sw1")
    report = apply.execute(
        plan, host, vendor, running, backups=tmp_path, session_factory=lambda: device.connect(host, vendor)
    )
    assert report.status == "rolled_back" and report.interrupted, report.message
    assert dev.committed == running.splitlines()
    if vendor_name == "juniper_junos":  # Ctrl-C while loading: the candidate is discarded, never committed
        assert report.message.startswith("interrupted (Ctrl-C) during the load; the candidate was discarded")
        assert "rollback 0" in dev.transcript and not any(c.startswith("commit") for c in dev.transcript)
    else:  # Ctrl-C during the timed commit: it is reverted at once, not left to the timer
        assert report.message.startswith("interrupted (Ctrl-C) during the commit; the commit was reverted")
        assert "configure session netcfg-test abort" in dev.transcript
        assert "configure session netcfg-test commit" not in dev.transcript


# --- item 14: the running config is read again after the confirmation -------------------------------------

OTHER_ADMIN = "ip route 10.5.0.0/16 10.0.0.5"


def confirm_while_another_admin_types(monkeypatch, dev, lines: list[str]) -> list[str]:
    """cli._confirm that answers yes; on its first call someone else adds `lines` to the device."""
    asked: list[str] = []

    def confirm(yes, question):
        asked.append(question)
        if len(asked) == 1 and lines:
            dev.config = dev.config.replace("end\n", "".join(f"{ln}\n" for ln in lines) + "end\n")

    monkeypatch.setattr(cli, "_confirm", confirm)
    return asked


def test_unchanged_config_is_pushed_after_one_question(one_device, monkeypatch, tmp_path):
    dev = one_device(FakeFrr())
    asked = confirm_while_another_admin_types(monkeypatch, dev, [])
    res = runner.invoke(cli.app, ["apply", "route 10.70.0.0/16 via 10.0.0.7", "--device", "r1"])
    assert res.exit_code == 0, res.stderr
    assert len(asked) == 1 and dev.pushed == ["ip route 10.70.0.0/16 10.0.0.7"]
    assert backups(tmp_path) == [RUNNING]


def test_config_changed_at_the_prompt_shows_the_new_plan_and_asks_again(one_device, monkeypatch, tmp_path):
    dev = one_device(FakeFrr())
    asked = confirm_while_another_admin_types(monkeypatch, dev, [OTHER_ADMIN])
    res = runner.invoke(cli.app, ["apply", "route 10.70.0.0/16 via 10.0.0.7", "--device", "r1"])
    assert res.exit_code == 0, res.stderr
    assert len(asked) == 2 and "changed since the plan was made" in res.stderr
    assert res.stdout.count("# remediation") == 2
    changed = RUNNING.replace("end\n", f"{OTHER_ADMIN}\nend\n")
    assert backups(tmp_path) == [changed]  # the rollback target is the config read after the answer
    assert dev.pushed == ["ip route 10.70.0.0/16 10.0.0.7"] and OTHER_ADMIN in dev.config


def test_config_changed_at_the_prompt_to_what_was_asked_pushes_nothing(one_device, monkeypatch, tmp_path):
    dev = one_device(FakeFrr())
    asked = confirm_while_another_admin_types(monkeypatch, dev, ["ip route 10.70.0.0/16 10.0.0.7"])
    res = runner.invoke(cli.app, ["apply", "route 10.70.0.0/16 via 10.0.0.7", "--device", "r1"])
    assert res.exit_code == 0, res.stderr
    assert len(asked) == 1 and "No changes" in res.stdout
    assert dev.pushed == [] and backups(tmp_path) == []


def test_config_changed_with_yes_is_refused_in_one_line(one_device, monkeypatch, tmp_path):
    dev = one_device(FakeFrr())
    confirm_while_another_admin_types(monkeypatch, dev, [OTHER_ADMIN])
    res = runner.invoke(cli.app, ["apply", "route 10.70.0.0/16 via 10.0.0.7", "--device", "r1", "--yes"])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        "error: the running config of r1 changed during the run, after the plan was made: not pushing a plan "
        "made on a stale config (run again)"
    ]
    assert dev.pushed == [] and backups(tmp_path) == [] and dev.closed


def test_restore_rechecks_too(one_device, monkeypatch, tmp_path):
    dev = one_device(FakeFrr(RUNNING.replace("end\n", "ip route 10.70.0.0/16 10.0.0.7\nend\n")))
    target = tmp_path / "r1-old.cfg"
    target.write_text(RUNNING)
    confirm_while_another_admin_types(monkeypatch, dev, [OTHER_ADMIN])
    res = runner.invoke(cli.app, ["restore", str(target), "--device", "r1", "--yes"])
    assert res.exit_code == 1 and "changed during the run" in res.stderr and dev.pushed == []
