"""Golden files: typed changes -> candidate config, per vendor and feature, reviewed against vendor docs.

Each tests/golden/<vendor>/<case>.yaml holds `changes` (the typed intent), optionally `running`, and
the exact expected `config`. FRR cases are also fed to the real FRR parser when vtysh is installed.
"""

from pathlib import Path

import pytest
import yaml

from netcfg import generate, vendors

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_golden(path):
    case = yaml.safe_load(path.read_text())
    vendor = vendors.get(path.parent.name)
    _, config, _, _ = generate.build(case["changes"], vendor, case.get("running"))
    assert config == case["config"]


def test_every_vendor_feature_has_a_golden_file():
    kinds_by_vendor = {}
    for p in CASES:
        case = yaml.safe_load(p.read_text())
        kinds_by_vendor.setdefault(p.parent.name, set()).update(c["kind"] for c in case["changes"])
    for name in vendors.names():
        missing = set(vendors.get(name).features) - kinds_by_vendor.get(name, set())
        assert not missing, f"{name} has no golden file for {sorted(missing)}"
