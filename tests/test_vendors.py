"""Vendor files are typed data: every file loads into named parts, and a key the parts do not know (a
misspelling that would otherwise fall back to a default) is refused when the file is read."""

import copy
import re

import pytest
import yaml

from netcfg import generate, values, vendors
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


_RM_RUNNING = {
    "cisco_ios": "hostname r1\nroute-map RM permit 10\n match ip address prefix-list PL-A\n set local-preference 200\n"
    "route-map RM deny 20\n match ip address prefix-list PL-B\nrouter bgp 65010\n",
    "juniper_junos": "set system host-name r1\nset routing-options autonomous-system 65010\n"
    "set policy-options policy-statement RM term 10 from prefix-list PL-A\n"
    "set policy-options policy-statement RM term 10 then accept\n"
    "set policy-options policy-statement RM term 20 from prefix-list PL-B\n"
    "set policy-options policy-statement RM term 20 then reject\n",
}


@pytest.mark.parametrize("vendor", ["cisco_ios", "juniper_junos"])
@pytest.mark.parametrize(
    "change, seq, action",
    [
        ({"match_prefix_list": "PL-A", "med": 5}, 10, "permit"),  # the entry that matches PL-A, edited in place
        ({"match_prefix_list": "PL-B", "med": 5}, 20, "deny"),  # its action kept
        ({"match_prefix_list": "PL-C", "med": 5}, 30, "permit"),  # a new entry, 10 past the last
        ({"seq": 40, "action": "deny", "match_prefix_list": "PL-D"}, 40, "deny"),
    ],
)
def test_route_map_entries_edit_the_running_entry_or_follow_the_last(vendor, change, seq, action):
    changes = [{"kind": "route_map", "op": "add", "name": "RM", **change}]
    _, config, _, _ = generate.build(changes, vendors.get(vendor), _RM_RUNNING[vendor])
    if vendor == "cisco_ios":
        assert config.splitlines()[0] == f"route-map RM {action} {seq}"
    else:
        assert f"term {seq} then {'accept' if action == 'permit' else 'reject'}" in config
        assert all(f" term {seq} " in line for line in config.splitlines() if "policy-statement" in line)


@pytest.mark.parametrize(
    "vendor, running, change, message",
    [
        ("cisco_ios", _RM_RUNNING["cisco_ios"], {"seq": 20, "action": "permit"}, "seq 20 is a deny entry"),
        ("cisco_ios", _RM_RUNNING["cisco_ios"], {"med": 5}, "has entries 10, 20: say which seq"),
        (
            "frr",
            "hostname r1\nroute-map RM permit 10\n set metric 3\nexit\n",
            {"match_prefix_list": "PL-X", "med": 5},
            "seq 10 matches every route .* an entry at seq 20 after it would never be used",
        ),
        (
            "juniper_junos",
            _RM_RUNNING["juniper_junos"],
            {"seq": 15, "med": 5},
            "adds a new term 15 .* after its last, term 20",
        ),
        ("cisco_ios", None, {"seq": 10}, None),  # (no running config: nothing to check)
        ("arista_eos", None, {"community": "65536:1"}, "invalid BGP community"),
    ],
)
def test_route_map_changes_netcfg_cannot_place_safely_are_refused(vendor, running, change, message):
    changes = [{"kind": "route_map", "op": "add", "name": "RM", **change}]
    if message is None:
        generate.build(changes, vendors.get(vendor), running)
        return
    with pytest.raises(NetcfgError, match=message):
        generate.build(changes, vendors.get(vendor), running)


def test_a_route_map_removed_whole_names_each_running_entry():
    changes = [{"kind": "route_map", "op": "remove", "name": "RM"}]
    _, config, _, _ = generate.build(changes, vendors.get("cisco_ios"), _RM_RUNNING["cisco_ios"])
    assert config.splitlines() == ["no route-map RM permit 10", "no route-map RM deny 20"]
    _, config, _, _ = generate.build(changes, vendors.get("cisco_ios"), None)
    assert config.splitlines() == ["no route-map RM"]


def test_a_neighbor_given_a_route_map_that_does_not_exist_is_warned_about():
    changes = [
        {"kind": "bgp_route_map", "op": "add", "neighbor": "192.0.2.1", "route_map": "RM-NEW", "direction": "in"}
    ]
    running = _RM_RUNNING["cisco_ios"] + " neighbor 192.0.2.1 remote-as 64500\n"
    _, _, warnings, _ = generate.build(changes, vendors.get("cisco_ios"), running)
    assert warnings == ["route-map RM-NEW is neither in the running config nor created by this change"]
    made = [{"kind": "route_map", "op": "add", "name": "RM-NEW", "seq": 10, "action": "permit"}]
    _, _, warnings, _ = generate.build(made + changes, vendors.get("cisco_ios"), running)
    assert warnings == []
    # an option of a neighbor the device does not have: IOS refuses it ("Specify remote-as ... first")
    _, _, warnings, _ = generate.build(made + changes, vendors.get("cisco_ios"), _RM_RUNNING["cisco_ios"])
    assert warnings == ["BGP neighbor 192.0.2.1 is neither in the running config nor created by this change"]
    peer = [{"kind": "bgp_neighbor", "op": "add", "neighbor": "192.0.2.1", "remote_as": 64500}]
    _, _, warnings, _ = generate.build(peer + made + changes, vendors.get("cisco_ios"), _RM_RUNNING["cisco_ios"])
    assert warnings == []


def test_junos_puts_a_route_map_first_in_a_neighbors_export_chain_and_keeps_what_it_inherited():
    running = (
        "set routing-options autonomous-system 65010\nset protocols bgp group ISP export BASE-OUT\n"
        "set protocols bgp group ISP neighbor 192.0.2.1 peer-as 65020\n"
    )
    changes = [
        {"kind": "bgp_route_map", "op": "add", "neighbor": "192.0.2.1", "route_map": "RM-OUT", "direction": "out"}
    ]
    _, config, _, _ = generate.build(changes, vendors.get("juniper_junos"), running)
    assert config.splitlines() == [
        "set protocols bgp group ISP neighbor 192.0.2.1 export RM-OUT",
        "set protocols bgp group ISP neighbor 192.0.2.1 export BASE-OUT",
    ]
    own = running + "set protocols bgp group ISP neighbor 192.0.2.1 export OTHER\n"
    with pytest.raises(NetcfgError, match="has its own export policies \\(OTHER\\)"):
        generate.build(changes, vendors.get("juniper_junos"), own)


def test_a_vty_acl_removed_without_its_name_is_the_one_every_vty_range_has():
    running = "hostname r1\nline vty 0 4\n access-class OLD-VTY in\nline vty 5 15\n access-class OLD-VTY in vrf-also\n"
    changes = [{"kind": "vty_access_class", "op": "remove"}]
    _, config, _, _ = generate.build(changes, vendors.get("cisco_ios"), running)
    assert config.splitlines() == [
        "line vty 0 4",
        " no access-class OLD-VTY in",
        "line vty 5 15",
        " no access-class OLD-VTY in",
    ]
    two = running.replace("5 15\n access-class OLD-VTY", "5 15\n access-class OTHER")
    with pytest.raises(NetcfgError, match="say which ACL to take off the vty lines"):
        generate.build(changes, vendors.get("cisco_ios"), two)


def test_a_vrf_still_in_use_is_not_removed_and_one_emptied_in_the_same_request_is():
    running = (
        "hostname r1\nvrf definition OLD\n address-family ipv4\ninterface GigabitEthernet0/2\n vrf forwarding OLD\n"
        " ip address 10.2.2.1 255.255.255.0\nip route vrf OLD 0.0.0.0 0.0.0.0 10.2.2.254\n"
    )
    ios = vendors.get("cisco_ios")
    gone = [{"kind": "vrf", "op": "remove", "name": "OLD"}]
    _, _, _, errors = generate.build(gone, ios, running)
    assert len(errors) == 1 and errors[0].startswith("vrf OLD is still used after this change (")
    emptied = gone + [
        {"kind": "interface_vrf", "op": "remove", "interfaces": "Gi0/2", "vrf": "OLD"},
        {"kind": "static_route", "op": "remove", "prefix": "0.0.0.0/0", "next_hop": "10.2.2.254", "vrf": "OLD"},
    ]
    _, config, _, errors = generate.build(emptied, ios, running)
    assert errors == [] and config.splitlines()[-1] == "no vrf definition OLD"  # removed after its users


def test_an_eos_vrf_with_bgp_neighbors_is_still_used_and_one_with_only_an_rd_goes_with_it():
    running = "vrf instance RED\nip routing vrf RED\nrouter bgp 65001\n   vrf RED\n      rd 65001:10\n"
    eos = vendors.get("arista_eos")
    gone = [{"kind": "vrf", "op": "remove", "name": "RED"}]
    _, config, _, errors = generate.build(gone, eos, running)
    assert errors == [] and "no vrf RED" in config
    _, _, _, errors = generate.build(gone, eos, running + "      neighbor 10.1.1.1 remote-as 65002\n")
    assert len(errors) == 1 and errors[0].startswith(
        "vrf RED is still used after this change (router bgp 65001 > vrf RED"
    )


@pytest.mark.parametrize(
    "vendor,ospf_line",
    [
        ("cisco_ios", " ip ospf 1 area 0"),
        ("arista_eos", "   ip ospf area 0.0.0.0"),
        ("cisco_nxos", "  ip router ospf 1 area 0.0.0.0"),
    ],
)
def test_a_port_moved_into_a_vrf_off_its_global_ospf_is_warned_about(vendor, ospf_line):
    port = {"cisco_ios": "GigabitEthernet0/2", "arista_eos": "Ethernet2", "cisco_nxos": "Ethernet1/2"}[vendor]
    running = f"vrf definition RED\nvrf instance RED\nvrf context RED\ninterface {port}\n{ospf_line}\n"
    move = {"kind": "interface_vrf", "op": "add", "interfaces": port, "vrf": "RED"}
    _, _, warnings, _ = generate.build([move], vendors.get(vendor), running)
    assert [w for w in warnings if w.startswith(f"{port} runs OSPF in the global table")]
    _, _, warnings, _ = generate.build([move], vendors.get(vendor), running.replace(ospf_line, " description x"))
    assert not [w for w in warnings if "OSPF" in w]


def test_an_interface_or_route_put_in_an_unknown_vrf_is_warned_about():
    running = "hostname r1\nvrf definition BLUE\n address-family ipv4\ninterface GigabitEthernet0/1\n"
    change = [{"kind": "interface_vrf", "op": "add", "interfaces": "Gi0/1", "vrf": "RED"}]
    _, _, warnings, _ = generate.build(change, vendors.get("cisco_ios"), running)
    assert warnings == ["vrf RED is neither in the running config nor created by this change"]
    made = [{"kind": "vrf", "op": "add", "name": "RED"}]
    _, _, warnings, _ = generate.build(made + change, vendors.get("cisco_ios"), running)
    assert warnings == []


@pytest.mark.parametrize("vendor", ["cisco_ios", "arista_eos", "cisco_nxos"])
def test_an_interface_moved_to_another_vrf_gets_its_addresses_back_right_after_the_move(vendor):
    from netcfg.plan import make_plan

    name = {"cisco_ios": "GigabitEthernet0/1", "arista_eos": "Ethernet1", "cisco_nxos": "Ethernet1/1"}[vendor]
    address = "ip address 10.1.1.1 255.255.255.0" if vendor == "cisco_ios" else "ip address 10.1.1.1/24"
    running = f"hostname r1\ninterface {name}\n description uplink\n {address}\n ipv6 address 2001:db8::1/64\n"
    change = [{"kind": "interface_vrf", "op": "add", "interfaces": name, "vrf": "RED"}]
    norm, config, _, _ = generate.build(change, vendors.get(vendor), running)
    plan = make_plan(["x"], norm, config, running, vendors.get(vendor))
    lines = [ln.strip() for ln in plan.remediation.splitlines()]
    move = lines.index(
        {"cisco_ios": "vrf forwarding RED", "arista_eos": "vrf RED", "cisco_nxos": "vrf member RED"}[vendor]
    )
    assert lines[move + 1 : move + 3] == [address, "ipv6 address 2001:db8::1/64"]
    assert "description uplink" not in lines  # what the device keeps is not pushed again
    back = [ln.strip() for ln in plan.rollback.splitlines()]
    assert back[back.index(f"no {lines[move]}") + 1] == address  # and back in the global table too


def test_a_route_distinguisher_is_checked():
    from netcfg.errors import IntentError

    assert values.rd("65000:10") == "65000:10" and values.rd("10.0.0.1:7") == "10.0.0.1:7"
    assert values.rd("4200000000:10") == "4200000000:10"
    for bad in ["4200000000:70000", "10.0.0.1:70000", "CUST:1", "65000"]:
        with pytest.raises(IntentError, match="route distinguisher"):
            values.rd(bad)


def test_a_bare_address_family_is_left_before_the_next_line_is_pushed():
    """A new neighbor's empty `address-family ipv4 unicast` (NX-OS) is a mode of its own: its password, pushed
    next, must be typed back in the neighbor's mode."""
    from netcfg import generate

    changes = [
        {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.0.0.9", "remote_as": 65002, "asn": 65001},
        {"kind": "bgp_password", "op": "add", "neighbor": "10.0.0.9", "password": "${PEER_KEY}", "asn": 65001},
    ]
    v = vendors.get("cisco_nxos")
    _, config, _, errors = generate.build(changes, v, None)
    assert errors == [] and config.index("address-family") < config.index("password")
    pushed = [ln.strip() for ln in v.driver.push_lines(config)]
    password = next(i for i, ln in enumerate(pushed) if "password" in ln)
    opened = [i for i, ln in enumerate(pushed[:password]) if ln.startswith("address-family")]
    exits = [i for i, ln in enumerate(pushed[:password]) if ln == "exit"]
    assert opened and len([i for i in exits if i > opened[0]]) == len(opened)


@pytest.mark.parametrize(
    "vendor,running,port",
    [
        (
            "cisco_ios",
            "interface GigabitEthernet1/0/5\n switchport access vlan 10\n switchport mode access\n",
            "gi1/0/5",
        ),
        ("arista_eos", "interface Ethernet5\n   switchport access vlan 10\n", "et5"),
        ("cisco_nxos", "interface Ethernet1/5\n  switchport\n  switchport mode trunk\n", "eth1/5"),
    ],
)
def test_an_address_or_vrf_on_a_switchport_needs_the_port_routed_in_the_same_request(vendor, running, port):
    from netcfg import generate
    from netcfg.errors import IntentError

    v = vendors.get(vendor)
    for change in (
        {"kind": "ip_address", "op": "add", "interface": port, "address": "10.9.9.1/30"},
        {"kind": "interface_vrf", "op": "add", "interfaces": port, "vrf": "RED"},
    ):
        with pytest.raises(IntentError, match="is a switchport in the running config"):
            generate.build([change], v, running)
        routed = {"kind": "routed_port", "op": "add", "interfaces": port}
        _, config, _, _ = generate.build([routed, change], v, running)
        assert "no switchport" in config
    _, config, _, _ = generate.build(
        [{"kind": "ip_address", "op": "add", "interface": "vlan10", "address": "10.9.9.1/30"}], v, running
    )
    assert "10.9.9.1" in config


def test_a_new_bgp_neighbor_needs_a_remote_as_and_same_as_takes_the_old_ones():
    """A neighbor the device lacks, added with a description only, is refused (IOS: "Specify remote-as ...
    first"); "replace A with B, same AS" gives B the remote AS the running config gives A."""
    ios = vendors.get("cisco_ios")
    running = "router bgp 65010\n neighbor 10.2.0.1 remote-as 65210\n neighbor 10.2.0.1 description OLD\n"
    changes = [
        {"kind": "bgp_neighbor", "op": "remove", "neighbor": "10.2.0.1"},
        {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.2.0.3", "description": "NEW"},
    ]
    _, config, _, errors = generate.build(changes, ios, running)
    assert errors and errors[0].startswith("BGP neighbor 10.2.0.3 is not in the running config")
    check = generate.checker("swap bgp neighbor 10.2.0.1 for 10.2.0.3, remote AS as before, desc NEW", ios, running)
    _, config, _, errors = check(changes)
    assert errors == [] and "neighbor 10.2.0.3 remote-as 65210" in config
    _, _, _, errors = generate.checker("swap bgp neighbor 10.2.0.1 for 10.2.0.3, desc NEW", ios, running)(changes)
    assert errors, "no words that keep the AS: nothing is guessed"
    junos = vendors.get("juniper_junos")
    running = "set routing-options autonomous-system 65400\nset protocols bgp group TRANSIT type external\n"
    running += "set protocols bgp group TRANSIT peer-as 64499\nset protocols bgp group TRANSIT neighbor 198.51.100.33\n"
    facts = junos.running_facts(running)
    assert generate.same_remote_as("replace it, same AS", changes, facts) == changes
    moved = [
        {"kind": "bgp_neighbor", "op": "remove", "neighbor": "198.51.100.33"},
        {"kind": "bgp_neighbor", "op": "add", "neighbor": "198.51.100.37"},
    ]
    assert generate.same_remote_as("move the peer, same AS", moved, facts)[1]["remote_as"] == 64499


def test_junos_reads_an_address_per_unit_so_remove_its_ip_finds_the_units_own():
    junos = vendors.get("juniper_junos")
    running = (
        "set interfaces irb unit 60 family inet address 10.60.0.1/24\n"
        "set interfaces irb unit 70 family inet address 10.70.0.1/24\n"
        "set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/30\n"
    )
    assert junos.running_facts(running)["addresses"] == [
        {"interface": "irb.60", "address": "10.60.0.1/24"},
        {"interface": "irb.70", "address": "10.70.0.1/24"},
        {"interface": "ge-0/0/0", "address": "10.0.0.1/30"},
    ]
    _, config, _, errors = generate.build(
        [{"kind": "ip_address", "op": "remove", "interface": "irb.60"}], junos, running
    )
    assert errors == [] and config == "delete interfaces irb unit 60 family inet address 10.60.0.1/24\n"
