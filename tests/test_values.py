import pytest

from netcfg import values, vendors
from netcfg.errors import IntentError


@pytest.fixture
def ios():
    return vendors.get("cisco_ios").naming


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Gi0/5-8", ["GigabitEthernet0/5", "GigabitEthernet0/6", "GigabitEthernet0/7", "GigabitEthernet0/8"]),
        ("gi1/0/1 through gi1/0/3", ["GigabitEthernet1/0/1", "GigabitEthernet1/0/2", "GigabitEthernet1/0/3"]),
        ("Fa0/10", ["FastEthernet0/10"]),
        ("te1/1/1", ["TenGigabitEthernet1/1/1"]),
        ("vlan 30", ["Vlan30"]),
        ("lo0", ["Loopback0"]),
        ("Gi0/1, Gi0/3 and gi0/5", ["GigabitEthernet0/1", "GigabitEthernet0/3", "GigabitEthernet0/5"]),
        ("gi0/1-gi0/2", ["GigabitEthernet0/1", "GigabitEthernet0/2"]),
        ("GigabitEthernet1/0/24", ["GigabitEthernet1/0/24"]),
        ("po10", ["Port-channel10"]),
        ("port-channel10", ["Port-channel10"]),
        ("Gi0/1-Gi0/2", ["GigabitEthernet0/1", "GigabitEthernet0/2"]),
        ("int vlan 620", ["Vlan620"]),
        ("intvlan 620", ["Vlan620"]),
        ("interface Gi0/2", ["GigabitEthernet0/2"]),
        ("ports gi0/1-2", ["GigabitEthernet0/1", "GigabitEthernet0/2"]),
    ],
)
def test_interface_expansion(ios, text, expected):
    assert ios.expand(text) == expected


@pytest.mark.parametrize("text", ["xy0/1", "Gi0/8-5", "vlan", "Gi0/1-999", "vlan 0", "Vlan4095", "svi 5000"])
def test_bad_interfaces(ios, text):
    with pytest.raises(IntentError):
        ios.expand(text)


def test_prefix_and_masks():
    p = values.prefix("10.0.0.0 255.255.255.0")
    assert (p["cidr"], p["wildcard"], p["netmask"]) == ("10.0.0.0/24", "0.0.0.255", "255.255.255.0")
    assert values.prefix("default")["cidr"] == "0.0.0.0/0"
    with pytest.raises(IntentError, match="host bits"):
        values.prefix("10.0.0.1/24")
    with pytest.raises(IntentError, match="not contiguous"):
        values.prefix("10.0.0.0 255.0.255.0")
    with pytest.raises(IntentError):
        values.prefix("10.0.0.0/33")


def test_interface_address():
    a = values.interface_address("10.30.0.1/24")
    assert (a["ip"], a["netmask"], a["network"]) == ("10.30.0.1", "255.255.255.0", "10.30.0.0/24")
    with pytest.raises(IntentError, match="network or broadcast"):
        values.interface_address("10.30.0.0/24")
    with pytest.raises(IntentError):
        values.interface_address("300.1.1.1/24")
    with pytest.raises(IntentError, match="needs a prefix length"):
        values.interface_address("10.1.1.1")


def test_wildcard_masks_are_read_as_prefixes():
    assert values.prefix("172.19.8.0 0.0.0.255")["cidr"] == "172.19.8.0/24"
    assert values.prefix("0.0.0.0 0.0.0.0")["cidr"] == "0.0.0.0/0"


def test_vlan_lists():
    assert values.vlan_list("10,20,30-32") == [10, 20, 30, 31, 32]
    assert values.vlan_list("10 and 20") == [10, 20]
    assert values.vlan_ranges([10, 20, 30, 31, 32]) == "10,20,30-32"
    for bad in ("0", "5000", "10-5", "abc"):
        with pytest.raises(IntentError):
            values.vlan_list(bad)


def test_ace_and_area():
    assert values.ace_address("any")["any"]
    assert values.ace_address("host 10.1.1.1")["host"] == "10.1.1.1"
    assert values.ace_address("10.1.1.0/24")["prefix"]["wildcard"] == "0.0.0.255"
    assert values.area("0") == {"id": 0, "dotted": "0.0.0.0", "text": "0"}
    assert values.area("area 0.0.0.10")["text"] == "0.0.0.10"
    assert values.area("0.0.0.10")["id"] == 10


@pytest.mark.parametrize("bad", ["a\nb", "x; reload", "{{ evil }}", "{% if %}", ""])
def test_safe_text_rejects_injection(bad):
    with pytest.raises(IntentError):
        values.safe_text(bad, "description")


def test_frr_loopback_is_the_single_lo():
    frr = vendors.get("frr").naming
    assert frr.expand("lo") == frr.expand("lo0") == frr.expand("loopback 0") == ["lo"]


@pytest.mark.parametrize("text", ["eth1 to lo", "eth3 - lo"])
def test_a_range_whose_end_has_no_number_is_a_clear_error(text):
    with pytest.raises(IntentError, match="cannot read interface range"):
        vendors.get("frr").naming.expand(text)


def test_ipv6_values_are_canonical_and_checked():
    a = values.ipv6_interface_address("2001:DB8:0:0::1 / 64")
    assert (a["cidr"], a["network"]) == ("2001:db8::1/64", "2001:db8::/64")
    assert values.ipv6_prefix("default")["cidr"] == "::/0"
    assert values.ipv6_prefix("2001:db8:20::/48")["cidr"] == "2001:db8:20::/48"
    assert values.ipv6_host("2001:DB8::A") == "2001:db8::a"
    for bad, message in [
        (lambda: values.ipv6_interface_address("2001:db8::1"), "needs a prefix length"),
        (lambda: values.ipv6_interface_address("fe80::1/64"), "link-local"),
        (lambda: values.ipv6_interface_address("2001:db8::1/129"), "out of range"),
        (lambda: values.ipv6_interface_address("2001:db8::/64"), "subnet-router anycast"),
        (lambda: values.ipv6_prefix("2001:db8:20::1/48"), "host bits"),
        (lambda: values.ipv6_host("fe80::1"), "link-local next hop"),
        (lambda: values.ipv6_host("2001:db8::zz"), "invalid IPv6"),
    ]:
        with pytest.raises(IntentError, match=message):
            bad()


def test_ipv6_found_in_text_is_no_port_or_time():
    found = values.ipv6_found("Gi0/5: 2001:DB8:10::1/64 via 2001:db8:10::2 at 10:30, default ::/0")
    assert found == [("2001:db8:10::1", 64), ("2001:db8:10::2", None), ("::", 0)]


@pytest.mark.parametrize(
    "text,mbps",
    [
        *[("100", 100), ("100m", 100), ("1g", 1000), ("1000", 1000), ("2.5G", 2500), ("10 Gbps", 10000), ("25", 25000)],
        # "hard-set it to 100/full": the duplex after the speed is not part of it
        *[("100/full", 100), ("1000 / half-duplex", 1000)],
    ],
)
def test_speeds_are_read_in_any_unit(text, mbps):
    assert values.speed(text) == mbps


@pytest.mark.parametrize("text,offset", [("-5", (-5, 0)), ("+05:30", (5, 30)), ("UTC-3:30", (-3, 30)), ("1", (1, 0))])
def test_utc_offsets_are_signed_hours_and_minutes(text, offset):
    o = values.utc_offset(text)
    assert (o["hours"], o["minutes"]) == offset


@pytest.mark.parametrize(
    "parse,bad,message",
    [
        (values.speed, "3g", "no Ethernet speed"),
        (values.speed, "fast", "unknown speed"),
        (values.utc_offset, "+15", "out of range"),
        (values.utc_offset, "-5:75", "out of range"),
        (values.utc_offset, "EST", "unknown UTC offset"),
    ],
)
def test_speeds_and_offsets_out_of_range_are_refused(parse, bad, message):
    with pytest.raises(IntentError, match=message):
        parse(bad)


@pytest.mark.parametrize(
    "text,name",
    [
        ("4", "warnings"),
        ("warn", "warnings"),
        ("Informational", "informational"),
        ("notice", "notifications"),
        ("0", "emergencies"),
    ],
)
def test_syslog_severities_are_read_by_number_or_name(text, name):
    assert values.severity(text)["name"] == name


@pytest.mark.parametrize("bad", ["8", "loud", "-1"])
def test_unknown_syslog_severities_are_refused(bad):
    with pytest.raises(IntentError, match="unknown syslog severity"):
        values.severity(bad)
