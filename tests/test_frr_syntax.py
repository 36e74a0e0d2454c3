"""Every FRR configuration netcfg is expected to produce must pass the real FRR parser.

`vtysh --dryrun -f FILE` reads FILE as an integrated frr.conf without talking to any daemon. Each
rejected line is reported on stderr as "line N: % Unknown command[NODE]: TEXT" (or "% Command
incomplete", "% Ambiguous command") and the exit status is non-zero (2); a clean file prints nothing
and exits 0. The dry run keeps no state, so a `no ...` line parses whether or not the thing exists;
the case's running config is still fed first so removals are read in the context they apply to.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = sorted((ROOT / "tests" / "golden" / "frr").glob("*.yaml"))
EVAL = ROOT / "examples" / "eval" / "frr.yaml"
VTYSH = shutil.which("vtysh")

pytestmark = pytest.mark.skipif(VTYSH is None, reason="vtysh not on PATH (install the Debian package frr)")


def dryrun(text: str, tmp_path: Path) -> tuple[int, str]:
    """(exit status, error output) of `vtysh --dryrun -f` over text."""
    path = tmp_path / "frr.conf"
    path.write_text(text)
    p = subprocess.run([VTYSH, "--dryrun", "-f", str(path)], capture_output=True, text=True, timeout=60)
    return p.returncode, (p.stderr + p.stdout).strip()


def assert_accepted(text: str, tmp_path: Path) -> None:
    rc, out = dryrun(text, tmp_path)
    assert rc == 0 and "% " not in out, f"vtysh rejected (exit {rc}):\n{out}\n--- file ---\n{text}"


def _eval_cases() -> list[dict]:
    return yaml.safe_load(EVAL.read_text()) if EVAL.is_file() else []


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_config_parses(path, tmp_path):
    case = yaml.safe_load(path.read_text())
    assert_accepted(case["config"], tmp_path)
    if case.get("running"):
        assert_accepted(case["running"] + case["config"], tmp_path)


@pytest.mark.parametrize("case", _eval_cases(), ids=lambda c: str(c.get("id")))
def test_eval_expectation_parses(case, tmp_path):
    assert_accepted((case.get("running") or "") + case["expect"], tmp_path)


@pytest.mark.parametrize(
    "bad",
    [
        "interface eth0\n ip address 10.0.0.1/24\n bogus line here\n",
        "ntp server 10.0.0.1\n",
        "router bgp 65001\n neighbor 10.0.0.2\n",
    ],
)
def test_a_rejected_line_fails(bad, tmp_path):
    rc, out = dryrun(bad, tmp_path)
    assert rc != 0 and "% " in out
    with pytest.raises(AssertionError):
        assert_accepted(bad, tmp_path)


def test_a_line_after_an_address_family_is_checked_in_its_own_block():
    """A neighbor removed after another neighbor's address-family line: the candidate shows `no neighbor X`
    after the `address-family` block, which vtysh reads inside the address family ("% Command incomplete")
    unless the block is closed, as it is when pushed. The check reads the lines as they are pushed."""
    from netcfg import generate, vendors

    running = "router bgp 65301\n neighbor 10.255.1.2 remote-as 65301\n neighbor 10.255.1.3 remote-as 65301\n"
    changes = [
        {"kind": "bgp_next_hop_self", "op": "add", "neighbor": "10.255.1.2"},
        {"kind": "bgp_neighbor", "op": "remove", "neighbor": "10.255.1.3"},
    ]
    _, config, _, errors = generate.build(changes, vendors.get("frr"), running)
    assert config.index("address-family") < config.index("no neighbor 10.255.1.3")
    assert errors == []
    bad = "router bgp 65301\n address-family ipv4 unicast\n  neighbor 10.255.1.2 bogus-word\n"
    assert generate.syntax_check(bad, vendors.get("frr"))  # the closed blocks still fail on a bad line
