"""Every part of a request accounted for (netcfg/coverage.py): what it names, what no change uses,
and the clauses a request splits into when the whole answer fails."""

from pathlib import Path

import pytest
import yaml

from netcfg import coverage, evaluate, generate, grounding, intent, parse, vendors

IOS = vendors.get("cisco_ios").naming
JUNOS = vendors.get("juniper_junos").naming


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
    wrong = [
        {"kind": "ip_address", "op": "add", "interface": "Gi0/2", "address": "10.44.0.1/24"},
        {"kind": "shutdown", "op": "add", "interfaces": "Gi0/2"},
    ]
    assert unplaced(text, wrong) == ["vlan 44"]
    right = [SVI44, {"kind": "shutdown", "op": "add", "interfaces": "GigabitEthernet0/2"}]
    assert unplaced(text, right) == []


def test_ranges_names_quotes_and_numbers():
    text = "gi0/5 through gi0/8 in vlan 30, desc 'uplink-to-isp', ntp 10.1.1.1 and 10.1.1.2"
    changes = [
        {"kind": "access_port", "op": "add", "interfaces": "Gi0/5-8", "vlan": 30},
        {"kind": "description", "op": "add", "interfaces": "Gi0/5-8", "text": "uplink-to-ISP"},
        {"kind": "ntp_server", "op": "add", "server": "10.1.1.1"},
    ]
    assert unplaced(text, changes) == ["uplink-to-isp", "10.1.1.2"]  # the request's spelling counts
    # a server said to be kept is there already: an answer that adds it again adds what nobody asked for
    kept = "add syslog server 10.1.9.20 (keep 10.1.9.10)"
    syslog = [{"kind": "syslog_server", "op": "add", "server": s} for s in ("10.1.9.20", "10.1.9.10")]
    assert unplaced(kept, syslog) == ["10.1.9.10"]
    assert unplaced(kept, syslog[:1]) == []


def test_context_is_not_a_part_to_place():
    move = [{"kind": "access_port", "op": "add", "interfaces": "Gi0/9", "vlan": 30}]
    assert unplaced("move Gi0/9 from vlan 20 to vlan 30", move) == []
    ntp = [{"kind": "ntp_server", "op": "add", "server": "10.0.0.5"}]
    assert unplaced("use ntp 10.0.0.5 instead of 10.0.0.4", ntp) == ["10.0.0.4"]  # to be removed
    assert unplaced("ntp 10.0.0.5 per CHG0012345", ntp) == []  # ticket noise
    # a severity threshold and a redistribution said in words of their own are parts to place
    swap = [{"kind": "syslog_server", "op": "add", "server": "10.20.0.9"}]
    assert unplaced("send logs to 10.20.0.9 instead, warnings and above only", swap) == ["warnings and above"]
    level = [{"kind": "logging_level", "op": "add", "level": "warnings"}]
    assert unplaced("send logs to 10.20.0.9 instead, warnings and above only", swap + level) == []
    routes = [{"kind": "static_route", "op": "add", "prefix": "10.60.0.0/16", "next_hop": "10.255.0.2"}]
    assert unplaced("add 10.60.0.0/16 via 10.255.0.2, then export static routes into OSPF", routes) == ["export static"]
    originate = [{"kind": "ospf_default_originate", "op": "add", "always": True, "process": 1}]
    assert unplaced("ospf 1 on the internet edge: originate a default always", originate) == []  # no edge port


@pytest.mark.parametrize(
    "text, model_reads",
    [
        ("leaf3-dc1: et14-16 trunk vlans 1100-1105", "et14-16 trunk vlans 1100-1105"),
        ("CHG0041872 - acc-sw-14 (IDF-3): gi1/0/22 in vlan 316", "gi1/0/22 in vlan 316"),
        ("NET-2291 rtr-edge-02: peer 203.0.113.45 remote-as 64501", "peer 203.0.113.45 remote-as 64501"),
        ("on frr-gw-2 add a default via 203.0.113.1", "add a default via 203.0.113.1"),
        ("dc1-leaf1b turn-up: ntp server 10.10.3.123", "ntp server 10.10.3.123"),  # a hyphenated word after it
        ("admin down the bgp session to 192.0.2.14 on rtr-edge-01.", "admin down the bgp session to 192.0.2.14 ."),
        ("te1/1/3 is the new uplink to dist-sw-07, trunk it", "te1/1/3 is the new uplink , trunk it"),
        ("Po2 (trunk to IDF-2): native vlan 999", "Po2 (trunk ): native vlan 999"),
        ("shut the bgp session to rr-2 at 10.255.1.9", "shut the bgp session to 10.255.1.9"),
        ("peer with Transit-B at 203.0.113.137 remote-as 64499", "peer with 203.0.113.137 remote-as 64499"),
        ("Maintenance prep on dist-a: lower the HSRP priority", "lower the HSRP priority"),  # a name without a digit
        ("on ge-0/0/4: mtu 9192", "on ge-0/0/4: mtu 9192"),
        ("on EDGE-IN: deny 10.9.0.0/16", "on EDGE-IN: deny 10.9.0.0/16"),
        # values, not devices: a host name to set, a quoted description, a filter's name, an interface
        ("hostname dc1-leaf-04, domain dc1.acme.io", "hostname dc1-leaf-04, domain dc1.acme.io"),
        ("desc Gi0/1 'uplink to spine1 e1/12'", "desc Gi0/1 'uplink to spine1 e1/12'"),
        ("firewall filter EDGE-PROTECT-V4: discard udp", "firewall filter EDGE-PROTECT-V4: discard udp"),
        ("stop trunking on Gi0/36", "stop trunking on Gi0/36"),
        ("vlan 44 LAB-NET at 10.44.0.1/24", "vlan 44 LAB-NET at 10.44.0.1/24"),
    ],
)
def test_a_device_named_as_context_is_left_out_of_what_the_model_reads(text, model_reads):
    assert coverage.without_tickets(text, IOS) == model_reads


def test_without_a_naming_only_tickets_are_left_out():
    assert (
        coverage.without_tickets("leaf3-dc1: et14-16 trunk, on rtr-edge-01")
        == "leaf3-dc1: et14-16 trunk, on rtr-edge-01"
    )
    assert coverage.without_tickets("CHG0041872 - acc-sw-14: gi1/0/22") == "acc-sw-14: gi1/0/22"


def test_a_device_named_as_context_is_no_part_to_place():
    shut = [{"kind": "bgp_shutdown", "op": "add", "neighbor": "192.0.2.14"}]
    assert (
        unplaced(
            "ISP-B maintenance starts in about 10 min: admin down the bgp session to 192.0.2.14 on rtr-edge-01", shut
        )
        == []
    )
    assert unplaced("mx-edge-1: shut the bgp session to 192.0.2.14", shut) == []  # no edge port asked for
    assert unplaced("shut the bgp session to 192.0.2.14 and set desc to core-link-2", shut) == ["desc", "core-link-2"]


@pytest.mark.parametrize(
    "text",
    [
        # a provider's name as the subject of its news, with its ticket in brackets, or any peer's opening a sentence
        "ISP-A (their ticket 88213) is turning on TCP MD5 for our session. Remove the password on 203.0.113.1",
        "FRA-IX now requires MD5 on route server sessions. Remove the password on 203.0.113.1",
        # a peer's name said of the neighbor right after it
        "remove the password from the ISP-C transit neighbor 203.0.113.1",
        # what a device was, a lab retired, a port something is cabled on
        "drop the md5 on nbr 203.0.113.1, spine3 was rebuilt without auth",
        "QA lab is decommissioned. Remove the password on 203.0.113.1",
        "spine3 is cabled on Et51/1. Remove the password on 203.0.113.1",
        "Phase 2 on leaf1a: remove the password on 203.0.113.1",
    ],
)
def test_a_peer_or_device_said_as_context_is_no_part_to_place(text):
    drop = [{"kind": "bgp_password", "op": "remove", "neighbor": "203.0.113.1"}]
    assert unplaced(text, drop) == []
    assert "Et7" in unplaced(text + " and shut Et7", drop)  # the rest still counts


def test_an_acl_protocol_is_icmp_only_where_the_request_says_so():
    """ "allow ssh from A and from host B" once came back with "permit icmp host B any": a protocol is never
    guessed as icmp."""
    entry = {"kind": "acl_rule", "op": "add", "acl": "MGMT-IN", "action": "permit", "protocol": "icmp"}
    entry |= {"source": "host 10.250.20.5", "destination": "any"}
    said = "new ACL MGMT-IN - allow ssh from 10.250.10.0/24 and from host 10.250.20.5"
    assert grounding.ungrounded(entry, said) == ["the request does not say to icmp (acl_rule protocol)"]
    assert grounding.ungrounded(entry, "acl MGMT-IN: allow ping from host 10.250.20.5") == []


def test_a_full_stop_ends_an_address_not_starts_another_number():
    ntp = [{"kind": "ntp_server", "op": "add", "server": "10.60.0.3"}]
    assert unplaced("ntp 10.60.0.3.", ntp) == []
    assert intent.addresses("remove the old logging host 10.5.5.5.") == {"10.5.5.5"}
    assert (
        grounding.repair({"kind": "domain_name", "op": "add", "name": "dc1.example."}, "domain dc1.example.")["name"]
        == "dc1.example"
    )
    route = {"kind": "static_route", "op": "add", "prefix": "0.0.0.0/0", "next_hop": "203.0.113.1."}
    assert grounding.repair(route, "add a default via 203.0.113.1.")["next_hop"] == "203.0.113.1"


@pytest.mark.parametrize("vendor", ["cisco_ios", "arista_eos", "cisco_nxos", "juniper_junos"])
def test_an_acl_is_never_named_after_an_action_word(vendor):
    """ "add a deny ip from A to B" once came back as an ACL named "deny" (and a permit udp line as an ACL named
    "udp"): refused, so the model is asked again."""
    v = vendors.get(vendor)
    for name in ("deny", "Permit", "accept", "udp"):  # "allow udp from any to ... port 53" was an ACL named udp
        with pytest.raises(intent.IntentError, match="not a word like permit, deny or udp"):
            intent.validate(
                {"kind": "acl_apply", "op": "add", "acl": name, "interface": "x", "direction": "in"}, v.rules
            )
    intent.validate({"kind": "acl_apply", "op": "add", "acl": "deny-all", "interface": "x", "direction": "in"}, v.rules)


def test_the_state_now_is_context_and_an_old_value_is_not_set_again():
    cost = [{"kind": "ospf_cost", "op": "add", "interface": "te1/0/49", "cost": 15}]
    assert unplaced("lower te1/0/49's ospf cost to 15 (was 100)", cost) == []
    port = [{"kind": "access_port", "op": "add", "interfaces": "gi2/0/31", "vlan": 1302}]
    assert unplaced("gi2/0/31 is in vlan 1301 right now but it belongs in 1302", port) == []
    assert unplaced(
        "po14: native vlan 2621 (currently 2620)",
        [{"kind": "trunk_port", "op": "add", "interfaces": "po14", "native_vlan": 2620}],
    ) == ["vlan 2621", "2620"]
    renumber = "te1/1/2 is currently 10.214.50.1/31, make it 10.214.50.3/31"
    both = [
        {"kind": "ip_address", "op": "add", "interface": "te1/1/2", "address": a}
        for a in ("10.214.50.1/31", "10.214.50.3/31")
    ]
    assert unplaced(renumber, both) == ["10.214.50.1/31"]  # an old value set again: asked, not pushed
    assert unplaced(renumber, both[1:]) == []
    stays = "replace bgp peer 172.30.0.1 with 172.30.0.9, remote AS stays 64651"  # a kept value may be used again
    assert (
        unplaced(
            stays,
            [
                {"kind": "bgp_neighbor", "op": "remove", "neighbor": "172.30.0.1"},
                {"kind": "bgp_neighbor", "op": "add", "neighbor": "172.30.0.9", "remote_as": 64651},
            ],
        )
        == []
    )
    assert (
        unplaced(
            "bring up bgp for AS 65340 with router-id 10.0.255.34 (that's lo0's address)",
            [{"kind": "bgp", "op": "add", "asn": 65340, "router_id": "10.0.255.34"}],
        )
        == []
    )


def test_a_prefix_of_another_length_is_another_prefix():
    text = "replace the bgp advertisement 10.214.40.0/22 with 10.214.40.0/21"
    both = [{"kind": "bgp_network", "op": "add", "prefix": p} for p in ("10.214.40.0/22", "10.214.40.0/21")]
    assert unplaced(text, both) == ["10.214.40.0/22"]  # the old one added, not removed
    assert unplaced(text, [{**both[0], "op": "remove"}, both[1]]) == []
    assert (
        unplaced(
            "10.0.0.1/24 on gi0/1",
            [{"kind": "ip_address", "op": "add", "interface": "gi0/1", "address": "10.0.0.1 255.255.255.0"}],
        )
        == []
    )


def test_a_clause_that_only_says_how_things_were_asks_for_nothing():
    assert coverage.state_only("eth1/7 was a trunk to the old AP controller")
    assert not coverage.state_only("gi0/5 was in vlan 20, move it to 30")
    assert not coverage.state_only("lower cost to 15 (was 100)")
    assert not coverage.state_only("the printer that was on gi0/4 should now be on gi0/9")
    # the state now, said in the present
    assert coverage.state_only("Gi1/0/12 is admin down at the moment.")
    assert coverage.state_only("it's admin down right now")
    assert coverage.state_only("Et3 is currently in vlan 20")
    assert not coverage.state_only("Gi1/0/12 is shut now, bring it up")
    assert not coverage.state_only("Gi0/1 is currently in vlan 20, move it to 30")
    # what stays as it is; a clause that names only ports and asks for nothing
    assert coverage.state_only("Don't touch Gi1/0/3 and Gi1/0/4, those are the badge readers.")
    assert coverage.asks_nothing("It's now plugged into Gi3/0/8", IOS)
    assert coverage.asks_nothing("We're done with the old tunnel", IOS)
    assert not coverage.asks_nothing("put Gi3/0/8 in vlan 40", IOS)
    assert not coverage.asks_nothing("Gi3/0/8 portfast", IOS)
    assert not coverage.asks_nothing("Gi3/0/8 10.0.0.1/30", IOS)  # an address for the port: a change
    assert coverage.state_only("Gi1/0/30 stays shut.")
    assert not coverage.state_only("Gi1/0/30 stays in vlan 20, shut it")
    # a verb of its own after "remove A and ...": no removal carried over ("bring Gi1/0/6 back up")
    pieces = coverage.clauses("Remove the helper from Vlan630 and bring Gi1/0/6 back up; Gi1/0/30 stays shut.", IOS)
    assert [p.text for p in pieces][1] == "bring Gi1/0/6 back up"


def test_a_last_sentence_that_keeps_something_is_a_clause_of_its_own():
    said = _clause_texts("Gi1/0/5 and Gi1/0/6: portfast and bpduguard. Don't touch Gi1/0/7", "cisco_ios")
    assert said == [
        "Gi1/0/5 and Gi1/0/6: portfast",
        "GigabitEthernet1/0/5, GigabitEthernet1/0/6: bpduguard",  # (glued to the last sentence, it lost its ports)
        "Don't touch Gi1/0/7",
    ]
    banner = 'set the login banner to "Authorized access only. Leave the room."'
    assert _clause_texts(banner, "cisco_ios") == [banner]  # never inside quotes


def test_a_port_said_to_be_left_alone_is_no_part_and_no_change_may_touch_it():
    text = "On Gi1/0/1 and Gi1/0/2 enable bpduguard. Don't touch Gi1/0/3 and Gi1/0/4, those are the badge readers."
    right = [{"kind": "bpduguard", "op": "add", "interfaces": "Gi1/0/1, Gi1/0/2"}]
    assert unplaced(text, right) == []
    touched = right + [{"kind": "bpduguard", "op": "add", "interfaces": "Gi1/0/3, Gi1/0/4"}]
    assert unplaced(text, touched) == ["Gi1/0/3", "Gi1/0/4"]
    shut = [{"kind": "shutdown", "op": "add", "interfaces": "Gi0/7, Gi0/8"}]
    assert unplaced("shut gi0/8, leave gi0/7 alone", shut) == ["gi0/7"]
    assert unplaced("shut gi0/8, leave gi0/7 alone", shut[:0] + [dict(shut[0], interfaces="Gi0/8")]) == []


def test_the_vlan_ports_move_out_of_is_never_the_one_they_go_into():
    junos = vendors.get("juniper_junos").naming
    text = "Create vlan SALES, id 120. Then move ge-0/0/10 through ge-0/0/15 out of DATA into the new vlan as access ports."
    vlan = {"kind": "vlan", "op": "add", "vlan": 120, "name": "SALES"}
    ports = {"kind": "access_port", "op": "add", "interfaces": "ge-0/0/10-15"}
    assert [str(t) for t in coverage.unplaced(text, [vlan, dict(ports, vlan=120)], junos)] == []
    assert [str(t) for t in coverage.unplaced(text, [vlan, dict(ports, vlan="DATA")], junos)] == ["DATA"]
    # (out of an OSPF area is no VLAN: the area may be added elsewhere)
    ospf = [
        {"kind": "ospf_interface", "op": "remove", "interface": "lo1", "area": "0"},
        {"kind": "ospf_interface", "op": "add", "interface": "lo2", "area": "0"},
    ]
    assert unplaced("take lo1 out of ospf area 0; lo2 goes into area 0 instead", ospf) == []


def test_a_login_is_named_and_its_privilege_is_said_in_its_own_clause():
    eos = vendors.get("arista_eos").naming
    text = "hostname lab-leaf03, admin user netops with password ${A_PW}, read-only user noc with password ${B_PW}"
    host = {"kind": "hostname", "op": "add", "hostname": "lab-leaf03"}
    admin = {"kind": "local_user", "op": "add", "user": "netops", "privilege": 15, "password": "${A_PW}"}
    noc = {"kind": "local_user", "op": "add", "user": "noc", "privilege": 1, "password": "${B_PW}"}
    assert coverage.scattered(text, [host, admin, noc], eos) == []
    assert coverage.scattered(text, [host, admin, dict(noc, privilege=15)], eos) == [dict(noc, privilege=15)]
    assert [str(t) for t in coverage.unplaced(text, [host, admin], eos)] == ["noc", "${B_PW}"]
    # "user" said of other things names no login
    assert [t.text for t in coverage.things("root for the user vlans: priority 8192", eos) if t.kind == "name"] == []


def test_a_bare_port_number_takes_the_type_of_the_ports_the_request_names():
    nxos = vendors.get("cisco_nxos").naming
    assert coverage.spelled_ports("Eth1/5 and 1/6: portfast", nxos) == "Eth1/5 and Eth1/6: portfast"
    said = coverage.spelled_ports("esx-09 is on Ethernet1/9 and 1/10. Make both trunks", nxos)
    assert said == "esx-09 is on Ethernet1/9 and Ethernet1/10. Make both trunks"
    said = coverage.spelled_ports('Eth1/20-22: desc "PRINTERS 1/2", bpduguard on. Leave 1/19 as is.', nxos)
    assert said == 'Eth1/20-22: desc "PRINTERS 1/2", bpduguard on. Leave Eth1/19 as is.'  # (never in quotes)
    # ports of two shapes, a speed, an address, a VLAN: as written
    for text in ("Eth1/5 and Eth101/1/2, 1/6", "Eth1/5 speed 10/100", "Eth1/5 gets 10.0.0.0/8", "Eth1/5 and po1/2"):
        assert coverage.spelled_ports(text, nxos) == text


def test_likewise_a_port_takes_every_kind_of_change_the_port_before_it_takes():
    text = "make po21 a trunk carrying 1500-1510 with native 1599 and describe it TO-ACC-21; likewise po22 (TO-ACC-22)"
    trunk = {"kind": "trunk_port", "op": "add", "interfaces": "po21", "vlans": "1500-1510", "native_vlan": 1599}
    descs = [
        {"kind": "description", "op": "add", "interfaces": "po21", "text": "TO-ACC-21"},
        {"kind": "description", "op": "add", "interfaces": "po22", "text": "TO-ACC-22"},
    ]
    assert unplaced(text, [trunk, *descs]) == ["likewise"]  # po22 described, never made a trunk
    assert unplaced(text, [dict(trunk, interfaces="po21, po22"), *descs]) == []


def test_ordinals_tunnel_words_and_setting_defaults_are_no_values():
    portfast = [{"kind": "portfast", "op": "add", "interfaces": "Gi3/0/8"}]
    assert unplaced("the printer moved to the 3rd floor, portfast on Gi3/0/8", portfast) == []
    assert unplaced("we're done with the 6in4 tunnel, portfast on Gi3/0/8", portfast) == []
    mtu = [{"kind": "mtu", "op": "add", "interfaces": "Gi0/0/3", "mtu": 9000}]
    assert unplaced("mtu 9000 on Gi0/0/3, but leave Gi0/0/2 at the default", mtu) == []  # no default route


def test_a_default_route_said_in_words_is_its_prefix_said_elsewhere():
    text = "point the IPv6 default route at 2001:db8:ffff::1, and remove the old ::/0 route via Tunnel0"
    routes = [
        {"kind": "ipv6_route", "op": "add", "prefix": "::/0", "next_hop": "2001:db8:ffff::1"},
        {"kind": "ipv6_route", "op": "remove", "prefix": "::/0", "next_hop": "Tunnel0"},
    ]
    assert coverage.scattered(text, routes, IOS) == []
    said = [p.text for p in coverage.clauses("Give Vlan100 2001:db8:100::1/64, " + text, IOS, orphans=True)]
    assert said[1] == "point the IPv6 default route at 2001:db8:ffff::1"  # a route, not Vlan100's


def _clause_texts(text, vendor="arista_eos"):
    return [p.text for p in coverage.clauses(text, vendors.get(vendor).naming, orphans=True, fine=True)]


def test_a_port_named_as_the_pattern_to_copy_is_never_what_a_pronoun_or_subject_stands_for():
    said = _clause_texts("Et9 and Et10 go to the new host. Set them up like Et8: trunk allowing 110, mtu 9214.")
    assert said[-1] == "Ethernet9, Ethernet10: mtu 9214."
    said = _clause_texts(
        "run ospf area 0 on eth2 as point-to-point like eth1, and set cost 50 since it's slower", "frr"
    )
    assert said[-1] == "set cost 50 since eth2's slower"
    # "add it to port-channel 10" with no VLAN before: the member port
    said = _clause_texts("make Eth1/51 a trunk like Eth1/50 and add it to port-channel 10", "cisco_nxos")
    assert said[-1] == "add Eth1/51 to port-channel 10"
    # the pattern is no part to place, and no change may be about it
    eos = vendors.get("arista_eos").naming
    mtu = {"kind": "mtu", "op": "add", "interfaces": "Et9", "mtu": 9214}
    assert [str(t) for t in coverage.unplaced("set Et9 up like Et8: mtu 9214", [mtu], eos)] == []
    copied = [dict(mtu, interfaces="Et8, Et9")]
    assert [str(t) for t in coverage.unplaced("set Et9 up like Et8: mtu 9214", copied, eos)] == ["Et8"]
    # a host said where it is names nothing to place
    assert [t.text for t in coverage.things("the new ESXi host esx-09 is on Et9", eos)] == ["Et9"]


def test_a_password_said_after_a_peer_is_the_peer_s_not_a_local_user_s():
    said = _clause_texts(
        "new eBGP peer 192.0.2.1 remote-as 65000 desc ISP-A, md5 password ${MD5}, and advertise 10.0.0.0/24"
    )
    assert said[1] == "neighbor 192.0.2.1: md5 password ${MD5}"
    said = _clause_texts("new peer 192.0.2.45 remote-as 64501, and user bob with password ${B}")
    assert said[-1] == "user bob with password ${B}"


def test_a_clause_that_counts_or_names_its_ports_is_about_those():
    # "all three": the ports named last that make three, over two clauses
    said = _clause_texts("Et5-6 access in 2301, Et7 access in 2302, and portfast on all three.")
    assert said[-1] == "Et5-6, Ethernet7: portfast on all three."
    # "on the port-channel": the channel, not its members
    said = _clause_texts("Et49 and Et50 into Port-Channel100 with LACP active, and set mtu 9214 on the port-channel.")
    assert said[-1].startswith("Port-Channel100: ")
    # ", lacp active" after a channel is still about the members
    assert _clause_texts("Et3 and Et4 into Po7, lacp active")[-1] == "Ethernet3, Ethernet4: lacp active"


def test_a_vlan_interface_is_not_an_area_of_the_same_number():
    text = "advertise 10.30.0.0/16 in area 0 and 192.168.30.0/24 in area 30, and make Vlan30 passive."
    network = {"kind": "ospf_network", "op": "add", "prefix": "192.168.30.0/24", "area": "30", "process": 10}
    passive = {"kind": "ospf_passive", "op": "add", "interface": "Vlan30", "process": 10}
    assert coverage.scattered(text, [network, passive], IOS) == []
    # the VLAN a port goes into is the VLAN created before, however it is written
    text = "vlan 2301 name APP_WEB; Et5-6 access in 2301"
    changes = [
        {"kind": "vlan", "op": "add", "vlan": 2301, "name": "APP_WEB"},
        {"kind": "access_port", "op": "add", "interfaces": "Et5-6", "vlan": 2301},
    ]
    assert coverage.scattered(text, changes, vendors.get("arista_eos").naming) == []


def test_frr_names_its_loopback_without_a_number():
    frr = vendors.get("frr").naming
    assert [t.text for t in coverage.things("source the session from lo, and lo0 stays", frr)] == ["lo", "lo0"]
    assert [t.text for t in coverage.things("lo 10.0.0.1/32", frr)] == ["lo", "10.0.0.1/32"]
    assert "lo" not in [t.text for t in coverage.things("lo 10.0.0.1/32", IOS)]


@pytest.mark.parametrize(
    "text, pieces",
    [
        (
            "create vlan 44 named LAB, give it 10.44.0.1/24 and a helper 10.0.0.9",
            ["create vlan 44 named LAB", "give vlan 44 10.44.0.1/24", "Vlan44: a helper 10.0.0.9"],
        ),
        ("bring up Gi0/8-9 and put them in vlan 12", ["bring up Gi0/8-9", "put Gi0/8-9 in vlan 12"]),
        # what opens a sentence and asks nothing yet belongs with what follows, not with the sentence before
        (
            "gi0/40-44 are unused - shut them and clear their descriptions; gi0/45 comes back into service, no shut",
            [
                "gi0/40-44 are unused - shut them",
                "clear gi0/40-44's descriptions",
                "gi0/45 comes back into service, no shut",
            ],
        ),
        (
            "on the po12 trunk prune 1405 and let 1410-1412 across",  # "let" is a verb of its own: no removal
            ["on the po12 trunk prune 1405", "Port-channel12: let 1410-1412 across"],
        ),
        ("ntp 10.0.0.1 and 10.0.0.2; syslog 10.0.0.3", ["ntp 10.0.0.1 and 10.0.0.2", "syslog 10.0.0.3"]),
        (
            "add vlan 3641 called BACKUP-NET and allow it on the po12 trunk",
            ["add vlan 3641 called BACKUP-NET", "allow vlan 3641 on the po12 trunk"],
        ),
        (
            "acl WEB: permit tcp any host 10.1.2.3 eq 443, then deny everything else, and apply it inbound on vlan 5",
            ["acl WEB: permit tcp any host 10.1.2.3 eq 443", "deny everything else", "apply WEB inbound on vlan 5"],
        ),
        (
            "label te1/1/3 'Core A' and te1/1/4 'Core B', then bring both up",
            ["label te1/1/3 'Core A' and te1/1/4 'Core B'", "bring te1/1/3 and te1/1/4 up"],
        ),
        # a piece that only removes what it points to asks for a change of its own, of the list it names
        (
            "vlans 50 and 60 are retired: take them off trunk Te1/0/49, then delete both",
            ["vlans 50 and 60 are retired: take them off trunk Te1/0/49", "delete vlans 50 and 60"],
        ),
        (
            "ntp 10.0.0.1 and 10.0.0.2 are old, remove them and add ntp 10.0.0.3",
            ["ntp 10.0.0.1 and 10.0.0.2 are old", "remove ntp 10.0.0.1 and 10.0.0.2", "add ntp 10.0.0.3"],
        ),
        ("shut gi0/1 and gi0/2, then remove them", ["shut gi0/1 and gi0/2", "remove gi0/1 and gi0/2"]),
        # "put them in": the ports, never a quoted description said before (an ACL is put on a port unquoted)
        (
            "park Gi1/0/30-32 and Gi1/0/40: shut them, desc 'UNUSED', and put them in vlan 999",
            [
                "park Gi1/0/30-32 and Gi1/0/40: shut them",
                "Gi1/0/30-32, GigabitEthernet1/0/40: desc 'UNUSED'",
                "put Gi1/0/30-32 and Gi1/0/40 in vlan 999",
            ],
        ),
        # "both" is the pair said as one list, not the last two interfaces
        (
            "bundle Te1/0/1 and Te1/0/2 into Po10 with LACP active, desc 'UPLINK-A' on both",
            ["bundle Te1/0/1 and Te1/0/2 into Po10 with LACP active", "desc 'UPLINK-A' on Te1/0/1 and Te1/0/2"],
        ),
        (
            "lo7 gets 10.189.7.7/32; put it and vl2760 into ospf 15 area 0",
            ["lo7 gets 10.189.7.7/32", "put lo7 and vl2760 into ospf 15 area 0"],
        ),
        (
            "acl IOT: block udp from 10.187.16.0/22 to any port 53, drop telnet from that same subnet to any",
            ["acl IOT: block udp from 10.187.16.0/22 to any port 53", "drop telnet from 10.187.16.0/22 to any"],
        ),
        (
            "po14: native vlan 2621, and allow 2622 on it as well",
            ["po14: native vlan 2621", "allow 2622 on po14 as well"],
        ),
        (
            "neighbors 172.23.8.1 (remote-as 64834, desc EAST) and 172.23.8.5 (remote-as 64835, desc WEST)",
            ["neighbors 172.23.8.1 (remote-as 64834, desc EAST)", "172.23.8.5 (remote-as 64835, desc WEST)"],
        ),
        (
            "snmp community Mon-RO read-only, plus a read-write one called Adm-RW",
            ["snmp community Mon-RO read-only", "a read-write snmp community called Adm-RW"],
        ),
        (
            "vlan 2905, gateway 10.183.5.1/24 on its svi, dhcp via 10.161.2.50",
            ["vlan 2905", "gateway 10.183.5.1/24 on vlan 2905's svi", "Vlan2905: dhcp via 10.161.2.50"],
        ),
        # a pairing said in order; the ports' role carries to a clause that only names them
        (
            "e8 and e9: 10.179.8.1/30 and 10.179.9.1/30 respectively, ospf cost 20 on both",
            ["e8: 10.179.8.1/30", "e9: 10.179.9.1/30", "ospf cost 20 on e8 and e9"],
        ),
        ("set gi0/1 and gi0/2 to vlan 10 and 20 respectively", ["set gi0/1 to vlan 10", "set gi0/2 to vlan 20"]),
        (
            "te1/1/1-2: trunk mode, vlans 2801-2804 and 2810 allowed",
            [
                "te1/1/1-2: trunk mode",  # a range ends a list item
                "te1/1/1-2: vlans 2801-2804 and 2810 allowed",
            ],
        ),
        (
            "po1 and po2 trunks: add vlan 41, remove vlan 40",
            ["po1 and po2 trunks: add vlan 41", "Port-channel1, Port-channel2 trunks: remove vlan 40"],
        ),
        # a move is its own clause, not one with what follows it
        (
            "move the default route from 203.0.113.1 to 198.51.100.65 and add a route to 10.88.0.0/16 via 10.255.3.2",
            [
                "remove the default route via 203.0.113.1",
                "add the default route via 198.51.100.65",
                "add a route to 10.88.0.0/16 via 10.255.3.2",
            ],
        ),
        # "that vlan" is the one named before; "the loopback" the loopback of a list
        (
            "vlan 3701 name APP-B, give that vlan an SVI with 10.37.1.2/24",
            ["vlan 3701 name APP-B", "give vlan 3701 an SVI with 10.37.1.2/24"],
        ),
        (
            "put Loopback0 and Gi0/0/1 in area 0, make the loopback passive",
            ["put Loopback0 and Gi0/0/1 in area 0", "make Loopback0 passive"],
        ),
        # "both" after a list of peers is all of them
        (
            "add neighbors 172.31.250.1 and 172.31.250.5, both remote-as 65000",
            [
                "add neighbors 172.31.250.1 and 172.31.250.5",
                "neighbor 172.31.250.1 and 172.31.250.5: both remote-as 65000",
            ],
        ),
        # a role said before the ports carries to the next clause; a pronoun in a remark is the remark's own
        (
            "On trunks Po1 and Po2 add vlans 305-307 and remove vlan 90 (it was the old voice vlan).",
            [
                "On trunks Po1 and Po2 add vlans 305-307",
                "Port-channel1, Port-channel2 trunks: remove vlan 90 (it was the old voice vlan).",
            ],
        ),
        # the OSPF settings said of a port after its process ("on it as point-to-point") are a clause of their own
        (
            "Address Gi0/0/2 10.0.12.1/30, run OSPF process 10 area 0 on it as point-to-point with cost 20",
            [
                "Address Gi0/0/2 10.0.12.1/30",
                "run OSPF process 10 area 0 on Gi0/0/2",
                "GigabitEthernet0/0/2: as point-to-point with cost 20",
            ],
        ),
        ("eth1 gets 10.1.1.1/30 as point-to-point", ["eth1 gets 10.1.1.1/30 as point-to-point"]),
        (
            "run ospf area 0 on eth2 as point-to-point like eth1",
            ["run ospf area 0 on eth2", "Ethernet2: as point-to-point like eth1"],
        ),
        # what only goes on with an HSRP or VRRP group is the group's, not a spanning-tree priority
        (
            "HSRP group 27 on Vlan527: virtual IP 10.52.7.1, priority 110, preempt. Make this switch root with priority 4096",
            [
                "HSRP group 27 on Vlan527: virtual IP 10.52.7.1, priority 110, preempt",
                "Make this switch root with priority 4096",
            ],
        ),
        # "remove it and peer with Y instead": Y is the new peer, and "next-hop-self" is said of it
        (
            "Peer 10.255.3.1 is being retired: remove it and peer with 10.255.3.5 instead, remote-as 65120, next-hop-self",
            [
                "Peer 10.255.3.1 is being retired: remove it",
                "peer with 10.255.3.5 instead",
                "neighbor 10.255.3.5: remote-as 65120",
                "neighbor 10.255.3.5: next-hop-self",
            ],
        ),
        # the ports said first are what the next piece is about; the VLAN "itself" is no port's
        (
            "On trunks Po3 and Po4, prune vlan 2230 and allow 2241-2243 instead, then delete vlan 2230 itself.",
            [
                "On trunks Po3 and Po4, prune vlan 2230",
                "Port-channel3, Port-channel4 trunks: allow 2241-2243 instead",
                "delete vlan 2230 itself.",
            ],
        ),
        # "on it and on Gi0/0/1": one list of where, not what the next clause is about
        (
            "Create Loopback7 with 10.255.7.7/32, run ospf 7 area 0 on it and on Gi0/0/1, and make the loopback passive",
            [
                "Create Loopback7 with 10.255.7.7/32",
                "run ospf 7 area 0 on Loopback7 and on Gi0/0/1",
                "make Loopback7 passive",
            ],
        ),
        # "it" after a VLAN said by name and id is the VLAN by its id
        (
            "Create vlan SENSORS with id 1460, make Gi1/0/20-23 access ports in it",
            ["Create vlan SENSORS with id 1460", "make Gi1/0/20-23 access ports in vlan 1460"],
        ),
        # "ospf 1 area 0" of a port's ticket puts the port in the process
        (
            "Gi0/3: ip 10.0.0.1/31, ospf 1 area 0, cost 10",
            ["Gi0/3: ip 10.0.0.1/31", "GigabitEthernet0/3: ospf 1 area 0", "GigabitEthernet0/3: cost 10"],
        ),
        # a route moved to another next hop keeps its prefix ("from next hop X to Y")
        (
            "Move the route to 10.91.0.0/16 from next hop 172.20.0.1 to 172.20.0.9",
            ["remove the route to 10.91.0.0/16 via 172.20.0.1", "add the route to 10.91.0.0/16 via 172.20.0.9"],
        ),
        # an area written as an address: the subject still carries
        ("Gi0/3: mtu 9000, ospf area 0.0.0.0", ["Gi0/3: mtu 9000", "GigabitEthernet0/3: ospf area 0.0.0.0"]),
    ],
)
def test_clauses(text, pieces):
    assert [c.text for c in coverage.clauses(text, IOS)] == pieces


def test_a_choice_said_after_one_groups_values_is_that_groups():
    text = "HSRP on Vlan310: group 31, virtual IP 10.31.0.1, priority 110, preempt. "
    text += "On Vlan311: group 32, virtual IP 10.31.1.1, priority 90."
    one = {"kind": "hsrp", "op": "add", "interface": "Vlan310", "group": 31, "virtual_ip": "10.31.0.1", "priority": 110}
    two = {"kind": "hsrp", "op": "add", "interface": "Vlan311", "group": 32, "virtual_ip": "10.31.1.1", "priority": 90}
    both = [dict(one, preempt="preempt"), dict(two, preempt="preempt")]
    assert coverage.scattered(text, both, IOS) == both[1:]
    assert coverage.scattered(text, [both[0], two], IOS) == []
    # and where the request names two groups, no preempt is filled into the one the model left it out of
    assert "preempt" not in grounding.repair(two, text)


def test_a_list_added_to_right_after_a_removal_from_it_is_an_add():
    said = "On the Po7 trunk, drop vlan 330 but add 331"
    drop = {"kind": "trunk_vlans", "op": "remove", "interfaces": "Po7", "vlans": "330"}
    whole = {"kind": "trunk_port", "op": "add", "interfaces": "Po7", "vlans": "331"}
    assert grounding.tidy([drop, whole], said)[1] == {
        "kind": "trunk_vlans",
        "op": "add",
        "interfaces": "Po7",
        "vlans": "331",
    }
    assert grounding.tidy([whole], "make Po7 a trunk and allow 331") == [whole]  # a new trunk's whole list


def test_it_after_a_clauses_own_route_is_that_route():
    text = "add a route for 10.180.0.0/16 via 172.19.4.1, and one for 10.181.0.0/16 via 172.19.4.5 with an AD of 200 "
    text += "so that it only takes over as a backup"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == text.split(", and ")[1]
    both = [
        {"kind": "static_route", "op": "add", "prefix": "10.180.0.0/16", "next_hop": "172.19.4.1", "distance": 200},
        {"kind": "static_route", "op": "add", "prefix": "10.181.0.0/16", "next_hop": "172.19.4.5", "distance": 200},
    ]
    assert coverage.scattered(text, both, IOS) == both[:1]  # the backup's distance on the first route
    assert coverage.scattered(text, [{k: v for k, v in both[0].items() if k != "distance"}, both[1]], IOS) == []


def test_a_lone_host_address_after_a_port_is_that_ports_address():
    said = lambda text: [(c.text, c.orphan) for c in coverage.clauses(text, IOS, orphans=True)]  # noqa: E731
    assert said("Gi1/0/48: no switchport, 10.250.14.2/30") == [
        ("Gi1/0/48: no switchport", False),
        ("GigabitEthernet1/0/48: ip address 10.250.14.2/30", False),
    ]
    # a network prefix stays a value of its own (asked about), as does an address with no port before it
    assert said("Gi0/1: desc X, 10.1.0.0/16") == [("Gi0/1: desc X", False), ("10.1.0.0/16", True)]
    assert said("hostname sw1, 10.9.0.2/24")[1] == ("10.9.0.2/24", True)


def test_a_port_range_said_with_to_is_one_range_and_a_move_is_not():
    junos = vendors.get("juniper_junos").naming
    assert [t.text for t in coverage.things("put ge-0/0/12 to ge-0/0/15 in vlan 2841", junos)] == [
        "ge-0/0/12 to ge-0/0/15",
        "vlan 2841",
    ]
    assert [t.text for t in coverage.things("move the uplink from ge-0/0/1 to ge-0/0/2", junos)] == [
        "ge-0/0/1",
        "ge-0/0/2",
    ]
    assert [t.text for t in coverage.things("ge-0/0/1 to vlan 30", junos)] == ["ge-0/0/1", "vlan 30"]


def test_a_port_range_said_in_words_is_written_as_one_range_for_the_model():
    junos = vendors.get("juniper_junos").naming
    assert coverage.compact_ranges("ge-0/0/12 to ge-0/0/14 are new cameras", junos) == "ge-0/0/12-14 are new cameras"
    assert coverage.compact_ranges("Gi1/0/1 through Gi1/0/4, Gi1/0/5 thru 8", IOS) == "Gi1/0/1-4, Gi1/0/5-8"
    # a move is two ports; a text is the user's; a range the wrong way round is left to be refused
    for said in ("move the uplink from ge-0/0/1 to ge-0/0/2", 'describe ge-0/0/1 "ge-0/0/2 to ge-0/0/3"'):
        assert coverage.compact_ranges(said, junos) == said
    assert coverage.compact_ranges("ge-0/0/14 to ge-0/0/12", junos) == "ge-0/0/14 to ge-0/0/12"


def test_the_model_is_offered_only_the_kinds_the_request_asks_for():
    offered = lambda text: [  # noqa: E731
        item["properties"]["kind"]["const"]
        for item in intent.grammar_schema(False, text, None, grounding.unasked_kinds(text))["properties"]["changes"][
            "items"
        ]["anyOf"]
    ]
    assert offered("prune 2215 from Po13") == ["trunk_vlans", "port_channel"]
    assert "portfast" in offered("portfast on gi0/1, and prune 2215 from Po13")
    # a kind that needs an address the request lacks is not offered either
    assert offered("enable ge-0/0/20") == ["shutdown"]
    assert "bgp_shutdown" in offered("shut down the session to 10.78.0.6")
    # a request that asks for no kind is offered every kind (and told it is unsupported)
    assert grounding.unasked_kinds("make it faster") == ()


def test_everything_else_is_one_deny_ip_any_any_line():
    narrowed = [
        {
            "kind": "acl_rule",
            "op": "add",
            "acl": "WEB",
            "action": "permit",
            "protocol": "tcp",
            "source": "any",
            "destination": "host 10.1.2.3",
            "port": "443",
        },
        {
            "kind": "acl_rule",
            "op": "add",
            "acl": "WEB",
            "action": "deny",
            "protocol": "tcp",
            "source": "any",
            "destination": "any",
        },
    ]
    got = grounding.everything_else(narrowed, "acl WEB: permit tcp any host 10.1.2.3 eq 443, then deny everything else")
    assert got[-1] == {
        "kind": "acl_rule",
        "op": "add",
        "acl": "WEB",
        "action": "deny",
        "protocol": "ip",
        "source": "any",
        "destination": "any",
    }
    assert len(got) == 2
    # Junos engineers say "discard": a deny, and its line is added where the model left it out
    said = "filter EDGE-IN: accept tcp from any to 10.1.2.3 port 443, discard everything else"
    assert grounding.everything_else(narrowed[:1], said)[-1]["action"] == "deny"
    # "let everything else through" after a block permits the rest: never left to the implicit deny
    block = dict(narrowed[0], action="deny", port="22")
    let = grounding.everything_else([block], "ACL WEB: block ssh to host 10.1.2.3, let everything else through")
    assert let[-1]["action"] == "permit" and let[-1]["protocol"] == "ip" and len(let) == 2
    # and the line it says is grounded by the phrase, where the request writes "any" only as a source
    said = "acl WEB: permit tcp from any to host 10.1.2.3 on port 443, then deny everything else"
    assert grounding.problems(grounding.everything_else(narrowed[:1], said), said) == []
    assert grounding.problems(narrowed[:1] + [dict(got[-1], action="permit")], said)  # not the line it says
    # without the phrase, a catch-all line is grounded as any other: an ACL the request never names is no value
    stray = dict(got[-1], acl="LAB-IN")
    assert grounding.problems([stray], "deny ip any any") == ["acl 'LAB-IN' does not appear in the request"]


def test_join_makes_one_change_of_one_ports_parts():
    parts = [
        {"kind": "trunk_port", "op": "add", "interfaces": "Gi1/0/12"},
        {"kind": "trunk_port", "op": "add", "interfaces": "Gi1/0/12", "native_vlan": 99},
    ]
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
        assert evaluate.compare(case["expect"], config, case["optional"], case["vendor"]) == ([], []), a["id"]


def test_no_right_answer_is_called_scattered():
    """The dev multi-change answers and every few-shot example: locality raises no false alarm."""
    examples = [
        {"id": f"example {i}", "intent": e["intent"], "changes": e["changes"], "vendor": None}
        for i, e in enumerate(
            yaml.safe_load((Path(parse.__file__).parent.parent / "prompts" / "examples.yaml").read_text())
        )
    ]
    flagged = []
    for a in _dev_answers() + examples:
        namings = [vendors.get(a["vendor"])] if a["vendor"] else [vendors.get(v) for v in vendors.names()]
        text = coverage.corrected(a["intent"], namings[0].naming)  # as the parser reads it (generate.request_text)
        changes = [grounding.repair(c, text) for c in a["changes"]]
        if all(coverage.scattered(text, changes, v.naming) for v in namings):
            flagged.append(a["id"])
    assert flagged == list(KNOWN_FALSE_ALARMS)


# Right answers the locality check still flags (asked about, never silently wrong); fixing one makes the
# test above fail until it is taken off this list.
KNOWN_FALSE_ALARMS = {
    "d2-eos-ospf-withdraw-instead": "the withdrawn network's area is said only in the clause that replaces it "
    "('advertise ... in area 12 instead')",
    # The third dev batch, written by others: where read whole and read clause by clause agree, the answer
    # is taken all the same (parse._agreed); where not, the request is asked about or refused.
    "d3-ios-guest-acl-svi": "'udp 53 from anywhere to X is fine': a permit said after its values",
    "d3-ios-cam-vlans-two-trunks": "'add them to the existing trunks': VLANs of the clause before, by pronoun",
    "d3-eos-vlans-paren-then-trunk": "'then allow them on the Po30 trunk': VLANs of the clause before, by pronoun",
    "d3-jun-two-irbs-same-relay": "'same dhcp helper X on each': one value for the ports of two clauses",
    "d3-jun-peer-retired-replacement": "'its replacement is X, same remote AS A, description D': the peer named "
    "after 'replacement'",
    "d3-jun-conf-rooms-phones": "'describe A as X and B as Y': the second pair's verb is left out",
    "d3-frr-two-links-each-area": "'each of them in ospf area N': one value for the ports of two clauses",
    "d3-frr-new-session-chatty": "'we're AS A, ...; our rid is R': the process's values in two clauses",
    "d3-frr-neighbor-desc-and-drop": "'neighbor X: set its description to D': the peer before the colon",
    # The fourth dev batch (d4-*), written by another author and measured once before any tuning on it.
    "d4-frr-rr-pair-lo": "'our AS is A. X and Y are the route reflectors (same AS)': the remote AS said in an "
    "earlier sentence",
    # The fifth dev batch (d5-*, ticket style), written by another author and measured once before any tuning on it.
    "d5-nxos-spine-uplinks-respectively": "'desc A and B respectively' after 'X and Y go routed': each port's text "
    "from another clause",
    "d5-nxos-isp-b-peer-rma-shut": "'new ebgp peer to NAME at X remote-as A, source it from lo0': the peer by "
    "'it' across a comma",
    # The ninth dev batch (d9-*, changes to what exists), written by another author and measured before tuning on it.
    "d9-ios-bgp-move-isp-keep-desc": "'point the default route at Y as well': the old route's next hop is the old "
    "peer of another clause",
    "d9-ios-vrf-mgmt-default-move": "'in the MGMT vrf, ...': a VRF that opens the request and holds every clause",
    "d9-ios-trap-syslog-move": "'the NMS at X is being replaced by Y - send traps to Y instead': the old trap host "
    "named only in the sentence before",
    # The tenth dev batch (d10-*, IOS change tickets), written by another author and measured before tuning on it.
    "d10-ios-storage-ports-jumbo": "\"desc 'NAS-A' and 'NAS-B' respectively\": a pairing said in order, which "
    "only the clauses keep",
    # The eleventh dev batch (d11-*, requests as written in chat and tickets), by another author, measured before tuning.
    "d11-ios-camera-vlan-same-helpers": "'no shut it too' after the SVI's clause: the SVI by 'it' across a sentence",
    "d11-ios-guest-iot-vlans-uplinks": "'allow both on the uplinks Te1/1/1 and Po1. Don't change the native vlan on "
    "Te1/1/1': a port named again as what stays",
    "d11-ios-cogent-transit-up": "'Bring up BGP to X, AS 174, description D': the peer's values in clauses after it",
    "d11-jun-sales-vlan-east-wing": "'move ... into the new vlan': the VLAN by 'the new vlan' across sentences",
    "d11-jun-protect-re-filter": "'accepts ssh from A, snmp from B and icmp from anywhere': the action of a list said "
    "once, before it",
    "d11-jun-vrrp-master-20-30": "'irb.30 the same, with group 30': a group's values by 'the same'",
    "d11-jun-guest-kiosk-ports": "'on ge-0/0/20 to ge-0/0/23: limit broadcast on them to 5%, and cap each at 3 MACs': "
    "the ports by 'them' and 'each'",
    # The twelfth dev batch (d12-*, EOS, NX-OS and FRR), written by another author and measured before tuning on it.
    "d12-eos-snmp-community-rotate": "'send its traps with the new community instead': the community by 'the new "
    "community', named in the sentence before",
    "d12-nx-ispz-aggregate-only": "'apply that route-map outbound on the peer': the peer by 'the peer', named "
    "only as '(203.0.113.9)' after its provider's name in another sentence",
    "d12-nx-po10-member-swap": "'pull Eth1/52 out of the bundle': the bundle's number said in the clause before",
    # The fifteenth dev batch (d15-*, IOS and Junos, traps for silent errors), by another author, before tuning on it.
    "d15-ios-two-access-voice": "'Gi1/0/13 in vlan 613 and Gi1/0/14 in vlan 614, both with voice vlan 650': one value "
    "for the ports of two clauses",
    "d15-ios-san-mtu-speed": "'label them A and B respectively' after a clause about one of them: each port's text from "
    "another clause",
    # The sixteenth and seventeenth dev batches (d16-*, d17-*), written by others and measured before any tuning on them.
    "d16-jun-ospf-area10-add-passive-metric-remove": "'OSPF area A: add X as passive, ...': the area said as a heading",
    "d17-nxos-fw-trunk-vlans": "'Also re-describe it \"D\"': the channel by 'it' two sentences back",
    "d17-nxos-core1-policy": "'apply it inbound on X only (not Y)': the route-map by 'it'",
    "d17-nxos-storage-vrf": "'move Vlan40 into it (it keeps A)': the VRF by 'it'",
    "d17-frr-isp-c-and-ixp": "'Separately peer with X, remote-as A, desc D (no multihop or password there)'",
    "d17-frr-customer-a-policy": "'apply the route-map inbound on that neighbor': the peer by 'that neighbor'",
    "d18-ios-cameras-bare-number": "'..., and bring up 47, it was parked': the port by its bare number",
    "d18-ios-acl-line-replace": "'remove permit ... eq 80 and put permit ... eq 443 in instead': the new line "
    "said with 'instead'",
    # The nineteenth dev batch (d19-*, 3-5 changes each), written by another author and measured before tuning on it.
    "d19-11-ios-swapped-patch": "'Gi1/0/15 should be in vlan 16 and Gi1/0/16 in vlan 15. Enable portfast ... on "
    "both': the ports by 'both', named in the sentence before",
    "d19-20-ios-stp-root-iot": "'root for vlans 10-20 (priority 4096), create vlans 18 and 19, add both to the "
    "trunk': VLANs of one range named again",
    "d19-36-nxos-fw-po30": "'port-channel 30: Ethernet1/31-32, ..., trunk allowing 30 and 31': the channel as a "
    "heading beside numbers like its own",
}


SCATTERED = [
    (
        "cisco_ios",
        "assign 10.44.0.1/24 to vlan 44 and disable Gi0/2, and 10.0.0.1/24 on gi0/3",
        [
            {"kind": "ip_address", "op": "add", "interface": "Gi0/2", "address": "10.44.0.1/24"},
            {"kind": "shutdown", "op": "add", "interfaces": "Gi0/2"},
            {"kind": "ip_address", "op": "add", "interface": "vlan 44", "address": "10.0.0.1/24"},
        ],
        ["set 10.44.0.1/24 on interface Gi0/2", "set 10.0.0.1/24 on interface vlan 44"],
    ),
    (
        "arista_eos",
        "take lo1 out of ospf area 0; lo2 gets 10.255.109.2/32 and goes into area 0 instead",
        [
            {"kind": "ospf_interface", "op": "remove", "interface": "lo1", "area": "0"},
            {"kind": "ip_address", "op": "add", "interface": "lo2", "address": "10.255.109.2/32"},
            {"kind": "ospf_network", "op": "add", "prefix": "10.255.109.2/32", "area": "0"},
            {"kind": "ospf_interface", "op": "add", "interface": "lo2", "area": "0"},
        ],
        ["advertise 10.255.109.2/32 in OSPF area 0"],
    ),
    (
        "cisco_ios",
        "acl LEGACY-MGMT: permit ssh from 172.24.8.0/22 and 172.24.12.0/22 to any, then deny everything else",
        [
            {
                "kind": "acl_rule",
                "op": "add",
                "acl": "LEGACY-MGMT",
                "action": "permit",
                "protocol": "tcp",
                "source": "172.24.8.0/22",
                "destination": "any",
                "port": "ssh",
            },
            {
                "kind": "acl_rule",
                "op": "add",
                "acl": "LEGACY-MGMT",
                "action": "deny",
                "protocol": "tcp",
                "source": "172.24.12.0/22",
                "destination": "any",
            },
        ],
        ["ACL LEGACY-MGMT: deny tcp from 172.24.12.0/22 to any"],
    ),
    (
        "cisco_ios",
        "remove snmp community Rd0nly-old, add FacOps-RO77 (read-only) and add FacOps-RW77 read-write",
        [
            {"kind": "snmp_community", "op": "remove", "community": "Rd0nly-old"},
            {"kind": "snmp_community", "op": "add", "community": "FacOps-RO77", "access": "ro"},
            {"kind": "snmp_community", "op": "add", "community": "FacOps-RW77", "access": "ro"},
        ],
        ["add SNMP community FacOps-RW77 ro"],
    ),
    (
        "cisco_ios",
        "on trunks po21 and po22 allow vlans 1561-1562 and prune vlan 1178",
        [
            {"kind": "trunk_vlans", "op": "add", "interfaces": "po21, po22", "vlans": "1561-1562"},
            {"kind": "trunk_vlans", "op": "remove", "interfaces": "po21", "vlans": "1178"},
        ],
        ["remove vlans 1178 from trunks po21"],
    ),
    (
        "cisco_ios",
        "on trunks po21 and po22 allow vlans 1561-1562 and prune vlan 1178",
        [{"kind": "trunk_vlans", "op": "add", "interfaces": "po21, po22", "vlans": "1178,1561-1562"}],
        ["allow vlans 1178,1561-1562 on trunks po21, po22"],
    ),
    (
        "juniper_junos",
        "allow VOIP-EAST on the ae3 and xe-0/0/2 trunks and prune OLD-DATA off them",
        [
            {"kind": "trunk_vlans", "op": "add", "interfaces": "ae3, xe-0/0/2", "vlans": "VOIP-EAST"},
            {"kind": "trunk_vlans", "op": "remove", "interfaces": "ae3", "vlans": "OLD-DATA"},
        ],
        ["remove vlans OLD-DATA from trunks ae3"],
    ),
    (
        "cisco_ios",
        "shut gi1/0/44 through gi1/0/46 and describe them as UNUSED-RESERVED",
        [
            {"kind": "shutdown", "op": "add", "interfaces": "gi1/0/44-46"},
            {"kind": "description", "op": "add", "interfaces": "gi1/0/46", "text": "UNUSED-RESERVED"},
        ],
        ['describe gi1/0/46 as "UNUSED-RESERVED"'],
    ),
    (
        "cisco_ios",
        "vlan 2011 is going away: remove its svi address 10.201.1.1/24, and move gi1/0/12 to vlan 2094",
        [
            {"kind": "ip_address", "op": "remove", "interface": "gi1/0/12", "address": "10.201.1.1/24"},
            {"kind": "access_port", "op": "add", "interfaces": "gi1/0/12", "vlan": 2094},
        ],
        ["remove the address 10.201.1.1/24 from interface gi1/0/12"],
    ),
]


@pytest.mark.parametrize("vendor,text,changes,wrong", SCATTERED, ids=[s[1][:40] for s in SCATTERED])
def test_values_from_two_parts_of_the_request_are_caught(vendor, text, changes, wrong):
    changes = [grounding.repair(c, text) for c in changes]
    got = coverage.scattered(text, changes, vendors.get(vendor).naming)
    assert [intent.describe(c) for c in got] == wrong


def test_the_old_value_of_a_swap_is_not_added():
    text = "swap snmp community Rd0nly-old for FacOps-RO77 (read-only)"
    swapped = [
        {"kind": "snmp_community", "op": "remove", "community": "FacOps-RO77"},
        {"kind": "snmp_community", "op": "add", "community": "Rd0nly-old", "access": "ro"},
    ]
    assert unplaced(text, swapped) == ["Rd0nly-old"]
    right = [
        {"kind": "snmp_community", "op": "remove", "community": "Rd0nly-old"},
        {"kind": "snmp_community", "op": "add", "community": "FacOps-RO77", "access": "ro"},
    ]
    assert unplaced(text, right) == []


def test_a_pronoun_stands_for_a_whole_list_and_a_subject_for_its_port():
    text = "on trunks po21 and po22 allow vlans 1561-1562 and prune vlan 1178"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == "Port-channel21, Port-channel22 trunks: prune vlan 1178"
    text = "move gi1/0/22 from vlan 746 to vlan 853 and label it 'guest kiosk'"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == "label gi1/0/22 'guest kiosk'"
    text = "delete route 10.84.0.0/16 via 10.9.1.1 and add it via 10.9.1.2"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == "add 10.84.0.0/16 via 10.9.1.2"


@pytest.mark.parametrize(
    "said,plain",
    [
        (
            "swap name-server 10.179.0.53 for 10.179.1.53",
            ["remove name-server 10.179.0.53", "add name-server 10.179.1.53"],
        ),
        ("replace ntp 10.0.0.1 with 10.0.0.2", ["remove ntp 10.0.0.1", "add ntp 10.0.0.2"]),
        (
            "on svi 627 use helper 10.62.7.20 instead of 10.62.7.19",
            ["remove on svi 627 helper 10.62.7.19", "on svi 627 use helper 10.62.7.20"],
        ),
        (
            "move the default route from 10.14.0.1 to 10.14.0.5",
            ["remove the default route via 10.14.0.1", "add the default route via 10.14.0.5"],
        ),
        (
            "move 10.178.0.0/24 from area 0 to area 5 under ospf 19",  # a network is in an area: one out, one in
            ["remove 10.178.0.0/24 area 0 under ospf 19", "add 10.178.0.0/24 area 5 under ospf 19"],
        ),
        (
            "swap vlan 3205 for 3206 on trunks po101 and po102",  # a trunk's VLANs are a list
            ["remove vlan 3205 on trunks po101 and po102", "add vlan 3206 on trunks po101 and po102"],
        ),
        ("swap native vlan 10 for 20 on trunk po1", ["swap native vlan 20 on trunk po1"]),
        (
            "replace helper 10.1.1.1 with 10.1.1.2 on vlan 30",  # "vlan 30" names the SVI: no access port's one VLAN
            ["remove helper 10.1.1.1 on vlan 30", "add helper 10.1.1.2 on vlan 30"],
        ),
        (
            "acl MGMT-VTY: change the ssh permit from 10.170.0.0/16 to just 10.170.12.0/24",
            [
                "acl MGMT-VTY: remove the ssh permit from 10.170.0.0/16",
                "acl MGMT-VTY: add the ssh permit from 10.170.12.0/24",
            ],
        ),
        (
            "the syslog host from 10.77.12.4 to 10.77.12.40",
            ["remove the syslog host 10.77.12.4", "add the syslog host 10.77.12.40"],
        ),
        ("te1/1/6: ospf cost from 20 to 45", ["te1/1/6: ospf cost to 45"]),  # single-valued: the new value only
        ("move gi1/0/22 from vlan 746 to vlan 853", ["move gi1/0/22 to vlan 853"]),
        ("change the hostname from dist-a-old to dist-a-01", ["change the hostname to dist-a-01"]),
        ("permit tcp from 10.0.0.0/8 to 10.1.0.0/16 eq 22", None),  # an ACL's source and destination
        ("allow vlans from 10 to 20 on gi0/1", None),  # a range
        ("create vlan 30 named GUESTS", None),
        (
            "use ntp 172.25.1.10 and 172.25.1.11 instead of 10.169.250.5",
            ["remove ntp 10.169.250.5", "use ntp 172.25.1.10 and 172.25.1.11"],
        ),  # the new list is not removed
        (
            "replace name-server 10.209.100.53 with 172.18.150.53 and 172.18.151.53",  # the new list is not removed
            ["remove name-server 10.209.100.53", "add name-server 172.18.150.53 and 172.18.151.53"],
        ),
        ("on gi2/0/7 swap the old voice vlan for voice vlan 2616", ["on gi2/0/7 set voice vlan 2616"]),
        ("move logging host 10.77.1.5 to 10.77.1.6", ["remove logging host 10.77.1.5", "add logging host 10.77.1.6"]),
        (
            "the syslog server 10.7.1.5 is being replaced by 10.7.1.6",
            ["remove the syslog server 10.7.1.5", "add the syslog server 10.7.1.6"],
        ),
        ("replace the current description with 'Uplink B' on gi0/1", ["set description 'Uplink B' on gi0/1"]),
    ],
)
def test_a_replacement_is_said_as_plain_changes(said, plain):
    assert coverage.replacing(said, IOS) == plain
    assert [c.text for c in coverage.clauses(said, IOS)] == (plain or [said])


def test_a_quoted_text_is_never_split():
    said = 'Rename the box to B7, set the motd banner to "Authorized access only - all activity is logged", and add ntp 10.0.0.1'
    assert [c.text for c in coverage.clauses(said, IOS)] == [
        "Rename the box to B7",
        'set the motd banner to "Authorized access only - all activity is logged"',
        "add ntp 10.0.0.1",
    ]
    said = "describe gi0/1 'core, then edge' and shut gi0/2"
    assert [c.text for c in coverage.clauses(said, IOS)] == ["describe gi0/1 'core, then edge'", "shut gi0/2"]


@pytest.mark.parametrize(
    "naming,said,plain",
    [
        (
            IOS,
            "swap name-server 10.179.0.53 for 10.179.1.53 and ntp 10.179.0.123 for 10.179.1.123",
            [
                "remove name-server 10.179.0.53",
                "add name-server 10.179.1.53",
                "remove ntp 10.179.0.123",
                "add ntp 10.179.1.123",
            ],
        ),
        # after a swap, "move ... from X to Y" is a pair of its own
        (
            JUNOS,
            "Swap NTP server 10.1.1.5 for 10.1.1.6, move the syslog host from 10.1.9.10 to 10.1.9.20, and set the time zone",
            [
                "remove NTP server 10.1.1.5",
                "add NTP server 10.1.1.6",
                "remove the syslog host 10.1.9.10",
                "add the syslog host 10.1.9.20",
                "set the time zone",
            ],
        ),
    ],
)
def test_one_swap_verb_serves_two_pairs(naming, said, plain):
    assert [c.text for c in coverage.clauses(said, naming)] == plain


def test_an_action_word_is_done_on_all_it_is_said_of():
    """ "shut them and clear their descriptions" with one description, "bring both up" with one port up."""
    frr = vendors.get("frr").naming
    text = "swp3 and swp4 are spare now: shut them and clear their descriptions"
    shut = [{"kind": "shutdown", "op": "add", "interfaces": i} for i in ("swp3", "swp4")]
    clear = [{"kind": "description", "op": "remove", "interfaces": i} for i in ("swp3", "swp4")]
    assert coverage.scattered(text, shut + clear[:1], frr) == clear[:1]
    assert coverage.scattered(text, shut + clear, frr) == []
    text = "label te1/1/3 'Core A' and te1/1/4 'Core B', then bring both up"
    labels = [
        {"kind": "description", "op": "add", "interfaces": "te1/1/3", "text": "Core A"},
        {"kind": "description", "op": "add", "interfaces": "te1/1/4", "text": "Core B"},
    ]
    up = [{"kind": "shutdown", "op": "remove", "interfaces": i} for i in ("te1/1/3", "te1/1/4")]
    assert coverage.scattered(text, labels + up[1:], IOS) == up[1:]
    assert coverage.scattered(text, labels + up, IOS) == []
    assert unplaced(
        "disable ge-0/0/40 through ge-0/0/43 and label them 'UNUSED'",
        [{"kind": "description", "op": "add", "interfaces": "ge-0/0/40-43", "text": "UNUSED"}],
    ) == ["disable"]


def test_words_that_are_no_values():
    """ "layer 3", a ticket number, the apostrophe of "po4's" are no parts to place."""
    trunk = [{"kind": "trunk_port", "op": "add", "interfaces": "po4", "native_vlan": 2998}]
    assert unplaced("CHG-4471: move po4's native vlan to 2998 (it's a layer 3 fix)", trunk) == []
    routed = [
        {"kind": "routed_port", "op": "add", "interfaces": "gi1/0/48"},
        {"kind": "ip_address", "op": "add", "interface": "gi1/0/48", "address": "10.186.0.1/30"},
    ]
    assert unplaced("turn gi1/0/48 into a layer 3 uplink with 10.186.0.1/30", routed) == []
    # protocol names in capitals are vocabulary; "shut off cdp" shuts no port; a channel number names its po
    assert (
        unplaced(
            "turn off CDP and LLDP on gi0/9",
            [{"kind": k, "op": "remove", "interfaces": "gi0/9"} for k in ("cdp", "lldp")],
        )
        == []
    )
    assert unplaced("shut off cdp on the whole switch", [{"kind": "cdp", "op": "remove"}]) == []
    bundle = [{"kind": "port_channel", "op": "add", "interfaces": "gi0/1-2", "channel": 4}]
    assert unplaced("gi0/1-2 into po4", bundle) == []
    assert unplaced("gi0/1-2 into po4 and shut gi0/3", bundle) == ["shut", "gi0/3"]


def test_a_host_is_not_an_interface_address():
    text = "interface vl3120: 10.169.20.1/24, dhcp relay to 10.169.0.67"
    assert grounding.ungrounded(
        {"kind": "dhcp_relay", "op": "add", "interface": "vl3120", "server": "10.169.20.1"}, text
    )
    assert not grounding.ungrounded(
        {"kind": "dhcp_relay", "op": "add", "interface": "vl3120", "server": "10.169.0.67"}, text
    )


@pytest.mark.parametrize(
    "text,ace,placed",
    [
        ("acl APP permit udp any 10.7.0.0/24 eq 8125", "host 10.7.0.0", False),
        ("acl APP permit udp any 10.7.0.0/24 eq 8125", "10.7.0.0/24", True),
        ("acl APP permit ip 10.7.0.0 0.0.0.255 any", "host 10.7.0.0", False),
        ("acl APP permit ip 10.7.0.0 0.0.0.255 any", "10.7.0.0 0.0.0.255", True),
        ("acl APP permit ip host 10.7.0.9 any", "host 10.7.0.9", True),
        ("acl APP permit ip 10.7.0.9/32 any", "host 10.7.0.9", True),
    ],
)
def test_an_acl_host_is_not_the_network_the_request_gives(text, ace, placed):
    rule = {"kind": "acl_rule", "op": "add", "acl": "APP", "action": "permit", "protocol": "ip"}
    rule |= {"source": ace, "destination": "any"}
    assert (grounding.ungrounded(rule, text) == []) is placed


def test_a_port_taken_out_of_a_vlan_leaves_the_vlan():
    pull = [
        {"kind": "vlan", "op": "remove", "vlan": 2777},
        {"kind": "access_port", "op": "remove", "interfaces": "Et12"},
    ]
    assert grounding.tidy(pull, "pull Et12 out of vlan 2777 and shut it") == pull[1:]
    assert grounding.tidy(pull, "remove Et12 from vlan 2777 and delete vlan 2777") == pull


def test_a_bare_neighbor_beside_its_options_says_nothing_unless_the_request_makes_one():
    answer = [
        {"kind": "bgp_neighbor", "op": "add", "neighbor": "172.16.40.1", "asn": 65300},
        {"kind": "bgp_ebgp_multihop", "op": "add", "neighbor": "172.16.40.1", "hops": 2},
    ]
    assert grounding.tidy(answer, "on bgp 65300 give neighbor 172.16.40.1 ebgp-multihop 2") == answer[1:]
    # a new neighbor without its remote AS stays, and is refused for it
    assert grounding.tidy(answer, "add neighbor 172.16.40.1 with ebgp-multihop 2") == answer
    # alone, it is no option of another change's object
    assert grounding.tidy(answer[:1], "neighbor 172.16.40.1 in bgp 65300") == answer[:1]


def test_a_negation_another_removal_answers_does_not_turn_an_add_into_a_removal():
    text = "Create vlan 71 named QA-NEW, move Gi1/0/10-12 from vlan 70 to it, then delete vlan 70"
    port = {"kind": "access_port", "op": "add", "interfaces": "Gi1/0/10-12", "vlan": 71}
    gone = {"kind": "vlan", "op": "remove", "vlan": 70}
    assert grounding.tidy([port, gone], text) == [port, gone]
    # without a removal of the VLAN, "delete vlan 70" says the port leaves it
    assert grounding.tidy([dict(port, vlan=70)], "delete vlan 70 on Gi1/0/10") == [dict(port, vlan=70, op="remove")]


def test_a_change_said_twice_once_with_less_is_kept_once_the_fuller():
    route = {"kind": "static_route", "op": "add", "prefix": "0.0.0.0/0", "next_hop": "198.51.100.1"}
    fuller = dict(route, distance=250)
    text = "backup default route 0.0.0.0/0 via 198.51.100.1 with distance 250"
    assert grounding.tidy([route, fuller], text) == [fuller]
    assert grounding.tidy([fuller, dict(route, distance=None)], text) == [fuller]
    # two routes that differ (not one within the other) both stay
    other = dict(route, next_hop="198.51.100.9", distance=None)
    assert grounding.tidy([fuller, other], text + ", and one via 198.51.100.9") == [fuller, other]
    # the same values as a removal are another change
    gone = dict(route, op="remove")
    assert grounding.tidy([gone, fuller], "move the default route to 198.51.100.1 distance 250") == [gone, fuller]


def test_a_container_number_is_the_one_the_request_names_for_it():
    text = "router bgp 65310, neighbor 10.31.255.0 remote-as 65300, redistribute connected"
    answer = {"kind": "bgp_redistribute", "op": "add", "source": "connected", "asn": 65300}
    assert grounding.repair(answer, text)["asn"] == 65310
    # with two local AS numbers said, the model's choice stands (and the readings are compared)
    two = "router bgp 65310: redistribute connected; router bgp 65300: redistribute static"
    assert grounding.repair(answer, two)["asn"] == 65300
    ospf = {"kind": "ospf_network", "op": "add", "prefix": "10.0.0.0/24", "area": "0", "process": 12}
    assert grounding.repair(ospf, "ospf 21: network 10.0.0.0/24 area 0, cost 12 on gi0/1")["process"] == 21


def test_a_native_vlan_alone_is_no_allowed_list():
    native = {"kind": "trunk_port", "op": "add", "interfaces": "eth1/33-34", "vlans": "3799", "native_vlan": 3799}
    assert "vlans" not in grounding.repair(native, "eth1/33-34: native 3799")
    assert grounding.repair(native, "trunk eth1/33-34 allowing vlan 3799, native 3799")["vlans"] == "3799"


def test_a_new_mode_replaces_the_old_one_without_a_removal():
    move = [
        {"kind": "stp_mode", "op": "remove", "protocol": "rstp"},
        {"kind": "stp_mode", "op": "add", "protocol": "mst"},
    ]
    assert grounding.tidy(move, "ex-idf9: move STP from RSTP to MSTP") == move[1:]
    # said as a return to the default, the removal stays (and is then sent back beside the add)
    assert grounding.tidy(move, "drop MST, go back to the default spanning-tree mode") == move


def test_a_bare_removal_beside_an_add_that_sets_the_whole_setting_is_the_add():
    change = [
        {"kind": "description", "op": "remove", "interfaces": "ge-0/0/9"},
        {"kind": "description", "op": "add", "interfaces": "ge-0/0/9", "text": "Print room"},
    ]
    assert grounding.tidy(change, 'change the description of ge-0/0/9 to "Print room"') == change[1:]
    # of another port, or an add that leaves part of the setting unsaid, the removal stays
    other = [dict(change[0], interfaces="ge-0/0/8"), change[1]]
    assert grounding.tidy(other, 'clear ge-0/0/8\'s description, describe ge-0/0/9 "Print room"') == other
    voice = [
        {"kind": "access_port", "op": "remove", "interfaces": "Gi0/5"},
        {"kind": "access_port", "op": "add", "interfaces": "Gi0/5", "vlan": 30},
    ]
    assert grounding.tidy(voice, "take Gi0/5 out of its vlans, then put it in vlan 30") == voice


def test_words_that_ask_for_a_change_without_a_value():
    native = {"kind": "trunk_port", "op": "add", "interfaces": "po4", "native_vlan": 2998}
    text = "move po4's native vlan to 2998 and make sure 2998 is allowed on that trunk"
    assert unplaced(text, [native]) == ["allowed"]  # a native VLAN is not an allowed one
    allowed = {"kind": "trunk_vlans", "op": "add", "interfaces": "po4", "vlans": "2998"}
    assert unplaced(text, [native, allowed]) == []
    ntp = {"kind": "ntp_server", "op": "add", "server": "10.179.1.123"}
    text = "use 10.179.1.123 for ntp instead of the current server"
    assert unplaced(text, [ntp]) == ["instead of the current"]  # a removal of what the request does not name
    assert unplaced(text, [ntp, {"kind": "ntp_server", "op": "remove", "server": "10.179.1.100"}]) == []
    svi = "vlan 3077 is retired: delete its svi address and the vlan itself, and prune it from the po20 trunk"
    prune = {"kind": "trunk_vlans", "op": "remove", "interfaces": "po20", "vlans": "3077"}
    assert unplaced(svi, [prune]) == ["svi address", "vlan itself"]


def test_every_choice_a_request_lists_is_used():
    """ "broadcast and multicast storm control": a change for each type; a dropped one is unplaced."""
    text = "broadcast, multicast and unknown unicast storm control at 10 percent on gi1/0/1"
    sc = {"kind": "storm_control", "op": "add", "interfaces": "gi1/0/1", "level": 10}
    bcast, mcast, ucast = ({**sc, "traffic": t} for t in ("broadcast", "multicast", "unicast"))
    assert unplaced(text, [bcast]) == ["multicast", "unicast"]
    assert unplaced(text, [bcast, mcast, ucast]) == []
    assert unplaced("storm control broadcast 5% on gi1/0/1", [{**bcast, "level": 5}]) == []


def test_a_choice_the_request_keeps_is_not_removed():
    t = "remove the unicast storm limit on Gi1/0/22, keep the broadcast one"
    change = {"kind": "storm_control", "op": "remove", "interfaces": "Gi1/0/22"}
    assert grounding.ungrounded({**change, "traffic": "unicast"}, t) == []
    assert grounding.ungrounded({**change, "traffic": "broadcast"}, t) == [
        "the request keeps broadcast: remove only what it takes off (storm_control traffic)"
    ]


def test_a_choice_the_request_moves_away_from_is_not_set():
    mode = {"kind": "stp_mode", "op": "add"}
    for t in ("move STP from RSTP to MSTP", "run mst instead of the default rstp"):
        assert grounding.ungrounded({**mode, "protocol": "mst"}, t) == []
        assert grounding.ungrounded({**mode, "protocol": "rstp"}, t) == [
            "the request moves away from rstp: set what it moves to (stp_mode protocol)"
        ]


def test_a_mode_name_asks_for_a_mode_change():
    priority = {"kind": "stp_priority", "op": "add", "priority": 4096, "vlans": "10"}
    text = "run rapid-pvst and be root for vlan 10 (priority 4096)"
    assert unplaced(text, [priority]) == ["rapid-pvst"]
    assert unplaced(text, [priority, {"kind": "stp_mode", "op": "add", "protocol": "rapid-pvst"}]) == []
    assert unplaced("put the spanning tree mode back to the EOS default", [{"kind": "stp_mode", "op": "remove"}]) == []


def test_a_port_the_answer_left_out_of_a_list_gets_the_change_its_clause_asks_for():
    frr = vendors.get("frr").naming
    one = {"kind": "description", "op": "remove", "interfaces": "swp3"}
    assert coverage.fill_lists("clear swp3 and swp4's descriptions", [one], frr) == [one, dict(one, interfaces="swp4")]
    shut, desc = (
        {"kind": "shutdown", "op": "add", "interfaces": "gi0/1"},
        {"kind": "description", "op": "add", "interfaces": "gi0/1", "text": "UPLINK"},
    )
    filled = coverage.fill_lists("shut gi0/1 and gi0/2, and describe gi0/1 as UPLINK", [shut, desc], IOS)
    assert filled == [shut, desc, dict(shut, interfaces="gi0/2")]  # the description was said of gi0/1 only
    addr = {"kind": "ip_address", "op": "add", "interface": "eth0", "address": "10.0.0.1/30"}
    assert coverage.fill_lists("eth0 and eth1: 10.0.0.1/30", [addr], frr) == [addr]  # one address, one port


def test_the_vlan_an_access_port_leaves_is_context():
    eos = vendors.get("arista_eos").naming
    leave = [{"kind": "access_port", "op": "remove", "interfaces": "Et12"}]
    assert coverage.unplaced("pull Et12 out of vlan 2777", leave, eos) == []
    assert [str(t) for t in coverage.unplaced("pull the po1 trunk out of vlan 20", leave, eos)][-1] == "vlan 20"


def test_one_setting_given_two_values_is_a_guess_either_way():
    first = {"kind": "description", "op": "add", "interfaces": "gi2/0/19", "text": "the new label printer for shipping"}
    second = {"kind": "description", "op": "add", "interfaces": "GigabitEthernet2/0/19", "text": "Zebra Shipping 2"}
    assert coverage.conflicting([first, second], IOS) == [first, second]
    assert coverage.conflicting([first, dict(second, interfaces="gi2/0/20")], IOS) == []  # two ports
    shut = {"kind": "shutdown", "op": "add", "interfaces": "Gi1/0/12"}
    assert coverage.conflicting([shut, dict(shut, op="remove")], IOS) == [shut, dict(shut, op="remove")]
    assert coverage.conflicting([shut, dict(shut, op="remove", interfaces="Gi1/0/13")], IOS) == []
    area = {"kind": "ospf_interface", "op": "add", "interface": "gi0/1", "area": "0"}
    assert (
        coverage.conflicting([area, dict(area, interface="Gi0/1", area="0.0.0.0")], IOS) == []
    )  # one area, two spellings
    data, voice = (
        {"kind": "access_port", "op": "add", "interfaces": "gi0/1", "vlan": 30},
        {"kind": "access_port", "op": "add", "interfaces": "gi0/1", "voice_vlan": 40},
    )
    assert coverage.conflicting([data, voice], IOS) == []  # two fields of one port, no clash


def test_a_change_that_repeats_another_is_left_out():
    trunk = {
        "kind": "trunk_port",
        "op": "add",
        "interfaces": "Te1/1/1-2",
        "native_vlan": 2899,
        "vlans": "2801-2804,2810",
    }
    again = {"kind": "trunk_vlans", "op": "add", "interfaces": "te1/1/1-2", "vlans": "2801-2804,2810"}
    assert grounding.without_repeats([trunk, again, again]) == [trunk]
    native = {"kind": "trunk_port", "op": "add", "interfaces": "po14", "native_vlan": 2621}
    more = {"kind": "trunk_vlans", "op": "add", "interfaces": "po14", "vlans": "2622"}
    assert grounding.without_repeats([native, more]) == [native, more]  # "allow 2622 as well": added, not set


def test_an_interfaces_own_address_is_no_ospf_network_of_the_request():
    text = "lo3 10.255.143.3/32, run ospf 7 area 0 on it"
    addr = {"kind": "ip_address", "op": "add", "interface": "lo3", "address": "10.255.143.3/32"}
    network = {"kind": "ospf_network", "op": "add", "prefix": "10.255.143.3/32", "area": "0", "process": 7}
    assert any("ospf_interface" in p for p in grounding.problems([addr, network], text))
    assert (
        grounding.problems([addr, {"kind": "ospf_interface", "op": "add", "interface": "lo3", "area": "0"}], text) == []
    )
    said_as_network = "loopback 0 ip 10.255.143.3/32 and advertise it in ospf 7 area 0"
    assert grounding.problems([{**addr, "interface": "loopback 0"}, network], said_as_network) == []


def test_a_list_added_to_is_not_set_whole():
    """'let 1410-1412 across' the po12 trunk adds to its allowed list; a new trunk's list is set whole."""
    set_whole = {"kind": "trunk_port", "op": "add", "interfaces": "po12", "vlans": "1410-1412"}
    assert grounding._added_to_lists([set_whole], "on the po12 trunk prune 1405 and let 1410-1412 across") == [
        {"kind": "trunk_vlans", "op": "add", "interfaces": "po12", "vlans": "1410-1412"}
    ]
    native = {"kind": "trunk_port", "op": "add", "interfaces": "po15", "native_vlan": 1430, "vlans": "1431-1433"}
    assert grounding._added_to_lists(
        [native], "po15: native vlan becomes 1430, also add 1431-1433 to its allowed list"
    ) == [
        {"kind": "trunk_vlans", "op": "add", "interfaces": "po15", "vlans": "1431-1433"},
        {"kind": "trunk_port", "op": "add", "interfaces": "po15", "native_vlan": 1430},
    ]
    new = {"kind": "trunk_port", "op": "add", "interfaces": "gi0/1", "native_vlan": 99, "vlans": "10,20"}
    assert grounding._added_to_lists([new], "make gi0/1 a trunk allowing 10,20, native 99; also shut gi0/2") == [new]
    stopped = {
        "kind": "trunk_port",
        "op": "add",
        "interfaces": "Po21",
        "vlans": "1305",
    }  # the model's slip, left as it is
    assert grounding._added_to_lists([stopped], "on the Po21 trunk, stop carrying 1305 but add 1306") == [stopped]
    merged = dict(new, vlans="10,20,30")  # the new trunk's list, with the 30 "also allowed" on it
    assert grounding._added_to_lists([merged], "make gi0/1 a trunk allowing 10,20, native 99, also allow 30") == [
        merged
    ]


def test_a_pronoun_whose_thing_is_between_clauses_does_not_crash():
    """Found by tests/test_fuzz.py: 'IT' resolved to a port that no clause span holds raised StopIteration."""
    text = "GI0/1 NO AS TO AND IT CREATE % NEIGHBOR CREATE /24 }} GI0/1"
    naming = vendors.get("cisco_ios").naming
    change = {"kind": "ospf_interface", "op": "remove", "interface": "A.53339942", "area": "0"}
    assert isinstance(coverage.scattered(text, [change], naming), list)


def test_a_port_moved_away_from_is_not_joined_again():
    text = "Po7: move the member from Gi1/0/48 (it keeps flapping) to Gi1/0/46, and shut Gi1/0/48"
    shut = {"kind": "shutdown", "op": "add", "interfaces": "Gi1/0/48"}
    joined = {"kind": "port_channel", "op": "add", "interfaces": "Gi1/0/46, Gi1/0/48", "channel": 7}
    assert unplaced(text, [joined, shut]) == ["Gi1/0/48"]
    left = {"kind": "port_channel", "op": "remove", "interfaces": "Gi1/0/48", "channel": 7}
    moved = {"kind": "port_channel", "op": "add", "interfaces": "Gi1/0/46", "channel": 7}
    assert unplaced(text, [left, moved, shut]) == []  # the old port may take other changes
    assert unplaced("shut the ports from gi1/0/1 to gi1/0/4", [{**shut, "interfaces": "gi1/0/1-4"}]) == []


def test_a_port_said_before_its_changes_is_not_bundled_into_the_channel_before():
    """ "..., and on eth1/1-2 where the APs hang, turn cdp off": eth1/1-2 is what the next clause is about, not
    more members for the port-channel of the clause before (a silent error once: both readings agreed)."""
    nx = vendors.get("cisco_nxos").naming
    text = (
        "n9k-leaf-4: put eth1/53 and eth1/54 in port-channel 40 lacp active (link to n9k-leaf-5), and on eth1/1-2 "
        "where the Meraki APs hang, turn cdp off and lldp on."
    )
    members = {"kind": "port_channel", "op": "add", "interfaces": "eth1/53, eth1/54", "channel": 40, "mode": "active"}
    aps = [
        {"kind": "cdp", "op": "remove", "interfaces": "eth1/1-2"},
        {"kind": "lldp", "op": "add", "interfaces": "eth1/1-2"},
    ]
    wrong = {"kind": "port_channel", "op": "add", "interfaces": "eth1/1-2", "channel": 40, "mode": "active"}
    assert coverage.scattered(text, [members, wrong, *aps], nx) == [wrong]
    assert coverage.scattered(text, [members, *aps], nx) == []
    assert coverage.unplaced(text, [members, *aps], nx) == []


def test_a_change_another_makes_on_more_ports_is_left_out():
    junos = vendors.get("juniper_junos").naming
    wide = {"kind": "portfast", "op": "add", "interfaces": "ge-0/0/10 through ge-0/0/15"}
    narrow = dict(wide, interfaces="ge-0/0/15 through ge-0/0/15")
    assert coverage.subsumed([wide, narrow], junos) == [narrow]
    assert coverage.subsumed([wide, dict(narrow, op="remove")], junos) == []  # not the same change
    assert coverage.subsumed([wide, dict(narrow, interfaces="ge-0/0/16")], junos) == []  # not a part


def test_ipv6_addresses_are_parts_to_place_in_any_spelling():
    text = "Gi0/5: ipv6 address 2001:DB8:10:0::1/64, and ipv6 route 2001:db8:20::/48 via 2001:db8:10::2"
    address = {"kind": "ipv6_address", "op": "add", "interface": "Gi0/5", "address": "2001:db8:10::1/64"}
    route = {"kind": "ipv6_route", "op": "add", "prefix": "2001:db8:20::/48", "next_hop": "2001:db8:10::2"}
    assert [t.kind for t in coverage.things(text, IOS)].count("address") == 3
    assert unplaced(text, [address]) == ["2001:db8:20::/48", "2001:db8:10::2"]
    assert unplaced(text, [address, route]) == []
    wrong_length = dict(address, address="2001:db8:10::1/48")
    assert "2001:DB8:10:0::1/64" in unplaced(text, [wrong_length, route])


def test_an_ipv6_default_route_answered_as_a_host_route_is_the_default():
    kdef = intent.kinds()["ipv6_route"]
    text = intent.norm_text("ipv6 default route via 2001:db8:ffff::1")
    host = {"kind": "ipv6_route", "op": "add", "prefix": "2001:db8:ffff::1/128", "next_hop": "2001:db8:ffff::1"}
    assert grounding._default_route(host, kdef, text)["prefix"] == "::/0"
    said = {"kind": "ipv6_route", "op": "add", "prefix": "2001:db8:ff00::/40", "next_hop": "2001:db8:ffff::1"}
    assert (
        grounding._default_route(said, kdef, intent.norm_text("route 2001:db8:ff00::/40 via 2001:db8:ffff::1")) == said
    )


def test_an_ipv4_kind_is_not_offered_for_a_request_written_in_ipv6_only():
    def offered(text):
        items = intent.grammar_schema(False, text)["properties"]["changes"]["items"]["anyOf"]
        return {i["properties"]["kind"]["const"] for i in items}

    v6 = offered("route 2001:db8:5100::/44 to Null0")
    assert {"ipv6_route", "ipv6_address"} <= v6 and not {"static_route", "ip_address"} & v6
    assert {"static_route", "ip_address", "ipv6_route"} <= offered("v6 2001:db8:5a0::/44 and v4 10.88.0.0/16")
    assert {"static_route", "ip_address"} <= offered("remove the ip address from gi0/1")


@pytest.mark.parametrize(
    "text,creates",
    [
        ("we need vlan 2745 on this switch", True),
        ("need a new vlan, id 2050", True),
        ("vlan 30's irb needs v6 too", False),
    ],
)
def test_need_creates_a_vlan_only_next_to_the_word_vlan(text, creates):
    assert grounding.asks_to_create("vlan", text) is creates


def test_an_address_whose_mask_the_model_got_wrong_is_the_one_written():
    wrong = {"kind": "ip_address", "op": "add", "interface": "ge-0/0/1", "address": "192.168.10.1/25"}
    fixed = grounding.repair(wrong, "adress 192.168.10.1 255.255.255.0 on ge-0/0/1")
    assert fixed["address"] == "192.168.10.1 255.255.255.0"
    two = grounding.repair(wrong, "192.168.10.1/24 on ge-0/0/1, or 192.168.10.1/23")  # two ways: not guessed
    assert "address" not in two


def test_a_state_now_word_does_not_reach_across_a_clause_break():
    junos = vendors.get("juniper_junos").naming
    text = "ge-0/0/10 is disabled right now - enable it and force 1g"
    speed = {"kind": "speed", "op": "add", "interfaces": "ge-0/0/10", "speed": "1g"}
    assert [str(t) for t in coverage.unplaced(text, [speed], junos)] == ["enable"]
    assert (
        coverage.unplaced(text, [speed, {"kind": "shutdown", "op": "remove", "interfaces": "ge-0/0/10"}], junos) == []
    )


def test_speeds_and_offsets_are_values_a_change_must_use():
    assert unplaced("gi0/3 10G full, clock timezone IST +5:30", []) == ["gi0/3", "10G", "timezone", "IST"]
    said = [
        {"kind": "speed", "op": "add", "interfaces": "gi0/3", "speed": "10000", "duplex": "full"},
        {"kind": "timezone", "op": "add", "zone": "IST", "offset": "+5:30"},
    ]
    assert unplaced("gi0/3 10G full, clock timezone IST +5:30", said) == []


def test_repairs_of_speed_and_timezone_answers():
    ops = {"kind": "snmp_community", "op": "add", "community": "Ops-RW rw", "access": "rw"}
    assert grounding.repair(ops, "add snmp community Ops-RW rw")["community"] == "Ops-RW"
    bare = {"kind": "snmp_community", "op": "add", "community": "Ops-RW rw"}  # the choice the words say is set
    assert grounding.repair(bare, "add snmp community Ops-RW rw")["access"] == "rw"
    cet = {"kind": "timezone", "op": "add", "zone": "CET+1", "offset": "+1"}
    assert grounding.repair(cet, "set the timezone to CET +1")["zone"] == "CET"
    hard = {"kind": "speed", "op": "add", "interfaces": "eth1/12", "speed": "100"}
    assert grounding.repair(hard, "eth1/12 remove the hardcoded speed/duplex")["op"] == "remove"


def test_an_hsrp_or_vrrp_group_is_removed_only_when_the_request_says_so_of_the_group():
    lower = {"kind": "hsrp", "op": "remove", "interface": "vlan 10", "group": 1, "priority": 80}
    assert grounding.repair(lower, "lower the hsrp priority for group 1 on vlan 10 to 80")["op"] == "add"
    quiet = {"kind": "vrrp", "op": "remove", "interface": "irb.40", "group": 4, "preempt": "no_preempt"}
    assert grounding.repair(quiet, "turn off preemption for vrrp group 4 on irb.40")["op"] == "add"
    gone = {"kind": "hsrp", "op": "remove", "interface": "vlan 70", "group": 7}
    assert grounding.repair(gone, "remove hsrp group 7 from vlan 70")["op"] == "remove"
    bare = {"kind": "hsrp", "op": "remove", "interface": "vlan 10", "group": 1}
    assert "does not ask to remove hsrp" in grounding.ungrounded(bare, "disable preempt on hsrp group 1 on vlan 10")[0]


def test_a_clause_that_only_says_a_choice_serves_the_one_change_of_its_kind():
    nx = vendors.get("cisco_nxos").naming
    text = "HSRP on Vlan200 group 200 VIP 10.200.0.1, disable preemption"
    hsrp = {"kind": "hsrp", "op": "add", "interface": "vlan 200", "group": 200, "virtual_ip": "10.200.0.1"}
    assert coverage.scattered(text, [{**hsrp, "preempt": "no_preempt"}], nx) == []
    assert coverage.unplaced(text, [{**hsrp, "preempt": "no_preempt"}], nx) == []
    assert [str(t) for t in coverage.unplaced(text, [hsrp], nx)] == ["disable", "preempt"]


def test_a_vlan_taken_out_of_ospf_is_not_a_vlan_removed():
    vlan = {"kind": "vlan", "op": "remove", "vlan": 3010}
    assert any("not said as one" in p for p in grounding.ungrounded(vlan, "take vlan 3010 out of ospf"))
    assert grounding.ungrounded(vlan, "delete vlan 3010 from the switch") == []


def test_a_number_after_area_is_an_area_not_the_digit_of_an_interface():
    nx = vendors.get("cisco_nxos").naming
    text = "router ospf 100 rid 10.255.0.23, lo0 in area 0, passive on lo0"
    ospf = {"kind": "ospf", "op": "add", "process": 100, "router_id": "10.255.0.23"}
    passive = {"kind": "ospf_passive", "op": "add", "interface": "lo0", "process": 100}
    assert [str(t) for t in coverage.unplaced(text, [ospf, passive], nx)] == ["0"]
    area = {"kind": "ospf_interface", "op": "add", "interface": "lo0", "area": "0", "process": 100}
    assert coverage.unplaced(text, [ospf, area, passive], nx) == []


def test_an_acl_address_after_to_is_never_the_source():
    text = "in acl WEB-IN allow https to 10.62.0.0/24 from anywhere"
    rule = {"kind": "acl_rule", "op": "add", "acl": "WEB-IN", "action": "permit", "protocol": "tcp", "port": "443"}
    assert grounding.ungrounded({**rule, "source": "10.62.0.0/24", "destination": "any"}, text) == [
        "source '10.62.0.0/24' does not appear in the request"
    ]
    assert grounding.ungrounded({**rule, "source": "any", "destination": "10.62.0.0/24"}, text) == []
    command = {**rule, "source": "10.9.0.0/16", "destination": "10.1.1.0/24", "port": "22"}
    assert grounding.ungrounded(command, "acl WEB-IN permit tcp 10.9.0.0/16 10.1.1.0/24 eq 22") == []


POOL_GUEST = {"kind": "dhcp_pool", "op": "add", "name": "GUEST-WIFI", "gateway": "172.16.40.1", "dns": "172.16.0.53"}


def test_a_pool_network_said_after_net_is_a_part_to_place_not_a_ticket():
    text = "dhcp pool GUEST-WIFI net 172.16.40.0 255.255.252.0 gw 172.16.40.1 dns 172.16.0.53"
    assert unplaced(text, [POOL_GUEST]) == ["172.16.40.0 255.255.252.0"]
    assert unplaced(text, [dict(POOL_GUEST, network="172.16.40.0 255.255.252.0")]) == []
    assert unplaced("ntp 10.0.0.5 per NET-4471", [{"kind": "ntp_server", "op": "add", "server": "10.0.0.5"}]) == []


def test_a_pools_default_router_is_no_default_route():
    text = "create dhcp pool LAB-2F for 10.40.12.0/24, default router 10.40.12.1"
    pool = {"kind": "dhcp_pool", "op": "add", "name": "LAB-2F", "network": "10.40.12.0/24", "gateway": "10.40.12.1"}
    assert unplaced(text, [pool]) == []
    assert unplaced(text + ", and a default route via 10.40.12.9", [pool]) == ["default route", "10.40.12.9"]
    assert unplaced(text, [dict(pool, gateway=None)]) == ["default router", "10.40.12.1"]


def test_a_list_of_servers_is_near_its_word():
    pool = {"kind": "dhcp_pool", "op": "add", "name": "LAB", "dns": "10.10.1.53, 10.10.2.53"}
    assert grounding.ungrounded(pool, "dhcp pool LAB: dns servers 10.10.1.53 and 10.10.2.53") == []
    assert grounding.ungrounded(pool, "dhcp pool LAB gateway 10.10.1.53, 10.10.2.53") != []


def test_a_branch_number_is_context_and_what_the_request_leaves_alone_is_not_removed():
    voice = {"kind": "dhcp_pool", "op": "add", "name": "VOICE-BR2", "network": "10.72.110.0/24"}
    assert unplaced("new DHCP pool VOICE-BR2 for the branch 2 phones: 10.72.110.0/24", [voice]) == []
    text = "the AP-STAGING dhcp pool is a leftover, please delete it. Leave CCTV-3F alone."
    kept = {"kind": "dhcp_pool", "op": "remove", "name": "CCTV-3F"}
    assert unplaced(text, [dict(kept, name="AP-STAGING")]) == []
    assert "the request keeps CCTV-3F: remove only what it takes off (dhcp_pool name)" in grounding.ungrounded(
        kept, text
    )
    assert grounding.ungrounded(dict(kept, name="AP-STAGING"), text) == []


def test_a_full_stop_after_an_address_is_not_shown_to_the_model_as_an_octet():
    assert parse.build_messages("add a route for 10.240.0.0/16 via 192.168.100.1.")[-1]["content"].endswith(
        "192.168.100.1"
    )
    assert parse.build_messages("set the hostname to core1.")[-1]["content"].endswith("core1.")


def test_an_address_the_model_adds_to_a_list_is_dropped_and_a_thing_said_gone_is_context():
    text = (
        "printers keep dropping off (the relay to the DC is gone). Set up DHCP scope PRN: DNS 10.61.0.10, 14 day lease"
    )
    made = {"kind": "dhcp_pool", "op": "add", "name": "PRN", "dns": "10.61.0.10, 14.000.000.000", "lease": 14}
    assert grounding.repair(made, text)["dns"] == "10.61.0.10"
    assert unplaced(text, [grounding.repair(made, text)]) == []
    assert unplaced("set up DHCP scope PRN with DNS 10.61.0.10 and a relay", [dict(made, dns="10.61.0.10")]) == [
        "relay"
    ]


def test_values_said_before_their_words_and_what_a_port_already_has_are_placed():
    text = "pool LAB: hand out 10.77.8.0/25 with 10.77.8.1 as the default gateway, use 10.77.0.10 and 10.77.0.11 as name servers"
    pool = {"kind": "dhcp_pool", "op": "add", "name": "LAB", "network": "10.77.8.0/25", "gateway": "10.77.8.1"}
    assert grounding.ungrounded(dict(pool, dns="10.77.0.10, 10.77.0.11"), text) == []
    assert grounding.ungrounded(dict(pool, gateway="10.77.0.11"), text) != []  # a name server is no gateway
    scope = {"kind": "dhcp_pool", "op": "add", "name": "CONF", "network": "10.20.60.0/24", "gateway": "10.20.60.1"}
    said = "interface Vlan60 already has 10.20.60.1/24. Add DHCP scope CONF for 10.20.60.0/24 with gateway 10.20.60.1"
    assert unplaced(said, [scope]) == []
    assert (
        unplaced("INC-7781 / CHG-40811, BR-SW-07: delete vlan 30", [{"kind": "vlan", "op": "remove", "vlan": 30}]) == []
    )


@pytest.mark.parametrize(
    "text, placed",
    [
        ("RTR-EDGE-02 / CHG0052210: Cogent requires MD5 (their case CS-88213). Neighbor 198.51.100.45, key ${K}.", []),
        ("n9k-border-1: add md5 ${K} on the DCI peer 198.51.100.45, per NETENG-774", []),
        # a name a field of an asked kind could hold, and a host name (a rename said without a cue word), stay parts
        ("md5 ${K} on neighbor 198.51.100.45 and describe it as CORE-RR", ["describe", "CORE-RR"]),
        ("md5 ${K} on neighbor 198.51.100.45; the switch should be known as CORE-SW-01", ["CORE-SW-01"]),
        ("md5 ${K} on neighbor 198.51.100.45 and create vlan 30 named STAFF", ["vlan 30", "STAFF"]),
    ],
)
def test_a_name_no_asked_kind_could_hold_is_context(text, placed):
    password = {"kind": "bgp_password", "op": "add", "neighbor": "198.51.100.45", "password": "${K}"}
    assert unplaced(text, [password]) == placed


def test_a_list_said_to_stay_is_context_and_a_removal_word_does_not_reach_past_a_sentence():
    pool = {"kind": "dhcp_pool", "op": "remove", "name": "GUEST"}
    text = "Delete the GUEST dhcp pool. Vlan 50, interface Vlan50 and ACL-GUEST-IN stay until the follow-up change."
    assert unplaced(text, [pool]) == []
    assert (
        unplaced("Delete the GUEST dhcp pool. Vlan 50, interface Vlan50 and ACL-GUEST-IN go next week.", [pool]) != []
    )
    vrf = {"kind": "vrf", "op": "remove", "name": "ACQ"}
    assert [str(t) for t in coverage.old_values("Please delete vrf ACQ; VOICE and Mgmt-intf stay.", [vrf], IOS)] == [
        "ACQ"
    ]
    assert [str(t) for t in coverage.old_values("delete vrf ACQ, VOICE", [vrf], IOS)] == ["ACQ", "VOICE"]


def test_an_svi_address_is_not_placed_by_the_same_host_as_a_pools_gateway_and_a_domain_name_is_asked_for():
    text = (
        "create vlan 150 named C, give interface Vlan150 the address 10.20.150.1/24, and a dhcp pool C for "
        "10.20.150.0/24 with default router 10.20.150.1"
    )
    vlan = {"kind": "vlan", "op": "add", "vlan": 150, "name": "C"}
    pool = {"kind": "dhcp_pool", "op": "add", "name": "C", "network": "10.20.150.0/24", "gateway": "10.20.150.1"}
    svi = {"kind": "ip_address", "op": "add", "interface": "Vlan150", "address": "10.20.150.1/24"}
    assert unplaced(text, [vlan, pool]) == ["10.20.150.1/24"]
    assert unplaced(text, [vlan, pool, svi]) == []
    masked = {"kind": "ip_address", "op": "add", "interface": "Vlan150", "address": "10.20.150.1/24"}
    assert unplaced("Vlan150 10.20.150.1 255.255.255.0", [masked]) == []
    lease = {"kind": "dhcp_pool", "op": "add", "name": "U", "lease": 3}
    text = "pool U: lease -> 3 days, domain-name users.corp.example.net"
    assert unplaced(text, [lease]) == ["domain-name"]
    assert unplaced(text, [dict(lease, domain="users.corp.example.net")]) == []


def test_a_vrf_said_without_an_rd_asks_for_none():
    eos = vendors.get("arista_eos").naming
    dmz = [{"kind": "vrf", "op": "add", "name": "DMZ"}]
    assert coverage.unplaced("dc1-leaf2b - new vrf DMZ (no RD, not going into BGP)", dmz, eos) == []
    assert coverage.unplaced("new vrf DMZ without an RD", dmz, eos) == []
    assert [str(t) for t in coverage.unplaced("new vrf DMZ with an RD please", dmz, eos)] == ["rd"]


def test_what_is_retired_in_favour_of_another_goes():
    """ "peer X is being retired, peer with Y instead": X is removed (and kept, an old value the check catches)."""
    frr = vendors.get("frr").naming
    text = (
        "CHG-5521: peer 10.30.1.1 is being retired, peer with 10.30.1.9 in AS 65301 instead; also announce 10.31.0.0/16"
    )
    assert [c.text for c in coverage.clauses(text, frr)] == [
        "remove peer 10.30.1.1",
        "peer with 10.30.1.9 in AS 65301 instead",
        "also announce 10.31.0.0/16",
    ]
    assert [t.text for t in coverage.old_values(text, [], frr)] == ["10.30.1.1"]
    text = "203.0.113.5 is being decommissioned, peer with 203.0.113.13 in AS 64511 instead"
    assert [c.text for c in coverage.clauses(text, IOS)] == [
        "remove neighbor 203.0.113.5",
        "peer with 203.0.113.13 in AS 64511 instead",
    ]
    # without a replacement it is what the device is now, not a change
    assert [c.text for c in coverage.clauses("resolver 10.1.1.1 is being retired, point dns at 10.1.1.9", IOS)] == [
        "resolver 10.1.1.1 is being retired",
        "point dns at 10.1.1.9",
    ]


def test_a_peers_loopback_and_a_ports_own_there():
    """ "source it from Loopback0" is the peer's (the loopback is its value); "there" after a port is that port."""
    text = "peer with 203.0.113.13 in AS 64511; source it from Loopback0 with ebgp-multihop 2"
    assert [c.text for c in coverage.clauses(text, IOS)][1] == (
        "neighbor 203.0.113.13: source it from Loopback0 with ebgp-multihop 2"
    )
    text = "Gi2/0/1-4 -> access vlan 410; and shut Gi2/0/5, nothing is patched there now"
    assert [c.text for c in coverage.clauses(text, IOS)][-1] == "and shut Gi2/0/5, nothing is patched there now"
    text = "create vlan 30 named GUESTS, put Gi0/5-8 in it as access ports"  # "in it": the VLAN, not the ports
    assert [c.text for c in coverage.clauses(text, IOS)][-1] == "put Gi0/5-8 in vlan 30 as access ports"


def test_a_choice_said_for_a_change_it_leaves_out_is_unplaced():
    text = "e1/20-24 (kiosks): access vlan 2430, port-security max 1 mac, shut the port on violation"
    access = {"kind": "access_port", "op": "add", "interfaces": "e1/20-24", "vlan": 2430}
    secure = {"kind": "port_security", "op": "add", "interfaces": "e1/20-24", "max_macs": 1}
    shut = {"kind": "shutdown", "op": "add", "interfaces": "e1/20-24"}
    assert unplaced(text, [access, secure, shut]) == ["shut"]  # the violation action read as a shutdown
    assert unplaced(text, [access, dict(secure, violation="shutdown")]) == []
    # a word that is another change's ("make lo0 passive", "a static route", "community X ro") is not the choice
    bundle = {"kind": "port_channel", "op": "add", "interfaces": "gi1/0/1-2", "channel": 1}
    passive = {"kind": "ospf_passive", "op": "add", "interface": "lo0"}
    route = {"kind": "static_route", "op": "add", "prefix": "10.0.0.0/8", "next_hop": "10.1.1.1"}
    community = {"kind": "snmp_community", "op": "add", "community": "X", "access": "ro"}
    assert unplaced("bundle Gi1/0/1-2 into Po1 and make lo0 passive in ospf", [bundle, passive]) == []
    assert unplaced("bundle gi1/0/1-2 into po1, add a static route to 10.0.0.0/8 via 10.1.1.1", [bundle, route]) == []
    assert unplaced("bundle gi1/0/1-2 into po1 and set snmp community X ro", [bundle, community]) == []
    assert unplaced("bundle gi1/0/1-2 into po1 in passive mode", [bundle]) == ["passive"]


def test_a_choice_said_instead_of_another_is_both_a_change_and_a_value_that_goes():
    text = "bgp should redistribute connected routes instead of static ones"
    connected = {"kind": "bgp_redistribute", "op": "add", "source": "connected"}
    static = {"kind": "bgp_redistribute", "op": "remove", "source": "static"}
    assert unplaced(text, [static]) == ["connected"]
    assert unplaced(text, [connected, static]) == []
    assert [str(t) for t in coverage.old_values(text, [connected], IOS)] == ["static"]
    running = "router bgp 65150\n redistribute static\n"
    ios = vendors.get("cisco_ios")
    _, config, _, _ = generate.build([connected], ios, running)
    assert generate.kept_old_values(text, [connected], config, ios, running)  # "redistribute static" stays
    _, config, _, _ = generate.build([connected, static], ios, running)
    assert generate.kept_old_values(text, [connected, static], config, ios, running) == []


def test_ports_listed_together_take_the_same_kinds_of_change():
    text = "put xe-0/0/48 and xe-0/0/49 into ospf area 36 and also take ge-0/0/2 out of that area"
    junos = vendors.get("juniper_junos").naming
    area = [
        {"kind": "ospf_interface", "op": "add", "interface": "xe-0/0/48", "area": "36"},
        {"kind": "ospf_interface", "op": "add", "interface": "xe-0/0/49", "area": "36"},
        {"kind": "ospf_interface", "op": "remove", "interface": "ge-0/0/2", "area": "36"},
    ]
    assert coverage.unplaced(text, area, junos) == []
    wrong = [area[0], dict(area[1], op="remove"), area[2]]
    assert [str(t) for t in coverage.unplaced(text, wrong, junos)] == ["xe-0/0/49"]
    portfast = [
        {"kind": "portfast", "op": "add", "interfaces": "Gi0/1"},
        {"kind": "bpduguard", "op": "add", "interfaces": "Gi0/1-2"},
    ]
    assert unplaced("Gi0/1 and Gi0/2: portfast and bpduguard", portfast) == ["Gi0/2"]
    # a port named again on its own may take more ("..., make the loopback passive", "eth1/54 also gets cost 30")
    cost = [
        {"kind": "mtu", "op": "add", "interfaces": "eth1/53-54", "mtu": 9216},
        {"kind": "ospf_cost", "op": "add", "interface": "eth1/54", "cost": 30},
    ]
    assert unplaced("bump the mtu on eth1/53 and eth1/54 to 9216; eth1/54 also gets ospf cost 30", cost) == []


def test_the_rest_denied_ends_one_acl():
    text = "filter PROTECT-RE: allow ssh from 10.166.10.0/24 and snmp (udp) from host 10.166.11.5, drop the rest"
    ssh = {
        "kind": "acl_rule",
        "op": "add",
        "acl": "ssh",
        "action": "permit",
        "protocol": "tcp",
        "source": "10.166.10.0/24",
        "destination": "any",
        "port": "22",
    }
    snmp = dict(ssh, acl="snmp", protocol="udp", source="10.166.11.5", port="161")
    assert any("ends one ACL" in p for p in grounding.problems([ssh, snmp], text))
    right = [dict(ssh, acl="PROTECT-RE"), dict(snmp, acl="PROTECT-RE")]
    assert not any("ends one ACL" in p for p in grounding.problems(right, text))


def test_a_heading_that_names_a_kind_heads_each_clause_of_its_sentence():
    junos = vendors.get("juniper_junos").naming
    text = "snmp: add community netops-ro-14 read-only, drop 'public'; dns 10.214.120.53 and 10.214.121.53"
    said = [c.text for c in coverage.clauses(text, junos, orphans=True)]
    assert said == [
        "snmp: add community netops-ro-14 read-only",
        "snmp: drop 'public'",
        "dns 10.214.120.53 and 10.214.121.53",
    ]
    # a ticket's or a window's heading heads nothing
    text = "Maintenance tonight: shut the BGP session to 10.0.0.9, remove peer 10.0.0.13"
    assert [c.text for c in coverage.clauses(text, junos, orphans=True)][1] == "remove peer 10.0.0.13"


@pytest.mark.parametrize(
    "text, reads",
    [
        (
            "Gi1/0/22 goes in data vlan 30 - sorry, 31 - with voice vlan 150",
            "Gi1/0/22 goes in data vlan 31 - with voice vlan 150",
        ),
        ("the plotter is on ge-0/0/17 - no wait, ge-0/0/18", "the plotter is on ge-0/0/18"),
        (
            "route 10.0.0.0/8 via 10.1.1.1 (oops, make that 10.1.1.2) and ntp 10.9.9.9",
            "route 10.0.0.0/8 via 10.1.1.2 and ntp 10.9.9.9",
        ),
        ("ntp 10.0.0.1, I mean 10.0.0.2", "ntp 10.0.0.2"),
        ("sorry for the late ask: vlan 30 on gi0/1", "sorry for the late ask: vlan 30 on gi0/1"),
        ("gi0/1 and gi0/2 in vlan 30, sorry", "gi0/1 and gi0/2 in vlan 30, sorry"),
    ],
)
def test_a_value_taken_back_is_replaced_by_the_one_said_after_it(text, reads):
    assert coverage.corrected(text, vendors.get("juniper_junos" if "ge-" in text else "cisco_ios").naming) == reads


def test_a_value_said_once_is_not_filled_into_every_group_of_the_kind():
    text = "irb.100: VRRP group 100 with virtual address 10.100.0.1 and priority 200. On irb.101, turn preemption off for VRRP group 101."
    second = {"kind": "vrrp", "op": "add", "interface": "irb.101", "group": 101, "preempt": "no_preempt"}
    assert grounding.repair(second, text) == second  # priority 200 is group 100's
    one = {"kind": "vrrp", "op": "add", "interface": "irb.100", "group": 100}
    assert grounding.repair(one, "irb.100: vrrp group 100 priority 200")["priority"] == 200


def test_a_choice_said_as_what_stays_is_neither_filled_in_nor_a_part_to_place():
    text = "lower the HSRP priority of group 1 on Vlan10 from 120 to 90. Leave preempt as it is."
    hsrp = {"kind": "hsrp", "op": "add", "interface": "Vlan10", "group": 1, "priority": 90}
    assert grounding.repair(hsrp, text) == hsrp
    assert unplaced(text, [hsrp]) == []  # and 120, the old priority of the group, is context
    assert unplaced(text, [dict(hsrp, priority=120)]) == ["120", "90"]  # the old value set again, the new one unused


def test_a_plain_community_name_is_a_part_to_place_and_at_it_is_no_pronoun():
    text = "Replace SNMP community public with NMS-R3ad (read-only)"
    add = {"kind": "snmp_community", "op": "add", "community": "NMS-R3ad", "access": "ro"}
    assert unplaced(text, [add]) == ["public"]  # the community that goes, never removed
    assert [str(t) for t in coverage.old_values(text, [add], IOS)] == ["public"]
    assert unplaced(text, [add, {"kind": "snmp_community", "op": "remove", "community": "public"}]) == []
    text = "remove vlan 90 from Po1. Rename vlan 305 to CCTV-B while you're at it."
    assert all(not c.refs for c in coverage.clauses(text, IOS, orphans=True))


def test_a_list_added_to_a_trunk_the_answer_creates_is_its_whole_list():
    trunk = {"kind": "trunk_port", "op": "add", "interfaces": "Gi1/0/40, Gi1/0/41", "native_vlan": 200}
    adds = [
        {"kind": "trunk_vlans", "op": "add", "interfaces": f"GigabitEthernet1/0/4{i}", "vlans": "200,210,220"}
        for i in (0, 1)
    ]
    text = "Gi1/0/40 and Gi1/0/41 get the new APs: trunk them with native vlan 200, allowed 200,210,220, portfast"
    assert parse._whole_lists([trunk, *adds], text, IOS) == [dict(trunk, vlans="200,210,220")]
    # values said as added stay an add ("also allow", "add vlan 30"), and so do those of another port
    assert parse._whole_lists([trunk, *adds], text.replace("allowed", "also allow"), IOS) == [trunk, *adds]
    assert parse._whole_lists([trunk, adds[0]], text, IOS) == [trunk, adds[0]]


def test_an_optional_choice_said_from_x_to_y_is_replaced_in_place():
    text = "change the spanning tree mode from pvst to rapid pvst"
    assert unplaced(text, [{"kind": "stp_mode", "op": "add", "protocol": "rapid-pvst"}]) == []
    assert unplaced(text, [{"kind": "stp_mode", "op": "add", "protocol": "pvst"}]) == ["rapid"]


def test_a_vlan_the_request_creates_is_never_one_a_change_removes():
    text = "Create vlan 71 named QA-NEW, move Gi1/0/10-12 from vlan 70 to it, then delete vlan 70"
    new = {"kind": "vlan", "op": "add", "vlan": 71, "name": "QA-NEW"}
    moved = {"kind": "access_port", "op": "add", "interfaces": "Gi1/0/10-12", "vlan": 71}
    gone = {"kind": "vlan", "op": "remove", "vlan": 70}
    assert not any("creates vlan" in p for p in grounding.problems([new, moved, gone], text))
    wrong = [new, dict(moved, op="remove"), gone]
    assert any("creates vlan 71, but the answer removes it" in p for p in grounding.problems(wrong, text))


def test_a_move_after_a_swap_keeps_its_own_from_and_to():
    text = "Swap NTP server 10.1.1.5 for 10.1.1.6, move the syslog host from 10.1.9.10 to 10.1.9.20"
    ntp = [
        {"kind": "ntp_server", "op": "remove", "server": "10.1.1.5"},
        {"kind": "ntp_server", "op": "add", "server": "10.1.1.6"},
    ]
    moved = [
        {"kind": "syslog_server", "op": "remove", "server": "10.1.9.10"},
        {"kind": "syslog_server", "op": "add", "server": "10.1.9.20"},
    ]
    assert unplaced(text, ntp + moved) == []
    swapped = [dict(moved[0], server="10.1.9.20"), dict(moved[1], server="10.1.9.10")]
    assert unplaced(text, ntp + swapped) == ["10.1.9.10"]  # the old host added back


def test_a_removal_carries_over_and_to_a_hyphenated_setting():
    junos = vendors.get("juniper_junos").naming
    text = "ge-0/0/33: remove the edge and bpdu-block settings from it."
    assert [c.text for c in coverage.clauses(text, junos, orphans=True)][-1].startswith("remove bpdu-block")


def test_a_route_said_with_a_vrf_of_the_request_sits_in_it():
    junos = vendors.get("juniper_junos").naming
    text = "Create routing instance GUEST, move ge-0/0/5 into it, and give GUEST a default route via 10.50.0.254."
    changes = [
        {"kind": "vrf", "op": "add", "name": "GUEST"},
        {"kind": "interface_vrf", "op": "add", "interfaces": "ge-0/0/5", "vrf": "GUEST"},
        {"kind": "static_route", "op": "add", "prefix": "0.0.0.0/0", "next_hop": "10.50.0.254"},
    ]
    assert [str(t) for t in coverage.unplaced(text, changes, junos)] == ["GUEST"]
    changes[-1]["vrf"] = "GUEST"
    assert coverage.unplaced(text, changes, junos) == []


def test_a_port_said_to_stay_as_it_is_takes_no_change():
    text = 'Please set the description "Finance-PC-12" on Gi1/0/8, Gi1/0/7 stays as it is.'
    desc = {"kind": "description", "op": "add", "interfaces": "Gi1/0/8", "text": "Finance-PC-12"}
    assert unplaced(text, [desc]) == []
    assert unplaced(text, [dict(desc, interfaces="Gi1/0/8, Gi1/0/7")]) == ["Gi1/0/7"]


def test_a_removal_said_only_in_a_clause_that_sets_is_not_local():
    text = "On trunks Po1 and Po2 add vlans 305-307. Rename vlan 305 to CCTV-B while you are at it."
    adds = [{"kind": "trunk_vlans", "op": "add", "interfaces": p, "vlans": "305-307"} for p in ("Po1", "Po2")]
    rename = {"kind": "vlan", "op": "add", "vlan": 305, "name": "CCTV-B"}
    assert coverage.scattered(text, [*adds, rename], IOS) == []
    assert coverage.scattered(text, [*adds, dict(rename, op="remove")], IOS) == [dict(rename, op="remove")]


def test_a_removal_takes_no_password_or_privilege_said_for_another_user():
    text = "add user netops-ro at privilege 1 with password ${NETOPS_RO_PW}, delete the old temp-vendor account"
    gone = {"kind": "local_user", "op": "remove", "user": "temp-vendor"}
    assert grounding.repair(gone, text) == gone


def test_a_removal_the_request_never_asks_for_still_takes_the_key_it_becomes_an_add_with():
    text = "Two radius servers for admin logins on the new leaf pair: 10.220.1.1 and 10.220.1.2, key ${EOS_RADIUS}"
    slip = {"kind": "aaa_server", "op": "remove", "protocol": "radius", "server": "10.220.1.1"}
    assert grounding.repair(slip, text) == dict(slip, op="add", key="${EOS_RADIUS}")
    assert coverage.things("the public snmp community has to go", IOS) == []  # "has" names no community


def test_a_destination_list_after_reaching_is_never_a_source():
    text = "on ACL GUEST-FILTER block 10.99.50.0/24 from reaching 10.0.0.0/8 and 172.16.0.0/12, then permit everything else"
    line = {"kind": "acl_rule", "op": "add", "acl": "GUEST-FILTER", "action": "deny", "protocol": "ip"}
    right = dict(line, source="10.99.50.0/24", destination="172.16.0.0/12")
    swapped = dict(line, source="172.16.0.0/12", destination="10.0.0.0/8")
    assert grounding.problems([right], text) == []
    assert grounding.problems([swapped], text)


def test_a_removal_of_another_vlan_leaves_a_rename_an_add():
    text = "take them off the Po2 trunk and delete vlan 40. Vlan 30 stays defined but rename it to AP-1F-MGMT."
    rename = {"kind": "vlan", "op": "add", "vlan": 30, "name": "AP-1F-MGMT"}
    assert grounding.tidy([rename], text) == [rename]
    assert grounding.tidy([{"kind": "vlan", "op": "add", "vlan": 40}], "delete vlan 40")[0]["op"] == "remove"


def test_from_a_vlan_to_it_says_the_vlan_goes():
    eos = vendors.get("arista_eos")
    text = 'create vlan 25 "APP-V2", move Ethernet5 and Ethernet6 from vlan 20 to it'
    moved = [{"kind": "access_port", "op": "add", "interfaces": "Ethernet5-6", "vlan": 20}]
    assert [t.text for t in coverage.old_values(text, moved, eos.naming)] == ["20"]
    # the "to" of a range is no move
    trunk = {"kind": "trunk_vlans", "op": "add", "interfaces": "Ethernet5", "vlans": "20-30"}
    assert coverage.old_values("allow vlans from 20 to 30 on Ethernet5", [trunk], eos.naming) == []


def test_an_svi_named_as_the_pattern_is_not_changed():
    eos = vendors.get("arista_eos")
    text = "vlan 50 BUILD-FARM, SVI 10.1.50.2/24, dhcp helper 10.10.1.10 same as Vlan10"
    base = [
        {"kind": "vlan", "op": "add", "vlan": 50, "name": "BUILD-FARM"},
        {"kind": "ip_address", "op": "add", "interface": "Vlan50", "address": "10.1.50.2/24"},
    ]
    helper = {"kind": "dhcp_relay", "op": "add", "server": "10.10.1.10"}
    assert "Vlan10" in [t.text for t in coverage.unplaced(text, base + [dict(helper, interface="Vlan10")], eos.naming)]
    assert coverage.unplaced(text, base + [dict(helper, interface="Vlan50")], eos.naming) == []


def test_a_value_said_only_of_another_port_is_not_filled_in():
    text = "Gi2/0/7 -> vlan 221, Gi2/0/8 -> vlan 222, and only Gi2/0/8 gets voice vlan 250 (desk phone)"
    port = {"kind": "access_port", "op": "add", "interfaces": "Gi2/0/7", "vlan": 221}
    assert grounding.repair(port, text) == port
    other = {"kind": "access_port", "op": "add", "interfaces": "Gi2/0/8", "vlan": 222}
    assert grounding.repair(other, text)["voice_vlan"] == 250
    both = "Put Gi1/0/13 in vlan 613 and Gi1/0/14 in vlan 614, both with voice vlan 650."
    assert grounding.repair(dict(port, interfaces="Gi1/0/13"), both)["voice_vlan"] == 650


def test_a_value_said_only_where_it_goes_is_not_filled_into_an_add():
    text = "phones are gone from Gi1/0/30-32: pull voice vlan 110 off them and put those ports in vlan 20 instead of 10"
    add = {"kind": "access_port", "op": "add", "interfaces": "Gi1/0/30-32", "vlan": 20}
    assert grounding.repair(add, text) == add
    removal = {"kind": "access_port", "op": "remove", "interfaces": "Gi1/0/30-32"}
    assert grounding.repair(removal, text)["voice_vlan"] == 110
    ios = vendors.get("cisco_ios")
    assert "110" in [t.text for t in coverage.old_values(text, [dict(add, voice_vlan=110)], ios.naming)]


def test_both_stands_for_the_ports_it_names_not_the_channel_beside_them():
    ios = vendors.get("cisco_ios")
    text = 'bundle Te1/1/3 and Te1/1/4 into Po2 with LACP active, desc "UPLINK DIST-SW01" on both, then trunk Po2'
    trunk = {"kind": "trunk_port", "op": "add", "interfaces": "Po2"}
    on_po2 = {"kind": "description", "op": "add", "interfaces": "Po2", "text": "UPLINK DIST-SW01"}
    assert coverage.scattered(text, [trunk, on_po2], ios.naming) == [on_po2]
    right = [dict(on_po2, interfaces=p) for p in ("Te1/1/3", "Te1/1/4")]
    assert coverage.scattered(text, [trunk, *right], ios.naming) == []


def test_them_is_the_ports_not_the_vlan_when_the_piece_names_only_a_port_to_copy():
    eos = vendors.get("arista_eos")
    text = "on Ethernet21-24: create vlan 110 named WEB-B07, make them access ports in it like Ethernet4 already has"
    pieces = [p.text for p in coverage.clauses(text, eos.naming, orphans=True, fine=True)]
    assert pieces[1].startswith("make Ethernet21-24 access ports")


SAID_AGAIN = [
    (  # the old next hop said again for a host route of its own
        "cisco_ios",
        "ip route 0.0.0.0 0.0.0.0 203.0.113.1\n",
        "Move the default route from 203.0.113.1 to 198.51.100.1, but add a host route for 203.0.113.50 via 203.0.113.1",
        [
            {"kind": "static_route", "op": "remove", "prefix": "0.0.0.0/0", "next_hop": "203.0.113.1"},
            {"kind": "static_route", "op": "add", "prefix": "0.0.0.0/0", "next_hop": "198.51.100.1"},
            {"kind": "static_route", "op": "add", "prefix": "203.0.113.50/32", "next_hop": "203.0.113.1"},
        ],
    ),
    (  # the helper one SVI loses is the one the new SVI gets
        "cisco_ios",
        "interface Vlan210\n ip address 10.42.10.1 255.255.255.0\n ip helper-address 10.40.0.10\n",
        "svi Vlan230 10.42.30.1/24 with dhcp helper 10.40.0.10; on Vlan210 replace the helper 10.40.0.10 with 10.40.0.12",
        [
            {"kind": "ip_address", "op": "add", "interface": "Vlan230", "address": "10.42.30.1/24"},
            {"kind": "dhcp_relay", "op": "add", "interface": "Vlan230", "server": "10.40.0.10"},
            {"kind": "dhcp_relay", "op": "remove", "interface": "Vlan210", "server": "10.40.0.10"},
            {"kind": "dhcp_relay", "op": "add", "interface": "Vlan210", "server": "10.40.0.12"},
        ],
    ),
    (  # an ACL taken off a port stays defined
        "cisco_ios",
        "ip access-list extended OUTSIDE-ACL\n permit ip any any\ninterface GigabitEthernet0/0/0\n"
        " ip access-group OUTSIDE-ACL in\n",
        "apply WAN-IN inbound on Gi0/0/0 and take the old OUTSIDE-ACL off that interface",
        [
            {"kind": "acl_apply", "op": "remove", "interface": "Gi0/0/0", "acl": "OUTSIDE-ACL", "direction": "in"},
            {"kind": "acl_apply", "op": "add", "interface": "Gi0/0/0", "acl": "WAN-IN", "direction": "in"},
        ],
    ),
]


@pytest.mark.parametrize("vendor,running,text,changes", SAID_AGAIN, ids=["host-route", "helper", "acl-off"])
def test_an_old_value_said_again_for_something_else_is_no_problem(vendor, running, text, changes):
    """The right answer is taken; without its removal (the old value kept where it was) it is not."""
    v = vendors.get(vendor)
    check = generate.checker(text, v, running)
    assert parse.answer_problems(changes, text, check=check, naming=v.naming) == []
    kept = [c for c in changes if c["op"] != "remove"]
    assert parse.answer_problems(kept, text, check=check, naming=v.naming) != []


def test_the_second_of_two_ports_is_that_port():
    """'Et11 and Et12 are in vlan 50; the second one gets shut' shuts Et12 (its shutdown is local); shutting Et11
    leaves Et12 unplaced."""
    v = vendors.get("arista_eos")
    text = "Et11 and Et12 are both in vlan 50; the second one (old AP) gets shut"
    assert coverage.scattered(text, [{"kind": "shutdown", "op": "add", "interfaces": "Et12"}], v.naming) == []
    assert parse.answer_problems([{"kind": "shutdown", "op": "add", "interfaces": "Et11"}], text, naming=v.naming)


def test_a_port_said_to_be_fine_is_kept():
    """'the printer on Gi1/0/9 is fine, leave it alone': no change may be about Gi1/0/9."""
    v = vendors.get("cisco_ios")
    text = "shut Gi1/0/5. The printer on Gi1/0/9 is fine, leave it alone."
    assert (
        parse.answer_problems([{"kind": "shutdown", "op": "add", "interfaces": "Gi1/0/5"}], text, naming=v.naming) == []
    )
    both = [{"kind": "shutdown", "op": "add", "interfaces": "Gi1/0/5, Gi1/0/9"}]
    assert parse.answer_problems(both, text, naming=v.naming)


def test_a_value_put_there_is_no_value_said_to_be_there():
    """'add a DHCP helper 10.30.0.9 there.' asks for the helper; 'syslog to 10.30.8.8 is already there' keeps it."""
    v = vendors.get("cisco_ios")
    text = "Vlan30 gets the description Clinic; also add a DHCP helper 10.30.0.9 there."
    changes = [
        {"kind": "description", "op": "add", "interfaces": "Vlan30", "text": "Clinic"},
        {"kind": "dhcp_relay", "op": "add", "interface": "Vlan30", "server": "10.30.0.9"},
    ]
    assert parse.answer_problems(changes, text, naming=v.naming) == []
    kept = "shut Gi1/0/5. Syslog to 10.30.8.8 is already there, leave it."
    syslog = {"kind": "syslog_server", "op": "add", "server": "10.30.8.8"}
    assert (
        parse.answer_problems([{"kind": "shutdown", "op": "add", "interfaces": "Gi1/0/5"}], kept, naming=v.naming) == []
    )
    assert parse.answer_problems(
        [{"kind": "shutdown", "op": "add", "interfaces": "Gi1/0/5"}, syslog], kept, naming=v.naming
    )


SAID_TWICE = [
    (  # the area said again for the loopback
        "cisco_nxos",
        "run ospf 100 on Ethernet1/49 and Ethernet1/50 in area 0, and on loopback0 in area 0 as a passive interface",
        [
            {"kind": "ospf_interface", "op": "add", "interface": "Ethernet1/49", "area": "0", "process": 100},
            {"kind": "ospf_interface", "op": "add", "interface": "Ethernet1/50", "area": "0", "process": 100},
            {"kind": "ospf_interface", "op": "add", "interface": "loopback0", "area": "0", "process": 100},
            {"kind": "ospf_passive", "op": "add", "interface": "loopback0", "process": 100},
        ],
        2,
    ),
    (  # the priority said again for the second group
        "cisco_ios",
        "HSRP group 10 on Vlan10 with virtual ip 10.1.10.1 priority 110; on Vlan20 group 20, virtual ip 10.1.20.1, "
        "priority 110",
        [
            {
                "kind": "hsrp",
                "op": "add",
                "interface": "Vlan10",
                "group": 10,
                "virtual_ip": "10.1.10.1",
                "priority": 110,
            },
            {
                "kind": "hsrp",
                "op": "add",
                "interface": "Vlan20",
                "group": 20,
                "virtual_ip": "10.1.20.1",
                "priority": 110,
            },
        ],
        1,
    ),
]


@pytest.mark.parametrize("vendor,text,changes,dropped", SAID_TWICE, ids=["area", "priority"])
def test_a_value_said_twice_is_used_by_each_part(vendor, text, changes, dropped):
    """A value said in two parts of the request is used by a change of each: the right answer is taken; with the
    second part's use of it left out (the loopback's area, the second group's priority) it is not."""
    v = vendors.get(vendor)
    assert parse.answer_problems(changes, text, naming=v.naming) == []
    assert coverage.unserved(text, changes, v.naming) == []
    wrong = [dict(c) for c in changes]
    if dropped == 1:
        del wrong[1]["priority"]
    else:
        del wrong[dropped]
    assert [t.text for t in coverage.unserved(text, wrong, v.naming)] == ["0" if dropped == 2 else "110"]
    assert "again" in parse.answer_problems(wrong, text, naming=v.naming)[0]


def test_what_a_clause_asks_is_not_done_on_the_address_it_copies():
    """'add peer B ... with next-hop-self, same as A; then shut A down': next-hop-self is for B, never A (A is
    the pattern); the shutdown is A's."""
    v = vendors.get("cisco_ios")
    text = (
        "add iBGP peer 10.0.0.3 in AS 65010, sourced from Loopback0 with next-hop-self, same as 10.0.0.2; "
        "then shut down the session to 10.0.0.2"
    )
    right = [
        {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.0.0.3", "remote_as": 65010, "asn": 65010},
        {"kind": "bgp_update_source", "op": "add", "neighbor": "10.0.0.3", "interface": "Loopback0", "asn": 65010},
        {"kind": "bgp_next_hop_self", "op": "add", "neighbor": "10.0.0.3", "asn": 65010},
        {"kind": "bgp_shutdown", "op": "add", "neighbor": "10.0.0.2", "asn": 65010},
    ]
    assert coverage.scattered(text, right, v.naming) == []
    wrong = [dict(c) for c in right]
    wrong[2]["neighbor"] = "10.0.0.2"
    assert coverage.scattered(text, wrong, v.naming) == [wrong[2]]


def test_a_list_on_the_device_loses_only_what_the_request_takes_off():
    """'make sure 2998 is allowed on that trunk' answered with an allowed list of 2998 alone would take 2601 and
    2700-2710 off the trunk: refused. Adding 2998 to the list, or a request that asks for a whole new list, is
    taken."""
    v = vendors.get("cisco_ios")
    running = (
        "interface Port-channel4\n switchport trunk allowed vlan 2601,2700-2710\n switchport mode trunk\n"
        " switchport trunk native vlan 2601\n"
    )
    text = "move po4's native vlan to 2998 and make sure 2998 is allowed on that trunk"
    check = generate.checker(text, v, running)
    native = {"kind": "trunk_port", "op": "add", "interfaces": "po4", "native_vlan": 2998}
    add = {"kind": "trunk_vlans", "op": "add", "interfaces": "po4", "vlans": "2998"}
    check([native, add])
    with pytest.raises(intent.IntentError, match=r"drops 2601,2700,2701.* never says go"):
        check([{**native, "vlans": "2998"}])
    only = "allow only 2998 on po4's trunk and move its native vlan to 2998"
    generate.checker(only, v, running)([{**native, "vlans": "2998"}])
    off = "vlans 2700 and 2701 are retired: take them off po4"  # what a removal takes off is said to go
    generate.checker(off, v, running)(
        [{"kind": "trunk_vlans", "op": "remove", "interfaces": "po4", "vlans": "2700,2701"}]
    )
