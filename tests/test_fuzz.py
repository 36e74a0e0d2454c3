"""Fuzzing the CLI's inputs with Hypothesis: intents, inventories, batch files, running configs, backups.

Each generated input runs a real command in-process (typer's CliRunner). The model is a fake that
answers from a list drawn by Hypothesis too (well-formed, wrong or garbage answers), and no device is
ever contacted: connecting raises, or returns a fake session that only serves a running config.
Whatever the input: no traceback, and exit 0 or a non-zero exit with exactly one `error:` line on
stderr (warnings, one line each, may precede it). 1,220 inputs in all ($NETCFG_FUZZ_SCALE multiplies them).
"""

import json
import os
import traceback
from pathlib import Path

import pytest
import yaml
from fakes import use_fake_model
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netcfg import cli, device, intent
from netcfg.errors import DeviceError

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
VENDORS = ["cisco_ios", "arista_eos", "cisco_nxos", "frr", "juniper_junos"]
RUNNING = {
    "cisco_ios": "cisco_ios_access.cfg",
    "arista_eos": "arista_eos_leaf.cfg",
    "cisco_nxos": "cisco_nxos_switch.cfg",
    "frr": "frr_router.conf",
    "juniper_junos": "juniper_junos_ex.set",
}


def fuzz(n: int):
    """n generated inputs; no shrinking: a failure shows its traceback and the input as found. The same
    inputs every run (a suite that passes keeps passing); $NETCFG_FUZZ_SCALE=N hunts N times as many,
    new ones each run."""
    scale = int(os.environ.get("NETCFG_FUZZ_SCALE", "1"))
    return settings(
        max_examples=n * scale,
        derandomize=scale == 1,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


def check(result) -> None:
    """No traceback; success, or one error line (after any warnings) and a non-zero exit."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("".join(traceback.format_exception(*result.exc_info)))
    if result.exit_code == 0:
        return
    lines = result.stderr.splitlines()
    errors = [ln for ln in lines if not ln.startswith("warning: ")]
    assert len(errors) == 1 and errors[0].startswith("error: "), (result.exit_code, result.stderr, result.stdout)


class FakeModel:
    """Answers every prompt with the same text (drawn by the test): JSON changes or garbage."""

    name = "fuzz-fake"
    path = Path("fake.gguf")

    def __init__(self):
        self.answer = '{"changes": []}'

    def complete(self, messages, schema, prefix="", follow=None, draft=False, **_):
        return self.answer


class FakeSession:
    def __init__(self, running: str):
        self.running = running

    def running_config(self) -> str:
        return self.running

    def close(self) -> None:
        pass


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A fake model, a private cache, and no device: connecting fails unless a test says otherwise."""
    backend = use_fake_model(monkeypatch, tmp_path, FakeModel(), "fuzz-model")
    monkeypatch.setenv("NETCFG_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.delenv("NETCFG_INVENTORY", raising=False)

    def no_device(*a, **k):
        raise DeviceError("fuzz: no device here")

    monkeypatch.setattr(device, "connect", no_device)
    return backend


# --- strategies --------------------------------------------------------------------------------

WORDS = [
    "create",
    "vlan",
    "30",
    "named",
    "GUESTS",
    "put",
    "gi0/5-8",
    "Gi0/1",
    "in",
    "it",
    "as",
    "access",
    "ports",
    "description",
    "of",
    "to",
    "uplink",
    "trunk",
    "allow",
    "ntp",
    "server",
    "10.0.0.1",
    "10.30.0.1/24",
    "/24",
    "remove",
    "no",
    "shutdown",
    "default",
    "route",
    "via",
    "bgp",
    "65001",
    "neighbor",
    "acl",
    "MGMT",
    "permit",
    "999999999999",
    "4095",
    "0",
    "-1",
    "٣٠",
    "30.0",
    "é",
    "🙂",
    "[/x]",
    "[bold]",
    "sw3[/b]",
    "?",
    "{{",
    "}}",
    "{#",
    "#}",
    "{%",
    "%}",
    "{{ host.name }}",
    "{{ host.data.ip }}",
    ";",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x1b[31m",
    "<|im_end|>",
    "<|im_start|>",
    "'",
    '"',
    "\\",
    "..",
    "../x",
    "%",
    "|",
    "&",
    "and",
]
phrases = st.lists(st.sampled_from(WORDS), min_size=0, max_size=14).map(" ".join)
texts = st.one_of(phrases, st.text(max_size=80), phrases.map(str.upper))

CHANGES = [
    {"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"},
    {"kind": "vlan", "op": "remove", "vlan": 30},
    {"kind": "description", "op": "add", "interfaces": "gi0/1", "text": "uplink"},
    {"kind": "description", "op": "add", "interfaces": "gi0/1", "text": "[/x] done?"},
    {"kind": "access_port", "op": "add", "interfaces": "gi0/5-8", "vlan": 30},
    {"kind": "static_route", "op": "add", "prefix": "0.0.0.0/0", "next_hop": "10.0.0.1"},
    {"kind": "ntp_server", "op": "add", "server": "10.0.0.1"},
    {"kind": "unsupported", "request": "reboot"},
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(WORDS),
)
values = st.recursive(
    scalars,
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=6), kids, max_size=3)),
    max_leaves=12,
)


def _grammar_change(kind_schema: dict) -> st.SearchStrategy:
    """Any change the decoding grammar lets the model write for one kind (any text, any 16-digit integer)."""

    def value(p: dict) -> st.SearchStrategy:
        if "const" in p:
            return st.just(p["const"])
        if "enum" in p:
            return st.sampled_from(p["enum"])
        if p.get("type") == "integer":
            return st.one_of(st.sampled_from([0, 1, 30, 4094, 4095, 65535]), st.integers(-(10**15), 10**16))
        if "pattern" in p:
            return st.from_regex(p["pattern"], fullmatch=True).filter(lambda v: len(v) < 60)
        return st.one_of(texts, st.text(max_size=20))

    props, required = kind_schema["properties"], set(kind_schema["required"])
    return st.fixed_dictionaries(
        {k: value(v) for k, v in props.items() if k in required},
        optional={k: value(v) for k, v in props.items() if k not in required},
    )


KINDS = intent.grammar_schema()["properties"]["changes"]["items"]["anyOf"]
# The fake model's answer: changes that fit the request, anything the grammar allows, or garbage
# (an answer that is not even JSON, as a broken server might send).
answers = st.one_of(
    st.lists(st.sampled_from(CHANGES), min_size=1, max_size=3),
    st.lists(st.one_of([_grammar_change(k) for k in KINDS]), min_size=1, max_size=3),
).map(lambda c: json.dumps({"changes": c})) | st.sampled_from(['{"changes": 5}', "{", "", "null", '{"changes": []}'])


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """Three times in four the usual shape (so inputs get deep), else anything."""
    return st.one_of(usual, usual, usual, odd)


def maybe_corrupt(draw_text: st.SearchStrategy) -> st.SearchStrategy:
    """A document as bytes, one time in four with a few random bytes spliced in (bad UTF-8, control bytes)."""

    @st.composite
    def corrupt(draw):
        data = draw(draw_text).encode()
        if draw(st.sampled_from([False, False, False, True])):
            at = draw(st.integers(0, len(data)))
            junk = draw(
                st.one_of(
                    st.sampled_from(
                        [
                            b"\xff",
                            b"\xc3(",
                            b"\xed\xa0\x80",
                            b"\r",
                            b"\x1b[2J",
                            b"\x00",
                            b"\xe2\x80\xa8",
                            b"\xef\xbb\xbf",
                            b"\t",
                            b"&a *a",
                        ]
                    ),
                    st.binary(min_size=1, max_size=6),
                )
            )
            data = data[:at] + junk + data[at + draw(st.integers(0, 4)) :]
        return data

    return corrupt()


def dump(value) -> str:
    return yaml.safe_dump(value, default_flow_style=None)


names = mostly(
    st.sampled_from(["sw1", "sw2", "sw3[/b]", "core"]), st.one_of(st.sampled_from(["../x", "a/b"]), st.text(max_size=8))
)
settings_ = st.fixed_dictionaries(
    {},
    optional={
        "hostname": mostly(st.sampled_from(["127.0.0.1", "sw1.example.net", ""]), values),
        "port": mostly(st.integers(-5, 70000), st.one_of(st.sampled_from(["22", "${PORT}", "x", [22]]), values)),
        "platform": mostly(st.sampled_from(VENDORS + ["nokia", ""]), values),
        "groups": mostly(st.lists(st.sampled_from(["access", "core", "missing"]), max_size=3), values),
        "username": values,
        "password": mostly(st.sampled_from(["${PW}", "${MISSING_PW}", "s3cret"]), values),
        "data": mostly(
            st.fixed_dictionaries(
                {},
                optional={
                    "running_file": st.sampled_from(["r.cfg", "none.cfg", 5]),
                    "ip": st.sampled_from(["10.30.0.1/24", "1 and remove vlan 1"]),
                    "site": values,
                },
            ),
            values,
        ),
        "platfrom": values,
    },
)
inventories = st.fixed_dictionaries(
    {
        "hosts": mostly(st.dictionaries(names, mostly(settings_, values), max_size=3), values),
        "groups": st.one_of(
            st.dictionaries(st.sampled_from(["access", "core", "x"]), mostly(settings_, values), max_size=3), st.none()
        ),
        "defaults": st.one_of(settings_, st.none()),
    }
)


def jobs(intent_text: str) -> st.SearchStrategy:
    """Batch files around one request: mostly well-formed jobs, sometimes any YAML at all."""
    odd_intents = st.one_of(
        texts,
        values,
        st.sampled_from(
            [
                "give Vlan30 the address {{ host.data.ip }}",
                "{{ host.data.missing }}",
                "vlan 30 {# x #}",
                "{{ host.__class__ }}",
                "{% if 1 %}vlan 30{% endif %}",
                "{{ host.name }} vlan 30",
            ]
        ),
    )
    targets = {
        "devices": mostly(st.lists(names, min_size=1, max_size=3), st.one_of(names, values)),
        "group": mostly(st.sampled_from(["access", "core", "missing"]), values),
        "where": mostly(
            st.sampled_from([{"site": "hq"}, {"platform": "cisco_ios"}, {"port": 22}]),
            st.dictionaries(st.sampled_from(["platform", "site", "port", "password"]), scalars, max_size=2) | values,
        ),
    }
    usual = st.builds(
        lambda text, target: {"intent": text, **target},
        mostly(st.just(intent_text), odd_intents),
        st.one_of([st.fixed_dictionaries({k: v}) for k, v in targets.items()]),
    )
    odd = st.fixed_dictionaries(
        {},
        optional={
            **targets,
            "intent": odd_intents,
            "bogus": values,
            "intents": mostly(st.lists(st.just(intent_text) | texts, max_size=3), values),
        },
    )
    return mostly(st.lists(mostly(usual, odd), min_size=1, max_size=3).map(lambda j: {"jobs": j}), values)


@st.composite
def configs(draw, vendor: str):
    """A running config or backup: the vendor's example with a few lines dropped, repeated, re-indented,
    replaced or added; now and then something else entirely."""
    lines = (ROOT / "examples" / "running" / RUNNING[vendor]).read_text().splitlines()
    if draw(st.sampled_from([False] * 9 + [True])):
        lines = draw(st.lists(st.one_of(phrases, st.text(max_size=30)), max_size=8))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(lines)))
        op = draw(st.sampled_from(["drop", "dup", "indent", "add", "replace", "cut"]))
        line = lines[at] if at < len(lines) else ""
        if op == "drop":
            lines = lines[:at] + lines[at + 1 :]
        elif op == "dup":
            lines = lines[:at] + [line] + lines[at:]
        elif op == "indent":
            lines = lines[:at] + [" " * draw(st.integers(0, 6)) + line.strip()] + lines[at + 1 :]
        elif op in ("add", "replace"):
            lines = (
                lines[:at] + [draw(st.sampled_from(["", " ", "  "])) + draw(phrases)] + lines[at + (op == "replace") :]
            )
        else:  # a truncated file
            lines = lines[:at]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


# --- the fuzz tests ------------------------------------------------------------------------------


@fuzz(350)
@given(text=texts, answer=answers, vendor=st.sampled_from(VENDORS + ["nokia"]), fmt=st.sampled_from(["text", "json"]))
def test_fuzz_intents(env, text, answer, vendor, fmt):
    env.answer = answer
    check(runner.invoke(cli.app, ["generate", "--vendor", vendor, "--format", fmt, "--", text]))


@fuzz(250)
@given(inv=inventories, raw=st.data(), answer=answers)
def test_fuzz_inventories(env, tmp_path, monkeypatch, inv, raw, answer):
    env.answer = answer
    monkeypatch.setenv("PW", "pw")
    monkeypatch.setenv("PORT", "2222")
    folder = tmp_path / "inv"
    folder.mkdir(exist_ok=True)
    for name, content in inv.items():
        path = folder / f"{name}.yaml"
        path.unlink(missing_ok=True)
        if content is not None:
            path.write_bytes(raw.draw(maybe_corrupt(st.just(dump(content)))))
    (folder / "r.cfg").write_text((ROOT / "examples" / "running" / "cisco_ios_access.cfg").read_text())
    (tmp_path / "jobs.yaml").write_text(
        "- {intent: create vlan 30, where: {}, group: access}\n"
        "- {intent: 'give Vlan30 the address {{ host.data.ip }}', devices: [sw1]}\n"
    )
    command = raw.draw(st.sampled_from(["batch", "plan", "apply", "backup"]))
    args = {
        "batch": ["batch", str(tmp_path / "jobs.yaml")],
        "plan": ["plan", "create vlan 30", "--device", "sw1"],
        "apply": ["apply", "create vlan 30", "--device", "sw1", "--yes"],
        "backup": ["backup", "--device", "sw1"],
    }[command]
    check(runner.invoke(cli.app, args + ["--inventory", str(folder)]))


# Requests with the answer a good model gives, so most fuzzed configs get planned, not refused early.
PAIRS = [
    ("create vlan 30 named GUESTS", CHANGES[0]),
    ("remove vlan 30", CHANGES[1]),
    ("set the description of gi0/1 to uplink", CHANGES[2]),
    ("put gi0/5-8 in vlan 30", CHANGES[4]),
    ("default route via 10.0.0.1", CHANGES[5]),
    ("ntp server 10.0.0.1", CHANGES[6]),
]


@fuzz(150)
@given(
    raw=st.data(),
    pair=st.sampled_from(PAIRS),
    good=st.sampled_from([True, True, True, False]),
    answer=answers,
    fmt=st.sampled_from(["text", "json", "markdown", "patch"]),
)
def test_fuzz_running_configs(env, tmp_path, raw, pair, good, answer, fmt):
    intent_text, change = pair
    env.answer = json.dumps({"changes": [change]}) if good else answer
    vendor = raw.draw(st.sampled_from(VENDORS))
    path = tmp_path / "running.cfg"
    path.write_bytes(raw.draw(maybe_corrupt(configs(vendor))))
    check(runner.invoke(cli.app, ["plan", intent_text, "--running", str(path), "--vendor", vendor, "--format", fmt]))


@fuzz(250)
@given(raw=st.data(), pair=st.sampled_from(PAIRS), good=st.sampled_from([True, True, True, False]), answer=answers)
def test_fuzz_batch_files(env, tmp_path, raw, pair, good, answer):
    intent_text, change = pair
    env.answer = json.dumps({"changes": [change]}) if good else answer
    (tmp_path / "r.cfg").write_text((ROOT / "examples" / "running" / "cisco_ios_access.cfg").read_text())
    (tmp_path / "hosts.yaml").write_text(
        "sw1: {platform: cisco_ios, groups: [access], data: {running_file: r.cfg, ip: 10.30.0.1/24, site: hq}}\n"
        "'sw3[/b]': {platform: cisco_ios, groups: [access], data: {running_file: r.cfg, ip: '1 and remove vlan 1'}}\n"
        "core: {platform: frr, hostname: 127.0.0.1}\n"
    )
    (tmp_path / "groups.yaml").write_text("access: {data: {site: branch}}\n")
    path = tmp_path / "jobs.yaml"
    path.write_bytes(raw.draw(maybe_corrupt(jobs(intent_text).map(dump))))
    report = raw.draw(
        st.sampled_from([[], [], ["--report", str(tmp_path / "r.json")], ["--report", str(tmp_path / "r.md")]])
    )
    check(runner.invoke(cli.app, ["batch", str(path), "--inventory", str(tmp_path), "--no-cache"] + report))


@fuzz(120)
@given(raw=st.data())
def test_fuzz_backups(env, tmp_path, monkeypatch, raw):
    vendor = raw.draw(st.sampled_from(VENDORS))
    running = (ROOT / "examples" / "running" / RUNNING[vendor]).read_text()
    monkeypatch.setattr(device, "connect", lambda *a, **k: FakeSession(running))
    (tmp_path / "hosts.yaml").write_text(f"sw1: {{platform: {vendor}, hostname: 127.0.0.1}}\n")
    path = tmp_path / "backup.cfg"
    path.write_bytes(raw.draw(maybe_corrupt(configs(vendor))))
    force = raw.draw(st.sampled_from([[], ["--force"]]))
    # no --yes and no terminal: a backup that would change the device is refused with one line, never pushed
    check(runner.invoke(cli.app, ["restore", str(path), "--device", "sw1", "--inventory", str(tmp_path)] + force))


@fuzz(100)
@given(raw=st.data(), pair=st.sampled_from(PAIRS))
def test_fuzz_intent_files(env, tmp_path, raw, pair):
    intent_text, change = pair
    env.answer = json.dumps({"changes": [change]})
    doc = raw.draw(
        mostly(
            st.lists(mostly(st.just(intent_text), texts), min_size=1, max_size=3).map(dump),
            st.one_of(values.map(dump), texts, st.just("[" * 3000 + "]" * 3000)),
        )
    )
    path = tmp_path / "intents.txt"
    path.write_bytes(raw.draw(maybe_corrupt(st.just(doc))))
    running = ROOT / "examples" / "running" / "cisco_ios_access.cfg"
    check(runner.invoke(cli.app, ["plan", "-f", str(path), "--running", str(running)]))
