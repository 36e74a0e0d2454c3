"""`netcfg eval`: measure a model on a YAML dataset of intents and expected configurations."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import configtree, defaults, vendors
from .errors import ConfigError, NetcfgError
from .paths import read_yaml


@dataclass
class CaseResult:
    id: str
    intent: str
    vendor: str
    passed: bool
    seconds: float
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    error: str = ""
    config: str = ""
    changes: int = 0  # how many typed changes the answer had
    kinds: list[str] = field(default_factory=list)  # the kinds of those changes
    expected_kinds: list[str] = field(default_factory=list)  # the case's `kinds`, where it gives them

    @property
    def outcome(self) -> str:
        """exact; refused (an error, or a question no one was there to answer); or silently wrong:
        no error, a config that is not what was asked. The last is the one that matters most."""
        return "exact" if self.passed else "refused" if self.error else "silently wrong"


def load_dataset(path: Path) -> list[dict]:
    """A YAML list of {id, intent, vendor, expect, optional?, running?}; malformed files are refused."""
    data = read_yaml(path, "dataset")
    if not isinstance(data, list) or not data:
        raise ConfigError(f"dataset {path} must be a non-empty YAML list of cases")
    for i, case in enumerate(data, 1):
        if not isinstance(case, dict) or not all(isinstance(case.get(k), str) for k in ("intent", "expect")):
            raise ConfigError(f"dataset {path}: case {i} needs string fields 'intent' and 'expect'")
        case.setdefault("id", str(i))
        case.setdefault("vendor", defaults.VENDOR)
        case.setdefault("optional", [])
    return data


def _show(path: tuple[str, ...]) -> str:
    return " > ".join(path)


def compare(expect: str, got: str, optional: list[str], vendor: str = defaults.VENDOR) -> tuple[list[str], list[str]]:
    """(missing, extra) lines between expected and generated config, as order-free path sets (the vendor's
    ACL sequence numbers ignored)."""
    opt = {" ".join(o.split()) for o in optional}
    numbered = vendors.get(vendor).plan.acl_parent
    want = {p for p in configtree.paths(expect, numbered) if p[-1] not in opt}
    have = {p for p in configtree.paths(got, numbered) if p[-1] not in opt}
    return sorted(map(_show, want - have)), sorted(map(_show, have - want))


def run_case(case: dict, generate_fn) -> CaseResult:
    """Run one case through `generate_fn(intent, vendor, running)` and compare with its expectation."""
    start = time.perf_counter()
    try:
        result = generate_fn(case["intent"], case["vendor"], case.get("running"))
        config, error = result.config, "; ".join(result.errors)  # errors exit non-zero: a refusal
        n, kinds = len(result.changes), sorted({c.get("kind") for c in result.changes})
    except NetcfgError as e:
        config, error, n, kinds = "", str(e), 0, []
    seconds = time.perf_counter() - start
    missing, extra = compare(case["expect"], config, case["optional"], case["vendor"])
    passed = not error and not missing and not extra
    return CaseResult(
        id=str(case["id"]),
        intent=case["intent"],
        vendor=case["vendor"],
        passed=passed,
        seconds=seconds,
        missing=missing,
        extra=extra,
        error=error,
        config=config,
        changes=n,
        kinds=kinds,
        expected_kinds=list(case.get("kinds") or []),
    )


def summary(results: list[CaseResult]) -> dict:
    """Accuracy (exact / silently wrong / refused or asked) and latency percentiles over results."""
    times = sorted(r.seconds for r in results)
    n = len(results)

    def pct(p: float) -> float:
        return times[min(n - 1, max(0, round(p * (n - 1))))] if times else 0.0

    outcomes = [r.outcome for r in results]
    return {
        "cases": n,
        "passed": sum(r.passed for r in results),
        "exact": outcomes.count("exact"),
        "silently_wrong": outcomes.count("silently wrong"),
        "refused": outcomes.count("refused"),
        "accuracy": (sum(r.passed for r in results) / n) if n else 0.0,
        "p50_s": pct(0.5),
        "p95_s": pct(0.95),
        "mean_s": statistics.fmean(times) if times else 0.0,
    }


def outcome_line(s: dict) -> str:
    """The three numbers every dataset is judged by, as one line."""
    n = s["cases"] or 1
    return (
        f"{s['exact']}/{s['cases']} exact ({s['exact'] / n:.1%}), {s['silently_wrong']} silently wrong "
        f"({s['silently_wrong'] / n:.1%}), {s['refused']} refused or asked ({s['refused'] / n:.1%})"
    )


def kind_confusion(results: list[CaseResult]) -> dict[str, dict[str, int]]:
    """For each kind the cases expect (their `kinds`), what was predicted in its place: the kind itself,
    the answer's kinds the case does not expect (what it was taken for), or "(refused)" / "(missing)"."""
    table: dict[str, dict[str, int]] = {}
    for r in results:
        for want in r.expected_kinds:
            if r.error:
                got = ["(refused)"]
            elif want in r.kinds:
                got = [want]
            else:
                got = [k for k in r.kinds if k not in r.expected_kinds] or ["(missing)"]
            row = table.setdefault(want, {})
            for g in got:
                row[g] = row.get(g, 0) + 1
    return dict(sorted(table.items()))


def p50_by_changes(results: list[CaseResult]) -> dict[str, float]:
    """Median latency of the exact answers by how many changes they have: "1", "2", "3", "4+"."""
    groups: dict[str, list[float]] = {}
    for r in results:
        if r.passed:
            groups.setdefault(str(r.changes) if r.changes < 4 else "4+", []).append(r.seconds)
    return {k: statistics.median(v) for k, v in sorted(groups.items())}
