"""netcfg with Nornir: a Nornir config file as the inventory (any plugin, ${VAR} expanded by the
netcfg.expand_env transform function), and the netcfg_plan / netcfg_apply tasks, on real FRR routers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from nornir.core.inventory import Defaults, Group, Groups, Host, Hosts, Inventory
from nornir.core.plugins.inventory import InventoryPluginRegister
from typer.testing import CliRunner

from netcfg import cli, inventory, workflow
from netcfg.errors import ConfigError
from netcfg.nornir import NetcfgRunner, NornirInventory, expand_env, netcfg_apply, netcfg_plan

sys.path.insert(0, str(Path(__file__).parent))
from frrlab import module_lab  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _config(
    folder: Path, plugin: str = "SimpleInventory", transform: bool = True, runner: str = "threaded", **options
) -> Path:
    inv: dict = {"plugin": plugin}
    if plugin == "SimpleInventory":
        options = {"host_file": str(folder / "hosts.yaml"), "group_file": str(folder / "groups.yaml"), **options}
    if options:
        inv["options"] = options
    if transform:
        inv["transform_function"] = "netcfg.expand_env"
    path = folder / "config.yaml"
    path.write_text(json.dumps({"inventory": inv, "runner": {"plugin": runner, "options": {"num_workers": 4}}}))
    return path


def test_expand_env_takes_a_hosts_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("SW_ADDR", "192.0.2.7")
    monkeypatch.setenv("SW_PW", "s3cret-pw")
    h = Host("sw1", hostname="${SW_ADDR}", username="admin", password="${SW_PW}", data={"site": "${SW_ADDR}"})
    expand_env(h)
    assert (h.hostname, h.password, h.data) == ("192.0.2.7", "s3cret-pw", {"site": "192.0.2.7"})
    with pytest.raises(ConfigError, match="environment variable NOT_SET is not set \\(needed by device sw2\\)"):
        expand_env(Host("sw2", password="${NOT_SET}"))


def test_a_nornir_config_file_is_an_inventory(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCESS_PW", "pw-123")
    (tmp_path / "hosts.yaml").write_text(
        "sw1: {hostname: 192.0.2.1, groups: [access], password: '${ACCESS_PW}'}\n"
        "sw2: {hostname: 192.0.2.2, platform: arista_eos}\n"
    )
    (tmp_path / "groups.yaml").write_text("access: {platform: cisco_ios, data: {site: hq}}\n")
    config = _config(tmp_path)
    inv = inventory.load(config)
    assert isinstance(inv, NornirInventory) and inv.names() == ["sw1", "sw2"]
    sw1 = inv.host("sw1")
    assert (sw1.platform, sw1.password, sw1.data, sw1.groups) == ("cisco_ios", "pw-123", {"site": "hq"}, ["access"])
    assert [h.name for h in inv.select(group="access")] == ["sw1"]
    assert [h.name for h in inv.select(where={"platform": "arista_eos"})] == ["sw2"]
    assert workflow.load_device("sw2", config)[1].name == "arista_eos"
    with pytest.raises(ConfigError, match="unknown device 'sw9'"):
        inv.host("sw9")
    assert not isinstance(inventory.load(tmp_path / "hosts.yaml"), NornirInventory)  # a hosts.yaml stays one


def test_without_the_transform_function_an_unexpanded_password_is_refused(tmp_path):
    (tmp_path / "hosts.yaml").write_text("sw1: {platform: cisco_ios, password: '${ACCESS_PW}'}\n")
    (tmp_path / "groups.yaml").write_text("{}\n")
    inv = inventory.load(_config(tmp_path, transform=False))
    with pytest.raises(ConfigError, match=r"password \$\{ACCESS_PW\} was not expanded.*netcfg.expand_env"):
        inv.host("sw1")


def test_a_broken_nornir_config_is_one_line(tmp_path):
    r = runner.invoke(cli.app, ["plan", "create vlan 30", "--device", "sw1", "-i", str(_config(tmp_path, "NoSuch"))])
    assert r.exit_code == 1 and r.stderr.startswith("error: Nornir config") and r.stderr.count("\n") == 1


def test_netcfgs_runner_stops_starting_hosts_once_stopped_and_reports_those_that_ran(tmp_path):
    from nornir import InitNornir

    (tmp_path / "hosts.yaml").write_text("".join(f"sw{i}: {{platform: cisco_ios}}\n" for i in range(5)))
    (tmp_path / "groups.yaml").write_text("{}\n")
    nr = InitNornir(config_file=str(_config(tmp_path, runner="netcfg")), logging={"enabled": False})
    assert isinstance(nr.runner, NetcfgRunner) and nr.runner.num_workers == 4  # the registered plugin
    started, seen = [], []
    stop = threading.Event()

    def task(task):
        started.append(task.host.name)
        stop.set()  # as Ctrl-C does: the host under way finishes, no other starts
        return task.host.name.upper()

    runner_ = NetcfgRunner(1, stop=stop, on_done=lambda name, multi: seen.append((name, multi[0].result)))
    result = nr.with_runner(runner_).run(task=task)
    assert started == ["sw0"] and list(result) == ["sw0"] and seen == [("sw0", "SW0")]


@pytest.mark.parametrize("nornir_config", [False, True], ids=["simple-inventory-folder", "nornir-config"])
def test_batch_runs_each_device_through_the_nornir_task(tmp_path, monkeypatch, fake, nornir_config):
    from fakes import use_fake_model

    from netcfg import nornir as netcfg_nornir

    ran = []

    def recorded(task, intents, **options):
        ran.append((task.host.name, intents[task.host.name]))
        return netcfg_plan(task, intents, **options)

    monkeypatch.setattr(netcfg_nornir, "netcfg_plan", recorded)
    (tmp_path / "sw.cfg").write_text("interface GigabitEthernet0/1\n switchport access vlan 10\n")
    (tmp_path / "hosts.yaml").write_text("sw1: {groups: [access]}\nsw2: {groups: [access]}\ncore: {platform: frr}\n")
    (tmp_path / "groups.yaml").write_text("access: {platform: cisco_ios, data: {running_file: sw.cfg}}\n")
    use_fake_model(monkeypatch, tmp_path, fake([{"kind": "vlan", "op": "add", "vlan": 30}])).path = Path("f.gguf")
    (tmp_path / "jobs.yaml").write_text("- {intent: 'create vlan 30', group: access}\n")
    report = tmp_path / "r.json"
    inv = _config(tmp_path) if nornir_config else tmp_path
    res = runner.invoke(cli.app, ["batch", str(tmp_path / "jobs.yaml"), "-i", str(inv), "--report", str(report)])
    assert res.exit_code == 0, res.stderr
    devices = {d["device"]: d["status"] for d in json.loads(report.read_text())["devices"]}
    assert devices == {"sw1": "planned", "sw2": "planned"}
    assert sorted(ran) == [("sw1", ["create vlan 30"]), ("sw2", ["create vlan 30"])]


# --- real routers -----------------------------------------------------------------------------------


class LabInventory:
    """A custom inventory plugin, as a team would write for its source of truth: the lab's routers."""

    routers: list = []

    def load(self) -> Inventory:
        hosts = Hosts()
        lab = Group("lab", platform="frr")
        for i, r in enumerate(self.routers, 1):
            hosts[f"r{i}"] = Host(
                f"r{i}",
                hostname=r.host,
                port=r.port,
                username=r.username,
                password=f"${{LAB_PW_{i}}}",
                groups=[lab],
                data={"role": "edge" if i == 1 else "core"},
            )
        return Inventory(hosts=hosts, groups=Groups(lab=lab), defaults=Defaults())


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with module_lab(tmp_path_factory, 2, "nornirlab") as lab:
        yield lab


@pytest.fixture
def lab_config(lab, tmp_path, monkeypatch):
    """A Nornir config file selecting the LabInventory plugin (registered here), passwords as ${LAB_PW_i}."""
    for i, r in enumerate(lab.routers, 1):
        monkeypatch.setenv(f"LAB_PW_{i}", r.password)
        r.vtysh("configure terminal", "no ip route 10.91.0.0/16 10.0.0.1", "no ip route 10.92.0.0/16 10.0.0.1")
    LabInventory.routers = lab.routers
    InventoryPluginRegister.register("LabInventory", LabInventory)
    monkeypatch.setenv("NETCFG_BACKUP_DIR", str(tmp_path / "backups"))
    return _config(tmp_path, "LabInventory", runner="netcfg")


@pytest.mark.frr
def test_netcfg_commands_take_a_custom_inventory_plugin_from_a_nornir_config(lab, lab_config, monkeypatch, fake):
    backend = fake([{"kind": "static_route", "op": "add", "prefix": "10.91.0.0/16", "next_hop": "10.0.0.1"}])
    monkeypatch.setattr(workflow, "get_backend", lambda m=None: backend)
    r = runner.invoke(cli.app, ["plan", "static route 10.91.0.0/16 via 10.0.0.1", "-d", "r2", "-i", str(lab_config)])
    assert r.exit_code == 0, r.stderr
    assert "ip route 10.91.0.0/16 10.0.0.1" in r.stdout and lab.routers[1].password not in r.stdout + r.stderr


@pytest.mark.frr
def test_the_nornir_tasks_plan_and_apply_on_real_routers(lab, lab_config, monkeypatch, fake, tmp_path):
    from nornir import InitNornir

    from netcfg import nornir as netcfg_nornir

    change = [{"kind": "static_route", "op": "add", "prefix": "10.92.0.0/16", "next_hop": "10.0.0.1"}]
    monkeypatch.setattr(netcfg_nornir, "_PARSERS", {})
    from fakes import use_fake_model

    use_fake_model(monkeypatch, tmp_path, fake(change)).path = Path("fake.gguf")
    nr = InitNornir(config_file=str(lab_config), logging={"enabled": False})
    intent = "static route 10.92.0.0/16 via 10.0.0.1"
    planned = nr.run(task=netcfg_plan, intents=[intent])
    assert not planned.failed and all(planned[h][0].changed for h in ("r1", "r2"))
    assert planned["r1"][0].diff == "ip route 10.92.0.0/16 10.0.0.1\n"
    assert all("10.92.0.0" not in r.running_config() for r in lab.routers)  # a plan changes nothing
    applied = nr.filter(role="edge").run(task=netcfg_apply, intents=[intent])
    assert list(applied) == ["r1"] and applied["r1"][0].changed and not applied.failed
    assert "ip route 10.92.0.0/16 10.0.0.1" in lab.routers[0].running_config()
    assert applied["r1"][0].result["status"] == "applied" and applied["r1"][0].result["backup"]
    again = nr.run(task=netcfg_plan, intents=[intent])
    assert not again["r1"][0].changed and again["r2"][0].changed  # r1 has it now
    own = nr.run(task=netcfg_plan, intents={"r2": [intent]})  # each host its own intents (r1 none)
    assert own["r1"][0].result["status"] == "unchanged" and own["r2"][0].diff == planned["r2"][0].diff
    # a host that cannot be reached fails alone, with its reason; the others are planned
    monkeypatch.setenv("LAB_PW_2", "not-the-password")
    nr = InitNornir(config_file=str(lab_config), logging={"enabled": False})
    mixed = nr.run(task=netcfg_plan, intents=[intent])
    assert set(mixed.failed_hosts) == {"r2"} and "r2" in mixed["r2"][0].result["reason"]
    assert "not-the-password" not in json.dumps(mixed["r2"][0].result)
    assert not mixed["r1"][0].failed


def _readme_script() -> str:
    text = (ROOT / "README.md").read_text()
    m = re.search(r"<!-- nornir-script -->\s*```python\n(.*?)```", text, re.S)
    assert m, "the README's Nornir script is marked <!-- nornir-script -->"
    return m.group(1)


def test_the_readme_nornir_script_is_about_ten_lines():
    lines = [ln for ln in _readme_script().splitlines() if ln.strip()]
    assert 6 <= len(lines) <= 12


@pytest.mark.frr
@pytest.mark.model
def test_the_readme_nornir_script_works_as_written(lab, lab_inventory, tmp_path):
    """The script from the README, run as it stands in a folder with a SimpleInventory of the lab routers and
    the README's config.yaml, with the real model."""
    folder = lab_inventory(lab.routers, platform="frr")
    for r in lab.routers:
        r.vtysh("configure terminal", "no ip route 10.99.0.0/16 10.0.0.1")
    text = (ROOT / "README.md").read_text()
    config = re.search(r"<!-- nornir-config -->\s*```yaml\n(.*?)```", text, re.S)
    assert config
    (tmp_path / "config.yaml").write_text(config.group(1))
    (tmp_path / "script.py").write_text(_readme_script())
    assert folder == tmp_path / "inventory"
    env = dict(os.environ, NETCFG_LARGE="0")
    out = subprocess.run(
        [sys.executable, "script.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "r1: would change" in out.stdout and "ip route 10.99.0.0/16 10.0.0.1" in out.stdout
    assert "failed: []" in out.stdout
    assert all("ip route 10.99.0.0/16 10.0.0.1" in r.running_config() for r in lab.routers)
