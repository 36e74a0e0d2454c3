"""Start-up and resource figures of the CLI, each measured in fresh processes.

    python benchmarks/latency.py [--runs 5]

Prints: `netcfg --help` wall time; a cold `netcfg generate` (new process, model assembled and its
instruction KV state cached from an earlier run) wall time to the first result; peak memory (RSS);
the one-time CPU probe (a child process that loads the model, netcfg/probe.py); and prompt evaluation
speed with llama.cpp's CPU-specific weight buffers (full) vs plain weights (the fallback after a crash).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    netcfg = [sys.executable, "-m", "netcfg"]
    helps = [timed(netcfg + ["--help"]) for _ in range(args.runs)]
    print(f"netcfg --help: median {statistics.median(helps):.3f}s (min {min(helps):.3f}s, {args.runs} runs)")
    gen = netcfg + ["generate", "default route via 10.0.0.1"]
    timed(gen)  # first ever run: assembles the GGUF and caches the instructions' KV state
    colds = [timed(gen) for _ in range(args.runs)]
    print(
        f"cold netcfg generate (new process, first result): median {statistics.median(colds):.2f}s "
        f"(min {min(colds):.2f}s, {args.runs} runs)"
    )
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak memory of any netcfg process: {peak_kb / 1024:.0f} MiB")
    probe_speeds()


def probe_speeds() -> None:
    from netcfg import llama_adapter, probe
    from netcfg.model import embedded_model_path

    path = embedded_model_path()
    for name, settings in (("full", probe.FULL), ("plain", probe.PLAIN)):
        t = time.perf_counter()
        code = subprocess.run(probe._child_argv(path, settings, 2)).returncode
        child_s = time.perf_counter() - t
        if code != 0:
            print(
                f"{name} weights: the probe child failed ({probe._signal_name(code) if code < 0 else code}); not timed"
            )
            continue
        llm = llama_adapter.load_llama(
            settings, model_path=str(path), n_ctx=1024, n_threads=2, n_batch=512, flash_attn=True, verbose=False, seed=0
        )
        tokens = llm.tokenize(("interface GigabitEthernet0/1\n description uplink\n" * 40).encode())[:400]
        llm.eval(tokens[:8])  # warm-up
        runs = []
        for _ in range(3):
            llm.reset()
            t = time.perf_counter()
            llm.eval(tokens)
            runs.append(time.perf_counter() - t)
        llm.close()
        print(
            f"{name} weights: probe child {child_s:.2f}s; prompt evaluation "
            f"{len(tokens) / statistics.median(runs):.0f} tokens/s (400 tokens, 2 threads)"
        )


if __name__ == "__main__":
    main()
