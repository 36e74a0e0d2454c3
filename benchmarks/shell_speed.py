"""netcfg shell latency, the way an engineer sees it: `netcfg shell` on a pseudo-terminal, single-change
intents entered one after another, timed from Enter to the next prompt.

    python benchmarks/shell_speed.py [-n 20] [--vendor cisco_ios] [--cps 6]

Each intent is entered twice over, in two sessions: pasted (the whole line at once, Enter right after)
and typed (a key at a time, `--cps` keys a second, so the shell works on the line while it is typed).
Prints the first intent (the model loaded while the prompt waited) and the warm p50/p90 of the others.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from processes import Terminal  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--vendor", default="cisco_ios")
    ap.add_argument("--cps", type=float, default=6.0, help="typing speed, keys a second (6: about 70 words a minute)")
    args = ap.parse_args()
    cases = yaml.safe_load((ROOT / "examples" / "eval" / f"{args.vendor}.yaml").read_text())
    intents = [c["intent"] for c in cases if not c.get("running")][: args.n]
    print(f"{len(intents)} single-change {args.vendor} intents, {os.cpu_count()} CPUs")
    for cps in (0.0, args.cps):
        session(intents, args.vendor, cps)


def session(intents: list[str], vendor: str, cps: float) -> None:
    """One shell session: each intent entered (pasted, or typed at `cps` keys a second) and timed from Enter."""
    term = Terminal(["--vendor", vendor], cwd=ROOT)
    term.wait_for(r"> ?")
    times, outcomes = [], {"understood": 0, "error": 0}
    for text in intents:
        for key in [text] if not cps else text:
            term.type(key)
            time.sleep(1 / cps if cps else 0)
        # echoed: the line is in (typed a key at a time, its spaces are drawn as cursor moves)
        term.wait_for(r"\s*".join(map(re.escape, text.replace(" ", "")[-10:])))
        start = time.perf_counter()
        term.type("\r")
        out = term.wait_for(r"(understood|error|question): [^\n]*\n[\s\S]*?> ?")
        if "question:" in out:  # a clarifying question: Enter leaves it unanswered (a refusal)
            term.type("\r")
            out = term.wait_for(r"(understood|error): [^\n]*\n[\s\S]*?> ?")
        times.append(time.perf_counter() - start)
        outcomes["understood" if "understood:" in out else "error"] += 1
    term.type("/clear\r")
    term.wait_for(r"cleared[\s\S]*?> ?")
    term.type("exit\r")
    term.proc.wait(timeout=30)
    warm = times[1:]
    print(f"{'pasted' if not cps else f'typed at {cps:g} keys/s'}:")
    print(f"  first intent (model loaded while the prompt waited): {times[0]:.2f} s")
    print(
        f"  warm: p50 {statistics.median(warm):.2f} s, p90 {sorted(warm)[int(0.9 * (len(warm) - 1))]:.2f} s "
        f"({outcomes['understood']} understood, {outcomes['error']} refused)"
    )


if __name__ == "__main__":
    main()
