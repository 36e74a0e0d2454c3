import json

"""Logic around the model: grounding, retry, refusal, validation, running-config checks (fake model)."""

import pytest

from netcfg import generate, grounding, intent, vendors
from netcfg.errors import ConfigError, IntentError, ModelError, UnsupportedError

V = "cisco_ios"
RUNNING = """\
hostname sw1
vlan 10
 name USERS
interface GigabitEthernet0/1
 switchport access vlan 10
interface GigabitEthernet0/2
interface Vlan10
 ip address 10.10.0.1 255.255.255.0
router bgp 65010
"""


def test_generate_renders_the_typed_intent(fake):
    b = fake(
        [
            {"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"},
            {"kind": "access_port", "op": "add", "interfaces": "Gi0/5-6", "vlan": 30},
        ]
    )
    r = generate.generate("create vlan 30 named GUESTS and put Gi0/5-6 in it as access ports", V, b)
    assert r.config.splitlines()[:2] == ["vlan 30", " name GUESTS"]
    assert "interface GigabitEthernet0/6" in r.config
    assert r.attempts == 1 and r.changes[0]["vlan"] == 30


def test_prompt_has_fixed_instructions_first_then_similar_examples(fake):
    b = fake([{"kind": "ntp_server", "op": "add", "server": "10.0.0.9"}])
    generate.generate("ntp server 10.0.0.9", V, b)
    msgs = b.drafts[0]
    assert msgs[0]["role"] == "system" and "Kinds:" in msgs[0]["content"]
    assert msgs[-1] == {"role": "user", "content": "ntp server 10.0.0.9"}
    assert "ntp" in msgs[-3]["content"].lower()  # the most similar example sits right before the intent
    assert json.loads(msgs[-2]["content"])["changes"][0]["kind"] == "ntp_server"


def test_the_first_answer_is_a_draft_and_taken_when_it_passes(fake):
    b = fake([{"kind": "ntp_server", "op": "add", "server": "10.0.0.9"}])
    generate.generate("ntp server 10.0.0.9", V, b)
    assert len(b.drafts) == 1 and b.prompts == []


class DraftThenExact:
    """Answers a draft (from example blocks) and the exact evaluation differently."""

    name = "two-answers"

    def __init__(self, draft, exact):
        self.draft, self.exact, self.calls = draft, exact, []

    def complete(self, messages, schema, prefix="", follow=None, draft=False):
        self.calls.append(draft)
        answer = self.draft if draft else self.exact
        return json.dumps({"changes": answer if isinstance(answer, list) else [answer]})


def test_a_draft_that_fails_a_check_is_replaced_by_the_exact_evaluation_not_fed_back():
    b = DraftThenExact({"kind": "vlan", "op": "add", "vlan": 112}, {"kind": "vlan", "op": "add", "vlan": 40})
    r = generate.generate("create vlan 40", V, b)
    assert r.config == "vlan 40\n" and r.attempts == 2 and b.calls == [True, False]


def test_a_draft_that_passes_every_check_is_the_answer():
    b = DraftThenExact({"kind": "vlan", "op": "add", "vlan": 40}, {"kind": "vlan", "op": "add", "vlan": 112})
    assert generate.generate("create vlan 40", V, b).config == "vlan 40\n" and b.calls == [True]


def test_a_draft_that_leaves_an_address_out_is_replaced_by_the_exact_evaluation():
    ntp = {"kind": "ntp_server", "op": "add", "server": "10.0.1.3"}
    both = [ntp, {"kind": "syslog_server", "op": "add", "server": "10.0.1.4"}]
    r = generate.generate("ntp 10.0.1.3 and syslog 10.0.1.4", V, DraftThenExact(ntp, both))
    assert r.config == "ntp server 10.0.1.3\nlogging host 10.0.1.4\n" and r.attempts >= 2


def test_an_unsupported_draft_is_confirmed_exactly():
    b = DraftThenExact({"kind": "unsupported", "request": "x"}, {"kind": "hostname", "op": "add", "name": "r1"})
    assert generate.generate("set the name to r1", V, b).config.startswith("hostname r1") and b.calls == [True, False]


A = '{"changes":[{"kind":"'


@pytest.mark.parametrize(
    "answer,forced",
    [
        (A, ""),  # the kind is the model's choice
        (A + "ospf", ""),  # ospf or ospf_network: not decided yet
        (A + 'vlan"', ',"op":"'),
        (A + 'vlan","', 'op":"'),
        (A + 'vlan","op":"', ""),  # add or remove
        (A + 'vlan","op":"re', ""),
        (A + 'vlan","op":"add', '","vlan'),  # the first required field, not its colon
        (A + 'vlan","op":"remove","vl', "an"),
        (A + 'ospf","op":"add', ""),  # no required field: "," or "}" is a choice
        (A + 'vlan","op":"add","vlan":30}', ""),  # another change or the end
        (A + 'vlan","op":"add","vlan":30},', '{"kind":"'),
        (A + 'vlan","op":"add","vlan":30},{"', 'kind":"'),
        (A + 'unsupported"', ""),
    ],
)
def test_text_the_schema_forces_is_not_left_to_the_model(answer, forced):
    from netcfg.intent import forced_next

    assert forced_next(answer) == forced


def test_every_field_type_in_the_intent_spec_is_decoded_grounded_and_normalised():
    """A field type misspelt in intent.yaml fails here, not as a KeyError on the first request using it."""
    used = {f["type"] for k in intent.kinds().values() for f in k["fields"].values() if isinstance(f["type"], str)}
    assert used - set(intent.FIELD_TYPES) == set()
    assert intent._grammar_field({"type": "vlan"}, patterns=False) == {"type": "integer"}
    assert intent._kind_schema("vlan", intent.kinds()["vlan"], ranges=True)["properties"]["vlan"]["maximum"] == 4094


def test_hallucinated_value_is_retried_with_feedback(fake):
    b = fake(
        [{"kind": "vlan", "op": "add", "vlan": 112, "name": "PRINTERS"}], [{"kind": "vlan", "op": "add", "vlan": 40}]
    )
    r = generate.generate("create vlan 40", V, b)
    assert r.attempts == 3 and r.config == "vlan 40\n"
    assert "112" in b.prompts[1][-1]["content"]


def test_persistent_hallucination_is_refused(fake):
    b = fake([{"kind": "vlan", "op": "add", "vlan": 112}], [{"kind": "vlan", "op": "add", "vlan": 113}])
    with pytest.raises(ModelError, match="does not appear"):
        generate.generate("create vlan 40", V, b)


def test_kind_without_cue_in_text_is_refused(fake):
    b = fake([{"kind": "hostname", "op": "add", "name": "asdf"}], [{"kind": "hostname", "op": "add", "name": "asdf"}])
    with pytest.raises(ModelError):
        generate.generate("asdf qwer", V, b)


def test_unsupported_request(fake):
    b = fake([{"kind": "unsupported", "request": "reboot the router"}])
    with pytest.raises(UnsupportedError, match="supports: vlan"):
        generate.generate("reboot the router", V, b)


@pytest.mark.parametrize(
    "answer",
    [
        [{"kind": None, "op": "add"}],
        [{"kind": "vlan", "op": "add", "vlan": 30.0}],
        [{"kind": "vlan", "op": "add", "vlan": "30"}],
    ],
)
def test_answers_the_grammar_forbids_are_refused(fake, answer):
    """A backend that does not enforce the grammar (a model server) cannot slip a malformed change in."""
    with pytest.raises(ModelError, match="not a valid intent"):
        generate.generate("create vlan 30", V, fake(answer, answer, answer))


@pytest.mark.parametrize(
    "text,change,msg",
    [
        ("create vlan 5000", {"kind": "vlan", "op": "add", "vlan": 5000}, "out of range"),
        ("create vlan 0", {"kind": "vlan", "op": "add", "vlan": 0}, "out of range"),
        (
            "ip 10.1.1.1 255.0.255.0 on gi0/1",
            {"kind": "ip_address", "op": "add", "interface": "gi0/1", "address": "10.1.1.1 255.0.255.0"},
            "not contiguous",
        ),
        (
            "route 10.0.0.0/8 via 10.300.1.1",
            {"kind": "static_route", "op": "add", "prefix": "10.0.0.0/8", "next_hop": "10.300.1.1"},
            "invalid IPv4",
        ),
        ("vlan 30 name BAD;NAME", {"kind": "vlan", "op": "add", "vlan": 30, "name": "BAD;NAME"}, "not valid"),
    ],
)
def test_bad_values_are_clear_errors(fake, text, change, msg):
    with pytest.raises(IntentError, match=msg):
        generate.generate(text, V, fake([change], [change]))  # retried once with the error fed back


def test_validation_error_is_retried_with_feedback(fake):
    b = fake(
        [{"kind": "vlan", "op": "add", "vlan": 30, "name": "new vlan"}], [{"kind": "vlan", "op": "add", "vlan": 30}]
    )
    r = generate.generate("need a new vlan 30", V, b)
    assert r.config == "vlan 30\n" and r.attempts == 3
    assert "not valid" in b.prompts[1][-1]["content"]


def test_removal_needs_a_removal_word(fake):
    b = fake([{"kind": "vlan", "op": "remove", "vlan": 30}], [{"kind": "vlan", "op": "add", "vlan": 30}])
    assert generate.generate("create vlan 30", V, b).config == "vlan 30\n"


def _kinds_allowed(schema):
    return {item["properties"]["kind"]["const"] for item in schema["properties"]["changes"]["items"]["anyOf"]}


def test_a_request_naming_a_supported_feature_cannot_be_answered_unsupported(fake):
    b = fake([{"kind": "bgp", "op": "add", "asn": 65001}])
    assert generate.generate("enable bgp as 65001", V, b).config == "router bgp 65001\n"
    assert "unsupported" not in _kinds_allowed(b.schemas[0])
    b = fake([{"kind": "unsupported", "request": "reboot the router"}])
    with pytest.raises(UnsupportedError):
        generate.generate("reboot the router", V, b)
    assert "unsupported" in _kinds_allowed(b.schemas[0])


def test_model_cannot_smuggle_a_second_command(fake):
    text = "description uplink on gi0/1"
    evil = {"kind": "description", "op": "add", "interfaces": "gi0/1", "text": "uplink\nreload"}
    with pytest.raises((IntentError, ModelError)):
        generate.generate(text, V, fake([evil], [evil]))


@pytest.mark.parametrize("text", ["", "   ", "1234 5678", "x" * 2001])
def test_text_rejected_before_the_model(fake, text):
    b = fake()
    with pytest.raises(IntentError):
        generate.generate(text, V, b)
    assert b.prompts == []


def test_running_config_checks(fake):
    b = fake(
        [
            {"kind": "access_port", "op": "add", "interfaces": "gi0/9", "vlan": 30},
            {"kind": "ip_address", "op": "add", "interface": "vlan 20", "address": "10.10.0.1/24"},
        ]
    )
    r = generate.generate("put gi0/9 in vlan 30, vlan 20 ip 10.10.0.1/24", V, b, RUNNING)
    assert "interface GigabitEthernet0/9 does not exist in the running config" in r.errors
    assert any("10.10.0.1 is already configured on Vlan10" in e for e in r.errors)
    assert any("vlan 30" in w for w in r.warnings)


def test_bgp_local_as_comes_from_running_or_is_asked_for(fake):
    change = {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.0.0.2", "remote_as": 65002}
    r = generate.generate("neighbor 10.0.0.2 remote-as 65002", V, fake([change]), RUNNING)
    assert r.config.startswith("router bgp 65010\n")
    with pytest.raises(IntentError, match="local BGP AS"):
        generate.generate("neighbor 10.0.0.2 remote-as 65002", V, fake([change], [change]))


def test_malformed_running_config(fake):
    with pytest.raises(ConfigError):
        generate.generate("create vlan 30", V, fake([{"kind": "vlan", "op": "add", "vlan": 30}]), "\n\n")


def test_unknown_vendor_lists_known_ones():
    with pytest.raises(UnsupportedError, match="cisco_ios"):
        vendors.get("nokia_sros")


def test_vendor_without_the_feature_refuses_before_rendering(fake):
    change = {"kind": "access_port", "op": "add", "interfaces": "eth0", "vlan": 30}
    with pytest.raises(UnsupportedError, match="frr has no VLAN access ports; use .* or juniper_junos"):
        generate.generate("put eth0 in vlan 30 as an access port", "frr", fake([change]))


def test_a_setting_back_to_its_default_is_no_default_route(fake):
    b = fake([{"kind": "mtu", "op": "add", "interfaces": "te1/0/9"}])
    r = generate.generate("put the mtu of te1/0/9 back to default", V, b)
    assert r.config == "interface TenGigabitEthernet1/0/9\n no mtu\n" and r.attempts == 1


def test_an_optional_violation_action_the_request_never_states_is_dropped(fake):
    change = {"kind": "port_security", "op": "add", "interfaces": "gi0/4", "max_macs": 2, "violation": "restrict"}
    r = generate.generate("port security on gi0/4, max 2 macs", V, fake([change]))
    assert "violation" not in r.config and "switchport port-security maximum 2" in r.config


@pytest.mark.parametrize(
    "change,text",
    [
        ({"kind": "root_guard", "op": "add", "interfaces": "eth0"}, "root guard on eth0"),
        ({"kind": "mtu", "op": "add", "interfaces": "eth0", "mtu": 9000}, "mtu 9000 on eth0"),
        ({"kind": "snmp_location", "op": "add", "location": "rack 4"}, "snmp location rack 4"),
        ({"kind": "snmp_contact", "op": "add", "contact": "noc@x.example"}, "snmp contact noc@x.example"),
        ({"kind": "port_security", "op": "add", "interfaces": "eth0"}, "port security on eth0"),
        ({"kind": "stp_priority", "op": "add", "priority": 4096}, "stp priority 4096"),
    ],
)
def test_frr_refuses_the_switch_and_snmp_kinds_naming_the_vendors_that_have_them(fake, change, text):
    with pytest.raises(
        UnsupportedError, match=r"^frr has no .*; use arista_eos, cisco_ios, cisco_nxos or juniper_junos$"
    ):
        generate.generate(text, "frr", fake([change]))


@pytest.mark.parametrize(
    "vendor,mtu,ok",
    [
        ("arista_eos", 9216, False),
        ("arista_eos", 9214, True),
        ("cisco_nxos", 9216, True),
        ("juniper_junos", 200, False),
        ("cisco_ios", 9217, False),
    ],
)
def test_mtu_range_is_the_vendors(fake, vendor, mtu, ok):
    change = {
        "kind": "mtu",
        "op": "add",
        "interfaces": "xe-0/0/1" if vendor == "juniper_junos" else "eth1/1",
        "mtu": mtu,
    }
    text = f"mtu {mtu} on {change['interfaces']}"
    if ok:
        assert f"mtu {mtu}" in generate.generate(text, vendor, fake([change])).config
    else:
        with pytest.raises(IntentError, match=rf"^mtu {mtu} is out of range \(\d+-\d+\)$"):
            generate.generate(text, vendor, fake([change], [change]))


@pytest.mark.parametrize(
    "vendor,text,change,message",
    [
        (
            "cisco_ios",
            "stp priority 5000",
            {"kind": "stp_priority", "op": "add", "priority": 5000},
            r"^stp priority 5000 is not a multiple of 4096$",
        ),
        (
            "arista_eos",
            "port security on et5, violation restrict",
            {"kind": "port_security", "op": "add", "interfaces": "et5", "violation": "restrict"},
            r"^arista_eos has no port-security violation restrict \(its modes are shutdown, the default, and protect\)$",
        ),
        (
            "juniper_junos",
            "port security on ge-0/0/5",
            {"kind": "port_security", "op": "add", "interfaces": "ge-0/0/5"},
            r"say how many MAC addresses to allow$",
        ),
        (
            "cisco_nxos",
            "port security on eth1/5, max 2000 macs",
            {"kind": "port_security", "op": "add", "interfaces": "eth1/5", "max_macs": 2000},
            r"^port security max macs 2000 is out of range \(1-1025\)$",
        ),
        # a port-channel takes physical members, in the vendor's range of channel numbers
        (
            "cisco_ios",
            "bundle gi0/1-2 into po300",
            {"kind": "port_channel", "op": "add", "interfaces": "gi0/1-2", "channel": 300},
            r"^port channel 300 is out of range \(1-256\)$",
        ),
        (
            "cisco_nxos",
            "add po5 to port-channel 6",
            {"kind": "port_channel", "op": "add", "interfaces": "po5", "channel": 6},
            r"^port-channel5 is a port-channel itself: name the member ports to bundle$",
        ),
        (
            "juniper_junos",
            "ae1 into ae2",
            {"kind": "port_channel", "op": "add", "interfaces": "ae1", "channel": 2},
            r"^ae1 is an aggregated interface itself: name the member ports to bundle$",
        ),
        (
            "cisco_ios",
            "put vlan 30 in port-channel 2",
            {"kind": "port_channel", "op": "add", "interfaces": "vlan30", "channel": 2},
            r"^Vlan30 is not a switchport: port channel applies to physical ports and port-channels$",
        ),
    ],
)
def test_values_a_vendor_cannot_take_are_one_line_refusals(fake, vendor, text, change, message):
    with pytest.raises(IntentError, match=message):
        generate.generate(text, vendor, fake([change], [change]))


@pytest.mark.parametrize(
    "vendor,change,text,message",
    [
        (
            "frr",
            {"kind": "port_channel", "op": "add", "interfaces": "eth1-2", "channel": 1},
            "bundle eth1-2 into port-channel 1",
            r"^frr has no port-channels \(bond interfaces are made in Linux.*\); use arista_eos, cisco_ios, "
            r"cisco_nxos or juniper_junos$",
        ),
        ("frr", {"kind": "lldp", "op": "add"}, "lldp run", r"^frr has no LLDP .*; use arista_eos, cisco_ios"),
        (
            "arista_eos",
            {"kind": "cdp", "op": "add"},
            "enable cdp",
            r"^arista_eos has no CDP \(it speaks LLDP\); use cisco_ios or cisco_nxos$",
        ),
        (
            "juniper_junos",
            {"kind": "cdp", "op": "remove"},
            "disable cdp",
            r"^juniper_junos has no CDP \(it speaks LLDP\); use cisco_ios or cisco_nxos$",
        ),
        (
            "juniper_junos",
            {"kind": "ospf_default_originate", "op": "add", "always": "always"},
            "always originate a default route into ospf",
            r"^juniper_junos has no 'always' for an OSPF default route \(.*\)$",
        ),
        (
            "frr",
            {"kind": "snmp_trap_host", "op": "add", "server": "10.9.9.9", "community": "TRAPS"},
            "send snmp traps to 10.9.9.9 community TRAPS",
            r"^frr has no SNMP trap hosts \(.*snmpd.*\); use arista_eos, cisco_ios, cisco_nxos or juniper_junos$",
        ),
        (
            "frr",
            {"kind": "storm_control", "op": "add", "interfaces": "eth1", "traffic": "broadcast", "level": 5},
            "broadcast storm control 5% on eth1",
            r"^frr has no storm control \(.*\); use arista_eos, cisco_ios, cisco_nxos or juniper_junos$",
        ),
        # a mode a platform lacks: refused by that one choice of the field
        (
            "cisco_ios",
            {"kind": "stp_mode", "op": "add", "protocol": "rstp"},
            "run rstp",
            r"^cisco_ios has no plain RSTP mode \(.*rapid-pvst\)$",
        ),
        (
            "cisco_nxos",
            {"kind": "stp_mode", "op": "add", "protocol": "pvst"},
            "spanning-tree mode pvst",
            r"^cisco_nxos has no PVST\+",
        ),
        (
            "arista_eos",
            {"kind": "stp_mode", "op": "add", "protocol": "pvst"},
            "spanning-tree mode pvst",
            r"^arista_eos has no PVST\+",
        ),
    ],
)
def test_what_a_vendor_lacks_is_refused_naming_those_that_have_it(fake, vendor, change, text, message):
    with pytest.raises(UnsupportedError, match=message):
        generate.generate(text, vendor, fake([change]))


def test_a_mode_the_platform_has_is_not_refused(fake):
    """The value-level refusal is of that choice only: IOS runs rapid-pvst, EOS rstp."""
    change = {"kind": "stp_mode", "op": "add", "protocol": "rapid-pvst"}
    assert (
        generate.generate("spanning-tree mode rapid-pvst", "cisco_ios", fake([change])).config
        == "spanning-tree mode rapid-pvst\n"
    )
    change = {"kind": "stp_mode", "op": "add", "protocol": "rstp"}
    assert generate.generate("run rstp", "arista_eos", fake([change])).config == "spanning-tree mode rstp\n"


def test_junos_refuses_two_storm_control_levels_on_one_port():
    """A Junos port binds one storm-control profile: a new level beside what its running profile keeps is refused,
    naming both; the same level joins the running profile's types."""
    running = (
        "set interfaces ge-0/0/1 unit 0 family ethernet-switching storm-control SC-BCAST-10\n"
        "set forwarding-options storm-control-profiles SC-BCAST-10 all bandwidth-percentage 10\n"
        "set forwarding-options storm-control-profiles SC-BCAST-10 all no-multicast\n"
        "set forwarding-options storm-control-profiles SC-BCAST-10 all no-unknown-unicast\n"
    )
    vendor = vendors.get("juniper_junos")
    five = [{"kind": "storm_control", "op": "add", "interfaces": "ge-0/0/1", "traffic": "multicast", "level": 5}]
    with pytest.raises(
        IntentError, match=r"ge-0/0/1 would limit broadcast at 10% \(profile SC-BCAST-10\), multicast at 5%$"
    ):
        generate.build(five, vendor, running)
    ten = [{**five[0], "level": 10}]
    _, config, _, _ = generate.build(ten, vendor, running)
    assert "set interfaces ge-0/0/1 unit 0 family ethernet-switching storm-control SC-BCAST-MCAST-10\n" in config
    gone = [{"kind": "storm_control", "op": "remove", "interfaces": "ge-0/0/1", "traffic": "broadcast"}]
    _, config, _, _ = generate.build(gone, vendor, running)
    assert config == "delete interfaces ge-0/0/1 unit 0 family ethernet-switching storm-control\n"


def test_a_port_channel_without_a_stated_lacp_mode_is_lacp_active_and_says_so(fake):
    change = {"kind": "port_channel", "op": "add", "interfaces": "gi1/0/1-2", "channel": 4, "mode": "on"}
    r = generate.generate("bundle gi1/0/1-2 into po4", V, fake([change]))
    assert r.config.count("channel-group 4 mode active") == 2
    assert r.summary == ["bundle GigabitEthernet1/0/1, GigabitEthernet1/0/2 into port-channel 4 (mode active)"]


def test_junos_device_count_covers_the_highest_ae_of_the_change_and_never_lowers_the_running_one(fake):
    changes = [
        {"kind": "port_channel", "op": "add", "interfaces": "xe-0/0/5", "channel": 6},
        {"kind": "port_channel", "op": "add", "interfaces": "xe-0/0/1", "channel": 2},
    ]
    r = generate.generate("xe-0/0/5 into ae6; xe-0/0/1 into ae2", "juniper_junos", fake([changes[0]], [changes[1]]))
    assert [ln for ln in r.config.splitlines() if "device-count" in ln] == [
        "set chassis aggregated-devices ethernet device-count 7"
    ]
    running = "set system host-name ex\nset chassis aggregated-devices ethernet device-count 8\nset interfaces xe-0/0/5 unit 0 family ethernet-switching\n"
    r = generate.generate("xe-0/0/5 into ae6", "juniper_junos", fake([changes[0]]), running=running)
    assert "device-count" not in r.config
    assert r.config.startswith("delete interfaces xe-0/0/5 unit 0\nset interfaces xe-0/0/5 ether-options 802.3ad ae6\n")


def test_an_nxos_ebgp_multihop_ttl_is_at_least_2(fake):
    change = {"kind": "bgp_ebgp_multihop", "op": "add", "neighbor": "10.1.1.1", "hops": 1, "asn": 65000}
    with pytest.raises(IntentError, match=r"^bgp ebgp multihop hops 1 is out of range \(2-255\)$"):
        generate.generate("ebgp multihop 1 to 10.1.1.1 in bgp 65000", "cisco_nxos", fake([change], [change]))
    r = generate.generate("ebgp multihop 1 to 10.1.1.1 in bgp 65000", V, fake([change]))
    assert " neighbor 10.1.1.1 ebgp-multihop 1" in r.config.splitlines()


def test_ebgp_multihop_without_a_ttl_is_255_and_says_so(fake):
    change = {"kind": "bgp_ebgp_multihop", "op": "add", "neighbor": "10.1.1.1"}
    r = generate.generate("ebgp multihop to 10.1.1.1", V, fake([change]), running="router bgp 65001\n")
    assert r.config == "router bgp 65001\n neighbor 10.1.1.1 ebgp-multihop 255\n"
    assert r.summary == ["allow eBGP multihop to neighbor 10.1.1.1 (ttl 255)"]


def test_junos_multihop_goes_in_the_group_that_has_the_neighbor(fake):
    mh = {"kind": "bgp_ebgp_multihop", "op": "add", "neighbor": "203.0.113.77", "hops": 2}
    running = "set protocols bgp group TRANSIT type external\nset protocols bgp group TRANSIT neighbor 203.0.113.77 peer-as 64999\n"
    r = generate.generate("multihop ttl 2 for peer 203.0.113.77", "juniper_junos", fake([mh]), running=running)
    assert r.config == "set protocols bgp group TRANSIT neighbor 203.0.113.77 multihop ttl 2\n"
    r = generate.generate("multihop ttl 2 for peer 203.0.113.77", "juniper_junos", fake([mh]))
    assert r.config == "set protocols bgp group EBGP neighbor 203.0.113.77 multihop ttl 2\n"
    # a neighbor added in the same change is in the group it is added to (IBGP: remote AS = local AS)
    peer = {"kind": "bgp_neighbor", "op": "add", "neighbor": "203.0.113.77", "remote_as": 65000, "asn": 65000}
    r = generate.generate(
        "peer 203.0.113.77 remote-as 65000 in bgp 65000, multihop ttl 2", "juniper_junos", fake([peer, mh])
    )
    assert "set protocols bgp group IBGP neighbor 203.0.113.77 multihop ttl 2" in r.config.splitlines()
    assert "EBGP" not in r.config


def test_junos_sets_ospf_interface_options_under_the_area_the_interface_is_in(fake):
    p2p = {"kind": "ospf_network_type", "op": "add", "interface": "ge-0/0/1", "network_type": "point-to-point"}
    running = (
        "set interfaces ge-0/0/1 unit 0 family inet address 10.0.0.1/31\n"
        "set interfaces ge-0/0/3 unit 0 family inet address 10.0.0.3/31\n"
        "set protocols ospf area 0.0.0.0 interface ge-0/0/1.0\n"
    )
    r = generate.generate("ospf p2p on ge-0/0/1", "juniper_junos", fake([p2p]), running=running)
    assert r.config == "set protocols ospf area 0.0.0.0 interface ge-0/0/1.0 interface-type p2p\n"
    # the area an OSPF change of the same request puts it in
    area = {"kind": "ospf_interface", "op": "add", "interface": "ge-0/0/2", "area": "5"}
    cost = {"kind": "ospf_cost", "op": "add", "interface": "ge-0/0/2", "cost": 7}
    r = generate.generate("ge-0/0/2 in ospf area 5 with cost 7", "juniper_junos", fake([area, cost]))
    assert r.config.splitlines() == [
        "set protocols ospf area 0.0.0.5 interface ge-0/0/2.0",
        "set protocols ospf area 0.0.0.5 interface ge-0/0/2.0 metric 7",
    ]
    passive = {"kind": "ospf_passive", "op": "add", "interface": "ge-0/0/3"}
    with pytest.raises(
        IntentError,
        match=r"^juniper_junos sets OSPF passive under the OSPF area of the interface, and "
        r"ge-0/0/3.0 is in no area in the running config: give the running config",
    ):
        generate.generate("make ge-0/0/3 passive in ospf", "juniper_junos", fake([passive], [passive]), running=running)


def test_junos_sources_a_bgp_session_from_the_interfaces_one_address(fake):
    us = {"kind": "bgp_update_source", "op": "add", "neighbor": "10.255.4.2", "interface": "lo0"}
    text = "source bgp peer 10.255.4.2 from lo0"
    running = "set interfaces lo0 unit 0 family inet address 10.255.4.1/32\nset protocols bgp group IBGP neighbor 10.255.4.2\n"
    r = generate.generate(text, "juniper_junos", fake([us]), running=running)
    assert r.config == "set protocols bgp group IBGP neighbor 10.255.4.2 local-address 10.255.4.1\n"
    with pytest.raises(
        IntentError,
        match=r"^juniper_junos sources a BGP session from an address \(local-address\), "
        r"and lo0 has no IPv4 address in the running config: give the running config",
    ):
        generate.generate(text, "juniper_junos", fake([us], [us]))
    two = running + "set interfaces lo0 unit 0 family inet address 10.255.4.9/32\n"
    with pytest.raises(IntentError, match=r"and lo0 has 2: 10.255.4.1, 10.255.4.9$"):
        generate.generate(text, "juniper_junos", fake([us], [us]), running=two)


def test_junos_next_hop_self_heads_the_neighbors_export_chain_and_keeps_what_it_inherited(fake):
    nhs = {"kind": "bgp_next_hop_self", "op": "add", "neighbor": "10.255.4.2"}
    text = "next-hop-self for 10.255.4.2"
    running = "set protocols bgp export BGP-NETWORKS\nset protocols bgp group IBGP neighbor 10.255.4.2\n"
    r = generate.generate(text, "juniper_junos", fake([nhs]), running=running)
    assert r.config.splitlines() == [
        "set policy-options policy-statement NEXT-HOP-SELF term SELF then next-hop self",
        "set protocols bgp group IBGP neighbor 10.255.4.2 export NEXT-HOP-SELF",
        "set protocols bgp group IBGP neighbor 10.255.4.2 export BGP-NETWORKS",
    ]
    group = running + "set protocols bgp group IBGP export IBGP-OUT\n"  # the group's chain, not the global one
    r = generate.generate(text, "juniper_junos", fake([nhs]), running=group)
    assert r.config.splitlines()[1:] == [
        "set protocols bgp group IBGP neighbor 10.255.4.2 export NEXT-HOP-SELF",
        "set protocols bgp group IBGP neighbor 10.255.4.2 export IBGP-OUT",
    ]
    own = running + "set protocols bgp group IBGP neighbor 10.255.4.2 export PEER-OUT\n"
    with pytest.raises(IntentError, match=r"neighbor 10.255.4.2 has its own export policies \(PEER-OUT\)"):
        generate.generate(text, "juniper_junos", fake([nhs], [nhs]), running=own)


def test_a_default_route_originated_into_ospf_is_not_a_static_route(fake):
    always = {"kind": "ospf_default_originate", "op": "add"}
    r = generate.generate("always originate a default route into ospf", V, fake([always], [always]))
    assert r.config == "router ospf 1\n default-information originate always\n"  # "always" said: from_says
    assert r.summary == ["originate a default route into OSPF (always)"]


def test_a_redistributed_source_must_be_the_one_said(fake):
    wrong = {"kind": "ospf_redistribute", "op": "add", "source": "static"}
    with pytest.raises(ModelError, match=r"the request does not say to static \(ospf_redistribute source\)"):
        generate.generate("redistribute routes into ospf", V, fake([wrong], [wrong]))
    r = generate.generate("redistribute connected into ospf", V, fake([wrong]))
    assert r.changes[0]["source"] == "connected"
    right = {"kind": "ospf_redistribute", "op": "add", "source": "connected"}
    r = generate.generate("redistribute direct routes into ospf", "cisco_nxos", fake([right]))
    assert r.config.splitlines() == [
        "feature ospf",
        "route-map REDIST-CONNECTED permit 10",
        "router ospf 1",
        "  redistribute direct route-map REDIST-CONNECTED",
    ]


@pytest.mark.parametrize("vendor", ["cisco_ios", "juniper_junos"])
def test_an_snmp_location_cannot_carry_a_second_command(fake, vendor):
    evil = {"kind": "snmp_location", "op": "add", "location": "rack 4\nsnmp-server community pwn RW"}
    with pytest.raises((IntentError, ModelError)):
        generate.generate("snmp location rack 4", vendor, fake([evil], [evil]))
    quote = {"kind": "snmp_location", "op": "add", "location": 'rack 4" ; delete system'}
    if vendor == "juniper_junos":
        with pytest.raises((IntentError, ModelError)):
            generate.generate('snmp location rack 4" ; delete system', vendor, fake([quote], [quote]))


def test_unsupported_field_is_refused(fake):
    change = {"kind": "access_port", "op": "add", "interfaces": "eth1/5", "vlan": 30, "voice_vlan": 40}
    with pytest.raises(UnsupportedError, match="cisco_nxos has no voice VLAN"):
        generate.generate("eth1/5 access vlan 30 voice vlan 40", "cisco_nxos", fake([change]))


def test_nxos_feature_lines_come_first(fake):
    changes = [
        {"kind": "ip_address", "op": "add", "interface": "vlan 30", "address": "10.30.0.1/24"},
        {"kind": "dhcp_relay", "op": "add", "interface": "vlan 30", "server": "10.0.0.5"},
    ]
    r = generate.generate("vlan 30 ip 10.30.0.1/24 relay to 10.0.0.5", "cisco_nxos", fake(changes))
    lines = r.config.splitlines()
    assert all(ln.startswith("feature ") for ln in lines[:2]) and "feature dhcp" in lines[:2]


def test_an_optional_value_copied_from_an_example_is_dropped_without_a_retry(fake):
    b = fake([{"kind": "bgp", "op": "add", "asn": 65001, "router_id": "10.255.77.1"}])
    r = generate.generate("enable bgp as 65001", V, b)
    assert r.config == "router bgp 65001\n" and r.attempts == 1


def test_a_removal_the_request_never_asks_for_becomes_an_add(fake):
    b = fake([{"kind": "snmp_community", "op": "remove", "community": "nms_poll"}])
    r = generate.generate("snmp community nms_poll", V, b)
    assert r.config == "snmp-server community nms_poll RO\n"


def test_an_add_that_says_nothing_is_refused(fake):
    change = {"kind": "access_port", "op": "add", "interfaces": "gi0/1"}
    with pytest.raises(IntentError, match="needs vlan or voice vlan"):
        generate.generate("make gi0/1 an access port", V, fake([change], [change]))


def test_a_pointing_word_or_an_address_is_never_a_name():
    text = "The trap receiver 10.9.9.5 still uses public, so send its traps with the new community instead"
    instead = {"kind": "snmp_trap_host", "op": "add", "server": "10.9.9.5", "community": "instead"}
    assert grounding.ungrounded(instead, text)
    text = "move logging to 10.214.5.99 and make community OPS read-only"
    address = {"kind": "snmp_community", "op": "add", "community": "10.214.5.99", "access": "ro"}
    assert grounding.ungrounded(address, text)
    numbered = {"kind": "acl_apply", "op": "add", "acl": "101", "interface": "gi0/1", "direction": "in"}
    assert grounding.ungrounded(numbered, "apply acl 101 inbound on gi0/1") == []  # a numbered ACL is named so


@pytest.mark.parametrize(
    "text,change,fixed",
    [
        # the request's own spelling of a name or an interface the model shortened
        (
            "remove 'permit ip any any' from acl EDGE-IN",
            {
                "kind": "acl_rule",
                "op": "remove",
                "acl": "EDGE_IN",
                "action": "permit",
                "protocol": "ip",
                "source": "any",
                "destination": "any",
            },
            {"acl": "EDGE-IN"},
        ),
        ("et49/2: no switchport", {"kind": "routed_port", "op": "add", "interfaces": "et49"}, {"interfaces": "et49/2"}),
        # FRR's "lo", written with no number, numbered by the model
        ("make lo passive", {"kind": "ospf_passive", "op": "add", "interface": "lo2"}, {"interface": "lo"}),
        # a value that must follow its word: the neighbor's address is no router-id
        (
            "bgp 65010 neighbor 10.0.2.1 remote-as 65000",
            {"kind": "bgp", "op": "add", "asn": 65010, "router_id": "10.0.2.1"},
            {"router_id": None},
        ),
        (
            "bgp 65010 rid 10.0.2.2",
            {"kind": "bgp", "op": "add", "asn": 65010, "router_id": "10.0.2.2"},
            {"router_id": "10.0.2.2"},
        ),
        (
            "et30 access vlan 250",
            {"kind": "access_port", "op": "add", "interfaces": "et30", "vlan": 250, "voice_vlan": 250},
            {"voice_vlan": None},
        ),
        # 0 meaning "none", a name that only repeats the number, a default route written x/0
        (
            "ospf network 10.0.12.0/30 area 0",
            {"kind": "ospf_network", "op": "add", "prefix": "10.0.12.0/30", "area": "0", "process": 0},
            {"process": None},
        ),
        ("create vlan 3100", {"kind": "vlan", "op": "add", "vlan": 3100, "name": "3100"}, {"name": None}),
        (
            "acl X deny ip any 172.16.0.0/12",
            {
                "kind": "acl_rule",
                "op": "add",
                "acl": "X",
                "action": "deny",
                "protocol": "ip",
                "source": "any",
                "destination": "172.16.0.0/12",
                "port": "any",
            },
            {"port": None},
        ),
        ("create vlan 3100 named 3100", {"kind": "vlan", "op": "add", "vlan": 3100, "name": "3100"}, {"name": "3100"}),
        (
            "default route to 192.168.0.254",
            {"kind": "static_route", "op": "add", "prefix": "192.168.0.254/0", "next_hop": "192.168.0.254"},
            {"prefix": "0.0.0.0/0"},
        ),
        # a value the model left out that the request states plainly
        (
            "bgp 65010 announce 10.210.0.0/24",
            {"kind": "bgp_network", "op": "add", "prefix": "10.210.0.0/24"},
            {"asn": 65010},
        ),
        (
            "peer with 10.0.0.6 as 65002",
            {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.0.0.6", "remote_as": 65002},
            {"asn": None},
        ),
        (
            "po7 trunk allowed 10,20 native 999",
            {"kind": "trunk_port", "op": "add", "interfaces": "po7", "vlans": "10,20"},
            {"native_vlan": 999},
        ),
        # a number inside an interface name or address is not a VLAN
        (
            "make et49/1 a trunk",
            {"kind": "trunk_port", "op": "add", "interfaces": "et49/1", "vlans": "1"},
            {"vlans": None},
        ),
        # a port put in one VLAN, answered as a trunk of it, where the request says nothing of trunks
        (
            "put Et31 and Et33 in vlan 2703",
            {"kind": "trunk_port", "op": "add", "interfaces": "Et31", "vlans": "2703"},
            {"kind": "access_port", "vlan": 2703, "vlans": None},
        ),
        # the 10 of "area 10" is no OSPF process
        (
            "move xe-0/0/44 from ospf area 0 to area 10",
            {"kind": "ospf_interface", "op": "add", "interface": "xe-0/0/44", "area": "10", "process": 10},
            {"process": None},
        ),
        # the quoted text, not the words around its quotes
        (
            "eth1/41-44: labelled 'SCADA PLC'",
            {"kind": "description", "op": "add", "interfaces": "eth1/41-44", "text": "labelled 'SCADA PLC'"},
            {"text": "SCADA PLC"},
        ),
        (
            "desc 'to \"core\" sw' on gi0/1",
            {"kind": "description", "op": "add", "interfaces": "gi0/1", "text": 'to "core" sw'},
            {"text": 'to "core" sw'},
        ),
        # "back to default" with no value: the setting removed, not an add without its value
        (
            "put the mtu of te1/0/9 back to default",
            {"kind": "mtu", "op": "add", "interfaces": "te1/0/9"},
            {"op": "remove"},
        ),
        (
            "no mtu on Et8",
            {"kind": "mtu", "op": "add", "interfaces": "Et8"},
            {"op": "remove"},
        ),
        # the 7 of "Et7" is no MAC limit: a count sits by its words ("max 2", "3 MAC addresses")
        (
            "Et7 port-security, protect mode",
            {"kind": "port_security", "op": "add", "interfaces": "Et7", "max_macs": 7, "violation": "protect"},
            {"max_macs": None, "violation": "protect"},
        ),
        # a port-security violation action the request never states is dropped
        (
            "port security on Gi1/0/3, max 2 macs",
            {"kind": "port_security", "op": "add", "interfaces": "Gi1/0/3", "max_macs": 2, "violation": "shutdown"},
            {"violation": None},
        ),
        # "no lacp" is a static bundle, not a removal; its channel is the one the request names
        (
            "gi0/1-2 in po12 with no lacp",
            {"kind": "port_channel", "op": "remove", "interfaces": "gi0/1-2", "mode": "on"},
            {"op": "add", "channel": 12, "mode": "on"},
        ),
        # a choice said in one way is not left to the vendor's default (LACP active)
        (
            "static port-channel 9 on gi0/3",
            {"kind": "port_channel", "op": "add", "interfaces": "gi0/3", "channel": 9},
            {"mode": "on"},
        ),
        # "no cdp on gi0/4" answered as CDP off on the whole switch: the port is the one right after "cdp on"
        ("no cdp on gi0/4", {"kind": "cdp", "op": "remove"}, {"interfaces": "gi0/4"}),
        ("disable lldp globally", {"kind": "lldp", "op": "remove"}, {"interfaces": None}),
        # a VLAN taken off a trunk is not the trunk removed
        (
            "remove vlan 3205 on trunks po101 and po102",
            {"kind": "trunk_port", "op": "remove", "interfaces": "po101", "vlans": "3205"},
            {"kind": "trunk_vlans", "op": "remove", "vlans": "3205"},
        ),
        # a prefix-list entry's upper length said in words, left out by the model
        (
            "prefix list PL-IN: permit 172.16.0.0/12 up to /24, and deny 0.0.0.0/0 le 32",
            {"kind": "prefix_list", "op": "add", "name": "PL-IN", "action": "permit", "prefix": "172.16.0.0/12"},
            {"le": 24},
        ),
        # "enable" brings a port up: it never shuts it (shutdown is a `toggles` kind)
        (
            "the printer hangs off ge-0/0/12; enable it",
            {"kind": "shutdown", "op": "add", "interfaces": "ge-0/0/12"},
            {"op": "remove", "interfaces": "ge-0/0/12"},
        ),
        ("shut ge-0/0/12, it is bouncing", {"kind": "shutdown", "op": "add", "interfaces": "ge-0/0/12"}, {"op": "add"}),
        # "default route to X": X is the next hop, not a route to X via a next hop from an example
        (
            "default route to 192.168.0.254",
            {"kind": "static_route", "op": "add", "prefix": "192.168.0.254/32", "next_hop": "10.66.1.9"},
            {"prefix": "0.0.0.0/0", "next_hop": "192.168.0.254"},
        ),
    ],
)
def test_repairs_that_need_no_second_model_call(text, change, fixed):
    out = grounding.repair(change, text)
    assert {k: out.get(k) for k in fixed} == fixed
    assert grounding.ungrounded(out, text) == []


@pytest.mark.parametrize(
    "text,change,problem",
    [
        # "the new plotter" creates no VLAN
        (
            "the new plotter is on Et27: give it vlan 2739",
            {"kind": "vlan", "op": "add", "vlan": 2739},
            "does not ask to add vlan",
        ),
        # the 0 of "loopback 0" is no area: an area is said with the word
        (
            "loopback 0 passive in ospf",
            {"kind": "ospf_interface", "op": "add", "interface": "loopback 0", "area": "0"},
            "area '0' does not appear",
        ),
        # the process number is no area, the peer's AS no local AS
        (
            "ospf 4: withdraw 10.178.96.0/22",
            {"kind": "ospf_network", "op": "remove", "prefix": "10.178.96.0/22", "area": "4"},
            "area '4' does not appear",
        ),
        (
            "prune it from the po20 trunk",
            {"kind": "trunk_port", "op": "remove", "interfaces": "po20"},
            "does not ask to remove trunk_port",
        ),
        # a whole routing process goes only when the request says so of the process
        (
            "router bgp 64522: quit redistributing connected routes and announce 10.96.0.0/20 explicitly instead",
            {"kind": "bgp", "op": "remove", "asn": 64522},
            "does not ask to remove bgp",
        ),
        (
            "ospf 20: no more redistributing connected subnets; originate a default route always instead",
            {"kind": "ospf", "op": "remove", "process": 20},
            "does not ask to remove ospf",
        ),
        # a move from one spanning-tree mode to another is no return to the default mode
        (
            "idf-3: move STP from RSTP to MSTP",
            {"kind": "stp_mode", "op": "remove"},
            "does not ask to remove stp_mode",
        ),
    ],
)
def test_values_and_words_the_request_does_not_say(text, change, problem):
    assert any(problem in p for p in grounding.ungrounded(grounding.repair(change, text), text))


@pytest.mark.parametrize(
    "text,change",
    [
        ("remove bgp as 65210", {"kind": "bgp", "op": "remove", "asn": 65210}),
        ("bgp 65010 is being decommissioned", {"kind": "bgp", "op": "remove", "asn": 65010}),
        ("turn off ospf completely", {"kind": "ospf", "op": "remove"}),
        ("remove router ospf 10", {"kind": "ospf", "op": "remove", "process": 10}),
        ("leaf-07: drop MST, go back to the default spanning-tree mode", {"kind": "stp_mode", "op": "remove"}),
        ("no spanning-tree mode", {"kind": "stp_mode", "op": "remove"}),
    ],
)
def test_a_removal_said_of_the_setting_itself_is_asked_for(text, change):
    assert not [p for p in grounding.ungrounded(grounding.repair(change, text), text) if "remove" in p]


def test_the_peers_as_is_no_local_as():
    text = "neighbor 172.30.0.9: remote AS stays 64651"
    out = grounding.repair(
        {"kind": "bgp_neighbor", "op": "add", "neighbor": "172.30.0.9", "remote_as": 64651, "asn": 64651}, text
    )
    assert out.get("asn") is None and out["remote_as"] == 64651


def test_other_changes_swallowed_by_a_description_are_sent_back(fake):
    swallowed = [{"kind": "description", "op": "add", "interfaces": "gi0/5", "text": "AP-2, access vlan 60"}]
    split = [
        {"kind": "description", "op": "add", "interfaces": "gi0/5", "text": "AP-2"},
        {"kind": "access_port", "op": "add", "interfaces": "gi0/5", "vlan": 60},
    ]
    b = fake(swallowed, swallowed, split, split, split)
    r = generate.generate("gi0/5 desc AP-2, access vlan 60", V, b)
    assert r.attempts >= 2 and "AP-2, access vlan 60" not in r.config
    assert "description AP-2\n" in r.config and "switchport access vlan 60" in r.config


def test_an_extra_change_of_a_kind_never_mentioned_is_left_out(fake):
    b = fake(
        [
            {"kind": "routed_port", "op": "add", "interfaces": "eth2"},
            {"kind": "ip_address", "op": "add", "interface": "eth2", "address": "10.1.2.1/24"},
        ]
    )
    r = generate.generate("eth2 ip 10.1.2.1/24", "frr", b)
    assert r.attempts == 1 and r.config == "interface eth2\n ip address 10.1.2.1/24\n"


def test_a_change_of_the_wrong_kind_is_retried_with_the_kinds_the_words_fit(fake):
    b = fake(
        [{"kind": "ospf_interface", "op": "add", "interface": "e1/41-43", "area": "3"}],
        [{"kind": "shutdown", "op": "add", "interfaces": "e1/41-43"}],
    )
    r = generate.generate("shut e1/41-43", "cisco_nxos", b)
    feedback = b.prompts[1][-1]["content"]
    assert "does not ask for ospf_interface" in feedback and "fit the kinds shutdown" in feedback
    assert r.attempts == 3 and r.config.count("shutdown") == 3


@pytest.mark.parametrize(
    "text,answer,config",
    [
        (
            "no bpdu guard on gi0/8",
            [{"kind": "bpduguard", "op": "add", "interfaces": "gi0/8"}],
            "interface GigabitEthernet0/8\n no spanning-tree bpduguard\n",
        ),
        (
            "delete ospf",
            [{"kind": "ospf", "op": "remove", "process": 1}, {"kind": "ospf", "op": "remove", "process": 2}],
            "no router ospf 1\n",
        ),
        # two changes of the kind: the request both removes and adds, so neither is flipped
        (
            "delete route 10.84.0.0/16 via 10.9.1.1 and add it via 10.9.1.2",
            [
                {"kind": "static_route", "op": "remove", "prefix": "10.84.0.0/16", "next_hop": "10.9.1.1"},
                {"kind": "static_route", "op": "add", "prefix": "10.84.0.0/16", "next_hop": "10.9.1.2"},
            ],
            "no ip route 10.84.0.0 255.255.0.0 10.9.1.1\nip route 10.84.0.0 255.255.0.0 10.9.1.2\n",
        ),
        # "no shut" is the removal of shutdown, never a reason to remove the address
        (
            "no shut and ip 10.0.0.1/24 on gi0/1",
            [
                {"kind": "shutdown", "op": "remove", "interfaces": "gi0/1"},
                {"kind": "ip_address", "op": "add", "interface": "gi0/1", "address": "10.0.0.1/24"},
            ],
            None,
        ),
    ],
)
def test_answer_level_fixes(fake, text, answer, config):
    r = generate.generate(text, V, fake(answer))
    assert r.attempts == 1
    if config:
        assert r.config == config
    else:
        assert " ip address 10.0.0.1 255.255.255.0" in r.config.splitlines()


def test_a_second_model_answers_what_the_first_could_not(fake):
    first = fake(
        [{"kind": "vlan", "op": "add", "vlan": 112}],
        [{"kind": "vlan", "op": "add", "vlan": 113}],
        [{"kind": "vlan", "op": "add", "vlan": 114}],
    )
    second = fake([{"kind": "vlan", "op": "add", "vlan": 40}])
    r = generate.generate("create vlan 40", V, first, fallback=second)
    assert r.config == "vlan 40\n" and r.attempts >= 2 and second.drafts + second.prompts


def test_when_both_models_fail_the_first_ones_error_stands(fake):
    bad = [{"kind": "vlan", "op": "add", "vlan": 112}]
    with pytest.raises(ModelError, match="112"):
        generate.generate("create vlan 40", V, fake(bad, bad, bad), fallback=fake(bad, bad, bad))


def test_a_good_first_answer_never_wakes_the_second_model(fake):
    second = fake()
    r = generate.generate("create vlan 40", V, fake([{"kind": "vlan", "op": "add", "vlan": 40}]), fallback=second)
    assert r.config == "vlan 40\n" and second.prompts == [] and second.drafts == []


def test_a_junos_vlan_removed_by_number_is_deleted_by_its_name(fake):
    running = "set vlans LAB-TEMP vlan-id 1761\n"
    r = generate.generate(
        "delete vlan 1761", "juniper_junos", fake([{"kind": "vlan", "op": "remove", "vlan": 1761}]), running
    )
    assert r.config == "delete vlans LAB-TEMP\n"


@pytest.mark.parametrize(
    "vendor,text,change,running,config",
    [
        (
            "cisco_ios",
            "gi1/0/47: remove its ip",
            {"kind": "ip_address", "op": "remove", "interface": "gi1/0/47"},
            "interface GigabitEthernet1/0/47\n no switchport\n ip address 10.174.9.1 255.255.255.252\n",
            "interface GigabitEthernet1/0/47\n no ip address 10.174.9.1 255.255.255.252\n",
        ),
        (
            "frr",
            "eth2: remove its ip",
            {"kind": "ip_address", "op": "remove", "interface": "eth2"},
            "interface eth2\n ip address 10.174.9.1/30\nexit\n",
            "interface eth2\n no ip address 10.174.9.1/30\n",
        ),
        (
            "cisco_nxos",
            "vlan 2688's svi loses its dhcp helper",
            {"kind": "dhcp_relay", "op": "remove", "interface": "vlan 2688"},
            "interface Vlan2688\n  ip address 10.185.88.1/24\n  ip dhcp relay address 10.161.3.60\n",
            "interface Vlan2688\n  no ip dhcp relay address 10.161.3.60\n",
        ),
    ],
)
def test_a_value_a_removal_leaves_out_is_the_one_the_interface_has(fake, vendor, text, change, running, config):
    assert generate.generate(text, vendor, fake([change]), running).config == config
    with pytest.raises(IntentError, match="say which .* or give the running config"):
        generate.generate(text, vendor, fake([change], [change], [change]))


class _ByRequest:
    """A fake model whose answer depends on the request (the last user message), for the ask path."""

    name = "by-request-fake"

    def __init__(self, answers: dict, default: list):
        self.answers, self.default = answers, default

    def complete(self, messages, schema, prefix="", follow=None, draft=False):
        return json.dumps({"changes": self.answers.get(messages[-1]["content"], self.default)})


def test_a_change_with_values_of_two_parts_is_asked_about_not_kept():
    from netcfg import parse

    text = "remove snmp community Rd0nly-old, add FacOps-RO77 (read-only) and add FacOps-RW77 read-write"
    scattered = [
        {"kind": "snmp_community", "op": "remove", "community": "Rd0nly-old"},
        {"kind": "snmp_community", "op": "add", "community": "FacOps-RO77", "access": "ro"},
        {"kind": "snmp_community", "op": "add", "community": "FacOps-RW77", "access": "ro"},
    ]
    reply = "add snmp community FacOps-RW77 rw"
    backend = _ByRequest(
        {reply: [{"kind": "snmp_community", "op": "add", "community": "FacOps-RW77", "access": "rw"}]}, scattered
    )
    naming = vendors.get(V).naming
    with pytest.raises(IntentError, match="FacOps-RW77"):
        parse.parse(text, backend, naming=naming)
    asked = []
    got = parse.parse(text, backend, naming=naming, ask=lambda q: asked.append(q) or reply)
    assert "FacOps-RW77" in asked[0]
    assert got.changes == scattered[:2] + [
        {"kind": "snmp_community", "op": "add", "community": "FacOps-RW77", "access": "rw"}
    ]


def test_a_ticket_number_is_not_shown_to_the_model_nor_kept_in_a_clause():
    from netcfg import coverage

    assert (
        coverage.without_tickets("INC-20931 eth1/21-24: trunk, allowed 3010-3014")
        == "eth1/21-24: trunk, allowed 3010-3014"
    )
    assert coverage.without_tickets("ntp 10.0.0.5 per CHG0012345") == "ntp 10.0.0.5"
    assert (
        coverage.without_tickets('desc "CHG-1234 uplink" on gi0/1') == 'desc "CHG-1234 uplink" on gi0/1'
    )  # quoted: text
    naming = vendors.get("cisco_ios").naming
    said = [c.text for c in coverage.clauses("per CHG-4471: vlan 44 named LAB; gi0/2 desc 'CHG-4471 cutover'", naming)]
    assert said == ["vlan 44 named LAB", "gi0/2 desc 'CHG-4471 cutover'"]


def _clause_fake(text: str, whole: list, by_clause: dict):
    """A fake model answering the whole request with `whole` and each clause (found as parse finds them)
    with by_clause[its first word]."""
    from netcfg import coverage

    naming = vendors.get(V).naming
    answers = {text: whole}
    for piece in coverage.clauses(text, naming, orphans=True):
        answers[coverage.without_tickets(piece.text)] = by_clause[piece.text.split()[0]]
    return _ByRequest(answers, [])


def test_two_sound_readings_that_differ_are_refused_naming_both(monkeypatch):
    from netcfg import intent, parse

    # (netcfg reads "prune X and allow Y" as an add of Y; here the whole reading may not, to disagree)
    monkeypatch.setitem(intent.spec()["added_to"]["trunk_port"], "after_removal", "(?!)")

    text = "trunk po12: prune 1405 and allow 1410-1412"
    prune = {"kind": "trunk_vlans", "op": "remove", "interfaces": "po12", "vlans": "1405"}
    whole = [
        prune,
        {"kind": "trunk_port", "op": "add", "interfaces": "po12", "vlans": "1410-1412"},
    ]  # replaces the list
    parts = {
        "trunk": [prune],
        "Port-channel12:": [{"kind": "trunk_vlans", "op": "add", "interfaces": "po12", "vlans": "1410-1412"}],
    }
    check = lambda ch: generate.build(ch, vendors.get(V))  # noqa: E731
    with pytest.raises(
        parse.Disagreement,
        match="reads two ways: as a whole 'make Port-channel12 trunks allowing vlans 1410-1412', part by part 'allow vlans 1410-1412 on trunks Port-channel12'",
    ):
        parse.parse(text, _clause_fake(text, whole, parts), check=check, naming=vendors.get(V).naming)
    # at a terminal: one question; the reply settles what the readings disagreed on, the rest stands
    backend = _clause_fake(text, whole, parts)
    reply = "add vlans 1410-1412 to the allowed list of trunk po12"
    backend.answers[reply] = parts["Port-channel12:"]
    asked = []
    got = parse.parse(text, backend, check=check, naming=vendors.get(V).naming, ask=lambda q: asked.append(q) or reply)
    assert "reads two ways" in asked[0]
    assert got.changes == [prune] + parts["Port-channel12:"]


def test_a_clause_that_points_back_is_kept_where_the_whole_reading_left_it_out():
    """ "..., then delete both": the whole reading uses every value in one change and drops the deletion; the
    clauses say all it does and more, so they are taken (and not refused as two readings)."""
    from netcfg import parse

    text = "vlans 50 and 60 are retired: take them off trunk Te1/0/49, then delete both"
    prune = {"kind": "trunk_vlans", "op": "remove", "interfaces": "Te1/0/49", "vlans": "50,60"}
    gone = [{"kind": "vlan", "op": "remove", "vlan": 50}, {"kind": "vlan", "op": "remove", "vlan": 60}]
    check = lambda ch: generate.build(ch, vendors.get(V))  # noqa: E731
    got = parse.parse(
        text, _clause_fake(text, [prune], {"vlans": [prune], "delete": gone}), check=check, naming=vendors.get(V).naming
    )
    assert got.changes == [prune, *gone]
    # without a clause that points back, the same two readings are refused
    whole, parts = parse.Parsed([prune], 1), parse.Parsed([prune, *gone], 2)
    with pytest.raises(parse.Disagreement, match="part by part it also says 'remove vlan 50 · remove vlan 60'"):
        parse._agreed(whole, parts, check)


def test_two_readings_that_differ_only_in_their_container_name_the_config_lines():
    from netcfg import parse

    redistribute = {"kind": "bgp_redistribute", "op": "add", "source": "connected"}
    whole = parse.Parsed([dict(redistribute, asn=65300)], 1)
    parts = parse.Parsed([dict(redistribute, asn=65310)], 1)
    check = lambda ch: generate.build(ch, vendors.get("arista_eos"))  # noqa: E731
    with pytest.raises(
        parse.Disagreement,
        match="as a whole 'router bgp 65300 > redistribute connected', part by part 'router bgp 65310 > redistribute connected'",
    ):
        parse._agreed(whole, parts, check)


def test_two_readings_that_agree_are_taken_and_one_sound_reading_beats_a_doubted_one(monkeypatch):
    from netcfg import parse

    text = "lower te1/0/49's ospf cost to 15 and shut gi0/3"
    cost = {"kind": "ospf_cost", "op": "add", "interface": "te1/0/49", "cost": 15}
    shut = {"kind": "shutdown", "op": "add", "interfaces": "gi0/3"}
    check = lambda ch: generate.build(ch, vendors.get(V))  # noqa: E731
    naming = vendors.get(V).naming
    real = parse.scattered
    # the locality check doubts the cost (as it wrongly may): both readings give it, so it stands
    monkeypatch.setattr(
        parse, "scattered", lambda t, ch, n: [c for c in ch if c == cost and t == text] + real(t, ch, n)
    )
    got = parse.parse(
        text, _clause_fake(text, [cost, shut], {"lower": [cost], "shut": [shut]}), check=check, naming=naming
    )
    assert got.changes == [cost, shut]
    # a whole answer the check doubts, beside clauses that give something else and pass: the clauses win
    other = {**cost, "cost": 15, "interface": "gi0/3"}
    monkeypatch.setattr(parse, "scattered", lambda t, ch, n: [c for c in ch if c == other and t == text])
    got = parse.parse(
        text, _clause_fake(text, [other, shut], {"lower": [cost], "shut": [shut]}), check=check, naming=naming
    )
    assert got.changes == [cost, shut]


@pytest.mark.parametrize(
    "vendor,port",
    [("cisco_ios", "vlan44"), ("arista_eos", "Loopback0"), ("cisco_nxos", "vlan 44"), ("juniper_junos", "irb.44")],
)
def test_a_switchport_setting_on_an_svi_or_a_loopback_is_refused(vendor, port):
    for change in (
        {"kind": "access_port", "op": "add", "interfaces": port, "vlan": 44},
        {"kind": "portfast", "op": "add", "interfaces": port},
    ):
        with pytest.raises(IntentError, match="is not a switchport"):
            generate.build([change], vendors.get(vendor))
    generate.build(
        [{"kind": "access_port", "op": "add", "interfaces": "po4" if vendor != "juniper_junos" else "ae4", "vlan": 44}],
        vendors.get(vendor),
    )  # a port-channel is one


def test_a_bgp_neighbor_is_shut_down_and_brought_back_on_every_vendor(fake):
    shut = {"kind": "bgp_shutdown", "op": "add", "neighbor": "192.0.2.1"}
    back = {"kind": "bgp_shutdown", "op": "remove", "neighbor": "192.0.2.5"}
    text = "shut down bgp neighbor 192.0.2.1 and bring neighbor 192.0.2.5 back up"
    r = generate.generate(text, V, fake([shut, back]), running="router bgp 65010\n")
    assert r.config == "router bgp 65010\n neighbor 192.0.2.1 shutdown\n no neighbor 192.0.2.5 shutdown\n"
    assert r.summary == [
        "shut down the BGP session to neighbor 192.0.2.1",
        "bring the BGP session to neighbor 192.0.2.5 back up",
    ]
    r = generate.generate(text + " in bgp 65010", "cisco_nxos", fake([{**shut, "asn": 65010}, {**back, "asn": 65010}]))
    assert r.config.splitlines()[1:] == [
        "  neighbor 192.0.2.1",
        "    shutdown",
        "  neighbor 192.0.2.5",
        "    no shutdown",
    ]
    # Junos deactivates the neighbor in the group the running config has it in
    running = (
        "set protocols bgp group TRANSIT neighbor 192.0.2.1 peer-as 64500\n"
        "set protocols bgp group TRANSIT neighbor 192.0.2.5 peer-as 64501\n"
        "deactivate protocols bgp group TRANSIT neighbor 192.0.2.5\n"
    )
    r = generate.generate(text, "juniper_junos", fake([shut, back]), running=running)
    assert r.config == (
        "deactivate protocols bgp group TRANSIT neighbor 192.0.2.1\nactivate protocols bgp group TRANSIT neighbor 192.0.2.5\n"
    )


def test_no_shut_said_of_a_bgp_peer_never_shuts_it(fake):
    """ "no shut it" brings the peer back: an answer that shuts it is sent back, then refused."""
    shut = {"kind": "bgp_shutdown", "op": "add", "neighbor": "192.0.2.6", "asn": 65001}
    with pytest.raises(ModelError, match="does not ask to add bgp_shutdown"):
        generate.generate("bgp 65001: peer 192.0.2.6 is fixed, no shut it", V, fake([shut], [shut]))
    r = generate.generate("bgp 65001: peer 192.0.2.6 is fixed, no shut it", V, fake([{**shut, "op": "remove"}]))
    assert r.config == "router bgp 65001\n no neighbor 192.0.2.6 shutdown\n"


def test_admin_down_of_a_bgp_peer_is_no_interface_shutdown(fake):
    made_up = {"kind": "shutdown", "op": "add", "interfaces": "vlan 113"}
    shut = {"kind": "bgp_shutdown", "op": "add", "neighbor": "172.16.9.1", "asn": 65001}
    r = generate.generate("admin down the bgp peer 172.16.9.1 in as 65001", V, fake([made_up], [shut]))
    assert r.config == "router bgp 65001\n neighbor 172.16.9.1 shutdown\n"
    assert not grounding.asks_for("shutdown", "no shutdown for neighbor 203.0.113.9 in bgp 65010")
    assert grounding.asks_for("shutdown", "shut gi0/5 and shut down bgp neighbor 10.1.1.1")


def test_a_trap_host_removal_negates_the_receivers_lines_the_running_config_has(fake):
    stop = {"kind": "snmp_trap_host", "op": "remove", "server": "10.1.1.2"}
    running = "snmp-server host 10.1.1.1 public\nsnmp-server host 10.1.1.2 version 2c abc\nsnmp-server host 10.1.1.2 version 2c ops\n"
    r = generate.generate("stop sending traps to 10.1.1.2", V, fake([stop]), running=running)
    assert r.config == "no snmp-server host 10.1.1.2 version 2c abc\nno snmp-server host 10.1.1.2 version 2c ops\n"
    v1 = {"kind": "snmp_trap_host", "op": "remove", "server": "10.1.1.1"}  # v1, shown without a version
    r = generate.generate("no more traps to 10.1.1.1", V, fake([v1]), running=running)
    assert r.config == "no snmp-server host 10.1.1.1 public\n"
    with pytest.raises(IntentError, match=r"^cisco_nxos removes a trap host by its community: say which community"):
        generate.generate("stop sending traps to 10.1.1.2", "cisco_nxos", fake([stop], [stop]))
    junos = 'set snmp trap-group "noc traps" version v2\nset snmp trap-group "noc traps" targets 10.1.1.2\n'
    r = generate.generate("stop sending traps to 10.1.1.2", "juniper_junos", fake([stop]), running=junos)
    assert r.config == 'delete snmp trap-group "noc traps" targets 10.1.1.2\n'


def test_a_trap_hosts_version_and_community_are_read_from_the_request(fake):
    """v1 said and left out by the model is v1, not the v2c default; a community left out is the one the request
    names, in its own case."""
    bare = {"kind": "snmp_trap_host", "op": "add", "server": "172.30.16.2"}
    r = generate.generate("trap receiver 172.30.16.2, community N0c-Traps, v1", V, fake([bare]))
    assert r.config == "snmp-server host 172.30.16.2 version 1 N0c-Traps\n"
    r = generate.generate(
        "configure 172.16.5.5 as snmp trap destination, v2c, community nxTraps",
        "cisco_nxos",
        fake([{**bare, "server": "172.16.5.5"}]),
    )
    assert r.config == "snmp-server host 172.16.5.5 traps version 2c nxTraps\n"
    r = generate.generate(
        "trap target 10.9.9.9 community netops version 1", "juniper_junos", fake([{**bare, "server": "10.9.9.9"}])
    )
    assert r.config == "set snmp trap-group netops version v1\nset snmp trap-group netops targets 10.9.9.9\n"


def test_a_change_in_another_bgp_as_than_the_device_runs_is_sent_back(fake):
    """ "peer 10.0.2.5 as 65000 desc SPINE2" on a device in AS 65010: 65000 is the neighbor's AS, never the local
    one (that would be a second `router bgp`, or on Junos a new autonomous-system for the whole device)."""
    text = "peer 10.0.2.5 as 65000 desc SPINE2"
    wrong = {
        "kind": "bgp_neighbor",
        "op": "add",
        "neighbor": "10.0.2.5",
        "remote_as": 65000,
        "asn": 65000,
        "description": "SPINE2",
    }
    running = "router bgp 65010\n neighbor 10.0.2.1 remote-as 65000\n"
    r = generate.generate(text, "arista_eos", fake([wrong]), running=running)  # 65000, said once, is the remote AS
    assert r.config.splitlines()[:2] == ["router bgp 65010", "   neighbor 10.0.2.5 remote-as 65000"]
    other = "in as 65001 peer 10.0.2.5 as 65000 desc SPINE2"
    wrong = {**wrong, "asn": 65001}
    with pytest.raises(IntentError, match=r"^the running config runs BGP AS 65010, not 65001: a neighbor's own AS"):
        generate.generate(other, "arista_eos", fake([wrong], [wrong]), running=running)
    junos = "set routing-options autonomous-system 65010\n"
    with pytest.raises(IntentError, match=r"runs BGP AS 65010, not 65001"):
        generate.generate(other, "juniper_junos", fake([wrong], [wrong]), running=junos)
    # "peer with X in AS 65001" read as the local AS, with no remote AS: 65001 is the neighbor's own
    alone = {"kind": "bgp_neighbor", "op": "add", "neighbor": "10.0.2.5", "asn": 65001}
    r = generate.generate("peer with 10.0.2.5 in AS 65001", "arista_eos", fake([alone]), running=running)
    assert r.config.splitlines()[:2] == ["router bgp 65010", "   neighbor 10.0.2.5 remote-as 65001"]
    # ... and the neighbor's AS echoed as the local AS of its other changes is no local AS either
    echo = [
        {**alone, "remote_as": 65001},
        {"kind": "bgp_ebgp_multihop", "op": "add", "neighbor": "10.0.2.5", "hops": 2, "asn": 65001},
    ]
    r = generate.generate("peer with 10.0.2.5 in AS 65001, ebgp-multihop 2", "arista_eos", fake(echo), running=running)
    assert r.config.splitlines() == [
        "router bgp 65010",
        "   neighbor 10.0.2.5 remote-as 65001",
        "   neighbor 10.0.2.5 ebgp-multihop 2",
    ]


def test_ticket_words_around_a_bgp_shutdown_or_trap_host_are_read_as_engineers_mean_them(fake):
    from netcfg import coverage

    naming = vendors.get("arista_eos").naming
    # the device a request opens with is where it goes, not a value; a VLAN name opening one is a value
    assert "leaf7" not in [t.text for t in coverage.unplaced("leaf7: shut nbr 10.255.0.2", [], naming)]
    assert "STAFF" in [t.text for t in coverage.unplaced("STAFF: vlan 210", [], naming)]
    # a receiver that "keeps getting them" stays
    stop = {"kind": "snmp_trap_host", "op": "remove", "server": "10.1.1.50", "community": "NOC"}
    assert coverage.unplaced("No more traps to 10.1.1.50. 10.1.1.51 keeps getting them.", [stop], naming) == []
    # "in AS 65200." ends a sentence: 65200 is said; "Local AS is 65010" fills the AS the model left out
    shut = {"kind": "bgp_shutdown", "op": "add", "neighbor": "172.16.0.1", "asn": 65200}
    assert grounding.ungrounded(shut, "shut down nbr 172.16.0.1 in AS 65200.") == []
    back = {"kind": "bgp_shutdown", "op": "remove", "neighbor": "198.51.100.9"}
    r = generate.generate("bring the peering with 198.51.100.9 back up? Local AS is 65010.", V, fake([back]))
    assert r.config == "router bgp 65010\n no neighbor 198.51.100.9 shutdown\n"


def test_a_vlan_name_becomes_its_number_but_not_inside_a_description():
    facts = {"vlan_names": [{"id": 35, "name": "LAB"}, {"id": 40, "name": "GUESTS"}]}
    said = generate.resolve_vlan_names('gi0/1 to vlan LAB, gi0/2 to GUESTS, desc "Lab Bench 4"', facts)
    assert said == 'gi0/1 to vlan 35, gi0/2 to vlan 40, desc "Lab Bench 4"'
    # without "vlan" before it, a name is a VLAN only as the running config spells it
    assert generate.resolve_vlan_names("describe gi0/3 as Lab Bench 4", facts) == "describe gi0/3 as Lab Bench 4"
    assert generate.resolve_vlan_names("put gi0/3 in vlan guests", facts) == "put gi0/3 in vlan 40"
    # a DHCP pool named like a VLAN is the pool
    for pool in ("the GUESTS dhcp pool", "dhcp pool GUESTS", "the GUESTS pool", "scope GUESTS"):
        assert generate.resolve_vlan_names(f"delete {pool}", facts) == f"delete {pool}"


@pytest.mark.parametrize(
    "answer, text, repaired",
    [
        # each entry's permit/deny is the one said last before its prefix; ge/le only what is said after it
        (
            {"kind": "prefix_list", "op": "add", "prefix": "10.255.0.0/16", "ge": 32, "le": 32},
            "prefix-list PL-LOOPS: permit 10.255.0.0/16 ge 32, deny 0.0.0.0/0 le 32",
            {"action": "permit", "ge": 32, "le": None, "name": "PL-LOOPS"},
        ),
        (
            {"kind": "prefix_list", "op": "add", "prefix": "0.0.0.0/0", "ge": 32, "le": 32},
            "prefix-list PL-LOOPS: permit 10.255.0.0/16 ge 32, deny 0.0.0.0/0 le 32",
            {"action": "deny", "ge": None, "le": 32, "name": "PL-LOOPS"},
        ),
        # "/24" said alone is a length (filled in where the model leaves it out); the list named before "prefix list"
        (
            {"kind": "prefix_list", "op": "add", "prefix": "172.16.0.0/12"},
            "allow 172.16.0.0/12 up to /24 in the EDGE-IN prefix list",
            {"action": "permit", "le": 24, "name": "EDGE-IN"},
        ),
        (
            {"kind": "prefix_list", "op": "add", "prefix": "172.16.0.0/12", "le": 24},
            "allow 172.16.0.0/12 up to /24 in the EDGE-IN prefix list",
            {"action": "permit", "le": 24, "name": "EDGE-IN"},
        ),
        # the /12 of the prefix itself is no length
        (
            {"kind": "prefix_list", "op": "add", "prefix": "172.16.0.0/12", "le": 12, "name": "X"},
            "permit 172.16.0.0/12 in prefix-list X",
            {"le": None},
        ),
    ],
)
def test_prefix_list_values_stay_with_their_own_entry(answer, text, repaired):
    from netcfg import grounding

    out = grounding.repair(answer, text)
    assert {k: out.get(k) for k in repaired} == repaired


PARTS_RUNNING = """hostname acc-sw-15
!
interface GigabitEthernet0/5
 switchport access vlan 10
 switchport voice vlan 41
!
interface GigabitEthernet0/6
 switchport access vlan 30
 switchport voice vlan 42
!
router bgp 65000
 neighbor 10.1.1.1 remote-as 65001
 neighbor 10.1.1.1 description ISP-A
!
end
"""


@pytest.mark.parametrize(
    "text,changes,filled",
    [
        # the model's voice VLAN was not in the request and was dropped: the removal takes the running one
        (
            "Gi0/5 - phone's gone, remove the voice vlan but keep data vlan 10",
            [{"kind": "access_port", "op": "remove", "interfaces": "Gi0/5"}],
            [{"voice_vlan": 41}],
        ),
        (
            "clear the description of neighbor 10.1.1.1",
            [{"kind": "bgp_neighbor", "op": "remove", "neighbor": "10.1.1.1"}],
            [{"description": "ISP-A"}],
        ),
        # the part is said of another object: each removal stays as it is
        (
            "remove the voice vlan from Gi0/5, and take Gi0/6 out of vlan 30",
            [
                {"kind": "access_port", "op": "remove", "interfaces": "Gi0/5"},
                {"kind": "access_port", "op": "remove", "interfaces": "Gi0/6", "vlan": 30},
            ],
            [{"voice_vlan": 41}, {"voice_vlan": None}],
        ),
        (
            "remove neighbor 10.1.1.1 and clear the description on Gi0/6",
            [
                {"kind": "bgp_neighbor", "op": "remove", "neighbor": "10.1.1.1"},
                {"kind": "description", "op": "remove", "interfaces": "Gi0/6"},
            ],
            [{"description": None}, {}],
        ),
        # a neighbor called by its name is the neighbor, not its description
        ("delete the neighbor called ISP-A", [{"kind": "bgp_neighbor", "op": "remove", "neighbor": "10.1.1.1"}], [{}]),
    ],
)
def test_a_removal_of_a_part_takes_that_part_from_the_running_config(text, changes, filled):
    vendor = vendors.get(V)
    out = generate.parts_removed(text, changes, vendor.running_facts(PARTS_RUNNING), vendor)
    assert [{k: c.get(k) for k in f} for c, f in zip(out, filled)] == filled
    config = generate.build(out, vendor, PARTS_RUNNING)[1]
    if "Gi0/5" in text:  # only the voice VLAN of Gi0/5 goes: its data VLAN stays
        assert config.startswith("interface GigabitEthernet0/5\n no switchport voice vlan\n")
        assert config.count("no switchport access vlan") == ("Gi0/6" in text)


def test_a_removal_of_a_part_the_running_config_cannot_say_is_asked_about():
    with pytest.raises(IntentError, match="say which voice vlan to remove"):
        generate.parts_removed(
            "remove the voice vlan from gi0/3",
            [{"kind": "access_port", "op": "remove", "interfaces": "gi0/3"}],
            {},
            vendors.get(V),
        )
