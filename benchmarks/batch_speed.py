"""netcfg batch figures: 200 intents planned against file-based running configs (cold vs warm parse
cache), and applies to 20 real FRR routers (needs root, frr, openssh-server): 8 workers vs 1, and
netcfg batch's Nornir runner vs the plain thread pool netcfg 0.1 used, on the same routers.

    python benchmarks/batch_speed.py [--skip-plan] [--skip-apply]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from netcfg import batch, cache, defaults, vendors  # noqa: E402
from netcfg.inventory import Inventory  # noqa: E402
from netcfg.model import get_backend, model_id  # noqa: E402

DISTINCT = (
    [f"ntp server 10.9.{i}.1" for i in range(8)]
    + [f"create vlan {300 + i} named BENCH{i}" for i in range(8)]
    + [f"static route 10.{40 + i}.0.0/16 via 10.0.0.{i + 2}" for i in range(8)]
    + [f"logging host 10.8.{i}.5" for i in range(8)]
    + [f"snmp community bench{i} read only" for i in range(8)]
)


def plan_run(folder: Path, assignments: dict, cache_path: Path, workers: int) -> tuple[float, int]:
    backend = get_backend()
    parser = batch.CachedParser(backend, cache.ParseCache(cache_path), model_id(backend.path))
    t = time.perf_counter()
    results = batch.run_batch(
        assignments, Inventory(folder), parser, apply=False, workers=workers, inventory_dir=folder
    )
    elapsed = time.perf_counter() - t
    bad = [r for r in results if not r.ok]
    if bad:
        print(f"  {len(bad)} devices failed, e.g. {bad[0].device}: {bad[0].reason}")
    return elapsed, parser.model_calls


def bench_plan() -> None:
    running = ROOT / "examples" / "running" / "cisco_ios_access.cfg"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hosts = {}
        assignments = {}
        for i in range(20):
            hosts[f"sw{i}"] = {"platform": "cisco_ios", "data": {"running_file": str(running)}}
            assignments[f"sw{i}"] = [DISTINCT[(i * 10 + j) % len(DISTINCT)] for j in range(10)]
        (folder / "hosts.yaml").write_text(json.dumps(hosts))
        n = sum(len(v) for v in assignments.values())
        cold, calls = plan_run(folder, assignments, folder / "c.sqlite3", 8)
        warm, calls2 = plan_run(folder, assignments, folder / "c.sqlite3", 8)
        print(
            f"plan {n} intents ({len({x for v in assignments.values() for x in v})} distinct) on 20 file-based "
            f"IOS configs: cold cache {cold:.1f}s ({calls} model calls), warm cache {warm:.2f}s "
            f"({calls2} model calls) = {warm / n * 1000:.1f} ms per intent"
        )


def thread_pool_batch(assignments, inv, parser, *, workers, backups) -> list:
    """netcfg 0.1's batch runner, kept here as the baseline: run_host for each device in a thread pool."""
    with ThreadPoolExecutor(workers) as pool:
        futures = [
            pool.submit(
                batch.run_host,
                inv.host(name),
                intents,
                parser,
                apply=True,
                inventory_dir=Path("."),
                timeout=defaults.TIMEOUT_S,
                backups=backups,
                stage=lambda s: None,
            )
            for name, intents in assignments.items()
        ]
        return [f.result() for f in futures]


def bench_apply() -> None:
    from frrlab import FrrLab

    if FrrLab.unavailable():
        print(f"apply benchmark skipped: {FrrLab.unavailable()}")
        return
    import os

    with tempfile.TemporaryDirectory() as tmp, FrrLab(20, Path(tmp) / "lab") as lab:
        folder = Path(tmp)
        hosts = {}
        for i, r in enumerate(lab.routers):
            os.environ[f"BENCH_PW_{i}"] = r.password
            hosts[f"r{i}"] = {
                "hostname": r.host,
                "port": r.port,
                "username": r.username,
                "password": f"${{BENCH_PW_{i}}}",
                "platform": "frr",
            }
        (folder / "hosts.yaml").write_text(json.dumps(hosts))
        inv = Inventory(folder)
        backend = get_backend()
        c = cache.ParseCache(folder / "c.sqlite3")
        times = {}
        runs = (
            ("nornir", 1, "10.61.0.0/16"),
            ("nornir", 8, "10.62.0.0/16"),
            ("pool", 8, "10.63.0.0/16"),
            ("nornir", 8, "10.64.0.0/16"),
            ("pool", 8, "10.65.0.0/16"),
        )
        for how, workers, prefix in runs:
            parser = batch.CachedParser(backend, c, model_id(backend.path))
            assignments = {f"r{i}": [f"static route {prefix} via 10.0.0.7"] for i in range(20)}
            parser.changes(assignments["r0"][0], vendors.get("frr"), None)
            t = time.perf_counter()
            if how == "nornir":
                results = batch.run_batch(
                    assignments, inv, parser, apply=True, workers=workers, inventory_dir=folder, backups=folder / "b"
                )
            else:
                results = thread_pool_batch(assignments, inv, parser, workers=workers, backups=folder / "b")
            elapsed = time.perf_counter() - t
            times.setdefault((how, workers), []).append(elapsed)
            ok = sum(r.status == "applied" for r in results)
            per = sorted(r.seconds for r in results)
            runner = "netcfg batch (Nornir runner)" if how == "nornir" else "plain thread pool (0.1)"
            print(
                f"apply to 20 FRR routers, {runner}, {workers} worker(s): {elapsed:.1f}s, {ok}/20 applied, "
                f"one apply (connect, fetch, plan, push, verify, save) median {per[len(per) // 2]:.2f}s"
            )
        best = {k: min(v) for k, v in times.items()}
        print(f"speed-up 8 workers vs 1: {best[('nornir', 1)] / best[('nornir', 8)]:.1f}x")
        print(
            f"8 workers, best of 2: Nornir runner {best[('nornir', 8)]:.1f}s vs thread pool {best[('pool', 8)]:.1f}s "
            f"({(best[('nornir', 8)] / best[('pool', 8)] - 1) * 100:+.0f}%)"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-apply", action="store_true")
    ap.add_argument("--skip-plan", action="store_true")
    args = ap.parse_args()
    if not args.skip_plan:
        bench_plan()
    if not args.skip_apply:
        bench_apply()


if __name__ == "__main__":
    main()
