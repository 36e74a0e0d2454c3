"""The code passes the project's lint rules, format and type check (pyproject.toml [tool.ruff] and
[tool.mypy]): unused and undefined names, import order, likely bugs, ruff's formatting, types. Part of
the test command, so a change that breaks them does not land."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    r = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "netcfg", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_code_is_formatted():
    r = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "netcfg", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, "run `ruff format netcfg tests benchmarks`:\n" + r.stdout + r.stderr


def test_mypy_finds_nothing(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
