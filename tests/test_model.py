"""End to end with the real embedded GGUF model (loaded once per session)."""

import json
import subprocess
import sys

import pytest

from netcfg import generate, model
from netcfg.errors import ModelError, UnsupportedError

pytestmark = pytest.mark.model


def test_embedded_model_is_assembled_and_verified():
    path = model.embedded_model_path()
    assert path.stat().st_size > 400_000_000
    assert model.model_id(path) == model.EMBEDDED["sha256"]


CASES = [
    ("create vlan 30 named GUESTS and put Gi0/5-8 in it as access ports",
     "vlan 30\n name GUESTS\n" + "".join(
         f"interface GigabitEthernet0/{i}\n switchport mode access\n switchport access vlan 30\n" for i in range(5, 9))),
    ("default route via 10.0.0.1", "ip route 0.0.0.0 0.0.0.0 10.0.0.1\n"),
    ("let 10.99.0.0/24 ssh to anything in ACL MGMT",
     "ip access-list extended MGMT\n permit tcp 10.99.0.0 0.0.0.255 any eq 22\n"),
    ("ntp server 10.1.1.5", "ntp server 10.1.1.5\n"),
    ("shut down gi0/3", "interface GigabitEthernet0/3\n shutdown\n"),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:30] for c in CASES])
def test_real_model_generates_exact_ios(real_backend, text, expected):
    assert generate.generate(text, "cisco_ios", real_backend).config == expected


@pytest.mark.parametrize("text", ["reboot the router", "configure mpls traffic engineering", "blorp zib wakka"])
def test_real_model_refuses_out_of_scope(real_backend, text):
    with pytest.raises((UnsupportedError, ModelError)):
        generate.generate(text, "cisco_ios", real_backend)


def test_cli_end_to_end_with_embedded_model():
    out = subprocess.run(
        [sys.executable, "-m", "netcfg", "generate", "default route via 10.0.0.1", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["config"] == "ip route 0.0.0.0 0.0.0.0 10.0.0.1\n"
