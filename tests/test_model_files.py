"""Assembling the embedded GGUF from its chunk packages (with tiny stand-in packages)."""

import hashlib

import pytest

from netcfg import model_files as model
from netcfg.errors import ModelError


@pytest.fixture
def parts(tmp_path, monkeypatch):
    chunks = [b"GGUF" + b"a" * 1000, b"b" * 777]
    for i, data in enumerate(chunks, 1):
        pkg = tmp_path / "site" / f"fake_model_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("NETCFG_CACHE_DIR", str(tmp_path / "cache"))
    spec = {
        "file": "fake.gguf",
        "packages": ["fake_model_part1", "fake_model_part2"],
        "sha256": hashlib.sha256(b"".join(chunks)).hexdigest(),
    }
    monkeypatch.setattr(model, "EMBEDDED", spec)
    return spec


def test_parts_are_assembled_once_and_verified(parts):
    path = model.embedded_model_path()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == parts["sha256"]
    mtime = path.stat().st_mtime_ns
    assert model.embedded_model_path().stat().st_mtime_ns == mtime  # not rebuilt


def test_checksum_mismatch_is_a_clear_error(parts, monkeypatch):
    monkeypatch.setitem(parts, "sha256", "0" * 64)
    with pytest.raises(ModelError, match="expected 000000000000"):
        model.embedded_model_path()


def test_missing_part_is_named(parts, monkeypatch):
    monkeypatch.setitem(parts, "packages", ["fake_model_part1", "fake_model_part9"])
    with pytest.raises(ModelError, match="fake-model-part9 is not installed"):
        model.embedded_model_path()


def test_model_option_must_be_a_gguf(tmp_path):
    bad = tmp_path / "x.gguf"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not a GGUF"):
        model.resolve_model_path(str(bad))
    with pytest.raises(ModelError, match="does not exist"):
        model.resolve_model_path(str(tmp_path / "none.gguf"))
