"""Real FRR routers over real SSH (tests/frrlab.py), driven by Netmiko the way netcfg's apply will.

The findings these tests pin down are summarised at the top of tests/frrlab.py.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from frrlab import ETC_FRR, ETC_SHELLS, RUN_FRR, FrrLab, FrrLabError, _alive, _instance_pids, _uid_of

netmiko = pytest.importorskip("netmiko")
from netmiko.exceptions import (  # noqa: E402
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
)

REASON = FrrLab.unavailable()
pytestmark = [pytest.mark.frr, pytest.mark.skipif(REASON is not None, reason=str(REASON))]

# what FRR's vtysh prints for a line it rejects (checked below); not every rejection starts with %
ERRORS = r"% Unknown command|% Invalid|% Ambiguous|% Command incomplete"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    FrrLab.cleanup_stale()  # leftovers of a killed earlier run (never a running lab)
    t0 = time.monotonic()
    lab = FrrLab(2, tmp_path_factory.mktemp("frrlab"))
    lab.start_seconds = time.monotonic() - t0
    yield lab
    assert lab.stop() == []


@pytest.fixture(params=[0, 1], ids=["r1", "r2"])
def router(request, lab):
    return lab.routers[request.param]


@pytest.fixture
def conn(router):
    c = netmiko.ConnectHandler(**router.netmiko_params())
    yield c
    try:
        c.disconnect()
    except Exception:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_routers_are_distinct_and_start_fast(lab):
    assert len(lab.routers) == 2
    names = {r.name for r in lab.routers}
    assert len(names) == 2
    assert {r.username for r in lab.routers} == names
    assert len({r.password for r in lab.routers}) == 2
    assert all(r.host == "127.0.0.1" and r.port == lab.port for r in lab.routers)
    assert lab.start_seconds < 20, lab.timings
    for r in lab.routers:
        running = r.running_config()
        assert "interface lo" in running and "netcfg-lab" in running
        assert "ip route" not in running and "router bgp" not in running


def test_show_running_config_and_modes(router, conn):
    assert conn.find_prompt() == f"{router.name}#"
    assert conn.check_enable_mode()  # a vtysh login is privileged already
    conn.enable()  # no-op, does not raise
    assert not conn.check_config_mode()
    conn.config_mode()
    assert conn.check_config_mode() and conn.find_prompt() == f"{router.name}(config)#"
    conn.exit_config_mode()
    assert not conn.check_config_mode()
    out = conn.send_command("show running-config")
    assert out.startswith("Building configuration...") and out.rstrip().endswith("end")
    assert " description netcfg-lab" in out
    if router.netns:
        assert f"hostname {router.name}" in out


def test_config_push_shows_up_in_running_config(lab, router, conn):
    k = lab.routers.index(router)
    line = f"ip route 10.99.{k}.0/24 192.0.2.1"
    try:
        out = conn.send_config_set([line], error_pattern=ERRORS)
        assert "configure terminal" in out and not conn.check_config_mode()
        assert line in conn.send_command("show running-config").splitlines()
        assert line in router.running_config().splitlines()  # behind Netmiko's back too
        other = lab.routers[1 - k]
        assert line not in other.running_config()  # instances do not share config
    finally:
        conn.send_config_set([f"no {line}"], error_pattern=ERRORS)
    assert line not in conn.send_command("show running-config")


def test_bad_line_raises_and_earlier_lines_stay(lab, router, conn):
    k = lab.routers.index(router)
    before, after = f"ip route 10.98.{k}.0/24 192.0.2.1", f"ip route 10.97.{k}.0/24 192.0.2.1"
    try:
        with pytest.raises(ConfigInvalidException, match="% Unknown command"):
            conn.send_config_set([before, "ip routee 10.1.1.0/24 192.0.2.1", after], error_pattern=ERRORS)
        # Netmiko stops at the bad line and leaves the session in config mode, where a plain
        # `show` is itself an unknown command: leave config mode before reading back.
        assert conn.check_config_mode()
        assert "% Unknown command" in conn.send_command("show running-config")
        conn.exit_config_mode()
        running = conn.send_command("show running-config")
        assert before in running  # FRR applies each line at once: no commit, no rollback
        assert after not in running
        with pytest.raises(ConfigInvalidException, match="% Command incomplete"):
            conn.send_config_set(["ip route 10.96.0.0/24"], error_pattern=ERRORS)
        conn.exit_config_mode()
        with pytest.raises(ConfigInvalidException, match="% Unknown command"):
            conn.send_config_set(["ip route 300.1.1.0/24 192.0.2.1"], error_pattern=ERRORS)
        conn.exit_config_mode()
    finally:
        conn.send_config_set([f"no {before}"], error_pattern=ERRORS)


def test_some_rejections_have_no_percent(conn):
    try:
        conn.send_config_set(["router bgp 65001"], error_pattern=ERRORS)
        out = conn.send_config_set(["router bgp 65002"], error_pattern=ERRORS)  # no exception
        assert "BGP is already running; AS is 65001" in out
        running = conn.send_command("show running-config")
        assert "router bgp 65001" in running and "router bgp 65002" not in running
    finally:
        conn.send_config_set(["no router bgp 65001"], error_pattern=ERRORS)
    assert "router bgp" not in conn.send_command("show running-config")


def test_save_config_writes_frr_conf(lab, router, conn):
    k = lab.routers.index(router)
    line = f"ip route 10.95.{k}.0/24 192.0.2.1"
    saved = ETC_FRR / router.name / "frr.conf"
    try:
        conn.send_config_set([line], error_pattern=ERRORS)
        out = conn.save_config()  # CiscoIosBase: "write mem"
        assert "[OK]" in out and f"saved to {saved}" in out
        assert line in saved.read_text().splitlines()
        conn.send_config_set([f"no {line}"], error_pattern=ERRORS)
        out = conn.send_command("write memory")
        assert "[OK]" in out
        assert line not in saved.read_text()
    finally:
        conn.send_config_set([f"no {line}"], error_pattern=ERRORS)


def test_wrong_password_is_an_authentication_error(router):
    with pytest.raises(NetmikoAuthenticationException):
        netmiko.ConnectHandler(**router.netmiko_params(password=router.password + "x"))


def test_passwords_are_per_router(lab):
    # a router's password does not open another router's login
    r1, r2 = lab.routers
    with pytest.raises(NetmikoAuthenticationException):
        netmiko.ConnectHandler(**r1.netmiko_params(password=r2.password))


def test_closed_port_is_a_connection_error(router):
    t0 = time.monotonic()
    with pytest.raises(NetmikoTimeoutException, match="TCP connection to device failed"):
        netmiko.ConnectHandler(**router.netmiko_params(port=_free_port()))
    assert time.monotonic() - t0 < 10


def test_killed_session_raises_oserror_and_reconnect_works(lab, router, conn):
    other = lab.routers[1 - lab.routers.index(router)]
    bystander = netmiko.ConnectHandler(**other.netmiko_params())
    try:
        assert conn.is_alive()
        assert lab.kill_sessions(router) == 1
        time.sleep(0.2)
        with pytest.raises(OSError, match="Socket is closed"):
            conn.send_command("show running-config")
        with pytest.raises(OSError):
            conn.send_config_set(["ip route 10.94.0.0/24 192.0.2.1"], error_pattern=ERRORS)
        assert not conn.is_alive()
        # the other router's session is untouched and a new connection works at once
        assert "netcfg-lab" in bystander.send_command("show running-config")
        again = netmiko.ConnectHandler(**router.netmiko_params())
        assert again.find_prompt() == f"{router.name}#"
        again.disconnect()
    finally:
        bystander.disconnect()
    assert "10.94.0.0" not in router.running_config()


def _leftovers(name: str, sshd_pid: int | None) -> list[str]:
    found = []
    if _instance_pids(name):
        found.append(f"FRR processes {_instance_pids(name)}")
    if sshd_pid and _alive(sshd_pid):
        found.append(f"sshd {sshd_pid}")
    if _uid_of(name) is not None:
        found.append(f"user {name}")
    if name in ETC_SHELLS.read_text():
        found.append("/etc/shells entry")
    for p in (ETC_FRR / name, RUN_FRR / name, Path(f"/var/run/netns/{name}")):
        if p.exists():
            found.append(str(p))
    return found


def test_stop_removes_everything_and_is_idempotent(tmp_path):
    lab = FrrLab(1, tmp_path)
    r = lab.routers[0]
    sshd = lab.sshd_pid
    c = netmiko.ConnectHandler(**r.netmiko_params())  # an open session must not block cleanup
    assert c.find_prompt() == f"{r.name}#"
    assert _leftovers(r.name, sshd)  # sanity: the probe sees a running lab
    assert lab.stop() == []
    assert _leftovers(r.name, sshd) == []
    assert lab.stop() == []
    with FrrLab(1, tmp_path / "cm") as lab2:
        name = lab2.routers[0].name
        assert "netcfg-lab" in lab2.routers[0].running_config()
    assert _leftovers(name, None) == []


def test_failed_start_cleans_up(tmp_path, monkeypatch):
    lab = FrrLab(2, tmp_path, start=False)
    assert lab.stop() == []  # never started: nothing to do

    def broken_sshd():
        raise FrrLabError("simulated sshd failure")

    lab = FrrLab(2, tmp_path, start=False)
    monkeypatch.setattr(lab, "_start_sshd", broken_sshd)
    with pytest.raises(FrrLabError, match="simulated"):
        lab.start()
    assert lab.routers == []
    leftovers = [
        p
        for p in ETC_FRR.iterdir()
        if p.name.startswith("nc")
        and (p / "netcfg-frrlab.json").exists()
        and f'"base_dir": "{tmp_path}"' in (p / "netcfg-frrlab.json").read_text()
    ]
    assert leftovers == []


def test_shared_network_stack_fallback(tmp_path):
    """Without network namespaces (e.g. an unprivileged container) the lab still works."""
    with FrrLab(1, tmp_path, netns=False) as lab:
        assert not lab.isolated and lab.routers[0].netns is None
        c = netmiko.ConnectHandler(**lab.routers[0].netmiko_params())
        assert " description netcfg-lab" in c.send_command("show running-config")
        c.disconnect()
