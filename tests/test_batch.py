"""netcfg batch against a fleet of real FRR routers over SSH, plus the logic around it."""

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from frrlab import FrrLab, module_lab  # noqa: E402

from netcfg import batch, cache, cli, generate, model, vendors  # noqa: E402
from netcfg.apply import config_lines, diff_to  # noqa: E402
from netcfg.errors import ConfigError  # noqa: E402
from netcfg.inventory import Host, Inventory  # noqa: E402

runner = CliRunner()
FRR = vendors.get("frr")
frr_only = pytest.mark.skipif(FrrLab.unavailable() is not None, reason=f"no FRR lab: {FrrLab.unavailable()}")

ROUTE = {"kind": "static_route", "op": "add", "prefix": "10.55.0.0/16", "next_hop": "10.0.0.1"}
PEER = {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.0.0.9", "remote_as": 65009, "asn": 65002}
JOBS = """
jobs:
  - intents: ["static route 10.55.0.0/16 via 10.0.0.1", "in bgp 65002 peer with 10.0.0.9 as 65009"]
    group: fleet
"""


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "default_path", lambda: tmp_path / "parse-cache.sqlite3")
    return tmp_path / "parse-cache.sqlite3"


def use_backend(monkeypatch, backend):
    monkeypatch.setattr(model, "get_backend", lambda m=None: backend)
    monkeypatch.setattr(model, "model_id", lambda p: "test-model")
    backend.path = Path("fake.gguf")


# --- a fleet of real routers -----------------------------------------------------------------


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    with module_lab(tmp_path_factory, 5, "fleet") as lab:
        yield lab


@pytest.fixture
def fleet_env(fleet, tmp_path, monkeypatch, isolated_cache):
    hosts = {}
    for i, r in enumerate(fleet.routers, 1):
        monkeypatch.setenv(f"FLEET_PW_{i}", r.password)
        hosts[f"r{i}"] = {
            "hostname": r.host,
            "port": r.port,
            "username": r.username,
            "password": f"${{FLEET_PW_{i}}}",
            "groups": ["fleet"],
        }
    r1 = fleet.routers[0]
    hosts["r1-badpw"] = {
        "hostname": r1.host,
        "port": r1.port,
        "username": r1.username,
        "password": "wrong-password",
        "groups": ["fleet"],
    }
    (tmp_path / "hosts.yaml").write_text(json.dumps(hosts))
    (tmp_path / "groups.yaml").write_text("fleet:\n  platform: frr\n")
    (tmp_path / "jobs.yaml").write_text(JOBS)
    monkeypatch.setenv("NETCFG_BACKUP_DIR", str(tmp_path / "backups"))
    for r in fleet.routers:
        undo = diff_to(r.running_config(), "\n".join(r.initial_config), FRR)
        if undo.strip():
            r.vtysh("configure terminal", *config_lines(undo, FRR))
    fleet.routers[2].vtysh("configure terminal", "router bgp 65001", "exit")  # r3 will reject AS 65002
    # netcfg itself refuses a change in another AS than the running config's; here the device is to refuse it
    monkeypatch.setattr(generate, "_check_local_as", lambda *args: None)
    return tmp_path


@frr_only
@pytest.mark.frr
def test_batch_plan_then_apply_across_the_fleet(fleet, fleet_env, monkeypatch, fake):
    backend = fake([ROUTE], [PEER])
    use_backend(monkeypatch, backend)
    args = ["batch", str(fleet_env / "jobs.yaml"), "--inventory", str(fleet_env), "--workers", "4"]

    res = runner.invoke(cli.app, args + ["--report", str(fleet_env / "plan.json")])
    assert res.exit_code == 1  # the wrong password fails; nothing is pushed in plan mode
    plan = {d["device"]: d for d in json.loads((fleet_env / "plan.json").read_text())["devices"]}
    assert plan["r1-badpw"]["status"] == "failed" and "authentication failed" in plan["r1-badpw"]["reason"]
    assert all(plan[f"r{i}"]["status"] == "planned" for i in range(1, 6))
    assert "ip route 10.55.0.0/16 10.0.0.1" in plan["r1"]["remediation"]
    assert len(backend.prompts) == 2  # each distinct intent went to the model once for 6 devices
    assert all("10.55.0.0" not in r.running_config() for r in fleet.routers)

    res = runner.invoke(cli.app, args + ["--apply", "--yes", "--report", str(fleet_env / "apply.md")])
    assert res.exit_code == 1
    assert len(backend.prompts) == 2  # the second run came from the persistent cache
    md = (fleet_env / "apply.md").read_text()
    for i in (1, 2, 4, 5):
        assert f"| r{i} | frr | applied |" in md
        running = fleet.routers[i - 1].running_config()
        assert "ip route 10.55.0.0/16 10.0.0.1" in running and "neighbor 10.0.0.9 remote-as 65009" in running
    assert "| r3 | frr | failed |" in md and "restored" in md
    assert "10.55.0.0" not in fleet.routers[2].running_config()  # rolled back, nothing half-applied
    assert "| r1-badpw | frr | failed |" in md and "authentication failed" in md
    assert "wrong-password" not in md + res.stdout + res.stderr
    assert all(r.password not in md for r in fleet.routers)


@frr_only
@pytest.mark.frr
def test_a_worker_that_raises_mid_run_fails_alone_and_the_report_is_written(fleet, fleet_env, monkeypatch, fake):
    from netcfg import apply

    before = [r.running_config() for r in fleet.routers]
    use_backend(monkeypatch, fake([ROUTE]))
    execute = apply.execute

    def crash_on_r3(plan, host, *a, **k):  # an exception no layer expects (not a NetcfgError or OSError)
        if host.name == "r3":
            raise RuntimeError("worker crashed mid-run")
        return execute(plan, host, *a, **k)

    monkeypatch.setattr(apply, "execute", crash_on_r3)
    (fleet_env / "jobs.yaml").write_text(
        "jobs:\n  - intent: static route 10.55.0.0/16 via 10.0.0.1\n    devices: [r1, r2, r3, r4, r5]\n"
    )
    res = runner.invoke(
        cli.app,
        [
            "batch",
            str(fleet_env / "jobs.yaml"),
            "--inventory",
            str(fleet_env),
            "--workers",
            "5",
            "--apply",
            "--yes",
            "--report",
            str(fleet_env / "r.json"),
        ],
    )
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)  # no traceback
    devices = {d["device"]: d for d in json.loads((fleet_env / "r.json").read_text())["devices"]}
    assert devices["r3"]["status"] == "failed"
    assert devices["r3"]["reason"] == "RuntimeError: worker crashed mid-run"
    assert fleet.routers[2].running_config() == before[2]  # byte for byte: r3 untouched
    for i in (0, 1, 3, 4):
        r = fleet.routers[i]
        assert devices[f"r{i + 1}"]["status"] == "applied"
        assert "ip route 10.55.0.0/16 10.0.0.1" in r.running_config()
        r.vtysh("configure terminal", *config_lines(diff_to(r.running_config(), before[i], FRR), FRR))
        assert r.running_config() == before[i]  # byte for byte after undoing the batch's change


@frr_only
@pytest.mark.frr
def test_batch_with_the_real_model_parses_a_shared_intent_once(fleet, fleet_env, monkeypatch):
    from netcfg.model import get_backend

    real = get_backend()
    calls = []
    complete = real.complete
    monkeypatch.setattr(real, "complete", lambda *a, **k: calls.append(1) or complete(*a, **k))
    (fleet_env / "jobs.yaml").write_text(
        "jobs:\n  - intent: static route 10.56.0.0/16 via 10.0.0.1\n    devices: [r1, r2, r4, r5]\n"
    )
    res = runner.invoke(cli.app, ["batch", str(fleet_env / "jobs.yaml"), "--inventory", str(fleet_env)])
    assert res.exit_code == 0, res.stdout + res.stderr
    assert res.stdout.count("planned") >= 4 and len(calls) == 1


# --- logic around it (no devices) --------------------------------------------------------------


def test_intents_are_rendered_per_host_in_a_sandbox():
    h = Host(name="sw1", hostname="10.0.0.1", platform="cisco_ios", data={"vlan30_ip": "10.30.0.1/24"})
    assert (
        batch.render_intent("give Vlan30 the address {{ host.data.vlan30_ip }}", h)
        == "give Vlan30 the address 10.30.0.1/24"
    )
    assert batch.render_intent("set the hostname to {{ host.name }}", h) == "set the hostname to sw1"
    with pytest.raises(ConfigError, match="sw1"):
        batch.render_intent("{{ host.data.missing }}", h)
    with pytest.raises(ConfigError):
        batch.render_intent("{{ host.__class__.__mro__ }}", h)


def test_malformed_batch_files(tmp_path):
    for text, msg in [
        ("[]", "non-empty"),
        ("jobs: [{devices: [a]}]", "needs `intent`"),
        ("jobs: [{intent: x}]", "needs `devices`"),
        ("jobs: [unclosed", "not valid YAML"),
    ]:
        p = tmp_path / "b.yaml"
        p.write_text(text)
        with pytest.raises(ConfigError, match=msg):
            batch.load_jobs(p)


def test_cache_is_keyed_by_model_and_prompt_version(tmp_path):
    c = cache.ParseCache(tmp_path / "c.sqlite3")
    k1 = c.key("model-a", "cisco_ios", "create vlan 30")
    c.put(k1, [{"kind": "vlan", "op": "add", "vlan": 30}])
    assert c.get(k1) == [{"kind": "vlan", "op": "add", "vlan": 30}]
    assert c.get(c.key("model-b", "cisco_ios", "create vlan 30")) is None
    assert c.get(c.key("model-a", "arista_eos", "create vlan 30")) is None
    assert c.clear() == 1 and c.get(k1) is None


def test_file_based_batch_plans_without_devices(tmp_path, monkeypatch, fake, isolated_cache):
    (tmp_path / "sw1.cfg").write_text("interface GigabitEthernet0/1\n switchport access vlan 10\n")
    (tmp_path / "hosts.yaml").write_text(
        "sw1: {platform: cisco_ios, data: {running_file: sw1.cfg}}\n"
        "sw2: {platform: cisco_ios, data: {running_file: missing.cfg}}\n"
    )
    (tmp_path / "jobs.yaml").write_text("- {intent: 'create vlan 30', devices: [sw1, sw2]}\n")
    use_backend(monkeypatch, fake([{"kind": "vlan", "op": "add", "vlan": 30}]))
    res = runner.invoke(
        cli.app, ["batch", str(tmp_path / "jobs.yaml"), "-i", str(tmp_path), "--report", str(tmp_path / "r.json")]
    )
    assert res.exit_code == 1
    devices = {d["device"]: d for d in json.loads((tmp_path / "r.json").read_text())["devices"]}
    assert devices["sw1"]["status"] == "planned" and devices["sw1"]["remediation"] == "vlan 30\n"
    assert devices["sw2"]["status"] == "failed" and "missing.cfg" in devices["sw2"]["reason"]


def test_selection_by_group_and_where(tmp_path):
    (tmp_path / "hosts.yaml").write_text(
        "a: {platform: frr, groups: [core], data: {site: x}}\nb: {platform: frr, data: {site: y}}\n"
    )
    (tmp_path / "groups.yaml").write_text("core: {}\n")
    inv = Inventory(tmp_path)
    jobs = [batch.Job(["i1"], group="core"), batch.Job(["i2"], where={"site": "y"}), batch.Job(["i3"], devices=["a"])]
    assert batch.assign(jobs, inv) == {"a": ["i1", "i3"], "b": ["i2"]}
