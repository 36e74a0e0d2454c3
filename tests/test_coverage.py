"""Every part of a request accounted for (netcfg/coverage.py): what it names, what no change uses,
and the clauses a request splits into when the whole answer fails."""

import pytest

from netcfg import coverage, parse, vendors

IOS = vendors.get("cisco_ios").naming


def unplaced(text, changes):
    return [str(t) for t in coverage.unplaced(text, changes, IOS)]


VLAN44 = {"kind": "vlan", "op": "add", "vlan": 44, "name": "LAB"}
SVI44 = {"kind": "ip_address", "op": "add", "interface": "vlan 44", "address": "10.44.0.1/24"}


def test_a_dropped_part_is_named():
    text = "create vlan 44 named LAB, give it 10.44.0.1/24 and a helper 10.0.0.9"
    assert unplaced(text, [VLAN44, SVI44]) == ["helper", "10.0.0.9"]
    helper = {"kind": "dhcp_relay", "op": "add", "interface": "vlan 44", "server": "10.0.0.9"}
    assert unplaced(text, [VLAN44, SVI44, helper]) == []


def test_a_value_on_the_wrong_object_leaves_the_right_one_unused():
    text = "assign 10.44.0.1/24 to vlan 44 and disable Gi0/2"
    wrong = [{"kind": "ip_address", "op": "add", "interface": "Gi0/2", "address": "10.44.0.1/24"},
             {"kind": "shutdown", "op": "add", "interfaces": "Gi0/2"}]
    assert unplaced(text, wrong) == ["vlan 44"]
    right = [SVI44, {"kind": "shutdown", "op": "add", "interfaces": "GigabitEthernet0/2"}]
    assert unplaced(text, right) == []


def test_ranges_names_quotes_and_numbers():
    text = "gi0/5 through gi0/8 in vlan 30, desc 'uplink-to-isp', ntp 10.1.1.1 and 10.1.1.2"
    changes = [{"kind": "access_port", "op": "add", "interfaces": "Gi0/5-8", "vlan": 30},
               {"kind": "description", "op": "add", "interfaces": "Gi0/5-8", "text": "uplink-to-ISP"},
               {"kind": "ntp_server", "op": "add", "server": "10.1.1.1"}]
    assert unplaced(text, changes) == ["uplink-to-isp", "10.1.1.2"]  # the request's spelling counts


def test_context_is_not_a_part_to_place():
    move = [{"kind": "access_port", "op": "add", "interfaces": "Gi0/9", "vlan": 30}]
    assert unplaced("move Gi0/9 from vlan 20 to vlan 30", move) == []
    ntp = [{"kind": "ntp_server", "op": "add", "server": "10.0.0.5"}]
    assert unplaced("use ntp 10.0.0.5 instead of 10.0.0.4", ntp) == ["10.0.0.4"]  # to be removed
    assert unplaced("ntp 10.0.0.5 per CHG0012345", ntp) == []  # ticket noise


@pytest.mark.parametrize("text, pieces", [
    ("create vlan 44 named LAB, give it 10.44.0.1/24 and a helper 10.0.0.9",
     ["create vlan 44 named LAB", "give vlan 44 10.44.0.1/24", "Vlan44: a helper 10.0.0.9"]),
    ("bring up Gi0/8-9 and put them in vlan 12", ["bring up Gi0/8-9", "put Gi0/8-9 in vlan 12"]),
    ("ntp 10.0.0.1 and 10.0.0.2; syslog 10.0.0.3", ["ntp 10.0.0.1 and 10.0.0.2", "syslog 10.0.0.3"]),
    ("add vlan 3641 called BACKUP-NET and allow it on the po12 trunk",
     ["add vlan 3641 called BACKUP-NET", "allow vlan 3641 on the po12 trunk"]),
    ("acl WEB: permit tcp any host 10.1.2.3 eq 443, then deny everything else, and apply it inbound on vlan 5",
     ["acl WEB: permit tcp any host 10.1.2.3 eq 443", "deny everything else", "apply WEB inbound on vlan 5"]),
])
def test_clauses(text, pieces):
    assert [c.text for c in coverage.clauses(text, IOS)] == pieces


def test_everything_else_is_one_deny_ip_any_any_line():
    narrowed = [{"kind": "acl_rule", "op": "add", "acl": "WEB", "action": "permit", "protocol": "tcp",
                 "source": "any", "destination": "host 10.1.2.3", "port": "443"},
                {"kind": "acl_rule", "op": "add", "acl": "WEB", "action": "deny", "protocol": "tcp",
                 "source": "any", "destination": "any"}]
    got = parse._everything_else(narrowed, "acl WEB: permit tcp any host 10.1.2.3 eq 443, then deny everything else")
    assert got[-1] == {"kind": "acl_rule", "op": "add", "acl": "WEB", "action": "deny", "protocol": "ip",
                       "source": "any", "destination": "any"}
    assert len(got) == 2


def test_join_makes_one_change_of_one_ports_parts():
    parts = [{"kind": "trunk_port", "op": "add", "interfaces": "Gi1/0/12"},
             {"kind": "trunk_port", "op": "add", "interfaces": "Gi1/0/12", "native_vlan": 99}]
    assert parse._join(parts) == [{"kind": "trunk_port", "op": "add", "interfaces": "Gi1/0/12", "native_vlan": 99}]
