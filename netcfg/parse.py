"""Intent text -> typed changes: few-shot prompt, grammar-constrained decoding, grounding, one retry."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import yaml

from . import intent
from .errors import ConfigError, IntentError, ModelError, NetcfgError, UnsupportedError
from .model import Backend
from .paths import data_path

MAX_INTENT = 2000
PROMPT_VERSION = "3"
ANSWER_PREFIX = '{"changes":[{"kind":"'  # every answer starts so; the model need not spend time on it


@dataclass
class Parsed:
    """The model's typed changes for one intent, and how many model calls it took."""

    changes: list[dict]
    attempts: int


# --- examples -------------------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    t = text.lower()
    t = re.sub(r"\d+\.\d+\.\d+\.\d+", " IP ", t)
    t = re.sub(r"/\d+", " PFX ", t)
    t = re.sub(r"\b[a-z]+-?\d+(?:/\d+)+\b", " IF ", t)
    t = re.sub(r"\d+", " NUM ", t)
    words = re.findall(r"[a-z]+|IP|PFX|IF|NUM", t)
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


class ExampleIndex:
    """Few-shot examples from prompts/examples.yaml, retrieved by TF-IDF cosine similarity."""

    def __init__(self, examples: list[dict]):
        self.examples = examples
        docs = [Counter(_tokens(e["intent"])) for e in examples]
        df = Counter(tok for d in docs for tok in d)
        n = len(docs)
        self.idf = {tok: math.log((n + 1) / (c + 0.5)) for tok, c in df.items()}
        self.vectors = [self._vec(d) for d in docs]

    def _vec(self, counts: Counter) -> dict[str, float]:
        v = {t: c * self.idf.get(t, math.log(len(self.examples) + 1)) for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def nearest(self, text: str, k: int) -> list[dict]:
        """The k most similar examples, the most similar last."""
        q = self._vec(Counter(_tokens(text)))
        scored = sorted(
            range(len(self.examples)),
            key=lambda i: -sum(q.get(t, 0.0) * x for t, x in self.vectors[i].items()),
        )
        return [self.examples[i] for i in reversed(scored[:k])]


@lru_cache(maxsize=None)
def example_index() -> ExampleIndex:
    with open(data_path("prompts") / "examples.yaml") as f:
        return ExampleIndex(yaml.safe_load(f))


@lru_cache(maxsize=None)
def instructions() -> str:
    text = (data_path("prompts") / "instructions.txt").read_text()
    return text.replace("{kinds}", intent.kinds_doc())


def _compact(changes: list[dict]) -> str:
    return json.dumps({"changes": changes}, separators=(",", ":"))


def build_messages(text: str, k: int = 4) -> list[dict]:
    """Fixed instructions first (their evaluation is kept), then the k most similar examples, then the intent."""
    msgs = [{"role": "system", "content": instructions()}]
    for ex in example_index().nearest(text, k):
        msgs.append({"role": "user", "content": ex["intent"]})
        msgs.append({"role": "assistant", "content": _compact(ex["changes"])})
    msgs.append({"role": "user", "content": text})
    return msgs


# --- parse ----------------------------------------------------------------------------------

def check_text(text: str) -> str:
    """Reject empty, over-long or letterless intents before the model sees them."""
    text = (text or "").strip()
    if not text:
        raise IntentError("the intent is empty; say what to change, e.g. \"create vlan 30 named GUESTS\"")
    if len(text) > MAX_INTENT:
        raise IntentError(f"the intent is {len(text)} characters long; the limit is {MAX_INTENT}")
    if not re.search(r"[A-Za-z]{2,}", text):
        raise IntentError(f"cannot understand the intent {text!r}; say what to change, e.g. \"create vlan 30\"")
    return text


def _decode(backend: Backend, messages: list[dict], examples: int, allow_unsupported: bool) -> list[dict]:
    raw = backend.complete(messages, intent.grammar_schema(allow_unsupported), prefix=ANSWER_PREFIX,
                           examples=examples, follow=intent.forced_next)
    try:
        changes = json.loads(raw)["changes"]
        assert isinstance(changes, list) and all(isinstance(c, dict) for c in changes)
    except (ValueError, KeyError, AssertionError, TypeError):
        raise ModelError(f"the model's answer is not a valid intent: {raw[:200]!r}") from None
    # what the grammar allows, checked again for a backend that might not enforce it ("unsupported"
    # answers are judged by grounding, as before)
    kinds = [c for c in changes if c.get("kind") != intent.UNSUPPORTED]
    shape = intent.shape_problems(kinds) if kinds else []
    if shape:
        raise ModelError(f"the model's answer is not a valid intent: {shape[0]}")
    return changes


def _problems(changes: list[dict], text: str) -> list[str]:
    out = []
    for c in changes:
        if c.get("kind") != intent.UNSUPPORTED:
            out += intent.ungrounded(c, text)
    if any(p.startswith("the request does not ask for") for p in out):
        fits = intent.cued_kinds(text)
        out.append(f"its words fit the kinds {', '.join(fits)}" if fits else "none of its words fit a kind")
    return out


def answer_problems(changes, text: str, check: Callable[[list[dict]], object] | None = None) -> list[str]:
    """Why a stored answer (the parse cache, a batch's memory) cannot be taken for `text`; empty when it
    passes what a fresh answer passes: the grammar's shape, grounding in the request, and `check`."""
    problems = intent.shape_problems(changes)
    if not problems:
        problems = _problems(changes, check_text(text))
    if not problems and check is not None:
        try:
            check(changes)
        except NetcfgError as e:
            problems = [str(e)]
    return problems


def _tidy(changes: list[dict], text: str) -> list[dict]:
    """Fix what the answer as a whole got wrong, without asking again: the same change twice is kept
    once; an add is a removal when the request negates its kind ("no bpdu guard on e1/8") and it is
    the only change of that kind; an extra change of a kind the request never mentions whose values
    all belong to the changes that answer it (routed_port eth2 beside "eth2 ip 10.1.2.1/24") is left
    out. Anything else wrong is sent back to the model."""
    changes = [c for i, c in enumerate(changes) if c not in changes[:i]]
    kinds = [c.get("kind") for c in changes]
    changes = [dict(c, op="remove") if c.get("op") == "add" and kinds.count(c["kind"]) == 1
               and intent.negated(c["kind"], text) else c for c in changes]
    asked = [c for c in changes if c.get("kind") == intent.UNSUPPORTED or intent.asks_for(c.get("kind"), text)]
    seen = set().union(*(_values(c) for c in asked))
    return [c for c in changes if c in asked or not _values(c) <= seen] if asked else changes


def _values(change: dict) -> set[str]:
    return {str(v).lower() for k, v in change.items() if k not in ("kind", "op")}


def _leaves_out(changes: list[dict], text: str) -> bool:
    """Whether an address in the request is in none of the changes (an item dropped from a list)."""
    used = " ".join(set().union(*map(_values, changes)))
    return any(a not in used for a in intent.addresses(text) if not a.startswith("255."))


def _unsupported(changes: list[dict]) -> bool:
    return any(c.get("kind") == intent.UNSUPPORTED for c in changes)


def parse(text: str, backend: Backend, check: Callable[[list[dict]], object] | None = None, k: int = 4) -> Parsed:
    """Ask the model for typed changes; retry once with the problems fed back; then refuse.

    The first answer is a fast draft: all examples but the most similar come from saved blocks, each
    evaluated apart from the others. It is taken only if it passes every check; otherwise the same
    prompt is evaluated exactly, and that answer gets the one retry with its problems fed back.
    `check(changes)` validates and renders the changes for the target vendor; an IntentError or
    ConfigError from it counts as a problem worth a retry, and is re-raised if the retry fails too.
    """
    text = check_text(text)
    messages = build_messages(text, k)
    blocks = max((len(messages) - 2) // 2 - 1, 0)
    tries = ([blocks] if blocks else []) + [0, 0]
    failure: NetcfgError | None = None
    # A request that mentions something netcfg supports gets no "unsupported" way out: small models
    # take it whenever unsure. If it really is out of scope, grounding refuses the forced answer.
    allow_unsupported = not intent.has_cues(text)
    for attempt, cached in enumerate(tries, 1):
        changes = _tidy([intent.repair(c, text) for c in _decode(backend, messages, cached, allow_unsupported)], text)
        failure = None
        if _unsupported(changes):
            problems = []
        else:
            problems = _problems(changes, text)
            if not problems and check is not None:
                try:
                    check(changes)
                except (IntentError, ConfigError) as e:
                    failure, problems = e, [str(e)]
        if not problems and not (cached and (_unsupported(changes) or _leaves_out(changes, text))):
            break
        if attempt == len(tries) - 1:
            messages = messages + [
                {"role": "assistant", "content": _compact(changes)},
                {"role": "user", "content": "Wrong: " + "; ".join(problems)
                 + ". Answer again for the same request, using only values written in it."},
            ]
    if _unsupported(changes):
        raise UnsupportedError(f"netcfg cannot do that: {text[:80]!r}; it supports: {intent.supported_summary()}")
    if failure is not None:
        raise failure
    if problems:
        raise ModelError(
            f"could not understand the intent reliably ({problems[0]}); rephrase it with explicit values. "
            f"netcfg supports: {intent.supported_summary()}"
        )
    return Parsed(changes, attempt)
