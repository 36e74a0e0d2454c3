"""Vendor files are typed data: every file loads into named parts, and a key the parts do not know (a
misspelling that would otherwise fall back to a default) is refused when the file is read."""

import copy
import re

import pytest
import yaml

from netcfg import generate, vendors
from netcfg.errors import ConfigError, NetcfgError
from netcfg.paths import data_path


def _data(name: str) -> dict:
    return yaml.safe_load((data_path("vendor_schemas") / f"{name}.yaml").read_text())


@pytest.mark.parametrize("name", vendors.names())
def test_every_vendor_file_loads_into_typed_parts(name):
    v = vendors.get(name)
    assert v.name == name and v.features
    assert v.device.netmiko and v.device.show_running and v.device.error_pattern
    assert v.rendering.style in ("indent", "set") and v.rendering.virtual_interfaces
    if v.style == "indent":
        assert v.plan.negation == "no " and v.device.exit_command
    assert all(hasattr(r, "search") for r in v.plan.replaces)  # patterns compiled once, at load
    assert v.secrets and v.reading.backup_markers


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d.update(save_comand="write memory"), "unknown key 'save_comand'"),
        (lambda d: d["plan"].update(negate_frist=[]), "negate_frist"),
        (lambda d: d.pop("show_running"), "missing key 'show_running'"),
        (lambda d: d["plan"].update(acl_parent="^ip access-list ("), "does not compile"),
        (lambda d: d.update(style="tree"), "style is indent or set"),
        (lambda d: d["plan"].pop("negation"), "needs plan.negation"),
    ],
)
def test_a_misspelt_missing_or_broken_key_is_refused_on_load(change, message):
    data = copy.deepcopy(_data("cisco_ios"))
    change(data)
    with pytest.raises(ConfigError, match=message):
        vendors.Vendor.from_data(data, "cisco_ios.yaml")


@pytest.mark.parametrize(
    "vendor,changes,message",
    [
        (
            "cisco_ios",
            [{"kind": "speed", "op": "add", "interfaces": "gi0/1", "speed": "1g", "duplex": "half"}],
            "half duplex is only for 10 or 100",
        ),
        (
            "cisco_ios",
            [{"kind": "speed", "op": "add", "interfaces": "vlan30", "speed": "100"}],
            "Vlan30 is not a switchport",
        ),
        (
            "frr",
            [{"kind": "speed", "op": "add", "interfaces": "eth0", "speed": "100"}],
            "frr has no interface speed or duplex setting",
        ),
        ("cisco_ios", [{"kind": "timezone", "op": "add", "zone": "EST"}], "say the offset of EST"),
        (
            "cisco_nxos",
            [{"kind": "timezone", "op": "add", "zone": "America/Chicago", "offset": "-6"}],
            "an abbreviation of up to 7",
        ),
        (
            "arista_eos",
            [{"kind": "timezone", "op": "add", "zone": "EST", "offset": "-5"}],
            "no UTC offset for a time zone",
        ),
        ("juniper_junos", [{"kind": "timezone", "op": "add", "zone": "CET", "offset": "+1"}], "tz database name"),
        ("frr", [{"kind": "timezone", "op": "add", "zone": "UTC"}], "frr has no time zone setting"),
        ("cisco_nxos", [{"kind": "logging_level", "op": "add", "level": "4"}], "NX-OS sets one per server"),
        ("juniper_junos", [{"kind": "logging_level", "op": "add", "level": "4"}], "Junos sets one per host"),
        ("arista_eos", [{"kind": "hsrp", "op": "add", "interface": "vlan10", "virtual_ip": "10.0.0.1"}], "no HSRP"),
        ("frr", [{"kind": "hsrp", "op": "add", "interface": "eth0", "virtual_ip": "10.0.0.1"}], "vrrpd runs VRRP"),
        (
            "cisco_nxos",
            [{"kind": "vrrp", "op": "add", "interface": "vlan10", "group": 1, "virtual_ip": "10.0.0.1"}],
            "no VRRP in netcfg yet",
        ),
        (
            "juniper_junos",
            [{"kind": "vrrp", "op": "add", "interface": "irb.10", "group": 1, "virtual_ip": "10.0.0.1"}],
            "irb.10 has no IPv4 address in the running config",
        ),
        (
            "cisco_ios",
            [{"kind": "vrrp", "op": "add", "interface": "vlan10", "group": 1, "priority": 255}],
            "vrrp priority 255 is out of range",
        ),
        (
            "cisco_ios",
            [{"kind": "vrrp", "op": "add", "interface": "vlan10", "group": 1}],
            "needs virtual ip or priority",
        ),
        (
            "juniper_junos",
            [
                {
                    **{"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": "10.0.0.0/8"},
                    "action": "deny",
                }
            ],
            "no deny in a prefix-list",
        ),
        (
            "juniper_junos",
            [
                {
                    **{"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": "10.0.0.0/8"},
                    "le": 24,
                }
            ],
            "route-filter PREFIX upto",
        ),
        (
            "juniper_junos",
            [
                {
                    **{"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": "10.0.0.0/8"},
                    "seq": 10,
                }
            ],
            "no sequence numbers",
        ),
        (
            "cisco_ios",
            [
                {
                    **{"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": "10.0.0.0/8"},
                    "le": 8,
                }
            ],
            "le 8 must be longer than the prefix's /8",
        ),
        (
            "frr",
            [
                {
                    **{"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": "10.0.0.0/8"},
                    "ge": 33,
                }
            ],
            "ge 33 is out of range",
        ),
        (
            "arista_eos",
            [
                {
                    **{"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": "10.0.0.0/8"},
                    "ge": 28,
                    "le": 24,
                }
            ],
            "ge 28 must not be greater than le 24",
        ),
        (
            "cisco_nxos",
            [
                {
                    **{"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": "10.0.0.0/8"},
                    "prefix": "10.1.0.0/8",
                }
            ],
            "host bits set",
        ),
    ],
)
def test_speed_and_timezone_a_vendor_cannot_take_are_refused(vendor, changes, message):
    with pytest.raises(NetcfgError, match=message):
        generate.build(changes, vendors.get(vendor), None)


@pytest.mark.parametrize(
    "vendor, running, seqs",
    [
        (
            "cisco_ios",
            "ip prefix-list PL seq 5 permit 10.0.0.0/8\nip prefix-list PL seq 10 deny 0.0.0.0/0 le 32\n",
            [5, 15, 20],
        ),
        ("frr", "ip prefix-list OTHER seq 40 permit 10.0.0.0/8\n", [5, 10, 15]),
        (
            "arista_eos",
            "ip prefix-list PL\n   seq 10 permit 10.0.0.0/8\n   seq 20 deny 0.0.0.0/0 le 32\n",
            [10, 30, 40],
        ),
    ],
)
def test_prefix_list_entries_get_the_running_seq_or_the_next_free_one(vendor, running, seqs):
    """An entry already there keeps its seq; new ones follow the list's last, in the request's order; other
    lists do not count."""
    changes = [
        {"kind": "prefix_list", "op": "add", "name": "PL", "action": "permit", "prefix": p}
        for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    ]
    _, config, _, _ = generate.build(changes, vendors.get(vendor), "hostname r1\n" + running)
    assert [int(n) for n in re.findall(r"seq (\d+) permit", config)] == seqs
