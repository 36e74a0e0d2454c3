"""Our code around Netmiko for vendors FRR cannot stand in for (enable mode, host key settings, timeouts,
config mode after an error), with a recording fake in place of netmiko.ConnectHandler. The Junos/EOS
candidate lifecycle is in test_lifecycle.py; the real transport is proven against FRR over SSH in
test_apply.py and test_hostkeys.py."""

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
        self.key_policy = None

    def _open(self):
        self.calls.append("open")

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
        self.calls.append(("cmd", cmd, kw))
        return "[OK]"

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


@pytest.mark.parametrize(
    "platform,device_type",
    [
        ("cisco_ios", "cisco_ios"),
        ("arista_eos", "arista_eos"),
        ("cisco_nxos", "cisco_nxos"),
        ("juniper_junos", "juniper_junos"),
    ],
)
def test_connect_uses_the_vendor_device_type(fake_netmiko, platform, device_type):
    device.connect(host(platform), vendors.get(platform))
    assert fake_netmiko[0].params["device_type"] == device_type
    assert fake_netmiko[0].params["password"] == "s3cret"


def test_ios_enters_enable_mode(fake_netmiko):
    device.connect(host("cisco_ios"), vendors.get("cisco_ios"))
    assert "enable" in fake_netmiko[0].calls


def test_connect_checks_host_keys_against_netcfgs_file_with_our_policy(fake_netmiko, tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_KNOWN_HOSTS", str(tmp_path / "kh" / "known_hosts"))
    device.connect(host("cisco_ios"), vendors.get("cisco_ios"))
    conn = fake_netmiko[0]
    assert conn.params["alt_host_keys"] is True and conn.params["alt_key_file"] == str(tmp_path / "kh" / "known_hosts")
    assert conn.params["auto_connect"] is False and conn.params["system_host_keys"] is False
    assert type(conn.key_policy).__name__ == "Policy" and conn.calls[0] == "open"
    assert (tmp_path / "kh" / "known_hosts").stat().st_mode & 0o777 == 0o600


def test_host_keys_off_loads_no_file(fake_netmiko, tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_KNOWN_HOSTS", str(tmp_path / "known_hosts"))
    monkeypatch.setenv("NETCFG_HOST_KEYS", "off")
    device.connect(host("cisco_ios"), vendors.get("cisco_ios"))
    assert fake_netmiko[0].params["alt_host_keys"] is False and fake_netmiko[0].key_policy is None
    assert not (tmp_path / "known_hosts").exists()


def test_timeout_covers_show_push_and_save(fake_netmiko):
    s = device.connect(host("cisco_ios"), vendors.get("cisco_ios"), timeout=7.5)
    s.running_config()
    s.push(["ntp server 10.0.0.1"])
    s.save()
    conn = fake_netmiko[0]
    assert conn.params["timeout"] == conn.params["conn_timeout"] == 7.5
    assert [c[2]["read_timeout"] for c in conn.calls if isinstance(c, tuple) and c[0] in ("cmd", "config")] == [7.5] * 3


def test_rejected_line_is_named_and_config_mode_is_left(fake_netmiko):
    s = device.connect(host("cisco_ios"), vendors.get("cisco_ios"))
    fake_netmiko[0].fail_on = "bogus"
    with pytest.raises(DeviceError) as e:
        s.push(["interface Gi0/1", " bogus command", "exit"])
    assert e.value.line == "bogus command" and "s3cret" not in str(e.value)
    assert fake_netmiko[0].calls[-1] == "exit_config_mode"


def test_save_uses_the_vendor_command(fake_netmiko):
    s = device.connect(host("cisco_nxos"), vendors.get("cisco_nxos"))
    s.save()
    assert ("cmd", "copy running-config startup-config") in [
        c[:2] for c in fake_netmiko[0].calls if isinstance(c, tuple)
    ]


def test_no_password_without_terminal_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("NETCFG_PASSWORD", raising=False)
    h = host("cisco_ios")
    h.password = None
    with pytest.raises(DeviceError, match="no password"):
        device.password_for(h)


def test_password_never_in_repr():
    assert "s3cret" not in repr(host("cisco_ios"))
