"""The lock-out check judges the intended config: address, interface state, VLAN, trunks, routes, ACLs.

Running configs are the realistic examples in examples/running/; the management address and netcfg's
own (client) address are chosen per case.
"""

from pathlib import Path

import pytest

from netcfg import vendors
from netcfg.lockout import Mgmt, management_addresses, problems
from netcfg.plan import make_plan, plan_to_target

RUNNING = Path(__file__).parent.parent / "examples" / "running"
IOS = (RUNNING / "cisco_ios_access.cfg").read_text()
IOS_DEFAULT = IOS + "ip route 0.0.0.0 0.0.0.0 10.30.1.1\n"
MGMT = Mgmt(("10.20.30.1",), "10.10.8.5")  # managed in band on its Vlan30 SVI from the NOC, 10.10.8.0/24


def _errors(candidate: str, running: str = IOS, mgmt: Mgmt = MGMT, force: bool = False) -> list[str]:
    ios = vendors.get("cisco_ios")
    return make_plan(["test"], [], candidate, running, ios, device="sw1", mgmt=mgmt, force=force).errors


@pytest.mark.parametrize(
    "candidate, says",
    [
        ("no vlan 30\n", "VLAN 30, the management VLAN of Vlan30, would be removed"),
        (
            "interface TenGigabitEthernet1/1/3\n switchport trunk allowed vlan remove 30\n",
            "TenGigabitEthernet1/1/3 would no longer carry VLAN 30",
        ),
        ("interface TenGigabitEthernet1/1/4\n shutdown\n", "TenGigabitEthernet1/1/4 would no longer carry VLAN 30"),
        ("interface Vlan30\n shutdown\n", "Vlan30 holds the management address 10.20.30.1 and would be shut down"),
        ("interface Vlan30\n no ip address\n", "the management address 10.20.30.1 would no longer be configured"),
        ("interface Vlan30\n ip address 10.20.31.1 255.255.255.0\n", "10.20.30.1 would no longer be configured"),
        (
            "ip access-list standard VTY-ACCESS\n no 20\n",
            "ACL VTY-ACCESS would no longer let the management client 10.10.8.5",
        ),
        (  # a new vty access-class (it replaces VTY-ACCESS) that leaves the NOC out
            "ip access-list standard VTY-NEW\n 10 permit 10.99.0.0 0.0.0.255\nline vty 0 4\n access-class VTY-NEW in\n",
            "ACL VTY-NEW would not let the management client 10.10.8.5 reach SSH",
        ),
    ],
)
def test_lock_outs_are_refused(candidate, says):
    errors = _errors(candidate)
    assert any(says in e for e in errors), errors
    assert all(e.endswith("use --force if you really mean it") for e in errors)
    assert _errors(candidate, force=True) == []


@pytest.mark.parametrize(
    "candidate",
    [
        "interface Vlan30\n description AP-MGMT-NEW\n",  # the management SVI, harmlessly
        "interface TenGigabitEthernet1/1/3\n switchport trunk allowed vlan remove 20\n",  # another VLAN
        "interface TenGigabitEthernet1/1/5\n no shutdown\n",
        "no vlan 20\n",
        "ip access-list standard VTY-ACCESS\n no 10\n",  # the client's own line stays
        "ip access-list standard VTY-NEW\n 10 permit 10.10.8.0 0.0.0.255\nline vty 0 4\n access-class VTY-NEW in\n",
        "ip route 10.77.0.0 255.255.0.0 10.30.1.1\n",
    ],
)
def test_safe_changes_pass(candidate):
    assert _errors(candidate) == []


def test_route_back_to_the_client():
    remove_default = "no ip route 0.0.0.0 0.0.0.0 10.30.1.1\n"
    errors = _errors(remove_default, IOS_DEFAULT)
    assert errors and "route to the management client 10.10.8.5 (0.0.0.0/0 via 10.30.1.1)" in errors[0]
    # a client on a connected subnet does not need the route
    assert _errors(remove_default, IOS_DEFAULT, Mgmt(("10.20.30.1",), "10.20.30.77")) == []
    # a client we do not know (a plan against a file): the last default route is kept
    errors = _errors(remove_default, IOS_DEFAULT, Mgmt(("10.20.30.1",)))
    assert errors and "the default route (via 10.30.1.1) would be removed" in errors[0]
    # a more specific route still covers the client: fine
    assert _errors(remove_default + "ip route 10.10.8.0 255.255.255.0 10.30.1.1\n", IOS_DEFAULT) == []


def test_acl_verdict_is_the_first_matching_line():
    eos = vendors.get("arista_eos")
    running = (
        "interface Management1\n ip address 10.99.1.10/24\n ip access-group MGMT-IN in\n"
        "ip access-list MGMT-IN\n 10 permit tcp 10.99.0.0/24 any eq ssh\n 20 permit tcp any any eq 443\n"
        " 30 deny ip any any\n"
    )
    mgmt = Mgmt(("10.99.1.10",), "10.99.0.5")
    bad = "ip access-list MGMT-IN\n 5 deny tcp 10.99.0.0/16 any eq 22\n"
    assert "ACL MGMT-IN would no longer let" in make_plan(["t"], [], bad, running, eos, mgmt=mgmt).errors[0]
    fine = "ip access-list MGMT-IN\n 5 deny tcp 10.99.0.0/16 any eq 23\n"
    assert make_plan(["t"], [], fine, running, eos, mgmt=mgmt).errors == []


def test_junos_and_frr_interfaces_and_routes():
    junos = vendors.get("juniper_junos")
    running = (
        "set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.10/24\n"
        "set routing-options static route 0.0.0.0/0 next-hop 192.0.2.1\n"
    )
    mgmt = Mgmt(("192.0.2.10",), "198.51.100.7")
    errors = make_plan(["t"], [], "set interfaces ge-0/0/0 disable\n", running, junos, mgmt=mgmt).errors
    assert errors and "ge-0/0/0 holds the management address" in errors[0]
    errors = make_plan(["t"], [], "delete routing-options static route 0.0.0.0/0\n", running, junos, mgmt=mgmt).errors
    assert errors and "route to the management client 198.51.100.7" in errors[0]
    frr = vendors.get("frr")
    running = "interface eth0\n ip address 192.0.2.10/24\nip route 0.0.0.0/0 192.0.2.1\n"
    assert make_plan(["t"], [], "interface eth0\n shutdown\n", running, frr, mgmt=mgmt).errors


def test_dns_names_are_resolved_and_checked():
    assert "127.0.0.1" in management_addresses("localhost")
    assert management_addresses("10.0.0.1") == ("10.0.0.1",)
    assert management_addresses("no-such-host.invalid") == ()
    frr = vendors.get("frr")
    running = "interface dummy0\n ip address 127.0.0.1/8\n"
    mgmt = Mgmt(management_addresses("localhost"))
    assert problems(running, "interface dummy0\n shutdown\n", frr, mgmt)


def test_restore_is_checked_too():
    ios = vendors.get("cisco_ios")
    backup = IOS.replace(
        "interface Vlan30\n description AP-MGMT\n ip address 10.20.30.1 255.255.255.0\n",
        "interface Vlan30\n description AP-MGMT\n",
    )
    assert backup != IOS
    p = plan_to_target(IOS, backup, ios, "restore old.cfg", "sw1", mgmt=MGMT)
    assert p.errors and "10.20.30.1 would no longer be configured" in p.errors[0]
    assert plan_to_target(IOS, backup, ios, "restore old.cfg", "sw1", mgmt=MGMT, force=True).errors == []


def test_explicit_management_interface():
    ios = vendors.get("cisco_ios")
    p = make_plan(["t"], [], "interface Vlan10\n shutdown\n", IOS, ios, mgmt_interface="Vlan10")
    assert p.errors and "Vlan10 holds the management address 10.20.10.1" in p.errors[0]


def test_routes_are_judged_in_the_management_vrf():
    """Out-of-band management lives in its own VRF: its routes count, the global table's do not."""
    oob = Mgmt(("10.99.0.21",), "10.10.8.5")  # IOS Gi0/0 in Mgmt-vrf, client beyond its gateway
    errors = _errors("no ip route vrf Mgmt-vrf 0.0.0.0 0.0.0.0 10.99.0.1\n", IOS_DEFAULT, oob)
    assert errors and "route in VRF Mgmt-vrf to the management client 10.10.8.5 (0.0.0.0/0 via 10.99.0.1)" in errors[0]
    assert _errors("no ip route 0.0.0.0 0.0.0.0 10.30.1.1\n", IOS_DEFAULT, oob) == []  # the global default
    # in band, the client 10.99.0.5 is not "connected" through the Mgmt-vrf port Gi0/0 (10.99.0.21/24)
    inband = Mgmt(("10.20.30.1",), "10.99.0.5")
    errors = _errors("no ip route 0.0.0.0 0.0.0.0 10.30.1.1\n", IOS_DEFAULT, inband)
    assert errors and "route to the management client 10.99.0.5 (0.0.0.0/0 via 10.30.1.1)" in errors[0]
    nxos = vendors.get("cisco_nxos")
    running = (RUNNING / "cisco_nxos_switch.cfg").read_text()
    p = make_plan(
        ["t"],
        [],
        "vrf context management\n  no ip route 0.0.0.0/0 10.99.0.1\n",
        running,
        nxos,
        mgmt=Mgmt(("10.99.0.41",), "10.10.8.5"),
    )
    assert p.errors and "route in VRF management to the management client 10.10.8.5" in p.errors[0]
    eos = vendors.get("arista_eos")
    running = (RUNNING / "arista_eos_leaf.cfg").read_text()
    p = make_plan(
        ["t"], [], "no ip route vrf MGMT 0.0.0.0/0 10.99.0.1\n", running, eos, mgmt=Mgmt(("10.99.0.31",), "10.10.8.5")
    )
    assert p.errors and "route in VRF MGMT to the management client 10.10.8.5" in p.errors[0]


def test_trunk_lists_continued_on_add_lines():
    """IOS prints a long allowed list as `allowed vlan A` then `allowed vlan add B` lines."""
    running = IOS.replace(
        " switchport trunk allowed vlan 10,20,30,40,110,999\n",
        " switchport trunk allowed vlan 10,20\n switchport trunk allowed vlan add 30,40,110,999\n",
    )
    assert running != IOS
    errors = _errors("interface TenGigabitEthernet1/1/3\n switchport trunk allowed vlan remove 30\n", running)
    assert any("TenGigabitEthernet1/1/3 would no longer carry VLAN 30" in e for e in errors), errors
    assert _errors("interface TenGigabitEthernet1/1/3\n switchport trunk allowed vlan remove 20\n", running) == []
    # and the planner reads the continued list as one: removing 30 is a real change, not "already excludes"
    ios = vendors.get("cisco_ios")
    p = make_plan(
        ["t"], [], "interface TenGigabitEthernet1/1/3\n switchport trunk allowed vlan remove 30\n", running, ios
    )
    assert "switchport trunk allowed vlan 10,20,40,110,999" in p.remediation and not p.warnings


def test_an_ipv6_management_address_is_guarded_too():
    running = IOS.replace("interface Vlan30\n", "interface Vlan30\n ipv6 address 2001:DB8:30::1/64\n", 1)
    mgmt = Mgmt(("2001:db8:30::1",), "2001:db8:30::99")  # managed over IPv6, from the same subnet
    assert "ipv6 address 2001:DB8:30::1/64" in running  # as IOS shows it
    removed = _errors("interface Vlan30\n no ipv6 address 2001:db8:30::1/64\n", running, mgmt)
    assert any("2001:db8:30::1 would no longer be configured" in e for e in removed)
    assert _errors("interface Vlan30\n ipv6 address 2001:db8:31::1/64\n", running, mgmt) == []


def test_removing_the_user_netcfg_logs_in_as_is_a_lock_out():
    running = IOS + "username netcfg privilege 15 secret 9 $9$x1Yz$AbCdEf\nusername temp secret 9 $9$x1Yz$AbCdEf\n"
    mgmt = Mgmt(MGMT.addresses, MGMT.client, user="netcfg")
    assert _errors("no username netcfg\n", running, mgmt) == [
        "lock-out: user netcfg, the account netcfg logs in as, would be removed; use --force if you really mean it"
    ]
    assert _errors("no username temp\n", running, mgmt) == []
    assert _errors("no username netcfg\n", running, mgmt, force=True) == []
