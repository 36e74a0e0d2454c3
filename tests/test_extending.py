"""The README's two walk-throughs, followed literally: a toy vendor and a toy kind of change added to a copy
of netcfg's data folders ($NETCFG_DATA_DIR), with no Python changed. Each check runs netcfg in a fresh
process, as a user trying the copy would."""

import json
import shutil
import subprocess
import sys
import textwrap

import pytest
import yaml

from netcfg.paths import data_path


@pytest.fixture
def data(tmp_path):
    for name in ("vendor_schemas", "templates", "prompts"):
        shutil.copytree(data_path(name), tmp_path / name)
    return tmp_path


def netcfg_python(data, code: str) -> str:
    """Run `code` with netcfg reading its data from `data`; its stdout."""
    env = {
        "NETCFG_DATA_DIR": str(data),
        "NETCFG_CACHE_DIR": str(data / "cache"),
        "PATH": "/usr/bin:/bin",
        "NETCFG_LARGE": "0",
    }
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


def build(data, vendor: str, changes: list[dict]) -> dict:
    """generate.build of typed changes (no model) in a fresh process: the config and errors, or the refusal."""
    return json.loads(
        netcfg_python(
            data,
            f"""
        import json
        from netcfg import generate, vendors
        from netcfg.errors import NetcfgError
        try:
            _, config, _, errors = generate.build(json.loads({json.dumps(json.dumps(changes))}), vendors.get({vendor!r}))
            print(json.dumps({{"config": config, "errors": errors}}))
        except NetcfgError as e:
            print(json.dumps({{"refused": str(e)}}))
    """,
        )
    )


def test_adding_a_vendor_needs_only_a_schema_file_and_templates(data):
    # 1. the schema file, from the closest vendor's
    spec = yaml.safe_load((data / "vendor_schemas" / "cisco_ios.yaml").read_text())
    spec.update(name="acme_os", title="Acme OS", features=["vlan", "hostname"])
    (data / "vendor_schemas" / "acme_os.yaml").write_text(yaml.safe_dump(spec))
    # 2. a template per kind it has
    (data / "templates" / "acme_os").mkdir()
    (data / "templates" / "acme_os" / "vlan.j2").write_text(
        "{{ neg(c) }}vlan {{ c.vlan }}\n{% if c.name and c.op == 'add' %} name {{ c.name }}\n{% endif %}"
    )
    (data / "templates" / "acme_os" / "hostname.j2").write_text("system name {{ c.name }}\n")
    # 4. netcfg lists it, renders its kinds and refuses the others
    listed = json.loads(
        netcfg_python(
            data,
            "from netcfg.cli import main; import sys; sys.argv = ['netcfg', 'vendors', '--format', 'json']; main()",
        )
    )
    assert listed["acme_os"] == {"title": "Acme OS", "features": ["vlan", "hostname"]}
    got = build(
        data,
        "acme_os",
        [
            {"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"},
            {"kind": "hostname", "op": "add", "name": "lab-1"},
        ],
    )
    assert got == {"config": "vlan 30\n name GUESTS\nsystem name lab-1\n", "errors": []}
    assert build(data, "acme_os", [{"kind": "vlan", "op": "remove", "vlan": 30}])["config"] == "no vlan 30\n"
    refused = build(data, "acme_os", [{"kind": "access_port", "op": "add", "interfaces": "Gi0/1", "vlan": 30}])
    assert "acme_os has no access port" in refused["refused"] and "cisco_ios" in refused["refused"]


def test_a_vendor_file_with_a_misspelt_key_is_refused_when_loaded(data):
    spec = yaml.safe_load((data / "vendor_schemas" / "cisco_ios.yaml").read_text())
    spec.update(name="acme_os", title="Acme OS", save_comand="write")
    (data / "vendor_schemas" / "acme_os.yaml").write_text(yaml.safe_dump(spec))
    out = netcfg_python(
        data,
        """
        from netcfg import vendors
        from netcfg.errors import ConfigError
        try:
            vendors.get("acme_os")
        except ConfigError as e:
            print(e)
    """,
    )
    assert "acme_os.yaml: unknown key 'save_comand'" in out


def test_adding_a_kind_needs_a_schema_entry_templates_and_examples(data):
    # 1. the kind in intent.yaml, and its words
    spec_file = data / "vendor_schemas" / "intent.yaml"
    spec = yaml.safe_load(spec_file.read_text())
    spec["kinds"]["toy_banner"] = {
        "doc": "set or remove the exec banner",
        "say": {"add": 'set the exec banner to "{text}"'},
        "ops": ["add", "remove"],
        "fields": {"text": {"type": "text", "rule": "description"}},
    }
    spec["cues"]["toy_banner"] = ["exec banner"]
    spec_file.write_text(yaml.safe_dump(spec))
    # 2. a template for a vendor that has it (cisco_ios: features all)
    (data / "templates" / "cisco_ios" / "toy_banner.j2").write_text("{{ neg(c) }}banner exec #{{ c.text }}#\n")
    # 3. examples
    examples_file = data / "prompts" / "examples.yaml"
    examples = yaml.safe_load(examples_file.read_text())
    examples.append(
        {
            "intent": "exec banner Authorized staff only",
            "changes": [{"kind": "toy_banner", "op": "add", "text": "Authorized staff only"}],
        }
    )
    examples_file.write_text(yaml.safe_dump(examples))
    got = build(data, "cisco_ios", [{"kind": "toy_banner", "op": "add", "text": "Property of ACME"}])
    assert got == {"config": "banner exec #Property of ACME#\n", "errors": []}
    assert build(data, "cisco_ios", [{"kind": "toy_banner", "op": "add", "text": "x\nreload"}])["refused"]
    out = json.loads(
        netcfg_python(
            data,
            """
        import json
        from netcfg import grounding, intent, parse
        schema = intent.grammar_schema(False)
        kinds = [k["properties"]["kind"]["const"] for k in schema["properties"]["changes"]["items"]["anyOf"]]
        near = parse.build_messages("an exec banner: Keep out")[-3]["content"]
        said = intent.describe({"kind": "toy_banner", "op": "add", "text": "Keep out"})
        print(json.dumps({"kinds": kinds, "near": near, "said": said, "cued": grounding.cued_kinds("exec banner x")}))
    """,
        )
    )
    assert "toy_banner" in out["kinds"] and out["near"] == "exec banner Authorized staff only"
    assert out["said"] == 'set the exec banner to "Keep out"' and "toy_banner" in out["cued"]
