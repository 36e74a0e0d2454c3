"""CLI behaviour with Typer's CliRunner; the model is a queued fake here (real-model tests: test_model.py)."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from netcfg import cli, model

runner = CliRunner()


@pytest.fixture
def answers(monkeypatch, fake):
    def use(*a):
        b = fake(*a)
        monkeypatch.setattr(model, "get_backend", lambda m=None: b)
        return b

    return use


def test_generate_text_is_plain_when_piped(answers):
    answers([{"kind": "static_route", "op": "add", "prefix": "0.0.0.0/0", "next_hop": "10.0.0.1"}])
    r = runner.invoke(cli.app, ["generate", "default route via 10.0.0.1"])
    assert r.exit_code == 0
    assert r.stdout == "ip route 0.0.0.0 0.0.0.0 10.0.0.1\n"


def test_generate_json_contract(answers):
    answers([{"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"}])
    r = runner.invoke(cli.app, ["generate", "create vlan 30 named GUESTS", "--format", "json"])
    data = json.loads(r.stdout)
    assert {"intent", "vendor", "changes", "config", "warnings", "errors"} <= set(data)
    assert data["changes"] == [{"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"}]
    assert data["summary"] == ["create vlan 30 named GUESTS"]
    assert data["config"] == "vlan 30\n name GUESTS\n"


@pytest.mark.parametrize(
    "args,msg",
    [
        (["generate", ""], "empty"),
        (["generate", "create vlan 30", "--vendor", "nokia"], "unknown vendor"),
        (["generate", "create vlan 30", "--running", "/nonexistent.cfg"], "does not exist"),
        (["eval", "/nonexistent.yaml"], "cannot read dataset"),
    ],
)
def test_errors_are_one_line_exit_1(answers, args, msg):
    answers()
    r = runner.invoke(cli.app, args)
    assert r.exit_code == 1
    assert msg in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr + r.stdout


def test_out_of_range_value_is_one_line(answers):
    answers([{"kind": "vlan", "op": "add", "vlan": 5000}], [{"kind": "vlan", "op": "add", "vlan": 5000}])
    r = runner.invoke(cli.app, ["generate", "create vlan 5000"])
    assert r.exit_code == 1 and "out of range (1-4094)" in r.stderr


def test_unsupported_names_what_is_supported(answers):
    answers([{"kind": "unsupported", "request": "reboot the router"}])
    r = runner.invoke(cli.app, ["generate", "reboot the router"])
    assert r.exit_code == 1 and "supports: vlan" in r.stderr


def test_malformed_dataset(tmp_path, answers):
    answers()
    bad = tmp_path / "bad.yaml"
    bad.write_text("- intent: [not, a, string]\n")
    r = runner.invoke(cli.app, ["eval", str(bad)])
    assert r.exit_code == 1 and "needs string fields" in r.stderr


def test_eval_reports_exact_silently_wrong_and_refused(tmp_path, answers):
    unsupported = [{"kind": "unsupported", "request": "reboot it"}]
    queue = (
        [{"kind": "vlan", "op": "add", "vlan": 30}],
        [{"kind": "ntp_server", "op": "add", "server": "10.0.0.9"}],
        unsupported,
        unsupported,
        unsupported,
    )
    answers(*queue)
    ds = tmp_path / "ds.yaml"
    ds.write_text(
        '- {id: a, intent: create vlan 30, vendor: cisco_ios, expect: "vlan 30\\n"}\n'
        '- {id: b, intent: ntp server 10.0.0.9, vendor: cisco_ios, expect: "ntp server 10.0.0.8\\n"}\n'
        '- {id: c, intent: reboot it, vendor: cisco_ios, expect: "reload\\n"}\n'
    )
    r = runner.invoke(cli.app, ["eval", str(ds)])
    assert r.exit_code == 0
    assert "PASS a" in r.stdout and "WRONG b" in r.stdout and "REFUSED c" in r.stdout
    assert "missing: ntp server 10.0.0.8" in r.stdout and "extra:   ntp server 10.0.0.9" in r.stdout
    assert "1/3 exact (33.3%), 1 silently wrong (33.3%), 1 refused or asked (33.3%)" in r.stdout
    answers(*queue)
    r = runner.invoke(cli.app, ["eval", str(ds), "--format", "json"])
    s = json.loads(r.stdout)
    assert [c["outcome"] for c in s["cases"]] == ["exact", "silently wrong", "refused"]
    assert (s["summary"]["exact"], s["summary"]["silently_wrong"], s["summary"]["refused"]) == (1, 1, 1)


def test_eval_ignores_the_acl_sequence_numbers_of_the_vendors_that_number_entries():
    from netcfg.evaluate import compare

    numbered = "ip access-list extended WEB\n 10 permit tcp any any eq 443\n"
    bare = "ip access-list extended WEB\n permit tcp any any eq 443\n"
    assert compare(numbered, bare, [], "cisco_ios") == ([], [])
    assert compare(numbered, bare, [], "arista_eos") == ([], [])
    missing, extra = compare(numbered, bare, [], "frr")  # FRR has no packet ACL block: a number is a number
    assert missing == ["ip access-list extended WEB > 10 permit tcp any any eq 443"]
    assert extra == ["ip access-list extended WEB > permit tcp any any eq 443"]


def test_vendors_lists_features():
    r = runner.invoke(cli.app, ["vendors", "--format", "json"])
    data = json.loads(r.stdout)
    assert "acl_rule" in data["cisco_ios"]["features"]


def test_the_readme_kinds_table_is_what_netcfg_vendors_prints():
    from pathlib import Path

    r = runner.invoke(cli.app, ["vendors", "--format", "markdown"])
    assert r.exit_code == 0 and "| root_guard | yes | yes | yes | - | yes |" in r.stdout
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert f"<!-- netcfg vendors --format markdown -->\n{r.stdout}<!-- end -->" in readme


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys; sys.argv=['netcfg','--help']\nfrom netcfg.cli import app\n"
        "try: app()\nexcept SystemExit: pass\n"
        "heavy=[m for m in ('llama_cpp','netmiko','ciscoconfparse','jinja2','jsonschema') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert "HEAVY []" in out


def test_cache_clear_forgets_answers_and_prompt_states(tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path))
    (tmp_path / "kv").mkdir()
    (tmp_path / "kv" / "0123.state").write_bytes(b"kv")
    (tmp_path / "kv" / "0123").mkdir()
    (tmp_path / "kv" / "0123" / "ab.blk").write_bytes(b"example block")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.gguf").write_bytes(b"GGUF")
    r = runner.invoke(cli.app, ["cache", "clear"])
    assert r.exit_code == 0 and "1 prompt states" in r.stdout
    assert not list((tmp_path / "kv").iterdir()) and (tmp_path / "models" / "m.gguf").exists()
