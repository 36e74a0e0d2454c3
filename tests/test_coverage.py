"""Every part of a request accounted for (netcfg/coverage.py): what it names, what no change uses,
and the clauses a request splits into when the whole answer fails."""

from pathlib import Path

import pytest
import yaml

from netcfg import coverage, evaluate, generate, intent, parse, vendors

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


# --- locality: each change's values from one part of the request ---------------------------------

ANSWERS = Path(__file__).parent / "answers" / "dev_multi.yaml"


def _dev_answers():
    return yaml.safe_load(ANSWERS.read_text())


def _dev_cases():
    cases = {}
    for path in sorted((Path(__file__).parent.parent / "examples" / "eval").glob("multi_*.yaml")):
        cases.update({c["id"]: c for c in evaluate.load_dataset(path)})
    return cases


def test_the_right_dev_answers_render_to_what_the_dev_sets_expect():
    cases = _dev_cases()
    answers = _dev_answers()
    assert {a["id"] for a in answers} == set(cases)
    for a in answers:
        case = cases[a["id"]]
        _, config, _, errors = generate.build(a["changes"], vendors.get(a["vendor"]), case.get("running"))
        assert not errors, a["id"]
        assert evaluate.compare(case["expect"], config, case["optional"]) == ([], []), a["id"]


def test_no_right_answer_is_called_scattered():
    """The dev multi-change answers and every few-shot example: locality raises no false alarm."""
    examples = [{"id": f"example {i}", "intent": e["intent"], "changes": e["changes"], "vendor": None}
                for i, e in enumerate(yaml.safe_load((Path(parse.__file__).parent.parent / "prompts" / "examples.yaml").read_text()))]
    flagged = []
    for a in _dev_answers() + examples:
        changes = [intent.repair(c, a["intent"]) for c in a["changes"]]
        namings = [vendors.get(a["vendor"])] if a["vendor"] else [vendors.get(v) for v in vendors.names()]
        if all(coverage.scattered(a["intent"], changes, v.naming) for v in namings):
            flagged.append(a["id"])
    assert flagged == []


SCATTERED = [
    ("cisco_ios", "assign 10.44.0.1/24 to vlan 44 and disable Gi0/2, and 10.0.0.1/24 on gi0/3",
     [{"kind": "ip_address", "op": "add", "interface": "Gi0/2", "address": "10.44.0.1/24"},
      {"kind": "shutdown", "op": "add", "interfaces": "Gi0/2"},
      {"kind": "ip_address", "op": "add", "interface": "vlan 44", "address": "10.0.0.1/24"}],
     ["set 10.44.0.1/24 on interface Gi0/2", "set 10.0.0.1/24 on interface vlan 44"]),
    ("arista_eos", "take lo1 out of ospf area 0; lo2 gets 10.255.109.2/32 and goes into area 0 instead",
     [{"kind": "ospf_interface", "op": "remove", "interface": "lo1", "area": "0"},
      {"kind": "ip_address", "op": "add", "interface": "lo2", "address": "10.255.109.2/32"},
      {"kind": "ospf_network", "op": "add", "prefix": "10.255.109.2/32", "area": "0"},
      {"kind": "ospf_interface", "op": "add", "interface": "lo2", "area": "0"}],
     ["advertise 10.255.109.2/32 in OSPF area 0"]),
    ("cisco_ios", "acl LEGACY-MGMT: permit ssh from 172.24.8.0/22 and 172.24.12.0/22 to any, then deny everything else",
     [{"kind": "acl_rule", "op": "add", "acl": "LEGACY-MGMT", "action": "permit", "protocol": "tcp",
       "source": "172.24.8.0/22", "destination": "any", "port": "ssh"},
      {"kind": "acl_rule", "op": "add", "acl": "LEGACY-MGMT", "action": "deny", "protocol": "tcp",
       "source": "172.24.12.0/22", "destination": "any"}],
     ["ACL LEGACY-MGMT: deny tcp from 172.24.12.0/22 to any"]),
    ("cisco_ios", "remove snmp community Rd0nly-old, add FacOps-RO77 (read-only) and add FacOps-RW77 read-write",
     [{"kind": "snmp_community", "op": "remove", "community": "Rd0nly-old"},
      {"kind": "snmp_community", "op": "add", "community": "FacOps-RO77", "access": "ro"},
      {"kind": "snmp_community", "op": "add", "community": "FacOps-RW77", "access": "ro"}],
     ["add SNMP community FacOps-RW77 ro"]),
    ("cisco_ios", "on trunks po21 and po22 allow vlans 1561-1562 and prune vlan 1178",
     [{"kind": "trunk_vlans", "op": "add", "interfaces": "po21, po22", "vlans": "1561-1562"},
      {"kind": "trunk_vlans", "op": "remove", "interfaces": "po21", "vlans": "1178"}],
     ["remove vlans 1178 from trunks po21"]),
    ("cisco_ios", "on trunks po21 and po22 allow vlans 1561-1562 and prune vlan 1178",
     [{"kind": "trunk_vlans", "op": "add", "interfaces": "po21, po22", "vlans": "1178,1561-1562"}],
     ["allow vlans 1178,1561-1562 on trunks po21, po22"]),
    ("juniper_junos", "allow VOIP-EAST on the ae3 and xe-0/0/2 trunks and prune OLD-DATA off them",
     [{"kind": "trunk_vlans", "op": "add", "interfaces": "ae3, xe-0/0/2", "vlans": "VOIP-EAST"},
      {"kind": "trunk_vlans", "op": "remove", "interfaces": "ae3", "vlans": "OLD-DATA"}],
     ["remove vlans OLD-DATA from trunks ae3"]),
    ("cisco_ios", "shut gi1/0/44 through gi1/0/46 and describe them as UNUSED-RESERVED",
     [{"kind": "shutdown", "op": "add", "interfaces": "gi1/0/44-46"},
      {"kind": "description", "op": "add", "interfaces": "gi1/0/46", "text": "UNUSED-RESERVED"}],
     ['describe gi1/0/46 as "UNUSED-RESERVED"']),
    ("cisco_ios", "vlan 2011 is going away: remove its svi address 10.201.1.1/24, and move gi1/0/12 to vlan 2094",
     [{"kind": "ip_address", "op": "remove", "interface": "gi1/0/12", "address": "10.201.1.1/24"},
      {"kind": "access_port", "op": "add", "interfaces": "gi1/0/12", "vlan": 2094}],
     ["remove 10.201.1.1/24 from interface gi1/0/12"]),
]


@pytest.mark.parametrize("vendor,text,changes,wrong", SCATTERED, ids=[s[1][:40] for s in SCATTERED])
def test_values_from_two_parts_of_the_request_are_caught(vendor, text, changes, wrong):
    changes = [intent.repair(c, text) for c in changes]
    got = coverage.scattered(text, changes, vendors.get(vendor).naming)
    assert [intent.describe(c) for c in got] == wrong


def test_the_old_value_of_a_swap_is_not_added():
    text = "swap snmp community Rd0nly-old for FacOps-RO77 (read-only)"
    swapped = [{"kind": "snmp_community", "op": "remove", "community": "FacOps-RO77"},
               {"kind": "snmp_community", "op": "add", "community": "Rd0nly-old", "access": "ro"}]
    assert unplaced(text, swapped) == ["Rd0nly-old"]
    right = [{"kind": "snmp_community", "op": "remove", "community": "Rd0nly-old"},
             {"kind": "snmp_community", "op": "add", "community": "FacOps-RO77", "access": "ro"}]
    assert unplaced(text, right) == []


def test_a_pronoun_stands_for_a_whole_list_and_a_subject_for_its_port():
    text = "on trunks po21 and po22 allow vlans 1561-1562 and prune vlan 1178"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == "Port-channel21, Port-channel22: prune vlan 1178"
    text = "move gi1/0/22 from vlan 746 to vlan 853 and label it 'guest kiosk'"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == "label gi1/0/22 'guest kiosk'"
    text = "delete route 10.84.0.0/16 via 10.9.1.1 and add it via 10.9.1.2"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == "add 10.84.0.0/16 via 10.9.1.2"


@pytest.mark.parametrize("said,plain", [
    ("swap name-server 10.179.0.53 for 10.179.1.53", ["remove name-server 10.179.0.53", "add name-server 10.179.1.53"]),
    ("replace ntp 10.0.0.1 with 10.0.0.2", ["remove ntp 10.0.0.1", "add ntp 10.0.0.2"]),
    ("on svi 627 use helper 10.62.7.20 instead of 10.62.7.19",
     ["remove on svi 627 helper 10.62.7.19", "on svi 627 use helper 10.62.7.20"]),
    ("move the default route from 10.14.0.1 to 10.14.0.5",
     ["remove the default route 10.14.0.1", "move the default route 10.14.0.5"]),
    ("the syslog host from 10.77.12.4 to 10.77.12.40",
     ["remove the syslog host 10.77.12.4", "add the syslog host 10.77.12.40"]),
    ("te1/1/6: ospf cost from 20 to 45", ["te1/1/6: ospf cost to 45"]),  # single-valued: the new value only
    ("move gi1/0/22 from vlan 746 to vlan 853", ["move gi1/0/22 to vlan 853"]),
    ("change the hostname from dist-a-old to dist-a-01", ["change the hostname to dist-a-01"]),
    ("permit tcp from 10.0.0.0/8 to 10.1.0.0/16 eq 22", None),  # an ACL's source and destination
    ("allow vlans from 10 to 20 on gi0/1", None),  # a range
    ("create vlan 30 named GUESTS", None),
])
def test_a_replacement_is_said_as_plain_changes(said, plain):
    assert coverage.replacing(said, IOS) == plain
    assert [c.text for c in coverage.clauses(said, IOS)] == (plain or [said])


def test_one_swap_verb_serves_two_pairs():
    said = "swap name-server 10.179.0.53 for 10.179.1.53 and ntp 10.179.0.123 for 10.179.1.123"
    assert [c.text for c in coverage.clauses(said, IOS)] == [
        "remove name-server 10.179.0.53", "add name-server 10.179.1.53", "remove ntp 10.179.0.123", "add ntp 10.179.1.123"]
