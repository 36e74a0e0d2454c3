"""The login banner (kind `banner`): a config line that holds text, not commands. How each vendor shows it in a
running config, how it is read into the config tree, planned whole, and typed on a push."""

import pytest

from netcfg import configtree, generate, grounding, parse, vendors
from netcfg.errors import ConfigError, NetcfgError
from netcfg.plan import make_plan

IOS_RUNNING = """hostname acc-sw-04
banner motd ^C
Authorised access only.
! logins are recorded
^C
!
interface GigabitEthernet1/0/1
 description desk
end
"""


def test_a_banner_is_one_node_whatever_its_lines_hold():
    text = IOS_RUNNING + "banner login ^CKeep out^C\nbanner exec #never ends\nntp server 10.0.0.1\n"
    lines = [line for line, _ in configtree.read(text)]
    assert lines == [
        "hostname acc-sw-04",
        "banner motd ^C\nAuthorised access only.\n! logins are recorded\n^C",
        "interface GigabitEthernet1/0/1",
        "banner login ^CKeep out^C",
        "banner exec #never ends",  # never closed: kept alone, so the planner's parser reports it
        "ntp server 10.0.0.1",
    ]
    eos = configtree.read("banner motd\nLab - ask #netops\nEOF\nhostname leaf1\n")
    assert [line for line, _ in eos] == ["banner motd\nLab - ask #netops\nEOF", "hostname leaf1"]


def test_a_one_line_banner_does_not_swallow_the_lines_after_it():
    # hier_config reads a banner up to a closing line: without one it took the rest of the config as banner text
    running = "hostname r1\nbanner motd ^CKeep out^C\ninterface GigabitEthernet0/1\n description old\nend\n"
    vendor = vendors.get("cisco_ios")
    changes = [{"kind": "description", "op": "add", "interfaces": "gi0/1", "text": "new"}]
    norm, config, _, _ = generate.build(changes, vendor, running)
    plan = make_plan(["x"], norm, config, running, vendor)
    assert plan.remediation == "interface GigabitEthernet0/1\n description new\n"


def test_ios_types_a_delimiter_the_text_lacks():
    vendor = vendors.get("cisco_ios")
    changes = [{"kind": "banner", "op": "add", "text": "Staff only #1"}]
    norm, config, _, _ = generate.build(changes, vendor, IOS_RUNNING)
    plan = make_plan(["x"], norm, config, IOS_RUNNING, vendor)
    assert plan.remediation == "banner motd ^CStaff only #1^C\n"  # what the device will show
    assert vendor.driver.push_lines(plan.remediation) == ["banner motd %Staff only #1%"]
    # the rollback types the old banner back, line by line, closed by the same typed delimiter
    assert vendor.driver.push_lines(plan.rollback) == [
        "banner motd #",
        "Authorised access only.",
        "! logins are recorded",
        "#",
    ]


def test_a_banner_removal_types_no_text():
    vendor = vendors.get("cisco_ios")
    norm, config, _, _ = generate.build([{"kind": "banner", "op": "remove"}], vendor, IOS_RUNNING)
    plan = make_plan(["x"], norm, config, IOS_RUNNING, vendor)
    assert vendor.driver.push_lines(plan.remediation) == ["no banner motd"]


def test_a_banner_with_every_typed_delimiter_is_refused_at_push():
    vendor = vendors.get("cisco_ios")
    with pytest.raises(ConfigError, match="every delimiter"):
        vendor.driver.push_lines("banner motd ^C#%@~&*|$^C\n")


@pytest.mark.parametrize(
    "vendor, text",
    [
        ("cisco_ios", "a ^C b"),  # IOS shows its delimiter as ^C
        ("cisco_nxos", "ticket #42"),  # netcfg's NX-OS delimiter
        ("arista_eos", "EOF"),  # ends an EOS banner
        ("juniper_junos", 'say "hi"'),
        ("cisco_ios", "Keep out\nreload"),  # a second command
        ("arista_eos", "Keep out; reload"),
    ],
)
def test_banner_text_that_would_end_the_banner_or_add_a_command_is_refused(vendor, text):
    with pytest.raises(NetcfgError):
        generate.build([{"kind": "banner", "op": "add", "text": text}], vendors.get(vendor))


def test_frr_refuses_a_banner_and_says_who_has_one():
    with pytest.raises(NetcfgError, match=r"frr has no login banner .*/etc/motd.*use arista_eos, cisco_ios"):
        generate.build([{"kind": "banner", "op": "add", "text": "Keep out"}], vendors.get("frr"))


def test_a_banner_text_that_only_names_the_setting_is_refused():
    # "drop the MOTD banner" answered as a banner that reads "MOTD": silently wrong before
    problems = grounding.ungrounded({"kind": "banner", "op": "add", "text": "MOTD"}, "drop the MOTD banner")
    assert problems == ["banner text 'MOTD' only names the setting: the request gives no text for it"]


def test_a_quoted_text_is_one_value_whatever_its_commas_hold():
    said = "Put up a message of the day saying 'Monitored system, log off now if you are not authorised'"
    change = {"kind": "banner", "op": "add", "text": "Monitored system, log off now if you are not authorised"}
    assert grounding.ungrounded(change, said) == []
    # unquoted, a part that asks for another kind is still taken for a change folded into the text
    assert grounding.ungrounded(change, said.replace("'", ""))


def test_a_phone_number_after_call_asks_for_no_hostname():
    assert "hostname" not in grounding.cued_kinds("banner should read Managed by the network team, call x4400")
    assert "hostname" in grounding.cued_kinds("call this switch dc3-leaf-07")


def test_motd_is_vocabulary_not_a_value():
    running = "hostname n9k-lab-1\nbanner motd #Nexus 9000v Switch\n#\n"
    vendor = vendors.get("cisco_nxos")
    change = [{"kind": "banner", "op": "add", "text": "Lab switch - reimaged weekly"}]
    said = "replace the MOTD with Lab switch - reimaged weekly"
    assert parse.answer_problems(change, said, lambda c: generate.build(c, vendor, running), vendor.naming) == []


def test_a_banner_swapped_for_another_is_the_new_one_alone():
    # there is one banner: a removal the request never words as one, beside the add, is the old one replaced
    answer = [{"kind": "banner", "op": "remove"}, {"kind": "banner", "op": "add", "text": "X y"}]
    assert grounding.tidy(answer, 'swap the current login banner for "X y"') == answer[1:]
    assert grounding.tidy(answer, 'remove the old banner, then add "X y"') == answer


def test_a_banner_is_prose_its_commas_are_its_own():
    said = "a message of the day with the text Unauthorized access is prohibited, all activity is monitored"
    change = {"kind": "banner", "op": "add", "text": said.split("text ")[1]}
    assert grounding.ungrounded(change, said) == []  # "all activity" has the letters of "activate", no more
    phone = {"kind": "banner", "op": "add", "text": "Managed by the network team, call x4400"}
    assert grounding.ungrounded(phone, "banner should read Managed by the network team, call x4400") == []
    folded = {"kind": "banner", "op": "add", "text": "Keep out, ntp server 10.0.0.1"}
    assert grounding.ungrounded(folded, "banner Keep out, ntp server 10.0.0.1")  # a change of its own
