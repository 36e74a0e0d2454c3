"""The CPU probe: a llama.cpp crash in a child process picks safer load settings, remembered once.

The crash tests use real child processes that really die by SIGILL; only which child runs is chosen
by the test. The last tests run the real probe child on the real embedded model.
"""

import json
import signal
import sys

import pytest
from typer.testing import CliRunner

from netcfg import probe
from netcfg.errors import ModelError


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _child(crash_when, log):
    """A child argv that appends its settings to `log`, then dies by SIGILL when `crash_when(settings)`."""

    def argv(model, settings, threads):
        code = f"import json,os,signal; open({str(log)!r},'a').write(json.dumps({settings!r})+'\\n'); " + (
            "os.kill(os.getpid(), signal.SIGILL)" if crash_when(settings) else "pass"
        )
        return [sys.executable, "-c", code]

    return argv


def _runs(log):
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_full_speed_when_the_child_survives_and_remembered(cache, tmp_path):
    log = tmp_path / "runs"
    child = _child(lambda s: False, log)
    assert probe.load_settings(tmp_path / "m.gguf", "model-a", 2, child=child) == probe.FULL
    assert probe.load_settings(tmp_path / "m.gguf", "model-a", 2, child=child) == probe.FULL
    assert _runs(log) == [probe.FULL]  # probed once, then remembered
    assert probe.load_settings(tmp_path / "m.gguf", "model-b", 2, child=child) == probe.FULL
    assert len(_runs(log)) == 2  # another model is probed again


def test_sigill_with_extra_buffers_falls_back_to_plain_weights(cache, tmp_path):
    log, warnings = tmp_path / "runs", []
    child = _child(lambda s: s["use_extra_bufts"], log)
    got = probe.load_settings(tmp_path / "m.gguf", "model-a", 2, child=child, warn=warnings.append)
    assert got == probe.PLAIN and got["use_extra_bufts"] is False
    assert _runs(log) == [probe.FULL, probe.PLAIN]
    assert len(warnings) == 1 and "SIGILL" in warnings[0] and "GGML_AMX_INT8=OFF" in warnings[0]
    assert "\n" not in warnings[0]
    # remembered: no child runs and no warning the next time
    assert probe.load_settings(tmp_path / "m.gguf", "model-a", 2, child=child, warn=warnings.append) == probe.PLAIN
    assert len(_runs(log)) == 2 and len(warnings) == 1


def test_crash_in_every_setting_is_one_line_error(cache, tmp_path):
    log = tmp_path / "runs"
    with pytest.raises(ModelError) as e:
        probe.load_settings(tmp_path / "m.gguf", "model-a", 2, child=_child(lambda s: True, log))
    msg = str(e.value)
    assert "SIGILL" in msg and "pip install --force-reinstall" in msg and "\n" not in msg
    assert _runs(log) == [probe.FULL, probe.PLAIN]
    assert not (cache / "cpu-probe.json").exists() or "PLAIN" not in (cache / "cpu-probe.json").read_text()


def test_ordinary_child_failure_is_left_to_the_real_load(cache, tmp_path):
    """A child that exits 1 (a broken model file, say) is no crash: full settings, nothing remembered."""

    def child(model, settings, threads):
        return [sys.executable, "-c", "raise SystemExit(1)"]

    assert probe.load_settings(tmp_path / "m.gguf", "model-a", 2, child=child) == probe.FULL
    assert not (cache / "cpu-probe.json").exists()


def test_rebuild_hint_follows_cpu_flags():
    hint = probe.rebuild_hint({"avx2", "fma", "f16c", "avx512f", "amx_tile", "amx_int8"})
    assert "-DGGML_NATIVE=OFF" in hint and "-DGGML_AVX512=ON" in hint and "-DGGML_AVX2=ON" in hint
    assert "-DGGML_AMX_TILE=OFF" in hint and "AMX_TILE=ON" not in hint
    assert "-DGGML_AVX512=ON" not in probe.rebuild_hint({"avx2", "fma"})


def test_cli_reports_a_crashing_library_in_one_line(cache, tmp_path, monkeypatch):
    """The whole path: netcfg generate with a library that dies by SIGILL in every setting."""
    from netcfg import cli, model

    model._BACKENDS.clear()
    monkeypatch.setattr(probe, "_child_argv", _child(lambda s: True, tmp_path / "runs"))
    gguf = tmp_path / "some.gguf"
    gguf.write_bytes(b"GGUF" + bytes(64))
    try:
        r = CliRunner().invoke(
            cli.app, ["generate", "create vlan 30 named GUESTS", "--vendor", "cisco_ios", "--model", str(gguf)]
        )
    finally:
        model._BACKENDS.clear()
    assert r.exit_code == 1
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "SIGILL" in r.output and "Traceback" not in r.output


@pytest.mark.model
def test_real_probe_child_on_the_embedded_model(real_backend, tmp_path, monkeypatch):
    """The real child loads the real model: plain weights always survive, the full-speed layouts either
    survive or die by a signal (AMX CPUs), and the probe picks and remembers the first that survives."""
    import subprocess

    path, cache = real_backend.path, tmp_path / "cache"
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(cache))
    codes = {}
    for name, settings in (("full", probe.FULL), ("plain", probe.PLAIN)):
        done = subprocess.run(probe._child_argv(path, settings, 2), capture_output=True, timeout=300)
        codes[name] = done.returncode
        assert done.returncode == 0 or done.returncode < 0, done.stderr.decode()[-500:]
    assert codes["plain"] == 0
    warnings: list[str] = []
    chosen = probe.load_settings(path, "embedded", 2, warn=warnings.append)
    assert chosen == (probe.FULL if codes["full"] == 0 else probe.PLAIN)
    assert bool(warnings) == (codes["full"] != 0)
    assert json.loads((cache / "cpu-probe.json").read_text())


_GREEDY = """
import json, sys
from netcfg.llama_adapter import load_llama
llm = load_llama(json.loads(sys.argv[2]), model_path=sys.argv[1], n_ctx=256, n_threads=2, verbose=False, seed=0)
text = "<|im_start|>user\\ndefault route via 10.0.0.1<|im_end|>\\n<|im_start|>assistant\\n"
print(json.dumps(llm(text, max_tokens=12, temperature=0.0)["choices"][0]["text"]))
"""


@pytest.mark.model
def test_plain_weights_give_the_same_answer(real_backend):
    """The fallback settings change speed, not answers: same greedy tokens on a real request. Each
    setting runs in a child, since the full-speed layouts can crash the process on an AMX CPU."""
    import subprocess
    import sys

    outs = {}
    for name, settings in (("full", probe.FULL), ("plain", probe.PLAIN)):
        argv = [sys.executable, "-c", _GREEDY, str(real_backend.path), json.dumps(settings)]
        done = subprocess.run(argv, capture_output=True, timeout=300)
        outs[name] = json.loads(done.stdout) if done.returncode == 0 else done.returncode
    assert isinstance(outs["plain"], str) and outs["plain"].strip()
    if not isinstance(outs["full"], str):
        assert outs["full"] < 0  # killed by a signal: the CPU, not the settings
        pytest.skip(f"llama.cpp's full-speed layouts crash on this CPU ({probe._signal_name(outs['full'])})")
    assert outs["full"] == outs["plain"]


def test_sigill_is_a_real_signal():
    assert probe._signal_name(-signal.SIGILL) == "SIGILL"
