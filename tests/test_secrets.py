"""No secret from a realistic running config reaches a plan (any format) or a batch report.

tests/secrets/<vendor>.cfg is a device's running config with an enable secret, users, SNMP
communities, TACACS/RADIUS keys and routing-protocol keys (all fake). Each is planned against a fixed
list of typed changes (no model) that removes, adds and sits next to secret-bearing lines, then shown
in every format. Which lines carry secrets is vendor data: `secrets:` in vendor_schemas/<vendor>.yaml.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netcfg import generate, present, vendors
from netcfg.batch import HostResult, report_json, report_markdown
from netcfg.plan import make_plan, render_markdown
from netcfg.redact import REDACTED, redact_text

HERE = Path(__file__).parent / "secrets"


def changes(community: str, new: str, ghost: str, port: str, neighbor: str | None = None) -> list[dict]:
    """The changes planned on a switch: remove an SNMP community, add one, remove one that is not there,
    remove a BGP neighbor with a password (where the case has one), describe a port."""
    return [
        {"kind": "snmp_community", "op": "remove", "community": community},
        {"kind": "snmp_community", "op": "add", "community": new, "access": "rw"},
        {"kind": "snmp_community", "op": "remove", "community": ghost},
        *([{"kind": "bgp_neighbor", "op": "remove", "neighbor": neighbor}] if neighbor else []),
        {"kind": "description", "op": "add", "interfaces": port, "text": "user port"},
    ]


CASES = {
    "cisco_ios": {
        "changes": changes("r0-c0mm", "NewC0mm-42", "GhostC0mm1", "GigabitEthernet1/0/2", neighbor="10.0.0.1"),
        "secrets": [
            "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
            "$9$4/Yh8cLXxS0rXk$Y8m9H3f4iK5tO4Lw2rJ0c6NQpEZt1m3y5oPbHaSdFg2",
            "0822455D0A16544541",
            "045802150C2E1D1C5A",
            "121A0C041104BGPKEY",
            "Rw-C0mmunity!9",
            "r0-c0mm",
            "HostTrapC0mm",
            "AuthPassV3x",
            "PrivPassV3x",
            "TacLegacyKey1",
            "1511021F07257A767B",
            "RadLegacyKey2",
            "RadPlainKey3",
            "NtpKeyMd5x",
            "VtyPassw0rd7",
            "NewC0mm-42",
            "GhostC0mm1",
        ],
        "shapes": [
            "enable secret 9 <redacted>",
            "username admin privilege 15 secret 9 <redacted>",
            "-snmp-server community <redacted> RO",
            " key 7 <redacted>",
            "tacacs-server host 10.99.0.10 key 7 <redacted>",
            "neighbor 10.0.0.1 password 7 <redacted>",
            "ntp authentication-key 1 md5 <redacted> 7",
        ],
        "kept": [
            "description user port",
            "neighbor 10.0.0.9 remote-as 65009",
            "service password-encryption",
            "aaa authentication login default group tacacs+ local",
        ],
    },
    "arista_eos": {
        "changes": changes("EosRoComm", "NewEosC0mm", "GhostC0mm2", "Ethernet2", neighbor="10.1.0.0"),
        "secrets": [
            "$6$EnAbLe0sAlT$Qq1Ww2Ee3Rr4Tt5Yy6Uu7Ii8Oo9Pp0AaSsDdFfGgHhJjKkLlZzXxCcVvBbNnMm",
            "$6$AdMiNsAlT$Zz9Xx8Cc7Vv6Bb5Nn4Mm3Ll2Kk1Jj0HhGgFfDdSsAaPpOoIiUuYyTtRrEeWwQq",
            "OpsPlainPw1",
            "EosRoComm",
            "EosRwComm",
            "EosAuthPw9",
            "EosPrivPw9",
            "EosTacKey070",
            "EosRadKey071",
            "EosNtpKey072",
            "EosBgpKey073",
            "NewEosC0mm",
            "GhostC0mm2",
        ],
        "shapes": [
            "enable password sha512 <redacted>",
            "secret sha512 <redacted>",
            "-snmp-server community <redacted> ro",
            "neighbor 10.1.0.0 password 7 <redacted>",
        ],
        "kept": ["description user port", "hostname leaf1"],
    },
    "cisco_nxos": {
        "changes": changes("NxRoComm", "NewNxC0mm", "GhostC0mm3", "Ethernet1/2", neighbor="10.2.0.0"),
        "secrets": [
            "$5$NxAdMiN$Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c",
            "$5$NxOpS$Z9x8C7v6B5n4M3q2W1e0R9t8Y7u6I5o4P3a2S1d0F9g",
            "NxTacGlobalKey",
            "NxTacHostKey",
            "NxRadHostKey",
            "0xNxAuthLocalizedKey11",
            "0xNxPrivLocalizedKey22",
            "NxRoComm",
            "NxRwComm",
            "NxNtpKey33",
            "NxBgpKey44",
            "NewNxC0mm",
            "GhostC0mm3",
        ],
        "shapes": [
            "username admin password 5 <redacted>  role network-admin",
            "tacacs-server key 7 <redacted>",
            "-snmp-server community <redacted> group network-operator",
            "password 3 <redacted>",
        ],
        "kept": ["description user port", "no password strength-check"],
    },
    "juniper_junos": {
        "changes": changes("JuRoComm", "NewJuC0mm", "GhostC0mm4", "ge-0/0/1"),
        "secrets": [
            "$6$JuRoOt$aS1dF2gH3jK4lZ5xC6vB7nM8qW9eR0tY1uI2oP3aS4dF5gH6jK7lZ8xC9vB0nM1q",
            "$6$JuAdMiN$zX1cV2bN3mA4sD5fG6hJ7kL8qW9eR0tY1uI2oP3aS4dF5gH6jK7lZ8xC9vB0nM1",
            "$9$JuTacSecretAAA",
            "$9$JuRadSecretBBB",
            "$9$JuNtpValueCCC",
            "JuRoComm",
            "JuRwComm",
            "$9$JuSnmpAuthDDD",
            "$9$JuBgpKeyEEE",
            "NewJuC0mm",
            "GhostC0mm4",
        ],
        "shapes": [
            "set system root-authentication encrypted-password <redacted>",
            "set system tacplus-server 10.99.0.10 secret <redacted>",
            "-set snmp community <redacted> clients 10.99.0.0/24",
            "delete snmp community <redacted>",
            "set system ntp authentication-key 1 type md5 value <redacted>",
        ],
        "kept": ['set interfaces ge-0/0/1 description "user port"', "set system login user admin class super-user"],
    },
    "frr": {
        "changes": [
            {"kind": "bgp_neighbor", "op": "remove", "neighbor": "10.255.0.2"},
            {"kind": "description", "op": "add", "interfaces": "eth1", "text": "core link"},
        ],
        "secrets": ["FrrVtyPw1", "FrrEnablePw2", "FrrOspfKey3", "FrrMd5Key4", "FrrBgpKey5", "FrrBgpKey6"],
        "shapes": [
            "password <redacted>",
            "enable password <redacted>",
            " ip ospf authentication-key <redacted>",
            "neighbor 10.255.0.2 password <redacted>",
        ],
        "kept": ["description core link", "neighbor 203.0.113.1 remote-as 64500"],
    },
}


def plan_for(name: str):
    vendor = vendors.get(name)
    case = CASES[name]
    running = (HERE / f"{name}.cfg").read_text()
    norm, candidate, warnings, errors = generate.build(case["changes"], vendor, running)
    assert not errors, errors
    intents = [f"change snmp community {case['changes'][0].get('community', 'x')} on the switch"]
    plan = make_plan(intents, norm, candidate, running, vendor, device="sw1")
    plan.warnings = warnings + plan.warnings
    return case, plan


def test_every_vendor_has_a_secrets_case():
    assert sorted(CASES) == sorted(vendors.names())
    for name in vendors.names():
        assert vendors.get(name).secrets, f"{name}.yaml has no secrets list"


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_secret_in_any_plan_format(name, tmp_path, capsys):
    case, plan = plan_for(name)
    raw = json.dumps(plan.to_dict(redact=False))
    for s in case["secrets"]:  # the secrets really are in the plan's data: the check below can fail
        assert s in raw or json.dumps(s)[1:-1] in raw, f"{s} not in the raw plan"
    assert plan.changed
    outputs = {}
    for fmt in present.PlanFormat:
        if fmt is present.PlanFormat.text:
            present.show_plan(plan, fmt)
            cap = capsys.readouterr()
            outputs["text"] = cap.out + cap.err
        else:
            out = tmp_path / f"plan.{fmt.value}"
            present.show_plan(plan, fmt, out)
            outputs[fmt.value] = out.read_text()
    outputs["render_markdown"] = render_markdown(plan)
    outputs["to_dict"] = json.dumps(plan.to_dict())
    for fmt, text in outputs.items():
        for s in case["secrets"]:
            assert s not in text, f"{name}: secret {s!r} in the {fmt} plan"
        assert REDACTED in text, f"{name}: nothing redacted in the {fmt} plan"
    whole = outputs["json"]
    shown = json.loads(whole)
    for shape in case["shapes"]:
        assert any(shape in shown[k] for k in ("intended", "diff", "rollback", "remediation")), shape
    for line in case["kept"]:
        assert any(line in shown[k] for k in ("intended", "diff", "remediation")), f"{line!r} was redacted"
    assert shown["remediation"].count("\n") == plan.remediation.count("\n")  # the lines keep their shape
    # FRR's remediation (`no neighbor`, a description) holds no secret: shown as it is; the others' are redacted
    assert (shown["remediation"] != plan.remediation) == (name != "frr")
    assert json.dumps(plan.to_dict(redact=False)) == raw  # the data itself is untouched, secrets and all


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_secret_in_batch_reports(name):
    case, plan = plan_for(name)
    bad = next(ln.strip() for ln in plan.rollback.splitlines()[::-1] if redact_text(ln, name) != ln)
    results = [
        HostResult("sw1", name, "planned", intents=plan.intents, remediation=plan.rollback, warnings=plan.warnings),
        HostResult(
            "sw2",
            name,
            "failed",
            reason=f"push failed: sw2: the device rejected a line: Invalid input "
            f"detected at command: {bad} (backup at b.cfg)",
        ),
        HostResult("sw3", "", "failed", reason=plan.diff),
    ]  # an unknown vendor: every vendor's patterns
    for text in (report_json(results, {"devices": 3}), report_markdown(results, {"devices": 3})):
        for s in case["secrets"]:
            assert s not in text, f"{name}: secret {s!r} in a batch report"
        assert REDACTED in text
    assert plan.rollback in results[0].remediation  # the results themselves are not changed


def test_redaction_keeps_the_line_and_is_idempotent():
    line = "+ neighbor 10.0.0.1 password 7 121A0C041104"
    once = redact_text(line, "cisco_ios")
    assert once == "+ neighbor 10.0.0.1 password 7 <redacted>"
    assert redact_text(once, "cisco_ios") == once
    assert redact_text("no snmp-server community Foo RO", "cisco_ios") == "no snmp-server community <redacted> RO"
    path = redact_text("interface Vlan10 > ip ospf authentication-key Xyz", "cisco_ios")
    assert path == "interface Vlan10 > ip ospf authentication-key <redacted>"
    quoted = redact_text("'snmp-server community Foo9 RO' is not configured", "cisco_ios")
    assert quoted == "'snmp-server community <redacted> RO' is not configured"


def test_apply_report_and_batch_table_on_the_terminal_are_redacted(capsys):
    from netcfg.apply import ApplyReport

    line = " neighbor 10.0.0.1 password 7 121A0C041104BGPKEY"
    report = ApplyReport(
        "sw1",
        "cisco_ios",
        "rolled_back",
        message=f"push failed: sw1: the device rejected a line: "
        f"Invalid input detected at command: {line}; device restored to the backup",
        pushed=["router bgp 65001", line],
        failed_line=line,
    )
    present.show_report(report)
    present.batch_table([HostResult("sw1", "cisco_ios", "failed", reason=report.message)], {"devices": 1})
    cap = capsys.readouterr()
    assert "121A0C041104BGPKEY" not in cap.out + cap.err
    assert "password 7 <redacted>" in cap.err and "<redacted>" in cap.out
    assert report.failed_line == line  # the report itself keeps the data


def test_a_trap_hosts_community_is_redacted_on_every_vendor_that_has_one():
    for vendor, line in [
        ("cisco_ios", "no snmp-server host 10.1.1.1 version 2c TrapK3y"),
        ("arista_eos", "snmp-server host 10.1.1.1 version 1 TrapK3y"),
        ("cisco_nxos", "snmp-server host 10.1.1.1 traps version 2c TrapK3y"),
        ("juniper_junos", "delete snmp trap-group TrapK3y targets 10.1.1.1"),
        ("juniper_junos", 'set snmp trap-group "Trap K3y" version v2'),
    ]:
        redacted = redact_text(line, vendor)
        assert "K3y" not in redacted and REDACTED in redacted, (vendor, redacted)


# --- secrets a change sets: ${VAR} references ------------------------------------------------------------

SETS_SECRETS = [
    {"kind": "local_user", "op": "add", "user": "alice", "privilege": 15, "password": "${ALICE_PW}"},
    {"kind": "aaa_server", "op": "add", "protocol": "tacacs", "server": "10.10.5.11", "key": "${TACACS_KEY}"},
    {"kind": "bgp_password", "op": "add", "neighbor": "10.0.0.2", "password": "${PEER_MD5}", "asn": 65001},
]
# How each device shows those lines once pushed: its own hash or encryption of the secret, never the secret.
SHOWN = {
    "cisco_ios": "username alice privilege 15 secret 9 $9$x1Yz$AbCdEf\ntacacs-server host 10.10.5.11 key 7 0822455D0A16\n"
    "router bgp 65001\n neighbor 10.0.0.2 password 7 1511021F0725\n",
    "arista_eos": "username alice privilege 15 secret sha512 $6$x1Yz$AbCdEf\ntacacs-server host 10.10.5.11 key 7 0822455D0A16\n"
    "router bgp 65001\n   neighbor 10.0.0.2 password 7 Qm9yZWQ=\n",
    "cisco_nxos": 'feature tacacs+\nusername alice password 5 $5$x1Yz$AbCdEf role network-admin\ntacacs-server host 10.10.5.11 key 7 "fewhg"\n'
    "feature bgp\nrouter bgp 65001\n  neighbor 10.0.0.2\n    password 3 9125d59c18a9b015\n",
    "juniper_junos": 'set system login user alice class super-user\nset system login user alice authentication encrypted-password "$6$x1Yz$AbCdEf"\n'
    'set system tacplus-server 10.10.5.11 secret "$9$AbCdEfGh"\n'
    'set protocols bgp group EBGP neighbor 10.0.0.2 authentication-key "$9$QrStUv"\n',
}


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_a_secret_is_its_reference_in_every_output_and_the_device_form_counts_as_applied(name, monkeypatch):
    from netcfg.apply import left_to_change

    monkeypatch.delenv("ALICE_PW", raising=False)
    vendor = vendors.get(name)
    _, config, warnings, errors = generate.build(SETS_SECRETS, vendor)
    assert not errors and all(ref in config for ref in ("${ALICE_PW}", "${TACACS_KEY}", "${PEER_MD5}"))
    assert any("export ALICE_PW" in w for w in warnings)
    plan = make_plan(
        ["x"],
        SETS_SECRETS,
        config,
        "hostname sw1\n" if name != "juniper_junos" else "set system host-name sw1\n",
        vendor,
    )
    shown = json.dumps(plan.to_dict()) + render_markdown(plan)
    assert all(ref in shown for ref in ("${ALICE_PW}", "${TACACS_KEY}", "${PEER_MD5}"))  # references are never redacted
    # after the push the device shows its own hash: nothing is left to change...
    assert left_to_change(SHOWN[name], config, vendor).strip() == ""
    # ...but a device without the user still needs it
    without = "\n".join(ln for ln in SHOWN[name].splitlines() if "alice" not in ln) + "\n"
    assert "alice" in left_to_change(without, config, vendor)


def test_secrets_are_read_from_the_environment_only_for_the_lines_sent():
    from netcfg.errors import ConfigError
    from netcfg.redact import resolve

    lines = ["username alice privilege 15 secret 0 ${ALICE_PW}", "ntp server 10.0.0.1"]
    assert resolve(lines, "cisco_ios", {"ALICE_PW": "Str0ng!pw"}) == [
        "username alice privilege 15 secret 0 Str0ng!pw",
        lines[1],
    ]
    junos = ['set system tacplus-server 10.1.1.1 secret "${K}"']
    assert resolve(junos, "juniper_junos", {"K": "k3y"}) == ['set system tacplus-server 10.1.1.1 secret "k3y"']
    with pytest.raises(ConfigError, match=r"\$\{ALICE_PW\} is not set: export ALICE_PW"):
        resolve(lines, "cisco_ios", {})
    for bad in ["two words", 'a"quote', "what?", "back\\slash", "x" * 129]:
        with pytest.raises(ConfigError, match="printable characters only") as e:
            resolve(lines, "cisco_ios", {"ALICE_PW": bad})
        assert bad not in str(e.value)


def test_frr_shows_a_bgp_password_in_clear_never_in_a_plan_and_it_counts_as_applied():
    from netcfg.apply import left_to_change

    frr = vendors.get("frr")
    change = [{"kind": "bgp_password", "op": "add", "neighbor": "10.255.0.2", "password": "${IBGP_MD5}"}]
    running = (
        "router bgp 65010\n neighbor 10.255.0.2 remote-as 65010\n neighbor 10.255.0.2 password 0ldClearKey\nexit\n"
    )
    norm, config, _, errors = generate.build(change, frr, running)
    assert not errors and "neighbor 10.255.0.2 password ${IBGP_MD5}" in config
    plan = make_plan(["x"], norm, config, running, frr)
    assert "0ldClearKey" in plan.rollback  # the rollback puts the old password back...
    shown = json.dumps(plan.redacted().to_dict()) + render_markdown(plan.redacted())
    assert "0ldClearKey" not in shown and "${IBGP_MD5}" in shown  # ...and no output shows it
    pushed = running.replace("0ldClearKey", "N3wClearKey")
    assert left_to_change(pushed, config, frr).strip() == ""
    assert "password" in left_to_change(running.replace(" neighbor 10.255.0.2 password 0ldClearKey\n", ""), config, frr)
