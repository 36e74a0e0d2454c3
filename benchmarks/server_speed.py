"""netcfg through an OpenAI-compatible model server: N distinct intents (the single-change dev sets) parsed
in-process, then through the server 1 and 4 at a time (batch's CachedParser, as `--model-workers`), with
the wall time, p50 per intent and how many server answers equal the in-process ones.

    python benchmarks/server_speed.py [-n 100] [--url http://host:8000/v1] [--workers 1 4]

Without --url it starts `python -m llama_cpp.server` with the embedded model on a free local port. That
server answers one request at a time, so on one machine more workers only queue; a server with parallel
slots (llama.cpp's `llama-server -np 4`, vLLM) on its own hardware is where --model-workers pays.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from processes import llama_server  # noqa: E402

from netcfg import batch, model, vendors  # noqa: E402
from netcfg.errors import NetcfgError  # noqa: E402
from netcfg.generate import build  # noqa: E402
from netcfg.model_server import ServerBackend  # noqa: E402

VENDORS = ("cisco_ios", "arista_eos", "cisco_nxos", "juniper_junos", "frr")


def intents(n: int) -> list[tuple[str, str, str | None]]:
    """(intent, vendor, running) of the first n distinct single-change dev cases, vendors interleaved."""
    sets = [yaml.safe_load((ROOT / "examples" / "eval" / f"{v}.yaml").read_text()) for v in VENDORS]
    out, seen = [], set()
    for row in zip(*sets):
        for case in row:
            key = (case["intent"], case.get("vendor", "cisco_ios"))
            if key not in seen:
                seen.add(key)
                out.append((*key, case.get("running")))
    return out[:n]


def run(backend, cases, workers: int) -> tuple[float, list[float], list]:
    """Parse every case through a fresh CachedParser with `workers` model calls at once."""
    parser = batch.CachedParser(backend, model_workers=workers)

    def one(case):
        text, vendor, running = case
        t = time.perf_counter()
        try:  # compared as the config it renders: "gi1/0/14" and "GigabitEthernet1/0/14" are one answer
            answer = build(parser.changes(text, vendors.get(vendor), running), vendors.get(vendor), running)[1]
        except NetcfgError as e:
            answer = f"refused: {e}"
        return time.perf_counter() - t, answer

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        done = list(pool.map(one, cases))
    return time.perf_counter() - start, [d[0] for d in done], [d[1] for d in done]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--url", help="a running server (default: start llama_cpp.server with the embedded model)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    ap.add_argument("--skip-in-process", action="store_true")
    args = ap.parse_args()
    cases = intents(args.n)
    print(f"{len(cases)} distinct intents, {os.cpu_count()} CPUs")
    here = None
    if not args.skip_in_process:
        wall, lat, here = run(model.get_backend(), cases, 1)
        print(f"in-process          : {wall:7.1f} s wall, p50 {statistics.median(lat):.2f} s per intent")
        model.get_backend().close()  # the server gets the CPUs to itself
    with nullcontext(args.url) if args.url else llama_server() as url:
        for w in args.workers:
            wall, lat, there = run(ServerBackend(url), cases, w)
            same = f", {sum(a == b for a, b in zip(here, there))}/{len(cases)} configs as in-process" if here else ""
            print(f"server, {w} at a time : {wall:7.1f} s wall, p50 {statistics.median(lat):.2f} s per intent{same}")


if __name__ == "__main__":
    main()
