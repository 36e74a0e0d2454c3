"""Prompt states: the KV cache of the fixed instructions and of each few-shot example block, kept on disk
(checksummed, private) so that a request evaluates only what is its own."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Callable

from .llama_adapter import LlamaModel
from .paths import cache_dir, private_dir, write_private

# instructions (12 MB) and their example blocks (up to ~250 MB) kept on disk: the two versions in use (with
# and without the cued_only kinds, parse.instructions); older prompts age out
KV_STATES_KEPT = 2
_STOP_EVERY = 16  # tokens evaluated between asking whether to stop (about 0.1 s on 2 cores)


def _kv_dir() -> Path:
    return cache_dir() / "kv"


def _sum_file(state: Path) -> Path:
    return state.with_name(state.name + ".sha256")


def _drop_state(state: Path) -> None:
    state.unlink(missing_ok=True)
    _sum_file(state).unlink(missing_ok=True)
    shutil.rmtree(state.with_suffix(""), ignore_errors=True)


def clear_prompt_states() -> int:
    """Delete the saved KV states of the instructions and their examples; returns how many there were."""
    states = list(_kv_dir().glob("*.state"))
    for f in states:
        _drop_state(f)
    return len(states)


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def state_intact(state: Path) -> bool:
    """A saved instructions state whose checksum file matches it (else both are deleted)."""
    try:
        if _sum_file(state).read_text().strip() == _file_sha256(state):
            return True
    except OSError:
        pass
    _drop_state(state)
    return False


class PromptCache:
    """What a model's KV cache holds, and the saved states that fill it: the instructions' state file, and
    beside it a folder of example blocks, each evaluated right after the instructions."""

    def __init__(self, model: LlamaModel, key: list, n_ctx: int):
        self.model, self.key, self.n_ctx = model, key, n_ctx  # key: what changes a saved state's layout
        self.blocks_from: int | None = None  # where loaded example blocks start in the cache

    def state_file(self, prefix: list[int]) -> Path:
        digest = hashlib.sha256(json.dumps([*self.key, prefix]).encode()).hexdigest()[:24]
        return _kv_dir() / f"{digest}.state"

    def warm(self, prefix: list[int]) -> None:
        """Have the instructions' KV state in the cache: already there, else from their state file, else
        evaluated and saved (the newest KV_STATES_KEPT files are kept)."""
        m = self.model
        n = len(prefix)
        if m.n_tokens >= n and m.evaluated(n) == prefix:
            return
        state = self.state_file(prefix)
        if state.is_file() and state_intact(state) and m.load_state(state, self.n_ctx) == prefix:
            self.blocks_from = None
            os.utime(state)
            return
        self.evaluate(prefix)
        folder = state.parent
        try:
            private_dir(folder)
            tmp = state.with_suffix(f".tmp{os.getpid()}")
            if m.save_state(tmp, prefix):
                os.chmod(tmp, 0o600)
                write_private(_sum_file(state), _file_sha256(tmp))
                os.replace(tmp, state)
            for old in sorted(folder.glob("*.state"), key=lambda f: f.stat().st_mtime)[:-KV_STATES_KEPT]:
                _drop_state(old)
        except OSError:
            pass  # an unwritable cache costs speed, not correctness

    @staticmethod
    def _block_file(folder: Path, tokens: list[int]) -> Path:
        return folder / (hashlib.sha256(json.dumps(tokens).encode()).hexdigest()[:24] + ".blk")

    def _block_state(self, folder: Path, start: int, tokens: list[int]) -> bytes:
        """The KV cells of one example block evaluated right after the instructions (the cache's first
        `start` tokens), from its file in `folder` or evaluated and saved there."""
        path = self._block_file(folder, tokens)
        try:
            saved = path.read_bytes()
            if hashlib.sha256(saved[32:]).digest() == saved[:32]:
                return saved[32:]
            path.unlink()  # damaged: evaluated again
        except OSError:
            pass
        self.blocks_from = None
        data = self.model.block_state(start, tokens)
        try:
            write_private(path, hashlib.sha256(data).digest() + data)
        except OSError:
            pass
        return data

    def place_examples(self, lead: list[int], blocks: list[list[int]], tokens: list[int]) -> None:
        """Put the example blocks' saved KV cells after the instructions (`lead`), each moved to its place,
        so that what follows them in `tokens` is all that is evaluated. Each block was evaluated after
        the instructions alone, not after the examples before it: an approximation that saves evaluating
        some 200 tokens per request and costs a few points of accuracy (parse takes such an answer only
        as a draft that must pass every check)."""
        start, end = len(lead), len(lead) + sum(map(len, blocks))
        if tokens[:end] != lead + [t for b in blocks for t in b]:
            return  # the template does not render examples as separate blocks: evaluate everything
        if self.model.n_tokens >= end and self.model.evaluated(end) == tokens[:end]:
            return  # already in place (a retry of the same request)
        folder = self.state_file(lead).with_suffix("")
        states = [self._block_state(folder, start, b) for b in blocks]
        bad = self.model.place_blocks(start, blocks, states)
        if bad is not None:
            self._block_file(folder, blocks[bad]).unlink(missing_ok=True)  # damaged: made again next time
            return
        self.blocks_from = start

    def evaluate(self, tokens: list[int], exact: bool = False, stop: Callable[[], bool] | None = None) -> None:
        """Evaluate `tokens`, reusing the KV cache of the longest prefix already evaluated (with `exact`,
        not past where example blocks were loaded); with `stop`, a few tokens at a time until it says so."""
        m = self.model
        n = 0
        for a, b in zip(m.evaluated(), tokens):
            if a != b:
                break
            n += 1
        if exact and self.blocks_from is not None:
            n = min(n, self.blocks_from)
        m.truncate(min(n, len(tokens) - 1))
        if self.blocks_from is not None and m.n_tokens <= self.blocks_from:
            self.blocks_from = None
        if stop is None:
            m.eval(tokens[m.n_tokens :])
            return
        while m.n_tokens < len(tokens) and not stop():
            m.eval(tokens[m.n_tokens : m.n_tokens + _STOP_EVERY])
