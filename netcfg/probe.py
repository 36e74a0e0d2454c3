"""Which llama.cpp load settings this CPU survives, found once in a child process and remembered.

llama-cpp-python built with native flags on a CPU that reports AMX can die with SIGILL inside
llama.cpp's AMX kernels, killing the whole process. So before the first in-process load of a
(library build, CPU, model) combination, a child process loads the model and evaluates a short
prompt: first with llama.cpp's CPU-specific weight buffers (AMX, repacking: full speed), and if that
child dies by a signal, with plain weight buffers. The first setting that survives is remembered in
the cache; when none does, loading is refused with one line that says how to rebuild the library.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

from .errors import ModelError
from .paths import cache_dir, write_private

FULL = {"use_extra_bufts": True}
PLAIN = {"use_extra_bufts": False}
_TIMEOUT_S = 300
_PROMPT = (
    "<|im_start|>system\nYou turn network change requests into JSON.<|im_end|>\n<|im_start|>user\n"
    "create vlan 30 named GUESTS and put Gi0/5-8 in it as access ports<|im_end|>\n<|im_start|>assistant\n"
)
# llama-cpp-python build options per CPU flag (/proc/cpuinfo), for a portable build without AMX
_BUILD_FLAGS = {
    "avx": "GGML_AVX",
    "avx2": "GGML_AVX2",
    "fma": "GGML_FMA",
    "f16c": "GGML_F16C",
    "avx512f": "GGML_AVX512",
    "avx512_vnni": "GGML_AVX512_VNNI",
    "avx512vbmi": "GGML_AVX512_VBMI",
    "avx512_bf16": "GGML_AVX512_BF16",
    "avx_vnni": "GGML_AVX_VNNI",
}

Child = Callable[[Path, dict, int], list[str]]


def _cpu() -> tuple[str, set[str]]:
    """The CPU's model name and feature flags (Linux /proc/cpuinfo; elsewhere the platform's words)."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return platform.processor() or platform.machine(), set()
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break  # the first processor describes them all
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields.get("model name", platform.machine()), set(fields.get("flags", "").split())


def _library_id() -> str:
    """The installed llama-cpp-python build: its version and its shared libraries' sizes and times."""
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return "llama_cpp missing"
    root = Path(list(spec.submodule_search_locations)[0])
    libs = sorted(p for p in root.rglob("*") if p.suffix in (".so", ".dylib", ".dll") or ".so." in p.name)
    return json.dumps([str(root)] + [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in libs])


def rebuild_hint(flags: set[str] | None = None) -> str:
    """The pip command that rebuilds llama-cpp-python for this CPU, portable and without AMX."""
    if flags is None:
        flags = _cpu()[1]
    on = [f"-D{opt}=ON" for flag, opt in _BUILD_FLAGS.items() if flag in flags]
    off = ["-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"]
    import importlib.metadata

    try:
        version = importlib.metadata.version("llama-cpp-python")
    except importlib.metadata.PackageNotFoundError:
        version = "0.3.36"
    return (
        f'CMAKE_ARGS="-DGGML_NATIVE=OFF {" ".join(on + off)}" '
        f"pip install --force-reinstall --no-cache-dir --no-deps llama-cpp-python=={version}"
    )


def _child_argv(model: Path, settings: dict, threads: int) -> list[str]:
    return [sys.executable, "-m", "netcfg.probe", str(model), json.dumps(settings), str(threads)]


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def _run(argv: list[str]) -> int | None:
    """The child's exit status (negative: killed by that signal); None when it could not be judged."""
    env = {**os.environ, "PYTHONFAULTHANDLER": ""}
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=_TIMEOUT_S,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.returncode


def _remembered(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _remember(path: Path, key: str, settings: dict) -> None:
    try:
        write_private(path, json.dumps({**_remembered(path), key: settings}, indent=1) + "\n")
    except OSError:
        pass  # an unwritable cache only means probing again next time


def load_settings(
    model: Path, model_key: str, threads: int, child: Child | None = None, warn: Callable[[str], None] | None = None
) -> dict:
    """Model load settings that do not crash llama.cpp on this CPU (see the module docstring)."""
    child = child or _child_argv
    name, flags = _cpu()
    key = hashlib.sha256(json.dumps([_library_id(), name, sorted(flags), model_key, threads]).encode()).hexdigest()[:24]
    try:
        store = cache_dir() / "cpu-probe.json"
    except OSError:
        store = None
    if store is not None:
        known = _remembered(store).get(key)
        if isinstance(known, dict) and set(known) == set(FULL):
            return known
    crashes = []
    for settings in (FULL, PLAIN):
        code = _run(child(model, settings, threads))
        if code is not None and code < 0:
            crashes.append(_signal_name(code))
            continue
        if code == 0:
            if store is not None:
                _remember(store, key, settings)
            if settings is PLAIN:
                (warn or _stderr)(
                    f"llama.cpp crashed ({crashes[0]}) with its CPU-specific weight layouts (AMX, repacking) on "
                    f"this CPU ({name}); netcfg uses plain weights instead, with prompt evaluation about 30% "
                    f"slower. For full speed rebuild llama-cpp-python without AMX: {rebuild_hint(flags)}"
                )
        # a non-zero exit without a signal is an ordinary load error: the in-process load reports it
        return settings
    raise ModelError(
        f"llama.cpp crashes on this CPU ({name}) with {crashes[-1]} even with plain weights: the installed "
        f"llama-cpp-python was built for another CPU; rebuild it here: {rebuild_hint(flags)}"
    )


def _stderr(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def _main(argv: list[str]) -> int:
    """Child: load the model with the given settings and evaluate a short prompt and a few tokens."""
    model, settings, threads = Path(argv[0]), json.loads(argv[1]), int(argv[2])
    from .llama_adapter import FLASH_ATTENTION, load_llama

    llm = load_llama(
        settings,
        model_path=str(model),
        n_ctx=256,
        n_threads=threads,
        n_batch=64,
        flash_attn=FLASH_ATTENTION,
        verbose=False,
        seed=0,
    )
    tokens = llm.tokenize(_PROMPT.encode(), special=True)
    llm.eval(tokens)  # batched matrix products (prompt evaluation)
    for _ in range(3):  # and single-token ones (decoding)
        llm.eval([int(llm.scores[llm.n_tokens - 1].argmax())])
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
