"""SSH host keys like OpenSSH's StrictHostKeyChecking=accept-new: netcfg learns a key into its own
known_hosts (0600) the first time and refuses a changed key with one line; strict and off modes.
The policy's logic with real paramiko keys, then the real thing against an FRR router's sshd."""

import socket
import subprocess
import sys
from pathlib import Path

import paramiko
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from frrlab import FrrLab  # noqa: E402

from netcfg import cli, device, workflow  # noqa: E402
from netcfg.errors import ConfigError  # noqa: E402

runner = CliRunner()


class Client:
    def __init__(self):
        self.keys = paramiko.HostKeys()

    def get_host_keys(self):
        return self.keys


def test_accept_new_learns_an_unknown_key_into_a_private_file(tmp_path):
    path = tmp_path / "known_hosts"
    path.touch(0o600)
    key = paramiko.ECDSAKey.generate()
    device.host_key_policy("accept-new", path, "sw1").missing_host_key(Client(), "[10.0.0.1]:2222", key)
    learned = paramiko.HostKeys(str(path)).lookup("[10.0.0.1]:2222")
    assert learned[key.get_name()] == key and path.stat().st_mode & 0o777 == 0o600


def test_a_key_learned_meanwhile_that_differs_is_refused(tmp_path):
    path = tmp_path / "known_hosts"
    old, new = paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()
    path.write_text(paramiko.hostkeys.HostKeyEntry(["sw1.example"], old).to_line())
    policy = device.host_key_policy("accept-new", path, "sw1 (sw1.example:22)")
    with pytest.raises(paramiko.BadHostKeyException):
        policy.missing_host_key(Client(), "sw1.example", new)
    assert "has CHANGED" in policy.problem and device.fingerprint(old) in policy.problem
    assert f"ssh-keygen -R 'sw1.example' -f {path}" in policy.problem and "\n" not in policy.problem
    assert paramiko.HostKeys(str(path)).lookup("sw1.example")[old.get_name()] == old  # the file keeps the old key


def test_strict_refuses_an_unknown_key_and_learns_nothing(tmp_path):
    path = tmp_path / "known_hosts"
    path.touch(0o600)
    policy = device.host_key_policy("strict", path, "sw1")
    with pytest.raises(paramiko.SSHException):
        policy.missing_host_key(Client(), "10.0.0.1", paramiko.ECDSAKey.generate())
    assert "unknown SSH host key" in policy.problem and path.read_text() == ""


def test_mode_comes_from_the_option_then_the_environment(monkeypatch):
    monkeypatch.delenv("NETCFG_HOST_KEYS", raising=False)
    device.set_host_key_mode(None)
    assert device.host_key_mode() == "accept-new"
    monkeypatch.setenv("NETCFG_HOST_KEYS", "strict")
    assert device.host_key_mode() == "strict"
    device.set_host_key_mode("off")
    assert device.host_key_mode() == "off"
    device.set_host_key_mode(None)
    monkeypatch.setenv("NETCFG_HOST_KEYS", "yes")
    with pytest.raises(ConfigError, match="NETCFG_HOST_KEYS"):
        device.host_key_mode()
    with pytest.raises(ConfigError, match="accept-new, strict, off"):
        device.set_host_key_mode("maybe")


@pytest.mark.parametrize("command", ["plan", "apply", "backup", "restore", "batch"])
def test_every_device_command_takes_host_keys_and_a_bad_value_is_one_line(command):
    assert "--host-keys" in runner.invoke(cli.app, [command, "--help"]).stdout
    res = runner.invoke(cli.app, [command, "--host-keys", "maybe"])
    assert res.exit_code == 1 and res.stderr.strip() == "error: --host-keys 'maybe': use one of accept-new, strict, off"


# ------------------------------------------------------------------------------------- real FRR

frr = pytest.mark.skipif(FrrLab.unavailable() is not None, reason=f"no FRR lab: {FrrLab.unavailable()}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    FrrLab.cleanup_stale()
    lab = FrrLab(1, tmp_path_factory.mktemp("hostkeylab"))
    yield lab
    assert lab.stop() == []


@pytest.fixture
def env(lab, lab_inventory, monkeypatch, tmp_path):
    lab_inventory(lab.routers, platform="frr")
    monkeypatch.setenv("NETCFG_KNOWN_HOSTS", str(tmp_path / "cache" / "known_hosts"))
    monkeypatch.delenv("NETCFG_HOST_KEYS", raising=False)
    return tmp_path / "cache" / "known_hosts"


def served_key(host: str, port: int):
    """The host key the sshd presents right now (a bare SSH handshake, no login)."""
    with socket.create_connection((host, port), timeout=10) as sock:
        t = paramiko.Transport(sock)
        try:
            t.start_client(timeout=10)
            return t.get_remote_server_key()
        finally:
            t.close()


@frr
@pytest.mark.frr
def test_changed_host_key_is_refused_and_the_router_is_untouched(lab, env, monkeypatch, fake):
    r = lab.routers[0]
    name = device.known_hosts_name(r.host, r.port)
    res = runner.invoke(cli.app, ["backup", "--device", "r1"])
    assert res.exit_code == 0, res.stderr
    learned = paramiko.HostKeys(str(env)).lookup(name)
    assert learned is not None and list(learned.values()) == [served_key(r.host, r.port)]
    assert env.stat().st_mode & 0o777 == 0o600 and env.parent.stat().st_mode & 0o077 == 0

    # The router is re-keyed for real: sshd loads its host key for each new connection.
    key = lab.base_dir / "ssh_host_ed25519_key"
    key.unlink()
    key.with_suffix(".pub").unlink()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rekeyed", "-f", str(key)], check=True)
    assert served_key(r.host, r.port) != learned["ssh-ed25519"]

    before = r.running_config()
    backend = fake([{"kind": "static_route", "op": "add", "prefix": "10.55.0.0/16", "next_hop": "10.0.0.5"}])
    monkeypatch.setattr(workflow, "get_backend", lambda m=None: backend)
    res = runner.invoke(cli.app, ["apply", "static route 10.55.0.0/16 via 10.0.0.5", "--device", "r1", "--yes"])
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    assert "host key has CHANGED" in lines[0] and str(env) in lines[0] and f"ssh-keygen -R '{name}'" in lines[0]
    assert r.running_config() == before
    assert paramiko.HostKeys(str(env)).lookup(name)["ssh-ed25519"] == learned["ssh-ed25519"]  # not overwritten

    # off skips the check; after the old key is removed, accept-new learns the new one.
    assert runner.invoke(cli.app, ["backup", "--device", "r1", "--host-keys", "off"]).exit_code == 0
    subprocess.run(["ssh-keygen", "-q", "-R", name, "-f", str(env)], check=True, capture_output=True)
    assert runner.invoke(cli.app, ["backup", "--device", "r1"]).exit_code == 0
    assert paramiko.HostKeys(str(env)).lookup(name)["ssh-ed25519"] == served_key(r.host, r.port)


@frr
@pytest.mark.frr
@pytest.mark.parametrize("how", ["option", "environment"])
def test_strict_refuses_an_unknown_router(lab, env, monkeypatch, how):
    args = ["backup", "--device", "r1"] + (["--host-keys", "strict"] if how == "option" else [])
    if how == "environment":
        monkeypatch.setenv("NETCFG_HOST_KEYS", "strict")
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1
    assert "unknown SSH host key" in res.stderr and "strict" in res.stderr
    assert env.read_text() == ""
