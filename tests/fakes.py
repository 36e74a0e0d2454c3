"""Fakes shared by the logic tests: a Netmiko connection to a scripted fake device, and a fake model.

Plain helpers (no fixtures): each test file keeps its own fixtures and calls these."""

from netmiko.exceptions import ConfigInvalidException

from netcfg import apply, cache, device, model, workflow
from netcfg.inventory import Host
from netcfg.plan import plan_to_target


class FakeConnection:
    """One SSH connection to a fake device, with the Netmiko surface NetmikoSession uses.

    The device holds the state and the answers: `transcript` (every command and config line typed, plus
    "<connect>" / "<disconnect>"), `reachable`, `reject` (a config line it refuses, or None),
    `run(conn, cmd)` (a command's output) and `type_line(line)` (one accepted config line). Subclasses add
    the vendor's config mode (`config_mode`, `send_config_set`, ...) and may override `matched_error`."""

    matched_error = "% Invalid"

    def __init__(self, dev, **params):
        self.dev, self.params, self.in_config, self.key_policy = dev, params, False, None

    def _open(self):
        if not self.dev.reachable:
            raise OSError("connection refused")
        self.dev.transcript.append("<connect>")

    def check_enable_mode(self):
        return True

    def check_config_mode(self):
        return self.in_config

    def type_lines(self, lines):
        """Type config lines one by one; the device's `reject` line raises as Netmiko's error_pattern does."""
        for ln in lines:
            self.dev.transcript.append(ln)
            if ln == self.dev.reject:
                raise ConfigInvalidException(
                    f"Invalid input detected at command: {ln}, matched error: {self.matched_error}"
                )
            self.dev.type_line(ln)

    def send_command(self, cmd, **kw):
        return self.dev.run(self, cmd)

    def is_alive(self):
        return self.dev.reachable

    def disconnect(self):
        self.dev.transcript.append("<disconnect>")


def use_fake_devices(monkeypatch, tmp_path, conn_class):
    """From now on netmiko.ConnectHandler opens a `conn_class` to the device last passed to the returned
    `use(dev)` (which returns dev); change ids are "netcfg-test"; host keys go to a file in tmp_path."""
    import netmiko

    def use(dev):
        monkeypatch.setattr(netmiko, "ConnectHandler", lambda **p: conn_class(dev, **p))
        return dev

    monkeypatch.setattr(apply, "_change_id", lambda: "netcfg-test")
    monkeypatch.setenv("NETCFG_KNOWN_HOSTS", str(tmp_path / "known_hosts"))
    return use


def fake_host(platform: str) -> Host:
    return Host(name="sw1", hostname="192.0.2.10", platform=platform, port=22, username="admin", password="s3cret")


def execute(vendor, running: str, extra: str, tmp_path, **options):
    """`netcfg apply` of `extra` (lines added to `running`) on sw1 through the real NetmikoSession."""
    host = fake_host(vendor.name)
    plan = plan_to_target(running, running + extra, vendor, "test", "sw1")
    return apply.execute(
        plan,
        host,
        vendor,
        running,
        backups=tmp_path / "backups",
        session_factory=lambda: device.connect(host, vendor),
        **options,
    )


def use_fake_model(monkeypatch, tmp_path, backend, model_id: str = "test-model"):
    """`backend` answers for netcfg's model everywhere (model and workflow), under `model_id`; the parse
    cache and the cache folder are private to the test."""
    monkeypatch.setattr(model, "get_backend", lambda m=None: backend)
    monkeypatch.setattr(workflow, "get_backend", lambda m=None: backend)
    monkeypatch.setattr(model, "model_id", lambda p: model_id)
    monkeypatch.setattr(cache, "default_path", lambda: tmp_path / "parse-cache.sqlite3")
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path / "cache"))
    return backend
