import pytest

from netcfg.errors import ConfigError
from netcfg.inventory import Inventory


@pytest.fixture
def inv(tmp_path, monkeypatch):
    monkeypatch.setenv("CORE_PW", "pa55")
    (tmp_path / "hosts.yaml").write_text(
        "sw1:\n  hostname: 10.0.0.1\n  groups: [access]\n  data: {vlan30_ip: 10.30.0.1/24}\n"
        "sw2:\n  groups: [access]\n  port: 2222\n"
        "rtr1:\n  platform: frr\n  password: ${CORE_PW}\n"
        "bad:\n  password: ${MISSING_VAR}\n  platform: frr\n"
    )
    (tmp_path / "groups.yaml").write_text("access:\n  platform: cisco_ios\n  data: {site: hq, role: access}\n")
    (tmp_path / "defaults.yaml").write_text("username: netops\ndata: {site: default}\n")
    return Inventory(tmp_path)


def test_host_inherits_groups_then_defaults(inv):
    h = inv.host("sw1")
    assert (h.platform, h.username, h.port) == ("cisco_ios", "netops", 22)
    assert h.data == {"site": "hq", "role": "access", "vlan30_ip": "10.30.0.1/24"}
    assert inv.host("sw2").port == 2222 and inv.host("sw2").hostname == "sw2"


def test_env_references_are_expanded_and_missing_ones_named(inv):
    assert inv.host("rtr1").password == "pa55"
    with pytest.raises(ConfigError, match="MISSING_VAR"):
        inv.host("bad")


def test_selection_by_group_and_filter(inv):
    assert [h.name for h in inv.select(["sw1", "sw2", "rtr1"], group="access")] == ["sw1", "sw2"]
    assert [h.name for h in inv.select(["sw1", "sw2", "rtr1"], where={"platform": "frr"})] == ["rtr1"]


def test_unknown_and_malformed(inv, tmp_path):
    with pytest.raises(ConfigError, match="unknown device"):
        inv.host("nope")
    (tmp_path / "hosts.yaml").write_text("sw1: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Inventory(tmp_path)
    with pytest.raises(ConfigError, match="no hosts.yaml"):
        Inventory(tmp_path / "missing")
