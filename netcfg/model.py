"""The LLM behind a tiny interface: `Backend.complete(messages, schema)` answers JSON constrained to the
schema. The embedded backend is llama.cpp in-process: greedy decoding under the schema's grammar, with
the prompt states kept on disk (netcfg/prompt_cache.py) and the model files assembled and checked by
netcfg/model_files.py. Private llama-cpp-python access lives in netcfg/llama_adapter.py only."""

from __future__ import annotations

import atexit
import json
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol

from .errors import ConfigError, ModelError
from .model_files import EMBEDDED, LARGE, embedded_model_path, large_installed, model_id, resolve_model_path
from .prompt_cache import PromptCache, clear_prompt_states

if TYPE_CHECKING:
    from .model_server import ServerBackend

__all__ = [
    "Backend",
    "LlamaCppBackend",
    "get_backend",
    "get_fallback",
    "identity",
    "is_server",
    "clear_prompt_states",
    "EMBEDDED",
    "LARGE",
    "embedded_model_path",
    "large_installed",
    "model_id",
    "resolve_model_path",
]

_CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


class Backend(Protocol):
    """Anything that answers chat messages with JSON constrained to a schema."""

    name: str

    def complete(
        self,
        messages: list[dict],
        schema: dict,
        prefix: str = "",
        follow: Callable[[str], str] | None = None,
        draft: bool = False,
    ) -> str:
        """The answer text. It starts with `prefix`, which the schema forces anyway; `follow(answer so
        far)` tells more text the schema forces. With `draft` the backend may answer faster and less
        exactly (the embedded one loads the few-shot examples but the last from saved states)."""
        ...


def _complete_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


class LlamaCppBackend:
    """llama.cpp in-process through llama-cpp-python: temperature 0, JSON-schema grammar, loaded once."""

    def __init__(self, path: Path, n_ctx: int = 4096, threads: int | None = None):
        self.path = path
        self.name = path.name
        self.n_ctx = n_ctx
        self.threads = threads or os.cpu_count() or 2
        self._model = None
        self._cache: PromptCache | None = None
        self._grammars: dict[str, object] = {}
        self._formatter: Any = None
        self._system: tuple[str, list[int]] | None = None
        self._blocks: dict[tuple[str, str, str], list[int]] = {}
        self._controls: dict[str, bool] = {}  # message text -> whether it spells a control token
        self.settings: dict = {}  # model load settings this CPU survives (probe.load_settings)
        self._busy = threading.Lock()  # one evaluation at a time: an answer, or a prefill behind it
        self._asked = 0  # answers waiting for the model: a prefill under way stops for them

    def _load(self):
        """The loaded model (netcfg.llama_adapter.LlamaModel)."""
        if self._model is None:
            import llama_cpp

            from .llama_adapter import FLASH_ATTENTION, LlamaModel
            from .probe import load_settings

            self.settings = load_settings(self.path, model_id(self.path), self.threads)
            try:
                self._model = LlamaModel.load(self.settings, self.path, self.n_ctx, self.threads)
            except (ValueError, RuntimeError) as e:
                raise ModelError(f"cannot load model {self.path}: {e}") from None
            # flash attention and a two-sequence cache change the saved layout
            attention = "fa" if FLASH_ATTENTION else "nofa"
            key = [model_id(self.path), llama_cpp.__version__, self.n_ctx, attention, "seq2", self.settings]
            self._cache = PromptCache(self._model, key, self.n_ctx)
        return self._model

    def load(self) -> None:
        """Load the model now rather than at the first answer (the shell does it while a line is typed)."""
        self._load()

    def close(self) -> None:
        if self._model is not None:
            self._model.close()
            self._model = self._cache = None

    def _grammar(self, schema: dict):
        key = json.dumps(schema)
        if key not in self._grammars:
            from llama_cpp import LlamaGrammar

            if len(self._grammars) >= 256:  # one per set of kinds a request asks for: a long shell or batch
                self._grammars.clear()

            self._grammars[key] = LlamaGrammar.from_json_schema(key, verbose=False)
        return self._grammars[key]

    def _prompt(self, messages: list[dict]) -> str:
        """Messages -> prompt text with the model's own chat template (ChatML if it has none)."""
        if self._formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            model = self._load()
            eos, bos = model.special_text()
            self._formatter = Jinja2ChatFormatter(template=model.chat_template or _CHATML, eos_token=eos, bos_token=bos)
        return self._formatter(messages=messages).prompt

    def _tokens(self, text: str) -> list[int]:
        return self._load().tokenize(text)

    def _prompt_tokens(self, messages: list[dict]) -> list[int]:
        """Tokens of the prompt, with text that spells a control token (`<|im_end|>` typed in a
        request) inside a message taken as plain text, never as the control token."""
        model = self._load()
        tricky = [i for i, m in enumerate(messages) if self._spells_control(m["content"])]
        if not tricky:
            return self._tokens(self._prompt(messages))
        # the template is rendered with a mark in place of each such message, then split at the marks:
        # the template's own text keeps its control tokens, the message is tokenized as plain text
        text = self._prompt([{**m, "content": f"\x00{i}\x00"} if i in tricky else m for i, m in enumerate(messages)])
        out: list[int] = []
        for n, piece in enumerate(re.split("\x00(\\d+)\x00", text)):
            if n % 2:
                out += model.tokenize(messages[int(piece)]["content"], add_bos=False, special=False)
            elif piece:
                out += model.tokenize(piece, add_bos=not out)
        return out

    def _spells_control(self, content: str) -> bool:
        """Whether message text spells a control token. Kept for the instructions and examples, which
        every prompt repeats (tokenizing the ~2,500 tokens of instructions twice costs ~15 ms)."""
        if content not in self._controls:
            model = self._load()
            if len(self._controls) > 256:
                self._controls.clear()
            special = model.tokenize(content, add_bos=False)
            self._controls[content] = special != model.tokenize(content, add_bos=False, special=False)
        return self._controls[content]

    def _lead_tokens(self, messages: list[dict]) -> list[int]:
        """Tokens of `messages` as a prompt starts with them, whatever user message follows."""
        a = self._tokens(self._prompt([*messages, {"role": "user", "content": "a"}]))
        b = self._tokens(self._prompt([*messages, {"role": "user", "content": "b"}]))
        return a[: next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))]

    def _system_tokens(self, system: dict) -> list[int]:
        """Tokens of the system message as the prompt starts."""
        if self._system is None or self._system[0] != system["content"]:
            self._system = (system["content"], self._lead_tokens([system]))
        return self._system[1]

    def _block_tokens(self, system: dict, pair: list[dict]) -> list[int]:
        """Tokens of one example (a user and an assistant message) as they follow the system message."""
        key = (system["content"], pair[0]["content"], pair[1]["content"])
        if key not in self._blocks:
            self._blocks[key] = self._lead_tokens([system, *pair])[len(self._system_tokens(system)) :]
        return self._blocks[key]

    def complete(
        self,
        messages: list[dict],
        schema: dict,
        prefix: str = "",
        follow: Callable[[str], str] | None = None,
        draft: bool = False,
        max_tokens: int = 400,
    ) -> str:
        """Greedy decoding under the schema's grammar. The system message's KV state is kept on disk; a
        `draft` also takes every example pair but the last (the most similar) from saved blocks. `prefix`,
        and whatever `follow(answer so far)` says comes next, are evaluated without being decoded."""
        self._asked += 1
        with self._busy:
            self._asked -= 1
            model = self._load()
            with model.grammar_sampler(self._grammar(schema)) as sampler:
                forced = model.tokenize(prefix, add_bos=False, special=False) if prefix else []
                for tok in forced:
                    if not sampler.allows(tok):
                        raise ModelError(f"the answer prefix {prefix!r} does not fit the schema")
                    sampler.accept(tok)
                tokens = self._prompt_tokens(messages) + forced
                self._evaluate(messages, tokens, draft)
                out: list[int] = []
                while len(out) < max_tokens:
                    tok = self._pick(model, sampler)
                    if model.is_end(tok):
                        break
                    sampler.accept(tok)
                    out.append(tok)
                    text = prefix + model.detokenize(out)
                    if text.endswith("}") and _complete_json(text):
                        break  # the schema allows nothing more than white space: spare the last evaluations
                    batch = [tok]
                    # text the schema forces next is evaluated with this token in one batch, not decoded
                    for t in model.tokenize(follow(text), add_bos=False, special=False) if follow else []:
                        if not sampler.allows(t):
                            break
                        sampler.accept(t)
                        batch.append(t)
                    out += batch[1:]
                    model.eval(batch)
            return prefix + model.detokenize(out)

    def _evaluate(self, messages: list[dict], tokens: list[int], draft: bool, stop=None) -> None:
        """Have the prompt `tokens` (of `messages`) evaluated: the instructions' state loaded, with `draft`
        the examples but the last placed from saved blocks, the rest evaluated (until `stop()`)."""
        cache = self._cache
        assert cache is not None  # made with the model
        system = messages[0] if messages and messages[0]["role"] == "system" else None
        if system is not None:
            cache.warm(self._system_tokens(system))
        examples = max((len(messages) - 2) // 2 - 1, 0) if draft and system is not None else 0
        if examples and system is not None:
            pairs = [messages[1 + 2 * i : 3 + 2 * i] for i in range(examples)]
            cache.place_examples(self._system_tokens(system), [self._block_tokens(system, p) for p in pairs], tokens)
        cache.evaluate(tokens, exact=not examples, stop=stop)

    def prefill(self, messages: list[dict], stale: Callable[[], bool] | None = None) -> None:
        """Evaluate ahead of time the draft prompt of a request whose text so far is the last message (the
        shell does it while a line is typed), less its last few tokens, which the finished line may spell
        otherwise. It gives way to an answer asked for meanwhile, or stops once `stale()` (the line has
        changed again), within a few tokens; an answer, or the next prefill, reuses only the evaluated
        tokens its own prompt starts with."""
        if not self._busy.acquire(blocking=False):
            return
        try:
            model = self._load()
            # the instructions' and each example's tokens, as kept for the draft (no whole-prompt tokenizing per key)
            system, pairs = messages[0], [messages[1 + 2 * i : 3 + 2 * i] for i in range((len(messages) - 2) // 2)]
            lead = self._system_tokens(system) + [t for p in pairs for t in self._block_tokens(system, p)]
            text = model.tokenize(messages[-1]["content"], add_bos=False, special=False)
            if len(text) > _PREFILL_SPARE:
                self._evaluate(
                    messages,
                    lead + text[:-_PREFILL_SPARE],
                    True,
                    stop=lambda: self._asked > 0 or bool(stale and stale()),
                )
        finally:
            self._busy.release()

    @staticmethod
    def _pick(model, sampler) -> int:
        """Greedy next token under the grammar. Asking the grammar about the argmax alone first is
        exact for greedy decoding and skips filtering all 150k candidates at almost every step."""
        logits = model.logits()
        best = int(logits.argmax())
        return best if sampler.allows(best) else sampler.best(logits)


_PREFILL_SPARE = 2  # tokens at the end of a line being typed that are left for the answer to evaluate
_BACKENDS: dict[str, LlamaCppBackend] = {}
_SERVERS: dict[str, "ServerBackend"] = {}


@atexit.register
def _close_backends() -> None:
    """Free loaded models while the interpreter is whole: left to garbage collection at shutdown,
    llama-cpp-python's destructor runs after its own module globals are gone and prints a traceback."""
    for backend in _BACKENDS.values():
        backend.close()


def get_fallback(model: str | None = None) -> "LlamaCppBackend | None":
    """The large model as a second opinion for the embedded one, when it is installed; None for a model
    the user chose (--model, --backend, $NETCFG_MODEL, $NETCFG_BACKEND) or without it."""
    if model or os.environ.get("NETCFG_MODEL") or os.environ.get("NETCFG_BACKEND") or not large_installed():
        return None
    path = embedded_model_path(LARGE)
    if str(path) not in _BACKENDS:
        _BACKENDS[str(path)] = LlamaCppBackend(path)
    return _BACKENDS[str(path)]


def is_server(model: str | None) -> bool:
    """Whether a model choice is a model server's URL rather than a GGUF file."""
    return bool(model) and str(model).strip().lower().startswith(("http://", "https://"))


def get_backend(model: str | None = None) -> "LlamaCppBackend | ServerBackend":
    """The model netcfg asks: `model` (a GGUF file, or an OpenAI-compatible server's URL), else
    $NETCFG_BACKEND (a server), else $NETCFG_MODEL or the embedded model. One backend per model per
    process, so a model file loads once."""
    if not model and os.environ.get("NETCFG_BACKEND"):
        if os.environ.get("NETCFG_MODEL"):
            raise ConfigError("NETCFG_BACKEND and NETCFG_MODEL are both set; unset one")
        model = os.environ["NETCFG_BACKEND"]
    if is_server(model):
        from .model_server import ServerBackend, server_url

        key = server_url(str(model))
        if key not in _SERVERS:
            _SERVERS[key] = ServerBackend(key)
        return _SERVERS[key]
    path = resolve_model_path(model)
    key = str(path)
    if key not in _BACKENDS:
        _BACKENDS[key] = LlamaCppBackend(path)
    return _BACKENDS[key]


def identity(backend) -> str:
    """What the parse cache files a backend's answers under: the model file's checksum, or the server
    and the model it serves."""
    found = getattr(backend, "identity", None)
    return found if isinstance(found, str) else model_id(backend.path)
