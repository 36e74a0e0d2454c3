"""netcfg vs. the naive approach on the same dev set and the same model.

netcfg: the model fills a typed intent under a grammar; code renders the config.
naive:  the same model, the same few-shot examples (their configs rendered for the vendor), asked to
        write the configuration directly.

    python benchmarks/accuracy.py examples/eval/cisco_ios.yaml [--model PATH] [--limit N] [--naive/--no-naive]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netcfg import evaluate, generate, parse, vendors  # noqa: E402
from netcfg.errors import NetcfgError  # noqa: E402
from netcfg.model import get_backend, get_fallback  # noqa: E402

NAIVE_SYSTEM = (
    "You are a network engineer. Write the {title} configuration that makes the requested change. "
    "Answer with configuration lines only, indented by hierarchy, no explanations."
)


def naive_messages(text: str, vendor: vendors.Vendor, k: int = 4) -> list[dict]:
    msgs = [{"role": "system", "content": NAIVE_SYSTEM.format(title=vendor.title)}]
    for ex in parse.example_index().nearest(text, k):
        try:
            _, config, _, _ = generate.build(ex["changes"], vendor)
        except NetcfgError:
            continue  # unsupported examples or features this vendor lacks
        msgs += [{"role": "user", "content": ex["intent"]}, {"role": "assistant", "content": config}]
    msgs.append({"role": "user", "content": text})
    return msgs


def run_naive(backend, case: dict) -> evaluate.CaseResult:
    vendor = vendors.get(case["vendor"])
    start = time.perf_counter()
    llm = backend._load().llm
    prompt = backend._prompt(naive_messages(case["intent"], vendor))
    out = llm.create_completion(backend._tokens(prompt), temperature=0.0, max_tokens=300)["choices"][0]["text"]
    seconds = time.perf_counter() - start
    missing, extra = evaluate.compare(case["expect"], out, case["optional"], case["vendor"])
    return evaluate.CaseResult(
        str(case["id"]), case["intent"], case["vendor"], not missing and not extra, seconds, missing, extra, "", out
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset", nargs="+")
    ap.add_argument("--model")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--naive", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument(
        "--large",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="ask the optional large model when the embedded one's answer cannot be taken (if installed)",
    )
    args = ap.parse_args()
    everything: list = []
    backend = get_backend(args.model)
    fallback = get_fallback(args.model) if args.large else None
    for path in args.dataset:
        cases = evaluate.load_dataset(Path(path))[: args.limit]
        ours = [
            evaluate.run_case(c, lambda t, v, r: generate.generate(t, v, backend, r, fallback=fallback)) for c in cases
        ]
        everything += ours
        s = evaluate.summary(ours)
        line = f"{path}: netcfg {evaluate.outcome_line(s)}, p50 {s['p50_s']:.2f}s p95 {s['p95_s']:.2f}s"
        if args.naive:
            naive = [run_naive(backend, c) for c in cases]
            n = evaluate.summary(naive)
            ratio = s["accuracy"] / n["accuracy"] if n["accuracy"] else float("inf")
            line += (
                f" | naive {n['passed']}/{n['cases']} = {n['accuracy']:.1%}, p50 {n['p50_s']:.2f}s"
                f" | accuracy ratio {ratio:.1f}x"
            )
        print(line, flush=True)
        fails = [r for r in ours if not r.passed]
        for r in fails:
            print(
                f"  {'REFUSED' if r.outcome == 'refused' else 'WRONG'} {r.id}: {r.intent} :: {r.error or ('missing ' + '; '.join(r.missing) + ' extra ' + '; '.join(r.extra))}"
            )
    if len(args.dataset) > 1:
        print(f"all: netcfg {evaluate.outcome_line(evaluate.summary(everything))}")
    confusion = evaluate.kind_confusion(everything)
    if confusion:
        print("kind confusion (expected kind: what was predicted, cases):")
        for want, row in confusion.items():
            print(f"  {want}: " + ", ".join(f"{k} {n}" for k, n in sorted(row.items(), key=lambda kv: -kv[1])))
    by = evaluate.p50_by_changes(everything)
    print("p50 of exact answers by number of changes: " + ", ".join(f"{k}: {v:.2f}s" for k, v in by.items()))
    second = f", then {fallback.name} where its answer could not be taken" if fallback else ""
    print(f"model {backend.name}{second}; latency per case includes the retry when one was needed")


if __name__ == "__main__":
    main()
