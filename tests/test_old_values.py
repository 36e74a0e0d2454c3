"""A value the request says goes ("from X to Y", "instead of X", "currently X", "prune X") is gone from
the result (generate.checker, coverage.old_values): the answer that keeps it is retried, then refused."""

import pytest

from netcfg import generate, vendors
from netcfg.errors import IntentError

KEPT = [
    (  # the old address said as the state now, kept beside the new one (Junos adds addresses)
        "juniper_junos",
        "xe-0/0/50 - currently 10.214.50.1/31, replace that with 10.214.50.3/31",
        "set interfaces xe-0/0/50 unit 0 family inet address 10.214.50.1/31\n",
        [{"kind": "ip_address", "op": "add", "interface": "xe-0/0/50", "address": "10.214.50.3/31"}],
        [{"kind": "ip_address", "op": "remove", "interface": "xe-0/0/50", "address": "10.214.50.1/31"}],
    ),
    (  # a pruned VLAN answered as the whole allowed list
        "cisco_ios",
        "on the po12 trunk prune 1405 and let 1410-1412 across",
        None,
        [{"kind": "trunk_port", "op": "add", "interfaces": "po12", "vlans": "1405"}],
        None,
    ),
    (  # "should allow Y instead": the line that allows X stays
        "cisco_ios",
        "the ssh line in MGMT-SSH that allows 10.214.77.0/24 should allow 10.214.78.0/24 instead",
        "ip access-list extended MGMT-SSH\n 10 permit tcp 10.214.77.0 0.0.0.255 any eq 22\n",
        [
            {
                "kind": "acl_rule",
                "op": "add",
                "acl": "MGMT-SSH",
                "action": "permit",
                "protocol": "tcp",
                "source": "10.214.78.0/24",
                "destination": "any",
                "port": "22",
            },
        ],
        [
            {
                "kind": "acl_rule",
                "op": "remove",
                "acl": "MGMT-SSH",
                "action": "permit",
                "protocol": "tcp",
                "source": "10.214.77.0/24",
                "destination": "any",
                "port": "22",
            },
        ],
    ),
    (  # the default route's old next hop, a route of its own
        "arista_eos",
        "change the default route from 10.9.1.1 to 10.9.1.2",
        "ip route 0.0.0.0/0 10.9.1.1\n",
        [{"kind": "static_route", "op": "add", "prefix": "0.0.0.0/0", "next_hop": "10.9.1.2"}],
        [{"kind": "static_route", "op": "remove", "prefix": "0.0.0.0/0", "next_hop": "10.9.1.1"}],
    ),
    (  # "swap 40 for 45 in the allowed list" answered with 45 added to the list and VLAN 40 deleted: 40 stays allowed
        "arista_eos",
        "Lab vlan 40 is being replaced by vlan 45. On Po1 swap 40 for 45 in the allowed list.",
        "vlan 40\n!\ninterface Port-Channel1\n   switchport mode trunk\n   switchport trunk allowed vlan 10,20,40\n",
        [
            {"kind": "trunk_vlans", "op": "add", "interfaces": "Po1", "vlans": "45"},
            {"kind": "vlan", "op": "remove", "vlan": 40},
        ],
        [{"kind": "trunk_vlans", "op": "remove", "interfaces": "Po1", "vlans": "40"}],
    ),
]


@pytest.mark.parametrize("vendor,text,running,wrong,removal", KEPT, ids=[k[1][:40] for k in KEPT])
def test_a_value_the_request_says_goes_must_be_gone_from_the_result(vendor, text, running, wrong, removal):
    v = vendors.get(vendor)
    check = generate.checker(text, v, running)
    with pytest.raises(IntentError, match="goes, but the result still has"):
        check(wrong)
    if removal is not None:
        check(wrong + removal)  # the same answer with the old value removed is taken


KEPT_RIGHTLY = [
    # the old native VLAN stays allowed: the allowed list is not the setting that changes
    (
        "arista_eos",
        "po14: native vlan 2621 (currently 2620), and allow 2622 on it as well",
        "interface Port-Channel14\n switchport mode trunk\n switchport trunk native vlan 2620\n"
        " switchport trunk allowed vlan 2620\n",
        [
            {"kind": "trunk_port", "op": "add", "interfaces": "po14", "native_vlan": 2621},
            {"kind": "trunk_vlans", "op": "add", "interfaces": "po14", "vlans": "2622"},
        ],
    ),
    # a route deleted and added again via another next hop: the prefix stays, rightly
    (
        "cisco_ios",
        "delete route 10.84.0.0/16 via 10.9.1.1 and add it via 10.9.1.2",
        None,
        [
            {"kind": "static_route", "op": "remove", "prefix": "10.84.0.0/16", "next_hop": "10.9.1.1"},
            {"kind": "static_route", "op": "add", "prefix": "10.84.0.0/16", "next_hop": "10.9.1.2"},
        ],
    ),
    # a replaced aggregate of another length is another network
    (
        "cisco_ios",
        "replace the bgp advertisement 10.214.40.0/22 with 10.214.40.0/21",
        "router bgp 64620\n network 10.214.40.0 mask 255.255.252.0\n",
        [
            {"kind": "bgp_network", "op": "remove", "asn": 64620, "prefix": "10.214.40.0/22"},
            {"kind": "bgp_network", "op": "add", "asn": 64620, "prefix": "10.214.40.0/21"},
        ],
    ),
    # the ACL a line is taken out of stays
    (
        "cisco_ios",
        "take 'deny ip any any' out of acl LAB-IN",
        "ip access-list extended LAB-IN\n 10 deny ip any any\n",
        [
            {
                "kind": "acl_rule",
                "op": "remove",
                "acl": "LAB-IN",
                "action": "deny",
                "protocol": "ip",
                "source": "any",
                "destination": "any",
            }
        ],
    ),
]


@pytest.mark.parametrize("vendor,text,running,changes", KEPT_RIGHTLY, ids=[k[1][:40] for k in KEPT_RIGHTLY])
def test_what_the_request_keeps_is_no_kept_old_value(vendor, text, running, changes):
    generate.checker(text, vendors.get(vendor), running)(changes)
