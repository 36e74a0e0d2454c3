"""Batch is as safe as apply: remembered answers are checked, errors stay per device, the cache heals.

Logic tests with a fake model (tests/conftest.py QueuedBackend) and running-config files; the real-FRR
case (a worker that raises mid-run) is in tests/test_batch.py.
"""

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcfg import batch, cache, cli, model, paths, vendors
from netcfg.errors import ConfigError
from netcfg.inventory import Host

runner = CliRunner()
IOS = vendors.get("cisco_ios")

RUNNING = """hostname sw1
!
vlan 10
 name MGMT
!
interface GigabitEthernet0/1
 switchport access vlan 10
!
interface Vlan10
 ip address 10.0.0.11 255.255.255.0
!
"""
VLAN30 = {"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"}
SHUT_MGMT = {"kind": "shutdown", "op": "add", "interfaces": "Vlan10"}
SNMP_RW = {"kind": "snmp_community", "op": "add", "community": "x", "access": "rw"}


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    path = tmp_path / "cache" / "parse-cache.sqlite3"
    monkeypatch.setattr(cache, "default_path", lambda: path)
    return path


def use_backend(monkeypatch, backend):
    monkeypatch.setattr(model, "get_backend", lambda m=None: backend)
    monkeypatch.setattr(model, "model_id", lambda p: "test-model")
    backend.path = Path("fake.gguf")
    return backend


def fleet(tmp_path, n=1, data=None, intent="create vlan 30 named GUESTS"):
    """n file-based IOS switches whose management address 10.0.0.1x is on Vlan10; one job for all."""
    hosts = {}
    for i in range(1, n + 1):
        (tmp_path / f"sw{i}.cfg").write_text(RUNNING.replace("sw1", f"sw{i}"))
        hosts[f"sw{i}"] = {
            "hostname": "10.0.0.11",
            "platform": "cisco_ios",
            "data": {"running_file": f"sw{i}.cfg", **(data or {})},
        }
    (tmp_path / "hosts.yaml").write_text(json.dumps(hosts))
    (tmp_path / "jobs.yaml").write_text(json.dumps({"jobs": [{"intent": intent, "devices": list(hosts)}]}))
    return ["batch", str(tmp_path / "jobs.yaml"), "-i", str(tmp_path), "--report", str(tmp_path / "r.json")]


def report(tmp_path) -> dict:
    return {d["device"]: d for d in json.loads((tmp_path / "r.json").read_text())["devices"]}


# --- 1. remembered answers pass the checks fresh ones pass; batch runs apply's per-device checks -----


def test_a_tampered_cache_row_is_not_planned_and_the_model_is_asked_again(tmp_path, monkeypatch, fake, isolated_cache):
    args = fleet(tmp_path)
    c = cache.ParseCache()
    key = c.key("test-model", "cisco_ios", "create vlan 30 named GUESTS")
    c.put(key, [VLAN30, SHUT_MGMT, SNMP_RW])  # a stale or edited row
    c.close()
    backend = use_backend(monkeypatch, fake([VLAN30]))

    res = runner.invoke(cli.app, args)
    assert res.exit_code == 0, res.stdout + res.stderr
    sw1 = report(tmp_path)["sw1"]
    assert sw1["status"] == "planned"
    assert sw1["remediation"] == "vlan 30\n name GUESTS\n"
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["model_calls"] == 1
    assert backend.drafts or backend.prompts  # the row was refused, the model answered instead
    c = cache.ParseCache()
    assert c.get(key) == [VLAN30]  # ... and its answer replaced the row


@pytest.mark.parametrize(
    "row, text, answer",
    [
        ([{"kind": "vlan", "op": "add", "vlan": 30.0}], "create vlan 30", {"kind": "vlan", "op": "add", "vlan": 30}),
        ([{"kind": "vlan", "op": "add", "vlan": True}], "create vlan 1", {"kind": "vlan", "op": "add", "vlan": 1}),
        (
            [{"kind": "trunk_vlans", "op": "add", "interfaces": "Gi0/1", "vlans": "\uff13\uff10"}],
            "allow vlan 30 on trunk Gi0/1",
            {"kind": "trunk_vlans", "op": "add", "interfaces": "Gi0/1", "vlans": "30"},
        ),
        (
            [{"kind": "trunk_vlans", "op": "add", "interfaces": "Gi0/1", "vlans": "30\n"}],
            "allow vlan 30 on trunk Gi0/1",
            {"kind": "trunk_vlans", "op": "add", "interfaces": "Gi0/1", "vlans": "30"},
        ),
        ([{"kind": "unsupported", "request": "x"}], "create vlan 30", {"kind": "vlan", "op": "add", "vlan": 30}),
        (
            [{"kind": "vlan", "op": "add", "vlan": 30}, SNMP_RW],
            "create vlan 30",
            {"kind": "vlan", "op": "add", "vlan": 30},
        ),
    ],
)
def test_cache_rows_are_checked_strictly_before_use(tmp_path, fake, row, text, answer):
    c = cache.ParseCache(tmp_path / "c.sqlite3")
    key = c.key("m", "cisco_ios", text)
    c.put(key, row)
    parser = batch.CachedParser(fake([answer]), c, "m")
    assert parser.changes(text, IOS, RUNNING) == [answer]
    assert parser.model_calls == 1 and parser.rejected == 1 and c.get(key) == [answer]


@pytest.mark.parametrize(
    "changes, text, problem",
    [
        ([{"kind": "vlan", "op": "add", "vlan": 30.0}], "create vlan 30.0", "not of type 'integer'"),
        (
            [{"kind": "trunk_vlans", "op": "add", "interfaces": "Gi0/1", "vlans": "\uff13\uff10"}],
            "allow vlan \uff13\uff10 on trunk Gi0/1",
            "does not match",
        ),
        (
            [{"kind": "vlan", "op": "add", "vlan": 30, "name": "A\rB"}],
            "create vlan 30 named A\rB",
            "control characters",
        ),
    ],
)
def test_stored_answers_must_fit_the_grammar_even_when_grounded(changes, text, problem):
    """Values the grammar never lets the model write, but a cache row can hold; grounding alone passes them."""
    from netcfg.generate import build
    from netcfg.grounding import problems as _problems
    from netcfg.parse import answer_problems

    assert _problems(changes, text) == []
    problems = answer_problems(changes, text, lambda ch: build(ch, IOS, RUNNING))
    assert len(problems) == 1 and problem in problems[0]
    assert answer_problems([{"kind": "vlan", "op": "add", "vlan": 30}], "create vlan 30") == []


def test_a_cache_row_failing_validation_gets_the_models_own_error(tmp_path, fake):
    from netcfg.errors import IntentError

    c = cache.ParseCache(tmp_path / "c.sqlite3")
    key = c.key("m", "cisco_ios", "create vlan 5000")
    c.put(key, [{"kind": "vlan", "op": "add", "vlan": 5000}])
    out_of_range = [{"kind": "vlan", "op": "add", "vlan": 5000}]
    parser = batch.CachedParser(fake(out_of_range, out_of_range), c, "m")
    with pytest.raises(IntentError, match="out of range"):
        parser.changes("create vlan 5000", IOS, RUNNING)
    assert c.get(key) is None and parser.rejected == 1


def test_a_sound_cache_row_is_used_without_the_model(tmp_path, fake):
    c = cache.ParseCache(tmp_path / "c.sqlite3")
    c.put(c.key("m", "cisco_ios", "create vlan 30 named GUESTS"), [VLAN30])
    backend = fake()
    parser = batch.CachedParser(backend, c, "m")
    assert parser.changes("create vlan 30 named GUESTS", IOS, RUNNING) == [VLAN30]
    assert parser.model_calls == 0 and backend.prompts == [] and backend.drafts == []


def test_the_runs_memory_is_checked_too(fake):
    parser = batch.CachedParser(fake([VLAN30]), None, "m")
    parser.memory[("cisco_ios", "create vlan 30 named GUESTS")] = [VLAN30, SHUT_MGMT]
    assert parser.changes("create vlan 30 named GUESTS", IOS, RUNNING) == [VLAN30]
    assert parser.model_calls == 1


def test_batch_refuses_a_change_to_the_management_interface(tmp_path, monkeypatch, fake, isolated_cache):
    args = fleet(tmp_path, intent="shut down interface Vlan10")
    use_backend(monkeypatch, fake([SHUT_MGMT]))
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 1
    sw1 = report(tmp_path)["sw1"]
    assert sw1["status"] == "failed" and "Vlan10" in sw1["reason"] and "--force" in sw1["reason"]
    assert "shutdown" in sw1["remediation"]  # planned, shown, refused


def test_batch_and_plan_share_one_per_device_plan_function(monkeypatch):
    from netcfg import workflow

    calls = []
    real = workflow.device_plan
    monkeypatch.setattr(workflow, "device_plan", lambda *a, **k: calls.append(k) or real(*a, **k))
    monkeypatch.setattr(
        workflow,
        "generate",
        lambda *a, **k: type(
            "R", (), {"changes": [SHUT_MGMT], "config": "interface Vlan10\n shutdown\n", "warnings": [], "errors": []}
        )(),
    )
    monkeypatch.setattr(workflow, "get_backend", lambda m=None: None)
    p = workflow.plan_change(
        ["shut down interface Vlan10"], vendor_name="cisco_ios", running=RUNNING, mgmt_interface="Vlan10"
    )
    assert calls and p.errors and "Vlan10" in p.errors[0] and "--force" in p.errors[0]


# --- 4. one device's exception is that device's failed result; the report is always written -------


def test_any_worker_exception_is_a_failed_result_and_the_others_go_on(tmp_path, monkeypatch, fake, isolated_cache):
    args = fleet(tmp_path, n=4)
    (tmp_path / "sw3.cfg").write_bytes(b"hostname sw3\n\xff\xfe interface\n")
    use_backend(monkeypatch, fake([VLAN30]))

    run_host = batch.run_host

    def flaky(host, *a, **k):
        if host.name == "sw2":
            raise RuntimeError("boom\nsecond line")
        return run_host(host, *a, **k)

    changes = batch.CachedParser.changes

    def locked(self, text, vendor, running):
        if "hostname sw4" in running:
            raise sqlite3.OperationalError("database is locked")
        return changes(self, text, vendor, running)

    monkeypatch.setattr(batch, "run_host", flaky)
    monkeypatch.setattr(batch.CachedParser, "changes", locked)
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    r = report(tmp_path)
    assert r["sw1"]["status"] == "planned" and r["sw1"]["remediation"] == "vlan 30\n name GUESTS\n"
    assert r["sw2"]["status"] == "failed" and r["sw2"]["reason"] == "RuntimeError: boom second line"
    assert r["sw3"]["status"] == "failed" and "not UTF-8" in r["sw3"]["reason"]
    assert r["sw4"]["status"] == "failed" and r["sw4"]["reason"] == "OperationalError: database is locked"
    assert "Traceback" not in res.stdout + res.stderr


def test_the_report_is_written_when_the_run_stops_after_devices_ran(tmp_path, monkeypatch, fake, isolated_cache):
    args = fleet(tmp_path, n=2)
    use_backend(monkeypatch, fake([VLAN30]))

    def stops(assignments, inventory, parser, *, on_done, **k):
        on_done(batch.HostResult("sw1", "cisco_ios", "applied"))
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_batch", stops)
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 130
    r = report(tmp_path)
    assert r["sw1"]["status"] == "applied"
    assert r["sw2"]["status"] == "failed" and "no result" in r["sw2"]["reason"]


# --- 10. host data put into an intent is one plain value ----------------------------------------


@pytest.mark.parametrize("value", ["10.30.0.11/24", "GUESTS", 30, "Gi1/0/5", "sw-1.example.net"])
def test_plain_host_data_goes_into_an_intent(value):
    h = Host(name="sw1", hostname="10.0.0.1", platform="cisco_ios", data={"x": value})
    assert batch.render_intent("value {{ host.data.x }}", h) == f"value {value}"


@pytest.mark.parametrize(
    "value",
    [
        "10.30.0.11/24 and remove vlan 1",
        "10.30.0.11/24\nremove vlan 1",
        "a;b",
        "{{ x }}",
        "a#b",
        "a}b",
        "a\x00b",
        "a\u200bb",
        "",
        "x" * 201,
        [1, 2],
        {"a": 1},
        True,
        None,
    ],
)
def test_host_data_with_more_than_one_value_is_refused(value):
    h = Host(name="sw1", hostname="10.0.0.1", platform="cisco_ios", data={"vlan30_ip": value})
    with pytest.raises(ConfigError) as e:
        batch.render_intent("give Vlan30 the address {{ host.data.vlan30_ip }}", h)
    msg = str(e.value)
    assert "sw1" in msg and "vlan30_ip" in msg and "\n" not in msg


def test_every_rendered_value_is_checked_not_only_host_data():
    h = Host(name="sw1", hostname="10.0.0.1", platform="cisco_ios", groups=["a", "b"], data={"x": "a b"})
    for template in ("{{ host.groups }}", "{{ host.data.get('x') }}", "{{ host.data }}"):
        with pytest.raises(ConfigError, match="sw1"):
            batch.render_intent(template, h)


def test_batch_refuses_an_intent_carrying_extra_changes_in_host_data(tmp_path, monkeypatch, fake, isolated_cache):
    args = fleet(
        tmp_path,
        data={"vlan30_ip": "10.30.0.11/24 and remove vlan 1"},
        intent="give Vlan30 the address {{ host.data.vlan30_ip }}",
    )
    backend = use_backend(monkeypatch, fake())
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 1
    sw1 = report(tmp_path)["sw1"]
    assert sw1["status"] == "failed" and "sw1" in sw1["reason"] and "vlan30_ip" in sw1["reason"]
    assert backend.prompts == [] and backend.drafts == []


# --- 11. the parse cache heals, is private, and never breaks a run ---------------------------------


def test_a_corrupt_cache_file_is_moved_aside_and_a_fresh_one_started(tmp_path, capsys):
    path = tmp_path / "c.sqlite3"
    junk = os.urandom(4096)
    path.write_bytes(junk)
    c = cache.ParseCache(path)
    err = capsys.readouterr().err
    assert err.startswith("warning: the parse cache") and "moved it to c.sqlite3.corrupt-" in err
    assert err.count("\n") == 1
    aside = list(tmp_path.glob("c.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == junk
    c.put("k", [VLAN30])
    assert c.get("k") == [VLAN30]


def test_a_batch_runs_on_a_corrupt_cache(tmp_path, monkeypatch, fake, isolated_cache):
    args = fleet(tmp_path)
    isolated_cache.parent.mkdir()
    isolated_cache.write_bytes(os.urandom(8192))
    use_backend(monkeypatch, fake([VLAN30]))
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "damaged" in res.stderr and report(tmp_path)["sw1"]["status"] == "planned"
    assert cache.ParseCache().get(cache.ParseCache.key("test-model", "cisco_ios", "create vlan 30 named GUESTS"))


def test_cache_clear_works_on_a_corrupt_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path / "cd"))
    (tmp_path / "cd").mkdir()
    (tmp_path / "cd" / "parse-cache.sqlite3").write_bytes(b"SQLite format 3\x00" + os.urandom(2000))
    res = runner.invoke(cli.app, ["cache", "clear"])
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "removed 0 cached intents" in res.stdout and "damaged" in res.stderr
    assert list((tmp_path / "cd").glob("parse-cache.sqlite3.corrupt-*"))
    res = runner.invoke(cli.app, ["cache", "clear"])
    assert res.exit_code == 0 and res.stderr == ""


def test_a_damaged_row_is_a_miss_and_is_deleted(tmp_path):
    c = cache.ParseCache(tmp_path / "c.sqlite3")
    for bad in ("not json", "{}", "[]", "[1]", "null"):
        c._db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?)", ("k", bad))
        assert c.get("k") is None
        assert c._db.execute("SELECT count(*) FROM parsed").fetchone()[0] == 0


def test_a_locked_cache_is_a_miss_with_a_warning(tmp_path, capsys):
    path = tmp_path / "c.sqlite3"
    c = cache.ParseCache(path, timeout=0.05)
    c.put("k", [VLAN30])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    assert c.get("k") is None
    c.put("k2", [VLAN30])
    assert "database is locked" in capsys.readouterr().err
    other.execute("ROLLBACK")
    assert c.get("k") == [VLAN30] and path.exists()
    assert not list(tmp_path.glob("*.corrupt-*"))  # locked is not damaged


def test_cache_folder_is_0700_and_file_0600(tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path / "new" / "netcfg"))
    folder = paths.cache_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    c = cache.ParseCache()
    c.put("k", [VLAN30])
    assert c.path.parent == folder
    assert stat.S_IMODE(c.path.stat().st_mode) == 0o600
    c.close()
    os.chmod(c.path, 0o644)  # left by an older netcfg
    cache.ParseCache().close()
    assert stat.S_IMODE(c.path.stat().st_mode) == 0o600


def test_an_uncreatable_cache_folder(tmp_path, monkeypatch, fake, capsys):
    (tmp_path / "file").write_text("a regular file")
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path / "file" / "netcfg"))
    # the model's files and saved prompts go to a private temporary folder for this run, with a warning
    folder = paths.cache_dir()
    assert folder.is_dir() and os.access(folder, os.W_OK) and not str(folder).startswith(str(tmp_path))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert "cannot use the cache folder" in capsys.readouterr().err
    assert paths.cache_dir() == folder  # one folder and one warning per run
    assert capsys.readouterr().err == ""
    # the parse cache is not used: `cache clear` says why in one line ...
    with pytest.raises(ConfigError, match="cannot use the cache folder"):
        cache.ParseCache()
    res = runner.invoke(cli.app, ["cache", "clear"])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert res.stderr.startswith("error: cannot use the cache folder") and res.stderr.count("\n") == 1
    # ... and a batch goes on without it
    args = fleet(tmp_path)
    use_backend(monkeypatch, fake([VLAN30]))
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "going on without the parse cache" in res.stderr
    assert report(tmp_path)["sw1"]["status"] == "planned"


@pytest.mark.model
def test_generate_works_with_an_uncreatable_cache_folder(tmp_path):
    import subprocess
    import sys

    gguf = model.resolve_model_path(None)  # assembled in the normal cache before the folder goes bad
    (tmp_path / "file").write_text("a regular file")
    env = dict(os.environ, NETCFG_CACHE_DIR=str(tmp_path / "file" / "netcfg"), NETCFG_MODEL=str(gguf))
    out = subprocess.run(
        [sys.executable, "-m", "netcfg", "generate", "create vlan 30 named GUESTS"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "vlan 30\n name GUESTS" in out.stdout
    assert "cannot use the cache folder" in out.stderr and "Traceback" not in out.stderr
