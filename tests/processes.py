"""Real processes the tests and benchmarks drive: `netcfg shell` on a pseudo-terminal, and
llama-cpp-python's OpenAI-compatible server with the embedded model on a free local port."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import socket
import struct
import subprocess
import sys
import termios
import time
import urllib.request
from contextlib import contextmanager
from typing import Iterator

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[>=][0-9]*|\x1b\][^\x07]*\x07|\r")


def plain(text: str) -> str:
    """Terminal output without escape sequences or carriage returns."""
    return _ESCAPES.sub("", text)


class Terminal:
    """`netcfg shell ARGS` on a 250-column pseudo-terminal (no line wraps): type text, wait for text."""

    def __init__(self, args: list[str], env: dict | None = None, cwd=None):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))
        # no terminal emulator answers prompt_toolkit's cursor position requests here
        env = dict(env if env is not None else os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
        cmd = [sys.executable, "-m", "netcfg", "shell", *args]
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd)
        os.close(slave)
        self.seen = ""

    def wait_for(self, pattern: str, timeout: float = 120) -> str:
        """The output up to the end of the first match of `pattern` (escapes removed); later text is kept
        for the next wait. An AssertionError with what was seen, after `timeout` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            text = plain(self.seen)
            m = re.search(pattern, text)
            if m:
                self.seen = text[m.end() :]
                return text[: m.end()]
            if select.select([self.master], [], [], 0.05)[0]:
                try:
                    self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        raise AssertionError(f"no {pattern!r} in: {plain(self.seen)[-2000:]}")

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> int:
        """Wait for the shell to exit; its exit code."""
        try:
            return self.proc.wait(timeout=30)
        finally:
            os.close(self.master)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_SERVER_WITH_SETTINGS = """
import json, runpy, sys
from netcfg.llama_adapter import model_params
settings = json.loads(sys.argv.pop(1))
sys.argv[0] = "llama_cpp.server"
with model_params(settings):
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
"""


@contextmanager
def llama_server() -> Iterator[str]:
    """`python -m llama_cpp.server` with netcfg's embedded model; yields its API base URL."""
    from netcfg import model
    from netcfg.probe import FULL, load_settings

    port = free_port()
    path = model.embedded_model_path(model.EMBEDDED)
    threads = os.cpu_count() or 2
    settings = load_settings(path, model.model_id(path), threads, warn=lambda _: None)
    # the server takes no option for llama.cpp's weight layouts: where this CPU crashes with the
    # full-speed ones (AMX), the same module runs with netcfg's probed settings as the model's defaults
    launch = ["-m", "llama_cpp.server"]
    if settings != FULL:
        launch = ["-c", _SERVER_WITH_SETTINGS, json.dumps(settings)]
    cmd = [sys.executable, *launch, "--model", str(path), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--n_ctx", "4096", "--n_threads", str(threads), "--verbose", "False"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(240):
            if proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(url + "/models", timeout=1).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("llama_cpp.server did not start within 120 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
