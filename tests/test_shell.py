"""netcfg shell: the pending change set and its commands (a queued fake model), the terminal itself through
a pty with the real model, and a push to a real FRR router over SSH."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest

from netcfg import shell as shell_mod
from netcfg.shell import Shell

sys.path.insert(0, str(Path(__file__).parent))
from frrlab import module_lab  # noqa: E402
from processes import Terminal  # noqa: E402

RUNNING = "interface GigabitEthernet0/1\n switchport access vlan 10\ninterface GigabitEthernet0/2\n shutdown\n"
VLAN30 = [{"kind": "vlan", "op": "add", "vlan": 30, "name": "GUESTS"}]
SHUT = [{"kind": "shutdown", "op": "add", "interfaces": "GigabitEthernet0/1"}]


@pytest.fixture
def sh(fake, tmp_path, monkeypatch):
    """A Shell on cisco_ios whose model answers from `sh.answers(...)`."""
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path / "cache"))
    s = Shell("cisco_ios")

    def answers(*queue):
        s._backend = fake(*queue)
        return s._backend

    s.answers = answers
    return s


def test_intents_build_up_a_pending_change_set_that_show_renders_together(sh, capsys):
    sh.answers(VLAN30, SHUT)
    assert sh.handle("create vlan 30 named GUESTS")
    assert sh.prompt() == "netcfg cisco_ios [1]> "
    sh.handle("shut gi0/1")
    err = capsys.readouterr().err
    assert "understood: create vlan 30 named GUESTS" in err and "understood: shut down GigabitEthernet0/1" in err
    sh.handle("show")
    out = capsys.readouterr().out
    assert "# 1. create vlan 30 named GUESTS" in out and "# 2. shut gi0/1" in out
    assert "vlan 30\n name GUESTS\ninterface GigabitEthernet0/1\n shutdown\n" in out
    sh.handle("undo")
    assert "undone: shut down GigabitEthernet0/1" in capsys.readouterr().err
    assert [p.text for p in sh.pending] == ["create vlan 30 named GUESTS"]
    sh.handle("clear")
    assert sh.pending == [] and sh.prompt() == "netcfg cisco_ios> "


def test_a_command_word_that_starts_a_change_is_a_change_and_slash_makes_it_a_command(sh, capsys):
    sh.answers([{"kind": "description", "op": "remove", "interfaces": "GigabitEthernet0/1"}])
    sh.handle("clear the description of gi0/1")
    assert [p.summary for p in sh.pending] == [["remove the description of GigabitEthernet0/1"]]
    sh.handle("/clear")
    assert sh.pending == []
    sh.handle("/vendor frr")
    assert sh.vendor.name == "frr"


def test_a_refused_intent_is_one_line_adds_nothing_and_the_shell_goes_on(sh, capsys):
    sh.answers(*[[{"kind": "vlan", "op": "add", "vlan": 31}]] * 3)  # not what was asked: grounding refuses it
    assert sh.handle("create vlan 30") is True
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "does not appear in the request" in err
    assert sh.pending == []


@pytest.mark.parametrize(
    "line,message",
    [
        ("show", "no pending changes"),
        ("diff", "no running config to compare with"),
        ("apply", "apply needs a device"),
        ("vendor cisco_xr", "unknown vendor"),
        ("running /nonexistent.cfg", "does not exist"),
        ("undo", "nothing to undo"),
        ("/save", "save takes one word"),
        ("/frobnicate", "unknown command 'frobnicate'"),
    ],
)
def test_commands_that_cannot_run_say_why_on_one_line(sh, capsys, line, message):
    assert sh.handle(line) is True
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_plan_diff_and_save_against_a_running_config_file(sh, capsys, tmp_path):
    (tmp_path / "r.cfg").write_text(RUNNING)
    sh.handle(f"running {tmp_path / 'r.cfg'}")
    sh.answers(SHUT)
    sh.handle("shut gi0/1")
    capsys.readouterr()
    sh.handle("diff")
    out = capsys.readouterr().out
    assert "+ shutdown" in out and out.startswith("---")
    sh.handle("plan")
    out = capsys.readouterr().out
    assert "# remediation (running config file, cisco_ios)" in out and "# rollback" in out and " no shutdown" in out
    sh.handle(f"save {tmp_path / 'out.cfg'}")
    assert (tmp_path / "out.cfg").read_text() == "interface GigabitEthernet0/1\n shutdown\n"
    assert sh.interfaces() == ["GigabitEthernet0/1", "GigabitEthernet0/2"]


def test_completion_offers_commands_vendors_devices_and_the_running_configs_interfaces(sh, tmp_path, monkeypatch):
    inv = tmp_path / "inv"
    inv.mkdir()
    (inv / "hosts.yaml").write_text("core1: {hostname: 192.0.2.1, platform: frr}\ncore2: {hostname: 192.0.2.2}\n")
    sh.inventory = inv
    assert list(sh.completions("", "cl")) == ["clear"]
    assert list(sh.completions("vendor ", "cisco")) == ["cisco_ios", "cisco_nxos"]
    assert list(sh.completions("device ", "co")) == ["core1", "core2"]
    sh.running = RUNNING
    assert list(sh.completions("shut ", "gigabitethernet0/")) == ["GigabitEthernet0/1", "GigabitEthernet0/2"]
    assert list(sh.completions("shut ", "")) == []


class Ahead:
    """A model that only records what it is asked to evaluate ahead (parse.prefill)."""

    def __init__(self):
        self.prefilled: list[list[dict]] = []

    def prefill(self, messages, stale=None):
        self.prefilled.append(messages)


def test_a_line_being_typed_is_evaluated_ahead_and_a_command_or_a_typed_secret_never(sh):
    from netcfg import parse

    sh._backend = ahead = Ahead()
    for line in (
        "show",
        "vendor",
        "vendor arista_eos",
        "/clear",
        "",
        "   ",
        "7",
        "username bob password Hunter2x",
        "put gi0/5 in vlan 30",
    ):
        sh.prefill(line)
        if sh._prefilling is not None:
            sh._prefilling.join()
    assert [m[-1]["content"] for m in ahead.prefilled] == ["put gi0/5 in vlan 30"]
    assert ahead.prefilled[0] == parse.build_messages("put gi0/5 in vlan 30")  # the prompt parse will ask


def test_work_ahead_on_a_line_is_stale_once_a_newer_line_is_typed(sh):
    """The prefill under way is told to stop when the line changes again, and the newer line is prefilled next."""
    seen = []

    class Typist:
        def prefill(self, messages, stale=None):
            seen.append((messages[-1]["content"], stale()))
            if len(seen) == 1:
                sh._typed = "put gi0/5 in vlan 30"  # a key typed while the first line is evaluated
                seen.append(("after a key", stale()))

    sh._backend = Typist()
    sh.prefill("put gi0/5 in vlan 3")
    sh._prefilling.join()
    assert seen == [("put gi0/5 in vlan 3", False), ("after a key", True), ("put gi0/5 in vlan 30", False)]


def test_a_failure_ahead_of_time_is_silent(sh, capsys):
    class Broken:
        def prefill(self, messages, stale=None):
            raise RuntimeError("llama_decode returned -1")

    sh._backend = Broken()
    sh.prefill("put gi0/5 in vlan 30")
    sh._prefilling.join()
    assert capsys.readouterr() == ("", "")


def test_a_pause_in_typing_acts_once_on_the_text_as_it_stands():
    import threading

    seen, done = [], threading.Event()
    pause = shell_mod._Pause(0.2, lambda text: (seen.append(text), done.set()))
    for text in ("p", "pu", "put gi0/5"):
        pause.restart(text)
    assert done.wait(5) and seen == ["put gi0/5"]


# --- the terminal, through a pty, with the real model ------------------------------------------------


@pytest.fixture
def terminal():
    started = []

    def start(*args):
        started.append(Terminal(list(args)))
        return started[-1]

    yield start
    for t in started:
        if t.proc.poll() is None:
            t.proc.send_signal(signal.SIGKILL)
            t.proc.wait()


@pytest.mark.model
def test_the_shell_at_a_terminal_with_the_real_model(terminal, tmp_path):
    (tmp_path / "r.cfg").write_text(RUNNING)
    t = terminal("--running", str(tmp_path / "r.cfg"))
    t.wait_for(r"netcfg cisco_ios>")
    t.type("create vlan 30 named")
    time.sleep(2 * shell_mod.PREFILL_AFTER_S + 1)  # a pause: the line so far is evaluated ahead
    t.type(" GUESTS\r")
    assert "understood: create vlan 30 named GUESTS" in t.wait_for(r"netcfg cisco_ios \[1\]>")
    t.type("shut gi0/2 please and thanks\x03")  # Ctrl-C: the line is dropped, nothing is parsed
    t.wait_for(r"netcfg cisco_ios \[1\]>")
    t.type("no shutdown on gi0/2\r")
    assert "understood: bring up GigabitEthernet0/2" in t.wait_for(r"\[2\]>")
    t.type("diff\r")
    out = t.wait_for(r"\+vlan 30[\s\S]*\[2\]>")
    assert "- shutdown" in out
    t.type("undo\r")
    t.wait_for(r"undone: bring up GigabitEthernet0/2[\s\S]*\[1\]>")
    t.type("\x04")  # Ctrl-D with a change pending: asked first
    t.wait_for(r"1 pending change will be lost. Leave\? \[y/N\]")
    t.type("n\r")
    t.wait_for(r"\[1\]>")
    t.type("\x04")
    t.wait_for(r"Leave\? \[y/N\]")
    t.type("y\r")
    assert t.close() == 0
    assert "\n+create vlan 30 named GUESTS\n" in shell_mod.history_path().read_text()  # kept for the next session


# --- a push to a real router --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with module_lab(tmp_path_factory, 1, "shelllab") as lab:
        yield lab


@pytest.mark.frr
@pytest.mark.model
def test_the_shell_plans_and_pushes_to_a_real_router_with_the_real_model(lab, lab_inventory, tmp_path, capsys):
    r = lab.routers[0]
    lab_inventory(lab.routers, platform="frr")
    confirmed = []
    sh = Shell(confirm=lambda q: confirmed.append(q) or True)
    sh.handle("device r1")
    assert sh.vendor.name == "frr" and sh.prompt() == "netcfg frr r1> "
    sh.handle("static route 10.66.0.0/16 via 10.0.0.3")
    sh.handle("plan")
    assert "ip route 10.66.0.0/16 10.0.0.3" in capsys.readouterr().out
    sh.handle("apply")
    assert confirmed == ["Apply these changes to r1?"]
    assert "ip route 10.66.0.0/16 10.0.0.3" in r.running_config()
    assert sh.pending == [] and "ip route 10.66.0.0/16 10.0.0.3" in sh.running
    assert r.password not in capsys.readouterr().err
    sh.handle("static route 10.66.0.0/16 via 10.0.0.3")
    sh.handle("plan")
    assert "No changes" in capsys.readouterr().out
    assert list((tmp_path / "backups").glob("r1-*.cfg"))


def test_the_history_lives_in_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path))
    assert shell_mod.history_path() == tmp_path / "shell-history"
