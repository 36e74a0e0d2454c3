"""netcfg shell latency, the way an engineer sees it: `netcfg shell` on a pseudo-terminal, single-change
intents typed one after another, timed from Enter to the next prompt.

    python benchmarks/shell_speed.py [-n 20] [--vendor cisco_ios]

Prints the first intent (the model loaded while the prompt waited) and the warm p50/p90 of the others.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[>=][0-9]*|\x1b\][^\x07]*\x07|\r")


class Pty:
    def __init__(self, args: list[str]):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))  # no line wraps
        env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT)
        os.close(slave)
        self.seen = ""

    def wait_for(self, pattern: str, timeout: float = 180) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            text = _ESCAPES.sub("", self.seen)
            m = re.search(pattern, text)
            if m:
                self.seen = text[m.end() :]
                return text[: m.end()]
            if select.select([self.master], [], [], 0.05)[0]:
                self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
        sys.exit(f"timed out waiting for {pattern!r}: {_ESCAPES.sub('', self.seen)[-500:]}")

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--vendor", default="cisco_ios")
    args = ap.parse_args()
    cases = yaml.safe_load((ROOT / "examples" / "eval" / f"{args.vendor}.yaml").read_text())
    intents = [c["intent"] for c in cases if not c.get("running")][: args.n]
    term = Pty([sys.executable, "-m", "netcfg", "shell", "--vendor", args.vendor])
    term.wait_for(r"> ?")
    times, outcomes = [], {"understood": 0, "error": 0}
    for text in intents:
        term.type(text)
        term.wait_for(re.escape(text[-12:]))  # echoed: the line is in
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
    print(f"{len(intents)} single-change {args.vendor} intents, {os.cpu_count()} CPUs")
    print(f"first intent (model loaded while the prompt waited): {times[0]:.2f} s")
    print(
        f"warm: p50 {statistics.median(warm):.2f} s, p90 {sorted(warm)[int(0.9 * (len(warm) - 1))]:.2f} s "
        f"({outcomes['understood']} understood, {outcomes['error']} refused)"
    )


if __name__ == "__main__":
    main()
