"""`netcfg backup` / `restore` on a real FRR router over SSH: a private backup, a truncated backup
refused with the device untouched, the good backup restored byte for byte."""

import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from frrlab import FrrLab, module_lab  # noqa: E402

from netcfg import cli, vendors  # noqa: E402

pytestmark = [
    pytest.mark.frr,
    pytest.mark.skipif(FrrLab.unavailable() is not None, reason=f"no FRR lab: {FrrLab.unavailable()}"),
]

runner = CliRunner()
FRR = vendors.get("frr")


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    with module_lab(tmp_path_factory, 1, "backuplab") as lab:
        yield lab.routers[0]


@pytest.fixture
def env(router, lab_inventory, tmp_path):
    lab_inventory([router], platform="frr")
    return tmp_path


def test_backup_is_private_and_a_truncated_one_is_refused(router, env):
    original = router.running_config()
    res = runner.invoke(cli.app, ["backup", "--device", "r1"])
    assert res.exit_code == 0, res.stderr
    good = Path(res.stdout.strip())
    assert stat.S_IMODE(good.stat().st_mode) == 0o600 and stat.S_IMODE(good.parent.stat().st_mode) == 0o700
    assert FRR.clean_running(good.read_text()) == FRR.clean_running(original)

    router.vtysh("configure terminal", "ip route 10.123.0.0/16 blackhole")
    changed = router.running_config()
    assert "10.123.0.0/16" in changed
    truncated = env / "truncated.cfg"
    truncated.write_text(good.read_text().rsplit("end", 1)[0])  # cut short before the end marker
    res = runner.invoke(cli.app, ["restore", str(truncated), "--device", "r1", "--yes"])
    assert res.exit_code == 1
    assert len(res.stderr.strip().splitlines()) == 1 and "--force" in res.stderr and "end marker" in res.stderr
    assert router.running_config() == changed  # untouched

    res = runner.invoke(cli.app, ["restore", str(good), "--device", "r1", "--yes"])
    assert res.exit_code == 0, res.stderr
    assert router.running_config() == original
