"""Malformed user files and odd values: one line on stderr and exit 1, or the value printed as it is.

Never a traceback. The model is a queued fake: every input here is refused (or planned) without it.
"""

import json
import re
import time
from pathlib import Path

import pytest
from fakes import use_fake_model
from typer.testing import CliRunner

from netcfg import apply, batch, cli, intent, model, vendors, workflow
from netcfg.errors import ConfigError, IntentError
from netcfg.inventory import Inventory
from netcfg.paths import read_yaml

runner = CliRunner()

# "Billion laughs": 9 levels of 9 aliases, 9^9 (387 million) strings once expanded, in 414 bytes.
BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.fixture(autouse=True)
def no_model(monkeypatch, tmp_path, fake):
    """A fake model (its queue is empty: a test that reaches it fails loudly) and a private cache."""
    monkeypatch.setattr(fake, "path", Path("fake.gguf"), raising=False)
    return use_fake_model(monkeypatch, tmp_path, fake())


def one_line_error(result, *fragments):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


def write(path: Path, content) -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


# --- inventories -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hosts,groups,message",
    [
        (b"sw1: {platform: cisco_ios, hostname: caf\xe9}\n", "", "not UTF-8 text"),
        ("sw1: {platform: cisco_ios, port: [22]}\n", "", "sw1 > port: must be a whole number or text, not a list"),
        ("sw1: {platform: cisco_ios, port: 70000}\n", "", "invalid port 70000 (1-65535)"),
        ("sw1: {platform: cisco_ios, port: '²2'}\n", "", "invalid port"),
        ("sw1: {platform: cisco_ios, groups: 5}\n", "", "sw1 > groups: must be a list of group names"),
        ("sw1: {platform: cisco_ios, groups: access}\n", "access: {}\n", "sw1 > groups: must be a list of group names"),
        ("sw1: {platform: cisco_ios, groups: [5]}\n", "", "sw1 > groups > 0: must be text, not a number"),
        ("sw1: {platform: cisco_ios, data: [1, 2]}\n", "", "sw1 > data: must be a mapping, not a list"),
        ("sw1: {platform: cisco_ios, platfrom: frr}\n", "", "sw1: unknown setting 'platfrom'"),
        ("- sw1\n", "", "must be a mapping, not a list"),
        ("101: {platform: cisco_ios}\n", "", "names must be text"),
        ("sw1: {platform: cisco_ios, data: " + "[" * 5000 + "]" * 5000 + "}\n", "", "nested more than 64 levels deep"),
        ("sw1: {platform: cisco_ios}\n" + BOMB, "", "more than 200000 values"),
        ("sw1: {platform: cisco_ios, data: &d {a: [*d]}}\n", "", "alias refers to the value that contains it"),
        ("sw1: {platform: cisco_ios, data: !!binary aGk=}\n", "", "tag:yaml.org,2002:binary is not allowed"),
        ("sw1: {platform: cisco_ios, data: {n: !!int x}}\n", "", "not valid YAML"),
        ("sw1: {platform: cisco_ios, groups: [a]}\n", "a: {groups: [b]}\nb: {groups: [a]}\n", "'a' includes itself"),
        (
            "sw1: {platform: cisco_ios, groups: [g0]}\n",
            "".join(f"g{i}: {{groups: [g{i + 1}]}}\n" for i in range(40)) + "g40: {}\n",
            "nested more than 32 deep",
        ),
        ("sw1: {platform: cisco_ios}\n", "web: {port: {a: 1}}\n", "web > port: must be"),
    ],
)
def test_malformed_inventory_is_one_line(tmp_path, hosts, groups, message):
    write(tmp_path / "hosts.yaml", hosts)
    if groups:
        write(tmp_path / "groups.yaml", groups)
    write(tmp_path / "jobs.yaml", "- {intent: create vlan 30, devices: [sw1]}\n")
    started = time.perf_counter()
    r = runner.invoke(cli.app, ["batch", str(tmp_path / "jobs.yaml"), "-i", str(tmp_path)])
    assert time.perf_counter() - started < 5.0  # a bomb is refused, not expanded (that would take minutes)
    one_line_error(r, message)


def test_inventory_values_are_read_as_given(tmp_path, monkeypatch):
    monkeypatch.setenv("SW_PORT", "2222")
    write(
        tmp_path / "hosts.yaml",
        "sw1: {platform: frr, port: '${SW_PORT}', password: 12345, username: 7, data: {when: 2026-12-01}}\nsw2:\n",
    )
    write(tmp_path / "defaults.yaml", "platform: frr\n")
    inv = Inventory(tmp_path)
    h = inv.host("sw1")
    assert (h.port, h.password, h.username, h.data) == (2222, "12345", "7", {"when": "2026-12-01"})
    assert inv.host("sw2").groups == [] and inv.host("sw2").port == 22
    json.dumps(h.public())  # a date stays text, so reports can always be written


def test_groups_shared_by_many_paths_are_resolved_once(tmp_path):
    # g0 -> g1a, g1b, g1c -> g1 -> g2a, g2b, g2c -> g2 ... : 3^15 paths if every path were followed
    groups = "".join(
        f"g{i}: {{groups: [g{i + 1}a, g{i + 1}b, g{i + 1}c]}}\n"
        + "".join(f"g{i + 1}{x}: {{groups: [g{i + 1}]}}\n" for x in "abc")
        for i in range(15)
    )
    groups += "g15: {platform: frr}\n"
    write(tmp_path / "hosts.yaml", "sw1: {groups: [g0]}\n")
    write(tmp_path / "groups.yaml", groups)
    started = time.perf_counter()
    assert Inventory(tmp_path).host("sw1").platform == "frr"
    assert time.perf_counter() - started < 5.0  # a bomb is refused, not expanded (that would take minutes)


# --- YAML bounds -----------------------------------------------------------------------------


def test_alias_bomb_is_refused_fast(tmp_path):
    assert len(BOMB) < 637
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="more than 200000 values"):
        read_yaml(write(tmp_path / "bomb.yaml", BOMB), "batch file")
    assert time.perf_counter() - started < 0.5


def test_files_over_10_mb_are_refused_unread(tmp_path):
    with pytest.raises(ConfigError, match="larger than 10 MB"):
        read_yaml(write(tmp_path / "big.yaml", "# " + "x" * (10 * 2**20)), "inventory file")


def test_shared_aliases_within_bounds_still_load(tmp_path):
    p = write(tmp_path / "ok.yaml", "base: &b {platform: frr, data: {site: hq}}\nsw1: *b\nsw2: {<<: *b, port: 2}\n")
    assert read_yaml(p, "inventory file")["sw2"] == {"platform": "frr", "data": {"site": "hq"}, "port": 2}


# --- batch files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "jobs,message",
    [
        (b"- {intent: create vlan 30, devices: [sw1]}  # \xff\n", "not UTF-8 text"),
        ("- {intent: create vlan 30, devices: 5}\n", "job 1: devices: must be text or a list, not a number"),
        ("- {intent: create vlan 30, where: [a]}\n", "job 1: where: must be a mapping, not a list"),
        ("- {intent: create vlan 30, where: {site: [a]}}\n", "job 1: where > site: must be"),
        ("- {intent: create vlan 30, group: [a]}\n", "job 1: group: must be text"),
        ("- {intents: [create vlan 30, 5], devices: [sw1]}\n", "job 1: intents > 1: must be text"),
        ("- {intent: create vlan 30, device: sw1}\n", "job 1: unknown setting 'device'"),
        ("- create vlan 30\n", "job 1: must be a mapping, not text"),
        ("jobs: 5\n", "needs a non-empty list of jobs"),
        ("- {intent: 'create vlan 30 {# named GUESTS #}', devices: [sw1]}\n", "template syntax"),
        ("- {intent: '{% for v in [30, 31] %}create vlan {{ v }} {% endfor %}', devices: [sw1]}\n", "template syntax"),
        ("- {intent: 'give Vlan30 the address {{ host.data.ip | upper }}', devices: [sw1]}\n", "template syntax"),
        ("- {intent: 'create vlan 30 }}', devices: [sw1]}\n", "template syntax"),
        ("- {intent: x, devices: [sw1], where: " + "{a: " * 3000 + "1" + "}" * 3000 + "}\n", "nested more than 64"),
        (BOMB + "jobs: [{intent: x, devices: [sw1]}]\n", "more than 200000 values"),
    ],
)
def test_malformed_batch_file_is_one_line(tmp_path, jobs, message):
    write(tmp_path / "hosts.yaml", "sw1: {platform: cisco_ios, data: {running_file: sw1.cfg}}\n")
    write(tmp_path / "jobs.yaml", jobs)
    started = time.perf_counter()
    r = runner.invoke(cli.app, ["batch", str(tmp_path / "jobs.yaml"), "-i", str(tmp_path)])
    assert time.perf_counter() - started < 5.0  # a bomb is refused, not expanded (that would take minutes)
    one_line_error(r, message)


def test_host_references_are_the_template_syntax_allowed(tmp_path):
    p = write(
        tmp_path / "jobs.yaml",
        "- intents: ['give Vlan30 the address {{ host.data.vlan30_ip }}',\n"
        "             \"description {{host.data['desc-1']}} on {{ host.name }}\"]\n"
        "  group: access\n",
    )
    assert batch.load_jobs(p)[0].intents[1] == "description {{host.data['desc-1']}} on {{ host.name }}"


# --- '?' in free text --------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", ["cisco_ios", "arista_eos", "cisco_nxos", "frr"])
def test_question_mark_in_a_description_is_refused_where_it_calls_up_help(vendor):
    rules = vendors.get(vendor).rules
    with pytest.raises(IntentError, match=r"'uplink\?' is not valid: .*no \?"):
        intent.validate({"kind": "description", "op": "add", "interfaces": "Gi0/1", "text": "uplink?"}, rules)
    with pytest.raises(IntentError, match=r"no \?"):
        intent.validate(
            {
                "kind": "bgp_neighbor",
                "op": "add",
                "neighbor": "10.0.0.9",
                "remote_as": 65009,
                "asn": 65001,
                "description": "who?",
            },
            rules,
        )
    intent.validate({"kind": "description", "op": "add", "interfaces": "Gi0/1", "text": "uplink [core] #1"}, rules)


def test_question_mark_is_one_line_from_the_cli(monkeypatch, fake):
    answer = [{"kind": "description", "op": "add", "interfaces": "gi0/1", "text": "uplink?"}]
    backend = fake(answer, answer)
    monkeypatch.setattr(model, "get_backend", lambda m=None: backend)
    r = runner.invoke(cli.app, ["generate", "set the description of gi0/1 to uplink?"])
    one_line_error(r, "'uplink?' is not valid", "no ?")


# --- Rich markup in values is printed as it is ----------------------------------------------------

DESC = [{"kind": "description", "op": "add", "interfaces": "gi0/1", "text": "[/x] done [bold]"}]


def test_markup_in_device_names_and_values_prints_literally_in_batch(tmp_path, monkeypatch, fake):
    monkeypatch.setattr(model, "get_backend", lambda m=None: fake(DESC))
    write(tmp_path / "sw.cfg", "interface GigabitEthernet0/1\n")
    write(
        tmp_path / "hosts.yaml",
        "'sw3[/b]': {platform: cisco_ios, data: {running_file: sw.cfg}}\n"
        "'sw4[red]': {platform: cisco_ios, data: {running_file: '[/x].cfg'}}\n",
    )
    write(
        tmp_path / "jobs.yaml",
        "- {intent: 'set the description of gi0/1 to [/x] done [bold]', devices: ['sw3[/b]', 'sw4[red]']}\n",
    )
    r = runner.invoke(
        cli.app,
        ["batch", str(tmp_path / "jobs.yaml"), "-i", str(tmp_path), "--report", str(tmp_path / "r.json")],
        env={"COLUMNS": "300"},
    )
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 1, r.stdout  # sw4's running file is missing
    rows = {ln.split("│")[1].strip(): ln for ln in r.stdout.splitlines() if ln.count("│") > 3}
    assert "planned" in rows["sw3[/b]"] and "[/x].cfg" in rows["sw4[red]"], r.stdout
    devices = {d["device"]: d for d in json.loads((tmp_path / "r.json").read_text())["devices"]}
    assert devices["sw3[/b]"]["remediation"] == "interface GigabitEthernet0/1\n description [/x] done [bold]\n"


def test_markup_in_an_apply_report_prints_literally(tmp_path, monkeypatch):
    from netcfg.plan import Plan

    plan = Plan(
        ["x"],
        "cisco_ios",
        "sw3[/b]",
        remediation="interface Gi0/1\n description [/x] done\n",
        warnings=["[/i] a warning [link=x]"],
    )
    report = apply.ApplyReport(
        device="sw3[/b]",
        vendor="cisco_ios",
        status="failed",
        message="[/x] rejected: % Invalid input [/]",
        backup="backups/sw3[/b].cfg",
    )
    closed = []
    session = type("S", (), {"close": lambda self: closed.append(1), "running_config": lambda self: ""})()
    monkeypatch.setattr(workflow, "open_device", lambda *a, **k: (None, vendors.get("cisco_ios"), session, ""))
    monkeypatch.setattr(workflow, "plan_change", lambda *a, **k: plan)
    monkeypatch.setattr(apply, "execute", lambda *a, **k: report)
    r = runner.invoke(cli.app, ["apply", "x", "--device", "sw3[/b]", "--yes"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 1
    assert "warning: [/i] a warning [link=x]" in r.stderr
    assert "backup: backups/sw3[/b].cfg" in r.stderr
    assert "sw3[/b]: failed [/x] rejected: % Invalid input [/]" in r.stderr


def test_markup_in_an_error_message_prints_literally(tmp_path):
    r = runner.invoke(cli.app, ["generate", "create vlan 30", "--running", str(tmp_path / "[/x][bold].cfg")])
    one_line_error(r, "[/x][bold].cfg", "does not exist")


POOL = "ip dhcp pool STAFF\n network 10.20.0.0 255.255.255.0\n default-router 10.20.0.1\n"


@pytest.mark.parametrize(
    "change, running, said",
    [
        (
            {"network": "10.210.0.0/24", "gateway": "10.211.0.1"},
            None,
            "10.211.0.1 is not a host of the pool's network 10.210.0.0/24",
        ),
        ({"network": "10.210.0.0/24", "gateway": "10.210.0.0"}, None, "not a host"),
        ({"gateway": "10.60.99.1"}, POOL, "10.60.99.1 is not a host of the pool's network 10.20.0.0/24"),
        ({"dns": ",".join(f"10.0.0.{i}" for i in range(1, 10))}, None, "at most 8 DNS servers"),
        ({"lease": 400}, None, "lease"),
    ],
)
def test_a_dhcp_pool_value_that_cannot_be_right_is_refused(change, running, said):
    from netcfg import generate

    with pytest.raises(IntentError, match=re.escape(said)):
        generate.build(
            [{"kind": "dhcp_pool", "op": "add", "name": "STAFF", **change}], vendors.get("cisco_ios"), running
        )
    ok = {"gateway": "10.20.0.254"} if running else {"network": "10.210.0.0/24", "gateway": "10.210.0.1"}
    assert generate.build(
        [{"kind": "dhcp_pool", "op": "add", "name": "STAFF", **ok}], vendors.get("cisco_ios"), running
    )[1]


def test_a_dhcp_pool_on_a_vendor_without_one_names_the_vendor_that_has_it():
    from netcfg import generate
    from netcfg.errors import UnsupportedError

    for v in ("cisco_nxos", "arista_eos", "frr", "juniper_junos"):
        with pytest.raises(UnsupportedError, match=f"{v} has no DHCP server.*use cisco_ios"):
            generate.build([{"kind": "dhcp_pool", "op": "add", "name": "A", "network": "10.1.0.0/24"}], vendors.get(v))


# --- found by tests/test_fuzz.py ---------------------------------------------------------------


def test_unterminated_banner_in_a_running_config_is_one_line(tmp_path, monkeypatch, fake):
    monkeypatch.setattr(workflow, "get_backend", lambda m=None: fake([{"kind": "vlan", "op": "add", "vlan": 30}]))
    running = write(tmp_path / "r.cfg", "hostname sw1\nbanner motd ^C\nAuthorised access only\nvlan 10\n name A\n")
    r = runner.invoke(cli.app, ["plan", "create vlan 30", "--running", str(running)])
    one_line_error(r, "banner")


def test_intents_file_nested_deep_is_one_line(tmp_path):
    path = write(tmp_path / "intents.yaml", "[" * 5000 + "]" * 5000 + "\n")
    r = runner.invoke(cli.app, ["plan", "-f", str(path), "--running", str(path)])
    one_line_error(r)


@pytest.mark.parametrize(
    "intent",
    [
        "add local user bob privilege 15 password Cisco123",
        "tacacs server 10.1.1.5 with key s3cr3tK3y",
        "radius-server 10.2.2.2, shared key: Rad1usK3y",
        "rotate the secret of user ops to hunter2xyz",
        "md5 password for bgp neighbor 10.0.0.2 is Pa55w0rdX",
        "peer 192.0.2.1 tcp md5 key abc123xyz",
        "md5 secret for 10.0.0.2: N0tS3cureX",
        "neighbor 10.1.1.1 md5 hunter2X",
        "the password of user ops is letmeinplease",
    ],
)
def test_a_secret_typed_in_a_request_is_refused_before_the_model_and_never_repeated(intent, no_model):
    r = runner.invoke(cli.app, ["generate", intent, "--no-input"])
    line = one_line_error(r, "plain text", "${VAR}")
    assert not no_model.prompts and not no_model.drafts  # the model never saw it
    typed = intent.split()[-1]
    assert typed not in r.stdout + r.stderr, line


def test_a_secret_field_takes_only_a_var_reference():
    from netcfg import values
    from netcfg.errors import IntentError

    assert values.secret("${TACACS_KEY}") == values.secret("$TACACS_KEY") == "${TACACS_KEY}"
    for bad in ["Cisco123", "${}", "${1ABC}", "${A B}", "$"]:
        with pytest.raises(IntentError, match=r"\$\{VAR\} reference"):
            values.secret(bad)
    for fine in [
        "password ${OPS_PW}",
        "key $TAC_KEY",
        "password from ${X}",
        "key chain OSPF",
        "pass vlan 10 on te1/1",
        "use $PEER_KEY as the md5 password for 10.0.0.2",
        "the md5 key of 10.0.0.2 to ${NEW}",
        "take the bgp password off neighbor 10.255.0.2",
        "md5 for peer 10.0.0.2: ${K}",
        "drop the md5 password on the iBGP session to rr-2 (10.9.9.2)",
        "we move to ipsec, so md5 is no longer needed",
        "Quarterly key rotation: the new md5 key for rr-9 (10.9.9.9) is in ${K}",
        "the new box does not have the BGP key loaded yet",
        "we shut it while chasing an MD5 mismatch",
        "yearly key rotation: md5 -> ${NEW_K}",
    ]:
        values.literal_secret(fine)
