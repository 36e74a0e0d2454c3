"""The pipeline: intent text -> typed changes -> grounded, validated, rendered candidate config."""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from typing import overload

from . import configtree, intent, values, vendors
from .coverage import (
    QUOTED,
    compact_ranges,
    corrected,
    is_vlan,
    left_place,
    old_values,
    replacements,
    said_again,
    spelled_ports,
    things,
)
from .errors import ConfigError, IntentError, NetcfgError
from .model import Backend
from .parse import parse


@dataclass
class Result:
    """What `netcfg generate` returns; its JSON form is a stable contract."""

    intent: str
    vendor: str
    changes: list[dict] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    config: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    attempts: int = 0
    latency_ms: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@overload
def check_running(text: str) -> str: ...


@overload
def check_running(text: None) -> None: ...


def check_running(text: str | None) -> str | None:
    """A running config must be text with at least one config line."""
    if text is None:
        return None
    if "\x00" in text or not configtree.read(text):
        raise ConfigError("the running config is empty or not a text configuration")
    return text


def _fill_from_running(change: dict, facts: dict, vendor: vendors.Vendor, said: bool = False) -> dict:
    """Fill fields the intent left out from the running config (`Vendor.fill` rules), e.g. the local AS. The rules
    for a part a removal names (`narrows`) apply only where the request says that part goes (`said`)."""
    for name, rule in vendor.fill.items():
        fname = rule.get("field", name)  # a rule named otherwise fills `field` ("address6": an IPv6 address)
        if change.get(fname) is not None or fname not in intent.kinds()[change["kind"]]["fields"]:
            continue
        if (
            rule.get("kinds")
            and change["kind"] not in rule["kinds"]
            or rule.get("ops")
            and change["op"] not in rule["ops"]
            or bool(rule.get("narrows")) != said
        ):
            continue
        found = facts.get(rule["fact"], [])
        if rule.get(
            "by"
        ):  # facts keyed by `key`: the name of the VLAN the change names by number, an interface's address
            want = _same(vendor, change.get(rule["by"]))
            found = [
                i.get(fname)
                for i in found
                if isinstance(i, dict) and _same(vendor, i.get(rule.get("key", "id"))) == want
            ]
        if all(isinstance(f, str) for f in found):  # the same value said twice is one (an ACL on two vty ranges)
            found = list(dict.fromkeys(found))
        if len(found) == 1:
            choice = isinstance(intent.kinds()[change["kind"]]["fields"][fname]["type"], list)  # SNMP version '1'
            change = {**change, fname: int(found[0]) if str(found[0]).isdigit() and not choice else found[0]}
        elif rule.get("required"):
            raise IntentError(
                rule.get("missing") or f"{change['kind']} needs {fname}: say it or give the running config"
            )
    return change


def _check_local_as(changes: list[dict], facts: dict, vendor: vendors.Vendor) -> None:
    """A device runs one BGP AS: a change in another AS than the running config's is a misread ("peer 10.0.2.5 as
    65000" names the neighbor's AS), unless the same answer creates that AS."""
    running = {int(a) for a in facts.get("bgp_asn", [])}
    created = {c.get("asn") for c in changes if c["kind"] == "bgp" and c["op"] == "add"}
    for c in changes:
        if (
            c["kind"] in vendor.fill.get("asn", {}).get("kinds", ())
            and running
            and c.get("asn") not in running | created | {None}
        ):
            raise IntentError(
                f"the running config runs BGP AS {', '.join(map(str, sorted(running)))}, not {c['asn']}: "
                f"a neighbor's own AS is its remote-as"
            )


def _peer_as(changes: list[dict], facts: dict) -> list[dict]:
    """ "peer with X in AS 64511" on a device that runs another AS, read as the local AS: 64511 is the neighbor's
    own AS, its remote-as where the change gives none, and no local AS of any change where a neighbor has it."""
    running = {int(a) for a in facts.get("bgp_asn", [])}
    remote = {c.get("remote_as") for c in changes if c.get("kind") == "bgp_neighbor" and c.get("op") == "add"}
    out = []
    for c in changes:
        asn = c.get("asn")
        if running and asn is not None and int(asn) not in running:
            rest = {f: v for f, v in c.items() if f != "asn"}
            if c.get("kind") == "bgp_neighbor" and c.get("op") == "add" and c.get("remote_as") is None:
                c = {**rest, "remote_as": asn}
            elif asn in remote:
                c = rest
        out.append(c)
    return out


def _same(vendor: vendors.Vendor, value) -> str:
    """A fact's key as the change would name it: an interface by its full name, anything else as text."""
    try:
        return vendor.naming.one(str(value))
    except NetcfgError:
        return str(value)


def _undefined_policy(c: dict, changes: list[dict], facts: dict) -> list[str]:
    """A route-map a neighbor is given, a prefix-list an entry matches, or a VRF an interface or route is put in, that
    neither the running config nor the change defines: a neighbor's routes meet a missing route-map as a deny-all
    (Junos refuses the commit); a missing VRF is refused by the device."""
    if c["op"] != "add":
        return []
    used = {
        "bgp_route_map": ("route_map", "route-map", "route_maps", "route_map", "name"),
        "route_map": ("match_prefix_list", "prefix-list", "prefix_lists", "prefix_list", "name"),
        "interface_vrf": ("vrf", "vrf", "vrfs", "vrf", "name"),
        "static_route": ("vrf", "vrf", "vrfs", "vrf", "name"),
    }.get(c["kind"])
    if not used or not c.get(used[0]) or used[2] not in facts:
        return []
    field, label, fact, kind, key = used
    defined = {str(e[key]) for e in facts[fact]} | {d[key] for d in changes if d["kind"] == kind and d["op"] == "add"}
    if c[field] in defined:
        return []
    return [f"{label} {c[field]} is neither in the running config nor created by this change"]


def _unknown_neighbor(c: dict, changes: list[dict], facts: dict, vendor: vendors.Vendor) -> list[str]:
    """An option set on a BGP neighbor that neither the running config nor the change has: the device refuses it
    (IOS, FRR: "Specify remote-as or peer-group commands first") or makes a neighbor without a remote AS."""
    if c["op"] != "add" or c["kind"] == "bgp_neighbor" or "bgp_neighbors" not in facts or not c.get("neighbor"):
        return []
    if c["kind"] not in vendor.fill.get("asn", {}).get("kinds", ()):
        return []
    known = set(facts["bgp_neighbors"]) | {
        d["neighbor"] for d in changes if d["kind"] == "bgp_neighbor" and d["op"] == "add"
    }
    if str(c["neighbor"]) in known:
        return []
    return [f"BGP neighbor {c['neighbor']} is neither in the running config nor created by this change"]


def _remote_as(neighbor: str, facts: dict) -> str | None:
    """The remote AS the running config gives a BGP neighbor (fact bgp_remote_as: its own, else its group's)."""
    groups = {g["group"] for g in facts.get("bgp_groups", []) if g["neighbor"] == neighbor}
    own = [f["asn"] for f in facts.get("bgp_remote_as", []) if f.get("neighbor") == neighbor]
    shared = [f["asn"] for f in facts.get("bgp_remote_as", []) if not f.get("neighbor") and f.get("group") in groups]
    found = set(own or shared)
    return found.pop() if len(found) == 1 else None


def same_remote_as(text: str, changes: list[dict], facts: dict) -> list[dict]:
    """ "replace peer A with B, same AS": where the request says the AS stays (intent.yaml same_remote_as), a new
    BGP neighbor given no remote AS takes the one the running config gives the neighbor the request removes."""
    if not re.search(intent.spec()["same_remote_as"], text, re.I):
        return changes
    gone = {str(c["neighbor"]) for c in changes if c.get("kind") == "bgp_neighbor" and c.get("op") == "remove"}
    ases = {_remote_as(n, facts) for n in gone}
    said = ases.pop() if len(ases) == 1 else None
    if said is None:
        return changes
    asn = int(said)
    known = set(facts.get("bgp_neighbors", []))

    def new(c: dict) -> bool:
        return c.get("kind") == "bgp_neighbor" and c.get("op") == "add" and str(c.get("neighbor")) not in known

    return [dict(c, remote_as=asn) if new(c) and c.get("remote_as") is None else c for c in changes]


def from_running(text: str, changes: list[dict], facts: dict, vendor: vendors.Vendor) -> list[dict]:
    """The values the request's words take from the running config: the remote AS "same AS" keeps
    (same_remote_as), the part a removal names (parts_removed)."""
    return parts_removed(text, same_remote_as(text, changes, facts), facts, vendor)


def parts_removed(text: str, changes: list[dict], facts: dict, vendor: vendors.Vendor) -> list[dict]:
    """ "phone's gone, remove the voice vlan": a removal whose request says which part of the object goes (a `narrows`
    field's words right after a removal word, in a piece of the request that names that object or no other) takes
    that part's value from the running config (the field's `fill` rule), so that only that part goes; where the
    running config cannot say it, netcfg asks for it rather than removing the whole port or peer."""
    out = []
    for c in changes:
        fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
        said = [
            f
            for f, d in fields.items()
            if d.get("narrows")
            and c.get("op") == "remove"
            and c.get(f) is None
            and _said_removed(d, vendor.fill.get(f, {}).get("by"), c, changes, text, vendor)
        ]
        if said:
            c = _fill_from_running(c, facts, vendor, said=True)
        for f in said:
            if c.get(f) is None:
                raise IntentError(
                    f"say which {f.replace('_', ' ')} to remove ({c['kind']}), or give the running config that has it"
                )
        out.append(c)
    return out


def _said_removed(
    fdef: dict, by: str | None, change: dict, changes: list[dict], text: str, vendor: vendors.Vendor
) -> bool:
    """Whether the request says the field's part of `change`'s object (its field `by`) goes: the field's `narrows`
    words (else its `near` ones) within three words after a removal word ("remove the voice vlan", "no longer needs
    a native vlan"), in a piece that names the object, or names none and `change` is the answer's one removal of its
    kind."""
    gone = "|".join(map(re.escape, intent.spec()["negations"] + intent.spec()["takes_away"]))
    words = fdef["narrows"] if isinstance(fdef["narrows"], str) else fdef["near"]
    said = re.compile(rf"(?i)\b(?:{gone})\W+(?:[\w'-]+\W+){{0,3}}?(?:{words})")
    alone = sum(c.get("kind") == change["kind"] and c.get("op") == "remove" for c in changes) == 1
    for piece in re.split(r"(?i)[;.]\s+|,\s+|\s+(?:and|then|but)\s+(?=(?:" + gone + r")\b)", text):
        if not said.search(piece):
            continue
        named = [  # the ports and peers it names ("keep data vlan 10" names no port)
            t.text
            for t in things(piece, vendor.naming)
            if t.kind == "address" or t.kind == "interface" and not is_vlan(t)
        ]
        if any(by and _same(vendor, n) == _same(vendor, change.get(by)) for n in named) or (alone and not named):
            return True
    return False


def _new_neighbor_without_as(c: dict, facts: dict) -> list[str]:
    """A BGP neighbor the running config lacks, added without a remote AS: the device refuses it (IOS, EOS, FRR:
    "Specify remote-as or peer-group commands first"; Junos: an external peer without peer-as)."""
    if c["kind"] != "bgp_neighbor" or c["op"] != "add" or c.get("remote_as") or "bgp_neighbors" not in facts:
        return []
    if str(c["neighbor"]) in set(facts["bgp_neighbors"]):
        return []
    n = c["neighbor"]
    return [
        f"BGP neighbor {n} is not in the running config and the change gives it no remote AS: say it "
        f"('neighbor {n} remote-as 65001'), or 'same AS' where it replaces a neighbor"
    ]


def semantic_checks(changes: list[dict], facts: dict, vendor: vendors.Vendor) -> tuple[list[str], list[str]]:
    """Checks against the running config: interfaces exist, VLANs exist or are created, IPs are free."""
    warnings: list[str] = []
    errors: list[str] = []
    existing = set(facts.get("interfaces", []))
    existing |= {i.split(".")[0] for i in existing}
    vlans = set(facts.get("vlans", []))
    created = {c["vlan"] for c in changes if c["kind"] == "vlan" and c["op"] == "add"}
    virtual = vendor.rendering.virtual_interfaces
    for c in changes:
        ifaces = c.get("interfaces") or ([c["interface"]] if c.get("interface") else [])
        for i in ifaces:
            if existing and i not in existing and i.split(".")[0] not in existing and not i.startswith(virtual):
                errors.append(f"interface {i} does not exist in the running config")
        if c["op"] == "add":
            for v in [c.get("vlan"), c.get("voice_vlan"), c.get("native_vlan")] if c["kind"] != "vlan" else []:
                if v and v not in vlans and v not in created:
                    warnings.append(f"vlan {v} is neither in the running config nor created by this change")
        warnings += _undefined_policy(c, changes, facts) + _unknown_neighbor(c, changes, facts, vendor)
        warnings += _leaves_ospf(c, changes, facts)
        errors += _new_neighbor_without_as(c, facts)
        family = {"ip_address": "addresses", "ipv6_address": "addresses6"}.get(c["kind"])
        if family and c["op"] == "add":
            new = ipaddress.ip_interface(c["address"]["cidr"])
            for a in facts.get(family, []):
                if a["interface"] == c["interface"] or a["interface"] == c["interface"].split(".")[0]:
                    continue
                try:
                    old = ipaddress.ip_interface(a["address"].replace(" ", "/"))
                except ValueError:
                    continue
                if old.ip == new.ip:
                    errors.append(f"{new.ip} is already configured on {a['interface']}")
                elif old.network.overlaps(new.network):
                    warnings.append(f"{new.network} overlaps {old.network} on {a['interface']}")
    return warnings, errors


def _leaves_ospf(change: dict, changes: list[dict], facts: dict) -> list[str]:
    """A port moved into a VRF that OSPF runs on in the running config (`ospf_interfaces`), unless the same request
    takes it out of OSPF: the process stays in the global table, so the port's adjacencies drop."""
    if change["kind"] != "interface_vrf" or change["op"] != "add":
        return []
    running = {f["interface"] for f in facts.get("ospf_interfaces", [])}
    taken_out = {c.get("interface") for c in changes if c["kind"] == "ospf_interface" and c["op"] == "remove"}
    return [
        f"{port} runs OSPF in the global table: in vrf {change['vrf']} it leaves that OSPF process (its neighbors "
        "drop); take it out of OSPF in the same request, or run OSPF in the VRF"
        for port in change.get("interfaces") or []
        if port in running and port not in taken_out
    ]


def syntax_check(config: str, vendor: vendors.Vendor) -> list[str]:
    """Run the vendor's own parser on the candidate when it is installed (FRR: `vtysh --dryrun`), given the
    lines as they are pushed: each block closed with its exit command, so that a line after a sub-block
    (`no neighbor X` after an address family) is read in its own block, not the sub-block's."""
    cmd = vendor.rendering.syntax_check
    if not cmd or not shutil.which(cmd[0]):
        return []
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write("\n".join(vendor.driver.push_lines(config)) + "\n")
    try:
        out = subprocess.run([a.replace("{file}", f.name) for a in cmd], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return [f"{cmd[0]} could not check the candidate: {e}"]
    finally:
        os.unlink(f.name)
    bad = [ln.strip() for ln in (out.stdout + out.stderr).splitlines() if "%" in ln]
    if out.returncode != 0 and not bad:
        bad = [f"{cmd[0]} rejected the candidate (exit {out.returncode})"]
    return [f"{cmd[0]}: {b}" for b in bad]


def build(
    changes: list[dict], vendor: vendors.Vendor, running: str | None = None
) -> tuple[list[dict], str, list[str], list[str]]:
    """Typed changes -> (normalised changes, candidate config, warnings, errors). No model involved."""
    facts = vendor.running_facts(running) if running else {}
    changes = _peer_as(changes, facts)
    for c in changes:
        vendor.check_supported(c.get("kind", ""))
        intent.validate(c, vendor.rules)
    norm = [intent.normalize(_fill_from_running(c, facts, vendor), vendor.naming, vendor.defaults) for c in changes]
    _check_switchports(norm, vendor)
    _check_layer3_ports(norm, facts)
    _check_pool_gateways(norm, facts)
    _check_local_as(norm, facts, vendor)
    config = vendor.render(norm, facts)
    vendor.driver.check_structure(config)
    warnings, errors = semantic_checks(norm, facts, vendor) if running else ([], [])
    errors += _vrf_still_used(norm, config, vendor, running) if running else []
    return norm, config, warnings + _secret_notes(norm, bool(running)), errors + syntax_check(config, vendor)


def _vrf_still_used(changes: list[dict], config: str, vendor: vendors.Vendor, running: str) -> list[str]:
    """A VRF removed while the config after the change still puts an interface, a route or a server in it (the
    vendor's `vrf_users` fact): the device would drop those (or refuse), and the rollback could not bring them back."""
    gone = [c["name"] for c in changes if c["kind"] == "vrf" and c["op"] == "remove"]
    if not gone:
        return []
    after = vendor.running_facts(vendor.driver.intended(running, config)[0]).get("vrf_users", [])
    errors = []
    for name in gone:
        users = [u["user"] for u in after if u["vrf"] == name]
        if users:
            errors.append(
                f"vrf {name} is still used after this change ({users[0]}"
                + (f", and {len(users) - 1} more" if len(users) > 1 else "")
                + "): take those out of it in the same request, or keep the VRF"
            )
    return errors


def _secret_notes(changes: list[dict], planned: bool) -> list[str]:
    """What an engineer must know of the ${VAR} secrets a change sets: one not exported yet cannot be pushed, and
    one is set again on every apply (netcfg never reads secrets back from a device, so it cannot compare them)."""
    notes = []
    for c in changes:
        for fname, fdef in intent.kinds()[c["kind"]]["fields"].items():
            ref = c.get(fname) if fdef["type"] == "secret" else None
            if not ref:
                continue
            name = ref[2:-1]
            if not os.environ.get(name):
                notes.append(f"{ref} is not set in this environment: export {name} before netcfg applies the change")
            if planned:
                notes.append(f"netcfg never compares {ref} with the secret the device holds: it sets it on every apply")
    return list(dict.fromkeys(notes))


def checker(text: str, vendor: vendors.Vendor, running: str | None):
    """What parse() checks each answer for `text` with: it builds (build()), and the device keeps no value
    the request says goes (kept_old_values). Returns build()'s tuple."""

    facts = vendor.running_facts(running) if running else {}

    def check(changes: list[dict]) -> tuple[list[dict], str, list[str], list[str]]:
        changes = from_running(text, changes, facts, vendor)
        built = build(changes, vendor, running)
        kept = kept_old_values(text, changes, built[1], vendor, running)
        if kept:
            raise IntentError(f"{kept[0]}; say plainly what to remove (e.g. 'remove ... from ...')")
        lost = dropped_values(text, changes, built[1], vendor, running)
        if lost:
            raise IntentError(f"{lost[0]}; to keep them add to the list, or say the whole new list ('allow only ...')")
        return built

    return check


_REMOVES = re.compile(r"^(?:no|delete)\s|\sremove\s")  # a line that takes something away
_NUMBERS = re.compile(r"\d+(?:[-,]\d+)*")  # "1405", "1400-1410", "10,20,30-32"
_MASK = re.compile(r"(?:255|0)(?:\.\d{1,3}){3}")


def kept_old_values(
    text: str, changes: list[dict], config: str, vendor: vendors.Vendor, running: str | None
) -> list[str]:
    """The values the request says go (coverage.old_values: "from X to Y", "instead of X", "currently X",
    "prune X") that the device would still have after the change, in a setting the change writes: "the
    default route from 10.0.0.1 to 10.0.0.2" answered without removing the old route, "prune 1405"
    answered as an allowed list of 1405. Without a running config, the candidate's own lines."""
    old = old_values(text, changes, vendor.naming)
    if not old:
        return []
    after = vendor.driver.intended(running, config)[0] if running else config
    new = replacements(text, old, vendor.naming)

    def setting(path: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
        words = configtree.SEQUENCE.sub("", path[-1]).split()
        if words and words[0] in ("no", "delete"):
            words = ["set"] * (words[0] == "delete") + words[1:]
        # "swap 40 for 45 in the allowed list" answered with "allowed vlan add 45": the line writes the allowed list
        # ("... allowed vlan 10,20,40,45"), where the old value is kept (not where 45 is only another setting's)
        add = next((j for j, w in enumerate(words[:-1]) if w == "add" and _NUMBERS.fullmatch(words[j + 1])), None)
        if add is not None and any(_is(y, words, add + 1) for y in new):
            words = words[:add] + words[add + 1 :]
        return path[:-1], words

    lines = configtree.flatten(config)
    written = [setting(p) for p in lines]
    # (a name taken off a place leaves that place: a definition of it at the top stays; a value said again for
    # something else is on the line the change writes for it)
    placed = [t for t in old if left_place(text, t)]
    again = [t for t in old if said_again(text, t, vendor.naming)]
    problems = []
    for path in configtree.flatten(after):
        if _REMOVES.search(path[-1]):
            continue
        parents, words = setting(path)
        said = [t for t in old if not (not parents and t in placed or path in lines and t in again)]
        for i, word in enumerate(words):
            if i < (1 if parents else 2) or not any(_is(t, words, i) for t in said):
                continue
            if any(p == parents and w[:i] == words[:i] and len(w) > i and _alike(w[i], word) for p, w in written):
                t = next(t for t in said if _is(t, words, i))
                problems.append(f"the request says {t.text} goes, but the result still has '{path[-1].strip()}'")
                break
    return list(dict.fromkeys(problems))


def _numbers_in(word: str) -> set[int]:
    """The numbers of a list or range as the config writes it ("10,20,30-32")."""
    return {n for a, _, b in (part.partition("-") for part in word.split(",")) for n in range(int(a), int(b or a) + 1)}


def dropped_values(
    text: str, changes: list[dict], config: str, vendor: vendors.Vendor, running: str | None
) -> list[str]:
    """The numbers a list on the device ("allowed vlan 2601,2700-2710") would lose where the change writes
    that list again ("allowed vlan 2998"), though no removal takes them off, the request does not say they go
    (coverage.old_values: "remove 90", "currently 2620") and asks for no whole new list (intent.yaml
    `new_list`): "make sure 2998 is allowed on that trunk" answered with an allowed list of 2998 alone."""
    if not running or re.search(intent.spec()["coverage"]["new_list"], text, re.I):
        return []
    after = vendor.driver.intended(running, config)[0]
    going = [t.text for t in old_values(text, changes, vendor.naming) if t.kind == "number"]
    going += [str(v) for c in changes if c.get("op") == "remove" for v in c.values()]  # what a removal takes off
    said = set().union(*(_numbers_in(n) for n in going if _NUMBERS.fullmatch(n)))

    def lists(cfg: str) -> dict[tuple, list[set[int]]]:
        """Each number-list setting, keyed by its parents and words: the numbers of each line that sets it."""
        found: dict[tuple, list[set[int]]] = {}
        for path in configtree.flatten(cfg):
            words = path[-1].split()
            if len(words) > 1 and _NUMBERS.fullmatch(words[-1]) and not _REMOVES.search(path[-1]):
                found.setdefault((*path[:-1], " ".join(words[:-1])), []).append(_numbers_in(words[-1]))
        return found

    now, then = lists(running), lists(after)
    problems = []
    for setting, had in now.items():
        if len(had) != 1 or len(then.get(setting, [])) != 1 or len(had[0]) < 2:
            continue  # (a single value, or a setting written on several lines, is not such a list)
        lost = sorted(had[0] - then[setting][0] - said)
        if lost:
            shown = ",".join(map(str, lost[:6])) + ("..." if len(lost) > 6 else "")
            where = f" on {setting[-2]}" if len(setting) > 1 else ""
            problems.append(f"the result drops {shown} from '{setting[-1]}'{where}, which the request never says go")
    return problems


def _is(thing, words: list[str], i: int) -> bool:
    """Whether config word i is the request's value: an address by its IP (and length, where both say
    one), a number in a list or range ("1400-1410"), a name by its text."""
    word = words[i].strip('"')
    if thing.kind == "address":
        said, here = _address(thing.text.split()), _address(words[i : i + 3])
        return (
            said is not None
            and here is not None
            and (said[0] == here[0] and None in (said[1], here[1]) or said == here)
        )
    if thing.kind == "number":
        return _NUMBERS.fullmatch(word) is not None and int(thing.text) in _numbers_in(word)
    return word.lower() == thing.text.lower()


def _address(words: list[str]) -> tuple[str, int | None] | None:
    """An address written as config words ("10.0.0.0/22", "10.0.0.0 mask 255.255.252.0", with a wildcard)
    as (IP, prefix length or None); None for a word that is no address."""
    words = [w for w in words if w not in ("mask", "netmask", "wildcard")]
    v6 = values.ipv6_found(words[0]) if words else []
    if v6:  # 2001:DB8::1/64, as IOS shows it, is 2001:db8::1/64
        return v6[0]
    try:
        return values.split_address(" ".join(words[:2]) if len(words) > 1 and _MASK.fullmatch(words[1]) else words[0])
    except NetcfgError:
        return None


def _alike(a: str, b: str) -> bool:
    """Two config words of one type: addresses, number lists, or other words."""

    def kind(w: str) -> str:
        ip = re.match(r"\d+\.\d+\.\d+\.\d+", w) or values.ipv6_found(w)
        return "ip" if ip else "num" if _NUMBERS.fullmatch(w) else "word"

    return kind(a) == kind(b)


def _check_switchports(changes: list[dict], vendor: vendors.Vendor) -> None:
    """A switchport setting (an access VLAN, a trunk, portfast) on an SVI or a loopback is refused."""
    kinds = intent.spec().get("switchport_kinds", [])
    routed = vendor.rendering.not_switchports
    for c in changes:
        for port in c.get("interfaces") or [] if c["kind"] in kinds and routed else []:  # normalised: a list
            if port.startswith(routed):
                raise IntentError(
                    f"{port} is not a switchport: {c['kind'].replace('_', ' ')} applies to "
                    f"physical ports and port-channels"
                )


def _check_layer3_ports(changes: list[dict], facts: dict) -> None:
    """An address, a VRF or another layer-3 setting (`layer3_kinds`) added on a port the running config makes a
    switchport is refused, unless the request also makes it a routed port: the device would refuse the line."""
    switchports = set(facts.get("switchports", []))
    layer3 = intent.spec().get("layer3_kinds", [])
    routed = {p for c in changes if c["kind"] == "routed_port" and c["op"] == "add" for p in c.get("interfaces") or []}
    for c in changes:
        if c["kind"] not in layer3 or c["op"] != "add":
            continue
        for port in c.get("interfaces") or [c.get("interface")]:
            if port in switchports and port not in routed:
                raise IntentError(
                    f"{port} is a switchport in the running config: {c['kind'].replace('_', ' ')} needs a routed "
                    f'port (ask for "make {port} a routed port" too) or an SVI'
                )


def _check_pool_gateways(changes: list[dict], facts: dict) -> None:
    """A new default router for a DHCP pool the running config has must be a host of that pool's network."""
    networks = {p["name"]: p["network"] for p in facts.get("dhcp_pools", [])}
    for c in changes:
        if c["kind"] == "dhcp_pool" and c["op"] == "add" and c.get("gateway") and not c.get("network"):
            if c["name"] in networks:
                intent.check_pool_gateway(values.prefix(networks[c["name"]]), c["gateway"])


def request_text(text: str, vendor: vendors.Vendor, facts: dict) -> str:
    """The request as the parser reads it: VLANs named by number (resolve_vlan_names) and bare port numbers with
    their type ("Ethernet1/9 and 1/10": coverage.spelled_ports), with its corrections made ("vlan 30 - sorry, 31":
    coverage.corrected) and its port ranges said in words written as ranges ("ge-0/0/12 to ge-0/0/14":
    coverage.compact_ranges)."""
    naming = vendor.naming
    return compact_ranges(spelled_ports(corrected(resolve_vlan_names(text, facts), naming), naming), naming)


def resolve_vlan_names(text: str, facts: dict) -> str:
    """A VLAN named by its name in the running config ("put ge-0/0/5 in vlan GUESTS") becomes its
    number ("vlan 40"), which is what the typed intent holds. Never inside quotes (a description "Lab Bench 4"
    beside VLAN LAB) or as a VRF's or DHCP pool's name ("routing instance CCTV", "the GUEST dhcp pool" beside VLAN
    GUEST), and a name without "vlan" before it only as the running config spells it."""
    for item in sorted(facts.get("vlan_names", []), key=lambda i: -len(i["name"])):
        name = re.escape(item["name"])
        quotes = [q.span() for q in QUOTED.finditer(text)]
        text = re.sub(
            rf"(?i)\b(vlans?\s+)?(?<![\w-])(?<!vrf )(?<!instance )(?<!context )(?<!pool )(?<!scope ){name}(?![\w-])"
            r"(?!\s+(?:vrf|routing.?instance|(?:dhcp\s+)?(?:pool|scope))\b)",
            functools.partial(_vlan_number, item, quotes),
            text,
        )
    return text


def _vlan_number(item: dict, quotes: list[tuple[int, int]], m: re.Match) -> str:
    quoted = any(a < m.start() < b for a, b in quotes)
    if quoted or not m.group(1) and m.group(0) != item["name"]:
        return m.group(0)
    return f"{m.group(1) or 'vlan '}{item['id']}"


def describe(changes: list[dict], normalized: list[dict] | None = None) -> list[str]:
    """What netcfg understood: one plain-English line per change, in the request's own values."""
    norms: list[dict | None] = list(normalized) if normalized else [None] * len(changes)
    return [intent.describe(c, n) for c, n in zip(changes, norms)]


def summarize(changes: list[dict], vendor: vendors.Vendor, running: str | None = None) -> list[str]:
    """`describe` for changes built elsewhere (a plan, a batch's answer): normalised as build() does."""
    facts = vendor.running_facts(running) if running else {}
    try:
        norm = [intent.normalize(_fill_from_running(c, facts, vendor), vendor.naming, vendor.defaults) for c in changes]
    except (IntentError, ConfigError, KeyError):
        norm = None
    return describe(changes, norm)


def generate(
    text: str | list[str],
    vendor_name: str,
    backend: Backend,
    running: str | None = None,
    ask=None,
    fallback: Backend | None = None,
) -> Result:
    """The main job: intent sentence(s) -> checked candidate configuration for one vendor.

    Several intents are parsed one by one and rendered together as one change. `ask(question) -> reply`
    (only for a person at a terminal) lets the parser ask about a part it could not place; a
    `fallback` model answers what `backend` could not.
    """
    vendor = vendors.get(vendor_name)
    running = check_running(running)
    texts = [text] if isinstance(text, str) else list(text)
    start = time.perf_counter()
    facts = vendor.running_facts(running) if running else {}
    parsed = []
    for t in texts:
        t = request_text(t, vendor, facts)
        parsed.append(
            parse(t, backend, check=checker(t, vendor, running), naming=vendor.naming, ask=ask, fallback=fallback)
        )
    changes = [c for t, p in zip(texts, parsed) for c in from_running(t, p.changes, facts, vendor)]
    norm, config, warnings, errors = build(changes, vendor, running)
    result = Result(
        intent=text if isinstance(text, str) else "\n".join(texts),
        vendor=vendor.name,
        changes=changes,
        summary=describe(changes, norm),
        config=config,
        warnings=warnings,
        errors=errors,
        attempts=sum(p.attempts for p in parsed),
    )
    result.latency_ms = round((time.perf_counter() - start) * 1000, 1)
    return result
