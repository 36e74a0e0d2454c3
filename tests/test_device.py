"""Our code around Netmiko for vendors FRR cannot stand in for (enable mode, commit confirmed, config
mode after an error), with a recording fake in place of netmiko.ConnectHandler. The real transport is
proven against FRR over SSH in test_apply.py."""

import pytest

from netcfg import device, vendors
from netcfg.errors import DeviceError
from netcfg.inventory import Host


class FakeConn:
    def __init__(self, **params):
        self.params = params
        self.calls = []
        self.enabled = False
        self.fail_on = None

    def check_enable_mode(self):
        return self.enabled

    def enable(self):
        self.calls.append("enable")
        self.enabled = True

    def send_config_set(self, lines, **kw):
        from netmiko.exceptions import ConfigInvalidException

        self.calls.append(("config", list(lines), kw))
        for ln in lines:
            if self.fail_on and self.fail_on in ln:
                raise ConfigInvalidException(f"Invalid input detected at command: {ln}, matched error: % Invalid input")
        return "ok"

    def send_command(self, cmd, **kw):
        self.calls.append(("cmd", cmd))
        return "[OK]"

    def send_command_timing(self, cmd, **kw):
        self.calls.append(("timing", cmd))
        return ""

    def commit(self, **kw):
        self.calls.append(("commit", kw))
        return "commit complete\n"

    def exit_config_mode(self):
        self.calls.append("exit_config_mode")

    def is_alive(self):
        return True

    def disconnect(self):
        self.calls.append("disconnect")


@pytest.fixture
def fake_netmiko(monkeypatch):
    made = []

    def handler(**params):
        made.append(FakeConn(**params))
        return made[-1]

    import netmiko
    monkeypatch.setattr(netmiko, "ConnectHandler", handler)
    return made


def host(platform):
    return Host(name="sw1", hostname="192.0.2.10", platform=platform, port=22, username="admin", password="s3cret")


@pytest.mark.parametrize("platform,device_type", [("cisco_ios", "cisco_ios"), ("arista_eos", "arista_eos"),
                                                  ("cisco_nxos", "cisco_nxos"), ("juniper_junos", "juniper_junos")])
def test_connect_uses_the_vendor_device_type(fake_netmiko, platform, device_type):
    device.connect(host(platform), vendors.get(platform))
    assert fake_netmiko[0].params["device_type"] == device_type
    assert fake_netmiko[0].params["password"] == "s3cret"


def test_ios_enters_enable_mode(fake_netmiko):
    device.connect(host("cisco_ios"), vendors.get("cisco_ios"))
    assert "enable" in fake_netmiko[0].calls


def test_junos_saves_with_commit_confirmed_then_commit(fake_netmiko):
    s = device.connect(host("juniper_junos"), vendors.get("juniper_junos"))
    s.push(["set system host-name sw1"])
    s.save()
    commits = [c[1] for c in fake_netmiko[0].calls if isinstance(c, tuple) and c[0] == "commit"]
    assert commits[0].get("confirm") is True and commits[0].get("confirm_delay") == 5
    assert commits[1] == {}
    config_call = next(c for c in fake_netmiko[0].calls if isinstance(c, tuple) and c[0] == "config")
    assert config_call[2]["exit_config_mode"] is False  # stay in configure mode until the commit


def test_rejected_line_is_named_and_config_mode_is_left(fake_netmiko):
    s = device.connect(host("cisco_ios"), vendors.get("cisco_ios"))
    fake_netmiko[0].fail_on = "bogus"
    with pytest.raises(DeviceError) as e:
        s.push(["interface Gi0/1", " bogus command", "exit"])
    assert e.value.line == "bogus command" and "s3cret" not in str(e.value)
    assert fake_netmiko[0].calls[-1] == "exit_config_mode"


def test_junos_rejected_line_discards_the_candidate(fake_netmiko):
    s = device.connect(host("juniper_junos"), vendors.get("juniper_junos"))
    fake_netmiko[0].fail_on = "bogus"
    with pytest.raises(DeviceError):
        s.push(["set bogus"])
    assert ("timing", "rollback 0") in fake_netmiko[0].calls


def test_save_uses_the_vendor_command(fake_netmiko):
    s = device.connect(host("cisco_nxos"), vendors.get("cisco_nxos"))
    s.save()
    assert ("cmd", "copy running-config startup-config") in fake_netmiko[0].calls


def test_no_password_without_terminal_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("NETCFG_PASSWORD", raising=False)
    h = host("cisco_ios")
    h.password = None
    with pytest.raises(DeviceError, match="no password"):
        device.password_for(h)


def test_password_never_in_repr():
    assert "s3cret" not in repr(host("cisco_ios"))
