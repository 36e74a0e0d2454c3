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

from . import grounding, intent, values
from .configtree import paths
from .coverage import (
    asks_nothing,
    clauses,
    conflicting,
    expand_ports,
    fill_lists,
    pronoun,
    scattered,
    subsumed,
    things,
    unplaced,
    unserved,
    without_tickets,
)
from .errors import ConfigError, IntentError, ModelError, NetcfgError, UnplacedError, UnsupportedError
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
    doubt: NetcfgError | None = None  # what the coverage checks hold against it (lenient parses only)


# --- examples -------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    t = text.lower()
    t = re.sub(r"\d+\.\d+\.\d+\.\d+", " IP ", t)
    t = values.IPV6_RE.sub(lambda m: " IPSIX " if values.ipv6_found(m.group(0)) else m.group(0), t)
    t = re.sub(r"/\d+", " PFX ", t)
    t = re.sub(r"\b[a-z]+-?\d+(?:/\d+)+\b", " IF ", t)
    t = re.sub(r"\d+", " NUM ", t)
    words = re.findall(r"[a-z]+|IPSIX|IP|PFX|IF|NUM", t)
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
def instructions(cued: bool = True) -> str:
    """The model's fixed instructions; without `cued`, the `cued_only` kinds are left out. Two
    versions at most, so that both keep their evaluation (netcfg/prompt_cache.py)."""
    text = (data_path("prompts") / "instructions.txt").read_text()
    return text.replace("{kinds}", intent.kinds_doc(cued)).replace("{cued_hints}", intent.kinds_hints() if cued else "")


def _compact(changes: list[dict]) -> str:
    return json.dumps({"changes": changes}, separators=(",", ":"))


def build_messages(text: str, k: int = 4, cues: str | None = None) -> list[dict]:
    """Fixed instructions first (their evaluation is kept), then the k most similar examples, then the intent.
    `cues`: the text whose cue words decide the `cued_only` kinds (a clause's whole request; else `text`)."""
    cued = intent.uncued_kinds(cues or text) != intent.cued_only_kinds()
    msgs = [{"role": "system", "content": instructions(cued)}]
    for ex in example_index().nearest(text, k):
        msgs.append({"role": "user", "content": ex["intent"]})
        msgs.append({"role": "assistant", "content": _compact(ex["changes"])})
    # A sentence's full stop right after an address reads to the model as one more octet ("1.1.1.1." -> "1.1.1.1.0").
    msgs.append({"role": "user", "content": re.sub(r"(\d+\.\d+\.\d+\.\d+)\.\s*$", r"\1", text)})
    return msgs


def prefill(text: str, backend: Backend, k: int = 4, naming=None, stale: Callable[[], bool] | None = None) -> None:
    """Have the backend evaluate ahead the prompt of a request that starts with `text` (a line still
    being typed), where it can, until `stale()`; parse() then evaluates only what is left."""
    early = getattr(backend, "prefill", None)
    try:
        text = check_text(text)  # nothing the answer would refuse goes ahead: no literal secret reaches the model
    except NetcfgError:
        return
    if early is not None:
        early(build_messages(without_tickets(text, naming), k), stale)


# --- parse ----------------------------------------------------------------------------------


# Offer the model only the kinds of change the request's words ask for (grounding refuses any other).
OFFER_ASKED = True


def check_text(text: str) -> str:
    """Reject empty, over-long or letterless intents before the model sees them."""
    text = (text or "").strip()
    if not text:
        raise IntentError('the intent is empty; say what to change, e.g. "create vlan 30 named GUESTS"')
    if len(text) > MAX_INTENT:
        raise IntentError(f"the intent is {len(text)} characters long; the limit is {MAX_INTENT}")
    if not re.search(r"[A-Za-z]{2,}", text):
        raise IntentError(f'cannot understand the intent {text!r}; say what to change, e.g. "create vlan 30"')
    values.literal_secret(text)
    return text


def _decode(
    backend: Backend, messages: list[dict], draft: bool, allow_unsupported: bool, cues: str | None = None
) -> list[dict]:
    text = messages[-1]["content"]
    raw = backend.complete(
        messages,
        intent.grammar_schema(
            allow_unsupported, text, cues, grounding.unasked_kinds(text, cues) if OFFER_ASKED else ()
        ),
        prefix=ANSWER_PREFIX,
        follow=intent.forced_next,
        draft=draft,
    )
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


def _left_out(changes: list[dict], text: str, naming) -> list[str]:
    """What the request names that no change uses (netcfg/coverage.py), as values written in it."""
    if naming is None or _unsupported(changes):
        return []
    return [str(t) for t in unplaced(text, changes, naming)]


def _scattered_changes(changes: list[dict], text: str, naming) -> list[dict]:
    """The changes whose values come from different parts of the request (coverage.scattered: "10.44.0.1/24
    to vlan 44 and shut Gi0/2" with the address on Gi0/2), or that set one setting twice (coverage.conflicting)."""
    if naming is None or _unsupported(changes):
        return []
    wrong = scattered(text, changes, naming)
    return wrong + [c for c in conflicting(changes, naming) if c not in wrong]


def _scattered(changes: list[dict], text: str, naming) -> list[str]:
    """A problem for each change _scattered_changes finds, and for a value said again that no change of
    its part uses (coverage.unserved)."""
    problems = [
        f"'{intent.describe(c)}' joins values from different parts of the request; each change takes the "
        f"values of its own part"
        for c in _scattered_changes(changes, text, naming)
    ]
    if naming is None or problems or _unsupported(changes):
        return problems
    return [
        f"no change of the part that says {t.text!r} again uses it; each part of the request needs its own change"
        for t in unserved(text, changes, naming)
    ]


def _unplaced(left: list[str], changes: list[dict]) -> UnplacedError:
    """The error for parts of a request no change uses, carrying the changes that are sound."""
    return UnplacedError(
        f"netcfg could not place {', '.join(repr(x) for x in left)} from the request in any "
        f"change; say what each is for, in a separate sentence or intent",
        left,
        changes,
    )


def _left_out_problem(left: list[str]) -> str:
    return (
        f"the answer does not use {', '.join(repr(x) for x in left)} from the request; put each value in a "
        f"change of the kind it belongs to"
    )


def answer_problems(changes, text: str, check: Callable[[list[dict]], object] | None = None, naming=None) -> list[str]:
    """Why a stored answer (the parse cache, a batch's memory) cannot be taken for `text`; empty when it
    passes what a fresh answer passes: the grammar's shape, grounding in the request, every part of the
    request used (with the vendor's interface `naming`), and `check`."""
    problems = intent.shape_problems(changes)
    if not problems:
        problems = grounding.problems(changes, check_text(text))
    if not problems:
        left = _left_out(changes, text, naming)
        problems = [_left_out_problem(left)] if left else _scattered(changes, text, naming)
    if not problems and check is not None:
        try:
            check(changes)
        except NetcfgError as e:
            problems = [str(e)]
    return problems


def _unsupported(changes: list[dict]) -> bool:
    return any(c.get("kind") == intent.UNSUPPORTED for c in changes)


def parse(
    text: str,
    backend: Backend,
    check: Callable[[list[dict]], tuple] | None = None,
    k: int = 4,
    naming=None,
    ask: Callable[[str], str] | None = None,
    fallback: Backend | None = None,
) -> Parsed:
    """Ask the model for typed changes; retry once with the problems fed back; then refuse.

    The first answer is a fast draft: all examples but the most similar come from saved blocks, each
    evaluated apart from the others. It is taken only if it passes every check; otherwise the same
    prompt is evaluated exactly, and that answer gets the one retry with its problems fed back.
    `check(changes)` validates and renders the changes for the target vendor; an IntentError or
    ConfigError from it counts as a problem worth a retry, and is re-raised if the retry fails too.
    With the vendor's interface `naming`, an answer must also use every thing the request names
    (netcfg/coverage.py); if the retry still leaves one out, UnplacedError names it.
    A `fallback` model (the optional large one) answers what the first could not, with the same checks.
    With `ask` (a person at a terminal), a request netcfg could not place or ground is not refused at
    once: one short question is asked, and the reply is parsed as a change of its own.
    """
    text = check_text(text)
    try:
        return _parse(text, backend, check, k, naming)
    except UnsupportedError:
        raise
    except NetcfgError as first:
        e = first
    if fallback is not None:
        try:
            second = _parse(text, fallback, check, k, naming)
            return Parsed(second.changes, second.attempts + 1)
        except UnsupportedError:
            raise
        except NetcfgError:
            pass
    if (
        ask is None
        or not isinstance(e, (UnplacedError, ModelError))
        or (isinstance(e, ModelError) and not e.changes and not isinstance(e, Disagreement))
    ):
        raise e
    return _ask_once(text, e, backend, check, k, naming, ask)


def _question(error: NetcfgError) -> str:
    if isinstance(error, UnplacedError):
        what = ", ".join(error.things)
        return (
            f"netcfg could not place {what}. What is it for? Type that change on its own, with {what} in it "
            f"(Enter cancels)"
        )
    return (
        f"netcfg is not sure: {getattr(error, 'problems', [error])[0]}. Say that change again plainly (Enter cancels)"
    )


def _ask_once(text: str, error, backend, check, k, naming, ask) -> Parsed:
    """One question for what could not be placed or grounded; the reply is parsed as its own request
    (no second question) and joins the changes that were sound. The whole must then use everything
    the request named and pass `check`; otherwise the original error stands."""
    reply = (ask(_question(error)) or "").strip()
    if not reply:
        raise error
    wrong = _scattered_changes(error.changes, text, naming)
    keep = [c for c in error.changes if not grounding.ungrounded(c, text) and c not in wrong]
    more = _parse(reply, backend, check=None, k=k, naming=naming)
    changes = keep + [c for c in more.changes if c not in keep]
    left = _left_out(changes, text + " " + reply, naming) if naming is not None else []
    if left:
        raise _unplaced(left, changes)
    if check is not None:
        check(changes)
    return Parsed(changes, more.attempts + 3)


def _parse(text: str, backend: Backend, check, k: int, naming) -> Parsed:
    """parse() without a question. A request of one clause: its answer. A request of several (with the
    vendor's `naming`): read whole (the fast draft) and clause by clause; what both readings give is
    taken, and where they differ the one that passes every check, or Disagreement when both do (_agreed).
    A sound whole reading of one change is taken at once. Where neither stands, the exact evaluation of the
    whole; else the most telling error."""
    if naming is None:
        return _parse_whole(text, backend, check, k, naming)

    pieces = clauses(text, naming, orphans=True)
    if len(pieces) < 2 and not _rewritten(pieces, text):
        return _parse_whole(text, backend, check, k, naming)
    # a pairing said in order ("e8 and e9: A and B respectively") only the clauses keep for sure
    paired = re.search(intent.spec().get("by_clause_only", r"(?!)"), text, re.I)
    first = whole = parts = unplaced = None
    if not paired:
        try:  # a request of several clauses: its fast draft and its clauses, else its exact evaluation
            whole = _parse_whole(text, backend, check, k, naming, steps="d", lenient=True)
        except UnsupportedError:
            raise
        except NetcfgError as e:
            first = e
    points_back = _points_back(pieces, text, naming)
    if whole is not None and whole.doubt is None and len(whole.changes) == 1 and not points_back:
        return whole  # one change that uses every part: no value of it can sit with another object
    try:
        parts = _by_clause(text, backend, check, k, naming, lenient=not paired)
    except UnplacedError as u:
        unplaced = u  # it names exactly what is left, beside the changes that are sound
        if paired:
            raise
    except NetcfgError as e:
        if paired:
            raise
        first = first or e
    sure = _agreed(whole, parts, check, points_back)
    if sure is not None:
        return sure
    for p in (whole, parts):
        if p is not None and p.doubt is not None:
            if isinstance(p.doubt, UnplacedError):
                unplaced = unplaced or p.doubt
            else:
                first = first or p.doubt
    try:
        exact = _parse_whole(text, backend, check, k, naming, steps="x")
        return Parsed(exact.changes, exact.attempts + 1)  # after the draft (and the clauses)
    except UnsupportedError:
        raise
    except NetcfgError as last:
        # a value the vendor refuses says more than what a clause left over
        clear = isinstance(first, IntentError) and not isinstance(first, UnplacedError)
        raise (first if clear or unplaced is None else unplaced) or last from None


def _points_back(pieces: list, text: str, naming) -> bool:
    """Whether a clause asks for something only of what earlier ones name ("..., then delete both"): one change
    can use every value of the request and still leave that clause out."""
    return any(p.group and pronoun(text[p.start : p.end]) and not things(text[p.start : p.end], naming) for p in pieces)


class Disagreement(ModelError):
    """The request read whole and read clause by clause gave two different sets of changes."""


def _agreed(whole: Parsed | None, parts: Parsed | None, check, points_back: bool = False) -> Parsed | None:
    """The answer two readings of one request support, or None. Read whole and read clause by clause,
    a request that gives the same candidate both ways is taken, even where coverage.scattered doubts
    it: a clause cannot bind a value to another clause's object, so the whole answer did not either.
    Where the two differ and both pass every check, netcfg does not pick one: Disagreement names the
    difference, unless a clause asks something only of what earlier ones name (`points_back`) and the
    clauses say all the whole reading does and more: what they add is that clause, which the whole
    reading, having used its values already, left out. Otherwise the one that passes every check is taken."""
    sound = [p for p in (whole, parts) if p is not None and p.doubt is None]
    if whole is None or parts is None:
        return sound[0] if sound else None
    built = [check(p.changes) if check is not None else None for p in (whole, parts)]  # (normalised, config, ...)
    if _same(whole.changes, parts.changes, built):
        return Parsed(whole.changes, whole.attempts + parts.attempts)
    if len(sound) < 2:
        return sound[0] if sound else None
    said = [
        [intent.describe(c, n) for c, n in zip(p.changes, b[0] if b else [None] * len(p.changes))]
        for p, b in zip((whole, parts), built)
    ]  # with the interface names the vendor gives them
    one = [line for line in said[0] if line not in said[1]]
    other = [line for line in said[1] if line not in said[0]]
    if not one and not other and built[0] is not None and built[1] is not None:  # they differ in a container
        lines = [[" > ".join(p) for p in sorted(paths(b[1]))] for b in (built[0], built[1])]
        one, other = ([p for p in lines[i] if p not in lines[1 - i]] for i in (0, 1))
        one, other = ([p for p in ps if not any(q.startswith(p + " > ") for q in ps)] for ps in (one, other))
    if points_back and other and not one:
        return Parsed(parts.changes, whole.attempts + parts.attempts)
    whole_says, parts_say = " · ".join(one), " · ".join(other)
    problem = "the request reads two ways: " + (
        f"as a whole '{whole_says}', part by part '{parts_say}'"
        if one and other
        else f"part by part it also says '{parts_say}', as a whole it does not"
        if other
        else f"as a whole it also says '{whole_says}', part by part it does not"
    )
    e = Disagreement(f"could not understand the intent reliably ({problem}); say each change plainly, one per sentence")
    e.changes, e.problems = [c for c in whole.changes if c in parts.changes], [problem]
    raise e


def _same(a: list[dict], b: list[dict], built: list) -> bool:
    """Whether two answers mean the same: the same candidate config (`built` by the check), or, unchecked,
    the same changes."""
    if built[0] is not None:
        return paths(built[0][1]) == paths(built[1][1])  # rendered candidates carry no ACL sequence numbers

    def said(changes: list[dict]) -> list[str]:
        return sorted(json.dumps({f: v for f, v in c.items() if v is not None}, sort_keys=True) for c in changes)

    return said(a) == said(b)


def _by_clause(text: str, backend: Backend, check, k: int, naming, lenient: bool = False) -> Parsed:
    """Each clause of the request (coverage.clauses: split, pronouns resolved) parsed on its own, the
    answers joined; the whole must pass what one answer passes. `lenient`: an answer whose only fault is
    a change with values from different parts (coverage.scattered) is returned with that doubt, not raised."""

    pieces = clauses(text, naming, orphans=True)
    if len(pieces) < 2 and not _rewritten(pieces, text):
        raise IntentError("one clause")
    changes: list[dict] = []
    attempts = 1  # the whole request's draft before
    asked = False
    rest = intent.spec().get("everything_else", r"(?!)")
    for piece in pieces:
        if piece.orphan or re.fullmatch(rf"\W*(?:and\s+|then\s+)*(?:{rest})\W*", piece.text, re.I):
            continue  # nothing in it says what it is for: asked about or refused below; "deny everything else"
        if asks_nothing(piece.text, naming):
            continue  # "eth1/7 was a trunk to the old AP controller", "it's now plugged into Gi3/0/8"
        asked = True
        # ("set the domain to example.net."; "prefix-list PL: permit A, deny B": the list's kind is offered to "deny B")
        p = _parse_whole(piece.text.rstrip(" ."), backend, None, k, naming, cues=text)
        attempts += p.attempts
        changes += [c for c in p.changes if c not in changes]
    if not asked:
        raise IntentError("no clause asks for a change")
    # what a piece leaves to the rest of the request ("ospf 27 ..., networks ... in area 0": process 27)
    changes = grounding.everything_else(
        grounding.without_repeats(
            _whole_lists(_join(_in_shared_scope([grounding.repair(c, text) for c in changes]), naming), text, naming)
        ),
        text,
    )
    extra = subsumed(changes, naming)  # "X + Y into po20, LACP active": each member again in the second clause
    # ("route-map RM permit 10 matching PL, set local-preference 180": the clause's own change, joined into the map's)
    changes = [c for c in changes if c not in extra and not any(grounding.within(c, o) for o in changes)]
    problems = grounding.problems(changes, text)
    if problems:
        raise IntentError(problems[0])
    left = _left_out(changes, text, naming)
    if left:
        raise _unplaced(left, changes)
    problems = _scattered(changes, text, naming)
    doubt = IntentError(problems[0]) if problems else None
    if doubt is not None and not lenient:
        raise doubt
    if check is not None:
        check(changes)
    return Parsed(changes, attempts, doubt)


def _in_shared_scope(changes: list[dict]) -> list[dict]:
    """A clause's change without its container (a `scope` field: the ACL of "permit tcp any any eq 443"
    after "ACL GUEST-IN: permit ...") takes the one all the other changes of its kind name."""
    out = []
    for c in changes:
        fields = intent.kinds().get(c.get("kind"), {}).get("fields", {})
        for f in [f for f, fdef in fields.items() if fdef.get("scope") and c.get(f) is None]:
            named = {json.dumps(o[f]): o[f] for o in changes if o.get("kind") == c["kind"] and o.get(f) is not None}
            if len(named) == 1:
                c = dict(c, **{f: next(iter(named.values()))})
        out.append(c)
    return out


def _rewritten(pieces, text: str) -> bool:
    """Whether a request of one clause was said more plainly ("ospf cost from 20 to 45": "ospf cost to 45")."""
    return bool(pieces) and pieces[0].text != text.strip()


def _join(changes: list[dict], naming=None) -> list[dict]:
    """Changes of one kind, op and interface(s) that set different fields become one: "trunk it",
    "native 99" and "allow 99,210" of one port are one trunk_port change (Gi2/0/9 and GigabitEthernet2/0/9
    are one port, spelled as the first change has it)."""

    def key(c: dict):
        said = grounding.object_of(c)
        if naming is not None and said and (c.get("interfaces") or c.get("interface")):
            try:
                return tuple(naming.expand(str(said)))
            except NetcfgError:
                pass
        return said

    out: list[dict] = []
    for c in changes:
        mine = key(c)
        same = next(
            (
                o
                for o in out
                if mine
                and o.get("kind") == c.get("kind")
                and o.get("op") == c.get("op")
                and key(o) == mine
                and all(o.get(f) in (None, v) for f, v in c.items() if f not in _OBJECT_FIELDS)
            ),
            None,
        )
        if same is None:
            out.append(dict(c))
        else:
            same.update({f: v for f, v in c.items() if v is not None and f not in _OBJECT_FIELDS})
    return out


_OBJECT_FIELDS = ("interfaces", "interface")


def _whole_lists(changes: list[dict], text: str, naming) -> list[dict]:
    """A list added to ports the same answer creates the list's owner on is that owner's whole list: "trunk them
    with native vlan 200, allowed 200,210,220" answered as a trunk and an add to its allowed list is the new
    trunk's allowed list, unless the request says the values are added (intent.yaml `added_to`)."""
    out = [dict(c) for c in changes]
    for kind, rule in intent.spec().get("added_to", {}).items():
        for owner in [
            c for c in out if c.get("kind") == kind and c.get("op") == "add" and c.get(rule["field"]) is None
        ]:
            ports = _ports(owner, naming)
            adds = [
                c
                for c in out
                if c.get("kind") == rule["into"]
                and c.get("op") == "add"
                and _ports(c, naming)
                and _ports(c, naming) <= ports
            ]
            said = {str(c.get(rule["field"])) for c in adds}
            if (
                len(said) == 1
                and set().union(*(_ports(c, naming) for c in adds)) == ports
                and not grounding.said_as_added(rule, adds[0].get(rule["field"]), text)
                and not re.search(rule.get("added", r"(?!)"), _before_value(text, adds[0].get(rule["field"])), re.I)
            ):
                owner[rule["field"]] = adds[0][rule["field"]]
                out = [c for c in out if c not in adds]
    return out


def _before_value(text: str, value) -> str:
    """The words right before where the request states a list's first value ("..., add 30": "add")."""
    first = re.match(r"\s*(\d+)", str(value or ""))
    at = re.search(rf"(?<![\d./]){first.group(1)}(?![\d./])", text) if first else None
    return text[max(0, at.start() - 30) : at.start()] if at else ""


def _ports(change: dict, naming) -> set[str]:
    said = change.get("interfaces") or change.get("interface")
    return expand_ports(naming, str(said)) if said else set()


def _parse_whole(
    text: str,
    backend: Backend,
    check,
    k: int,
    naming,
    steps: str = "dxf",
    lenient: bool = False,
    cues: str | None = None,
) -> Parsed:
    """The model's answer for the whole text, or an error. `steps`: d, the fast draft; x, the exact
    evaluation; f, the exact evaluation retried with the last answer's problems fed back. `lenient`: an
    answer whose only fault is a change with values from different parts is returned with that doubt."""
    text = check_text(text)
    messages = build_messages(without_tickets(text, naming), k, cues)
    examples = (len(messages) - 2) // 2
    tries = ([True] if examples > 1 and "d" in steps else []) + [False] * (("x" in steps) + ("f" in steps))
    failure: NetcfgError | None = None
    # A request that mentions something netcfg supports gets no "unsupported" way out: small models
    # take it whenever unsure. If it really is out of scope, grounding refuses the forced answer.
    allow_unsupported = not grounding.has_cues(text)
    for attempt, draft in enumerate(tries, 1):
        changes = grounding.tidy(
            [grounding.repair(c, text) for c in _decode(backend, messages, draft, allow_unsupported, cues)], text
        )
        if naming is not None and not _unsupported(changes):
            changes = _whole_lists(fill_lists(text, changes, naming), text, naming)
            extra = subsumed(changes, naming)
            changes = [c for c in changes if c not in extra]
        failure, left, doubted = None, [], False
        if _unsupported(changes):
            problems = []
        else:
            problems = grounding.problems(changes, text, cues)
            if not problems and check is not None:  # a value the vendor refuses says the most
                try:
                    check(changes)
                except (IntentError, ConfigError) as e:
                    failure, problems = e, [str(e)]
            if not problems:
                left = _left_out(changes, text, naming)
                problems = [_left_out_problem(left)] if left else _scattered(changes, text, naming)
                doubted = bool(problems) and not left
        if not problems and not (draft and (_unsupported(changes) or grounding.leaves_out(changes, text))):
            break
        if attempt == len(tries) - 1 and "f" in steps:
            messages = messages + [
                {"role": "assistant", "content": _compact(changes)},
                {
                    "role": "user",
                    "content": "Wrong: "
                    + "; ".join(problems)
                    + ". Answer again for the same request, using only values written in it.",
                },
            ]
    if _unsupported(changes):
        raise UnsupportedError(f"netcfg cannot do that: {text[:80]!r}; it supports: {intent.supported_summary()}")
    if failure is not None:
        raise failure
    if not problems:
        return Parsed(changes, attempt)
    answer = changes
    if not left and naming is not None:
        wrong = _scattered_changes(changes, text, naming)  # a change with values of two parts: unplaced
        sound = [c for c in changes if not grounding.ungrounded(c, text) and c not in wrong]
        left = _left_out(sound, text, naming) if sound and sound != changes else []
        changes = sound if left else changes
    if left:
        error: NetcfgError = _unplaced(left, changes)
    else:
        error = ModelError(
            f"could not understand the intent reliably ({problems[0]}); rephrase it with explicit values. "
            f"netcfg supports: {intent.supported_summary()}"
        )
        error.changes, error.problems = changes, problems
    if lenient and doubted:
        return Parsed(answer, attempt, error)
    raise error
