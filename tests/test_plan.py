"""`netcfg plan` proved on realistic running configs: golden plans, and properties of every plan.

Each tests/plan_golden/<vendor>/<case>.yaml holds
  running:     a file name in examples/running/ (a device's `show running-config`, or
               `show configuration | display set` for Junos) or the config text itself
  changes:     the typed intent
  remediation: the exact commands the plan pushes ('' when nothing changes)
  rollback:    the exact commands that undo them
  warnings:    (optional) the exact warnings, generate's first, then the planner's
  xfail:       (optional) a known planner bug or limitation, in one line; remediation / rollback /
               warnings then say what the device needs, `got` what the planner gives today. The test
               is a strict xfail: once the planner is fixed it passes, fails as XPASS, and the
               `xfail`, `got` and `replays` keys are to be removed.
  replays:     (optional, with xfail) false when the bug also breaks the replay property below.
Every expected remediation was read against the vendor's documentation (the comment at the top of
each file). The property tests replay plans on the planner's own model of the device: pushing the
remediation reaches the intended config, and pushing the rollback gets the running config back.
They run over every plan golden and every case of examples/eval/*.yaml (its candidate `expect`,
planned against its own `running` or the vendor's file in examples/running/).
The FRR goldens are also pushed to a real FRR router (marker frr, tests/frrlab.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from netcfg import configtree, generate, vendors
from netcfg.apply import config_lines
from netcfg.errors import ConfigError
from netcfg.plan import intended_config, make_plan, normalized_running, remediation

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "plan_golden"
RUNNING = ROOT / "examples" / "running"
EVAL = ROOT / "examples" / "eval"
CASES = sorted(GOLDEN.glob("*/*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def running_text(ref: str) -> str:
    """A plan golden's `running`: a file in examples/running/ or the config text itself."""
    return ref if "\n" in ref else (RUNNING / ref).read_text()


def vendor_running(vendor: str) -> str:
    """The vendor's realistic running config in examples/running/ (one file per vendor)."""
    (path,) = RUNNING.glob(f"{vendor}_*")
    return path.read_text()


def golden_plan(path: Path):
    case = _load(path)
    vendor = vendors.get(path.parent.name)
    running = running_text(case["running"])
    norm, candidate, warnings, errors = generate.build(case["changes"], vendor, running)
    assert not errors, errors
    plan = make_plan([path.stem], norm, candidate, running, vendor)
    return case, vendor, running, plan, warnings + plan.warnings


def _golden_params(replay: bool = False):
    """Goldens as test parameters; a known bug is a strict xfail (for the replay, only where the
    golden says `replays: false`: the bug is in the planner's own model, not only in device terms)."""
    params = []
    for p in CASES:
        case = _load(p)
        known = case.get("xfail") and not (replay and case.get("replays", True))
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if known else []
        params.append(pytest.param(p, id=f"{p.parent.name}/{p.stem}", marks=marks))
    return params


def test_every_vendor_has_plan_goldens_and_a_running_config():
    for name in vendors.names():
        stems = {p.stem for p in (GOLDEN / name).glob("*.yaml")}
        for needed in ("already_satisfied", "remove_absent", "multi_change"):
            assert needed in stems, f"{name} has no plan golden {needed}"
        assert any(s.startswith("remove_") and s != "remove_absent" for s in stems), name
        assert any(s.startswith("add_") for s in stems), name
        assert any(s.startswith("change_") for s in stems), name
        assert len(vendor_running(name).splitlines()) > 50


@pytest.mark.parametrize("path", _golden_params())
def test_plan_golden(path):
    case, _, _, plan, warnings = golden_plan(path)
    assert plan.remediation == case["remediation"]
    assert plan.rollback == case["rollback"]
    if "warnings" in case:
        assert warnings == case["warnings"]
    assert plan.changed == bool(case["remediation"].strip())


# ------------------------------------------------------------------------------------ properties


def assert_replays(running: str, plan, vendor) -> None:
    """Remediation applied to running reaches the intended config; rollback applied to it goes back."""
    running = vendor.clean_running(running)
    before = normalized_running(running, vendor)
    after, _ = intended_config(running, plan.remediation, vendor)
    assert remediation(after, plan.intended, vendor) == "", "remediation does not reach the intended config"
    assert remediation(plan.intended, after, vendor) == "", "remediation does more than the intended config"
    back, _ = intended_config(plan.intended, plan.rollback, vendor)
    assert remediation(back, before, vendor) == "", "rollback does not get the running config back"
    assert remediation(before, back, vendor) == "", "rollback does more than restore the running config"


@pytest.mark.parametrize("path", _golden_params(replay=True))
def test_golden_plan_replays(path):
    _, vendor, running, plan, _ = golden_plan(path)
    assert_replays(running, plan, vendor)


def test_an_acl_entry_never_lands_behind_a_catch_all_it_cannot_go_before():
    """No free sequence number before the final `deny ip any any`: a clear error, not an entry that never matches."""
    vendor = vendors.get("cisco_ios")
    running = "ip access-list extended EDGE\n 10 permit tcp any any eq 22\n 11 deny ip any any\n"
    change = {
        "kind": "acl_rule",
        "op": "add",
        "acl": "EDGE",
        "action": "permit",
        "protocol": "tcp",
        "source": "any",
        "destination": "any",
        "port": "443",
    }
    norm, candidate, _, errors = generate.build([change], vendor, running)
    assert not errors
    with pytest.raises(ConfigError, match=r"no sequence number is free before it; resequence"):
        make_plan(["x"], norm, candidate, running, vendor)
    gap = make_plan(["x"], norm, candidate, running.replace(" 11 deny", " 20 deny"), vendor)
    assert gap.remediation.splitlines()[1].split()[:2] == ["15", "permit"]


# Eval cases whose plan does not replay, each for a known planner bug or limitation (the plan
# goldens named in the reason show it exactly). Strict: a fixed planner makes them pass, then drop them.
_MODE = (
    "L2/L3 mode change: the device adds or drops the default `switchport` line and the other mode's "
    "settings; the planner keeps both (cisco_ios: eval cases routed-*)"
)
_NX_PASSIVE = (
    "hier_config negates NX-OS `ip ospf passive-interface` as `default ...`, which intended_config does not read "
    "as a negation"
)
KNOWN_EVAL = {
    "arista_eos/switchport-back": _MODE,
    "cisco_ios/routed-add": _MODE,
    "cisco_ios/routed-l3-ip": _MODE,
    "cisco_ios/routed-no-switchport-two": _MODE,
    "cisco_ios/multi-routed-ip-ospf": _MODE,
    "cisco_ios/multi-routed-back": _MODE,
    "multi_cisco_ios/d2-ios-layer3-wan-uplink": _MODE,
    "multi_tickets/d5-eos-spine1-leaf9-underlay": _MODE,
    "multi_d6/d6-eos-routed-uplink": _MODE,
    "kinds_ipv6/k8-v6a-eos-routed-et7": _MODE,
    "multi_d7/d7-eos-et7-routed-v6": _MODE,
    "cisco_nxos/multi-ospf-lo": _NX_PASSIVE,
    "multi_d6/d6-nx-ospf-underlay": _NX_PASSIVE,
    "multi_d8/d8-ios-routed-uplink-ospf-p2p": _MODE,
    "multi_d10/d10-ios-routed-uplink-ospf-p2p": _MODE,
    "multi_d11/d11-ios-core2-link-ospf": _MODE,
    "multi_d8/d8-nx-retire-printer-port": "NX-OS: the rollback of a port's shutdown writes `no shutdown`, which the "
    "running config left unsaid",
    "multi_d12/d12-nx-oob-vrf-eth1-48": "NX-OS: the rollback's `no vrf member` clears the port's addresses on the "
    "device, so the rollback leaves them unsaid; the replay's model of the config keeps them",
    "multi_d13/d13-ios-wan-handoff-48": _MODE,
    "multi_d14/d14-ios-routed-core": _MODE,
    "multi_d16/d16-ios-routed-port-ospf-p2p": _MODE,
    "multi_d18/d18-ios-routed-uplink-te2": _MODE,
    "multi_d19/d19-10-ios-retire-cam-vlan": _MODE,
    "multi_d19/d19-34-nxos-ospf-underlay": _NX_PASSIVE,
    "multi_d17/d17-eos-tenant-b-vrf": "EOS: the rollback's `no vrf` clears the port's addresses on the device, so the "
    "rollback leaves them unsaid; the replay's model of the config keeps them",
    "multi_d13/d13-ios-ntp-swap-syslog": "IOS: the rollback has `logging trap informational`, but the replay's model "
    "of the config, which replaces `logging trap <level>` in place, loses the level it sets back",
}


def _eval_cases():
    params = []
    for f in sorted(EVAL.glob("*.yaml")):
        for case in yaml.safe_load(f.read_text()):
            cid = f"{f.stem}/{case['id']}"
            marks = [pytest.mark.xfail(reason=KNOWN_EVAL[cid], strict=True)] if cid in KNOWN_EVAL else []
            params.append(pytest.param(case, id=cid, marks=marks))
    return params


@pytest.mark.parametrize("case", _eval_cases())
def test_eval_case_plan_replays(case):
    vendor = vendors.get(case["vendor"])
    running = case.get("running") or vendor_running(vendor.name)
    plan = make_plan([case["intent"]], [], case["expect"], running, vendor)
    assert_replays(running, plan, vendor)


# ------------------------------------------------------------------------------ a real FRR router

FRR_CASES = [p for p in _golden_params() if p.values[0].parent.name == "frr"]
_HEADER = re.compile(r"^(Building configuration|Current configuration|frr version|frr defaults|end$)")


@pytest.fixture(scope="module")
def frr_routers(tmp_path_factory):
    """A lab router for a golden: one with vrrpd also running for VRRP goldens (vrrpd writes an empty block for
    every interface it has seen, so the other goldens use a router without it)."""
    from frrlab import FrrLab

    reason = FrrLab.unavailable()
    if reason:
        pytest.skip(reason)
    FrrLab.cleanup_stale()
    labs: dict[bool, FrrLab] = {}

    def router(vrrp: bool):
        if vrrp not in labs:
            labs[vrrp] = FrrLab(
                1,
                tmp_path_factory.mktemp("frrlab-plan"),
                prefix="ncv" if vrrp else "nc",
                extra_daemons=("vrrpd",) if vrrp else (),
            )
        return labs[vrrp].routers[0]

    try:
        yield router
    finally:
        for lab in labs.values():
            lab.stop()


def _push(router, lines: list[str]) -> None:
    netmiko = pytest.importorskip("netmiko")
    conn = netmiko.ConnectHandler(**router.netmiko_params())
    try:
        conn.send_config_set(
            lines,
            error_pattern=r"% ?(Unknown command|Invalid|Ambiguous|Command incomplete|"
            r"Specify remote-as)",
            read_timeout=60,
        )
    finally:
        conn.disconnect()


def _read(router, vendor) -> str:
    """The router's running config as the planner sees it (headers dropped, re-indented)."""
    return normalized_running(vendor.clean_running(router.running_config()), vendor)


def _commands(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


@pytest.mark.frr
@pytest.mark.parametrize("path", FRR_CASES)
def test_frr_golden_on_a_real_router(path, frr_routers, tmp_path):
    """Load the golden's running config into a real FRR, push the plan, read back, roll back."""
    import subprocess

    case = _load(path)
    frr_router = frr_routers(any(c["kind"] == "vrrp" for c in case["changes"]))
    if any(c["kind"] == "hostname" for c in case["changes"]):
        pytest.skip("hostname typed in vtysh does not show in an -N instance's running config")
    vendor = vendors.get("frr")
    conf = tmp_path / "frr.conf"
    conf.write_text(
        "".join(
            ln + "\n"
            for ln in running_text(case["running"]).splitlines()
            if not _HEADER.match(ln) and not ln.startswith("hostname ")
        )
    )
    subprocess.run(["vtysh", "-N", frr_router.name, "-f", str(conf)], check=True, capture_output=True)
    try:
        running = frr_router.running_config()
        norm, candidate, _, _ = generate.build(case["changes"], vendor, running)
        plan = make_plan([path.stem], norm, candidate, running, vendor)
        assert plan.remediation == case["remediation"]  # the lab router holds the golden's config
        _push(frr_router, _commands(plan.remediation))
        assert remediation(_read(frr_router, vendor), plan.intended, vendor) == ""
        assert remediation(plan.intended, _read(frr_router, vendor), vendor) == ""
        assert configtree.paths(_read(frr_router, vendor)) == configtree.paths(plan.intended)
        _push(frr_router, _commands(plan.rollback))
        assert frr_router.running_config() == running  # rolled back byte for byte
        before = normalized_running(vendor.clean_running(running), vendor)
        assert remediation(_read(frr_router, vendor), before, vendor) == ""
        assert remediation(before, _read(frr_router, vendor), vendor) == ""
        assert configtree.paths(_read(frr_router, vendor)) == configtree.paths(before)
    finally:  # leave a bare router for the next case: the planner's own way back (no `no interface`)
        bare = normalized_running(vendor.clean_running("\n".join(frr_router.initial_config) + "\n"), vendor)
        reset = remediation(_read(frr_router, vendor), bare, vendor)
        if reset.strip():
            _push(frr_router, config_lines(reset, vendor))
        assert remediation(_read(frr_router, vendor), bare, vendor) == ""


def test_junos_deactivate_lines_are_kept_planned_and_undone():
    """`deactivate X` is config (display set prints it): a plan adds it after what it marks, takes it away with
    `activate X` before anything else, and a deleted statement loses its mark too."""
    vendor = vendors.get("juniper_junos")
    running = (
        "set protocols bgp group T neighbor 192.0.2.1 peer-as 64500\n"
        "set protocols bgp group T neighbor 192.0.2.5 peer-as 64501\n"
        "deactivate protocols bgp group T neighbor 192.0.2.5\n"
    )
    after, warnings = intended_config(
        running,
        "activate protocols bgp group T neighbor 192.0.2.5\ndeactivate protocols bgp group T neighbor 192.0.2.1\n",
        vendor,
    )
    assert not warnings
    assert remediation(normalized_running(running, vendor), after, vendor) == (
        "activate protocols bgp group T neighbor 192.0.2.5\ndeactivate protocols bgp group T neighbor 192.0.2.1\n"
    )
    gone, _ = intended_config(running, "delete protocols bgp group T neighbor 192.0.2.5\n", vendor)
    assert "192.0.2.5" not in gone
    _, warnings = intended_config(running, "deactivate protocols bgp group T neighbor 192.0.2.9\n", vendor)
    assert warnings == ["'protocols bgp group T neighbor 192.0.2.9' is not configured; nothing to deactivate"]
    _, warnings = intended_config(running, "activate protocols bgp group T neighbor 192.0.2.1\n", vendor)
    assert warnings == ["'protocols bgp group T neighbor 192.0.2.1' is not deactivated; nothing to activate"]
